/* The conversion of DescribeInstanceTypes records into catalog records (compat/live.c): recorded
 * responses convert to the embedded catalog's record of the same type field by field, real
 * specs for a type the catalog lacks, and a clear error for every field the matcher cannot use. */
#include <string.h>

#include "ec2_test_util.h"
#include "sps_compat_live.h"

static sps_err s_parse(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_instance_types(result, out);
}

static bool s_str_same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Every field the matcher reads; prices, region bits and the family are the catalog's own. */
static void s_check_same(const struct sps_compat_type *live, const struct sps_compat_type *cat)
{
    SPS_CHECK_STR_EQ(live->name, cat->name);
    SPS_CHECK(live->vcpu == cat->vcpu);
    SPS_CHECK(live->memory_mib == cat->memory_mib);
    SPS_CHECK(live->gpus == cat->gpus);
    SPS_CHECK(live->gpu_memory_mib == cat->gpu_memory_mib);
    SPS_CHECK(s_str_same(live->gpu_manufacturer, cat->gpu_manufacturer));
    SPS_CHECK(s_str_same(live->gpu_model, cat->gpu_model));
    SPS_CHECK(live->fpgas == cat->fpgas);
    SPS_CHECK(live->neuron_devices == cat->neuron_devices);
    SPS_CHECK(live->inference_accelerators == cat->inference_accelerators);
    SPS_CHECK(live->store.count == cat->store.count);
    SPS_CHECK(live->store.size_gb == cat->store.size_gb);
    SPS_CHECK(live->store.total_gb == cat->store.total_gb);
    SPS_CHECK(live->store.ssd == cat->store.ssd);
    SPS_CHECK(live->store.nvme == cat->store.nvme);
    SPS_CHECK(live->virtualization == cat->virtualization);
    SPS_CHECK(live->arch == cat->arch);
    SPS_CHECK(live->ebs_optimized == cat->ebs_optimized);
    SPS_CHECK(live->ebs_nvme == cat->ebs_nvme);
    SPS_CHECK(live->ena == cat->ena);
    SPS_CHECK(live->network.mbps == cat->network.mbps);
    SPS_CHECK(live->network.up_to == cat->network.up_to);
    SPS_CHECK(s_str_same(live->network.text, cat->network.text));
    SPS_CHECK(live->hypervisor == cat->hypervisor);
    SPS_CHECK(live->burstable == cat->burstable);
    SPS_CHECK(live->bare_metal == cat->bare_metal);
    SPS_CHECK(live->current_generation == cat->current_generation);
    SPS_CHECK(live->spot == cat->spot);
}

static void s_check_refused(const struct sps_aws_ec2_instance_type_info *info, const char *field)
{
    struct sps_compat_type t;
    struct sps_buf why;
    sps_buf_init(&why, 256);
    SPS_CHECK_ERR(sps_compat_type_from_info(info, &t, &why), SPS_ERR_COMPAT_LIVE_RECORD);
    if (strstr(why.data, field) == NULL || strstr(why.data, "absent") == NULL)
        sps_test_fail(__FILE__, __LINE__, "refused for \"%s\", not for %s", why.data, field);
    sps_buf_clean_up(&why);
}

/* The SDK recordings (the AWS CLI documentation's examples) predate fields AWS now always
 * sends: SupportedVirtualizationTypes (t3.micro, p3.16xlarge, g2.2xlarge), EbsInfo.NvmeSupport
 * (all of them) and InstanceStorageInfo.NvmeSupport (the PV types). The conversion refuses a record without them (it never guesses); the tests then
 * fill in what AWS documents for those types: HVM only; NVMe only on Nitro (t3). */
static void s_parse_sdk(const char *fixture, struct sps_aws_ec2_instance_type_infos *infos)
{
    SPS_CHECK_OK(ec2_parse_fixture(fixture, s_parse, infos));
    for (size_t i = 0; i < infos->count; i++) {
        struct sps_aws_ec2_instance_type_info *info = &infos->items[i];
        if (info->instance_storage_supported && info->instance_storage_nvme[0] == '\0') {
            s_check_refused(info, "instance storage NVMe support");
            sps_free(info->instance_storage_nvme);
            info->instance_storage_nvme = sps_strdup("unsupported"); /* only in the PV set: Xen */
        }
        if (info->virtualization_types.count == 0) {
            s_check_refused(info, "virtualization types");
            sps_aws_strings_add(&info->virtualization_types, "hvm");
        }
        if (info->ebs_nvme[0] == '\0') {
            s_check_refused(info, "EBS NVMe support");
            sps_free(info->ebs_nvme);
            bool nitro = strcmp(info->hypervisor, "nitro") == 0;
            info->ebs_nvme = sps_strdup(nitro ? "required" : "unsupported");
        }
    }
}

/* Converts every record of `fixture`; each one the catalog knows must equal it. Returns how many
 * were compared. */
static size_t s_compare_fixture(const char *fixture)
{
    struct sps_aws_ec2_instance_type_infos infos = {0};
    s_parse_sdk(fixture, &infos);
    SPS_CHECK(infos.count > 0);
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    size_t compared = 0;
    for (size_t i = 0; i < infos.count; i++) {
        struct sps_compat_type live;
        SPS_CHECK_OK(sps_compat_type_from_info(&infos.items[i], &live, NULL));
        SPS_CHECK(sps_compat_type_problem(&live) == NULL);
        const struct sps_compat_type *known = NULL;
        if (sps_compat_catalog_find(cat, live.name, &known) != SPS_OK)
            continue;
        s_check_same(&live, known);
        compared++;
    }
    sps_compat_catalog_destroy(cat);
    sps_aws_ec2_instance_type_infos_clean_up(&infos);
    return compared;
}

static void test_recorded_fake_matches_catalog(void)
{
    /* m5.large, c5d.xlarge (NVMe SSD store), g4dn.xlarge (GPU + store), m5.metal, t3.micro */
    SPS_CHECK(s_compare_fixture("ec2/DescribeInstanceTypes.xml") == 5);
}

static void test_sdk_recorded_matches_catalog(void)
{
    /* t3.micro (p3.16xlarge is not embedded) */
    SPS_CHECK(s_compare_fixture("compat/DescribeInstanceTypes.t3_micro_and_p3_16xl.xml") == 1);
    /* g2.2xlarge is not embedded: it only has to convert */
    SPS_CHECK(s_compare_fixture("compat/DescribeInstanceTypes.g2_2xlarge.xml") == 0);
    /* every previous-generation PV type of the recording is embedded */
    SPS_CHECK(s_compare_fixture("compat/DescribeInstanceTypes.pv_instances.xml") == 19);
}

static const struct sps_aws_ec2_instance_type_info *s_named(
    const struct sps_aws_ec2_instance_type_infos *infos, const char *name)
{
    for (size_t i = 0; i < infos->count; i++) {
        if (strcmp(infos->items[i].instance_type, name) == 0)
            return &infos->items[i];
    }
    sps_test_fail(__FILE__, __LINE__, "no %s in the fixture", name);
    return NULL;
}

static void test_p3_16xlarge_real_specs(void)
{
    struct sps_aws_ec2_instance_type_infos infos = {0};
    s_parse_sdk("compat/DescribeInstanceTypes.t3_micro_and_p3_16xl.xml", &infos);
    struct sps_compat_type t;
    SPS_CHECK_OK(sps_compat_type_from_info(s_named(&infos, "p3.16xlarge"), &t, NULL));
    SPS_CHECK(t.vcpu == 64);
    SPS_CHECK(t.memory_mib == 499712); /* 488 GiB */
    SPS_CHECK(t.gpus == 8);
    SPS_CHECK(t.gpu_memory_mib == 8 * 16384); /* 8 x V100 16 GiB */
    SPS_CHECK_STR_EQ(t.gpu_manufacturer, "NVIDIA");
    SPS_CHECK_STR_EQ(t.gpu_model, "V100");
    SPS_CHECK(t.store.count == 0);
    SPS_CHECK(t.arch == SPS_COMPAT_ARCH_X86_64);
    SPS_CHECK(t.virtualization == SPS_COMPAT_VIRT_HVM);
    SPS_CHECK(t.ebs_optimized == SPS_COMPAT_EBS_OPT_DEFAULT);
    SPS_CHECK(t.ebs_nvme == SPS_COMPAT_UNSUPPORTED); /* Xen: EBS as /dev/xvd* */
    SPS_CHECK(t.ena == SPS_COMPAT_SUPPORTED);
    SPS_CHECK(t.network.mbps == 25000 && !t.network.up_to);
    SPS_CHECK(t.hypervisor == SPS_COMPAT_HV_XEN);
    SPS_CHECK(!t.burstable && !t.bare_metal && t.current_generation && t.spot);
    SPS_CHECK(t.offered_regions == 0 && t.price_count == 0);

    /* add_live copies: the record outlives the parsed response. */
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    const struct sps_compat_type *found = NULL;
    SPS_CHECK_ERR(sps_compat_catalog_find(cat, "p3.16xlarge", &found), SPS_ERR_COMPAT_UNKNOWN_TYPE);
    SPS_CHECK_OK(sps_compat_catalog_add_live(cat, &t));
    sps_aws_ec2_instance_type_infos_clean_up(&infos);
    SPS_CHECK_OK(sps_compat_catalog_find(cat, "p3.16xlarge", &found));
    SPS_CHECK_STR_EQ(found->gpu_model, "V100");
    SPS_CHECK_STR_EQ(found->family, "p3");
    SPS_CHECK_STR_EQ(found->network.text, "25 Gigabit");
    sps_compat_catalog_destroy(cat);
}

static void test_pv_and_previous_generation(void)
{
    struct sps_aws_ec2_instance_type_infos infos = {0};
    s_parse_sdk("compat/DescribeInstanceTypes.pv_instances.xml", &infos);
    struct sps_compat_type t;
    SPS_CHECK_OK(sps_compat_type_from_info(s_named(&infos, "m1.small"), &t, NULL));
    SPS_CHECK((t.virtualization & SPS_COMPAT_VIRT_PARAVIRTUAL) != 0);
    SPS_CHECK(!t.current_generation);
    SPS_CHECK(t.hypervisor == SPS_COMPAT_HV_XEN);
    SPS_CHECK(t.store.count >= 1 && !t.store.nvme);
    sps_aws_ec2_instance_type_infos_clean_up(&infos);
}

/* Each bad field: the record is refused with SPS_ERR_COMPAT_LIVE_RECORD and `why` names it. */
static void s_check_bad(const char *from, const char *to, const char *why_has)
{
    struct sps_aws_ec2_instance_type_infos infos = {0};
    SPS_CHECK_OK(ec2_parse_mutated("ec2/DescribeInstanceTypes.xml", from, to, s_parse, &infos));
    struct sps_buf why;
    sps_buf_init(&why, 1024);
    sps_err worst = SPS_OK;
    for (size_t i = 0; i < infos.count; i++) {
        struct sps_compat_type t;
        sps_err err = sps_compat_type_from_info(&infos.items[i], &t, &why);
        if (err != SPS_OK)
            worst = err;
        if (err != SPS_OK)
            break;
    }
    SPS_CHECK_ERR(worst, SPS_ERR_COMPAT_LIVE_RECORD);
    SPS_CHECK(why.data != NULL && strstr(why.data, why_has) != NULL);
    sps_buf_clean_up(&why);
    sps_aws_ec2_instance_type_infos_clean_up(&infos);
}

static void test_bad_fields(void)
{
    s_check_bad("<networkPerformance>Up to 10 Gigabit<", "<networkPerformance>Fast<",
                "network performance 'Fast'");
    s_check_bad("<hypervisor>nitro<", "<hypervisor>kvm<", "hypervisor 'kvm'");
    s_check_bad("<hypervisor>nitro</hypervisor>", "", "hypervisor absent"); /* not bare metal */
    s_check_bad("<enaSupport>required</enaSupport>", "", "ENA support absent");
    s_check_bad("<nvmeSupport>required</nvmeSupport></ebsInfo>", "</ebsInfo>",
                "EBS NVMe support absent");
    s_check_bad("<ebsOptimizedSupport>default</ebsOptimizedSupport>", "",
                "EBS optimized support absent");
    s_check_bad("<type>ssd<", "<type>tape<", "instance storage disk type 'tape'");
    s_check_bad("<nvmeSupport>required</nvmeSupport><encryptionSupport>required",
                "<nvmeSupport>sometimes</nvmeSupport><encryptionSupport>required",
                "instance storage NVMe support 'sometimes'");
    s_check_bad("<networkPerformance>Up to 10 Gigabit</networkPerformance>", "",
                "network performance absent");
    s_check_bad("<instanceType>m5.large<", "<instanceType>m5large<", "instance type name");
    s_check_bad("<totalGpuMemoryInMiB>16384<", "<totalGpuMemoryInMiB>0<", "gpus is set");
    s_check_bad("<enaSupport>required<", "<enaSupport>maybe<", "ENA support 'maybe'");
    s_check_bad("<ebsOptimizedSupport>default<", "<ebsOptimizedSupport>always<",
                "EBS optimized support 'always'");
    s_check_bad("<defaultVCpus>2<", "<defaultVCpus>0<", "vCPU count");
    s_check_bad("<defaultVCpus>2<", "<defaultVCpus>-1<", "vCPU count");
    s_check_bad("<sizeInMiB>8192<", "<sizeInMiB>0<", "memory");
    s_check_bad("<item>x86_64</item>", "<item>riscv64</item>", "architectures");
    s_check_bad("<item>hvm</item>", "<item>hologram</item>", "virtualization types");
}

static void test_null_arguments(void)
{
    struct sps_compat_type t;
    struct sps_aws_ec2_instance_type_info info = {0};
    SPS_CHECK_ERR(sps_compat_type_from_info(NULL, &t, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_type_from_info(&info, NULL, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_type_from_info(&info, &t, NULL), SPS_ERR_COMPAT_LIVE_RECORD);
}

SPS_TEST_MAIN(SPS_CASE(test_recorded_fake_matches_catalog), SPS_CASE(test_sdk_recorded_matches_catalog),
              SPS_CASE(test_p3_16xlarge_real_specs), SPS_CASE(test_pv_and_previous_generation),
              SPS_CASE(test_bad_fields), SPS_CASE(test_null_arguments))
