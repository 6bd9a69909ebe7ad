/*
 * The pricing caches: uthash tables in memory for the run, and an optional JSON file on disk
 * so the next run needs neither the Price List nor (within 24 h) another placement-score query.
 * The file is a convenience: one that is missing, unreadable, corrupt or stale is ignored with a
 * debug line, and a failed save is a warning, never a failed lookup.
 *
 *   {"format": "spotswap-pricing-cache/1",
 *    "on_demand": {"m5.large|eu-west-1|linux": {"usd": 0.107, "stored_ms": 1795000000000}},
 *    "placement": {"<key>": {"stored_ms": ..., "scores": [{"region", "az_id", "score"}]}}}
 */
#include "pricing_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define S_FORMAT "spotswap-pricing-cache/1"
#define S_MAX_FILE ((size_t)16 * 1024 * 1024)

int64_t sps_pricing_now_(const struct sps_pricing *p)
{
    return p->clock->wall_ms(p->clock->ctx);
}

void sps_pricing_od_put_(struct sps_pricing *p, const char *key, double usd, int64_t stored_ms,
                         bool from_disk)
{
    struct sps_pricing_od_entry *e = NULL;
    HASH_FIND_STR(p->od, key, e);
    if (e == NULL) {
        e = sps_calloc(1, sizeof(*e));
        e->key = sps_strdup(key);
        HASH_ADD_KEYPTR(hh, p->od, e->key, strlen(e->key), e);
    }
    e->usd_per_hour = usd;
    e->stored_ms = stored_ms;
    e->from_disk = from_disk;
}

void sps_pricing_pl_put_(struct sps_pricing *p, const char *key, int64_t stored_ms,
                         const struct sps_pricing_placement_score *items, size_t count)
{
    struct sps_pricing_pl_entry *e = NULL;
    HASH_FIND_STR(p->pl, key, e);
    if (e == NULL) {
        e = sps_calloc(1, sizeof(*e));
        e->key = sps_strdup(key);
        HASH_ADD_KEYPTR(hh, p->pl, e->key, strlen(e->key), e);
    }
    sps_free(e->items);
    e->items = sps_calloc(count ? count : 1, sizeof(*items));
    if (count)
        memcpy(e->items, items, count * sizeof(*items));
    e->count = count;
    e->stored_ms = stored_ms;
}

void sps_pricing_caches_free_(struct sps_pricing *p)
{
    struct sps_pricing_od_entry *o, *otmp;
    HASH_ITER(hh, p->od, o, otmp)
    {
        HASH_DEL(p->od, o);
        sps_free(o->key);
        sps_free(o);
    }
    struct sps_pricing_mark *k, *ktmp;
    HASH_ITER(hh, p->prefetched, k, ktmp)
    {
        HASH_DEL(p->prefetched, k);
        sps_free(k->key);
        sps_free(k);
    }
    struct sps_pricing_pl_entry *l, *ltmp;
    HASH_ITER(hh, p->pl, l, ltmp)
    {
        HASH_DEL(p->pl, l);
        sps_free(l->key);
        sps_free(l->items);
        sps_free(l);
    }
}

static bool s_fresh(int64_t now, int64_t stored, int64_t ttl)
{
    return stored <= now && now - stored < ttl;
}

static void s_skip(const char *what, const char *key)
{
    sps_log(SPS_LOG_DEBUG, "pricing cache: entry ignored", "reason", what, "key", key, NULL);
}

static void s_load_on_demand(struct sps_pricing *p, const json_t *od, int64_t now)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)od, key, v)
    {
        const json_t *usd = json_object_get(v, "usd");
        const json_t *at = json_object_get(v, "stored_ms");
        if (!json_is_number(usd) || !json_is_integer(at) || !(json_number_value(usd) > 0) ||
            !isfinite(json_number_value(usd))) {
            s_skip("malformed", key);
            continue;
        }
        if (!s_fresh(now, json_integer_value(at), p->on_demand_ttl_ms)) {
            s_skip("expired", key);
            continue;
        }
        sps_pricing_od_put_(p, key, json_number_value(usd), json_integer_value(at), true);
    }
}

static bool s_load_score(const json_t *s, struct sps_pricing_placement_score *out)
{
    const char *region = json_string_value(json_object_get(s, "region"));
    const char *az = json_string_value(json_object_get(s, "az_id"));
    const json_t *score = json_object_get(s, "score");
    if (region == NULL || az == NULL || !json_is_integer(score) ||
        strlen(region) >= sizeof(out->region) || strlen(az) >= sizeof(out->az_id) ||
        json_integer_value(score) < 1 || json_integer_value(score) > 10)
        return false;
    memcpy(out->region, region, strlen(region) + 1);
    memcpy(out->az_id, az, strlen(az) + 1);
    out->score = (int)json_integer_value(score);
    return true;
}

static void s_load_placement(struct sps_pricing *p, const json_t *pl, int64_t now)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)pl, key, v)
    {
        const json_t *at = json_object_get(v, "stored_ms");
        const json_t *scores = json_object_get(v, "scores");
        if (!json_is_integer(at) || !json_is_array(scores)) {
            s_skip("malformed", key);
            continue;
        }
        if (!s_fresh(now, json_integer_value(at), SPS_PRICING_PLACEMENT_TTL_MS)) {
            s_skip("expired", key);
            continue;
        }
        size_t n = json_array_size(scores);
        struct sps_pricing_placement_score *items = sps_calloc(n ? n : 1, sizeof(*items));
        bool ok = true;
        for (size_t i = 0; ok && i < n; i++)
            ok = s_load_score(json_array_get(scores, i), &items[i]);
        if (ok)
            sps_pricing_pl_put_(p, key, json_integer_value(at), items, n);
        else
            s_skip("malformed score", key);
        sps_free(items);
    }
}

void sps_pricing_cache_load_(struct sps_pricing *p)
{
    if (p->cache_path == NULL)
        return;
    struct sps_buf b;
    sps_buf_init(&b, S_MAX_FILE);
    json_t *doc = NULL;
    sps_err err = sps_file_read(&b, p->cache_path);
    if (err != SPS_OK) {
        sps_log(SPS_LOG_DEBUG, "pricing cache ignored", "path", p->cache_path, "reason",
                err == SPS_ERR_NOT_FOUND ? "no such file" : sps_error_message(err), NULL);
        goto cleanup;
    }
    json_error_t jerr;
    doc = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &jerr);
    const char *format = json_string_value(json_object_get(doc, "format"));
    if (doc == NULL || format == NULL || strcmp(format, S_FORMAT) != 0) {
        sps_log(SPS_LOG_DEBUG, "pricing cache ignored", "path", p->cache_path, "reason",
                doc == NULL ? "not valid JSON" : "not a spotswap pricing cache", NULL);
        goto cleanup;
    }
    int64_t now = sps_pricing_now_(p);
    s_load_on_demand(p, json_object_get(doc, "on_demand"), now);
    s_load_placement(p, json_object_get(doc, "placement"), now);
cleanup:
    json_decref(doc);
    sps_buf_clean_up(&b);
}

static json_t *s_dump(const struct sps_pricing *p, int64_t now)
{
    json_t *od = json_object();
    for (const struct sps_pricing_od_entry *e = p->od; e; e = e->hh.next) {
        if (s_fresh(now, e->stored_ms, p->on_demand_ttl_ms))
            json_object_set_new(od, e->key,
                                json_pack("{s:f, s:I}", "usd", e->usd_per_hour, "stored_ms",
                                          (json_int_t)e->stored_ms));
    }
    json_t *pl = json_object();
    for (const struct sps_pricing_pl_entry *e = p->pl; e; e = e->hh.next) {
        if (!s_fresh(now, e->stored_ms, SPS_PRICING_PLACEMENT_TTL_MS))
            continue;
        json_t *scores = json_array();
        for (size_t i = 0; i < e->count; i++)
            json_array_append_new(scores, json_pack("{s:s, s:s, s:i}", "region", e->items[i].region,
                                                    "az_id", e->items[i].az_id, "score",
                                                    e->items[i].score));
        json_object_set_new(
            pl, e->key,
            json_pack("{s:I, s:o}", "stored_ms", (json_int_t)e->stored_ms, "scores", scores));
    }
    return json_pack("{s:s, s:o, s:o}", "format", S_FORMAT, "on_demand", od, "placement", pl);
}

/* Written to a temporary file and renamed, so a reader never sees half a cache. */
void sps_pricing_cache_save_(struct sps_pricing *p)
{
    if (p->cache_path == NULL)
        return;
    struct sps_buf tmp;
    sps_buf_init(&tmp, 4096);
    json_t *doc = s_dump(p, sps_pricing_now_(p));
    const char *why = NULL;
    if (sps_buf_printf(&tmp, "%s.tmp.%ld", p->cache_path, (long)getpid()) != SPS_OK) {
        why = "path too long";
        goto cleanup;
    }
    if (json_dump_file(doc, tmp.data, JSON_COMPACT | JSON_SORT_KEYS) != 0) {
        why = "cannot write the temporary file";
        goto cleanup;
    }
    if (rename(tmp.data, p->cache_path) != 0) {
        why = "cannot rename the temporary file";
        (void)unlink(tmp.data);
    }
cleanup:
    if (why != NULL)
        sps_log(SPS_LOG_WARN, "pricing cache not saved", "path", p->cache_path, "reason", why,
                NULL);
    json_decref(doc);
    sps_buf_clean_up(&tmp);
}
