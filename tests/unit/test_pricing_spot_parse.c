/* The pure page parsers of pricing/ over EC2 XML: DescribeSpotPriceHistory (recorded history
 * in three pages, latest by timestamp, other OSes, every malformed item) and
 * GetSpotPlacementScores (scores, the configuration key, the query). */
#include "sps_pricing.h"
#include "sps_test.h"

#include <math.h>
#include <stdio.h>

static bool s_near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

/* ---- spot price history ---- */

static struct sps_xml_doc *s_xml(const char *fixture)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, fixture);
    struct sps_xml_doc *doc = NULL;
    SPS_CHECK_OK(sps_xml_parse(&doc, b.data, b.len));
    sps_buf_clean_up(&b);
    return doc;
}

static void test_spot_pages_latest_by_timestamp(void)
{
    struct sps_pricing_spot_table *t = sps_pricing_spot_table_new(SPS_PRICING_LINUX);
    const char *tokens[3] = {"page-2-token", "page-3-token", NULL};
    /* Oldest page first, so newer prices must replace older ones, and older must not. */
    for (int page = 3; page >= 1; page--) {
        char name[96];
        snprintf(name, sizeof(name), "pricing/DescribeSpotPriceHistory.m5_large.page%d.xml", page);
        struct sps_xml_doc *doc = s_xml(name);
        char *token = NULL;
        SPS_CHECK_OK(sps_pricing_spot_parse_page(sps_xml_root(doc), t, &token));
        if (tokens[page - 1])
            SPS_CHECK_STR_EQ(token, tokens[page - 1]);
        else
            SPS_CHECK(token == NULL);
        sps_free(token);
        sps_xml_doc_destroy(doc);
    }
    SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(t), 5);
    /* The latest recorded price per zone (computed from the recording independently). */
    const struct {
        const char *az;
        double usd;
    } want[] = {{"us-east-1a", 0.0423},
                {"us-east-1b", 0.0389},
                {"us-east-1c", 0.0381},
                {"us-east-1d", 0.0431},
                {"us-east-1f", 0.0437}};
    for (size_t i = 0; i < 5; i++) {
        double usd = 0;
        SPS_CHECK_OK(sps_pricing_spot_get(t, "m5.large", want[i].az, &usd));
        SPS_CHECK(s_near(usd, want[i].usd));
    }
    double usd = 0;
    const char *az = NULL;
    SPS_CHECK_OK(sps_pricing_spot_lowest(t, "m5.large", &usd, &az));
    SPS_CHECK_STR_EQ(az, "us-east-1c");
    SPS_CHECK(s_near(usd, 0.0381));
    const struct sps_pricing_spot_price *p = sps_pricing_spot_table_at(t, 0);
    SPS_CHECK(p != NULL && strcmp(p->product_description, "Linux/UNIX") == 0);
    SPS_CHECK(sps_pricing_spot_table_at(t, 5) == NULL);
    /* Unknown type or zone: unknown, never 0. */
    SPS_CHECK_ERR(sps_pricing_spot_get(t, "m5.xlarge", "us-east-1a", &usd),
                  SPS_ERR_PRICING_UNKNOWN);
    SPS_CHECK_ERR(sps_pricing_spot_get(t, "m5.large", "us-east-1e", &usd), SPS_ERR_PRICING_UNKNOWN);
    SPS_CHECK_ERR(sps_pricing_spot_lowest(t, "m5.xlarge", &usd, NULL), SPS_ERR_PRICING_UNKNOWN);
    SPS_CHECK_ERR(sps_pricing_spot_get(t, NULL, "us-east-1a", &usd), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_pricing_spot_lowest(NULL, "m5.large", &usd, NULL), SPS_ERR_INVALID_ARGUMENT);
    sps_pricing_spot_table_destroy(t);
}

#define S_ITEM(type, prod, price, ts, az)                                                          \
    "<item><instanceType>" type "</instanceType><productDescription>" prod                         \
    "</productDescription><spotPrice>" price "</spotPrice><timestamp>" ts                          \
    "</timestamp><availabilityZone>" az "</availabilityZone></item>"
#define S_PAGE(items)                                                                              \
    "<DescribeSpotPriceHistoryResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"        \
    "<requestId>r</requestId><spotPriceHistorySet>" items "</spotPriceHistorySet>"                 \
    "</DescribeSpotPriceHistoryResponse>"

static sps_err s_parse_spot(const char *xml, struct sps_pricing_spot_table *t)
{
    struct sps_xml_doc *doc = NULL;
    SPS_CHECK_OK(sps_xml_parse(&doc, xml, strlen(xml)));
    sps_err err = sps_pricing_spot_parse_page(sps_xml_root(doc), t, NULL);
    sps_xml_doc_destroy(doc);
    return err;
}

static void test_spot_other_os_and_newer_later(void)
{
    struct sps_pricing_spot_table *t = sps_pricing_spot_table_new(SPS_PRICING_WINDOWS);
    SPS_CHECK_OK(s_parse_spot(
        S_PAGE(
            S_ITEM("c5.large", "Linux/UNIX", "0.030000", "2026-11-24T05:00:00.000Z", "eu-west-1a")
                S_ITEM("c5.large", "Windows", "0.110000", "2026-11-24T01:00:00.000Z", "eu-west-1a")
                    S_ITEM("c5.large", "Windows (Amazon VPC)", "0.120000",
                           "2026-11-24T03:00:00.000Z", "eu-west-1a")),
        t));
    double usd = 0;
    SPS_CHECK_OK(sps_pricing_spot_get(t, "c5.large", "eu-west-1a", &usd));
    SPS_CHECK(s_near(usd, 0.12)); /* the later Windows row; the Linux row ignored */
    SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(t), 1);
    SPS_CHECK_STR_EQ(sps_pricing_spot_table_at(t, 0)->product_description, "Windows (Amazon VPC)");
    sps_pricing_spot_table_destroy(t);
}

static void test_spot_page_errors(void)
{
    const char *pages[] = {
        S_PAGE("<item><productDescription>Linux/UNIX</productDescription><spotPrice>0.1</spotPrice>"
               "<timestamp>2026-11-24T05:00:00Z</timestamp><availabilityZone>a</availabilityZone>"
               "</item>"),
        S_PAGE("<item><instanceType>m5.large</instanceType><productDescription>Linux/UNIX"
               "</productDescription><timestamp>2026-11-24T05:00:00Z</timestamp>"
               "<availabilityZone>a</availabilityZone></item>"),
        S_PAGE("<item><instanceType>m5.large</instanceType><productDescription>Linux/UNIX"
               "</productDescription><spotPrice>0.1</spotPrice><availabilityZone>a"
               "</availabilityZone></item>"),
        S_PAGE("<item><instanceType>m5.large</instanceType><productDescription>Linux/UNIX"
               "</productDescription><spotPrice>0.1</spotPrice><timestamp>2026-11-24T05:00:00Z"
               "</timestamp></item>"),
        S_PAGE("<item><instanceType>m5.large</instanceType><spotPrice>0.1</spotPrice><timestamp>"
               "2026-11-24T05:00:00Z</timestamp><availabilityZone>a</availabilityZone></item>"),
        S_PAGE(S_ITEM("m5.large", "Linux/UNIX", "", "2026-11-24T05:00:00Z", "a")),
        S_PAGE(S_ITEM("m5.large", "Linux/UNIX", "0.000000", "2026-11-24T05:00:00Z", "a")),
        S_PAGE(S_ITEM("m5.large", "Linux/UNIX", "cheap", "2026-11-24T05:00:00Z", "a")),
        S_PAGE(S_ITEM("m5.large", "Linux/UNIX", "-0.1", "2026-11-24T05:00:00Z", "a")),
        S_PAGE(S_ITEM("m5.large", "Linux/UNIX", "0.1", "yesterday", "a")),
    };
    const sps_err want[] = {SPS_ERR_MISSING_FIELD,       SPS_ERR_MISSING_FIELD,
                            SPS_ERR_MISSING_FIELD,       SPS_ERR_MISSING_FIELD,
                            SPS_ERR_MISSING_FIELD,       SPS_ERR_MISSING_FIELD,
                            SPS_ERR_UNEXPECTED_RESPONSE, SPS_ERR_UNEXPECTED_RESPONSE,
                            SPS_ERR_UNEXPECTED_RESPONSE, SPS_ERR_PARSE_TIME};
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        struct sps_pricing_spot_table *t = sps_pricing_spot_table_new(SPS_PRICING_LINUX);
        SPS_CHECK_ERR(s_parse_spot(pages[i], t), want[i]);
        SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(t), 0);
        sps_pricing_spot_table_destroy(t);
    }
    const char mixed[] =
        S_PAGE(S_ITEM("m5.large", "Linux/UNIX", "0.1", "2026-11-24T05:00:00Z", "a")
                   S_ITEM("m5.large", "Linux/UNIX", "0", "2026-11-24T05:00:00Z", "b"));
    struct sps_pricing_spot_table *t = sps_pricing_spot_table_new(SPS_PRICING_LINUX);
    /* A good row before the bad one: the page is all or nothing. */
    SPS_CHECK_ERR(s_parse_spot(mixed, t), SPS_ERR_UNEXPECTED_RESPONSE);
    SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(t), 0);
    /* An empty page is fine and adds nothing. */
    SPS_CHECK_OK(s_parse_spot(S_PAGE(""), t));
    SPS_CHECK_INT_EQ(sps_pricing_spot_table_count(t), 0);
    SPS_CHECK_ERR(sps_pricing_spot_parse_page(NULL, t, NULL), SPS_ERR_INVALID_ARGUMENT);
    sps_pricing_spot_table_destroy(t);

    /* Truncated XML never reaches the parser: the XML reader refuses it. */
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, "pricing/DescribeSpotPriceHistory.m5_large.page1.xml");
    struct sps_xml_doc *doc = NULL;
    SPS_CHECK_ERR(sps_xml_parse(&doc, b.data, b.len / 2), SPS_ERR_XML_MALFORMED);
    sps_buf_clean_up(&b);
}

static void test_spot_query(void)
{
    const char *types[] = {"m5.large", "c5.large"};
    struct sps_pricing_spot_request req = {types, 2, SPS_PRICING_RHEL, "us-east-1b", 0};
    SPS_CHECK_OK(sps_time_parse_iso8601(SPS_CURSOR_LIT("2026-11-24T05:47:22Z"), &req.now_ms));
    struct sps_query q;
    sps_pricing_spot_query(&q, &req, "tok");
    SPS_CHECK_STR_EQ(sps_query_action(&q), "DescribeSpotPriceHistory");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "InstanceType.1"), "m5.large");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "InstanceType.2"), "c5.large");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "ProductDescription.1"), "Red Hat Enterprise Linux");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "ProductDescription.2"),
                     "Red Hat Enterprise Linux (Amazon VPC)");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "StartTime"), "2026-11-24T05:47:22.000Z");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "AvailabilityZone"), "us-east-1b");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "MaxResults"), "1000");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "NextToken"), "tok");
    sps_query_clean_up(&q);
    req.availability_zone = NULL;
    sps_pricing_spot_query(&q, &req, NULL);
    SPS_CHECK(sps_query_get(&q, "AvailabilityZone") == NULL);
    SPS_CHECK(sps_query_get(&q, "NextToken") == NULL);
    sps_query_clean_up(&q);
}

/* ---- placement scores ---- */

static void test_placement_key_and_query(void)
{
    const char *t1[] = {"m5.large", "c5.large", "m5.large"};
    const char *t2[] = {"c5.large", "m5.large"};
    const char *r1[] = {"us-west-2", "us-east-1"};
    struct sps_pricing_placement_request a = {t1, 3, 4, NULL, true, r1, 2};
    struct sps_pricing_placement_request b = {t2, 2, 4, "units", true, r1, 2};
    struct sps_buf ka, kb;
    sps_buf_init(&ka, 0);
    sps_buf_init(&kb, 0);
    SPS_CHECK_OK(sps_pricing_placement_key(&ka, &a));
    SPS_CHECK_OK(sps_pricing_placement_key(&kb, &b));
    SPS_CHECK_STR_EQ(ka.data, "types=c5.large,m5.large;capacity=4;unit=units;single_az=1;"
                              "regions=us-east-1,us-west-2");
    SPS_CHECK_STR_EQ(ka.data, kb.data); /* order and duplicates do not make a new config */
    b.single_az = false;
    sps_buf_reset(&kb);
    SPS_CHECK_OK(sps_pricing_placement_key(&kb, &b));
    SPS_CHECK(strcmp(ka.data, kb.data) != 0);

    struct sps_query q;
    sps_pricing_placement_query(&q, &a, NULL);
    SPS_CHECK_STR_EQ(sps_query_action(&q), "GetSpotPlacementScores");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "InstanceType.3"), "m5.large");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "TargetCapacity"), "4");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "TargetCapacityUnitType"), "units");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "SingleAvailabilityZone"), "true");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "RegionName.2"), "us-east-1");
    SPS_CHECK(sps_query_get(&q, "NextToken") == NULL);
    sps_query_clean_up(&q);

    const char *bad_types[] = {"m5.large", ""};
    const char *comma[] = {"m5.large,c5.large"};
    const char *null_region[] = {NULL};
    struct sps_pricing_placement_request bad[] = {
        {t2, 0, 4, NULL, false, NULL, 0},    {bad_types, 2, 4, NULL, false, NULL, 0},
        {t2, 2, 0, NULL, false, NULL, 0},    {t2, 2, 4, "cores", false, NULL, 0},
        {comma, 1, 4, NULL, false, NULL, 0}, {t2, 2, 4, NULL, false, null_region, 1},
        {t2, 2, 4, NULL, false, NULL, 1},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        SPS_CHECK_ERR(sps_pricing_placement_key(&ka, &bad[i]), SPS_ERR_INVALID_ARGUMENT);
    sps_buf_clean_up(&ka);
    sps_buf_clean_up(&kb);
}

#define S_SCORES(items)                                                                            \
    "<GetSpotPlacementScoresResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"          \
    "<requestId>r</requestId><spotPlacementScoreSet>" items "</spotPlacementScoreSet>"             \
    "</GetSpotPlacementScoresResponse>"

static sps_err s_parse_scores(const char *xml, struct sps_pricing_placement_scores *out)
{
    struct sps_xml_doc *doc = NULL;
    SPS_CHECK_OK(sps_xml_parse(&doc, xml, strlen(xml)));
    sps_err err = sps_pricing_placement_parse_page(sps_xml_root(doc), out, NULL);
    sps_xml_doc_destroy(doc);
    return err;
}

static void test_placement_page_parser(void)
{
    struct sps_pricing_placement_scores s = {0};
    SPS_CHECK_OK(
        s_parse_scores(S_SCORES("<item><region>us-east-1</region><availabilityZoneId>use1-az4"
                                "</availabilityZoneId><score>9</score></item>"
                                "<item><region>us-west-2</region><score>3</score></item>"),
                       &s));
    SPS_CHECK_INT_EQ(s.count, 2);
    SPS_CHECK_STR_EQ(s.items[0].az_id, "use1-az4");
    SPS_CHECK_INT_EQ(s.items[0].score, 9);
    SPS_CHECK_STR_EQ(s.items[1].region, "us-west-2");
    SPS_CHECK_STR_EQ(s.items[1].az_id, "");
    const char *bad[] = {
        S_SCORES("<item><score>9</score></item>"),
        S_SCORES("<item><region>us-east-1</region></item>"),
        S_SCORES("<item><region>us-east-1</region><score>nine</score></item>"),
        S_SCORES("<item><region>us-east-1</region><score>0</score></item>"),
        S_SCORES("<item><region>us-east-1</region><score>11</score></item>"),
        S_SCORES("<item><region>a-region-name-far-too-long-for-aws-1</region><score>1</score>"
                 "</item>"),
    };
    const sps_err want[] = {SPS_ERR_MISSING_FIELD,       SPS_ERR_MISSING_FIELD,
                            SPS_ERR_PARSE_NUMBER,        SPS_ERR_UNEXPECTED_RESPONSE,
                            SPS_ERR_UNEXPECTED_RESPONSE, SPS_ERR_UNEXPECTED_RESPONSE};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SPS_CHECK_ERR(s_parse_scores(bad[i], &s), want[i]);
        SPS_CHECK_INT_EQ(s.count, 2); /* nothing added by a bad page */
    }
    SPS_CHECK_ERR(sps_pricing_placement_parse_page(NULL, &s, NULL), SPS_ERR_INVALID_ARGUMENT);
    sps_pricing_placement_scores_clean_up(&s);
    SPS_CHECK_INT_EQ(s.count, 0);
    sps_pricing_placement_scores_clean_up(NULL);
}

SPS_TEST_MAIN(SPS_CASE(test_spot_pages_latest_by_timestamp),
              SPS_CASE(test_spot_other_os_and_newer_later), SPS_CASE(test_spot_page_errors),
              SPS_CASE(test_spot_query), SPS_CASE(test_placement_key_and_query),
              SPS_CASE(test_placement_page_parser))
