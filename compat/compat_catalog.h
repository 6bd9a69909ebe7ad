/*
 * Internal to sps_compat: the tables the generator writes (compat_catalog_data.c in the build
 * directory) and the catalog's layout, shared by catalog.c and match.c.
 */
#ifndef SPS_COMPAT_CATALOG_H
#define SPS_COMPAT_CATALOG_H

#include "sps_compat.h"

extern const char *const sps_compat_regions_[];
extern const size_t sps_compat_region_count_;
extern const struct sps_compat_type sps_compat_embedded_[];
extern const size_t sps_compat_embedded_count_;

/* One zone's DescribeInstanceTypeOfferings answer: sorted, unique names. */
struct sps_compat_zone {
    char *az;
    char **types;
    size_t count;
};

struct sps_compat_live;

/* The view: every known type by name; `live` is set for records the catalog owns. */
struct sps_compat_entry {
    const struct sps_compat_type *type;
    struct sps_compat_live *live;
};

struct sps_compat_catalog {
    struct sps_compat_entry *entries;
    size_t count;
    size_t cap;
    struct sps_compat_zone *zones;
    size_t zone_count;
    /* Live records that were replaced: kept so pointers handed out earlier stay valid. */
    struct sps_compat_live **retired;
    size_t retired_count;
};

/* The zone's offer list, or NULL when it was never set. */
const struct sps_compat_zone *sps_compat_zone_find_(const struct sps_compat_catalog *catalog,
                                                    const char *az);
/* Whether a zone's sorted list holds `name`. */
bool sps_compat_zone_has_(const struct sps_compat_zone *zone, const char *name);

#endif
