/*
 * launch/: the AWS side of one replacement (docs/how-it-works.md): build the spot launch from
 * the group's launch configuration or template, launch it trying candidates in order, attach it,
 * retire the on-demand instance, restore a raised max, terminate what spotswap launched or
 * selected. No decisions are made here: the engine's plan says what to do, and each function
 * does exactly that one step, idempotently, with its state kept in tags.
 */
#ifndef SPS_LAUNCH_H
#define SPS_LAUNCH_H

#include "sps_aws.h"

/* Tags spotswap writes (docs/how-it-works.md). */
#define SPS_TAG_LAUNCHED_FOR_ASG "spotswap:launched-for-asg"
#define SPS_TAG_REPLACES "spotswap:replaces"
#define SPS_TAG_REPLACED_BY "spotswap:replaced-by"
#define SPS_TAG_MAX_RAISED_FROM "spotswap:max-raised-from"
#define SPS_TAG_FALLBACK_SINCE "spotswap:fallback-since"

/* What the replacement is launched from. Exactly one of the two is set; both borrowed. For a
 * template, `template_version` is the version the group uses, resolved ($Default/$Latest). */
struct sps_launch_source {
    const struct sps_aws_asg_launch_configuration *launch_configuration;
    const struct sps_aws_ec2_launch_template_version *template_version;
};

/* One spot launch, for one on-demand instance of one group. Everything borrowed. */
struct sps_launch_spec {
    const struct sps_aws_asg_group *group;
    const struct sps_aws_ec2_instance *instance; /* the on-demand instance being replaced */
    struct sps_launch_source source;
    const char *instance_type;  /* the spot type */
    double max_price_usd;       /* the original's on-demand price: the spot price cap */
    bool ebs_optimized;         /* request EBS optimization (the candidate supports it) */
    const char *client_token;   /* idempotency token for this launch attempt */
};

/* The RunInstances request for a spec, with the storage it points into. */
struct sps_launch_request {
    struct sps_aws_ec2_run_request run; /* points into the fields below and into the spec */
    struct sps_aws_tags instance_tags;  /* the group's propagate-at-launch tags (never aws:*)
                                           + launched-for-asg + replaces */
    struct sps_aws_tags volume_tags;
    char max_price[32];
    char template_version[24]; /* the resolved template version number, as a string */
    struct sps_aws_ec2_block_device_mapping *block_devices; /* converted from a launch config */
    size_t block_device_count;
    const char **security_group_ids;
    size_t security_group_count;
};

/* Pure. Carries every attribute of the original launch over: image, key, security groups, user
 * data, instance profile, block devices, EBS optimization, monitoring, metadata options,
 * tenancy, public IP association; always in the original instance's subnet and AZ. */
SPS_NODISCARD sps_err sps_launch_request_build(struct sps_launch_request *out,
                                               const struct sps_launch_spec *spec);
void sps_launch_request_clean_up(struct sps_launch_request *r); /* NULL-safe */

/* (type, AZ) markets that refused capacity recently, skipped until their entry expires, so a
 * large estate does not hammer an empty market. */
struct sps_launch_markets;
struct sps_launch_markets *sps_launch_markets_new(int64_t ttl_ms);
void sps_launch_markets_destroy(struct sps_launch_markets *m); /* NULL-safe */
bool sps_launch_markets_is_empty(const struct sps_launch_markets *m, const char *type,
                                 const char *az, int64_t now_ms);
void sps_launch_markets_remember(struct sps_launch_markets *m, const char *type, const char *az,
                                 int64_t now_ms);

struct sps_launch_context {
    struct sps_aws_client *ec2;
    struct sps_aws_client *autoscaling;
    const struct sps_clock *clock;
    const struct sps_rand *rand;        /* client tokens */
    struct sps_launch_markets *markets; /* may be NULL */
};

struct sps_launch_outcome {
    char instance_id[32];   /* the launched spot instance; "" when none */
    char instance_type[64]; /* the candidate that launched */
    size_t tried;           /* candidates tried (skipped empty markets not counted) */
    struct sps_aws_error last_error; /* the last refusal */
};

/* Launches one spot instance for `spec` (its instance_type and client_token ignored: each
 * candidate attempt gets a fresh token from sps_launch_client_token), trying `candidates` in
 * order. InsufficientInstanceCapacity, SpotMaxPriceTooLow, Unsupported and
 * MaxSpotInstanceCountExceeded (SPS_ERR_AWS_CAPACITY) move on to the next candidate and mark
 * the market empty; any other error stops. SPS_ERR_AWS_CAPACITY when every candidate refused. */
SPS_NODISCARD sps_err sps_launch_spot(struct sps_launch_context *ctx,
                                      const struct sps_launch_spec *spec,
                                      const char *const *candidates, size_t candidate_count,
                                      struct sps_launch_outcome *out);

/* Attaches `spot_id` to the group. When the group is at max, first records the max in the group
 * tag spotswap:max-raised-from (unless present) and raises max by one. */
SPS_NODISCARD sps_err sps_launch_attach(struct sps_launch_context *ctx,
                                        const struct sps_aws_asg_group *group,
                                        const char *spot_id, struct sps_aws_error *aws_err);

/* Retires the on-demand instance `od_id` once its replacement `spot_id` is InService: tags it
 * spotswap:replaced-by=<spot_id>, then TerminateInstanceInAutoScalingGroup with decrement when
 * the group has termination lifecycle hooks (so they run), otherwise DetachInstances with
 * decrement followed by TerminateInstances. */
SPS_NODISCARD sps_err sps_launch_retire(struct sps_launch_context *ctx,
                                        const struct sps_aws_asg_group *group, const char *od_id,
                                        const char *spot_id, bool has_termination_hooks,
                                        struct sps_aws_error *aws_err);

/* Restores the max recorded in spotswap:max-raised-from and removes the tag. No-op without it. */
SPS_NODISCARD sps_err sps_launch_restore_max(struct sps_launch_context *ctx,
                                             const struct sps_aws_asg_group *group,
                                             struct sps_aws_error *aws_err);

/* Terminates an instance the engine proved it may terminate (one it launched, or one it
 * selected and whose replacement is InService). */
SPS_NODISCARD sps_err sps_launch_terminate(struct sps_launch_context *ctx,
                                           const char *instance_id,
                                           struct sps_aws_error *aws_err);

/* Spot interruption: detaches the doomed instance WITHOUT decrementing desired, so the group
 * launches an on-demand replacement at once from its own configuration. */
SPS_NODISCARD sps_err sps_launch_fallback_detach(struct sps_launch_context *ctx,
                                                 const char *group_name, const char *spot_id,
                                                 struct sps_aws_error *aws_err);

/* Marks a group as on fallback since `now_ms` (spotswap:fallback-since, unless present), or
 * clears the mark once a spot launch succeeds again. */
SPS_NODISCARD sps_err sps_launch_mark_fallback(struct sps_launch_context *ctx,
                                               const struct sps_aws_asg_group *group,
                                               bool on_fallback, int64_t now_ms,
                                               struct sps_aws_error *aws_err);

/* A fresh client token ("spotswap-" + 32 hex digits) from ctx->rand. */
void sps_launch_client_token(struct sps_launch_context *ctx, char out[48]);

#endif
