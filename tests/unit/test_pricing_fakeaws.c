/* pricing/ end to end against the simulated AWS: spot prices for a few types in two regions in
 * one concurrent fetch, an admin price change seen as the latest price, an On-Demand price for
 * a region outside the catalog through GetProducts (asked once), and placement scores asked
 * once and then served from the cache. */
#include "sps_fakeaws.h"
#include "sps_pricing.h"
#include "sps_test.h"

#include <jansson.h>
#include <math.h>

static struct sps_fakeaws s_fake;

/* How many times the fake saw `action`. */
static size_t s_calls(const char *action)
{
    struct sps_buf out;
    sps_buf_init(&out, 0);
    char path[128];
    snprintf(path, sizeof(path), "calls?all=1&action=%s", action);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "GET", path, NULL, &out), 200);
    json_t *doc = json_loadb(out.data, out.len, 0, NULL);
    SPS_CHECK(doc != NULL);
    size_t n = json_array_size(json_object_get(doc, "calls"));
    json_decref(doc);
    sps_buf_clean_up(&out);
    return n;
}

static void test_spot_prices_in_two_regions(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "spot-price",
                                       "{\"region\":\"eu-west-1\",\"instance_type\":\"m5.large\","
                                       "\"az\":\"eu-west-1b\",\"price\":0.0123}",
                                       NULL),
                     200);
    struct sps_aws_client *clients[2] = {sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1"),
                                         sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "eu-west-1")};
    const char *types[] = {"m5.large", "c5.large", "r5.large"};
    int64_t now = sps_clock_system()->wall_ms(NULL);
    struct sps_pricing_spot_request reqs[2] = {{types, 3, SPS_PRICING_LINUX, NULL, now},
                                               {types, 3, SPS_PRICING_LINUX, NULL, now}};
    struct sps_pricing_spot_table *tables[2] = {sps_pricing_spot_table_new(SPS_PRICING_LINUX),
                                                sps_pricing_spot_table_new(SPS_PRICING_LINUX)};
    struct sps_aws_error errs[2];
    SPS_CHECK_OK(sps_pricing_spot_fetch_many(clients, reqs, tables, 2, NULL, errs));
    SPS_CHECK_INT_EQ(s_calls("DescribeSpotPriceHistory"), 2); /* one batched call per region */
    /* Three types in three zones per region. */
    SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(tables[0]), 9);
    SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(tables[1]), 9);
    double usd = 0;
    SPS_CHECK_OK(sps_pricing_spot_get(tables[0], "r5.large", "us-east-1a", &usd));
    SPS_CHECK(fabs(usd - 0.05) < 1e-9); /* the scenario's override, the latest point */
    SPS_CHECK_OK(sps_pricing_spot_get(tables[1], "m5.large", "eu-west-1b", &usd));
    SPS_CHECK(fabs(usd - 0.0123) < 1e-9); /* the admin change, the latest point */
    for (size_t r = 0; r < 2; r++) {
        for (size_t i = 0; i < sps_pricing_spot_table_count(tables[r]); i++) {
            const struct sps_pricing_spot_price *p = sps_pricing_spot_table_at(tables[r], i);
            SPS_CHECK(p->usd_per_hour > 0 && p->usd_per_hour < 0.2);
        }
    }
    const char *az = NULL;
    SPS_CHECK_OK(sps_pricing_spot_lowest(tables[1], "m5.large", &usd, &az));
    SPS_CHECK_STR_EQ(az, "eu-west-1b");
    /* A type the run did not ask for is unknown, not 0. */
    SPS_CHECK_ERR(sps_pricing_spot_get(tables[0], "t3.micro", "us-east-1a", &usd),
                  SPS_ERR_PRICING_UNKNOWN);
    sps_pricing_spot_table_destroy(tables[0]);
    sps_pricing_spot_table_destroy(tables[1]);
    sps_aws_client_destroy(clients[0]);
    sps_aws_client_destroy(clients[1]);
    sps_fakeaws_stop(&s_fake);
}

static void test_on_demand_and_placement_over_the_wire(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    struct sps_aws_client *price_list = sps_fakeaws_client(&s_fake, SPS_AWS_PRICING, "us-east-1");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    struct sps_pricing *p = NULL;
    struct sps_pricing_options o = {.price_list = price_list};
    SPS_CHECK_OK(sps_pricing_new(&p, &o));
    double usd = 0;
    enum sps_pricing_source src;
    struct sps_aws_error aws_err;
    /* The fake prices other commercial regions at the us-east-1 list price (docs/fakeaws.md). */
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, &src, &aws_err));
    SPS_CHECK(fabs(usd - 0.096) < 1e-9);
    SPS_CHECK_INT_EQ(src, SPS_PRICING_FROM_API);
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    SPS_CHECK_INT_EQ(src, SPS_PRICING_FROM_MEMORY);
    SPS_CHECK_INT_EQ(s_calls("GetProducts"), 1);
    /* The fake has no Windows products: unknown, never 0. */
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_WINDOWS, &usd, NULL, NULL),
        SPS_ERR_PRICING_UNKNOWN);

    const char *types[] = {"m5.large", "c5.large", "r5.large"};
    const char *regions[] = {"us-east-1", "eu-west-1"};
    struct sps_pricing_placement_request req = {types, 3, 2, NULL, true, regions, 2};
    struct sps_pricing_placement_scores s;
    SPS_CHECK_OK(sps_pricing_placement_scores(p, ec2, &req, &s, &aws_err));
    SPS_CHECK(!s.from_cache);
    SPS_CHECK_INT_EQ(s.count, 6); /* three zones in each region */
    for (size_t i = 0; i < s.count; i++) {
        SPS_CHECK(s.items[i].score >= 1 && s.items[i].score <= 10);
        SPS_CHECK(s.items[i].az_id[0] != '\0');
    }
    sps_pricing_placement_scores_clean_up(&s);
    SPS_CHECK_OK(sps_pricing_placement_scores(p, ec2, &req, &s, NULL));
    SPS_CHECK(s.from_cache);
    SPS_CHECK_INT_EQ(s.count, 6);
    sps_pricing_placement_scores_clean_up(&s);
    SPS_CHECK_INT_EQ(s_calls("GetSpotPlacementScores"), 1);
    sps_pricing_destroy(p);
    sps_aws_client_destroy(ec2);
    sps_aws_client_destroy(price_list);
    sps_fakeaws_stop(&s_fake);
}

SPS_TEST_MAIN(SPS_CASE(test_spot_prices_in_two_regions),
              SPS_CASE(test_on_demand_and_placement_over_the_wire))
