/*
 * The Auto Scaling calls that change a group: attach/detach/protect/terminate members, resize,
 * tag, suspend and resume processes. Builders send exactly what the caller set; the convenience
 * calls refuse input that cannot be right (no group, no instance ids) before using the network,
 * and hand the service's refusal back in `aws_err` untouched.
 */
#include "autoscaling_internal.h"

#include <string.h>

static void s_instances_query(struct sps_query *q, const char *action,
                              const struct sps_aws_asg_instances_input *in)
{
    sps_asg_query_init(q, action);
    sps_query_set(q, "AutoScalingGroupName", in->group_name ? in->group_name : "");
    if (in->instance_count > 0)
        sps_query_set_list(q, "InstanceIds", true, in->instance_ids, in->instance_count);
}

static sps_err s_check_instances(struct sps_aws_client *c,
                                 const struct sps_aws_asg_instances_input *in)
{
    if (in == NULL)
        return sps_asg_check(c, "input", NULL);
    SPS_TRY(sps_asg_check(c, "group name", in->group_name));
    if (in->instance_count == 0 || in->instance_ids == NULL)
        return sps_asg_check(c, "instance ids", NULL);
    for (size_t i = 0; i < in->instance_count; i++)
        SPS_TRY(sps_asg_check(c, "an instance id", in->instance_ids[i]));
    return SPS_OK;
}

/* Checks, builds with `build`, runs, parses (when `parse`). */
static sps_err
s_run_instances(struct sps_aws_client *c, const struct sps_aws_asg_instances_input *in,
                void (*build)(struct sps_query *, const struct sps_aws_asg_instances_input *),
                sps_asg_parse_fn parse, void *out, struct sps_aws_error *aws_err)
{
    if (aws_err != NULL)
        sps_aws_error_clear(aws_err);
    SPS_TRY(s_check_instances(c, in));
    struct sps_query q;
    build(&q, in);
    sps_err err = sps_asg_run(c, &q, parse, out, aws_err);
    sps_query_clean_up(&q);
    return err;
}

void sps_aws_asg_attach_instances_query(struct sps_query *q,
                                        const struct sps_aws_asg_instances_input *in)
{
    s_instances_query(q, "AttachInstances", in);
}

sps_err sps_aws_asg_attach_instances(struct sps_aws_client *c,
                                     const struct sps_aws_asg_instances_input *in,
                                     struct sps_aws_error *aws_err)
{
    return s_run_instances(c, in, sps_aws_asg_attach_instances_query, NULL, NULL, aws_err);
}

void sps_aws_asg_detach_instances_query(struct sps_query *q,
                                        const struct sps_aws_asg_instances_input *in)
{
    s_instances_query(q, "DetachInstances", in);
    sps_asg_query_set_bool(q, "ShouldDecrementDesiredCapacity",
                           in->should_decrement_desired_capacity);
}

sps_err sps_aws_asg_parse_detach_instances(const struct sps_xml_node *result,
                                           struct sps_aws_asg_activities *out)
{
    const struct sps_xml_node *list = NULL;
    SPS_TRY(sps_asg_need_list(result, "DetachInstancesResult", "Activities", &list));
    return sps_asg_read_activities(list, out);
}

static sps_err s_parse_detach(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_detach_instances(result, out);
}

sps_err sps_aws_asg_detach_instances(struct sps_aws_client *c,
                                     const struct sps_aws_asg_instances_input *in,
                                     struct sps_aws_asg_activities *out,
                                     struct sps_aws_error *aws_err)
{
    sps_aws_asg_activities_init(out);
    sps_err err =
        s_run_instances(c, in, sps_aws_asg_detach_instances_query, s_parse_detach, out, aws_err);
    if (err != SPS_OK)
        sps_aws_asg_activities_clean_up(out);
    return err;
}

void sps_aws_asg_set_instance_protection_query(struct sps_query *q,
                                               const struct sps_aws_asg_instances_input *in)
{
    s_instances_query(q, "SetInstanceProtection", in);
    sps_asg_query_set_bool(q, "ProtectedFromScaleIn", in->protected_from_scale_in);
}

sps_err sps_aws_asg_set_instance_protection(struct sps_aws_client *c,
                                            const struct sps_aws_asg_instances_input *in,
                                            struct sps_aws_error *aws_err)
{
    return s_run_instances(c, in, sps_aws_asg_set_instance_protection_query, NULL, NULL, aws_err);
}

void sps_aws_asg_terminate_instance_query(struct sps_query *q, const char *instance_id,
                                          bool should_decrement_desired_capacity)
{
    sps_asg_query_init(q, "TerminateInstanceInAutoScalingGroup");
    sps_query_set(q, "InstanceId", instance_id ? instance_id : "");
    sps_asg_query_set_bool(q, "ShouldDecrementDesiredCapacity", should_decrement_desired_capacity);
}

sps_err sps_aws_asg_parse_terminate_instance(const struct sps_xml_node *result,
                                             struct sps_aws_asg_activity *out)
{
    memset(out, 0, sizeof(*out));
    const struct sps_xml_node *activity = NULL;
    SPS_TRY(sps_asg_need_list(result, "TerminateInstanceInAutoScalingGroupResult", "Activity",
                              &activity));
    return sps_asg_read_activity(activity, out);
}

static sps_err s_parse_terminate(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_terminate_instance(result, out);
}

sps_err sps_aws_asg_terminate_instance(struct sps_aws_client *c, const char *instance_id,
                                       bool should_decrement_desired_capacity,
                                       struct sps_aws_asg_activity *out,
                                       struct sps_aws_error *aws_err)
{
    memset(out, 0, sizeof(*out));
    if (aws_err != NULL)
        sps_aws_error_clear(aws_err);
    SPS_TRY(sps_asg_check(c, "instance id", instance_id));
    struct sps_query q;
    sps_aws_asg_terminate_instance_query(&q, instance_id, should_decrement_desired_capacity);
    sps_err err = sps_asg_run(c, &q, s_parse_terminate, out, aws_err);
    sps_query_clean_up(&q);
    if (err != SPS_OK)
        sps_aws_asg_activity_clean_up(out);
    return err;
}

void sps_aws_asg_update_group_query(struct sps_query *q, const struct sps_aws_asg_update_input *in)
{
    sps_asg_query_init(q, "UpdateAutoScalingGroup");
    sps_query_set(q, "AutoScalingGroupName", in->group_name ? in->group_name : "");
    if (in->set_min_size)
        sps_asg_query_set_i64(q, "MinSize", in->min_size);
    if (in->set_max_size)
        sps_asg_query_set_i64(q, "MaxSize", in->max_size);
    if (in->set_desired_capacity)
        sps_asg_query_set_i64(q, "DesiredCapacity", in->desired_capacity);
}

/* Runs a built query that has no result to parse, then frees it. */
static sps_err s_run_plain(struct sps_aws_client *c, struct sps_query *q,
                           struct sps_aws_error *aws_err)
{
    sps_err err = sps_asg_run(c, q, NULL, NULL, aws_err);
    sps_query_clean_up(q);
    return err;
}

static sps_err s_begin(struct sps_aws_client *c, const char *group_name,
                       struct sps_aws_error *aws_err)
{
    if (aws_err != NULL)
        sps_aws_error_clear(aws_err);
    return sps_asg_check(c, "group name", group_name);
}

sps_err sps_aws_asg_update_group(struct sps_aws_client *c,
                                 const struct sps_aws_asg_update_input *in,
                                 struct sps_aws_error *aws_err)
{
    SPS_TRY(s_begin(c, in ? in->group_name : NULL, aws_err));
    if (!in->set_min_size && !in->set_max_size && !in->set_desired_capacity)
        return sps_asg_check(c, "a size to change (min, max or desired)", NULL);
    struct sps_query q;
    sps_aws_asg_update_group_query(&q, in);
    return s_run_plain(c, &q, aws_err);
}

void sps_aws_asg_set_desired_capacity_query(struct sps_query *q, const char *group_name,
                                            int64_t desired_capacity, bool honor_cooldown)
{
    sps_asg_query_init(q, "SetDesiredCapacity");
    sps_query_set(q, "AutoScalingGroupName", group_name ? group_name : "");
    sps_asg_query_set_i64(q, "DesiredCapacity", desired_capacity);
    if (honor_cooldown)
        sps_asg_query_set_bool(q, "HonorCooldown", true);
}

sps_err sps_aws_asg_set_desired_capacity(struct sps_aws_client *c, const char *group_name,
                                         int64_t desired_capacity, bool honor_cooldown,
                                         struct sps_aws_error *aws_err)
{
    SPS_TRY(s_begin(c, group_name, aws_err));
    struct sps_query q;
    sps_aws_asg_set_desired_capacity_query(&q, group_name, desired_capacity, honor_cooldown);
    return s_run_plain(c, &q, aws_err);
}

/* Tags.member.N.ResourceId/ResourceType/Key for one group. */
static void s_tag_key(struct sps_query *q, size_t n, const char *group_name, const char *key)
{
    sps_query_setf(q, group_name ? group_name : "", "Tags.member.%zu.ResourceId", n);
    sps_query_setf(q, "auto-scaling-group", "Tags.member.%zu.ResourceType", n);
    sps_query_setf(q, key ? key : "", "Tags.member.%zu.Key", n);
}

void sps_aws_asg_create_or_update_tags_query(struct sps_query *q, const char *group_name,
                                             const struct sps_aws_tags *tags)
{
    sps_asg_query_init(q, "CreateOrUpdateTags");
    for (size_t i = 0; tags != NULL && i < tags->count; i++) {
        const struct sps_aws_tag *t = &tags->items[i];
        s_tag_key(q, i + 1, group_name, t->key);
        sps_query_setf(q, t->value ? t->value : "", "Tags.member.%zu.Value", i + 1);
        sps_query_setf(q, t->propagate_at_launch ? "true" : "false",
                       "Tags.member.%zu.PropagateAtLaunch", i + 1);
    }
}

sps_err sps_aws_asg_create_or_update_tags(struct sps_aws_client *c, const char *group_name,
                                          const struct sps_aws_tags *tags,
                                          struct sps_aws_error *aws_err)
{
    SPS_TRY(s_begin(c, group_name, aws_err));
    if (tags == NULL || tags->count == 0)
        return sps_asg_check(c, "tags", NULL);
    for (size_t i = 0; i < tags->count; i++)
        SPS_TRY(sps_asg_check(c, "a tag key", tags->items[i].key));
    struct sps_query q;
    sps_aws_asg_create_or_update_tags_query(&q, group_name, tags);
    return s_run_plain(c, &q, aws_err);
}

void sps_aws_asg_delete_tags_query(struct sps_query *q, const char *group_name,
                                   const char *const *keys, size_t key_count)
{
    sps_asg_query_init(q, "DeleteTags");
    for (size_t i = 0; i < key_count; i++)
        s_tag_key(q, i + 1, group_name, keys[i]);
}

sps_err sps_aws_asg_delete_tags(struct sps_aws_client *c, const char *group_name,
                                const char *const *keys, size_t key_count,
                                struct sps_aws_error *aws_err)
{
    SPS_TRY(s_begin(c, group_name, aws_err));
    if (keys == NULL || key_count == 0)
        return sps_asg_check(c, "tag keys", NULL);
    for (size_t i = 0; i < key_count; i++)
        SPS_TRY(sps_asg_check(c, "a tag key", keys[i]));
    struct sps_query q;
    sps_aws_asg_delete_tags_query(&q, group_name, keys, key_count);
    return s_run_plain(c, &q, aws_err);
}

static void s_processes_query(struct sps_query *q, const char *action, const char *group_name,
                              const char *const *processes, size_t process_count)
{
    sps_asg_query_init(q, action);
    sps_query_set(q, "AutoScalingGroupName", group_name ? group_name : "");
    if (process_count > 0)
        sps_query_set_list(q, "ScalingProcesses", true, processes, process_count);
}

static sps_err s_run_processes(struct sps_aws_client *c, const char *action, const char *group_name,
                               const char *const *processes, size_t process_count,
                               struct sps_aws_error *aws_err)
{
    SPS_TRY(s_begin(c, group_name, aws_err));
    if (process_count > 0 && processes == NULL)
        return sps_asg_check(c, "process names", NULL);
    for (size_t i = 0; i < process_count; i++)
        SPS_TRY(sps_asg_check(c, "a process name", processes[i]));
    struct sps_query q;
    s_processes_query(&q, action, group_name, processes, process_count);
    return s_run_plain(c, &q, aws_err);
}

void sps_aws_asg_suspend_processes_query(struct sps_query *q, const char *group_name,
                                         const char *const *processes, size_t process_count)
{
    s_processes_query(q, "SuspendProcesses", group_name, processes, process_count);
}

sps_err sps_aws_asg_suspend_processes(struct sps_aws_client *c, const char *group_name,
                                      const char *const *processes, size_t process_count,
                                      struct sps_aws_error *aws_err)
{
    return s_run_processes(c, "SuspendProcesses", group_name, processes, process_count, aws_err);
}

void sps_aws_asg_resume_processes_query(struct sps_query *q, const char *group_name,
                                        const char *const *processes, size_t process_count)
{
    s_processes_query(q, "ResumeProcesses", group_name, processes, process_count);
}

sps_err sps_aws_asg_resume_processes(struct sps_aws_client *c, const char *group_name,
                                     const char *const *processes, size_t process_count,
                                     struct sps_aws_error *aws_err)
{
    return s_run_processes(c, "ResumeProcesses", group_name, processes, process_count, aws_err);
}
