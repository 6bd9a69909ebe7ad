/*
 * One pass of the engine (docs/how-it-works.md): for every managed account and region, scan,
 * price, plan, and - unless in report-only mode - execute; then report. The same function serves
 * `spotswap run` and a scheduled Lambda invocation.
 */
#ifndef SPS_ENGINE_PASS_H
#define SPS_ENGINE_PASS_H

#include "sps_engine_config.h"
#include "sps_engine_execute.h"
#include "sps_engine_report.h"
#include "sps_engine_scan.h"
#include "sps_engine_session.h"
#include "sps_pricing.h"

struct sps_engine_pass_options {
    const struct sps_engine_config *cfg;
    struct sps_engine_session *session;
    const struct sps_clock *clock; /* NULL: system */
    /* After attaching, how long to wait for the new instances to be InService so their
     * on-demand instances are retired in the same pass (0: next pass). */
    int64_t retire_wait_ms;
};

/* One account's region: its clients, snapshot, plan and what was done. */
struct sps_engine_pass_region {
    char *account_id; /* "" for the session's own account */
    char *region;
    struct sps_aws_client *ec2;
    struct sps_aws_client *autoscaling;
    struct sps_engine_scan_job job; /* job.snapshot, job.result */
    struct sps_engine_plan plan;
    bool planned;
    struct sps_engine_exec_report exec;
    bool executed;
    sps_err error; /* the first failure in this region */
    struct sps_aws_error aws_error;
};

struct sps_engine_pass {
    struct sps_engine_pass_region *regions;
    size_t region_count;
    struct sps_aws_credentials_provider **accounts; /* assumed roles, one per config account */
    size_t account_count;
    struct sps_compat_catalog *catalog;
    struct sps_aws_client *price_list;
    struct sps_pricing *pricing;
    struct sps_launch_markets *markets;
    int64_t started_ms;
    bool report_only;
};

/* Runs one pass into `pass` (clean it up afterwards, whatever the result). Fails as a whole only
 * when nothing can be done (no region list, no clients): `why` then holds one line. A region
 * that fails is kept with its error and the others go on; the pass then returns the first such
 * error. */
SPS_NODISCARD sps_err sps_engine_pass_run(struct sps_engine_pass *pass,
                                          const struct sps_engine_pass_options *o,
                                          struct sps_buf *why);
void sps_engine_pass_clean_up(struct sps_engine_pass *pass); /* NULL-safe */

/* The report of a finished pass, in the configured format. */
SPS_NODISCARD sps_err sps_engine_pass_report(const struct sps_engine_pass *pass,
                                             enum sps_engine_output format, struct sps_buf *out);

#endif
