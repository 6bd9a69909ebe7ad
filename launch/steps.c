/* The steps after a launch (docs/launch.md): attach, retire, restore a raised max, terminate,
 * detach on a spot interruption, and the fallback mark. Each one is safe to re-run after a
 * crash at any point: what was already done is recognised (from the group the engine passes,
 * from tags, or by asking Auto Scaling when it refuses) and skipped. */
#include "sps_launch.h"

#include <stdio.h>
#include <string.h>

static bool s_set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static sps_err s_invalid(const char *step, const char *why)
{
    sps_log(SPS_LOG_WARN, "launch step refused", "step", step, "reason", why, NULL);
    return SPS_ERR_INVALID_ARGUMENT;
}

static bool s_is_validation_error(sps_err err, const struct sps_aws_error *e)
{
    return err == SPS_ERR_AWS_CLIENT && strcmp(e->code, "ValidationError") == 0;
}

static bool s_terminating(enum sps_aws_asg_lifecycle_state s)
{
    return s == SPS_AWS_ASG_STATE_TERMINATING || s == SPS_AWS_ASG_STATE_TERMINATING_WAIT ||
           s == SPS_AWS_ASG_STATE_TERMINATING_PROCEED || s == SPS_AWS_ASG_STATE_TERMINATED;
}

/* Asks Auto Scaling whether `id` is a member of `group_name` now: `*member` false when the
 * instance (or the group) is not there; `*state` its lifecycle state otherwise. */
static sps_err s_member_now(struct sps_launch_context *ctx, const char *group_name, const char *id,
                            bool *member, enum sps_aws_asg_lifecycle_state *state)
{
    const char *names[] = {group_name};
    struct sps_aws_asg_describe_groups_input in = {.names = names, .name_count = 1};
    struct sps_aws_asg_groups groups;
    struct sps_aws_error e;
    sps_err err = sps_aws_asg_describe_groups(ctx->autoscaling, &in, &groups, &e);
    if (err == SPS_OK) {
        const struct sps_aws_asg_group *g = sps_aws_asg_groups_find(&groups, group_name);
        const struct sps_aws_asg_instance *m = g ? sps_aws_asg_group_find_instance(g, id) : NULL;
        *member = m != NULL;
        *state = m ? m->lifecycle_state : SPS_AWS_ASG_STATE_UNKNOWN;
    }
    sps_aws_asg_groups_clean_up(&groups);
    return err;
}

/* The group's spotswap:max-raised-from value: SPS_ERR_NOT_FOUND without the tag. */
static sps_err s_raised_from(const struct sps_aws_asg_group *group, int64_t *out)
{
    const char *v = sps_aws_tags_get(&group->tags, SPS_TAG_MAX_RAISED_FROM);
    if (v == NULL)
        return SPS_ERR_NOT_FOUND;
    int64_t n = 0;
    if (sps_cursor_to_i64(sps_cursor_from_str(v), &n) != SPS_OK || n < 0) {
        sps_log(SPS_LOG_WARN, "the group's max-raised-from tag is not a size; leaving it alone",
                "group", group->name, "tag", SPS_TAG_MAX_RAISED_FROM, "value", v, NULL);
        return SPS_ERR_INVALID_ARGUMENT;
    }
    *out = n;
    return SPS_OK;
}

static sps_err s_group_tag(struct sps_launch_context *ctx, const char *group, const char *key,
                           const char *value, struct sps_aws_error *aws_err)
{
    struct sps_aws_tags tags;
    sps_aws_tags_init(&tags);
    sps_aws_tags_set(&tags, key, value, false);
    sps_err err = sps_aws_asg_create_or_update_tags(ctx->autoscaling, group, &tags, aws_err);
    sps_aws_tags_clean_up(&tags);
    return err;
}

static sps_err s_set_max(struct sps_launch_context *ctx, const char *group, int64_t max,
                         struct sps_aws_error *aws_err)
{
    struct sps_aws_asg_update_input up = {
        .group_name = group, .set_max_size = true, .max_size = max};
    return sps_aws_asg_update_group(ctx->autoscaling, &up, aws_err);
}

/* Desired is at max: record the max (unless a crashed earlier run did) and raise it by one,
 * unless that run got as far as raising it. */
static sps_err s_make_room(struct sps_launch_context *ctx, const struct sps_aws_asg_group *group,
                           struct sps_aws_error *aws_err)
{
    int64_t from = 0;
    sps_err err = s_raised_from(group, &from);
    if (err == SPS_ERR_NOT_FOUND) {
        from = group->max_size;
        char value[24];
        snprintf(value, sizeof(value), "%lld", (long long)from);
        SPS_TRY(s_group_tag(ctx, group->name, SPS_TAG_MAX_RAISED_FROM, value, aws_err));
    } else if (err != SPS_OK) {
        return err;
    }
    /* Another swap of this group may hold the first raised slot: room is one above desired. */
    int64_t target = from + 1;
    if (group->desired_capacity + 1 > target)
        target = group->desired_capacity + 1;
    if (group->max_size >= target) {
        sps_log(SPS_LOG_INFO, "max already raised", "group", group->name, NULL);
        return SPS_OK;
    }
    char max[24];
    snprintf(max, sizeof(max), "%lld", (long long)target);
    sps_log(SPS_LOG_INFO, "raising max for the attach", "group", group->name, "max", max, NULL);
    return s_set_max(ctx, group->name, target, aws_err);
}

/* The attach was refused and the instance is no member: if the group as it is now (an earlier
 * attach of this pass may have used the raised slot) is at max, make room and attach again. */
static sps_err s_attach_again(struct sps_launch_context *ctx, const char *group_name,
                              const struct sps_aws_asg_instances_input *in,
                              struct sps_aws_error *aws_err)
{
    const char *names[] = {group_name};
    struct sps_aws_asg_describe_groups_input din = {.names = names, .name_count = 1};
    struct sps_aws_asg_groups groups;
    sps_aws_asg_groups_init(&groups);
    struct sps_aws_error e;
    sps_err err = sps_aws_asg_describe_groups(ctx->autoscaling, &din, &groups, &e);
    const struct sps_aws_asg_group *g =
        err == SPS_OK ? sps_aws_asg_groups_find(&groups, group_name) : NULL;
    if (g == NULL || g->desired_capacity < g->max_size) {
        err = SPS_ERR_AWS_CLIENT; /* keep the first refusal in aws_err */
        goto cleanup;
    }
    sps_aws_error_clear(aws_err);
    err = s_make_room(ctx, g, aws_err);
    if (err == SPS_OK)
        err = sps_aws_asg_attach_instances(ctx->autoscaling, in, aws_err);
cleanup:
    sps_aws_asg_groups_clean_up(&groups);
    return err;
}

sps_err sps_launch_attach(struct sps_launch_context *ctx, const struct sps_aws_asg_group *group,
                          const char *spot_id, struct sps_aws_error *aws_err)
{
    struct sps_aws_error local;
    aws_err = aws_err ? aws_err : &local;
    sps_aws_error_clear(aws_err);
    if (ctx == NULL || ctx->autoscaling == NULL || group == NULL || !s_set(group->name) ||
        !s_set(spot_id))
        return s_invalid("attach", "missing client, group or spot instance");
    if (sps_aws_asg_group_find_instance(group, spot_id) != NULL) {
        sps_log(SPS_LOG_INFO, "already attached", "group", group->name, "spot_instance", spot_id,
                NULL);
        return SPS_OK;
    }
    if (group->desired_capacity >= group->max_size)
        SPS_TRY(s_make_room(ctx, group, aws_err));
    const char *ids[] = {spot_id};
    struct sps_aws_asg_instances_input in = {
        .group_name = group->name, .instance_ids = ids, .instance_count = 1};
    sps_err err = sps_aws_asg_attach_instances(ctx->autoscaling, &in, aws_err);
    if (s_is_validation_error(err, aws_err)) {
        /* A member already (an earlier run's attach landed) is what we wanted. */
        bool member = false;
        enum sps_aws_asg_lifecycle_state state;
        if (s_member_now(ctx, group->name, spot_id, &member, &state) == SPS_OK && member) {
            sps_aws_error_clear(aws_err);
            err = SPS_OK;
        } else {
            err = s_attach_again(ctx, group->name, &in, aws_err);
        }
    }
    sps_log(err == SPS_OK ? SPS_LOG_INFO : SPS_LOG_WARN, "attach", "group", group->name,
            "spot_instance", spot_id, "result",
            err == SPS_OK ? "attached" : (aws_err->code[0] ? aws_err->code : sps_error_name(err)),
            NULL);
    return err;
}

sps_err sps_launch_terminate(struct sps_launch_context *ctx, const char *instance_id,
                             struct sps_aws_error *aws_err)
{
    struct sps_aws_error local;
    aws_err = aws_err ? aws_err : &local;
    sps_aws_error_clear(aws_err);
    if (ctx == NULL || ctx->ec2 == NULL || !s_set(instance_id))
        return s_invalid("terminate", "missing client or instance");
    const char *ids[] = {instance_id};
    struct sps_aws_ec2_state_changes changes = {0};
    sps_err err = sps_aws_ec2_terminate_instances(ctx->ec2, ids, 1, &changes, aws_err);
    sps_aws_ec2_state_changes_clean_up(&changes);
    if (err == SPS_ERR_AWS_CLIENT && strcmp(aws_err->code, "InvalidInstanceID.NotFound") == 0) {
        /* Gone from EC2's listing: terminated long enough ago. */
        sps_aws_error_clear(aws_err);
        err = SPS_OK;
    }
    sps_log(
        err == SPS_OK ? SPS_LOG_INFO : SPS_LOG_WARN, "terminate", "instance", instance_id, "result",
        err == SPS_OK ? "terminating" : (aws_err->code[0] ? aws_err->code : sps_error_name(err)),
        NULL);
    return err;
}

/* Detach with a decrement; success when the instance is no longer a member anyway. */
static sps_err s_detach(struct sps_launch_context *ctx, const char *group, const char *id,
                        bool decrement, struct sps_aws_error *aws_err)
{
    const char *ids[] = {id};
    struct sps_aws_asg_instances_input in = {.group_name = group,
                                             .instance_ids = ids,
                                             .instance_count = 1,
                                             .should_decrement_desired_capacity = decrement};
    struct sps_aws_asg_activities acts;
    sps_err err = sps_aws_asg_detach_instances(ctx->autoscaling, &in, &acts, aws_err);
    sps_aws_asg_activities_clean_up(&acts);
    if (s_is_validation_error(err, aws_err)) {
        bool member = true;
        enum sps_aws_asg_lifecycle_state state;
        if (s_member_now(ctx, group, id, &member, &state) == SPS_OK && !member) {
            sps_log(SPS_LOG_INFO, "already detached", "group", group, "instance", id, NULL);
            sps_aws_error_clear(aws_err);
            err = SPS_OK;
        }
    }
    return err;
}

/* Through the group, so its termination hooks run. Already terminating is done; no longer a
 * member means the group let it go: `*gone` asks the caller to terminate it directly. */
static sps_err s_terminate_in_group(struct sps_launch_context *ctx, const char *group,
                                    const char *id, bool *gone, struct sps_aws_error *aws_err)
{
    struct sps_aws_asg_activity act = {0};
    sps_err err = sps_aws_asg_terminate_instance(ctx->autoscaling, id, true, &act, aws_err);
    sps_aws_asg_activity_clean_up(&act);
    if (!s_is_validation_error(err, aws_err))
        return err;
    bool member = true;
    enum sps_aws_asg_lifecycle_state state = SPS_AWS_ASG_STATE_UNKNOWN;
    if (s_member_now(ctx, group, id, &member, &state) != SPS_OK)
        return err;
    if (member && !s_terminating(state))
        return err;
    *gone = !member;
    sps_aws_error_clear(aws_err);
    return SPS_OK;
}

sps_err sps_launch_retire(struct sps_launch_context *ctx, const struct sps_aws_asg_group *group,
                          const char *od_id, const char *spot_id, bool has_termination_hooks,
                          struct sps_aws_error *aws_err)
{
    struct sps_aws_error local;
    aws_err = aws_err ? aws_err : &local;
    sps_aws_error_clear(aws_err);
    if (ctx == NULL || ctx->ec2 == NULL || ctx->autoscaling == NULL || group == NULL ||
        !s_set(group->name) || !s_set(od_id) || !s_set(spot_id))
        return s_invalid("retire", "missing client, group, instance or replacement");
    struct sps_aws_tags tags;
    sps_aws_tags_init(&tags);
    sps_aws_tags_set(&tags, SPS_TAG_REPLACED_BY, spot_id, false);
    const char *ids[] = {od_id};
    sps_err err = sps_aws_ec2_create_tags(ctx->ec2, ids, 1, &tags, aws_err);
    sps_aws_tags_clean_up(&tags);
    if (err != SPS_OK)
        return err;

    const struct sps_aws_asg_instance *m = sps_aws_asg_group_find_instance(group, od_id);
    bool terminate_directly = m == NULL;
    if (m != NULL && has_termination_hooks) {
        if (s_terminating(m->lifecycle_state)) {
            sps_log(SPS_LOG_INFO, "already terminating through the group", "group", group->name,
                    "instance", od_id, NULL);
            return SPS_OK;
        }
        SPS_TRY(s_terminate_in_group(ctx, group->name, od_id, &terminate_directly, aws_err));
    } else if (m != NULL) {
        SPS_TRY(s_detach(ctx, group->name, od_id, true, aws_err));
        terminate_directly = true;
    }
    sps_log(SPS_LOG_INFO, "retire", "group", group->name, "instance", od_id, "replaced_by", spot_id,
            "via", terminate_directly ? "detach and terminate" : "the group's termination hooks",
            NULL);
    if (!terminate_directly)
        return SPS_OK;
    return sps_launch_terminate(ctx, od_id, aws_err);
}

sps_err sps_launch_restore_max(struct sps_launch_context *ctx,
                               const struct sps_aws_asg_group *group, struct sps_aws_error *aws_err)
{
    struct sps_aws_error local;
    aws_err = aws_err ? aws_err : &local;
    sps_aws_error_clear(aws_err);
    if (ctx == NULL || ctx->autoscaling == NULL || group == NULL || !s_set(group->name))
        return s_invalid("restore max", "missing client or group");
    int64_t from = 0;
    sps_err err = s_raised_from(group, &from);
    if (err == SPS_ERR_NOT_FOUND)
        return SPS_OK;
    SPS_TRY(err);
    if (group->max_size != from) {
        char max[24];
        snprintf(max, sizeof(max), "%lld", (long long)from);
        sps_log(SPS_LOG_INFO, "restoring max", "group", group->name, "max", max, NULL);
        SPS_TRY(s_set_max(ctx, group->name, from, aws_err));
    }
    const char *keys[] = {SPS_TAG_MAX_RAISED_FROM};
    return sps_aws_asg_delete_tags(ctx->autoscaling, group->name, keys, 1, aws_err);
}

sps_err sps_launch_fallback_detach(struct sps_launch_context *ctx, const char *group_name,
                                   const char *spot_id, struct sps_aws_error *aws_err)
{
    struct sps_aws_error local;
    aws_err = aws_err ? aws_err : &local;
    sps_aws_error_clear(aws_err);
    if (ctx == NULL || ctx->autoscaling == NULL || !s_set(group_name) || !s_set(spot_id))
        return s_invalid("fallback detach", "missing client, group or spot instance");
    sps_err err = s_detach(ctx, group_name, spot_id, false, aws_err);
    sps_log(err == SPS_OK ? SPS_LOG_INFO : SPS_LOG_WARN, "spot interruption: detached", "group",
            group_name, "spot_instance", spot_id, "result",
            err == SPS_OK ? "detached" : (aws_err->code[0] ? aws_err->code : sps_error_name(err)),
            NULL);
    return err;
}

sps_err sps_launch_mark_fallback(struct sps_launch_context *ctx,
                                 const struct sps_aws_asg_group *group, bool on_fallback,
                                 int64_t now_ms, struct sps_aws_error *aws_err)
{
    struct sps_aws_error local;
    aws_err = aws_err ? aws_err : &local;
    sps_aws_error_clear(aws_err);
    if (ctx == NULL || ctx->autoscaling == NULL || group == NULL || !s_set(group->name))
        return s_invalid("mark fallback", "missing client or group");
    bool marked = sps_aws_tags_get(&group->tags, SPS_TAG_FALLBACK_SINCE) != NULL;
    if (on_fallback == marked)
        return SPS_OK;
    if (!on_fallback) {
        const char *keys[] = {SPS_TAG_FALLBACK_SINCE};
        return sps_aws_asg_delete_tags(ctx->autoscaling, group->name, keys, 1, aws_err);
    }
    struct sps_buf when;
    sps_buf_init(&when, 64);
    sps_err err = sps_time_format_iso8601(&when, now_ms);
    if (err == SPS_OK)
        err = s_group_tag(ctx, group->name, SPS_TAG_FALLBACK_SINCE, when.data, aws_err);
    sps_buf_clean_up(&when);
    return err;
}
