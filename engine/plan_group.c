/*
 * The planner's per-group rules (docs/planning.md): whether a group is handled at all (its
 * policy, deletion, suspended processes, launch source, warm pool), which on-demand members are
 * replaced this pass (the on-demand floor, the per-pass budget), the spot candidates of each
 * launch (matcher, ranking, diversification from compat/), and the group's report line.
 */
#include "plan_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *s_str(const char *s)
{
    return s ? s : "";
}

/* ---- skip rules ----------------------------------------------------------------------------- */

static bool s_has_source(const struct sps_engine_snapshot *snap, const char *group)
{
    for (size_t i = 0; i < snap->source_count; i++) {
        const struct sps_engine_group_source *src = &snap->sources[i];
        if (strcmp(s_str(src->group_name), group) == 0)
            return src->launch_configuration || src->template_version;
    }
    return false;
}

static const char *s_suspended(const struct sps_aws_asg_group *g)
{
    if (sps_aws_strings_contains(&g->suspended_processes, "Launch"))
        return "the Launch process is suspended";
    if (sps_aws_strings_contains(&g->suspended_processes, "Terminate"))
        return "the Terminate process is suspended";
    /* An attached spot instance would never be registered with the load balancer while the
     * on-demand instance it replaces is retired: traffic would lose a backend. */
    if (sps_aws_strings_contains(&g->suspended_processes, "AddToLoadBalancer") &&
        (g->target_group_arns.count > 0 || g->load_balancer_names.count > 0))
        return "the AddToLoadBalancer process is suspended and the group serves a load balancer";
    return NULL;
}

static const char *s_policy_problem(const struct sps_engine_policy *p)
{
    if (p->min_on_demand_number < 0)
        return "invalid policy: min_on_demand_number is negative";
    if (p->min_on_demand_percentage < 0 || p->min_on_demand_percentage > 100)
        return "invalid policy: min_on_demand_percentage outside 0-100";
    if (p->max_replacements_per_run < 0)
        return "invalid policy: max_replacements_per_run is negative";
    if (!(p->diversification_fraction > 0.0 && p->diversification_fraction <= 1.0))
        return "invalid policy: diversification_fraction outside (0, 1]";
    return NULL;
}

/* Why the group is not handled this pass, or NULL. */
static const char *s_skip_reason(const struct sps_engine_snapshot *snap,
                                 const struct sps_engine_plan_work *w)
{
    const struct sps_aws_asg_group *g = w->group;
    if (!w->policy.enabled)
        return "disabled by policy";
    const char *bad = s_policy_problem(&w->policy);
    if (bad)
        return bad;
    if (g->status && strcmp(g->status, "Delete in progress") == 0)
        return "the group is being deleted";
    const char *suspended = s_suspended(g);
    if (suspended)
        return suspended;
    if (!s_has_source(snap, g->name))
        return "its launch configuration or template could not be read";
    if (g->has_warm_pool)
        return "it has a warm pool: attaching instances would interfere with it";
    return NULL;
}

void sps_engine_plan_group_policy(struct sps_engine_plan_ctx *ctx, size_t gi)
{
    struct sps_engine_plan_work *w = &ctx->work[gi];
    struct sps_engine_group_plan *gp = &ctx->out->groups[gi];
    struct sps_buf why;
    sps_buf_init(&why, 4096);
    sps_err err = ctx->in->policy(ctx->in->policy_ctx, w->group, &w->policy, &why);
    if (err != SPS_OK) {
        w->skipped = true;
        gp->reason = why.len ? sps_buf_take(&why) : sps_strdup(sps_error_message(err));
    } else {
        w->has_policy = true;
        const char *reason = s_skip_reason(ctx->snap, w);
        if (reason) {
            w->skipped = true;
            gp->reason = sps_strdup(reason);
        }
    }
    sps_buf_clean_up(&why);
    if (w->skipped)
        gp->state = SPS_ENGINE_GROUP_SKIPPED;
}

/* ---- floor and budget ----------------------------------------------------------------------- */

static size_t s_floor(const struct sps_engine_plan_work *w)
{
    if (!w->has_policy)
        return 0;
    int64_t desired = w->group->desired_capacity > 0 ? w->group->desired_capacity : 0;
    int64_t pct = w->policy.min_on_demand_percentage;
    pct = pct < 0 ? 0 : pct > 100 ? 100 : pct;
    int64_t by_pct = (pct * desired + 99) / 100;
    int64_t n = w->policy.min_on_demand_number > 0 ? w->policy.min_on_demand_number : 0;
    return (size_t)(n > by_pct ? n : by_pct);
}

int64_t sps_engine_auto_budget(int64_t size)
{
    int64_t half = size > 0 ? size / 2 + size % 2 : 0;
    return half > 1 ? half : 1;
}

static size_t s_budget(const struct sps_engine_plan_work *w)
{
    if (w->policy.max_replacements_per_run > 0)
        return (size_t)w->policy.max_replacements_per_run;
    return (size_t)sps_engine_auto_budget(w->group->desired_capacity);
}

/* ---- one launch ----------------------------------------------------------------------------- */

static uint8_t s_arch(const char *a)
{
    static const struct {
        const char *name;
        uint8_t bit;
    } map[] = {{"i386", SPS_COMPAT_ARCH_I386},
               {"x86_64", SPS_COMPAT_ARCH_X86_64},
               {"arm64", SPS_COMPAT_ARCH_ARM64},
               {"x86_64_mac", SPS_COMPAT_ARCH_X86_64_MAC},
               {"arm64_mac", SPS_COMPAT_ARCH_ARM64_MAC}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcmp(s_str(a), map[i].name) == 0)
            return map[i].bit;
    }
    return 0;
}

static uint8_t s_virt(const char *v)
{
    if (strcmp(s_str(v), "hvm") == 0)
        return SPS_COMPAT_VIRT_HVM;
    if (strcmp(s_str(v), "paravirtual") == 0)
        return SPS_COMPAT_VIRT_PARAVIRTUAL;
    return 0;
}

static bool s_contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = s_str(hay); *p; p++) {
        if (sps_cursor_eq_ignore_case(sps_cursor_from_mem(p, strnlen(p, n)),
                                      sps_cursor_from_mem(needle, n)))
            return true;
    }
    return false;
}

const char *sps_engine_instance_platform(const struct sps_aws_ec2_instance *x,
                                        const struct sps_aws_ec2_image *image)
{
    if (x->platform_details && *x->platform_details)
        return x->platform_details;
    return image ? s_str(image->platform_details) : "";
}

struct s_market {
    const struct sps_engine_prices *prices;
    const char *platform;
};

static bool s_spot(void *ctx, const char *type, const char *az, double *usd)
{
    const struct s_market *m = ctx;
    return m->prices->spot(m->prices->ctx, type, az, m->platform, usd);
}

static int s_band(void *ctx, const char *region, enum sps_compat_platform platform,
                  const char *type)
{
    const struct s_market *m = ctx;
    return m->prices->band(m->prices->ctx, region, type);
}

/* The group's spot instances per type in `az`: spot members, spotswap launches waiting
 * outside, and launches planned this pass (their first candidate). Counted from the index once
 * per zone, on the first launch planned there (no launch of the group is in that zone yet:
 * only s_add_launch adds launches, and it updates the counts); linear in the group, not in the
 * region. Types borrowed. */
static void s_count(struct sps_engine_plan_az_counts *c, const char *type)
{
    for (size_t i = 0; i < c->count; i++) {
        if (strcmp(c->items[i].type, type) == 0) {
            c->items[i].count++;
            return;
        }
    }
    c->items = sps_realloc(c->items, (c->count + 1) * sizeof(*c->items));
    c->items[c->count++] = (struct sps_compat_spot_count){type, 1};
}

static bool s_counted(const struct sps_aws_ec2_instance *in, const char *az)
{
    return in && strcmp(s_str(in->availability_zone), az) == 0 &&
           !sps_engine_plan_instance_gone(in) && strcmp(s_str(in->lifecycle), "spot") == 0 &&
           in->instance_type;
}

static void s_collect_counts(const struct sps_engine_plan_ctx *ctx,
                             const struct sps_aws_asg_group *g, const char *az,
                             struct sps_engine_plan_az_counts *c)
{
    for (size_t i = 0; i < g->instance_count; i++) {
        const struct sps_aws_asg_instance *gm = &g->instances[i];
        const struct sps_engine_plan_member *m =
            gm->instance_id ? sps_engine_plan_find_member(&ctx->idx, gm->instance_id) : NULL;
        /* m->member == gm: a member listed twice counts once, as it did by instance. */
        if (!m || m->member != gm || ctx->idx.groups[m->group] != g ||
            m->member->lifecycle_state != SPS_AWS_ASG_STATE_IN_SERVICE)
            continue;
        const struct sps_aws_ec2_instance *in =
            sps_engine_plan_find_instance(&ctx->idx, m->instance_id);
        if (s_counted(in, az))
            s_count(c, in->instance_type);
    }
    for (size_t i = 0; i < ctx->idx.outsider_count; i++) {
        const struct sps_aws_ec2_instance *in = ctx->idx.outsiders[i];
        const char *for_group = sps_engine_plan_tag(in, SPS_TAG_LAUNCHED_FOR_ASG);
        if (s_counted(in, az) && strcmp(for_group, g->name) == 0)
            s_count(c, in->instance_type);
    }
}

static struct sps_engine_plan_az_counts *
s_counts_for(const struct sps_engine_plan_ctx *ctx, struct sps_engine_plan_work *w, const char *az)
{
    for (size_t i = 0; i < w->az_count; i++)
        if (strcmp(w->az_counts[i].az, az) == 0)
            return &w->az_counts[i];
    w->az_counts = sps_realloc(w->az_counts, (w->az_count + 1) * sizeof(*w->az_counts));
    struct sps_engine_plan_az_counts *c = &w->az_counts[w->az_count++];
    *c = (struct sps_engine_plan_az_counts){.az = az};
    s_collect_counts(ctx, w->group, az, c);
    return c;
}

static void s_no_candidate(struct sps_engine_plan_ctx *ctx, size_t gi, const char *x,
                           const char *why)
{
    struct sps_engine_plan_work *w = &ctx->work[gi];
    w->no_candidate++;
    sps_engine_plan_note(ctx, gi, x, "no spot candidate: %s", why);
    if (!w->fallback_why)
        w->fallback_why = sps_strdup(why);
}

static size_t s_held(const struct sps_engine_plan_az_counts *c, const char *type)
{
    for (size_t i = 0; i < c->count; i++) {
        if (strcmp(c->items[i].type, type) == 0)
            return c->items[i].count;
    }
    return 0;
}

/* The pick first, then the other ranked types as fallbacks for a capacity refusal; while the
 * pick is within the diversification cap, fallbacks at the cap are left out so that a refusal
 * cannot push a type over it. */
static void s_add_launch(struct sps_engine_plan_ctx *ctx, size_t gi,
                         const struct sps_aws_ec2_instance *x, const struct sps_compat_ranking *rk,
                         const struct sps_compat_pick *pick,
                         struct sps_engine_plan_az_counts *counts, double od)
{
    struct sps_engine_plan_work *w = &ctx->work[gi];
    struct sps_engine_action *a =
        sps_engine_plan_add_action(ctx, SPS_ENGINE_LAUNCH, w->group->name);
    size_t n = rk->count < SPS_ENGINE_MAX_CANDIDATES ? rk->count : SPS_ENGINE_MAX_CANDIDATES;
    a->candidates = sps_calloc(n, sizeof(*a->candidates));
    bool ebs = x->ebs_optimized;
    a->candidates[a->candidate_count++] = sps_strdup(rk->entries[pick->index].type->name);
    ebs = ebs || rk->entries[pick->index].request_ebs_optimized;
    for (size_t i = 0; i < rk->count && a->candidate_count < n; i++) {
        if (i == pick->index ||
            (pick->within_cap && s_held(counts, rk->entries[i].type->name) >= pick->cap))
            continue;
        a->candidates[a->candidate_count++] = sps_strdup(rk->entries[i].type->name);
        ebs = ebs || rk->entries[i].request_ebs_optimized;
    }
    a->instance_id = sps_strdup(x->instance_id);
    a->availability_zone = sps_strdup(x->availability_zone);
    a->subnet_id = sps_strdup(s_str(x->subnet_id));
    a->on_demand_price = od;
    a->spot_price = rk->entries[pick->index].spot_price;
    a->ebs_optimized = ebs;
    struct sps_buf b;
    sps_buf_init(&b, 1024);
    (void)sps_buf_printf(&b, "on-demand %s at %.4f/h; spot %s at %.4f/h%s", s_str(x->instance_type),
                         od, a->candidates[0], a->spot_price,
                         pick->within_cap ? "" : " (every candidate at the diversification cap)");
    a->reason = sps_buf_take(&b);
    w->launches++;
    w->launch_delta += a->spot_price - od;
    s_count(counts, a->candidates[0]);
}

/* One match and ranking, reused for the group's other launches with the same inputs: a group's
 * members mostly share their type, AMI and zone, and the ranking is a function of those, the
 * group's constraints and the prices alone, so each distinct input is matched once (the catalog
 * walk and the ranking are most of the planner's time). Strings borrowed from the snapshot. */
struct s_ranked {
    struct sps_compat_instance ci;
    const char *platform;
    double od;
    sps_err err;
    struct sps_compat_result *res;
    struct sps_compat_ranking *rk;
};

struct s_memo {
    struct s_ranked *items;
    size_t count;
};

static bool s_same_input(const struct s_ranked *r, const struct sps_compat_instance *ci,
                         const char *platform, double od)
{
    return strcmp(r->ci.type, ci->type) == 0 && strcmp(r->ci.az, ci->az) == 0 &&
           strcmp(r->ci.region, ci->region) == 0 && r->ci.ebs_optimized == ci->ebs_optimized &&
           r->ci.ami.arch == ci->ami.arch && r->ci.ami.virtualization == ci->ami.virtualization &&
           r->ci.ami.platform == ci->ami.platform && r->ci.ami.ena_support == ci->ami.ena_support &&
           r->ci.ami.nvme_support == ci->ami.nvme_support && strcmp(r->platform, platform) == 0 &&
           r->od == od;
}

static const struct s_ranked *s_ranked_for(struct s_memo *memo, struct sps_engine_plan_ctx *ctx,
                                           const struct sps_engine_plan_work *w,
                                           const struct sps_compat_instance *ci,
                                           const char *platform, double od)
{
    for (size_t i = 0; i < memo->count; i++)
        if (s_same_input(&memo->items[i], ci, platform, od))
            return &memo->items[i];
    memo->items = sps_realloc(memo->items, (memo->count + 1) * sizeof(*memo->items));
    struct s_ranked *r = &memo->items[memo->count++];
    *r = (struct s_ranked){.ci = *ci, .platform = platform, .od = od};
    struct s_market m = {ctx->in->prices, platform};
    struct sps_compat_market market = {s_spot, ctx->in->prices->band ? s_band : NULL, &m};
    r->err = sps_compat_match(ctx->in->catalog, ci, &w->policy.constraints, false, &r->res);
    if (r->err == SPS_OK)
        r->err = sps_compat_rank(r->res, ci, od, &market, &r->rk);
    return r;
}

static void s_memo_clean_up(struct s_memo *memo)
{
    for (size_t i = 0; i < memo->count; i++) {
        sps_compat_ranking_destroy(memo->items[i].rk);
        sps_compat_result_destroy(memo->items[i].res);
    }
    sps_free(memo->items);
}

/* Candidates for X ranked and diversified; a LAUNCH, or a note saying why not. */
static void s_rank_and_pick(struct sps_engine_plan_ctx *ctx, struct s_memo *memo, size_t gi,
                            const struct sps_aws_ec2_instance *x,
                            const struct sps_compat_instance *ci, const char *platform, double od)
{
    struct sps_engine_plan_work *w = &ctx->work[gi];
    const struct s_ranked *ranked = s_ranked_for(memo, ctx, w, ci, platform, od);
    const struct sps_compat_result *res = ranked->res;
    const struct sps_compat_ranking *rk = ranked->rk;
    sps_err err = ranked->err;
    if (err != SPS_OK) {
        w->unplanned++;
        sps_engine_plan_note(ctx, gi, x->instance_id, "cannot match %s: %s", ci->type,
                             sps_error_message(err));
        return;
    }
    if (res->count == 0) {
        s_no_candidate(ctx, gi, x->instance_id, "no compatible spot type");
        return;
    }
    if (rk->count == 0) {
        s_no_candidate(ctx, gi, x->instance_id,
                       "no compatible type has a spot price below the on-demand price");
        return;
    }
    struct sps_engine_plan_az_counts *counts = s_counts_for(ctx, w, s_str(x->availability_zone));
    struct sps_compat_pick pick;
    err = sps_compat_diversify(rk, counts->items, counts->count, w->policy.diversification_fraction,
                               &pick);
    if (err != SPS_OK) {
        w->unplanned++;
        sps_engine_plan_note(ctx, gi, x->instance_id, "cannot diversify: %s",
                             sps_error_message(err));
        return;
    }
    s_add_launch(ctx, gi, x, rk, &pick, counts, od);
}

static void s_try_launch(struct sps_engine_plan_ctx *ctx, struct s_memo *memo, size_t gi,
                         const struct sps_aws_ec2_instance *x)
{
    struct sps_engine_plan_work *w = &ctx->work[gi];
    const struct sps_aws_ec2_image *image =
        sps_engine_plan_find_image(&ctx->idx, s_str(x->image_id));
    if (!image) {
        w->unplanned++;
        sps_engine_plan_note(ctx, gi, x->instance_id, "AMI %s not in the snapshot",
                             s_str(x->image_id));
        return;
    }
    const char *platform = sps_engine_instance_platform(x, image);
    const struct sps_compat_type *type = NULL;
    bool nitro =
        sps_compat_catalog_find(ctx->in->catalog, s_str(x->instance_type), &type) == SPS_OK &&
        type->ebs_nvme == SPS_COMPAT_REQUIRED;
    struct sps_compat_instance ci = {
        .type = s_str(x->instance_type),
        .az = s_str(x->availability_zone),
        .region = ctx->snap->region,
        .ebs_optimized = x->ebs_optimized,
        .ami = {.arch = s_arch(image->architecture),
                .virtualization = s_virt(image->virtualization_type),
                .platform = s_contains_ci(image->platform_details, "windows") ? SPS_COMPAT_WINDOWS
                                                                              : SPS_COMPAT_LINUX,
                .ena_support = image->ena_support,
                /* An AMI running on a Nitro type is Nitro-capable; nothing else proves it. */
                .nvme_support = nitro}};
    double od = 0;
    if (!ctx->in->prices->on_demand(ctx->in->prices->ctx, ci.type, ctx->snap->region, platform,
                                    &od) ||
        !(od > 0) || !isfinite(od)) {
        w->unplanned++;
        sps_engine_plan_note(ctx, gi, x->instance_id, "on-demand price unknown for %s (%s)",
                             ci.type, platform);
        return;
    }
    s_rank_and_pick(ctx, memo, gi, x, &ci, platform, od);
}

/* ---- which members are replaced ------------------------------------------------------------- */

static int s_cmp_member_ptr(const void *a, const void *b)
{
    const struct sps_aws_asg_instance *const *x = a, *const *y = b;
    return strcmp(s_str((*x)->instance_id), s_str((*y)->instance_id));
}

static const char *s_state_note(const struct sps_aws_asg_instance *m)
{
    switch (m->lifecycle_state) {
    case SPS_AWS_ASG_STATE_STANDBY:
    case SPS_AWS_ASG_STATE_ENTERING_STANDBY:
        return "Standby: never touched";
    case SPS_AWS_ASG_STATE_PENDING:
    case SPS_AWS_ASG_STATE_PENDING_WAIT:
    case SPS_AWS_ASG_STATE_PENDING_PROCEED:
        return "Pending: not in service yet";
    case SPS_AWS_ASG_STATE_TERMINATING:
    case SPS_AWS_ASG_STATE_TERMINATING_WAIT:
    case SPS_AWS_ASG_STATE_TERMINATING_PROCEED:
    case SPS_AWS_ASG_STATE_TERMINATED:
        return "Terminating: never touched";
    case SPS_AWS_ASG_STATE_DETACHING:
    case SPS_AWS_ASG_STATE_DETACHED:
        return "Detaching: never touched";
    default:
        return "not InService: never touched";
    }
}

/* An on-demand X already on its way out: a spotswap instance replaces it, or it was selected
 * (replaced-by) and its replacement still exists. */
static bool s_being_replaced(const struct sps_engine_plan_ctx *ctx,
                             const struct sps_aws_ec2_instance *x)
{
    if (sps_engine_plan_is_replaced(&ctx->idx, x->instance_id))
        return true;
    const char *by = sps_engine_plan_tag(x, SPS_TAG_REPLACED_BY);
    const struct sps_aws_ec2_instance *s = by ? sps_engine_plan_find_instance(&ctx->idx, by) : NULL;
    return s && !sps_engine_plan_instance_gone(s);
}

void sps_engine_plan_launches(struct sps_engine_plan_ctx *ctx, size_t gi)
{
    struct sps_engine_plan_work *w = &ctx->work[gi];
    const struct sps_aws_asg_group *g = w->group;
    if (w->skipped)
        return;
    const struct sps_aws_asg_instance **sorted = sps_calloc(g->instance_count + 1, sizeof(*sorted));
    const struct sps_aws_ec2_instance **cands = sps_calloc(g->instance_count + 1, sizeof(*cands));
    size_t n = 0, ncand = 0, on_demand = 0, pending = 0;
    for (size_t i = 0; i < g->instance_count; i++)
        sorted[n++] = &g->instances[i];
    qsort(sorted, n, sizeof(*sorted), s_cmp_member_ptr);
    for (size_t i = 0; i < n; i++) {
        const struct sps_aws_asg_instance *m = sorted[i];
        const struct sps_aws_ec2_instance *x =
            sps_engine_plan_find_instance(&ctx->idx, s_str(m->instance_id));
        if (m->lifecycle_state != SPS_AWS_ASG_STATE_IN_SERVICE) {
            sps_engine_plan_note(ctx, gi, m->instance_id, "%s", s_state_note(m));
            continue;
        }
        if (!x) {
            sps_engine_plan_note(ctx, gi, m->instance_id, "not described by EC2: left alone");
            continue;
        }
        if (x->lifecycle && *x->lifecycle)
            continue; /* spot (or scheduled): nothing to replace */
        on_demand++;
        if (m->protected_from_scale_in)
            sps_engine_plan_note(ctx, gi, m->instance_id,
                                 "protected from scale-in: never replaced");
        else if (s_being_replaced(ctx, x))
            pending++;
        else
            cands[ncand++] = x;
    }
    size_t floor = s_floor(w), budget = s_budget(w);
    struct s_memo memo = {0};
    size_t allowed = on_demand > pending + floor ? on_demand - pending - floor : 0;
    for (size_t i = 0; i < ncand; i++) {
        if (w->launches >= allowed)
            sps_engine_plan_note(ctx, gi, cands[i]->instance_id,
                                 "kept on-demand: the on-demand floor is %zu", floor);
        else if (w->launches >= budget)
            sps_engine_plan_note(ctx, gi, cands[i]->instance_id,
                                 "waits: this pass's budget of %zu launches is spent", budget);
        else
            s_try_launch(ctx, &memo, gi, cands[i]);
    }
    size_t left_by_floor = allowed - (w->launches < allowed ? w->launches : allowed);
    size_t left_cands = ncand - w->launches - w->no_candidate - w->unplanned;
    w->replaceable_left = left_by_floor < left_cands ? left_by_floor : left_cands;
    s_memo_clean_up(&memo);
    sps_free(sorted);
    sps_free(cands);
}

/* ---- the report ----------------------------------------------------------------------------- */

static double s_member_price(const struct sps_engine_plan_ctx *ctx,
                             const struct sps_aws_ec2_instance *x)
{
    const struct sps_engine_prices *p = ctx->in->prices;
    double usd = NAN;
    const char *lifecycle = s_str(x->lifecycle);
    const char *platform = sps_engine_instance_platform(
        x, sps_engine_plan_find_image(&ctx->idx, s_str(x->image_id)));
    bool ok = false;
    if (!*lifecycle)
        ok = p->on_demand(p->ctx, s_str(x->instance_type), ctx->snap->region, platform, &usd);
    else if (strcmp(lifecycle, "spot") == 0)
        ok = p->spot(p->ctx, s_str(x->instance_type), s_str(x->availability_zone), platform,
                     &usd);
    return ok && isfinite(usd) && usd > 0 ? usd : NAN;
}

static void s_counts_and_cost(struct sps_engine_plan_ctx *ctx, size_t gi)
{
    struct sps_engine_group_plan *gp = &ctx->out->groups[gi];
    const struct sps_aws_asg_group *g = ctx->work[gi].group;
    double cost = 0;
    for (size_t i = 0; i < g->instance_count; i++) {
        const struct sps_aws_asg_instance *m = &g->instances[i];
        if (m->lifecycle_state != SPS_AWS_ASG_STATE_IN_SERVICE)
            continue;
        gp->in_service++;
        const struct sps_aws_ec2_instance *x =
            sps_engine_plan_find_instance(&ctx->idx, s_str(m->instance_id));
        if (!x) {
            cost = NAN;
            continue;
        }
        if (!x->lifecycle || !*x->lifecycle)
            gp->on_demand++;
        else if (strcmp(x->lifecycle, "spot") == 0)
            gp->spot++;
        cost += s_member_price(ctx, x);
    }
    gp->cost_now_usd_per_hour = cost;
    gp->cost_after_usd_per_hour = cost + ctx->work[gi].launch_delta;
    gp->on_demand_floor = s_floor(&ctx->work[gi]);
}

static size_t s_group_actions(const struct sps_engine_plan *p, const char *group)
{
    size_t n = 0;
    for (size_t i = 0; i < p->action_count; i++)
        n += strcmp(p->actions[i].group, group) == 0;
    return n;
}

static char *s_fallback_reason(const struct sps_engine_plan_ctx *ctx,
                               const struct sps_engine_plan_work *w)
{
    struct sps_buf b;
    sps_buf_init(&b, 4096);
    (void)sps_buf_append_str(&b, "on fallback since ");
    const char *since = sps_aws_tags_get(&w->group->tags, SPS_TAG_FALLBACK_SINCE);
    if (since && *since)
        (void)sps_buf_append_str(&b, since);
    else
        (void)sps_time_format_iso8601(&b, ctx->snap->now_ms);
    if (w->fallback_why)
        (void)sps_buf_printf(&b, ": %s", w->fallback_why);
    else
        (void)sps_buf_printf(&b, ": %zu on-demand instances could not be planned (see notes)",
                             w->unplanned);
    return sps_buf_take(&b);
}

void sps_engine_plan_report(struct sps_engine_plan_ctx *ctx, size_t gi)
{
    struct sps_engine_plan_work *w = &ctx->work[gi];
    struct sps_engine_group_plan *gp = &ctx->out->groups[gi];
    s_counts_and_cost(ctx, gi);
    if (w->skipped)
        return;
    bool busy = s_group_actions(ctx->out, gp->name) || w->in_flight || w->pending_retire;
    if (w->no_candidate && !w->launches)
        gp->state = SPS_ENGINE_GROUP_FALLBACK;
    else if (busy || w->replaceable_left)
        gp->state = SPS_ENGINE_GROUP_CONVERTING;
    else if (w->no_candidate || w->unplanned)
        gp->state = SPS_ENGINE_GROUP_FALLBACK;
    else
        gp->state = SPS_ENGINE_GROUP_CONVERTED;
    if (gp->state == SPS_ENGINE_GROUP_FALLBACK)
        gp->reason = s_fallback_reason(ctx, w);
}
