/* The whole client stack against the simulated AWS: real libcurl transport, SigV4 checked by
 * botocore on the server side, XML parsed, both error shapes, pagination, throttling retried. */
#include "sps_fakeaws.h"
#include "sps_test.h"

static struct sps_fakeaws s_fake;

static void test_signed_query_calls_succeed(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    struct sps_query q;
    sps_query_init(&q, "DescribeRegions", "2016-11-15");
    struct sps_aws_call call;
    sps_aws_call_init_query(&call, ec2, &q);
    SPS_CHECK_OK(sps_aws_call_run(&call));
    const struct sps_xml_node *item = sps_xml_path(sps_aws_call_result_node(&call),
                                                   "regionInfo/item");
    SPS_CHECK(item != NULL);
    SPS_CHECK(sps_xml_path_text(item, "regionName") != NULL);
    sps_aws_call_clean_up(&call);
    sps_query_clean_up(&q);

    struct sps_aws_client *asg = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1");
    sps_query_init(&q, "DescribeAutoScalingGroups", "2011-01-01");
    sps_aws_call_init_query(&call, asg, &q);
    SPS_CHECK_OK(sps_aws_call_run(&call));
    SPS_CHECK(sps_xml_path(sps_aws_call_result_node(&call), "AutoScalingGroups/member") != NULL);
    sps_aws_call_clean_up(&call);
    sps_query_clean_up(&q);
    sps_aws_client_destroy(asg);
    sps_aws_client_destroy(ec2);
    sps_fakeaws_stop(&s_fake);
}

static void test_error_shapes_and_wrong_secret(void)
{
    sps_fakeaws_start(&s_fake, NULL);
    struct sps_aws_client *asg = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1");
    struct sps_query q;
    sps_query_init(&q, "SetDesiredCapacity", "2011-01-01");
    sps_query_set(&q, "AutoScalingGroupName", "no-such-group");
    sps_query_set(&q, "DesiredCapacity", "1");
    struct sps_aws_call call;
    sps_aws_call_init_query(&call, asg, &q);
    SPS_CHECK_ERR(sps_aws_call_run(&call), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(call.error.code, "ValidationError");
    SPS_CHECK_INT_EQ(call.error.http_status, 400);
    SPS_CHECK(call.error.request_id[0] != '\0');
    sps_aws_call_clean_up(&call);
    sps_query_clean_up(&q);
    sps_aws_client_destroy(asg);

    /* A wrong secret: botocore's verifier on the other side must refuse our signature. */
    struct sps_aws_credentials_provider *bad;
    SPS_CHECK_OK(sps_aws_credentials_provider_new_static(&bad, SPS_FAKEAWS_AKID,
                                                         "not-the-right-secret-key", NULL));
    struct sps_aws_client_options o = {.service = SPS_AWS_EC2,
                                       .region = "us-east-1",
                                       .endpoint_url = s_fake.endpoint,
                                       .credentials = bad,
                                       .transport = s_fake.transport};
    struct sps_aws_client *ec2;
    SPS_CHECK_OK(sps_aws_client_new(&ec2, &o));
    sps_query_init(&q, "DescribeRegions", "2016-11-15");
    sps_aws_call_init_query(&call, ec2, &q);
    SPS_CHECK_ERR(sps_aws_call_run(&call), SPS_ERR_AWS_AUTH);
    SPS_CHECK_STR_EQ(call.error.code, "SignatureDoesNotMatch");
    SPS_CHECK_INT_EQ(call.attempts, 1);
    sps_aws_call_clean_up(&call);
    sps_query_clean_up(&q);
    sps_aws_client_destroy(ec2);
    sps_aws_credentials_provider_destroy(bad);
    sps_fakeaws_stop(&s_fake);
}

static void test_throttling_is_retried_through_the_wire(void)
{
    sps_fakeaws_start(&s_fake, NULL);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "fault",
                                       "{\"action\":\"DescribeRegions\",\"kind\":\"throttle\","
                                       "\"count\":1}",
                                       NULL),
                     200);
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    struct sps_query q;
    sps_query_init(&q, "DescribeRegions", "2016-11-15");
    struct sps_aws_call call;
    sps_aws_call_init_query(&call, ec2, &q);
    SPS_CHECK_OK(sps_aws_call_run(&call));
    SPS_CHECK_INT_EQ(call.attempts, 2);
    sps_aws_call_clean_up(&call);

    /* Malformed body on a 200: a clear error, no crash, nothing retried into a bad state. */
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "fault",
                                       "{\"action\":\"DescribeRegions\",\"kind\":\"malformed\","
                                       "\"count\":1}",
                                       NULL),
                     200);
    sps_aws_call_init_query(&call, ec2, &q);
    SPS_CHECK_ERR(sps_aws_call_run(&call), SPS_ERR_XML_MALFORMED);
    sps_aws_call_clean_up(&call);
    sps_query_clean_up(&q);
    sps_aws_client_destroy(ec2);
    sps_fakeaws_stop(&s_fake);
}

static sps_err s_count_types(void *ctx, const struct sps_xml_node *result)
{
    size_t *count = ctx;
    for (const struct sps_xml_node *it = sps_xml_path(result, "instanceTypeSet/item"); it;
         it = sps_xml_next(it, "item"))
        (*count)++;
    return SPS_OK;
}

static void test_pagination_over_the_wire(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    struct sps_query q;
    sps_query_init(&q, "DescribeInstanceTypes", "2016-11-15");
    sps_query_set(&q, "MaxResults", "100");
    size_t types = 0;
    struct sps_aws_error aws_err;
    SPS_CHECK_OK(sps_aws_query_paginate(ec2, &q, 0, s_count_types, &types, &aws_err));
    SPS_CHECK(types > 1000); /* the whole catalog, over more than ten pages */
    sps_query_clean_up(&q);
    sps_aws_client_destroy(ec2);
    sps_fakeaws_stop(&s_fake);
}

SPS_TEST_MAIN(SPS_CASE(test_signed_query_calls_succeed),
              SPS_CASE(test_error_shapes_and_wrong_secret),
              SPS_CASE(test_throttling_is_retried_through_the_wire),
              SPS_CASE(test_pagination_over_the_wire))
