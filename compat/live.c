/*
 * DescribeInstanceTypes records as catalog records: every field the matcher reads, converted
 * the way compat/tools/gen_catalog.py converts the embedded catalog's JSON, so a live record and
 * an embedded one of the same type compare equal (docs/compatibility.md, "Live data").
 */
#include <string.h>

#include "sps_compat_live.h"

static bool s_has(const struct sps_aws_strings *set, const char *value)
{
    for (size_t i = 0; i < set->count; i++) {
        if (set->items[i] && strcmp(set->items[i], value) == 0)
            return true;
    }
    return false;
}

static sps_err s_fail(struct sps_buf *why, const char *name, const char *field, const char *value)
{
    if (why) {
        sps_buf_reset(why);
        if (value == NULL || value[0] == '\0')
            (void)sps_buf_printf(why, "%s: %s absent", name, field);
        else
            (void)sps_buf_printf(why, "%s: %s '%s'", name, field, value);
    }
    return SPS_ERR_COMPAT_LIVE_RECORD;
}

/* A count AWS gives as int64 into the catalog's uint32; negative or oversized is an error. */
static bool s_u32(int64_t v, uint32_t *out)
{
    if (v < 0 || v > (int64_t)UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* "required" | "supported" | "unsupported". AWS states all three explicitly, so an absent value
 * is an error (never a guess): older recordings that lack the field are refused. */
static bool s_support(const char *text, enum sps_compat_support *out)
{
    if (text == NULL)
        return false;
    if (strcmp(text, "unsupported") == 0)
        *out = SPS_COMPAT_UNSUPPORTED;
    else if (strcmp(text, "supported") == 0)
        *out = SPS_COMPAT_SUPPORTED;
    else if (strcmp(text, "required") == 0)
        *out = SPS_COMPAT_REQUIRED;
    else
        return false;
    return true;
}

static bool s_ebs_optimized(const char *text, enum sps_compat_ebs_optimized *out)
{
    if (text == NULL)
        return false;
    if (strcmp(text, "unsupported") == 0)
        *out = SPS_COMPAT_EBS_OPT_UNSUPPORTED;
    else if (strcmp(text, "supported") == 0)
        *out = SPS_COMPAT_EBS_OPT_SUPPORTED;
    else if (strcmp(text, "default") == 0)
        *out = SPS_COMPAT_EBS_OPT_DEFAULT;
    else
        return false;
    return true;
}

static bool s_hypervisor(const char *text, bool bare_metal, enum sps_compat_hypervisor *out)
{
    if (text == NULL || text[0] == '\0')
        *out = SPS_COMPAT_HV_NONE; /* bare metal types carry no Hypervisor */
    if (text == NULL || text[0] == '\0')
        return bare_metal;
    else if (strcmp(text, "nitro") == 0)
        *out = SPS_COMPAT_HV_NITRO;
    else if (strcmp(text, "xen") == 0)
        *out = SPS_COMPAT_HV_XEN;
    else
        return false;
    return true;
}

/* Unknown words are skipped: an architecture the matcher cannot name never matches an AMI. */
static uint8_t s_arch_bits(const struct sps_aws_strings *archs)
{
    static const struct {
        const char *word;
        uint8_t bit;
    } words[] = {{"i386", SPS_COMPAT_ARCH_I386},
                 {"x86_64", SPS_COMPAT_ARCH_X86_64},
                 {"arm64", SPS_COMPAT_ARCH_ARM64},
                 {"x86_64_mac", SPS_COMPAT_ARCH_X86_64_MAC},
                 {"arm64_mac", SPS_COMPAT_ARCH_ARM64_MAC}};
    uint8_t bits = 0;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (s_has(archs, words[i].word))
            bits |= words[i].bit;
    }
    return bits;
}

static uint8_t s_virt_bits(const struct sps_aws_strings *virts)
{
    return (uint8_t)((s_has(virts, "hvm") ? SPS_COMPAT_VIRT_HVM : 0) |
                     (s_has(virts, "paravirtual") ? SPS_COMPAT_VIRT_PARAVIRTUAL : 0));
}

static sps_err s_store(const struct sps_aws_ec2_instance_type_info *in, struct sps_compat_store *out,
                       struct sps_buf *why)
{
    *out = (struct sps_compat_store){0};
    if (!in->instance_storage_supported || in->n_disks == 0)
        return SPS_OK;
    int64_t count = 0;
    for (size_t i = 0; i < in->n_disks; i++)
        count += in->disks[i].count > 0 ? in->disks[i].count : 0;
    const struct sps_aws_ec2_disk *disk = &in->disks[0];
    if (!s_u32(count, &out->count) || !s_u32(disk->size_gb, &out->size_gb) ||
        !s_u32(in->instance_storage_total_gb, &out->total_gb))
        return s_fail(why, in->instance_type, "instance storage size", "out of range");
    if (disk->type == NULL ||
        (strcmp(disk->type, "ssd") != 0 && strcmp(disk->type, "hdd") != 0))
        return s_fail(why, in->instance_type, "instance storage disk type", disk->type);
    out->ssd = strcmp(disk->type, "ssd") == 0;
    enum sps_compat_support nvme;
    if (!s_support(in->instance_storage_nvme, &nvme))
        return s_fail(why, in->instance_type, "instance storage NVMe support",
                      in->instance_storage_nvme);
    out->nvme = nvme == SPS_COMPAT_REQUIRED; /* the disks ARE NVMe devices */
    return SPS_OK;
}

static sps_err s_gpus(const struct sps_aws_ec2_instance_type_info *in, struct sps_compat_type *out,
                      struct sps_buf *why)
{
    int64_t count = 0;
    for (size_t i = 0; i < in->n_gpus; i++)
        count += in->gpus[i].count > 0 ? in->gpus[i].count : 0;
    if (!s_u32(count, &out->gpus) || !s_u32(in->total_gpu_memory_mib, &out->gpu_memory_mib))
        return s_fail(why, in->instance_type, "GPU count or memory", "out of range");
    out->gpu_manufacturer = in->n_gpus > 0 ? in->gpus[0].manufacturer : NULL;
    out->gpu_model = in->n_gpus > 0 ? in->gpus[0].name : NULL;
    return SPS_OK;
}

static sps_err s_counts(const struct sps_aws_ec2_instance_type_info *in,
                        struct sps_compat_type *out, struct sps_buf *why)
{
    if (!s_u32(in->default_vcpus, &out->vcpu) || out->vcpu == 0)
        return s_fail(why, in->instance_type, "vCPU count", "out of range");
    if (!s_u32(in->memory_mib, &out->memory_mib) || out->memory_mib == 0)
        return s_fail(why, in->instance_type, "memory", "out of range");
    if (!s_u32(in->fpga_count, &out->fpgas) || !s_u32(in->neuron_count, &out->neuron_devices) ||
        !s_u32(in->inference_accelerator_count, &out->inference_accelerators))
        return s_fail(why, in->instance_type, "accelerator count", "out of range");
    return SPS_OK;
}

static sps_err s_flags(const struct sps_aws_ec2_instance_type_info *in,
                       struct sps_compat_type *out, struct sps_buf *why)
{
    out->arch = s_arch_bits(&in->architectures);
    if (out->arch == 0)
        return s_fail(why, in->instance_type, "architectures",
                      in->architectures.count ? "none known" : NULL);
    out->virtualization = s_virt_bits(&in->virtualization_types);
    if (out->virtualization == 0)
        return s_fail(why, in->instance_type, "virtualization types",
                      in->virtualization_types.count ? "none known" : NULL);
    if (!s_ebs_optimized(in->ebs_optimized_support, &out->ebs_optimized))
        return s_fail(why, in->instance_type, "EBS optimized support", in->ebs_optimized_support);
    if (!s_support(in->ebs_nvme, &out->ebs_nvme))
        return s_fail(why, in->instance_type, "EBS NVMe support", in->ebs_nvme);
    if (!s_support(in->ena_support, &out->ena))
        return s_fail(why, in->instance_type, "ENA support", in->ena_support);
    if (!s_hypervisor(in->hypervisor, in->bare_metal, &out->hypervisor))
        return s_fail(why, in->instance_type, "hypervisor", in->hypervisor);
    if (sps_compat_network_parse(in->network_performance, &out->network) != SPS_OK)
        return s_fail(why, in->instance_type, "network performance", in->network_performance);
    out->burstable = in->burstable_performance;
    out->bare_metal = in->bare_metal;
    out->current_generation = in->current_generation;
    out->spot = sps_aws_ec2_instance_type_supports_spot(in);
    return SPS_OK;
}

sps_err sps_compat_type_from_info(const struct sps_aws_ec2_instance_type_info *info,
                                  struct sps_compat_type *out, struct sps_buf *why)
{
    if (info == NULL || out == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    *out = (struct sps_compat_type){.name = info->instance_type};
    if (info->instance_type == NULL || strchr(info->instance_type, '.') == NULL)
        return s_fail(why, "?", "instance type name", info->instance_type);
    SPS_TRY(s_counts(info, out, why));
    SPS_TRY(s_gpus(info, out, why));
    SPS_TRY(s_store(info, &out->store, why));
    SPS_TRY(s_flags(info, out, why));
    const char *problem = sps_compat_type_problem(out);
    if (problem != NULL)
        return s_fail(why, info->instance_type, "record", problem);
    return SPS_OK;
}
