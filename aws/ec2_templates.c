/* DescribeLaunchTemplates and DescribeLaunchTemplateVersions: the launch template data a
 * replacement launch reads. */
#include "ec2_internal.h"

#include <string.h>

void sps_aws_ec2_launch_templates_clean_up(struct sps_aws_ec2_launch_templates *l)
{
    if (l == NULL)
        return;
    for (size_t k = 0; k < l->count; k++) {
        sps_free(l->items[k].template_id);
        sps_free(l->items[k].template_name);
        sps_aws_tags_clean_up(&l->items[k].tags);
    }
    sps_free(l->items);
    memset(l, 0, sizeof(*l));
}

void sps_aws_ec2_describe_launch_templates_query(
    struct sps_query *q, const struct sps_aws_ec2_describe_launch_templates_request *in)
{
    sps_ec2_query_init(q, "DescribeLaunchTemplates");
    sps_query_set_list(q, "LaunchTemplateId", false, in->template_ids, in->n_template_ids);
    sps_query_set_list(q, "LaunchTemplateName", false, in->template_names, in->n_template_names);
}

sps_err sps_aws_ec2_parse_describe_launch_templates(const struct sps_xml_node *result,
                                                    struct sps_aws_ec2_launch_templates *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "launchTemplates");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_launch_template *t = SPS_EC2_PUSH(out);
        SPS_TRY(sps_ec2_req_str(it, "launchTemplateId", &t->template_id));
        SPS_TRY(sps_ec2_req_str(it, "launchTemplateName", &t->template_name));
        SPS_TRY(sps_ec2_req_i64(it, "defaultVersionNumber", &t->default_version));
        SPS_TRY(sps_ec2_req_i64(it, "latestVersionNumber", &t->latest_version));
        SPS_TRY(sps_ec2_parse_tags(it, "tagSet", &t->tags));
    }
    return SPS_OK;
}

static sps_err s_parse_templates(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_launch_templates(result, out);
}

sps_err sps_aws_ec2_describe_launch_templates(
    struct sps_aws_client *c, const struct sps_aws_ec2_describe_launch_templates_request *in,
    struct sps_aws_ec2_launch_templates *out, struct sps_aws_error *aws_err)
{
    struct sps_query q;
    sps_aws_ec2_describe_launch_templates_query(&q, in);
    sps_err err = sps_ec2_paginate(c, &q, s_parse_templates, out, aws_err);
    sps_query_clean_up(&q);
    return err;
}

/* ---- versions ---- */

static void s_data_clean_up(struct sps_aws_ec2_launch_template_data *d)
{
    char *strings[] = {d->image_id,
                       d->instance_type,
                       d->key_name,
                       d->iam_instance_profile_arn,
                       d->iam_instance_profile_name,
                       d->placement_availability_zone,
                       d->placement_tenancy,
                       d->placement_group_name,
                       d->market_type,
                       d->spot_max_price,
                       d->spot_instance_type,
                       d->spot_interruption_behavior,
                       d->cpu_credits};
    for (size_t s = 0; s < sizeof(strings) / sizeof(strings[0]); s++)
        sps_free(strings[s]);
    sps_aws_strings_clean_up(&d->security_group_ids);
    sps_aws_strings_clean_up(&d->security_group_names);
    sps_ec2_free_bdms(d->block_devices, d->n_block_devices);
    for (size_t k = 0; k < d->n_network_interfaces; k++) {
        sps_free(d->network_interfaces[k].subnet_id);
        sps_free(d->network_interfaces[k].network_interface_id);
        sps_aws_strings_clean_up(&d->network_interfaces[k].groups);
    }
    sps_free(d->network_interfaces);
    for (size_t k = 0; k < d->n_tag_specifications; k++) {
        sps_free(d->tag_specifications[k].resource_type);
        sps_aws_tags_clean_up(&d->tag_specifications[k].tags);
    }
    sps_free(d->tag_specifications);
    sps_ec2_metadata_options_clean_up(&d->metadata_options);
    memset(d, 0, sizeof(*d));
}

void sps_aws_ec2_launch_template_versions_clean_up(struct sps_aws_ec2_launch_template_versions *l)
{
    if (l == NULL)
        return;
    for (size_t k = 0; k < l->count; k++) {
        sps_free(l->items[k].template_id);
        sps_free(l->items[k].template_name);
        s_data_clean_up(&l->items[k].data);
    }
    sps_free(l->items);
    memset(l, 0, sizeof(*l));
}

static sps_err s_parse_network_interfaces(const struct sps_xml_node *n,
                                          struct sps_aws_ec2_launch_template_data *d)
{
    size_t cap = 0;
    const struct sps_xml_node *set = sps_xml_child(n, "networkInterfaceSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_lt_network_interface *ni =
            SPS_EC2_PUSH3(d->network_interfaces, d->n_network_interfaces, cap);
        ni->subnet_id = sps_ec2_str(it, "subnetId");
        ni->network_interface_id = sps_ec2_str(it, "networkInterfaceId");
        /* the model names this list's members groupId, not item */
        sps_ec2_parse_strings(it, "groupSet", "groupId", &ni->groups);
        SPS_TRY(sps_ec2_opt_i64(it, "deviceIndex", &ni->device_index));
        SPS_TRY(sps_ec2_opt_tristate(it, "associatePublicIpAddress", &ni->associate_public_ip));
        SPS_TRY(sps_ec2_opt_tristate(it, "deleteOnTermination", &ni->delete_on_termination));
    }
    return SPS_OK;
}

static sps_err s_parse_tag_specifications(const struct sps_xml_node *n,
                                          struct sps_aws_ec2_launch_template_data *d)
{
    size_t cap = 0;
    const struct sps_xml_node *set = sps_xml_child(n, "tagSpecificationSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_tag_specification *ts =
            SPS_EC2_PUSH3(d->tag_specifications, d->n_tag_specifications, cap);
        SPS_TRY(sps_ec2_req_str(it, "resourceType", &ts->resource_type));
        SPS_TRY(sps_ec2_parse_tags(it, "tagSet", &ts->tags));
    }
    return SPS_OK;
}

static void s_data_strings(const struct sps_xml_node *n, struct sps_aws_ec2_launch_template_data *d)
{
    d->image_id = sps_ec2_str(n, "imageId");
    d->instance_type = sps_ec2_str(n, "instanceType");
    d->key_name = sps_ec2_str(n, "keyName");
    d->iam_instance_profile_arn = sps_ec2_str(n, "iamInstanceProfile/arn");
    d->iam_instance_profile_name = sps_ec2_str(n, "iamInstanceProfile/name");
    d->placement_availability_zone = sps_ec2_str(n, "placement/availabilityZone");
    d->placement_tenancy = sps_ec2_str(n, "placement/tenancy");
    d->placement_group_name = sps_ec2_str(n, "placement/groupName");
    d->market_type = sps_ec2_str(n, "instanceMarketOptions/marketType");
    d->spot_max_price = sps_ec2_str(n, "instanceMarketOptions/spotOptions/maxPrice");
    d->spot_instance_type = sps_ec2_str(n, "instanceMarketOptions/spotOptions/spotInstanceType");
    d->spot_interruption_behavior =
        sps_ec2_str(n, "instanceMarketOptions/spotOptions/instanceInterruptionBehavior");
    d->cpu_credits = sps_ec2_str(n, "creditSpecification/cpuCredits");
    sps_ec2_parse_strings(n, "securityGroupIdSet", "item", &d->security_group_ids);
    sps_ec2_parse_strings(n, "securityGroupSet", "item", &d->security_group_names);
    const char *user_data = sps_xml_path_text(n, "userData");
    d->has_user_data = user_data != NULL && user_data[0] != '\0';
    d->user_data_length = user_data ? strlen(user_data) : 0;
    d->has_instance_requirements = sps_xml_child(n, "instanceRequirements") != NULL;
}

static sps_err s_parse_data(const struct sps_xml_node *n,
                            struct sps_aws_ec2_launch_template_data *d)
{
    s_data_strings(n, d);
    sps_err err = SPS_OK;
    sps_ec2_parse_metadata_options(n, &d->metadata_options, &err);
    SPS_TRY(err);
    SPS_TRY(sps_ec2_opt_tristate(n, "monitoring/enabled", &d->monitoring));
    SPS_TRY(sps_ec2_opt_tristate(n, "ebsOptimized", &d->ebs_optimized));
    SPS_TRY(sps_ec2_parse_bdms(n, "blockDeviceMappingSet", &d->block_devices, &d->n_block_devices));
    SPS_TRY(s_parse_network_interfaces(n, d));
    return s_parse_tag_specifications(n, d);
}

sps_err sps_aws_ec2_parse_describe_launch_template_versions(
    const struct sps_xml_node *result, struct sps_aws_ec2_launch_template_versions *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "launchTemplateVersionSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_launch_template_version *v = SPS_EC2_PUSH(out);
        SPS_TRY(sps_ec2_req_str(it, "launchTemplateId", &v->template_id));
        v->template_name = sps_ec2_str(it, "launchTemplateName");
        SPS_TRY(sps_ec2_req_i64(it, "versionNumber", &v->version_number));
        SPS_TRY(sps_ec2_opt_bool(it, "defaultVersion", &v->default_version));
        const struct sps_xml_node *data = sps_xml_child(it, "launchTemplateData");
        if (data == NULL)
            return sps_ec2_missing("launchTemplateData");
        SPS_TRY(s_parse_data(data, &v->data));
    }
    return SPS_OK;
}

void sps_aws_ec2_describe_launch_template_versions_query(
    struct sps_query *q, const struct sps_aws_ec2_describe_launch_template_versions_request *in)
{
    sps_ec2_query_init(q, "DescribeLaunchTemplateVersions");
    if (in->template_id && in->template_id[0])
        sps_query_set(q, "LaunchTemplateId", in->template_id);
    else if (in->template_name && in->template_name[0])
        sps_query_set(q, "LaunchTemplateName", in->template_name);
    sps_query_set_list(q, "LaunchTemplateVersion", false, in->versions, in->n_versions);
}

static sps_err s_parse_versions(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_launch_template_versions(result, out);
}

sps_err sps_aws_ec2_describe_launch_template_versions(
    struct sps_aws_client *c,
    const struct sps_aws_ec2_describe_launch_template_versions_request *in,
    struct sps_aws_ec2_launch_template_versions *out, struct sps_aws_error *aws_err)
{
    bool has_id = in->template_id && in->template_id[0];
    bool has_name = in->template_name && in->template_name[0];
    if (has_id == has_name) {
        sps_log(SPS_LOG_DEBUG,
                "DescribeLaunchTemplateVersions needs exactly one of template id and name", NULL);
        return SPS_ERR_INVALID_ARGUMENT;
    }
    struct sps_query q;
    sps_aws_ec2_describe_launch_template_versions_query(&q, in);
    sps_err err = sps_ec2_paginate(c, &q, s_parse_versions, out, aws_err);
    sps_query_clean_up(&q);
    return err;
}
