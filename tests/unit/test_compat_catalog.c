/* The embedded catalog, the live overlay, zone offerings, prices and network parsing. */
#include "sps_compat.h"
#include "sps_test.h"

#include <math.h>

static const struct sps_compat_type *s_find(const struct sps_compat_catalog *cat, const char *n)
{
    const struct sps_compat_type *t = NULL;
    SPS_CHECK_OK(sps_compat_catalog_find(cat, n, &t));
    SPS_CHECK(t != NULL);
    return t;
}

/* p3.2xlarge is retired and not in the embedded catalog; its DescribeInstanceTypes specs. */
static struct sps_compat_type s_p3_2xlarge(void)
{
    return (struct sps_compat_type){
        .name = "p3.2xlarge",
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
        .current_generation = false,
        .spot = true,
    };
}

static void test_embedded_catalog_is_complete_and_sorted(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    SPS_CHECK_INT_EQ(sps_compat_catalog_count(cat), 1373);
    for (size_t i = 1; i < sps_compat_catalog_count(cat); i++)
        SPS_CHECK(strcmp(sps_compat_catalog_at(cat, i - 1)->name,
                         sps_compat_catalog_at(cat, i)->name) < 0);
    SPS_CHECK(sps_compat_catalog_at(cat, 1373) == NULL);
    SPS_CHECK_STR_EQ(sps_compat_catalog_at(cat, 0)->name, "a1.2xlarge");
    sps_compat_catalog_destroy(cat);
    sps_compat_catalog_destroy(NULL);
}

static void test_embedded_records_carry_the_json_fields(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    const struct sps_compat_type *t = s_find(cat, "m5d.large");
    SPS_CHECK_STR_EQ(t->family, "m5d");
    SPS_CHECK_INT_EQ(t->vcpu, 2);
    SPS_CHECK_INT_EQ(t->memory_mib, 8192);
    SPS_CHECK_INT_EQ(t->store.count, 1);
    SPS_CHECK_INT_EQ(t->store.size_gb, 75);
    SPS_CHECK_INT_EQ(t->store.total_gb, 75);
    SPS_CHECK(t->store.ssd && t->store.nvme);
    SPS_CHECK_INT_EQ(t->virtualization, SPS_COMPAT_VIRT_HVM);
    SPS_CHECK_INT_EQ(t->arch, SPS_COMPAT_ARCH_X86_64);
    SPS_CHECK_INT_EQ(t->ebs_optimized, SPS_COMPAT_EBS_OPT_DEFAULT);
    SPS_CHECK_INT_EQ(t->ebs_nvme, SPS_COMPAT_REQUIRED);
    SPS_CHECK_INT_EQ(t->ena, SPS_COMPAT_REQUIRED);
    SPS_CHECK_INT_EQ(t->network.mbps, 10000);
    SPS_CHECK(t->network.up_to);
    SPS_CHECK_STR_EQ(t->network.text, "Up to 10 Gigabit");
    SPS_CHECK_INT_EQ(t->hypervisor, SPS_COMPAT_HV_NITRO);
    SPS_CHECK(t->current_generation && t->spot && !t->burstable && !t->bare_metal);

    t = s_find(cat, "g5.xlarge");
    SPS_CHECK_INT_EQ(t->gpus, 1);
    SPS_CHECK_INT_EQ(t->gpu_memory_mib, 22888);
    SPS_CHECK_STR_EQ(t->gpu_manufacturer, "NVIDIA");
    SPS_CHECK_STR_EQ(t->gpu_model, "A10G");
    t = s_find(cat, "g4ad.xlarge");
    SPS_CHECK_STR_EQ(t->gpu_manufacturer, "AMD");
    SPS_CHECK_STR_EQ(t->gpu_model, "Radeon Pro V520");
    t = s_find(cat, "m1.small");
    SPS_CHECK_INT_EQ(t->virtualization, SPS_COMPAT_VIRT_HVM | SPS_COMPAT_VIRT_PARAVIRTUAL);
    SPS_CHECK_INT_EQ(t->arch, SPS_COMPAT_ARCH_I386 | SPS_COMPAT_ARCH_X86_64);
    SPS_CHECK(!t->store.ssd && !t->store.nvme);
    SPS_CHECK_INT_EQ(t->ebs_optimized, SPS_COMPAT_EBS_OPT_UNSUPPORTED);
    SPS_CHECK_INT_EQ(t->network.mbps, 100);
    t = s_find(cat, "mac1.metal");
    SPS_CHECK_INT_EQ(t->arch, SPS_COMPAT_ARCH_X86_64_MAC);
    SPS_CHECK(t->bare_metal && !t->spot);
    SPS_CHECK_INT_EQ(t->hypervisor, SPS_COMPAT_HV_NONE);
    t = s_find(cat, "inf1.xlarge");
    SPS_CHECK_INT_EQ(t->neuron_devices, 1);
    SPS_CHECK_INT_EQ(t->inference_accelerators, 1);
    SPS_CHECK_INT_EQ(s_find(cat, "f2.12xlarge")->fpgas, 2);
    SPS_CHECK(s_find(cat, "t3.micro")->burstable);
    SPS_CHECK_INT_EQ(s_find(cat, "i3.large")->hypervisor, SPS_COMPAT_HV_XEN);
    SPS_CHECK_INT_EQ(s_find(cat, "p4d.24xlarge")->network.mbps, 400000);
    sps_compat_catalog_destroy(cat);
}

static void test_unknown_type_is_an_error(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    const struct sps_compat_type *t = NULL;
    SPS_CHECK_ERR(sps_compat_catalog_find(cat, "p3.2xlarge", &t), SPS_ERR_COMPAT_UNKNOWN_TYPE);
    SPS_CHECK_ERR(sps_compat_catalog_find(cat, "m5.huge", &t), SPS_ERR_COMPAT_UNKNOWN_TYPE);
    SPS_CHECK_ERR(sps_compat_catalog_find(cat, "", &t), SPS_ERR_COMPAT_UNKNOWN_TYPE);
    SPS_CHECK_ERR(sps_compat_catalog_find(cat, "zzz.zzz", &t), SPS_ERR_COMPAT_UNKNOWN_TYPE);
    SPS_CHECK(t == NULL);
    SPS_CHECK_ERR(sps_compat_catalog_find(cat, NULL, &t), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_catalog_find(NULL, "m5.large", &t), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_STR_EQ(sps_error_message(SPS_ERR_COMPAT_UNKNOWN_TYPE),
                     "instance type is in neither the catalog nor live data");
    sps_compat_catalog_destroy(cat);
}

static void test_live_record_adds_a_missing_type(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_type p3 = s_p3_2xlarge();
    char name[] = "p3.2xlarge";
    p3.name = name;
    SPS_CHECK_OK(sps_compat_catalog_add_live(cat, &p3));
    name[0] = 'x'; /* the catalog copied the record */
    const struct sps_compat_type *t = s_find(cat, "p3.2xlarge");
    SPS_CHECK_STR_EQ(t->family, "p3"); /* derived from the name */
    SPS_CHECK_STR_EQ(t->gpu_model, "V100");
    SPS_CHECK_INT_EQ(t->gpu_memory_mib, 16384);
    SPS_CHECK_STR_EQ(t->network.text, "Up to 10 Gigabit");
    SPS_CHECK_INT_EQ(sps_compat_catalog_count(cat), 1374);
    /* Still sorted after the insertion. */
    for (size_t i = 1; i < sps_compat_catalog_count(cat); i++)
        SPS_CHECK(strcmp(sps_compat_catalog_at(cat, i - 1)->name,
                         sps_compat_catalog_at(cat, i)->name) < 0);
    sps_compat_catalog_destroy(cat);
}

static void test_live_record_wins_over_embedded(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    const struct sps_compat_type *embedded = s_find(cat, "m5.large");
    struct sps_compat_type live = *embedded;
    live.memory_mib = 9000;
    struct sps_compat_price price = {(uint8_t)sps_compat_region_index("us-east-1"), 0.5};
    live.prices = &price;
    live.price_count = 1;
    SPS_CHECK_OK(sps_compat_catalog_add_live(cat, &live));
    const struct sps_compat_type *first = s_find(cat, "m5.large");
    SPS_CHECK_INT_EQ(first->memory_mib, 9000);
    SPS_CHECK(first != embedded);
    SPS_CHECK_INT_EQ(sps_compat_catalog_count(cat), 1373);
    double usd = 0;
    SPS_CHECK_OK(sps_compat_type_price(first, "us-east-1", &usd));
    SPS_CHECK(usd == 0.5);
    /* A second live record replaces the first; the first stays readable until destroy. */
    live.memory_mib = 9100;
    SPS_CHECK_OK(sps_compat_catalog_add_live(cat, &live));
    SPS_CHECK_INT_EQ(s_find(cat, "m5.large")->memory_mib, 9100);
    SPS_CHECK_INT_EQ(first->memory_mib, 9000);
    SPS_CHECK_STR_EQ(first->name, "m5.large");
    SPS_CHECK_INT_EQ(embedded->memory_mib, 8192); /* the embedded table is untouched */
    sps_compat_catalog_destroy(cat);
}

static void s_expect_problem(struct sps_compat_type t, const char *needle)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    const char *problem = sps_compat_type_problem(&t);
    SPS_CHECK(problem != NULL);
    if (strstr(problem, needle) == NULL)
        sps_test_fail(__FILE__, __LINE__, "problem \"%s\" does not mention \"%s\"", problem,
                      needle);
    SPS_CHECK_ERR(sps_compat_catalog_add_live(cat, &t), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_catalog_find(cat, "p3.2xlarge", &(const struct sps_compat_type *){0}),
                  SPS_ERR_COMPAT_UNKNOWN_TYPE);
    sps_compat_catalog_destroy(cat);
}

static void test_live_record_is_validated(void)
{
    struct sps_compat_type t = s_p3_2xlarge();
    SPS_CHECK(sps_compat_type_problem(&t) == NULL);
    SPS_CHECK(sps_compat_type_problem(NULL) != NULL);
    struct sps_compat_price bad_region = {200, 1.0}, bad_usd = {0, 0.0};
    struct sps_compat_type v;
    v = t, v.name = NULL, s_expect_problem(v, "name");
    v = t, v.name = "", s_expect_problem(v, "name");
    v = t, v.name = "nodot", s_expect_problem(v, "name");
    v = t, v.vcpu = 0, s_expect_problem(v, "vcpu");
    v = t, v.memory_mib = 0, s_expect_problem(v, "memory_mib");
    v = t, v.arch = 0, s_expect_problem(v, "arch");
    v = t, v.arch = 0x40, s_expect_problem(v, "arch");
    v = t, v.virtualization = 0, s_expect_problem(v, "virtualization");
    v = t, v.virtualization = 4, s_expect_problem(v, "virtualization");
    v = t, v.store.count = 2, s_expect_problem(v, "store.size_gb");
    v = t, v.network.mbps = 0, s_expect_problem(v, "network");
    v = t, v.gpu_memory_mib = 0, s_expect_problem(v, "gpu_memory_mib");
    v = t, v.gpu_manufacturer = "", s_expect_problem(v, "gpu_manufacturer");
    v = t, v.gpu_manufacturer = NULL, s_expect_problem(v, "gpu_manufacturer");
    v = t, v.ebs_optimized = (enum sps_compat_ebs_optimized)7, s_expect_problem(v, "ebs_optimized");
    v = t, v.ebs_nvme = (enum sps_compat_support)7, s_expect_problem(v, "ebs_nvme");
    v = t, v.ena = (enum sps_compat_support)7, s_expect_problem(v, "ena");
    v = t, v.hypervisor = (enum sps_compat_hypervisor)7, s_expect_problem(v, "hypervisor");
    v = t, v.price_count = 1, s_expect_problem(v, "prices is NULL");
    v = t, v.prices = &bad_region, v.price_count = 1, s_expect_problem(v, "region");
    v = t, v.prices = &bad_usd, v.price_count = 1, s_expect_problem(v, "positive");
    SPS_CHECK_ERR(sps_compat_catalog_add_live(NULL, &t), SPS_ERR_INVALID_ARGUMENT);
}

static void test_zone_offerings_override_region_data(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    const struct sps_compat_type *m5 = s_find(cat, "m5.large");
    const struct sps_compat_type *m1 = s_find(cat, "m1.small");
    /* Unknown zone: the region-level offered_in. m1.small is not offered in us-east-2. */
    SPS_CHECK(sps_compat_catalog_offered(cat, m5, "us-east-1", "us-east-1a"));
    SPS_CHECK(sps_compat_catalog_offered(cat, m1, "us-east-1", "us-east-1a"));
    SPS_CHECK(!sps_compat_catalog_offered(cat, m1, "us-east-2", "us-east-2a"));
    SPS_CHECK(!sps_compat_catalog_offered(cat, m5, "mars-north-1", "mars-north-1a"));
    /* Known zone: only the listed types, duplicates and order do not matter. */
    const char *zone_a[] = {"m1.small", "c5.large", "m1.small"};
    SPS_CHECK_OK(sps_compat_catalog_set_offered(cat, "us-east-1a", zone_a, 3));
    SPS_CHECK(!sps_compat_catalog_offered(cat, m5, "us-east-1", "us-east-1a"));
    SPS_CHECK(sps_compat_catalog_offered(cat, m1, "us-east-1", "us-east-1a"));
    SPS_CHECK(sps_compat_catalog_offered(cat, m5, "us-east-1", "us-east-1b"));
    /* A zone known to offer nothing; then replaced by a new list. */
    SPS_CHECK_OK(sps_compat_catalog_set_offered(cat, "us-east-1b", NULL, 0));
    SPS_CHECK(!sps_compat_catalog_offered(cat, m5, "us-east-1", "us-east-1b"));
    const char *zone_b[] = {"m5.large"};
    SPS_CHECK_OK(sps_compat_catalog_set_offered(cat, "us-east-1b", zone_b, 1));
    SPS_CHECK(sps_compat_catalog_offered(cat, m5, "us-east-1", "us-east-1b"));
    SPS_CHECK(!sps_compat_catalog_offered(cat, m1, "us-east-1", "us-east-1b"));
    /* A zone outside the region table works with zone data. */
    SPS_CHECK_OK(sps_compat_catalog_set_offered(cat, "mars-north-1a", zone_b, 1));
    SPS_CHECK(sps_compat_catalog_offered(cat, m5, "mars-north-1", "mars-north-1a"));
    SPS_CHECK(!sps_compat_catalog_offered(NULL, m5, "us-east-1", "us-east-1a"));
    SPS_CHECK(!sps_compat_catalog_offered(cat, NULL, "us-east-1", "us-east-1a"));
    sps_compat_catalog_destroy(cat);
}

static void test_set_offered_rejects_bad_input(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    const char *ok[] = {"m5.large"};
    const char *with_null[] = {"m5.large", NULL};
    const char *with_empty[] = {""};
    SPS_CHECK_ERR(sps_compat_catalog_set_offered(NULL, "us-east-1a", ok, 1),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_catalog_set_offered(cat, NULL, ok, 1), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_catalog_set_offered(cat, "", ok, 1), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_catalog_set_offered(cat, "us-east-1a", NULL, 1),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_catalog_set_offered(cat, "us-east-1a", with_null, 2),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_catalog_set_offered(cat, "us-east-1a", with_empty, 1),
                  SPS_ERR_INVALID_ARGUMENT);
    /* A failed call leaves the zone unknown. */
    SPS_CHECK(sps_compat_catalog_offered(cat, s_find(cat, "c5.large"), "us-east-1", "us-east-1a"));
    sps_compat_catalog_destroy(cat);
}

static void test_regions_and_prices(void)
{
    SPS_CHECK_INT_EQ(sps_compat_region_count(), 32);
    int use1 = sps_compat_region_index("us-east-1");
    SPS_CHECK(use1 >= 0);
    SPS_CHECK_STR_EQ(sps_compat_region_name((size_t)use1), "us-east-1");
    SPS_CHECK(sps_compat_region_index("us-gov-west-1") >= 0);
    SPS_CHECK_INT_EQ(sps_compat_region_index("cn-north-1"), -1);
    SPS_CHECK_INT_EQ(sps_compat_region_index(NULL), -1);
    SPS_CHECK(sps_compat_region_name(32) == NULL);

    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    double usd = -1;
    SPS_CHECK_OK(sps_compat_type_price(s_find(cat, "m5d.large"), "us-east-1", &usd));
    SPS_CHECK(fabs(usd - 0.113) < 1e-12);
    SPS_CHECK_OK(sps_compat_type_price(s_find(cat, "m5d.large"), "us-gov-west-1", &usd));
    SPS_CHECK(fabs(usd - 0.143) < 1e-12);
    /* Absent means unknown, never zero. */
    usd = -1;
    SPS_CHECK_ERR(sps_compat_type_price(s_find(cat, "m5d.large"), "eu-west-1", &usd),
                  SPS_ERR_NOT_FOUND);
    SPS_CHECK_ERR(sps_compat_type_price(s_find(cat, "mac1.metal"), "us-east-1", &usd),
                  SPS_ERR_NOT_FOUND);
    SPS_CHECK_ERR(sps_compat_type_price(s_find(cat, "m5.large"), "cn-north-1", &usd),
                  SPS_ERR_NOT_FOUND);
    SPS_CHECK(usd == -1);
    SPS_CHECK_ERR(sps_compat_type_price(NULL, "us-east-1", &usd), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_type_price(s_find(cat, "m5.large"), NULL, &usd),
                  SPS_ERR_INVALID_ARGUMENT);
    /* No type has a price of 0 or below. */
    for (size_t i = 0; i < sps_compat_catalog_count(cat); i++) {
        const struct sps_compat_type *t = sps_compat_catalog_at(cat, i);
        for (size_t p = 0; p < t->price_count; p++)
            SPS_CHECK(t->prices[p].usd_per_hour > 0);
        SPS_CHECK(sps_compat_type_problem(t) == NULL);
    }
    sps_compat_catalog_destroy(cat);
}

static void s_expect_network(const char *text, uint32_t mbps, bool up_to)
{
    struct sps_compat_network n;
    SPS_CHECK_OK(sps_compat_network_parse(text, &n));
    if (n.mbps != mbps || n.up_to != up_to)
        sps_test_fail(__FILE__, __LINE__, "\"%s\": got %u%s, expected %u%s", text, (unsigned)n.mbps,
                      n.up_to ? " up to" : "", (unsigned)mbps, up_to ? " up to" : "");
    SPS_CHECK(n.text == text);
}

static void test_network_parse(void)
{
    s_expect_network("Up to 10 Gigabit", 10000, true);
    s_expect_network("25 Gigabit", 25000, false);
    s_expect_network("100 Gigabit", 100000, false);
    s_expect_network("Up to 12.5 Gigabit", 12500, true);
    s_expect_network("133.33 Gigabit", 133330, false);
    s_expect_network("3.125 Gigabit", 3125, false);
    s_expect_network("4x 100 Gigabit", 400000, false);
    s_expect_network("16x 200 Gigabit", 3200000, false);
    s_expect_network("Very Low", 50, true);
    s_expect_network("Low", 100, true);
    s_expect_network("Low to Moderate", 300, true);
    s_expect_network("Moderate", 500, true);
    s_expect_network("High", 1000, true);
    const char *bad[] = {"",
                         "Gigabit",
                         "10 Gbps",
                         "Up to Gigabit",
                         "-5 Gigabit",
                         "1e3 Gigabit",
                         "0 Gigabit",
                         "0x 100 Gigabit",
                         "10. Gigabit",
                         ".5 Gigabit",
                         "1.2.3 Gigabit",
                         "x 100 Gigabit",
                         "high",
                         "Up to 10 Gigabit ",
                         "10  Gigabit",
                         "05x 10 Gigabit",
                         "99999999 Gigabit"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sps_compat_network n;
        if (sps_compat_network_parse(bad[i], &n) != SPS_ERR_INVALID_ARGUMENT)
            sps_test_fail(__FILE__, __LINE__, "\"%s\" parsed", bad[i]);
    }
    struct sps_compat_network n;
    SPS_CHECK_ERR(sps_compat_network_parse(NULL, &n), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_network_parse("High", NULL), SPS_ERR_INVALID_ARGUMENT);
}

/* The C parser (for live records) and the generator (for embedded ones) agree everywhere. */
static void test_network_parse_agrees_with_generator(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    for (size_t i = 0; i < sps_compat_catalog_count(cat); i++) {
        const struct sps_compat_type *t = sps_compat_catalog_at(cat, i);
        struct sps_compat_network n;
        SPS_CHECK_OK(sps_compat_network_parse(t->network.text, &n));
        if (n.mbps != t->network.mbps || n.up_to != t->network.up_to)
            sps_test_fail(__FILE__, __LINE__, "%s: \"%s\" parsed as %u, generated %u", t->name,
                          t->network.text, (unsigned)n.mbps, (unsigned)t->network.mbps);
    }
    sps_compat_catalog_destroy(cat);
}

static void test_network_covers(void)
{
    struct sps_compat_network up10 = {10000, true, NULL}, up25 = {25000, true, NULL},
                              s10 = {10000, false, NULL}, s25 = {25000, false, NULL},
                              moderate = {500, true, NULL}, s3 = {3125, false, NULL};
    SPS_CHECK(sps_compat_network_covers(&up10, &up10));
    SPS_CHECK(sps_compat_network_covers(&s10, &up10));
    SPS_CHECK(sps_compat_network_covers(&up25, &up10));
    SPS_CHECK(!sps_compat_network_covers(&up10, &up25));
    SPS_CHECK(sps_compat_network_covers(&s25, &s10));
    /* A burst is no baseline: "Up to 25" does not cover a sustained 10. */
    SPS_CHECK(!sps_compat_network_covers(&up25, &s10));
    SPS_CHECK(!sps_compat_network_covers(&s3, &s10));
    SPS_CHECK(sps_compat_network_covers(&up10, &moderate));
    SPS_CHECK(!sps_compat_network_covers(&moderate, &up10));
}

SPS_TEST_MAIN(SPS_CASE(test_embedded_catalog_is_complete_and_sorted),
              SPS_CASE(test_embedded_records_carry_the_json_fields),
              SPS_CASE(test_unknown_type_is_an_error),
              SPS_CASE(test_live_record_adds_a_missing_type),
              SPS_CASE(test_live_record_wins_over_embedded),
              SPS_CASE(test_live_record_is_validated),
              SPS_CASE(test_zone_offerings_override_region_data),
              SPS_CASE(test_set_offered_rejects_bad_input), SPS_CASE(test_regions_and_prices),
              SPS_CASE(test_network_parse), SPS_CASE(test_network_parse_agrees_with_generator),
              SPS_CASE(test_network_covers))
