/* DescribeAutoScalingGroups parsing: responses recorded from the fake, AWS's documented example,
 * a hand-written response using every member, and every required field missing or malformed. */
#include "autoscaling_fixture.h"

static sps_err s_parse(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_describe_groups(result, out);
}

static void test_recorded_groups_of_each_launch_kind(void)
{
    struct sps_aws_asg_groups g;
    sps_aws_asg_groups_init(&g);
    SPS_CHECK_OK(asg_parse_fixture("describe_groups.xml", s_parse, &g));
    SPS_CHECK_INT_EQ(g.count, 4);
    SPS_CHECK(g.next_token == NULL);

    const struct sps_aws_asg_group *web = sps_aws_asg_groups_find(&g, "web");
    SPS_CHECK(web != NULL);
    SPS_CHECK_STR_EQ(web->launch_configuration_name, "web-lc");
    SPS_CHECK(!sps_aws_asg_launch_template_present(&web->launch_template));
    SPS_CHECK(!web->mixed_instances_policy.present);
    SPS_CHECK_INT_EQ(web->min_size, 1);
    SPS_CHECK_INT_EQ(web->max_size, 3);
    SPS_CHECK_INT_EQ(web->desired_capacity, 2);
    SPS_CHECK_INT_EQ(web->default_cooldown, 300);
    SPS_CHECK_STR_EQ(web->health_check_type, "EC2");
    SPS_CHECK_INT_EQ(web->health_check_grace_period, 300);
    SPS_CHECK_INT_EQ(web->created_time, 1794895413000LL);
    SPS_CHECK_INT_EQ(web->availability_zones.count, 2);
    SPS_CHECK_STR_EQ(web->availability_zones.items[1], "us-east-1b");
    SPS_CHECK_STR_EQ(web->vpc_zone_identifier, "subnet-ac123b1,subnet-b612dd2");
    SPS_CHECK_INT_EQ(web->subnet_ids.count, 2);
    SPS_CHECK_STR_EQ(web->subnet_ids.items[0], "subnet-ac123b1");
    SPS_CHECK_STR_EQ(web->subnet_ids.items[1], "subnet-b612dd2");
    SPS_CHECK_INT_EQ(web->instance_count, 2);
    const struct sps_aws_asg_instance *m = &web->instances[0];
    SPS_CHECK_STR_EQ(m->instance_id, "i-0658cda1495e60af5");
    SPS_CHECK_STR_EQ(m->instance_type, "m5.large");
    SPS_CHECK_STR_EQ(m->availability_zone, "us-east-1a");
    SPS_CHECK_INT_EQ(m->lifecycle_state, SPS_AWS_ASG_STATE_IN_SERVICE);
    SPS_CHECK_STR_EQ(m->lifecycle_state_raw, "InService");
    SPS_CHECK_STR_EQ(m->health_status, "Healthy");
    SPS_CHECK(!m->protected_from_scale_in);
    SPS_CHECK_STR_EQ(m->launch_configuration_name, "web-lc");
    SPS_CHECK_INT_EQ(m->weighted_capacity, 0);
    SPS_CHECK(sps_aws_asg_group_find_instance(web, "i-64a23d5962217bead") == &web->instances[1]);
    SPS_CHECK(sps_aws_asg_group_find_instance(web, "i-nope") == NULL);
    SPS_CHECK_INT_EQ(web->tags.count, 1);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&web->tags, "spot-enabled"), "true");
    SPS_CHECK(web->tags.items[0].propagate_at_launch);
    SPS_CHECK_INT_EQ(web->suspended_processes.count, 0);
    SPS_CHECK_INT_EQ(web->target_group_arns.count, 0);
    SPS_CHECK_INT_EQ(web->termination_policies.count, 1);
    SPS_CHECK_STR_EQ(web->termination_policies.items[0], "Default");
    SPS_CHECK(web->status == NULL);
    SPS_CHECK(!web->has_warm_pool);
    SPS_CHECK(web->service_linked_role_arn != NULL);
    SPS_CHECK(strstr(web->arn, ":autoScalingGroupName/web") != NULL);

    const struct sps_aws_asg_group *batch = sps_aws_asg_groups_find(&g, "batch");
    SPS_CHECK(batch != NULL);
    SPS_CHECK(batch->launch_configuration_name == NULL);
    SPS_CHECK_STR_EQ(batch->launch_template.id, "lt-9a09f76b5a170b338");
    SPS_CHECK_STR_EQ(batch->launch_template.name, "batch-lt");
    SPS_CHECK_STR_EQ(batch->launch_template.version, "$Default");
    SPS_CHECK_STR_EQ(batch->instances[0].launch_template.name, "batch-lt");
    SPS_CHECK_INT_EQ(batch->subnet_ids.count, 3);

    const struct sps_aws_asg_group *mixed = sps_aws_asg_groups_find(&g, "mixed");
    SPS_CHECK(mixed != NULL);
    const struct sps_aws_asg_mixed_instances_policy *p = &mixed->mixed_instances_policy;
    SPS_CHECK(p->present);
    SPS_CHECK(!sps_aws_asg_launch_template_present(&mixed->launch_template));
    SPS_CHECK_STR_EQ(p->launch_template.name, "batch-lt");
    SPS_CHECK_INT_EQ(p->override_count, 2);
    SPS_CHECK_STR_EQ(p->overrides[0].instance_type, "c5d.xlarge");
    SPS_CHECK_STR_EQ(p->overrides[1].instance_type, "m5d.xlarge");
    SPS_CHECK(!sps_aws_asg_launch_template_present(&p->overrides[1].launch_template));
    SPS_CHECK_STR_EQ(p->distribution.on_demand_allocation_strategy, "prioritized");
    SPS_CHECK(p->distribution.has_on_demand_base_capacity);
    SPS_CHECK_INT_EQ(p->distribution.on_demand_base_capacity, 0);
    SPS_CHECK(p->distribution.has_on_demand_percentage_above_base);
    SPS_CHECK_INT_EQ(p->distribution.on_demand_percentage_above_base, 100);
    SPS_CHECK_STR_EQ(p->distribution.spot_allocation_strategy, "lowest-price");
    SPS_CHECK_INT_EQ(p->distribution.spot_instance_pools, 2);
    SPS_CHECK(!p->distribution.has_spot_max_price);
    SPS_CHECK_INT_EQ(mixed->tags.count, 0);
    SPS_CHECK(sps_aws_asg_groups_find(&g, "nope") == NULL);
    sps_aws_asg_groups_clean_up(&g);
    sps_aws_asg_groups_clean_up(&g); /* idempotent */
    sps_aws_asg_groups_clean_up(NULL);
    sps_aws_asg_group_clean_up(NULL);
}

static void test_every_member(void)
{
    struct sps_aws_asg_groups g;
    sps_aws_asg_groups_init(&g);
    SPS_CHECK_OK(asg_parse_fixture("describe_groups_full.xml", s_parse, &g));
    SPS_CHECK_INT_EQ(g.count, 1);
    SPS_CHECK_STR_EQ(g.next_token, "page-2-token");
    const struct sps_aws_asg_group *f = &g.items[0];
    SPS_CHECK_STR_EQ(f->name, "fleet");
    SPS_CHECK_INT_EQ(f->created_time, 1709296496789LL);
    SPS_CHECK_INT_EQ(f->default_cooldown, 120);
    SPS_CHECK_STR_EQ(f->health_check_type, "ELB");
    SPS_CHECK_INT_EQ(f->health_check_grace_period, 90);
    /* "subnet-0a1, subnet-0b2,,subnet-0c3": spaces trimmed, the empty entry dropped */
    SPS_CHECK_INT_EQ(f->subnet_ids.count, 3);
    SPS_CHECK_STR_EQ(f->subnet_ids.items[1], "subnet-0b2");
    SPS_CHECK_STR_EQ(f->subnet_ids.items[2], "subnet-0c3");
    const struct sps_aws_asg_mixed_instances_policy *p = &f->mixed_instances_policy;
    SPS_CHECK_STR_EQ(p->launch_template.id, "lt-0123456789abcdef0");
    SPS_CHECK_STR_EQ(p->launch_template.version, "$Latest");
    SPS_CHECK_INT_EQ(p->override_count, 3);
    SPS_CHECK_INT_EQ(p->overrides[0].weighted_capacity, 2);
    SPS_CHECK_STR_EQ(p->overrides[1].instance_type, "m6g.large");
    SPS_CHECK_INT_EQ(p->overrides[1].weighted_capacity, 3);
    SPS_CHECK_STR_EQ(p->overrides[1].launch_template.id, "lt-0fedcba9876543210");
    SPS_CHECK_STR_EQ(p->overrides[1].launch_template.name, "fleet-arm-lt");
    SPS_CHECK_STR_EQ(p->overrides[1].launch_template.version, "4");
    SPS_CHECK(p->overrides[2].instance_type == NULL); /* InstanceRequirements override */
    SPS_CHECK_INT_EQ(p->overrides[2].weighted_capacity, 0);
    SPS_CHECK_STR_EQ(p->distribution.on_demand_allocation_strategy, "lowest-price");
    SPS_CHECK_INT_EQ(p->distribution.on_demand_base_capacity, 1);
    SPS_CHECK_INT_EQ(p->distribution.on_demand_percentage_above_base, 25);
    SPS_CHECK_STR_EQ(p->distribution.spot_allocation_strategy, "capacity-optimized");
    SPS_CHECK_INT_EQ(p->distribution.spot_instance_pools, 3);
    SPS_CHECK(p->distribution.has_spot_max_price);
    SPS_CHECK(p->distribution.spot_max_price > 0.05249 && p->distribution.spot_max_price < 0.05251);

    SPS_CHECK_INT_EQ(f->instance_count, 3);
    SPS_CHECK_INT_EQ(f->instances[0].lifecycle_state, SPS_AWS_ASG_STATE_TERMINATING_WAIT);
    SPS_CHECK(f->instances[0].protected_from_scale_in);
    SPS_CHECK_INT_EQ(f->instances[0].weighted_capacity, 2);
    SPS_CHECK_STR_EQ(f->instances[0].launch_template.version, "7");
    SPS_CHECK_INT_EQ(f->instances[1].lifecycle_state, SPS_AWS_ASG_STATE_WARMED);
    SPS_CHECK_STR_EQ(f->instances[1].lifecycle_state_raw, "Warmed:Hibernated");
    SPS_CHECK_STR_EQ(f->instances[1].health_status, "Unhealthy");
    /* a state AWS may add later: kept as text, not an error */
    SPS_CHECK_INT_EQ(f->instances[2].lifecycle_state, SPS_AWS_ASG_STATE_UNKNOWN);
    SPS_CHECK_STR_EQ(f->instances[2].lifecycle_state_raw, "Hovering:Sideways");
    SPS_CHECK(f->instances[2].instance_type == NULL);
    SPS_CHECK_STR_EQ(f->instances[2].launch_configuration_name, "old-lc");

    SPS_CHECK_INT_EQ(f->suspended_processes.count, 2);
    SPS_CHECK(sps_aws_strings_contains(&f->suspended_processes, "ReplaceUnhealthy"));
    SPS_CHECK_INT_EQ(f->target_group_arns.count, 2);
    SPS_CHECK_INT_EQ(f->load_balancer_names.count, 1);
    SPS_CHECK_STR_EQ(f->load_balancer_names.items[0], "classic-web");
    SPS_CHECK_INT_EQ(f->termination_policies.count, 2);
    SPS_CHECK_STR_EQ(f->termination_policies.items[0], "OldestLaunchTemplate");
    SPS_CHECK_INT_EQ(f->tags.count, 2);
    SPS_CHECK(!f->tags.items[0].propagate_at_launch);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&f->tags, "team"), ""); /* empty value is a value */
    SPS_CHECK(f->tags.items[1].propagate_at_launch);
    SPS_CHECK(f->new_instances_protected_from_scale_in);
    SPS_CHECK(f->capacity_rebalance);
    SPS_CHECK_STR_EQ(f->status, "Delete in progress");
    SPS_CHECK_INT_EQ(f->max_instance_lifetime, 604800);
    SPS_CHECK(f->has_warm_pool);
    SPS_CHECK(strstr(f->service_linked_role_arn, "AWSServiceRoleForAutoScaling") != NULL);
    sps_aws_asg_groups_clean_up(&g);
}

static void test_documented_example(void)
{
    struct sps_aws_asg_groups g;
    sps_aws_asg_groups_init(&g);
    SPS_CHECK_OK(asg_parse_fixture("describe_groups_doc.xml", s_parse, &g));
    SPS_CHECK_INT_EQ(g.count, 1);
    const struct sps_aws_asg_group *d = &g.items[0];
    SPS_CHECK_STR_EQ(d->name, "my-auto-scaling-group");
    SPS_CHECK_INT_EQ(d->min_size, 0);
    SPS_CHECK_INT_EQ(d->created_time, 1376945605584LL);
    SPS_CHECK_STR_EQ(d->subnet_ids.items[0], "subnet-12345678");
    SPS_CHECK_STR_EQ(d->instances[0].instance_id, "i-4ba0837f");
    SPS_CHECK(d->instances[0].instance_type == NULL);
    SPS_CHECK_INT_EQ(d->tags.count, 0);
    SPS_CHECK(!d->capacity_rebalance);
    SPS_CHECK(d->service_linked_role_arn == NULL);
    sps_aws_asg_groups_clean_up(&g);
}

static void test_pages_append_and_token_replaced(void)
{
    struct sps_aws_asg_groups g;
    sps_aws_asg_groups_init(&g);
    SPS_CHECK_OK(asg_parse_fixture("describe_groups_page.xml", s_parse, &g));
    SPS_CHECK_INT_EQ(g.count, 1);
    SPS_CHECK(g.next_token != NULL && g.next_token[0] != '\0');
    SPS_CHECK_OK(asg_parse_fixture("describe_groups_full.xml", s_parse, &g));
    SPS_CHECK_INT_EQ(g.count, 2);
    SPS_CHECK_STR_EQ(g.items[0].name, "batch");
    SPS_CHECK_STR_EQ(g.next_token, "page-2-token");
    SPS_CHECK_OK(asg_parse_fixture("describe_groups_empty.xml", s_parse, &g));
    SPS_CHECK_INT_EQ(g.count, 2);
    SPS_CHECK(g.next_token == NULL);
    sps_aws_asg_groups_clean_up(&g);
}

static void test_empty_list_and_unknown_elements(void)
{
    struct sps_aws_asg_groups g;
    sps_aws_asg_groups_init(&g);
    SPS_CHECK_OK(asg_parse_fixture("describe_groups_empty.xml", s_parse, &g));
    SPS_CHECK_INT_EQ(g.count, 0);
    SPS_CHECK_OK(asg_parse_text("<R><X><AutoScalingGroups/><Extra><member>1</member></Extra>"
                                "</X></R>",
                                s_parse, &g));
    SPS_CHECK_INT_EQ(g.count, 0);
    sps_aws_asg_groups_clean_up(&g);
}

static void s_expect_variant(const char *fixture, const char *element, const char *text,
                             sps_err expected)
{
    struct sps_aws_asg_groups g;
    sps_aws_asg_groups_init(&g);
    sps_err err = asg_parse_variant(fixture, element, text, s_parse, &g);
    if (err != expected)
        sps_test_fail(__FILE__, __LINE__, "<%s> %s: got %s, expected %s", element,
                      text ? text : "(removed)", sps_error_name(err), sps_error_name(expected));
    sps_aws_asg_groups_clean_up(&g);
}

static void test_each_required_field_missing(void)
{
    static const char *const required[] = {
        "AutoScalingGroups", "AutoScalingGroupName", "MinSize", "MaxSize", "DesiredCapacity",
        "DefaultCooldown", "AvailabilityZones", "HealthCheckType", "CreatedTime",
        /* Instance */
        "InstanceId", "AvailabilityZone", "LifecycleState", "HealthStatus", "ProtectedFromScaleIn",
        /* TagDescription */
        "Key"};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        s_expect_variant("describe_groups.xml", required[i], NULL, SPS_ERR_MISSING_FIELD);
    /* present but empty strings say nothing either */
    s_expect_variant("describe_groups.xml", "AutoScalingGroupName", "", SPS_ERR_MISSING_FIELD);
    s_expect_variant("describe_groups.xml", "InstanceId", "", SPS_ERR_MISSING_FIELD);
    s_expect_variant("describe_groups.xml", "Key", "", SPS_ERR_MISSING_FIELD);
    /* optional members may go */
    static const char *const optional[] = {
        "AutoScalingGroupARN",    "LaunchTemplate",
        "HealthCheckGracePeriod", "Instances",
        "VPCZoneIdentifier",      "Tags",
        "TerminationPolicies",    "ServiceLinkedRoleARN",
        "InstanceType",           "NewInstancesProtectedFromScaleIn",
        "CapacityRebalance"};
    for (size_t i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
        s_expect_variant("describe_groups.xml", optional[i], NULL, SPS_OK);
    struct sps_aws_asg_groups g;
    sps_aws_asg_groups_init(&g);
    SPS_CHECK_ERR(s_parse(NULL, &g), SPS_ERR_MISSING_FIELD);
    sps_aws_asg_groups_clean_up(&g);
}

static void test_bad_values(void)
{
    static const struct {
        const char *fixture, *element, *text;
        sps_err expected;
    } cases[] = {
        {"describe_groups.xml", "MinSize", "two", SPS_ERR_PARSE_NUMBER},
        {"describe_groups.xml", "MaxSize", "4.5", SPS_ERR_PARSE_NUMBER},
        {"describe_groups.xml", "DesiredCapacity", "", SPS_ERR_PARSE_NUMBER},
        {"describe_groups.xml", "DefaultCooldown", "99999999999999999999", SPS_ERR_PARSE_NUMBER},
        {"describe_groups.xml", "HealthCheckGracePeriod", "soon", SPS_ERR_PARSE_NUMBER},
        {"describe_groups.xml", "CreatedTime", "yesterday", SPS_ERR_PARSE_TIME},
        {"describe_groups.xml", "ProtectedFromScaleIn", "yes", SPS_ERR_UNEXPECTED_RESPONSE},
        {"describe_groups.xml", "NewInstancesProtectedFromScaleIn", "1",
         SPS_ERR_UNEXPECTED_RESPONSE},
        {"describe_groups.xml", "CapacityRebalance", "TRUE", SPS_ERR_UNEXPECTED_RESPONSE},
        {"describe_groups.xml", "PropagateAtLaunch", "maybe", SPS_ERR_UNEXPECTED_RESPONSE},
        {"describe_groups.xml", "OnDemandBaseCapacity", "none", SPS_ERR_PARSE_NUMBER},
        {"describe_groups.xml", "OnDemandPercentageAboveBaseCapacity", "50%", SPS_ERR_PARSE_NUMBER},
        {"describe_groups.xml", "SpotInstancePools", "x", SPS_ERR_PARSE_NUMBER},
        {"describe_groups_full.xml", "WeightedCapacity", "heavy", SPS_ERR_PARSE_NUMBER},
        {"describe_groups_full.xml", "WeightedCapacity", "-1", SPS_ERR_PARSE_NUMBER},
        {"describe_groups_full.xml", "SpotMaxPrice", "cheap", SPS_ERR_PARSE_NUMBER},
        {"describe_groups_full.xml", "SpotMaxPrice", "inf", SPS_ERR_PARSE_NUMBER},
        {"describe_groups_full.xml", "MaxInstanceLifetime", "forever", SPS_ERR_PARSE_NUMBER},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        s_expect_variant(cases[i].fixture, cases[i].element, cases[i].text, cases[i].expected);

    /* A member's weight (the recorded groups have no mixed policy before the first member). */
    char *recorded = asg_fixture("describe_groups.xml");
    char *member_weight = asg_insert_before(recorded, "ProtectedFromScaleIn",
                                            "<WeightedCapacity>x</WeightedCapacity>");
    struct sps_aws_asg_groups g;
    sps_aws_asg_groups_init(&g);
    SPS_CHECK_ERR(asg_parse_text(member_weight, s_parse, &g), SPS_ERR_PARSE_NUMBER);
    sps_aws_asg_groups_clean_up(&g);
    sps_free(member_weight);
    char *good_weight = asg_insert_before(recorded, "ProtectedFromScaleIn",
                                          "<WeightedCapacity>7</WeightedCapacity>");
    SPS_CHECK_OK(asg_parse_text(good_weight, s_parse, &g));
    SPS_CHECK_INT_EQ(g.items[0].instances[0].weighted_capacity, 7);
    sps_aws_asg_groups_clean_up(&g);
    sps_free(good_weight);
    sps_free(recorded);

    char *xml = asg_fixture("describe_groups_full.xml");
    /* "" means "the On-Demand price caps Spot", not a bad number */
    char *empty_price = asg_with_text(xml, "SpotMaxPrice", "");
    SPS_CHECK_OK(asg_parse_text(empty_price, s_parse, &g));
    SPS_CHECK(!g.items[0].mixed_instances_policy.distribution.has_spot_max_price);
    sps_aws_asg_groups_clean_up(&g);
    sps_free(empty_price);
    sps_free(xml);
}

static void test_failure_keeps_earlier_pages(void)
{
    struct sps_aws_asg_groups g;
    sps_aws_asg_groups_init(&g);
    SPS_CHECK_OK(asg_parse_fixture("describe_groups_doc.xml", s_parse, &g));
    SPS_CHECK_ERR(asg_parse_variant("describe_groups.xml", "HealthStatus", NULL, s_parse, &g),
                  SPS_ERR_MISSING_FIELD);
    SPS_CHECK_INT_EQ(g.count, 1); /* the broken group was not appended, nothing leaked */
    SPS_CHECK_STR_EQ(g.items[0].name, "my-auto-scaling-group");
    sps_aws_asg_groups_clean_up(&g);
}

static void test_lifecycle_states(void)
{
    static const char *const names[] = {
        "Pending",    "Pending:Wait", "Pending:Proceed",  "Quarantined",
        "InService",  "Terminating",  "Terminating:Wait", "Terminating:Proceed",
        "Terminated", "Detaching",    "Detached",         "EnteringStandby",
        "Standby"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        enum sps_aws_asg_lifecycle_state s = sps_aws_asg_lifecycle_state_parse(names[i]);
        SPS_CHECK(s != SPS_AWS_ASG_STATE_UNKNOWN && s != SPS_AWS_ASG_STATE_WARMED);
        SPS_CHECK_STR_EQ(sps_aws_asg_lifecycle_state_name(s), names[i]);
    }
    SPS_CHECK_INT_EQ(sps_aws_asg_lifecycle_state_parse("Terminating:Wait"),
                     SPS_AWS_ASG_STATE_TERMINATING_WAIT);
    SPS_CHECK_INT_EQ(sps_aws_asg_lifecycle_state_parse("Warmed:Pending:Wait"),
                     SPS_AWS_ASG_STATE_WARMED);
    SPS_CHECK_INT_EQ(sps_aws_asg_lifecycle_state_parse("Warmed:Running"), SPS_AWS_ASG_STATE_WARMED);
    SPS_CHECK_INT_EQ(sps_aws_asg_lifecycle_state_parse("Warmed:"), SPS_AWS_ASG_STATE_UNKNOWN);
    SPS_CHECK_INT_EQ(sps_aws_asg_lifecycle_state_parse("inservice"), SPS_AWS_ASG_STATE_UNKNOWN);
    SPS_CHECK_INT_EQ(sps_aws_asg_lifecycle_state_parse(""), SPS_AWS_ASG_STATE_UNKNOWN);
    SPS_CHECK_INT_EQ(sps_aws_asg_lifecycle_state_parse(NULL), SPS_AWS_ASG_STATE_UNKNOWN);
    SPS_CHECK_STR_EQ(sps_aws_asg_lifecycle_state_name(SPS_AWS_ASG_STATE_WARMED), "Warmed");
    SPS_CHECK_STR_EQ(sps_aws_asg_lifecycle_state_name(SPS_AWS_ASG_STATE_UNKNOWN), "Unknown");
}

SPS_TEST_MAIN(SPS_CASE(test_recorded_groups_of_each_launch_kind), SPS_CASE(test_every_member),
              SPS_CASE(test_documented_example), SPS_CASE(test_pages_append_and_token_replaced),
              SPS_CASE(test_empty_list_and_unknown_elements),
              SPS_CASE(test_each_required_field_missing), SPS_CASE(test_bad_values),
              SPS_CASE(test_failure_keeps_earlier_pages), SPS_CASE(test_lifecycle_states))
