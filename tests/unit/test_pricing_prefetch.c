/* sps_pricing_on_demand_prefetch_many over the fake transport: the keys nothing local answers go
 * out together (one batch per page round), prices found are cached, and a key that fails or has
 * no price is left to sps_pricing_on_demand, which asks again and reports it as it always did. */
#include "http_client_env.h"
#include "sps_pricing.h"
#include "sps_test.h"

#include <math.h>
#include <string.h>

static bool s_near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

/* A catalog pricing us-east-1 Linux m5.large only. */
static sps_err s_catalog(void *ctx, const char *type, const char *region, double *usd)
{
    (void)ctx;
    if (strcmp(type, "m5.large") != 0 || strcmp(region, "us-east-1") != 0)
        return SPS_ERR_NOT_FOUND;
    *usd = 0.096;
    return SPS_OK;
}

static struct sps_pricing *s_pricing(struct sps_cenv *e, bool with_client)
{
    struct sps_pricing_options o = {.price_list = with_client ? e->client : NULL,
                                    .catalog = s_catalog,
                                    .clock = &e->clock.clock};
    struct sps_pricing *p = NULL;
    SPS_CHECK_OK(sps_pricing_new(&p, &o));
    return p;
}

static const char s_page_no_match[] =
    "{\"FormatVersion\":\"aws_v1\",\"PriceList\":[],\"NextToken\":\"token-2\"}";
static const char s_last_no_match[] = "{\"FormatVersion\":\"aws_v1\",\"PriceList\":[]}";

/* eu-west-1: m5.large on its second page; eu-west-2: a client error; eu-west-3: no product. */
static sps_err s_products(void *ctx, const struct sps_http_request *req,
                          struct sps_http_response *resp)
{
    (void)ctx;
    const char *body = req->body.data;
    if (strstr(body, "\"Value\":\"eu-west-2\"") != NULL) {
        resp->status = 400;
        sps_http_headers_add(&resp->headers, sps_cursor_from_str("x-amzn-ErrorType"),
                             sps_cursor_from_str("InvalidParameterException"));
        return sps_buf_append_str(
            &resp->body, "{\"__type\":\"InvalidParameterException\",\"message\":\"bad filter\"}");
    }
    resp->status = 200;
    if (strstr(body, "\"Value\":\"eu-west-3\"") != NULL)
        return sps_buf_append_str(&resp->body, s_last_no_match);
    if (strstr(body, "NextToken") == NULL)
        return sps_buf_append_str(&resp->body, s_page_no_match);
    sps_test_read_fixture(&resp->body, "pricing/GetProducts.m5_large.eu-west-1.json");
    return SPS_OK;
}

static void test_prefetch_many_fetches_together_and_caches(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    sps_fake_transport_set_handler(e.fake, s_products, NULL);
    struct sps_pricing *p = s_pricing(&e, true);
    const struct sps_pricing_od_key keys[] = {
        {"m5.large", "us-east-1", SPS_PRICING_LINUX}, /* the catalog's: no call */
        {"m5.large", "eu-west-1", SPS_PRICING_LINUX},
        {"m5.large", "eu-west-1", SPS_PRICING_LINUX}, /* the same key: asked once */
        {"m5.large", "eu-west-2", SPS_PRICING_LINUX},
        {"m5.large", "eu-west-3", SPS_PRICING_LINUX},
    };
    sps_err results[5];
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch_many(p, keys, 5, results), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_INT_EQ(results[0], SPS_OK);
    SPS_CHECK_INT_EQ(results[1], SPS_OK);
    SPS_CHECK_INT_EQ(results[2], SPS_OK);
    SPS_CHECK_INT_EQ(results[3], SPS_ERR_AWS_CLIENT);
    SPS_CHECK_INT_EQ(results[4], SPS_ERR_PRICING_UNKNOWN);
    /* Round 1: the three keys' first pages together; round 2: eu-west-1's second page. */
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 4);
    SPS_CHECK_INT_EQ(sps_fake_transport_batches(e.fake), 1);
    SPS_CHECK_INT_EQ(sps_pricing_api_calls(p), 4);
    SPS_CHECK(strstr(sps_cenv_sent(&e, 3)->body.data, "\"NextToken\":\"token-2\"") != NULL);

    /* The fetched price answers from memory. */
    double usd = 0;
    enum sps_pricing_source src;
    SPS_CHECK_OK(
        sps_pricing_on_demand(p, "m5.large", "eu-west-1", SPS_PRICING_LINUX, &usd, &src, NULL));
    SPS_CHECK(s_near(usd, 0.107));
    SPS_CHECK_INT_EQ(src, SPS_PRICING_FROM_MEMORY);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 4);

    /* The failures were not remembered: the lookup asks again and reports what it gets. */
    struct sps_aws_error aws_err;
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "eu-west-2", SPS_PRICING_LINUX, &usd, NULL, &aws_err),
        SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(aws_err.code, "InvalidParameterException");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 5);
    SPS_CHECK_ERR(
        sps_pricing_on_demand(p, "m5.large", "eu-west-3", SPS_PRICING_LINUX, &usd, NULL, NULL),
        SPS_ERR_PRICING_UNKNOWN);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 6);

    /* Asked again, cached keys make no call. */
    SPS_CHECK_OK(sps_pricing_on_demand_prefetch_many(p, keys, 3, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 6);
    sps_pricing_destroy(p);
    sps_cenv_teardown(&e);
}

/* A malformed page fails its key only; the other key's price is still cached. */
static void test_prefetch_many_malformed_page(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    struct sps_pricing *p = s_pricing(&e, true);
    sps_fake_transport_push(e.fake, 200, NULL, "{\"PriceList\": [\"{\\\"prod");
    sps_fake_transport_push(e.fake, 200, NULL, s_last_no_match);
    const struct sps_pricing_od_key keys[] = {{"c5.large", "eu-west-1", SPS_PRICING_WINDOWS},
                                              {"c5.xlarge", "eu-west-1", SPS_PRICING_WINDOWS}};
    sps_err results[2];
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch_many(p, keys, 2, results), SPS_ERR_JSON_MALFORMED);
    SPS_CHECK_INT_EQ(results[0], SPS_ERR_JSON_MALFORMED);
    SPS_CHECK_INT_EQ(results[1], SPS_ERR_PRICING_UNKNOWN);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 2);
    sps_pricing_destroy(p);
    sps_cenv_teardown(&e);
}

static void test_prefetch_many_arguments(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    struct sps_pricing *p = s_pricing(&e, true);
    const struct sps_pricing_od_key bad[] = {{"m5.large", "eu-west-1", SPS_PRICING_LINUX},
                                             {"", "eu-west-1", SPS_PRICING_LINUX}};
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch_many(p, bad, 2, NULL), SPS_ERR_INVALID_ARGUMENT);
    const struct sps_pricing_od_key no_region[] = {{"m5.large", NULL, SPS_PRICING_LINUX}};
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch_many(p, no_region, 1, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    const struct sps_pricing_od_key bad_os[] = {{"m5.large", "eu-west-1", SPS_PRICING_OS_COUNT_}};
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch_many(p, bad_os, 1, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch_many(NULL, bad, 1, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch_many(p, NULL, 1, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_OK(sps_pricing_on_demand_prefetch_many(p, NULL, 0, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 0);
    sps_pricing_destroy(p);

    /* Without a Price List client: nothing to do, no call. */
    struct sps_pricing *offline = s_pricing(&e, false);
    SPS_CHECK_OK(sps_pricing_on_demand_prefetch_many(offline, bad, 1, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 0);
    sps_pricing_destroy(offline);
    sps_cenv_teardown(&e);
}

/* A key too long for the cache is left to the lookup, which reports the limit. */
static void test_prefetch_many_over_long_key(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_PRICING);
    struct sps_pricing *p = s_pricing(&e, true);
    char type[1100];
    memset(type, 'x', sizeof(type) - 1);
    type[sizeof(type) - 1] = '\0';
    const struct sps_pricing_od_key keys[] = {{type, "eu-west-1", SPS_PRICING_LINUX}};
    sps_err results[1];
    SPS_CHECK_ERR(sps_pricing_on_demand_prefetch_many(p, keys, 1, results), SPS_ERR_LIMIT_EXCEEDED);
    SPS_CHECK_INT_EQ(results[0], SPS_ERR_LIMIT_EXCEEDED);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 0);
    sps_pricing_destroy(p);
    sps_cenv_teardown(&e);
}

SPS_TEST_MAIN(SPS_CASE(test_prefetch_many_fetches_together_and_caches),
              SPS_CASE(test_prefetch_many_malformed_page), SPS_CASE(test_prefetch_many_arguments),
              SPS_CASE(test_prefetch_many_over_long_key))
