/* Ranking by spot price, interruption band and size; the diversification cap; the Spot Advisor
 * snapshot loader. */
#include "sps_compat.h"
#include "sps_test.h"

#include <math.h>

struct price_row {
    const char *type;
    double usd;
};

struct band_row {
    const char *type;
    int band;
};

/* A market over fixed tables; the band comes from the table or, when set, an advisor. */
struct fake_market {
    const struct price_row *prices;
    size_t price_count;
    const struct band_row *bands;
    size_t band_count;
    const struct sps_compat_advisor *advisor;
    const char *seen_az;
};

static bool s_price(void *ctx, const char *type, const char *az, double *usd)
{
    struct fake_market *m = ctx;
    m->seen_az = az;
    for (size_t i = 0; i < m->price_count; i++) {
        if (strcmp(m->prices[i].type, type) == 0) {
            *usd = m->prices[i].usd;
            return true;
        }
    }
    return false;
}

static int s_band(void *ctx, const char *region, enum sps_compat_platform platform,
                  const char *type)
{
    struct fake_market *m = ctx;
    if (m->advisor)
        return sps_compat_advisor_band(m->advisor, region, platform, type);
    for (size_t i = 0; i < m->band_count; i++) {
        if (strcmp(m->bands[i].type, type) == 0)
            return m->bands[i].band;
    }
    return -1;
}

static const struct sps_compat_instance s_m5 = {
    "m5.large",
    "us-east-1a",
    "us-east-1",
    false,
    {SPS_COMPAT_ARCH_X86_64, SPS_COMPAT_VIRT_HVM, SPS_COMPAT_LINUX, true, true}};

/* m5.large's candidates, limited by a zone list so the test knows them all. */
static struct sps_compat_result *s_match_m5(struct sps_compat_catalog *cat)
{
    const char *zone[] = {"m5.large", "m5a.large", "m6i.large", "c5.xlarge",
                          "r5.large", "m5.xlarge", "m7i.large", "m6a.large"};
    SPS_CHECK_OK(sps_compat_catalog_set_offered(cat, "us-east-1a", zone, 8));
    struct sps_compat_result *res = NULL;
    SPS_CHECK_OK(sps_compat_match(cat, &s_m5, NULL, false, &res));
    SPS_CHECK_INT_EQ(res->count, 8);
    return res;
}

static const char *s_dropped_text(const struct sps_compat_ranking *r, const char *type,
                                  enum sps_compat_reason reason)
{
    for (size_t i = 0; i < r->dropped_count; i++) {
        if (strcmp(r->dropped[i].type->name, type) == 0) {
            SPS_CHECK_STR_EQ(sps_compat_reason_name(r->dropped[i].reason),
                             sps_compat_reason_name(reason));
            return r->dropped[i].text;
        }
    }
    sps_test_fail(__FILE__, __LINE__, "%s was not dropped", type);
}

static void test_rank_orders_by_price_band_then_size(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_result *res = s_match_m5(cat);
    const struct price_row prices[] = {
        {"m5.large", 0.040},  {"m5a.large", 0.035}, {"m6i.large", 0.040}, {"c5.xlarge", 0.040},
        {"m5.xlarge", 0.200}, {"m7i.large", 0.096}, {"m6a.large", 0.040},
    };
    const struct band_row bands[] = {
        {"m5.large", 2}, {"m6i.large", 1}, {"m6a.large", 2}, {"m5a.large", 4}, {"c5.xlarge", 9}};
    struct fake_market fm = {prices, 7, bands, 5, NULL, NULL};
    struct sps_compat_market market = {s_price, s_band, &fm};
    struct sps_compat_ranking *r = NULL;
    SPS_CHECK_OK(sps_compat_rank(res, &s_m5, 0.096, &market, &r));
    SPS_CHECK_STR_EQ(fm.seen_az, "us-east-1a");
    /* Cheapest first despite the worst band; at 0.040: band 1, then band 2 by excess (m5.large
     * and m6a.large: both 0, so by name), then the unknown band (9 is out of range). */
    const char *order[] = {"m5a.large", "m6i.large", "m5.large", "m6a.large", "c5.xlarge"};
    SPS_CHECK_INT_EQ(r->count, 5);
    for (size_t i = 0; i < 5; i++)
        SPS_CHECK_STR_EQ(r->entries[i].type->name, order[i]);
    SPS_CHECK_INT_EQ(r->entries[0].band, 4);
    SPS_CHECK_INT_EQ(r->entries[4].band, -1);
    SPS_CHECK(r->entries[0].spot_price == 0.035);
    SPS_CHECK(r->entries[4].excess == 1.0); /* 4 vCPU for 2: +1; same memory */
    SPS_CHECK_INT_EQ(r->dropped_count, 3);
    SPS_CHECK_STR_EQ(s_dropped_text(r, "r5.large", SPS_COMPAT_R_NO_PRICE),
                     "no spot price in us-east-1a");
    SPS_CHECK_STR_EQ(s_dropped_text(r, "m5.xlarge", SPS_COMPAT_R_NOT_CHEAPER),
                     "spot price 0.2 >= on-demand 0.096");
    /* Equal to on-demand is not cheaper. */
    SPS_CHECK_STR_EQ(s_dropped_text(r, "m7i.large", SPS_COMPAT_R_NOT_CHEAPER),
                     "spot price 0.096 >= on-demand 0.096");
    sps_compat_ranking_destroy(r);
    sps_compat_ranking_destroy(NULL);
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
}

static void test_rank_without_band_source_sorts_by_size(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_result *res = s_match_m5(cat);
    const struct price_row prices[] = {{"r5.large", 0.03}, {"m5.large", 0.03}, {"m5.xlarge", 0.03}};
    struct fake_market fm = {prices, 3, NULL, 0, NULL, NULL};
    struct sps_compat_market market = {s_price, NULL, &fm};
    struct sps_compat_ranking *r = NULL;
    SPS_CHECK_OK(sps_compat_rank(res, &s_m5, 0.096, &market, &r));
    SPS_CHECK_INT_EQ(r->count, 3);
    SPS_CHECK_STR_EQ(r->entries[0].type->name, "m5.large");  /* excess 0 */
    SPS_CHECK_STR_EQ(r->entries[1].type->name, "r5.large");  /* excess 1: 2x memory */
    SPS_CHECK_STR_EQ(r->entries[2].type->name, "m5.xlarge"); /* excess 2 */
    SPS_CHECK_INT_EQ(r->entries[0].band, -1);
    sps_compat_ranking_destroy(r);
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
}

static void test_rank_drops_invalid_prices(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_result *res = s_match_m5(cat);
    const struct price_row prices[] = {{"m5.large", 0.0},
                                       {"m5a.large", -0.01},
                                       {"m6i.large", NAN},
                                       {"c5.xlarge", INFINITY},
                                       {"r5.large", 0.05}};
    struct fake_market fm = {prices, 5, NULL, 0, NULL, NULL};
    struct sps_compat_market market = {s_price, s_band, &fm};
    struct sps_compat_ranking *r = NULL;
    SPS_CHECK_OK(sps_compat_rank(res, &s_m5, 0.096, &market, &r));
    SPS_CHECK_INT_EQ(r->count, 1);
    SPS_CHECK_STR_EQ(r->entries[0].type->name, "r5.large");
    SPS_CHECK_INT_EQ(r->dropped_count, 7);
    SPS_CHECK_STR_EQ(s_dropped_text(r, "m5.large", SPS_COMPAT_R_NO_PRICE),
                     "spot price 0 in us-east-1a is not a valid price");
    SPS_CHECK(strstr(s_dropped_text(r, "m6i.large", SPS_COMPAT_R_NO_PRICE), "not a valid") != NULL);
    SPS_CHECK(strstr(s_dropped_text(r, "c5.xlarge", SPS_COMPAT_R_NO_PRICE), "not a valid") != NULL);
    s_dropped_text(r, "m5a.large", SPS_COMPAT_R_NO_PRICE);
    sps_compat_ranking_destroy(r);
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
}

static void test_rank_bad_arguments_and_empty_input(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_result *res = s_match_m5(cat);
    struct fake_market fm = {NULL, 0, NULL, 0, NULL, NULL};
    struct sps_compat_market market = {s_price, NULL, &fm}, no_price = {NULL, NULL, &fm};
    struct sps_compat_ranking *r = NULL;
    const double bad[] = {0.0, -1.0, NAN, INFINITY};
    for (size_t i = 0; i < 4; i++)
        SPS_CHECK_ERR(sps_compat_rank(res, &s_m5, bad[i], &market, &r), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_rank(res, &s_m5, 0.1, &no_price, &r), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_rank(res, &s_m5, 0.1, NULL, &r), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_rank(NULL, &s_m5, 0.1, &market, &r), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_rank(res, NULL, 0.1, &market, &r), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_rank(res, &s_m5, 0.1, &market, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK(r == NULL);
    /* Unknown prices everywhere: an empty ranking, every candidate dropped. */
    SPS_CHECK_OK(sps_compat_rank(res, &s_m5, 0.1, &market, &r));
    SPS_CHECK_INT_EQ(r->count, 0);
    SPS_CHECK_INT_EQ(r->dropped_count, 8);
    struct sps_compat_pick pick;
    SPS_CHECK_ERR(sps_compat_diversify(r, NULL, 0, SPS_COMPAT_DEFAULT_CAP_FRACTION, &pick),
                  SPS_ERR_COMPAT_NO_CANDIDATE);
    sps_compat_ranking_destroy(r);
    /* No candidates at all. */
    struct sps_compat_result empty = {res->original, NULL, 0, NULL, 0};
    SPS_CHECK_OK(sps_compat_rank(&empty, &s_m5, 0.1, &market, &r));
    SPS_CHECK_INT_EQ(r->count + r->dropped_count, 0);
    sps_compat_ranking_destroy(r);
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
}

static void test_diversity_cap_edges(void)
{
    const double third = SPS_COMPAT_DEFAULT_CAP_FRACTION;
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(0, third), 1);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(1, third), 1);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(2, third), 1); /* 1/3 of 3, not rounded up to 2 */
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(3, third), 2);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(5, third), 2);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(8, third), 3);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(10, third), 4);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(10, 1.0), 11);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(10, 0.5), 6);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(0, 0.01), 1);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(3, 0.0), 0);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(3, -0.5), 0);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(3, 1.5), 0);
    SPS_CHECK_INT_EQ(sps_compat_diversity_cap(3, NAN), 0);
}

/* A ranking of four real types, best first, for the diversification tests. */
static struct sps_compat_ranking *s_ranking(struct sps_compat_catalog *cat)
{
    struct sps_compat_result *res = s_match_m5(cat);
    const struct price_row prices[] = {
        {"m5a.large", 0.031}, {"m5.large", 0.032}, {"m6i.large", 0.033}, {"m6a.large", 0.034}};
    struct fake_market fm = {prices, 4, NULL, 0, NULL, NULL};
    struct sps_compat_market market = {s_price, NULL, &fm};
    struct sps_compat_ranking *r = NULL;
    SPS_CHECK_OK(sps_compat_rank(res, &s_m5, 0.096, &market, &r));
    sps_compat_result_destroy(res);
    SPS_CHECK_INT_EQ(r->count, 4);
    return r;
}

static void s_expect_pick(const struct sps_compat_ranking *r,
                          const struct sps_compat_spot_count *counts, size_t n, const char *type,
                          size_t cap, bool within)
{
    struct sps_compat_pick pick = {99, 99, !within};
    SPS_CHECK_OK(sps_compat_diversify(r, counts, n, SPS_COMPAT_DEFAULT_CAP_FRACTION, &pick));
    SPS_CHECK_STR_EQ(r->entries[pick.index].type->name, type);
    SPS_CHECK_INT_EQ(pick.cap, cap);
    SPS_CHECK(pick.within_cap == within);
}

static void test_diversify_with_0_1_2_3_10_spot_instances(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_ranking *r = s_ranking(cat);
    /* 0: the best. */
    s_expect_pick(r, NULL, 0, "m5a.large", 1, true);
    /* 1 (m5a): cap 1, m5a is at it: the next best. */
    const struct sps_compat_spot_count one[] = {{"m5a.large", 1}};
    s_expect_pick(r, one, 1, "m5.large", 1, true);
    /* 2 (m5a, m5): cap 1: the third type. */
    const struct sps_compat_spot_count two[] = {{"m5a.large", 1}, {"m5.large", 1}};
    s_expect_pick(r, two, 2, "m6i.large", 1, true);
    /* 3, one each: cap 2, so the best type may take a second. */
    const struct sps_compat_spot_count three[] = {
        {"m5a.large", 1}, {"m5.large", 1}, {"m6i.large", 1}};
    s_expect_pick(r, three, 3, "m5a.large", 2, true);
    /* 10: cap ceil(11/3) = 4. */
    const struct sps_compat_spot_count ten[] = {
        {"m5a.large", 4}, {"m5.large", 3}, {"m6i.large", 3}};
    s_expect_pick(r, ten, 3, "m5.large", 4, true);
    const struct sps_compat_spot_count ten_b[] = {
        {"m5a.large", 4}, {"m5.large", 4}, {"m6i.large", 1}, {"c5.xlarge", 1}};
    s_expect_pick(r, ten_b, 4, "m6i.large", 4, true);
    /* Types outside the ranking count toward the total; repeated rows add up. */
    const struct sps_compat_spot_count other[] = {
        {"c5.xlarge", 8}, {"m5a.large", 1}, {"m5a.large", 2}};
    s_expect_pick(r, other, 3, "m5a.large", 4, true); /* 11 spot: cap 4, m5a holds 3 */
    sps_compat_ranking_destroy(r);
    sps_compat_catalog_destroy(cat);
}

static void test_diversify_when_every_candidate_is_at_the_cap(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_ranking *r = s_ranking(cat);
    const struct sps_compat_spot_count full[] = {
        {"m5a.large", 3}, {"m5.large", 3}, {"m6i.large", 2}, {"m6a.large", 3}};
    /* 11 spot: cap 4: all fit, the best wins. */
    s_expect_pick(r, full, 4, "m5a.large", 4, true);
    /* 2 spot over a two-type ranking (fraction 1/3): cap 1, both at it. */
    struct sps_compat_ranking two = {r->entries, 2, NULL, 0};
    const struct sps_compat_spot_count both[] = {{"m5a.large", 1}, {"m5.large", 1}};
    s_expect_pick(&two, both, 2, "m5a.large", 1, false); /* equals: the better-ranked one */
    const struct sps_compat_spot_count uneven[] = {{"m5a.large", 3}, {"m5.large", 2}};
    s_expect_pick(&two, uneven, 2, "m5.large", 2, false); /* the least held */
    sps_compat_ranking_destroy(r);
    sps_compat_catalog_destroy(cat);
}

static void test_diversify_bad_arguments(void)
{
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_ranking *r = s_ranking(cat);
    struct sps_compat_pick pick;
    const struct sps_compat_spot_count null_type[] = {{NULL, 1}};
    SPS_CHECK_ERR(sps_compat_diversify(NULL, NULL, 0, 0.5, &pick), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_diversify(r, NULL, 0, 0.5, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_diversify(r, NULL, 1, 0.5, &pick), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_diversify(r, null_type, 1, 0.5, &pick), SPS_ERR_INVALID_ARGUMENT);
    const double bad[] = {0.0, -0.1, 1.01, NAN, INFINITY};
    for (size_t i = 0; i < 5; i++)
        SPS_CHECK_ERR(sps_compat_diversify(r, NULL, 0, bad[i], &pick), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_OK(sps_compat_diversify(r, NULL, 0, 1.0, &pick));
    SPS_CHECK_INT_EQ(pick.index, 0);
    sps_compat_ranking_destroy(r);
    sps_compat_catalog_destroy(cat);
}

static const char s_advisor_json[] =
    "{\"ranges\":[],\"spot_advisor\":{"
    "\"us-east-1\":{\"Linux\":{\"m5.large\":{\"s\":60,\"r\":3},\"m6i.large\":{\"s\":50,\"r\":0}},"
    "\"Windows\":{\"m5.large\":{\"s\":40,\"r\":1}}},"
    "\"eu-west-1\":{\"Linux\":{}}}}";

static void test_advisor_parse_and_band(void)
{
    struct sps_compat_advisor *a = NULL;
    SPS_CHECK_OK(sps_compat_advisor_parse(s_advisor_json, strlen(s_advisor_json), &a));
    SPS_CHECK_INT_EQ(sps_compat_advisor_band(a, "us-east-1", SPS_COMPAT_LINUX, "m5.large"), 3);
    SPS_CHECK_INT_EQ(sps_compat_advisor_band(a, "us-east-1", SPS_COMPAT_WINDOWS, "m5.large"), 1);
    SPS_CHECK_INT_EQ(sps_compat_advisor_band(a, "us-east-1", SPS_COMPAT_LINUX, "m6i.large"), 0);
    SPS_CHECK_INT_EQ(sps_compat_advisor_band(a, "us-east-1", SPS_COMPAT_WINDOWS, "m6i.large"), -1);
    SPS_CHECK_INT_EQ(sps_compat_advisor_band(a, "eu-west-1", SPS_COMPAT_LINUX, "m5.large"), -1);
    SPS_CHECK_INT_EQ(sps_compat_advisor_band(a, "mars-1", SPS_COMPAT_LINUX, "m5.large"), -1);
    SPS_CHECK_INT_EQ(sps_compat_advisor_band(a, NULL, SPS_COMPAT_LINUX, "m5.large"), -1);
    SPS_CHECK_INT_EQ(sps_compat_advisor_band(a, "us-east-1", SPS_COMPAT_LINUX, NULL), -1);
    SPS_CHECK_INT_EQ(sps_compat_advisor_band(NULL, "us-east-1", SPS_COMPAT_LINUX, "m5.large"), -1);
    sps_compat_advisor_destroy(a);
    sps_compat_advisor_destroy(NULL);
}

static void test_advisor_rejects_bad_snapshots(void)
{
    static const struct {
        const char *json;
        sps_err err;
    } cases[] = {
        {"", SPS_ERR_JSON_MALFORMED},
        {"{\"spot_advisor\":", SPS_ERR_JSON_MALFORMED},
        {"[1,2]", SPS_ERR_JSON_MALFORMED},
        {"{\"ranges\":[]}", SPS_ERR_MISSING_FIELD},
        {"{\"spot_advisor\":[]}", SPS_ERR_JSON_MALFORMED},
        {"{\"spot_advisor\":{\"us-east-1\":7}}", SPS_ERR_JSON_MALFORMED},
        {"{\"spot_advisor\":{\"us-east-1\":{\"Linux\":[]}}}", SPS_ERR_JSON_MALFORMED},
        {"{\"spot_advisor\":{\"us-east-1\":{\"Linux\":{\"m5.large\":3}}}}", SPS_ERR_JSON_MALFORMED},
        {"{\"spot_advisor\":{\"us-east-1\":{\"Linux\":{\"m5.large\":{\"s\":1}}}}}",
         SPS_ERR_MISSING_FIELD},
        {"{\"spot_advisor\":{\"us-east-1\":{\"Linux\":{\"m5.large\":{\"r\":5}}}}}",
         SPS_ERR_JSON_MALFORMED},
        {"{\"spot_advisor\":{\"us-east-1\":{\"Linux\":{\"m5.large\":{\"r\":-1}}}}}",
         SPS_ERR_JSON_MALFORMED},
        {"{\"spot_advisor\":{\"us-east-1\":{\"Linux\":{\"m5.large\":{\"r\":\"2\"}}}}}",
         SPS_ERR_JSON_MALFORMED},
        {"{\"spot_advisor\":{},\"spot_advisor\":{}}", SPS_ERR_JSON_MALFORMED},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sps_compat_advisor *a = (struct sps_compat_advisor *)&cases[i];
        sps_err err = sps_compat_advisor_parse(cases[i].json, strlen(cases[i].json), &a);
        if (err != cases[i].err)
            sps_test_fail(__FILE__, __LINE__, "case %zu: got %s, expected %s", i,
                          sps_error_name(err), sps_error_name(cases[i].err));
        SPS_CHECK(a == NULL);
    }
    struct sps_compat_advisor *a = NULL;
    SPS_CHECK_ERR(sps_compat_advisor_parse(NULL, 0, &a), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_advisor_parse("{}", 2, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_advisor_load(NULL, &a), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_compat_advisor_load(sps_test_fixture("compat/no-such-file.json"), &a),
                  SPS_ERR_NOT_FOUND);
    SPS_CHECK_ERR(sps_compat_advisor_load(sps_test_fixture("compat"), &a), SPS_ERR_IO);
    SPS_CHECK(a == NULL);
}

/* The shipped snapshot loads, and its bands break ties in a ranking. */
static void test_advisor_snapshot_breaks_ties(void)
{
    struct sps_compat_advisor *a = NULL;
    SPS_CHECK_OK(sps_compat_advisor_load(SPS_SOURCE_DIR "/compat/data/spot-advisor.json", &a));
    SPS_CHECK_INT_EQ(sps_compat_advisor_band(a, "us-east-1", SPS_COMPAT_LINUX, "m6i.2xlarge"), 4);
    SPS_CHECK_INT_EQ(sps_compat_advisor_band(a, "us-east-1", SPS_COMPAT_LINUX, "c5d.9xlarge"), 1);
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_compat_result *res = s_match_m5(cat);
    const struct price_row prices[] = {
        {"m5.large", 0.04}, {"m5a.large", 0.04}, {"m6i.large", 0.04}, {"m6a.large", 0.04}};
    struct fake_market fm = {prices, 4, NULL, 0, a, NULL};
    struct sps_compat_market market = {s_price, s_band, &fm};
    struct sps_compat_ranking *r = NULL;
    SPS_CHECK_OK(sps_compat_rank(res, &s_m5, 0.096, &market, &r));
    SPS_CHECK_INT_EQ(r->count, 4);
    for (size_t i = 0; i < r->count; i++) {
        int band =
            sps_compat_advisor_band(a, "us-east-1", SPS_COMPAT_LINUX, r->entries[i].type->name);
        SPS_CHECK_INT_EQ(r->entries[i].band, band);
        if (i > 0)
            SPS_CHECK((r->entries[i - 1].band < 0 ? 5 : r->entries[i - 1].band) <=
                      (band < 0 ? 5 : band));
    }
    sps_compat_ranking_destroy(r);
    sps_compat_result_destroy(res);
    sps_compat_catalog_destroy(cat);
    sps_compat_advisor_destroy(a);
}

SPS_TEST_MAIN(SPS_CASE(test_rank_orders_by_price_band_then_size),
              SPS_CASE(test_rank_without_band_source_sorts_by_size),
              SPS_CASE(test_rank_drops_invalid_prices),
              SPS_CASE(test_rank_bad_arguments_and_empty_input), SPS_CASE(test_diversity_cap_edges),
              SPS_CASE(test_diversify_with_0_1_2_3_10_spot_instances),
              SPS_CASE(test_diversify_when_every_candidate_is_at_the_cap),
              SPS_CASE(test_diversify_bad_arguments), SPS_CASE(test_advisor_parse_and_band),
              SPS_CASE(test_advisor_rejects_bad_snapshots),
              SPS_CASE(test_advisor_snapshot_breaks_ties))
