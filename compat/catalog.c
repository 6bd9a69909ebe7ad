/*
 * The catalog: the embedded instance types plus the live overlay (records from
 * DescribeInstanceTypes, which win over embedded ones of the same name) and per-zone offerings.
 * Lookups are binary searches over one name-sorted view.
 */
#include "compat_catalog.h"
#include "sps_alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A live record and the memory behind its pointers. */
struct sps_compat_live {
    struct sps_compat_type type;
    char *name;
    char *family;
    char *gpu_manufacturer;
    char *gpu_model;
    char *network_text;
    struct sps_compat_price *prices;
};

size_t sps_compat_region_count(void)
{
    return sps_compat_region_count_;
}

const char *sps_compat_region_name(size_t index)
{
    return index < sps_compat_region_count_ ? sps_compat_regions_[index] : NULL;
}

int sps_compat_region_index(const char *name)
{
    if (name == NULL)
        return -1;
    for (size_t i = 0; i < sps_compat_region_count_; i++) {
        if (strcmp(sps_compat_regions_[i], name) == 0)
            return (int)i;
    }
    return -1;
}

sps_err sps_compat_type_price(const struct sps_compat_type *type, const char *region,
                              double *usd_per_hour)
{
    if (type == NULL || region == NULL || usd_per_hour == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    int index = sps_compat_region_index(region);
    for (size_t i = 0; index >= 0 && i < type->price_count; i++) {
        if (type->prices[i].region == (uint8_t)index) {
            *usd_per_hour = type->prices[i].usd_per_hour;
            return SPS_OK;
        }
    }
    return SPS_ERR_NOT_FOUND;
}

static bool s_empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

static const char *s_gpu_problem(const struct sps_compat_type *t)
{
    if (t->gpus > 0 && t->gpu_memory_mib == 0)
        return "gpus is set but gpu_memory_mib is 0";
    if (t->gpu_memory_mib > 0 && s_empty(t->gpu_manufacturer))
        return "a GPU type needs gpu_manufacturer";
    return NULL;
}

static const char *s_enum_problem(const struct sps_compat_type *t)
{
    if ((unsigned)t->ebs_optimized > SPS_COMPAT_EBS_OPT_DEFAULT)
        return "ebs_optimized is not a known value";
    if ((unsigned)t->ebs_nvme > SPS_COMPAT_REQUIRED)
        return "ebs_nvme is not a known value";
    if ((unsigned)t->ena > SPS_COMPAT_REQUIRED)
        return "ena is not a known value";
    if ((unsigned)t->hypervisor > SPS_COMPAT_HV_XEN)
        return "hypervisor is not a known value";
    return NULL;
}

static const char *s_price_problem(const struct sps_compat_type *t)
{
    if (t->price_count > 0 && t->prices == NULL)
        return "price_count is set but prices is NULL";
    for (size_t i = 0; i < t->price_count; i++) {
        if (t->prices[i].region >= sps_compat_region_count_)
            return "a price names a region outside the region table";
        if (!isfinite(t->prices[i].usd_per_hour) || t->prices[i].usd_per_hour <= 0)
            return "a price is not a positive number";
    }
    return NULL;
}

const char *sps_compat_type_problem(const struct sps_compat_type *t)
{
    if (t == NULL)
        return "no record";
    if (s_empty(t->name) || strchr(t->name, '.') == NULL)
        return "name is not an instance type name";
    if (t->vcpu == 0)
        return "vcpu is 0";
    if (t->memory_mib == 0)
        return "memory_mib is 0";
    if (t->arch == 0 || (t->arch & ~SPS_COMPAT_ARCH_ALL_) != 0)
        return "arch has no known architecture bit or an unknown one";
    if (t->virtualization == 0 || (t->virtualization & ~SPS_COMPAT_VIRT_ALL_) != 0)
        return "virtualization has no known bit or an unknown one";
    if (t->store.count > 0 && t->store.size_gb == 0)
        return "store.count is set but store.size_gb is 0";
    if (t->network.mbps == 0)
        return "network.mbps is 0";
    const char *problem = s_gpu_problem(t);
    if (problem == NULL)
        problem = s_enum_problem(t);
    if (problem == NULL)
        problem = s_price_problem(t);
    return problem;
}

/* ---- the view -------------------------------------------------------------------------------- */

struct sps_compat_catalog *sps_compat_catalog_new(void)
{
    struct sps_compat_catalog *catalog = sps_calloc(1, sizeof(*catalog));
    catalog->cap = sps_compat_embedded_count_ + 16;
    catalog->entries = sps_calloc(catalog->cap, sizeof(*catalog->entries));
    for (size_t i = 0; i < sps_compat_embedded_count_; i++)
        catalog->entries[i].type = &sps_compat_embedded_[i];
    catalog->count = sps_compat_embedded_count_;
    return catalog;
}

static void s_live_destroy(struct sps_compat_live *live)
{
    if (live == NULL)
        return;
    sps_free(live->name);
    sps_free(live->family);
    sps_free(live->gpu_manufacturer);
    sps_free(live->gpu_model);
    sps_free(live->network_text);
    sps_free(live->prices);
    sps_free(live);
}

static void s_zone_clean_up(struct sps_compat_zone *zone)
{
    for (size_t i = 0; i < zone->count; i++)
        sps_free(zone->types[i]);
    sps_free(zone->types);
    sps_free(zone->az);
}

void sps_compat_catalog_destroy(struct sps_compat_catalog *catalog)
{
    if (catalog == NULL)
        return;
    for (size_t i = 0; i < catalog->count; i++)
        s_live_destroy(catalog->entries[i].live);
    for (size_t i = 0; i < catalog->retired_count; i++)
        s_live_destroy(catalog->retired[i]);
    for (size_t i = 0; i < catalog->zone_count; i++)
        s_zone_clean_up(&catalog->zones[i]);
    sps_free(catalog->retired);
    sps_free(catalog->zones);
    sps_free(catalog->entries);
    sps_free(catalog);
}

size_t sps_compat_catalog_count(const struct sps_compat_catalog *catalog)
{
    return catalog ? catalog->count : 0;
}

const struct sps_compat_type *sps_compat_catalog_at(const struct sps_compat_catalog *catalog,
                                                    size_t index)
{
    return catalog && index < catalog->count ? catalog->entries[index].type : NULL;
}

/* Index of `name` in the view, or where it would go (with *found false). */
static size_t s_search(const struct sps_compat_catalog *catalog, const char *name, bool *found)
{
    size_t lo = 0, hi = catalog->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(catalog->entries[mid].type->name, name);
        if (cmp == 0) {
            *found = true;
            return mid;
        }
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

sps_err sps_compat_catalog_find(const struct sps_compat_catalog *catalog, const char *name,
                                const struct sps_compat_type **out)
{
    if (catalog == NULL || out == NULL || name == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    bool found;
    size_t at = s_search(catalog, name, &found);
    if (!found)
        return SPS_ERR_COMPAT_UNKNOWN_TYPE;
    *out = catalog->entries[at].type;
    return SPS_OK;
}

static char *s_dup_or_null(const char *s)
{
    return s ? sps_strdup(s) : NULL;
}

static struct sps_compat_live *s_live_copy(const struct sps_compat_type *src)
{
    struct sps_compat_live *live = sps_calloc(1, sizeof(*live));
    live->type = *src;
    live->name = sps_strdup(src->name);
    const char *dot = strchr(src->name, '.');
    live->family =
        src->family ? sps_strdup(src->family) : sps_strndup(src->name, (size_t)(dot - src->name));
    live->gpu_manufacturer = sps_strdup(src->gpu_manufacturer ? src->gpu_manufacturer : "");
    live->gpu_model = sps_strdup(src->gpu_model ? src->gpu_model : "");
    live->network_text = s_dup_or_null(src->network.text);
    if (src->price_count > 0) {
        live->prices = sps_calloc(src->price_count, sizeof(*live->prices));
        memcpy(live->prices, src->prices, src->price_count * sizeof(*live->prices));
    }
    live->type.name = live->name;
    live->type.family = live->family;
    live->type.gpu_manufacturer = live->gpu_manufacturer;
    live->type.gpu_model = live->gpu_model;
    live->type.network.text = live->network_text;
    live->type.prices = live->prices;
    return live;
}

static void s_retire(struct sps_compat_catalog *catalog, struct sps_compat_live *live)
{
    catalog->retired =
        sps_realloc(catalog->retired, (catalog->retired_count + 1) * sizeof(*catalog->retired));
    catalog->retired[catalog->retired_count++] = live;
}

sps_err sps_compat_catalog_add_live(struct sps_compat_catalog *catalog,
                                    const struct sps_compat_type *type)
{
    if (catalog == NULL || sps_compat_type_problem(type) != NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    struct sps_compat_live *live = s_live_copy(type);
    bool found;
    size_t at = s_search(catalog, type->name, &found);
    if (found) {
        if (catalog->entries[at].live)
            s_retire(catalog, catalog->entries[at].live);
    } else {
        if (catalog->count == catalog->cap) {
            catalog->cap *= 2;
            catalog->entries =
                sps_realloc(catalog->entries, catalog->cap * sizeof(*catalog->entries));
        }
        memmove(&catalog->entries[at + 1], &catalog->entries[at],
                (catalog->count - at) * sizeof(*catalog->entries));
        catalog->count++;
    }
    catalog->entries[at].type = &live->type;
    catalog->entries[at].live = live;
    return SPS_OK;
}

/* ---- zone offerings -------------------------------------------------------------------------- */

static int s_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

const struct sps_compat_zone *sps_compat_zone_find_(const struct sps_compat_catalog *catalog,
                                                    const char *az)
{
    for (size_t i = 0; i < catalog->zone_count; i++) {
        if (strcmp(catalog->zones[i].az, az) == 0)
            return &catalog->zones[i];
    }
    return NULL;
}

bool sps_compat_zone_has_(const struct sps_compat_zone *zone, const char *name)
{
    return zone->count > 0 &&
           bsearch(&name, zone->types, zone->count, sizeof(*zone->types), s_cmp_str) != NULL;
}

sps_err sps_compat_catalog_set_offered(struct sps_compat_catalog *catalog, const char *az,
                                       const char *const *types, size_t count)
{
    if (catalog == NULL || s_empty(az) || (count > 0 && types == NULL))
        return SPS_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < count; i++) {
        if (s_empty(types[i]))
            return SPS_ERR_INVALID_ARGUMENT;
    }
    struct sps_compat_zone zone = {.az = sps_strdup(az), .count = 0};
    zone.types = sps_calloc(count ? count : 1, sizeof(*zone.types));
    for (size_t i = 0; i < count; i++)
        zone.types[i] = sps_strdup(types[i]);
    if (count > 0)
        qsort(zone.types, count, sizeof(*zone.types), s_cmp_str);
    for (size_t i = 0; i < count; i++) {
        if (zone.count > 0 && strcmp(zone.types[zone.count - 1], zone.types[i]) == 0)
            sps_free(zone.types[i]);
        else
            zone.types[zone.count++] = zone.types[i];
    }
    struct sps_compat_zone *old = (struct sps_compat_zone *)sps_compat_zone_find_(catalog, az);
    if (old) {
        s_zone_clean_up(old);
        *old = zone;
        return SPS_OK;
    }
    catalog->zones =
        sps_realloc(catalog->zones, (catalog->zone_count + 1) * sizeof(*catalog->zones));
    catalog->zones[catalog->zone_count++] = zone;
    return SPS_OK;
}

bool sps_compat_catalog_offered(const struct sps_compat_catalog *catalog,
                                const struct sps_compat_type *type, const char *region,
                                const char *az)
{
    if (catalog == NULL || type == NULL)
        return false;
    const struct sps_compat_zone *zone = az ? sps_compat_zone_find_(catalog, az) : NULL;
    if (zone)
        return sps_compat_zone_has_(zone, type->name);
    int index = sps_compat_region_index(region);
    return index >= 0 && (type->offered_regions >> index) & 1u;
}
