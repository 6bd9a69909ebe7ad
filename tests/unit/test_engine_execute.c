/* The executor against the simulated AWS (tests/fakeaws, scenario launch.json) with snapshots
 * from the real scan and plans built by hand: a failing action is reported FAILED with its AWS
 * code while the following actions still run and the first error is returned; a launch with no
 * capacity anywhere is NO_CAPACITY (not a failure) and marks the group on fallback, which a later
 * launch clears; attach, retire, terminate and restore-max done; the same-pass retirement retires
 * only once the spot instance is InService and Healthy, and gives up at its deadline; actions
 * naming groups the snapshot lacks, and invalid arguments. */
#include "engine_selection.h"
#include "sps_engine_execute.h"
#include "sps_engine_scan.h"
#include "sps_fakeaws.h"
#include "sps_fakes.h"
#include "sps_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static struct sps_fakeaws s_fake;
static struct sps_launch_context s_ctx;
static const char *const s_all_settings[] = {"tag_filters", "team=*", NULL};
#define s_all SPS_TEST_SELECTION(s_all_settings)

static void s_advance(int64_t seconds)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"seconds\": %lld}", (long long)seconds);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "advance", body, NULL), 200);
}

/* A clock whose sleep advances both itself and the simulated AWS: the executor's wait for an
 * attached instance then sees the fake's attach delay pass without real waiting. */
struct s_linked_clock {
    struct sps_clock clock;
    int64_t mono;
    int sleeps;
};

static int64_t s_linked_wall(void *ctx)
{
    (void)ctx;
    return (int64_t)time(NULL) * 1000;
}

static int64_t s_linked_mono(void *ctx)
{
    return ((struct s_linked_clock *)ctx)->mono;
}

static void s_linked_sleep(void *ctx, int64_t ms)
{
    struct s_linked_clock *c = ctx;
    c->mono += ms;
    c->sleeps++;
    s_advance(ms / 1000 > 0 ? ms / 1000 : 1);
}

static struct s_linked_clock s_clock;

static void s_start(void)
{
    sps_fakeaws_start(&s_fake, "launch.json");
    s_clock = (struct s_linked_clock){
        .clock = {s_linked_wall, s_linked_mono, s_linked_sleep, &s_clock}};
    s_ctx = (struct sps_launch_context){
        .ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1"),
        .autoscaling = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1"),
        .clock = &s_clock.clock,
        .rand = sps_rand_system(),
        .markets = sps_launch_markets_new(300000)};
}

static void s_stop(void)
{
    sps_launch_markets_destroy(s_ctx.markets);
    sps_aws_client_destroy(s_ctx.ec2);
    sps_aws_client_destroy(s_ctx.autoscaling);
    sps_fakeaws_stop(&s_fake);
}

static void s_scan(struct sps_engine_snapshot *snap)
{
    SPS_CHECK_OK(sps_engine_scan_region(s_ctx.ec2, s_ctx.autoscaling, &s_all, 0, snap, NULL));
}

/* Adds an action; `candidates` is a NULL-terminated list of spot types (LAUNCH). */
static void s_add(struct sps_engine_plan *p, enum sps_engine_action_kind kind, const char *group,
                  const char *instance, const char *spot, ...)
{
    p->actions = sps_realloc(p->actions, (p->action_count + 1) * sizeof(*p->actions));
    struct sps_engine_action *a = &p->actions[p->action_count++];
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    a->group = group ? sps_strdup(group) : NULL;
    a->instance_id = instance ? sps_strdup(instance) : NULL;
    a->spot_instance_id = spot ? sps_strdup(spot) : NULL;
    a->on_demand_price = 0.096;
    a->reason = sps_strdup("test");
    va_list ap;
    va_start(ap, spot);
    for (const char *c; (c = va_arg(ap, const char *)) != NULL;) {
        a->candidates = sps_realloc(a->candidates, (a->candidate_count + 1) * sizeof(char *));
        a->candidates[a->candidate_count++] = sps_strdup(c);
    }
    va_end(ap);
}

static void s_group(const char *name, struct sps_aws_asg_groups *out)
{
    const char *names[] = {name};
    struct sps_aws_asg_describe_groups_input in = {.names = names, .name_count = 1};
    SPS_CHECK_OK(sps_aws_asg_describe_groups(s_ctx.autoscaling, &in, out, NULL));
    SPS_CHECK_INT_EQ(out->count, 1);
}

static bool s_group_has_tag(const char *group, const char *key)
{
    struct sps_aws_asg_groups g;
    s_group(group, &g);
    bool has = sps_aws_tags_get(&g.items[0].tags, key) != NULL;
    sps_aws_asg_groups_clean_up(&g);
    return has;
}

static int64_t s_group_max(const char *group)
{
    struct sps_aws_asg_groups g;
    s_group(group, &g);
    int64_t max = g.items[0].max_size;
    sps_aws_asg_groups_clean_up(&g);
    return max;
}

static const char *s_state(const char *id, char *buf, size_t size)
{
    const char *ids[] = {id};
    struct sps_aws_ec2_describe_instances_request in = {.instance_ids = ids, .n_instance_ids = 1};
    struct sps_aws_ec2_instances l = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_instances(s_ctx.ec2, &in, &l, NULL));
    SPS_CHECK_INT_EQ(l.count, 1);
    snprintf(buf, size, "%s", l.count ? l.items[0].state_name : "");
    sps_aws_ec2_instances_clean_up(&l);
    return buf;
}

/* The first member of `group` in the snapshot. */
static char *s_member(const struct sps_engine_snapshot *s, const char *group)
{
    const struct sps_aws_asg_group *g = sps_aws_asg_groups_find(&s->groups, group);
    SPS_CHECK(g != NULL && g->instance_count > 0);
    return sps_strdup(g->instances[0].instance_id);
}

/* Launches a spot replacement for `od` in `group` through the executor; returns its id. */
static char *s_launch(const char *group, const char *od)
{
    struct sps_engine_snapshot snap;
    s_scan(&snap);
    struct sps_engine_plan plan;
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_LAUNCH, group, od, NULL, "m5.large", NULL);
    struct sps_engine_exec_options o = {.launch = &s_ctx};
    struct sps_engine_exec_report r;
    sps_engine_exec_report_init(&r);
    SPS_CHECK_OK(sps_engine_execute(&plan, &snap, &o, &r));
    SPS_CHECK_INT_EQ(r.count, 1);
    SPS_CHECK(r.entries[0].spot_instance_id != NULL);
    char *id = sps_strdup(r.entries[0].spot_instance_id ? r.entries[0].spot_instance_id : "");
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);
    return id;
}

static void test_failure_continues_and_fallback_mark(void)
{
    s_start();
    struct sps_engine_snapshot snap;
    s_scan(&snap);
    char *od = s_member(&snap, "web");
    struct sps_engine_plan plan;
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_ATTACH, "web", NULL, "i-0000000000000dead", NULL);
    s_add(&plan, SPS_ENGINE_LAUNCH, "web", od, NULL, "c5.large", "c5a.large", NULL);
    struct sps_engine_exec_options o = {.launch = &s_ctx};
    struct sps_engine_exec_report r;
    sps_engine_exec_report_init(&r);
    sps_err err = sps_engine_execute(&plan, &snap, &o, &r);
    SPS_CHECK(err != SPS_OK);
    SPS_CHECK(err != SPS_ERR_AWS_CAPACITY);
    SPS_CHECK_INT_EQ(r.count, 2);
    SPS_CHECK_INT_EQ(r.failed, 1);
    SPS_CHECK_INT_EQ(r.entries[0].outcome, SPS_ENGINE_OUTCOME_FAILED);
    SPS_CHECK_ERR(r.entries[0].error, err);
    SPS_CHECK(r.entries[0].aws_error.code[0] != '\0');
    SPS_CHECK_STR_EQ(r.entries[0].spot_instance_id, "i-0000000000000dead");
    /* The launch after the failure still ran: every candidate refused. */
    SPS_CHECK_INT_EQ(r.entries[1].outcome, SPS_ENGINE_OUTCOME_NO_CAPACITY);
    SPS_CHECK_ERR(r.entries[1].error, SPS_ERR_AWS_CAPACITY);
    SPS_CHECK(r.entries[1].spot_instance_id == NULL);
    SPS_CHECK_STR_EQ(r.entries[1].aws_error.code, "InsufficientInstanceCapacity");
    SPS_CHECK_STR_EQ(sps_engine_outcome_name(r.entries[1].outcome), "no-capacity");
    SPS_CHECK(s_group_has_tag("web", SPS_TAG_FALLBACK_SINCE));
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);

    /* Only capacity refusals: SPS_OK, nothing failed. */
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_LAUNCH, "web", od, NULL, "c5a.large", NULL);
    SPS_CHECK_OK(sps_engine_execute(&plan, &snap, &o, &r));
    SPS_CHECK_INT_EQ(r.failed, 0);
    SPS_CHECK_INT_EQ(r.entries[0].outcome, SPS_ENGINE_OUTCOME_NO_CAPACITY);
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);

    /* A later successful launch (from a fresh scan, which sees the mark) removes the mark. */
    s_scan(&snap);
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_LAUNCH, "web", od, NULL, "c5.large", "m5.large", NULL);
    SPS_CHECK_OK(sps_engine_execute(&plan, &snap, &o, &r));
    SPS_CHECK_INT_EQ(r.entries[0].outcome, SPS_ENGINE_OUTCOME_DONE);
    SPS_CHECK_STR_EQ(r.entries[0].spot_instance_type, "m5.large");
    SPS_CHECK(r.entries[0].spot_instance_id && strncmp(r.entries[0].spot_instance_id, "i-", 2) == 0);
    SPS_CHECK_STR_EQ(sps_engine_outcome_name(r.entries[0].outcome), "done");
    SPS_CHECK(!s_group_has_tag("web", SPS_TAG_FALLBACK_SINCE));
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);
    sps_free(od);
    s_stop();
}

/* Attach at max (raises it), retire by a RETIRE action, restore the max, terminate. */
static void test_each_kind(void)
{
    s_start();
    struct sps_engine_snapshot snap;
    s_scan(&snap);
    char *od = s_member(&snap, "full");
    sps_engine_snapshot_clean_up(&snap);
    char *spot = s_launch("full", od);
    s_advance(120);

    s_scan(&snap);
    struct sps_engine_plan plan;
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_ATTACH, "full", NULL, spot, NULL);
    struct sps_engine_exec_options o = {.launch = &s_ctx};
    struct sps_engine_exec_report r;
    sps_engine_exec_report_init(&r);
    SPS_CHECK_OK(sps_engine_execute(&plan, &snap, &o, &r));
    SPS_CHECK_INT_EQ(r.count, 1); /* no retire_wait_ms: nothing retired this pass */
    SPS_CHECK_INT_EQ(r.entries[0].outcome, SPS_ENGINE_OUTCOME_DONE);
    SPS_CHECK_INT_EQ(s_group_max("full"), 3);
    SPS_CHECK(s_group_has_tag("full", SPS_TAG_MAX_RAISED_FROM));
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);
    s_advance(60);

    s_scan(&snap);
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_RETIRE, "full", od, spot, NULL);
    SPS_CHECK_OK(sps_engine_execute(&plan, &snap, &o, &r));
    SPS_CHECK_INT_EQ(r.entries[0].outcome, SPS_ENGINE_OUTCOME_DONE);
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);
    char st[32];
    SPS_CHECK(strcmp(s_state(od, st, sizeof st), "running") != 0);

    s_scan(&snap);
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_RESTORE_MAX, "full", NULL, NULL, NULL);
    s_add(&plan, SPS_ENGINE_TERMINATE, NULL, spot, NULL, NULL);
    SPS_CHECK_OK(sps_engine_execute(&plan, &snap, &o, &r));
    SPS_CHECK_INT_EQ(r.count, 2);
    SPS_CHECK_INT_EQ(r.entries[0].outcome, SPS_ENGINE_OUTCOME_DONE);
    SPS_CHECK_INT_EQ(r.entries[1].outcome, SPS_ENGINE_OUTCOME_DONE);
    SPS_CHECK_INT_EQ(s_group_max("full"), 2);
    SPS_CHECK(!s_group_has_tag("full", SPS_TAG_MAX_RAISED_FROM));
    SPS_CHECK(strcmp(s_state(spot, st, sizeof st), "running") != 0);
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);
    sps_free(spot);
    sps_free(od);
    s_stop();
}

/* Attach, then wait (on the linked clock) for InService and Healthy, and retire the same pass. */
static void test_same_pass_retirement(void)
{
    s_start();
    struct sps_engine_snapshot snap;
    s_scan(&snap);
    char *od = s_member(&snap, "web");
    sps_engine_snapshot_clean_up(&snap);
    char *spot = s_launch("web", od);
    s_advance(120);

    s_scan(&snap);
    struct sps_engine_plan plan;
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_ATTACH, "web", NULL, spot, NULL);
    struct sps_engine_exec_options o = {.launch = &s_ctx, .retire_wait_ms = 60000,
                                        .poll_interval_ms = 1000};
    struct sps_engine_exec_report r;
    sps_engine_exec_report_init(&r);
    SPS_CHECK_OK(sps_engine_execute(&plan, &snap, &o, &r));
    SPS_CHECK_INT_EQ(r.count, 2);
    SPS_CHECK_INT_EQ(r.entries[0].kind, SPS_ENGINE_ATTACH);
    SPS_CHECK_INT_EQ(r.entries[1].kind, SPS_ENGINE_RETIRE);
    SPS_CHECK_INT_EQ(r.entries[1].outcome, SPS_ENGINE_OUTCOME_DONE);
    SPS_CHECK_STR_EQ(r.entries[1].instance_id, od);
    SPS_CHECK_STR_EQ(r.entries[1].spot_instance_id, spot);
    /* It waited for the attach delay (5 s in the scenario), not for the whole minute. */
    SPS_CHECK(s_clock.sleeps >= 1 && s_clock.mono < 60000);
    struct sps_aws_asg_groups g;
    s_group("web", &g);
    const struct sps_aws_asg_instance *m = sps_aws_asg_group_find_instance(&g.items[0], spot);
    SPS_CHECK(m != NULL && m->lifecycle_state == SPS_AWS_ASG_STATE_IN_SERVICE);
    SPS_CHECK(sps_aws_asg_group_find_instance(&g.items[0], od) == NULL);
    sps_aws_asg_groups_clean_up(&g);
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);
    sps_free(spot);
    sps_free(od);
    s_stop();
}

/* The fake clock's sleep does not move the simulated AWS: the instance never gets InService
 * within the deadline, and the executor gives up without retiring anything. */
static void test_retirement_deadline(void)
{
    s_start();
    struct sps_engine_snapshot snap;
    s_scan(&snap);
    char *od = s_member(&snap, "web");
    sps_engine_snapshot_clean_up(&snap);
    char *spot = s_launch("web", od);
    s_advance(120);
    struct sps_fake_clock fc;
    sps_fake_clock_init(&fc, (int64_t)time(NULL) * 1000);
    s_ctx.clock = &fc.clock;

    s_scan(&snap);
    struct sps_engine_plan plan;
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_ATTACH, "web", NULL, spot, NULL);
    struct sps_engine_exec_options o = {.launch = &s_ctx, .retire_wait_ms = 3000,
                                        .poll_interval_ms = 1000};
    struct sps_engine_exec_report r;
    sps_engine_exec_report_init(&r);
    SPS_CHECK_OK(sps_engine_execute(&plan, &snap, &o, &r));
    SPS_CHECK_INT_EQ(r.count, 1);
    SPS_CHECK_INT_EQ(r.failed, 0);
    SPS_CHECK_INT_EQ(fc.sleeps, 3);
    SPS_CHECK(fc.slept_ms <= 3000);
    char st[32];
    SPS_CHECK_STR_EQ(s_state(od, st, sizeof st), "running");
    struct sps_aws_asg_groups g;
    s_group("web", &g);
    const struct sps_aws_asg_instance *m = sps_aws_asg_group_find_instance(&g.items[0], od);
    SPS_CHECK(m != NULL && m->lifecycle_state == SPS_AWS_ASG_STATE_IN_SERVICE);
    sps_aws_asg_groups_clean_up(&g);
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);
    sps_free(spot);
    sps_free(od);
    s_stop();
}

static void s_fault(const char *action, const char *kind, int count)
{
    char body[160];
    snprintf(body, sizeof body, "{\"action\": \"%s\", \"kind\": \"%s\", \"count\": %d}", action,
             kind, count);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "fault", body, NULL), 200);
}

/* The re-read of the group after the attach fails (after its own retries): the executor stops
 * waiting at once instead of polling the failure for the rest of the minute, retires nothing
 * and reports no failure (the next pass retires). */
static void test_retirement_reread_fails(void)
{
    s_start();
    struct sps_engine_snapshot snap;
    s_scan(&snap);
    char *od = s_member(&snap, "web");
    sps_engine_snapshot_clean_up(&snap);
    char *spot = s_launch("web", od);
    s_advance(120);
    struct sps_fake_clock fc;
    sps_fake_clock_init(&fc, (int64_t)time(NULL) * 1000);
    s_ctx.clock = &fc.clock;

    s_scan(&snap);
    struct sps_engine_plan plan;
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_ATTACH, "web", NULL, spot, NULL);
    s_fault("DescribeAutoScalingGroups", "expired_token", 100);
    struct sps_engine_exec_options o = {.launch = &s_ctx, .retire_wait_ms = 60000,
                                        .poll_interval_ms = 1000};
    struct sps_engine_exec_report r;
    sps_engine_exec_report_init(&r);
    SPS_CHECK_OK(sps_engine_execute(&plan, &snap, &o, &r));
    SPS_CHECK_INT_EQ(r.count, 1); /* the attach, and no retire */
    SPS_CHECK_INT_EQ(r.entries[0].outcome, SPS_ENGINE_OUTCOME_DONE);
    SPS_CHECK_INT_EQ(r.failed, 0);
    SPS_CHECK_INT_EQ(fc.sleeps, 0);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "faults/clear", NULL, NULL), 200);
    char st[32];
    SPS_CHECK_STR_EQ(s_state(od, st, sizeof st), "running");
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);
    sps_free(spot);
    sps_free(od);
    s_stop();
}

/* The fallback mark is bookkeeping: when it cannot be written the launch outcome stands. */
static void test_fallback_mark_refused(void)
{
    s_start();
    struct sps_engine_snapshot snap;
    s_scan(&snap);
    char *od = s_member(&snap, "web");
    s_fault("CreateOrUpdateTags", "expired_token", 10);
    struct sps_engine_plan plan;
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_LAUNCH, "web", od, NULL, "c5.large", NULL);
    struct sps_engine_exec_options o = {.launch = &s_ctx};
    struct sps_engine_exec_report r;
    sps_engine_exec_report_init(&r);
    SPS_CHECK_OK(sps_engine_execute(&plan, &snap, &o, &r));
    SPS_CHECK_INT_EQ(r.entries[0].outcome, SPS_ENGINE_OUTCOME_NO_CAPACITY);
    SPS_CHECK_INT_EQ(r.failed, 0);
    SPS_CHECK(!s_group_has_tag("web", SPS_TAG_FALLBACK_SINCE));
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);
    sps_free(od);
    s_stop();
}

/* The same-pass retirement fails at AWS: a RETIRE entry FAILED with its code, and the error is
 * returned. An attached instance the snapshot does not know (no replaces tag to read) is not
 * waited for. */
static void test_same_pass_retirement_failures(void)
{
    s_start();
    struct sps_engine_snapshot snap;
    s_scan(&snap);
    char *od = s_member(&snap, "web");
    char *batch_od = s_member(&snap, "batch");
    sps_engine_snapshot_clean_up(&snap);
    char *spot = s_launch("web", od);
    char *unknown = s_launch("batch", batch_od);
    sps_free(batch_od);
    s_advance(120);

    s_scan(&snap);
    struct sps_engine_plan plan;
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_ATTACH, "web", NULL, spot, NULL);
    s_fault("DetachInstances", "expired_token", 10);
    s_fault("TerminateInstanceInAutoScalingGroup", "expired_token", 10);
    struct sps_engine_exec_options o = {.launch = &s_ctx, .retire_wait_ms = 60000,
                                        .poll_interval_ms = 1000};
    struct sps_engine_exec_report r;
    sps_engine_exec_report_init(&r);
    sps_err err = sps_engine_execute(&plan, &snap, &o, &r);
    SPS_CHECK(err != SPS_OK);
    SPS_CHECK_INT_EQ(r.count, 2);
    SPS_CHECK_INT_EQ(r.entries[1].kind, SPS_ENGINE_RETIRE);
    SPS_CHECK_INT_EQ(r.entries[1].outcome, SPS_ENGINE_OUTCOME_FAILED);
    SPS_CHECK_ERR(r.entries[1].error, err);
    SPS_CHECK(r.entries[1].aws_error.code[0] != '\0');
    SPS_CHECK_INT_EQ(r.failed, 1);
    char st[32];
    SPS_CHECK_STR_EQ(s_state(od, st, sizeof st), "running");
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "faults/clear", NULL, NULL), 200);

    /* A snapshot with the groups but none of the instances: the attached instance's
     * replaces tag cannot be read, so there is nothing to wait for. */
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_ATTACH, "batch", NULL, unknown, NULL);
    int sleeps = s_clock.sleeps;
    struct sps_engine_snapshot before;
    sps_engine_snapshot_init(&before);
    before.groups = snap.groups; /* borrowed: the groups, without the instances */
    SPS_CHECK_OK(sps_engine_execute(&plan, &before, &o, &r));
    sps_aws_asg_groups_init(&before.groups);
    sps_engine_snapshot_clean_up(&before);
    SPS_CHECK_INT_EQ(r.count, 1);
    SPS_CHECK_INT_EQ(r.entries[0].outcome, SPS_ENGINE_OUTCOME_DONE);
    SPS_CHECK_INT_EQ(s_clock.sleeps, sleeps);
    sps_engine_exec_report_clean_up(&r);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);
    sps_free(unknown);
    sps_free(spot);
    sps_free(od);
    s_stop();
}

/* Actions naming a group or instance the snapshot lacks fail as invalid, one by one. */
static void test_actions_outside_snapshot(void)
{
    s_start();
    struct sps_engine_snapshot snap;
    s_scan(&snap);
    char *od = s_member(&snap, "web");
    struct sps_engine_plan plan;
    sps_engine_plan_init(&plan);
    s_add(&plan, SPS_ENGINE_LAUNCH, "nogroup", od, NULL, "m5.large", NULL);
    s_add(&plan, SPS_ENGINE_LAUNCH, "web", "i-0000000000000beef", NULL, "m5.large", NULL);
    s_add(&plan, SPS_ENGINE_ATTACH, "nogroup", NULL, "i-1", NULL);
    s_add(&plan, SPS_ENGINE_RETIRE, "nogroup", od, "i-1", NULL);
    s_add(&plan, SPS_ENGINE_RESTORE_MAX, "nogroup", NULL, NULL, NULL);
    s_add(&plan, SPS_ENGINE_RESTORE_MAX, NULL, NULL, NULL, NULL);
    s_add(&plan, (enum sps_engine_action_kind)99, "web", NULL, NULL, NULL);
    struct sps_engine_exec_options o = {.launch = &s_ctx};
    struct sps_engine_exec_report r;
    sps_engine_exec_report_init(&r);
    SPS_CHECK_ERR(sps_engine_execute(&plan, &snap, &o, &r), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(r.count, 7);
    SPS_CHECK_INT_EQ(r.failed, 7);
    for (size_t i = 0; i < r.count; i++) {
        SPS_CHECK_ERR(r.entries[i].error, SPS_ERR_INVALID_ARGUMENT);
        SPS_CHECK_INT_EQ(r.entries[i].outcome, SPS_ENGINE_OUTCOME_FAILED);
    }
    SPS_CHECK_STR_EQ(sps_engine_outcome_name(SPS_ENGINE_OUTCOME_FAILED), "failed");
    SPS_CHECK_STR_EQ(sps_engine_outcome_name((enum sps_engine_outcome)42), "failed");
    sps_engine_exec_report_clean_up(&r);

    /* Nothing mutating reached AWS. */
    struct sps_buf log;
    sps_buf_init(&log, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "GET", "calls?mutating=1", NULL, &log), 200);
    SPS_CHECK(strstr(log.data, "\"action\"") == NULL);
    sps_buf_clean_up(&log);
    sps_engine_plan_clean_up(&plan);
    sps_engine_snapshot_clean_up(&snap);
    sps_free(od);
    s_stop();
}

static void test_invalid_arguments(void)
{
    struct sps_engine_plan plan;
    sps_engine_plan_init(&plan);
    struct sps_engine_snapshot snap;
    sps_engine_snapshot_init(&snap);
    struct sps_launch_context ctx = {0};
    struct sps_engine_exec_options o = {.launch = &ctx};
    struct sps_engine_exec_options no_launch = {0};
    struct sps_engine_exec_report r;
    sps_engine_exec_report_init(&r);
    SPS_CHECK_ERR(sps_engine_execute(NULL, &snap, &o, &r), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_execute(&plan, NULL, &o, &r), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_execute(&plan, &snap, NULL, &r), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_execute(&plan, &snap, &no_launch, &r), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_execute(&plan, &snap, &o, NULL), SPS_ERR_INVALID_ARGUMENT);
    /* An empty plan is a successful pass with nothing done. */
    SPS_CHECK_OK(sps_engine_execute(&plan, &snap, &o, &r));
    SPS_CHECK_INT_EQ(r.count, 0);
    sps_engine_exec_report_clean_up(&r);
    sps_engine_exec_report_clean_up(NULL);
    sps_engine_snapshot_clean_up(&snap);
}

SPS_TEST_MAIN(SPS_CASE(test_failure_continues_and_fallback_mark), SPS_CASE(test_each_kind),
              SPS_CASE(test_same_pass_retirement), SPS_CASE(test_retirement_deadline),
              SPS_CASE(test_retirement_reread_fails),
              SPS_CASE(test_fallback_mark_refused), SPS_CASE(test_same_pass_retirement_failures),
              SPS_CASE(test_actions_outside_snapshot), SPS_CASE(test_invalid_arguments))
