/* DescribeInstanceTypes and DescribeInstanceTypeOfferings: the catalog facts the instance
 * compatibility matcher compares. */
#include "ec2_internal.h"

#include <string.h>

void sps_aws_ec2_instance_type_infos_clean_up(struct sps_aws_ec2_instance_type_infos *l)
{
    if (l == NULL)
        return;
    for (size_t k = 0; k < l->count; k++) {
        struct sps_aws_ec2_instance_type_info *t = &l->items[k];
        sps_free(t->instance_type);
        sps_free(t->hypervisor);
        sps_free(t->instance_storage_nvme);
        sps_free(t->ebs_optimized_support);
        sps_free(t->ebs_nvme);
        sps_free(t->network_performance);
        sps_free(t->ena_support);
        sps_aws_strings_clean_up(&t->usage_classes);
        sps_aws_strings_clean_up(&t->root_device_types);
        sps_aws_strings_clean_up(&t->virtualization_types);
        sps_aws_strings_clean_up(&t->architectures);
        for (size_t d = 0; d < t->n_disks; d++)
            sps_free(t->disks[d].type);
        sps_free(t->disks);
        for (size_t g = 0; g < t->n_gpus; g++) {
            sps_free(t->gpus[g].name);
            sps_free(t->gpus[g].manufacturer);
        }
        sps_free(t->gpus);
    }
    sps_free(l->items);
    memset(l, 0, sizeof(*l));
}

bool sps_aws_ec2_instance_type_supports_spot(const struct sps_aws_ec2_instance_type_info *t)
{
    return sps_aws_strings_contains(&t->usage_classes, "spot");
}

static sps_err s_parse_disks(const struct sps_xml_node *it,
                             struct sps_aws_ec2_instance_type_info *t)
{
    size_t cap = 0;
    const struct sps_xml_node *set = sps_xml_path(it, "instanceStorageInfo/disks");
    for (const struct sps_xml_node *d = sps_xml_child(set, "item"); d;
         d = sps_xml_next(d, "item")) {
        struct sps_aws_ec2_disk *disk = SPS_EC2_PUSH3(t->disks, t->n_disks, cap);
        disk->type = sps_ec2_str(d, "type");
        SPS_TRY(sps_ec2_opt_i64(d, "count", &disk->count));
        SPS_TRY(sps_ec2_opt_i64(d, "sizeInGB", &disk->size_gb));
    }
    return SPS_OK;
}

static sps_err s_parse_gpus(const struct sps_xml_node *it, struct sps_aws_ec2_instance_type_info *t)
{
    size_t cap = 0;
    const struct sps_xml_node *set = sps_xml_path(it, "gpuInfo/gpus");
    for (const struct sps_xml_node *g = sps_xml_child(set, "item"); g;
         g = sps_xml_next(g, "item")) {
        struct sps_aws_ec2_gpu *gpu = SPS_EC2_PUSH3(t->gpus, t->n_gpus, cap);
        gpu->name = sps_ec2_str(g, "name");
        gpu->manufacturer = sps_ec2_str(g, "manufacturer");
        SPS_TRY(sps_ec2_opt_i64(g, "count", &gpu->count));
        SPS_TRY(sps_ec2_opt_i64(g, "memoryInfo/sizeInMiB", &gpu->memory_mib));
    }
    return sps_ec2_opt_i64(it, "gpuInfo/totalGpuMemoryInMiB", &t->total_gpu_memory_mib);
}

/* Sum of `count` over the device list at `path`; the model names the members `item`, except
 * inference accelerators, whose list has no locationName (serialized as `member`). */
static sps_err s_sum_counts(const struct sps_xml_node *it, const char *path, int64_t *total)
{
    const struct sps_xml_node *set = sps_xml_path(it, path);
    for (const struct sps_xml_node *d = sps_xml_child(set, NULL); d; d = sps_xml_next(d, NULL)) {
        int64_t count = 0;
        SPS_TRY(sps_ec2_opt_i64(d, "count", &count));
        *total += count;
    }
    return SPS_OK;
}

static sps_err s_parse_type(const struct sps_xml_node *it, struct sps_aws_ec2_instance_type_info *t)
{
    t->hypervisor = sps_ec2_str(it, "hypervisor");
    t->instance_storage_nvme = sps_ec2_str(it, "instanceStorageInfo/nvmeSupport");
    t->ebs_optimized_support = sps_ec2_str(it, "ebsInfo/ebsOptimizedSupport");
    t->ebs_nvme = sps_ec2_str(it, "ebsInfo/nvmeSupport");
    t->network_performance = sps_ec2_str(it, "networkInfo/networkPerformance");
    t->ena_support = sps_ec2_str(it, "networkInfo/enaSupport");
    sps_ec2_parse_strings(it, "supportedUsageClasses", "item", &t->usage_classes);
    sps_ec2_parse_strings(it, "supportedRootDeviceTypes", "item", &t->root_device_types);
    sps_ec2_parse_strings(it, "supportedVirtualizationTypes", "item", &t->virtualization_types);
    sps_ec2_parse_strings(it, "processorInfo/supportedArchitectures", "item", &t->architectures);
    SPS_TRY(sps_ec2_req_str(it, "instanceType", &t->instance_type));
    SPS_TRY(sps_ec2_req_i64(it, "vCpuInfo/defaultVCpus", &t->default_vcpus));
    SPS_TRY(sps_ec2_req_i64(it, "memoryInfo/sizeInMiB", &t->memory_mib));
    SPS_TRY(sps_ec2_opt_bool(it, "currentGeneration", &t->current_generation));
    SPS_TRY(sps_ec2_opt_bool(it, "bareMetal", &t->bare_metal));
    SPS_TRY(sps_ec2_opt_bool(it, "instanceStorageSupported", &t->instance_storage_supported));
    SPS_TRY(
        sps_ec2_opt_i64(it, "instanceStorageInfo/totalSizeInGB", &t->instance_storage_total_gb));
    SPS_TRY(sps_ec2_opt_bool(it, "burstablePerformanceSupported", &t->burstable_performance));
    SPS_TRY(s_parse_disks(it, t));
    SPS_TRY(s_parse_gpus(it, t));
    SPS_TRY(s_sum_counts(it, "fpgaInfo/fpgas", &t->fpga_count));
    SPS_TRY(
        s_sum_counts(it, "inferenceAcceleratorInfo/accelerators", &t->inference_accelerator_count));
    return s_sum_counts(it, "neuronInfo/neuronDevices", &t->neuron_count);
}

sps_err sps_aws_ec2_parse_describe_instance_types(const struct sps_xml_node *result,
                                                  struct sps_aws_ec2_instance_type_infos *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "instanceTypeSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item"))
        SPS_TRY(s_parse_type(it, SPS_EC2_PUSH(out)));
    return SPS_OK;
}

void sps_aws_ec2_describe_instance_types_query(
    struct sps_query *q, const struct sps_aws_ec2_describe_instance_types_request *in)
{
    sps_ec2_query_init(q, "DescribeInstanceTypes");
    sps_query_set_list(q, "InstanceType", false, in->instance_types, in->n_instance_types);
    sps_ec2_query_filters(q, in->filters, in->n_filters);
    if (in->n_instance_types == 0)
        sps_query_set(q, "MaxResults", "100");
}

static sps_err s_parse_types_page(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_instance_types(result, out);
}

sps_err sps_aws_ec2_describe_instance_types(
    struct sps_aws_client *c, const struct sps_aws_ec2_describe_instance_types_request *in,
    struct sps_aws_ec2_instance_type_infos *out, struct sps_aws_error *aws_err)
{
    size_t done = 0;
    do {
        struct sps_aws_ec2_describe_instance_types_request batch = *in;
        size_t left = in->n_instance_types - done;
        batch.instance_types = in->instance_types ? in->instance_types + done : NULL;
        batch.n_instance_types =
            left < SPS_AWS_EC2_MAX_INSTANCE_TYPES ? left : SPS_AWS_EC2_MAX_INSTANCE_TYPES;
        struct sps_query q;
        sps_aws_ec2_describe_instance_types_query(&q, &batch);
        sps_err err = sps_ec2_paginate(c, &q, s_parse_types_page, out, aws_err);
        sps_query_clean_up(&q);
        SPS_TRY(err);
        done += batch.n_instance_types;
    } while (done < in->n_instance_types);
    return SPS_OK;
}

/* ---- DescribeInstanceTypeOfferings ---- */

void sps_aws_ec2_type_offerings_clean_up(struct sps_aws_ec2_type_offerings *l)
{
    if (l == NULL)
        return;
    for (size_t k = 0; k < l->count; k++) {
        sps_free(l->items[k].instance_type);
        sps_free(l->items[k].location);
    }
    sps_free(l->items);
    memset(l, 0, sizeof(*l));
}

void sps_aws_ec2_describe_instance_type_offerings_query(
    struct sps_query *q, const struct sps_aws_ec2_describe_type_offerings_request *in)
{
    sps_ec2_query_init(q, "DescribeInstanceTypeOfferings");
    if (in->location_type && in->location_type[0])
        sps_query_set(q, "LocationType", in->location_type);
    sps_ec2_query_filters(q, in->filters, in->n_filters);
    sps_query_set(q, "MaxResults", "1000");
}

sps_err sps_aws_ec2_parse_describe_instance_type_offerings(const struct sps_xml_node *result,
                                                           struct sps_aws_ec2_type_offerings *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "instanceTypeOfferingSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_type_offering *o = SPS_EC2_PUSH(out);
        SPS_TRY(sps_ec2_req_str(it, "instanceType", &o->instance_type));
        SPS_TRY(sps_ec2_req_str(it, "location", &o->location));
    }
    return SPS_OK;
}

static sps_err s_parse_offerings_page(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_instance_type_offerings(result, out);
}

sps_err sps_aws_ec2_describe_instance_type_offerings(
    struct sps_aws_client *c, const struct sps_aws_ec2_describe_type_offerings_request *in,
    struct sps_aws_ec2_type_offerings *out, struct sps_aws_error *aws_err)
{
    struct sps_query q;
    sps_aws_ec2_describe_instance_type_offerings_query(&q, in);
    sps_err err = sps_ec2_paginate(c, &q, s_parse_offerings_page, out, aws_err);
    sps_query_clean_up(&q);
    return err;
}
