/*
 * The planner's entry point: sps_engine_plan_build, a pure function of a snapshot, prices and
 * policy (no I/O, no clock: "now" is the snapshot's). It sorts everything it iterates so the
 * plan does not depend on the order of the snapshot's arrays, runs the rules of
 * docs/planning.md group by group, and sorts the actions at the end. Also the plan's
 * init/clean_up, the names, the sorted index and the TERMINATE invariant.
 */
#include "plan_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *s_str(const char *s)
{
    return s ? s : "";
}

/* ---- plan lifetime and names --------------------------------------------------------------- */

void sps_engine_plan_init(struct sps_engine_plan *p)
{
    memset(p, 0, sizeof(*p));
}

static void s_action_clean_up(struct sps_engine_action *a)
{
    sps_free(a->group);
    sps_free(a->instance_id);
    sps_free(a->spot_instance_id);
    sps_free(a->availability_zone);
    sps_free(a->subnet_id);
    for (size_t i = 0; i < a->candidate_count; i++)
        sps_free(a->candidates[i]);
    sps_free(a->candidates);
    sps_free(a->reason);
}

static void s_group_plan_clean_up(struct sps_engine_group_plan *g)
{
    sps_free(g->name);
    sps_free(g->reason);
    for (size_t i = 0; i < g->note_count; i++) {
        sps_free(g->notes[i].instance_id);
        sps_free(g->notes[i].reason);
    }
    sps_free(g->notes);
}

void sps_engine_plan_clean_up(struct sps_engine_plan *p)
{
    if (!p)
        return;
    sps_free(p->account_id);
    sps_free(p->region);
    for (size_t i = 0; i < p->action_count; i++)
        s_action_clean_up(&p->actions[i]);
    sps_free(p->actions);
    for (size_t i = 0; i < p->group_count; i++)
        s_group_plan_clean_up(&p->groups[i]);
    sps_free(p->groups);
    sps_engine_plan_init(p);
}

const char *sps_engine_action_kind_name(enum sps_engine_action_kind kind)
{
    switch (kind) {
    case SPS_ENGINE_LAUNCH:
        return "launch";
    case SPS_ENGINE_ATTACH:
        return "attach";
    case SPS_ENGINE_RETIRE:
        return "retire";
    case SPS_ENGINE_TERMINATE:
        return "terminate";
    case SPS_ENGINE_RESTORE_MAX:
        return "restore-max";
    }
    return "unknown";
}

const char *sps_engine_group_state_name(enum sps_engine_group_state state)
{
    switch (state) {
    case SPS_ENGINE_GROUP_CONVERTED:
        return "converted";
    case SPS_ENGINE_GROUP_CONVERTING:
        return "converting";
    case SPS_ENGINE_GROUP_FALLBACK:
        return "fallback";
    case SPS_ENGINE_GROUP_SKIPPED:
        return "skipped";
    }
    return "unknown";
}

/* ---- the sorted index ---------------------------------------------------------------------- */

static int s_cmp_instance(const void *a, const void *b)
{
    const struct sps_aws_ec2_instance *const *x = a, *const *y = b;
    return strcmp(s_str((*x)->instance_id), s_str((*y)->instance_id));
}

static int s_cmp_group(const void *a, const void *b)
{
    const struct sps_aws_asg_group *const *x = a, *const *y = b;
    return strcmp(s_str((*x)->name), s_str((*y)->name));
}

static int s_cmp_member(const void *a, const void *b)
{
    const struct sps_engine_plan_member *x = a, *y = b;
    return strcmp(x->instance_id, y->instance_id);
}

static int s_cmp_image(const void *a, const void *b)
{
    const struct sps_aws_ec2_image *const *x = a, *const *y = b;
    return strcmp((*x)->image_id, (*y)->image_id);
}

static int s_cmp_str(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    return strcmp(*x, *y);
}

bool sps_engine_plan_instance_gone(const struct sps_aws_ec2_instance *i)
{
    const char *state = s_str(i->state_name);
    return strcmp(state, "terminated") == 0 || strcmp(state, "shutting-down") == 0;
}

const char *sps_engine_plan_tag(const struct sps_aws_ec2_instance *i, const char *key)
{
    const char *v = sps_aws_tags_get(&i->tags, key);
    return (v && *v) ? v : NULL;
}

void sps_engine_plan_index_build(struct sps_engine_plan_index *idx,
                                 const struct sps_engine_snapshot *snap)
{
    memset(idx, 0, sizeof(*idx));
    idx->snap = snap;
    size_t n = snap->instances.count;
    idx->instances = sps_calloc(n ? n : 1, sizeof(*idx->instances));
    idx->replaced = sps_calloc(n ? n : 1, sizeof(*idx->replaced));
    for (size_t i = 0; i < n; i++) {
        const struct sps_aws_ec2_instance *in = &snap->instances.items[i];
        if (!in->instance_id || !*in->instance_id)
            continue;
        idx->instances[idx->instance_count++] = in;
        const char *x = sps_engine_plan_tag(in, SPS_TAG_REPLACES);
        if (x && sps_engine_plan_tag(in, SPS_TAG_LAUNCHED_FOR_ASG) &&
            !sps_engine_plan_instance_gone(in))
            idx->replaced[idx->replaced_count++] = x;
    }
    qsort(idx->instances, idx->instance_count, sizeof(*idx->instances), s_cmp_instance);
    qsort(idx->replaced, idx->replaced_count, sizeof(*idx->replaced), s_cmp_str);

    size_t g = snap->groups.count, members = 0;
    idx->groups = sps_calloc(g ? g : 1, sizeof(*idx->groups));
    for (size_t i = 0; i < g; i++) {
        if (!snap->groups.items[i].name)
            continue;
        idx->groups[idx->group_count++] = &snap->groups.items[i];
        members += snap->groups.items[i].instance_count;
    }
    qsort(idx->groups, idx->group_count, sizeof(*idx->groups), s_cmp_group);
    idx->members = sps_calloc(members ? members : 1, sizeof(*idx->members));
    for (size_t i = 0; i < idx->group_count; i++) {
        const struct sps_aws_asg_group *grp = idx->groups[i];
        for (size_t k = 0; k < grp->instance_count; k++) {
            if (!grp->instances[k].instance_id)
                continue;
            idx->members[idx->member_count++] = (struct sps_engine_plan_member){
                grp->instances[k].instance_id, i, &grp->instances[k]};
        }
    }
    qsort(idx->members, idx->member_count, sizeof(*idx->members), s_cmp_member);

    idx->outsiders = sps_calloc(idx->instance_count + 1, sizeof(*idx->outsiders));
    for (size_t i = 0; i < idx->instance_count; i++) {
        const struct sps_aws_ec2_instance *in = idx->instances[i];
        if (sps_engine_plan_tag(in, SPS_TAG_LAUNCHED_FOR_ASG) &&
            !sps_engine_plan_find_member(idx, in->instance_id))
            idx->outsiders[idx->outsider_count++] = in;
    }
    idx->images = sps_calloc(snap->images.count + 1, sizeof(*idx->images));
    for (size_t i = 0; i < snap->images.count; i++)
        if (snap->images.items[i].image_id)
            idx->images[idx->image_count++] = &snap->images.items[i];
    qsort(idx->images, idx->image_count, sizeof(*idx->images), s_cmp_image);
}

void sps_engine_plan_index_clean_up(struct sps_engine_plan_index *idx)
{
    sps_free(idx->instances);
    sps_free(idx->groups);
    sps_free(idx->members);
    sps_free(idx->replaced);
    sps_free(idx->outsiders);
    sps_free(idx->images);
    memset(idx, 0, sizeof(*idx));
}

const struct sps_aws_ec2_instance *
sps_engine_plan_find_instance(const struct sps_engine_plan_index *idx, const char *id)
{
    struct sps_aws_ec2_instance key = {.instance_id = (char *)id};
    const struct sps_aws_ec2_instance *kp = &key;
    const struct sps_aws_ec2_instance *const *hit =
        bsearch(&kp, idx->instances, idx->instance_count, sizeof(*idx->instances), s_cmp_instance);
    return hit ? *hit : NULL;
}

const struct sps_engine_plan_member *
sps_engine_plan_find_member(const struct sps_engine_plan_index *idx, const char *id)
{
    struct sps_engine_plan_member key = {.instance_id = id};
    return bsearch(&key, idx->members, idx->member_count, sizeof(*idx->members), s_cmp_member);
}

long sps_engine_plan_find_group(const struct sps_engine_plan_index *idx, const char *name)
{
    struct sps_aws_asg_group key = {.name = (char *)name};
    const struct sps_aws_asg_group *kp = &key;
    const struct sps_aws_asg_group *const *hit =
        bsearch(&kp, idx->groups, idx->group_count, sizeof(*idx->groups), s_cmp_group);
    return hit ? (long)(hit - idx->groups) : -1;
}

bool sps_engine_plan_is_replaced(const struct sps_engine_plan_index *idx, const char *id)
{
    return bsearch(&id, idx->replaced, idx->replaced_count, sizeof(*idx->replaced), s_cmp_str) !=
           NULL;
}

const struct sps_aws_ec2_image *sps_engine_plan_find_image(const struct sps_engine_plan_index *idx,
                                                           const char *id)
{
    struct sps_aws_ec2_image key = {.image_id = (char *)id};
    const struct sps_aws_ec2_image *kp = &key;
    const struct sps_aws_ec2_image *const *hit =
        bsearch(&kp, idx->images, idx->image_count, sizeof(*idx->images), s_cmp_image);
    return hit ? *hit : NULL;
}

bool sps_engine_plan_member_in_service(const struct sps_engine_plan_member *m)
{
    return m && m->member->lifecycle_state == SPS_AWS_ASG_STATE_IN_SERVICE;
}

bool sps_engine_plan_may_terminate(const struct sps_engine_plan_index *idx,
                                   const struct sps_aws_ec2_instance *instance)
{
    if (!instance || !instance->instance_id ||
        sps_engine_plan_find_member(idx, instance->instance_id))
        return false;
    /* Launched by spotswap, for a selected group or one that is gone: an existing group that
     * is not selected may hold it as a member the snapshot cannot show. */
    const char *group = sps_engine_plan_tag(instance, SPS_TAG_LAUNCHED_FOR_ASG);
    if (group)
        return sps_engine_plan_find_group(idx, group) >= 0 ||
               !sps_aws_strings_contains(&idx->snap->all_group_names, group);
    const char *by = sps_engine_plan_tag(instance, SPS_TAG_REPLACED_BY);
    if (!by)
        return false;
    const struct sps_engine_plan_member *s = sps_engine_plan_find_member(idx, by);
    return sps_engine_plan_member_in_service(s);
}

/* ---- appending ------------------------------------------------------------------------------ */

struct sps_engine_action *sps_engine_plan_add_action(struct sps_engine_plan_ctx *ctx,
                                                     enum sps_engine_action_kind kind,
                                                     const char *group)
{
    struct sps_engine_plan *p = ctx->out;
    if (p->action_count == ctx->action_cap) {
        ctx->action_cap = ctx->action_cap ? ctx->action_cap * 2 : 16;
        p->actions = sps_realloc(p->actions, ctx->action_cap * sizeof(*p->actions));
    }
    struct sps_engine_action *a = &p->actions[p->action_count++];
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    a->group = sps_strdup(s_str(group));
    a->on_demand_price = NAN;
    a->spot_price = NAN;
    return a;
}

__attribute__((format(printf, 1, 0))) static char *s_vformat(const char *fmt, va_list ap)
{
    struct sps_buf b;
    sps_buf_init(&b, SPS_BUF_DEFAULT_MAX);
    char tmp[512];
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    if (n < 0)
        n = 0;
    (void)sps_buf_append(&b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
    return sps_buf_take(&b);
}

void sps_engine_plan_note(struct sps_engine_plan_ctx *ctx, size_t group_index,
                          const char *instance_id, const char *fmt, ...)
{
    struct sps_engine_group_plan *g = &ctx->out->groups[group_index];
    g->notes = sps_realloc(g->notes, (g->note_count + 1) * sizeof(*g->notes));
    struct sps_engine_note *n = &g->notes[g->note_count++];
    n->instance_id = sps_strdup(s_str(instance_id));
    va_list ap;
    va_start(ap, fmt);
    n->reason = s_vformat(fmt, ap);
    va_end(ap);
}

bool sps_engine_plan_add_terminate(struct sps_engine_plan_ctx *ctx, long group_index,
                                   const char *group_name,
                                   const struct sps_aws_ec2_instance *target, const char *reason)
{
    if (!sps_engine_plan_may_terminate(&ctx->idx, target)) {
        /* A rule asked for something the invariant forbids: refuse, and say so. */
        if (group_index >= 0)
            sps_engine_plan_note(ctx, (size_t)group_index, target ? target->instance_id : "",
                                 "not terminated: neither launched nor selected by spotswap "
                                 "with a replacement InService");
        return false;
    }
    struct sps_engine_action *a = sps_engine_plan_add_action(ctx, SPS_ENGINE_TERMINATE, group_name);
    a->instance_id = sps_strdup(target->instance_id);
    a->availability_zone = sps_strdup(s_str(target->availability_zone));
    a->subnet_id = sps_strdup(s_str(target->subnet_id));
    a->reason = sps_strdup(reason);
    return true;
}

/* ---- the build ------------------------------------------------------------------------------ */

/* Group, then kind in cycle order, then instance: the executor meets a group's work together. */
static int s_cmp_action(const void *a, const void *b)
{
    const struct sps_engine_action *x = a, *y = b;
    int c = strcmp(x->group, y->group);
    if (c)
        return c;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    c = strcmp(s_str(x->instance_id), s_str(y->instance_id));
    if (c)
        return c;
    return strcmp(s_str(x->spot_instance_id), s_str(y->spot_instance_id));
}

static sps_err s_check_inputs(const struct sps_engine_snapshot *snapshot,
                              const struct sps_engine_plan_inputs *inputs,
                              const struct sps_engine_plan *out)
{
    if (!snapshot || !inputs || !out || !inputs->catalog || !inputs->prices || !inputs->policy)
        return SPS_ERR_INVALID_ARGUMENT;
    if (!inputs->prices->on_demand || !inputs->prices->spot)
        return SPS_ERR_INVALID_ARGUMENT;
    if (!snapshot->region || !*snapshot->region)
        return SPS_ERR_INVALID_ARGUMENT;
    if (snapshot->source_count && !snapshot->sources)
        return SPS_ERR_INVALID_ARGUMENT;
    if (snapshot->hook_count && !snapshot->hooks)
        return SPS_ERR_INVALID_ARGUMENT;
    return SPS_OK;
}

sps_err sps_engine_plan_build(const struct sps_engine_snapshot *snapshot,
                              const struct sps_engine_plan_inputs *inputs,
                              struct sps_engine_plan *out)
{
    SPS_TRY(s_check_inputs(snapshot, inputs, out));
    sps_engine_plan_init(out);
    out->account_id = sps_strdup(s_str(snapshot->account_id));
    out->region = sps_strdup(snapshot->region);

    struct sps_engine_plan_ctx ctx = {.snap = snapshot, .in = inputs, .out = out};
    sps_engine_plan_index_build(&ctx.idx, snapshot);
    size_t n = ctx.idx.group_count;
    ctx.work = sps_calloc(n ? n : 1, sizeof(*ctx.work));
    out->groups = sps_calloc(n ? n : 1, sizeof(*out->groups));
    out->group_count = n;
    for (size_t g = 0; g < n; g++) {
        out->groups[g].name = sps_strdup(ctx.idx.groups[g]->name);
        ctx.work[g].group = ctx.idx.groups[g];
        sps_engine_plan_group_policy(&ctx, g);
    }
    /* Finishing work already started comes first: it tells the launches what is in flight. */
    sps_engine_plan_spots(&ctx);
    sps_engine_plan_retires(&ctx);
    for (size_t g = 0; g < n; g++)
        sps_engine_plan_launches(&ctx, g);
    sps_engine_plan_restores(&ctx);
    for (size_t g = 0; g < n; g++) {
        sps_engine_plan_report(&ctx, g);
        sps_free(ctx.work[g].fallback_why);
        for (size_t z = 0; z < ctx.work[g].az_count; z++)
            sps_free(ctx.work[g].az_counts[z].items);
        sps_free(ctx.work[g].az_counts);
    }
    if (out->action_count > 1)
        qsort(out->actions, out->action_count, sizeof(*out->actions), s_cmp_action);
    sps_free(ctx.work);
    sps_engine_plan_index_clean_up(&ctx.idx);
    return SPS_OK;
}
