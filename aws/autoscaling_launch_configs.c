/*
 * DescribeLaunchConfigurations: everything a replacement instance has to copy from a group's
 * launch configuration (image, type, key, security groups, user data, block devices, IMDS
 * options, ...). Name lists are split into batches of 50 (the API's limit), each paginated.
 */
#include "autoscaling_internal.h"

#include <string.h>

static void s_block_device_clean_up(struct sps_aws_asg_block_device *b)
{
    sps_free(b->device_name);
    sps_free(b->virtual_name);
    sps_free(b->ebs.snapshot_id);
    sps_free(b->ebs.volume_type);
}

void sps_aws_asg_launch_configuration_clean_up(struct sps_aws_asg_launch_configuration *lc)
{
    if (lc == NULL)
        return;
    sps_free(lc->name);
    sps_free(lc->arn);
    sps_free(lc->image_id);
    sps_free(lc->key_name);
    sps_aws_strings_clean_up(&lc->security_groups);
    sps_free(lc->user_data);
    sps_free(lc->instance_type);
    sps_free(lc->kernel_id);
    sps_free(lc->ramdisk_id);
    for (size_t i = 0; i < lc->block_device_count; i++)
        s_block_device_clean_up(&lc->block_devices[i]);
    sps_free(lc->block_devices);
    sps_free(lc->iam_instance_profile);
    sps_free(lc->placement_tenancy);
    sps_free(lc->metadata_http_tokens);
    sps_free(lc->metadata_http_endpoint);
    memset(lc, 0, sizeof(*lc));
}

void sps_aws_asg_launch_configurations_init(struct sps_aws_asg_launch_configurations *l)
{
    memset(l, 0, sizeof(*l));
}

void sps_aws_asg_launch_configurations_clean_up(struct sps_aws_asg_launch_configurations *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->count; i++)
        sps_aws_asg_launch_configuration_clean_up(&l->items[i]);
    sps_free(l->items);
    sps_free(l->next_token);
    sps_aws_asg_launch_configurations_init(l);
}

const struct sps_aws_asg_launch_configuration *
sps_aws_asg_launch_configurations_find(const struct sps_aws_asg_launch_configurations *l,
                                       const char *name)
{
    for (size_t i = 0; l != NULL && name != NULL && i < l->count; i++) {
        if (strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    }
    return NULL;
}

static sps_err s_read_ebs(const struct sps_xml_node *n, struct sps_aws_asg_ebs *e)
{
    static const char shape[] = "Ebs";
    sps_asg_opt_str(n, "SnapshotId", &e->snapshot_id);
    sps_asg_opt_str(n, "VolumeType", &e->volume_type);
    SPS_TRY(sps_asg_opt_i64(n, shape, "VolumeSize", &e->volume_size, NULL));
    SPS_TRY(sps_asg_opt_i64(n, shape, "Iops", &e->iops, NULL));
    SPS_TRY(sps_asg_opt_i64(n, shape, "Throughput", &e->throughput, NULL));
    SPS_TRY(sps_asg_opt_tristate(n, shape, "DeleteOnTermination", &e->delete_on_termination));
    return sps_asg_opt_tristate(n, shape, "Encrypted", &e->encrypted);
}

static sps_err s_read_block_device(const struct sps_xml_node *n, struct sps_aws_asg_block_device *b)
{
    static const char shape[] = "BlockDeviceMapping";
    SPS_TRY(sps_asg_need_str(n, shape, "DeviceName", &b->device_name));
    sps_asg_opt_str(n, "VirtualName", &b->virtual_name);
    SPS_TRY(sps_asg_opt_bool(n, shape, "NoDevice", &b->no_device));
    const struct sps_xml_node *ebs = sps_xml_child(n, "Ebs");
    b->has_ebs = ebs != NULL;
    return ebs != NULL ? s_read_ebs(ebs, &b->ebs) : SPS_OK;
}

static sps_err s_read_block_devices(const struct sps_xml_node *list,
                                    struct sps_aws_asg_launch_configuration *lc)
{
    size_t cap = 0;
    for (const struct sps_xml_node *m = sps_asg_first(list); m; m = sps_asg_next(m)) {
        lc->block_devices = sps_asg_grow(lc->block_devices, &cap, lc->block_device_count,
                                         sizeof(lc->block_devices[0]));
        struct sps_aws_asg_block_device *b = &lc->block_devices[lc->block_device_count++];
        memset(b, 0, sizeof(*b));
        SPS_TRY(s_read_block_device(m, b));
    }
    return SPS_OK;
}

static sps_err s_read_options(const struct sps_xml_node *n,
                              struct sps_aws_asg_launch_configuration *lc)
{
    static const char shape[] = "LaunchConfiguration";
    SPS_TRY(sps_asg_opt_tristate(n, shape, "InstanceMonitoring/Enabled", &lc->instance_monitoring));
    SPS_TRY(sps_asg_opt_double(n, shape, "SpotPrice", &lc->spot_price, &lc->has_spot_price));
    SPS_TRY(sps_asg_opt_bool(n, shape, "EbsOptimized", &lc->ebs_optimized));
    SPS_TRY(sps_asg_opt_tristate(n, shape, "AssociatePublicIpAddress",
                                 &lc->associate_public_ip_address));
    const struct sps_xml_node *md = sps_xml_child(n, "MetadataOptions");
    sps_asg_opt_str(md, "HttpTokens", &lc->metadata_http_tokens);
    sps_asg_opt_str(md, "HttpEndpoint", &lc->metadata_http_endpoint);
    return sps_asg_opt_i64(md, "InstanceMetadataOptions", "HttpPutResponseHopLimit",
                           &lc->metadata_hop_limit, NULL);
}

static sps_err s_read_launch_configuration(const struct sps_xml_node *n,
                                           struct sps_aws_asg_launch_configuration *lc)
{
    static const char shape[] = "LaunchConfiguration";
    SPS_TRY(sps_asg_need_str(n, shape, "LaunchConfigurationName", &lc->name));
    SPS_TRY(sps_asg_need_str(n, shape, "ImageId", &lc->image_id));
    SPS_TRY(sps_asg_need_str(n, shape, "InstanceType", &lc->instance_type));
    SPS_TRY(sps_asg_need_time(n, shape, "CreatedTime", &lc->created_time));
    sps_asg_opt_str(n, "LaunchConfigurationARN", &lc->arn);
    sps_asg_opt_str(n, "KeyName", &lc->key_name);
    sps_asg_strings(n, "SecurityGroups", &lc->security_groups);
    sps_asg_opt_str(n, "UserData", &lc->user_data);
    sps_asg_opt_str(n, "KernelId", &lc->kernel_id);
    sps_asg_opt_str(n, "RamdiskId", &lc->ramdisk_id);
    sps_asg_opt_str(n, "IamInstanceProfile", &lc->iam_instance_profile);
    sps_asg_opt_str(n, "PlacementTenancy", &lc->placement_tenancy);
    SPS_TRY(s_read_block_devices(sps_xml_child(n, "BlockDeviceMappings"), lc));
    return s_read_options(n, lc);
}

sps_err
sps_aws_asg_parse_describe_launch_configurations(const struct sps_xml_node *result,
                                                 struct sps_aws_asg_launch_configurations *out)
{
    const struct sps_xml_node *list = NULL;
    SPS_TRY(sps_asg_need_list(result, "DescribeLaunchConfigurationsResult", "LaunchConfigurations",
                              &list));
    for (const struct sps_xml_node *m = sps_asg_first(list); m; m = sps_asg_next(m)) {
        struct sps_aws_asg_launch_configuration lc = {0};
        sps_err err = s_read_launch_configuration(m, &lc);
        if (err != SPS_OK) {
            sps_aws_asg_launch_configuration_clean_up(&lc);
            return err;
        }
        out->items = sps_asg_grow(out->items, &out->cap, out->count, sizeof(out->items[0]));
        out->items[out->count++] = lc;
    }
    sps_asg_read_next_token(result, &out->next_token);
    return SPS_OK;
}

void sps_aws_asg_describe_launch_configurations_query(
    struct sps_query *q, const struct sps_aws_asg_describe_launch_configurations_input *in)
{
    sps_asg_query_init(q, "DescribeLaunchConfigurations");
    if (in->name_count > 0)
        sps_query_set_list(q, "LaunchConfigurationNames", true, in->names, in->name_count);
    sps_asg_query_set_i64(q, "MaxRecords",
                          in->max_records > 0 ? in->max_records : SPS_AWS_ASG_MAX_RECORDS);
    if (in->next_token != NULL && in->next_token[0] != '\0')
        sps_query_set(q, "NextToken", in->next_token);
}

static sps_err s_parse_page(const struct sps_xml_node *result, void *out)
{
    return sps_aws_asg_parse_describe_launch_configurations(result, out);
}

static void s_batch_query(struct sps_query *q, const void *in, const char *const *names,
                          size_t name_count)
{
    struct sps_aws_asg_describe_launch_configurations_input batch =
        *(const struct sps_aws_asg_describe_launch_configurations_input *)in;
    batch.names = names;
    batch.name_count = name_count;
    batch.next_token = NULL;
    sps_aws_asg_describe_launch_configurations_query(q, &batch);
}

sps_err sps_aws_asg_describe_launch_configurations(
    struct sps_aws_client *c, const struct sps_aws_asg_describe_launch_configurations_input *in,
    struct sps_aws_asg_launch_configurations *out, struct sps_aws_error *aws_err)
{
    sps_aws_asg_launch_configurations_init(out);
    if (aws_err != NULL)
        sps_aws_error_clear(aws_err);
    SPS_TRY(sps_asg_check(c, NULL, NULL));
    if (in == NULL || in->max_records < 0 || in->max_records > SPS_AWS_ASG_MAX_RECORDS ||
        (in->name_count > 0 && in->names == NULL)) {
        sps_log(SPS_LOG_DEBUG, "DescribeLaunchConfigurations input refused", "problem",
                "no input, names missing, or max_records not 0 (default) or 1-100", NULL);
        return SPS_ERR_INVALID_ARGUMENT;
    }
    sps_err err = sps_asg_describe_batched(c, in, in->names, in->name_count,
                                           SPS_AWS_ASG_MAX_LAUNCH_CONFIGURATION_NAMES,
                                           s_batch_query, s_parse_page, out, aws_err);
    sps_free(out->next_token);
    out->next_token = NULL;
    if (err != SPS_OK)
        sps_aws_asg_launch_configurations_clean_up(out);
    return err;
}
