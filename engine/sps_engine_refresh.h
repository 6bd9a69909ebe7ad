/*
 * The run-time refresh of the instance type catalog from live EC2 data, once per pass (the
 * catalog object lives for one pass, so that is the cache):
 *   - per region, one paginated DescribeInstanceTypeOfferings (LocationType availability-zone,
 *     every zone at once), applied zone by zone with sps_compat_catalog_set_offered;
 *   - per region, DescribeInstanceTypes (at most 100 names per call) for the instance types the
 *     region's snapshot uses that the catalog does not know, added with add_live.
 * The regions run concurrently, a round of sps_aws_call_run_many per page. Live data wins; a
 * type neither knows stays unknown (the planner notes it, never guesses). A failed offerings
 * walk leaves that region on the embedded region-level offerings (one warning log line); a
 * failed DescribeInstanceTypes leaves its types unknown. See docs/compatibility.md, "Live data".
 */
#ifndef SPS_ENGINE_REFRESH_H
#define SPS_ENGINE_REFRESH_H

#include "sps_compat.h"
#include "sps_engine_plan.h"

struct sps_engine_refresh_region {
    struct sps_aws_client *ec2;                 /* the region's client (borrowed) */
    const struct sps_engine_snapshot *snapshot; /* its scan: region name and instance types */
    /* outcome */
    sps_err offerings_result;      /* SPS_OK: the zones' lists are applied */
    sps_err types_result;          /* SPS_OK: every DescribeInstanceTypes call succeeded */
    struct sps_aws_error aws_error; /* the first failing call's error when an AWS error */
    size_t offerings_zones;        /* zones whose list was applied */
    size_t types_asked;            /* names sent to DescribeInstanceTypes */
    size_t types_added;            /* live records added */
};

/* Refreshes `catalog` for every region. Each region's outcome lands in it; the function itself
 * fails only on invalid arguments. `concurrency` bounds the calls in flight (0: 32). */
SPS_NODISCARD sps_err sps_engine_refresh_catalog(struct sps_compat_catalog *catalog,
                                                 struct sps_engine_refresh_region *regions,
                                                 size_t n, size_t concurrency);

#endif
