/*
 * What a pass tells its user: per account and region, per group, the state (converted,
 * converting, on fallback, skipped and why), the cost per hour now and after the pass, each
 * planned replacement with its prices, each instance left alone and why, and, for a real pass,
 * what each action came to. As text for a person, or as one JSON document for a program.
 */
#ifndef SPS_ENGINE_REPORT_H
#define SPS_ENGINE_REPORT_H

#include "sps_engine_execute.h"
#include "sps_engine_plan.h"

/* One account's region in a pass: either it was scanned and planned (snapshot, plan and, for a
 * real pass, exec set), or it failed (error set, aws_error may hold the service's words). */
struct sps_engine_region_result {
    const char *account_id;
    const char *region;
    const struct sps_engine_snapshot *snapshot;
    const struct sps_engine_plan *plan;
    const struct sps_engine_exec_report *exec; /* NULL in report-only mode */
    sps_err error;
    const struct sps_aws_error *aws_error;
};

struct sps_engine_report_input {
    const struct sps_engine_region_result *regions;
    size_t region_count;
    bool report_only;
    int64_t time_ms;
};

SPS_NODISCARD sps_err sps_engine_report_text(struct sps_buf *out,
                                             const struct sps_engine_report_input *in);
SPS_NODISCARD sps_err sps_engine_report_json(struct sps_buf *out,
                                             const struct sps_engine_report_input *in);

/* Totals over every region (NaN when any group's cost is unknown). */
struct sps_engine_totals {
    double cost_now_usd_per_hour;
    double cost_after_usd_per_hour;
    size_t groups;
    size_t replacements;
    size_t failed_actions;
    size_t failed_regions;
};
void sps_engine_report_totals(const struct sps_engine_report_input *in,
                              struct sps_engine_totals *out);

#endif
