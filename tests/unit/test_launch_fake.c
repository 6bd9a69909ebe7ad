/* Whole swaps by hand, step by step, against the simulated AWS (tests/fakeaws, scenario
 * launch.json): a launch-configuration group, a launch-template group with a termination hook
 * and a MixedInstancesPolicy group; the first two candidates have no spot capacity. After every
 * step the group keeps at least desired InService instances and the on-demand instance is
 * never terminated before its replacement is InService, and the spot instance's launch record
 * (the fake's state dump) equals the on-demand one's but for type, market and tags. Also:
 * desired == max (max raised, then restored, tag gone), and steps re-run with the stale view a
 * crashed pass would have. */
#include "sps_fakeaws.h"
#include "sps_launch.h"
#include "sps_test.h"

#include <jansson.h>
#include <stdio.h>

static struct sps_fakeaws s_fake;
static struct sps_launch_context s_ctx;
static int64_t s_baseline; /* the group's desired capacity before the swap */

static void s_advance(int seconds)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"seconds\": %d}", seconds);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "advance", body, NULL), 200);
}

static void s_start(void)
{
    sps_fakeaws_start(&s_fake, "launch.json");
    s_ctx = (struct sps_launch_context){
        .ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1"),
        .autoscaling = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1"),
        .markets = sps_launch_markets_new(300000)};
}

static void s_stop(void)
{
    sps_launch_markets_destroy(s_ctx.markets);
    sps_aws_client_destroy(s_ctx.ec2);
    sps_aws_client_destroy(s_ctx.autoscaling);
    sps_fakeaws_stop(&s_fake);
}

static void s_group(const char *name, struct sps_aws_asg_groups *out)
{
    const char *names[] = {name};
    struct sps_aws_asg_describe_groups_input in = {.names = names, .name_count = 1};
    SPS_CHECK_OK(sps_aws_asg_describe_groups(s_ctx.autoscaling, &in, out, NULL));
    SPS_CHECK_INT_EQ(out->count, 1);
}

static void s_instance(const char *id, struct sps_aws_ec2_instances *out)
{
    *out = (struct sps_aws_ec2_instances){0};
    const char *ids[] = {id};
    struct sps_aws_ec2_describe_instances_request in = {.instance_ids = ids, .n_instance_ids = 1};
    SPS_CHECK_OK(sps_aws_ec2_describe_instances(s_ctx.ec2, &in, out, NULL));
    SPS_CHECK_INT_EQ(out->count, 1);
}

static bool s_running(const char *id)
{
    struct sps_aws_ec2_instances l;
    s_instance(id, &l);
    bool running = strcmp(l.items[0].state_name, "running") == 0;
    sps_aws_ec2_instances_clean_up(&l);
    return running;
}

static const char *s_state(const char *id, char *buf, size_t size)
{
    struct sps_aws_ec2_instances l;
    s_instance(id, &l);
    snprintf(buf, size, "%s", l.items[0].state_name);
    sps_aws_ec2_instances_clean_up(&l);
    return buf;
}

/* The invariants that must hold after every step of a swap of `od` by `spot`: at least the
 * desired capacity from before the swap is InService (AttachInstances raises desired at once
 * while the attached instance is still Pending, so the current desired can be one above), and
 * desired itself never drops below it. */
static void s_check_invariants(const char *group, const char *od, const char *spot)
{
    struct sps_aws_asg_groups g;
    s_group(group, &g);
    const struct sps_aws_asg_group *grp = &g.items[0];
    int64_t in_service = 0;
    for (size_t i = 0; i < grp->instance_count; i++)
        if (grp->instances[i].lifecycle_state == SPS_AWS_ASG_STATE_IN_SERVICE)
            in_service++;
    if (in_service < s_baseline || grp->desired_capacity < s_baseline)
        sps_test_fail(__FILE__, __LINE__, "%s: %lld InService, desired %lld, before the swap %lld",
                      group, (long long)in_service, (long long)grp->desired_capacity,
                      (long long)s_baseline);
    if (!s_running(od)) {
        const struct sps_aws_asg_instance *m =
            spot ? sps_aws_asg_group_find_instance(grp, spot) : NULL;
        SPS_CHECK(m != NULL && m->lifecycle_state == SPS_AWS_ASG_STATE_IN_SERVICE);
    }
    sps_aws_asg_groups_clean_up(&g);
}

/* The group's launch source, described the way the engine's scan does. */
struct source {
    struct sps_aws_asg_launch_configurations lcs;
    struct sps_aws_ec2_launch_template_versions versions;
    struct sps_launch_source src;
};

static void s_source(const struct sps_aws_asg_group *g, struct source *s)
{
    memset(s, 0, sizeof(*s));
    sps_aws_asg_launch_configurations_init(&s->lcs);
    if (g->launch_configuration_name) {
        const char *names[] = {g->launch_configuration_name};
        struct sps_aws_asg_describe_launch_configurations_input in = {.names = names,
                                                                      .name_count = 1};
        SPS_CHECK_OK(
            sps_aws_asg_describe_launch_configurations(s_ctx.autoscaling, &in, &s->lcs, NULL));
        SPS_CHECK_INT_EQ(s->lcs.count, 1);
        s->src.launch_configuration = &s->lcs.items[0];
        return;
    }
    const struct sps_aws_asg_launch_template *lt = g->mixed_instances_policy.present
                                                       ? &g->mixed_instances_policy.launch_template
                                                       : &g->launch_template;
    const char *versions[] = {lt->version ? lt->version : "$Default"};
    struct sps_aws_ec2_describe_launch_template_versions_request in = {
        .template_id = lt->id, .versions = versions, .n_versions = 1};
    SPS_CHECK_OK(sps_aws_ec2_describe_launch_template_versions(s_ctx.ec2, &in, &s->versions, NULL));
    SPS_CHECK_INT_EQ(s->versions.count, 1);
    s->src.template_version = &s->versions.items[0];
}

static void s_source_clean_up(struct source *s)
{
    sps_aws_asg_launch_configurations_clean_up(&s->lcs);
    sps_aws_ec2_launch_template_versions_clean_up(&s->versions);
}

/* The fake's record of how an instance was launched (state dump: instances.ID.launch). */
static json_t *s_launch_record(json_t *state, const char *id)
{
    json_t *inst = json_object_get(
        json_object_get(
            json_object_get(json_object_get(json_object_get(json_object_get(state, "accounts"),
                                                            SPS_FAKEAWS_ACCOUNT),
                                            "regions"),
                            "us-east-1"),
            "instances"),
        id);
    json_t *launch = json_object_get(inst, "launch");
    SPS_CHECK(launch != NULL);
    return launch;
}

/* The spot instance was launched with every attribute the group launched the on-demand
 * one with; only the type, the market and the tags differ. */
static void s_check_same_launch(const char *od, const char *spot)
{
    struct sps_buf body;
    sps_buf_init(&body, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "GET", "state", NULL, &body), 200);
    json_t *state = json_loads(body.data, 0, NULL);
    sps_buf_clean_up(&body);
    SPS_CHECK(state != NULL);
    json_t *a = s_launch_record(state, od), *b = s_launch_record(state, spot);
    static const char *const keys[] = {"image_id",
                                       "key_name",
                                       "security_groups",
                                       "subnet_id",
                                       "associate_public_ip",
                                       "network_interface",
                                       "user_data",
                                       "block_device_mappings",
                                       "metadata_options",
                                       "monitoring",
                                       "ebs_optimized",
                                       "tenancy",
                                       "iam_instance_profile"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *x = json_object_get(a, keys[i]), *y = json_object_get(b, keys[i]);
        if (!json_equal(x, y) && !(x == NULL && json_is_null(y)) &&
            !(y == NULL && json_is_null(x))) {
            char *xs = json_dumps(x, JSON_ENCODE_ANY), *ys = json_dumps(y, JSON_ENCODE_ANY);
            fprintf(stderr, "%s: on-demand %s, spot %s\n", keys[i], xs ? xs : "(none)",
                    ys ? ys : "(none)");
            free(xs);
            free(ys);
            json_decref(state);
            sps_test_fail(__FILE__, __LINE__, "launch attribute %s differs", keys[i]);
        }
    }
    json_t *market = json_object_get(b, "market");
    SPS_CHECK_STR_EQ(json_string_value(json_object_get(market, "type")), "spot");
    SPS_CHECK_STR_EQ(json_string_value(json_object_get(market, "max_price")), "0.096");
    json_decref(state);
}

/* Step 1: launch a spot replacement for the group's first InService member into `od`/`spot`.
 * The first two candidates have no capacity in us-east-1a; the third launches. */
static void s_launch(const char *group, char od[32], char spot[32])
{
    struct sps_aws_asg_groups g;
    s_group(group, &g);
    snprintf(od, 32, "%s", g.items[0].instances[0].instance_id);
    s_baseline = g.items[0].desired_capacity;
    struct sps_aws_ec2_instances inst;
    s_instance(od, &inst);
    SPS_CHECK_STR_EQ(inst.items[0].lifecycle, ""); /* on-demand */
    struct source src;
    s_source(&g.items[0], &src);
    char token[48];
    sps_launch_client_token(&s_ctx, token);
    struct sps_launch_spec spec = {.group = &g.items[0],
                                   .instance = &inst.items[0],
                                   .source = src.src,
                                   .max_price_usd = 0.096,
                                   .client_token = token};
    const char *candidates[] = {"c5.large", "c5a.large", "m5a.large"};
    struct sps_launch_outcome out;
    SPS_CHECK_OK(sps_launch_spot(&s_ctx, &spec, candidates, 3, &out));
    SPS_CHECK_INT_EQ(out.tried, 3);
    SPS_CHECK_STR_EQ(out.instance_type, "m5a.large");
    SPS_CHECK(sps_launch_markets_is_empty(s_ctx.markets, "c5.large", "us-east-1a",
                                          sps_clock_system()->mono_ms(sps_clock_system()->ctx)));
    snprintf(spot, 32, "%s", out.instance_id);
    s_source_clean_up(&src);
    sps_aws_ec2_instances_clean_up(&inst);
    sps_aws_asg_groups_clean_up(&g);

    /* The spot instance: outside the group, in the original's subnet, with the breadcrumbs. */
    struct sps_aws_ec2_instances l;
    s_instance(spot, &l);
    const struct sps_aws_ec2_instance *s = &l.items[0];
    SPS_CHECK_STR_EQ(s->lifecycle, "spot");
    SPS_CHECK_STR_EQ(s->instance_type, "m5a.large");
    SPS_CHECK_STR_EQ(s->availability_zone, "us-east-1a");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&s->tags, SPS_TAG_LAUNCHED_FOR_ASG), group);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&s->tags, SPS_TAG_REPLACES), od);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&s->tags, "team"), group);
    SPS_CHECK(sps_aws_tags_get(&s->tags, "aws:autoscaling:groupName") == NULL);
    sps_aws_ec2_instances_clean_up(&l);
    s_check_same_launch(od, spot);
    s_check_invariants(group, od, spot);
}

/* Step 2, once the spot instance runs: attach. Returns the group as it was before. */
static void s_attach(const char *group, const char *od, const char *spot)
{
    s_advance(25); /* pending -> running */
    SPS_CHECK(s_running(spot));
    s_check_invariants(group, od, spot);
    struct sps_aws_asg_groups g;
    s_group(group, &g);
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_launch_attach(&s_ctx, &g.items[0], spot, &e));
    s_check_invariants(group, od, spot);
    /* A re-run from the same (now stale) view: AWS refuses, the group shows it: success. */
    SPS_CHECK_OK(sps_launch_attach(&s_ctx, &g.items[0], spot, &e));
    sps_aws_asg_groups_clean_up(&g);
    s_advance(6); /* Pending -> InService */
    s_group(group, &g);
    const struct sps_aws_asg_instance *m = sps_aws_asg_group_find_instance(&g.items[0], spot);
    SPS_CHECK(m != NULL && m->lifecycle_state == SPS_AWS_ASG_STATE_IN_SERVICE);
    sps_aws_asg_groups_clean_up(&g);
    s_check_invariants(group, od, spot);
}

/* Step 3 without hooks: detach with decrement, then terminate. */
static void s_retire_detach(const char *group, const char *od, const char *spot,
                            int64_t desired_before)
{
    struct sps_aws_asg_groups g;
    s_group(group, &g);
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_launch_retire(&s_ctx, &g.items[0], od, spot, false, &e));
    s_check_invariants(group, od, spot);
    /* A re-run from the stale view (the instance still a member there): AWS says it is not
     * part of the group any more, so the re-run goes on to the (idempotent) terminate. */
    SPS_CHECK_OK(sps_launch_retire(&s_ctx, &g.items[0], od, spot, false, &e));
    sps_aws_asg_groups_clean_up(&g);
    s_advance(15);
    char state[32];
    SPS_CHECK_STR_EQ(s_state(od, state, sizeof(state)), "terminated");
    SPS_CHECK_OK(sps_launch_terminate(&s_ctx, od, &e)); /* terminating again: success */
    struct sps_aws_ec2_instances l;
    s_instance(od, &l);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&l.items[0].tags, SPS_TAG_REPLACED_BY), spot);
    sps_aws_ec2_instances_clean_up(&l);
    s_group(group, &g);
    SPS_CHECK(sps_aws_asg_group_find_instance(&g.items[0], od) == NULL);
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, desired_before);
    sps_aws_asg_groups_clean_up(&g);
    s_check_invariants(group, od, spot);
}

/* The RunInstances calls the fake logged carry `text`. */
static bool s_run_call_has(const char *text)
{
    struct sps_buf body;
    sps_buf_init(&body, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_INT_EQ(
        sps_fakeaws_admin(&s_fake, "GET", "calls?all=1&action=RunInstances", NULL, &body), 200);
    bool found = strstr(body.data, text) != NULL;
    sps_buf_clean_up(&body);
    return found;
}

static void test_launch_configuration_group(void)
{
    s_start();
    char od[32], spot[32];
    s_launch("web", od, spot);
    /* The launch configuration's attributes went into the request. */
    SPS_CHECK(s_run_call_has("sg-0123456789abcdef0"));
    SPS_CHECK(s_run_call_has("arn:aws:iam::111111111111:instance-profile/web"));
    SPS_CHECK(s_run_call_has("\"ImageId\": \"ami-0a1b2c3d4e5f60001\"") ||
              s_run_call_has("\"ImageId\":\"ami-0a1b2c3d4e5f60001\""));
    struct sps_aws_ec2_instances l;
    s_instance(spot, &l);
    SPS_CHECK_STR_EQ(l.items[0].key_name, "ops");
    SPS_CHECK_STR_EQ(l.items[0].image_id, "ami-0a1b2c3d4e5f60001");
    sps_aws_ec2_instances_clean_up(&l);
    s_attach("web", od, spot);
    s_retire_detach("web", od, spot, 2);
    s_stop();
}

static void test_group_at_max(void)
{
    s_start();
    char od[32], spot[32];
    s_launch("full", od, spot); /* desired 2 = max 2 */
    s_attach("full", od, spot);
    struct sps_aws_asg_groups g;
    s_group("full", &g);
    SPS_CHECK_INT_EQ(g.items[0].max_size, 3);
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, 3);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&g.items[0].tags, SPS_TAG_MAX_RAISED_FROM), "2");
    /* The tag is the group's own, never propagated to instances. */
    for (size_t i = 0; i < g.items[0].tags.count; i++)
        if (strcmp(g.items[0].tags.items[i].key, SPS_TAG_MAX_RAISED_FROM) == 0)
            SPS_CHECK(!g.items[0].tags.items[i].propagate_at_launch);
    sps_aws_asg_groups_clean_up(&g);
    s_retire_detach("full", od, spot, 2);

    s_group("full", &g);
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_launch_restore_max(&s_ctx, &g.items[0], &e));
    sps_aws_asg_groups_clean_up(&g);
    s_group("full", &g);
    SPS_CHECK_INT_EQ(g.items[0].max_size, 2);
    SPS_CHECK(sps_aws_tags_get(&g.items[0].tags, SPS_TAG_MAX_RAISED_FROM) == NULL);
    sps_aws_asg_groups_clean_up(&g);
    /* Once more from a view that still shows the tag (a crash after the delete): max is
     * already back, so only the delete repeats, and deleting a missing key is no error. */
    s_group("full", &g);
    sps_aws_tags_set(&g.items[0].tags, SPS_TAG_MAX_RAISED_FROM, "2", false);
    SPS_CHECK_OK(sps_launch_restore_max(&s_ctx, &g.items[0], &e));
    SPS_CHECK_INT_EQ(g.items[0].max_size, 2);
    sps_aws_asg_groups_clean_up(&g);
    s_check_invariants("full", od, spot);
    s_stop();
}

static void test_launch_template_group_with_termination_hook(void)
{
    s_start();
    char od[32], spot[32];
    s_launch("batch", od, spot);
    SPS_CHECK(s_run_call_has("LaunchTemplateId"));
    struct sps_aws_ec2_instances l;
    s_instance(spot, &l);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&l.items[0].tags, "from-template"), "yes");
    SPS_CHECK_STR_EQ(l.items[0].key_name, "ops");
    sps_aws_ec2_instances_clean_up(&l);
    s_attach("batch", od, spot);

    struct sps_aws_asg_groups g;
    s_group("batch", &g);
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_launch_retire(&s_ctx, &g.items[0], od, spot, true, &e));
    sps_aws_asg_groups_clean_up(&g);
    s_check_invariants("batch", od, spot);
    s_group("batch", &g);
    const struct sps_aws_asg_instance *m = sps_aws_asg_group_find_instance(&g.items[0], od);
    SPS_CHECK(m != NULL && m->lifecycle_state == SPS_AWS_ASG_STATE_TERMINATING_WAIT);
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, 2);
    /* A re-run while the hook holds it: nothing more happens (desired stays). */
    SPS_CHECK_OK(sps_launch_retire(&s_ctx, &g.items[0], od, spot, true, &e));
    sps_aws_asg_groups_clean_up(&g);
    s_group("batch", &g);
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, 2);
    sps_aws_asg_groups_clean_up(&g);

    s_advance(200); /* inside the 300 s heartbeat */
    SPS_CHECK(s_running(od));
    s_check_invariants("batch", od, spot);
    s_advance(120); /* past it: the group lets it go */
    s_advance(15);
    char state[32];
    SPS_CHECK_STR_EQ(s_state(od, state, sizeof(state)), "terminated");
    s_group("batch", &g);
    SPS_CHECK(sps_aws_asg_group_find_instance(&g.items[0], od) == NULL);
    sps_aws_asg_groups_clean_up(&g);
    s_check_invariants("batch", od, spot);
    s_stop();
}

static void test_mixed_instances_group(void)
{
    s_start();
    char od[32], spot[32];
    s_launch("mixed", od, spot);
    s_attach("mixed", od, spot);
    s_retire_detach("mixed", od, spot, 2);
    /* The market memory spared the empty markets on a second launch in the same pass. */
    char od2[32], spot2[32];
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "calls/clear", NULL, NULL), 200);
    struct sps_aws_asg_groups g;
    s_group("web", &g);
    snprintf(od2, sizeof(od2), "%s", g.items[0].instances[0].instance_id);
    struct sps_aws_ec2_instances inst;
    s_instance(od2, &inst);
    struct source src;
    s_source(&g.items[0], &src);
    char token[48];
    sps_launch_client_token(&s_ctx, token);
    struct sps_launch_spec spec = {.group = &g.items[0],
                                   .instance = &inst.items[0],
                                   .source = src.src,
                                   .max_price_usd = 0.096,
                                   .client_token = token};
    const char *candidates[] = {"c5.large", "c5a.large", "m5a.large"};
    struct sps_launch_outcome out;
    SPS_CHECK_OK(sps_launch_spot(&s_ctx, &spec, candidates, 3, &out));
    SPS_CHECK_INT_EQ(out.tried, 1);
    SPS_CHECK(!s_run_call_has("c5.large"));
    snprintf(spot2, sizeof(spot2), "%s", out.instance_id);
    SPS_CHECK(strcmp(spot2, spot) != 0);
    s_source_clean_up(&src);
    sps_aws_ec2_instances_clean_up(&inst);
    sps_aws_asg_groups_clean_up(&g);
    s_stop();
}

SPS_TEST_MAIN(SPS_CASE(test_launch_configuration_group), SPS_CASE(test_group_at_max),
              SPS_CASE(test_launch_template_group_with_termination_hook),
              SPS_CASE(test_mixed_instances_group))
