/*
 * The run-time refresh of the instance type catalog (sps_engine_refresh.h): zone offerings and
 * the records of types the embedded catalog lacks, read from EC2 for every region in use. Like
 * the scan, every region's pending calls run together in rounds of sps_aws_call_run_many (a
 * round per page), so refreshing sixteen regions takes as many rounds as one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sps_compat_live.h"
#include "sps_engine_refresh.h"

#define S_DEFAULT_CONCURRENCY 32
#define S_TYPES_PER_CALL 100 /* DescribeInstanceTypes' limit on InstanceType.N */
#define S_MAX_PAGES 1000     /* a misbehaving service cannot loop the walk forever */

enum s_kind { S_OFFERINGS, S_TYPES };

struct s_slot {
    size_t region;
    enum s_kind kind;
    struct sps_query query;
    char **names; /* S_TYPES: the names asked (owned copies), to split a refused batch */
    size_t name_count;
    char *last_token;
    size_t pages;
    bool done;
};

struct s_state {
    struct sps_engine_refresh_region *regions;
    size_t n;
    struct sps_aws_ec2_type_offerings *offerings; /* per region */
    struct sps_aws_ec2_instance_type_infos *infos; /* per region */
    struct s_slot *slots;
    size_t slot_count, slot_cap;
};

static struct s_slot *s_add_slot(struct s_state *st, size_t region, enum s_kind kind)
{
    if (st->slot_count == st->slot_cap) {
        st->slot_cap = st->slot_cap ? st->slot_cap * 2 : 16;
        st->slots = sps_realloc(st->slots, st->slot_cap * sizeof *st->slots);
    }
    struct s_slot *s = &st->slots[st->slot_count++];
    memset(s, 0, sizeof *s);
    s->region = region;
    s->kind = kind;
    return s;
}

static void s_add_types_slot(struct s_state *st, size_t region, const char *const *names,
                             size_t count)
{
    struct s_slot *s = s_add_slot(st, region, S_TYPES);
    s->names = sps_calloc(count, sizeof *s->names);
    for (size_t i = 0; i < count; i++)
        s->names[i] = sps_strdup(names[i]);
    s->name_count = count;
    const struct sps_aws_ec2_describe_instance_types_request in = {
        .instance_types = (const char *const *)s->names, .n_instance_types = count};
    sps_aws_ec2_describe_instance_types_query(&s->query, &in);
}

static const char *s_region_name(const struct sps_engine_refresh_region *r)
{
    return r->snapshot && r->snapshot->region ? r->snapshot->region
                                              : sps_aws_client_region(r->ec2);
}

static void s_note_aws_error(struct sps_engine_refresh_region *r, const struct sps_aws_call *call)
{
    if (call->error.code[0] != '\0' && r->aws_error.code[0] == '\0')
        r->aws_error = call->error;
}

/* A DescribeInstanceTypes batch refused for naming a type EC2 does not have: every name again on
 * its own, so the types that exist are still read and only the bad one stays unknown. */
static bool s_split_refused_batch(struct s_state *st, size_t slot_index,
                                  const struct sps_aws_call *call)
{
    struct s_slot *s = &st->slots[slot_index];
    if (s->kind != S_TYPES || strcmp(call->error.code, "InvalidInstanceType") != 0)
        return false;
    if (s->name_count == 1) {
        sps_log(SPS_LOG_WARN, "EC2 does not know the instance type; it stays unknown", "region",
                s_region_name(&st->regions[s->region]), "instance_type", s->names[0], NULL);
        return true;
    }
    char **names = s->names;
    size_t count = s->name_count, region = s->region;
    s->names = NULL; /* s may move when slots grow */
    s->name_count = 0;
    for (size_t i = 0; i < count; i++)
        s_add_types_slot(st, region, (const char *const *)&names[i], 1);
    for (size_t i = 0; i < count; i++)
        sps_free(names[i]);
    sps_free(names);
    return true;
}

static void s_fail_slot(struct s_state *st, size_t slot_index, const struct sps_aws_call *call,
                        sps_err err)
{
    struct s_slot *s = &st->slots[slot_index];
    struct sps_engine_refresh_region *r = &st->regions[s->region];
    s->done = true;
    if (call != NULL && s_split_refused_batch(st, slot_index, call))
        return;
    if (call != NULL)
        s_note_aws_error(r, call);
    const char *code = call ? call->error.code : "";
    if (s->kind == S_OFFERINGS) {
        if (r->offerings_result == SPS_OK)
            sps_log(SPS_LOG_WARN,
                    "zone offerings unavailable; the embedded region-level offerings apply",
                    "region", s_region_name(r), "error", sps_error_name(err), "code", code, NULL);
        r->offerings_result = err;
    } else {
        sps_log(SPS_LOG_WARN, "DescribeInstanceTypes failed; its instance types stay unknown",
                "region", s_region_name(r), "error", sps_error_name(err), "code", code, NULL);
        r->types_result = err;
    }
}

static sps_err s_parse_page(struct s_state *st, const struct s_slot *s,
                            const struct sps_xml_node *result)
{
    if (s->kind == S_OFFERINGS)
        return sps_aws_ec2_parse_describe_instance_type_offerings(result,
                                                                  &st->offerings[s->region]);
    return sps_aws_ec2_parse_describe_instance_types(result, &st->infos[s->region]);
}

static void s_consume(struct s_state *st, size_t slot_index, const struct sps_aws_call *call)
{
    if (call->result != SPS_OK) {
        s_fail_slot(st, slot_index, call, call->result);
        return;
    }
    const struct sps_xml_node *result = sps_aws_call_result_node(call);
    sps_err err = result ? s_parse_page(st, &st->slots[slot_index], result)
                         : SPS_ERR_UNEXPECTED_RESPONSE;
    if (err != SPS_OK) {
        s_fail_slot(st, slot_index, NULL, err);
        return;
    }
    struct s_slot *s = &st->slots[slot_index];
    const char *token = sps_xml_path_text(result, "nextToken");
    if (token == NULL || token[0] == '\0' ||
        (s->last_token != NULL && strcmp(token, s->last_token) == 0)) {
        s->done = true;
        return;
    }
    if (++s->pages >= S_MAX_PAGES) {
        s_fail_slot(st, slot_index, NULL, SPS_ERR_LIMIT_EXCEEDED);
        return;
    }
    sps_free(s->last_token);
    s->last_token = sps_strdup(token);
    sps_query_set(&s->query, "NextToken", token);
}

/* A batch's calls and the slots they serve, for the early consumer below. */
struct s_batch {
    struct s_state *st;
    struct sps_aws_call *calls;
    const size_t *slots; /* call k serves slot slots[k] */
    bool *consumed;
};

/* An offerings page is consumed as soon as its call is done, so a round never holds every
 * region's parsed page at once (the pass's peak memory). Only offerings: consuming a refused
 * DescribeInstanceTypes batch adds slots, which may move the queries of calls still in flight;
 * those wait for the batch to end. */
static void s_offerings_done(struct sps_aws_call *call, void *ctx)
{
    struct s_batch *b = ctx;
    size_t k = (size_t)(call - b->calls);
    if (b->st->slots[b->slots[k]].kind != S_OFFERINGS)
        return;
    s_consume(b->st, b->slots[k], call);
    sps_aws_call_clean_up(call);
    b->consumed[k] = true;
}

/* Runs every pending slot, a round at a time, until all are done (failed slots are done). */
static void s_run(struct s_state *st, size_t concurrency)
{
    struct sps_aws_call *calls = sps_calloc(concurrency, sizeof *calls);
    bool *consumed = sps_calloc(concurrency, sizeof *consumed);
    size_t *pending = NULL;
    for (;;) {
        size_t count = 0;
        pending = sps_realloc(pending, (st->slot_count + 1) * sizeof *pending);
        for (size_t i = 0; i < st->slot_count; i++)
            if (!st->slots[i].done)
                pending[count++] = i;
        if (count == 0)
            break;
        for (size_t start = 0; start < count; start += concurrency) {
            size_t m = count - start < concurrency ? count - start : concurrency;
            struct s_batch batch = {st, calls, &pending[start], consumed};
            for (size_t k = 0; k < m; k++) {
                struct s_slot *s = &st->slots[pending[start + k]];
                sps_aws_call_init_query(&calls[k], st->regions[s->region].ec2, &s->query);
                calls[k].on_done = s_offerings_done;
                calls[k].on_done_ctx = &batch;
                consumed[k] = false;
            }
            sps_aws_call_run_many(calls, m);
            for (size_t k = 0; k < m; k++) {
                if (!consumed[k])
                    s_consume(st, pending[start + k], &calls[k]);
                sps_aws_call_clean_up(&calls[k]);
            }
        }
    }
    sps_free(pending);
    sps_free(consumed);
    sps_free(calls);
}

/* ---- applying what was read --------------------------------------------------------------- */

static int s_cmp_offering(const void *a, const void *b)
{
    const struct sps_aws_ec2_type_offering *x = a, *y = b;
    return strcmp(x->location, y->location);
}

static sps_err s_apply_offerings(struct sps_compat_catalog *catalog,
                                 struct sps_engine_refresh_region *r,
                                 struct sps_aws_ec2_type_offerings *offerings)
{
    if (offerings->count == 0)
        return SPS_OK; /* nothing said about any zone: the region-level data stays */
    qsort(offerings->items, offerings->count, sizeof *offerings->items, s_cmp_offering);
    const char **names = sps_calloc(offerings->count, sizeof *names);
    sps_err err = SPS_OK;
    for (size_t start = 0; start < offerings->count && err == SPS_OK;) {
        const char *zone = offerings->items[start].location;
        size_t end = start;
        while (end < offerings->count && strcmp(offerings->items[end].location, zone) == 0) {
            names[end - start] = offerings->items[end].instance_type;
            end++;
        }
        err = sps_compat_catalog_set_offered(catalog, zone, names, end - start);
        if (err == SPS_OK)
            r->offerings_zones++;
        start = end;
    }
    sps_free(names);
    return err;
}

static void s_apply_types(struct sps_compat_catalog *catalog, struct sps_engine_refresh_region *r,
                          const struct sps_aws_ec2_instance_type_infos *infos)
{
    int region_index = sps_compat_region_index(s_region_name(r));
    struct sps_buf why;
    sps_buf_init(&why, 1024);
    for (size_t i = 0; i < infos->count; i++) {
        struct sps_compat_type t;
        if (sps_compat_type_from_info(&infos->items[i], &t, &why) != SPS_OK) {
            sps_log(SPS_LOG_WARN, "instance type record unusable; the type stays unknown",
                    "region", s_region_name(r), "problem", why.data ? why.data : "", NULL);
            continue;
        }
        /* DescribeInstanceTypes lists the types of its own region: offered there. The same type
         * read in another region this pass keeps that region too. */
        const struct sps_compat_type *earlier = NULL;
        if (sps_compat_catalog_find(catalog, t.name, &earlier) == SPS_OK)
            t.offered_regions = earlier->offered_regions;
        if (region_index >= 0)
            t.offered_regions |= UINT64_C(1) << region_index;
        if (sps_compat_catalog_add_live(catalog, &t) == SPS_OK)
            r->types_added++;
    }
    sps_buf_clean_up(&why);
}

/* ---- planning the calls ------------------------------------------------------------------- */

static int s_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct instance types of the snapshot the catalog does not know, sorted. */
static size_t s_unknown_types(const struct sps_compat_catalog *catalog,
                              const struct sps_engine_snapshot *snap, const char ***out)
{
    size_t count = 0;
    const char **names = sps_calloc(snap->instances.count + 1, sizeof *names);
    for (size_t i = 0; i < snap->instances.count; i++) {
        const char *name = snap->instances.items[i].instance_type;
        const struct sps_compat_type *known;
        if (name == NULL || name[0] == '\0' ||
            sps_compat_catalog_find(catalog, name, &known) == SPS_OK)
            continue;
        names[count++] = name;
    }
    qsort(names, count, sizeof *names, s_cmp_str);
    size_t distinct = 0;
    for (size_t i = 0; i < count; i++)
        if (distinct == 0 || strcmp(names[distinct - 1], names[i]) != 0)
            names[distinct++] = names[i];
    *out = names;
    return distinct;
}

static void s_plan_region(struct s_state *st, const struct sps_compat_catalog *catalog,
                          size_t i)
{
    struct sps_engine_refresh_region *r = &st->regions[i];
    struct s_slot *s = s_add_slot(st, i, S_OFFERINGS);
    const struct sps_aws_ec2_describe_type_offerings_request oin = {.location_type =
                                                                       "availability-zone"};
    sps_aws_ec2_describe_instance_type_offerings_query(&s->query, &oin);
    const char **names = NULL;
    size_t count = s_unknown_types(catalog, r->snapshot, &names);
    for (size_t start = 0; start < count; start += S_TYPES_PER_CALL) {
        size_t m = count - start < S_TYPES_PER_CALL ? count - start : S_TYPES_PER_CALL;
        s_add_types_slot(st, i, names + start, m);
    }
    r->types_asked = count;
    sps_free(names);
}

sps_err sps_engine_refresh_catalog(struct sps_compat_catalog *catalog,
                                   struct sps_engine_refresh_region *regions, size_t n,
                                   size_t concurrency)
{
    if (catalog == NULL || (n > 0 && regions == NULL))
        return SPS_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < n; i++)
        if (regions[i].ec2 == NULL || regions[i].snapshot == NULL)
            return SPS_ERR_INVALID_ARGUMENT;
    struct s_state st = {.regions = regions, .n = n};
    st.offerings = sps_calloc(n + 1, sizeof *st.offerings);
    st.infos = sps_calloc(n + 1, sizeof *st.infos);
    for (size_t i = 0; i < n; i++) {
        regions[i].offerings_result = SPS_OK;
        regions[i].types_result = SPS_OK;
        sps_aws_error_clear(&regions[i].aws_error);
        regions[i].offerings_zones = regions[i].types_asked = regions[i].types_added = 0;
        s_plan_region(&st, catalog, i);
    }
    s_run(&st, concurrency ? concurrency : S_DEFAULT_CONCURRENCY);
    for (size_t i = 0; i < n; i++) {
        if (regions[i].offerings_result == SPS_OK)
            regions[i].offerings_result = s_apply_offerings(catalog, &regions[i], &st.offerings[i]);
        s_apply_types(catalog, &regions[i], &st.infos[i]);
        sps_aws_ec2_type_offerings_clean_up(&st.offerings[i]);
        sps_aws_ec2_instance_type_infos_clean_up(&st.infos[i]);
    }
    for (size_t i = 0; i < st.slot_count; i++) {
        sps_query_clean_up(&st.slots[i].query);
        sps_free(st.slots[i].last_token);
        for (size_t k = 0; k < st.slots[i].name_count; k++)
            sps_free(st.slots[i].names[k]);
        sps_free(st.slots[i].names);
    }
    sps_free(st.slots);
    sps_free(st.offerings);
    sps_free(st.infos);
    return SPS_OK;
}
