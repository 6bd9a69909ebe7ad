/*
 * Typed EC2 operations: plain-data results, pure parsers over the response node, query builders
 * (so engine/ can run many calls through sps_aws_call_run_many) and convenience calls that
 * build, run, paginate and parse. No business rules live here.
 *
 * Conventions:
 * - Results own their strings. After a successful parse every string field is non-NULL ("" when
 *   AWS left the optional field out); numbers are 0 and tri-states SPS_AWS_EC2_UNSET when absent.
 * - Result lists (`struct sps_aws_ec2_<x>s`) start zeroed; parsers APPEND to them (one page at a
 *   time), so a caller cleans the list up on error as well as on success.
 * - A missing required field is SPS_ERR_MISSING_FIELD (logged at debug with its path); a bad
 *   number, boolean or time is the typed reader's error.
 * - Request structs borrow everything they point to.
 * - Convenience calls return the service's error in `aws_err` (may be NULL) untouched.
 */
#ifndef SPS_AWS_EC2_H
#define SPS_AWS_EC2_H

#include "sps_aws_client.h"
#include "sps_aws_types.h"

#define SPS_AWS_EC2_API_VERSION "2016-11-15"
#define SPS_AWS_EC2_MAX_INSTANCE_IDS 1000  /* DescribeInstances per call */
#define SPS_AWS_EC2_MAX_STATUS_IDS 100     /* DescribeInstanceStatus per call */
#define SPS_AWS_EC2_MAX_INSTANCE_TYPES 100 /* DescribeInstanceTypes per call */

/* An optional boolean: zero-initialized means "not given / not present". */
enum sps_aws_ec2_tristate {
    SPS_AWS_EC2_UNSET = 0,
    SPS_AWS_EC2_FALSE,
    SPS_AWS_EC2_TRUE,
};

/* A describe filter: `Filter.N.Name` and `Filter.N.Value.M`. */
struct sps_aws_ec2_filter {
    const char *name;
    const char *const *values;
    size_t n_values;
};

/* Block device mapping: parsed from images and launch templates (owned strings), and given to
 * RunInstances (borrowed; a parsed one may be passed straight back). */
struct sps_aws_ec2_ebs {
    char *snapshot_id;
    int64_t volume_size_gib;
    char *volume_type;
    int64_t iops;
    int64_t throughput;
    char *kms_key_id;
    enum sps_aws_ec2_tristate encrypted;
    enum sps_aws_ec2_tristate delete_on_termination;
};

struct sps_aws_ec2_block_device_mapping {
    char *device_name;
    char *virtual_name; /* "ephemeral0" for instance store */
    bool no_device;     /* suppresses the AMI's mapping for this device */
    bool has_ebs;
    struct sps_aws_ec2_ebs ebs;
};

void sps_aws_ec2_block_device_mapping_clean_up(struct sps_aws_ec2_block_device_mapping *m);

struct sps_aws_ec2_metadata_options {
    char *http_tokens;   /* "optional" | "required" */
    int64_t hop_limit;   /* 0: absent */
    char *http_endpoint; /* "enabled" | "disabled" */
    char *instance_metadata_tags;
};

/* ---- DescribeRegions / DescribeAvailabilityZones ---------------------------------------- */

struct sps_aws_ec2_region {
    char *name;
    char *endpoint;
    char *opt_in_status; /* "opt-in-not-required" | "opted-in" | "not-opted-in" */
};
struct sps_aws_ec2_regions {
    struct sps_aws_ec2_region *items;
    size_t count, cap;
};
void sps_aws_ec2_regions_clean_up(struct sps_aws_ec2_regions *r);
void sps_aws_ec2_describe_regions_query(struct sps_query *q); /* AllRegions=false */
SPS_NODISCARD sps_err sps_aws_ec2_parse_describe_regions(const struct sps_xml_node *result,
                                                         struct sps_aws_ec2_regions *out);
SPS_NODISCARD sps_err sps_aws_ec2_describe_regions(struct sps_aws_client *c,
                                                   struct sps_aws_ec2_regions *out,
                                                   struct sps_aws_error *aws_err);

struct sps_aws_ec2_zone {
    char *name;
    char *zone_id;
    char *state;
    char *region;
    char *opt_in_status;
};
struct sps_aws_ec2_zones {
    struct sps_aws_ec2_zone *items;
    size_t count, cap;
};
void sps_aws_ec2_zones_clean_up(struct sps_aws_ec2_zones *z);
void sps_aws_ec2_describe_availability_zones_query(struct sps_query *q);
SPS_NODISCARD sps_err sps_aws_ec2_parse_describe_availability_zones(
    const struct sps_xml_node *result, struct sps_aws_ec2_zones *out);
SPS_NODISCARD sps_err sps_aws_ec2_describe_availability_zones(struct sps_aws_client *c,
                                                              struct sps_aws_ec2_zones *out,
                                                              struct sps_aws_error *aws_err);

/* ---- DescribeInstances ------------------------------------------------------------------- */

struct sps_aws_ec2_instance_block_device {
    char *device_name;
    char *volume_id;
    bool delete_on_termination;
};

struct sps_aws_ec2_instance {
    char *reservation_id;
    char *instance_id;
    char *instance_type;
    char *state_name; /* pending | running | shutting-down | terminated | stopping | stopped */
    int64_t state_code;
    char *lifecycle; /* "spot", "scheduled", or "" for on-demand */
    char *spot_instance_request_id;
    int64_t launch_time_ms;
    char *availability_zone;
    char *tenancy;
    char *subnet_id;
    char *vpc_id;
    char *image_id;
    char *key_name;
    char *private_ip;
    char *public_ip;
    char *iam_instance_profile_arn;
    struct sps_aws_strings security_group_ids;
    char *architecture;
    char *virtualization_type;
    char *platform; /* "windows" or "" */
    char *platform_details;
    char *root_device_type;
    char *root_device_name;
    struct sps_aws_ec2_instance_block_device *block_devices;
    size_t n_block_devices;
    bool ebs_optimized;
    bool ena_support;
    char *monitoring_state;
    struct sps_aws_ec2_metadata_options metadata_options;
    struct sps_aws_tags tags;
    char *state_transition_reason;
    char *state_reason_code; /* "Server.SpotInstanceTermination" after a spot interruption */
    char *state_reason_message;
    char *client_token;
};
void sps_aws_ec2_instance_clean_up(struct sps_aws_ec2_instance *i);

struct sps_aws_ec2_instances {
    struct sps_aws_ec2_instance *items;
    size_t count, cap;
};
void sps_aws_ec2_instances_clean_up(struct sps_aws_ec2_instances *l);

struct sps_aws_ec2_describe_instances_request {
    const char *const *instance_ids;
    size_t n_instance_ids;
    const struct sps_aws_ec2_filter *filters;
    size_t n_filters;
    int max_results; /* page size when no IDs are given; 0: 1000 */
};
/* One call's query; the caller keeps IDs to at most SPS_AWS_EC2_MAX_INSTANCE_IDS. */
void sps_aws_ec2_describe_instances_query(struct sps_query *q,
                                          const struct sps_aws_ec2_describe_instances_request *in);
/* Appends the page's instances (reservationSet flattened; each keeps its reservation id). */
SPS_NODISCARD sps_err sps_aws_ec2_parse_describe_instances(const struct sps_xml_node *result,
                                                           struct sps_aws_ec2_instances *out);
/* Splits the IDs into calls of at most 1000 and follows every page. */
SPS_NODISCARD sps_err sps_aws_ec2_describe_instances(
    struct sps_aws_client *c, const struct sps_aws_ec2_describe_instances_request *in,
    struct sps_aws_ec2_instances *out, struct sps_aws_error *aws_err);

/* ---- DescribeInstanceStatus -------------------------------------------------------------- */

struct sps_aws_ec2_status_event {
    char *code; /* "instance-retirement", "system-reboot", ... */
    char *description;
    int64_t not_before_ms; /* 0: absent */
};

struct sps_aws_ec2_instance_status {
    char *instance_id;
    char *availability_zone;
    char *state_name;
    int64_t state_code;
    char *instance_status; /* ok | impaired | initializing | insufficient-data | not-applicable */
    char *system_status;
    struct sps_aws_ec2_status_event *events;
    size_t n_events;
};
struct sps_aws_ec2_instance_statuses {
    struct sps_aws_ec2_instance_status *items;
    size_t count, cap;
};
void sps_aws_ec2_instance_statuses_clean_up(struct sps_aws_ec2_instance_statuses *l);

/* IncludeAllInstances=true; the caller keeps IDs to at most SPS_AWS_EC2_MAX_STATUS_IDS. */
void sps_aws_ec2_describe_instance_status_query(struct sps_query *q,
                                                const char *const *instance_ids, size_t n);
SPS_NODISCARD sps_err sps_aws_ec2_parse_describe_instance_status(
    const struct sps_xml_node *result, struct sps_aws_ec2_instance_statuses *out);
/* Batches of 100 IDs. */
SPS_NODISCARD sps_err sps_aws_ec2_describe_instance_status(
    struct sps_aws_client *c, const char *const *instance_ids, size_t n,
    struct sps_aws_ec2_instance_statuses *out, struct sps_aws_error *aws_err);

/* ---- DescribeImages ---------------------------------------------------------------------- */

struct sps_aws_ec2_image {
    char *image_id;
    char *name;
    char *state;
    char *architecture;
    char *virtualization_type;
    char *platform;
    char *platform_details;
    char *usage_operation;
    bool ena_support;
    char *sriov_net_support;
    char *root_device_type;
    char *root_device_name;
    char *boot_mode;
    struct sps_aws_ec2_block_device_mapping *block_devices;
    size_t n_block_devices;
};
struct sps_aws_ec2_images {
    struct sps_aws_ec2_image *items;
    size_t count, cap;
};
void sps_aws_ec2_images_clean_up(struct sps_aws_ec2_images *l);
void sps_aws_ec2_describe_images_query(struct sps_query *q, const char *const *image_ids, size_t n);
SPS_NODISCARD sps_err sps_aws_ec2_parse_describe_images(const struct sps_xml_node *result,
                                                        struct sps_aws_ec2_images *out);
SPS_NODISCARD sps_err sps_aws_ec2_describe_images(struct sps_aws_client *c,
                                                  const char *const *image_ids, size_t n,
                                                  struct sps_aws_ec2_images *out,
                                                  struct sps_aws_error *aws_err);

/* ---- DescribeSubnets --------------------------------------------------------------------- */

struct sps_aws_ec2_subnet {
    char *subnet_id;
    char *availability_zone;
    char *availability_zone_id;
    char *vpc_id;
    bool map_public_ip_on_launch;
    int64_t available_ip_count;
};
struct sps_aws_ec2_subnets {
    struct sps_aws_ec2_subnet *items;
    size_t count, cap;
};
void sps_aws_ec2_subnets_clean_up(struct sps_aws_ec2_subnets *l);

struct sps_aws_ec2_describe_subnets_request {
    const char *const *subnet_ids;
    size_t n_subnet_ids;
    const struct sps_aws_ec2_filter *filters;
    size_t n_filters;
};
void sps_aws_ec2_describe_subnets_query(struct sps_query *q,
                                        const struct sps_aws_ec2_describe_subnets_request *in);
SPS_NODISCARD sps_err sps_aws_ec2_parse_describe_subnets(const struct sps_xml_node *result,
                                                         struct sps_aws_ec2_subnets *out);
SPS_NODISCARD sps_err sps_aws_ec2_describe_subnets(
    struct sps_aws_client *c, const struct sps_aws_ec2_describe_subnets_request *in,
    struct sps_aws_ec2_subnets *out, struct sps_aws_error *aws_err);

/* ---- DescribeLaunchTemplates / DescribeLaunchTemplateVersions ---------------------------- */

struct sps_aws_ec2_launch_template {
    char *template_id;
    char *template_name;
    int64_t default_version;
    int64_t latest_version;
    struct sps_aws_tags tags;
};
struct sps_aws_ec2_launch_templates {
    struct sps_aws_ec2_launch_template *items;
    size_t count, cap;
};
void sps_aws_ec2_launch_templates_clean_up(struct sps_aws_ec2_launch_templates *l);

/* By IDs or by names (AWS refuses both in one call). */
struct sps_aws_ec2_describe_launch_templates_request {
    const char *const *template_ids;
    size_t n_template_ids;
    const char *const *template_names;
    size_t n_template_names;
};
void sps_aws_ec2_describe_launch_templates_query(
    struct sps_query *q, const struct sps_aws_ec2_describe_launch_templates_request *in);
SPS_NODISCARD sps_err sps_aws_ec2_parse_describe_launch_templates(
    const struct sps_xml_node *result, struct sps_aws_ec2_launch_templates *out);
SPS_NODISCARD sps_err sps_aws_ec2_describe_launch_templates(
    struct sps_aws_client *c, const struct sps_aws_ec2_describe_launch_templates_request *in,
    struct sps_aws_ec2_launch_templates *out, struct sps_aws_error *aws_err);

struct sps_aws_ec2_lt_network_interface {
    int64_t device_index;
    char *subnet_id;
    char *network_interface_id;
    enum sps_aws_ec2_tristate associate_public_ip;
    enum sps_aws_ec2_tristate delete_on_termination;
    struct sps_aws_strings groups;
};

struct sps_aws_ec2_tag_specification {
    char *resource_type; /* "instance", "volume", ... */
    struct sps_aws_tags tags;
};

/* The launch template data fields a launch cares about. */
struct sps_aws_ec2_launch_template_data {
    char *image_id;
    char *instance_type;
    char *key_name;
    struct sps_aws_strings security_group_ids;
    struct sps_aws_strings security_group_names;
    char *iam_instance_profile_arn;
    char *iam_instance_profile_name;
    bool has_user_data;
    size_t user_data_length; /* of the base64 text */
    struct sps_aws_ec2_block_device_mapping *block_devices;
    size_t n_block_devices;
    struct sps_aws_ec2_lt_network_interface *network_interfaces;
    size_t n_network_interfaces;
    char *placement_availability_zone;
    char *placement_tenancy;
    char *placement_group_name;
    struct sps_aws_ec2_metadata_options metadata_options;
    enum sps_aws_ec2_tristate monitoring;
    enum sps_aws_ec2_tristate ebs_optimized;
    char *market_type; /* "spot" or "" */
    char *spot_max_price;
    char *spot_instance_type;
    char *spot_interruption_behavior;
    struct sps_aws_ec2_tag_specification *tag_specifications;
    size_t n_tag_specifications;
    char *cpu_credits; /* credit specification: "standard" | "unlimited" | "" */
    bool has_instance_requirements;
};

struct sps_aws_ec2_launch_template_version {
    char *template_id;
    char *template_name;
    int64_t version_number;
    bool default_version;
    struct sps_aws_ec2_launch_template_data data;
};
struct sps_aws_ec2_launch_template_versions {
    struct sps_aws_ec2_launch_template_version *items;
    size_t count, cap;
};
void sps_aws_ec2_launch_template_versions_clean_up(struct sps_aws_ec2_launch_template_versions *l);

/* Template by ID or name; versions are numbers, "$Default" or "$Latest" (none: all versions). */
struct sps_aws_ec2_describe_launch_template_versions_request {
    const char *template_id;
    const char *template_name;
    const char *const *versions;
    size_t n_versions;
};
void sps_aws_ec2_describe_launch_template_versions_query(
    struct sps_query *q, const struct sps_aws_ec2_describe_launch_template_versions_request *in);
SPS_NODISCARD sps_err sps_aws_ec2_parse_describe_launch_template_versions(
    const struct sps_xml_node *result, struct sps_aws_ec2_launch_template_versions *out);
SPS_NODISCARD sps_err sps_aws_ec2_describe_launch_template_versions(
    struct sps_aws_client *c,
    const struct sps_aws_ec2_describe_launch_template_versions_request *in,
    struct sps_aws_ec2_launch_template_versions *out, struct sps_aws_error *aws_err);

/* ---- DescribeInstanceTypes / DescribeInstanceTypeOfferings ------------------------------- */

struct sps_aws_ec2_disk {
    int64_t count;
    int64_t size_gb;
    char *type; /* "ssd" | "hdd" */
};

struct sps_aws_ec2_gpu {
    int64_t count;
    char *name;
    char *manufacturer;
    int64_t memory_mib; /* each */
};

struct sps_aws_ec2_instance_type_info {
    char *instance_type;
    bool current_generation;
    struct sps_aws_strings usage_classes; /* "on-demand", "spot" */
    struct sps_aws_strings root_device_types;
    struct sps_aws_strings virtualization_types;
    bool bare_metal;
    char *hypervisor; /* "nitro" | "xen" | "" (bare metal) */
    struct sps_aws_strings architectures;
    int64_t default_vcpus;
    int64_t memory_mib;
    bool instance_storage_supported;
    int64_t instance_storage_total_gb;
    struct sps_aws_ec2_disk *disks;
    size_t n_disks;
    char *instance_storage_nvme; /* "required" | "supported" | "unsupported" | "" */
    char *ebs_optimized_support; /* "default" | "supported" | "unsupported" */
    char *ebs_nvme;              /* "required" | "supported" | "unsupported" */
    char *network_performance;
    char *ena_support; /* "required" | "supported" | "unsupported" */
    struct sps_aws_ec2_gpu *gpus;
    size_t n_gpus;
    int64_t total_gpu_memory_mib;
    bool burstable_performance;
    int64_t fpga_count;
    int64_t inference_accelerator_count;
    int64_t neuron_count; /* neuronInfo (newer API models); 0 when absent */
};
struct sps_aws_ec2_instance_type_infos {
    struct sps_aws_ec2_instance_type_info *items;
    size_t count, cap;
};
void sps_aws_ec2_instance_type_infos_clean_up(struct sps_aws_ec2_instance_type_infos *l);
bool sps_aws_ec2_instance_type_supports_spot(const struct sps_aws_ec2_instance_type_info *t);

struct sps_aws_ec2_describe_instance_types_request {
    const char *const *instance_types;
    size_t n_instance_types;
    const struct sps_aws_ec2_filter *filters;
    size_t n_filters;
};
/* MaxResults=100 when no types are listed; the caller keeps types to at most 100. */
void sps_aws_ec2_describe_instance_types_query(
    struct sps_query *q, const struct sps_aws_ec2_describe_instance_types_request *in);
SPS_NODISCARD sps_err sps_aws_ec2_parse_describe_instance_types(
    const struct sps_xml_node *result, struct sps_aws_ec2_instance_type_infos *out);
SPS_NODISCARD sps_err sps_aws_ec2_describe_instance_types(
    struct sps_aws_client *c, const struct sps_aws_ec2_describe_instance_types_request *in,
    struct sps_aws_ec2_instance_type_infos *out, struct sps_aws_error *aws_err);

struct sps_aws_ec2_type_offering {
    char *instance_type;
    char *location;
};
struct sps_aws_ec2_type_offerings {
    struct sps_aws_ec2_type_offering *items;
    size_t count, cap;
};
void sps_aws_ec2_type_offerings_clean_up(struct sps_aws_ec2_type_offerings *l);

struct sps_aws_ec2_describe_type_offerings_request {
    const char *location_type; /* "availability-zone" | "region" | "availability-zone-id" */
    const struct sps_aws_ec2_filter *filters; /* "location", "instance-type" */
    size_t n_filters;
};
void sps_aws_ec2_describe_instance_type_offerings_query(
    struct sps_query *q, const struct sps_aws_ec2_describe_type_offerings_request *in);
SPS_NODISCARD sps_err sps_aws_ec2_parse_describe_instance_type_offerings(
    const struct sps_xml_node *result, struct sps_aws_ec2_type_offerings *out);
SPS_NODISCARD sps_err sps_aws_ec2_describe_instance_type_offerings(
    struct sps_aws_client *c, const struct sps_aws_ec2_describe_type_offerings_request *in,
    struct sps_aws_ec2_type_offerings *out, struct sps_aws_error *aws_err);

/* ---- RunInstances ------------------------------------------------------------------------ */

/*
 * One instance (MinCount = MaxCount = 1), in one of two forms:
 * (a) attributes (image_id set): ImageId, InstanceType, KeyName, UserData, IamInstanceProfile,
 *     BlockDeviceMapping, EbsOptimized, Monitoring, MetadataOptions, Placement, and either
 *     SubnetId + SecurityGroupId.N or, when associate_public_ip is given, NetworkInterface.1
 *     (DeviceIndex 0, SubnetId, AssociatePublicIpAddress, SecurityGroupId.N,
 *     DeleteOnTermination) - AWS refuses SubnetId/SecurityGroupIds next to a NetworkInterface;
 * (b) a launch template (template_id or template_name + version) with the InstanceType and
 *     SubnetId overrides; when the template defines network interfaces
 *     (template_has_network_interfaces), the subnet (and groups, public IP) go into a
 *     NetworkInterface.1 override with DeviceIndex 0 instead, as the AWS docs require.
 * Both: spot market options (one-time, terminate; MaxPrice when given), instance and volume
 * TagSpecifications, and ClientToken (required: a retried call does not launch twice).
 */
struct sps_aws_ec2_run_request {
    const char *client_token;
    /* form (b) */
    const char *launch_template_id;
    const char *launch_template_name;
    const char *launch_template_version; /* NULL: the template's default */
    bool template_has_network_interfaces;
    /* form (a); instance_type and subnet_id are also the template overrides */
    const char *image_id;
    const char *instance_type;
    const char *key_name;
    const char *const *security_group_ids;
    size_t n_security_group_ids;
    const char *user_data_base64; /* as a launch configuration stores it */
    const char *iam_instance_profile_arn;
    const char *iam_instance_profile_name; /* used when no ARN */
    const struct sps_aws_ec2_block_device_mapping *block_devices;
    size_t n_block_devices;
    enum sps_aws_ec2_tristate ebs_optimized;
    enum sps_aws_ec2_tristate monitoring;
    const char *http_tokens;
    int64_t http_hop_limit; /* 0: not sent */
    const char *http_endpoint;
    const char *instance_metadata_tags;
    const char *placement_tenancy;
    const char *availability_zone;
    const char *subnet_id;
    enum sps_aws_ec2_tristate associate_public_ip;
    /* market */
    bool spot;
    const char *spot_max_price; /* decimal string, NULL: capped at on-demand by AWS */
    const struct sps_aws_tags *instance_tags;
    const struct sps_aws_tags *volume_tags;
};
/* SPS_ERR_INVALID_ARGUMENT (logged) when the request is not one of the two forms, or lacks a
 * client token or instance type (attributes form). */
SPS_NODISCARD sps_err sps_aws_ec2_run_request_check(const struct sps_aws_ec2_run_request *in);
void sps_aws_ec2_run_instances_query(struct sps_query *q, const struct sps_aws_ec2_run_request *in);

struct sps_aws_ec2_reservation {
    char *reservation_id;
    struct sps_aws_ec2_instances instances;
};
void sps_aws_ec2_reservation_clean_up(struct sps_aws_ec2_reservation *r);
SPS_NODISCARD sps_err sps_aws_ec2_parse_run_instances(const struct sps_xml_node *result,
                                                      struct sps_aws_ec2_reservation *out);
SPS_NODISCARD sps_err sps_aws_ec2_run_instances(struct sps_aws_client *c,
                                                const struct sps_aws_ec2_run_request *in,
                                                struct sps_aws_ec2_reservation *out,
                                                struct sps_aws_error *aws_err);

/* ---- TerminateInstances, CreateTags, DeleteTags, DescribeTags ---------------------------- */

struct sps_aws_ec2_state_change {
    char *instance_id;
    char *previous_state;
    int64_t previous_code;
    char *current_state;
    int64_t current_code;
};
struct sps_aws_ec2_state_changes {
    struct sps_aws_ec2_state_change *items;
    size_t count, cap;
};
void sps_aws_ec2_state_changes_clean_up(struct sps_aws_ec2_state_changes *l);
void sps_aws_ec2_terminate_instances_query(struct sps_query *q, const char *const *instance_ids,
                                           size_t n);
SPS_NODISCARD sps_err sps_aws_ec2_parse_terminate_instances(const struct sps_xml_node *result,
                                                            struct sps_aws_ec2_state_changes *out);
SPS_NODISCARD sps_err sps_aws_ec2_terminate_instances(struct sps_aws_client *c,
                                                      const char *const *instance_ids, size_t n,
                                                      struct sps_aws_ec2_state_changes *out,
                                                      struct sps_aws_error *aws_err);

void sps_aws_ec2_create_tags_query(struct sps_query *q, const char *const *resource_ids, size_t n,
                                   const struct sps_aws_tags *tags);
SPS_NODISCARD sps_err sps_aws_ec2_create_tags(struct sps_aws_client *c,
                                              const char *const *resource_ids, size_t n,
                                              const struct sps_aws_tags *tags,
                                              struct sps_aws_error *aws_err);
/* Deletes the keys whatever their values (no Tag.N.Value sent). */
void sps_aws_ec2_delete_tags_query(struct sps_query *q, const char *const *resource_ids, size_t n,
                                   const char *const *keys, size_t n_keys);
SPS_NODISCARD sps_err sps_aws_ec2_delete_tags(struct sps_aws_client *c,
                                              const char *const *resource_ids, size_t n,
                                              const char *const *keys, size_t n_keys,
                                              struct sps_aws_error *aws_err);

struct sps_aws_ec2_tag_description {
    char *resource_id;
    char *resource_type;
    char *key;
    char *value;
};
struct sps_aws_ec2_tag_descriptions {
    struct sps_aws_ec2_tag_description *items;
    size_t count, cap;
};
void sps_aws_ec2_tag_descriptions_clean_up(struct sps_aws_ec2_tag_descriptions *l);
void sps_aws_ec2_describe_tags_query(struct sps_query *q, const struct sps_aws_ec2_filter *filters,
                                     size_t n_filters);
SPS_NODISCARD sps_err sps_aws_ec2_parse_describe_tags(const struct sps_xml_node *result,
                                                      struct sps_aws_ec2_tag_descriptions *out);
SPS_NODISCARD sps_err sps_aws_ec2_describe_tags(struct sps_aws_client *c,
                                                const struct sps_aws_ec2_filter *filters,
                                                size_t n_filters,
                                                struct sps_aws_ec2_tag_descriptions *out,
                                                struct sps_aws_error *aws_err);

#endif
