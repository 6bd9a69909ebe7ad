/* sps_launch_request_build: turns a group, its on-demand instance and the group's launch
 * configuration or template version into the RunInstances request for one spot replacement.
 * Pure: no calls, no clock; the request points into the spec and into its own storage. */
#include "sps_launch.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static bool s_set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static sps_err s_invalid(const struct sps_launch_spec *spec, const char *why)
{
    const char *group = spec && spec->group && spec->group->name ? spec->group->name : "";
    const char *id =
        spec && spec->instance && spec->instance->instance_id ? spec->instance->instance_id : "";
    sps_log(SPS_LOG_WARN, "cannot build the spot launch", "group", group, "instance", id, "reason",
            why, NULL);
    return SPS_ERR_INVALID_ARGUMENT;
}

static enum sps_aws_ec2_tristate s_tri(enum sps_aws_asg_tristate t)
{
    switch (t) {
    case SPS_AWS_ASG_TRUE:
        return SPS_AWS_EC2_TRUE;
    case SPS_AWS_ASG_FALSE:
        return SPS_AWS_EC2_FALSE;
    default:
        return SPS_AWS_EC2_UNSET;
    }
}

/* "0.096": up to 6 decimals, trailing zeros dropped. A price that rounds to 0 is refused. */
static sps_err s_format_price(const struct sps_launch_spec *spec, char out[32])
{
    double p = spec->max_price_usd;
    if (!isfinite(p) || p <= 0 || p >= 1e9)
        return s_invalid(spec, "max price must be a positive finite number of dollars per hour");
    int n = snprintf(out, 32, "%.6f", p);
    if (n <= 0 || n >= 32)
        return s_invalid(spec, "max price cannot be formatted");
    size_t len = (size_t)n;
    while (len > 0 && out[len - 1] == '0')
        len--;
    if (len > 0 && out[len - 1] == '.')
        len--;
    out[len] = '\0';
    if (strcmp(out, "0") == 0)
        return s_invalid(spec, "max price rounds to 0 at 6 decimals");
    return SPS_OK;
}

static bool s_copy_tag(const struct sps_aws_tag *t)
{
    return t->key != NULL && t->key[0] != '\0' && strncmp(t->key, "aws:", 4) != 0;
}

/* Template tags of `type` first, then the group's propagate-at-launch tags over them, the way
 * Auto Scaling merges them (the group wins), so the result does not depend on how RunInstances
 * merges a template's TagSpecifications with the request's. */
static void s_tags(struct sps_aws_tags *out, const struct sps_launch_spec *spec, const char *type)
{
    sps_aws_tags_init(out);
    const struct sps_aws_ec2_launch_template_version *tv = spec->source.template_version;
    for (size_t i = 0; tv && i < tv->data.n_tag_specifications; i++) {
        const struct sps_aws_ec2_tag_specification *ts = &tv->data.tag_specifications[i];
        if (ts->resource_type == NULL || strcmp(ts->resource_type, type) != 0)
            continue;
        for (size_t j = 0; j < ts->tags.count; j++)
            if (s_copy_tag(&ts->tags.items[j]))
                sps_aws_tags_set(out, ts->tags.items[j].key,
                                 ts->tags.items[j].value ? ts->tags.items[j].value : "", false);
    }
    const struct sps_aws_tags *g = &spec->group->tags;
    for (size_t i = 0; i < g->count; i++)
        if (g->items[i].propagate_at_launch && s_copy_tag(&g->items[i]))
            sps_aws_tags_set(out, g->items[i].key, g->items[i].value ? g->items[i].value : "",
                             false);
}

static void s_convert_block_device(struct sps_aws_ec2_block_device_mapping *out,
                                   const struct sps_aws_asg_block_device *in)
{
    out->device_name = sps_strdup(in->device_name);
    out->virtual_name = s_set(in->virtual_name) ? sps_strdup(in->virtual_name) : NULL;
    out->no_device = in->no_device;
    out->has_ebs = in->has_ebs;
    if (!in->has_ebs)
        return;
    out->ebs.snapshot_id = s_set(in->ebs.snapshot_id) ? sps_strdup(in->ebs.snapshot_id) : NULL;
    out->ebs.volume_size_gib = in->ebs.volume_size;
    out->ebs.volume_type = s_set(in->ebs.volume_type) ? sps_strdup(in->ebs.volume_type) : NULL;
    out->ebs.iops = in->ebs.iops;
    out->ebs.throughput = in->ebs.throughput;
    out->ebs.encrypted = s_tri(in->ebs.encrypted);
    out->ebs.delete_on_termination = s_tri(in->ebs.delete_on_termination);
}

static sps_err s_from_launch_configuration(struct sps_launch_request *r,
                                           const struct sps_launch_spec *spec)
{
    const struct sps_aws_asg_launch_configuration *lc = spec->source.launch_configuration;
    struct sps_aws_ec2_run_request *run = &r->run;
    if (!s_set(lc->image_id))
        return s_invalid(spec, "the launch configuration has no image id");
    for (size_t i = 0; i < lc->security_groups.count; i++) {
        const char *sg = lc->security_groups.items[i];
        if (sg == NULL || strncmp(sg, "sg-", 3) != 0) {
            sps_log(
                SPS_LOG_WARN,
                "cannot launch from a launch configuration naming security groups (EC2-Classic)",
                "group", spec->group->name, "launch_configuration", lc->name ? lc->name : "",
                "security_group", sg ? sg : "", NULL);
            return SPS_ERR_UNSUPPORTED;
        }
    }
    if (lc->security_groups.count > 0) {
        r->security_group_ids = sps_calloc(lc->security_groups.count, sizeof(char *));
        for (size_t i = 0; i < lc->security_groups.count; i++)
            r->security_group_ids[i] = lc->security_groups.items[i];
        r->security_group_count = lc->security_groups.count;
    }
    if (lc->block_device_count > 0) {
        r->block_devices = sps_calloc(lc->block_device_count, sizeof(*r->block_devices));
        r->block_device_count = lc->block_device_count;
        for (size_t i = 0; i < lc->block_device_count; i++)
            s_convert_block_device(&r->block_devices[i], &lc->block_devices[i]);
    }
    run->image_id = lc->image_id;
    run->key_name = lc->key_name;
    run->security_group_ids = r->security_group_ids;
    run->n_security_group_ids = r->security_group_count;
    run->user_data_base64 = lc->user_data;
    if (s_set(lc->iam_instance_profile)) {
        if (strncmp(lc->iam_instance_profile, "arn:", 4) == 0)
            run->iam_instance_profile_arn = lc->iam_instance_profile;
        else
            run->iam_instance_profile_name = lc->iam_instance_profile;
    }
    run->block_devices = r->block_devices;
    run->n_block_devices = r->block_device_count;
    run->ebs_optimized =
        lc->ebs_optimized || spec->ebs_optimized ? SPS_AWS_EC2_TRUE : SPS_AWS_EC2_UNSET;
    run->monitoring = s_tri(lc->instance_monitoring);
    run->http_tokens = lc->metadata_http_tokens;
    run->http_hop_limit = lc->metadata_hop_limit;
    run->http_endpoint = lc->metadata_http_endpoint;
    run->placement_tenancy = lc->placement_tenancy;
    run->associate_public_ip = s_tri(lc->associate_public_ip_address);
    return SPS_OK;
}

/* The template's primary interface (device index 0), whose groups and public IP choice must
 * travel with the subnet override. */
static const struct sps_aws_ec2_lt_network_interface *
s_primary_interface(const struct sps_aws_ec2_launch_template_data *d)
{
    for (size_t i = 0; i < d->n_network_interfaces; i++)
        if (d->network_interfaces[i].device_index == 0)
            return &d->network_interfaces[i];
    return NULL;
}

static sps_err s_from_template(struct sps_launch_request *r, const struct sps_launch_spec *spec)
{
    const struct sps_aws_ec2_launch_template_version *tv = spec->source.template_version;
    struct sps_aws_ec2_run_request *run = &r->run;
    if (s_set(tv->template_id))
        run->launch_template_id = tv->template_id;
    else if (s_set(tv->template_name))
        run->launch_template_name = tv->template_name;
    else
        return s_invalid(spec, "the launch template version names no template");
    if (!s_set(tv->data.image_id))
        return s_invalid(spec, "the launch template version has no image id");
    if (tv->version_number <= 0)
        return s_invalid(spec, "the launch template version has no version number");
    snprintf(r->template_version, sizeof(r->template_version), "%lld",
             (long long)tv->version_number);
    run->launch_template_version = r->template_version;
    run->template_has_network_interfaces = tv->data.n_network_interfaces > 0;
    const struct sps_aws_ec2_lt_network_interface *ni = s_primary_interface(&tv->data);
    if (run->template_has_network_interfaces && ni != NULL) {
        if (ni->groups.count > 0) {
            r->security_group_ids = sps_calloc(ni->groups.count, sizeof(char *));
            for (size_t i = 0; i < ni->groups.count; i++)
                r->security_group_ids[i] = ni->groups.items[i];
            r->security_group_count = ni->groups.count;
        }
        run->security_group_ids = r->security_group_ids;
        run->n_security_group_ids = r->security_group_count;
        run->associate_public_ip = ni->associate_public_ip;
    }
    return SPS_OK; /* the template's own EBS optimization applies */
}

static sps_err s_check_spec(const struct sps_launch_spec *spec)
{
    if (spec->group == NULL || !s_set(spec->group->name))
        return s_invalid(spec, "no group");
    if (spec->instance == NULL || !s_set(spec->instance->instance_id))
        return s_invalid(spec, "no on-demand instance");
    bool lc = spec->source.launch_configuration != NULL;
    bool lt = spec->source.template_version != NULL;
    if (!lc && !lt)
        return s_invalid(spec, "no launch configuration or launch template version");
    if (lc && lt)
        return s_invalid(spec, "both a launch configuration and a launch template version");
    if (!s_set(spec->instance_type))
        return s_invalid(spec, "no instance type");
    if (!s_set(spec->client_token))
        return s_invalid(spec, "no client token");
    if (!s_set(spec->instance->availability_zone))
        return s_invalid(spec, "the on-demand instance has no availability zone");
    return SPS_OK;
}

sps_err sps_launch_request_build(struct sps_launch_request *out, const struct sps_launch_spec *spec)
{
    memset(out, 0, sizeof(*out));
    sps_aws_tags_init(&out->instance_tags);
    sps_aws_tags_init(&out->volume_tags);
    if (spec == NULL)
        return s_invalid(NULL, "no launch spec");
    sps_err err = s_check_spec(spec);
    if (err == SPS_OK)
        err = s_format_price(spec, out->max_price);
    if (err == SPS_OK)
        err = spec->source.launch_configuration ? s_from_launch_configuration(out, spec)
                                                : s_from_template(out, spec);
    if (err != SPS_OK) {
        sps_launch_request_clean_up(out);
        return err;
    }
    struct sps_aws_ec2_run_request *run = &out->run;
    run->client_token = spec->client_token;
    run->instance_type = spec->instance_type;
    run->availability_zone = spec->instance->availability_zone;
    run->subnet_id = s_set(spec->instance->subnet_id) ? spec->instance->subnet_id : NULL;
    run->spot = true;
    run->spot_max_price = out->max_price;

    s_tags(&out->instance_tags, spec, "instance");
    sps_aws_tags_set(&out->instance_tags, SPS_TAG_LAUNCHED_FOR_ASG, spec->group->name, false);
    sps_aws_tags_set(&out->instance_tags, SPS_TAG_REPLACES, spec->instance->instance_id, false);
    s_tags(&out->volume_tags, spec, "volume");
    run->instance_tags = &out->instance_tags;
    run->volume_tags = out->volume_tags.count > 0 ? &out->volume_tags : NULL;
    return SPS_OK;
}

void sps_launch_request_clean_up(struct sps_launch_request *r)
{
    if (r == NULL)
        return;
    sps_aws_tags_clean_up(&r->instance_tags);
    sps_aws_tags_clean_up(&r->volume_tags);
    for (size_t i = 0; i < r->block_device_count; i++)
        sps_aws_ec2_block_device_mapping_clean_up(&r->block_devices[i]);
    sps_free(r->block_devices);
    sps_free(r->security_group_ids);
    memset(r, 0, sizeof(*r));
}
