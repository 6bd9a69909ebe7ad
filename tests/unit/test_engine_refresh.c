/* The catalog refresh (engine/refresh.c) over a scripted EC2: zone offerings applied per zone
 * (a type a zone does not offer is then not picked by the planner), one offerings walk per
 * region and every page of it, DescribeInstanceTypes only for types the catalog lacks (in
 * batches of 100, a refused batch retried name by name), live records that the planner then
 * matches, and each failure: the region falls back to the embedded offerings, the types stay
 * unknown and the planner notes them. */
#include "engine_snapshot_builder.h"
#include "http_client_env.h"
#include "sps_engine_refresh.h"
#include "sps_fakeaws.h"
#include "sps_fakes.h"
#include "sps_test.h"

#include <stdio.h>

#define S_NS "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\""

/* What the scripted EC2 does. */
struct s_ec2 {
    const char *fail_offerings; /* region whose offerings walk is refused */
    bool fail_page_two;         /* page 2 of us-east-1's walk is refused */
    bool no_location;           /* an offering without its zone */
    bool repeat_token;          /* eu-west-1 repeats its nextToken forever */
    bool endless;               /* eu-west-1 sends a new nextToken forever */
    size_t pages;
    bool fail_types;            /* DescribeInstanceTypes is refused */
    const char *types_fixture;  /* the DescribeInstanceTypes answer; NULL: an empty set */
    struct sps_buf types_xml;
};

static const char *const s_page1_types[] = {"m5.large",  "m5a.large", "m5n.large",
                                            "m6i.large", "m5d.large", "m6a.large",
                                            "m7i.large", "c5.large",  "p3.16xlarge"};

static void s_offering(struct sps_buf *b, const char *type, const char *az)
{
    SPS_CHECK_OK(sps_buf_printf(b,
                                "<item><instanceType>%s</instanceType><locationType>"
                                "availability-zone</locationType><location>%s</location></item>",
                                type, az));
}

static sps_err s_error(struct sps_http_response *resp, int status, const char *code)
{
    resp->status = status;
    return sps_buf_printf(&resp->body,
                          "<Response><Errors><Error><Code>%s</Code><Message>scripted</Message>"
                          "</Error></Errors><RequestID>r-err</RequestID></Response>",
                          code);
}

/* us-east-1: page 1 offers every type in 1a, page 2 every type but m5a.large in 1b.
 * eu-west-1: one page, m5.large in eu-west-1a. */
static sps_err s_offerings(struct s_ec2 *e, const char *body, bool east,
                           struct sps_http_response *resp)
{
    const char *region = east ? "us-east-1" : "eu-west-1";
    bool page_two = strstr(body, "NextToken=") != NULL;
    if (e->fail_offerings && strcmp(e->fail_offerings, region) == 0)
        return s_error(resp, 403, "UnauthorizedOperation");
    if (east && page_two && e->fail_page_two)
        return s_error(resp, 403, "UnauthorizedOperation");
    struct sps_buf *b = &resp->body;
    resp->status = 200;
    (void)sps_buf_printf(b, "<DescribeInstanceTypeOfferingsResponse " S_NS "><requestId>r"
                            "</requestId><instanceTypeOfferingSet>");
    if (!east) {
        s_offering(b, "m5.large", e->no_location ? "" : "eu-west-1a");
    } else {
        for (size_t i = 0; i < sizeof s_page1_types / sizeof *s_page1_types; i++)
            if (!page_two || strcmp(s_page1_types[i], "m5a.large") != 0)
                s_offering(b, s_page1_types[i], page_two ? ESB_AZ_B : ESB_AZ_A);
    }
    (void)sps_buf_printf(b, "</instanceTypeOfferingSet>");
    if ((east && !page_two) || (!east && e->repeat_token))
        (void)sps_buf_printf(b, "<nextToken>page2</nextToken>");
    else if (!east && e->endless)
        (void)sps_buf_printf(b, "<nextToken>t%zu</nextToken>", ++e->pages);
    return sps_buf_printf(b, "</DescribeInstanceTypeOfferingsResponse>");
}

static sps_err s_types(struct s_ec2 *e, const char *body, struct sps_http_response *resp)
{
    if (e->fail_types)
        return s_error(resp, 403, "UnauthorizedOperation");
    if (strstr(body, "bogus.large") != NULL)
        return s_error(resp, 400, "InvalidInstanceType");
    resp->status = 200;
    if (e->types_fixture && strstr(body, "p3.16xlarge") != NULL)
        return sps_buf_append_str(&resp->body, e->types_xml.data);
    return sps_buf_printf(&resp->body, "<DescribeInstanceTypesResponse " S_NS "><requestId>r"
                                       "</requestId><instanceTypeSet/>"
                                       "</DescribeInstanceTypesResponse>");
}

static sps_err s_handler(void *ctx, const struct sps_http_request *req,
                         struct sps_http_response *resp)
{
    struct s_ec2 *e = ctx;
    const char *body = req->body.data ? req->body.data : "";
    bool east = strstr(req->url.data, "us-east-1") != NULL;
    if (strstr(body, "Action=DescribeInstanceTypeOfferings") != NULL)
        return s_offerings(e, body, east, resp);
    if (strstr(body, "Action=DescribeInstanceTypes") != NULL)
        return s_types(e, body, resp);
    return s_error(resp, 400, "InvalidAction");
}

/* ---- the world -------------------------------------------------------------------------- */

static const struct esb_price s_prices[] = {
    {"m5.large", 0.096, 0.035, NULL},  {"m5a.large", 0.086, 0.036, NULL},
    {"m5n.large", 0.119, 0.037, NULL}, {"m6i.large", 0.096, 0.038, NULL},
    {"m5d.large", 0.113, 0.039, NULL}, {"p3.16xlarge", 24.48, 7.3, NULL},
    {"bogus.large", 0.1, 0.05, NULL},
};

struct s_fixture {
    struct sps_cenv env;
    struct s_ec2 ec2;
    struct esb_world w;
    struct sps_engine_refresh_region region;
};

static void s_setup(struct s_fixture *f, const char *types_fixture)
{
    memset(f, 0, sizeof *f);
    sps_cenv_setup(&f->env, SPS_AWS_EC2);
    sps_buf_init(&f->ec2.types_xml, SPS_BUF_DEFAULT_MAX);
    f->ec2.types_fixture = types_fixture;
    if (types_fixture)
        sps_test_read_fixture(&f->ec2.types_xml, types_fixture);
    sps_fake_transport_set_handler(f->env.fake, s_handler, &f->ec2);
    esb_world_init(&f->w);
    f->w.market.rows = s_prices;
    f->w.market.count = sizeof s_prices / sizeof *s_prices;
    esb_group(&f->w, "web", 4, 300);
    f->region = (struct sps_engine_refresh_region){.ec2 = f->env.client, .snapshot = &f->w.snap};
}

static void s_teardown(struct s_fixture *f)
{
    esb_world_free(&f->w);
    sps_buf_clean_up(&f->ec2.types_xml);
    sps_cenv_teardown(&f->env);
}

static void s_refresh(struct s_fixture *f)
{
    SPS_CHECK_OK(sps_engine_refresh_catalog(f->w.catalog, &f->region, 1, 0));
}

/* Requests sent whose body contains `needle`. */
static size_t s_sent(struct s_fixture *f, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < sps_fake_transport_request_count(f->env.fake); i++) {
        const struct sps_http_request *r = sps_fake_transport_request(f->env.fake, i);
        if (r->body.data && strstr(r->body.data, needle) != NULL)
            n++;
    }
    return n;
}

static bool s_offered(struct s_fixture *f, const char *type, const char *az)
{
    const struct sps_compat_type *t = NULL;
    SPS_CHECK_OK(sps_compat_catalog_find(f->w.catalog, type, &t));
    return sps_compat_catalog_offered(f->w.catalog, t, ESB_REGION, az);
}

static bool s_candidate(const struct sps_engine_action *a, const char *type)
{
    for (size_t i = 0; a && i < a->candidate_count; i++)
        if (strcmp(a->candidates[i], type) == 0)
            return true;
    return false;
}

/* Plans and says whether the launch for `id` lists `type` among its candidates. */
static bool s_plan_picks(struct s_fixture *f, const char *id, const char *type)
{
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&f->w, &p));
    const struct sps_engine_action *a = esb_action(&p, SPS_ENGINE_LAUNCH, id);
    SPS_CHECK(a != NULL);
    bool picked = s_candidate(a, type);
    sps_engine_plan_clean_up(&p);
    return picked;
}

static bool s_plan_notes(struct s_fixture *f, const char *id, const char *text)
{
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&f->w, &p));
    bool noted = esb_has_note(&p, "web", id, text);
    sps_engine_plan_clean_up(&p);
    return noted;
}

/* ---- offerings ---------------------------------------------------------------------------- */

static void test_zone_offerings_applied_and_not_picked(void)
{
    struct s_fixture f;
    s_setup(&f, NULL);
    esb_od_member(&f.w, "web", "i-b", "m5.large", ESB_AZ_B);
    SPS_CHECK(s_plan_picks(&f, "i-b", "m5a.large")); /* the embedded data offers it in 1b */
    s_refresh(&f);
    SPS_CHECK_OK(f.region.offerings_result);
    SPS_CHECK_OK(f.region.types_result);
    SPS_CHECK_INT_EQ(f.region.offerings_zones, 2);
    /* one walk, both pages, LocationType availability-zone; no DescribeInstanceTypes: every
     * type is known */
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.env.fake), 2);
    SPS_CHECK_INT_EQ(s_sent(&f, "LocationType=availability-zone"), 2);
    SPS_CHECK_INT_EQ(s_sent(&f, "NextToken=page2"), 1);
    SPS_CHECK_INT_EQ(s_sent(&f, "Action=DescribeInstanceTypes&"), 0);
    SPS_CHECK_INT_EQ(f.region.types_asked, 0);
    SPS_CHECK(s_offered(&f, "m5a.large", ESB_AZ_A));
    SPS_CHECK(!s_offered(&f, "m5a.large", ESB_AZ_B));
    SPS_CHECK(s_offered(&f, "m5n.large", ESB_AZ_B));
    SPS_CHECK(!s_offered(&f, "m5.xlarge", ESB_AZ_B)); /* listed nowhere in 1b */
    SPS_CHECK(!s_plan_picks(&f, "i-b", "m5a.large"));
    SPS_CHECK(s_plan_picks(&f, "i-b", "m5n.large"));
    s_teardown(&f);
}

static void s_check_fallback(struct s_fixture *f)
{
    SPS_CHECK(f->region.offerings_result != SPS_OK);
    SPS_CHECK_INT_EQ(f->region.offerings_zones, 0);
    /* no zone list applied: the embedded region-level data stands */
    SPS_CHECK(s_offered(f, "m5a.large", ESB_AZ_B));
    SPS_CHECK(s_offered(f, "m5.xlarge", ESB_AZ_A));
    SPS_CHECK(s_plan_picks(f, "i-b", "m5a.large"));
}

static void test_offerings_refused_falls_back(void)
{
    struct s_fixture f;
    s_setup(&f, NULL);
    esb_od_member(&f.w, "web", "i-b", "m5.large", ESB_AZ_B);
    f.ec2.fail_offerings = "us-east-1";
    s_refresh(&f);
    s_check_fallback(&f);
    SPS_CHECK_STR_EQ(f.region.aws_error.code, "UnauthorizedOperation");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.env.fake), 1);
    s_teardown(&f);
}

static void test_offerings_second_page_refused_applies_nothing(void)
{
    struct s_fixture f;
    s_setup(&f, NULL);
    esb_od_member(&f.w, "web", "i-b", "m5.large", ESB_AZ_B);
    f.ec2.fail_page_two = true;
    s_refresh(&f);
    s_check_fallback(&f);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.env.fake), 2);
    s_teardown(&f);
}

/* ---- two regions -------------------------------------------------------------------------- */

struct s_west {
    struct sps_aws_client *client;
    struct sps_engine_snapshot snap;
};

static void s_west_init(struct s_west *w, struct s_fixture *f)
{
    struct sps_aws_client_options o = sps_cenv_options(&f->env, SPS_AWS_EC2);
    o.region = "eu-west-1";
    SPS_CHECK_OK(sps_aws_client_new(&w->client, &o));
    sps_engine_snapshot_init(&w->snap);
    sps_free(w->snap.region);
    w->snap.region = sps_strdup("eu-west-1");
}

static void s_west_clean_up(struct s_west *w)
{
    sps_engine_snapshot_clean_up(&w->snap);
    sps_aws_client_destroy(w->client);
}

static void test_two_regions_one_walk_each_together(void)
{
    struct s_fixture f;
    s_setup(&f, NULL);
    esb_od_member(&f.w, "web", "i-b", "m5.large", ESB_AZ_B);
    struct s_west west;
    s_west_init(&west, &f);
    struct sps_engine_refresh_region regions[2] = {
        f.region, {.ec2 = west.client, .snapshot = &west.snap}};
    SPS_CHECK_OK(sps_engine_refresh_catalog(f.w.catalog, regions, 2, 0));
    SPS_CHECK_OK(regions[0].offerings_result);
    SPS_CHECK_OK(regions[1].offerings_result);
    SPS_CHECK_INT_EQ(regions[0].offerings_zones, 2);
    SPS_CHECK_INT_EQ(regions[1].offerings_zones, 1);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.env.fake), 3);
    SPS_CHECK(sps_fake_transport_batches(f.env.fake) >= 1); /* both regions' first pages at once */
    const struct sps_compat_type *t = NULL;
    SPS_CHECK_OK(sps_compat_catalog_find(f.w.catalog, "m5a.large", &t));
    SPS_CHECK(!sps_compat_catalog_offered(f.w.catalog, t, "eu-west-1", "eu-west-1a"));
    s_west_clean_up(&west);
    s_teardown(&f);
}

static void test_one_region_failing_leaves_the_other(void)
{
    struct s_fixture f;
    s_setup(&f, NULL);
    esb_od_member(&f.w, "web", "i-b", "m5.large", ESB_AZ_B);
    struct s_west west;
    s_west_init(&west, &f);
    f.ec2.fail_offerings = "eu-west-1";
    struct sps_engine_refresh_region regions[2] = {
        f.region, {.ec2 = west.client, .snapshot = &west.snap}};
    SPS_CHECK_OK(sps_engine_refresh_catalog(f.w.catalog, regions, 2, 1));
    SPS_CHECK_OK(regions[0].offerings_result);
    SPS_CHECK(regions[1].offerings_result != SPS_OK);
    SPS_CHECK_STR_EQ(regions[1].aws_error.code, "UnauthorizedOperation");
    SPS_CHECK(!s_offered(&f, "m5a.large", ESB_AZ_B));
    s_west_clean_up(&west);
    s_teardown(&f);
}

static void test_repeated_token_ends_the_walk(void)
{
    struct s_fixture f;
    s_setup(&f, NULL);
    struct s_west west;
    s_west_init(&west, &f);
    f.ec2.repeat_token = true;
    struct sps_engine_refresh_region r = {.ec2 = west.client, .snapshot = &west.snap};
    SPS_CHECK_OK(sps_engine_refresh_catalog(f.w.catalog, &r, 1, 0));
    SPS_CHECK_OK(r.offerings_result);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.env.fake), 2);
    s_west_clean_up(&west);
    s_teardown(&f);
}

static void test_endless_walk_is_bounded(void)
{
    struct s_fixture f;
    s_setup(&f, NULL);
    struct s_west west;
    s_west_init(&west, &f);
    f.ec2.endless = true;
    struct sps_engine_refresh_region r = {.ec2 = west.client, .snapshot = &west.snap};
    SPS_CHECK_OK(sps_engine_refresh_catalog(f.w.catalog, &r, 1, 0));
    SPS_CHECK_ERR(r.offerings_result, SPS_ERR_LIMIT_EXCEEDED);
    SPS_CHECK_INT_EQ(r.offerings_zones, 0);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.env.fake), 1000);
    s_west_clean_up(&west);
    s_teardown(&f);
}

/* The same unknown type in two regions: one live record offered in both. */
static void test_live_type_in_two_regions(void)
{
    struct s_fixture f;
    s_setup(&f, "compat/DescribeInstanceTypes.p3_16xlarge.xml");
    esb_od_member(&f.w, "web", "i-gpu", "p3.16xlarge", ESB_AZ_A);
    struct s_west west;
    s_west_init(&west, &f);
    west.snap.instances.items = sps_calloc(1, sizeof *west.snap.instances.items);
    west.snap.instances.count = west.snap.instances.cap = 1;
    west.snap.instances.items[0].instance_type = sps_strdup("p3.16xlarge");
    struct sps_engine_refresh_region regions[2] = {
        f.region, {.ec2 = west.client, .snapshot = &west.snap}};
    SPS_CHECK_OK(sps_engine_refresh_catalog(f.w.catalog, regions, 2, 0));
    SPS_CHECK_INT_EQ(regions[0].types_added + regions[1].types_added, 2);
    SPS_CHECK_INT_EQ(s_sent(&f, "Action=DescribeInstanceTypes&"), 2);
    const struct sps_compat_type *t = NULL;
    SPS_CHECK_OK(sps_compat_catalog_find(f.w.catalog, "p3.16xlarge", &t));
    int east = sps_compat_region_index("us-east-1"), eu = sps_compat_region_index("eu-west-1");
    SPS_CHECK(east >= 0 && eu >= 0);
    SPS_CHECK(t->offered_regions == ((UINT64_C(1) << east) | (UINT64_C(1) << eu)));
    s_west_clean_up(&west);
    s_teardown(&f);
}

static void test_offering_without_zone_falls_back(void)
{
    struct s_fixture f;
    s_setup(&f, NULL);
    struct s_west west;
    s_west_init(&west, &f);
    f.ec2.no_location = true;
    struct sps_engine_refresh_region r = {.ec2 = west.client, .snapshot = &west.snap};
    SPS_CHECK_OK(sps_engine_refresh_catalog(f.w.catalog, &r, 1, 0));
    SPS_CHECK_ERR(r.offerings_result, SPS_ERR_MISSING_FIELD); /* the parser refuses it */
    SPS_CHECK_INT_EQ(r.offerings_zones, 0);
    s_west_clean_up(&west);
    s_teardown(&f);
}

/* ---- types the catalog lacks -------------------------------------------------------------- */

static void test_unknown_type_read_live_and_matched(void)
{
    struct s_fixture f;
    s_setup(&f, "compat/DescribeInstanceTypes.p3_16xlarge.xml");
    esb_od_member(&f.w, "web", "i-gpu", "p3.16xlarge", ESB_AZ_A);
    esb_od_member(&f.w, "web", "i-gpu2", "p3.16xlarge", ESB_AZ_A);
    esb_od_member(&f.w, "web", "i-b", "m5.large", ESB_AZ_B);
    SPS_CHECK(s_plan_notes(&f, "i-gpu", "cannot match p3.16xlarge"));
    s_refresh(&f);
    SPS_CHECK_OK(f.region.types_result);
    SPS_CHECK_INT_EQ(f.region.types_asked, 1);
    SPS_CHECK_INT_EQ(f.region.types_added, 1);
    SPS_CHECK_INT_EQ(s_sent(&f, "Action=DescribeInstanceTypes&"), 1);
    SPS_CHECK_INT_EQ(s_sent(&f, "InstanceType.1=p3.16xlarge"), 1);
    SPS_CHECK_INT_EQ(s_sent(&f, "InstanceType.2="), 0); /* asked once, m5.large not at all */
    const struct sps_compat_type *t = NULL;
    SPS_CHECK_OK(sps_compat_catalog_find(f.w.catalog, "p3.16xlarge", &t));
    SPS_CHECK(t->gpus == 8 && t->vcpu == 64);
    SPS_CHECK(t->offered_regions & (UINT64_C(1) << sps_compat_region_index(ESB_REGION)));
    SPS_CHECK(!s_plan_notes(&f, "i-gpu", "cannot match"));
    SPS_CHECK(s_plan_picks(&f, "i-gpu", "p3.16xlarge"));
    s_teardown(&f);
}

static void test_unknown_everywhere_stays_unknown(void)
{
    struct s_fixture f;
    s_setup(&f, "compat/DescribeInstanceTypes.p3_16xlarge.xml");
    esb_od_member(&f.w, "web", "i-gpu", "p3.16xlarge", ESB_AZ_A);
    esb_od_member(&f.w, "web", "i-bad", "bogus.large", ESB_AZ_A);
    s_refresh(&f);
    /* the batch of two is refused; each name is asked alone */
    SPS_CHECK_INT_EQ(s_sent(&f, "Action=DescribeInstanceTypes&"), 3);
    SPS_CHECK_OK(f.region.types_result);
    SPS_CHECK_INT_EQ(f.region.types_added, 1);
    const struct sps_compat_type *t = NULL;
    SPS_CHECK_ERR(sps_compat_catalog_find(f.w.catalog, "bogus.large", &t),
                  SPS_ERR_COMPAT_UNKNOWN_TYPE);
    SPS_CHECK(s_plan_notes(&f, "i-bad", "cannot match bogus.large"));
    SPS_CHECK(!s_plan_notes(&f, "i-gpu", "cannot match"));
    s_teardown(&f);
}

static void test_types_refused_stay_unknown(void)
{
    struct s_fixture f;
    s_setup(&f, "compat/DescribeInstanceTypes.p3_16xlarge.xml");
    esb_od_member(&f.w, "web", "i-gpu", "p3.16xlarge", ESB_AZ_A);
    f.ec2.fail_types = true;
    s_refresh(&f);
    SPS_CHECK(f.region.types_result != SPS_OK);
    SPS_CHECK_OK(f.region.offerings_result);
    SPS_CHECK_STR_EQ(f.region.aws_error.code, "UnauthorizedOperation");
    SPS_CHECK_INT_EQ(f.region.types_added, 0);
    SPS_CHECK(s_plan_notes(&f, "i-gpu", "cannot match p3.16xlarge"));
    s_teardown(&f);
}

static void test_unusable_record_stays_unknown(void)
{
    struct s_fixture f;
    /* the SDK recording lacks SupportedVirtualizationTypes: refused, never guessed */
    s_setup(&f, "compat/DescribeInstanceTypes.t3_micro_and_p3_16xl.xml");
    esb_od_member(&f.w, "web", "i-gpu", "p3.16xlarge", ESB_AZ_A);
    s_refresh(&f);
    SPS_CHECK_OK(f.region.types_result);
    SPS_CHECK_INT_EQ(f.region.types_added, 0); /* t3.micro: refused too, and was known anyway */
    SPS_CHECK(s_plan_notes(&f, "i-gpu", "cannot match p3.16xlarge"));
    s_teardown(&f);
}

static void test_names_batched_by_100(void)
{
    struct s_fixture f;
    s_setup(&f, NULL);
    char id[32], type[32];
    for (int i = 0; i < 150; i++) {
        snprintf(id, sizeof id, "i-%03d", i);
        snprintf(type, sizeof type, "zz%03d.large", i);
        esb_instance(&f.w, id, type, ESB_AZ_A, "", "running", ESB_NOW_MS);
        esb_instance(&f.w, "i-dup", type, ESB_AZ_A, "", "running", ESB_NOW_MS); /* once */
    }
    s_refresh(&f);
    SPS_CHECK_INT_EQ(f.region.types_asked, 150);
    SPS_CHECK_INT_EQ(s_sent(&f, "Action=DescribeInstanceTypes&"), 2);
    SPS_CHECK_INT_EQ(s_sent(&f, "InstanceType.100="), 1);
    SPS_CHECK_INT_EQ(s_sent(&f, "InstanceType.101="), 0);
    SPS_CHECK_INT_EQ(s_sent(&f, "InstanceType.50="), 2);
    SPS_CHECK_INT_EQ(s_sent(&f, "InstanceType.51="), 1);
    SPS_CHECK_INT_EQ(f.region.types_added, 0);
    s_teardown(&f);
}

static void test_invalid_arguments(void)
{
    struct s_fixture f;
    s_setup(&f, NULL);
    SPS_CHECK_ERR(sps_engine_refresh_catalog(NULL, &f.region, 1, 0), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_refresh_catalog(f.w.catalog, NULL, 1, 0), SPS_ERR_INVALID_ARGUMENT);
    struct sps_engine_refresh_region bad = {.ec2 = NULL, .snapshot = &f.w.snap};
    SPS_CHECK_ERR(sps_engine_refresh_catalog(f.w.catalog, &bad, 1, 0), SPS_ERR_INVALID_ARGUMENT);
    bad = (struct sps_engine_refresh_region){.ec2 = f.env.client, .snapshot = NULL};
    SPS_CHECK_ERR(sps_engine_refresh_catalog(f.w.catalog, &bad, 1, 0), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_OK(sps_engine_refresh_catalog(f.w.catalog, NULL, 0, 0));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.env.fake), 0);
    s_teardown(&f);
}

/* ---- against the simulated AWS (scenario refresh.json: m5a.large not offered in 1b) ------- */

static size_t s_fake_calls(struct sps_fakeaws *fake, const char *action)
{
    struct sps_buf log;
    sps_buf_init(&log, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(fake, "GET", "calls?all=1", NULL, &log), 200);
    char needle[96];
    snprintf(needle, sizeof needle, "\"action\": \"%s\"", action);
    size_t n = 0;
    for (const char *p = log.data; p && (p = strstr(p, needle)) != NULL; p++)
        n++;
    sps_buf_clean_up(&log);
    return n;
}

static void test_simulated_aws_unavailable_type(void)
{
    struct sps_fakeaws fake;
    sps_fakeaws_start(&fake, "refresh.json");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&fake, SPS_AWS_EC2, "us-east-1");
    struct s_fixture f;
    s_setup(&f, NULL);
    esb_od_member(&f.w, "web", "i-b", "m5.large", ESB_AZ_B);
    esb_od_member(&f.w, "web", "i-a", "m5.large", ESB_AZ_A);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&fake, "POST", "calls/clear", NULL, NULL), 200);
    f.region.ec2 = ec2;
    s_refresh(&f);
    SPS_CHECK_OK(f.region.offerings_result);
    SPS_CHECK_INT_EQ(f.region.offerings_zones, 3);
    SPS_CHECK(!s_offered(&f, "m5a.large", ESB_AZ_B));
    SPS_CHECK(s_offered(&f, "m5a.large", ESB_AZ_A));
    SPS_CHECK(s_offered(&f, "m5.large", ESB_AZ_B));
    SPS_CHECK(!s_plan_picks(&f, "i-b", "m5a.large"));
    SPS_CHECK(s_plan_picks(&f, "i-a", "m5a.large"));
    /* one walk (its pages), no DescribeInstanceTypes: every type is known */
    size_t pages = s_fake_calls(&fake, "DescribeInstanceTypeOfferings");
    SPS_CHECK(pages >= 1);
    SPS_CHECK_INT_EQ(s_fake_calls(&fake, "DescribeInstanceTypes"), 0);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.env.fake), 0);
    s_teardown(&f);
    sps_aws_client_destroy(ec2);
    sps_fakeaws_stop(&fake);
}

SPS_TEST_MAIN(SPS_CASE(test_zone_offerings_applied_and_not_picked),
              SPS_CASE(test_offerings_refused_falls_back),
              SPS_CASE(test_offerings_second_page_refused_applies_nothing),
              SPS_CASE(test_two_regions_one_walk_each_together),
              SPS_CASE(test_one_region_failing_leaves_the_other),
              SPS_CASE(test_repeated_token_ends_the_walk),
              SPS_CASE(test_offering_without_zone_falls_back), SPS_CASE(test_endless_walk_is_bounded),
              SPS_CASE(test_live_type_in_two_regions),
              SPS_CASE(test_unknown_type_read_live_and_matched),
              SPS_CASE(test_unknown_everywhere_stays_unknown),
              SPS_CASE(test_types_refused_stay_unknown),
              SPS_CASE(test_unusable_record_stays_unknown), SPS_CASE(test_names_batched_by_100),
              SPS_CASE(test_invalid_arguments), SPS_CASE(test_simulated_aws_unavailable_type))
