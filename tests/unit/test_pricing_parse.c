/* The pure parts of pricing/: OS mapping, the GetProducts request and parser, the spot price
 * history and placement score page parsers, all from fixtures and hand-made malformed input. */
#include "sps_pricing.h"
#include "sps_test.h"

#include <jansson.h>
#include <math.h>

static const struct sps_pricing_od_key s_m5_use1 = {"m5.large", "us-east-1", SPS_PRICING_LINUX};
static const struct sps_pricing_od_key s_m5_euw1 = {"m5.large", "eu-west-1", SPS_PRICING_LINUX};

static bool s_near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

/* ---- operating systems ---- */

static void test_platform_details_map_to_os(void)
{
    enum sps_pricing_os os;
    SPS_CHECK_OK(sps_pricing_os_from_platform("Linux/UNIX", &os));
    SPS_CHECK_INT_EQ(os, SPS_PRICING_LINUX);
    SPS_CHECK_OK(sps_pricing_os_from_platform("Red Hat BYOL Linux", &os));
    SPS_CHECK_INT_EQ(os, SPS_PRICING_LINUX);
    SPS_CHECK_OK(sps_pricing_os_from_platform("Windows", &os));
    SPS_CHECK_INT_EQ(os, SPS_PRICING_WINDOWS);
    SPS_CHECK_OK(sps_pricing_os_from_platform("Red Hat Enterprise Linux", &os));
    SPS_CHECK_INT_EQ(os, SPS_PRICING_RHEL);
    SPS_CHECK_OK(sps_pricing_os_from_platform("SUSE Linux", &os));
    SPS_CHECK_INT_EQ(os, SPS_PRICING_SUSE);
    SPS_CHECK_STR_EQ(sps_pricing_os_price_list_name(SPS_PRICING_RHEL), "RHEL");
    SPS_CHECK_STR_EQ(sps_pricing_os_price_list_name(SPS_PRICING_SUSE), "SUSE");
    SPS_CHECK_STR_EQ(sps_pricing_os_license_model(SPS_PRICING_WINDOWS), "License Included");
    SPS_CHECK_STR_EQ(sps_pricing_os_license_model(SPS_PRICING_SUSE), "No License required");
    SPS_CHECK_STR_EQ(sps_pricing_os_operation(SPS_PRICING_WINDOWS), "RunInstances:0002");
    const char *products[2];
    SPS_CHECK_INT_EQ(sps_pricing_os_spot_products(SPS_PRICING_WINDOWS, products), 2);
    SPS_CHECK_STR_EQ(products[0], "Windows");
    SPS_CHECK_STR_EQ(products[1], "Windows (Amazon VPC)");
    SPS_CHECK(sps_pricing_os_spot_product_matches(SPS_PRICING_LINUX, "Linux/UNIX (Amazon VPC)"));
    SPS_CHECK(!sps_pricing_os_spot_product_matches(SPS_PRICING_LINUX, "Windows"));
    SPS_CHECK(!sps_pricing_os_spot_product_matches(SPS_PRICING_OS_COUNT_, "Windows"));
    SPS_CHECK_INT_EQ(sps_pricing_os_spot_products(SPS_PRICING_OS_COUNT_, products), 0);
    SPS_CHECK_STR_EQ(sps_pricing_os_name(SPS_PRICING_OS_COUNT_), "unknown");
    SPS_CHECK_STR_EQ(sps_pricing_region_location("eu-west-1"), "EU (Ireland)");
    SPS_CHECK(sps_pricing_region_location("xx-nowhere-1") == NULL);
}

struct s_capture {
    struct sps_log_sink sink;
    struct sps_buf lines;
};

static void s_capture_write(void *ctx, const char *line, size_t len)
{
    (void)sps_buf_append(&((struct s_capture *)ctx)->lines, line, len);
}

static void test_unsupported_platform_is_a_clear_error(void)
{
    struct s_capture cap = {{s_capture_write, &cap}, {0}};
    sps_buf_init(&cap.lines, 0);
    sps_log_set_sink(&cap.sink);
    sps_log_set_level(SPS_LOG_WARN);
    enum sps_pricing_os os = SPS_PRICING_SUSE;
    SPS_CHECK_ERR(sps_pricing_os_from_platform("Windows with SQL Server Standard", &os),
                  SPS_ERR_PRICING_UNSUPPORTED_PLATFORM);
    SPS_CHECK_INT_EQ(os, SPS_PRICING_SUSE); /* untouched */
    SPS_CHECK(strstr(cap.lines.data,
                     "unsupported platform for pricing: Windows with SQL Server Standard"));
    SPS_CHECK_ERR(sps_pricing_os_from_platform("", &os), SPS_ERR_PRICING_UNSUPPORTED_PLATFORM);
    SPS_CHECK_ERR(sps_pricing_os_from_platform(NULL, &os), SPS_ERR_PRICING_UNSUPPORTED_PLATFORM);
    SPS_CHECK_ERR(sps_pricing_os_from_platform("linux/unix", &os),
                  SPS_ERR_PRICING_UNSUPPORTED_PLATFORM);
    SPS_CHECK_STR_EQ(sps_error_message(SPS_ERR_PRICING_UNSUPPORTED_PLATFORM),
                     "unsupported platform for pricing");
    sps_log_set_sink(NULL);
    sps_log_set_level(SPS_LOG_OFF);
    sps_buf_clean_up(&cap.lines);

    SPS_CHECK_OK(sps_pricing_os_parse("rhel", &os));
    SPS_CHECK_INT_EQ(os, SPS_PRICING_RHEL);
    SPS_CHECK_ERR(sps_pricing_os_parse("Linux", &os), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_os_parse(NULL, &os), SPS_ERR_INVALID_ARGUMENT);
}

/* ---- GetProducts request ---- */

static const char *s_filter_value(const json_t *doc, const char *field)
{
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(doc, "Filters"), i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "Field")), field) == 0) {
            SPS_CHECK_STR_EQ(json_string_value(json_object_get(f, "Type")), "TERM_MATCH");
            return json_string_value(json_object_get(f, "Value"));
        }
    }
    return NULL;
}

static void test_products_request_has_every_filter(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    const struct sps_pricing_od_key win = {"c5.xlarge", "eu-west-1", SPS_PRICING_WINDOWS};
    SPS_CHECK_OK(sps_pricing_products_request(&b, &win, NULL));
    json_t *doc = json_loadb(b.data, b.len, 0, NULL);
    SPS_CHECK(doc != NULL);
    SPS_CHECK_STR_EQ(json_string_value(json_object_get(doc, "ServiceCode")), "AmazonEC2");
    SPS_CHECK_STR_EQ(json_string_value(json_object_get(doc, "FormatVersion")), "aws_v1");
    SPS_CHECK_INT_EQ(json_integer_value(json_object_get(doc, "MaxResults")), 100);
    SPS_CHECK(json_object_get(doc, "NextToken") == NULL);
    SPS_CHECK_INT_EQ(json_array_size(json_object_get(doc, "Filters")), 7);
    SPS_CHECK_STR_EQ(s_filter_value(doc, "instanceType"), "c5.xlarge");
    SPS_CHECK_STR_EQ(s_filter_value(doc, "regionCode"), "eu-west-1");
    SPS_CHECK_STR_EQ(s_filter_value(doc, "operatingSystem"), "Windows");
    SPS_CHECK_STR_EQ(s_filter_value(doc, "tenancy"), "Shared");
    SPS_CHECK_STR_EQ(s_filter_value(doc, "preInstalledSw"), "NA");
    SPS_CHECK_STR_EQ(s_filter_value(doc, "capacitystatus"), "Used");
    SPS_CHECK_STR_EQ(s_filter_value(doc, "licenseModel"), "License Included");
    json_decref(doc);

    sps_buf_reset(&b);
    const struct sps_pricing_od_key suse = {"m5.large", "us-east-1", SPS_PRICING_SUSE};
    SPS_CHECK_OK(sps_pricing_products_request(&b, &suse, "tok==/+"));
    doc = json_loadb(b.data, b.len, 0, NULL);
    SPS_CHECK_STR_EQ(json_string_value(json_object_get(doc, "NextToken")), "tok==/+");
    SPS_CHECK_STR_EQ(s_filter_value(doc, "licenseModel"), "No License required");
    SPS_CHECK_STR_EQ(s_filter_value(doc, "operatingSystem"), "SUSE");
    json_decref(doc);

    /* Region-wide: no instanceType filter. */
    sps_buf_reset(&b);
    const struct sps_pricing_od_key all = {NULL, "eu-west-1", SPS_PRICING_LINUX};
    SPS_CHECK_OK(sps_pricing_products_request(&b, &all, NULL));
    doc = json_loadb(b.data, b.len, 0, NULL);
    SPS_CHECK(s_filter_value(doc, "instanceType") == NULL);
    SPS_CHECK_INT_EQ(json_array_size(json_object_get(doc, "Filters")), 6);
    json_decref(doc);

    const struct sps_pricing_od_key bad[] = {{"m5.large", NULL, SPS_PRICING_LINUX},
                                             {"m5.large", "", SPS_PRICING_LINUX},
                                             {"", "us-east-1", SPS_PRICING_LINUX},
                                             {"m5.large", "us-east-1", SPS_PRICING_OS_COUNT_}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        SPS_CHECK_ERR(sps_pricing_products_request(&b, &bad[i], NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_products_request(&b, NULL, NULL), SPS_ERR_INVALID_ARGUMENT);

    struct sps_buf tiny;
    sps_buf_init(&tiny, 10);
    SPS_CHECK_ERR(sps_pricing_products_request(&tiny, &s_m5_use1, NULL), SPS_ERR_LIMIT_EXCEEDED);
    sps_buf_clean_up(&tiny);
    sps_buf_clean_up(&b);
}

/* ---- GetProducts parser ---- */

static sps_err s_parse_fixture(const char *name, const struct sps_pricing_od_key *key,
                               struct sps_pricing_od_match *m)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, name);
    sps_err err = sps_pricing_parse_product(sps_buf_cursor(&b), key, m);
    sps_buf_clean_up(&b);
    return err;
}

static void test_real_us_east_1_product(void)
{
    struct sps_pricing_od_match m;
    sps_pricing_od_match_init(&m);
    SPS_CHECK_OK(
        s_parse_fixture("pricing/PriceListProduct.m5_large.us-east-1.json", &s_m5_use1, &m));
    double usd = 0;
    SPS_CHECK_OK(sps_pricing_od_match_price(&m, &usd));
    SPS_CHECK(s_near(usd, 0.096)); /* the OnDemand term, not any of the Reserved ones */
    SPS_CHECK_INT_EQ(m.matched, 1);
    SPS_CHECK_INT_EQ(m.best_score, 4);
    sps_pricing_od_match_clean_up(&m);

    /* The same product is not eu-west-1's, nor Windows', nor m5.xlarge's. */
    const struct sps_pricing_od_key others[] = {s_m5_euw1,
                                                {"m5.large", "us-east-1", SPS_PRICING_WINDOWS},
                                                {"m5.xlarge", "us-east-1", SPS_PRICING_LINUX},
                                                {"m5.large", "xx-nowhere-1", SPS_PRICING_LINUX}};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        sps_pricing_od_match_init(&m);
        SPS_CHECK_OK(
            s_parse_fixture("pricing/PriceListProduct.m5_large.us-east-1.json", &others[i], &m));
        SPS_CHECK_INT_EQ(m.matched, 0);
        SPS_CHECK_ERR(sps_pricing_od_match_price(&m, &usd), SPS_ERR_PRICING_UNKNOWN);
        sps_pricing_od_match_clean_up(&m);
    }
}

static void test_windows_priced_as_windows(void)
{
    struct sps_pricing_od_match m;
    sps_pricing_od_match_init(&m);
    const struct sps_pricing_od_key win = {"m5.large", "us-east-1", SPS_PRICING_WINDOWS};
    SPS_CHECK_OK(s_parse_fixture("pricing/PriceListProduct.m5_large.us-east-1.json", &win, &m));
    SPS_CHECK_OK(
        s_parse_fixture("pricing/PriceListProduct.m5_large.windows.us-east-1.json", &win, &m));
    double usd = 0;
    SPS_CHECK_OK(sps_pricing_od_match_price(&m, &usd));
    SPS_CHECK(s_near(usd, 0.188));
    SPS_CHECK_INT_EQ(m.matched, 1);
    sps_pricing_od_match_clean_up(&m);

    /* And the Windows product never prices Linux. */
    sps_pricing_od_match_init(&m);
    SPS_CHECK_OK(s_parse_fixture("pricing/PriceListProduct.m5_large.windows.us-east-1.json",
                                 &s_m5_use1, &m));
    SPS_CHECK_ERR(sps_pricing_od_match_price(&m, &usd), SPS_ERR_PRICING_UNKNOWN);
    sps_pricing_od_match_clean_up(&m);
}

static void test_wire_answer_for_another_region(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, "pricing/GetProducts.m5_large.eu-west-1.json");
    struct sps_pricing_od_match m;
    sps_pricing_od_match_init(&m);
    SPS_CHECK_OK(sps_pricing_parse_products(sps_buf_cursor(&b), &s_m5_euw1, &m));
    double usd = 0;
    SPS_CHECK_OK(sps_pricing_od_match_price(&m, &usd));
    SPS_CHECK(s_near(usd, 0.107));
    SPS_CHECK_INT_EQ(m.matched, 1);
    SPS_CHECK(m.next_token == NULL);
    sps_pricing_od_match_clean_up(&m);

    /* The same answer read for us-east-1 gives us-east-1's price. */
    sps_pricing_od_match_init(&m);
    SPS_CHECK_OK(sps_pricing_parse_products(sps_buf_cursor(&b), &s_m5_use1, &m));
    SPS_CHECK_OK(sps_pricing_od_match_price(&m, &usd));
    SPS_CHECK(s_near(usd, 0.096));
    sps_pricing_od_match_clean_up(&m);
    sps_buf_clean_up(&b);
}

static int s_dump_cb(const char *data, size_t len, void *ctx)
{
    return sps_buf_append(ctx, data, len) == SPS_OK ? 0 : -1;
}

/* Compact JSON text, from sps_malloc. */
static char *s_dump(const json_t *json)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    SPS_CHECK(json_dump_callback(json, s_dump_cb, &b, JSON_COMPACT) == 0);
    return sps_buf_take(&b);
}

static void test_botocore_example_matches_nothing(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, "pricing/pricing.GetProducts.json");
    json_t *doc = json_loadb(b.data, b.len, 0, NULL);
    char *output = s_dump(json_object_get(doc, "output"));
    struct sps_pricing_od_match m;
    sps_pricing_od_match_init(&m);
    SPS_CHECK_OK(sps_pricing_parse_products(sps_cursor_from_str(output), &s_m5_use1, &m));
    SPS_CHECK_INT_EQ(m.matched, 0); /* an EBS storage product */
    SPS_CHECK(m.next_token != NULL && strncmp(m.next_token, "57r3EXAMPLE", 11) == 0);
    double usd;
    SPS_CHECK_ERR(sps_pricing_od_match_price(&m, &usd), SPS_ERR_PRICING_UNKNOWN);
    sps_pricing_od_match_clean_up(&m);
    sps_free(output);
    json_decref(doc);
    sps_buf_clean_up(&b);
}

/* The us-east-1 product with one change applied by `edit`, as a JSON string. */
static char *s_edited(void (*edit)(json_t *doc))
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, "pricing/PriceListProduct.m5_large.us-east-1.json");
    json_t *doc = json_loadb(b.data, b.len, 0, NULL);
    SPS_CHECK(doc != NULL);
    edit(doc);
    sps_buf_reset(&b);
    char *copy = s_dump(doc);
    json_decref(doc);
    sps_buf_clean_up(&b);
    return copy;
}

static json_t *s_od_dim(json_t *doc)
{
    return json_object_get(
        json_object_get(json_object_get(json_object_get(json_object_get(doc, "terms"), "OnDemand"),
                                        "6C86BEPQVG73ZGGR.JRTCKXETXF"),
                        "priceDimensions"),
        "6C86BEPQVG73ZGGR.JRTCKXETXF.6YS6EN2CT7");
}

static void s_no_terms(json_t *d)
{
    json_object_del(d, "terms");
}
static void s_no_on_demand(json_t *d)
{
    json_object_del(json_object_get(d, "terms"), "OnDemand");
}
static void s_zero_price(json_t *d)
{
    json_object_set_new(json_object_get(s_od_dim(d), "pricePerUnit"), "USD",
                        json_string("0.0000000000"));
}
static void s_no_usd(json_t *d)
{
    json_object_del(json_object_get(s_od_dim(d), "pricePerUnit"), "USD");
}
static void s_bad_price(json_t *d)
{
    json_object_set_new(json_object_get(s_od_dim(d), "pricePerUnit"), "USD",
                        json_string("0.09six"));
}
static void s_negative_price(json_t *d)
{
    json_object_set_new(json_object_get(s_od_dim(d), "pricePerUnit"), "USD", json_string("-1"));
}
static void s_unit_quantity(json_t *d)
{
    json_object_set_new(s_od_dim(d), "unit", json_string("Quantity"));
}
static void s_no_attributes(json_t *d)
{
    json_object_del(json_object_get(d, "product"), "attributes");
}
static void s_no_tenancy(json_t *d)
{
    json_object_del(json_object_get(json_object_get(d, "product"), "attributes"), "tenancy");
}
static void s_dedicated(json_t *d)
{
    json_object_set_new(json_object_get(json_object_get(d, "product"), "attributes"), "tenancy",
                        json_string("Dedicated"));
}
static void s_reservation(json_t *d)
{
    json_object_set_new(json_object_get(json_object_get(d, "product"), "attributes"),
                        "capacitystatus", json_string("UnusedCapacityReservation"));
}
static void s_with_sql(json_t *d)
{
    json_object_set_new(json_object_get(json_object_get(d, "product"), "attributes"),
                        "preInstalledSw", json_string("SQL Std"));
}
static void s_region_code(json_t *d)
{
    /* A current product: regionCode present (and decisive), location irrelevant. */
    json_t *a = json_object_get(json_object_get(d, "product"), "attributes");
    json_object_set_new(a, "regionCode", json_string("eu-west-1"));
    json_object_set_new(a, "location", json_string("somewhere else"));
    json_object_set_new(json_object_get(s_od_dim(d), "pricePerUnit"), "USD",
                        json_string("0.1070000000"));
}
static void s_two_hourly_prices(json_t *d)
{
    json_t *dims =
        json_object_get(json_object_get(json_object_get(json_object_get(d, "terms"), "OnDemand"),
                                        "6C86BEPQVG73ZGGR.JRTCKXETXF"),
                        "priceDimensions");
    json_object_set_new(dims, "extra",
                        json_pack("{s:s, s:{s:s}}", "unit", "Hrs", "pricePerUnit", "USD", "0.5"));
}
static void s_other_price(json_t *d)
{
    json_object_set_new(json_object_get(s_od_dim(d), "pricePerUnit"), "USD",
                        json_string("0.5000000000"));
}
static void s_no_operation(json_t *d)
{
    json_object_del(json_object_get(json_object_get(d, "product"), "attributes"), "operation");
    json_object_set_new(json_object_get(s_od_dim(d), "pricePerUnit"), "USD",
                        json_string("0.2000000000"));
}

static sps_err s_parse_edited(void (*edit)(json_t *), const struct sps_pricing_od_key *key,
                              struct sps_pricing_od_match *m)
{
    char *text = s_edited(edit);
    sps_err err = sps_pricing_parse_product(sps_cursor_from_str(text), key, m);
    sps_free(text);
    return err;
}

static void test_product_errors(void)
{
    struct sps_pricing_od_match m;
    double usd;
    struct {
        void (*edit)(json_t *);
        sps_err parse;
        size_t matched, unpriced;
    } cases[] = {
        {s_no_terms, SPS_ERR_MISSING_FIELD, 1, 0},
        {s_no_on_demand, SPS_ERR_MISSING_FIELD, 1, 0},
        {s_zero_price, SPS_OK, 1, 1},
        {s_no_usd, SPS_OK, 1, 1},
        {s_unit_quantity, SPS_OK, 1, 1},
        {s_bad_price, SPS_ERR_UNEXPECTED_RESPONSE, 1, 0},
        {s_negative_price, SPS_ERR_UNEXPECTED_RESPONSE, 1, 0},
        {s_two_hourly_prices, SPS_ERR_PRICING_AMBIGUOUS, 1, 0},
        {s_no_attributes, SPS_ERR_MISSING_FIELD, 0, 0},
        {s_no_tenancy, SPS_OK, 0, 0},
        {s_dedicated, SPS_OK, 0, 0},
        {s_reservation, SPS_OK, 0, 0},
        {s_with_sql, SPS_OK, 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sps_pricing_od_match_init(&m);
        SPS_CHECK_ERR(s_parse_edited(cases[i].edit, &s_m5_use1, &m), cases[i].parse);
        SPS_CHECK_INT_EQ(m.matched, cases[i].matched);
        SPS_CHECK_INT_EQ(m.unpriced, cases[i].unpriced);
        /* Whatever went wrong, the price is unknown, never 0. */
        SPS_CHECK_ERR(sps_pricing_od_match_price(&m, &usd), SPS_ERR_PRICING_UNKNOWN);
        sps_pricing_od_match_clean_up(&m);
    }

    sps_pricing_od_match_init(&m);
    SPS_CHECK_ERR(sps_pricing_parse_product(SPS_CURSOR_LIT("{\"product\": "), &s_m5_use1, &m),
                  SPS_ERR_JSON_MALFORMED);
    SPS_CHECK_ERR(sps_pricing_parse_product(SPS_CURSOR_LIT("[1, 2]"), &s_m5_use1, &m),
                  SPS_ERR_UNEXPECTED_RESPONSE);
    SPS_CHECK_ERR(sps_pricing_parse_product(SPS_CURSOR_LIT("{}"), NULL, &m),
                  SPS_ERR_INVALID_ARGUMENT);
    sps_pricing_od_match_clean_up(&m);
}

static void test_region_code_and_conflicts(void)
{
    struct sps_pricing_od_match m;
    double usd;
    /* regionCode decides over location. */
    sps_pricing_od_match_init(&m);
    SPS_CHECK_OK(s_parse_edited(s_region_code, &s_m5_euw1, &m));
    SPS_CHECK_OK(sps_pricing_od_match_price(&m, &usd));
    SPS_CHECK(s_near(usd, 0.107));
    SPS_CHECK_OK(s_parse_edited(s_region_code, &s_m5_use1, &m));
    SPS_CHECK_INT_EQ(m.matched, 1);
    sps_pricing_od_match_clean_up(&m);

    /* A product silent about `operation` scores lower than the exact one: the exact one wins,
     * in either order. */
    for (int order = 0; order < 2; order++) {
        sps_pricing_od_match_init(&m);
        if (order == 0)
            SPS_CHECK_OK(s_parse_edited(s_no_operation, &s_m5_use1, &m));
        SPS_CHECK_OK(
            s_parse_fixture("pricing/PriceListProduct.m5_large.us-east-1.json", &s_m5_use1, &m));
        if (order == 1)
            SPS_CHECK_OK(s_parse_edited(s_no_operation, &s_m5_use1, &m));
        SPS_CHECK_OK(sps_pricing_od_match_price(&m, &usd));
        SPS_CHECK(s_near(usd, 0.096));
        SPS_CHECK_INT_EQ(m.matched, 2);
        sps_pricing_od_match_clean_up(&m);
    }

    /* Two equally exact products with different prices: ambiguous, not a guess. */
    sps_pricing_od_match_init(&m);
    SPS_CHECK_OK(
        s_parse_fixture("pricing/PriceListProduct.m5_large.us-east-1.json", &s_m5_use1, &m));
    SPS_CHECK_OK(
        s_parse_fixture("pricing/PriceListProduct.m5_large.us-east-1.json", &s_m5_use1, &m));
    SPS_CHECK_OK(sps_pricing_od_match_price(&m, &usd)); /* same price twice is fine */
    SPS_CHECK_OK(s_parse_edited(s_other_price, &s_m5_use1, &m));
    SPS_CHECK_ERR(sps_pricing_od_match_price(&m, &usd), SPS_ERR_PRICING_AMBIGUOUS);
    sps_pricing_od_match_clean_up(&m);
}

static void test_products_body_errors(void)
{
    const char *bodies[] = {
        "{\"PriceList\": [",                        /* truncated */
        "not json",                                 /* not JSON */
        "{\"FormatVersion\": \"aws_v1\"}",          /* no PriceList */
        "{\"PriceList\": {}}",                      /* not an array */
        "{\"PriceList\": [42]}",                    /* element not a string */
        "{\"PriceList\": [\"{\\\"product\\\":\"]}", /* string not JSON */
        "{\"PriceList\": [], \"NextToken\": 7}",    /* token not a string */
    };
    const sps_err want[] = {SPS_ERR_JSON_MALFORMED,      SPS_ERR_JSON_MALFORMED,
                            SPS_ERR_MISSING_FIELD,       SPS_ERR_UNEXPECTED_RESPONSE,
                            SPS_ERR_UNEXPECTED_RESPONSE, SPS_ERR_JSON_MALFORMED,
                            SPS_ERR_UNEXPECTED_RESPONSE};
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        struct sps_pricing_od_match m;
        sps_pricing_od_match_init(&m);
        SPS_CHECK_ERR(sps_pricing_parse_products(sps_cursor_from_str(bodies[i]), &s_m5_use1, &m),
                      want[i]);
        sps_pricing_od_match_clean_up(&m);
    }
    struct sps_pricing_od_match m;
    sps_pricing_od_match_init(&m);
    SPS_CHECK_ERR(sps_pricing_parse_products(SPS_CURSOR_LIT("{}"), NULL, &m),
                  SPS_ERR_INVALID_ARGUMENT);
    /* An empty list with a null token: nothing known, last page. */
    SPS_CHECK_OK(sps_pricing_parse_products(
        SPS_CURSOR_LIT("{\"PriceList\": [], \"NextToken\": null}"), &s_m5_use1, &m));
    SPS_CHECK(m.next_token == NULL);
    sps_pricing_od_match_clean_up(&m);
}

struct s_by_type {
    struct sps_pricing_od_match m[4];
    const char *names[4];
    size_t n;
};

static struct sps_pricing_od_match *s_slot(void *ctx, const char *type)
{
    struct s_by_type *b = ctx;
    for (size_t i = 0; i < b->n; i++) {
        if (strcmp(b->names[i], type) == 0)
            return &b->m[i];
    }
    SPS_CHECK(b->n < 4);
    b->names[b->n] = type == NULL ? "" : strcmp(type, "m5.large") == 0 ? "m5.large" : "other";
    sps_pricing_od_match_init(&b->m[b->n]);
    return &b->m[b->n++];
}

static void test_region_wide_answer_by_type(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, "pricing/GetProducts.m5_large.eu-west-1.json");
    struct s_by_type by = {0};
    char *token = sps_strdup("stale");
    const struct sps_pricing_od_key all = {NULL, "eu-west-1", SPS_PRICING_LINUX};
    SPS_CHECK_OK(sps_pricing_parse_products_by_type(sps_buf_cursor(&b), &all, s_slot, &by, &token));
    SPS_CHECK(token == NULL);
    SPS_CHECK_INT_EQ(by.n, 1); /* only the eu-west-1 Linux product matched */
    SPS_CHECK_STR_EQ(by.names[0], "m5.large");
    double usd = 0;
    SPS_CHECK_OK(sps_pricing_od_match_price(&by.m[0], &usd));
    SPS_CHECK(s_near(usd, 0.107));
    /* A typed key is refused here, as a region-wide key is by the single-type parsers. */
    SPS_CHECK_ERR(
        sps_pricing_parse_products_by_type(sps_buf_cursor(&b), &s_m5_euw1, s_slot, &by, &token),
        SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_parse_products_by_type(sps_buf_cursor(&b), &all, NULL, &by, &token),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_parse_products_by_type(sps_buf_cursor(&b), &all, s_slot, &by, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    struct sps_pricing_od_match m;
    sps_pricing_od_match_init(&m);
    SPS_CHECK_ERR(sps_pricing_parse_products(sps_buf_cursor(&b), &all, &m),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_parse_products_by_type(SPS_CURSOR_LIT("{\"PriceList\":[\"[\"]}"),
                                                     &all, s_slot, &by, &token),
                  SPS_ERR_JSON_MALFORMED);
    for (size_t i = 0; i < by.n; i++)
        sps_pricing_od_match_clean_up(&by.m[i]);
    sps_buf_clean_up(&b);
}

SPS_TEST_MAIN(SPS_CASE(test_platform_details_map_to_os),
              SPS_CASE(test_unsupported_platform_is_a_clear_error),
              SPS_CASE(test_products_request_has_every_filter),
              SPS_CASE(test_real_us_east_1_product), SPS_CASE(test_windows_priced_as_windows),
              SPS_CASE(test_wire_answer_for_another_region),
              SPS_CASE(test_botocore_example_matches_nothing), SPS_CASE(test_product_errors),
              SPS_CASE(test_region_code_and_conflicts), SPS_CASE(test_products_body_errors),
              SPS_CASE(test_region_wide_answer_by_type))
