/* The pass report of hand-built plans, snapshots and exec reports: groups in every state,
 * replacements with prices and with unknown prices (NaN: "unknown" in text, null in JSON),
 * notes, failed regions with and without an AWS code, exec outcomes, totals and savings. The
 * JSON is parsed back with jansson and checked field by field; the text line by line. Also a
 * report that does not fit its buffer fails. */
#include "sps_engine_report.h"
#include "sps_test.h"

#include <jansson.h>
#include <math.h>

#define D(s) sps_strdup(s)

static struct sps_engine_group_plan *s_group(struct sps_engine_plan *p, const char *name,
                                             enum sps_engine_group_state state,
                                             const char *reason, double now, double after)
{
    p->groups = sps_realloc(p->groups, (p->group_count + 1) * sizeof(*p->groups));
    struct sps_engine_group_plan *g = &p->groups[p->group_count++];
    memset(g, 0, sizeof(*g));
    g->name = D(name);
    g->state = state;
    g->reason = reason ? D(reason) : NULL;
    g->in_service = 4;
    g->on_demand = 3;
    g->spot = 1;
    g->on_demand_floor = 1;
    g->cost_now_usd_per_hour = now;
    g->cost_after_usd_per_hour = after;
    return g;
}

static void s_note(struct sps_engine_group_plan *g, const char *id, const char *reason)
{
    g->notes = sps_realloc(g->notes, (g->note_count + 1) * sizeof(*g->notes));
    g->notes[g->note_count].instance_id = D(id);
    g->notes[g->note_count++].reason = D(reason);
}

static struct sps_engine_action *s_action(struct sps_engine_plan *p,
                                          enum sps_engine_action_kind kind, const char *group,
                                          const char *id, const char *spot)
{
    p->actions = sps_realloc(p->actions, (p->action_count + 1) * sizeof(*p->actions));
    struct sps_engine_action *a = &p->actions[p->action_count++];
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    a->group = D(group);
    a->instance_id = id ? D(id) : NULL;
    a->spot_instance_id = spot ? D(spot) : NULL;
    a->reason = D("because");
    return a;
}

static void s_launch(struct sps_engine_plan *p, const char *group, const char *id,
                     const char *type, double od, double spot)
{
    struct sps_engine_action *a = s_action(p, SPS_ENGINE_LAUNCH, group, id, NULL);
    a->availability_zone = D("us-east-1a");
    a->candidate_count = 2;
    a->candidates = sps_calloc(2, sizeof(char *));
    a->candidates[0] = D(type);
    a->candidates[1] = D("m5a.large");
    a->on_demand_price = od;
    a->spot_price = spot;
}

static struct sps_engine_exec_entry *s_entry(struct sps_engine_exec_report *r,
                                             enum sps_engine_action_kind kind, const char *group,
                                             const char *id, enum sps_engine_outcome outcome)
{
    r->entries = sps_realloc(r->entries, (r->count + 1) * sizeof(*r->entries));
    r->cap = r->count + 1;
    struct sps_engine_exec_entry *e = &r->entries[r->count++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->group = D(group);
    e->instance_id = id ? D(id) : NULL;
    e->outcome = outcome;
    if (outcome == SPS_ENGINE_OUTCOME_FAILED)
        r->failed++;
    return e;
}

struct world {
    struct sps_engine_plan plan;
    struct sps_engine_snapshot snap;
    struct sps_aws_ec2_instance instance;
    struct sps_engine_exec_report exec;
    struct sps_aws_error region_error;
    struct sps_engine_region_result regions[3];
    struct sps_engine_report_input in;
};

static void s_world(struct world *w, bool report_only)
{
    memset(w, 0, sizeof(*w));
    sps_engine_plan_init(&w->plan);
    sps_engine_snapshot_init(&w->snap);
    static char id[] = "i-0000000000000aaa1", type[] = "m5.large";
    w->instance.instance_id = id;
    w->instance.instance_type = type;
    w->snap.instances.items = &w->instance;
    w->snap.instances.count = 1;

    s_group(&w->plan, "conv", SPS_ENGINE_GROUP_CONVERTED, NULL, 0.2, 0.2);
    struct sps_engine_group_plan *g =
        s_group(&w->plan, "web", SPS_ENGINE_GROUP_CONVERTING, NULL, 0.3, 0.2);
    s_note(g, "i-0000000000000aaa9", "protected from scale-in");
    s_group(&w->plan, "fb", SPS_ENGINE_GROUP_FALLBACK, "since 2026-11-24T07:00:00Z: no capacity",
            0.1, 0.1);
    s_group(&w->plan, "skip", SPS_ENGINE_GROUP_SKIPPED, "the Launch process is suspended", NAN,
            NAN);
    s_launch(&w->plan, "web", "i-0000000000000aaa1", "m5d.large", 0.096, 0.0312);
    s_launch(&w->plan, "web", "i-0000000000000aaa2", "c5.large", NAN, NAN);
    s_action(&w->plan, SPS_ENGINE_ATTACH, "web", NULL, "i-0000000000000bbb1");
    s_action(&w->plan, SPS_ENGINE_RETIRE, "web", "i-0000000000000aaa3", "i-0000000000000bbb2");

    sps_engine_exec_report_init(&w->exec);
    struct sps_engine_exec_entry *e = s_entry(&w->exec, SPS_ENGINE_LAUNCH, "web",
                                              "i-0000000000000aaa1", SPS_ENGINE_OUTCOME_DONE);
    e->spot_instance_id = D("i-0000000000000ccc1");
    e->spot_instance_type = D("m5d.large");
    e = s_entry(&w->exec, SPS_ENGINE_LAUNCH, "web", "i-0000000000000aaa2",
                SPS_ENGINE_OUTCOME_NO_CAPACITY);
    e->error = SPS_ERR_AWS_CAPACITY;
    snprintf(e->aws_error.code, sizeof(e->aws_error.code), "InsufficientInstanceCapacity");
    e = s_entry(&w->exec, SPS_ENGINE_ATTACH, "web", NULL, SPS_ENGINE_OUTCOME_FAILED);
    e->spot_instance_id = D("i-0000000000000bbb1");
    e->error = SPS_ERR_AWS_CLIENT;
    snprintf(e->aws_error.code, sizeof(e->aws_error.code), "ValidationError");
    snprintf(e->aws_error.message, sizeof(e->aws_error.message), "not running");
    e = s_entry(&w->exec, SPS_ENGINE_RETIRE, "web", "i-0000000000000aaa3",
                SPS_ENGINE_OUTCOME_FAILED);
    e->error = SPS_ERR_HTTP_TIMEOUT;

    snprintf(w->region_error.code, sizeof(w->region_error.code), "UnauthorizedOperation");
    w->regions[0] = (struct sps_engine_region_result){
        .account_id = "", .region = "us-east-1", .snapshot = &w->snap, .plan = &w->plan,
        .exec = report_only ? NULL : &w->exec};
    w->regions[1] = (struct sps_engine_region_result){
        .account_id = "222222222222", .region = "eu-west-1", .error = SPS_ERR_AWS_CLIENT,
        .aws_error = &w->region_error};
    w->regions[2] = (struct sps_engine_region_result){
        .account_id = "", .region = "ap-south-1", .error = SPS_ERR_HTTP_TIMEOUT};
    w->in = (struct sps_engine_report_input){.regions = w->regions, .region_count = 3,
                                             .report_only = report_only,
                                             .time_ms = 1795000000000};
}

static void s_world_free(struct world *w)
{
    w->snap.instances.items = NULL;
    w->snap.instances.count = 0;
    sps_engine_snapshot_clean_up(&w->snap);
    sps_engine_plan_clean_up(&w->plan);
    sps_engine_exec_report_clean_up(&w->exec);
}

/* Whether the text has a line equal to `line`. */
static bool s_has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
            return true;
    return false;
}

#define CHECK_LINE(text, line)                                                                     \
    do {                                                                                           \
        if (!s_has_line(text, line))                                                               \
            sps_test_fail(__FILE__, __LINE__, "no line \"%s\" in:\n%s", line, text);               \
    } while (0)

static void test_text(void)
{
    struct world w;
    s_world(&w, false);
    struct sps_buf out;
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_engine_report_text(&out, &w.in));
    const char *t = out.data;
    CHECK_LINE(t, "spotswap pass at 2026-11-18T11:06:40.000Z");
    CHECK_LINE(t, "us-east-1");
    CHECK_LINE(t, "  conv: converted");
    CHECK_LINE(t, "    4 in service: 3 on-demand, 1 spot; on-demand floor 1");
    CHECK_LINE(t, "    cost $0.2000/h now, $0.2000/h after this pass (0.0% saving)");
    CHECK_LINE(t, "  web: converting");
    CHECK_LINE(t, "    cost $0.3000/h now, $0.2000/h after this pass (33.3% saving)");
    CHECK_LINE(t, "    replace i-0000000000000aaa1 (m5.large, us-east-1a) with m5d.large: "
                  "on-demand $0.0960/h, spot $0.0312/h");
    CHECK_LINE(t, "    replace i-0000000000000aaa2 (?, us-east-1a) with c5.large: "
                  "on-demand unknown, spot unknown");
    CHECK_LINE(t, "    leave i-0000000000000aaa9: protected from scale-in");
    CHECK_LINE(t, "  fb: fallback (since 2026-11-24T07:00:00Z: no capacity)");
    CHECK_LINE(t, "  skip: skipped (the Launch process is suspended)");
    CHECK_LINE(t, "  attach i-0000000000000bbb1 in web: because");
    CHECK_LINE(t, "  retire i-0000000000000bbb2 / i-0000000000000aaa3 in web: because");
    CHECK_LINE(t, "  done: launch i-0000000000000aaa1 in web: done -> i-0000000000000ccc1 "
                  "(m5d.large)");
    CHECK_LINE(t, "  done: launch i-0000000000000aaa2 in web: no-capacity "
                  "[InsufficientInstanceCapacity]");
    CHECK_LINE(t, "  done: attach i-0000000000000bbb1 in web: failed "
                  "[ValidationError: not running]");
    char timeout_line[256];
    snprintf(timeout_line, sizeof timeout_line, "  done: retire i-0000000000000aaa3 in web: "
             "failed [%s]", sps_error_name(SPS_ERR_HTTP_TIMEOUT));
    CHECK_LINE(t, timeout_line);
    CHECK_LINE(t, "eu-west-1 (account 222222222222)");
    char failed[256];
    snprintf(failed, sizeof failed, "  failed: %s: UnauthorizedOperation",
             sps_error_message(SPS_ERR_AWS_CLIENT));
    CHECK_LINE(t, failed);
    snprintf(failed, sizeof failed, "  failed: %s", sps_error_message(SPS_ERR_HTTP_TIMEOUT));
    CHECK_LINE(t, failed);
    /* Skipped groups count as groups but not in costs: 0.2+0.3+0.1 now, 0.2+0.2+0.1 after. */
    CHECK_LINE(t, "total: 4 groups, 2 replacements launched or attempted; cost $0.6000/h now, "
                  "$0.5000/h after (16.7% saving); 2 failed actions, 2 failed regions");
    sps_buf_clean_up(&out);
    s_world_free(&w);
}

static void test_text_report_only_and_unknown_totals(void)
{
    struct world w;
    s_world(&w, true);
    w.plan.groups[0].cost_now_usd_per_hour = NAN; /* a converted group with an unknown price */
    w.in.region_count = 1;
    struct sps_buf out;
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_engine_report_text(&out, &w.in));
    const char *t = out.data;
    CHECK_LINE(t, "spotswap report-only pass at 2026-11-18T11:06:40.000Z");
    CHECK_LINE(t, "    cost unknown now, $0.2000/h after this pass");
    CHECK_LINE(t, "total: 4 groups, 2 replacements would be launched; cost unknown now, "
                  "$0.5000/h after");
    SPS_CHECK(strstr(t, "done:") == NULL);
    sps_buf_clean_up(&out);

    struct sps_engine_plan empty;
    sps_engine_plan_init(&empty);
    struct sps_engine_region_result rr = {.account_id = "", .region = "us-west-2",
                                          .plan = &empty};
    struct sps_engine_report_input in = {.regions = &rr, .region_count = 1, .report_only = true};
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_engine_report_text(&out, &in));
    CHECK_LINE(out.data, "  no selected groups");
    CHECK_LINE(out.data, "total: 0 groups, 0 replacements would be launched; cost $0.0000/h now, "
                         "$0.0000/h after");
    sps_buf_clean_up(&out);
    s_world_free(&w);
}

static json_t *s_get(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL)
        sps_test_fail(__FILE__, __LINE__, "no key %s", key);
    return v;
}

#define CHECK_JSTR(o, key, want) SPS_CHECK_STR_EQ(json_string_value(s_get(o, key)), want)
#define CHECK_JNULL(o, key) SPS_CHECK(json_is_null(s_get(o, key)))
#define CHECK_JINT(o, key, want) SPS_CHECK_INT_EQ(json_integer_value(s_get(o, key)), want)
#define CHECK_JNUM(o, key, want) SPS_CHECK(fabs(json_number_value(s_get(o, key)) - (want)) < 1e-4)

static void test_json(void)
{
    struct world w;
    s_world(&w, false);
    struct sps_buf out;
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_engine_report_json(&out, &w.in));
    SPS_CHECK(out.len > 0 && out.data[out.len - 1] == '\n');
    json_error_t jerr;
    json_t *root = json_loads(out.data, 0, &jerr);
    SPS_CHECK(root != NULL);
    CHECK_JSTR(root, "mode", "run");
    CHECK_JSTR(root, "time", "2026-11-18T11:06:40.000Z");
    json_t *regions = s_get(root, "regions");
    SPS_CHECK_INT_EQ(json_array_size(regions), 3);

    json_t *r0 = json_array_get(regions, 0);
    CHECK_JSTR(r0, "account", "");
    CHECK_JSTR(r0, "region", "us-east-1");
    json_t *groups = s_get(r0, "groups");
    SPS_CHECK_INT_EQ(json_array_size(groups), 4);
    const char *states[] = {"converted", "converting", "fallback", "skipped"};
    for (size_t i = 0; i < 4; i++)
        CHECK_JSTR(json_array_get(groups, i), "state", states[i]);
    json_t *conv = json_array_get(groups, 0);
    CHECK_JSTR(conv, "name", "conv");
    CHECK_JNULL(conv, "reason");
    CHECK_JINT(conv, "in_service", 4);
    CHECK_JINT(conv, "on_demand", 3);
    CHECK_JINT(conv, "spot", 1);
    CHECK_JINT(conv, "on_demand_floor", 1);
    SPS_CHECK_INT_EQ(json_array_size(s_get(conv, "replacements")), 0);
    json_t *web = json_array_get(groups, 1);
    CHECK_JNUM(web, "cost_now_usd_per_hour", 0.3);
    CHECK_JNUM(web, "cost_after_usd_per_hour", 0.2);
    CHECK_JNUM(web, "savings_pct", 100.0 / 3);
    json_t *repl = s_get(web, "replacements");
    SPS_CHECK_INT_EQ(json_array_size(repl), 2);
    json_t *r = json_array_get(repl, 0);
    CHECK_JSTR(r, "instance", "i-0000000000000aaa1");
    CHECK_JSTR(r, "from_type", "m5.large");
    CHECK_JSTR(r, "to_type", "m5d.large");
    CHECK_JSTR(r, "az", "us-east-1a");
    SPS_CHECK_INT_EQ(json_array_size(s_get(r, "candidates")), 2);
    SPS_CHECK_STR_EQ(json_string_value(json_array_get(s_get(r, "candidates"), 1)), "m5a.large");
    CHECK_JNUM(r, "on_demand_usd_per_hour", 0.096);
    CHECK_JNUM(r, "spot_usd_per_hour", 0.0312);
    r = json_array_get(repl, 1);
    CHECK_JSTR(r, "from_type", "?");
    CHECK_JNULL(r, "on_demand_usd_per_hour");
    CHECK_JNULL(r, "spot_usd_per_hour");
    json_t *left = s_get(web, "left_alone");
    SPS_CHECK_INT_EQ(json_array_size(left), 1);
    CHECK_JSTR(json_array_get(left, 0), "instance", "i-0000000000000aaa9");
    CHECK_JSTR(json_array_get(left, 0), "reason", "protected from scale-in");
    json_t *skip = json_array_get(groups, 3);
    CHECK_JSTR(skip, "reason", "the Launch process is suspended");
    CHECK_JNULL(skip, "cost_now_usd_per_hour");
    CHECK_JNULL(skip, "savings_pct");

    json_t *actions = s_get(r0, "actions");
    SPS_CHECK_INT_EQ(json_array_size(actions), 4);
    json_t *a = json_array_get(actions, 3);
    CHECK_JSTR(a, "kind", "retire");
    CHECK_JSTR(a, "group", "web");
    CHECK_JSTR(a, "instance", "i-0000000000000aaa3");
    CHECK_JSTR(a, "spot_instance", "i-0000000000000bbb2");
    CHECK_JSTR(a, "reason", "because");
    CHECK_JNULL(json_array_get(actions, 2), "instance");
    json_t *results = s_get(r0, "results");
    SPS_CHECK_INT_EQ(json_array_size(results), 4);
    json_t *x = json_array_get(results, 0);
    CHECK_JSTR(x, "outcome", "done");
    CHECK_JSTR(x, "spot_instance", "i-0000000000000ccc1");
    CHECK_JSTR(x, "spot_instance_type", "m5d.large");
    CHECK_JNULL(x, "error");
    CHECK_JNULL(x, "aws_code");
    x = json_array_get(results, 1);
    CHECK_JSTR(x, "outcome", "no-capacity");
    CHECK_JSTR(x, "error", sps_error_name(SPS_ERR_AWS_CAPACITY));
    CHECK_JSTR(x, "aws_code", "InsufficientInstanceCapacity");
    x = json_array_get(results, 2);
    CHECK_JSTR(x, "outcome", "failed");
    CHECK_JSTR(x, "aws_code", "ValidationError");
    x = json_array_get(results, 3);
    CHECK_JSTR(x, "error", sps_error_name(SPS_ERR_HTTP_TIMEOUT));
    CHECK_JNULL(x, "aws_code");

    json_t *r1 = json_array_get(regions, 1);
    CHECK_JSTR(r1, "account", "222222222222");
    CHECK_JSTR(r1, "error", sps_error_name(SPS_ERR_AWS_CLIENT));
    CHECK_JSTR(r1, "message", sps_error_message(SPS_ERR_AWS_CLIENT));
    CHECK_JSTR(r1, "aws_code", "UnauthorizedOperation");
    SPS_CHECK(json_object_get(r1, "groups") == NULL);
    json_t *r2 = json_array_get(regions, 2);
    CHECK_JSTR(r2, "error", sps_error_name(SPS_ERR_HTTP_TIMEOUT));
    CHECK_JNULL(r2, "aws_code");

    json_t *totals = s_get(root, "totals");
    CHECK_JINT(totals, "groups", 4);
    CHECK_JINT(totals, "replacements", 2);
    CHECK_JNUM(totals, "cost_now_usd_per_hour", 0.6);
    CHECK_JNUM(totals, "cost_after_usd_per_hour", 0.5);
    CHECK_JNUM(totals, "savings_pct", 100.0 / 6);
    CHECK_JINT(totals, "failed_actions", 2);
    CHECK_JINT(totals, "failed_regions", 2);
    json_decref(root);
    sps_buf_clean_up(&out);
    s_world_free(&w);
}

static void test_json_report_only(void)
{
    struct world w;
    s_world(&w, true);
    w.plan.groups[1].cost_after_usd_per_hour = NAN;
    struct sps_buf out;
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_engine_report_json(&out, &w.in));
    json_t *root = json_loads(out.data, 0, NULL);
    SPS_CHECK(root != NULL);
    CHECK_JSTR(root, "mode", "report-only");
    json_t *r0 = json_array_get(s_get(root, "regions"), 0);
    SPS_CHECK(json_object_get(r0, "results") == NULL);
    CHECK_JNULL(json_array_get(s_get(r0, "groups"), 1), "savings_pct");
    json_t *totals = s_get(root, "totals");
    CHECK_JNULL(totals, "cost_after_usd_per_hour");
    CHECK_JNULL(totals, "savings_pct");
    CHECK_JINT(totals, "failed_actions", 0);
    json_decref(root);
    sps_buf_clean_up(&out);

    struct sps_engine_totals t;
    sps_engine_report_totals(&w.in, &t);
    SPS_CHECK(isnan(t.cost_after_usd_per_hour));
    SPS_CHECK(fabs(t.cost_now_usd_per_hour - 0.6) < 1e-9);
    SPS_CHECK_INT_EQ(t.failed_regions, 2);
    s_world_free(&w);
}

/* A report larger than its buffer's limit fails with the buffer's error. */
static void test_too_large(void)
{
    struct world w;
    s_world(&w, false);
    struct sps_buf out;
    sps_buf_init(&out, 64);
    SPS_CHECK(sps_engine_report_text(&out, &w.in) != SPS_OK);
    sps_buf_clean_up(&out);
    sps_buf_init(&out, 64);
    SPS_CHECK(sps_engine_report_json(&out, &w.in) != SPS_OK);
    sps_buf_clean_up(&out);
    s_world_free(&w);
}

SPS_TEST_MAIN(SPS_CASE(test_text), SPS_CASE(test_text_report_only_and_unknown_totals),
              SPS_CASE(test_json), SPS_CASE(test_json_report_only), SPS_CASE(test_too_large))
