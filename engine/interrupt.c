/* Spot interruption handling: prove the instance is ours to act on, then fall back. */
#include "sps_engine_interrupt.h"

#include <stdio.h>
#include <string.h>

const char *sps_engine_interrupt_status_name(enum sps_engine_interrupt_status status)
{
    switch (status) {
    case SPS_ENGINE_INTERRUPT_DETACHED:
        return "detached";
    case SPS_ENGINE_INTERRUPT_WOULD_DETACH:
        return "would-detach";
    case SPS_ENGINE_INTERRUPT_IGNORED:
        return "ignored";
    }
    return "ignored";
}

static sps_err s_ignore(struct sps_engine_interrupt_result *out, const char *reason)
{
    out->status = SPS_ENGINE_INTERRUPT_IGNORED;
    snprintf(out->reason, sizeof(out->reason), "%s", reason);
    return SPS_OK;
}

/* The group the instance belongs to, as Auto Scaling tags it. */
static const char *s_group_of(const struct sps_aws_ec2_instance *i)
{
    return sps_aws_tags_get(&i->tags, "aws:autoscaling:groupName");
}

/* Whether the group is managed, and not in report-only mode; the reason when it is not. */
static bool s_managed(const struct sps_engine_config *cfg, const struct sps_aws_asg_group *g,
                      bool *report_only, struct sps_buf *why)
{
    struct sps_engine_group_policy policy;
    sps_engine_group_policy_init(&policy);
    bool managed = false;
    if (sps_engine_group_policy_resolve(cfg, g->name, &g->tags, &policy, why) == SPS_OK) {
        managed = policy.enabled;
        *report_only = policy.report_only;
        if (!managed)
            sps_buf_set(why, SPS_CURSOR_LIT("the group is not managed by spotswap"));
    }
    sps_engine_group_policy_clean_up(&policy);
    return managed;
}

static sps_err s_decide(const struct sps_engine_config *cfg, struct sps_launch_context *launch,
                        const struct sps_aws_ec2_instance *instance,
                        const struct sps_aws_asg_groups *groups,
                        struct sps_engine_interrupt_result *out, struct sps_aws_error *aws_err)
{
    const struct sps_aws_asg_group *g = &groups->items[0];
    const struct sps_aws_asg_instance *member =
        sps_aws_asg_group_find_instance(g, instance->instance_id);
    if (member == NULL || member->lifecycle_state != SPS_AWS_ASG_STATE_IN_SERVICE)
        return s_ignore(out, "the instance is not InService in its group");
    struct sps_buf why;
    sps_buf_init(&why, sizeof(out->reason) - 1);
    bool report_only = cfg->report_only;
    bool managed = s_managed(cfg, g, &report_only, &why);
    sps_err err = SPS_OK;
    if (!managed)
        err = s_ignore(out, why.data);
    else if (report_only)
        out->status = SPS_ENGINE_INTERRUPT_WOULD_DETACH;
    else if ((err = sps_launch_fallback_detach(launch, g->name, instance->instance_id,
                                               aws_err)) == SPS_OK)
        out->status = SPS_ENGINE_INTERRUPT_DETACHED;
    sps_buf_clean_up(&why);
    return err;
}

sps_err sps_engine_handle_interruption(const struct sps_engine_config *cfg,
                                       struct sps_launch_context *launch,
                                       const char *instance_id,
                                       struct sps_engine_interrupt_result *out,
                                       struct sps_aws_error *aws_err)
{
    memset(out, 0, sizeof(*out));
    out->status = SPS_ENGINE_INTERRUPT_IGNORED; /* until proven otherwise */
    if (cfg == NULL || launch == NULL || instance_id == NULL || instance_id[0] == '\0')
        return SPS_ERR_INVALID_ARGUMENT;
    const char *ids[] = {instance_id};
    struct sps_aws_ec2_describe_instances_request req = {.instance_ids = ids, .n_instance_ids = 1};
    struct sps_aws_ec2_instances instances = {0};
    struct sps_aws_asg_groups groups;
    sps_aws_asg_groups_init(&groups);
    struct sps_aws_error local;
    aws_err = aws_err ? aws_err : &local;
    sps_err err = sps_aws_ec2_describe_instances(launch->ec2, &req, &instances, aws_err);
    /* EC2 answers a described id that is gone (terminated and forgotten) with NotFound: the
     * warning came too late to matter, which is nothing to fail on. */
    if (err == SPS_ERR_AWS_CLIENT && strcmp(aws_err->code, "InvalidInstanceID.NotFound") == 0) {
        sps_aws_error_clear(aws_err);
        err = s_ignore(out, "the instance no longer exists");
        goto cleanup;
    }
    if (err != SPS_OK)
        goto cleanup;
    const struct sps_aws_ec2_instance *instance = instances.count ? &instances.items[0] : NULL;
    const char *group = instance ? s_group_of(instance) : NULL;
    if (instance == NULL) {
        err = s_ignore(out, "the instance no longer exists");
    } else if (strcmp(instance->lifecycle, "spot") != 0) {
        err = s_ignore(out, "not a spot instance");
    } else if (group == NULL) {
        err = s_ignore(out, "not in an Auto Scaling group");
    } else {
        snprintf(out->group, sizeof(out->group), "%s", group);
        const char *names[] = {group};
        struct sps_aws_asg_describe_groups_input in = {.names = names, .name_count = 1};
        err = sps_aws_asg_describe_groups(launch->autoscaling, &in, &groups, aws_err);
        if (err == SPS_OK)
            err = groups.count ? s_decide(cfg, launch, instance, &groups, out, aws_err)
                               : s_ignore(out, "the group no longer exists");
    }
cleanup:
    sps_aws_asg_groups_clean_up(&groups);
    sps_aws_ec2_instances_clean_up(&instances);
    return err;
}
