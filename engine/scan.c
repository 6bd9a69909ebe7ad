/*
 * The scan of one or many regions into snapshots. It runs in three phases; each phase is one or
 * more rounds of sps_aws_call_run_many over the pending calls of EVERY region at once (a round
 * per page), so scanning sixteen regions takes as many rounds as scanning one:
 *   1. list:    DescribeAutoScalingGroups (every page, unfiltered: it gives the selected groups
 *               AND every group name) + DescribeInstances of every instance carrying a spotswap
 *               tag (one call: tag-key filter with both keys, live states only);
 *   2. details: DescribeInstances of the selected groups' members not already read (by id,
 *               1000 per call), DescribeLaunchConfigurations (50 names per call),
 *               DescribeLaunchTemplateVersions (one call per template, all needed versions),
 *               DescribeLifecycleHooks (one per selected group), DescribeInstanceStatus of the
 *               spotswap-launched spot instances outside the selected groups (100 per call);
 *   3. images:  DescribeImages of every AMI the instances and sources use (image-id filter, so a
 *               deregistered AMI is simply absent instead of failing the call).
 * Any failed call fails its region (one log line: region, action, code) and empties its
 * snapshot; only "not found" answers that cannot hide a member are tolerated (a deleted launch
 * template leaves the group without a source; an instance gone before its status was read has
 * no status). See docs/scan.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sps_engine_scan.h"
#include "sps_launch.h"

#define S_DEFAULT_CONCURRENCY 32
#define S_IMAGE_FILTER_VALUES 200 /* EC2's per-filter value limit */

struct s_region;
typedef sps_err (*s_parse_fn)(struct s_region *r, size_t arg, const struct sps_xml_node *result);

struct s_slot {
    struct sps_aws_client *client;
    struct sps_query query;
    s_parse_fn parse;
    size_t arg;
    const char *token_name;       /* "nextToken" / "NextToken"; NULL: one page */
    const char *const *tolerated; /* error codes that leave the slot empty, NULL-ended */
    char *last_token;
    bool done;
};

struct s_template {
    const char *id; /* borrowed from the groups */
    const char *name;
    struct sps_aws_strings versions;
};

struct s_region {
    struct sps_engine_scan_job *job;
    struct s_slot *slots;
    size_t slot_count, slot_cap;
    bool failed;
    struct s_template *templates;
    size_t template_count;
};

static const char *const s_live_states[] = {"pending", "running", "stopping", "stopped",
                                            "shutting-down"};
static const char *const s_spotswap_keys[] = {SPS_TAG_LAUNCHED_FOR_ASG,
                                              SPS_TAG_REPLACED_BY};
static const char *const s_template_missing[] = {
    "InvalidLaunchTemplateId.NotFound", "InvalidLaunchTemplateName.NotFoundException",
    "InvalidLaunchTemplateId.VersionNotFound", "InvalidLaunchTemplateId.Malformed", NULL};
static const char *const s_instance_missing[] = {"InvalidInstanceID.NotFound", NULL};

/* ---- slots and rounds ---------------------------------------------------------------------- */

static struct s_slot *s_add_slot(struct s_region *r, struct sps_aws_client *client,
                                 s_parse_fn parse, size_t arg, const char *token_name)
{
    if (r->slot_count == r->slot_cap) {
        r->slot_cap = r->slot_cap ? r->slot_cap * 2 : 8;
        r->slots = sps_realloc(r->slots, r->slot_cap * sizeof *r->slots);
    }
    struct s_slot *s = &r->slots[r->slot_count++];
    memset(s, 0, sizeof *s);
    s->client = client;
    s->parse = parse;
    s->arg = arg;
    s->token_name = token_name;
    return s;
}

static void s_clear_slots(struct s_region *r)
{
    for (size_t i = 0; i < r->slot_count; i++) {
        sps_query_clean_up(&r->slots[i].query);
        sps_free(r->slots[i].last_token);
    }
    r->slot_count = 0;
}

static void s_fail(struct s_region *r, sps_err err, const struct sps_aws_error *aws_err,
                   const char *action)
{
    struct sps_engine_scan_job *j = r->job;
    r->failed = true;
    j->result = err;
    if (aws_err != NULL)
        j->aws_error = *aws_err;
    snprintf(j->failed_action, sizeof j->failed_action, "%s", action ? action : "");
    sps_log(SPS_LOG_ERROR, "region scan failed; the region is not planned this pass", "region",
            sps_aws_client_region(j->ec2), "action", j->failed_action, "error", sps_error_name(err),
            "code", aws_err ? aws_err->code : "", NULL);
}

static bool s_tolerated(const struct s_slot *s, const struct sps_aws_call *call)
{
    for (size_t i = 0; s->tolerated != NULL && s->tolerated[i] != NULL; i++)
        if (strcmp(call->error.code, s->tolerated[i]) == 0)
            return true;
    return false;
}

static void s_consume(struct s_region *r, struct s_slot *s, const struct sps_aws_call *call)
{
    const char *action = sps_query_action(&s->query);
    if (call->result != SPS_OK) {
        if (s_tolerated(s, call)) {
            sps_log(SPS_LOG_INFO, "scan: not found, left empty", "region",
                    sps_aws_client_region(r->job->ec2), "action", action, "code", call->error.code,
                    NULL);
            s->done = true;
            return;
        }
        s_fail(r, call->result, &call->error, action);
        return;
    }
    const struct sps_xml_node *result = sps_aws_call_result_node(call);
    sps_err err = result ? s->parse(r, s->arg, result) : SPS_ERR_UNEXPECTED_RESPONSE;
    if (err != SPS_OK) {
        s_fail(r, err, NULL, action);
        return;
    }
    const char *token = s->token_name ? sps_xml_path_text(result, s->token_name) : NULL;
    if (token == NULL || token[0] == '\0' ||
        (s->last_token != NULL && strcmp(token, s->last_token) == 0)) {
        s->done = true;
        return;
    }
    sps_free(s->last_token);
    s->last_token = sps_strdup(token);
    sps_query_set(&s->query, "NextToken", token); /* both services spell the parameter so */
}

/* Runs every pending slot of every live region, a round at a time, until all are done. */
static void s_run_slots(struct s_region *regions, size_t n, size_t concurrency)
{
    struct s_slot **pending = NULL;
    struct s_region **owner = NULL;
    struct sps_aws_call *calls = sps_calloc(concurrency, sizeof *calls);
    for (;;) {
        size_t count = 0, cap = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; !regions[i].failed && k < regions[i].slot_count; k++) {
                if (regions[i].slots[k].done)
                    continue;
                if (count == cap) {
                    cap = cap ? cap * 2 : 16;
                    pending = sps_realloc(pending, cap * sizeof *pending);
                    owner = sps_realloc(owner, cap * sizeof *owner);
                }
                pending[count] = &regions[i].slots[k];
                owner[count++] = &regions[i];
            }
        if (count == 0)
            break;
        for (size_t start = 0; start < count; start += concurrency) {
            size_t m = count - start < concurrency ? count - start : concurrency;
            for (size_t k = 0; k < m; k++)
                sps_aws_call_init_query(&calls[k], pending[start + k]->client,
                                        &pending[start + k]->query);
            sps_aws_call_run_many(calls, m);
            for (size_t k = 0; k < m; k++) {
                if (!owner[start + k]->failed)
                    s_consume(owner[start + k], pending[start + k], &calls[k]);
                sps_aws_call_clean_up(&calls[k]);
            }
        }
    }
    sps_free(pending);
    sps_free(owner);
    sps_free(calls);
}

/* ---- phase 1: groups and spotswap's own instances ----------------------------------------- */

static sps_err s_parse_groups(struct s_region *r, size_t arg, const struct sps_xml_node *result)
{
    (void)arg;
    return sps_aws_asg_parse_describe_groups(result, &r->job->snapshot.groups);
}

static sps_err s_parse_instances(struct s_region *r, size_t arg, const struct sps_xml_node *result)
{
    (void)arg;
    return sps_aws_ec2_parse_describe_instances(result, &r->job->snapshot.instances);
}

static void s_plan_list(struct s_region *r)
{
    struct s_slot *s = s_add_slot(r, r->job->autoscaling, s_parse_groups, 0, "NextToken");
    const struct sps_aws_asg_describe_groups_input gin = {.max_records = SPS_AWS_ASG_MAX_RECORDS};
    sps_aws_asg_describe_groups_query(&s->query, &gin);

    const struct sps_aws_ec2_filter filters[] = {
        {"tag-key", s_spotswap_keys, 2},
        {"instance-state-name", s_live_states, sizeof s_live_states / sizeof *s_live_states},
    };
    const struct sps_aws_ec2_describe_instances_request din = {.filters = filters, .n_filters = 2};
    s = s_add_slot(r, r->job->ec2, s_parse_instances, 0, "nextToken");
    sps_aws_ec2_describe_instances_query(&s->query, &din);
}

/* Keeps the selected groups (in AWS order) and every name. */
static void s_select_groups(struct s_region *r, const struct sps_engine_selection *sel)
{
    struct sps_aws_asg_groups *g = &r->job->snapshot.groups;
    size_t kept = 0;
    for (size_t i = 0; i < g->count; i++) {
        sps_aws_strings_add(&r->job->snapshot.all_group_names, g->items[i].name);
        if (sel->select(sel->ctx, &g->items[i].tags))
            g->items[kept++] = g->items[i];
        else
            sps_aws_asg_group_clean_up(&g->items[i]);
    }
    g->count = kept;
}

/* ---- phase 2: members, sources, hooks, statuses ------------------------------------------- */

static sps_err s_parse_lcs(struct s_region *r, size_t arg, const struct sps_xml_node *result)
{
    (void)arg;
    return sps_aws_asg_parse_describe_launch_configurations(
        result, &r->job->snapshot.launch_configurations);
}

static sps_err s_parse_versions(struct s_region *r, size_t arg, const struct sps_xml_node *result)
{
    (void)arg;
    return sps_aws_ec2_parse_describe_launch_template_versions(result,
                                                               &r->job->snapshot.template_versions);
}

static sps_err s_parse_hooks(struct s_region *r, size_t arg, const struct sps_xml_node *result)
{
    return sps_aws_asg_parse_describe_lifecycle_hooks(result, &r->job->snapshot.hooks[arg].hooks);
}

static sps_err s_parse_statuses(struct s_region *r, size_t arg, const struct sps_xml_node *result)
{
    (void)arg;
    return sps_aws_ec2_parse_describe_instance_status(result, &r->job->snapshot.statuses);
}

/* ---- id sets: sorted copies searched in log time (a region holds thousands of members) -- */

static int s_cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sorted array of `count` ids, NULLs left out; `*n` set to its length. Free with sps_free. */
static const char **s_sorted(const char *const *ids, size_t count, size_t *n)
{
    const char **out = sps_calloc(count + 1, sizeof *out);
    *n = 0;
    for (size_t i = 0; i < count; i++)
        if (ids[i] != NULL)
            out[(*n)++] = ids[i];
    qsort(out, *n, sizeof *out, s_cmp_cstr);
    return out;
}

static bool s_in_sorted(const char *const *set, size_t n, const char *id)
{
    /* bsearch takes no NULL array, even an empty one (the image ids skip nothing). */
    return id != NULL && n > 0 && bsearch(&id, set, n, sizeof *set, s_cmp_cstr) != NULL;
}

struct s_ref {
    const char *id;
    size_t at;
};

static int s_cmp_ref(const void *a, const void *b)
{
    const struct s_ref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c != 0 ? c : (x->at > y->at) - (x->at < y->at);
}

/* Adds to `out`, in their order, the ids of `ids` that are not NULL, not a repeat of an earlier
 * one and not in the sorted `skip`: the queries keep the order they had when this was a walk. */
static void s_add_new_ids(struct sps_aws_strings *out, const char *const *ids, size_t n,
                          const char *const *skip, size_t skip_n)
{
    struct s_ref *refs = sps_calloc(n + 1, sizeof *refs);
    bool *keep = sps_calloc(n + 1, sizeof *keep);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (ids[i] != NULL)
            refs[m++] = (struct s_ref){ids[i], i};
    qsort(refs, m, sizeof *refs, s_cmp_ref);
    for (size_t i = 0; i < m; i++)
        keep[refs[i].at] = (i == 0 || strcmp(refs[i - 1].id, refs[i].id) != 0) &&
                           !s_in_sorted(skip, skip_n, refs[i].id);
    for (size_t i = 0; i < n; i++)
        if (keep[i])
            sps_aws_strings_add(out, ids[i]);
    sps_free(keep);
    sps_free(refs);
}

/* The ids of the selected groups' members, in group order. Free with sps_free. */
static const char **s_member_ids(const struct sps_engine_snapshot *snap, size_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < snap->groups.count; i++)
        count += snap->groups.items[i].instance_count;
    const char **ids = sps_calloc(count + 1, sizeof *ids);
    *n = 0;
    for (size_t i = 0; i < snap->groups.count; i++)
        for (size_t k = 0; k < snap->groups.items[i].instance_count; k++)
            ids[(*n)++] = snap->groups.items[i].instances[k].instance_id;
    return ids;
}

/* The group's template reference: LaunchTemplate, else the MixedInstancesPolicy's; NULL when it
 * uses a launch configuration. */
static const struct sps_aws_asg_launch_template *s_group_template(const struct sps_aws_asg_group *g)
{
    if (sps_aws_asg_launch_template_present(&g->launch_template))
        return &g->launch_template;
    if (g->mixed_instances_policy.present &&
        sps_aws_asg_launch_template_present(&g->mixed_instances_policy.launch_template))
        return &g->mixed_instances_policy.launch_template;
    return NULL;
}

static const char *s_version_spec(const struct sps_aws_asg_launch_template *lt)
{
    return lt->version != NULL && lt->version[0] != '\0' ? lt->version : "$Default";
}

static bool s_same(const char *a, const char *b)
{
    return a != NULL && b != NULL && a[0] != '\0' && strcmp(a, b) == 0;
}

static void s_note_template(struct s_region *r, const struct sps_aws_asg_launch_template *lt)
{
    struct s_template *t = NULL;
    for (size_t i = 0; i < r->template_count && t == NULL; i++)
        if (s_same(r->templates[i].id, lt->id) || s_same(r->templates[i].name, lt->name))
            t = &r->templates[i];
    if (t == NULL) {
        r->templates = sps_realloc(r->templates, (r->template_count + 1) * sizeof *r->templates);
        t = &r->templates[r->template_count++];
        t->id = lt->id;
        t->name = lt->name;
        sps_aws_strings_init(&t->versions);
    }
    if (!sps_aws_strings_contains(&t->versions, s_version_spec(lt)))
        sps_aws_strings_add(&t->versions, s_version_spec(lt));
}

static void s_plan_members(struct s_region *r)
{
    const struct sps_engine_snapshot *snap = &r->job->snapshot;
    struct sps_aws_strings ids;
    sps_aws_strings_init(&ids);
    /* Members not already described by the tag query, each once. */
    const char **known_ids = sps_calloc(snap->instances.count + 1, sizeof *known_ids);
    for (size_t i = 0; i < snap->instances.count; i++)
        known_ids[i] = snap->instances.items[i].instance_id;
    size_t known_n, member_n;
    const char **known = s_sorted(known_ids, snap->instances.count, &known_n);
    const char **members = s_member_ids(snap, &member_n);
    s_add_new_ids(&ids, members, member_n, known, known_n);
    sps_free(members);
    sps_free(known);
    sps_free(known_ids);
    const struct sps_aws_ec2_filter live = {"instance-state-name", s_live_states,
                                            sizeof s_live_states / sizeof *s_live_states};
    for (size_t at = 0; at < ids.count; at += SPS_AWS_EC2_MAX_INSTANCE_IDS) {
        size_t m = ids.count - at;
        m = m < SPS_AWS_EC2_MAX_INSTANCE_IDS ? m : SPS_AWS_EC2_MAX_INSTANCE_IDS;
        const struct sps_aws_ec2_describe_instances_request in = {
            .instance_ids = (const char *const *)ids.items + at,
            .n_instance_ids = m,
            .filters = &live,
            .n_filters = 1};
        struct s_slot *s = s_add_slot(r, r->job->ec2, s_parse_instances, 0, "nextToken");
        sps_aws_ec2_describe_instances_query(&s->query, &in);
    }
    sps_aws_strings_clean_up(&ids);
}

static void s_plan_sources(struct s_region *r)
{
    const struct sps_aws_asg_groups *g = &r->job->snapshot.groups;
    struct sps_aws_strings names;
    sps_aws_strings_init(&names);
    for (size_t i = 0; i < g->count; i++) {
        const char *lc = g->items[i].launch_configuration_name;
        const struct sps_aws_asg_launch_template *lt = s_group_template(&g->items[i]);
        if (lt != NULL)
            s_note_template(r, lt);
        else if (lc != NULL && lc[0] != '\0' && !sps_aws_strings_contains(&names, lc))
            sps_aws_strings_add(&names, lc);
    }
    for (size_t at = 0; at < names.count; at += SPS_AWS_ASG_MAX_LAUNCH_CONFIGURATION_NAMES) {
        size_t m = names.count - at;
        m = m < SPS_AWS_ASG_MAX_LAUNCH_CONFIGURATION_NAMES
                ? m
                : SPS_AWS_ASG_MAX_LAUNCH_CONFIGURATION_NAMES;
        const struct sps_aws_asg_describe_launch_configurations_input in = {
            .names = (const char *const *)names.items + at, .name_count = m};
        struct s_slot *s = s_add_slot(r, r->job->autoscaling, s_parse_lcs, 0, "NextToken");
        sps_aws_asg_describe_launch_configurations_query(&s->query, &in);
    }
    sps_aws_strings_clean_up(&names);
    for (size_t i = 0; i < r->template_count; i++) {
        const struct s_template *t = &r->templates[i];
        const struct sps_aws_ec2_describe_launch_template_versions_request in = {
            .template_id = t->id && t->id[0] ? t->id : NULL,
            .template_name = t->id && t->id[0] ? NULL : t->name,
            .versions = (const char *const *)t->versions.items,
            .n_versions = t->versions.count};
        struct s_slot *s = s_add_slot(r, r->job->ec2, s_parse_versions, 0, "nextToken");
        s->tolerated = s_template_missing;
        sps_aws_ec2_describe_launch_template_versions_query(&s->query, &in);
    }
}

static void s_plan_hooks(struct s_region *r)
{
    struct sps_engine_snapshot *snap = &r->job->snapshot;
    if (snap->groups.count == 0)
        return;
    snap->hooks = sps_calloc(snap->groups.count, sizeof *snap->hooks);
    snap->hook_count = snap->groups.count;
    for (size_t i = 0; i < snap->groups.count; i++) {
        snap->hooks[i].group_name = sps_strdup(snap->groups.items[i].name);
        sps_aws_asg_lifecycle_hooks_init(&snap->hooks[i].hooks);
        struct s_slot *s = s_add_slot(r, r->job->autoscaling, s_parse_hooks, i, NULL);
        sps_aws_asg_describe_lifecycle_hooks_query(&s->query, snap->groups.items[i].name);
    }
}

static void s_plan_statuses(struct s_region *r)
{
    const struct sps_engine_snapshot *snap = &r->job->snapshot;
    struct sps_aws_strings ids;
    sps_aws_strings_init(&ids);
    size_t member_n, selected_n;
    const char **members = s_member_ids(snap, &member_n);
    const char **selected = s_sorted(members, member_n, &selected_n);
    for (size_t i = 0; i < snap->instances.count; i++) {
        const struct sps_aws_ec2_instance *in = &snap->instances.items[i];
        if (strcmp(in->lifecycle, "spot") == 0 &&
            sps_aws_tags_get(&in->tags, SPS_TAG_LAUNCHED_FOR_ASG) != NULL &&
            !s_in_sorted(selected, selected_n, in->instance_id))
            sps_aws_strings_add(&ids, in->instance_id);
    }
    sps_free(selected);
    sps_free(members);
    for (size_t at = 0; at < ids.count; at += SPS_AWS_EC2_MAX_STATUS_IDS) {
        size_t m = ids.count - at;
        m = m < SPS_AWS_EC2_MAX_STATUS_IDS ? m : SPS_AWS_EC2_MAX_STATUS_IDS;
        struct s_slot *s = s_add_slot(r, r->job->ec2, s_parse_statuses, 0, "nextToken");
        s->tolerated = s_instance_missing;
        sps_aws_ec2_describe_instance_status_query(&s->query, (const char *const *)ids.items + at,
                                                   m);
    }
    sps_aws_strings_clean_up(&ids);
}

/* ---- phase 3: images, then the sources resolved ------------------------------------------- */

static sps_err s_parse_images(struct s_region *r, size_t arg, const struct sps_xml_node *result)
{
    (void)arg;
    return sps_aws_ec2_parse_describe_images(result, &r->job->snapshot.images);
}

static void s_add_image(const char **ids, size_t *n, const char *id)
{
    if (id != NULL && id[0] != '\0')
        ids[(*n)++] = id;
}

static void s_plan_images(struct s_region *r)
{
    const struct sps_engine_snapshot *snap = &r->job->snapshot;
    struct sps_aws_strings ids;
    sps_aws_strings_init(&ids);
    const char **all = sps_calloc(snap->instances.count + snap->launch_configurations.count +
                                      snap->template_versions.count + 1,
                                  sizeof *all);
    size_t n = 0;
    for (size_t i = 0; i < snap->instances.count; i++)
        s_add_image(all, &n, snap->instances.items[i].image_id);
    for (size_t i = 0; i < snap->launch_configurations.count; i++)
        s_add_image(all, &n, snap->launch_configurations.items[i].image_id);
    for (size_t i = 0; i < snap->template_versions.count; i++)
        s_add_image(all, &n, snap->template_versions.items[i].data.image_id);
    s_add_new_ids(&ids, all, n, NULL, 0);
    sps_free(all);
    for (size_t at = 0; at < ids.count; at += S_IMAGE_FILTER_VALUES) {
        size_t m = ids.count - at < S_IMAGE_FILTER_VALUES ? ids.count - at : S_IMAGE_FILTER_VALUES;
        struct s_slot *s = s_add_slot(r, r->job->ec2, s_parse_images, 0, "nextToken");
        sps_aws_ec2_describe_images_query(&s->query, NULL, 0);
        sps_query_set(&s->query, "Filter.1.Name", "image-id");
        sps_query_set_list(&s->query, "Filter.1.Value", false, (const char *const *)ids.items + at,
                           m);
    }
    sps_aws_strings_clean_up(&ids);
}

static bool s_version_matches(const struct sps_aws_ec2_launch_template_version *v, const char *spec)
{
    if (strcmp(spec, "$Default") == 0)
        return v->default_version;
    char number[32];
    snprintf(number, sizeof number, "%lld", (long long)v->version_number);
    return strcmp(spec, number) == 0;
}

static const struct sps_aws_ec2_launch_template_version *
s_find_version(const struct sps_engine_snapshot *snap, const struct sps_aws_asg_launch_template *lt)
{
    const char *spec = s_version_spec(lt);
    const struct sps_aws_ec2_launch_template_version *best = NULL;
    for (size_t i = 0; i < snap->template_versions.count; i++) {
        const struct sps_aws_ec2_launch_template_version *v = &snap->template_versions.items[i];
        if (!s_same(v->template_id, lt->id) && !s_same(v->template_name, lt->name))
            continue;
        /* $Latest was asked for in the same call, so the highest number seen is the latest. */
        if (strcmp(spec, "$Latest") == 0) {
            if (best == NULL || v->version_number > best->version_number)
                best = v;
        } else if (s_version_matches(v, spec)) {
            return v;
        }
    }
    return best;
}

static void s_resolve_sources(struct sps_engine_snapshot *snap)
{
    if (snap->groups.count == 0)
        return;
    snap->sources = sps_calloc(snap->groups.count, sizeof *snap->sources);
    snap->source_count = snap->groups.count;
    for (size_t i = 0; i < snap->groups.count; i++) {
        const struct sps_aws_asg_group *g = &snap->groups.items[i];
        struct sps_engine_group_source *src = &snap->sources[i];
        src->group_name = sps_strdup(g->name);
        const struct sps_aws_asg_launch_template *lt = s_group_template(g);
        if (lt != NULL)
            src->template_version = s_find_version(snap, lt);
        else if (g->launch_configuration_name != NULL)
            src->launch_configuration = sps_aws_asg_launch_configurations_find(
                &snap->launch_configurations, g->launch_configuration_name);
    }
}

/* ---- the driver ----------------------------------------------------------------------------- */

static void s_region_clean_up(struct s_region *r)
{
    s_clear_slots(r);
    sps_free(r->slots);
    for (size_t i = 0; i < r->template_count; i++)
        sps_aws_strings_clean_up(&r->templates[i].versions);
    sps_free(r->templates);
}

static void s_job_start(struct sps_engine_scan_job *j, int64_t now_ms)
{
    j->result = SPS_OK;
    sps_aws_error_clear(&j->aws_error);
    j->failed_action[0] = '\0';
    sps_engine_snapshot_init(&j->snapshot);
    j->snapshot.account_id = sps_strdup(j->account_id ? j->account_id : "");
    j->snapshot.region = sps_strdup(sps_aws_client_region(j->ec2));
    j->snapshot.now_ms = now_ms;
}

sps_err sps_engine_scan_regions(struct sps_engine_scan_job *jobs, size_t n,
                                const struct sps_engine_selection *sel, int64_t now_ms,
                                size_t concurrency)
{
    if ((jobs == NULL && n > 0) || sel == NULL || sel->select == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < n; i++)
        if (jobs[i].ec2 == NULL || jobs[i].autoscaling == NULL)
            return SPS_ERR_INVALID_ARGUMENT;
    if (n == 0)
        return SPS_OK;
    concurrency = concurrency ? concurrency : S_DEFAULT_CONCURRENCY;
    struct s_region *regions = sps_calloc(n, sizeof *regions);
    for (size_t i = 0; i < n; i++) {
        regions[i].job = &jobs[i];
        s_job_start(&jobs[i], now_ms);
        s_plan_list(&regions[i]);
    }
    s_run_slots(regions, n, concurrency);
    for (size_t i = 0; i < n; i++) {
        s_clear_slots(&regions[i]);
        if (regions[i].failed)
            continue;
        s_select_groups(&regions[i], sel);
        s_plan_members(&regions[i]);
        s_plan_sources(&regions[i]);
        s_plan_hooks(&regions[i]);
        s_plan_statuses(&regions[i]);
    }
    s_run_slots(regions, n, concurrency);
    for (size_t i = 0; i < n; i++) {
        s_clear_slots(&regions[i]);
        if (!regions[i].failed)
            s_plan_images(&regions[i]);
    }
    s_run_slots(regions, n, concurrency);
    for (size_t i = 0; i < n; i++) {
        if (regions[i].failed)
            sps_engine_snapshot_clean_up(&jobs[i].snapshot);
        else {
            s_resolve_sources(&jobs[i].snapshot);
            sps_engine_snapshot_index_instances(&jobs[i].snapshot);
        }
        s_region_clean_up(&regions[i]);
    }
    sps_free(regions);
    return SPS_OK;
}

sps_err sps_engine_scan_region(struct sps_aws_client *ec2, struct sps_aws_client *autoscaling,
                               const struct sps_engine_selection *sel, int64_t now_ms,
                               struct sps_engine_snapshot *out, struct sps_aws_error *aws_err)
{
    if (out == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    sps_engine_snapshot_init(out);
    if (aws_err != NULL)
        sps_aws_error_clear(aws_err);
    struct sps_engine_scan_job job = {.ec2 = ec2, .autoscaling = autoscaling};
    if (ec2 == NULL || autoscaling == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    SPS_TRY(sps_engine_scan_regions(&job, 1, sel, now_ms, 0));
    if (aws_err != NULL)
        *aws_err = job.aws_error;
    *out = job.snapshot;
    return job.result;
}
