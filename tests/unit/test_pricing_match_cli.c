/* `spotswap match` against the simulated AWS: the JSON and text answers (cheapest first, savings
 * against the original's On-Demand price, near misses with reasons), the region-wide Price List
 * walk outside the catalog's regions, and every usage and failure path. */
#include "sps_engine_cli.h"
#include "sps_fakeaws.h"
#include "sps_test.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>

static struct sps_fakeaws s_fake;

static void s_env(void)
{
    setenv("AWS_ENDPOINT_URL", s_fake.endpoint, 1);
    setenv("AWS_ACCESS_KEY_ID", SPS_FAKEAWS_AKID, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SPS_FAKEAWS_SECRET, 1);
    setenv("AWS_CONFIG_FILE", "/nonexistent/spotswap-test-config", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/spotswap-test-credentials", 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    unsetenv("AWS_SESSION_TOKEN");
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_REGION");
    setenv("AWS_DEFAULT_REGION", "us-east-1", 1);
}

struct s_run {
    int rc;
    struct sps_buf out;
    struct sps_buf err;
};

static void s_read(FILE *f, struct sps_buf *b)
{
    sps_buf_init(b, 0);
    rewind(f);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        SPS_CHECK_OK(sps_buf_append(b, chunk, n));
    fclose(f);
}

static struct s_run s_match(int argc, const char **argv)
{
    FILE *out = tmpfile(), *err = tmpfile();
    SPS_CHECK(out != NULL && err != NULL);
    struct s_run r;
    r.rc = sps_engine_cli_match(argc, (char **)argv, out, err);
    s_read(out, &r.out);
    s_read(err, &r.err);
    return r;
}

static void s_run_clean_up(struct s_run *r)
{
    sps_buf_clean_up(&r->out);
    sps_buf_clean_up(&r->err);
}

static size_t s_calls(const char *action)
{
    struct sps_buf out;
    sps_buf_init(&out, 0);
    char path[128];
    snprintf(path, sizeof(path), "calls?all=1&action=%s", action);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "GET", path, NULL, &out), 200);
    json_t *doc = json_loadb(out.data, out.len, 0, NULL);
    size_t n = json_array_size(json_object_get(doc, "calls"));
    json_decref(doc);
    sps_buf_clean_up(&out);
    return n;
}

static const json_t *s_find(const json_t *list, const char *type)
{
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "type")), type) == 0)
            return v;
    }
    return NULL;
}

static void test_json_answer_outside_the_catalog_region(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    s_env();
    const char *argv[] = {"m5.large", "--region", "eu-west-1", "--output", "json", "--explain"};
    struct s_run r = s_match(6, argv);
    SPS_CHECK_INT_EQ(r.rc, 0);
    json_t *doc = json_loadb(r.out.data, r.out.len, 0, NULL);
    SPS_CHECK(doc != NULL);
    const json_t *orig = json_object_get(doc, "original");
    double od = json_real_value(json_object_get(orig, "on_demand_usd"));
    SPS_CHECK(fabs(od - 0.096) < 1e-9); /* the fake's eu-west-1 list price */
    const json_t *cands = json_object_get(doc, "candidates");
    SPS_CHECK(json_array_size(cands) > 10);
    SPS_CHECK(s_find(cands, "m5.large") != NULL);
    SPS_CHECK(s_find(cands, "c5.large") == NULL); /* half the memory */
    double last = 0;
    size_t i;
    const json_t *c;
    json_array_foreach(cands, i, c)
    {
        double spot = json_real_value(json_object_get(c, "spot_usd"));
        SPS_CHECK(spot >= last); /* cheapest first */
        last = spot;
        double saving = json_real_value(json_object_get(c, "savings_pct"));
        SPS_CHECK(fabs(saving - 100.0 * (od - spot) / od) < 1e-4); /* 10 digits printed */
        SPS_CHECK(strncmp(json_string_value(json_object_get(c, "az")), "eu-west-1", 9) == 0);
        SPS_CHECK(json_integer_value(json_object_get(c, "memory_mib")) >= 8192);
    }
    const json_t *miss = s_find(json_object_get(doc, "near_misses"), "c5.large");
    SPS_CHECK(miss != NULL);
    SPS_CHECK_STR_EQ(json_string_value(json_object_get(miss, "reason")), "memory");
    SPS_CHECK(s_find(json_object_get(doc, "near_misses"), "m5.24xlarge") == NULL); /* not near */
    json_decref(doc);
    s_run_clean_up(&r);
    /* One batched spot fetch (a few pages of 1000 rows for hundreds of candidates); On-Demand
     * prices by one region-wide walk, not one call per type. */
    SPS_CHECK(s_calls("DescribeSpotPriceHistory") <= 5);
    SPS_CHECK(s_calls("GetProducts") < 20);
    sps_fakeaws_stop(&s_fake);
}

static void test_text_answer_in_a_zone_and_failures(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    s_env();
    const char *argv[] = {"m5.large", "--region", "us-east-1", "--az", "us-east-1b"};
    struct s_run r = s_match(5, argv);
    SPS_CHECK_INT_EQ(r.rc, 0);
    const char *head = "m5.large in us-east-1 (linux): 2 vCPU, 8.0 GiB, On-Demand 0.0960 USD/h\n";
    SPS_CHECK(strncmp(r.out.data, head, strlen(head)) == 0);
    SPS_CHECK(strstr(r.out.data, "\nm5.large ") != NULL);
    SPS_CHECK(strstr(r.out.data, "us-east-1b") != NULL);
    SPS_CHECK(strstr(r.out.data, "us-east-1a") == NULL);
    SPS_CHECK(strstr(r.out.data, "near misses") == NULL);
    s_run_clean_up(&r);
    SPS_CHECK_INT_EQ(s_calls("GetProducts"), 0); /* us-east-1 Linux: the embedded catalog */

    /* Windows: the fake has no Windows prices; nothing is invented. */
    const char *win[] = {"m5.large", "--region", "us-east-1", "--os", "windows"};
    r = s_match(5, win);
    SPS_CHECK_INT_EQ(r.rc, 0);
    SPS_CHECK(strstr(r.out.data, "On-Demand unknown USD/h") != NULL);
    SPS_CHECK(strstr(r.out.data, "compatible types have no spot price here") != NULL);
    s_run_clean_up(&r);

    /* The Price List answering garbage: a warning, catalog prices, still an answer. */
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "fault",
                                       "{\"action\":\"GetProducts\",\"kind\":\"malformed\","
                                       "\"count\":1}",
                                       NULL),
                     200);
    const char *west[] = {"m5.large", "--region", "eu-west-1"};
    r = s_match(3, west);
    SPS_CHECK_INT_EQ(r.rc, 0);
    SPS_CHECK(strstr(r.err.data, "On-Demand prices from the Price List are unavailable"));
    SPS_CHECK(strstr(r.out.data, "On-Demand unknown USD/h") != NULL);
    SPS_CHECK(strstr(r.out.data, "unknown") != NULL);
    s_run_clean_up(&r);

    /* Spot prices failing: no answer. */
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "fault",
                                       "{\"action\":\"DescribeSpotPriceHistory\","
                                       "\"kind\":\"malformed\",\"count\":1}",
                                       NULL),
                     200);
    r = s_match(3, west);
    SPS_CHECK_INT_EQ(r.rc, 1);
    SPS_CHECK(strstr(r.err.data, "DescribeSpotPriceHistory in eu-west-1 failed") != NULL);
    s_run_clean_up(&r);
    sps_fakeaws_stop(&s_fake);
}

static void test_usage_errors(void)
{
    struct {
        int argc;
        const char *argv[6];
        int rc;
        const char *says;
    } cases[] = {
        {0, {NULL}, 2, "an instance type is required"},
        {2, {"--region", "us-east-1"}, 2, "an instance type is required"},
        {2, {"m5.large", "--region"}, 2, "missing its value"},
        {3, {"m5.large", "--os", "bsd"}, 2, "--os must be"},
        {3, {"m5.large", "--output", "xml"}, 2, "--output must be"},
        {2, {"m5.large", "c5.large"}, 2, "unexpected argument"},
        {2, {"m5.large", "--verbose"}, 2, "unexpected argument"},
        {3, {"m99.huge", "--region", "us-east-1"}, 1, "unknown instance type 'm99.huge'"},
        {5,
         {"m5.large", "--region", "eu-west-1", "--az", "us-east-1a"},
         2,
         "--az us-east-1a is not a zone of eu-west-1"},
    };
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1); /* nothing may be called */
    setenv("AWS_ACCESS_KEY_ID", SPS_FAKEAWS_AKID, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SPS_FAKEAWS_SECRET, 1);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct s_run r = s_match(cases[i].argc, cases[i].argv);
        SPS_CHECK_INT_EQ(r.rc, cases[i].rc);
        SPS_CHECK(strstr(r.err.data, cases[i].says) != NULL);
        SPS_CHECK_INT_EQ(r.out.len, 0);
        s_run_clean_up(&r);
    }
    /* No region anywhere. */
    unsetenv("AWS_REGION");
    unsetenv("AWS_DEFAULT_REGION");
    setenv("AWS_CONFIG_FILE", "/nonexistent/spotswap-test-config", 1);
    unsetenv("AWS_PROFILE");
    const char *argv[] = {"m5.large"};
    struct s_run r = s_match(1, argv);
    SPS_CHECK_INT_EQ(r.rc, 1);
    SPS_CHECK(strstr(r.err.data, "no region") != NULL);
    s_run_clean_up(&r);
}

SPS_TEST_MAIN(SPS_CASE(test_json_answer_outside_the_catalog_region),
              SPS_CASE(test_text_answer_in_a_zone_and_failures), SPS_CASE(test_usage_errors))
