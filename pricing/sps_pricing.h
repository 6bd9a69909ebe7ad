/*
 * What things cost: the operating system an AMI is billed as, On-Demand prices (the embedded
 * catalog first, then the Price List API, cached in memory and optionally on disk), current spot
 * prices per type and zone (DescribeSpotPriceHistory) and spot placement scores
 * (GetSpotPlacementScores, cached and budgeted because AWS limits distinct configurations per
 * day). Parsers are pure functions over bytes or a parsed XML node; I/O stays at the edges.
 *
 * A price that is not known is reported as SPS_ERR_PRICING_UNKNOWN, never as 0. See
 * docs/pricing.md.
 */
#ifndef SPS_PRICING_H
#define SPS_PRICING_H

#include "sps_aws.h"

/* ---- operating systems ------------------------------------------------------------------- */

enum sps_pricing_os {
    SPS_PRICING_LINUX,
    SPS_PRICING_WINDOWS,
    SPS_PRICING_RHEL,
    SPS_PRICING_SUSE,
    SPS_PRICING_OS_COUNT_
};

/* From DescribeImages' PlatformDetails: "Linux/UNIX", "Red Hat BYOL Linux" (billed at Linux
 * rates) -> linux; "Windows" -> windows; "Red Hat Enterprise Linux" -> rhel; "SUSE Linux" ->
 * suse. Anything else (SQL Server, HA, Ubuntu Pro, ...) is SPS_ERR_PRICING_UNSUPPORTED_PLATFORM,
 * logged as "unsupported platform for pricing: <details>". */
SPS_NODISCARD sps_err sps_pricing_os_from_platform(const char *platform_details,
                                                   enum sps_pricing_os *out);
/* "linux", "windows", "rhel", "suse" (the CLI's words); SPS_ERR_INVALID_ARGUMENT otherwise. */
SPS_NODISCARD sps_err sps_pricing_os_parse(const char *name, enum sps_pricing_os *out);
const char *sps_pricing_os_name(enum sps_pricing_os os);
/* The Price List `operatingSystem` attribute: "Linux", "Windows", "RHEL", "SUSE". */
const char *sps_pricing_os_price_list_name(enum sps_pricing_os os);
/* The Price List `licenseModel`: "License Included" for Windows, else "No License required". */
const char *sps_pricing_os_license_model(enum sps_pricing_os os);
/* The Price List `operation` of the plain (no SQL Server, no HA) product: "RunInstances",
 * "RunInstances:0002", "RunInstances:0010", "RunInstances:000g". */
const char *sps_pricing_os_operation(enum sps_pricing_os os);
/* The spot ProductDescription values for the OS: the plain and the "(Amazon VPC)" form.
 * Returns the count (2) and stores static strings in out[0..1]. */
size_t sps_pricing_os_spot_products(enum sps_pricing_os os, const char *out[2]);
/* True when `product` (a ProductDescription) is one of the OS's. */
bool sps_pricing_os_spot_product_matches(enum sps_pricing_os os, const char *product);
/* The Price List `location` of a region ("US East (N. Virginia)"), or NULL when unknown. */
const char *sps_pricing_region_location(const char *region);

/* ---- Price List API (GetProducts) -------------------------------------------------------- */

/* The Price List endpoint exists in us-east-1 and ap-south-1 only; build the pricing client for
 * this region whatever region is priced. */
#define SPS_PRICING_PRICE_LIST_REGION "us-east-1"

struct sps_pricing_od_key {
    const char *instance_type; /* "m5.large"; NULL: every type (region-wide requests) */
    const char *region;        /* "eu-west-1" */
    enum sps_pricing_os os;
};

/* The GetProducts request document (ServiceCode AmazonEC2, FormatVersion aws_v1, TERM_MATCH
 * filters, MaxResults 100, NextToken when not NULL), appended to `out`. */
SPS_NODISCARD sps_err sps_pricing_products_request(struct sps_buf *out,
                                                   const struct sps_pricing_od_key *key,
                                                   const char *next_token);

/* What the products seen so far say about one key: accumulates across pages. */
struct sps_pricing_od_match {
    int best_score;      /* -1: no matching product with a price yet */
    double usd_per_hour; /* of the best-scoring product */
    bool conflict;       /* another product with the best score has a different price */
    size_t matched;      /* products whose attributes matched the key */
    size_t unpriced;     /* of those, products whose hourly price was absent or zero */
    char *next_token;    /* owned; NULL on the last page */
};

void sps_pricing_od_match_init(struct sps_pricing_od_match *m);
void sps_pricing_od_match_clean_up(struct sps_pricing_od_match *m); /* NULL-safe */

/* Looks at one decoded product document (one element of PriceList). A product whose attributes
 * do not match the key is ignored. A matching one must carry terms.OnDemand with an hourly USD
 * price: SPS_ERR_MISSING_FIELD without terms, SPS_ERR_UNEXPECTED_RESPONSE for a price that is
 * not a number; an absent or zero price counts as unpriced, never as 0. */
SPS_NODISCARD sps_err sps_pricing_parse_product(struct sps_cursor doc,
                                                const struct sps_pricing_od_key *key,
                                                struct sps_pricing_od_match *m);
/* One GetProducts response body (PriceList: JSON documents inside strings, NextToken).
 * SPS_ERR_JSON_MALFORMED for bad JSON at either level, SPS_ERR_MISSING_FIELD without PriceList.
 * Replaces m->next_token. */
SPS_NODISCARD sps_err sps_pricing_parse_products(struct sps_cursor body,
                                                 const struct sps_pricing_od_key *key,
                                                 struct sps_pricing_od_match *m);
/* Region-wide answers (key->instance_type NULL): each matching product is folded into the
 * accumulator `slot` returns for its instance type. Errors as sps_pricing_parse_products; the
 * page's NextToken replaces *next_token (owned, NULL on the last page). */
typedef struct sps_pricing_od_match *(*sps_pricing_match_slot_fn)(void *ctx,
                                                                  const char *instance_type);
SPS_NODISCARD sps_err sps_pricing_parse_products_by_type(struct sps_cursor body,
                                                         const struct sps_pricing_od_key *key,
                                                         sps_pricing_match_slot_fn slot, void *ctx,
                                                         char **next_token);
/* The accumulated answer: the price, SPS_ERR_PRICING_AMBIGUOUS on a conflict, or
 * SPS_ERR_PRICING_UNKNOWN when no matching product had a price. */
SPS_NODISCARD sps_err sps_pricing_od_match_price(const struct sps_pricing_od_match *m,
                                                 double *usd_per_hour);

/* ---- the pricing context: On-Demand lookup and caches ------------------------------------ */

/* A catalog of embedded On-Demand Linux prices: SPS_OK with the price, or SPS_ERR_NOT_FOUND when
 * the catalog has no price for that type in that region. */
typedef sps_err (*sps_pricing_catalog_fn)(void *ctx, const char *instance_type, const char *region,
                                          double *usd_per_hour);

/* The embedded catalog (compat/) as a sps_pricing_catalog_fn: pass it with `catalog_ctx` set to
 * a `struct sps_compat_catalog *` (sps_compat_catalog_new). An unknown type or a region without
 * a price is SPS_ERR_NOT_FOUND. */
SPS_NODISCARD sps_err sps_pricing_compat_catalog(void *catalog, const char *instance_type,
                                                 const char *region, double *usd_per_hour);

struct sps_pricing_options {
    /* Borrowed; an SPS_AWS_PRICING client in us-east-1 or ap-south-1. NULL: no API lookups. */
    struct sps_aws_client *price_list;
    sps_pricing_catalog_fn catalog; /* NULL: no catalog */
    void *catalog_ctx;
    const char *cache_path;        /* JSON file for the disk cache; NULL: memory only */
    int64_t on_demand_ttl_ms;      /* disk cache lifetime of API prices; 0: 7 days */
    const struct sps_clock *clock; /* NULL: system */
    int placement_daily_budget;    /* distinct configurations per 24 h; 0: 10; < 0 invalid */
};

struct sps_pricing;

/* Loads the disk cache when there is one (a corrupt or unreadable file is ignored, logged at
 * debug). SPS_ERR_INVALID_ARGUMENT for a client of another service or region, or a bad option. */
SPS_NODISCARD sps_err sps_pricing_new(struct sps_pricing **out,
                                      const struct sps_pricing_options *options);
void sps_pricing_destroy(struct sps_pricing *p); /* NULL-safe */

enum sps_pricing_source {
    SPS_PRICING_FROM_CATALOG,
    SPS_PRICING_FROM_MEMORY, /* Price List answer cached earlier in this run */
    SPS_PRICING_FROM_DISK,   /* Price List answer from the disk cache */
    SPS_PRICING_FROM_API,
};
const char *sps_pricing_source_name(enum sps_pricing_source source);

/* The On-Demand USD/hour of (type, region, OS): the catalog for Linux when it has the region's
 * price, else the caches, else GetProducts (paginated). SPS_ERR_PRICING_UNKNOWN when nothing
 * knows the price (also when there is no Price List client), SPS_ERR_PRICING_AMBIGUOUS on
 * conflicting products, the call's error (details in `aws_err`, may be NULL) when the API
 * fails. `source` may be NULL. */
SPS_NODISCARD sps_err sps_pricing_on_demand(struct sps_pricing *p, const char *instance_type,
                                            const char *region, enum sps_pricing_os os,
                                            double *usd_per_hour, enum sps_pricing_source *source,
                                            struct sps_aws_error *aws_err);
/* Asks the Price List once for every type of (region, OS) (GetProducts without an instanceType
 * filter, about ten pages for a region) and caches each type's price, so a caller about to price
 * many types makes a handful of calls instead of one per type. Afterwards a type the answer did
 * not price is unknown without a further call. No-op without a Price List client or when done
 * already for (region, OS) in this run. */
SPS_NODISCARD sps_err sps_pricing_on_demand_prefetch(struct sps_pricing *p, const char *region,
                                                     enum sps_pricing_os os,
                                                     struct sps_aws_error *aws_err);
/* Fetches the On-Demand prices of many (type, region, OS) keys (instance_type set) at once:
 * every key the catalog, the caches or a region-wide prefetch do not already answer gets its
 * GetProducts pages, all keys concurrently (one round per page). Prices found are cached (memory
 * and disk), so the sps_pricing_on_demand calls that follow answer from memory. Nothing else is
 * remembered: a key that failed (an AWS error, a malformed page) or has no single price is asked
 * again by sps_pricing_on_demand, which reports it exactly as without the prefetch. Returns the
 * first failure (SPS_ERR_PRICING_UNKNOWN / _AMBIGUOUS included); results[i] (may be NULL) gets
 * key i's outcome, SPS_OK for a key answered locally. SPS_ERR_INVALID_ARGUMENT for a bad key.
 * No-op without a Price List client. */
SPS_NODISCARD sps_err sps_pricing_on_demand_prefetch_many(struct sps_pricing *p,
                                                          const struct sps_pricing_od_key *keys,
                                                          size_t n, sps_err *results);
/* Number of GetProducts calls made so far (pages included). */
size_t sps_pricing_api_calls(const struct sps_pricing *p);

/* ---- spot prices (DescribeSpotPriceHistory) ---------------------------------------------- */

struct sps_pricing_spot_request {
    const char *const *instance_types; /* only the types the run needs; at least one */
    size_t type_count;
    enum sps_pricing_os os;
    const char *availability_zone; /* NULL: every zone of the region */
    int64_t now_ms;                /* StartTime: AWS answers with the price in effect then */
};

struct sps_pricing_spot_price {
    const char *instance_type;
    const char *availability_zone;
    const char *product_description;
    double usd_per_hour; /* > 0 */
    int64_t timestamp_ms;
};

/* (type, AZ) -> the latest price by timestamp, for one OS. */
struct sps_pricing_spot_table;

struct sps_pricing_spot_table *sps_pricing_spot_table_new(enum sps_pricing_os os);
void sps_pricing_spot_table_destroy(struct sps_pricing_spot_table *t); /* NULL-safe */
size_t sps_pricing_spot_table_count(const struct sps_pricing_spot_table *t);
/* Entries in first-seen order; NULL past the end. Valid until the table is destroyed. */
const struct sps_pricing_spot_price *
sps_pricing_spot_table_at(const struct sps_pricing_spot_table *t, size_t index);
/* SPS_ERR_PRICING_UNKNOWN when the table has no price for (type, AZ). */
SPS_NODISCARD sps_err sps_pricing_spot_get(const struct sps_pricing_spot_table *t,
                                           const char *instance_type, const char *az,
                                           double *usd_per_hour);
/* The cheapest zone for the type: SPS_ERR_PRICING_UNKNOWN when no zone has a price. `az` may be
 * NULL; it points into the table. */
SPS_NODISCARD sps_err sps_pricing_spot_lowest(const struct sps_pricing_spot_table *t,
                                              const char *instance_type, double *usd_per_hour,
                                              const char **az);

/* The query for one page (`next_token` NULL for the first): InstanceType.N,
 * ProductDescription.N, StartTime, AvailabilityZone, MaxResults 1000, NextToken. */
void sps_pricing_spot_query(struct sps_query *q, const struct sps_pricing_spot_request *req,
                            const char *next_token);
/* Adds one page's spotPriceHistorySet to the table (rows of other OSes ignored) and stores the
 * page's nextToken (owned, NULL when absent or empty) in `next_token` (may be NULL).
 * SPS_ERR_MISSING_FIELD for an item without a required member, the typed reader's error for a
 * bad time, SPS_ERR_UNEXPECTED_RESPONSE for a price that is not a positive number. */
SPS_NODISCARD sps_err sps_pricing_spot_parse_page(const struct sps_xml_node *result,
                                                  struct sps_pricing_spot_table *t,
                                                  char **next_token);

/* One batched, paginated fetch per region, all regions concurrently: clients[i] (EC2, region i)
 * with reqs[i] into tables[i]. Returns the first failure; results[i] (may be NULL) gets each
 * region's outcome, SPS_OK or its failure of any kind (AWS error, timeout, lost connection,
 * malformed page), and errs[i] (may be NULL) the AWS error when there was one. At most
 * `max_pages` pages per region (0: 100). */
SPS_NODISCARD sps_err sps_pricing_spot_fetch_many(struct sps_aws_client *const *clients,
                                                  const struct sps_pricing_spot_request *reqs,
                                                  struct sps_pricing_spot_table *const *tables,
                                                  size_t n, sps_err *results,
                                                  struct sps_aws_error *errs);
SPS_NODISCARD sps_err sps_pricing_spot_fetch(struct sps_aws_client *ec2,
                                             const struct sps_pricing_spot_request *req,
                                             struct sps_pricing_spot_table *table,
                                             struct sps_aws_error *aws_err);

/* ---- spot placement scores (GetSpotPlacementScores) -------------------------------------- */

#define SPS_PRICING_PLACEMENT_TTL_MS ((int64_t)24 * 3600 * 1000)

struct sps_pricing_placement_request {
    const char *const *instance_types; /* at least one */
    size_t type_count;
    uint32_t target_capacity;  /* >= 1 */
    const char *capacity_unit; /* "units" (NULL), "vcpu", "memory-mib" */
    bool single_az;
    const char *const *regions; /* none: every region AWS considers */
    size_t region_count;
};

struct sps_pricing_placement_score {
    char region[32];
    char az_id[32]; /* "use1-az1"; "" unless single_az */
    int score;      /* 1-10 */
};

struct sps_pricing_placement_scores {
    struct sps_pricing_placement_score *items;
    size_t count;
    size_t cap;
    bool from_cache;
};

void sps_pricing_placement_scores_clean_up(struct sps_pricing_placement_scores *s);
/* The cache and budget key: sorted, de-duplicated types and regions, capacity, unit, single-AZ. */
SPS_NODISCARD sps_err sps_pricing_placement_key(struct sps_buf *out,
                                                const struct sps_pricing_placement_request *req);
void sps_pricing_placement_query(struct sps_query *q,
                                 const struct sps_pricing_placement_request *req,
                                 const char *next_token);
/* Appends one page's spotPlacementScoreSet; SPS_ERR_MISSING_FIELD for an item without region or
 * score, SPS_ERR_UNEXPECTED_RESPONSE for a score outside 1-10 or an over-long name. */
SPS_NODISCARD sps_err sps_pricing_placement_parse_page(const struct sps_xml_node *result,
                                                       struct sps_pricing_placement_scores *out,
                                                       char **next_token);
/* Scores for the configuration: from the cache when it was asked within 24 h, else one paginated
 * call through `ec2` (any region), unless that would exceed the daily budget of distinct
 * configurations (SPS_ERR_PRICING_PLACEMENT_BUDGET, no call made). SPS_ERR_INVALID_ARGUMENT for
 * no types, a zero capacity or an unknown unit. */
SPS_NODISCARD sps_err sps_pricing_placement_scores(struct sps_pricing *p,
                                                   struct sps_aws_client *ec2,
                                                   const struct sps_pricing_placement_request *req,
                                                   struct sps_pricing_placement_scores *out,
                                                   struct sps_aws_error *aws_err);
/* Distinct configurations asked of AWS in the last 24 h (cached ones included). */
size_t sps_pricing_placement_used(const struct sps_pricing *p);

#endif
