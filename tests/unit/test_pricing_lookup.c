/* The pricing context over the scripted fake transport: catalog first, Price List with
 * pagination and errors, memory and disk caches (round trip, expiry, corrupt files), spot price
 * fetches across pages and regions, placement score cache and daily budget. */
#include "http_client_env.h"
#include "sps_compat.h"
#include "sps_pricing.h"
#include "sps_test.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static bool s_near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

static struct sps_buf s_fixture(const char *name)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, name);
    return b;
}

static int s_dump_cb(const char *data, size_t len, void *ctx)
{
    return sps_buf_append(ctx, data, len) == SPS_OK ? 0 : -1;
}

/* Queues a GetProducts answer whose PriceList holds the given product documents. */
static void s_push_products(struct sps_cenv *e, json_t *const *docs, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        struct sps_buf one;
        sps_buf_init(&one, 0);
        SPS_CHECK(json_dump_callback(docs[i], s_dump_cb, &one, JSON_COMPACT) == 0);
        json_array_append_new(list, json_string(one.data));
        sps_buf_clean_up(&one);
    }
    json_t *wire = json_pack("{s:s, s:o}", "FormatVersion", "aws_v1", "PriceList", list);
    struct sps_buf b;
    sps_buf_init(&b, 0);
    SPS_CHECK(json_dump_callback(wire, s_dump_cb, &b, JSON_COMPACT) == 0);
    sps_fake_transport_push(e->fake, 200, NULL, b.data);
    sps_buf_clean_up(&b);
    json_decref(wire);
}

static json_t *s_product(const char *fixture)
{
    struct sps_buf b = s_fixture(fixture);
    json_t *doc = json_loadb(b.data, b.len, 0, NULL);
    SPS_CHECK(doc != NULL);
    sps_buf_clean_up(&b);
    return doc;
}

static void s_push_fixture(struct sps_cenv *e, const char *name)
{
    struct sps_buf b = s_fixture(name);
    sps_fake_transport_push(e->fake, 200, NULL, b.data);
    sps_buf_clean_up(&b);
}

/* A catalog with us-east-1 Linux prices for m5.large only; counts its consultations. */
struct s_catalog {
    int asked;
    sps_err fail;
    double price;
};

static sps_err s_catalog(void *ctx, const char *type, const char *region, double *usd)
{
    struct s_catalog *c = ctx;
    c->asked++;
    if (c->fail != SPS_OK)
        return c->fail;
    if (strcmp(type, "m5.large") != 0 || strcmp(region, "us-east-1") != 0)
        return SPS_ERR_NOT_FOUND;
    *usd = c->price;
    return SPS_OK;
}

static struct sps_pricing *s_pricing(struct sps_cenv *e, struct s_catalog *cat, const char *path)
{
    bool pricing = sps_aws_client_service(e->client) == SPS_AWS_PRICING;
    struct sps_pricing_options o = {.price_list = pricing ? e->client : NULL,
                                    .catalog = cat ? s_catalog : NULL,
                                    .catalog_ctx = cat,
                                    .cache_path = path,
                                    .clock = &e->clock.clock,
                                    .placement_daily_budget = 2};
    struct sps_pricing *p = NULL;
    SPS_CHECK_OK(sps_pricing_new(&p, &o));
    return p;
}

static void test_catalog_first_then_price_list_then_memory(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    struct s_catalog cat = {.price = 0.096};
    struct sps_pricing *p = s_pricing(&e, &cat, NULL);
    double usd = 0;
    enum sps_pricing_source src;
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "us-east-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    SPS_CHECK(s_near(usd, 0.096));
    SPS_CHECK_INT_EQ(src, SPS_PRICING_FROM_CATALOG);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 0);

    /* eu-west-1 is not in the catalog: one GetProducts call, to the us-east-1 endpoint. */
    s_push_fixture(&e, "pricing/GetProducts.m5_large.eu-west-1.json");
    struct sps_aws_error aws_err;
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, &src, &aws_err));
    SPS_CHECK(s_near(usd, 0.107));
    SPS_CHECK_INT_EQ(src, SPS_PRICING_FROM_API);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 1);
    const struct sps_http_request *req = sps_cenv_sent(&e, 0);
    SPS_CHECK(strstr(req->url.data, "pricing.us-east-1.amazonaws.com") != NULL);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req->headers, "X-Amz-Target"),
                     "AWSPriceListService.GetProducts");
    SPS_CHECK(strstr(req->body.data, "\"Value\":\"eu-west-1\"") != NULL);

    /* Asked again: memory, no call. */
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    SPS_CHECK(s_near(usd, 0.107));
    SPS_CHECK_INT_EQ(src, SPS_PRICING_FROM_MEMORY);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 1);
    SPS_CHECK_INT_EQ(sps_pricing_api_calls(p), 1);

    /* Windows never comes from the (Linux) catalog. */
    json_t *docs[2] = {s_product("pricing/PriceListProduct.m5_large.us-east-1.json"),
                       s_product("pricing/PriceListProduct.m5_large.windows.us-east-1.json")};
    s_push_products(&e, docs, 2);
    json_decref(docs[0]);
    json_decref(docs[1]);
    int asked = cat.asked;
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "us-east-1", SPS_PRICING_WINDOWS, &usd, &src, NULL));
    SPS_CHECK(s_near(usd, 0.188));
    SPS_CHECK_INT_EQ(src, SPS_PRICING_FROM_API);
    SPS_CHECK_INT_EQ(cat.asked, asked);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 1)->body.data, "\"Value\":\"License Included\"") != NULL);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 2);
    SPS_CHECK_STR_EQ(sps_pricing_source_name(SPS_PRICING_FROM_DISK), "disk-cache");
    sps_pricing_destroy(p);
    sps_cenv_teardown(&e);
}

static void test_catalog_failures(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    struct s_catalog cat = {.fail = SPS_ERR_IO};
    struct sps_pricing *p = s_pricing(&e, &cat, NULL);
    double usd = 0;
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "us-east-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_IO);
    sps_pricing_destroy(p);
    /* A zero from the catalog is not a price: without a Price List client it stays unknown. */
    cat = (struct s_catalog){.price = 0};
    struct sps_pricing_options o = {.catalog = s_catalog, .catalog_ctx = &cat};
    SPS_CHECK_OK(sps_pricing_new(&p, &o));
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "us-east-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_PRICING_UNKNOWN);
    SPS_CHECK_INT_EQ(cat.asked, 1);
    SPS_CHECK_ERR(sps_pricing_on_demand(p, "", "us-east-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_on_demand(p, "m5.large", NULL, SPS_PRICING_LINUX, &usd, NULL, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "us-east-1", SPS_PRICING_OS_COUNT_, &usd, NULL, NULL),
        SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(
        sps_pricing_on_demand(NULL, "m5.large", "us-east-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_INVALID_ARGUMENT);
    sps_pricing_destroy(p);
    sps_pricing_destroy(NULL);
    sps_cenv_teardown(&e);
}

static void test_options_are_checked(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    struct sps_pricing *p = (struct sps_pricing *)&e; /* must be reset to NULL on failure */
    struct sps_pricing_options o = {.price_list = e.client};
    SPS_CHECK_ERR(sps_pricing_new(&p, &o), SPS_ERR_INVALID_ARGUMENT); /* an EC2 client */
    SPS_CHECK(p == NULL);
    struct sps_aws_client_options co = sps_cenv_options(&e, SPS_AWS_PRICING);
    co.region = "ap-south-1";
    sps_cenv_reclient(&e, &co);
    o.price_list = e.client;
    SPS_CHECK_OK(sps_pricing_new(&p, &o));
    sps_pricing_destroy(p);
    SPS_CHECK_ERR(sps_pricing_new(&p, &(struct sps_pricing_options){.on_demand_ttl_ms = -1}),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_new(&p, &(struct sps_pricing_options){.placement_daily_budget = -1}),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_new(&p, &(struct sps_pricing_options){.cache_path = ""}),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_OK(sps_pricing_new(&p, NULL));
    double usd;
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_PRICING_UNKNOWN);
    sps_pricing_destroy(p);
    sps_cenv_teardown(&e);
}

static const char s_page_no_match[] =
    "{\"FormatVersion\":\"aws_v1\",\"PriceList\":[],\"NextToken\":\"token-2\"}";

static void test_price_list_pagination(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    struct sps_pricing *p = s_pricing(&e, NULL, NULL);
    sps_fake_transport_push(e.fake, 200, NULL, s_page_no_match);
    s_push_fixture(&e, "pricing/GetProducts.m5_large.eu-west-1.json");
    double usd = 0;
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL));
    SPS_CHECK(s_near(usd, 0.107));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 2);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 0)->body.data, "NextToken") == NULL);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 1)->body.data, "\"NextToken\":\"token-2\"") != NULL);

    /* A service repeating its token must not loop us: two pages, then unknown. */
    sps_fake_transport_push(e.fake, 200, NULL, s_page_no_match);
    sps_fake_transport_push(e.fake, 200, NULL, s_page_no_match);
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.xlarge", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_PRICING_UNKNOWN);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 4);
    sps_pricing_destroy(p);
    sps_cenv_teardown(&e);
}

static void test_price_list_errors_are_not_cached(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    struct sps_pricing *p = s_pricing(&e, NULL, NULL);
    double usd = 0;
    struct sps_aws_error aws_err;
    sps_fake_transport_push(
        e.fake, 400, "x-amzn-ErrorType: InvalidParameterException\n",
        "{\"__type\":\"InvalidParameterException\",\"message\":\"bad filter\"}");
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, &aws_err),
        SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(aws_err.code, "InvalidParameterException");
    sps_fake_transport_push(e.fake, 200, NULL, "{\"PriceList\": [\"{\\\"prod");
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_JSON_MALFORMED);
    sps_fake_transport_push(e.fake, 200, NULL, "{\"FormatVersion\":\"aws_v1\"}");
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_MISSING_FIELD);
    /* Two equally good products, two prices: ambiguous rather than a guess. */
    json_t *docs[2] = {s_product("pricing/PriceListProduct.m5_large.eu-west-1.json"),
                       s_product("pricing/PriceListProduct.m5_large.eu-west-1.json")};
    json_t *price_per_unit = json_object_get(
        json_object_get(
            json_object_get(
                json_object_get(json_object_get(json_object_get(docs[1], "terms"), "OnDemand"),
                                "FP7Z96TTU3VFSX2H.JRTCKXETXF"),
                "priceDimensions"),
            "FP7Z96TTU3VFSX2H.JRTCKXETXF.6YS6EN2CT7"),
        "pricePerUnit");
    json_object_set_new(price_per_unit, "USD", json_string("0.2"));
    s_push_products(&e, docs, 2);
    json_decref(docs[0]);
    json_decref(docs[1]);
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_PRICING_AMBIGUOUS);
    /* Nothing was cached: the next lookup asks again, and succeeds. */
    s_push_fixture(&e, "pricing/GetProducts.m5_large.eu-west-1.json");
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 5);
    sps_pricing_destroy(p);
    sps_cenv_teardown(&e);
}

static void test_region_wide_prefetch(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    struct sps_pricing *p = s_pricing(&e, NULL, NULL);
    json_t *docs[2] = {s_product("pricing/PriceListProduct.m5_large.eu-west-1.json"),
                       s_product("pricing/PriceListProduct.m5_large.eu-west-1.json")};
    json_t *attrs = json_object_get(json_object_get(docs[1], "product"), "attributes");
    json_object_set_new(attrs, "instanceType", json_string("c5.large"));
    s_push_products(&e, docs, 2);
    json_decref(docs[0]);
    json_decref(docs[1]);
    /* The first page carries no token here, so the walk is one call. */
    SPS_CHECK_OK(sps_pricing_on_demand_prefetch(p, "eu-west-1", SPS_PRICING_LINUX, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 1);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 0)->body.data, "instanceType") == NULL);
    double usd = 0;
    enum sps_pricing_source src;
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "c5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    SPS_CHECK(s_near(usd, 0.107) && src == SPS_PRICING_FROM_MEMORY);
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    /* A type the region-wide answer did not price: unknown, and no call for it. */
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "r5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_PRICING_UNKNOWN);
    SPS_CHECK_OK(sps_pricing_on_demand_prefetch(p, "eu-west-1", SPS_PRICING_LINUX, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 1);

    /* Two pages; then a failing walk marks nothing, so lookups still ask. */
    sps_fake_transport_push(e.fake, 200, NULL, s_page_no_match);
    sps_fake_transport_push(e.fake, 200, NULL, "{\"PriceList\":[]}");
    SPS_CHECK_OK(sps_pricing_on_demand_prefetch(p, "eu-west-2", SPS_PRICING_LINUX, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 3);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 2)->body.data, "\"NextToken\":\"token-2\"") != NULL);
    struct sps_aws_error aws_err;
    sps_fake_transport_push(e.fake, 400, NULL,
                            "{\"__type\":\"AccessDeniedException\",\"message\":\"no\"}");
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch(p, "eu-west-3", SPS_PRICING_LINUX, &aws_err),
                  SPS_ERR_AWS_AUTH);
    SPS_CHECK_STR_EQ(aws_err.code, "AccessDeniedException");
    sps_fake_transport_push(e.fake, 200, NULL, "{\"PriceList\": 1}");
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch(p, "eu-west-3", SPS_PRICING_LINUX, NULL),
                  SPS_ERR_UNEXPECTED_RESPONSE);
    s_push_fixture(&e, "pricing/GetProducts.m5_large.eu-west-1.json");
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "eu-west-3", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_PRICING_UNKNOWN);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 6);
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch(p, "", SPS_PRICING_LINUX, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch(NULL, "eu-west-1", SPS_PRICING_LINUX, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    sps_pricing_destroy(p);
    /* Without a Price List client there is nothing to walk. */
    SPS_CHECK_OK(sps_pricing_new(&p, NULL));
    SPS_CHECK_OK(sps_pricing_on_demand_prefetch(p, "eu-west-1", SPS_PRICING_LINUX, NULL));
    sps_pricing_destroy(p);
    sps_cenv_teardown(&e);
}

/* ---- spot prices ---- */

static void test_spot_fetch_three_pages(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    for (int i = 1; i <= 3; i++) {
        char name[96];
        snprintf(name, sizeof(name), "pricing/DescribeSpotPriceHistory.m5_large.page%d.xml", i);
        s_push_fixture(&e, name);
    }
    const char *types[] = {"m5.large"};
    struct sps_pricing_spot_request req = {types, 1, SPS_PRICING_LINUX, NULL, e.clock.wall_ms};
    struct sps_pricing_spot_table *t = sps_pricing_spot_table_new(SPS_PRICING_LINUX);
    struct sps_aws_error aws_err;
    SPS_CHECK_OK(sps_pricing_spot_fetch(e.client, &req, t, &aws_err));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 3);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 0)->body.data, "NextToken") == NULL);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 1)->body.data, "NextToken=page-2-token") != NULL);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 2)->body.data, "NextToken=page-3-token") != NULL);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 0)->body.data, "InstanceType.1=m5.large") != NULL);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 0)->body.data, "StartTime=2026-11-24T05%3A47%3A22.000Z") !=
              NULL);
    SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(t), 5);
    double usd = 0;
    SPS_CHECK_OK(sps_pricing_spot_get(t, "m5.large", "us-east-1f", &usd));
    SPS_CHECK(s_near(usd, 0.0437));
    sps_pricing_spot_table_destroy(t);

    /* A failing second page fails the fetch with the service's words. */
    s_push_fixture(&e, "pricing/DescribeSpotPriceHistory.m5_large.page1.xml");
    sps_fake_transport_push(e.fake, 400, NULL,
                            "<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>"
                            "bad token</Message></Error></Errors><RequestID>r</RequestID>"
                            "</Response>");
    t = sps_pricing_spot_table_new(SPS_PRICING_LINUX);
    SPS_CHECK_ERR(sps_pricing_spot_fetch(e.client, &req, t, &aws_err), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(aws_err.code, "InvalidParameterValue");
    /* A malformed page likewise. */
    sps_fake_transport_push(e.fake, 200, NULL,
                            "<DescribeSpotPriceHistoryResponse><spotPriceHistorySet><item>"
                            "<instanceType>m5.large</instanceType></item></spotPriceHistorySet>"
                            "</DescribeSpotPriceHistoryResponse>");
    SPS_CHECK_ERR(sps_pricing_spot_fetch(e.client, &req, t, &aws_err), SPS_ERR_MISSING_FIELD);
    /* Bad requests make no call. */
    size_t sent = sps_fake_transport_request_count(e.fake);
    struct sps_pricing_spot_request none = {types, 0, SPS_PRICING_LINUX, NULL, 0};
    SPS_CHECK_ERR(sps_pricing_spot_fetch(e.client, &none, t, NULL), SPS_ERR_INVALID_ARGUMENT);
    struct sps_pricing_spot_request win = {types, 1, SPS_PRICING_WINDOWS, NULL, 0};
    SPS_CHECK_ERR(sps_pricing_spot_fetch(e.client, &win, t, NULL), SPS_ERR_INVALID_ARGUMENT);
    const char *empty[] = {""};
    struct sps_pricing_spot_request blank = {empty, 1, SPS_PRICING_LINUX, NULL, 0};
    SPS_CHECK_ERR(sps_pricing_spot_fetch(e.client, &blank, t, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_spot_fetch(NULL, &req, t, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), sent);
    sps_pricing_spot_table_destroy(t);
    sps_cenv_teardown(&e);
}

/* Answers DescribeSpotPriceHistory per region (read from the URL), two pages for us-east-1. */
static sps_err s_spot_by_region(void *ctx, const struct sps_http_request *req,
                                struct sps_http_response *resp)
{
    resp->status = 200;
    bool east = strstr(req->url.data, "us-east-1") != NULL;
    bool second = strstr(req->body.data, "NextToken=east-2") != NULL;
    const char *price = east ? (second ? "0.031000" : "0.030000") : "0.041000";
    const char *az = east ? (second ? "us-east-1b" : "us-east-1a") : "eu-west-1a";
    return sps_buf_printf(
        &resp->body,
        "<DescribeSpotPriceHistoryResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
        "<requestId>r</requestId><spotPriceHistorySet><item><instanceType>c5.large</instanceType>"
        "<productDescription>Linux/UNIX</productDescription><spotPrice>%s</spotPrice>"
        "<timestamp>2026-11-24T05:00:00.000Z</timestamp><availabilityZone>%s</availabilityZone>"
        "</item></spotPriceHistorySet><nextToken>%s</nextToken>"
        "</DescribeSpotPriceHistoryResponse>",
        price, az, east && !second ? "east-2" : "");
}

/* us-east-1 answers well; eu-west-1 with a page cut short (no AWS error code at all). */
static sps_err s_spot_west_malformed(void *ctx, const struct sps_http_request *req,
                                     struct sps_http_response *resp)
{
    if (strstr(req->url.data, "eu-west-1") == NULL)
        return s_spot_by_region(ctx, req, resp);
    resp->status = 200;
    return sps_buf_append_str(&resp->body, "<DescribeSpotPriceHistoryResponse><spotPriceHis");
}

/* A region whose fetch fails without an AWS error (malformed page, timeout, lost connection)
 * still reports its failure, so the caller does not plan from a partial table. */
static void test_spot_fetch_many_reports_failures_without_a_code(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_fake_transport_set_handler(e.fake, s_spot_west_malformed, NULL);
    struct sps_aws_client_options o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.region = "eu-west-1";
    struct sps_aws_client *west = NULL;
    SPS_CHECK_OK(sps_aws_client_new(&west, &o));
    struct sps_aws_client *clients[2] = {e.client, west};
    const char *types[] = {"c5.large"};
    struct sps_pricing_spot_request reqs[2] = {
        {types, 1, SPS_PRICING_LINUX, NULL, e.clock.wall_ms},
        {types, 1, SPS_PRICING_LINUX, NULL, e.clock.wall_ms}};
    struct sps_pricing_spot_table *tables[2] = {sps_pricing_spot_table_new(SPS_PRICING_LINUX),
                                                sps_pricing_spot_table_new(SPS_PRICING_LINUX)};
    struct sps_aws_error errs[2];
    sps_err results[2] = {SPS_ERR_PARSE_TIME, SPS_OK};
    SPS_CHECK_ERR(sps_pricing_spot_fetch_many(clients, reqs, tables, 2, results, errs),
                  SPS_ERR_XML_MALFORMED);
    SPS_CHECK_INT_EQ(results[0], SPS_OK);
    SPS_CHECK_INT_EQ(results[1], SPS_ERR_XML_MALFORMED);
    SPS_CHECK_STR_EQ(errs[1].code, ""); /* nothing for a caller reading only the codes */
    SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(tables[0]), 2);
    SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(tables[1]), 0);
    sps_pricing_spot_table_destroy(tables[0]);
    sps_pricing_spot_table_destroy(tables[1]);
    sps_aws_client_destroy(west);
    sps_cenv_teardown(&e);
}

static void test_spot_fetch_many_regions_concurrently(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_fake_transport_set_handler(e.fake, s_spot_by_region, NULL);
    struct sps_aws_client_options o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.region = "eu-west-1";
    struct sps_aws_client *west = NULL;
    SPS_CHECK_OK(sps_aws_client_new(&west, &o));
    struct sps_aws_client *clients[2] = {e.client, west};
    const char *types[] = {"c5.large"};
    struct sps_pricing_spot_request reqs[2] = {
        {types, 1, SPS_PRICING_LINUX, NULL, e.clock.wall_ms},
        {types, 1, SPS_PRICING_LINUX, NULL, e.clock.wall_ms}};
    struct sps_pricing_spot_table *tables[2] = {sps_pricing_spot_table_new(SPS_PRICING_LINUX),
                                                sps_pricing_spot_table_new(SPS_PRICING_LINUX)};
    struct sps_aws_error errs[2];
    sps_err results[2] = {SPS_ERR_PARSE_TIME, SPS_ERR_PARSE_TIME};
    SPS_CHECK_OK(sps_pricing_spot_fetch_many(clients, reqs, tables, 2, results, errs));
    SPS_CHECK_INT_EQ(results[0], SPS_OK);
    SPS_CHECK_INT_EQ(results[1], SPS_OK);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 3);
    SPS_CHECK_INT_EQ(sps_fake_transport_batches(e.fake), 1); /* both regions' first pages */
    double usd = 0;
    SPS_CHECK_OK(sps_pricing_spot_get(tables[0], "c5.large", "us-east-1b", &usd));
    SPS_CHECK(s_near(usd, 0.031));
    SPS_CHECK_OK(sps_pricing_spot_get(tables[1], "c5.large", "eu-west-1a", &usd));
    SPS_CHECK(s_near(usd, 0.041));
    SPS_CHECK_ERR(sps_pricing_spot_get(tables[1], "c5.large", "us-east-1a", &usd),
                  SPS_ERR_PRICING_UNKNOWN);
    SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(tables[1]), 1);
    SPS_CHECK_OK(sps_pricing_spot_fetch_many(clients, reqs, tables, 0, NULL, NULL));
    sps_pricing_spot_table_destroy(tables[0]);
    sps_pricing_spot_table_destroy(tables[1]);
    sps_aws_client_destroy(west);
    sps_cenv_teardown(&e);
}

/* The real embedded catalog answers us-east-1 and GovCloud Linux prices without a call. */
static void test_embedded_catalog(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    struct sps_pricing_options o = {.price_list = e.client,
                                    .catalog = sps_pricing_compat_catalog,
                                    .catalog_ctx = cat,
                                    .clock = &e.clock.clock};
    struct sps_pricing *p = NULL;
    SPS_CHECK_OK(sps_pricing_new(&p, &o));
    double usd = 0;
    enum sps_pricing_source src;
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "us-east-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    SPS_CHECK(s_near(usd, 0.096));
    SPS_CHECK_INT_EQ(src, SPS_PRICING_FROM_CATALOG);
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "us-gov-west-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    SPS_CHECK(usd > 0.096 && src == SPS_PRICING_FROM_CATALOG);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 0);
    /* Not in the catalog (region, or type): NOT_FOUND to the lookup, which asks the API. */
    SPS_CHECK_ERR(sps_pricing_compat_catalog(cat, "m5.large", "eu-west-1", &usd),
                  SPS_ERR_NOT_FOUND);
    SPS_CHECK_ERR(sps_pricing_compat_catalog(cat, "m99.huge", "us-east-1", &usd),
                  SPS_ERR_NOT_FOUND);
    SPS_CHECK_ERR(sps_pricing_compat_catalog(NULL, "m5.large", "us-east-1", &usd),
                  SPS_ERR_INVALID_ARGUMENT);
    s_push_fixture(&e, "pricing/GetProducts.m5_large.eu-west-1.json");
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    SPS_CHECK(s_near(usd, 0.107) && src == SPS_PRICING_FROM_API);
    sps_pricing_destroy(p);
    sps_compat_catalog_destroy(cat);
    sps_cenv_teardown(&e);
}

/* Always another page: a new token each time, or the same one. */
static sps_err s_endless(void *ctx, const struct sps_http_request *req,
                         struct sps_http_response *resp)
{
    int *n = ctx;
    (*n)++;
    resp->status = 200;
    return sps_buf_printf(&resp->body,
                          "<DescribeSpotPriceHistoryResponse><spotPriceHistorySet/>"
                          "<nextToken>t%d</nextToken></DescribeSpotPriceHistoryResponse>",
                          *n);
}

static sps_err s_same_token(void *ctx, const struct sps_http_request *req,
                            struct sps_http_response *resp)
{
    int *n = ctx;
    (*n)++;
    resp->status = 200;
    return sps_buf_append_str(&resp->body,
                              "<DescribeSpotPriceHistoryResponse><spotPriceHistorySet/>"
                              "<nextToken>again</nextToken>"
                              "</DescribeSpotPriceHistoryResponse>");
}

static void test_spot_pagination_is_bounded(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    int n = 0;
    sps_fake_transport_set_handler(e.fake, s_endless, &n);
    const char *types[] = {"m5.large"};
    struct sps_pricing_spot_request req = {types, 1, SPS_PRICING_LINUX, NULL, e.clock.wall_ms};
    struct sps_pricing_spot_table *t = sps_pricing_spot_table_new(SPS_PRICING_LINUX);
    SPS_CHECK_OK(sps_pricing_spot_fetch(e.client, &req, t, NULL));
    SPS_CHECK_INT_EQ(n, 100); /* the page limit, logged */
    n = 0;
    sps_fake_transport_set_handler(e.fake, s_same_token, &n);
    SPS_CHECK_OK(sps_pricing_spot_fetch(e.client, &req, t, NULL));
    SPS_CHECK_INT_EQ(n, 2); /* a repeated token ends the walk */
    SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(t), 0);
    sps_pricing_spot_table_destroy(t);
    sps_cenv_teardown(&e);
}

static void test_over_long_key(void)
{
    struct sps_pricing *p = NULL;
    SPS_CHECK_OK(sps_pricing_new(&p, NULL));
    char type[1100];
    memset(type, 'x', sizeof(type) - 1);
    type[sizeof(type) - 1] = '\0';
    double usd;
    SPS_CHECK_ERR(sps_pricing_on_demand(p, type, "eu-west-1", SPS_PRICING_LINUX, &usd, NULL, NULL),
                  SPS_ERR_LIMIT_EXCEEDED);
    sps_pricing_destroy(p);
}

SPS_TEST_MAIN(SPS_CASE(test_embedded_catalog),
              SPS_CASE(test_catalog_first_then_price_list_then_memory),
              SPS_CASE(test_catalog_failures), SPS_CASE(test_options_are_checked),
              SPS_CASE(test_price_list_pagination), SPS_CASE(test_price_list_errors_are_not_cached),
              SPS_CASE(test_region_wide_prefetch), SPS_CASE(test_spot_fetch_three_pages),
              SPS_CASE(test_spot_fetch_many_regions_concurrently),
              SPS_CASE(test_spot_fetch_many_reports_failures_without_a_code),
              SPS_CASE(test_spot_pagination_is_bounded), SPS_CASE(test_over_long_key))
