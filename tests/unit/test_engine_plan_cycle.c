/* The planner across the replacement cycle: every state of docs/how-it-works.md's table yields
 * its single action, attach readiness, orphans, stuck and stopped launches, retire, restore,
 * the TERMINATE invariants, determinism under shuffled input, and a 250-instance group
 * converted pass by pass. */
#include "engine_snapshot_builder.h"
#include "plan_internal.h"
#include "sps_test.h"

#include <stdlib.h>

#define TAG_FOR "spotswap:launched-for-asg"
#define TAG_REPLACES "spotswap:replaces"
#define TAG_BY "spotswap:replaced-by"

/* The planner's TERMINATE invariant on the instance `id` of the snapshot. */
static bool s_may_terminate(const struct sps_engine_snapshot *snap, const char *id)
{
    struct sps_engine_plan_index idx;
    sps_engine_plan_index_build(&idx, snap);
    bool ok = sps_engine_plan_may_terminate(&idx, sps_engine_plan_find_instance(&idx, id));
    sps_engine_plan_index_clean_up(&idx);
    return ok;
}

/* ---- one row per state of the how-it-works table ------------------------------------------- */

enum crash_state {
    CS_CANDIDATE,
    CS_READY,
    CS_IN_FLIGHT,
    CS_ORPHAN_SHORT,
    CS_ORPHAN_X_GONE,
    CS_ORPHAN_X_NOT_IN_SERVICE,
    CS_ORPHAN_X_PROTECTED,
    CS_ORPHAN_GROUP_GONE,
    CS_STUCK,
    CS_STOPPED,
    CS_ATTACHED_NOT_RETIRED,
    CS_ATTACHED_NOT_RETIRED_HOOKS,
    CS_DETACHED_NOT_TERMINATED,
    CS_DETACHED_STOPPED,
    CS_RAISE_LEFT_OVER,
    CS_UNSELECTED,
    CS_CONVERTED,
};

static const struct {
    enum crash_state s;
    int kind; /* -1: no action */
    const char *target;
    enum sps_engine_group_state state;
} s_crash_rows[] = {
    {CS_CANDIDATE, SPS_ENGINE_LAUNCH, "i-x", SPS_ENGINE_GROUP_CONVERTING},
    {CS_READY, SPS_ENGINE_ATTACH, "i-s", SPS_ENGINE_GROUP_CONVERTING},
    {CS_IN_FLIGHT, -1, NULL, SPS_ENGINE_GROUP_CONVERTING},
    {CS_ORPHAN_SHORT, SPS_ENGINE_ATTACH, "i-s", SPS_ENGINE_GROUP_CONVERTING},
    {CS_ORPHAN_X_GONE, SPS_ENGINE_TERMINATE, "i-s", SPS_ENGINE_GROUP_CONVERTING},
    {CS_ORPHAN_X_NOT_IN_SERVICE, SPS_ENGINE_TERMINATE, "i-s", SPS_ENGINE_GROUP_CONVERTING},
    {CS_ORPHAN_X_PROTECTED, SPS_ENGINE_TERMINATE, "i-s", SPS_ENGINE_GROUP_CONVERTING},
    {CS_ORPHAN_GROUP_GONE, SPS_ENGINE_TERMINATE, "i-s", SPS_ENGINE_GROUP_CONVERTED},
    {CS_STUCK, SPS_ENGINE_TERMINATE, "i-s", SPS_ENGINE_GROUP_CONVERTING},
    {CS_STOPPED, SPS_ENGINE_TERMINATE, "i-s", SPS_ENGINE_GROUP_CONVERTING},
    {CS_ATTACHED_NOT_RETIRED, SPS_ENGINE_RETIRE, "i-x", SPS_ENGINE_GROUP_CONVERTING},
    {CS_ATTACHED_NOT_RETIRED_HOOKS, SPS_ENGINE_RETIRE, "i-x", SPS_ENGINE_GROUP_CONVERTING},
    {CS_DETACHED_NOT_TERMINATED, SPS_ENGINE_TERMINATE, "i-x", SPS_ENGINE_GROUP_CONVERTING},
    {CS_DETACHED_STOPPED, SPS_ENGINE_TERMINATE, "i-x", SPS_ENGINE_GROUP_CONVERTING},
    {CS_RAISE_LEFT_OVER, SPS_ENGINE_RESTORE_MAX, NULL, SPS_ENGINE_GROUP_CONVERTING},
    {CS_UNSELECTED, -1, NULL, SPS_ENGINE_GROUP_CONVERTED},
    {CS_CONVERTED, -1, NULL, SPS_ENGINE_GROUP_CONVERTED},
};

/* Group "web" (desired 2, grace 300 s) with the spot member i-k, plus the state's pieces. */
static void s_setup_crash(struct esb_world *w, enum crash_state s)
{
    esb_group(w, "web", 2, 300);
    esb_spot_member(w, "web", "i-k", "m5a.large", ESB_AZ_A);
    switch (s) {
    case CS_CANDIDATE:
        esb_od_member(w, "web", "i-x", "m5.large", ESB_AZ_A);
        break;
    case CS_READY:
        esb_od_member(w, "web", "i-x", "m5.large", ESB_AZ_A);
        esb_spot_outside(w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, 301, true);
        break;
    case CS_IN_FLIGHT:
        esb_od_member(w, "web", "i-x", "m5.large", ESB_AZ_A);
        esb_spot_outside(w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, 299, true);
        break;
    case CS_ORPHAN_SHORT:
        esb_spot_outside(w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, 400, true);
        break;
    case CS_ORPHAN_X_GONE:
        esb_spot_member(w, "web", "i-k2", "m5n.large", ESB_AZ_A);
        esb_spot_outside(w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, 400, true);
        break;
    case CS_ORPHAN_X_NOT_IN_SERVICE:
        esb_spot_member(w, "web", "i-k2", "m5n.large", ESB_AZ_A);
        esb_instance(w, "i-x", "m5.large", ESB_AZ_A, "", "running", 0);
        esb_member(w, "web", "i-x", SPS_AWS_ASG_STATE_STANDBY, "Healthy", false);
        esb_spot_outside(w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, 400, true);
        break;
    case CS_ORPHAN_X_PROTECTED:
        esb_od_member(w, "web", "i-x", "m5.large", ESB_AZ_A);
        esb_find_member(w, "web", "i-x")->protected_from_scale_in = true;
        esb_spot_outside(w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, 400, true);
        break;
    case CS_ORPHAN_GROUP_GONE:
        esb_spot_member(w, "web", "i-k2", "m5n.large", ESB_AZ_A);
        esb_spot_outside(w, "i-s", "old", "i-x", "m5.large", ESB_AZ_A, 400, true);
        break;
    case CS_STUCK:
        esb_od_member(w, "web", "i-x", "m5.large", ESB_AZ_A);
        /* 3 x max(300, 300) s = 900 s: older is stuck, though its checks still fail */
        esb_spot_outside(w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, 901, false);
        esb_status(w, "i-s", "impaired", "ok");
        break;
    case CS_STOPPED:
        esb_od_member(w, "web", "i-x", "m5.large", ESB_AZ_A);
        esb_spot_outside(w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, 400, true);
        sps_free(esb_find_instance(w, "i-s")->state_name);
        esb_find_instance(w, "i-s")->state_name = sps_strdup("stopped");
        break;
    case CS_ATTACHED_NOT_RETIRED_HOOKS:
        esb_hook(w, "web", SPS_AWS_ASG_TRANSITION_TERMINATING);
        /* fall through */
    case CS_ATTACHED_NOT_RETIRED:
        esb_hook(w, "web", SPS_AWS_ASG_TRANSITION_LAUNCHING);
        esb_od_member(w, "web", "i-x", "m5.large", ESB_AZ_A);
        esb_spot_member(w, "web", "i-s", "m5.large", ESB_AZ_A);
        esb_tag(w, "i-s", TAG_FOR, "web");
        esb_tag(w, "i-s", TAG_REPLACES, "i-x");
        break;
    case CS_DETACHED_STOPPED:
    case CS_DETACHED_NOT_TERMINATED:
        esb_spot_member(w, "web", "i-s", "m5.large", ESB_AZ_A);
        esb_tag(w, "i-s", TAG_FOR, "web");
        esb_tag(w, "i-s", TAG_REPLACES, "i-x");
        esb_instance(w, "i-x", "m5.large", ESB_AZ_A, "",
                     s == CS_DETACHED_STOPPED ? "stopped" : "running", 0);
        esb_tag(w, "i-x", TAG_BY, "i-s");
        break;
    case CS_RAISE_LEFT_OVER:
        esb_spot_member(w, "web", "i-k2", "m5n.large", ESB_AZ_A);
        esb_group_tag(w, "web", "spotswap:max-raised-from", "2");
        break;
    case CS_UNSELECTED:
        esb_spot_member(w, "web", "i-k2", "m5n.large", ESB_AZ_A);
        esb_unselected_group(w, "other");
        esb_instance(w, "i-o", "m5.large", ESB_AZ_A, "", "running", 0);
        esb_spot_outside(w, "i-s", "other", "i-o", "m5.large", ESB_AZ_A, 100000, false);
        break;
    case CS_CONVERTED:
        esb_spot_member(w, "web", "i-k2", "m5n.large", ESB_AZ_A);
        break;
    }
}

static void test_every_state_one_action(void)
{
    for (size_t r = 0; r < sizeof(s_crash_rows) / sizeof(s_crash_rows[0]); r++) {
        struct esb_world w;
        esb_world_init(&w);
        s_setup_crash(&w, s_crash_rows[r].s);
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        if (s_crash_rows[r].kind < 0) {
            SPS_CHECK_INT_EQ(p.action_count, 0);
        } else {
            SPS_CHECK_INT_EQ(p.action_count, 1);
            const struct sps_engine_action *a = &p.actions[0];
            SPS_CHECK_INT_EQ(a->kind, s_crash_rows[r].kind);
            const char *target =
                a->kind == SPS_ENGINE_ATTACH ? a->spot_instance_id : a->instance_id;
            if (s_crash_rows[r].target)
                SPS_CHECK_STR_EQ(target, s_crash_rows[r].target);
            if (a->kind == SPS_ENGINE_RETIRE) {
                SPS_CHECK_STR_EQ(a->spot_instance_id, "i-s");
                SPS_CHECK(a->has_termination_hooks ==
                          (s_crash_rows[r].s == CS_ATTACHED_NOT_RETIRED_HOOKS));
            }
            if (a->kind == SPS_ENGINE_TERMINATE)
                SPS_CHECK(s_may_terminate(&w.snap, target));
        }
        SPS_CHECK_INT_EQ(esb_group_plan(&p, "web")->state, s_crash_rows[r].state);
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

/* ---- attach readiness --------------------------------------------------------------------------
 */

enum ready_case {
    RC_READY,
    RC_GRACE_NOT_OVER,
    RC_NO_STATUS,
    RC_INSTANCE_IMPAIRED,
    RC_SYSTEM_INITIALIZING,
    RC_PENDING,
    RC_ZERO_GRACE,
};

static const struct {
    enum ready_case c;
    bool attach;
    const char *note;
} s_ready_rows[] = {
    {RC_READY, true, NULL},
    {RC_GRACE_NOT_OVER, false, "waiting: running 120 s of the 300 s grace period"},
    {RC_NO_STATUS, false, "waiting: no status checks yet"},
    {RC_INSTANCE_IMPAIRED, false, "waiting: status checks instance impaired, system ok"},
    {RC_SYSTEM_INITIALIZING, false, "waiting: status checks instance ok, system initializing"},
    {RC_PENDING, false, "waiting: state pending, not running"},
    {RC_ZERO_GRACE, true, NULL},
};

static void test_attach_readiness(void)
{
    for (size_t r = 0; r < sizeof(s_ready_rows) / sizeof(s_ready_rows[0]); r++) {
        enum ready_case c = s_ready_rows[r].c;
        struct esb_world w;
        esb_world_init(&w);
        esb_group(&w, "web", 1, c == RC_ZERO_GRACE ? 0 : 300);
        esb_od_member(&w, "web", "i-x", "m5.large", ESB_AZ_A);
        int64_t age = c == RC_GRACE_NOT_OVER ? 120 : c == RC_ZERO_GRACE ? 5 : 600;
        bool healthy =
            c == RC_READY || c == RC_GRACE_NOT_OVER || c == RC_PENDING || c == RC_ZERO_GRACE;
        esb_spot_outside(&w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, age, healthy);
        if (c == RC_INSTANCE_IMPAIRED)
            esb_status(&w, "i-s", "impaired", "ok");
        if (c == RC_SYSTEM_INITIALIZING)
            esb_status(&w, "i-s", "ok", "initializing");
        if (c == RC_PENDING) {
            sps_free(esb_find_instance(&w, "i-s")->state_name);
            esb_find_instance(&w, "i-s")->state_name = sps_strdup("pending");
        }
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        const struct sps_engine_action *a = esb_action(&p, SPS_ENGINE_ATTACH, "i-s");
        if (s_ready_rows[r].attach) {
            SPS_CHECK(a != NULL);
            SPS_CHECK_STR_EQ(a->instance_id, "i-x");
            SPS_CHECK_STR_EQ(a->group, "web");
        } else {
            SPS_CHECK(a == NULL);
            SPS_CHECK(esb_has_note(&p, "web", "i-s", s_ready_rows[r].note));
        }
        /* Never a second launch for X while S is on its way, never a terminate. */
        SPS_CHECK_INT_EQ(p.action_count, s_ready_rows[r].attach ? 1 : 0);
        SPS_CHECK_INT_EQ(esb_group_plan(&p, "web")->state, SPS_ENGINE_GROUP_CONVERTING);
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

/* ---- orphans ------------------------------------------------------------------------------------
 */

/* Three orphans for a group two short: the two ready ones attach, the third is terminated. */
static void test_orphans_cover_only_the_shortfall(void)
{
    struct esb_world w;
    esb_world_init(&w);
    esb_group(&w, "web", 3, 300);
    esb_spot_member(&w, "web", "i-k", "m5a.large", ESB_AZ_A);
    esb_spot_outside(&w, "i-o1", "web", "i-gone1", "m5.large", ESB_AZ_A, 400, true);
    esb_spot_outside(&w, "i-o2", "web", "i-gone2", "m5.large", ESB_AZ_A, 400, true);
    esb_spot_outside(&w, "i-o3", "web", NULL, "m5.large", ESB_AZ_A, 400, true);
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK(esb_action(&p, SPS_ENGINE_ATTACH, "i-o1") != NULL);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_ATTACH, "i-o2") != NULL);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_TERMINATE, "i-o3") != NULL);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_ATTACH, "i-o1")->instance_id == NULL);
    SPS_CHECK_INT_EQ(p.action_count, 3);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* An orphan for a short group that is not ready waits, until it is stuck. */
static void test_orphan_not_ready(void)
{
    for (int stuck = 0; stuck < 2; stuck++) {
        struct esb_world w;
        esb_world_init(&w);
        esb_group(&w, "web", 2, 300);
        esb_spot_member(&w, "web", "i-k", "m5a.large", ESB_AZ_A);
        esb_spot_outside(&w, "i-o", "web", "i-gone", "m5.large", ESB_AZ_A, stuck ? 901 : 100,
                         false);
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        if (stuck) {
            SPS_CHECK(esb_action(&p, SPS_ENGINE_TERMINATE, "i-o") != NULL);
            SPS_CHECK(strstr(p.actions[0].reason, "stuck") != NULL);
        } else {
            SPS_CHECK_INT_EQ(p.action_count, 0);
            SPS_CHECK(esb_has_note(&p, "web", "i-o", "orphan waiting"));
        }
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

/* The stuck deadline: orphan_grace_periods x max(grace, 300 s), by row. */
static void test_stuck_deadline(void)
{
    static const struct {
        int64_t grace;
        int64_t periods;
        int64_t age;
        bool terminate;
    } rows[] = {
        {60, 3, 899, false},   {60, 3, 901, true},    {600, 3, 1799, false},
        {600, 3, 1801, true},  {600, 1, 601, true},   {600, 0, 1801, true}, /* 0: default 3 */
        {600, 0, 1799, false}, {300, 5, 1499, false}, {300, 5, 1501, true},
    };
    for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
        struct esb_world w;
        esb_world_init(&w);
        w.policies.base.orphan_grace_periods = rows[r].periods;
        esb_group(&w, "web", 1, rows[r].grace);
        esb_od_member(&w, "web", "i-x", "m5.large", ESB_AZ_A);
        esb_spot_outside(&w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, rows[r].age, false);
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        SPS_CHECK((esb_action(&p, SPS_ENGINE_TERMINATE, "i-s") != NULL) == rows[r].terminate);
        SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, "i-x") == NULL);
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

/* A group whose policy failed still has its stuck launches cleaned up, with the default grace. */
static void test_stuck_in_skipped_group(void)
{
    struct esb_world w;
    esb_world_init(&w);
    w.policies.fail_group = "web";
    esb_group(&w, "web", 1, 300);
    esb_od_member(&w, "web", "i-x", "m5.large", ESB_AZ_A);
    esb_spot_outside(&w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, 901, true);
    esb_spot_outside(&w, "i-o", "web", "i-gone", "m5.large", ESB_AZ_A, 10, true);
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK(esb_action(&p, SPS_ENGINE_TERMINATE, "i-s") != NULL);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_TERMINATE, "i-o") != NULL); /* short, but skipped */
    SPS_CHECK_INT_EQ(p.action_count, 2);
    SPS_CHECK_INT_EQ(esb_group_plan(&p, "web")->state, SPS_ENGINE_GROUP_SKIPPED);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* Two spot instances for the same X: the lower id attaches, the other is surplus; and a spot
 * instance for an X that already has an attached replacement is surplus too. */
static void test_duplicate_replacements(void)
{
    struct esb_world w;
    esb_world_init(&w);
    esb_group(&w, "web", 2, 300);
    esb_od_member(&w, "web", "i-x", "m5.large", ESB_AZ_A);
    esb_od_member(&w, "web", "i-y", "m5.large", ESB_AZ_A);
    esb_spot_outside(&w, "i-s1", "web", "i-x", "m5.large", ESB_AZ_A, 400, true);
    esb_spot_outside(&w, "i-s2", "web", "i-x", "m5.large", ESB_AZ_A, 400, true);
    esb_instance(&w, "i-sy", "m5.large", ESB_AZ_A, "spot", "running", 0);
    esb_tag(&w, "i-sy", TAG_FOR, "web");
    esb_tag(&w, "i-sy", TAG_REPLACES, "i-y");
    esb_member(&w, "web", "i-sy", SPS_AWS_ASG_STATE_PENDING, "Healthy", false);
    esb_spot_outside(&w, "i-sy2", "web", "i-y", "m5.large", ESB_AZ_A, 400, true);
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK(esb_action(&p, SPS_ENGINE_ATTACH, "i-s1") != NULL);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_TERMINATE, "i-s2") != NULL);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_TERMINATE, "i-sy2") != NULL);
    SPS_CHECK(esb_has_note(&p, "web", "i-sy", "waiting: attached, Pending and Healthy"));
    SPS_CHECK_INT_EQ(p.action_count, 3);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* ---- retire -------------------------------------------------------------------------------------
 */

static void test_retire_waits(void)
{
    static const struct {
        enum sps_aws_asg_lifecycle_state s_state;
        const char *s_health;
        bool x_protected;
        const char *note_id;
        const char *note;
    } rows[] = {
        {SPS_AWS_ASG_STATE_PENDING, "Healthy", false, "i-s", "waiting: attached, Pending"},
        {SPS_AWS_ASG_STATE_IN_SERVICE, "Unhealthy", false, "i-s", "InService and Unhealthy"},
        {SPS_AWS_ASG_STATE_IN_SERVICE, "Healthy", true, "i-x",
         "protected from scale-in: not "
         "retired"},
    };
    for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
        struct esb_world w;
        esb_world_init(&w);
        esb_group(&w, "web", 2, 300);
        esb_group_tag(&w, "web", "spotswap:max-raised-from", "2");
        esb_od_member(&w, "web", "i-x", "m5.large", ESB_AZ_A);
        esb_find_member(&w, "web", "i-x")->protected_from_scale_in = rows[r].x_protected;
        esb_instance(&w, "i-s", "m5.large", ESB_AZ_A, "spot", "running", 0);
        esb_tag(&w, "i-s", TAG_FOR, "web");
        esb_tag(&w, "i-s", TAG_REPLACES, "i-x");
        esb_member(&w, "web", "i-s", rows[r].s_state, rows[r].s_health, false);
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        SPS_CHECK_INT_EQ(p.action_count, 0); /* no retire, no launch, no restore */
        SPS_CHECK(esb_has_note(&p, "web", rows[r].note_id, rows[r].note));
        SPS_CHECK(esb_has_note(&p, "web", "", "max stays raised: 1 swaps still need it"));
        SPS_CHECK_INT_EQ(esb_group_plan(&p, "web")->state, SPS_ENGINE_GROUP_CONVERTING);
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

/* X tagged replaced-by whose replacement still exists is not replaced again. */
static void test_selected_x_not_relaunched(void)
{
    struct esb_world w;
    esb_world_init(&w);
    esb_group(&w, "web", 2, 300);
    esb_od_member(&w, "web", "i-x", "m5.large", ESB_AZ_A);
    esb_tag(&w, "i-x", TAG_BY, "i-s");
    esb_spot_member(&w, "web", "i-s", "m5.large", ESB_AZ_A); /* untagged: not a swap */
    esb_od_member(&w, "web", "i-y", "m5.large", ESB_AZ_A);
    esb_tag(&w, "i-y", TAG_BY, "i-vanished"); /* stale: i-y is a candidate again */
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, "i-x") == NULL);
    SPS_CHECK(esb_action(&p, SPS_ENGINE_LAUNCH, "i-y") != NULL);
    SPS_CHECK_INT_EQ(p.action_count, 1);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* ---- restore ------------------------------------------------------------------------------------
 */

static void test_restore_rules(void)
{
    static const struct {
        const char *raised;
        int64_t desired;
        bool waiting;
        bool restore;
        const char *note;
    } rows[] = {
        {"4", 4, false, true, NULL},
        {"5", 4, false, true, NULL},
        {"3", 4, false, false, "desired 4 is above the original max 3"},
        {"x4", 4, false, false, "is not a number"},
        {"4", 4, true, false, "max stays raised: 1 swaps still need it"},
    };
    for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
        struct esb_world w;
        esb_world_init(&w);
        esb_group(&w, "web", rows[r].desired, 300);
        for (int64_t i = 0; i < rows[r].desired; i++) {
            char id[16];
            snprintf(id, sizeof(id), "i-k%d", (int)i);
            esb_spot_member(&w, "web", id, "m5a.large", ESB_AZ_A);
        }
        esb_group_tag(&w, "web", "spotswap:max-raised-from", rows[r].raised);
        if (rows[r].waiting) {
            esb_od_member(&w, "web", "i-x", "m5.large", ESB_AZ_A);
            esb_spot_outside(&w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, 10, false);
        }
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_RESTORE_MAX), rows[r].restore ? 1 : 0);
        if (rows[r].restore) {
            SPS_CHECK_STR_EQ(p.actions[0].group, "web");
            SPS_CHECK(strstr(p.actions[0].reason, rows[r].raised) != NULL);
        } else {
            SPS_CHECK(esb_has_note(&p, "web", "", rows[r].note));
        }
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

/* An attach planned this pass needs the raised max too. */
static void test_no_restore_while_attaching(void)
{
    struct esb_world w;
    esb_world_init(&w);
    esb_group(&w, "web", 1, 300);
    esb_group_tag(&w, "web", "spotswap:max-raised-from", "1");
    esb_od_member(&w, "web", "i-x", "m5.large", ESB_AZ_A);
    esb_spot_outside(&w, "i-s", "web", "i-x", "m5.large", ESB_AZ_A, 400, true);
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_ATTACH), 1);
    SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_RESTORE_MAX), 0);
    sps_engine_plan_clean_up(&p);
    esb_world_free(&w);
}

/* ---- the TERMINATE invariants ------------------------------------------------------------------
 */

static const char *const s_never[] = {
    "i-untagged-run", "i-untagged-stopped", "i-by-pending", "i-by-outside",  "i-by-unknown",
    "i-unselected",   "i-protected",        "i-standby",    "i-member-spot", "i-pending-member",
};

static void s_invariant_world(struct esb_world *w)
{
    esb_group(w, "web", 6, 300);
    esb_unselected_group(w, "other");
    int64_t old = ESB_NOW_MS - 86400000;
    esb_instance(w, "i-untagged-run", "m5.large", ESB_AZ_A, "spot", "running", old);
    esb_instance(w, "i-untagged-stopped", "m5.large", ESB_AZ_A, "", "stopped", old);
    /* replacements: InService, Pending member, outside */
    esb_spot_member(w, "web", "i-sok", "m5.large", ESB_AZ_A);
    esb_instance(w, "i-sp", "m5.large", ESB_AZ_A, "spot", "running", old);
    esb_member(w, "web", "i-sp", SPS_AWS_ASG_STATE_PENDING, "Healthy", false);
    esb_instance(w, "i-so", "m5.large", ESB_AZ_A, "spot", "running", old);
    esb_instance(w, "i-by-pending", "m5.large", ESB_AZ_A, "", "running", old);
    esb_tag(w, "i-by-pending", TAG_BY, "i-sp");
    esb_instance(w, "i-by-outside", "m5.large", ESB_AZ_A, "", "running", old);
    esb_tag(w, "i-by-outside", TAG_BY, "i-so");
    esb_instance(w, "i-by-unknown", "m5.large", ESB_AZ_A, "", "stopped", old);
    esb_tag(w, "i-by-unknown", TAG_BY, "i-nothere");
    /* an unselected group may hold it as a member we cannot see */
    esb_spot_outside(w, "i-unselected", "other", "i-gone", "m5.large", ESB_AZ_A, 100000, false);
    sps_free(esb_find_instance(w, "i-unselected")->state_name);
    esb_find_instance(w, "i-unselected")->state_name = sps_strdup("stopped");
    /* members, whatever their tags */
    esb_od_member(w, "web", "i-protected", "m5.large", ESB_AZ_A);
    esb_find_member(w, "web", "i-protected")->protected_from_scale_in = true;
    esb_tag(w, "i-protected", TAG_BY, "i-sok");
    esb_instance(w, "i-standby", "m5.large", ESB_AZ_A, "spot", "stopped", old);
    esb_tag(w, "i-standby", TAG_FOR, "web");
    esb_tag(w, "i-standby", TAG_REPLACES, "i-gone");
    esb_member(w, "web", "i-standby", SPS_AWS_ASG_STATE_STANDBY, "Healthy", false);
    esb_spot_member(w, "web", "i-member-spot", "m5.large", ESB_AZ_A);
    esb_tag(w, "i-member-spot", TAG_FOR, "web");
    esb_tag(w, "i-member-spot", TAG_REPLACES, "i-gone");
    esb_instance(w, "i-pending-member", "m5.large", ESB_AZ_A, "spot", "stopped", old);
    esb_tag(w, "i-pending-member", TAG_FOR, "web");
    esb_member(w, "web", "i-pending-member", SPS_AWS_ASG_STATE_PENDING, "Healthy", false);
    /* the positive controls */
    esb_spot_outside(w, "i-ok-launched", "web", "i-gone", "m5.large", ESB_AZ_A, 100000, false);
    esb_instance(w, "i-ok-retiree", "m5.large", ESB_AZ_A, "", "running", old);
    esb_tag(w, "i-ok-retiree", TAG_BY, "i-sok");
}

static void test_terminate_invariants(void)
{
    for (unsigned seed = 0; seed < 4; seed++) {
        struct esb_world w;
        esb_world_init(&w);
        s_invariant_world(&w);
        if (seed)
            esb_shuffle(&w, seed);
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        for (size_t i = 0; i < sizeof(s_never) / sizeof(s_never[0]); i++) {
            SPS_CHECK(esb_action(&p, SPS_ENGINE_TERMINATE, s_never[i]) == NULL);
            SPS_CHECK(!s_may_terminate(&w.snap, s_never[i]));
        }
        SPS_CHECK(esb_action(&p, SPS_ENGINE_TERMINATE, "i-ok-launched") != NULL);
        SPS_CHECK(esb_action(&p, SPS_ENGINE_TERMINATE, "i-ok-retiree") != NULL);
        SPS_CHECK(s_may_terminate(&w.snap, "i-ok-launched"));
        SPS_CHECK(s_may_terminate(&w.snap, "i-ok-retiree"));
        SPS_CHECK_INT_EQ(esb_count(&p, SPS_ENGINE_TERMINATE), 2);
        /* Every TERMINATE in the plan satisfies the invariant. */
        for (size_t i = 0; i < p.action_count; i++) {
            if (p.actions[i].kind == SPS_ENGINE_TERMINATE)
                SPS_CHECK(s_may_terminate(&w.snap, p.actions[i].instance_id));
        }
        SPS_CHECK(esb_has_note(&p, "web", "i-by-pending", "not InService: not terminated"));
        sps_engine_plan_clean_up(&p);
        esb_world_free(&w);
    }
}

/* The defensive check itself: a TERMINATE the invariant forbids is refused with a note. */
static void test_terminate_refused_by_the_check(void)
{
    struct esb_world w;
    esb_world_init(&w);
    esb_group(&w, "web", 1, 300);
    esb_instance(&w, "i-plain", "m5.large", ESB_AZ_A, "", "running", 0);
    struct sps_engine_plan plan;
    sps_engine_plan_init(&plan);
    plan.groups = sps_calloc(1, sizeof(*plan.groups));
    plan.group_count = 1;
    plan.groups[0].name = sps_strdup("web");
    struct sps_engine_plan_ctx ctx = {.snap = &w.snap, .in = &w.inputs, .out = &plan};
    sps_engine_plan_index_build(&ctx.idx, &w.snap);
    const struct sps_aws_ec2_instance *plain = sps_engine_plan_find_instance(&ctx.idx, "i-plain");
    SPS_CHECK(!sps_engine_plan_add_terminate(&ctx, 0, "web", plain, "a rule gone wrong"));
    SPS_CHECK(!sps_engine_plan_add_terminate(&ctx, -1, "web", NULL, "no instance at all"));
    SPS_CHECK_INT_EQ(plan.action_count, 0);
    SPS_CHECK(esb_has_note(&plan, "web", "i-plain", "not terminated: neither launched nor"));
    esb_tag(&w, "i-plain", TAG_FOR, "web");
    SPS_CHECK(sps_engine_plan_add_terminate(&ctx, 0, "web", plain, "launched by spotswap"));
    SPS_CHECK_INT_EQ(plan.action_count, 1);
    sps_engine_plan_index_clean_up(&ctx.idx);
    sps_engine_plan_clean_up(&plan);
    esb_world_free(&w);
}

/* ---- determinism -------------------------------------------------------------------------------
 */

static void s_rich_world(struct esb_world *w)
{
    w->policies.base.max_replacements_per_run = 4;
    esb_group(w, "gamma", 6, 300);
    esb_group(w, "alpha", 5, 60);
    esb_group(w, "beta", 3, 300);
    esb_group_tag(w, "beta", "spotswap:max-raised-from", "3");
    esb_hook(w, "alpha", SPS_AWS_ASG_TRANSITION_TERMINATING);
    const char *azs[] = {ESB_AZ_A, ESB_AZ_B};
    for (int i = 0; i < 6; i++) {
        char id[16];
        snprintf(id, sizeof(id), "i-g%d", i);
        esb_od_member(w, "gamma", id, "m5.large", azs[i % 2]);
    }
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof(id), "i-a%d", i);
        esb_od_member(w, "alpha", id, "m5.large", azs[i % 2]);
    }
    esb_spot_member(w, "alpha", "i-as", "m5.large", ESB_AZ_A);
    esb_tag(w, "i-as", TAG_FOR, "alpha");
    esb_tag(w, "i-as", TAG_REPLACES, "i-a0");
    esb_spot_outside(w, "i-aw", "alpha", "i-a1", "m5a.large", ESB_AZ_B, 100, true);
    esb_spot_outside(w, "i-ao", "alpha", "i-gone", "m5a.large", ESB_AZ_B, 100, true);
    esb_spot_member(w, "beta", "i-b0", "m5a.large", ESB_AZ_A);
    esb_spot_member(w, "beta", "i-b1", "m5n.large", ESB_AZ_B);
    esb_spot_member(w, "beta", "i-b2", "m5.large", ESB_AZ_A);
    esb_instance(w, "i-bx", "m5.large", ESB_AZ_A, "", "running", 0);
    esb_tag(w, "i-bx", TAG_BY, "i-b2");
    esb_spot_outside(w, "i-old", "deleted-group", "i-zz", "m5.large", ESB_AZ_A, 10, true);
}

static void test_determinism(void)
{
    struct esb_world w;
    esb_world_init(&w);
    s_rich_world(&w);
    struct sps_engine_plan p;
    SPS_CHECK_OK(esb_world_plan(&w, &p));
    char *baseline = esb_plan_text(&p);
    if (getenv("SPS_TEST_VERBOSE"))
        fputs(baseline, stderr);
    SPS_CHECK(esb_count(&p, SPS_ENGINE_LAUNCH) == 5); /* four in gamma (budget), one in alpha */
    SPS_CHECK(esb_count(&p, SPS_ENGINE_RETIRE) == 1);
    SPS_CHECK(esb_count(&p, SPS_ENGINE_RESTORE_MAX) == 1);
    SPS_CHECK(esb_count(&p, SPS_ENGINE_TERMINATE) == 2);
    SPS_CHECK(esb_count(&p, SPS_ENGINE_ATTACH) == 2); /* one ready, one orphan for a short group */
    /* Actions come grouped by group name, then in cycle order. */
    for (size_t i = 1; i < p.action_count; i++) {
        int c = strcmp(p.actions[i - 1].group, p.actions[i].group);
        SPS_CHECK(c < 0 || (c == 0 && p.actions[i - 1].kind <= p.actions[i].kind));
    }
    sps_engine_plan_clean_up(&p);
    for (unsigned seed = 1; seed <= 25; seed++) {
        esb_shuffle(&w, seed);
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        char *text = esb_plan_text(&p);
        SPS_CHECK_STR_EQ(text, baseline);
        sps_free(text);
        sps_engine_plan_clean_up(&p);
    }
    sps_free(baseline);
    esb_world_free(&w);
}

/* ---- a 250-instance group, pass by pass ---------------------------------------------------------
 */

/* What the executor and AWS would do with the plan, then ten minutes pass. */
static void s_apply(struct esb_world *w, const struct sps_engine_plan *p)
{
    for (size_t i = 0; i < p->action_count; i++) {
        const struct sps_engine_action *a = &p->actions[i];
        struct sps_aws_asg_group *g = esb_find_group(w, a->group);
        char sid[64];
        switch (a->kind) {
        case SPS_ENGINE_LAUNCH:
            snprintf(sid, sizeof(sid), "s-%s", a->instance_id);
            SPS_CHECK(esb_find_instance(w, sid) == NULL); /* never replaced twice */
            esb_instance(w, sid, a->candidates[0], a->availability_zone, "spot", "running",
                         w->snap.now_ms);
            esb_tag(w, sid, TAG_FOR, a->group);
            esb_tag(w, sid, TAG_REPLACES, a->instance_id);
            esb_status(w, sid, "ok", "ok");
            break;
        case SPS_ENGINE_ATTACH:
            esb_member(w, a->group, a->spot_instance_id, SPS_AWS_ASG_STATE_IN_SERVICE, "Healthy",
                       false);
            g->desired_capacity++;
            break;
        case SPS_ENGINE_RETIRE:
            esb_remove_member(w, a->group, a->instance_id);
            esb_remove_instance(w, a->instance_id);
            g->desired_capacity--;
            break;
        case SPS_ENGINE_TERMINATE:
            SPS_CHECK(false); /* nothing in this run should need one */
            break;
        case SPS_ENGINE_RESTORE_MAX:
            break;
        }
    }
    w->snap.now_ms += 600000;
}

static void test_250_instances_convert_in_two_launch_passes(void)
{
    struct esb_world w;
    esb_world_init(&w);
    esb_group(&w, "big", 250, 300);
    for (int i = 0; i < 250; i++) {
        char id[16];
        snprintf(id, sizeof(id), "i-%03d", i);
        esb_od_member(&w, "big", id, "m5.large", i % 2 ? ESB_AZ_B : ESB_AZ_A);
    }
    int last_launch_pass = 0, converted_pass = 0;
    size_t launched = 0;
    for (int pass = 1; pass <= 10 && !converted_pass; pass++) {
        struct sps_engine_plan p;
        SPS_CHECK_OK(esb_world_plan(&w, &p));
        const struct sps_engine_group_plan *g = esb_group_plan(&p, "big");
        SPS_CHECK(g->in_service >= 250); /* attach before retire: never below desired */
        size_t n = esb_count(&p, SPS_ENGINE_LAUNCH);
        SPS_CHECK(n <= 125);
        launched += n;
        if (n)
            last_launch_pass = pass;
        if (g->state == SPS_ENGINE_GROUP_CONVERTED) {
            SPS_CHECK_INT_EQ(p.action_count, 0);
            converted_pass = pass;
        } else {
            SPS_CHECK_INT_EQ(g->state, SPS_ENGINE_GROUP_CONVERTING);
        }
        s_apply(&w, &p);
        sps_engine_plan_clean_up(&p);
    }
    SPS_CHECK_INT_EQ(launched, 250);
    SPS_CHECK_INT_EQ(last_launch_pass, 2);
    /* Two passes of launches, each attached one pass later and retired the pass after (the
     * binary retires in the attaching pass: three runs there). */
    SPS_CHECK_INT_EQ(converted_pass, 5);
    const struct sps_aws_asg_group *g = esb_find_group(&w, "big");
    SPS_CHECK_INT_EQ(g->instance_count, 250);
    SPS_CHECK_INT_EQ(g->desired_capacity, 250);
    for (size_t i = 0; i < g->instance_count; i++)
        SPS_CHECK_STR_EQ(esb_find_instance(&w, g->instances[i].instance_id)->lifecycle, "spot");
    esb_world_free(&w);
}

SPS_TEST_MAIN(SPS_CASE(test_every_state_one_action), SPS_CASE(test_attach_readiness),
              SPS_CASE(test_orphans_cover_only_the_shortfall), SPS_CASE(test_orphan_not_ready),
              SPS_CASE(test_stuck_deadline), SPS_CASE(test_stuck_in_skipped_group),
              SPS_CASE(test_duplicate_replacements), SPS_CASE(test_retire_waits),
              SPS_CASE(test_selected_x_not_relaunched), SPS_CASE(test_restore_rules),
              SPS_CASE(test_no_restore_while_attaching), SPS_CASE(test_terminate_invariants),
              SPS_CASE(test_terminate_refused_by_the_check), SPS_CASE(test_determinism),
              SPS_CASE(test_250_instances_convert_in_two_launch_passes))
