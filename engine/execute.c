/*
 * The executor: one launch/ step per plan action, then an optional same-pass retirement of the
 * on-demand instances whose replacements were just attached. The plan was decided from the
 * snapshot; nothing here decides anything new except that retirement, and that only after
 * re-reading the group proves the replacement InService and Healthy.
 */
#include "sps_engine_execute.h"

#include <string.h>

void sps_engine_exec_report_init(struct sps_engine_exec_report *r)
{
    memset(r, 0, sizeof(*r));
}

void sps_engine_exec_report_clean_up(struct sps_engine_exec_report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->count; i++) {
        sps_free(r->entries[i].group);
        sps_free(r->entries[i].instance_id);
        sps_free(r->entries[i].spot_instance_id);
        sps_free(r->entries[i].spot_instance_type);
    }
    sps_free(r->entries);
    sps_engine_exec_report_init(r);
}

const char *sps_engine_outcome_name(enum sps_engine_outcome outcome)
{
    switch (outcome) {
    case SPS_ENGINE_OUTCOME_DONE:
        return "done";
    case SPS_ENGINE_OUTCOME_FAILED:
        return "failed";
    case SPS_ENGINE_OUTCOME_NO_CAPACITY:
        return "no-capacity";
    }
    return "failed";
}

static struct sps_engine_exec_entry *s_entry(struct sps_engine_exec_report *r,
                                             enum sps_engine_action_kind kind, const char *group,
                                             const char *instance_id, const char *spot_id)
{
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->entries = sps_realloc(r->entries, r->cap * sizeof(r->entries[0]));
    }
    struct sps_engine_exec_entry *e = &r->entries[r->count++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->group = sps_strdup(group);
    e->instance_id = sps_strdup(instance_id);
    e->spot_instance_id = sps_strdup(spot_id);
    return e;
}

static const struct sps_aws_asg_group *s_group(const struct sps_engine_snapshot *s,
                                               const char *name)
{
    return name ? sps_aws_asg_groups_find(&s->groups, name) : NULL;
}

static void s_log_result(const struct sps_engine_exec_entry *e)
{
    enum sps_log_level level = e->outcome == SPS_ENGINE_OUTCOME_FAILED ? SPS_LOG_WARN
                                                                      : SPS_LOG_INFO;
    sps_log(level, "action", "action", sps_engine_action_kind_name(e->kind), "group",
            e->group ? e->group : "", "instance", e->instance_id ? e->instance_id : "", "spot",
            e->spot_instance_id ? e->spot_instance_id : "", "outcome",
            sps_engine_outcome_name(e->outcome), "error",
            e->error == SPS_OK ? "" : sps_error_name(e->error), "code", e->aws_error.code,
            "message", e->aws_error.message, NULL);
}

static sps_err s_launch(const struct sps_engine_action *a, const struct sps_engine_snapshot *s,
                        struct sps_launch_context *ctx, struct sps_engine_exec_entry *e)
{
    const struct sps_aws_asg_group *group = s_group(s, a->group);
    const struct sps_aws_ec2_instance *instance = sps_engine_snapshot_instance(s, a->instance_id);
    const struct sps_engine_group_source *source = sps_engine_snapshot_source(s, a->group);
    if (group == NULL || instance == NULL || source == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    struct sps_launch_spec spec = {
        .group = group,
        .instance = instance,
        .source = {source->launch_configuration, source->template_version},
        .max_price_usd = a->on_demand_price,
        .ebs_optimized = a->ebs_optimized,
    };
    struct sps_launch_outcome outcome;
    memset(&outcome, 0, sizeof(outcome));
    sps_err err = sps_launch_spot(ctx, &spec, (const char *const *)a->candidates,
                                  a->candidate_count, &outcome);
    e->aws_error = outcome.last_error;
    if (err == SPS_OK) {
        e->spot_instance_id = sps_strdup(outcome.instance_id);
        e->spot_instance_type = sps_strdup(outcome.instance_type);
    }
    /* The fallback mark is bookkeeping for the report: its failure must not fail the launch. */
    struct sps_aws_error mark_err;
    if (err == SPS_OK || err == SPS_ERR_AWS_CAPACITY) {
        int64_t now = ctx->clock->wall_ms(ctx->clock->ctx);
        if (sps_launch_mark_fallback(ctx, group, err != SPS_OK, now, &mark_err) != SPS_OK)
            sps_log(SPS_LOG_WARN, "could not update the fallback mark", "group", a->group,
                    "code", mark_err.code, NULL);
    }
    return err;
}

static sps_err s_run_action(const struct sps_engine_action *a,
                            const struct sps_engine_snapshot *s, struct sps_launch_context *ctx,
                            struct sps_engine_exec_entry *e)
{
    const struct sps_aws_asg_group *group = s_group(s, a->group);
    switch (a->kind) {
    case SPS_ENGINE_LAUNCH:
        return s_launch(a, s, ctx, e);
    case SPS_ENGINE_ATTACH:
        return group ? sps_launch_attach(ctx, group, a->spot_instance_id, &e->aws_error)
                     : SPS_ERR_INVALID_ARGUMENT;
    case SPS_ENGINE_RETIRE:
        return group ? sps_launch_retire(ctx, group, a->instance_id, a->spot_instance_id,
                                         a->has_termination_hooks, &e->aws_error)
                     : SPS_ERR_INVALID_ARGUMENT;
    case SPS_ENGINE_TERMINATE:
        return sps_launch_terminate(ctx, a->instance_id, &e->aws_error);
    case SPS_ENGINE_RESTORE_MAX:
        return group ? sps_launch_restore_max(ctx, group, &e->aws_error)
                     : SPS_ERR_INVALID_ARGUMENT;
    }
    return SPS_ERR_INVALID_ARGUMENT;
}

/* An attached spot instance waiting for its on-demand instance to be retired this pass. */
struct s_pending {
    const struct sps_engine_action *attach;
    bool done;
};

/* Whether `spot_id` is InService and Healthy in the freshly read `group`, with `od_id` still
 * InService beside it: the same proof the planner demands before a RETIRE. */
static bool s_ready_to_retire(const struct sps_aws_asg_group *group, const char *spot_id,
                              const char *od_id)
{
    const struct sps_aws_asg_instance *spot = sps_aws_asg_group_find_instance(group, spot_id);
    const struct sps_aws_asg_instance *od = sps_aws_asg_group_find_instance(group, od_id);
    return spot && od && spot->lifecycle_state == SPS_AWS_ASG_STATE_IN_SERVICE &&
           strcmp(spot->health_status, "Healthy") == 0 &&
           od->lifecycle_state == SPS_AWS_ASG_STATE_IN_SERVICE;
}

static const char *s_replaces(const struct sps_engine_snapshot *s, const char *spot_id)
{
    const struct sps_aws_ec2_instance *spot = sps_engine_snapshot_instance(s, spot_id);
    return spot ? sps_aws_tags_get(&spot->tags, SPS_TAG_REPLACES) : NULL;
}

static bool s_has_termination_hooks(const struct sps_engine_snapshot *s, const char *group)
{
    const struct sps_aws_asg_lifecycle_hooks *hooks = sps_engine_snapshot_hooks(s, group);
    for (size_t i = 0; hooks && i < hooks->count; i++) {
        if (hooks->items[i].transition == SPS_AWS_ASG_TRANSITION_TERMINATING)
            return true;
    }
    return false;
}

/* Re-reads one group and retires what is ready; returns how many are still waiting. */
static size_t s_retire_ready(const struct sps_engine_snapshot *s, struct sps_launch_context *ctx,
                             struct s_pending *pending, size_t n,
                             struct sps_engine_exec_report *report, sps_err *first_err)
{
    size_t waiting = 0;
    for (size_t i = 0; i < n; i++) {
        if (pending[i].done)
            continue;
        const struct sps_engine_action *a = pending[i].attach;
        const char *od_id = s_replaces(s, a->spot_instance_id);
        const char *names[] = {a->group};
        struct sps_aws_asg_describe_groups_input in = {.names = names, .name_count = 1};
        struct sps_aws_asg_groups fresh;
        sps_aws_asg_groups_init(&fresh);
        struct sps_aws_error aws_err;
        sps_err err = sps_aws_asg_describe_groups(ctx->autoscaling, &in, &fresh, &aws_err);
        const struct sps_aws_asg_group *group =
            err == SPS_OK ? sps_aws_asg_groups_find(&fresh, a->group) : NULL;
        if (od_id && group && s_ready_to_retire(group, a->spot_instance_id, od_id)) {
            struct sps_engine_exec_entry *e =
                s_entry(report, SPS_ENGINE_RETIRE, a->group, od_id, a->spot_instance_id);
            e->error = sps_launch_retire(ctx, group, od_id, a->spot_instance_id,
                                         s_has_termination_hooks(s, a->group), &e->aws_error);
            e->outcome = e->error == SPS_OK ? SPS_ENGINE_OUTCOME_DONE : SPS_ENGINE_OUTCOME_FAILED;
            if (e->error != SPS_OK) {
                report->failed++;
                if (*first_err == SPS_OK)
                    *first_err = e->error;
            }
            s_log_result(e);
            pending[i].done = true;
        } else if (od_id == NULL || (err == SPS_OK && group == NULL)) {
            pending[i].done = true; /* nothing to retire, or the group is gone: next pass */
        } else if (err != SPS_OK) {
            /* The re-read failed after its own retries: polling on would only repeat the
             * failure for the rest of the wait. The next pass finds S attached and retires. */
            sps_log(SPS_LOG_WARN, "retire left to the next pass: the group could not be read",
                    "group", a->group, "spot_instance", a->spot_instance_id, "error",
                    aws_err.code[0] ? aws_err.code : sps_error_name(err), NULL);
            pending[i].done = true;
        } else {
            waiting++;
        }
        sps_aws_asg_groups_clean_up(&fresh);
    }
    return waiting;
}

static void s_retire_after_attach(const struct sps_engine_plan *plan,
                                  const struct sps_engine_snapshot *s,
                                  const struct sps_engine_exec_options *o,
                                  const bool *attached, struct sps_engine_exec_report *report,
                                  sps_err *first_err)
{
    struct s_pending *pending = sps_calloc(plan->action_count, sizeof(*pending));
    size_t n = 0;
    for (size_t i = 0; i < plan->action_count; i++) {
        if (attached[i])
            pending[n++].attach = &plan->actions[i];
    }
    const struct sps_clock *clock = o->launch->clock;
    int64_t deadline = clock->mono_ms(clock->ctx) + o->retire_wait_ms;
    int64_t interval = o->poll_interval_ms > 0 ? o->poll_interval_ms : 5000;
    while (n && s_retire_ready(s, o->launch, pending, n, report, first_err) > 0 &&
           clock->mono_ms(clock->ctx) + interval <= deadline)
        clock->sleep_ms(clock->ctx, interval);
    sps_free(pending);
}

sps_err sps_engine_execute(const struct sps_engine_plan *plan,
                           const struct sps_engine_snapshot *snapshot,
                           const struct sps_engine_exec_options *options,
                           struct sps_engine_exec_report *report)
{
    if (plan == NULL || snapshot == NULL || options == NULL || options->launch == NULL ||
        report == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    sps_err first_err = SPS_OK;
    bool *attached = sps_calloc(plan->action_count ? plan->action_count : 1, sizeof(bool));
    for (size_t i = 0; i < plan->action_count; i++) {
        const struct sps_engine_action *a = &plan->actions[i];
        struct sps_engine_exec_entry *e =
            s_entry(report, a->kind, a->group, a->instance_id,
                    a->kind == SPS_ENGINE_LAUNCH ? NULL : a->spot_instance_id);
        e->error = s_run_action(a, snapshot, options->launch, e);
        e->outcome = e->error == SPS_OK               ? SPS_ENGINE_OUTCOME_DONE
                     : e->error == SPS_ERR_AWS_CAPACITY ? SPS_ENGINE_OUTCOME_NO_CAPACITY
                                                        : SPS_ENGINE_OUTCOME_FAILED;
        if (e->outcome == SPS_ENGINE_OUTCOME_FAILED) {
            report->failed++;
            if (first_err == SPS_OK)
                first_err = e->error;
        }
        attached[i] = a->kind == SPS_ENGINE_ATTACH && e->error == SPS_OK;
        s_log_result(e);
    }
    if (options->retire_wait_ms > 0)
        s_retire_after_attach(plan, snapshot, options, attached, report, &first_err);
    sps_free(attached);
    return first_err;
}
