/* Auto Scaling query builders, parameter by parameter: exact keys (`Instances.member.1`,
 * `Tags.member.1.Key`, `Filters.member.1.Values.member.1`), values, and nothing else sent. */
#include "sps_aws_autoscaling.h"
#include "sps_test.h"

/* The query holds exactly these key/value pairs (Action and Version included). */
static void s_expect(const struct sps_query *q, const char *const *pairs, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2) {
        const char *got = sps_query_get(q, pairs[i]);
        if (got == NULL || strcmp(got, pairs[i + 1]) != 0)
            sps_test_fail(__FILE__, __LINE__, "%s: got \"%s\", expected \"%s\"", pairs[i],
                          got ? got : "(absent)", pairs[i + 1]);
    }
    if (q->count != n / 2) {
        for (size_t i = 0; i < q->count; i++)
            fprintf(stderr, "  sent %s=%s\n", q->params[i].key, q->params[i].value);
        sps_test_fail(__FILE__, __LINE__, "%zu parameters sent, expected %zu", q->count, n / 2);
    }
}

#define S_EXPECT(q, ...)                                                                           \
    do {                                                                                           \
        static const char *const pairs_[] = {__VA_ARGS__};                                         \
        s_expect((q), pairs_, sizeof(pairs_) / sizeof(pairs_[0]));                                 \
    } while (0)

static void test_describe_groups(void)
{
    struct sps_query q;
    struct sps_aws_asg_describe_groups_input in = {0};
    sps_aws_asg_describe_groups_query(&q, &in);
    S_EXPECT(&q, "Action", "DescribeAutoScalingGroups", "Version", "2011-01-01", "MaxRecords",
             "100");
    sps_query_clean_up(&q);

    static const char *const names[] = {"web", "batch"};
    static const char *const spot[] = {"true"};
    static const char *const teams[] = {"a", "b c"};
    const struct sps_aws_asg_filter filters[] = {
        {"tag:spot-enabled", spot, 1}, {"tag-value", teams, 2}, {"tag-key", NULL, 0}};
    in = (struct sps_aws_asg_describe_groups_input){.names = names,
                                                    .name_count = 2,
                                                    .filters = filters,
                                                    .filter_count = 3,
                                                    .max_records = 7,
                                                    .next_token = "tok/en=="};
    sps_aws_asg_describe_groups_query(&q, &in);
    S_EXPECT(&q, "Action", "DescribeAutoScalingGroups", "Version", "2011-01-01",
             "AutoScalingGroupNames.member.1", "web", "AutoScalingGroupNames.member.2", "batch",
             "Filters.member.1.Name", "tag:spot-enabled", "Filters.member.1.Values.member.1",
             "true", "Filters.member.2.Name", "tag-value", "Filters.member.2.Values.member.1", "a",
             "Filters.member.2.Values.member.2", "b c", "Filters.member.3.Name", "tag-key",
             "MaxRecords", "7", "NextToken", "tok/en==");
    struct sps_buf body;
    sps_buf_init(&body, 4096);
    SPS_CHECK_OK(sps_query_encode(&q, &body));
    SPS_CHECK(strstr(body.data, "Filters.member.2.Values.member.2=b%20c") != NULL);
    SPS_CHECK(strstr(body.data, "NextToken=tok%2Fen%3D%3D") != NULL);
    sps_buf_clean_up(&body);
    sps_query_clean_up(&q);
}

static void test_describe_launch_configurations_hooks_activities(void)
{
    struct sps_query q;
    static const char *const names[] = {"web-lc", "old-lc"};
    struct sps_aws_asg_describe_launch_configurations_input lc = {.names = names, .name_count = 2};
    sps_aws_asg_describe_launch_configurations_query(&q, &lc);
    S_EXPECT(&q, "Action", "DescribeLaunchConfigurations", "Version", "2011-01-01",
             "LaunchConfigurationNames.member.1", "web-lc", "LaunchConfigurationNames.member.2",
             "old-lc", "MaxRecords", "100");
    sps_query_clean_up(&q);
    lc = (struct sps_aws_asg_describe_launch_configurations_input){.max_records = 50,
                                                                   .next_token = "n"};
    sps_aws_asg_describe_launch_configurations_query(&q, &lc);
    S_EXPECT(&q, "Action", "DescribeLaunchConfigurations", "Version", "2011-01-01", "MaxRecords",
             "50", "NextToken", "n");
    sps_query_clean_up(&q);

    sps_aws_asg_describe_lifecycle_hooks_query(&q, "batch");
    S_EXPECT(&q, "Action", "DescribeLifecycleHooks", "Version", "2011-01-01",
             "AutoScalingGroupName", "batch");
    sps_query_clean_up(&q);

    struct sps_aws_asg_describe_activities_input act = {.group_name = "web", .max_records = 5};
    sps_aws_asg_describe_activities_query(&q, &act);
    S_EXPECT(&q, "Action", "DescribeScalingActivities", "Version", "2011-01-01",
             "AutoScalingGroupName", "web", "MaxRecords", "5");
    sps_query_clean_up(&q);
    act = (struct sps_aws_asg_describe_activities_input){.next_token = "t"};
    sps_aws_asg_describe_activities_query(&q, &act);
    S_EXPECT(&q, "Action", "DescribeScalingActivities", "Version", "2011-01-01", "MaxRecords",
             "100", "NextToken", "t");
    sps_query_clean_up(&q);
}

static void test_instance_calls(void)
{
    static const char *const ids[] = {"i-0aaa", "i-0bbb"};
    struct sps_aws_asg_instances_input in = {.group_name = "web",
                                             .instance_ids = ids,
                                             .instance_count = 2,
                                             .should_decrement_desired_capacity = true,
                                             .protected_from_scale_in = true};
    struct sps_query q;
    sps_aws_asg_attach_instances_query(&q, &in);
    S_EXPECT(&q, "Action", "AttachInstances", "Version", "2011-01-01", "AutoScalingGroupName",
             "web", "InstanceIds.member.1", "i-0aaa", "InstanceIds.member.2", "i-0bbb");
    sps_query_clean_up(&q);

    sps_aws_asg_detach_instances_query(&q, &in);
    S_EXPECT(&q, "Action", "DetachInstances", "Version", "2011-01-01", "AutoScalingGroupName",
             "web", "InstanceIds.member.1", "i-0aaa", "InstanceIds.member.2", "i-0bbb",
             "ShouldDecrementDesiredCapacity", "true");
    sps_query_clean_up(&q);
    in.should_decrement_desired_capacity = false;
    in.instance_count = 1;
    sps_aws_asg_detach_instances_query(&q, &in);
    S_EXPECT(&q, "Action", "DetachInstances", "Version", "2011-01-01", "AutoScalingGroupName",
             "web", "InstanceIds.member.1", "i-0aaa", "ShouldDecrementDesiredCapacity", "false");
    sps_query_clean_up(&q);

    sps_aws_asg_set_instance_protection_query(&q, &in);
    S_EXPECT(&q, "Action", "SetInstanceProtection", "Version", "2011-01-01", "AutoScalingGroupName",
             "web", "InstanceIds.member.1", "i-0aaa", "ProtectedFromScaleIn", "true");
    sps_query_clean_up(&q);
    in.protected_from_scale_in = false;
    sps_aws_asg_set_instance_protection_query(&q, &in);
    SPS_CHECK_STR_EQ(sps_query_get(&q, "ProtectedFromScaleIn"), "false");
    sps_query_clean_up(&q);

    sps_aws_asg_terminate_instance_query(&q, "i-0ccc", true);
    S_EXPECT(&q, "Action", "TerminateInstanceInAutoScalingGroup", "Version", "2011-01-01",
             "InstanceId", "i-0ccc", "ShouldDecrementDesiredCapacity", "true");
    sps_query_clean_up(&q);
    sps_aws_asg_terminate_instance_query(&q, "i-0ccc", false);
    SPS_CHECK_STR_EQ(sps_query_get(&q, "ShouldDecrementDesiredCapacity"), "false");
    sps_query_clean_up(&q);
}

static void test_sizes(void)
{
    struct sps_query q;
    struct sps_aws_asg_update_input up = {.group_name = "web"};
    sps_aws_asg_update_group_query(&q, &up);
    S_EXPECT(&q, "Action", "UpdateAutoScalingGroup", "Version", "2011-01-01",
             "AutoScalingGroupName", "web");
    sps_query_clean_up(&q);
    up.set_max_size = true;
    up.max_size = 9;
    up.min_size = 4; /* not marked set: not sent */
    sps_aws_asg_update_group_query(&q, &up);
    S_EXPECT(&q, "Action", "UpdateAutoScalingGroup", "Version", "2011-01-01",
             "AutoScalingGroupName", "web", "MaxSize", "9");
    sps_query_clean_up(&q);
    up = (struct sps_aws_asg_update_input){.group_name = "web",
                                           .set_min_size = true,
                                           .min_size = 0,
                                           .set_max_size = true,
                                           .max_size = 12,
                                           .set_desired_capacity = true,
                                           .desired_capacity = 3};
    sps_aws_asg_update_group_query(&q, &up);
    S_EXPECT(&q, "Action", "UpdateAutoScalingGroup", "Version", "2011-01-01",
             "AutoScalingGroupName", "web", "MinSize", "0", "MaxSize", "12", "DesiredCapacity",
             "3");
    sps_query_clean_up(&q);

    sps_aws_asg_set_desired_capacity_query(&q, "web", 5, false);
    S_EXPECT(&q, "Action", "SetDesiredCapacity", "Version", "2011-01-01", "AutoScalingGroupName",
             "web", "DesiredCapacity", "5");
    sps_query_clean_up(&q);
    sps_aws_asg_set_desired_capacity_query(&q, "web", 0, true);
    S_EXPECT(&q, "Action", "SetDesiredCapacity", "Version", "2011-01-01", "AutoScalingGroupName",
             "web", "DesiredCapacity", "0", "HonorCooldown", "true");
    sps_query_clean_up(&q);
}

static void test_tags_and_processes(void)
{
    struct sps_aws_tags tags;
    sps_aws_tags_init(&tags);
    sps_aws_tags_set(&tags, "spot-enabled", "true", true);
    sps_aws_tags_set(&tags, "team", "", false);
    struct sps_query q;
    sps_aws_asg_create_or_update_tags_query(&q, "web", &tags);
    S_EXPECT(&q, "Action", "CreateOrUpdateTags", "Version", "2011-01-01",
             "Tags.member.1.ResourceId", "web", "Tags.member.1.ResourceType", "auto-scaling-group",
             "Tags.member.1.Key", "spot-enabled", "Tags.member.1.Value", "true",
             "Tags.member.1.PropagateAtLaunch", "true", "Tags.member.2.ResourceId", "web",
             "Tags.member.2.ResourceType", "auto-scaling-group", "Tags.member.2.Key", "team",
             "Tags.member.2.Value", "", "Tags.member.2.PropagateAtLaunch", "false");
    sps_query_clean_up(&q);
    sps_aws_tags_clean_up(&tags);

    static const char *const keys[] = {"spot-enabled"};
    sps_aws_asg_delete_tags_query(&q, "web", keys, 1);
    S_EXPECT(&q, "Action", "DeleteTags", "Version", "2011-01-01", "Tags.member.1.ResourceId", "web",
             "Tags.member.1.ResourceType", "auto-scaling-group", "Tags.member.1.Key",
             "spot-enabled");
    sps_query_clean_up(&q);

    static const char *const procs[] = {"Launch", "AZRebalance"};
    sps_aws_asg_suspend_processes_query(&q, "web", procs, 2);
    S_EXPECT(&q, "Action", "SuspendProcesses", "Version", "2011-01-01", "AutoScalingGroupName",
             "web", "ScalingProcesses.member.1", "Launch", "ScalingProcesses.member.2",
             "AZRebalance");
    sps_query_clean_up(&q);
    sps_aws_asg_resume_processes_query(&q, "web", procs + 1, 1);
    S_EXPECT(&q, "Action", "ResumeProcesses", "Version", "2011-01-01", "AutoScalingGroupName",
             "web", "ScalingProcesses.member.1", "AZRebalance");
    sps_query_clean_up(&q);
    /* no names: every process */
    sps_aws_asg_suspend_processes_query(&q, "web", NULL, 0);
    S_EXPECT(&q, "Action", "SuspendProcesses", "Version", "2011-01-01", "AutoScalingGroupName",
             "web");
    sps_query_clean_up(&q);
}

SPS_TEST_MAIN(SPS_CASE(test_describe_groups),
              SPS_CASE(test_describe_launch_configurations_hooks_activities),
              SPS_CASE(test_instance_calls), SPS_CASE(test_sizes),
              SPS_CASE(test_tags_and_processes))
