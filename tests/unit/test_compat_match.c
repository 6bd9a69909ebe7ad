/*
 * The matcher on real instance types. Each table row names the running type, the AMI and the
 * policy, and lists hand-checked verdicts for chosen catalog types ("ok" or the reason name);
 * every row also re-checks the core rules on every candidate it gets, independently of the
 * matcher's code.
 */
#include "sps_compat.h"
#include "sps_test.h"

enum ami_kind { NITRO, XEN_ENA, XEN, ARM, PV, MAC, WIN };

static struct sps_compat_ami s_ami(enum ami_kind kind)
{
    switch (kind) {
    case NITRO:
        return (struct sps_compat_ami){SPS_COMPAT_ARCH_X86_64, SPS_COMPAT_VIRT_HVM,
                                       SPS_COMPAT_LINUX, true, true};
    case XEN_ENA:
        return (struct sps_compat_ami){SPS_COMPAT_ARCH_X86_64, SPS_COMPAT_VIRT_HVM,
                                       SPS_COMPAT_LINUX, true, false};
    case XEN:
        return (struct sps_compat_ami){SPS_COMPAT_ARCH_X86_64, SPS_COMPAT_VIRT_HVM,
                                       SPS_COMPAT_LINUX, false, false};
    case ARM:
        return (struct sps_compat_ami){SPS_COMPAT_ARCH_ARM64, SPS_COMPAT_VIRT_HVM, SPS_COMPAT_LINUX,
                                       true, true};
    case PV:
        return (struct sps_compat_ami){SPS_COMPAT_ARCH_X86_64, SPS_COMPAT_VIRT_PARAVIRTUAL,
                                       SPS_COMPAT_LINUX, false, false};
    case MAC:
        return (struct sps_compat_ami){SPS_COMPAT_ARCH_X86_64_MAC, SPS_COMPAT_VIRT_HVM,
                                       SPS_COMPAT_LINUX, true, true};
    case WIN:
        return (struct sps_compat_ami){SPS_COMPAT_ARCH_X86_64, SPS_COMPAT_VIRT_HVM,
                                       SPS_COMPAT_WINDOWS, true, true};
    }
    return (struct sps_compat_ami){0};
}

struct row {
    const char *type;
    enum ami_kind ami;
    enum sps_compat_burstable burstable;
    bool metal;
    bool ebs_optimized;
    int expect_count;         /* -1: not checked */
    const char *verdicts[12]; /* "name verdict" */
};

#define LIKE SPS_COMPAT_BURSTABLE_LIKE_ORIGINAL
#define NEVER SPS_COMPAT_BURSTABLE_NEVER
#define ALWAYS SPS_COMPAT_BURSTABLE_ALWAYS

/* clang-format off */
static const struct row s_rows[] = {
    {"m5.large", NITRO, LIKE, false, false, -1,
     {"m5.large ok", "m5a.large ok", "m6i.large ok", "c5.xlarge ok", "r5.large ok",
      "m5d.large ok", "c5.large memory", "t3.large burstable", "m5.metal bare-metal",
      "m6g.large arch", "m4.large ena", "g4dn.xlarge gpu"}},
    {"m5.large", NITRO, LIKE, false, false, -1,
     {"inf1.xlarge accelerator", "mac1.metal no-spot", "m7i.large ok", "c4.xlarge ena",
      "m5.xlarge ok", "hpc7g.4xlarge no-spot", "m5zn.large ok", "x1e.xlarge nvme"}},
    {"m5.large", NITRO, LIKE, true, false, -1, {"m5.metal ok", "m5d.metal ok", "c5.metal ok"}},
    {"c5d.xlarge", NITRO, LIKE, false, false, -1,
     {"c5d.xlarge ok", "c5ad.xlarge ok", "m5ad.xlarge ok", "m5d.xlarge ok", "c5d.2xlarge ok",
      "c5.xlarge instance-store", "c5d.large vcpu", "c6gd.xlarge arch", "x1e.xlarge nvme"}},
    {"i3.large", NITRO, LIKE, false, false, -1,
     {"i3.large ok", "i3.xlarge ok", "i3en.large ok", "i4i.xlarge ok", "i4i.large instance-store",
      "r5d.large instance-store", "m5d.large memory", "r5.large instance-store"}},
    {"i3.large", XEN_ENA, LIKE, false, false, -1,
     {"i3.large ok", "i3.xlarge ok", "i3en.large nvme", "i4i.xlarge nvme", "r4.large instance-store"}},
    {"g5.xlarge", NITRO, LIKE, false, false, -1,
     {"g5.xlarge ok", "g6.xlarge ok", "g5.2xlarge ok", "g4dn.xlarge gpu", "g4ad.xlarge gpu",
      "m5.xlarge gpu", "g6f.large gpu", "g5g.xlarge arch"}},
    {"g4dn.xlarge", NITRO, LIKE, false, false, -1,
     {"g4dn.xlarge ok", "g5.xlarge network", "g6.xlarge network", "g4ad.xlarge gpu", "g4dn.2xlarge ok"}},
    {"g6f.large", NITRO, LIKE, false, false, -1,
     {"g6f.large ok", "g6.xlarge ok", "g5.xlarge ok", "m5.large gpu", "g4ad.xlarge gpu"}},
    {"m1.small", PV, LIKE, false, false, -1,
     {"m1.small ok", "m1.medium ok", "c1.medium ok", "m3.medium instance-store",
      "t1.micro memory", "m5.large virtualization", "c3.large instance-store",
      "t2.micro virtualization"}},
    {"m1.small", XEN, LIKE, false, false, -1,
     {"m1.small ok", "d2.xlarge ok", "h1.2xlarge ok", "i2.xlarge ok", "m5d.large ena",
      "m3.medium instance-store"}},
    {"t1.micro", PV, LIKE, false, false, -1,
     {"t1.micro ok", "m1.small ok", "c1.medium ok", "m3.medium ok", "t2.micro virtualization",
      "m5.large virtualization"}},
    {"m6g.large", ARM, LIKE, false, false, -1,
     {"m6g.large ok", "r6g.large ok", "a1.xlarge ok", "m6g.xlarge ok", "c6g.large memory",
      "c7g.large memory", "t4g.micro burstable", "m5.large arch"}},
    {"m6g.large", NITRO, LIKE, false, false, 0, {"m6g.large arch", "m5.large arch"}},
    {"a1.large", ARM, LIKE, false, false, -1,
     {"a1.large ok", "c6g.large ok", "c7g.large ok", "m6g.large ok", "m5.large arch",
      "t4g.medium burstable", "c6gd.large ok"}},
    {"a1.large", NITRO, LIKE, false, false, 0, {"a1.large arch", "c5.large arch"}},
    {"t3.micro", NITRO, LIKE, false, false, -1,
     {"t3.micro ok", "t3a.micro ok", "t3.small ok", "m5.large ok", "c5.large ok",
      "t3.nano memory", "t4g.micro arch", "t2.micro ena"}},
    {"t3.micro", NITRO, NEVER, false, false, -1,
     {"t3.micro burstable", "t3a.micro burstable", "m5.large ok", "c5.large ok"}},
    {"c4.large", NITRO, LIKE, false, false, -1,
     {"c4.large ok", "c5.large ok", "t3.medium burstable", "m4.large ok"}},
    {"c4.large", NITRO, ALWAYS, false, false, -1, {"t3.medium ok", "t3.small memory"}},
    {"mac1.metal", MAC, LIKE, true, false, 0,
     {"mac1.metal no-spot", "mac2.metal no-spot", "m5.metal arch", "m5.large arch"}},
    {"m4.large", XEN, LIKE, false, false, -1,
     {"m4.large ok", "m4.xlarge ok", "r4.large ok", "c4.xlarge memory", "m5.large ena",
      "t2.large burstable", "m3.large memory"}},
    {"m4.large", NITRO, LIKE, false, false, -1,
     {"m5.large ok", "m4.large ok", "m6i.large ok", "m6g.large arch"}},
    {"x1e.xlarge", NITRO, LIKE, false, false, -1,
     {"x1e.xlarge ok", "x1e.2xlarge ok", "r5d.4xlarge instance-store", "r5.4xlarge instance-store"}},
    {"d2.xlarge", XEN, LIKE, false, false, -1,
     {"d2.xlarge ok", "d2.2xlarge ok", "h1.2xlarge instance-store", "i2.xlarge instance-store"}},
    {"h1.2xlarge", XEN_ENA, LIKE, false, false, -1,
     {"h1.2xlarge ok", "h1.4xlarge ok", "d2.2xlarge ena", "d2.4xlarge ena"}},
    {"inf1.xlarge", NITRO, LIKE, false, false, -1,
     {"inf1.xlarge ok", "inf1.2xlarge ok", "m5.xlarge accelerator", "inf2.xlarge network"}},
    {"c5n.large", NITRO, LIKE, false, false, -1,
     {"c5n.large ok", "m5zn.large ok", "c5.xlarge network", "c6in.large memory"}},
    {"z1d.large", NITRO, LIKE, false, false, -1,
     {"z1d.large ok", "r5d.large ok", "m5d.large memory", "r5.large instance-store"}},
    {"m7i.large", NITRO, LIKE, false, false, -1,
     {"m7i.large ok", "m6i.large ok", "m5.large network", "m7g.large arch"}},
    {"r6g.large", ARM, LIKE, false, false, -1,
     {"r6g.large ok", "m6g.xlarge ok", "m6g.large memory", "r7g.large ok"}},
    {"m6id.large", NITRO, LIKE, false, false, -1,
     {"m6id.large ok", "m6id.xlarge ok", "m5d.large instance-store", "c5d.xlarge instance-store"}},
    {"i2.xlarge", XEN, LIKE, false, true, -1,
     {"i2.xlarge ok", "d2.xlarge instance-store", "i3.xlarge instance-store"}},
    {"c3.large", PV, LIKE, false, false, -1,
     {"c3.large ok", "c3.xlarge ok", "m3.large instance-store", "m1.large instance-store"}},
    {"t2.micro", XEN, LIKE, false, false, -1,
     {"t2.micro ok", "t2.small ok", "t3.micro ena", "m1.small network", "t1.micro memory"}},
    {"m5.metal", NITRO, LIKE, false, false, -1,
     {"m5.metal ok", "m5d.metal ok", "m5.24xlarge bare-metal", "c5.metal memory"}},
    {"r5.large", NITRO, LIKE, false, false, -1,
     {"r5.large ok", "r5a.large ok", "r5d.large ok", "m5.xlarge ok", "m5.large memory",
      "r6g.large arch", "r4.large nvme"}},
    {"c6g.xlarge", ARM, LIKE, false, false, -1,
     {"c6g.xlarge ok", "c7g.xlarge ok", "m6g.xlarge ok", "c6gn.xlarge ok", "c6g.large vcpu",
      "c5.xlarge arch", "g5g.xlarge gpu"}},
    {"m5d.large", NITRO, LIKE, false, false, -1,
     {"m5d.large ok", "m5ad.large ok", "c5d.xlarge ok", "r5d.large ok", "m5.large instance-store",
      "m6gd.large arch", "c5d.large memory"}},
    {"r4.large", XEN_ENA, LIKE, false, false, -1,
     {"r4.large ok", "r4.xlarge ok", "i3.large ok", "x1e.xlarge ok", "r5.large nvme",
      "m4.xlarge ena", "m4.2xlarge ena"}},
    {"m5.xlarge", WIN, LIKE, false, false, -1,
     {"m5.xlarge ok", "m6g.xlarge arch", "m5.large vcpu", "c5.2xlarge ok"}},
};
/* clang-format on */

static const struct sps_compat_type *s_find(const struct sps_compat_catalog *cat, const char *n)
{
    const struct sps_compat_type *t = NULL;
    SPS_CHECK_OK(sps_compat_catalog_find(cat, n, &t));
    return t;
}

/* The verdict the result gives `name`: "ok" or the reason name. */
static const char *s_verdict(const struct sps_compat_result *res, const char *name,
                             const char **text)
{
    *text = NULL;
    for (size_t i = 0; i < res->count; i++) {
        if (strcmp(res->candidates[i].type->name, name) == 0)
            return "ok";
    }
    for (size_t i = 0; i < res->rejected_count; i++) {
        if (strcmp(res->rejected[i].type->name, name) == 0) {
            *text = res->rejected[i].text;
            return sps_compat_reason_name(res->rejected[i].reason);
        }
    }
    return "absent";
}

/* The core rules, restated independently of match.c, on one accepted candidate. */
static void s_check_candidate(const struct row *r, const struct sps_compat_type *o,
                              const struct sps_compat_type *c)
{
    struct sps_compat_ami ami = s_ami(r->ami);
    int use1 = sps_compat_region_index("us-east-1");
    SPS_CHECK(c->spot);
    SPS_CHECK((c->arch & ami.arch) && (o->arch & ami.arch));
    SPS_CHECK(c->virtualization & ami.virtualization);
    SPS_CHECK(c->vcpu >= o->vcpu && c->memory_mib >= o->memory_mib);
    SPS_CHECK((c->offered_regions >> use1) & 1u);
    SPS_CHECK(ami.ena_support || c->ena != SPS_COMPAT_REQUIRED);
    SPS_CHECK(ami.nvme_support || c->ebs_nvme != SPS_COMPAT_REQUIRED);
    SPS_CHECK((o->gpu_memory_mib > 0) == (c->gpu_memory_mib > 0));
    if (o->gpu_memory_mib > 0)
        SPS_CHECK(strcmp(c->gpu_manufacturer, o->gpu_manufacturer) == 0 && c->gpus >= o->gpus &&
                  c->gpu_memory_mib >= o->gpu_memory_mib);
    if (o->store.count > 0)
        SPS_CHECK(c->store.count >= o->store.count && c->store.size_gb >= o->store.size_gb &&
                  c->store.nvme == o->store.nvme && (c->store.ssd || !o->store.ssd));
    SPS_CHECK(!c->burstable || r->burstable == ALWAYS || (r->burstable == LIKE && o->burstable));
    SPS_CHECK(c->bare_metal == o->bare_metal || (r->metal && c->bare_metal));
    SPS_CHECK(sps_compat_network_covers(&c->network, &o->network));
}

/* Returns the number of verdicts that differ (each printed), so one run shows them all. */
static int s_run_row(const struct sps_compat_catalog *cat, size_t index)
{
    int mismatches = 0;
    const struct row *r = &s_rows[index];
    struct sps_compat_instance inst = {r->type, "us-east-1a", "us-east-1", r->ebs_optimized,
                                       s_ami(r->ami)};
    struct sps_compat_constraints cons = {.burstable = r->burstable, .allow_bare_metal = r->metal};
    struct sps_compat_result *res = NULL;
    SPS_CHECK_OK(sps_compat_match(cat, &inst, &cons, true, &res));
    SPS_CHECK(res->original == s_find(cat, r->type));
    SPS_CHECK_INT_EQ(res->count + res->rejected_count, sps_compat_catalog_count(cat));
    if (r->expect_count >= 0 && res->count != (size_t)r->expect_count)
        sps_test_fail(__FILE__, __LINE__, "row %zu (%s): %zu candidates, expected %d", index,
                      r->type, res->count, r->expect_count);
    for (size_t i = 0; i < res->count; i++)
        s_check_candidate(r, res->original, res->candidates[i].type);
    for (size_t i = 0; i < res->rejected_count; i++)
        SPS_CHECK(res->rejected[i].text != NULL && res->rejected[i].text[0] != '\0');
    for (size_t v = 0; v < 12 && r->verdicts[v]; v++) {
        char name[64];
        const char *space = strchr(r->verdicts[v], ' ');
        snprintf(name, sizeof(name), "%.*s", (int)(space - r->verdicts[v]), r->verdicts[v]);
        const char *text;
        const char *got = s_verdict(res, name, &text);
        if (strcmp(got, space + 1) != 0) {
            printf("  row %zu (%s): %s is %s (%s), expected %s\n", index, r->type, name, got,
                   text ? text : "", space + 1);
            mismatches++;
        }
    }
    sps_compat_result_destroy(res);
    return mismatches;
}

static void test_table_of_real_types(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    int mismatches = 0;
    for (size_t i = 0; i < sizeof(s_rows) / sizeof(s_rows[0]); i++)
        mismatches += s_run_row(cat, i);
    sps_compat_catalog_destroy(cat);
    SPS_CHECK_INT_EQ(mismatches, 0);
}

SPS_TEST_MAIN(SPS_CASE(test_table_of_real_types))
