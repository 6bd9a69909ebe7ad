/*
 * The scan: reading one account's region (or many at once) into a struct sps_engine_snapshot
 * with the fewest API calls. Every phase of the scan is one round of sps_aws_call_run_many across
 * all the regions being scanned, so sixteen regions take as many rounds as one. Any failed call
 * fails that region's scan (its snapshot is left empty): a partial snapshot could misread a
 * member as gone. See docs/scan.md.
 */
#ifndef SPS_ENGINE_SCAN_H
#define SPS_ENGINE_SCAN_H

#include "sps_engine_plan.h"


/* Which groups a pass reads in full: the engine's one selection rule (engine/config:
 * sps_engine_config_selects_group), as a callback so the scan needs no configuration. */
struct sps_engine_selection {
    bool (*select)(void *ctx, const struct sps_aws_tags *tags);
    void *ctx;
};

/* One region to scan: its EC2 and Auto Scaling clients (borrowed) and where the outcome goes. */
struct sps_engine_scan_job {
    struct sps_aws_client *ec2;
    struct sps_aws_client *autoscaling;
    const char *account_id; /* NULL or "": the caller's own account */
    /* outcome */
    sps_err result;
    struct sps_aws_error aws_error;      /* the failing call's error when result is an AWS error */
    char failed_action[64];              /* the failing call's action, "" when none */
    struct sps_engine_snapshot snapshot; /* filled on success; init'ed and empty on failure */
};

/* Scans every job's region; `concurrency` bounds the calls in flight at once (0: 32). Each job's
 * outcome lands in the job; the function itself fails only on invalid arguments. Clean each
 * job's snapshot up afterwards. */
SPS_NODISCARD sps_err sps_engine_scan_regions(struct sps_engine_scan_job *jobs, size_t n,
                                              const struct sps_engine_selection *sel,
                                              int64_t now_ms, size_t concurrency);

/* One region. `out` is initialized; on failure it is empty and `aws_err` (may be NULL) holds the
 * service's error. */
SPS_NODISCARD sps_err sps_engine_scan_region(struct sps_aws_client *ec2,
                                             struct sps_aws_client *autoscaling,
                                             const struct sps_engine_selection *sel, int64_t now_ms,
                                             struct sps_engine_snapshot *out,
                                             struct sps_aws_error *aws_err);

/* ---- many accounts and regions (engine/scan_all.c) ----------------------------------------- */

struct sps_engine_scan_target {
    struct sps_aws_credentials_provider *credentials; /* NULL: the options' default (borrowed) */
    const char *account_id;                           /* NULL or "": own account */
    const char *region;
};

struct sps_engine_scan_options {
    struct sps_http_transport *transport;             /* shared, borrowed */
    struct sps_aws_credentials_provider *credentials; /* default, borrowed */
    const struct sps_env *env;                        /* NULL: process environment */
    const struct sps_clock *clock;                    /* NULL: system */
    const struct sps_rand *rand;                      /* NULL: system */
    size_t concurrency;                               /* 0: 32 */
};

/* One per target, in target order. */
struct sps_engine_scan_outcome {
    sps_err result;
    struct sps_aws_error aws_error;
    char failed_action[64];
    struct sps_engine_snapshot snapshot;
};

/* Builds the clients and scans every target concurrently. `out` receives `n` outcomes (free
 * with sps_engine_scan_outcomes_free). Fails only on invalid arguments; a target whose clients
 * cannot be built carries that error in its outcome. */
SPS_NODISCARD sps_err sps_engine_scan_all(const struct sps_engine_scan_target *targets, size_t n,
                                          const struct sps_engine_selection *sel,
                                          const struct sps_engine_scan_options *options,
                                          int64_t now_ms, struct sps_engine_scan_outcome **out);
void sps_engine_scan_outcomes_free(struct sps_engine_scan_outcome *outcomes, size_t n);

/* Every region enabled for the account (DescribeRegions without AllRegions: regions that need no
 * opt-in, and the opted-in ones), through `ec2` (any region's client). Initializes `out`. */
SPS_NODISCARD sps_err sps_engine_list_regions(struct sps_aws_client *ec2,
                                              struct sps_aws_strings *out,
                                              struct sps_aws_error *aws_err);

#endif
