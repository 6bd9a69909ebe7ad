/*
 * Spot placement scores (GetSpotPlacementScores). AWS lets an account ask only about ten
 * distinct configurations per 24 hours, so answers are cached for 24 h by configuration (memory
 * and the disk cache), and a new configuration beyond the daily budget is refused before any
 * call is made.
 */
#include "pricing_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sps_pricing_placement_scores_clean_up(struct sps_pricing_placement_scores *s)
{
    if (s == NULL)
        return;
    sps_free(s->items);
    *s = (struct sps_pricing_placement_scores){0};
}

static const char *s_unit(const struct sps_pricing_placement_request *req)
{
    return req->capacity_unit ? req->capacity_unit : "units";
}

static bool s_strings_ok(const char *const *v, size_t n)
{
    if (n > 0 && v == NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == NULL || v[i][0] == '\0' || strchr(v[i], ',') || strchr(v[i], ';'))
            return false;
    }
    return true;
}

static bool s_request_ok(const struct sps_pricing_placement_request *req)
{
    const char *unit = s_unit(req);
    return req->type_count > 0 && s_strings_ok(req->instance_types, req->type_count) &&
           s_strings_ok(req->regions, req->region_count) && req->target_capacity >= 1 &&
           (strcmp(unit, "units") == 0 || strcmp(unit, "vcpu") == 0 ||
            strcmp(unit, "memory-mib") == 0);
}

static int s_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, without duplicates, comma-separated. */
static void s_append_set(struct sps_buf *out, const char *const *v, size_t n)
{
    const char **sorted = sps_calloc(n ? n : 1, sizeof(*sorted));
    if (n)
        memcpy(sorted, v, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), s_cmp);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(sorted[i], sorted[i - 1]) == 0)
            continue;
        (void)sps_buf_printf(out, "%s%s", i ? "," : "", sorted[i]);
    }
    sps_free(sorted);
}

sps_err sps_pricing_placement_key(struct sps_buf *out,
                                  const struct sps_pricing_placement_request *req)
{
    if (req == NULL || !s_request_ok(req))
        return SPS_ERR_INVALID_ARGUMENT;
    (void)sps_buf_append_str(out, "types=");
    s_append_set(out, req->instance_types, req->type_count);
    (void)sps_buf_printf(out, ";capacity=%u;unit=%s;single_az=%d;regions=",
                         (unsigned)req->target_capacity, s_unit(req), req->single_az ? 1 : 0);
    s_append_set(out, req->regions, req->region_count);
    return out->err;
}

void sps_pricing_placement_query(struct sps_query *q,
                                 const struct sps_pricing_placement_request *req,
                                 const char *next_token)
{
    sps_query_init(q, "GetSpotPlacementScores", "2016-11-15");
    sps_query_set_list(q, "InstanceType", false, req->instance_types, req->type_count);
    char capacity[16];
    snprintf(capacity, sizeof(capacity), "%u", (unsigned)req->target_capacity);
    sps_query_set(q, "TargetCapacity", capacity);
    sps_query_set(q, "TargetCapacityUnitType", s_unit(req));
    sps_query_set(q, "SingleAvailabilityZone", req->single_az ? "true" : "false");
    if (req->region_count > 0)
        sps_query_set_list(q, "RegionName", false, req->regions, req->region_count);
    sps_query_set(q, "MaxResults", "1000");
    if (next_token != NULL && next_token[0] != '\0')
        sps_query_set(q, "NextToken", next_token);
}

static sps_err s_read_score(const struct sps_xml_node *item,
                            struct sps_pricing_placement_score *out)
{
    const char *region = sps_xml_path_text(item, "region");
    const char *az = sps_xml_path_text(item, "availabilityZoneId");
    if (region == NULL || region[0] == '\0') {
        sps_log(SPS_LOG_DEBUG, "placement scores: item without region", NULL);
        return SPS_ERR_MISSING_FIELD;
    }
    int64_t score;
    sps_err err = sps_xml_path_i64(item, "score", &score);
    if (err == SPS_ERR_MISSING_FIELD)
        sps_log(SPS_LOG_DEBUG, "placement scores: item without score", "region", region, NULL);
    SPS_TRY(err);
    if (score < 1 || score > 10 || strlen(region) >= sizeof(out->region) ||
        (az && strlen(az) >= sizeof(out->az_id))) {
        sps_log(SPS_LOG_DEBUG, "placement scores: item out of range", "region", region, NULL);
        return SPS_ERR_UNEXPECTED_RESPONSE;
    }
    *out = (struct sps_pricing_placement_score){.score = (int)score};
    memcpy(out->region, region, strlen(region) + 1);
    if (az != NULL)
        memcpy(out->az_id, az, strlen(az) + 1);
    return SPS_OK;
}

sps_err sps_pricing_placement_parse_page(const struct sps_xml_node *result,
                                         struct sps_pricing_placement_scores *out,
                                         char **next_token)
{
    if (next_token != NULL)
        *next_token = NULL;
    if (result == NULL || out == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    size_t start = out->count;
    for (const struct sps_xml_node *it = sps_xml_path(result, "spotPlacementScoreSet/item"); it;
         it = sps_xml_next(it, "item")) {
        if (out->count == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->items = sps_realloc(out->items, out->cap * sizeof(*out->items));
        }
        sps_err err = s_read_score(it, &out->items[out->count]);
        if (err != SPS_OK) {
            out->count = start; /* a bad page adds nothing */
            return err;
        }
        out->count++;
    }
    const char *token = sps_xml_path_text(result, "nextToken");
    if (next_token != NULL && token != NULL && token[0] != '\0')
        *next_token = sps_strdup(token);
    return SPS_OK;
}

size_t sps_pricing_placement_used(const struct sps_pricing *p)
{
    int64_t now = sps_pricing_now_(p);
    size_t used = 0;
    for (const struct sps_pricing_pl_entry *e = p->pl; e; e = e->hh.next) {
        if (e->stored_ms <= now && now - e->stored_ms < SPS_PRICING_PLACEMENT_TTL_MS)
            used++;
    }
    return used;
}

static sps_err s_on_page(void *ctx, const struct sps_xml_node *result)
{
    return sps_pricing_placement_parse_page(result, ctx, NULL);
}

sps_err sps_pricing_placement_scores(struct sps_pricing *p, struct sps_aws_client *ec2,
                                     const struct sps_pricing_placement_request *req,
                                     struct sps_pricing_placement_scores *out,
                                     struct sps_aws_error *aws_err)
{
    *out = (struct sps_pricing_placement_scores){0};
    if (aws_err != NULL)
        sps_aws_error_clear(aws_err);
    if (p == NULL || req == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    sps_err err = SPS_OK;
    struct sps_query q = {0};
    struct sps_buf key;
    sps_buf_init(&key, 64 * 1024);
    SPS_GUARD(sps_pricing_placement_key(&key, req));
    int64_t now = sps_pricing_now_(p);
    struct sps_pricing_pl_entry *e = NULL;
    HASH_FIND_STR(p->pl, key.data, e);
    if (e != NULL && e->stored_ms <= now && now - e->stored_ms < SPS_PRICING_PLACEMENT_TTL_MS) {
        out->items = sps_calloc(e->count ? e->count : 1, sizeof(*out->items));
        if (e->count)
            memcpy(out->items, e->items, e->count * sizeof(*out->items));
        out->count = out->cap = e->count;
        out->from_cache = true;
        goto cleanup;
    }
    if (sps_pricing_placement_used(p) >= (size_t)p->placement_daily_budget) {
        sps_log(SPS_LOG_WARN,
                "placement scores: daily budget of distinct configurations spent; "
                "not asking AWS",
                "configuration", key.data, NULL);
        SPS_GUARD(SPS_ERR_PRICING_PLACEMENT_BUDGET);
    }
    if (ec2 == NULL)
        SPS_GUARD(SPS_ERR_INVALID_ARGUMENT);
    sps_pricing_placement_query(&q, req, NULL);
    err = sps_aws_query_paginate(ec2, &q, 0, s_on_page, out, aws_err);
    if (err != SPS_OK) {
        sps_pricing_placement_scores_clean_up(out);
        goto cleanup;
    }
    sps_pricing_pl_put_(p, key.data, now, out->items, out->count);
    sps_pricing_cache_save_(p);
cleanup:
    sps_query_clean_up(&q);
    sps_buf_clean_up(&key);
    return err;
}
