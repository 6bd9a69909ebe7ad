/*
 * The planner's rules for work already started (docs/planning.md): spotswap's spot instances
 * outside any group (attach when ready, wait, orphans, stuck and stopped launches), detached
 * retirees, attached replacements whose original is still InService (retire), and a group max
 * left raised (restore). Each instance is visited in instance-id order.
 */
#include "plan_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *s_str(const char *s)
{
    return s ? s : "";
}

static bool s_state_is(const struct sps_aws_ec2_instance *i, const char *state)
{
    return strcmp(s_str(i->state_name), state) == 0;
}

static const struct sps_aws_ec2_instance_status *s_status(const struct sps_engine_snapshot *snap,
                                                          const char *id)
{
    for (size_t i = 0; i < snap->statuses.count; i++) {
        if (strcmp(s_str(snap->statuses.items[i].instance_id), id) == 0)
            return &snap->statuses.items[i];
    }
    return NULL;
}

static int64_t s_age_ms(const struct sps_engine_plan_ctx *ctx, const struct sps_aws_ec2_instance *i)
{
    return ctx->snap->now_ms - i->launch_time_ms;
}

/* NULL when S may be attached now; else why it waits (static or in `buf`). */
static const char *s_not_ready(const struct sps_engine_plan_ctx *ctx,
                               const struct sps_aws_ec2_instance *s,
                               const struct sps_aws_asg_group *g, char *buf, size_t len)
{
    if (!s_state_is(s, "running")) {
        snprintf(buf, len, "waiting: state %s, not running", s_str(s->state_name));
        return buf;
    }
    int64_t grace_ms = g->health_check_grace_period * 1000;
    int64_t age = s_age_ms(ctx, s);
    if (age < grace_ms) {
        snprintf(buf, len, "waiting: running %" PRId64 " s of the %" PRId64 " s grace period",
                 age / 1000, g->health_check_grace_period);
        return buf;
    }
    const struct sps_aws_ec2_instance_status *st = s_status(ctx->snap, s->instance_id);
    if (!st)
        return "waiting: no status checks yet";
    if (strcmp(s_str(st->instance_status), "ok") != 0 ||
        strcmp(s_str(st->system_status), "ok") != 0) {
        snprintf(buf, len, "waiting: status checks instance %s, system %s",
                 s_str(st->instance_status), s_str(st->system_status));
        return buf;
    }
    return NULL;
}

static int64_t s_stuck_ms(const struct sps_engine_plan_work *w)
{
    int64_t periods = SPS_ENGINE_DEFAULT_ORPHAN_GRACE_PERIODS;
    if (w->has_policy && w->policy.orphan_grace_periods >= 1)
        periods = w->policy.orphan_grace_periods;
    int64_t grace = w->group->health_check_grace_period;
    if (grace < SPS_ENGINE_MIN_STUCK_GRACE_S)
        grace = SPS_ENGINE_MIN_STUCK_GRACE_S;
    return periods * grace * 1000;
}

/* S claims X when no other live spotswap instance does first: one attached to a group, or one
 * outside with a smaller id. The others are surplus, handled as orphans. */
static bool s_claims(const struct sps_engine_plan_ctx *ctx, const struct sps_aws_ec2_instance *s,
                     const char *x)
{
    for (size_t i = 0; i < ctx->idx.instance_count; i++) {
        const struct sps_aws_ec2_instance *o = ctx->idx.instances[i];
        if (o == s || sps_engine_plan_instance_gone(o) ||
            !sps_engine_plan_tag(o, SPS_TAG_LAUNCHED_FOR_ASG))
            continue;
        const char *ox = sps_engine_plan_tag(o, SPS_TAG_REPLACES);
        if (!ox || strcmp(ox, x) != 0)
            continue;
        if (sps_engine_plan_find_member(&ctx->idx, o->instance_id))
            return false;
        if (strcmp(o->instance_id, s->instance_id) < 0)
            return false;
    }
    return true;
}

static size_t s_in_service(const struct sps_aws_asg_group *g)
{
    size_t n = 0;
    for (size_t i = 0; i < g->instance_count; i++)
        n += g->instances[i].lifecycle_state == SPS_AWS_ASG_STATE_IN_SERVICE;
    return n;
}

static void s_attach(struct sps_engine_plan_ctx *ctx, size_t gi,
                     const struct sps_aws_ec2_instance *s, const char *x, const char *reason)
{
    struct sps_engine_action *a =
        sps_engine_plan_add_action(ctx, SPS_ENGINE_ATTACH, ctx->work[gi].group->name);
    a->spot_instance_id = sps_strdup(s->instance_id);
    a->instance_id = x ? sps_strdup(x) : NULL;
    a->availability_zone = sps_strdup(s_str(s->availability_zone));
    a->subnet_id = sps_strdup(s_str(s->subnet_id));
    a->reason = sps_strdup(reason);
}

/* S's original is still InService in G: attach when ready, else wait, unless stuck. */
static void s_in_flight(struct sps_engine_plan_ctx *ctx, size_t gi,
                        const struct sps_aws_ec2_instance *s, const char *x)
{
    struct sps_engine_plan_work *w = &ctx->work[gi];
    char buf[160];
    if (s_age_ms(ctx, s) > s_stuck_ms(w)) {
        sps_engine_plan_add_terminate(ctx, (long)gi, w->group->name, s,
                                      "stuck: launched but not attached within the orphan grace");
        return;
    }
    w->in_flight++;
    const char *why = s_not_ready(ctx, s, w->group, buf, sizeof(buf));
    if (w->skipped)
        sps_engine_plan_note(ctx, gi, s->instance_id, "waiting: the group is skipped");
    else if (why)
        sps_engine_plan_note(ctx, gi, s->instance_id, "%s", why);
    else
        s_attach(ctx, gi, s, x, "ready: grace period over, status checks ok");
}

/* S's original is gone or not InService (or another spot instance replaces it). */
static void s_orphan(struct sps_engine_plan_ctx *ctx, size_t gi,
                     const struct sps_aws_ec2_instance *s)
{
    struct sps_engine_plan_work *w = &ctx->work[gi];
    const struct sps_aws_asg_group *g = w->group;
    int64_t shortfall =
        g->desired_capacity - (int64_t)s_in_service(g) - (int64_t)w->orphan_attaches;
    if (w->skipped || shortfall <= 0) {
        sps_engine_plan_add_terminate(ctx, (long)gi, g->name, s,
                                      "orphan: its original is gone and the group is not short");
        return;
    }
    char buf[160];
    const char *why = s_not_ready(ctx, s, g, buf, sizeof(buf));
    if (!why) {
        w->orphan_attaches++;
        s_attach(ctx, gi, s, NULL, "orphan: covers the group's shortfall below desired");
    } else if (s_age_ms(ctx, s) > s_stuck_ms(w)) {
        sps_engine_plan_add_terminate(ctx, (long)gi, g->name, s,
                                      "stuck: orphan not ready within the orphan grace");
    } else {
        w->in_flight++;
        sps_engine_plan_note(ctx, gi, s->instance_id, "orphan %s", why);
    }
}

static void s_spot_outside(struct sps_engine_plan_ctx *ctx, const struct sps_aws_ec2_instance *s,
                           const char *group)
{
    long gi = sps_engine_plan_find_group(&ctx->idx, group);
    if (gi < 0) {
        /* An existing group that is not selected may hold S as a member we cannot see. */
        if (!sps_aws_strings_contains(&ctx->snap->all_group_names, group))
            sps_engine_plan_add_terminate(ctx, -1, group, s, "orphan: its group no longer exists");
        return;
    }
    if (s_state_is(s, "stopped") || s_state_is(s, "stopping")) {
        sps_engine_plan_add_terminate(ctx, gi, group, s, "stopped: it cannot serve");
        return;
    }
    const char *x = sps_engine_plan_tag(s, SPS_TAG_REPLACES);
    const struct sps_engine_plan_member *xm = x ? sps_engine_plan_find_member(&ctx->idx, x) : NULL;
    /* An original protected since the launch will never be retired: S is not needed. */
    if (sps_engine_plan_member_in_service(xm) && xm->group == (size_t)gi &&
        !xm->member->protected_from_scale_in && s_claims(ctx, s, x))
        s_in_flight(ctx, (size_t)gi, s, x);
    else
        s_orphan(ctx, (size_t)gi, s);
}

/* X was selected and detached (replaced-by=S) but not terminated: a crash inside retire. */
static void s_retiree(struct sps_engine_plan_ctx *ctx, const struct sps_aws_ec2_instance *x,
                      const char *by)
{
    const struct sps_engine_plan_member *sm = sps_engine_plan_find_member(&ctx->idx, by);
    if (!sm)
        return;
    if (!sps_engine_plan_member_in_service(sm)) {
        sps_engine_plan_note(ctx, sm->group, x->instance_id,
                             "replaced by %s, which is not InService: not terminated", by);
        return;
    }
    if (!s_state_is(x, "running") && !s_state_is(x, "stopped")) {
        sps_engine_plan_note(ctx, sm->group, x->instance_id, "retiree in state %s: waits",
                             s_str(x->state_name));
        return;
    }
    sps_engine_plan_add_terminate(ctx, (long)sm->group, ctx->idx.groups[sm->group]->name, x,
                                  "retiree: detached, its replacement is InService");
}

void sps_engine_plan_spots(struct sps_engine_plan_ctx *ctx)
{
    for (size_t i = 0; i < ctx->idx.instance_count; i++) {
        const struct sps_aws_ec2_instance *in = ctx->idx.instances[i];
        if (sps_engine_plan_instance_gone(in) ||
            sps_engine_plan_find_member(&ctx->idx, in->instance_id))
            continue;
        const char *group = sps_engine_plan_tag(in, SPS_TAG_LAUNCHED_FOR_ASG);
        const char *by = sps_engine_plan_tag(in, SPS_TAG_REPLACED_BY);
        if (group)
            s_spot_outside(ctx, in, group);
        else if (by)
            s_retiree(ctx, in, by);
    }
}

static bool s_has_termination_hooks(const struct sps_engine_snapshot *snap, const char *group)
{
    for (size_t i = 0; i < snap->hook_count; i++) {
        if (strcmp(s_str(snap->hooks[i].group_name), group) != 0)
            continue;
        const struct sps_aws_asg_lifecycle_hooks *h = &snap->hooks[i].hooks;
        for (size_t k = 0; k < h->count; k++) {
            if (h->items[k].transition == SPS_AWS_ASG_TRANSITION_TERMINATING)
                return true;
        }
    }
    return false;
}

static bool s_retire_planned(const struct sps_engine_plan *p, const char *x)
{
    for (size_t i = 0; i < p->action_count; i++) {
        if (p->actions[i].kind == SPS_ENGINE_RETIRE && strcmp(p->actions[i].instance_id, x) == 0)
            return true;
    }
    return false;
}

static void s_retire_one(struct sps_engine_plan_ctx *ctx, const struct sps_engine_plan_member *sm)
{
    struct sps_engine_plan_work *w = &ctx->work[sm->group];
    const struct sps_aws_ec2_instance *s =
        sps_engine_plan_find_instance(&ctx->idx, sm->instance_id);
    if (w->skipped || !s || !sps_engine_plan_tag(s, SPS_TAG_LAUNCHED_FOR_ASG))
        return;
    const char *x = sps_engine_plan_tag(s, SPS_TAG_REPLACES);
    const struct sps_engine_plan_member *xm = x ? sps_engine_plan_find_member(&ctx->idx, x) : NULL;
    if (!sps_engine_plan_member_in_service(xm) || xm->group != sm->group)
        return; /* X is gone: S is an ordinary spot member now */
    w->pending_retire++;
    if (!sps_engine_plan_member_in_service(sm) ||
        strcmp(s_str(sm->member->health_status), "Healthy") != 0) {
        sps_engine_plan_note(
            ctx, sm->group, sm->instance_id, "waiting: attached, %s and %s, before %s is retired",
            s_str(sm->member->lifecycle_state_raw), s_str(sm->member->health_status), x);
        return;
    }
    if (xm->member->protected_from_scale_in) {
        sps_engine_plan_note(ctx, sm->group, x, "protected from scale-in: not retired");
        return;
    }
    if (s_retire_planned(ctx->out, x))
        return;
    const struct sps_aws_ec2_instance *xi = sps_engine_plan_find_instance(&ctx->idx, x);
    struct sps_engine_action *a =
        sps_engine_plan_add_action(ctx, SPS_ENGINE_RETIRE, w->group->name);
    a->instance_id = sps_strdup(x);
    a->spot_instance_id = sps_strdup(sm->instance_id);
    a->availability_zone = sps_strdup(s_str(xm->member->availability_zone));
    a->subnet_id = sps_strdup(xi ? s_str(xi->subnet_id) : "");
    a->has_termination_hooks = s_has_termination_hooks(ctx->snap, w->group->name);
    a->reason = sps_strdup("its replacement is InService and Healthy");
}

void sps_engine_plan_retires(struct sps_engine_plan_ctx *ctx)
{
    for (size_t i = 0; i < ctx->idx.member_count; i++)
        s_retire_one(ctx, &ctx->idx.members[i]);
}

static void s_restore_one(struct sps_engine_plan_ctx *ctx, size_t gi)
{
    struct sps_engine_plan_work *w = &ctx->work[gi];
    const char *raised = sps_aws_tags_get(&w->group->tags, SPS_TAG_MAX_RAISED_FROM);
    if (w->skipped || !raised)
        return;
    int64_t max = 0;
    if (sps_cursor_to_i64(sps_cursor_from_str(raised), &max) != SPS_OK) {
        sps_engine_plan_note(ctx, gi, "", "%s=\"%s\" is not a number: max left as is",
                             SPS_TAG_MAX_RAISED_FROM, raised);
        return;
    }
    size_t busy = w->in_flight + w->pending_retire + w->orphan_attaches;
    if (busy) {
        sps_engine_plan_note(ctx, gi, "", "max stays raised: %zu swaps still need it", busy);
        return;
    }
    if (w->group->desired_capacity > max) {
        sps_engine_plan_note(
            ctx, gi, "", "max stays raised: desired %" PRId64 " is above the original max %" PRId64,
            w->group->desired_capacity, max);
        return;
    }
    struct sps_engine_action *a =
        sps_engine_plan_add_action(ctx, SPS_ENGINE_RESTORE_MAX, w->group->name);
    struct sps_buf b;
    sps_buf_init(&b, 256);
    (void)sps_buf_printf(&b, "no swap needs the raised max: back to %" PRId64, max);
    a->reason = sps_buf_take(&b);
}

void sps_engine_plan_restores(struct sps_engine_plan_ctx *ctx)
{
    for (size_t g = 0; g < ctx->idx.group_count; g++)
        s_restore_one(ctx, g);
}
