/*
 * Typed Amazon EC2 Auto Scaling operations (API 2011-01-01), the way an SDK offers them, so
 * launch/ and engine/ never walk XML. Per operation: a plain-data result (owning its strings,
 * NULL-safe `_clean_up`), a pure parser over the operation's <ActionResult> node, a query builder
 * (for sps_aws_call_run_many) and a convenience call that builds, runs, paginates and parses.
 * No business rules here: service errors come back untouched in `aws_err` (may be NULL).
 *
 * Conventions of the result structs: optional strings are NULL when absent or empty; optional
 * numbers whose valid range starts at 1 are 0 when absent; other optional numbers have a
 * `has_` flag; optional booleans whose absence means something are a tri-state. Timestamps are
 * epoch milliseconds. A required field missing from a response is SPS_ERR_MISSING_FIELD (the
 * parser logs the field at debug); a field that is not of its type (number, bool, timestamp)
 * gives the typed reader's error (SPS_ERR_PARSE_NUMBER, SPS_ERR_UNEXPECTED_RESPONSE,
 * SPS_ERR_PARSE_TIME). Unknown elements are ignored. Enumerations AWS may extend (lifecycle
 * states, hook transitions) map unknown values to an UNKNOWN member and keep the raw string.
 *
 * Auto Scaling has no idempotency tokens; its mutating calls are naturally idempotent or refused
 * (AttachInstances of a member is a ValidationError), which callers handle from `aws_err`.
 */
#ifndef SPS_AWS_AUTOSCALING_H
#define SPS_AWS_AUTOSCALING_H

#include "sps_aws_client.h"
#include "sps_aws_types.h"

#define SPS_AWS_AUTOSCALING_VERSION "2011-01-01"
/* Per-call limits of the API; the convenience calls split longer name lists. */
#define SPS_AWS_ASG_MAX_GROUP_NAMES 100
#define SPS_AWS_ASG_MAX_LAUNCH_CONFIGURATION_NAMES 50
#define SPS_AWS_ASG_MAX_RECORDS 100

enum sps_aws_asg_tristate {
    SPS_AWS_ASG_UNSET = 0,
    SPS_AWS_ASG_FALSE,
    SPS_AWS_ASG_TRUE,
};

/* ---- shared pieces ------------------------------------------------------------------------ */

/* A launch template reference (LaunchTemplateSpecification); every member NULL when absent. */
struct sps_aws_asg_launch_template {
    char *id;
    char *name;
    char *version; /* "$Default", "$Latest" or a number, as AWS stores it */
};
void sps_aws_asg_launch_template_clean_up(struct sps_aws_asg_launch_template *lt);
/* True when the reference names a template (by id or name). */
bool sps_aws_asg_launch_template_present(const struct sps_aws_asg_launch_template *lt);

/* A scaling activity (Activity). */
struct sps_aws_asg_activity {
    char *activity_id; /* required */
    char *group_name;  /* required */
    char *description;
    char *cause;        /* required */
    int64_t start_time; /* required, epoch ms */
    int64_t end_time;   /* 0 while running */
    char *status_code;  /* required: "InProgress", "Successful", "Failed", "Cancelled", ... */
    char *status_message;
    int64_t progress; /* 0-100; 0 when absent */
    char *details;
};
void sps_aws_asg_activity_clean_up(struct sps_aws_asg_activity *a);

struct sps_aws_asg_activities {
    struct sps_aws_asg_activity *items;
    size_t count;
    size_t cap;
    char *next_token; /* DescribeScalingActivities only; NULL on the last page */
};
void sps_aws_asg_activities_init(struct sps_aws_asg_activities *a);
void sps_aws_asg_activities_clean_up(struct sps_aws_asg_activities *a);

/* ---- DescribeAutoScalingGroups ------------------------------------------------------------ */

enum sps_aws_asg_lifecycle_state {
    SPS_AWS_ASG_STATE_UNKNOWN = 0, /* a state this build does not know: see the raw string */
    SPS_AWS_ASG_STATE_PENDING,
    SPS_AWS_ASG_STATE_PENDING_WAIT,
    SPS_AWS_ASG_STATE_PENDING_PROCEED,
    SPS_AWS_ASG_STATE_QUARANTINED,
    SPS_AWS_ASG_STATE_IN_SERVICE,
    SPS_AWS_ASG_STATE_TERMINATING,
    SPS_AWS_ASG_STATE_TERMINATING_WAIT,
    SPS_AWS_ASG_STATE_TERMINATING_PROCEED,
    SPS_AWS_ASG_STATE_TERMINATED,
    SPS_AWS_ASG_STATE_DETACHING,
    SPS_AWS_ASG_STATE_DETACHED,
    SPS_AWS_ASG_STATE_ENTERING_STANDBY,
    SPS_AWS_ASG_STATE_STANDBY,
    SPS_AWS_ASG_STATE_WARMED, /* any "Warmed:*" state (warm pool); the raw string says which */
};
/* "Pending:Wait" -> SPS_AWS_ASG_STATE_PENDING_WAIT; unknown strings -> UNKNOWN. */
enum sps_aws_asg_lifecycle_state sps_aws_asg_lifecycle_state_parse(const char *text);
/* The AWS spelling ("Warmed" for the warm-pool family, "Unknown" for UNKNOWN). */
const char *sps_aws_asg_lifecycle_state_name(enum sps_aws_asg_lifecycle_state state);

/* A member of a group (Instance). */
struct sps_aws_asg_instance {
    char *instance_id; /* required */
    char *instance_type;
    char *availability_zone; /* required */
    enum sps_aws_asg_lifecycle_state lifecycle_state;
    char *lifecycle_state_raw;    /* required: "Terminating:Wait", "Warmed:Running", ... */
    char *health_status;          /* required: "Healthy" or "Unhealthy" */
    bool protected_from_scale_in; /* required */
    char *launch_configuration_name;
    struct sps_aws_asg_launch_template launch_template;
    int64_t weighted_capacity; /* 1-999; 0 when absent */
};

/* LaunchTemplateOverrides of a MixedInstancesPolicy. */
struct sps_aws_asg_override {
    char *instance_type;       /* NULL when the override uses InstanceRequirements instead */
    int64_t weighted_capacity; /* 0 when absent */
    struct sps_aws_asg_launch_template launch_template; /* per-override template; may be empty */
};

struct sps_aws_asg_instances_distribution {
    char *on_demand_allocation_strategy; /* "prioritized", "lowest-price" */
    bool has_on_demand_base_capacity;
    int64_t on_demand_base_capacity;
    bool has_on_demand_percentage_above_base;
    int64_t on_demand_percentage_above_base; /* 0-100 */
    char *spot_allocation_strategy;          /* "lowest-price", "capacity-optimized", ... */
    int64_t spot_instance_pools;             /* 1-20; 0 when absent */
    bool has_spot_max_price; /* false: the On-Demand price is the cap (also for "") */
    double spot_max_price;
};

struct sps_aws_asg_mixed_instances_policy {
    bool present;
    struct sps_aws_asg_launch_template launch_template;
    struct sps_aws_asg_override *overrides;
    size_t override_count;
    struct sps_aws_asg_instances_distribution distribution;
};

struct sps_aws_asg_group {
    char *name; /* required */
    char *arn;
    int64_t min_size;                          /* required */
    int64_t max_size;                          /* required */
    int64_t desired_capacity;                  /* required */
    int64_t default_cooldown;                  /* required */
    char *health_check_type;                   /* required: "EC2", "ELB" */
    int64_t health_check_grace_period;         /* 0 when absent */
    int64_t created_time;                      /* required, epoch ms */
    struct sps_aws_strings availability_zones; /* required (may be empty) */
    char *vpc_zone_identifier;                 /* as sent: "subnet-a,subnet-b" */
    struct sps_aws_strings subnet_ids;         /* VPCZoneIdentifier split at commas */
    char *launch_configuration_name;
    struct sps_aws_asg_launch_template launch_template;
    struct sps_aws_asg_mixed_instances_policy mixed_instances_policy;
    struct sps_aws_asg_instance *instances;
    size_t instance_count;
    struct sps_aws_tags tags;                   /* key, value, propagate at launch */
    struct sps_aws_strings suspended_processes; /* process names */
    struct sps_aws_strings target_group_arns;
    struct sps_aws_strings load_balancer_names;
    struct sps_aws_strings termination_policies;
    bool new_instances_protected_from_scale_in;
    bool capacity_rebalance;
    char *status;                  /* "Delete in progress" or NULL */
    int64_t max_instance_lifetime; /* seconds; 0 when none */
    bool has_warm_pool;
    char *service_linked_role_arn;
};
void sps_aws_asg_group_clean_up(struct sps_aws_asg_group *g);
/* The member with that instance id, or NULL. */
const struct sps_aws_asg_instance *
sps_aws_asg_group_find_instance(const struct sps_aws_asg_group *g, const char *instance_id);

struct sps_aws_asg_groups {
    struct sps_aws_asg_group *items;
    size_t count;
    size_t cap;
    char *next_token; /* set by the parser; NULL on the last page */
};
void sps_aws_asg_groups_init(struct sps_aws_asg_groups *g);
void sps_aws_asg_groups_clean_up(struct sps_aws_asg_groups *g);
const struct sps_aws_asg_group *sps_aws_asg_groups_find(const struct sps_aws_asg_groups *g,
                                                        const char *name);

/* Filters: "tag-key", "tag-value", "tag:<key>" (e.g. "tag:spot-enabled" with {"true"}). */
struct sps_aws_asg_filter {
    const char *name;
    const char *const *values;
    size_t value_count;
};

struct sps_aws_asg_describe_groups_input {
    const char *const *names; /* may be NULL: all groups (subject to filters) */
    size_t name_count;        /* builder: at most SPS_AWS_ASG_MAX_GROUP_NAMES */
    const struct sps_aws_asg_filter *filters;
    size_t filter_count;
    int max_records;        /* per page, 1-100; 0: 100 */
    const char *next_token; /* builder only: the page to ask for */
};

/* One request for one page: AutoScalingGroupNames.member.N, Filters.member.N.Name,
 * Filters.member.N.Values.member.M, MaxRecords, NextToken. */
void sps_aws_asg_describe_groups_query(struct sps_query *q,
                                       const struct sps_aws_asg_describe_groups_input *in);
/* Appends the page's groups to `out` (initialized by the caller) and replaces its next_token. On
 * failure `out` keeps the groups of earlier pages; the caller cleans it up. */
SPS_NODISCARD sps_err sps_aws_asg_parse_describe_groups(const struct sps_xml_node *result,
                                                        struct sps_aws_asg_groups *out);
/* Every matching group: names in batches of 100, each batch paginated. Initializes `out`; on
 * failure `out` is left empty. */
SPS_NODISCARD sps_err sps_aws_asg_describe_groups(
    struct sps_aws_client *c, const struct sps_aws_asg_describe_groups_input *in,
    struct sps_aws_asg_groups *out, struct sps_aws_error *aws_err);

/* ---- DescribeLaunchConfigurations --------------------------------------------------------- */

struct sps_aws_asg_ebs {
    char *snapshot_id;
    int64_t volume_size; /* GiB; 0 when absent */
    char *volume_type;   /* "gp3", ... */
    enum sps_aws_asg_tristate delete_on_termination;
    int64_t iops;       /* 0 when absent */
    int64_t throughput; /* MiB/s; 0 when absent */
    enum sps_aws_asg_tristate encrypted;
};

struct sps_aws_asg_block_device {
    char *device_name;  /* required */
    char *virtual_name; /* "ephemeral0" */
    bool no_device;
    bool has_ebs;
    struct sps_aws_asg_ebs ebs;
};

struct sps_aws_asg_launch_configuration {
    char *name; /* required */
    char *arn;
    char *image_id; /* required */
    char *key_name;
    struct sps_aws_strings security_groups;
    char *user_data;     /* base64, as stored */
    char *instance_type; /* required */
    char *kernel_id;
    char *ramdisk_id;
    struct sps_aws_asg_block_device *block_devices;
    size_t block_device_count;
    enum sps_aws_asg_tristate instance_monitoring; /* InstanceMonitoring.Enabled */
    bool has_spot_price;
    double spot_price;
    char *iam_instance_profile;
    bool ebs_optimized;
    enum sps_aws_asg_tristate associate_public_ip_address;
    char *placement_tenancy;      /* "default", "dedicated" */
    char *metadata_http_tokens;   /* "optional", "required" */
    int64_t metadata_hop_limit;   /* 1-64; 0 when absent */
    char *metadata_http_endpoint; /* "enabled", "disabled" */
    int64_t created_time;         /* required, epoch ms */
};
void sps_aws_asg_launch_configuration_clean_up(struct sps_aws_asg_launch_configuration *lc);

struct sps_aws_asg_launch_configurations {
    struct sps_aws_asg_launch_configuration *items;
    size_t count;
    size_t cap;
    char *next_token;
};
void sps_aws_asg_launch_configurations_init(struct sps_aws_asg_launch_configurations *l);
void sps_aws_asg_launch_configurations_clean_up(struct sps_aws_asg_launch_configurations *l);
const struct sps_aws_asg_launch_configuration *
sps_aws_asg_launch_configurations_find(const struct sps_aws_asg_launch_configurations *l,
                                       const char *name);

struct sps_aws_asg_describe_launch_configurations_input {
    const char *const *names; /* NULL: all; builder: at most 50 */
    size_t name_count;
    int max_records;        /* 1-100; 0: 100 */
    const char *next_token; /* builder only */
};
void sps_aws_asg_describe_launch_configurations_query(
    struct sps_query *q, const struct sps_aws_asg_describe_launch_configurations_input *in);
/* Appends to `out` and replaces its next_token, like the groups parser. */
SPS_NODISCARD sps_err sps_aws_asg_parse_describe_launch_configurations(
    const struct sps_xml_node *result, struct sps_aws_asg_launch_configurations *out);
/* Names in batches of 50, each paginated. Initializes `out`; empty on failure. */
SPS_NODISCARD sps_err sps_aws_asg_describe_launch_configurations(
    struct sps_aws_client *c, const struct sps_aws_asg_describe_launch_configurations_input *in,
    struct sps_aws_asg_launch_configurations *out, struct sps_aws_error *aws_err);

/* ---- DescribeLifecycleHooks --------------------------------------------------------------- */

enum sps_aws_asg_transition {
    SPS_AWS_ASG_TRANSITION_UNKNOWN = 0,
    SPS_AWS_ASG_TRANSITION_LAUNCHING,   /* autoscaling:EC2_INSTANCE_LAUNCHING */
    SPS_AWS_ASG_TRANSITION_TERMINATING, /* autoscaling:EC2_INSTANCE_TERMINATING */
};

struct sps_aws_asg_lifecycle_hook {
    char *name; /* required */
    char *group_name;
    enum sps_aws_asg_transition transition;
    char *transition_raw;      /* required */
    int64_t heartbeat_timeout; /* seconds; 0 when absent */
    int64_t global_timeout;    /* seconds; 0 when absent */
    char *default_result;      /* "CONTINUE" or "ABANDON" */
    char *notification_target_arn;
    char *role_arn;
};

struct sps_aws_asg_lifecycle_hooks {
    struct sps_aws_asg_lifecycle_hook *items;
    size_t count;
    size_t cap;
};
void sps_aws_asg_lifecycle_hooks_init(struct sps_aws_asg_lifecycle_hooks *h);
void sps_aws_asg_lifecycle_hooks_clean_up(struct sps_aws_asg_lifecycle_hooks *h);

void sps_aws_asg_describe_lifecycle_hooks_query(struct sps_query *q, const char *group_name);
/* Appends to `out` (initialized by the caller). */
SPS_NODISCARD sps_err sps_aws_asg_parse_describe_lifecycle_hooks(
    const struct sps_xml_node *result, struct sps_aws_asg_lifecycle_hooks *out);
SPS_NODISCARD sps_err sps_aws_asg_describe_lifecycle_hooks(struct sps_aws_client *c,
                                                           const char *group_name,
                                                           struct sps_aws_asg_lifecycle_hooks *out,
                                                           struct sps_aws_error *aws_err);

/* ---- DescribeScalingActivities (diagnostics) ---------------------------------------------- */

struct sps_aws_asg_describe_activities_input {
    const char *group_name; /* NULL: every group */
    int max_records;        /* 1-100; 0: 100 */
    const char *next_token;
};
void sps_aws_asg_describe_activities_query(struct sps_query *q,
                                           const struct sps_aws_asg_describe_activities_input *in);
/* Appends to `out` and replaces its next_token. */
SPS_NODISCARD sps_err sps_aws_asg_parse_describe_activities(const struct sps_xml_node *result,
                                                            struct sps_aws_asg_activities *out);
/* One page, newest first: the history can be long and only recent activity diagnoses anything;
 * out->next_token says whether there is more. Initializes `out`. */
SPS_NODISCARD sps_err sps_aws_asg_describe_activities(
    struct sps_aws_client *c, const struct sps_aws_asg_describe_activities_input *in,
    struct sps_aws_asg_activities *out, struct sps_aws_error *aws_err);

/* ---- mutations ---------------------------------------------------------------------------- */

/* AttachInstances (raises desired capacity by the count), SetInstanceProtection and
 * DetachInstances take a group and instance ids. */
struct sps_aws_asg_instances_input {
    const char *group_name;
    const char *const *instance_ids;
    size_t instance_count;                  /* at least 1 for the convenience calls */
    bool should_decrement_desired_capacity; /* DetachInstances */
    bool protected_from_scale_in;           /* SetInstanceProtection */
};
void sps_aws_asg_attach_instances_query(struct sps_query *q,
                                        const struct sps_aws_asg_instances_input *in);
SPS_NODISCARD sps_err sps_aws_asg_attach_instances(struct sps_aws_client *c,
                                                   const struct sps_aws_asg_instances_input *in,
                                                   struct sps_aws_error *aws_err);

void sps_aws_asg_detach_instances_query(struct sps_query *q,
                                        const struct sps_aws_asg_instances_input *in);
/* Appends the detach activities to `out` (initialized by the caller). */
SPS_NODISCARD sps_err sps_aws_asg_parse_detach_instances(const struct sps_xml_node *result,
                                                         struct sps_aws_asg_activities *out);
/* Initializes `out`. */
SPS_NODISCARD sps_err sps_aws_asg_detach_instances(struct sps_aws_client *c,
                                                   const struct sps_aws_asg_instances_input *in,
                                                   struct sps_aws_asg_activities *out,
                                                   struct sps_aws_error *aws_err);

void sps_aws_asg_set_instance_protection_query(struct sps_query *q,
                                               const struct sps_aws_asg_instances_input *in);
SPS_NODISCARD sps_err sps_aws_asg_set_instance_protection(
    struct sps_aws_client *c, const struct sps_aws_asg_instances_input *in,
    struct sps_aws_error *aws_err);

void sps_aws_asg_terminate_instance_query(struct sps_query *q, const char *instance_id,
                                          bool should_decrement_desired_capacity);
/* `out` is overwritten (not cleaned first); clean it up after. */
SPS_NODISCARD sps_err sps_aws_asg_parse_terminate_instance(const struct sps_xml_node *result,
                                                           struct sps_aws_asg_activity *out);
SPS_NODISCARD sps_err sps_aws_asg_terminate_instance(struct sps_aws_client *c,
                                                     const char *instance_id,
                                                     bool should_decrement_desired_capacity,
                                                     struct sps_aws_asg_activity *out,
                                                     struct sps_aws_error *aws_err);

/* UpdateAutoScalingGroup: only the sizes marked set are sent. */
struct sps_aws_asg_update_input {
    const char *group_name;
    bool set_min_size;
    int64_t min_size;
    bool set_max_size;
    int64_t max_size;
    bool set_desired_capacity;
    int64_t desired_capacity;
};
void sps_aws_asg_update_group_query(struct sps_query *q, const struct sps_aws_asg_update_input *in);
SPS_NODISCARD sps_err sps_aws_asg_update_group(struct sps_aws_client *c,
                                               const struct sps_aws_asg_update_input *in,
                                               struct sps_aws_error *aws_err);

/* SetDesiredCapacity; HonorCooldown is sent only when true (AWS's default is false). */
void sps_aws_asg_set_desired_capacity_query(struct sps_query *q, const char *group_name,
                                            int64_t desired_capacity, bool honor_cooldown);
SPS_NODISCARD sps_err sps_aws_asg_set_desired_capacity(struct sps_aws_client *c,
                                                       const char *group_name,
                                                       int64_t desired_capacity,
                                                       bool honor_cooldown,
                                                       struct sps_aws_error *aws_err);

/* CreateOrUpdateTags on one group: Tags.member.N.{ResourceId, ResourceType=auto-scaling-group,
 * Key, Value, PropagateAtLaunch}. */
void sps_aws_asg_create_or_update_tags_query(struct sps_query *q, const char *group_name,
                                             const struct sps_aws_tags *tags);
SPS_NODISCARD sps_err sps_aws_asg_create_or_update_tags(struct sps_aws_client *c,
                                                        const char *group_name,
                                                        const struct sps_aws_tags *tags,
                                                        struct sps_aws_error *aws_err);
/* DeleteTags on one group by key. */
void sps_aws_asg_delete_tags_query(struct sps_query *q, const char *group_name,
                                   const char *const *keys, size_t key_count);
SPS_NODISCARD sps_err sps_aws_asg_delete_tags(struct sps_aws_client *c, const char *group_name,
                                              const char *const *keys, size_t key_count,
                                              struct sps_aws_error *aws_err);

/* SuspendProcesses / ResumeProcesses: ScalingProcesses.member.N; no names means all processes. */
void sps_aws_asg_suspend_processes_query(struct sps_query *q, const char *group_name,
                                         const char *const *processes, size_t process_count);
SPS_NODISCARD sps_err sps_aws_asg_suspend_processes(struct sps_aws_client *c,
                                                    const char *group_name,
                                                    const char *const *processes,
                                                    size_t process_count,
                                                    struct sps_aws_error *aws_err);
void sps_aws_asg_resume_processes_query(struct sps_query *q, const char *group_name,
                                        const char *const *processes, size_t process_count);
SPS_NODISCARD sps_err sps_aws_asg_resume_processes(struct sps_aws_client *c, const char *group_name,
                                                   const char *const *processes,
                                                   size_t process_count,
                                                   struct sps_aws_error *aws_err);

#endif
