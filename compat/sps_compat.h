/*
 * Instance type compatibility: which EC2 instance types can stand in for a running one.
 *
 * The catalog holds the embedded instance types (generated at build time from
 * compat/data/ec2-catalog.json) plus a live overlay fed from DescribeInstanceTypes and
 * DescribeInstanceTypeOfferings. The matcher, the ranking and the diversification are pure:
 * data in, candidates out, no I/O. The rules and their reasons are in docs/compatibility.md.
 */
#ifndef SPS_COMPAT_H
#define SPS_COMPAT_H

#include "sps_error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- instance types ---------------------------------------------------------------------- */

/* Architectures (ProcessorInfo.SupportedArchitectures, DescribeImages Architecture) as bits. */
enum {
    SPS_COMPAT_ARCH_I386 = 1u << 0,
    SPS_COMPAT_ARCH_X86_64 = 1u << 1,
    SPS_COMPAT_ARCH_ARM64 = 1u << 2,
    SPS_COMPAT_ARCH_X86_64_MAC = 1u << 3,
    SPS_COMPAT_ARCH_ARM64_MAC = 1u << 4,
    SPS_COMPAT_ARCH_ALL_ = (1u << 5) - 1,
};

/* Virtualization types (SupportedVirtualizationTypes, DescribeImages VirtualizationType). */
enum {
    SPS_COMPAT_VIRT_HVM = 1u << 0,
    SPS_COMPAT_VIRT_PARAVIRTUAL = 1u << 1,
    SPS_COMPAT_VIRT_ALL_ = (1u << 2) - 1,
};

/* EnaSupport and EbsInfo.NvmeSupport. */
enum sps_compat_support {
    SPS_COMPAT_UNSUPPORTED,
    SPS_COMPAT_SUPPORTED,
    SPS_COMPAT_REQUIRED,
};

/* EbsInfo.EbsOptimizedSupport. */
enum sps_compat_ebs_optimized {
    SPS_COMPAT_EBS_OPT_UNSUPPORTED,
    SPS_COMPAT_EBS_OPT_SUPPORTED, /* optional: must be requested at launch */
    SPS_COMPAT_EBS_OPT_DEFAULT,   /* always on */
};

enum sps_compat_hypervisor {
    SPS_COMPAT_HV_NONE, /* bare metal */
    SPS_COMPAT_HV_NITRO,
    SPS_COMPAT_HV_XEN,
};

/* NetworkInfo.NetworkPerformance as a comparable number. "25 Gigabit" is 25000 Mbps sustained;
 * "Up to 10 Gigabit" is 10000 Mbps with up_to set (a burst, not a baseline); "4x 100 Gigabit"
 * is 400000; the words "Very Low", "Low", "Low to Moderate", "Moderate", "High" are 50, 100,
 * 300, 500 and 1000 Mbps with up_to set (AWS guarantees none of them). */
struct sps_compat_network {
    uint32_t mbps;
    bool up_to;
    const char *text; /* as AWS words it; may be NULL in a live record */
};

/* Parses a NetworkPerformance string; SPS_ERR_INVALID_ARGUMENT for wording it does not know.
 * out->text points at `text`. */
SPS_NODISCARD sps_err sps_compat_network_parse(const char *text, struct sps_compat_network *out);
/* True when `candidate` offers at least the bandwidth of `original`: a sustained original needs
 * a sustained candidate at least as fast; an "up to" original takes either kind at least as
 * fast. */
bool sps_compat_network_covers(const struct sps_compat_network *candidate,
                               const struct sps_compat_network *original);

struct sps_compat_store {
    uint32_t count;    /* disks; 0 = no instance store */
    uint32_t size_gb;  /* per disk */
    uint32_t total_gb; /* all disks */
    bool ssd;          /* false = HDD */
    bool nvme;         /* disks are NVMe devices */
};

/* On-Demand Linux price in one region of the region table. */
struct sps_compat_price {
    uint8_t region; /* index for sps_compat_region_name */
    double usd_per_hour;
};

struct sps_compat_type {
    const char *name;   /* "m5.large" */
    const char *family; /* "m5"; derived from the name when a live record leaves it NULL */
    uint32_t vcpu;
    uint32_t memory_mib;
    uint32_t gpus;                /* whole GPUs; 0 for fractional-GPU types such as g6f */
    uint32_t gpu_memory_mib;      /* all GPUs together; > 0 marks a GPU type */
    const char *gpu_manufacturer; /* "NVIDIA", "AMD"; "" or NULL without GPU */
    const char *gpu_model;        /* "A10G"; "" or NULL without GPU */
    uint32_t fpgas;
    uint32_t neuron_devices;
    uint32_t inference_accelerators;
    struct sps_compat_store store;
    uint8_t virtualization; /* SPS_COMPAT_VIRT_* bits */
    uint8_t arch;           /* SPS_COMPAT_ARCH_* bits */
    enum sps_compat_ebs_optimized ebs_optimized;
    enum sps_compat_support ebs_nvme; /* REQUIRED: EBS volumes appear as NVMe devices (Nitro) */
    enum sps_compat_support ena;
    struct sps_compat_network network;
    enum sps_compat_hypervisor hypervisor;
    bool burstable;
    bool bare_metal;
    bool current_generation;
    bool spot;                             /* "spot" is among SupportedUsageClasses */
    uint64_t offered_regions;              /* bit i: offered in region sps_compat_region_name(i) */
    const struct sps_compat_price *prices; /* regions without a price are absent: unknown */
    size_t price_count;
};

/* The region table the catalog's bitsets and prices index. */
size_t sps_compat_region_count(void);
const char *sps_compat_region_name(size_t index); /* NULL past the end */
int sps_compat_region_index(const char *name);    /* -1 when not in the table */

/* The On-Demand price of `type` in `region`; SPS_ERR_NOT_FOUND when unknown (never 0). */
SPS_NODISCARD sps_err sps_compat_type_price(const struct sps_compat_type *type, const char *region,
                                            double *usd_per_hour);

/* NULL when `type` is a usable record, else a static text naming the first bad field. */
const char *sps_compat_type_problem(const struct sps_compat_type *type);

/* ---- the catalog ------------------------------------------------------------------------- */

struct sps_compat_catalog;

/* The embedded types, no live data, no zone offerings. Aborts on out-of-memory only. */
struct sps_compat_catalog *sps_compat_catalog_new(void);
void sps_compat_catalog_destroy(struct sps_compat_catalog *catalog); /* NULL-safe */

/* Number of types known (embedded and live, a name counted once). */
size_t sps_compat_catalog_count(const struct sps_compat_catalog *catalog);
/* The index-th type in name order; NULL past the end. */
const struct sps_compat_type *sps_compat_catalog_at(const struct sps_compat_catalog *catalog,
                                                    size_t index);

/* Adds a record from live data (copied). It replaces an embedded or earlier live record of the
 * same name. SPS_ERR_INVALID_ARGUMENT when sps_compat_type_problem finds fault with it.
 * Records returned by earlier lookups and results stay valid until the catalog is destroyed. */
SPS_NODISCARD sps_err sps_compat_catalog_add_live(struct sps_compat_catalog *catalog,
                                                  const struct sps_compat_type *type);

/* The types offered in one availability zone (DescribeInstanceTypeOfferings with LocationType
 * availability-zone), replacing any earlier list for that zone. Once a zone's list is known only
 * those types are offered there; for other zones the region-level offered_regions applies.
 * `count` may be 0 (the zone offers nothing). SPS_ERR_INVALID_ARGUMENT for an empty zone name
 * or a NULL/empty type name. */
SPS_NODISCARD sps_err sps_compat_catalog_set_offered(struct sps_compat_catalog *catalog,
                                                     const char *az, const char *const *types,
                                                     size_t count);

/* SPS_ERR_COMPAT_UNKNOWN_TYPE when the name is in neither the catalog nor live data. */
SPS_NODISCARD sps_err sps_compat_catalog_find(const struct sps_compat_catalog *catalog,
                                              const char *name, const struct sps_compat_type **out);

/* Whether `type` is offered in `az` (of `region`), by the rule of set_offered. */
bool sps_compat_catalog_offered(const struct sps_compat_catalog *catalog,
                                const struct sps_compat_type *type, const char *region,
                                const char *az);

/* ---- the matcher ------------------------------------------------------------------------- */

enum sps_compat_platform {
    SPS_COMPAT_LINUX,
    SPS_COMPAT_WINDOWS,
};

/* What the replacement will boot (DescribeImages). */
struct sps_compat_ami {
    uint8_t arch;           /* one SPS_COMPAT_ARCH_* bit */
    uint8_t virtualization; /* one SPS_COMPAT_VIRT_* bit */
    enum sps_compat_platform platform;
    bool ena_support;  /* EnaSupport: the image has the ENA driver */
    bool nvme_support; /* the image is Nitro-capable: NVMe drivers, EBS-as-NVMe device names */
};

/* The running on-demand instance to stand in for. */
struct sps_compat_instance {
    const char *type;
    const char *az;     /* "us-east-1a"; must start with `region` */
    const char *region; /* "us-east-1" */
    bool ebs_optimized; /* the instance runs with EbsOptimized on */
    struct sps_compat_ami ami;
};

enum sps_compat_burstable {
    SPS_COMPAT_BURSTABLE_LIKE_ORIGINAL, /* default: burstable stand-ins only for a burstable one */
    SPS_COMPAT_BURSTABLE_NEVER,
    SPS_COMPAT_BURSTABLE_ALWAYS,
};

/* The group's constraints. A zeroed struct (or NULL) is the default: no globs, burstable like
 * the original, no bare metal for a virtual original, no ceiling. */
struct sps_compat_constraints {
    const char *const *allowed; /* fnmatch globs on the type name; empty = all */
    size_t allowed_count;
    const char *const *disallowed; /* a type matching any of these is out */
    size_t disallowed_count;
    enum sps_compat_burstable burstable;
    bool allow_bare_metal;
    double ceiling; /* 0 = none; else >= 1: at most ceiling x vCPU and x memory */
};

/* Why a type is not a stand-in; only the first failed rule is reported. */
enum sps_compat_reason {
    SPS_COMPAT_R_NONE,
    SPS_COMPAT_R_NO_SPOT,
    SPS_COMPAT_R_ARCH,
    SPS_COMPAT_R_VIRTUALIZATION,
    SPS_COMPAT_R_ENA,
    SPS_COMPAT_R_NVME,
    SPS_COMPAT_R_NOT_OFFERED,
    SPS_COMPAT_R_NOT_ALLOWED,
    SPS_COMPAT_R_DISALLOWED,
    SPS_COMPAT_R_BARE_METAL,
    SPS_COMPAT_R_BURSTABLE,
    SPS_COMPAT_R_GPU,
    SPS_COMPAT_R_ACCELERATOR,
    SPS_COMPAT_R_VCPU,
    SPS_COMPAT_R_MEMORY,
    SPS_COMPAT_R_CEILING,
    SPS_COMPAT_R_INSTANCE_STORE,
    SPS_COMPAT_R_EBS_OPTIMIZED,
    SPS_COMPAT_R_NETWORK,
    /* ranking */
    SPS_COMPAT_R_NO_PRICE,
    SPS_COMPAT_R_NOT_CHEAPER,
    SPS_COMPAT_R_COUNT_
};

/* "vcpu", "not-offered", ... (stable, for logs and --explain); "unknown" for a bad value. */
const char *sps_compat_reason_name(enum sps_compat_reason reason);

struct sps_compat_candidate {
    const struct sps_compat_type *type; /* owned by the catalog */
    bool request_ebs_optimized; /* the launch must ask for EbsOptimized (type: "supported") */
    double excess; /* (vcpu - v0) / v0 + (memory - m0) / m0: how much bigger than the original */
};

struct sps_compat_rejection {
    const struct sps_compat_type *type;
    enum sps_compat_reason reason;
    char *text; /* "vcpu 2 < 4"; NULL unless explaining; owned by the result */
};

struct sps_compat_result {
    const struct sps_compat_type *original;
    struct sps_compat_candidate *candidates; /* in name order */
    size_t count;
    struct sps_compat_rejection *rejected; /* every other type, in name order */
    size_t rejected_count;
};

/* Every type in the catalog that can stand in for `instance` (the same type included). With
 * `explain`, each rejection carries a text. Errors: SPS_ERR_COMPAT_UNKNOWN_TYPE when the
 * instance's type is unknown; SPS_ERR_INVALID_ARGUMENT for a missing field, an AZ outside the
 * region, an AMI without exactly one arch/virtualization bit, a NULL glob, or a ceiling that is
 * negative, below 1 or not finite. */
SPS_NODISCARD sps_err sps_compat_match(const struct sps_compat_catalog *catalog,
                                       const struct sps_compat_instance *instance,
                                       const struct sps_compat_constraints *constraints,
                                       bool explain, struct sps_compat_result **out);
void sps_compat_result_destroy(struct sps_compat_result *result); /* NULL-safe */

/* ---- ranking ----------------------------------------------------------------------------- */

/* Market data the caller supplies (DescribeSpotPriceHistory, the Spot Advisor). */
struct sps_compat_market {
    /* The current spot price of `type` in `az`; false when unknown. */
    bool (*spot_price)(void *ctx, const char *type, const char *az, double *usd_per_hour);
    /* The interruption band 0 (<5%) to 4 (>20%), or -1 when unknown. May be NULL. */
    int (*band)(void *ctx, const char *region, enum sps_compat_platform platform, const char *type);
    void *ctx;
};

struct sps_compat_ranked {
    const struct sps_compat_type *type;
    double spot_price;
    int band; /* -1 unknown */
    double excess;
    bool request_ebs_optimized;
};

struct sps_compat_ranking {
    struct sps_compat_ranked *entries; /* best first */
    size_t count;
    struct sps_compat_rejection *dropped; /* no spot price, or not cheaper; always with text */
    size_t dropped_count;
};

/* Orders the matched candidates: spot price in the AZ ascending, then interruption band (known
 * before unknown, lower first), then excess, then name. Candidates without a (positive, finite)
 * spot price, or not cheaper than `on_demand_price`, are dropped with a reason.
 * SPS_ERR_INVALID_ARGUMENT for a non-positive or non-finite on-demand price or no spot_price. */
SPS_NODISCARD sps_err sps_compat_rank(const struct sps_compat_result *match,
                                      const struct sps_compat_instance *instance,
                                      double on_demand_price,
                                      const struct sps_compat_market *market,
                                      struct sps_compat_ranking **out);
void sps_compat_ranking_destroy(struct sps_compat_ranking *ranking); /* NULL-safe */

/* ---- diversification --------------------------------------------------------------------- */

#define SPS_COMPAT_DEFAULT_CAP_FRACTION (1.0 / 3.0)

/* The group's spot instances in the AZ, per type. */
struct sps_compat_spot_count {
    const char *type;
    size_t count;
};

/* Most spot instances one type may hold in an AZ once one more is launched there:
 * max(1, ceil(fraction x (spot_in_az + 1))). 0 for a fraction outside (0, 1]. */
size_t sps_compat_diversity_cap(size_t spot_in_az, double fraction);

struct sps_compat_pick {
    size_t index;    /* into ranking->entries */
    size_t cap;      /* from sps_compat_diversity_cap */
    bool within_cap; /* false: every candidate is at the cap; index is the least-held one */
};

/* The best-ranked candidate whose count stays under the cap (count < cap). When every candidate
 * is at the cap, the least-held candidate (best-ranked among equals) with within_cap false: the
 * caller decides whether to launch it. SPS_ERR_COMPAT_NO_CANDIDATE for an empty ranking;
 * SPS_ERR_INVALID_ARGUMENT for a fraction outside (0, 1] or a NULL type name in `counts`. */
SPS_NODISCARD sps_err sps_compat_diversify(const struct sps_compat_ranking *ranking,
                                           const struct sps_compat_spot_count *counts,
                                           size_t count_len, double fraction,
                                           struct sps_compat_pick *out);

/* ---- Spot Advisor snapshot (loader: the only I/O here, kept apart from the matcher) ------- */

struct sps_compat_advisor;

/* Parses compat/data/spot-advisor.json text: spot_advisor[region][Linux|Windows][type] =
 * {"s": savings %, "r": band 0-4}. SPS_ERR_JSON_MALFORMED for bad JSON or a wrong shape,
 * SPS_ERR_MISSING_FIELD without "spot_advisor" or an entry without "r". */
SPS_NODISCARD sps_err sps_compat_advisor_parse(const char *json, size_t len,
                                               struct sps_compat_advisor **out);
/* Reads and parses a file: SPS_ERR_NOT_FOUND when it does not exist, SPS_ERR_IO when it cannot
 * be read. */
SPS_NODISCARD sps_err sps_compat_advisor_load(const char *path, struct sps_compat_advisor **out);
void sps_compat_advisor_destroy(struct sps_compat_advisor *advisor); /* NULL-safe */
/* The band, or -1 when the snapshot has no entry. */
int sps_compat_advisor_band(const struct sps_compat_advisor *advisor, const char *region,
                            enum sps_compat_platform platform, const char *type);

#endif
