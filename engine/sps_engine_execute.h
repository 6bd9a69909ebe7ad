/*
 * Carrying a plan out through launch/. Each action is one launch/ step; a failed action is
 * logged and reported, and the rest of the plan still runs (one group's trouble must not stall
 * the others). After the pass's attaches, the executor can wait briefly for the attached spot
 * instances to be InService and Healthy and retire their on-demand instances in the same pass,
 * re-reading the groups to prove it first; whatever is not ready is left to the next pass.
 */
#ifndef SPS_ENGINE_EXECUTE_H
#define SPS_ENGINE_EXECUTE_H

#include "sps_engine_plan.h"
#include "sps_launch.h"

struct sps_engine_exec_options {
    struct sps_launch_context *launch;
    /* How long to wait, after attaching, for the new instances to be InService and Healthy so
     * their on-demand instances are retired in this pass; 0 leaves that to the next pass. */
    int64_t retire_wait_ms;
    int64_t poll_interval_ms; /* 0: 5000 */
};

enum sps_engine_outcome {
    SPS_ENGINE_OUTCOME_DONE,
    SPS_ENGINE_OUTCOME_FAILED,
    SPS_ENGINE_OUTCOME_NO_CAPACITY, /* LAUNCH: every candidate refused */
};

/* What became of one action (parallel to plan->actions), plus the retirements the executor
 * added after waiting. */
struct sps_engine_exec_entry {
    enum sps_engine_action_kind kind;
    char *group;
    char *instance_id;
    char *spot_instance_id;     /* LAUNCH: the instance launched */
    char *spot_instance_type;   /* LAUNCH: its type */
    enum sps_engine_outcome outcome;
    sps_err error;
    struct sps_aws_error aws_error;
};

struct sps_engine_exec_report {
    struct sps_engine_exec_entry *entries;
    size_t count;
    size_t cap;
    size_t failed;
};

void sps_engine_exec_report_init(struct sps_engine_exec_report *r);
void sps_engine_exec_report_clean_up(struct sps_engine_exec_report *r); /* NULL-safe */

/* Executes `plan` (read from `snapshot`). Returns SPS_OK when every action succeeded or ran out
 * of spot capacity; otherwise the first failure's code (every action was still attempted). */
SPS_NODISCARD sps_err sps_engine_execute(const struct sps_engine_plan *plan,
                                         const struct sps_engine_snapshot *snapshot,
                                         const struct sps_engine_exec_options *options,
                                         struct sps_engine_exec_report *report);

const char *sps_engine_outcome_name(enum sps_engine_outcome outcome);

#endif
