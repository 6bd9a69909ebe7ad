/* The service client over the scripted fake transport, fake clock and fake randomness: the exact
 * requests it builds and signs, how it parses answers and errors, what it retries and how long
 * it waits, credentials refresh, clock skew and the retry quota. */
#include "http_client_env.h"
#include "sps_test.h"

#include <stdint.h>

#define EC2_URL "https://ec2.us-east-1.amazonaws.com/"

static void test_client_new_validates_and_resolves(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    SPS_CHECK_STR_EQ(sps_aws_client_region(e.client), "us-east-1");
    SPS_CHECK_INT_EQ(sps_aws_client_service(e.client), SPS_AWS_EC2);
    struct sps_aws_client *c = NULL;
    struct sps_aws_client_options o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.credentials = NULL;
    SPS_CHECK_ERR(sps_aws_client_new(&c, &o), SPS_ERR_INVALID_ARGUMENT);
    o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.transport = NULL;
    SPS_CHECK_ERR(sps_aws_client_new(&c, &o), SPS_ERR_INVALID_ARGUMENT);
    o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.region = "";
    SPS_CHECK_ERR(sps_aws_client_new(&c, &o), SPS_ERR_INVALID_ARGUMENT);
    o = sps_cenv_options(&e, SPS_AWS_SERVICE_COUNT_);
    SPS_CHECK_ERR(sps_aws_client_new(&c, &o), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_client_new(&c, NULL), SPS_ERR_INVALID_ARGUMENT);
    o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.endpoint_url = "ftp://example.com";
    SPS_CHECK_ERR(sps_aws_client_new(&c, &o), SPS_ERR_HTTP_BAD_URL);
    o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.region = "Not A Region";
    SPS_CHECK(sps_aws_client_new(&c, &o) != SPS_OK);
    SPS_CHECK(c == NULL);
    /* An explicit endpoint URL wins; trailing slashes are normalized. */
    o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.endpoint_url = "http://127.0.0.1:4566//";
    SPS_CHECK_OK(sps_aws_client_new(&c, &o));
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    struct sps_aws_call call;
    sps_aws_call_init_query(&call, c, &e.query);
    SPS_CHECK_OK(sps_aws_call_run(&call));
    SPS_CHECK_STR_EQ(sps_cenv_sent(&e, 0)->url.data, "http://127.0.0.1:4566/");
    sps_aws_call_clean_up(&call);
    sps_aws_client_destroy(c);
    sps_aws_client_destroy(NULL);
    sps_cenv_teardown(&e);
}

static void test_query_request_is_exact_and_signed(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_query_set(&e.query, "RegionName.1", "us-east-1");
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    struct sps_aws_call call;
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    const struct sps_http_request *r = sps_cenv_sent(&e, 0);
    SPS_CHECK_STR_EQ(r->method, "POST");
    SPS_CHECK_STR_EQ(r->url.data, EC2_URL);
    SPS_CHECK_STR_EQ(r->body.data,
                     "Action=DescribeRegions&Version=2016-11-15&RegionName.1=us-east-1");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&r->headers, "content-type"),
                     "application/x-www-form-urlencoded; charset=utf-8");
    const char *ua = sps_http_headers_get(&r->headers, "user-agent");
    SPS_CHECK(ua && strncmp(ua, "spotswap/", 9) == 0 && ua[9] != '\0');
    SPS_CHECK(sps_http_headers_get(&r->headers, "x-amz-target") == NULL);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&r->headers, "x-amz-date"), "20261124T054722Z");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&r->headers, "x-amz-security-token"), SPS_CENV_TOKEN);
    const char *auth = sps_http_headers_get(&r->headers, "authorization");
    SPS_CHECK(auth && strstr(auth, "AWS4-HMAC-SHA256 Credential=" SPS_CENV_AKID
                                   "/20261124/us-east-1/ec2/aws4_request") == auth);
    /* The signature is exactly what the signer gives for the same request. */
    struct sps_http_request expected;
    sps_http_request_init(&expected, "POST");
    SPS_CHECK_OK(sps_buf_append_str(&expected.url, EC2_URL));
    SPS_CHECK_OK(sps_buf_append_str(&expected.body, r->body.data));
    sps_http_headers_set(&expected.headers, "Content-Type",
                         "application/x-www-form-urlencoded; charset=utf-8");
    sps_http_headers_set(&expected.headers, "User-Agent", ua);
    struct sps_aws_credentials creds = {0};
    SPS_CHECK_OK(
        sps_aws_credentials_set(&creds, SPS_CENV_AKID, SPS_CENV_SECRET, SPS_CENV_TOKEN, 0));
    struct sps_sigv4_params params = {.credentials = &creds,
                                      .region = SPS_CURSOR_LIT("us-east-1"),
                                      .service = SPS_CURSOR_LIT("ec2"),
                                      .now_ms = e.clock.wall_ms};
    SPS_CHECK_OK(sps_aws_sigv4_sign(&expected, &params));
    SPS_CHECK_STR_EQ(auth, sps_http_headers_get(&expected.headers, "authorization"));
    sps_aws_credentials_clean_up(&creds);
    sps_http_request_clean_up(&expected);
    /* Success: the parsed document, EC2's result node is the root. */
    SPS_CHECK_INT_EQ(call.attempts, 1);
    const struct sps_xml_node *result = sps_aws_call_result_node(&call);
    SPS_CHECK_STR_EQ(sps_xml_name(result), "DescribeRegionsResponse");
    SPS_CHECK_STR_EQ(sps_xml_path_text(result, "regionInfo/item/regionName"), "us-east-1");
    SPS_CHECK_STR_EQ(call.body.data, sps_cenv_regions_ok);
    SPS_CHECK_INT_EQ(e.clock.sleeps, 0);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static void test_autoscaling_result_node(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_AUTOSCALING);
    sps_query_clean_up(&e.query);
    sps_query_init(&e.query, "DescribeAutoScalingGroups", "2011-01-01");
    sps_fake_transport_push(
        e.fake, 200, NULL,
        "<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups>"
        "<member><AutoScalingGroupName>web</AutoScalingGroupName></member></AutoScalingGroups>"
        "</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>x</RequestId>"
        "</ResponseMetadata></DescribeAutoScalingGroupsResponse>");
    struct sps_aws_call call;
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_STR_EQ(sps_cenv_sent(&e, 0)->url.data,
                     "https://autoscaling.us-east-1.amazonaws.com/");
    SPS_CHECK(strstr(sps_http_headers_get(&sps_cenv_sent(&e, 0)->headers, "authorization"),
                     "/us-east-1/autoscaling/aws4_request") != NULL);
    const struct sps_xml_node *result = sps_aws_call_result_node(&call);
    SPS_CHECK_STR_EQ(sps_xml_name(result), "DescribeAutoScalingGroupsResult");
    SPS_CHECK_STR_EQ(sps_xml_path_text(result, "AutoScalingGroups/member/AutoScalingGroupName"),
                     "web");
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static void test_ec2_error_shape_not_retried(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_fake_transport_push(e.fake, 400, NULL,
                            "<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>"
                            "<Message>The instance ID 'i-1' does not exist</Message></Error>"
                            "</Errors><RequestID>req-ec2</RequestID></Response>");
    struct sps_aws_call call;
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_INT_EQ(call.attempts, 1);
    SPS_CHECK_INT_EQ(call.error.http_status, 400);
    SPS_CHECK_STR_EQ(call.error.code, "InvalidInstanceID.NotFound");
    SPS_CHECK_STR_EQ(call.error.message, "The instance ID 'i-1' does not exist");
    SPS_CHECK_STR_EQ(call.error.request_id, "req-ec2");
    SPS_CHECK(sps_aws_call_result_node(&call) == NULL);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 1);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static void test_autoscaling_validation_error_not_retried(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_AUTOSCALING);
    sps_fake_transport_push(e.fake, 400, NULL,
                            "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
                            "<Message>Group not found</Message></Error>"
                            "<RequestId>req-asg</RequestId></ErrorResponse>");
    struct sps_aws_call call;
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_INT_EQ(call.attempts, 1);
    SPS_CHECK_STR_EQ(call.error.code, "ValidationError");
    SPS_CHECK_STR_EQ(call.error.request_id, "req-asg");
    SPS_CHECK_INT_EQ(e.clock.sleeps, 0);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static void test_error_without_document(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_fake_transport_push(e.fake, 403, "x-amzn-RequestId: hdr-id\n", "<html>Forbidden</html>");
    struct sps_aws_call call;
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_INT_EQ(call.error.http_status, 403);
    SPS_CHECK_STR_EQ(call.error.request_id, "hdr-id");
    SPS_CHECK(strstr(call.error.message, "HTTP 403") != NULL);
    SPS_CHECK_INT_EQ(call.attempts, 1);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static void test_json_request_success_and_errors(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    const char *body = "{\"ServiceCode\":\"AmazonEC2\"}";
    sps_fake_transport_push(e.fake, 200, NULL, "{\"PriceList\":[]}");
    struct sps_aws_call call;
    sps_aws_call_init_json(&call, e.client, "GetProducts", sps_cursor_from_str(body));
    SPS_CHECK_OK(sps_aws_call_run(&call));
    const struct sps_http_request *r = sps_cenv_sent(&e, 0);
    SPS_CHECK_STR_EQ(r->url.data, "https://api.pricing.us-east-1.amazonaws.com/");
    SPS_CHECK_STR_EQ(r->body.data, body);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&r->headers, "content-type"),
                     "application/x-amz-json-1.1");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&r->headers, "x-amz-target"),
                     "AWSPriceListService.GetProducts");
    SPS_CHECK(strstr(sps_http_headers_get(&r->headers, "authorization"),
                     "/us-east-1/pricing/aws4_request") != NULL);
    SPS_CHECK_STR_EQ(call.body.data, "{\"PriceList\":[]}");
    SPS_CHECK(sps_aws_call_result_node(&call) == NULL); /* no XML for JSON services */
    sps_aws_call_clean_up(&call);
    /* A JSON error document. */
    sps_fake_transport_push(e.fake, 400, NULL,
                            "{\"__type\":\"com.amazonaws#InvalidParameterException\","
                            "\"message\":\"bad filter\"}");
    sps_aws_call_init_json(&call, e.client, "GetProducts", sps_cursor_from_str(body));
    SPS_CHECK_ERR(sps_aws_call_run(&call), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(call.error.code, "InvalidParameterException");
    SPS_CHECK_STR_EQ(call.error.message, "bad filter");
    SPS_CHECK_INT_EQ(call.attempts, 1);
    sps_aws_call_clean_up(&call);
    /* A 200 whose body is not JSON, and an empty one. */
    sps_fake_transport_push(e.fake, 200, NULL, "{\"PriceList\":[");
    sps_aws_call_init_json(&call, e.client, "GetProducts", sps_cursor_from_str(body));
    SPS_CHECK_ERR(sps_aws_call_run(&call), SPS_ERR_JSON_MALFORMED);
    sps_aws_call_clean_up(&call);
    sps_fake_transport_push(e.fake, 200, NULL, "");
    sps_aws_call_init_json(&call, e.client, "GetProducts", sps_cursor_from_str(body));
    SPS_CHECK_ERR(sps_aws_call_run(&call), SPS_ERR_UNEXPECTED_RESPONSE);
    sps_aws_call_clean_up(&call);
    /* Query on a JSON service is refused before anything is sent. */
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_UNSUPPORTED);
    sps_aws_call_clean_up(&call);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 4);
    sps_cenv_teardown(&e);
}

static void test_json_operation_on_query_service_refused(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    struct sps_aws_call call;
    sps_aws_call_init_json(&call, e.client, "GetProducts", SPS_CURSOR_LIT("{}"));
    SPS_CHECK_ERR(sps_aws_call_run(&call), SPS_ERR_UNSUPPORTED);
    sps_aws_call_clean_up(&call);
    sps_aws_call_init_query(&call, NULL, &e.query);
    SPS_CHECK_ERR(sps_aws_call_run(&call), SPS_ERR_INVALID_ARGUMENT);
    sps_aws_call_clean_up(&call);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 0);
    sps_cenv_teardown(&e);
}

static void test_throttling_then_success(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_fake_transport_push(e.fake, 503, NULL, sps_cenv_ec2_throttled);
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    struct sps_aws_call call;
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_INT_EQ(call.attempts, 2);
    SPS_CHECK_INT_EQ(e.clock.sleeps, 1);
    SPS_CHECK_INT_EQ(e.clock.slept_ms, 500); /* rand 0.5 * min(1000 * 2^0, 20000) */
    SPS_CHECK_INT_EQ(call.error.code[0], '\0');
    /* The retry is signed anew, at the later time. */
    SPS_CHECK_STR_EQ(sps_http_headers_get(&sps_cenv_sent(&e, 1)->headers, "x-amz-date"),
                     "20261124T054722Z");
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static void test_jitter_stays_within_bound(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_fake_rand_init(&e.rand, UINT64_MAX); /* the largest jitter */
    sps_fake_transport_push(e.fake, 400, NULL,
                            "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded"
                            "</Message></Error></ErrorResponse>");
    sps_fake_transport_push(e.fake, 400, NULL,
                            "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded"
                            "</Message></Error></ErrorResponse>");
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    struct sps_aws_call call;
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_INT_EQ(call.attempts, 3);
    SPS_CHECK(e.clock.slept_ms >= 2990 && e.clock.slept_ms < 3000); /* < 1000 + < 2000 */
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static void test_retries_exhausted_keeps_last_error(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    for (int i = 0; i < 3; i++)
        sps_fake_transport_push(e.fake, 503, NULL, sps_cenv_ec2_throttled);
    struct sps_aws_call call;
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_THROTTLED);
    SPS_CHECK_INT_EQ(call.attempts, 3);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 3);
    SPS_CHECK_STR_EQ(call.error.code, "RequestLimitExceeded");
    SPS_CHECK_STR_EQ(call.error.request_id, "req-throttled");
    SPS_CHECK_INT_EQ(e.clock.slept_ms, 500 + 1000);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static void test_max_attempts_from_env_and_options(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_fake_env_set(&e.env, "AWS_MAX_ATTEMPTS", "5");
    struct sps_aws_client_options o = sps_cenv_options(&e, SPS_AWS_EC2);
    sps_cenv_reclient(&e, &o);
    for (int i = 0; i < 6; i++)
        sps_fake_transport_push(e.fake, 500, NULL, sps_cenv_ec2_internal);
    struct sps_aws_call call;
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_SERVER);
    SPS_CHECK_INT_EQ(call.attempts, 5);
    SPS_CHECK_STR_EQ(call.error.code, "InternalError");
    sps_aws_call_clean_up(&call);
    o.retry.max_attempts = 1; /* options win: no retry at all */
    sps_cenv_reclient(&e, &o);
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_SERVER);
    SPS_CHECK_INT_EQ(call.attempts, 1);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static void test_transient_failures_then_success(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_fake_transport_push(e.fake, 500, NULL, "oops"); /* no error document */
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    sps_fake_transport_push_error(e.fake, SPS_ERR_HTTP_CONNECT);
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    sps_fake_transport_push_error(e.fake, SPS_ERR_HTTP_TIMEOUT);
    sps_fake_transport_push_error(e.fake, SPS_ERR_HTTP_TRANSPORT);
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    struct sps_aws_call call;
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_INT_EQ(call.attempts, 2);
    sps_aws_call_clean_up(&call);
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_INT_EQ(call.attempts, 2);
    sps_aws_call_clean_up(&call);
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_INT_EQ(call.attempts, 3);
    sps_aws_call_clean_up(&call);
    SPS_CHECK_INT_EQ(sps_fake_transport_pending(e.fake), 0);
    sps_cenv_teardown(&e);
}

static void test_fatal_transport_errors_not_retried(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_fake_transport_push_error(e.fake, SPS_ERR_HTTP_TLS);
    struct sps_aws_call call;
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_HTTP_TLS);
    SPS_CHECK_INT_EQ(call.attempts, 1);
    SPS_CHECK_INT_EQ(call.error.http_status, 0);
    sps_aws_call_clean_up(&call);
    sps_fake_transport_push_error(e.fake, SPS_ERR_HTTP_RESPONSE_TOO_LARGE);
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_HTTP_RESPONSE_TOO_LARGE);
    SPS_CHECK_INT_EQ(call.attempts, 1);
    sps_aws_call_clean_up(&call);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 2);
    SPS_CHECK_INT_EQ(e.clock.sleeps, 0);
    sps_cenv_teardown(&e);
}

static void test_response_size_bound(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    struct sps_aws_client_options o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.max_response_bytes = 16;
    sps_cenv_reclient(&e, &o);
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    struct sps_aws_call call;
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_HTTP_RESPONSE_TOO_LARGE);
    SPS_CHECK_INT_EQ(call.attempts, 1);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static const char s_expired[] =
    "<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code>"
    "<Message>The security token included in the request is expired</Message></Error>"
    "</ErrorResponse>";

static void test_expired_token_refetches_credentials_once(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_fake_transport_push(e.fake, 400, NULL, s_expired);
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    struct sps_aws_call call;
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_INT_EQ(call.attempts, 2);
    SPS_CHECK_INT_EQ(e.provider.gets, 2);
    SPS_CHECK_INT_EQ(e.clock.sleeps, 0);
    sps_aws_call_clean_up(&call);
    /* Expired again after the refresh: not refetched a second time. */
    sps_fake_transport_push(e.fake, 400, NULL, s_expired);
    sps_fake_transport_push(e.fake, 400, NULL, s_expired);
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_EXPIRED_CREDENTIALS);
    SPS_CHECK_INT_EQ(call.attempts, 2);
    SPS_CHECK_INT_EQ(e.provider.gets, 3);
    SPS_CHECK_STR_EQ(call.error.code, "ExpiredToken");
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static void test_credentials_cached_until_near_expiry(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    e.provider.expiration_ms = e.clock.wall_ms + 10 * 60 * 1000; /* 10 minutes left */
    struct sps_aws_call call;
    for (int i = 0; i < 2; i++) {
        sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
        SPS_CHECK_OK(sps_cenv_run(&e, &call));
        sps_aws_call_clean_up(&call);
    }
    SPS_CHECK_INT_EQ(e.provider.gets, 1);
    e.clock.wall_ms += 6 * 60 * 1000; /* now within 5 minutes of expiry: refetched */
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    sps_aws_call_clean_up(&call);
    SPS_CHECK_INT_EQ(e.provider.gets, 2);
    /* A provider failure fails the call before anything is sent. */
    e.provider.fail = SPS_ERR_CREDS_NOT_FOUND;
    e.clock.wall_ms += 60 * 60 * 1000;
    size_t sent = sps_fake_transport_request_count(e.fake);
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_CREDS_NOT_FOUND);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), sent);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static const char s_skewed[] =
    "<Response><Errors><Error><Code>RequestTimeTooSkewed</Code><Message>The difference between "
    "the request time and the current time is too large.</Message></Error></Errors></Response>";

static void test_clock_skew_retried_with_offset(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    /* AWS says it is an hour later than the local clock. */
    sps_fake_transport_push(e.fake, 403, "Date: Tue, 24 Nov 2026 06:47:22 GMT\n", s_skewed);
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    struct sps_aws_call call;
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_INT_EQ(call.attempts, 2);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&sps_cenv_sent(&e, 0)->headers, "x-amz-date"),
                     "20261124T054722Z");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&sps_cenv_sent(&e, 1)->headers, "x-amz-date"),
                     "20261124T064722Z");
    sps_aws_call_clean_up(&call);
    /* The offset sticks for later calls of the client. */
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_STR_EQ(sps_http_headers_get(&sps_cenv_sent(&e, 2)->headers, "x-amz-date"),
                     "20261124T064722Z");
    sps_aws_call_clean_up(&call);
    /* Skewed twice: retried once only. Without a Date header: not retried at all. */
    sps_fake_transport_push(e.fake, 403, "Date: Tue, 24 Nov 2026 08:00:00 GMT\n", s_skewed);
    sps_fake_transport_push(e.fake, 403, "Date: Tue, 24 Nov 2026 09:00:00 GMT\n", s_skewed);
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_CLOCK_SKEW);
    SPS_CHECK_INT_EQ(call.attempts, 2);
    sps_aws_call_clean_up(&call);
    sps_fake_transport_push(e.fake, 403, NULL, s_skewed);
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_CLOCK_SKEW);
    SPS_CHECK_INT_EQ(call.attempts, 1);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static const char s_request_expired[] =
    "<Response><Errors><Error><Code>RequestExpired</Code><Message>Request has expired."
    "</Message></Error></Errors><RequestID>r</RequestID></Response>";

/* EC2's RequestExpired while the clock agrees with AWS (the Date header): expired credentials,
 * fetched anew once, and reported as such; with a Date far off it stays clock skew. */
static void test_request_expired_with_a_good_clock_is_expired_credentials(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    const char *now = "Date: Tue, 24 Nov 2026 05:48:00 GMT\n"; /* 38 s after the local clock */
    sps_fake_transport_push(e.fake, 400, now, s_request_expired);
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    struct sps_aws_call call;
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_INT_EQ(call.attempts, 2);
    SPS_CHECK_INT_EQ(e.provider.gets, 2);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&sps_cenv_sent(&e, 1)->headers, "x-amz-date"),
                     "20261124T054722Z"); /* no offset learned */
    sps_aws_call_clean_up(&call);
    sps_fake_transport_push(e.fake, 400, now, s_request_expired);
    sps_fake_transport_push(e.fake, 400, now, s_request_expired);
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_EXPIRED_CREDENTIALS);
    SPS_CHECK_INT_EQ(call.attempts, 2);
    SPS_CHECK_INT_EQ(e.provider.gets, 3);
    SPS_CHECK_STR_EQ(call.error.code, "RequestExpired");
    sps_aws_call_clean_up(&call);
    /* An hour off: the clock is the cause, corrected as before, credentials kept. */
    sps_fake_transport_push(e.fake, 400, "Date: Tue, 24 Nov 2026 06:47:22 GMT\n",
                            s_request_expired);
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_INT_EQ(e.provider.gets, 4); /* once for the call (the last were expired), no more */
    SPS_CHECK_STR_EQ(sps_http_headers_get(&sps_cenv_sent(&e, 5)->headers, "x-amz-date"),
                     "20261124T064722Z");
    sps_aws_call_clean_up(&call);
    /* Without a Date there is nothing to decide from: skew as before, not retried. */
    sps_fake_transport_push(e.fake, 400, NULL, s_request_expired);
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_CLOCK_SKEW);
    SPS_CHECK_INT_EQ(call.attempts, 1);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static sps_err s_always_500(void *ctx, const struct sps_http_request *req,
                            struct sps_http_response *resp)
{
    resp->status = 500;
    return sps_buf_append_str(&resp->body, sps_cenv_ec2_internal);
}

static void test_retry_quota_exhaustion(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    struct sps_aws_client_options o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.retry.max_attempts = 1000;
    sps_cenv_reclient(&e, &o);
    sps_fake_transport_set_handler(e.fake, s_always_500, NULL);
    struct sps_aws_call call;
    /* 500 units of quota at 5 per retry: 100 retries, then the quota says no. */
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_RETRY_QUOTA);
    SPS_CHECK_INT_EQ(call.attempts, 101);
    SPS_CHECK_STR_EQ(call.error.code, "InternalError"); /* the service's words survive */
    sps_aws_call_clean_up(&call);
    /* Spent quota stays spent for the next call: no retry at all. */
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_RETRY_QUOTA);
    SPS_CHECK_INT_EQ(call.attempts, 1);
    sps_aws_call_clean_up(&call);
    /* Successes refund quota: 5 successes buy back one retry. */
    sps_fake_transport_set_handler(e.fake, NULL, NULL);
    for (int i = 0; i < 5; i++) {
        sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
        SPS_CHECK_OK(sps_cenv_run(&e, &call));
        sps_aws_call_clean_up(&call);
    }
    sps_fake_transport_push(e.fake, 500, NULL, sps_cenv_ec2_internal);
    sps_fake_transport_push(e.fake, 200, NULL, sps_cenv_regions_ok);
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    SPS_CHECK_INT_EQ(call.attempts, 2);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static sps_err s_always_timeout(void *ctx, const struct sps_http_request *req,
                                struct sps_http_response *resp)
{
    return SPS_ERR_HTTP_TIMEOUT;
}

static void test_timeouts_cost_more_quota(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    struct sps_aws_client_options o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.retry.max_attempts = 1000;
    o.retry.base_delay_ms = 10;
    o.retry.max_backoff_ms = 40;
    sps_cenv_reclient(&e, &o);
    sps_fake_transport_set_handler(e.fake, s_always_timeout, NULL);
    struct sps_aws_call call;
    /* 10 units per timeout retry: 50 retries. */
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_AWS_RETRY_QUOTA);
    SPS_CHECK_INT_EQ(call.attempts, 51);
    SPS_CHECK_INT_EQ(call.error.http_status, 0);
    /* The knobs bound every wait: 5 + 10 + 20 + 47 * 20 at rand 0.5. */
    SPS_CHECK_INT_EQ(e.clock.slept_ms, 5 + 10 + 20 + 47 * 20);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

static void test_malformed_success_bodies(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    const char *bodies[] = {"this is not xml", "<DescribeRegionsResponse><regionInfo><item>",
                            "<a></b>"};
    struct sps_aws_call call;
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        sps_fake_transport_push(e.fake, 200, NULL, bodies[i]);
        SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_XML_MALFORMED);
        SPS_CHECK_INT_EQ(call.attempts, 1);
        SPS_CHECK_INT_EQ(call.error.http_status, 200);
        SPS_CHECK(sps_aws_call_result_node(&call) == NULL);
        sps_aws_call_clean_up(&call);
    }
    sps_fake_transport_push(e.fake, 200, NULL, "");
    SPS_CHECK_ERR(sps_cenv_run(&e, &call), SPS_ERR_UNEXPECTED_RESPONSE);
    sps_aws_call_clean_up(&call);
    sps_cenv_teardown(&e);
}

SPS_TEST_MAIN(SPS_CASE(test_client_new_validates_and_resolves),
              SPS_CASE(test_query_request_is_exact_and_signed),
              SPS_CASE(test_autoscaling_result_node), SPS_CASE(test_ec2_error_shape_not_retried),
              SPS_CASE(test_autoscaling_validation_error_not_retried),
              SPS_CASE(test_error_without_document), SPS_CASE(test_json_request_success_and_errors),
              SPS_CASE(test_json_operation_on_query_service_refused),
              SPS_CASE(test_throttling_then_success), SPS_CASE(test_jitter_stays_within_bound),
              SPS_CASE(test_retries_exhausted_keeps_last_error),
              SPS_CASE(test_max_attempts_from_env_and_options),
              SPS_CASE(test_transient_failures_then_success),
              SPS_CASE(test_fatal_transport_errors_not_retried), SPS_CASE(test_response_size_bound),
              SPS_CASE(test_expired_token_refetches_credentials_once),
              SPS_CASE(test_credentials_cached_until_near_expiry),
              SPS_CASE(test_clock_skew_retried_with_offset),
              SPS_CASE(test_request_expired_with_a_good_clock_is_expired_credentials), SPS_CASE(test_retry_quota_exhaustion),
              SPS_CASE(test_timeouts_cost_more_quota), SPS_CASE(test_malformed_success_bodies))
