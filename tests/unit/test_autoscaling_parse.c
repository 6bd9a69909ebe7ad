/* Parsing DescribeLaunchConfigurations, DescribeLifecycleHooks, DescribeScalingActivities,
 * DetachInstances and TerminateInstanceInAutoScalingGroup results: fake recordings, documented
 * examples, hand-written full responses, and each required field missing or malformed. */
#include "autoscaling_fixture.h"

static sps_err s_lcs(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_describe_launch_configurations(result, out);
}

static sps_err s_hooks(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_describe_lifecycle_hooks(result, out);
}

static sps_err s_activities(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_describe_activities(result, out);
}

static sps_err s_detach(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_detach_instances(result, out);
}

static sps_err s_terminate(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_terminate_instance(result, out);
}

/* Parses a variant into a fresh result of the kind `parse` fills, then frees it. */
static void s_expect(asg_parse_fn parse, const char *fixture, const char *element, const char *text,
                     sps_err expected)
{
    struct sps_aws_asg_launch_configurations lcs;
    struct sps_aws_asg_lifecycle_hooks hooks;
    struct sps_aws_asg_activities acts;
    struct sps_aws_asg_activity act;
    sps_aws_asg_launch_configurations_init(&lcs);
    sps_aws_asg_lifecycle_hooks_init(&hooks);
    sps_aws_asg_activities_init(&acts);
    memset(&act, 0, sizeof(act));
    void *out = parse == s_lcs         ? (void *)&lcs
                : parse == s_hooks     ? (void *)&hooks
                : parse == s_terminate ? (void *)&act
                                       : (void *)&acts;
    sps_err err = asg_parse_variant(fixture, element, text, parse, out);
    if (err != expected)
        sps_test_fail(__FILE__, __LINE__, "%s <%s> %s: got %s, expected %s", fixture, element,
                      text ? text : "(removed)", sps_error_name(err), sps_error_name(expected));
    sps_aws_asg_launch_configurations_clean_up(&lcs);
    sps_aws_asg_lifecycle_hooks_clean_up(&hooks);
    sps_aws_asg_activities_clean_up(&acts);
    sps_aws_asg_activity_clean_up(&act);
}

static void test_launch_configuration_recorded_and_documented(void)
{
    struct sps_aws_asg_launch_configurations l;
    sps_aws_asg_launch_configurations_init(&l);
    SPS_CHECK_OK(asg_parse_fixture("describe_launch_configurations.xml", s_lcs, &l));
    SPS_CHECK_INT_EQ(l.count, 1);
    const struct sps_aws_asg_launch_configuration *lc =
        sps_aws_asg_launch_configurations_find(&l, "web-lc");
    SPS_CHECK(lc != NULL);
    SPS_CHECK_STR_EQ(lc->image_id, "ami-0a1b2c3d4e5f60001");
    SPS_CHECK_STR_EQ(lc->instance_type, "m5.large");
    SPS_CHECK(lc->key_name == NULL); /* <KeyName></KeyName> is no key */
    SPS_CHECK(lc->user_data == NULL);
    SPS_CHECK(lc->kernel_id == NULL);
    SPS_CHECK_INT_EQ(lc->security_groups.count, 0);
    SPS_CHECK_INT_EQ(lc->block_device_count, 0);
    SPS_CHECK_INT_EQ(lc->instance_monitoring, SPS_AWS_ASG_FALSE);
    SPS_CHECK_INT_EQ(lc->associate_public_ip_address, SPS_AWS_ASG_UNSET);
    SPS_CHECK(!lc->has_spot_price);
    SPS_CHECK(!lc->ebs_optimized);
    SPS_CHECK(lc->iam_instance_profile == NULL);
    SPS_CHECK(lc->metadata_http_tokens == NULL);
    SPS_CHECK_INT_EQ(lc->metadata_hop_limit, 0);
    SPS_CHECK_INT_EQ(lc->created_time, 1792908213000LL);
    SPS_CHECK(sps_aws_asg_launch_configurations_find(&l, "other") == NULL);

    SPS_CHECK_OK(asg_parse_fixture("describe_launch_configurations_doc.xml", s_lcs, &l));
    SPS_CHECK_INT_EQ(l.count, 2);
    lc = sps_aws_asg_launch_configurations_find(&l, "my-launch-config");
    SPS_CHECK(lc != NULL);
    SPS_CHECK_INT_EQ(lc->associate_public_ip_address, SPS_AWS_ASG_TRUE);
    SPS_CHECK_INT_EQ(lc->instance_monitoring, SPS_AWS_ASG_TRUE);
    SPS_CHECK_STR_EQ(lc->security_groups.items[0], "sg-67ef0308");
    SPS_CHECK_INT_EQ(lc->created_time, 1399484368599LL);
    sps_aws_asg_launch_configurations_clean_up(&l);
    sps_aws_asg_launch_configurations_clean_up(NULL);
    sps_aws_asg_launch_configuration_clean_up(NULL);
}

static void test_launch_configuration_every_member(void)
{
    struct sps_aws_asg_launch_configurations l;
    sps_aws_asg_launch_configurations_init(&l);
    SPS_CHECK_OK(asg_parse_fixture("describe_launch_configurations_full.xml", s_lcs, &l));
    SPS_CHECK_STR_EQ(l.next_token, "lc-next");
    const struct sps_aws_asg_launch_configuration *lc = &l.items[0];
    SPS_CHECK_STR_EQ(lc->name, "web-lc-v2");
    SPS_CHECK(strstr(lc->arn, "launchConfigurationName/web-lc-v2") != NULL);
    SPS_CHECK_STR_EQ(lc->key_name, "ops-key");
    SPS_CHECK_INT_EQ(lc->security_groups.count, 2);
    SPS_CHECK_STR_EQ(lc->security_groups.items[1], "sg-0fedcba9876543210");
    SPS_CHECK_STR_EQ(lc->user_data, "IyEvYmluL2Jhc2gKZWNobyBoZWxsbw==");
    SPS_CHECK_STR_EQ(lc->instance_type, "m5.xlarge");
    SPS_CHECK_STR_EQ(lc->kernel_id, "aki-12345678");
    SPS_CHECK_STR_EQ(lc->ramdisk_id, "ari-12345678");
    SPS_CHECK_INT_EQ(lc->block_device_count, 3);
    const struct sps_aws_asg_block_device *root = &lc->block_devices[0];
    SPS_CHECK_STR_EQ(root->device_name, "/dev/xvda");
    SPS_CHECK(root->has_ebs);
    SPS_CHECK_STR_EQ(root->ebs.snapshot_id, "snap-0123456789abcdef0");
    SPS_CHECK_INT_EQ(root->ebs.volume_size, 50);
    SPS_CHECK_STR_EQ(root->ebs.volume_type, "gp3");
    SPS_CHECK_INT_EQ(root->ebs.delete_on_termination, SPS_AWS_ASG_TRUE);
    SPS_CHECK_INT_EQ(root->ebs.iops, 3000);
    SPS_CHECK_INT_EQ(root->ebs.throughput, 250);
    SPS_CHECK_INT_EQ(root->ebs.encrypted, SPS_AWS_ASG_FALSE);
    SPS_CHECK(!root->no_device);
    SPS_CHECK_STR_EQ(lc->block_devices[1].virtual_name, "ephemeral0");
    SPS_CHECK(!lc->block_devices[1].has_ebs);
    SPS_CHECK_INT_EQ(lc->block_devices[1].ebs.delete_on_termination, SPS_AWS_ASG_UNSET);
    SPS_CHECK(lc->block_devices[2].no_device);
    SPS_CHECK_INT_EQ(lc->instance_monitoring, SPS_AWS_ASG_TRUE);
    SPS_CHECK(lc->has_spot_price);
    SPS_CHECK(lc->spot_price > 0.1199 && lc->spot_price < 0.1201);
    SPS_CHECK_STR_EQ(lc->iam_instance_profile, "arn:aws:iam::123456789012:instance-profile/web");
    SPS_CHECK(lc->ebs_optimized);
    SPS_CHECK_INT_EQ(lc->associate_public_ip_address, SPS_AWS_ASG_FALSE);
    SPS_CHECK_STR_EQ(lc->placement_tenancy, "dedicated");
    SPS_CHECK_STR_EQ(lc->metadata_http_tokens, "required");
    SPS_CHECK_INT_EQ(lc->metadata_hop_limit, 2);
    SPS_CHECK_STR_EQ(lc->metadata_http_endpoint, "enabled");
    sps_aws_asg_launch_configurations_clean_up(&l);
}

static void test_launch_configuration_negative(void)
{
    static const char *const required[] = {"LaunchConfigurations",
                                           "LaunchConfigurationName",
                                           "ImageId",
                                           "InstanceType",
                                           "CreatedTime",
                                           "DeviceName"};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        s_expect(s_lcs, "describe_launch_configurations_full.xml", required[i], NULL,
                 SPS_ERR_MISSING_FIELD);
    s_expect(s_lcs, "describe_launch_configurations_full.xml", "ImageId", "",
             SPS_ERR_MISSING_FIELD);
    static const struct {
        const char *element, *text;
        sps_err expected;
    } bad[] = {
        {"CreatedTime", "2014-13-45T00:00:00Z", SPS_ERR_PARSE_TIME},
        {"VolumeSize", "big", SPS_ERR_PARSE_NUMBER},
        {"Iops", "3k", SPS_ERR_PARSE_NUMBER},
        {"Throughput", "fast", SPS_ERR_PARSE_NUMBER},
        {"DeleteOnTermination", "sure", SPS_ERR_UNEXPECTED_RESPONSE},
        {"Encrypted", "no", SPS_ERR_UNEXPECTED_RESPONSE},
        {"NoDevice", "1", SPS_ERR_UNEXPECTED_RESPONSE},
        {"Enabled", "on", SPS_ERR_UNEXPECTED_RESPONSE},
        {"SpotPrice", "$0.12", SPS_ERR_PARSE_NUMBER},
        {"EbsOptimized", "False", SPS_ERR_UNEXPECTED_RESPONSE},
        {"AssociatePublicIpAddress", "maybe", SPS_ERR_UNEXPECTED_RESPONSE},
        {"HttpPutResponseHopLimit", "two", SPS_ERR_PARSE_NUMBER},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        s_expect(s_lcs, "describe_launch_configurations_full.xml", bad[i].element, bad[i].text,
                 bad[i].expected);
    static const char *const optional[] = {"LaunchConfigurationARN", "KeyName",
                                           "SecurityGroups",         "UserData",
                                           "BlockDeviceMappings",    "Ebs",
                                           "InstanceMonitoring",     "SpotPrice",
                                           "MetadataOptions",        "AssociatePublicIpAddress"};
    for (size_t i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
        s_expect(s_lcs, "describe_launch_configurations_full.xml", optional[i], NULL, SPS_OK);
}

static void test_lifecycle_hooks(void)
{
    struct sps_aws_asg_lifecycle_hooks h;
    sps_aws_asg_lifecycle_hooks_init(&h);
    SPS_CHECK_OK(asg_parse_fixture("describe_lifecycle_hooks.xml", s_hooks, &h));
    SPS_CHECK_INT_EQ(h.count, 1);
    SPS_CHECK_STR_EQ(h.items[0].name, "drain");
    SPS_CHECK_STR_EQ(h.items[0].group_name, "batch");
    SPS_CHECK_INT_EQ(h.items[0].transition, SPS_AWS_ASG_TRANSITION_TERMINATING);
    SPS_CHECK_STR_EQ(h.items[0].transition_raw, "autoscaling:EC2_INSTANCE_TERMINATING");
    SPS_CHECK_INT_EQ(h.items[0].heartbeat_timeout, 300);
    SPS_CHECK_INT_EQ(h.items[0].global_timeout, 30000);
    SPS_CHECK_STR_EQ(h.items[0].default_result, "CONTINUE");
    SPS_CHECK(h.items[0].notification_target_arn == NULL);

    SPS_CHECK_OK(asg_parse_text(
        "<R><DescribeLifecycleHooksResult><LifecycleHooks>"
        "<member><LifecycleHookName>warm</LifecycleHookName>"
        "<LifecycleTransition>autoscaling:EC2_INSTANCE_LAUNCHING</LifecycleTransition>"
        "<NotificationTargetARN>arn:aws:sqs:us-east-1:123456789012:hooks</NotificationTargetARN>"
        "<RoleARN>arn:aws:iam::123456789012:role/hooks</RoleARN>"
        "<DefaultResult>ABANDON</DefaultResult></member>"
        "<member><LifecycleHookName>future</LifecycleHookName>"
        "<LifecycleTransition>autoscaling:EC2_INSTANCE_WARMING</LifecycleTransition></member>"
        "</LifecycleHooks></DescribeLifecycleHooksResult></R>",
        s_hooks, &h));
    SPS_CHECK_INT_EQ(h.count, 3);
    SPS_CHECK_INT_EQ(h.items[1].transition, SPS_AWS_ASG_TRANSITION_LAUNCHING);
    SPS_CHECK_INT_EQ(h.items[1].heartbeat_timeout, 0);
    SPS_CHECK_STR_EQ(h.items[1].notification_target_arn,
                     "arn:aws:sqs:us-east-1:123456789012:hooks");
    SPS_CHECK_STR_EQ(h.items[1].role_arn, "arn:aws:iam::123456789012:role/hooks");
    SPS_CHECK_STR_EQ(h.items[1].default_result, "ABANDON");
    SPS_CHECK_INT_EQ(h.items[2].transition, SPS_AWS_ASG_TRANSITION_UNKNOWN);
    SPS_CHECK_STR_EQ(h.items[2].transition_raw, "autoscaling:EC2_INSTANCE_WARMING");
    sps_aws_asg_lifecycle_hooks_clean_up(&h);
    sps_aws_asg_lifecycle_hooks_clean_up(NULL);

    SPS_CHECK_OK(asg_parse_text("<R><X><LifecycleHooks/></X></R>", s_hooks, &h));
    SPS_CHECK_INT_EQ(h.count, 0);
    static const char *const required[] = {"LifecycleHooks", "LifecycleHookName",
                                           "LifecycleTransition"};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        s_expect(s_hooks, "describe_lifecycle_hooks.xml", required[i], NULL, SPS_ERR_MISSING_FIELD);
    s_expect(s_hooks, "describe_lifecycle_hooks.xml", "HeartbeatTimeout", "5m",
             SPS_ERR_PARSE_NUMBER);
    s_expect(s_hooks, "describe_lifecycle_hooks.xml", "GlobalTimeout", "", SPS_ERR_PARSE_NUMBER);
    s_expect(s_hooks, "describe_lifecycle_hooks.xml", "HeartbeatTimeout", NULL, SPS_OK);
}

static void test_activities(void)
{
    struct sps_aws_asg_activity a;
    SPS_CHECK_OK(asg_parse_fixture("terminate_instance.xml", s_terminate, &a));
    SPS_CHECK_STR_EQ(a.activity_id, "50545214-b0af-b81e-8824-918818fd64f7");
    SPS_CHECK_STR_EQ(a.group_name, "batch");
    SPS_CHECK_STR_EQ(a.description, "Terminating EC2 instance: i-1b64ce4228c38fb29");
    SPS_CHECK(strstr(a.cause, "user request") != NULL);
    SPS_CHECK_INT_EQ(a.start_time, 1795500213000LL);
    SPS_CHECK_INT_EQ(a.end_time, 0);
    SPS_CHECK_STR_EQ(a.status_code, "InProgress");
    SPS_CHECK_INT_EQ(a.progress, 50);
    SPS_CHECK_STR_EQ(a.details, "{}");
    SPS_CHECK(a.status_message == NULL);
    sps_aws_asg_activity_clean_up(&a);
    sps_aws_asg_activity_clean_up(NULL);

    struct sps_aws_asg_activities l;
    sps_aws_asg_activities_init(&l);
    SPS_CHECK_OK(asg_parse_fixture("detach_instances.xml", s_detach, &l));
    SPS_CHECK_INT_EQ(l.count, 1);
    SPS_CHECK_STR_EQ(l.items[0].status_code, "Successful");
    SPS_CHECK_INT_EQ(l.items[0].end_time, 1795500213000LL);
    SPS_CHECK_OK(asg_parse_fixture("detach_instances_doc.xml", s_detach, &l));
    SPS_CHECK_INT_EQ(l.count, 2);
    SPS_CHECK_STR_EQ(l.items[1].description, "Detaching EC2 instance: i-93633f9b");
    SPS_CHECK_INT_EQ(l.items[1].start_time, 1428850936179LL);
    sps_aws_asg_activities_clean_up(&l);

    SPS_CHECK_OK(asg_parse_fixture("describe_scaling_activities.xml", s_activities, &l));
    SPS_CHECK_INT_EQ(l.count, 2);
    SPS_CHECK(l.next_token == NULL);
    SPS_CHECK(strncmp(l.items[0].description, "Launching", 9) == 0);
    sps_aws_asg_activities_clean_up(&l);
    sps_aws_asg_activities_clean_up(NULL);
    SPS_CHECK_OK(
        asg_parse_text("<R><X><Activities/><NextToken>more</NextToken></X></R>", s_activities, &l));
    SPS_CHECK_INT_EQ(l.count, 0);
    SPS_CHECK_STR_EQ(l.next_token, "more");
    sps_aws_asg_activities_clean_up(&l);
}

static void test_activities_negative(void)
{
    static const char *const required[] = {"ActivityId", "AutoScalingGroupName", "Cause",
                                           "StartTime", "StatusCode"};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        s_expect(s_terminate, "terminate_instance.xml", required[i], NULL, SPS_ERR_MISSING_FIELD);
        s_expect(s_detach, "detach_instances_doc.xml", required[i], NULL, SPS_ERR_MISSING_FIELD);
        s_expect(s_activities, "describe_scaling_activities.xml", required[i], NULL,
                 SPS_ERR_MISSING_FIELD);
    }
    s_expect(s_terminate, "terminate_instance.xml", "Activity", NULL, SPS_ERR_MISSING_FIELD);
    s_expect(s_detach, "detach_instances.xml", "Activities", NULL, SPS_ERR_MISSING_FIELD);
    s_expect(s_activities, "describe_scaling_activities.xml", "Activities", NULL,
             SPS_ERR_MISSING_FIELD);
    s_expect(s_terminate, "terminate_instance.xml", "StartTime", "now", SPS_ERR_PARSE_TIME);
    s_expect(s_detach, "detach_instances.xml", "EndTime", "later", SPS_ERR_PARSE_TIME);
    s_expect(s_activities, "describe_scaling_activities.xml", "Progress", "half",
             SPS_ERR_PARSE_NUMBER);
    s_expect(s_terminate, "terminate_instance.xml", "StatusCode", "", SPS_ERR_MISSING_FIELD);
    s_expect(s_terminate, "terminate_instance.xml", "Description", NULL, SPS_OK);
}

SPS_TEST_MAIN(SPS_CASE(test_launch_configuration_recorded_and_documented),
              SPS_CASE(test_launch_configuration_every_member),
              SPS_CASE(test_launch_configuration_negative), SPS_CASE(test_lifecycle_hooks),
              SPS_CASE(test_activities), SPS_CASE(test_activities_negative))
