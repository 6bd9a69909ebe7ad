/*
 * The matcher's rules one by one: live records (p3.2xlarge), globs, the ceiling, zone offerings,
 * the ENA/NVMe rules against the AMI, EBS optimization, explain texts and every argument error.
 */
#include "sps_compat.h"
#include "sps_test.h"

#include <math.h>

static const struct sps_compat_ami s_nitro = {SPS_COMPAT_ARCH_X86_64, SPS_COMPAT_VIRT_HVM,
                                              SPS_COMPAT_LINUX, true, true};
static const struct sps_compat_ami s_xen_ena = {SPS_COMPAT_ARCH_X86_64, SPS_COMPAT_VIRT_HVM,
                                                SPS_COMPAT_LINUX, true, false};
static const struct sps_compat_ami s_xen = {SPS_COMPAT_ARCH_X86_64, SPS_COMPAT_VIRT_HVM,
                                            SPS_COMPAT_LINUX, false, false};

static struct sps_compat_instance s_inst(const char *type, struct sps_compat_ami ami)
{
    return (struct sps_compat_instance){type, "us-east-1a", "us-east-1", false, ami};
}

static const struct sps_compat_rejection *s_rejection(const struct sps_compat_result *res,
                                                      const char *name)
{
    for (size_t i = 0; i < res->rejected_count; i++) {
        if (strcmp(res->rejected[i].type->name, name) == 0)
            return &res->rejected[i];
    }
    return NULL;
}

static const struct sps_compat_candidate *s_candidate(const struct sps_compat_result *res,
                                                      const char *name)
{
    for (size_t i = 0; i < res->count; i++) {
        if (strcmp(res->candidates[i].type->name, name) == 0)
            return &res->candidates[i];
    }
    return NULL;
}

/* Fails unless `name` was rejected for `reason` with exactly `text` (when text is not NULL). */
static void s_expect_rejected(const struct sps_compat_result *res, const char *name,
                              enum sps_compat_reason reason, const char *text)
{
    const struct sps_compat_rejection *r = s_rejection(res, name);
    if (r == NULL)
        sps_test_fail(__FILE__, __LINE__, "%s was not rejected", name);
    if (r->reason != reason)
        sps_test_fail(__FILE__, __LINE__, "%s rejected for %s (%s), expected %s", name,
                      sps_compat_reason_name(r->reason), r->text ? r->text : "",
                      sps_compat_reason_name(reason));
    if (text)
        SPS_CHECK_STR_EQ(r->text, text);
}

static struct sps_compat_result *s_match(const struct sps_compat_catalog *cat,
                                         struct sps_compat_instance inst,
                                         const struct sps_compat_constraints *cons)
{
    struct sps_compat_result *res = NULL;
    SPS_CHECK_OK(sps_compat_match(cat, &inst, cons, true, &res));
    return res;
}

static struct sps_compat_type s_p3_2xlarge(void)
{
    return (struct sps_compat_type){
        .name = "p3.2xlarge",
        .family = "p3",
        .vcpu = 8,
        .memory_mib = 62464,
        .gpus = 1,
        .gpu_memory_mib = 16384,
        .gpu_manufacturer = "NVIDIA",
        .gpu_model = "V100",
        .virtualization = SPS_COMPAT_VIRT_HVM,
        .arch = SPS_COMPAT_ARCH_X86_64,
        .ebs_optimized = SPS_COMPAT_EBS_OPT_DEFAULT,
        .ebs_nvme = SPS_COMPAT_UNSUPPORTED,
        .ena = SPS_COMPAT_REQUIRED,
        .network = {10000, true, "Up to 10 Gigabit"},
        .hypervisor = SPS_COMPAT_HV_XEN,
        .spot = true,
        .offered_regions = UINT64_C(1) << sps_compat_region_index("us-east-1"),
    };
}

static void test_live_p3_is_matched(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_instance inst = s_inst("p3.2xlarge", s_nitro);
    struct sps_compat_result *res = NULL;
    SPS_CHECK_ERR(sps_compat_match(cat, &inst, NULL, true, &res), SPS_ERR_COMPAT_UNKNOWN_TYPE);
    SPS_CHECK(res == NULL);
    struct sps_compat_type p3 = s_p3_2xlarge();
    SPS_CHECK_OK(sps_compat_catalog_add_live(cat, &p3));
    res = s_match(cat, inst, NULL);
    SPS_CHECK_STR_EQ(res->original->name, "p3.2xlarge");
    SPS_CHECK(s_candidate(res, "p3.2xlarge") != NULL);
    SPS_CHECK(s_candidate(res, "g4dn.4xlarge") != NULL); /* 16 vCPU, 64 GiB, T4 16 GiB */
    SPS_CHECK(s_candidate(res, "g5.8xlarge") != NULL);
    SPS_CHECK(s_candidate(res, "g6.4xlarge") != NULL);
    SPS_CHECK(s_candidate(res, "p4d.24xlarge") != NULL);
    s_expect_rejected(res, "g5.2xlarge", SPS_COMPAT_R_MEMORY, "memory 32768 MiB < 62464 MiB");
    s_expect_rejected(res, "g4ad.8xlarge", SPS_COMPAT_R_GPU,
                      "GPU manufacturer AMD, the original's is NVIDIA");
    s_expect_rejected(res, "r5.2xlarge", SPS_COMPAT_R_GPU, "no GPU, the original has NVIDIA V100");
    s_expect_rejected(res, "g5g.4xlarge", SPS_COMPAT_R_ARCH, NULL);
    for (size_t i = 0; i < res->count; i++) {
        const struct sps_compat_type *c = res->candidates[i].type;
        SPS_CHECK_STR_EQ(c->gpu_manufacturer, "NVIDIA");
        SPS_CHECK(c->gpus >= 1 && c->gpu_memory_mib >= 16384);
        SPS_CHECK(c->vcpu >= 8 && c->memory_mib >= 62464);
    }
    sps_compat_result_destroy(res);
    /* A Xen-era AMI (ENA, no NVMe): Nitro GPU types are out, p3 itself stays. */
    res = s_match(cat, s_inst("p3.2xlarge", s_xen_ena), NULL);
    SPS_CHECK(s_candidate(res, "p3.2xlarge") != NULL);
    s_expect_rejected(res, "g4dn.4xlarge", SPS_COMPAT_R_NVME,
                      "EBS as NVMe (Nitro) but the AMI is not Nitro-capable");
    SPS_CHECK_INT_EQ(res->count, 1);
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
}

static void test_unknown_type_is_a_clear_error(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_instance inst = s_inst("m9z.mega", s_nitro);
    struct sps_compat_result *res = (struct sps_compat_result *)&inst; /* must be reset */
    SPS_CHECK_ERR(sps_compat_match(cat, &inst, NULL, false, &res), SPS_ERR_COMPAT_UNKNOWN_TYPE);
    SPS_CHECK(res == NULL);
    sps_compat_catalog_destroy(cat);
}

static void test_explain_texts(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_result *res = s_match(cat, s_inst("c5d.xlarge", s_nitro), NULL);
    s_expect_rejected(res, "c5d.large", SPS_COMPAT_R_VCPU, "vcpu 2 < 4");
    s_expect_rejected(res, "c6gd.xlarge", SPS_COMPAT_R_ARCH,
                      "arch arm64 not supported by the AMI (x86_64)");
    s_expect_rejected(res, "c5.xlarge", SPS_COMPAT_R_INSTANCE_STORE, "instance store disks 0 < 1");
    s_expect_rejected(res, "mac1.metal", SPS_COMPAT_R_NO_SPOT, "spot not supported");
    s_expect_rejected(res, "m5.large", SPS_COMPAT_R_VCPU, "vcpu 2 < 4");
    s_expect_rejected(res, "t3.xlarge", SPS_COMPAT_R_BURSTABLE,
                      "burstable (not allowed for a fixed-performance original)");
    s_expect_rejected(res, "m5d.metal", SPS_COMPAT_R_BARE_METAL,
                      "bare metal for a virtualized original (not allowed)");
    s_expect_rejected(res, "c5ad.large", SPS_COMPAT_R_VCPU, NULL);
    /* Every candidate keeps at least one 100 GB NVMe SSD. */
    for (size_t i = 0; i < res->count; i++) {
        const struct sps_compat_store *s = &res->candidates[i].type->store;
        SPS_CHECK(s->count >= 1 && s->size_gb >= 100 && s->ssd && s->nvme);
    }
    sps_compat_result_destroy(res);

    res = s_match(cat, s_inst("m1.small", s_xen), NULL);
    s_expect_rejected(res, "m5.large", SPS_COMPAT_R_ENA,
                      "ENA required but the AMI has no ENA support: it would not boot");
    s_expect_rejected(res, "m3.medium", SPS_COMPAT_R_INSTANCE_STORE,
                      "instance store disk 4 GB < 160 GB");
    s_expect_rejected(res, "g4dn.xlarge", SPS_COMPAT_R_ENA, NULL);
    sps_compat_result_destroy(res);

    res = s_match(cat, s_inst("x1e.xlarge", s_nitro), NULL);
    s_expect_rejected(res, "r5d.4xlarge", SPS_COMPAT_R_INSTANCE_STORE,
                      "instance store is NVMe, the original's is not NVMe: device names differ");
    sps_compat_result_destroy(res);

    res = s_match(cat, s_inst("c5n.large", s_nitro), NULL);
    s_expect_rejected(res, "c5.xlarge", SPS_COMPAT_R_NETWORK,
                      "network up to 10000 Mbps < up to 25000 Mbps");
    s_expect_rejected(res, "c5n.metal", SPS_COMPAT_R_BARE_METAL, NULL);
    sps_compat_result_destroy(res);

    res = s_match(cat, s_inst("inf1.xlarge", s_nitro), NULL);
    s_expect_rejected(res, "m5.xlarge", SPS_COMPAT_R_ACCELERATOR, "neuron devices 0 < 1");
    sps_compat_result_destroy(res);
    res = s_match(cat, s_inst("m5.xlarge", s_nitro), NULL);
    s_expect_rejected(res, "inf1.xlarge", SPS_COMPAT_R_ACCELERATOR,
                      "has neuron devices, the original has none");
    s_expect_rejected(res, "f2.6xlarge", SPS_COMPAT_R_ACCELERATOR,
                      "has fpgas, the original has none");
    s_expect_rejected(res, "g4dn.xlarge", SPS_COMPAT_R_GPU, "GPU type for an original without GPU");
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
}

static void test_without_explain_reasons_have_no_text(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_instance inst = s_inst("c5d.xlarge", s_nitro);
    struct sps_compat_result *quiet = NULL, *loud = NULL;
    SPS_CHECK_OK(sps_compat_match(cat, &inst, NULL, false, &quiet));
    SPS_CHECK_OK(sps_compat_match(cat, &inst, NULL, true, &loud));
    SPS_CHECK_INT_EQ(quiet->count, loud->count);
    SPS_CHECK_INT_EQ(quiet->rejected_count, loud->rejected_count);
    for (size_t i = 0; i < quiet->rejected_count; i++) {
        SPS_CHECK(quiet->rejected[i].text == NULL);
        SPS_CHECK(quiet->rejected[i].reason == loud->rejected[i].reason);
        SPS_CHECK(quiet->rejected[i].reason != SPS_COMPAT_R_NONE);
    }
    for (size_t i = 0; i < quiet->count; i++)
        SPS_CHECK(quiet->candidates[i].type == loud->candidates[i].type);
    sps_compat_result_destroy(quiet);
    sps_compat_result_destroy(loud);
    sps_compat_result_destroy(NULL);
    sps_compat_catalog_destroy(cat);
}

static void test_allowed_and_disallowed_globs_together(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    const char *allowed[] = {"m5*.large", "c5.*"};
    const char *disallowed[] = {"m5d.*", "c5.2xlarge"};
    struct sps_compat_constraints cons = {allowed, 2, disallowed, 2, 0, false, 0};
    struct sps_compat_result *res = s_match(cat, s_inst("m5.large", s_nitro), &cons);
    SPS_CHECK(s_candidate(res, "m5.large") && s_candidate(res, "m5a.large"));
    SPS_CHECK(s_candidate(res, "m5zn.large") && s_candidate(res, "c5.xlarge"));
    SPS_CHECK(s_candidate(res, "c5.4xlarge"));
    s_expect_rejected(res, "m5d.large", SPS_COMPAT_R_DISALLOWED,
                      "matches disallowed pattern m5d.*");
    s_expect_rejected(res, "c5.2xlarge", SPS_COMPAT_R_DISALLOWED, NULL);
    s_expect_rejected(res, "m6i.large", SPS_COMPAT_R_NOT_ALLOWED, "matches no allowed pattern");
    s_expect_rejected(res, "m5.xlarge", SPS_COMPAT_R_NOT_ALLOWED, NULL);
    s_expect_rejected(res, "c5.large", SPS_COMPAT_R_MEMORY, NULL); /* allowed but too small */
    for (size_t i = 0; i < res->count; i++) {
        const char *n = res->candidates[i].type->name;
        SPS_CHECK((strncmp(n, "m5", 2) == 0 && strstr(n, ".large")) || strncmp(n, "c5.", 3) == 0);
        SPS_CHECK(strncmp(n, "m5d.", 4) != 0 && strcmp(n, "c5.2xlarge") != 0);
    }
    sps_compat_result_destroy(res);

    /* Disallowed alone; it also beats allow_bare_metal. */
    const char *no_metal[] = {"*.metal"};
    struct sps_compat_constraints only_deny = {NULL, 0, no_metal, 1, 0, true, 0};
    res = s_match(cat, s_inst("m5.large", s_nitro), &only_deny);
    s_expect_rejected(res, "m5.metal", SPS_COMPAT_R_DISALLOWED, NULL);
    SPS_CHECK(s_candidate(res, "m6i.large") != NULL);
    sps_compat_result_destroy(res);

    /* An allow list that matches nothing leaves nothing, the original included. */
    const char *nothing[] = {"zz*"};
    struct sps_compat_constraints none = {nothing, 1, NULL, 0, 0, false, 0};
    res = s_match(cat, s_inst("m5.large", s_nitro), &none);
    SPS_CHECK_INT_EQ(res->count, 0);
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
}

static void test_ceiling(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_constraints cons = {.ceiling = 2.0};
    struct sps_compat_result *res = s_match(cat, s_inst("m5.large", s_nitro), &cons);
    SPS_CHECK(s_candidate(res, "m5.xlarge") && s_candidate(res, "r5.large"));
    SPS_CHECK(s_candidate(res, "c5.xlarge"));
    s_expect_rejected(res, "m5.2xlarge", SPS_COMPAT_R_CEILING, "vcpu 8 > 2x 2 (ceiling)");
    s_expect_rejected(res, "r5.xlarge", SPS_COMPAT_R_CEILING,
                      "memory 32768 MiB > 2x 8192 MiB (ceiling)");
    s_expect_rejected(res, "x2idn.16xlarge", SPS_COMPAT_R_CEILING, NULL);
    SPS_CHECK(s_candidate(res, "r6i.large") != NULL); /* 16 GiB is exactly 2x */
    for (size_t i = 0; i < res->count; i++) {
        SPS_CHECK(res->candidates[i].type->vcpu <= 4);
        SPS_CHECK(res->candidates[i].type->memory_mib <= 16384);
    }
    sps_compat_result_destroy(res);
    cons.ceiling = 1.0; /* exactly the original's size */
    res = s_match(cat, s_inst("m5.large", s_nitro), &cons);
    SPS_CHECK(s_candidate(res, "m5.large") && s_candidate(res, "m5a.large"));
    s_expect_rejected(res, "r5.large", SPS_COMPAT_R_CEILING,
                      "memory 16384 MiB > 1x 8192 MiB (ceiling)");
    for (size_t i = 0; i < res->count; i++) {
        SPS_CHECK_INT_EQ(res->candidates[i].type->vcpu, 2);
        SPS_CHECK_INT_EQ(res->candidates[i].type->memory_mib, 8192);
        SPS_CHECK(res->candidates[i].excess == 0);
    }
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
}

static void test_offered_in_zone_with_and_without_zone_data(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    /* No zone data: region-level offered_in. */
    struct sps_compat_result *res = s_match(cat, s_inst("m5.large", s_nitro), NULL);
    SPS_CHECK(s_candidate(res, "m5a.large") != NULL);
    size_t region_level = res->count;
    sps_compat_result_destroy(res);

    const char *zone[] = {"m5.large", "c5.xlarge", "m5.metal"};
    SPS_CHECK_OK(sps_compat_catalog_set_offered(cat, "us-east-1a", zone, 3));
    res = s_match(cat, s_inst("m5.large", s_nitro), NULL);
    SPS_CHECK_INT_EQ(res->count, 2);
    SPS_CHECK(s_candidate(res, "m5.large") && s_candidate(res, "c5.xlarge"));
    s_expect_rejected(res, "m5a.large", SPS_COMPAT_R_NOT_OFFERED, "not offered in us-east-1a");
    s_expect_rejected(res, "m5.metal", SPS_COMPAT_R_BARE_METAL, NULL);
    sps_compat_result_destroy(res);

    /* Another zone of the same region still uses region-level data. */
    struct sps_compat_instance b = s_inst("m5.large", s_nitro);
    b.az = "us-east-1b";
    res = s_match(cat, b, NULL);
    SPS_CHECK_INT_EQ(res->count, region_level);
    sps_compat_result_destroy(res);

    /* m1.small is offered in us-east-1 but not in us-east-2. */
    struct sps_compat_instance east2 = {"m1.small", "us-east-2a", "us-east-2", false, s_xen};
    res = s_match(cat, east2, NULL);
    s_expect_rejected(res, "m1.small", SPS_COMPAT_R_NOT_OFFERED,
                      "not offered in us-east-2 (offerings of us-east-2a unknown)");
    SPS_CHECK(s_candidate(res, "m4.large") == NULL);
    sps_compat_result_destroy(res);

    /* A region outside the catalog's table: nothing without zone data, the list with it. */
    struct sps_compat_instance mx = {"m5.large", "mx-central-1a", "mx-central-1", false, s_nitro};
    res = s_match(cat, mx, NULL);
    SPS_CHECK_INT_EQ(res->count, 0);
    sps_compat_result_destroy(res);
    SPS_CHECK_OK(sps_compat_catalog_set_offered(cat, "mx-central-1a", zone, 3));
    res = s_match(cat, mx, NULL);
    SPS_CHECK_INT_EQ(res->count, 2);
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
}

static void test_ena_and_nvme_against_the_ami(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    /* An AMI without ENA cannot boot an ENA-required type. */
    struct sps_compat_result *res = s_match(cat, s_inst("m4.large", s_xen), NULL);
    s_expect_rejected(res, "m5.large", SPS_COMPAT_R_ENA, NULL);
    SPS_CHECK(s_candidate(res, "m4.xlarge") && s_candidate(res, "r4.large"));
    for (size_t i = 0; i < res->count; i++)
        SPS_CHECK(res->candidates[i].type->ena != SPS_COMPAT_REQUIRED);
    sps_compat_result_destroy(res);
    /* ENA but not Nitro-capable: no type that shows EBS as NVMe. */
    res = s_match(cat, s_inst("m4.large", s_xen_ena), NULL);
    s_expect_rejected(res, "m5.large", SPS_COMPAT_R_NVME, NULL);
    SPS_CHECK(s_candidate(res, "r4.large") != NULL);
    for (size_t i = 0; i < res->count; i++)
        SPS_CHECK(res->candidates[i].type->ebs_nvme != SPS_COMPAT_REQUIRED);
    sps_compat_result_destroy(res);
    /* Nitro-capable: the Nitro generation opens up. */
    res = s_match(cat, s_inst("m4.large", s_nitro), NULL);
    SPS_CHECK(s_candidate(res, "m5.large") && s_candidate(res, "m7i.large"));
    sps_compat_result_destroy(res);
    /* r4 uses ENA with an ENA AMI: a type without ENA would lose it. */
    res = s_match(cat, s_inst("r4.large", s_xen_ena), NULL);
    s_expect_rejected(res, "d2.8xlarge", SPS_COMPAT_R_ENA, "no ENA, which the original uses");
    sps_compat_result_destroy(res);
    res = s_match(cat, s_inst("r4.large", s_xen), NULL);
    SPS_CHECK(s_candidate(res, "d2.8xlarge") != NULL);
    sps_compat_result_destroy(res);
    /* A Nitro original keeps NVMe EBS device names: no Xen types. */
    res = s_match(cat, s_inst("m5.large", s_nitro), NULL);
    s_expect_rejected(res, "r4.large", SPS_COMPAT_R_NVME,
                      "EBS volumes would not appear as NVMe devices as on the original");
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
}

static void test_ebs_optimized(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_instance inst = s_inst("i2.xlarge", s_xen);
    inst.ebs_optimized = true; /* i2: optional, turned on */
    struct sps_compat_result *res = s_match(cat, inst, NULL);
    s_expect_rejected(res, "i2.8xlarge", SPS_COMPAT_R_EBS_OPTIMIZED,
                      "not EBS-optimized, the original is");
    const struct sps_compat_candidate *c = s_candidate(res, "i2.2xlarge");
    SPS_CHECK(c != NULL && c->request_ebs_optimized);
    sps_compat_result_destroy(res);
    inst.ebs_optimized = false;
    res = s_match(cat, inst, NULL);
    SPS_CHECK(s_candidate(res, "i2.8xlarge") != NULL);
    c = s_candidate(res, "i2.2xlarge");
    SPS_CHECK(c != NULL && !c->request_ebs_optimized);
    sps_compat_result_destroy(res);
    /* An EBS-optimized-by-default original needs it too. */
    res = s_match(cat, s_inst("m4.large", s_xen), NULL);
    s_expect_rejected(res, "c3.8xlarge", SPS_COMPAT_R_EBS_OPTIMIZED, NULL);
    SPS_CHECK(!s_candidate(res, "m4.xlarge")->request_ebs_optimized);
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
}

static void test_bad_arguments(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_result *res = NULL;
    struct sps_compat_instance ok = s_inst("m5.large", s_nitro), bad;
    SPS_CHECK_ERR(sps_compat_match(NULL, &ok, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_match(cat, NULL, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_match(cat, &ok, NULL, false, NULL), SPS_ERR_INVALID_ARGUMENT);
    bad = ok, bad.type = NULL;
    SPS_CHECK_ERR(sps_compat_match(cat, &bad, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    bad = ok, bad.az = NULL;
    SPS_CHECK_ERR(sps_compat_match(cat, &bad, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    bad = ok, bad.region = NULL;
    SPS_CHECK_ERR(sps_compat_match(cat, &bad, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    bad = ok, bad.region = "";
    SPS_CHECK_ERR(sps_compat_match(cat, &bad, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    bad = ok, bad.az = "eu-west-1a"; /* not in us-east-1 */
    SPS_CHECK_ERR(sps_compat_match(cat, &bad, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    bad = ok, bad.az = "us-east-1"; /* a region is not a zone */
    SPS_CHECK_ERR(sps_compat_match(cat, &bad, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    bad = ok, bad.ami.arch = 0;
    SPS_CHECK_ERR(sps_compat_match(cat, &bad, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    bad = ok, bad.ami.arch = SPS_COMPAT_ARCH_X86_64 | SPS_COMPAT_ARCH_ARM64;
    SPS_CHECK_ERR(sps_compat_match(cat, &bad, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    bad = ok, bad.ami.arch = 0x20;
    SPS_CHECK_ERR(sps_compat_match(cat, &bad, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    bad = ok, bad.ami.virtualization = SPS_COMPAT_VIRT_HVM | SPS_COMPAT_VIRT_PARAVIRTUAL;
    SPS_CHECK_ERR(sps_compat_match(cat, &bad, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);
    bad = ok, bad.ami.platform = (enum sps_compat_platform)9;
    SPS_CHECK_ERR(sps_compat_match(cat, &bad, NULL, false, &res), SPS_ERR_INVALID_ARGUMENT);

    const double ceilings[] = {-1.0, 0.5, 0.999, NAN, INFINITY};
    for (size_t i = 0; i < sizeof(ceilings) / sizeof(ceilings[0]); i++) {
        struct sps_compat_constraints c = {.ceiling = ceilings[i]};
        SPS_CHECK_ERR(sps_compat_match(cat, &ok, &c, false, &res), SPS_ERR_INVALID_ARGUMENT);
    }
    const char *with_null[] = {"m5.*", NULL};
    struct sps_compat_constraints c = {.allowed = with_null, .allowed_count = 2};
    SPS_CHECK_ERR(sps_compat_match(cat, &ok, &c, false, &res), SPS_ERR_INVALID_ARGUMENT);
    c = (struct sps_compat_constraints){.disallowed = with_null, .disallowed_count = 2};
    SPS_CHECK_ERR(sps_compat_match(cat, &ok, &c, false, &res), SPS_ERR_INVALID_ARGUMENT);
    c = (struct sps_compat_constraints){.allowed = NULL, .allowed_count = 1};
    SPS_CHECK_ERR(sps_compat_match(cat, &ok, &c, false, &res), SPS_ERR_INVALID_ARGUMENT);
    c = (struct sps_compat_constraints){.disallowed = NULL, .disallowed_count = 1};
    SPS_CHECK_ERR(sps_compat_match(cat, &ok, &c, false, &res), SPS_ERR_INVALID_ARGUMENT);
    c = (struct sps_compat_constraints){.burstable = (enum sps_compat_burstable)5};
    SPS_CHECK_ERR(sps_compat_match(cat, &ok, &c, false, &res), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK(res == NULL);
    SPS_CHECK_STR_EQ(sps_compat_reason_name(SPS_COMPAT_R_VCPU), "vcpu");
    SPS_CHECK_STR_EQ(sps_compat_reason_name(SPS_COMPAT_R_NOT_OFFERED), "not-offered");
    SPS_CHECK_STR_EQ(sps_compat_reason_name(SPS_COMPAT_R_COUNT_), "unknown");
    SPS_CHECK_STR_EQ(sps_compat_reason_name((enum sps_compat_reason) - 1), "unknown");
    sps_compat_catalog_destroy(cat);
}

SPS_TEST_MAIN(SPS_CASE(test_live_p3_is_matched), SPS_CASE(test_unknown_type_is_a_clear_error),
              SPS_CASE(test_explain_texts), SPS_CASE(test_without_explain_reasons_have_no_text),
              SPS_CASE(test_allowed_and_disallowed_globs_together), SPS_CASE(test_ceiling),
              SPS_CASE(test_offered_in_zone_with_and_without_zone_data),
              SPS_CASE(test_ena_and_nvme_against_the_ami), SPS_CASE(test_ebs_optimized),
              SPS_CASE(test_bad_arguments))
