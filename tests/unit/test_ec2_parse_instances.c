/* Typed EC2 parsers for instances: DescribeInstances, RunInstances, TerminateInstances,
 * DescribeInstanceStatus, DescribeTags, on responses recorded from the simulated AWS
 * (tests/fixtures/ec2) and on real EC2 responses (tests/fixtures/xml, from libcloud); each
 * required field removed, bad values, empty lists, unknown elements. */
#include "ec2_test_util.h"

static sps_err s_instances(const struct sps_xml_node *r, void *out)
{
    return sps_aws_ec2_parse_describe_instances(r, out);
}
static sps_err s_run(const struct sps_xml_node *r, void *out)
{
    return sps_aws_ec2_parse_run_instances(r, out);
}
static sps_err s_terminate(const struct sps_xml_node *r, void *out)
{
    return sps_aws_ec2_parse_terminate_instances(r, out);
}
static sps_err s_status(const struct sps_xml_node *r, void *out)
{
    return sps_aws_ec2_parse_describe_instance_status(r, out);
}
static sps_err s_tags(const struct sps_xml_node *r, void *out)
{
    return sps_aws_ec2_parse_describe_tags(r, out);
}

static const struct sps_aws_ec2_instance *s_find(const struct sps_aws_ec2_instances *l,
                                                 const char *id)
{
    for (size_t i = 0; i < l->count; i++) {
        if (strcmp(l->items[i].instance_id, id) == 0)
            return &l->items[i];
    }
    return NULL;
}

static void test_describe_instances_from_the_fake(void)
{
    struct sps_aws_ec2_instances l = {0};
    SPS_CHECK_OK(ec2_parse_fixture("ec2/DescribeInstances.xml", s_instances, &l));
    SPS_CHECK_INT_EQ(l.count, 4);
    const struct sps_aws_ec2_instance *b = s_find(&l, "i-3965eda32dae44550");
    SPS_CHECK(b != NULL);
    SPS_CHECK_STR_EQ(b->reservation_id, "r-873ab48767734d7c1");
    SPS_CHECK_STR_EQ(b->instance_type, "t3.micro");
    SPS_CHECK_STR_EQ(b->state_name, "running");
    SPS_CHECK_INT_EQ(b->state_code, 16);
    SPS_CHECK_STR_EQ(b->lifecycle, "");
    SPS_CHECK_INT_EQ(b->launch_time_ms, 1795414106000LL); /* 2026-11-23T06:08:26Z */
    SPS_CHECK_STR_EQ(b->availability_zone, "us-east-1a");
    SPS_CHECK_STR_EQ(b->tenancy, "default");
    SPS_CHECK_STR_EQ(b->subnet_id, "subnet-0aaa");
    SPS_CHECK_STR_EQ(b->vpc_id, "vpc-8dda1494c73cf256d");
    SPS_CHECK_STR_EQ(b->image_id, "ami-0a1b2c3d4e5f60001");
    SPS_CHECK_STR_EQ(b->private_ip, "10.0.48.206");
    SPS_CHECK_STR_EQ(b->public_ip, "");
    SPS_CHECK_STR_EQ(b->architecture, "x86_64");
    SPS_CHECK_STR_EQ(b->virtualization_type, "hvm");
    SPS_CHECK_STR_EQ(b->platform_details, "Linux/UNIX");
    SPS_CHECK_STR_EQ(b->root_device_type, "ebs");
    SPS_CHECK_STR_EQ(b->root_device_name, "/dev/xvda");
    SPS_CHECK_INT_EQ(b->n_block_devices, 1);
    SPS_CHECK_STR_EQ(b->block_devices[0].device_name, "/dev/xvda");
    SPS_CHECK_STR_EQ(b->block_devices[0].volume_id, "vol-a79cb9e86830c71c2");
    SPS_CHECK(b->block_devices[0].delete_on_termination);
    SPS_CHECK(b->ebs_optimized && b->ena_support);
    SPS_CHECK_STR_EQ(b->monitoring_state, "disabled");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&b->tags, "Name"), "bastion");
    SPS_CHECK_INT_EQ(b->security_group_ids.count, 0);

    const struct sps_aws_ec2_instance *s = s_find(&l, "i-6fb710734986e86cb");
    SPS_CHECK(s != NULL);
    SPS_CHECK_STR_EQ(s->lifecycle, "spot");
    SPS_CHECK_STR_EQ(s->spot_instance_request_id, "sir-a7edcmpb");
    SPS_CHECK_STR_EQ(s->key_name, "ops");
    SPS_CHECK_STR_EQ(s->client_token, "rec-1");
    SPS_CHECK_STR_EQ(s->iam_instance_profile_arn, "arn:aws:iam::111111111111:instance-profile/app");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&s->tags, "spotswap:launched-for-asg"), "web");

    const struct sps_aws_ec2_instance *x = s_find(&l, "i-d97491e2370c6a5b8");
    SPS_CHECK(x != NULL);
    SPS_CHECK_STR_EQ(x->state_name, "shutting-down");
    SPS_CHECK_STR_EQ(x->state_reason_code, "Server.SpotInstanceTermination");
    SPS_CHECK_STR_EQ(x->state_reason_message,
                     "Server.SpotInstanceTermination: Spot instance termination");
    SPS_CHECK_STR_EQ(x->state_transition_reason,
                     "Spot instance termination (2026-11-24 06:09:57 GMT)");
    sps_aws_ec2_instances_clean_up(&l);
    sps_aws_ec2_instances_clean_up(&l); /* idempotent */
    sps_aws_ec2_instances_clean_up(NULL);
}

static void test_metadata_options(void)
{
    /* the fake does not report metadataOptions; this is the shape EC2 sends */
    struct sps_aws_ec2_instances l = {0};
    SPS_CHECK_OK(ec2_parse_mutated(
        "ec2/DescribeInstances.xml", "<monitoring>",
        "<metadataOptions><state>applied</state><httpTokens>required</httpTokens>"
        "<httpPutResponseHopLimit>2</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint>"
        "<httpProtocolIpv6>disabled</httpProtocolIpv6><instanceMetadataTags>enabled"
        "</instanceMetadataTags></metadataOptions><platform>windows</platform><monitoring>",
        s_instances, &l));
    const struct sps_aws_ec2_metadata_options *m = &l.items[0].metadata_options;
    SPS_CHECK_STR_EQ(m->http_tokens, "required");
    SPS_CHECK_INT_EQ(m->hop_limit, 2);
    SPS_CHECK_STR_EQ(m->http_endpoint, "enabled");
    SPS_CHECK_STR_EQ(m->instance_metadata_tags, "enabled");
    SPS_CHECK_STR_EQ(l.items[0].platform, "windows");
    SPS_CHECK_INT_EQ(l.items[1].metadata_options.hop_limit, 0);
    SPS_CHECK_STR_EQ(l.items[1].metadata_options.http_tokens, "");
    sps_aws_ec2_instances_clean_up(&l);
}

static void test_describe_instances_real_ec2(void)
{
    struct sps_aws_ec2_instances l = {0};
    SPS_CHECK_OK(ec2_parse_fixture("xml/DescribeInstances.xml", s_instances, &l));
    SPS_CHECK_INT_EQ(l.count, 2);
    const struct sps_aws_ec2_instance *a = &l.items[0];
    SPS_CHECK_STR_EQ(a->instance_id, "i-4382922a");
    SPS_CHECK_STR_EQ(a->reservation_id, "r-fd67fb97");
    SPS_CHECK_STR_EQ(a->state_name, "stopped");
    SPS_CHECK_INT_EQ(a->state_code, 80);
    SPS_CHECK_STR_EQ(a->key_name, "fauxkey");
    SPS_CHECK_STR_EQ(a->public_ip, "1.2.3.4");
    SPS_CHECK_STR_EQ(a->availability_zone, "us-east-1d");
    SPS_CHECK_INT_EQ(a->launch_time_ms, 1385985491000LL);
    SPS_CHECK_INT_EQ(a->security_group_ids.count, 2);
    SPS_CHECK_STR_EQ(a->security_group_ids.items[0], "sg-42916629");
    SPS_CHECK_STR_EQ(a->security_group_ids.items[1], "sg-42916628");
    SPS_CHECK_STR_EQ(a->state_reason_code, "Client.UserInitiatedShutdown");
    SPS_CHECK_STR_EQ(a->state_transition_reason, "User initiated (2014-01-11 14:39:31 GMT)");
    SPS_CHECK_STR_EQ(a->block_devices[0].volume_id, "vol-5e312311");
    const struct sps_aws_ec2_instance *b = &l.items[1];
    SPS_CHECK_STR_EQ(b->instance_id, "i-8474834a");
    SPS_CHECK(!b->block_devices[0].delete_on_termination);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&b->tags, "Group"), "VPC Test");
    sps_aws_ec2_instances_clean_up(&l);
}

static void test_run_instances(void)
{
    struct sps_aws_ec2_reservation r = {0};
    SPS_CHECK_OK(ec2_parse_fixture("ec2/RunInstances.spot.xml", s_run, &r));
    SPS_CHECK(r.reservation_id[0] == 'r');
    SPS_CHECK_INT_EQ(r.instances.count, 1);
    SPS_CHECK_STR_EQ(r.instances.items[0].lifecycle, "spot");
    SPS_CHECK_STR_EQ(r.instances.items[0].state_name, "pending");
    SPS_CHECK_STR_EQ(r.instances.items[0].reservation_id, r.reservation_id);
    SPS_CHECK_STR_EQ(r.instances.items[0].client_token, "rec-1");
    sps_aws_ec2_reservation_clean_up(&r);

    SPS_CHECK_OK(ec2_parse_fixture("xml/RunInstances.spot.xml", s_run, &r));
    SPS_CHECK_STR_EQ(r.reservation_id, "r-47a5402e");
    SPS_CHECK_STR_EQ(r.instances.items[0].instance_id, "i-2ba64344");
    SPS_CHECK_STR_EQ(r.instances.items[0].lifecycle, "spot");
    SPS_CHECK_STR_EQ(r.instances.items[0].availability_zone, "us-east-1b");
    sps_aws_ec2_reservation_clean_up(&r);

    SPS_CHECK_OK(ec2_parse_fixture("xml/RunInstances.xml", s_run, &r));
    SPS_CHECK_STR_EQ(r.instances.items[0].instance_id, "i-2ba64342");
    SPS_CHECK_STR_EQ(r.instances.items[0].lifecycle, "");
    sps_aws_ec2_reservation_clean_up(&r);
    sps_aws_ec2_reservation_clean_up(NULL);
}

static void test_run_instances_negative(void)
{
    struct sps_aws_ec2_reservation r = {0};
    SPS_CHECK_ERR(ec2_parse_mutated("xml/RunInstances.xml",
                                    "<reservationId>r-47a5402e</reservationId>", "", s_run, &r),
                  SPS_ERR_MISSING_FIELD);
    sps_aws_ec2_reservation_clean_up(&r);
    /* a reservation without instances is not what RunInstances answers */
    SPS_CHECK_ERR(ec2_parse_text("<RunInstancesResponse><reservationId>r-1</reservationId>"
                                 "<instancesSet/></RunInstancesResponse>",
                                 s_run, &r),
                  SPS_ERR_MISSING_FIELD);
    sps_aws_ec2_reservation_clean_up(&r);
}

/* Each required instance field removed, and each typed field corrupted. */
static void test_describe_instances_negative(void)
{
    static const struct {
        const char *from, *to;
        sps_err want;
    } cases[] = {
        {"<instanceId>i-4382922a</instanceId>", "", SPS_ERR_MISSING_FIELD},
        {"<instanceType>m1.small</instanceType>", "", SPS_ERR_MISSING_FIELD},
        {"<instanceId>i-4382922a</instanceId>", "<instanceId></instanceId>", SPS_ERR_MISSING_FIELD},
        {"<name>stopped</name>", "", SPS_ERR_MISSING_FIELD},
        {"<code>80</code>", "", SPS_ERR_MISSING_FIELD},
        {"<code>80</code>", "<code>eighty</code>", SPS_ERR_PARSE_NUMBER},
        {"<launchTime>2013-12-02T11:58:11.000Z</launchTime>", "", SPS_ERR_MISSING_FIELD},
        {"<launchTime>2013-12-02T11:58:11.000Z</launchTime>", "<launchTime>yesterday</launchTime>",
         SPS_ERR_PARSE_TIME},
        {"<reservationId>r-fd67fb97</reservationId>", "", SPS_ERR_MISSING_FIELD},
        {"<deleteOnTermination>true</deleteOnTermination>",
         "<deleteOnTermination>yes</deleteOnTermination>", SPS_ERR_UNEXPECTED_RESPONSE},
        {"<deviceName>/dev/sda1</deviceName>", "", SPS_ERR_MISSING_FIELD},
        {"<key>Name</key>", "", SPS_ERR_MISSING_FIELD},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sps_aws_ec2_instances l = {0};
        sps_err err = ec2_parse_mutated("xml/DescribeInstances.xml", cases[i].from, cases[i].to,
                                        s_instances, &l);
        if (err != cases[i].want)
            sps_test_fail(__FILE__, __LINE__, "case %zu (%s): got %s", i, cases[i].from,
                          sps_error_name(err));
        sps_aws_ec2_instances_clean_up(&l);
    }
    struct sps_aws_ec2_instances l = {0};
    SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeInstances.xml", "<ebsOptimized>true",
                                    "<ebsOptimized>1", s_instances, &l),
                  SPS_ERR_UNEXPECTED_RESPONSE);
    sps_aws_ec2_instances_clean_up(&l);
    SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeInstances.xml", "<monitoring>",
                                    "<metadataOptions><httpPutResponseHopLimit>two"
                                    "</httpPutResponseHopLimit></metadataOptions><monitoring>",
                                    s_instances, &l),
                  SPS_ERR_PARSE_NUMBER);
    sps_aws_ec2_instances_clean_up(&l);
}

static void test_describe_instances_empty_and_unknown(void)
{
    struct sps_aws_ec2_instances l = {0};
    SPS_CHECK_OK(ec2_parse_text("<DescribeInstancesResponse><reservationSet/>"
                                "</DescribeInstancesResponse>",
                                s_instances, &l));
    SPS_CHECK_INT_EQ(l.count, 0);
    SPS_CHECK_OK(ec2_parse_text("<DescribeInstancesResponse/>", s_instances, &l));
    SPS_CHECK_INT_EQ(l.count, 0);
    /* elements a newer API adds are ignored */
    SPS_CHECK_OK(ec2_parse_mutated("xml/DescribeInstances.xml",
                                   "<instanceId>i-4382922a</instanceId>",
                                   "<instanceId>i-4382922a</instanceId><futureThing><item>x</item>"
                                   "</futureThing>",
                                   s_instances, &l));
    SPS_CHECK_INT_EQ(l.count, 2);
    /* pages append */
    SPS_CHECK_OK(ec2_parse_fixture("xml/DescribeInstances.xml", s_instances, &l));
    SPS_CHECK_INT_EQ(l.count, 4);
    sps_aws_ec2_instances_clean_up(&l);
}

static void test_terminate_instances(void)
{
    struct sps_aws_ec2_state_changes c = {0};
    SPS_CHECK_OK(ec2_parse_fixture("ec2/TerminateInstances.xml", s_terminate, &c));
    SPS_CHECK_INT_EQ(c.count, 1);
    SPS_CHECK_STR_EQ(c.items[0].instance_id, "i-6fb710734986e86cb");
    SPS_CHECK_STR_EQ(c.items[0].previous_state, "running");
    SPS_CHECK_INT_EQ(c.items[0].previous_code, 16);
    SPS_CHECK_STR_EQ(c.items[0].current_state, "shutting-down");
    SPS_CHECK_INT_EQ(c.items[0].current_code, 32);
    sps_aws_ec2_state_changes_clean_up(&c);
    /* the older shape libcloud recorded: <shutdownState> */
    SPS_CHECK_OK(ec2_parse_fixture("xml/TerminateInstances.xml", s_terminate, &c));
    SPS_CHECK_STR_EQ(c.items[0].instance_id, "i-4382922a");
    SPS_CHECK_STR_EQ(c.items[0].current_state, "shutting-down");
    SPS_CHECK_INT_EQ(c.items[0].current_code, 32);
    sps_aws_ec2_state_changes_clean_up(&c);

    static const char *const missing[] = {"<instanceId>i-6fb710734986e86cb</instanceId>",
                                          "<name>running</name>", "<code>16</code>",
                                          "<name>shutting-down</name>", "<code>32</code>"};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        SPS_CHECK_ERR(
            ec2_parse_mutated("ec2/TerminateInstances.xml", missing[i], "", s_terminate, &c),
            SPS_ERR_MISSING_FIELD);
        sps_aws_ec2_state_changes_clean_up(&c);
    }
    SPS_CHECK_ERR(ec2_parse_mutated("ec2/TerminateInstances.xml", "<code>32</code>",
                                    "<code>3.2</code>", s_terminate, &c),
                  SPS_ERR_PARSE_NUMBER);
    sps_aws_ec2_state_changes_clean_up(&c);
    sps_aws_ec2_state_changes_clean_up(NULL);
}

static void test_instance_status(void)
{
    struct sps_aws_ec2_instance_statuses s = {0};
    SPS_CHECK_OK(ec2_parse_fixture("ec2/DescribeInstanceStatus.xml", s_status, &s));
    SPS_CHECK_INT_EQ(s.count, 4);
    SPS_CHECK_STR_EQ(s.items[0].instance_id, "i-3965eda32dae44550");
    SPS_CHECK_STR_EQ(s.items[0].availability_zone, "us-east-1a");
    SPS_CHECK_STR_EQ(s.items[0].state_name, "running");
    SPS_CHECK_INT_EQ(s.items[0].state_code, 16);
    SPS_CHECK_STR_EQ(s.items[0].instance_status, "ok");
    SPS_CHECK_STR_EQ(s.items[0].system_status, "ok");
    SPS_CHECK_INT_EQ(s.items[0].n_events, 0);
    SPS_CHECK_STR_EQ(s.items[3].instance_status, "not-applicable");
    SPS_CHECK_STR_EQ(s.items[3].state_name, "shutting-down");
    sps_aws_ec2_instance_statuses_clean_up(&s);

    /* scheduled events, as in the AWS API reference's example response */
    SPS_CHECK_OK(ec2_parse_fixture("ec2/DescribeInstanceStatus.events.xml", s_status, &s));
    SPS_CHECK_INT_EQ(s.count, 2);
    SPS_CHECK_STR_EQ(s.items[0].instance_status, "impaired");
    SPS_CHECK_STR_EQ(s.items[0].system_status, "impaired");
    SPS_CHECK_INT_EQ(s.items[0].n_events, 1);
    SPS_CHECK_STR_EQ(s.items[0].events[0].code, "instance-retirement");
    SPS_CHECK_INT_EQ(s.items[0].events[0].not_before_ms, 1296009000000LL);
    SPS_CHECK_STR_EQ(s.items[1].instance_status, "initializing");
    sps_aws_ec2_instance_statuses_clean_up(&s);

    static const char *const missing[] = {"<instanceId>i-1a2b3c4d</instanceId>",
                                          "<name>running</name>", "<code>16</code>",
                                          "<code>instance-retirement</code>"};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeInstanceStatus.events.xml", missing[i], "",
                                        s_status, &s),
                      SPS_ERR_MISSING_FIELD);
        sps_aws_ec2_instance_statuses_clean_up(&s);
    }
    SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeInstanceStatus.events.xml",
                                    "<notBefore>2011-01-26T02:30:00.000Z",
                                    "<notBefore>2011-13-26T02:30:00.000Z", s_status, &s),
                  SPS_ERR_PARSE_TIME);
    sps_aws_ec2_instance_statuses_clean_up(&s);
    sps_aws_ec2_instance_statuses_clean_up(NULL);
}

static void test_describe_tags(void)
{
    struct sps_aws_ec2_tag_descriptions t = {0};
    SPS_CHECK_OK(ec2_parse_fixture("ec2/DescribeTags.xml", s_tags, &t));
    SPS_CHECK_INT_EQ(t.count, 3);
    SPS_CHECK_STR_EQ(t.items[2].resource_id, "i-6fb710734986e86cb");
    SPS_CHECK_STR_EQ(t.items[2].resource_type, "instance");
    SPS_CHECK_STR_EQ(t.items[2].key, "spotswap:launched-for-asg");
    SPS_CHECK_STR_EQ(t.items[2].value, "web");
    sps_aws_ec2_tag_descriptions_clean_up(&t);
    SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeTags.xml", "<key>Name</key>", "", s_tags, &t),
                  SPS_ERR_MISSING_FIELD);
    sps_aws_ec2_tag_descriptions_clean_up(&t);
    SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeTags.xml",
                                    "<resourceId>i-3965eda32dae44550</resourceId>", "", s_tags, &t),
                  SPS_ERR_MISSING_FIELD);
    sps_aws_ec2_tag_descriptions_clean_up(&t);
    /* an empty value is a value */
    SPS_CHECK_OK(ec2_parse_mutated("ec2/DescribeTags.xml", "<value>bastion</value>", "<value/>",
                                   s_tags, &t));
    SPS_CHECK_STR_EQ(t.items[0].value, "");
    sps_aws_ec2_tag_descriptions_clean_up(&t);
    sps_aws_ec2_tag_descriptions_clean_up(NULL);
}

SPS_TEST_MAIN(SPS_CASE(test_describe_instances_from_the_fake),
              SPS_CASE(test_describe_instances_real_ec2), SPS_CASE(test_metadata_options),
              SPS_CASE(test_run_instances), SPS_CASE(test_run_instances_negative),
              SPS_CASE(test_describe_instances_negative),
              SPS_CASE(test_describe_instances_empty_and_unknown),
              SPS_CASE(test_terminate_instances), SPS_CASE(test_instance_status),
              SPS_CASE(test_describe_tags))
