/*
 * DescribeLifecycleHooks (a termination hook makes an instance linger in Terminating:Wait, which
 * the engine has to expect) and DescribeScalingActivities (what the group did, for diagnosing).
 */
#include "autoscaling_internal.h"

#include <string.h>

#define S_LAUNCHING "autoscaling:EC2_INSTANCE_LAUNCHING"
#define S_TERMINATING "autoscaling:EC2_INSTANCE_TERMINATING"

void sps_aws_asg_lifecycle_hooks_init(struct sps_aws_asg_lifecycle_hooks *h)
{
    memset(h, 0, sizeof(*h));
}

static void s_hook_clean_up(struct sps_aws_asg_lifecycle_hook *h)
{
    sps_free(h->name);
    sps_free(h->group_name);
    sps_free(h->transition_raw);
    sps_free(h->default_result);
    sps_free(h->notification_target_arn);
    sps_free(h->role_arn);
    memset(h, 0, sizeof(*h));
}

void sps_aws_asg_lifecycle_hooks_clean_up(struct sps_aws_asg_lifecycle_hooks *h)
{
    if (h == NULL)
        return;
    for (size_t i = 0; i < h->count; i++)
        s_hook_clean_up(&h->items[i]);
    sps_free(h->items);
    sps_aws_asg_lifecycle_hooks_init(h);
}

/* The model marks no LifecycleHook member required, but a hook without a name or transition
 * tells the engine nothing it could act on; such a response is treated as broken. */
static sps_err s_read_hook(const struct sps_xml_node *n, struct sps_aws_asg_lifecycle_hook *h)
{
    static const char shape[] = "LifecycleHook";
    SPS_TRY(sps_asg_need_str(n, shape, "LifecycleHookName", &h->name));
    SPS_TRY(sps_asg_need_str(n, shape, "LifecycleTransition", &h->transition_raw));
    SPS_TRY(sps_asg_opt_i64(n, shape, "HeartbeatTimeout", &h->heartbeat_timeout, NULL));
    SPS_TRY(sps_asg_opt_i64(n, shape, "GlobalTimeout", &h->global_timeout, NULL));
    if (strcmp(h->transition_raw, S_LAUNCHING) == 0)
        h->transition = SPS_AWS_ASG_TRANSITION_LAUNCHING;
    else if (strcmp(h->transition_raw, S_TERMINATING) == 0)
        h->transition = SPS_AWS_ASG_TRANSITION_TERMINATING;
    else
        h->transition = SPS_AWS_ASG_TRANSITION_UNKNOWN;
    sps_asg_opt_str(n, "AutoScalingGroupName", &h->group_name);
    sps_asg_opt_str(n, "DefaultResult", &h->default_result);
    sps_asg_opt_str(n, "NotificationTargetARN", &h->notification_target_arn);
    sps_asg_opt_str(n, "RoleARN", &h->role_arn);
    return SPS_OK;
}

sps_err sps_aws_asg_parse_describe_lifecycle_hooks(const struct sps_xml_node *result,
                                                   struct sps_aws_asg_lifecycle_hooks *out)
{
    const struct sps_xml_node *list = NULL;
    SPS_TRY(sps_asg_need_list(result, "DescribeLifecycleHooksResult", "LifecycleHooks", &list));
    for (const struct sps_xml_node *m = sps_asg_first(list); m; m = sps_asg_next(m)) {
        struct sps_aws_asg_lifecycle_hook h = {0};
        sps_err err = s_read_hook(m, &h);
        if (err != SPS_OK) {
            s_hook_clean_up(&h);
            return err;
        }
        out->items = sps_asg_grow(out->items, &out->cap, out->count, sizeof(out->items[0]));
        out->items[out->count++] = h;
    }
    return SPS_OK;
}

void sps_aws_asg_describe_lifecycle_hooks_query(struct sps_query *q, const char *group_name)
{
    sps_asg_query_init(q, "DescribeLifecycleHooks");
    sps_query_set(q, "AutoScalingGroupName", group_name ? group_name : "");
}

static sps_err s_parse_hooks(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_describe_lifecycle_hooks(result, out);
}

sps_err sps_aws_asg_describe_lifecycle_hooks(struct sps_aws_client *c, const char *group_name,
                                             struct sps_aws_asg_lifecycle_hooks *out,
                                             struct sps_aws_error *aws_err)
{
    sps_aws_asg_lifecycle_hooks_init(out);
    if (aws_err != NULL)
        sps_aws_error_clear(aws_err);
    SPS_TRY(sps_asg_check(c, "group name", group_name));
    struct sps_query q;
    sps_aws_asg_describe_lifecycle_hooks_query(&q, group_name);
    sps_err err = sps_asg_run(c, &q, s_parse_hooks, out, aws_err);
    sps_query_clean_up(&q);
    if (err != SPS_OK)
        sps_aws_asg_lifecycle_hooks_clean_up(out);
    return err;
}

sps_err sps_aws_asg_parse_describe_activities(const struct sps_xml_node *result,
                                              struct sps_aws_asg_activities *out)
{
    const struct sps_xml_node *list = NULL;
    SPS_TRY(sps_asg_need_list(result, "DescribeScalingActivitiesResult", "Activities", &list));
    SPS_TRY(sps_asg_read_activities(list, out));
    sps_asg_read_next_token(result, &out->next_token);
    return SPS_OK;
}

void sps_aws_asg_describe_activities_query(struct sps_query *q,
                                           const struct sps_aws_asg_describe_activities_input *in)
{
    sps_asg_query_init(q, "DescribeScalingActivities");
    if (in->group_name != NULL && in->group_name[0] != '\0')
        sps_query_set(q, "AutoScalingGroupName", in->group_name);
    sps_asg_query_set_i64(q, "MaxRecords",
                          in->max_records > 0 ? in->max_records : SPS_AWS_ASG_MAX_RECORDS);
    if (in->next_token != NULL && in->next_token[0] != '\0')
        sps_query_set(q, "NextToken", in->next_token);
}

static sps_err s_parse_activities(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_describe_activities(result, out);
}

sps_err sps_aws_asg_describe_activities(struct sps_aws_client *c,
                                        const struct sps_aws_asg_describe_activities_input *in,
                                        struct sps_aws_asg_activities *out,
                                        struct sps_aws_error *aws_err)
{
    sps_aws_asg_activities_init(out);
    if (aws_err != NULL)
        sps_aws_error_clear(aws_err);
    SPS_TRY(sps_asg_check(c, NULL, NULL));
    if (in == NULL || in->max_records < 0 || in->max_records > SPS_AWS_ASG_MAX_RECORDS) {
        sps_log(SPS_LOG_DEBUG, "DescribeScalingActivities input refused", "problem",
                "no input, or max_records not 0 (default) or 1-100", NULL);
        return SPS_ERR_INVALID_ARGUMENT;
    }
    struct sps_query q;
    sps_aws_asg_describe_activities_query(&q, in);
    sps_err err = sps_asg_run(c, &q, s_parse_activities, out, aws_err);
    sps_query_clean_up(&q);
    if (err != SPS_OK)
        sps_aws_asg_activities_clean_up(out);
    return err;
}
