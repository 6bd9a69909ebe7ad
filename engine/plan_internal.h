/*
 * What the planner's files (engine/plan*.c) share: the sorted index over a snapshot that makes
 * the plan independent of the order of the snapshot's arrays, the per-group working state, and
 * the helpers that append actions and notes. Not a public interface: the executor and the CLI
 * use sps_engine_plan.h only. docs/planning.md explains the rules.
 */
#ifndef SPS_ENGINE_PLAN_INTERNAL_H
#define SPS_ENGINE_PLAN_INTERNAL_H

#include "sps_engine_plan.h"
#include "sps_launch.h" /* the tag names */

/* Five minutes: the shortest grace a stuck launch is given, whatever the group's grace. */
#define SPS_ENGINE_MIN_STUCK_GRACE_S 300
/* Used when a group's policy is unknown (its callback failed) or says less than 1. */
#define SPS_ENGINE_DEFAULT_ORPHAN_GRACE_PERIODS 3
/* Candidates per launch: enough to ride out capacity refusals, few enough to stay readable. */
#define SPS_ENGINE_MAX_CANDIDATES 5

/* A member of a selected group, found by instance id. */
struct sps_engine_plan_member {
    const char *instance_id;
    size_t group; /* index into the plan's sorted groups */
    const struct sps_aws_asg_instance *member;
};

/* The snapshot, sorted: instances and members by id, groups by name, the values of every
 * replaces tag (the on-demand instances some spot instance already replaces). */
struct sps_engine_plan_index {
    const struct sps_engine_snapshot *snap;
    const struct sps_aws_ec2_instance **instances;
    size_t instance_count;
    const struct sps_aws_asg_group **groups;
    size_t group_count;
    struct sps_engine_plan_member *members;
    size_t member_count;
    const char **replaced; /* replaces=X values of live spotswap instances, sorted */
    size_t replaced_count;
    /* Instances in no selected group that carry launched-for-asg (launches waiting outside),
     * sorted by id; and the AMIs by id. */
    const struct sps_aws_ec2_instance **outsiders;
    size_t outsider_count;
    const struct sps_aws_ec2_image **images;
    size_t image_count;
};

void sps_engine_plan_index_build(struct sps_engine_plan_index *idx,
                                 const struct sps_engine_snapshot *snap);
void sps_engine_plan_index_clean_up(struct sps_engine_plan_index *idx);

const struct sps_aws_ec2_instance *
sps_engine_plan_find_instance(const struct sps_engine_plan_index *idx, const char *id);
const struct sps_engine_plan_member *
sps_engine_plan_find_member(const struct sps_engine_plan_index *idx, const char *id);
/* Index into idx->groups, or -1. */
long sps_engine_plan_find_group(const struct sps_engine_plan_index *idx, const char *name);
/* True when a live spotswap instance carries replaces=<id>. */
bool sps_engine_plan_is_replaced(const struct sps_engine_plan_index *idx, const char *id);
const struct sps_aws_ec2_image *sps_engine_plan_find_image(const struct sps_engine_plan_index *idx,
                                                           const char *id);
/* Gone or going: terminated or shutting-down (never acted upon, never counted). */
bool sps_engine_plan_instance_gone(const struct sps_aws_ec2_instance *i);
const char *sps_engine_plan_tag(const struct sps_aws_ec2_instance *i, const char *key);
bool sps_engine_plan_member_in_service(const struct sps_engine_plan_member *m);

/* The TERMINATE invariant, checked before every TERMINATE is appended: the instance is in no
 * selected group, and either spotswap launched it (launched-for-asg) for a selected group or a
 * group that no longer exists, or spotswap selected it (replaced-by=S) and S is InService in a
 * selected group. */
bool sps_engine_plan_may_terminate(const struct sps_engine_plan_index *idx,
                                   const struct sps_aws_ec2_instance *instance);

/* Spot instances per type in one availability zone (types borrowed). */
struct sps_engine_plan_az_counts {
    const char *az;
    struct sps_compat_spot_count *items;
    size_t count;
};

/* Per-group working state while the plan is built. */
struct sps_engine_plan_work {
    const struct sps_aws_asg_group *group;
    struct sps_engine_policy policy;
    bool has_policy; /* the callback succeeded */
    bool skipped;
    size_t in_flight;       /* spot instances outside the group waiting for it */
    size_t pending_retire;  /* spot members whose original is still InService */
    size_t orphan_attaches; /* orphans attached this pass to cover a shortfall */
    size_t launches;
    size_t no_candidate; /* on-demand instances that found no spot type */
    size_t unplanned;    /* on-demand instances that could not be planned (AMI, price) */
    size_t replaceable_left;
    char *fallback_why;  /* first no-candidate reason */
    double launch_delta; /* cost after - cost now, from this pass's launches */
    /* The group's spot instances per type, one entry per availability zone a launch was
     * planned in (engine/plan_group.c), kept up to date as launches are added. */
    struct sps_engine_plan_az_counts *az_counts;
    size_t az_count;
};

struct sps_engine_plan_ctx {
    const struct sps_engine_snapshot *snap;
    const struct sps_engine_plan_inputs *in;
    struct sps_engine_plan_index idx;
    struct sps_engine_plan *out;
    struct sps_engine_plan_work *work; /* one per idx.groups entry */
    size_t action_cap;
};

/* Appends a zeroed action of `kind` for `group` and returns it (strings left to the caller). */
struct sps_engine_action *sps_engine_plan_add_action(struct sps_engine_plan_ctx *ctx,
                                                     enum sps_engine_action_kind kind,
                                                     const char *group);
/* Appends a TERMINATE unless the invariant refuses it (then a note says so); true if added. */
bool sps_engine_plan_add_terminate(struct sps_engine_plan_ctx *ctx, long group_index,
                                   const char *group_name,
                                   const struct sps_aws_ec2_instance *target, const char *reason);
/* A note on the group's plan; printf-style reason. */
void sps_engine_plan_note(struct sps_engine_plan_ctx *ctx, size_t group_index,
                          const char *instance_id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* plan_spot.c: spotswap instances outside groups (attach, orphans, stuck, retirees), retire. */
void sps_engine_plan_spots(struct sps_engine_plan_ctx *ctx);
void sps_engine_plan_retires(struct sps_engine_plan_ctx *ctx);
void sps_engine_plan_restores(struct sps_engine_plan_ctx *ctx);

/* plan_group.c: skip rules, launches, the group report. */
void sps_engine_plan_group_policy(struct sps_engine_plan_ctx *ctx, size_t g);
void sps_engine_plan_launches(struct sps_engine_plan_ctx *ctx, size_t g);
void sps_engine_plan_report(struct sps_engine_plan_ctx *ctx, size_t g);

#endif
