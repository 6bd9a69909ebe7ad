/*
 * DescribeAutoScalingGroups: the group, its members, tags, launch configuration / template /
 * MixedInstancesPolicy, as the spot replacement engine needs them. Name lists are split into
 * batches of 100 (the API's limit) and every batch is paginated.
 */
#include "autoscaling_internal.h"

#include <string.h>

static const struct {
    const char *name;
    enum sps_aws_asg_lifecycle_state state;
} s_states[] = {
    {"Pending", SPS_AWS_ASG_STATE_PENDING},
    {"Pending:Wait", SPS_AWS_ASG_STATE_PENDING_WAIT},
    {"Pending:Proceed", SPS_AWS_ASG_STATE_PENDING_PROCEED},
    {"Quarantined", SPS_AWS_ASG_STATE_QUARANTINED},
    {"InService", SPS_AWS_ASG_STATE_IN_SERVICE},
    {"Terminating", SPS_AWS_ASG_STATE_TERMINATING},
    {"Terminating:Wait", SPS_AWS_ASG_STATE_TERMINATING_WAIT},
    {"Terminating:Proceed", SPS_AWS_ASG_STATE_TERMINATING_PROCEED},
    {"Terminated", SPS_AWS_ASG_STATE_TERMINATED},
    {"Detaching", SPS_AWS_ASG_STATE_DETACHING},
    {"Detached", SPS_AWS_ASG_STATE_DETACHED},
    {"EnteringStandby", SPS_AWS_ASG_STATE_ENTERING_STANDBY},
    {"Standby", SPS_AWS_ASG_STATE_STANDBY},
};

enum sps_aws_asg_lifecycle_state sps_aws_asg_lifecycle_state_parse(const char *text)
{
    if (text == NULL)
        return SPS_AWS_ASG_STATE_UNKNOWN;
    for (size_t i = 0; i < sizeof(s_states) / sizeof(s_states[0]); i++) {
        if (strcmp(text, s_states[i].name) == 0)
            return s_states[i].state;
    }
    /* The warm pool family (Warmed:Pending, Warmed:Running, Warmed:Hibernated, ...) keeps
     * growing; the engine only needs to know such an instance is not serving. */
    if (strncmp(text, "Warmed:", 7) == 0 && text[7] != '\0')
        return SPS_AWS_ASG_STATE_WARMED;
    return SPS_AWS_ASG_STATE_UNKNOWN;
}

const char *sps_aws_asg_lifecycle_state_name(enum sps_aws_asg_lifecycle_state state)
{
    for (size_t i = 0; i < sizeof(s_states) / sizeof(s_states[0]); i++) {
        if (s_states[i].state == state)
            return s_states[i].name;
    }
    return state == SPS_AWS_ASG_STATE_WARMED ? "Warmed" : "Unknown";
}

static void s_instance_clean_up(struct sps_aws_asg_instance *m)
{
    sps_free(m->instance_id);
    sps_free(m->instance_type);
    sps_free(m->availability_zone);
    sps_free(m->lifecycle_state_raw);
    sps_free(m->health_status);
    sps_free(m->launch_configuration_name);
    sps_aws_asg_launch_template_clean_up(&m->launch_template);
    memset(m, 0, sizeof(*m));
}

static void s_override_clean_up(struct sps_aws_asg_override *o)
{
    sps_free(o->instance_type);
    sps_aws_asg_launch_template_clean_up(&o->launch_template);
}

static void s_mixed_clean_up(struct sps_aws_asg_mixed_instances_policy *p)
{
    sps_aws_asg_launch_template_clean_up(&p->launch_template);
    for (size_t i = 0; i < p->override_count; i++)
        s_override_clean_up(&p->overrides[i]);
    sps_free(p->overrides);
    sps_free(p->distribution.on_demand_allocation_strategy);
    sps_free(p->distribution.spot_allocation_strategy);
    memset(p, 0, sizeof(*p));
}

void sps_aws_asg_group_clean_up(struct sps_aws_asg_group *g)
{
    if (g == NULL)
        return;
    sps_free(g->name);
    sps_free(g->arn);
    sps_free(g->health_check_type);
    sps_aws_strings_clean_up(&g->availability_zones);
    sps_free(g->vpc_zone_identifier);
    sps_aws_strings_clean_up(&g->subnet_ids);
    sps_free(g->launch_configuration_name);
    sps_aws_asg_launch_template_clean_up(&g->launch_template);
    s_mixed_clean_up(&g->mixed_instances_policy);
    for (size_t i = 0; i < g->instance_count; i++)
        s_instance_clean_up(&g->instances[i]);
    sps_free(g->instances);
    sps_aws_tags_clean_up(&g->tags);
    sps_aws_strings_clean_up(&g->suspended_processes);
    sps_aws_strings_clean_up(&g->target_group_arns);
    sps_aws_strings_clean_up(&g->load_balancer_names);
    sps_aws_strings_clean_up(&g->termination_policies);
    sps_free(g->status);
    sps_free(g->service_linked_role_arn);
    memset(g, 0, sizeof(*g));
}

const struct sps_aws_asg_instance *
sps_aws_asg_group_find_instance(const struct sps_aws_asg_group *g, const char *instance_id)
{
    for (size_t i = 0; g != NULL && instance_id != NULL && i < g->instance_count; i++) {
        if (strcmp(g->instances[i].instance_id, instance_id) == 0)
            return &g->instances[i];
    }
    return NULL;
}

void sps_aws_asg_groups_init(struct sps_aws_asg_groups *g)
{
    memset(g, 0, sizeof(*g));
}

void sps_aws_asg_groups_clean_up(struct sps_aws_asg_groups *g)
{
    if (g == NULL)
        return;
    for (size_t i = 0; i < g->count; i++)
        sps_aws_asg_group_clean_up(&g->items[i]);
    sps_free(g->items);
    sps_free(g->next_token);
    sps_aws_asg_groups_init(g);
}

const struct sps_aws_asg_group *sps_aws_asg_groups_find(const struct sps_aws_asg_groups *g,
                                                        const char *name)
{
    for (size_t i = 0; g != NULL && name != NULL && i < g->count; i++) {
        if (strcmp(g->items[i].name, name) == 0)
            return &g->items[i];
    }
    return NULL;
}

/* AWS sends WeightedCapacity as a string holding an integer 1-999. */
static sps_err s_weight(const struct sps_xml_node *node, const char *shape, int64_t *out)
{
    SPS_TRY(sps_asg_opt_i64(node, shape, "WeightedCapacity", out, NULL));
    if (*out < 0) {
        sps_log(SPS_LOG_DEBUG, "Auto Scaling response field has a bad value", "shape", shape,
                "field", "WeightedCapacity", NULL);
        return SPS_ERR_PARSE_NUMBER;
    }
    return SPS_OK;
}

static sps_err s_read_instance(const struct sps_xml_node *n, struct sps_aws_asg_instance *m)
{
    static const char shape[] = "Instance";
    SPS_TRY(sps_asg_need_str(n, shape, "InstanceId", &m->instance_id));
    SPS_TRY(sps_asg_need_str(n, shape, "AvailabilityZone", &m->availability_zone));
    SPS_TRY(sps_asg_need_str(n, shape, "LifecycleState", &m->lifecycle_state_raw));
    SPS_TRY(sps_asg_need_str(n, shape, "HealthStatus", &m->health_status));
    SPS_TRY(sps_asg_need_bool(n, shape, "ProtectedFromScaleIn", &m->protected_from_scale_in));
    SPS_TRY(s_weight(n, shape, &m->weighted_capacity));
    m->lifecycle_state = sps_aws_asg_lifecycle_state_parse(m->lifecycle_state_raw);
    if (m->lifecycle_state == SPS_AWS_ASG_STATE_UNKNOWN)
        sps_log(SPS_LOG_DEBUG, "unknown Auto Scaling lifecycle state kept as text", "state",
                m->lifecycle_state_raw, NULL);
    sps_asg_opt_str(n, "InstanceType", &m->instance_type);
    sps_asg_opt_str(n, "LaunchConfigurationName", &m->launch_configuration_name);
    sps_asg_read_launch_template(sps_xml_child(n, "LaunchTemplate"), &m->launch_template);
    return SPS_OK;
}

static sps_err s_read_instances(const struct sps_xml_node *list, struct sps_aws_asg_group *g)
{
    size_t cap = 0;
    for (const struct sps_xml_node *m = sps_asg_first(list); m; m = sps_asg_next(m)) {
        g->instances = sps_asg_grow(g->instances, &cap, g->instance_count, sizeof(g->instances[0]));
        struct sps_aws_asg_instance *inst = &g->instances[g->instance_count++];
        memset(inst, 0, sizeof(*inst));
        SPS_TRY(s_read_instance(m, inst));
    }
    return SPS_OK;
}

static sps_err s_read_distribution(const struct sps_xml_node *n,
                                   struct sps_aws_asg_instances_distribution *d)
{
    static const char shape[] = "InstancesDistribution";
    sps_asg_opt_str(n, "OnDemandAllocationStrategy", &d->on_demand_allocation_strategy);
    sps_asg_opt_str(n, "SpotAllocationStrategy", &d->spot_allocation_strategy);
    SPS_TRY(sps_asg_opt_i64(n, shape, "OnDemandBaseCapacity", &d->on_demand_base_capacity,
                            &d->has_on_demand_base_capacity));
    SPS_TRY(sps_asg_opt_i64(n, shape, "OnDemandPercentageAboveBaseCapacity",
                            &d->on_demand_percentage_above_base,
                            &d->has_on_demand_percentage_above_base));
    SPS_TRY(sps_asg_opt_i64(n, shape, "SpotInstancePools", &d->spot_instance_pools, NULL));
    return sps_asg_opt_double(n, shape, "SpotMaxPrice", &d->spot_max_price, &d->has_spot_max_price);
}

static sps_err s_read_mixed(const struct sps_xml_node *n,
                            struct sps_aws_asg_mixed_instances_policy *p)
{
    if (n == NULL)
        return SPS_OK;
    p->present = true;
    const struct sps_xml_node *lt = sps_xml_child(n, "LaunchTemplate");
    sps_asg_read_launch_template(sps_xml_child(lt, "LaunchTemplateSpecification"),
                                 &p->launch_template);
    size_t cap = 0;
    for (const struct sps_xml_node *m = sps_asg_first(sps_xml_child(lt, "Overrides")); m;
         m = sps_asg_next(m)) {
        p->overrides = sps_asg_grow(p->overrides, &cap, p->override_count, sizeof(p->overrides[0]));
        struct sps_aws_asg_override *o = &p->overrides[p->override_count++];
        memset(o, 0, sizeof(*o));
        sps_asg_opt_str(m, "InstanceType", &o->instance_type);
        sps_asg_read_launch_template(sps_xml_child(m, "LaunchTemplateSpecification"),
                                     &o->launch_template);
        SPS_TRY(s_weight(m, "LaunchTemplateOverrides", &o->weighted_capacity));
    }
    return s_read_distribution(sps_xml_child(n, "InstancesDistribution"), &p->distribution);
}

static sps_err s_read_tags(const struct sps_xml_node *list, struct sps_aws_tags *tags)
{
    for (const struct sps_xml_node *m = sps_asg_first(list); m; m = sps_asg_next(m)) {
        const char *key = sps_xml_path_text(m, "Key");
        if (key == NULL || key[0] == '\0') {
            sps_log(SPS_LOG_DEBUG, "Auto Scaling response lacks a required field", "shape",
                    "TagDescription", "field", "Key", NULL);
            return SPS_ERR_MISSING_FIELD;
        }
        bool propagate = false;
        SPS_TRY(sps_asg_opt_bool(m, "TagDescription", "PropagateAtLaunch", &propagate));
        sps_aws_tags_set(tags, key, sps_xml_path_text(m, "Value"), propagate);
    }
    return SPS_OK;
}

static void s_split_subnets(const char *vpc_zone_identifier, struct sps_aws_strings *out)
{
    struct sps_cursor rest = sps_cursor_from_str(vpc_zone_identifier);
    struct sps_cursor head;
    while (rest.len > 0) {
        (void)sps_cursor_split(&rest, ',', &head);
        head = sps_cursor_trim(head);
        if (head.len == 0)
            continue;
        char *id = sps_cursor_dup(head);
        sps_aws_strings_add(out, id);
        sps_free(id);
    }
}

static void s_add_process(const struct sps_xml_node *m, struct sps_aws_strings *out)
{
    const char *name = sps_xml_path_text(m, "ProcessName");
    if (name != NULL && name[0] != '\0')
        sps_aws_strings_add(out, name);
}

static sps_err s_read_sizes(const struct sps_xml_node *n, struct sps_aws_asg_group *g)
{
    static const char shape[] = "AutoScalingGroup";
    SPS_TRY(sps_asg_need_i64(n, shape, "MinSize", &g->min_size));
    SPS_TRY(sps_asg_need_i64(n, shape, "MaxSize", &g->max_size));
    SPS_TRY(sps_asg_need_i64(n, shape, "DesiredCapacity", &g->desired_capacity));
    SPS_TRY(sps_asg_need_i64(n, shape, "DefaultCooldown", &g->default_cooldown));
    SPS_TRY(
        sps_asg_opt_i64(n, shape, "HealthCheckGracePeriod", &g->health_check_grace_period, NULL));
    return sps_asg_opt_i64(n, shape, "MaxInstanceLifetime", &g->max_instance_lifetime, NULL);
}

static sps_err s_read_group(const struct sps_xml_node *n, struct sps_aws_asg_group *g)
{
    static const char shape[] = "AutoScalingGroup";
    const struct sps_xml_node *azs = NULL;
    SPS_TRY(sps_asg_need_str(n, shape, "AutoScalingGroupName", &g->name));
    SPS_TRY(s_read_sizes(n, g));
    SPS_TRY(sps_asg_need_list(n, shape, "AvailabilityZones", &azs));
    SPS_TRY(sps_asg_need_str(n, shape, "HealthCheckType", &g->health_check_type));
    SPS_TRY(sps_asg_need_time(n, shape, "CreatedTime", &g->created_time));
    SPS_TRY(sps_asg_opt_bool(n, shape, "NewInstancesProtectedFromScaleIn",
                             &g->new_instances_protected_from_scale_in));
    SPS_TRY(sps_asg_opt_bool(n, shape, "CapacityRebalance", &g->capacity_rebalance));
    sps_asg_strings(n, "AvailabilityZones", &g->availability_zones);
    sps_asg_opt_str(n, "AutoScalingGroupARN", &g->arn);
    sps_asg_opt_str(n, "VPCZoneIdentifier", &g->vpc_zone_identifier);
    s_split_subnets(g->vpc_zone_identifier, &g->subnet_ids);
    sps_asg_opt_str(n, "LaunchConfigurationName", &g->launch_configuration_name);
    sps_asg_read_launch_template(sps_xml_child(n, "LaunchTemplate"), &g->launch_template);
    SPS_TRY(s_read_mixed(sps_xml_child(n, "MixedInstancesPolicy"), &g->mixed_instances_policy));
    SPS_TRY(s_read_instances(sps_xml_child(n, "Instances"), g));
    SPS_TRY(s_read_tags(sps_xml_child(n, "Tags"), &g->tags));
    for (const struct sps_xml_node *m = sps_asg_first(sps_xml_child(n, "SuspendedProcesses")); m;
         m = sps_asg_next(m))
        s_add_process(m, &g->suspended_processes);
    sps_asg_strings(n, "TargetGroupARNs", &g->target_group_arns);
    sps_asg_strings(n, "LoadBalancerNames", &g->load_balancer_names);
    sps_asg_strings(n, "TerminationPolicies", &g->termination_policies);
    sps_asg_opt_str(n, "Status", &g->status);
    sps_asg_opt_str(n, "ServiceLinkedRoleARN", &g->service_linked_role_arn);
    g->has_warm_pool = sps_xml_child(n, "WarmPoolConfiguration") != NULL;
    return SPS_OK;
}

sps_err sps_aws_asg_parse_describe_groups(const struct sps_xml_node *result,
                                          struct sps_aws_asg_groups *out)
{
    const struct sps_xml_node *list = NULL;
    SPS_TRY(
        sps_asg_need_list(result, "DescribeAutoScalingGroupsResult", "AutoScalingGroups", &list));
    for (const struct sps_xml_node *m = sps_asg_first(list); m; m = sps_asg_next(m)) {
        struct sps_aws_asg_group g = {0};
        sps_err err = s_read_group(m, &g);
        if (err != SPS_OK) {
            sps_aws_asg_group_clean_up(&g);
            return err;
        }
        out->items = sps_asg_grow(out->items, &out->cap, out->count, sizeof(out->items[0]));
        out->items[out->count++] = g;
    }
    sps_asg_read_next_token(result, &out->next_token);
    return SPS_OK;
}

static int s_max_records(int requested)
{
    return requested > 0 ? requested : SPS_AWS_ASG_MAX_RECORDS;
}

void sps_aws_asg_describe_groups_query(struct sps_query *q,
                                       const struct sps_aws_asg_describe_groups_input *in)
{
    sps_asg_query_init(q, "DescribeAutoScalingGroups");
    if (in->name_count > 0)
        sps_query_set_list(q, "AutoScalingGroupNames", true, in->names, in->name_count);
    for (size_t i = 0; i < in->filter_count; i++) {
        const struct sps_aws_asg_filter *f = &in->filters[i];
        sps_query_setf(q, f->name, "Filters.member.%zu.Name", i + 1);
        for (size_t v = 0; v < f->value_count; v++)
            sps_query_setf(q, f->values[v], "Filters.member.%zu.Values.member.%zu", i + 1, v + 1);
    }
    sps_asg_query_set_i64(q, "MaxRecords", s_max_records(in->max_records));
    if (in->next_token != NULL && in->next_token[0] != '\0')
        sps_query_set(q, "NextToken", in->next_token);
}

static sps_err s_parse_groups(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_describe_groups(result, out);
}

static sps_err s_check_groups_input(const struct sps_aws_asg_describe_groups_input *in)
{
    const char *problem = NULL;
    if (in == NULL)
        problem = "no input";
    else if (in->max_records < 0 || in->max_records > SPS_AWS_ASG_MAX_RECORDS)
        problem = "max_records must be 0 (default) or 1-100";
    else if (in->name_count > 0 && in->names == NULL)
        problem = "name_count without names";
    for (size_t i = 0; problem == NULL && i < in->filter_count; i++) {
        const struct sps_aws_asg_filter *f = &in->filters[i];
        if (f->name == NULL || f->name[0] == '\0' || (f->value_count > 0 && f->values == NULL))
            problem = "a filter without a name or values";
    }
    if (problem == NULL)
        return SPS_OK;
    sps_log(SPS_LOG_DEBUG, "DescribeAutoScalingGroups input refused", "problem", problem, NULL);
    return SPS_ERR_INVALID_ARGUMENT;
}

static void s_batch_query(struct sps_query *q, const void *in, const char *const *names,
                          size_t name_count)
{
    struct sps_aws_asg_describe_groups_input batch =
        *(const struct sps_aws_asg_describe_groups_input *)in;
    batch.names = names;
    batch.name_count = name_count;
    batch.next_token = NULL;
    sps_aws_asg_describe_groups_query(q, &batch);
}

sps_err sps_aws_asg_describe_groups(struct sps_aws_client *c,
                                    const struct sps_aws_asg_describe_groups_input *in,
                                    struct sps_aws_asg_groups *out, struct sps_aws_error *aws_err)
{
    sps_aws_asg_groups_init(out);
    if (aws_err != NULL)
        sps_aws_error_clear(aws_err);
    SPS_TRY(sps_asg_check(c, NULL, NULL));
    SPS_TRY(s_check_groups_input(in));
    sps_err err =
        sps_asg_describe_batched(c, in, in->names, in->name_count, SPS_AWS_ASG_MAX_GROUP_NAMES,
                                 s_batch_query, s_parse_groups, out, aws_err);
    sps_free(out->next_token);
    out->next_token = NULL;
    if (err != SPS_OK)
        sps_aws_asg_groups_clean_up(out);
    return err;
}
