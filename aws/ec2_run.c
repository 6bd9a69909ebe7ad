/* RunInstances: the request builder for the two kinds of launch the engine makes (explicit
 * attributes from a launch configuration, or a launch template with overrides) and the call.
 * The result is parsed in ec2_instances.c like DescribeInstances. */
#include "ec2_internal.h"

#include <stdio.h>
#include <string.h>

static bool s_set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static void s_set_opt(struct sps_query *q, const char *key, const char *value)
{
    if (s_set(value))
        sps_query_set(q, key, value);
}

static void s_set_tristate(struct sps_query *q, const char *key, enum sps_aws_ec2_tristate v)
{
    if (v != SPS_AWS_EC2_UNSET)
        sps_ec2_query_bool(q, key, v == SPS_AWS_EC2_TRUE);
}

static sps_err s_invalid(const char *why)
{
    sps_log(SPS_LOG_DEBUG, "RunInstances request is invalid", "reason", why, NULL);
    return SPS_ERR_INVALID_ARGUMENT;
}

sps_err sps_aws_ec2_run_request_check(const struct sps_aws_ec2_run_request *in)
{
    bool template = s_set(in->launch_template_id) || s_set(in->launch_template_name);
    if (!s_set(in->client_token))
        return s_invalid("no client token");
    if (strlen(in->client_token) > 64)
        return s_invalid("client token longer than 64 characters");
    if (s_set(in->launch_template_id) && s_set(in->launch_template_name))
        return s_invalid("both launch template id and name");
    if (template == s_set(in->image_id))
        return s_invalid("exactly one of image id and launch template is needed");
    if (!template && !s_set(in->instance_type))
        return s_invalid("no instance type");
    return SPS_OK;
}

static void s_block_device(struct sps_query *q, size_t n,
                           const struct sps_aws_ec2_block_device_mapping *m)
{
    char key[96];
    snprintf(key, sizeof(key), "BlockDeviceMapping.%zu.", n);
    sps_query_setf(q, m->device_name, "%sDeviceName", key);
    if (s_set(m->virtual_name))
        sps_query_setf(q, m->virtual_name, "%sVirtualName", key);
    if (m->no_device) {
        /* NoDevice is a string member that AWS wants present and empty */
        sps_query_setf(q, "", "%sNoDevice", key);
        return;
    }
    if (!m->has_ebs)
        return;
    const struct sps_aws_ec2_ebs *e = &m->ebs;
    char num[24];
    if (s_set(e->snapshot_id))
        sps_query_setf(q, e->snapshot_id, "%sEbs.SnapshotId", key);
    if (e->volume_size_gib > 0) {
        snprintf(num, sizeof(num), "%lld", (long long)e->volume_size_gib);
        sps_query_setf(q, num, "%sEbs.VolumeSize", key);
    }
    if (s_set(e->volume_type))
        sps_query_setf(q, e->volume_type, "%sEbs.VolumeType", key);
    if (e->iops > 0) {
        snprintf(num, sizeof(num), "%lld", (long long)e->iops);
        sps_query_setf(q, num, "%sEbs.Iops", key);
    }
    if (e->throughput > 0) {
        snprintf(num, sizeof(num), "%lld", (long long)e->throughput);
        sps_query_setf(q, num, "%sEbs.Throughput", key);
    }
    if (s_set(e->kms_key_id))
        sps_query_setf(q, e->kms_key_id, "%sEbs.KmsKeyId", key);
    if (e->encrypted != SPS_AWS_EC2_UNSET)
        sps_query_setf(q, e->encrypted == SPS_AWS_EC2_TRUE ? "true" : "false", "%sEbs.Encrypted",
                       key);
    if (e->delete_on_termination != SPS_AWS_EC2_UNSET)
        sps_query_setf(q, e->delete_on_termination == SPS_AWS_EC2_TRUE ? "true" : "false",
                       "%sEbs.DeleteOnTermination", key);
}

static void s_attributes(struct sps_query *q, const struct sps_aws_ec2_run_request *in)
{
    s_set_opt(q, "ImageId", in->image_id);
    s_set_opt(q, "KeyName", in->key_name);
    s_set_opt(q, "UserData", in->user_data_base64);
    if (s_set(in->iam_instance_profile_arn))
        sps_query_set(q, "IamInstanceProfile.Arn", in->iam_instance_profile_arn);
    else
        s_set_opt(q, "IamInstanceProfile.Name", in->iam_instance_profile_name);
    for (size_t i = 0; i < in->n_block_devices; i++)
        s_block_device(q, i + 1, &in->block_devices[i]);
    s_set_tristate(q, "EbsOptimized", in->ebs_optimized);
    s_set_tristate(q, "Monitoring.Enabled", in->monitoring);
    s_set_opt(q, "MetadataOptions.HttpTokens", in->http_tokens);
    if (in->http_hop_limit > 0)
        sps_ec2_query_i64(q, "MetadataOptions.HttpPutResponseHopLimit", in->http_hop_limit);
    s_set_opt(q, "MetadataOptions.HttpEndpoint", in->http_endpoint);
    s_set_opt(q, "MetadataOptions.InstanceMetadataTags", in->instance_metadata_tags);
    s_set_opt(q, "Placement.Tenancy", in->placement_tenancy);
}

/* Either SubnetId + SecurityGroupId.N, or everything inside NetworkInterface.1: AWS refuses the
 * top-level ones next to a network interface specification. */
static void s_network(struct sps_query *q, const struct sps_aws_ec2_run_request *in, bool template)
{
    bool interface = in->associate_public_ip != SPS_AWS_EC2_UNSET ||
                     (template && in->template_has_network_interfaces);
    if (!interface) {
        s_set_opt(q, "SubnetId", in->subnet_id);
        sps_query_set_list(q, "SecurityGroupId", false, in->security_group_ids,
                           in->n_security_group_ids);
        return;
    }
    sps_query_set(q, "NetworkInterface.1.DeviceIndex", "0");
    s_set_opt(q, "NetworkInterface.1.SubnetId", in->subnet_id);
    s_set_tristate(q, "NetworkInterface.1.AssociatePublicIpAddress", in->associate_public_ip);
    sps_query_set_list(q, "NetworkInterface.1.SecurityGroupId", false, in->security_group_ids,
                       in->n_security_group_ids);
    if (!template)
        sps_query_set(q, "NetworkInterface.1.DeleteOnTermination", "true");
}

static void s_tags(struct sps_query *q, const struct sps_aws_ec2_run_request *in)
{
    size_t n = 0;
    const struct sps_aws_tags *lists[] = {in->instance_tags, in->volume_tags};
    const char *types[] = {"instance", "volume"};
    for (size_t i = 0; i < 2; i++) {
        if (lists[i] == NULL || lists[i]->count == 0)
            continue;
        n++;
        char prefix[48];
        snprintf(prefix, sizeof(prefix), "TagSpecification.%zu.Tag", n);
        sps_query_setf(q, types[i], "TagSpecification.%zu.ResourceType", n);
        sps_ec2_query_tags(q, prefix, lists[i]);
    }
}

void sps_aws_ec2_run_instances_query(struct sps_query *q, const struct sps_aws_ec2_run_request *in)
{
    sps_ec2_query_init(q, "RunInstances");
    bool template = s_set(in->launch_template_id) || s_set(in->launch_template_name);
    if (template) {
        if (s_set(in->launch_template_id))
            sps_query_set(q, "LaunchTemplate.LaunchTemplateId", in->launch_template_id);
        else
            sps_query_set(q, "LaunchTemplate.LaunchTemplateName", in->launch_template_name);
        s_set_opt(q, "LaunchTemplate.Version", in->launch_template_version);
    } else {
        s_attributes(q, in);
    }
    s_set_opt(q, "InstanceType", in->instance_type);
    s_set_opt(q, "Placement.AvailabilityZone", in->availability_zone);
    s_network(q, in, template);
    if (in->spot) {
        sps_query_set(q, "InstanceMarketOptions.MarketType", "spot");
        s_set_opt(q, "InstanceMarketOptions.SpotOptions.MaxPrice", in->spot_max_price);
        sps_query_set(q, "InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time");
        sps_query_set(q, "InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior",
                      "terminate");
    }
    s_tags(q, in);
    sps_query_set(q, "MinCount", "1");
    sps_query_set(q, "MaxCount", "1");
    s_set_opt(q, "ClientToken", in->client_token);
}

static sps_err s_parse_run(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_run_instances(result, out);
}

sps_err sps_aws_ec2_run_instances(struct sps_aws_client *c,
                                  const struct sps_aws_ec2_run_request *in,
                                  struct sps_aws_ec2_reservation *out,
                                  struct sps_aws_error *aws_err)
{
    if (aws_err)
        sps_aws_error_clear(aws_err);
    SPS_TRY(sps_aws_ec2_run_request_check(in));
    struct sps_query q;
    sps_aws_ec2_run_instances_query(&q, in);
    sps_err err = sps_ec2_call(c, &q, s_parse_run, out, aws_err);
    sps_query_clean_up(&q);
    return err;
}
