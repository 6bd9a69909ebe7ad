/* DescribeRegions, DescribeAvailabilityZones, DescribeSubnets and DescribeImages. */
#include "ec2_internal.h"

#include <string.h>

/* ---- DescribeRegions ---- */

void sps_aws_ec2_regions_clean_up(struct sps_aws_ec2_regions *r)
{
    if (r == NULL)
        return;
    for (size_t k = 0; k < r->count; k++) {
        sps_free(r->items[k].name);
        sps_free(r->items[k].endpoint);
        sps_free(r->items[k].opt_in_status);
    }
    sps_free(r->items);
    memset(r, 0, sizeof(*r));
}

void sps_aws_ec2_describe_regions_query(struct sps_query *q)
{
    sps_ec2_query_init(q, "DescribeRegions");
    sps_ec2_query_bool(q, "AllRegions", false);
}

sps_err sps_aws_ec2_parse_describe_regions(const struct sps_xml_node *result,
                                           struct sps_aws_ec2_regions *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "regionInfo");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_region *r = SPS_EC2_PUSH(out);
        r->endpoint = sps_ec2_str(it, "regionEndpoint");
        r->opt_in_status = sps_ec2_str(it, "optInStatus");
        SPS_TRY(sps_ec2_req_str(it, "regionName", &r->name));
    }
    return SPS_OK;
}

static sps_err s_parse_regions(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_regions(result, out);
}

sps_err sps_aws_ec2_describe_regions(struct sps_aws_client *c, struct sps_aws_ec2_regions *out,
                                     struct sps_aws_error *aws_err)
{
    struct sps_query q;
    sps_aws_ec2_describe_regions_query(&q);
    sps_err err = sps_ec2_call(c, &q, s_parse_regions, out, aws_err);
    sps_query_clean_up(&q);
    return err;
}

/* ---- DescribeAvailabilityZones ---- */

void sps_aws_ec2_zones_clean_up(struct sps_aws_ec2_zones *z)
{
    if (z == NULL)
        return;
    for (size_t k = 0; k < z->count; k++) {
        sps_free(z->items[k].name);
        sps_free(z->items[k].zone_id);
        sps_free(z->items[k].state);
        sps_free(z->items[k].region);
        sps_free(z->items[k].opt_in_status);
    }
    sps_free(z->items);
    memset(z, 0, sizeof(*z));
}

void sps_aws_ec2_describe_availability_zones_query(struct sps_query *q)
{
    sps_ec2_query_init(q, "DescribeAvailabilityZones");
}

sps_err sps_aws_ec2_parse_describe_availability_zones(const struct sps_xml_node *result,
                                                      struct sps_aws_ec2_zones *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "availabilityZoneInfo");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_zone *z = SPS_EC2_PUSH(out);
        z->zone_id = sps_ec2_str(it, "zoneId");
        z->state = sps_ec2_str(it, "zoneState");
        z->region = sps_ec2_str(it, "regionName");
        z->opt_in_status = sps_ec2_str(it, "optInStatus");
        SPS_TRY(sps_ec2_req_str(it, "zoneName", &z->name));
    }
    return SPS_OK;
}

static sps_err s_parse_zones(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_availability_zones(result, out);
}

sps_err sps_aws_ec2_describe_availability_zones(struct sps_aws_client *c,
                                                struct sps_aws_ec2_zones *out,
                                                struct sps_aws_error *aws_err)
{
    struct sps_query q;
    sps_aws_ec2_describe_availability_zones_query(&q);
    sps_err err = sps_ec2_call(c, &q, s_parse_zones, out, aws_err);
    sps_query_clean_up(&q);
    return err;
}

/* ---- DescribeSubnets ---- */

void sps_aws_ec2_subnets_clean_up(struct sps_aws_ec2_subnets *l)
{
    if (l == NULL)
        return;
    for (size_t k = 0; k < l->count; k++) {
        sps_free(l->items[k].subnet_id);
        sps_free(l->items[k].availability_zone);
        sps_free(l->items[k].availability_zone_id);
        sps_free(l->items[k].vpc_id);
    }
    sps_free(l->items);
    memset(l, 0, sizeof(*l));
}

void sps_aws_ec2_describe_subnets_query(struct sps_query *q,
                                        const struct sps_aws_ec2_describe_subnets_request *in)
{
    sps_ec2_query_init(q, "DescribeSubnets");
    sps_query_set_list(q, "SubnetId", false, in->subnet_ids, in->n_subnet_ids);
    sps_ec2_query_filters(q, in->filters, in->n_filters);
}

sps_err sps_aws_ec2_parse_describe_subnets(const struct sps_xml_node *result,
                                           struct sps_aws_ec2_subnets *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "subnetSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_subnet *s = SPS_EC2_PUSH(out);
        s->availability_zone_id = sps_ec2_str(it, "availabilityZoneId");
        s->vpc_id = sps_ec2_str(it, "vpcId");
        SPS_TRY(sps_ec2_req_str(it, "subnetId", &s->subnet_id));
        SPS_TRY(sps_ec2_req_str(it, "availabilityZone", &s->availability_zone));
        SPS_TRY(sps_ec2_opt_bool(it, "mapPublicIpOnLaunch", &s->map_public_ip_on_launch));
        SPS_TRY(sps_ec2_opt_i64(it, "availableIpAddressCount", &s->available_ip_count));
    }
    return SPS_OK;
}

static sps_err s_parse_subnets(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_subnets(result, out);
}

sps_err sps_aws_ec2_describe_subnets(struct sps_aws_client *c,
                                     const struct sps_aws_ec2_describe_subnets_request *in,
                                     struct sps_aws_ec2_subnets *out, struct sps_aws_error *aws_err)
{
    struct sps_query q;
    sps_aws_ec2_describe_subnets_query(&q, in);
    sps_err err = sps_ec2_paginate(c, &q, s_parse_subnets, out, aws_err);
    sps_query_clean_up(&q);
    return err;
}

/* ---- DescribeImages ---- */

void sps_aws_ec2_images_clean_up(struct sps_aws_ec2_images *l)
{
    if (l == NULL)
        return;
    for (size_t k = 0; k < l->count; k++) {
        struct sps_aws_ec2_image *i = &l->items[k];
        char *strings[] = {i->image_id,
                           i->name,
                           i->state,
                           i->architecture,
                           i->virtualization_type,
                           i->platform,
                           i->platform_details,
                           i->usage_operation,
                           i->sriov_net_support,
                           i->root_device_type,
                           i->root_device_name,
                           i->boot_mode};
        for (size_t s = 0; s < sizeof(strings) / sizeof(strings[0]); s++)
            sps_free(strings[s]);
        sps_ec2_free_bdms(i->block_devices, i->n_block_devices);
    }
    sps_free(l->items);
    memset(l, 0, sizeof(*l));
}

void sps_aws_ec2_describe_images_query(struct sps_query *q, const char *const *image_ids, size_t n)
{
    sps_ec2_query_init(q, "DescribeImages");
    sps_query_set_list(q, "ImageId", false, image_ids, n);
}

static sps_err s_parse_image(const struct sps_xml_node *it, struct sps_aws_ec2_image *i)
{
    i->name = sps_ec2_str(it, "name");
    i->state = sps_ec2_str(it, "imageState");
    i->architecture = sps_ec2_str(it, "architecture");
    i->virtualization_type = sps_ec2_str(it, "virtualizationType");
    i->platform = sps_ec2_str(it, "platform");
    i->platform_details = sps_ec2_str(it, "platformDetails");
    i->usage_operation = sps_ec2_str(it, "usageOperation");
    i->sriov_net_support = sps_ec2_str(it, "sriovNetSupport");
    i->root_device_type = sps_ec2_str(it, "rootDeviceType");
    i->root_device_name = sps_ec2_str(it, "rootDeviceName");
    i->boot_mode = sps_ec2_str(it, "bootMode");
    SPS_TRY(sps_ec2_req_str(it, "imageId", &i->image_id));
    SPS_TRY(sps_ec2_opt_bool(it, "enaSupport", &i->ena_support));
    return sps_ec2_parse_bdms(it, "blockDeviceMapping", &i->block_devices, &i->n_block_devices);
}

sps_err sps_aws_ec2_parse_describe_images(const struct sps_xml_node *result,
                                          struct sps_aws_ec2_images *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "imagesSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item"))
        SPS_TRY(s_parse_image(it, SPS_EC2_PUSH(out)));
    return SPS_OK;
}

static sps_err s_parse_images(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_images(result, out);
}

sps_err sps_aws_ec2_describe_images(struct sps_aws_client *c, const char *const *image_ids,
                                    size_t n, struct sps_aws_ec2_images *out,
                                    struct sps_aws_error *aws_err)
{
    /* Without ImageId.N DescribeImages lists every public AMI: refuse that. */
    if (n == 0) {
        sps_log(SPS_LOG_DEBUG, "DescribeImages needs at least one image id", NULL);
        return SPS_ERR_INVALID_ARGUMENT;
    }
    struct sps_query q;
    sps_aws_ec2_describe_images_query(&q, image_ids, n);
    sps_err err = sps_ec2_call(c, &q, s_parse_images, out, aws_err);
    sps_query_clean_up(&q);
    return err;
}
