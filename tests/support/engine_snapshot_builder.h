/*
 * Test-only builder of engine snapshots for the planner's table tests: groups, members, EC2
 * instances, AMIs, status checks and hooks as the scan would read them, plus simple price tables
 * and a policy callback. The real embedded catalog is used. Everything is plain data owned by
 * the world; esb_world_free releases it (the snapshot's own clean-up lives in engine/snapshot.c).
 */
#ifndef SPS_ENGINE_SNAPSHOT_BUILDER_H
#define SPS_ENGINE_SNAPSHOT_BUILDER_H

#include "sps_engine_plan.h"

#define ESB_REGION "us-east-1"
#define ESB_AZ_A "us-east-1a"
#define ESB_AZ_B "us-east-1b"
#define ESB_NOW_MS ((int64_t)1795000000000) /* a fixed "now" (2026) */
#define ESB_AMI "ami-linux"

/* One price row; 0 means unknown. The spot price is the same in every zone unless az is set. */
struct esb_price {
    const char *type;
    double on_demand;
    double spot;
    const char *az; /* NULL: every zone */
};

struct esb_market {
    const struct esb_price *rows;
    size_t count;
    double windows_extra; /* added to the on-demand price for a Windows PlatformDetails */
    const char *last_platform;
    const char *last_spot_platform; /* the platform of the last spot lookup */
};

struct esb_policies {
    struct sps_engine_policy base;
    const char *fail_group; /* the callback fails for this group with fail_why */
    const char *fail_why;
    const char *override_group; /* this group gets `override` instead of base */
    struct sps_engine_policy override;
};

struct esb_world {
    struct sps_engine_snapshot snap;
    struct sps_compat_catalog *catalog;
    struct esb_market market;
    struct sps_engine_prices prices;
    struct esb_policies policies;
    struct sps_engine_plan_inputs inputs;
};

/* The default prices: m5.large and a few large stand-ins with spot prices, c5.large without. */
extern const struct esb_price esb_default_prices[];
extern const size_t esb_default_price_count;

/* A world at ESB_NOW_MS in ESB_REGION with the default prices and policy (enabled, no floor,
 * automatic budget, fraction 1/3, orphan grace 3) and the AMI ESB_AMI (x86_64, hvm, Linux). */
void esb_world_init(struct esb_world *w);
void esb_world_free(struct esb_world *w);
/* Resolves the launch sources and builds the plan. */
sps_err esb_world_plan(struct esb_world *w, struct sps_engine_plan *out);

/* ---- snapshot pieces (pointers returned stay valid until the next call of the same kind) --- */

struct sps_aws_asg_group *esb_group(struct esb_world *w, const char *name, int64_t desired,
                                    int64_t grace_s);
struct sps_aws_asg_group *esb_find_group(struct esb_world *w, const char *name);
void esb_group_tag(struct esb_world *w, const char *group, const char *key, const char *value);
void esb_group_suspend(struct esb_world *w, const char *group, const char *process);
void esb_group_no_source(struct esb_world *w, const char *group);
/* A group that exists in the region but is not selected. */
void esb_unselected_group(struct esb_world *w, const char *name);

struct sps_aws_ec2_instance *esb_instance(struct esb_world *w, const char *id, const char *type,
                                          const char *az, const char *lifecycle, const char *state,
                                          int64_t launch_ms);
struct sps_aws_ec2_instance *esb_find_instance(struct esb_world *w, const char *id);
void esb_tag(struct esb_world *w, const char *id, const char *key, const char *value);
void esb_member(struct esb_world *w, const char *group, const char *id,
                enum sps_aws_asg_lifecycle_state state, const char *health, bool protected_);
struct sps_aws_asg_instance *esb_find_member(struct esb_world *w, const char *group,
                                             const char *id);
void esb_remove_member(struct esb_world *w, const char *group, const char *id);
void esb_remove_instance(struct esb_world *w, const char *id);
void esb_image(struct esb_world *w, const char *id, const char *arch, const char *virt,
               const char *platform_details, bool ena);
void esb_status(struct esb_world *w, const char *id, const char *instance, const char *system);
void esb_hook(struct esb_world *w, const char *group, enum sps_aws_asg_transition transition);

/* Shortcuts: an InService Healthy member with its EC2 instance ("" lifecycle = on-demand). */
void esb_od_member(struct esb_world *w, const char *group, const char *id, const char *type,
                   const char *az);
void esb_spot_member(struct esb_world *w, const char *group, const char *id, const char *type,
                     const char *az);
/* A spotswap spot instance outside any group, tagged for `group` replacing `x` (x may be NULL),
 * launched `age_s` ago; with `healthy`, its status checks are ok. */
void esb_spot_outside(struct esb_world *w, const char *id, const char *group, const char *x,
                      const char *type, const char *az, int64_t age_s, bool healthy);

/* Permutes every array of the snapshot (deterministically from `seed`). */
void esb_shuffle(struct esb_world *w, unsigned seed);

/* ---- reading plans --------------------------------------------------------------------------- */

size_t esb_count(const struct sps_engine_plan *p, enum sps_engine_action_kind kind);
/* The action of `kind` whose instance_id (or, for ATTACH, spot_instance_id) is `id`. */
const struct sps_engine_action *esb_action(const struct sps_engine_plan *p,
                                           enum sps_engine_action_kind kind, const char *id);
const struct sps_engine_group_plan *esb_group_plan(const struct sps_engine_plan *p,
                                                   const char *name);
/* True when the group has a note on `id` whose reason contains `text`. */
bool esb_has_note(const struct sps_engine_plan *p, const char *group, const char *id,
                  const char *text);
/* Renders the plan as text (for determinism checks); free with sps_free. */
char *esb_plan_text(const struct sps_engine_plan *p);

#endif
