/* The planner's launches: candidates from the real catalog ranked by price and band and
 * diversified across several launches in one pass, unknown prices and AMIs, no candidate
 * (fallback), the platform and EBS optimization, the cost report. */
#include "engine_snapshot_builder.h"
#include "sps_test.h"

#include <math.h>
#include <string.h>

static int s_plan(struct esb_world *w, struct sps_engine_plan *p)
{
    SPS_CHECK_OK(esb_world_plan(w, p));
    return 0;
}

static void test_launch_details(void)
{
    struct esb_world w;
    esb_world_init(&w);
    esb_group(&w, "web", 1, 300);
    esb_od_member(&w, "web", "i-1", "m5.large", ESB_AZ_B);
    struct sps_engine_plan p;
    s_plan(&w, &p);
    SPS_CHECK_INT_EQ(p.action_count, 1);
    const struct sps_engine_action *a = esb_action(&p, SPS_ENGINE_LAUNCH, "i-1");
    SPS_CHECK(a != NULL);
    SPS_CHECK_STR_EQ(a->group, "web");
    SPS_CHECK_STR_EQ(a->availability_zone, ESB_AZ_B);
    SPS_CHECK_STR_EQ(a->subnet_id, "subnet-us-east-1b");
    SPS_CHECK(a->spot_instance_id == NULL);
    /* Ranked by spot price, capped at five; c5.large has no spot price (and less memory). */
    static const char *const expected[] = {"m5.large", "m5a.large", "m5n.large", "m6i.large",
                                           "m5d.large"};
    SPS_CHECK_INT_EQ(a->candidate_count, 5);
    for (size_t i = 0; i < 5; i++)
        SPS_CHECK_STR_EQ(a->candidates[i], expected[i]);
    SPS_CHECK(fabs(a->on_demand_price - 0.096) < 1e-9);
    SPS_CHECK(fabs(a->spot_price - 0.035) < 1e-9);
    SPS_CHECK(!a->ebs_optimized);
    SPS_CHECK(strstr(a->reason, "spot m5.large at 0.0350/h") != NULL);
    const struct sps_engine_group_plan *g = esb_group_plan(&p, "web");
    SPS_CHECK_INT_EQ(g->state, SPS_ENGINE_GROUP_CONVERTING);
    SPS_CHECK(fabs(g->cost_now_usd_per_hour - 0.096) < 1e-9);
    SPS_CHECK(fabs(g->cost_after_usd_per_hour - 0.035) < 1e-9);
    SPS_CHECK_STR_EQ(w.market.last_platform, "Linux/UNIX");
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* Six launches in one pass in one zone: no type ends above the cap for six spot instances. */
static void test_diversification_in_one_pass(void)
{
    struct esb_world w;
    esb_world_init(&w);
    w.policies.base.max_replacements_per_run = 6;
    esb_group(&w, "web", 6, 300);
    for (int i = 0; i < 6; i++) {
        char id[16];
        snprintf(id, sizeof(id), "i-%d", i);
        esb_od_member(&w, "web", id, "m5.large", ESB_AZ_A);
    }
    struct sps_engine_plan p;
    s_plan(&w, &p);
    SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_LAUNCH), 6);
    size_t cap = sps_compat_diversity_cap(5, SPS_COMPAT_DEFAULT_CAP_FRACTION);
    SPS_CHECK_INT_EQ(cap, 2);
    size_t distinct = 0;
    for (size_t i = 0; i < p.action_count; i++) {
        size_t same = 0;
        bool seen_before = false;
        for (size_t k = 0; k < p.action_count; k++) {
            same += strcmp(p.actions[k].candidates[0], p.actions[i].candidates[0]) == 0;
            if (k < i && strcmp(p.actions[k].candidates[0], p.actions[i].candidates[0]) == 0)
                seen_before = true;
        }
        SPS_CHECK(same <= cap);
        distinct += !seen_before;
        /* The diversified pick comes first, the rest of the ranking follows. */
        SPS_CHECK_INT_EQ(p.actions[i].candidate_count, 5);
    }
    SPS_CHECK_INT_EQ(distinct, 3);
    /* Cost after: three types at 0.035, 0.036, 0.037, twice each. */
    const struct sps_engine_group_plan *g = esb_group_plan(&p, "web");
    SPS_CHECK(fabs(g->cost_after_usd_per_hour - 2 * (0.035 + 0.036 + 0.037)) < 1e-9);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* Existing spot members and launches waiting outside count in their zone only. */
static void test_diversification_counts_existing(void)
{
    struct esb_world w;
    esb_world_init(&w);
    w.policies.base.max_replacements_per_run = 5;
    esb_group(&w, "web", 5, 300);
    esb_spot_member(&w, "web", "i-spot", "m5.large", ESB_AZ_A);
    esb_od_member(&w, "web", "i-a1", "m5.large", ESB_AZ_A);
    esb_od_member(&w, "web", "i-a2", "m5.large", ESB_AZ_A);
    esb_od_member(&w, "web", "i-b1", "m5.large", ESB_AZ_B);
    esb_od_member(&w, "web", "i-a3", "m5.large", ESB_AZ_A);
    esb_spot_outside(&w, "i-wait", "web", "i-a3", "m5a.large", ESB_AZ_A, 10, false);
    struct sps_engine_plan p;
    s_plan(&w, &p);
    SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_LAUNCH), 3);
    /* Zone a holds m5.large and m5a.large already: the next is m5n.large, then a second of
     * the cheapest once the cap allows it. */
    SPS_CHECK_STR_EQ(esb_action(&p, SPS_ENGINE_LAUNCH, "i-a1")->candidates[0], "m5n.large");
    SPS_CHECK_STR_EQ(esb_action(&p, SPS_ENGINE_LAUNCH, "i-a2")->candidates[0], "m5.large");
    SPS_CHECK_STR_EQ(esb_action(&p, SPS_ENGINE_LAUNCH, "i-b1")->candidates[0], "m5.large");
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* Only the group's own spot instances count: another group's spot member and waiting launch in
 * the same zone, the group's spot member that is not InService, and its spot members in another
 * zone leave the cheapest type free (counted, any of them would put m5.large at the cap). */
static void test_diversification_counts_only_the_group(void)
{
    struct esb_world w;
    esb_world_init(&w);
    w.policies.base.max_replacements_per_run = 1;
    esb_group(&w, "web", 5, 300);
    esb_group(&w, "api", 1, 300);
    esb_spot_member(&w, "api", "i-api", "m5.large", ESB_AZ_A);
    esb_spot_outside(&w, "i-api-wait", "api", NULL, "m5.large", ESB_AZ_A, 10, false);
    esb_spot_member(&w, "web", "i-pending", "m5.large", ESB_AZ_A);
    esb_find_member(&w, "web", "i-pending")->lifecycle_state = SPS_AWS_ASG_STATE_PENDING;
    esb_spot_member(&w, "web", "i-b1", "m5.large", ESB_AZ_B);
    esb_spot_member(&w, "web", "i-b2", "m5.large", ESB_AZ_B);
    esb_od_member(&w, "web", "i-a1", "m5.large", ESB_AZ_A);
    struct sps_engine_plan p;
    s_plan(&w, &p);
    const struct sps_engine_action *a = esb_action(&p, SPS_ENGINE_LAUNCH, "i-a1");
    SPS_CHECK(a != NULL);
    SPS_CHECK_STR_EQ(a->candidates[0], "m5.large");
    SPS_CHECK(strstr(a->reason, "diversification cap") == NULL);
    sps_engine_plan_clean_up(&p);

    /* The same spot member InService in zone a does count: m5.large is then at the cap. */
    esb_find_member(&w, "web", "i-pending")->lifecycle_state = SPS_AWS_ASG_STATE_IN_SERVICE;
    s_plan(&w, &p);
    a = esb_action(&p, SPS_ENGINE_LAUNCH, "i-a1");
    SPS_CHECK(a != NULL);
    SPS_CHECK_STR_EQ(a->candidates[0], "m5a.large");
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* Launches of one group are ranked for their own zone: m5a.large is cheapest in zone b only,
 * so the zone-a launches (ranked first, and again after zone b's) keep m5.large. */
static void test_each_zone_ranked_apart(void)
{
    struct esb_world w;
    esb_world_init(&w);
    struct esb_price rows[16] = {{"m5a.large", 0.086, 0.020, ESB_AZ_B}};
    SPS_CHECK(esb_default_price_count < 16);
    memcpy(rows + 1, esb_default_prices, esb_default_price_count * sizeof(rows[0]));
    w.market.rows = rows;
    w.market.count = esb_default_price_count + 1;
    w.policies.base.max_replacements_per_run = 4;
    w.policies.base.diversification_fraction = 1;
    esb_group(&w, "web", 4, 300);
    esb_od_member(&w, "web", "i-1", "m5.large", ESB_AZ_A);
    esb_od_member(&w, "web", "i-2", "m5.large", ESB_AZ_B);
    esb_od_member(&w, "web", "i-3", "m5.large", ESB_AZ_A);
    esb_od_member(&w, "web", "i-4", "m5.large", ESB_AZ_B);
    struct sps_engine_plan p;
    s_plan(&w, &p);
    SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_LAUNCH), 4);
    static const char *const ids[] = {"i-1", "i-2", "i-3", "i-4"};
    for (size_t i = 0; i < 4; i++) {
        const struct sps_engine_action *a = esb_action(&p, SPS_ENGINE_LAUNCH, ids[i]);
        SPS_CHECK(a != NULL);
        SPS_CHECK_STR_EQ(a->candidates[0], i % 2 ? "m5a.large" : "m5.large");
        SPS_CHECK(fabs(a->spot_price - (i % 2 ? 0.020 : 0.035)) < 1e-9);
    }
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* One allowed type: every launch past the first is at the cap; it is launched anyway and the
 * reason says so. */
static void test_diversification_at_cap(void)
{
    struct esb_world w;
    esb_world_init(&w);
    static const char *const allowed[] = {"m5.large"};
    w.policies.base.constraints.allowed = allowed;
    w.policies.base.constraints.allowed_count = 1;
    w.policies.base.max_replacements_per_run = 2;
    esb_group(&w, "web", 2, 300);
    esb_od_member(&w, "web", "i-1", "m5.large", ESB_AZ_A);
    esb_od_member(&w, "web", "i-2", "m5.large", ESB_AZ_A);
    struct sps_engine_plan p;
    s_plan(&w, &p);
    SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_LAUNCH), 2);
    const struct sps_engine_action *a1 = esb_action(&p, SPS_ENGINE_LAUNCH, "i-1");
    const struct sps_engine_action *a2 = esb_action(&p, SPS_ENGINE_LAUNCH, "i-2");
    SPS_CHECK_INT_EQ(a1->candidate_count, 1);
    SPS_CHECK(strstr(a1->reason, "diversification cap") == NULL);
    SPS_CHECK(strstr(a2->reason, "every candidate at the diversification cap") != NULL);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

static int s_band(void *ctx, const char *region, const char *type)
{
    (void)ctx;
    SPS_CHECK_STR_EQ(region, ESB_REGION);
    return strcmp(type, "m5a.large") == 0 ? 0 : -1;
}

/* The band callback reaches the ranking: equal prices, the known band wins. */
static void test_band_orders_equal_prices(void)
{
    static const struct esb_price rows[] = {
        {"m5.large", 0.096, 0.035, NULL},
        {"m5a.large", 0.086, 0.035, NULL},
    };
    struct esb_world w;
    esb_world_init(&w);
    w.market.rows = rows;
    w.market.count = 2;
    w.prices.band = s_band;
    esb_group(&w, "web", 1, 300);
    esb_od_member(&w, "web", "i-1", "m5.large", ESB_AZ_A);
    struct sps_engine_plan p;
    s_plan(&w, &p);
    const struct sps_engine_action *a = esb_action(&p, SPS_ENGINE_LAUNCH, "i-1");
    SPS_CHECK_INT_EQ(a->candidate_count, 2);
    SPS_CHECK_STR_EQ(a->candidates[0], "m5a.large");
    SPS_CHECK_STR_EQ(a->candidates[1], "m5.large");
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* Spot prices per zone: a type priced only in zone b is no candidate in zone a. */
static void test_spot_price_by_zone(void)
{
    static const struct esb_price rows[] = {
        {"m5.large", 0.096, 0.050, ESB_AZ_A},
        {"m5a.large", 0.086, 0.020, ESB_AZ_B},
    };
    struct esb_world w;
    esb_world_init(&w);
    w.market.rows = rows;
    w.market.count = 2;
    esb_group(&w, "web", 2, 300);
    esb_od_member(&w, "web", "i-a", "m5.large", ESB_AZ_A);
    esb_od_member(&w, "web", "i-b", "m5.large", ESB_AZ_B);
    w.policies.base.max_replacements_per_run = 2;
    struct sps_engine_plan p;
    s_plan(&w, &p);
    const struct sps_engine_action *a = esb_action(&p, SPS_ENGINE_LAUNCH, "i-a");
    const struct sps_engine_action *b = esb_action(&p, SPS_ENGINE_LAUNCH, "i-b");
    SPS_CHECK_INT_EQ(a->candidate_count, 1);
    SPS_CHECK_STR_EQ(a->candidates[0], "m5.large");
    SPS_CHECK_INT_EQ(b->candidate_count, 1);
    SPS_CHECK_STR_EQ(b->candidates[0], "m5a.large");
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* ---- nothing to launch ------------------------------------------------------------------------
 */

enum none_case {
    NONE_OD_PRICE_UNKNOWN,
    NONE_AMI_MISSING,
    NONE_AMI_ARCH_UNKNOWN,
    NONE_TYPE_UNKNOWN,
    NONE_NO_COMPATIBLE,
    NONE_NO_SPOT_PRICE,
    NONE_NOT_CHEAPER,
};

static const struct {
    enum none_case c;
    const char *note;
    enum sps_engine_group_state state;
    const char *reason; /* after "on fallback since <time>: " */
} s_none_rows[] = {
    {NONE_OD_PRICE_UNKNOWN, "on-demand price unknown for m5.xlarge (Linux/UNIX)",
     SPS_ENGINE_GROUP_FALLBACK, "1 on-demand instances could not be planned (see notes)"},
    {NONE_AMI_MISSING, "AMI ami-gone not in the snapshot", SPS_ENGINE_GROUP_FALLBACK,
     "1 on-demand instances could not be planned (see notes)"},
    {NONE_AMI_ARCH_UNKNOWN, "cannot match m5.large: invalid argument", SPS_ENGINE_GROUP_FALLBACK,
     "1 on-demand instances could not be planned (see notes)"},
    {NONE_TYPE_UNKNOWN, "cannot match zz9.mega: instance type is in neither",
     SPS_ENGINE_GROUP_FALLBACK, "1 on-demand instances could not be planned (see notes)"},
    {NONE_NO_COMPATIBLE, "no spot candidate: no compatible spot type", SPS_ENGINE_GROUP_FALLBACK,
     "no compatible spot type"},
    {NONE_NO_SPOT_PRICE, "no spot candidate: no compatible type has a spot price below",
     SPS_ENGINE_GROUP_FALLBACK, "no compatible type has a spot price below the on-demand price"},
    {NONE_NOT_CHEAPER, "no spot candidate: no compatible type has a spot price below",
     SPS_ENGINE_GROUP_FALLBACK, "no compatible type has a spot price below the on-demand price"},
};

static const struct esb_price s_dear_rows[] = {{"m5.large", 0.096, 0.2, NULL},
                                               {"zz9.mega", 1.0, 0.1, NULL}};

static void s_apply_none(struct esb_world *w, enum none_case c)
{
    static const char *const nothing[] = {"*"};
    struct sps_aws_ec2_instance *x = esb_find_instance(w, "i-1");
    switch (c) {
    case NONE_OD_PRICE_UNKNOWN:
        sps_free(x->instance_type);
        x->instance_type = sps_strdup("m5.xlarge");
        break;
    case NONE_AMI_MISSING:
        sps_free(x->image_id);
        x->image_id = sps_strdup("ami-gone");
        break;
    case NONE_AMI_ARCH_UNKNOWN:
        esb_image(w, "ami-sparc", "sparc", "hvm", "Linux/UNIX", true);
        sps_free(x->image_id);
        x->image_id = sps_strdup("ami-sparc");
        break;
    case NONE_TYPE_UNKNOWN:
        w->market.rows = s_dear_rows;
        w->market.count = 2;
        sps_free(x->instance_type);
        x->instance_type = sps_strdup("zz9.mega");
        break;
    case NONE_NO_COMPATIBLE:
        w->policies.base.constraints.disallowed = nothing;
        w->policies.base.constraints.disallowed_count = 1;
        break;
    case NONE_NO_SPOT_PRICE:
        w->market.count = 0;
        w->market.rows = s_dear_rows; /* nothing priced on spot at all: on-demand below */
        w->market.count = 1;
        sps_free(x->instance_type);
        x->instance_type = sps_strdup("m5.large");
        {
            static const char *const only[] = {"m5.large"};
            w->policies.base.constraints.allowed = only;
            w->policies.base.constraints.allowed_count = 1;
        }
        break;
    case NONE_NOT_CHEAPER:
        w->market.rows = s_dear_rows;
        w->market.count = 1;
        break;
    }
}

static void test_nothing_to_launch(void)
{
    for (size_t r = 0; r < sizeof(s_none_rows) / sizeof(s_none_rows[0]); r++) {
        struct esb_world w;
        esb_world_init(&w);
        esb_group(&w, "web", 1, 300);
        esb_od_member(&w, "web", "i-1", "m5.large", ESB_AZ_A);
        s_apply_none(&w, s_none_rows[r].c);
        struct sps_engine_plan p;
        s_plan(&w, &p);
        SPS_CHECK_INT_EQ(p.action_count, 0);
        SPS_CHECK(esb_has_note(&p, "web", "i-1", s_none_rows[r].note));
        const struct sps_engine_group_plan *g = esb_group_plan(&p, "web");
        SPS_CHECK_INT_EQ(g->state, s_none_rows[r].state);
        SPS_CHECK(strncmp(g->reason, "on fallback since 2026-", 23) == 0);
        SPS_CHECK(strstr(g->reason, s_none_rows[r].reason) != NULL);
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

/* The fallback reason keeps the time recorded in the group's fallback-since tag. */
static void test_fallback_since_tag(void)
{
    static const char *const nothing[] = {"*"};
    struct esb_world w;
    esb_world_init(&w);
    w.policies.base.constraints.disallowed = nothing;
    w.policies.base.constraints.disallowed_count = 1;
    esb_group(&w, "web", 1, 300);
    esb_od_member(&w, "web", "i-1", "m5.large", ESB_AZ_A);
    esb_group_tag(&w, "web", "spotswap:fallback-since", "2026-11-01T00:00:00Z");
    struct sps_engine_plan p;
    s_plan(&w, &p);
    SPS_CHECK_STR_EQ(esb_group_plan(&p, "web")->reason,
                     "on fallback since 2026-11-01T00:00:00Z: no compatible spot type");
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* One member without a candidate next to one that launches: the group is converting, the
 * member carries the note. */
static void test_partial_fallback_is_converting(void)
{
    struct esb_world w;
    esb_world_init(&w);
    /* A ceiling of 1 keeps m5.large (twice the memory) from standing in for c5.large, whose
     * own family has no spot price in the table. */
    w.policies.base.constraints.ceiling = 1.0;
    w.policies.base.max_replacements_per_run = 5;
    esb_group(&w, "web", 2, 300);
    esb_od_member(&w, "web", "i-c5", "c5.large", ESB_AZ_A);
    esb_od_member(&w, "web", "i-m5", "m5.large", ESB_AZ_A);
    struct sps_engine_plan p;
    s_plan(&w, &p);
    SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_LAUNCH), 1);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, "i-m5") != NULL);
    SPS_CHECK(esb_has_note(&p, "web", "i-c5", "no spot candidate"));
    SPS_CHECK_INT_EQ(esb_group_plan(&p, "web")->state, SPS_ENGINE_GROUP_CONVERTING);
    SPS_CHECK(esb_group_plan(&p, "web")->reason == NULL);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* ---- platform, architecture, EBS optimization -------------------------------------------------
 */

static void test_windows_platform(void)
{
    struct esb_world w;
    esb_world_init(&w);
    w.market.windows_extra = 0.092;
    esb_image(&w, "ami-win", "x86_64", "hvm", "Windows", true);
    esb_group(&w, "web", 1, 300);
    esb_od_member(&w, "web", "i-1", "m5.large", ESB_AZ_A);
    struct sps_aws_ec2_instance *x = esb_find_instance(&w, "i-1");
    sps_free(x->image_id);
    x->image_id = sps_strdup("ami-win");
    sps_free(x->platform_details);
    x->platform_details = sps_strdup("");
    struct sps_engine_plan p;
    s_plan(&w, &p);
    const struct sps_engine_action *a = esb_action(&p, SPS_ENGINE_LAUNCH, "i-1");
    SPS_CHECK(a != NULL);
    /* The instance gave no PlatformDetails: the AMI's prices it. */
    SPS_CHECK_STR_EQ(w.market.last_platform, "Windows");
    SPS_CHECK_STR_EQ(w.market.last_spot_platform, "Windows"); /* Windows spot, not Linux */
    SPS_CHECK(fabs(a->on_demand_price - 0.188) < 1e-9);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

static void test_arm64_candidates_only(void)
{
    static const struct esb_price rows[] = {
        {"m6g.large", 0.077, 0.030, NULL},
        {"m7g.large", 0.0816, 0.031, NULL},
        {"m5.large", 0.096, 0.010, NULL},
    };
    struct esb_world w;
    esb_world_init(&w);
    w.market.rows = rows;
    w.market.count = 3;
    esb_image(&w, "ami-arm", "arm64", "hvm", "Linux/UNIX", true);
    esb_group(&w, "web", 1, 300);
    esb_od_member(&w, "web", "i-1", "m6g.large", ESB_AZ_A);
    struct sps_aws_ec2_instance *x = esb_find_instance(&w, "i-1");
    sps_free(x->image_id);
    x->image_id = sps_strdup("ami-arm");
    struct sps_engine_plan p;
    s_plan(&w, &p);
    const struct sps_engine_action *a = esb_action(&p, SPS_ENGINE_LAUNCH, "i-1");
    SPS_CHECK_INT_EQ(a->candidate_count, 2);
    SPS_CHECK_STR_EQ(a->candidates[0], "m6g.large");
    SPS_CHECK_STR_EQ(a->candidates[1], "m7g.large");
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

static void test_ebs_optimized_carried(void)
{
    struct esb_world w;
    esb_world_init(&w);
    esb_group(&w, "web", 1, 300);
    esb_od_member(&w, "web", "i-1", "m5.large", ESB_AZ_A);
    esb_find_instance(&w, "i-1")->ebs_optimized = true;
    struct sps_engine_plan p;
    s_plan(&w, &p);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, "i-1")->ebs_optimized);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* ---- the cost report --------------------------------------------------------------------------
 */

static void test_costs(void)
{
    struct esb_world w;
    esb_world_init(&w);
    w.policies.base.max_replacements_per_run = 2;
    esb_group(&w, "web", 3, 300);
    esb_od_member(&w, "web", "i-1", "m5.large", ESB_AZ_A);
    esb_od_member(&w, "web", "i-2", "m5.large", ESB_AZ_A);
    esb_spot_member(&w, "web", "i-3", "m5a.large", ESB_AZ_A);
    struct sps_engine_plan p;
    s_plan(&w, &p);
    const struct sps_engine_group_plan *g = esb_group_plan(&p, "web");
    SPS_CHECK(fabs(g->cost_now_usd_per_hour - (0.096 * 2 + 0.036)) < 1e-9);
    /* m5a.large is taken in the zone: m5.large (0.035), then m5n.large (0.037). */
    SPS_CHECK_STR_EQ(esb_action(&p, SPS_ENGINE_LAUNCH, "i-1")->candidates[0], "m5.large");
    SPS_CHECK_STR_EQ(esb_action(&p, SPS_ENGINE_LAUNCH, "i-2")->candidates[0], "m5n.large");
    SPS_CHECK(fabs(g->cost_after_usd_per_hour - (0.036 + 0.035 + 0.037)) < 1e-9);
    SPS_CHECK_INT_EQ(g->in_service, 3);
    SPS_CHECK_INT_EQ(g->on_demand, 2);
    SPS_CHECK_INT_EQ(g->spot, 1);
    SPS_CHECK_INT_EQ(g->on_demand_floor, 0);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* A member whose price is unknown makes both costs NaN, never a guess. */
static void test_costs_unknown(void)
{
    static const struct esb_price rows[] = {{"m5.large", 0.096, 0.035, NULL}};
    for (int spot_unknown = 0; spot_unknown < 2; spot_unknown++) {
        struct esb_world w;
        esb_world_init(&w);
        w.market.rows = rows;
        w.market.count = 1;
        esb_group(&w, "web", 2, 300);
        esb_od_member(&w, "web", "i-1", "m5.large", ESB_AZ_A);
        if (spot_unknown)
            esb_spot_member(&w, "web", "i-2", "m6i.large", ESB_AZ_A);
        else
            esb_od_member(&w, "web", "i-2", "m5.xlarge", ESB_AZ_A);
        struct sps_engine_plan p;
        s_plan(&w, &p);
        const struct sps_engine_group_plan *g = esb_group_plan(&p, "web");
        SPS_CHECK(isnan(g->cost_now_usd_per_hour));
        SPS_CHECK(isnan(g->cost_after_usd_per_hour));
        SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, "i-1") != NULL);
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

SPS_TEST_MAIN(SPS_CASE(test_launch_details), SPS_CASE(test_diversification_in_one_pass),
              SPS_CASE(test_diversification_counts_existing),
              SPS_CASE(test_diversification_counts_only_the_group),
              SPS_CASE(test_each_zone_ranked_apart), SPS_CASE(test_diversification_at_cap),
              SPS_CASE(test_band_orders_equal_prices), SPS_CASE(test_spot_price_by_zone),
              SPS_CASE(test_nothing_to_launch), SPS_CASE(test_fallback_since_tag),
              SPS_CASE(test_partial_fallback_is_converting), SPS_CASE(test_windows_platform),
              SPS_CASE(test_arm64_candidates_only), SPS_CASE(test_ebs_optimized_carried),
              SPS_CASE(test_costs), SPS_CASE(test_costs_unknown))
