/*
 * Internal to sps_pricing: the pricing context and its caches, shared by the On-Demand lookup,
 * the placement scores and the disk cache.
 */
#ifndef SPS_PRICING_INTERNAL_H
#define SPS_PRICING_INTERNAL_H

#include "sps_pricing.h"

#define uthash_malloc(sz) sps_malloc(sz)
#define uthash_free(ptr, sz) sps_free(ptr)
#include "uthash.h"

/* An On-Demand price the Price List gave ("type|region|os" -> USD/hour). */
struct sps_pricing_od_entry {
    char *key;
    double usd_per_hour;
    int64_t stored_ms;
    bool from_disk;
    UT_hash_handle hh;
};

/* One placement configuration's answer (sps_pricing_placement_key -> scores). */
struct sps_pricing_pl_entry {
    char *key;
    int64_t stored_ms;
    struct sps_pricing_placement_score *items;
    size_t count;
    UT_hash_handle hh;
};

/* A (region, OS) whose every product was fetched ("region|os"). */
struct sps_pricing_mark {
    char *key;
    UT_hash_handle hh;
};

struct sps_pricing {
    struct sps_aws_client *price_list;
    sps_pricing_catalog_fn catalog;
    void *catalog_ctx;
    char *cache_path;
    int64_t on_demand_ttl_ms;
    const struct sps_clock *clock;
    int placement_daily_budget;
    struct sps_pricing_od_entry *od;
    struct sps_pricing_pl_entry *pl;
    struct sps_pricing_mark *prefetched;
    size_t api_calls;
};

int64_t sps_pricing_now_(const struct sps_pricing *p);
/* Adds or replaces; takes a copy of the key. */
void sps_pricing_od_put_(struct sps_pricing *p, const char *key, double usd, int64_t stored_ms,
                         bool from_disk);
/* Adds or replaces; takes a copy of the key and of the scores. */
void sps_pricing_pl_put_(struct sps_pricing *p, const char *key, int64_t stored_ms,
                         const struct sps_pricing_placement_score *items, size_t count);
void sps_pricing_caches_free_(struct sps_pricing *p);

/* The disk cache (cache.c): load at start, save after each new API answer. Neither fails the
 * caller: problems are logged (debug for an unusable file, warn for a failed save). */
void sps_pricing_cache_load_(struct sps_pricing *p);
void sps_pricing_cache_save_(struct sps_pricing *p);

#endif
