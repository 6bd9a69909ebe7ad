/*
 * The engine's data in and plan out. A scan (engine/scan*.c) reads one account's region into a
 * snapshot; the planner (engine/plan*.c) is a pure function of the snapshot, prices and policy
 * that says what this pass does; the executor (engine/execute*.c) carries the plan out through
 * launch/. See docs/how-it-works.md for the cycle the plan drives.
 */
#ifndef SPS_ENGINE_PLAN_H
#define SPS_ENGINE_PLAN_H

#include "sps_aws.h"
#include "sps_compat.h"

/* ---- snapshot: everything one pass reads about one account's region ---------------------- */

struct sps_engine_group_hooks {
    char *group_name;
    struct sps_aws_asg_lifecycle_hooks hooks;
};

/* The resolved source of a group's launches: its launch configuration, or the launch template
 * version its LaunchTemplate or MixedInstancesPolicy names ($Default/$Latest resolved). Pointers
 * into the snapshot's lists; both NULL when the source could not be read (the group is then
 * skipped with a reason). */
struct sps_engine_group_source {
    char *group_name;
    const struct sps_aws_asg_launch_configuration *launch_configuration;
    const struct sps_aws_ec2_launch_template_version *template_version;
};

struct sps_engine_snapshot {
    char *account_id; /* "" for the caller's own account */
    char *region;
    int64_t now_ms;
    /* The selected (opted-in) groups, in full. */
    struct sps_aws_asg_groups groups;
    /* The name of every group in the region, selected or not: a spot instance tagged for a group
     * missing here belongs to a group that is gone. */
    struct sps_aws_strings all_group_names;
    struct sps_aws_asg_launch_configurations launch_configurations;
    struct sps_aws_ec2_launch_template_versions template_versions;
    struct sps_engine_group_source *sources; /* one per selected group */
    size_t source_count;
    /* Members of the selected groups, and every instance in the region carrying a spotswap tag
     * (launched-for-asg or replaced-by), in any state but terminated. */
    struct sps_aws_ec2_instances instances;
    /* Status checks of the spotswap-launched spot instances not yet in a group. */
    struct sps_aws_ec2_instance_statuses statuses;
    /* The AMIs of the instances above. */
    struct sps_aws_ec2_images images;
    struct sps_engine_group_hooks *hooks; /* one per selected group */
    size_t hook_count;
    /* `instances` sorted by id, set by sps_engine_snapshot_index_instances; used only while
     * `instances` still has the items and count it was built for. */
    const struct sps_aws_ec2_instance **instance_index;
    size_t instance_index_count;
    const struct sps_aws_ec2_instance *instance_index_items;
    size_t instance_index_of_count;
};

void sps_engine_snapshot_init(struct sps_engine_snapshot *s);
void sps_engine_snapshot_clean_up(struct sps_engine_snapshot *s); /* NULL-safe */

/* Indexes `instances` by id so that sps_engine_snapshot_instance is a binary search rather than
 * a walk (the executor and the report look up one instance per action). The scan calls it on
 * the snapshots it completes; an index made stale by a later change of `instances` is ignored. */
void sps_engine_snapshot_index_instances(struct sps_engine_snapshot *s);

/* Lookups the planner and the executor share; NULL when absent. With duplicate ids, the first
 * in `instances`. */
const struct sps_aws_ec2_instance *sps_engine_snapshot_instance(const struct sps_engine_snapshot *s,
                                                                const char *instance_id);
const struct sps_aws_ec2_image *sps_engine_snapshot_image(const struct sps_engine_snapshot *s,
                                                          const char *image_id);
const struct sps_engine_group_source *
sps_engine_snapshot_source(const struct sps_engine_snapshot *s, const char *group_name);
const struct sps_aws_asg_lifecycle_hooks *
sps_engine_snapshot_hooks(const struct sps_engine_snapshot *s, const char *group_name);

/* ---- what the planner is given besides the snapshot -------------------------------------- */

/* Prices, as functions so tests use tables. false: unknown (never 0). */
struct sps_engine_prices {
    /* On-demand USD/hour of `type` in `region` for an AMI whose PlatformDetails is `platform`. */
    bool (*on_demand)(void *ctx, const char *type, const char *region, const char *platform,
                      double *usd_per_hour);
    /* Spot USD/hour of `type` in `az` for the same platform (Windows spot is priced apart). */
    bool (*spot)(void *ctx, const char *type, const char *az, const char *platform,
                 double *usd_per_hour);
    /* Interruption band 0-4, -1 unknown; may be NULL. */
    int (*band)(void *ctx, const char *region, const char *type);
    void *ctx;
};

/* The knobs the planner applies to one group (the global config with the group's tag overrides
 * applied; engine/config resolves them). */
struct sps_engine_policy {
    bool enabled;
    bool report_only;
    int64_t min_on_demand_number;
    int64_t min_on_demand_percentage; /* 0-100 */
    int64_t max_replacements_per_run; /* 0: automatic, sps_engine_auto_budget */
    double diversification_fraction;  /* (0, 1] */
    struct sps_compat_constraints constraints; /* globs, burstable, bare metal, ceiling */
    int64_t orphan_grace_periods;
};

struct sps_engine_plan_inputs {
    const struct sps_compat_catalog *catalog;
    const struct sps_engine_prices *prices;
    /* The group's policy, or an error with a one-line reason in `why` (the group is skipped). */
    sps_err (*policy)(void *ctx, const struct sps_aws_asg_group *group,
                      struct sps_engine_policy *out, struct sps_buf *why);
    void *policy_ctx;
};

/* ---- the plan ----------------------------------------------------------------------------- */

enum sps_engine_action_kind {
    SPS_ENGINE_LAUNCH,      /* launch a spot replacement for an on-demand instance */
    SPS_ENGINE_ATTACH,      /* attach a ready spot instance to its group */
    SPS_ENGINE_RETIRE,      /* retire an on-demand instance whose replacement is InService */
    SPS_ENGINE_TERMINATE,   /* terminate an orphan, a stuck launch, or a detached retiree */
    SPS_ENGINE_RESTORE_MAX, /* restore a group's raised max */
};

struct sps_engine_action {
    enum sps_engine_action_kind kind;
    char *group;
    char *instance_id;      /* LAUNCH, RETIRE: the on-demand instance; TERMINATE: the target */
    char *spot_instance_id; /* ATTACH, RETIRE: the spot instance */
    char *availability_zone;
    char *subnet_id;
    char **candidates;      /* LAUNCH: spot types, best first, diversification applied */
    size_t candidate_count;
    double on_demand_price; /* LAUNCH: the original's price, the spot cap; also for the report */
    double spot_price;      /* LAUNCH: the first candidate's price */
    bool ebs_optimized;     /* LAUNCH */
    bool has_termination_hooks; /* RETIRE */
    char *reason;           /* one line: why this action (logs and report) */
};

enum sps_engine_group_state {
    SPS_ENGINE_GROUP_CONVERTED,  /* every replaceable instance is spot */
    SPS_ENGINE_GROUP_CONVERTING, /* replacements planned or in flight */
    SPS_ENGINE_GROUP_FALLBACK,   /* on-demand instances to replace, no spot candidate */
    SPS_ENGINE_GROUP_SKIPPED,    /* not touched this pass; see reason */
};

/* One instance the planner looked at and left alone, and why. */
struct sps_engine_note {
    char *instance_id;
    char *reason;
};

struct sps_engine_group_plan {
    char *name;
    enum sps_engine_group_state state;
    char *reason;              /* SKIPPED: why; FALLBACK: since when and why */
    size_t in_service;
    size_t on_demand;
    size_t spot;
    size_t on_demand_floor;
    double cost_now_usd_per_hour;   /* NaN when a price is unknown */
    double cost_after_usd_per_hour; /* after this pass's launches land */
    struct sps_engine_note *notes;
    size_t note_count;
};

struct sps_engine_plan {
    char *account_id;
    char *region;
    struct sps_engine_action *actions;
    size_t action_count;
    struct sps_engine_group_plan *groups;
    size_t group_count;
};

void sps_engine_plan_init(struct sps_engine_plan *p);
void sps_engine_plan_clean_up(struct sps_engine_plan *p); /* NULL-safe */

/* Pure: decides this pass for one snapshot. Fails only on invalid input; a group that cannot be
 * handled is SKIPPED with a reason, never a failure of the whole plan. */
SPS_NODISCARD sps_err sps_engine_plan_build(const struct sps_engine_snapshot *snapshot,
                                            const struct sps_engine_plan_inputs *inputs,
                                            struct sps_engine_plan *out);

const char *sps_engine_action_kind_name(enum sps_engine_action_kind kind);
const char *sps_engine_group_state_name(enum sps_engine_group_state state);

/* The PlatformDetails that prices an instance: its own, else its AMI's (`image` may be NULL);
 * "" when neither says. The pass's On-Demand prefetch uses it too, so it asks for the prices
 * the planner will look up. */
const char *sps_engine_instance_platform(const struct sps_aws_ec2_instance *x,
                                         const struct sps_aws_ec2_image *image);

/* The automatic per-pass launch budget of a group of `size` instances: half of it, rounded up,
 * at least 1. A batch launched in one pass is attached (and retired) in the next, so any group
 * converts in three passes, with at most half of it in flight at once (docs/planning.md). */
int64_t sps_engine_auto_budget(int64_t size);

#endif
