/* Whole passes (sps_engine_pass_run) against the simulated AWS (scenario basic.json) through a
 * real session whose environment points every service at the fake: report-only makes no
 * mutating call; a real pass launches; only the spot types the probe plan asked for are priced,
 * in one call per region and OS; On-Demand prices are prefetched before planning, a failed
 * prefetch falling back to the planner's own lookup; two regions; a region whose scan fails is
 * reported while the other is planned; an account role scans the other account; DescribeRegions
 * when no regions are configured; the report in both formats; failures of the whole pass
 * (DescribeRegions refused, an untrusted role), spot prices refused, clean-up of a zeroed pass,
 * invalid arguments. */
#include "sps_compat.h"
#include "sps_engine_pass.h"
#include "sps_fakeaws.h"
#include "sps_fakes.h"
#include "sps_test.h"

#include <jansson.h>
#include <stdio.h>

static struct sps_fakeaws s_fake;
static struct sps_fake_env s_env;
static struct sps_engine_session s_session;
static struct sps_engine_config s_cfg;

static void s_set(const char *key, const char *value)
{
    struct sps_buf why;
    sps_buf_init(&why, 0);
    SPS_CHECK_OK(sps_engine_config_set(&s_cfg, sps_engine_option_find_key(key), value, "test",
                                       &why));
    sps_buf_clean_up(&why);
}

static void s_start(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    sps_fake_env_init(&s_env);
    sps_fake_env_set(&s_env, "AWS_ENDPOINT_URL", s_fake.endpoint);
    sps_fake_env_set(&s_env, "AWS_ACCESS_KEY_ID", SPS_FAKEAWS_AKID);
    sps_fake_env_set(&s_env, "AWS_SECRET_ACCESS_KEY", SPS_FAKEAWS_SECRET);
    sps_fake_env_set(&s_env, "AWS_REGION", "us-east-1");
    sps_fake_env_set(&s_env, "AWS_EC2_METADATA_DISABLED", "true");
    sps_fake_env_set(&s_env, "AWS_CONFIG_FILE", "/nonexistent/spotswap-test-config");
    sps_fake_env_set(&s_env, "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/spotswap-test-creds");
    struct sps_buf why;
    sps_buf_init(&why, 1024);
    sps_err err = sps_engine_session_open(&s_session, &s_env.env, NULL, NULL, 0, &why);
    if (err != SPS_OK)
        sps_test_fail(__FILE__, __LINE__, "session: %s", why.data);
    sps_buf_clean_up(&why);
    sps_engine_config_init(&s_cfg);
    s_set("log_level", "off");
}

static void s_stop(void)
{
    sps_engine_config_clean_up(&s_cfg);
    sps_engine_session_clean_up(&s_session);
    sps_fakeaws_stop(&s_fake);
}

static sps_err s_run(struct sps_engine_pass *pass, struct sps_buf *why)
{
    struct sps_engine_pass_options o = {.cfg = &s_cfg, .session = &s_session};
    sps_buf_init(why, 1024);
    return sps_engine_pass_run(pass, &o, why);
}

/* The fake's call log (all calls, or only mutating ones) parsed. */
static json_t *s_calls(bool all)
{
    struct sps_buf body;
    sps_buf_init(&body, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "GET", all ? "calls?all=1" : "calls", NULL, &body),
                     200);
    json_t *root = json_loads(body.data, 0, NULL);
    SPS_CHECK(root != NULL);
    sps_buf_clean_up(&body);
    json_t *calls = json_incref(json_object_get(root, "calls"));
    json_decref(root);
    return calls;
}

static size_t s_count_action(json_t *calls, const char *action)
{
    size_t n = 0, i;
    json_t *c;
    json_array_foreach(calls, i, c)
    {
        n += strcmp(json_string_value(json_object_get(c, "action")), action) == 0;
    }
    return n;
}

/* DescribeSpotPriceHistory requests: the first pages (the ones without a NextToken); the
 * later pages of one request repeat its types. */
static size_t s_spot_requests(json_t *calls)
{
    size_t n = 0, i;
    json_t *c;
    json_array_foreach(calls, i, c)
    {
        n += strcmp(json_string_value(json_object_get(c, "action")),
                    "DescribeSpotPriceHistory") == 0 &&
             json_object_get(json_object_get(c, "params"), "NextToken") == NULL;
    }
    return n;
}

static const struct sps_engine_pass_region *s_region(const struct sps_engine_pass *p,
                                                     const char *account, const char *region)
{
    for (size_t i = 0; i < p->region_count; i++)
        if (strcmp(p->regions[i].account_id, account) == 0 &&
            strcmp(p->regions[i].region, region) == 0)
            return &p->regions[i];
    sps_test_fail(__FILE__, __LINE__, "no region %s/%s in the pass", account, region);
    return NULL;
}

static bool s_plan_has_group(const struct sps_engine_plan *p, const char *name)
{
    for (size_t g = 0; g < p->group_count; g++)
        if (strcmp(p->groups[g].name, name) == 0)
            return true;
    return false;
}

static size_t s_launches(const struct sps_engine_plan *p)
{
    size_t n = 0;
    for (size_t a = 0; a < p->action_count; a++)
        n += p->actions[a].kind == SPS_ENGINE_LAUNCH;
    return n;
}

static void test_report_only(void)
{
    s_start();
    s_set("regions", "us-east-1");
    s_set("report_only", "true");
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "calls/clear", NULL, NULL), 200);
    struct sps_engine_pass pass;
    struct sps_buf why;
    SPS_CHECK_OK(s_run(&pass, &why));
    SPS_CHECK(pass.report_only);
    SPS_CHECK_INT_EQ(pass.region_count, 1);
    const struct sps_engine_pass_region *r = s_region(&pass, "", "us-east-1");
    SPS_CHECK(r->planned && !r->executed);
    SPS_CHECK(s_plan_has_group(&r->plan, "web") && s_plan_has_group(&r->plan, "batch"));
    SPS_CHECK(!s_plan_has_group(&r->plan, "plain"));
    SPS_CHECK(s_launches(&r->plan) > 0);
    json_t *mutating = s_calls(false);
    SPS_CHECK_INT_EQ(json_array_size(mutating), 0);
    json_decref(mutating);

    /* Spot prices: only the types the probe plan asked for, one call per region and OS. */
    json_t *calls = s_calls(true);
    SPS_CHECK_INT_EQ(s_spot_requests(calls), 1);
    struct sps_compat_catalog *catalog = sps_compat_catalog_new();
    size_t i;
    json_t *c;
    json_array_foreach(calls, i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "action")), "DescribeSpotPriceHistory"))
            continue;
        json_t *params = json_object_get(c, "params");
        size_t types = 0;
        const char *key;
        json_t *v;
        json_object_foreach(params, key, v)
        {
            if (strncmp(key, "InstanceType.", 13) != 0)
                continue;
            types++;
            /* Plausible replacements of the scenario's m5.large and c5d.xlarge (2-4 vCPU,
             * 8 GiB, x86, not burstable): spot-capable, virtualized, not burstable, at least as
             * large as the smallest original. */
            const char *t = json_string_value(v);
            const struct sps_compat_type *type = NULL;
            SPS_CHECK_OK(sps_compat_catalog_find(catalog, t, &type));
            if (type && (!type->spot || type->bare_metal || type->burstable || type->vcpu < 2 ||
                         type->memory_mib < 8192))
                sps_test_fail(__FILE__, __LINE__, "implausible candidate %s asked for", t);
        }
        SPS_CHECK(types > 0 && types <= sps_compat_catalog_count(catalog));
        /* The first candidate of every launch was among the types asked for (every page
         * of the request repeats them). */
        for (size_t a = 0; a < r->plan.action_count; a++) {
            const struct sps_engine_action *act = &r->plan.actions[a];
            if (act->kind != SPS_ENGINE_LAUNCH)
                continue;
            bool asked = false;
            json_object_foreach(params, key, v)
            {
                if (strncmp(key, "InstanceType.", 13) == 0 &&
                    strcmp(json_string_value(v), act->candidates[0]) == 0)
                    asked = true;
            }
            SPS_CHECK(asked);
        }
    }
    json_decref(calls);
    sps_compat_catalog_destroy(catalog);

    struct sps_buf out;
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_engine_pass_report(&pass, SPS_ENGINE_OUTPUT_TEXT, &out));
    SPS_CHECK(strncmp(out.data, "spotswap report-only pass at ", 29) == 0);
    SPS_CHECK(strstr(out.data, "\n  web: ") != NULL);
    SPS_CHECK(strstr(out.data, "would be launched") != NULL);
    sps_buf_clean_up(&out);
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_engine_pass_report(&pass, SPS_ENGINE_OUTPUT_JSON, &out));
    json_t *root = json_loads(out.data, 0, NULL);
    SPS_CHECK(root != NULL);
    SPS_CHECK_STR_EQ(json_string_value(json_object_get(root, "mode")), "report-only");
    json_t *regions = json_object_get(root, "regions");
    SPS_CHECK_INT_EQ(json_array_size(regions), 1);
    SPS_CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(regions, 0), "region")),
                     "us-east-1");
    SPS_CHECK(json_array_size(json_object_get(json_array_get(regions, 0), "groups")) >= 2);
    SPS_CHECK_INT_EQ(json_integer_value(json_object_get(json_object_get(root, "totals"),
                                                        "replacements")),
                     (json_int_t)s_launches(&r->plan));
    json_decref(root);
    sps_buf_clean_up(&out);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);
    s_stop();
}

static void test_real_pass_launches(void)
{
    s_start();
    s_set("regions", "us-east-1");
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "calls/clear", NULL, NULL), 200);
    struct sps_engine_pass pass;
    struct sps_buf why;
    SPS_CHECK_OK(s_run(&pass, &why));
    const struct sps_engine_pass_region *r = s_region(&pass, "", "us-east-1");
    SPS_CHECK(r->planned && r->executed);
    SPS_CHECK_INT_EQ(r->exec.count, r->plan.action_count);
    size_t launched = 0;
    for (size_t e = 0; e < r->exec.count; e++)
        launched += r->exec.entries[e].kind == SPS_ENGINE_LAUNCH &&
                    r->exec.entries[e].outcome == SPS_ENGINE_OUTCOME_DONE;
    SPS_CHECK(launched > 0);
    json_t *mutating = s_calls(false);
    SPS_CHECK(s_count_action(mutating, "RunInstances") >= launched);
    json_decref(mutating);
    struct sps_buf out;
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_engine_pass_report(&pass, SPS_ENGINE_OUTPUT_TEXT, &out));
    SPS_CHECK(strstr(out.data, "  done: launch ") != NULL);
    sps_buf_clean_up(&out);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);
    s_stop();
}

static void s_fault(const char *action, const char *kind, int count)
{
    char body[160];
    snprintf(body, sizeof body, "{\"action\": \"%s\", \"kind\": \"%s\", \"count\": %d}", action,
             kind, count);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "fault", body, NULL), 200);
}

static void test_two_regions_one_failing(void)
{
    s_start();
    s_set("regions", "us-east-1,eu-west-1");
    s_set("report_only", "true");
    struct sps_engine_pass pass;
    struct sps_buf why;
    SPS_CHECK_OK(s_run(&pass, &why));
    SPS_CHECK_INT_EQ(pass.region_count, 2);
    SPS_CHECK(s_plan_has_group(&s_region(&pass, "", "eu-west-1")->plan, "small"));
    SPS_CHECK(s_plan_has_group(&s_region(&pass, "", "us-east-1")->plan, "web"));
    json_t *calls = s_calls(true);
    SPS_CHECK_INT_EQ(s_spot_requests(calls), 2);
    json_decref(calls);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);

    /* One scan refused: that region is reported with its error, the other is planned. */
    s_fault("DescribeAutoScalingGroups", "malformed", 1);
    sps_err err = s_run(&pass, &why);
    SPS_CHECK(err != SPS_OK);
    size_t failed = 0, planned = 0;
    for (size_t i = 0; i < pass.region_count; i++) {
        const struct sps_engine_pass_region *r = &pass.regions[i];
        if (r->error != SPS_OK) {
            failed++;
            SPS_CHECK(!r->planned);
            SPS_CHECK_ERR(r->error, err);
        } else {
            planned += r->planned;
        }
    }
    SPS_CHECK_INT_EQ(failed, 1);
    SPS_CHECK_INT_EQ(planned, 1);
    struct sps_buf out;
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_engine_pass_report(&pass, SPS_ENGINE_OUTPUT_JSON, &out));
    json_t *root = json_loads(out.data, 0, NULL);
    SPS_CHECK(root != NULL);
    SPS_CHECK_INT_EQ(json_integer_value(json_object_get(json_object_get(root, "totals"),
                                                        "failed_regions")),
                     1);
    json_decref(root);
    sps_buf_clean_up(&out);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);
    s_stop();
}

/* True when a note of group `name` in `plan` contains `text`. */
static bool s_noted(const struct sps_engine_plan *plan, const char *name, const char *text)
{
    for (size_t g = 0; g < plan->group_count; g++) {
        for (size_t n = 0;
             strcmp(plan->groups[g].name, name) == 0 && n < plan->groups[g].note_count; n++) {
            if (strstr(plan->groups[g].notes[n].reason, text) != NULL)
                return true;
        }
    }
    return false;
}

/* eu-west-1 is not in the embedded catalog: its On-Demand price comes from GetProducts, fetched
 * once before planning. A failed prefetch is not final: the planner's lookup asks again, so a
 * transient fault costs one call, and a price that cannot be had leaves the instance unplanned
 * with the same note as without the prefetch. */
static void test_on_demand_prices_prefetched(void)
{
    s_start();
    s_set("regions", "eu-west-1");
    s_set("report_only", "true");
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "calls/clear", NULL, NULL), 200);
    struct sps_engine_pass pass;
    struct sps_buf why;
    SPS_CHECK_OK(s_run(&pass, &why));
    const struct sps_engine_pass_region *r = s_region(&pass, "", "eu-west-1");
    SPS_CHECK(r->planned && s_launches(&r->plan) > 0);
    json_t *calls = s_calls(true);
    /* One type (t3.small), one OS: one call, and the planner asked nothing more. */
    SPS_CHECK_INT_EQ(s_count_action(calls, "GetProducts"), 1);
    SPS_CHECK_INT_EQ(sps_pricing_api_calls(pass.pricing), 1);
    json_decref(calls);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);

    /* One malformed answer: the prefetch fails, the planner's lookup asks again and succeeds. */
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "calls/clear", NULL, NULL), 200);
    s_fault("GetProducts", "malformed", 1);
    SPS_CHECK_OK(s_run(&pass, &why));
    r = s_region(&pass, "", "eu-west-1");
    SPS_CHECK(r->planned && s_launches(&r->plan) > 0);
    calls = s_calls(true);
    SPS_CHECK_INT_EQ(s_count_action(calls, "GetProducts"), 2);
    json_decref(calls);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);

    /* The price cannot be had: the instance is not planned, with the usual note. */
    s_fault("GetProducts", "malformed", 100);
    SPS_CHECK_OK(s_run(&pass, &why));
    r = s_region(&pass, "", "eu-west-1");
    SPS_CHECK(r->planned);
    SPS_CHECK_INT_EQ(s_launches(&r->plan), 0);
    SPS_CHECK(s_noted(&r->plan, "small", "on-demand price unknown for t3.small"));
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);
    s_stop();
}

static void test_spot_prices_refused(void)
{
    s_start();
    s_set("regions", "us-east-1");
    s_set("report_only", "true");
    s_fault("DescribeSpotPriceHistory", "expired_token", 10);
    struct sps_engine_pass pass;
    struct sps_buf why;
    SPS_CHECK(s_run(&pass, &why) != SPS_OK);
    const struct sps_engine_pass_region *r = s_region(&pass, "", "us-east-1");
    SPS_CHECK(r->error != SPS_OK && !r->planned);
    SPS_CHECK(r->aws_error.code[0] != '\0');
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);
    s_stop();
}

static void test_account_role(void)
{
    s_start();
    s_set("regions", "us-east-1");
    s_set("report_only", "true");
    s_set("accounts", "arn:aws:iam::222222222222:role/SpotSwapCross");
    s_set("external_id", "spotswap-ext-1");
    struct sps_engine_pass pass;
    struct sps_buf why;
    sps_err err = s_run(&pass, &why);
    if (err != SPS_OK)
        sps_test_fail(__FILE__, __LINE__, "pass: %s (%s)", sps_error_name(err), why.data);
    SPS_CHECK_INT_EQ(pass.region_count, 2);
    SPS_CHECK_INT_EQ(pass.account_count, 1);
    const struct sps_engine_pass_region *other = s_region(&pass, "222222222222", "us-east-1");
    SPS_CHECK(other->planned);
    SPS_CHECK(s_plan_has_group(&other->plan, "other"));
    SPS_CHECK(!s_plan_has_group(&other->plan, "web"));
    SPS_CHECK(s_plan_has_group(&s_region(&pass, "", "us-east-1")->plan, "web"));
    json_t *calls = s_calls(true);
    SPS_CHECK_INT_EQ(s_count_action(calls, "AssumeRole"), 1);
    json_decref(calls);
    struct sps_buf out;
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_engine_pass_report(&pass, SPS_ENGINE_OUTPUT_TEXT, &out));
    SPS_CHECK(strstr(out.data, "\nus-east-1 (account 222222222222)\n") != NULL);
    sps_buf_clean_up(&out);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);
    s_stop();
}

/* A role the account does not let us assume: with no regions configured, listing them in that
 * account fails the pass, and `why` names the account. */
static void test_untrusted_role(void)
{
    s_start();
    s_set("report_only", "true");
    s_set("accounts", "arn:aws:iam::222222222222:role/NoTrust");
    struct sps_engine_pass pass;
    struct sps_buf why;
    SPS_CHECK(s_run(&pass, &why) != SPS_OK);
    SPS_CHECK(strstr(why.data, "DescribeRegions in account 222222222222 failed") != NULL);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);
    s_stop();
}

static void test_describe_regions(void)
{
    s_start();
    s_set("report_only", "true");
    struct sps_engine_pass pass;
    struct sps_buf why;
    SPS_CHECK_OK(s_run(&pass, &why));
    SPS_CHECK_INT_EQ(pass.region_count, 2); /* the fake's DescribeRegions: the seeded ones */
    SPS_CHECK(s_plan_has_group(&s_region(&pass, "", "us-east-1")->plan, "web"));
    SPS_CHECK(s_plan_has_group(&s_region(&pass, "", "eu-west-1")->plan, "small"));
    json_t *calls = s_calls(true);
    SPS_CHECK_INT_EQ(s_count_action(calls, "DescribeRegions"), 1);
    json_decref(calls);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);

    s_fault("DescribeRegions", "expired_token", 10);
    SPS_CHECK(s_run(&pass, &why) != SPS_OK);
    SPS_CHECK(strncmp(why.data, "DescribeRegions failed: ", 24) == 0);
    SPS_CHECK_INT_EQ(pass.region_count, 0);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);
    s_stop();
}

/* What makes the whole pass fail before any scan: a region no endpoint can be built for, and
 * pricing options the pricing layer refuses (set past the config's own validation). */
static void test_prepare_failures(void)
{
    s_start();
    sps_aws_strings_add(&s_cfg.regions, "not a region!");
    struct sps_engine_pass pass;
    struct sps_buf why;
    SPS_CHECK(s_run(&pass, &why) != SPS_OK);
    SPS_CHECK(strncmp(why.data, "endpoint for ", 13) == 0);
    SPS_CHECK(strstr(why.data, "not a region!") != NULL);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);

    sps_aws_strings_clean_up(&s_cfg.regions);
    s_set("regions", "us-east-1");
    s_cfg.pricing_cache_ttl_seconds = -1;
    SPS_CHECK_ERR(s_run(&pass, &why), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK(strncmp(why.data, "pricing: ", 9) == 0);
    SPS_CHECK(pass.pricing == NULL);
    sps_buf_clean_up(&why);
    sps_engine_pass_clean_up(&pass);
    s_stop();
}

static void test_invalid_and_zeroed(void)
{
    struct sps_engine_pass pass;
    memset(&pass, 0, sizeof pass);
    sps_engine_pass_clean_up(&pass);
    sps_engine_pass_clean_up(NULL);
    struct sps_buf out;
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_engine_pass_report(&pass, SPS_ENGINE_OUTPUT_JSON, &out));
    SPS_CHECK(strstr(out.data, "\"regions\": []") != NULL || strstr(out.data, "\"regions\":[]"));
    sps_buf_clean_up(&out);

    struct sps_engine_config cfg;
    sps_engine_config_init(&cfg);
    struct sps_engine_session session;
    memset(&session, 0, sizeof session);
    struct sps_buf why;
    sps_buf_init(&why, 256);
    struct sps_engine_pass_options no_cfg = {.session = &session};
    struct sps_engine_pass_options no_session = {.cfg = &cfg};
    SPS_CHECK_ERR(sps_engine_pass_run(&pass, NULL, &why), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_pass_run(&pass, &no_cfg, &why), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_pass_run(&pass, &no_session, &why), SPS_ERR_INVALID_ARGUMENT);
    sps_engine_pass_clean_up(&pass);
    sps_buf_clean_up(&why);
    sps_engine_config_clean_up(&cfg);
}

SPS_TEST_MAIN(SPS_CASE(test_report_only), SPS_CASE(test_real_pass_launches),
              SPS_CASE(test_two_regions_one_failing), SPS_CASE(test_on_demand_prices_prefetched),
              SPS_CASE(test_spot_prices_refused),
              SPS_CASE(test_account_role), SPS_CASE(test_untrusted_role),
              SPS_CASE(test_describe_regions), SPS_CASE(test_prepare_failures), SPS_CASE(test_invalid_and_zeroed))
