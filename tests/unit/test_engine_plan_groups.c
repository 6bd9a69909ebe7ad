/* The planner's group rules: which groups are skipped and why, which members are never touched,
 * the on-demand floor, the per-pass budget, invalid input, the names. */
#include "engine_snapshot_builder.h"
#include "sps_test.h"

#include <math.h>

/* A group "web" of `n` on-demand m5.large members i-00..i-(n-1) in us-east-1a. */
static void s_web(struct esb_world *w, int n)
{
    esb_group(w, "web", n, 300);
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof(id), "i-%02d", i);
        esb_od_member(w, "web", id, "m5.large", ESB_AZ_A);
    }
}

/* ---- skip rules ------------------------------------------------------------------------------ */

enum skip_case {
    SKIP_NONE,
    SKIP_POLICY_FAILS,
    SKIP_POLICY_FAILS_SILENT,
    SKIP_DISABLED,
    SKIP_DELETING,
    SKIP_LAUNCH_SUSPENDED,
    SKIP_TERMINATE_SUSPENDED,
    SKIP_ADD_TO_LB_SUSPENDED,
    SKIP_ADD_TO_LB_NO_LB, /* not a skip: documented */
    SKIP_NO_SOURCE,
    SKIP_WARM_POOL,
    SKIP_BAD_FRACTION,
    SKIP_BAD_PERCENTAGE,
    SKIP_NEGATIVE_NUMBER,
    SKIP_NEGATIVE_BUDGET,
};

static const struct {
    enum skip_case c;
    const char *reason; /* NULL: not skipped */
} s_skip_rows[] = {
    {SKIP_NONE, NULL},
    {SKIP_POLICY_FAILS, "bad tag spotswap:floor=abc"},
    {SKIP_POLICY_FAILS_SILENT, "invalid configuration"},
    {SKIP_DISABLED, "disabled by policy"},
    {SKIP_DELETING, "the group is being deleted"},
    {SKIP_LAUNCH_SUSPENDED, "the Launch process is suspended"},
    {SKIP_TERMINATE_SUSPENDED, "the Terminate process is suspended"},
    {SKIP_ADD_TO_LB_SUSPENDED,
     "the AddToLoadBalancer process is suspended and the group serves a load balancer"},
    {SKIP_ADD_TO_LB_NO_LB, NULL},
    {SKIP_NO_SOURCE, "its launch configuration or template could not be read"},
    {SKIP_WARM_POOL, "it has a warm pool: attaching instances would interfere with it"},
    {SKIP_BAD_FRACTION, "invalid policy: diversification_fraction outside (0, 1]"},
    {SKIP_BAD_PERCENTAGE, "invalid policy: min_on_demand_percentage outside 0-100"},
    {SKIP_NEGATIVE_NUMBER, "invalid policy: min_on_demand_number is negative"},
    {SKIP_NEGATIVE_BUDGET, "invalid policy: max_replacements_per_run is negative"},
};

static void s_apply_skip(struct esb_world *w, enum skip_case c)
{
    struct sps_aws_asg_group *g = esb_find_group(w, "web");
    switch (c) {
    case SKIP_NONE:
        break;
    case SKIP_POLICY_FAILS:
        w->policies.fail_group = "web";
        w->policies.fail_why = "bad tag spotswap:floor=abc";
        break;
    case SKIP_POLICY_FAILS_SILENT:
        w->policies.fail_group = "web";
        break;
    case SKIP_DISABLED:
        w->policies.base.enabled = false;
        break;
    case SKIP_DELETING:
        g->status = sps_strdup("Delete in progress");
        break;
    case SKIP_LAUNCH_SUSPENDED:
        esb_group_suspend(w, "web", "Launch");
        break;
    case SKIP_TERMINATE_SUSPENDED:
        esb_group_suspend(w, "web", "Terminate");
        break;
    case SKIP_ADD_TO_LB_SUSPENDED:
        esb_group_suspend(w, "web", "AddToLoadBalancer");
        sps_aws_strings_add(&g->target_group_arns, "arn:aws:elasticloadbalancing:tg/web");
        break;
    case SKIP_ADD_TO_LB_NO_LB: /* nothing to register with: the suspension does not matter */
        esb_group_suspend(w, "web", "AddToLoadBalancer");
        break;
    case SKIP_NO_SOURCE:
        esb_group_no_source(w, "web");
        break;
    case SKIP_WARM_POOL:
        g->has_warm_pool = true;
        break;
    case SKIP_BAD_FRACTION:
        w->policies.base.diversification_fraction = 1.5;
        break;
    case SKIP_BAD_PERCENTAGE:
        w->policies.base.min_on_demand_percentage = 101;
        break;
    case SKIP_NEGATIVE_NUMBER:
        w->policies.base.min_on_demand_number = -1;
        break;
    case SKIP_NEGATIVE_BUDGET:
        w->policies.base.max_replacements_per_run = -2;
        break;
    }
}

static void test_skip_rules(void)
{
    for (size_t r = 0; r < sizeof(s_skip_rows) / sizeof(s_skip_rows[0]); r++) {
        struct esb_world w;
        esb_world_init(&w);
        s_web(&w, 2);
        /* Work already started that a skipped group must not see either: an attach and a
         * retire would be planned for a handled group. */
        esb_spot_outside(&w, "i-s1", "web", "i-00", "m5a.large", ESB_AZ_A, 600, true);
        esb_instance(&w, "i-s2", "m5a.large", ESB_AZ_A, "spot", "running", ESB_NOW_MS - 900000);
        esb_tag(&w, "i-s2", "spotswap:launched-for-asg", "web");
        esb_tag(&w, "i-s2", "spotswap:replaces", "i-01");
        esb_member(&w, "web", "i-s2", SPS_AWS_ASG_STATE_IN_SERVICE, "Healthy", false);
        esb_group_tag(&w, "web", "spotswap:max-raised-from", "2");
        s_apply_skip(&w, s_skip_rows[r].c);
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        const struct sps_engine_group_plan *g = esb_group_plan(&p, "web");
        SPS_CHECK(g != NULL);
        if (s_skip_rows[r].reason) {
            SPS_CHECK_INT_EQ(g->state, SPS_ENGINE_GROUP_SKIPPED);
            SPS_CHECK_STR_EQ(g->reason, s_skip_rows[r].reason);
            SPS_CHECK_INT_EQ(p.action_count, 0);
            SPS_CHECK(esb_has_note(&p, "web", "i-s1", "the group is skipped"));
            /* The report still counts what is there. */
            SPS_CHECK_INT_EQ(g->in_service, 3);
            SPS_CHECK_INT_EQ(g->on_demand, 2);
            SPS_CHECK_INT_EQ(g->spot, 1);
        } else {
            SPS_CHECK(g->state != SPS_ENGINE_GROUP_SKIPPED);
            SPS_CHECK(esb_action(&p, SPS_ENGINE_ATTACH, "i-s1") != NULL);
            SPS_CHECK(esb_action(&p, SPS_ENGINE_RETIRE, "i-01") != NULL);
            SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_RESTORE_MAX), 0);
        }
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

/* ---- members never touched ------------------------------------------------------------------- */

static const struct {
    const char *id;
    enum sps_aws_asg_lifecycle_state state;
    bool protected_;
    const char *note;
} s_member_rows[] = {
    {"i-standby", SPS_AWS_ASG_STATE_STANDBY, false, "Standby: never touched"},
    {"i-entering", SPS_AWS_ASG_STATE_ENTERING_STANDBY, false, "Standby: never touched"},
    {"i-protected", SPS_AWS_ASG_STATE_IN_SERVICE, true, "protected from scale-in"},
    {"i-pending", SPS_AWS_ASG_STATE_PENDING, false, "Pending: not in service yet"},
    {"i-pendwait", SPS_AWS_ASG_STATE_PENDING_WAIT, false, "Pending: not in service yet"},
    {"i-pendproc", SPS_AWS_ASG_STATE_PENDING_PROCEED, false, "Pending: not in service yet"},
    {"i-term", SPS_AWS_ASG_STATE_TERMINATING, false, "Terminating: never touched"},
    {"i-termwait", SPS_AWS_ASG_STATE_TERMINATING_WAIT, false, "Terminating: never touched"},
    {"i-termproc", SPS_AWS_ASG_STATE_TERMINATING_PROCEED, false, "Terminating: never touched"},
    {"i-detaching", SPS_AWS_ASG_STATE_DETACHING, false, "Detaching: never touched"},
    {"i-warmed", SPS_AWS_ASG_STATE_WARMED, false, "not InService: never touched"},
    {"i-quarantined", SPS_AWS_ASG_STATE_QUARANTINED, false, "not InService: never touched"},
};

static void test_members_never_touched(void)
{
    for (size_t r = 0; r < sizeof(s_member_rows) / sizeof(s_member_rows[0]); r++) {
        struct esb_world w;
        esb_world_init(&w);
        w.policies.base.max_replacements_per_run = 10;
        esb_group(&w, "web", 2, 300);
        esb_instance(&w, s_member_rows[r].id, "m5.large", ESB_AZ_A, "", "running", 0);
        esb_member(&w, "web", s_member_rows[r].id, s_member_rows[r].state, "Healthy",
                   s_member_rows[r].protected_);
        esb_od_member(&w, "web", "i-normal", "m5.large", ESB_AZ_A);
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        SPS_CHECK(esb_has_note(&p, "web", s_member_rows[r].id, s_member_rows[r].note));
        SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, s_member_rows[r].id) == NULL);
        /* The ordinary on-demand member next to it is replaced: the row is not a group skip. */
        SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, "i-normal") != NULL);
        SPS_CHECK_INT_EQ(p.action_count, 1);
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

static void test_member_without_ec2_record(void)
{
    struct esb_world w;
    esb_world_init(&w);
    esb_group(&w, "web", 1, 300);
    esb_member(&w, "web", "i-ghost", SPS_AWS_ASG_STATE_IN_SERVICE, "Healthy", false);
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK(esb_has_note(&p, "web", "i-ghost", "not described by EC2"));
    SPS_CHECK_INT_EQ(p.action_count, 0);
    SPS_CHECK(isnan(esb_group_plan(&p, "web")->cost_now_usd_per_hour));
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* Spot and scheduled members are never replaced; protected on-demand ones count toward the
 * floor. */
static void test_spot_members_not_replaced(void)
{
    struct esb_world w;
    esb_world_init(&w);
    esb_group(&w, "web", 3, 300);
    esb_spot_member(&w, "web", "i-spot", "m5a.large", ESB_AZ_A);
    esb_instance(&w, "i-sched", "m5.large", ESB_AZ_A, "scheduled", "running", 0);
    esb_member(&w, "web", "i-sched", SPS_AWS_ASG_STATE_IN_SERVICE, "Healthy", false);
    esb_od_member(&w, "web", "i-od", "m5.large", ESB_AZ_A);
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK_INT_EQ(p.action_count, 1);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, "i-od") != NULL);
    const struct sps_engine_group_plan *g = esb_group_plan(&p, "web");
    SPS_CHECK_INT_EQ(g->in_service, 3);
    SPS_CHECK_INT_EQ(g->on_demand, 1);
    SPS_CHECK_INT_EQ(g->spot, 1);
    SPS_CHECK(isnan(g->cost_now_usd_per_hour)); /* a scheduled instance has no known price */
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* ---- the on-demand floor --------------------------------------------------------------------- */

static const struct {
    int members;
    int64_t number;
    int64_t percentage;
    int protected_; /* how many of the members are protected from scale-in */
    size_t floor;
    size_t launches;
} s_floor_rows[] = {
    {4, 0, 0, 0, 0, 4},  {4, 1, 0, 0, 1, 3},   {4, 4, 0, 0, 4, 0},
    {4, 9, 0, 0, 9, 0},  {4, 0, 50, 0, 2, 2},  {4, 0, 30, 0, 2, 2}, /* ceil(1.2) */
    {4, 0, 25, 0, 1, 3}, {4, 0, 100, 0, 4, 0}, {4, 1, 50, 0, 2, 2}, /* max(1, 2) */
    {4, 3, 50, 0, 3, 1}, {10, 2, 25, 0, 3, 7}, {4, 2, 0, 1, 2, 2},
    {4, 2, 0, 2, 2, 2},  {4, 0, 0, 4, 0, 0},   {4, 3, 0, 2, 3, 1},
};

static void test_floor(void)
{
    for (size_t r = 0; r < sizeof(s_floor_rows) / sizeof(s_floor_rows[0]); r++) {
        struct esb_world w;
        esb_world_init(&w);
        w.policies.base.max_replacements_per_run = 100;
        w.policies.base.min_on_demand_number = s_floor_rows[r].number;
        w.policies.base.min_on_demand_percentage = s_floor_rows[r].percentage;
        w.policies.base.diversification_fraction = 1.0;
        s_web(&w, s_floor_rows[r].members);
        for (int i = 0; i < s_floor_rows[r].protected_; i++) {
            char id[32];
            snprintf(id, sizeof(id), "i-%02d", i);
            esb_find_member(&w, "web", id)->protected_from_scale_in = true;
        }
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        const struct sps_engine_group_plan *g = esb_group_plan(&p, "web");
        SPS_CHECK_INT_EQ(g->on_demand_floor, s_floor_rows[r].floor);
        SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_LAUNCH), s_floor_rows[r].launches);
        SPS_CHECK_INT_EQ(g->state, s_floor_rows[r].launches ? SPS_ENGINE_GROUP_CONVERTING
                                                            : SPS_ENGINE_GROUP_CONVERTED);
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

/* The floor counts replacements in flight: X with a spot instance on its way is not counted as
 * staying on-demand, and is not replaced twice. */
static void test_floor_counts_in_flight(void)
{
    struct esb_world w;
    esb_world_init(&w);
    w.policies.base.max_replacements_per_run = 100;
    w.policies.base.min_on_demand_number = 2;
    s_web(&w, 4);
    esb_spot_outside(&w, "i-s0", "web", "i-00", "m5a.large", ESB_AZ_A, 10, false);
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_LAUNCH), 1);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, "i-00") == NULL);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, "i-01") != NULL);
    SPS_CHECK(esb_has_note(&p, "web", "i-02", "kept on-demand: the on-demand floor is 2"));
    SPS_CHECK(esb_has_note(&p, "web", "i-03", "kept on-demand"));
    SPS_CHECK(esb_has_note(&p, "web", "i-s0", "waiting: running 10 s of the 300 s grace"));
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* Each group is planned with its own policy. */
static void test_policy_per_group(void)
{
    struct esb_world w;
    esb_world_init(&w);
    w.policies.base.max_replacements_per_run = 10;
    w.policies.override_group = "db";
    w.policies.override = w.policies.base;
    w.policies.override.min_on_demand_number = 2;
    esb_group(&w, "web", 2, 300);
    esb_od_member(&w, "web", "i-w1", "m5.large", ESB_AZ_A);
    esb_od_member(&w, "web", "i-w2", "m5.large", ESB_AZ_A);
    esb_group(&w, "db", 2, 300);
    esb_od_member(&w, "db", "i-d1", "m5.large", ESB_AZ_A);
    esb_od_member(&w, "db", "i-d2", "m5.large", ESB_AZ_A);
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK_INT_EQ(p.group_count, 2);
    SPS_CHECK_STR_EQ(p.groups[0].name, "db"); /* name order */
    SPS_CHECK_INT_EQ(p.groups[0].on_demand_floor, 2);
    SPS_CHECK_INT_EQ(p.groups[0].state, SPS_ENGINE_GROUP_CONVERTED);
    SPS_CHECK_INT_EQ(p.groups[1].on_demand_floor, 0);
    SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_LAUNCH), 2);
    SPS_CHECK_STR_EQ(p.actions[0].group, "web");
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* ---- the budget --------------------------------------------------------------------------------
 */

static const struct {
    int members;
    int64_t budget;
    size_t launches;
} s_budget_rows[] = {
    {10, 1, 1}, {10, 3, 3}, {10, 10, 10}, {10, 50, 10}, {10, 0, 5}, /* ceil(10 / 2) */
    {1, 0, 1},  {2, 0, 1},  {3, 0, 2},    {100, 0, 50}, {250, 0, 125}, {251, 0, 126},
};

static void test_budget(void)
{
    for (size_t r = 0; r < sizeof(s_budget_rows) / sizeof(s_budget_rows[0]); r++) {
        struct esb_world w;
        esb_world_init(&w);
        w.policies.base.max_replacements_per_run = s_budget_rows[r].budget;
        w.policies.base.diversification_fraction = 1.0;
        esb_group(&w, "web", s_budget_rows[r].members, 300);
        for (int i = 0; i < s_budget_rows[r].members; i++) {
            char id[32];
            snprintf(id, sizeof(id), "i-%03d", i);
            esb_od_member(&w, "web", id, "m5.large", ESB_AZ_A);
        }
        /* Finishing work is never budgeted: an attach and a retire ride along. */
        esb_spot_outside(&w, "i-sa", "web", "i-000", "m5a.large", ESB_AZ_A, 900, true);
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        size_t expected = s_budget_rows[r].launches;
        if (expected > (size_t)s_budget_rows[r].members - 1)
            expected = (size_t)s_budget_rows[r].members - 1; /* i-000 is already replaced */
        SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_LAUNCH), expected);
        SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_ATTACH), 1);
        if (expected < (size_t)s_budget_rows[r].members - 1) {
            char id[32];
            snprintf(id, sizeof(id), "i-%03d", s_budget_rows[r].members - 1);
            SPS_CHECK(esb_has_note(&p, "web", id, "budget"));
        }
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

/* ---- invalid input, names -------------------------------------------------------------------- */

static void test_invalid_input(void)
{
    struct esb_world w;
    esb_world_init(&w);
    s_web(&w, 1);
    struct sps_engine_plan p;
    SPS_CHECK_ERR(sps_engine_plan_build(NULL, &w.inputs, &p), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_plan_build(&w.snap, NULL, &p), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_plan_build(&w.snap, &w.inputs, NULL), SPS_ERR_INVALID_ARGUMENT);
    struct sps_engine_plan_inputs in = w.inputs;
    in.catalog = NULL;
    SPS_CHECK_ERR(sps_engine_plan_build(&w.snap, &in, &p), SPS_ERR_INVALID_ARGUMENT);
    in = w.inputs;
    in.prices = NULL;
    SPS_CHECK_ERR(sps_engine_plan_build(&w.snap, &in, &p), SPS_ERR_INVALID_ARGUMENT);
    in = w.inputs;
    in.policy = NULL;
    SPS_CHECK_ERR(sps_engine_plan_build(&w.snap, &in, &p), SPS_ERR_INVALID_ARGUMENT);
    struct sps_engine_prices prices = w.prices;
    prices.on_demand = NULL;
    in = w.inputs;
    in.prices = &prices;
    SPS_CHECK_ERR(sps_engine_plan_build(&w.snap, &in, &p), SPS_ERR_INVALID_ARGUMENT);
    prices = w.prices;
    prices.spot = NULL;
    SPS_CHECK_ERR(sps_engine_plan_build(&w.snap, &in, &p), SPS_ERR_INVALID_ARGUMENT);
    char *region = w.snap.region;
    w.snap.region = NULL;
    SPS_CHECK_ERR(sps_engine_plan_build(&w.snap, &w.inputs, &p), SPS_ERR_INVALID_ARGUMENT);
    w.snap.region = region;
    struct sps_engine_group_source *sources = w.snap.sources;
    w.snap.sources = NULL;
    SPS_CHECK_ERR(sps_engine_plan_build(&w.snap, &w.inputs, &p), SPS_ERR_INVALID_ARGUMENT);
    w.snap.sources = sources;
    struct sps_engine_group_hooks *hooks = w.snap.hooks;
    w.snap.hooks = NULL;
    SPS_CHECK_ERR(sps_engine_plan_build(&w.snap, &w.inputs, &p), SPS_ERR_INVALID_ARGUMENT);
    w.snap.hooks = hooks;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK_STR_EQ(p.region, ESB_REGION);
    SPS_CHECK_STR_EQ(p.account_id, "");
    sps_engine_plan_clean_up(&p);
    sps_engine_plan_clean_up(&p); /* twice is fine */
    sps_engine_plan_clean_up(NULL);
    esb_world_free(&w);
}

static void test_empty_snapshot(void)
{
    struct esb_world w;
    esb_world_init(&w);
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK_INT_EQ(p.action_count, 0);
    SPS_CHECK_INT_EQ(p.group_count, 0);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* Entries the scan should never produce (a group without a name, an instance without an id,
 * missing strings) are ignored, not a crash. */
static void test_malformed_entries_ignored(void)
{
    struct esb_world w;
    esb_world_init(&w);
    esb_group(&w, "web", 2, 300);
    esb_od_member(&w, "web", "i-1", "m5.large", ESB_AZ_A);
    esb_group(&w, "broken", 1, 300);
    esb_od_member(&w, "broken", "i-b", "m5.large", ESB_AZ_A);
    esb_spot_outside(&w, "i-odd", "web", "i-1", "m5.large", ESB_AZ_A, 10, false);
    struct sps_aws_ec2_instance *odd = esb_find_instance(&w, "i-odd");
    sps_free(odd->state_name);
    odd->state_name = NULL;
    sps_free(odd->lifecycle);
    odd->lifecycle = NULL;
    esb_instance(&w, "i-noid", "m5.large", ESB_AZ_A, "", "running", 0);
    struct sps_aws_ec2_instance *noid = esb_find_instance(&w, "i-noid");
    sps_free(noid->instance_id);
    noid->instance_id = NULL;
    struct sps_aws_asg_group *broken = esb_find_group(&w, "broken");
    sps_free(broken->name);
    broken->name = NULL;
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK_INT_EQ(p.group_count, 1);
    SPS_CHECK(esb_has_note(&p, "web", "i-odd", "waiting: state , not running"));
    SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, "i-1") == NULL); /* i-odd replaces it */
    SPS_CHECK_INT_EQ(p.action_count, 0);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

static void test_names(void)
{
    SPS_CHECK_STR_EQ(sps_engine_action_kind_name(SPS_ENGINE_LAUNCH), "launch");
    SPS_CHECK_STR_EQ(sps_engine_action_kind_name(SPS_ENGINE_ATTACH), "attach");
    SPS_CHECK_STR_EQ(sps_engine_action_kind_name(SPS_ENGINE_RETIRE), "retire");
    SPS_CHECK_STR_EQ(sps_engine_action_kind_name(SPS_ENGINE_TERMINATE), "terminate");
    SPS_CHECK_STR_EQ(sps_engine_action_kind_name(SPS_ENGINE_RESTORE_MAX), "restore-max");
    SPS_CHECK_STR_EQ(sps_engine_action_kind_name((enum sps_engine_action_kind)99), "unknown");
    SPS_CHECK_STR_EQ(sps_engine_group_state_name(SPS_ENGINE_GROUP_CONVERTED), "converted");
    SPS_CHECK_STR_EQ(sps_engine_group_state_name(SPS_ENGINE_GROUP_CONVERTING), "converting");
    SPS_CHECK_STR_EQ(sps_engine_group_state_name(SPS_ENGINE_GROUP_FALLBACK), "fallback");
    SPS_CHECK_STR_EQ(sps_engine_group_state_name(SPS_ENGINE_GROUP_SKIPPED), "skipped");
    SPS_CHECK_STR_EQ(sps_engine_group_state_name((enum sps_engine_group_state)99), "unknown");
}

/* Report-only is the executor's concern: the planner plans the same. */
static void test_report_only_plans_the_same(void)
{
    char *text[2];
    for (int ro = 0; ro < 2; ro++) {
        struct esb_world w;
        esb_world_init(&w);
        w.policies.base.report_only = ro;
        s_web(&w, 4);
        esb_spot_outside(&w, "i-s9", "web", "i-03", "m5a.large", ESB_AZ_A, 900, true);
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        SPS_CHECK(p.action_count > 1);
        text[ro] = esb_plan_text(&p);
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
    SPS_CHECK_STR_EQ(text[0], text[1]);
    sps_free(text[0]);
    sps_free(text[1]);
}

SPS_TEST_MAIN(SPS_CASE(test_skip_rules), SPS_CASE(test_members_never_touched),
              SPS_CASE(test_member_without_ec2_record), SPS_CASE(test_spot_members_not_replaced),
              SPS_CASE(test_floor), SPS_CASE(test_floor_counts_in_flight),
              SPS_CASE(test_policy_per_group), SPS_CASE(test_budget), SPS_CASE(test_invalid_input),
              SPS_CASE(test_empty_snapshot), SPS_CASE(test_malformed_entries_ignored),
              SPS_CASE(test_names), SPS_CASE(test_report_only_plans_the_same))
