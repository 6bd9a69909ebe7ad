/* The pricing caches over the scripted fake transport: the disk cache (round trip, expiry,
 * corrupt, foreign and unwritable files) and the placement score cache with its daily budget. */
#include "http_client_env.h"
#include "sps_pricing.h"
#include "sps_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static bool s_near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

static void s_push_fixture(struct sps_cenv *e, const char *name)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, name);
    sps_fake_transport_push(e->fake, 200, NULL, b.data);
    sps_buf_clean_up(&b);
}

/* A context on the environment's fakes: the Price List client when the environment is the
 * pricing service, a budget of two placement configurations. */
static struct sps_pricing *s_pricing(struct sps_cenv *e, const char *path)
{
    bool pricing = sps_aws_client_service(e->client) == SPS_AWS_PRICING;
    struct sps_pricing_options o = {.price_list = pricing ? e->client : NULL,
                                    .cache_path = path,
                                    .clock = &e->clock.clock,
                                    .placement_daily_budget = 2};
    struct sps_pricing *p = NULL;
    SPS_CHECK_OK(sps_pricing_new(&p, &o));
    return p;
}

/* ---- disk cache ---- */

struct s_tmp {
    char dir[64];
    char path[128];
};

static void s_tmp_init(struct s_tmp *t)
{
    snprintf(t->dir, sizeof(t->dir), "/tmp/sps-pricing-XXXXXX");
    SPS_CHECK(mkdtemp(t->dir) != NULL);
    snprintf(t->path, sizeof(t->path), "%s/cache.json", t->dir);
}

static void s_tmp_clean_up(struct s_tmp *t)
{
    unlink(t->path);
    rmdir(t->dir);
}

static void s_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    SPS_CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
}

static void test_disk_cache_round_trip_and_expiry(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    struct s_tmp tmp;
    s_tmp_init(&tmp);
    struct sps_pricing *p = s_pricing(&e, tmp.path);
    s_push_fixture(&e, "pricing/GetProducts.m5_large.eu-west-1.json");
    double usd = 0;
    enum sps_pricing_source src;
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    SPS_CHECK_INT_EQ(src, SPS_PRICING_FROM_API);
    sps_pricing_destroy(p);

    /* The next run: from disk, no call. */
    p = s_pricing(&e, tmp.path);
    usd = 0;
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    SPS_CHECK(s_near(usd, 0.107));
    SPS_CHECK_INT_EQ(src, SPS_PRICING_FROM_DISK);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 1);
    /* Still in this run's memory after the TTL passes? No: expired entries are not used. */
    e.clock.wall_ms += (int64_t)7 * 24 * 3600 * 1000;
    s_push_fixture(&e, "pricing/GetProducts.m5_large.eu-west-1.json");
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    SPS_CHECK_INT_EQ(src, SPS_PRICING_FROM_API);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 2);
    sps_pricing_destroy(p);

    /* A run after the refreshed entry expired ignores the file's entry. */
    e.clock.wall_ms += (int64_t)7 * 24 * 3600 * 1000 + 1;
    struct sps_pricing_options o = {.cache_path = tmp.path, .clock = &e.clock.clock};
    SPS_CHECK_OK(sps_pricing_new(&p, &o));
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_PRICING_UNKNOWN);
    sps_pricing_destroy(p);
    s_tmp_clean_up(&tmp);
    sps_cenv_teardown(&e);
}

static void test_corrupt_cache_files_are_ignored(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    struct s_tmp tmp;
    s_tmp_init(&tmp);
    char good[1024];
    snprintf(good, sizeof(good),
             "{\"format\":\"spotswap-pricing-cache/1\",\"on_demand\":{"
             "\"m5.large|eu-west-1|linux\":{\"usd\":0.107,\"stored_ms\":%lld},"
             "\"c5.large|eu-west-1|linux\":{\"usd\":-1,\"stored_ms\":%lld},"
             "\"r5.large|eu-west-1|linux\":{\"usd\":0.1,\"stored_ms\":\"yesterday\"},"
             "\"t3.large|eu-west-1|linux\":{\"usd\":0.1,\"stored_ms\":%lld}},"
             "\"placement\":{\"k\":{\"stored_ms\":1,\"scores\":7},"
             "\"k2\":{\"stored_ms\":%lld,\"scores\":[{\"region\":\"us-east-1\","
             "\"az_id\":\"\",\"score\":11}]},"
             "\"k3\":{\"stored_ms\":1,\"scores\":[]}}}",
             (long long)e.clock.wall_ms, (long long)e.clock.wall_ms,
             (long long)e.clock.wall_ms + 3600000, (long long)e.clock.wall_ms);
    const char *files[] = {"{\"format\":\"spotswap-pricing-cache/1\",\"on_dem", "garbage",
                           "{\"format\":\"something-else/1\",\"on_demand\":{}}", "[]", good};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        s_write(tmp.path, files[i]);
        struct sps_pricing_options o = {.cache_path = tmp.path, .clock = &e.clock.clock};
        struct sps_pricing *p = NULL;
        SPS_CHECK_OK(sps_pricing_new(&p, &o));
        double usd = 0;
        sps_err want = i == 4 ? SPS_OK : SPS_ERR_PRICING_UNKNOWN;
        SPS_CHECK_ERR(
            sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
            want);
        /* Malformed entries and entries from the future are skipped one by one. */
        SPS_CHECK_ERR(
            sps_pricing_on_demand(p, "c5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
            SPS_ERR_PRICING_UNKNOWN);
        SPS_CHECK_ERR(
            sps_pricing_on_demand(p, "r5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
            SPS_ERR_PRICING_UNKNOWN);
        SPS_CHECK_ERR(
            sps_pricing_on_demand(p, "t3.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
            SPS_ERR_PRICING_UNKNOWN);
        SPS_CHECK_INT_EQ(sps_pricing_placement_used(p), 0);
        sps_pricing_destroy(p);
    }
    /* A directory where the file should be: unreadable, ignored. */
    unlink(tmp.path);
    SPS_CHECK(mkdir(tmp.path, 0700) == 0);
    struct sps_pricing *p = s_pricing(&e, tmp.path);
    /* ... and the save after a lookup fails with a warning, not a failed lookup. */
    s_push_fixture(&e, "pricing/GetProducts.m5_large.eu-west-1.json");
    double usd = 0;
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL));
    SPS_CHECK(s_near(usd, 0.107));
    sps_pricing_destroy(p);
    rmdir(tmp.path);
    s_tmp_clean_up(&tmp);
    sps_cenv_teardown(&e);
}

/* ---- placement scores ---- */

static sps_err s_scores(void *ctx, const struct sps_http_request *req,
                        struct sps_http_response *resp)
{
    int *pages = ctx;
    (*pages)++;
    bool first = strstr(req->body.data, "NextToken=") == NULL;
    resp->status = 200;
    return sps_buf_printf(
        &resp->body,
        "<GetSpotPlacementScoresResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
        "<requestId>r</requestId><spotPlacementScoreSet><item><region>%s</region>"
        "<availabilityZoneId>%s</availabilityZoneId><score>%d</score></item>"
        "</spotPlacementScoreSet>%s</GetSpotPlacementScoresResponse>",
        first ? "us-east-1" : "us-west-2", first ? "use1-az1" : "usw2-az2", first ? 9 : 4,
        first ? "<nextToken>more</nextToken>" : "");
}

static void test_placement_cache_and_budget(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    int pages = 0;
    sps_fake_transport_set_handler(e.fake, s_scores, &pages);
    struct s_tmp tmp;
    s_tmp_init(&tmp);
    struct sps_pricing *p = s_pricing(&e, tmp.path); /* budget 2 */
    const char *t1[] = {"m5.large", "c5.large", "r5.large"};
    const char *t1b[] = {"r5.large", "m5.large", "c5.large"};
    const char *regions[] = {"us-east-1", "us-west-2"};
    struct sps_pricing_placement_request a = {t1, 3, 2, NULL, true, regions, 2};
    struct sps_pricing_placement_scores s;
    SPS_CHECK_OK(sps_pricing_placement_scores(p, e.client, &a, &s, NULL));
    SPS_CHECK_INT_EQ(pages, 2);
    SPS_CHECK(!s.from_cache);
    SPS_CHECK_INT_EQ(s.count, 2);
    SPS_CHECK_STR_EQ(s.items[0].az_id, "use1-az1");
    SPS_CHECK_INT_EQ(s.items[1].score, 4);
    sps_pricing_placement_scores_clean_up(&s);

    /* The same configuration in another order: cached, no call, no budget. */
    struct sps_pricing_placement_request a2 = {t1b, 3, 2, "units", true, regions, 2};
    SPS_CHECK_OK(sps_pricing_placement_scores(p, e.client, &a2, &s, NULL));
    SPS_CHECK(s.from_cache);
    SPS_CHECK_INT_EQ(s.count, 2);
    SPS_CHECK_INT_EQ(pages, 2);
    SPS_CHECK_INT_EQ(sps_pricing_placement_used(p), 1);
    sps_pricing_placement_scores_clean_up(&s);

    /* A second configuration fits the budget of 2; a third is refused without a call. */
    struct sps_pricing_placement_request b = a;
    b.single_az = false;
    SPS_CHECK_OK(sps_pricing_placement_scores(p, e.client, &b, &s, NULL));
    sps_pricing_placement_scores_clean_up(&s);
    SPS_CHECK_INT_EQ(pages, 4);
    struct sps_pricing_placement_request c = a;
    c.target_capacity = 10;
    SPS_CHECK_ERR(sps_pricing_placement_scores(p, e.client, &c, &s, NULL),
                  SPS_ERR_PRICING_PLACEMENT_BUDGET);
    SPS_CHECK_INT_EQ(pages, 4);
    SPS_CHECK_INT_EQ(s.count, 0);
    sps_pricing_destroy(p);

    /* The next run remembers both the answers and the budget spent. */
    p = s_pricing(&e, tmp.path);
    SPS_CHECK_INT_EQ(sps_pricing_placement_used(p), 2);
    SPS_CHECK_OK(sps_pricing_placement_scores(p, e.client, &a, &s, NULL));
    SPS_CHECK(s.from_cache);
    SPS_CHECK_STR_EQ(s.items[1].region, "us-west-2");
    sps_pricing_placement_scores_clean_up(&s);
    SPS_CHECK_ERR(sps_pricing_placement_scores(p, e.client, &c, &s, NULL),
                  SPS_ERR_PRICING_PLACEMENT_BUDGET);
    SPS_CHECK_INT_EQ(pages, 4);

    /* A day later the budget is free again and answers are asked afresh. */
    e.clock.wall_ms += SPS_PRICING_PLACEMENT_TTL_MS;
    SPS_CHECK_INT_EQ(sps_pricing_placement_used(p), 0);
    SPS_CHECK_OK(sps_pricing_placement_scores(p, e.client, &c, &s, NULL));
    SPS_CHECK(!s.from_cache);
    SPS_CHECK_INT_EQ(pages, 6);
    sps_pricing_placement_scores_clean_up(&s);

    /* Bad requests are refused before the cache or AWS. */
    struct sps_pricing_placement_request bad = a;
    bad.target_capacity = 0;
    SPS_CHECK_ERR(sps_pricing_placement_scores(p, e.client, &bad, &s, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_placement_scores(p, e.client, NULL, &s, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    struct sps_pricing_placement_request d = a;
    d.target_capacity = 3;
    SPS_CHECK_ERR(sps_pricing_placement_scores(p, NULL, &d, &s, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(pages, 6);
    sps_pricing_destroy(p);
    s_tmp_clean_up(&tmp);
    sps_cenv_teardown(&e);
}

static void test_placement_failures_are_not_cached(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    struct sps_pricing *p = s_pricing(&e, NULL);
    const char *types[] = {"m5.large"};
    struct sps_pricing_placement_request a = {types, 1, 1, "vcpu", false, NULL, 0};
    sps_fake_transport_push(e.fake, 400, NULL,
                            "<Response><Errors><Error><Code>MaxConfigLimitExceeded</Code><Message>"
                            "You have exceeded your maximum allowed spot placement "
                            "configurations.</Message></Error></Errors><RequestID>r</RequestID>"
                            "</Response>");
    struct sps_pricing_placement_scores s;
    struct sps_aws_error aws_err;
    SPS_CHECK_ERR(sps_pricing_placement_scores(p, e.client, &a, &s, &aws_err), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(aws_err.code, "MaxConfigLimitExceeded");
    SPS_CHECK_INT_EQ(s.count, 0);
    SPS_CHECK_INT_EQ(sps_pricing_placement_used(p), 0);
    /* A malformed answer likewise. */
    sps_fake_transport_push(e.fake, 200, NULL,
                            "<GetSpotPlacementScoresResponse><spotPlacementScoreSet><item>"
                            "<region>us-east-1</region><score>12</score></item>"
                            "</spotPlacementScoreSet></GetSpotPlacementScoresResponse>");
    SPS_CHECK_ERR(sps_pricing_placement_scores(p, e.client, &a, &s, NULL),
                  SPS_ERR_UNEXPECTED_RESPONSE);
    SPS_CHECK_INT_EQ(sps_pricing_placement_used(p), 0);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 0)->body.data, "TargetCapacityUnitType=vcpu") != NULL);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 0)->body.data, "RegionName") == NULL);
    sps_pricing_destroy(p);
    sps_cenv_teardown(&e);
}

static void test_unwritable_cache_paths(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    static char long_path[6000];
    memset(long_path, 'a', sizeof(long_path) - 1);
    long_path[0] = '/';
    const char *paths[] = {"/nonexistent-dir-for-spotswap/cache.json", long_path};
    for (size_t i = 0; i < 2; i++) {
        struct sps_pricing *p = s_pricing(&e, paths[i]);
        s_push_fixture(&e, "pricing/GetProducts.m5_large.eu-west-1.json");
        double usd = 0;
        /* Neither loading nor saving can fail a lookup. */
        SPS_CHECK_OK(
            sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL));
        SPS_CHECK(s_near(usd, 0.107));
        sps_pricing_destroy(p);
    }
    SPS_CHECK(access(paths[0], F_OK) != 0);
    sps_cenv_teardown(&e);
}

SPS_TEST_MAIN(SPS_CASE(test_unwritable_cache_paths),
              SPS_CASE(test_disk_cache_round_trip_and_expiry),
              SPS_CASE(test_corrupt_cache_files_are_ignored),
              SPS_CASE(test_placement_cache_and_budget),
              SPS_CASE(test_placement_failures_are_not_cached))
