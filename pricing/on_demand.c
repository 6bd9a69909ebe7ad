/*
 * The pricing context and the On-Demand lookup: the embedded catalog for Linux prices it has,
 * then the caches, then the Price List API (always through a us-east-1 or ap-south-1 client,
 * whatever region is priced).
 */
#include "pricing_internal.h"

#include <string.h>

#define S_DEFAULT_TTL_MS ((int64_t)7 * 24 * 3600 * 1000)
#define S_DEFAULT_BUDGET 10
#define S_MAX_PAGES 20
#define S_MAX_REGION_PAGES 100

static bool s_price_list_region(const char *region)
{
    return region && (strcmp(region, "us-east-1") == 0 || strcmp(region, "ap-south-1") == 0);
}

sps_err sps_pricing_new(struct sps_pricing **out, const struct sps_pricing_options *options)
{
    *out = NULL;
    const struct sps_pricing_options none = {0};
    const struct sps_pricing_options *o = options ? options : &none;
    if (o->price_list != NULL && (sps_aws_client_service(o->price_list) != SPS_AWS_PRICING ||
                                  !s_price_list_region(sps_aws_client_region(o->price_list)))) {
        sps_log(SPS_LOG_WARN,
                "pricing: the Price List client must be the pricing service in "
                "us-east-1 or ap-south-1",
                NULL);
        return SPS_ERR_INVALID_ARGUMENT;
    }
    if (o->on_demand_ttl_ms < 0 || o->placement_daily_budget < 0 ||
        (o->cache_path != NULL && o->cache_path[0] == '\0'))
        return SPS_ERR_INVALID_ARGUMENT;
    struct sps_pricing *p = sps_calloc(1, sizeof(*p));
    p->price_list = o->price_list;
    p->catalog = o->catalog;
    p->catalog_ctx = o->catalog_ctx;
    p->cache_path = o->cache_path ? sps_strdup(o->cache_path) : NULL;
    p->on_demand_ttl_ms = o->on_demand_ttl_ms ? o->on_demand_ttl_ms : S_DEFAULT_TTL_MS;
    p->clock = o->clock ? o->clock : sps_clock_system();
    p->placement_daily_budget =
        o->placement_daily_budget ? o->placement_daily_budget : S_DEFAULT_BUDGET;
    sps_pricing_cache_load_(p);
    *out = p;
    return SPS_OK;
}

void sps_pricing_destroy(struct sps_pricing *p)
{
    if (p == NULL)
        return;
    sps_pricing_caches_free_(p);
    sps_free(p->cache_path);
    sps_free(p);
}

const char *sps_pricing_source_name(enum sps_pricing_source source)
{
    switch (source) {
    case SPS_PRICING_FROM_CATALOG:
        return "catalog";
    case SPS_PRICING_FROM_MEMORY:
        return "memory";
    case SPS_PRICING_FROM_DISK:
        return "disk-cache";
    case SPS_PRICING_FROM_API:
        return "price-list";
    }
    return "unknown";
}

size_t sps_pricing_api_calls(const struct sps_pricing *p)
{
    return p->api_calls;
}

/* Every page of GetProducts for the key, folded into one match. */
static sps_err s_ask_price_list(struct sps_pricing *p, const struct sps_pricing_od_key *key,
                                double *usd, struct sps_aws_error *aws_err)
{
    sps_err err = SPS_OK;
    struct sps_pricing_od_match m;
    sps_pricing_od_match_init(&m);
    struct sps_buf body, last_token;
    sps_buf_init(&body, 0);
    sps_buf_init(&last_token, 0);
    for (int page = 0; page < S_MAX_PAGES; page++) {
        sps_buf_reset(&body);
        SPS_GUARD(sps_pricing_products_request(&body, key, m.next_token));
        struct sps_aws_call call;
        sps_aws_call_init_json(&call, p->price_list, "GetProducts", sps_buf_cursor(&body));
        err = sps_aws_call_run(&call);
        p->api_calls++;
        if (err == SPS_OK)
            err = sps_pricing_parse_products(sps_buf_cursor(&call.body), key, &m);
        else if (aws_err != NULL)
            *aws_err = call.error;
        sps_aws_call_clean_up(&call);
        if (err != SPS_OK)
            goto cleanup;
        /* An absent or repeated token ends the walk (a service bug must not loop us). */
        if (m.next_token == NULL || strcmp(m.next_token, last_token.data) == 0)
            break;
        SPS_GUARD(sps_buf_set(&last_token, sps_cursor_from_str(m.next_token)));
    }
    err = sps_pricing_od_match_price(&m, usd);
    if (err == SPS_ERR_PRICING_AMBIGUOUS)
        sps_log(SPS_LOG_WARN, "pricing: several Price List products match with different prices",
                "instance_type", key->instance_type, "region", key->region, NULL);
cleanup:
    sps_buf_clean_up(&body);
    sps_buf_clean_up(&last_token);
    sps_pricing_od_match_clean_up(&m);
    return err;
}

/* ---- region-wide prefetch ---- */

struct s_type_match {
    char *type;
    struct sps_pricing_od_match m;
    UT_hash_handle hh;
};

static struct sps_pricing_od_match *s_slot(void *ctx, const char *instance_type)
{
    struct s_type_match **all = ctx, *e = NULL;
    HASH_FIND_STR(*all, instance_type, e);
    if (e == NULL) {
        e = sps_calloc(1, sizeof(*e));
        e->type = sps_strdup(instance_type);
        sps_pricing_od_match_init(&e->m);
        HASH_ADD_KEYPTR(hh, *all, e->type, strlen(e->type), e);
    }
    return &e->m;
}

/* The memory and disk cache's key of one price: every writer and reader builds it here. */
static sps_err s_cache_key(struct sps_buf *key, const char *instance_type, const char *region,
                           enum sps_pricing_os os)
{
    sps_buf_reset(key);
    return sps_buf_printf(key, "%s|%s|%s", instance_type, region, sps_pricing_os_name(os));
}

/* The cached entry under `key` while it is fresh, else NULL. */
static const struct sps_pricing_od_entry *s_fresh(struct sps_pricing *p, const char *key)
{
    struct sps_pricing_od_entry *e = NULL;
    HASH_FIND_STR(p->od, key, e);
    int64_t now = sps_pricing_now_(p);
    return e != NULL && e->stored_ms <= now && now - e->stored_ms < p->on_demand_ttl_ms ? e : NULL;
}

static bool s_mark_key(struct sps_buf *key, const char *region, enum sps_pricing_os os)
{
    return sps_buf_printf(key, "%s|%s", region, sps_pricing_os_name(os)) == SPS_OK;
}

static bool s_prefetched(const struct sps_pricing *p, const char *region, enum sps_pricing_os os)
{
    struct sps_buf key;
    sps_buf_init(&key, 1024);
    struct sps_pricing_mark *m = NULL;
    if (s_mark_key(&key, region, os))
        HASH_FIND_STR(p->prefetched, key.data, m);
    sps_buf_clean_up(&key);
    return m != NULL;
}

/* Every page of the region-wide answer into `all`. */
static sps_err s_fetch_region(struct sps_pricing *p, const struct sps_pricing_od_key *key,
                              struct s_type_match **all, struct sps_aws_error *aws_err)
{
    sps_err err = SPS_OK;
    char *token = NULL;
    struct sps_buf body, last_token;
    sps_buf_init(&body, 0);
    sps_buf_init(&last_token, 0);
    for (int page = 0; page < S_MAX_REGION_PAGES; page++) {
        sps_buf_reset(&body);
        SPS_GUARD(sps_pricing_products_request(&body, key, token));
        struct sps_aws_call call;
        sps_aws_call_init_json(&call, p->price_list, "GetProducts", sps_buf_cursor(&body));
        err = sps_aws_call_run(&call);
        p->api_calls++;
        if (err == SPS_OK)
            err = sps_pricing_parse_products_by_type(sps_buf_cursor(&call.body), key, s_slot, all,
                                                     &token);
        else if (aws_err != NULL)
            *aws_err = call.error;
        sps_aws_call_clean_up(&call);
        if (err != SPS_OK)
            goto cleanup;
        if (token == NULL || strcmp(token, last_token.data) == 0)
            break;
        SPS_GUARD(sps_buf_set(&last_token, sps_cursor_from_str(token)));
    }
cleanup:
    sps_free(token);
    sps_buf_clean_up(&body);
    sps_buf_clean_up(&last_token);
    return err;
}

sps_err sps_pricing_on_demand_prefetch(struct sps_pricing *p, const char *region,
                                       enum sps_pricing_os os, struct sps_aws_error *aws_err)
{
    if (aws_err != NULL)
        sps_aws_error_clear(aws_err);
    if (p == NULL || region == NULL || region[0] == '\0' || (unsigned)os >= SPS_PRICING_OS_COUNT_)
        return SPS_ERR_INVALID_ARGUMENT;
    if (p->price_list == NULL || s_prefetched(p, region, os))
        return SPS_OK;
    const struct sps_pricing_od_key key = {NULL, region, os};
    struct s_type_match *all = NULL, *e, *tmp;
    sps_err err = s_fetch_region(p, &key, &all, aws_err);
    int64_t now = sps_pricing_now_(p);
    struct sps_buf k;
    sps_buf_init(&k, 1024);
    HASH_ITER(hh, all, e, tmp)
    {
        double usd;
        if (err == SPS_OK && sps_pricing_od_match_price(&e->m, &usd) == SPS_OK &&
            s_cache_key(&k, e->type, region, os) == SPS_OK)
            sps_pricing_od_put_(p, k.data, usd, now, false);
        HASH_DEL(all, e);
        sps_pricing_od_match_clean_up(&e->m);
        sps_free(e->type);
        sps_free(e);
    }
    if (err == SPS_OK) {
        sps_buf_reset(&k);
        if (s_mark_key(&k, region, os)) {
            struct sps_pricing_mark *m = sps_calloc(1, sizeof(*m));
            m->key = sps_strdup(k.data);
            HASH_ADD_KEYPTR(hh, p->prefetched, m->key, strlen(m->key), m);
        }
        sps_pricing_cache_save_(p);
    }
    sps_buf_clean_up(&k);
    return err;
}

/* ---- many keys at once ---- */

/* True when sps_pricing_on_demand would answer (type, region, OS) without a call: the catalog
 * (Linux), a fresh cache entry, or a region-wide prefetch of (region, OS). A catalog failure
 * counts as answered too: the lookup reports it, the Price List is never asked. */
static bool s_answered_locally(struct sps_pricing *p, const struct sps_pricing_od_key *k,
                               const char *cache_key)
{
    if (k->os == SPS_PRICING_LINUX && p->catalog != NULL) {
        double usd = 0;
        sps_err err = p->catalog(p->catalog_ctx, k->instance_type, k->region, &usd);
        if ((err == SPS_OK && usd > 0) || (err != SPS_OK && err != SPS_ERR_NOT_FOUND))
            return true;
    }
    return s_fresh(p, cache_key) != NULL || s_prefetched(p, k->region, k->os);
}

/* One key's walk through its pages. */
struct s_walk {
    struct sps_pricing_od_key key;
    char *cache_key;
    struct sps_pricing_od_match m;
    struct sps_buf body; /* the request of the page in flight */
    char *last_token;
    int pages;
    bool active;
    sps_err result;
};

static bool s_valid_key(const struct sps_pricing_od_key *k)
{
    return k->instance_type != NULL && k->instance_type[0] != '\0' && k->region != NULL &&
           k->region[0] != '\0' && (unsigned)k->os < SPS_PRICING_OS_COUNT_;
}

/* Folds one answered page into its walk; ends the walk on a failure, the last page, a
 * repeated token or the page limit (as s_ask_price_list does). */
static void s_walk_page(struct s_walk *w, struct sps_aws_call *call)
{
    sps_err err = call->result;
    if (err == SPS_OK)
        err = sps_pricing_parse_products(sps_buf_cursor(&call->body), &w->key, &w->m);
    w->pages++;
    if (err != SPS_OK) {
        w->result = err;
        w->active = false;
        return;
    }
    const char *token = w->m.next_token;
    if (token == NULL || (w->last_token && strcmp(token, w->last_token) == 0) ||
        w->pages >= S_MAX_PAGES) {
        double usd = 0;
        w->active = false;
        w->result = sps_pricing_od_match_price(&w->m, &usd);
        return;
    }
    sps_free(w->last_token);
    w->last_token = sps_strdup(token);
}

/* One round: the next page of every walk still going, all sent together. */
static void s_walk_round(struct sps_pricing *p, struct s_walk *walks, size_t n)
{
    struct sps_aws_call *calls = sps_calloc(n ? n : 1, sizeof(*calls));
    size_t *idx = sps_calloc(n ? n : 1, sizeof(*idx));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct s_walk *w = &walks[i];
        if (!w->active)
            continue;
        sps_buf_reset(&w->body);
        sps_err err = sps_pricing_products_request(&w->body, &w->key, w->m.next_token);
        if (err != SPS_OK) {
            w->result = err;
            w->active = false;
            continue;
        }
        sps_aws_call_init_json(&calls[k], p->price_list, "GetProducts", sps_buf_cursor(&w->body));
        idx[k++] = i;
    }
    sps_aws_call_run_many(calls, k);
    p->api_calls += k;
    for (size_t j = 0; j < k; j++) {
        s_walk_page(&walks[idx[j]], &calls[j]);
        sps_aws_call_clean_up(&calls[j]);
    }
    sps_free(idx);
    sps_free(calls);
}

static void s_walk_clean_up(struct s_walk *w)
{
    sps_free(w->cache_key);
    sps_free(w->last_token);
    sps_buf_clean_up(&w->body);
    sps_pricing_od_match_clean_up(&w->m);
}

sps_err sps_pricing_on_demand_prefetch_many(struct sps_pricing *p,
                                            const struct sps_pricing_od_key *keys, size_t n,
                                            sps_err *results)
{
    if (p == NULL || (n > 0 && keys == NULL))
        return SPS_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < n; i++) {
        if (!s_valid_key(&keys[i]))
            return SPS_ERR_INVALID_ARGUMENT;
        if (results != NULL)
            results[i] = SPS_OK;
    }
    if (p->price_list == NULL || n == 0)
        return SPS_OK;
    struct s_walk *walks = sps_calloc(n, sizeof(*walks));
    size_t count = 0;
    size_t *walk_of = sps_calloc(n, sizeof(*walk_of)); /* key -> walk, or SIZE_MAX for none */
    sps_err first = SPS_OK;
    struct sps_buf ck;
    sps_buf_init(&ck, 1024);
    for (size_t i = 0; i < n; i++) {
        walk_of[i] = SIZE_MAX;
        /* A key too long for the cache is left to the lookup, which fails the same way. */
        sps_err err = s_cache_key(&ck, keys[i].instance_type, keys[i].region, keys[i].os);
        if (err != SPS_OK) {
            if (results != NULL)
                results[i] = err;
            if (first == SPS_OK)
                first = err;
            continue;
        }
        if (s_answered_locally(p, &keys[i], ck.data))
            continue;
        for (size_t w = 0; w < count && walk_of[i] == SIZE_MAX; w++) {
            if (strcmp(walks[w].cache_key, ck.data) == 0)
                walk_of[i] = w;
        }
        if (walk_of[i] != SIZE_MAX)
            continue;
        struct s_walk *w = &walks[count];
        w->key = keys[i];
        w->cache_key = sps_strdup(ck.data);
        sps_pricing_od_match_init(&w->m);
        sps_buf_init(&w->body, 0);
        w->active = true;
        walk_of[i] = count++;
    }
    sps_buf_clean_up(&ck);
    for (bool any = count > 0; any;) {
        s_walk_round(p, walks, count);
        any = false;
        for (size_t w = 0; w < count; w++)
            any = any || walks[w].active;
    }
    int64_t now = sps_pricing_now_(p);
    size_t stored = 0;
    for (size_t w = 0; w < count; w++) {
        double usd = 0;
        if (walks[w].result == SPS_OK && sps_pricing_od_match_price(&walks[w].m, &usd) == SPS_OK) {
            sps_pricing_od_put_(p, walks[w].cache_key, usd, now, false);
            stored++;
        } else if (first == SPS_OK) {
            first = walks[w].result;
        }
    }
    for (size_t i = 0; results != NULL && i < n; i++) {
        if (walk_of[i] != SIZE_MAX)
            results[i] = walks[walk_of[i]].result;
    }
    if (stored > 0)
        sps_pricing_cache_save_(p);
    for (size_t w = 0; w < count; w++)
        s_walk_clean_up(&walks[w]);
    sps_free(walk_of);
    sps_free(walks);
    return first;
}

sps_err sps_pricing_on_demand(struct sps_pricing *p, const char *instance_type, const char *region,
                              enum sps_pricing_os os, double *usd_per_hour,
                              enum sps_pricing_source *source, struct sps_aws_error *aws_err)
{
    if (aws_err != NULL)
        sps_aws_error_clear(aws_err);
    if (p == NULL || instance_type == NULL || instance_type[0] == '\0' || region == NULL ||
        region[0] == '\0' || (unsigned)os >= SPS_PRICING_OS_COUNT_)
        return SPS_ERR_INVALID_ARGUMENT;
    enum sps_pricing_source scratch;
    if (source == NULL)
        source = &scratch;
    double usd = 0;
    if (os == SPS_PRICING_LINUX && p->catalog != NULL) {
        sps_err err = p->catalog(p->catalog_ctx, instance_type, region, &usd);
        if (err == SPS_OK && usd > 0) {
            *usd_per_hour = usd;
            *source = SPS_PRICING_FROM_CATALOG;
            return SPS_OK;
        }
        if (err != SPS_OK && err != SPS_ERR_NOT_FOUND)
            return err;
    }
    sps_err err = SPS_OK;
    struct sps_buf key;
    sps_buf_init(&key, 1024);
    SPS_GUARD(s_cache_key(&key, instance_type, region, os));
    int64_t now = sps_pricing_now_(p);
    const struct sps_pricing_od_entry *e = s_fresh(p, key.data);
    if (e != NULL) {
        *usd_per_hour = e->usd_per_hour;
        *source = e->from_disk ? SPS_PRICING_FROM_DISK : SPS_PRICING_FROM_MEMORY;
        goto cleanup;
    }
    if (p->price_list == NULL || s_prefetched(p, region, os))
        SPS_GUARD(SPS_ERR_PRICING_UNKNOWN);
    const struct sps_pricing_od_key k = {instance_type, region, os};
    SPS_GUARD(s_ask_price_list(p, &k, &usd, aws_err));
    sps_pricing_od_put_(p, key.data, usd, now, false);
    sps_pricing_cache_save_(p);
    *usd_per_hour = usd;
    *source = SPS_PRICING_FROM_API;
cleanup:
    sps_buf_clean_up(&key);
    return err;
}
