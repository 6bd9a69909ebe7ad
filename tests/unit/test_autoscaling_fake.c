/* The typed Auto Scaling calls end to end against the simulated AWS (tests/fakeaws, scenario
 * basic.json): each operation over the wire, pagination across pages, and each mutating call's
 * effect seen through DescribeAutoScalingGroups. Instances to attach are launched with a raw
 * RunInstances query (the typed EC2 calls live elsewhere). */
#include "sps_aws_autoscaling.h"
#include "sps_fakeaws.h"
#include "sps_test.h"

#include <stdio.h>

static struct sps_fakeaws s_fake;

/* One group, described by name; fails the test when it is not there. */
static void s_group(struct sps_aws_client *asg, const char *name, struct sps_aws_asg_groups *out)
{
    const char *names[] = {name};
    struct sps_aws_asg_describe_groups_input in = {.names = names, .name_count = 1};
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_aws_asg_describe_groups(asg, &in, out, &e));
    SPS_CHECK_INT_EQ(out->count, 1);
    SPS_CHECK_STR_EQ(out->items[0].name, name);
}

static void s_advance(int seconds)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"seconds\": %d}", seconds);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "advance", body, NULL), 200);
}

/* How many calls of `action` the fake has logged. */
static size_t s_calls(const char *action)
{
    char path[128];
    snprintf(path, sizeof(path), "calls?all=1&action=%s", action);
    struct sps_buf body;
    sps_buf_init(&body, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "GET", path, NULL, &body), 200);
    size_t n = 0;
    for (const char *p = body.data; (p = strstr(p, "\"seq\"")) != NULL; p++)
        n++;
    sps_buf_clean_up(&body);
    return n;
}

/* Launches `count` m5.large instances in us-east-1a with a raw RunInstances; ids into `ids`. */
static void s_launch(struct sps_aws_client *ec2, size_t count, char ids[][32])
{
    struct sps_query q;
    sps_query_init(&q, "RunInstances", "2016-11-15");
    sps_query_set(&q, "ImageId", "ami-0a1b2c3d4e5f60001");
    sps_query_set(&q, "InstanceType", "m5.large");
    char n[8];
    snprintf(n, sizeof(n), "%zu", count);
    sps_query_set(&q, "MinCount", n);
    sps_query_set(&q, "MaxCount", n);
    sps_query_set(&q, "Placement.AvailabilityZone", "us-east-1a");
    struct sps_aws_call call;
    sps_aws_call_init_query(&call, ec2, &q);
    SPS_CHECK_OK(sps_aws_call_run(&call));
    size_t i = 0;
    for (const struct sps_xml_node *it =
             sps_xml_path(sps_aws_call_result_node(&call), "instancesSet/item");
         it && i < count; it = sps_xml_next(it, "item"), i++)
        snprintf(ids[i], sizeof(ids[i]), "%s", sps_xml_path_text(it, "instanceId"));
    SPS_CHECK_INT_EQ(i, count);
    sps_aws_call_clean_up(&call);
    sps_query_clean_up(&q);
}

/* The EC2 state name of one instance, via a raw DescribeInstances. */
static void s_ec2_state(struct sps_aws_client *ec2, const char *id, char *out, size_t size)
{
    struct sps_query q;
    sps_query_init(&q, "DescribeInstances", "2016-11-15");
    sps_query_set(&q, "InstanceId.1", id);
    struct sps_aws_call call;
    sps_aws_call_init_query(&call, ec2, &q);
    SPS_CHECK_OK(sps_aws_call_run(&call));
    const char *state =
        sps_xml_path_text(sps_aws_call_result_node(&call),
                          "reservationSet/item/instancesSet/item/instanceState/name");
    snprintf(out, size, "%s", state ? state : "");
    sps_aws_call_clean_up(&call);
    sps_query_clean_up(&q);
}

static void test_describe_by_tags_names_and_pages(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    struct sps_aws_client *asg = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1");
    struct sps_aws_error e;
    struct sps_aws_asg_groups g;

    static const char *const yes[] = {"true"};
    const struct sps_aws_asg_filter by_tag[] = {{"tag:spot-enabled", yes, 1}};
    struct sps_aws_asg_describe_groups_input in = {.filters = by_tag, .filter_count = 1};
    SPS_CHECK_OK(sps_aws_asg_describe_groups(asg, &in, &g, &e));
    SPS_CHECK_INT_EQ(g.count, 2);
    SPS_CHECK(sps_aws_asg_groups_find(&g, "web") != NULL);
    SPS_CHECK(sps_aws_asg_groups_find(&g, "batch") != NULL);
    SPS_CHECK(sps_aws_asg_groups_find(&g, "plain") == NULL); /* untagged */
    SPS_CHECK(sps_aws_asg_groups_find(&g, "mixed") == NULL);
    const struct sps_aws_asg_group *web = sps_aws_asg_groups_find(&g, "web");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&web->tags, "spot-enabled"), "true");
    SPS_CHECK_STR_EQ(web->launch_configuration_name, "web-lc");
    SPS_CHECK_INT_EQ(web->instance_count, 2);
    SPS_CHECK_INT_EQ(web->instances[0].lifecycle_state, SPS_AWS_ASG_STATE_IN_SERVICE);
    SPS_CHECK_INT_EQ(web->subnet_ids.count, 2);
    sps_aws_asg_groups_clean_up(&g);

    static const char *const no[] = {"false"};
    const struct sps_aws_asg_filter wrong_value[] = {{"tag:spot-enabled", no, 1}};
    in = (struct sps_aws_asg_describe_groups_input){.filters = wrong_value, .filter_count = 1};
    SPS_CHECK_OK(sps_aws_asg_describe_groups(asg, &in, &g, &e));
    SPS_CHECK_INT_EQ(g.count, 0);
    sps_aws_asg_groups_clean_up(&g);
    static const char *const key[] = {"spot-enabled"};
    const struct sps_aws_asg_filter by_key[] = {{"tag-key", key, 1}, {"tag-value", yes, 1}};
    in = (struct sps_aws_asg_describe_groups_input){.filters = by_key, .filter_count = 2};
    SPS_CHECK_OK(sps_aws_asg_describe_groups(asg, &in, &g, &e));
    SPS_CHECK_INT_EQ(g.count, 2);
    sps_aws_asg_groups_clean_up(&g);

    static const char *const names[] = {"plain", "mixed", "no-such-group"};
    in = (struct sps_aws_asg_describe_groups_input){.names = names, .name_count = 3};
    SPS_CHECK_OK(sps_aws_asg_describe_groups(asg, &in, &g, &e));
    SPS_CHECK_INT_EQ(g.count, 2);
    const struct sps_aws_asg_group *mixed = sps_aws_asg_groups_find(&g, "mixed");
    SPS_CHECK(mixed->mixed_instances_policy.present);
    SPS_CHECK_INT_EQ(mixed->mixed_instances_policy.override_count, 2);
    SPS_CHECK_STR_EQ(mixed->mixed_instances_policy.launch_template.name, "batch-lt");
    sps_aws_asg_groups_clean_up(&g);

    /* MaxRecords 1: four groups, four pages. */
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "calls/clear", NULL, NULL), 200);
    in = (struct sps_aws_asg_describe_groups_input){.max_records = 1};
    SPS_CHECK_OK(sps_aws_asg_describe_groups(asg, &in, &g, &e));
    SPS_CHECK_INT_EQ(g.count, 4);
    SPS_CHECK_STR_EQ(g.items[0].name, "batch");
    SPS_CHECK_STR_EQ(g.items[3].name, "web");
    SPS_CHECK_INT_EQ(s_calls("DescribeAutoScalingGroups"), 4);
    sps_aws_asg_groups_clean_up(&g);

    /* The builder and the pure parser, two regions at once through run_many. */
    struct sps_aws_client *eu = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "eu-west-1");
    in = (struct sps_aws_asg_describe_groups_input){.filters = by_tag, .filter_count = 1};
    struct sps_query q;
    sps_aws_asg_describe_groups_query(&q, &in);
    struct sps_aws_call calls[2];
    sps_aws_call_init_query(&calls[0], asg, &q);
    sps_aws_call_init_query(&calls[1], eu, &q);
    sps_aws_call_run_many(calls, 2);
    size_t expected[] = {2, 1};
    for (size_t i = 0; i < 2; i++) {
        SPS_CHECK_OK(calls[i].result);
        sps_aws_asg_groups_init(&g);
        SPS_CHECK_OK(sps_aws_asg_parse_describe_groups(sps_aws_call_result_node(&calls[i]), &g));
        SPS_CHECK_INT_EQ(g.count, expected[i]);
        sps_aws_asg_groups_clean_up(&g);
        sps_aws_call_clean_up(&calls[i]);
    }
    sps_query_clean_up(&q);

    /* Another region of the same account, every group. */
    in = (struct sps_aws_asg_describe_groups_input){0};
    SPS_CHECK_OK(sps_aws_asg_describe_groups(eu, &in, &g, &e));
    SPS_CHECK_INT_EQ(g.count, 1);
    SPS_CHECK_STR_EQ(g.items[0].name, "small");
    sps_aws_asg_groups_clean_up(&g);
    sps_aws_client_destroy(eu);

    static const char *const lc_names[] = {"web-lc"};
    struct sps_aws_asg_describe_launch_configurations_input li = {.names = lc_names,
                                                                  .name_count = 1};
    struct sps_aws_asg_launch_configurations lcs;
    SPS_CHECK_OK(sps_aws_asg_describe_launch_configurations(asg, &li, &lcs, &e));
    SPS_CHECK_INT_EQ(lcs.count, 1);
    SPS_CHECK_STR_EQ(lcs.items[0].instance_type, "m5.large");
    SPS_CHECK_STR_EQ(lcs.items[0].image_id, "ami-0a1b2c3d4e5f60001");
    sps_aws_asg_launch_configurations_clean_up(&lcs);

    struct sps_aws_asg_lifecycle_hooks hooks;
    SPS_CHECK_OK(sps_aws_asg_describe_lifecycle_hooks(asg, "batch", &hooks, &e));
    SPS_CHECK_INT_EQ(hooks.count, 1);
    SPS_CHECK_STR_EQ(hooks.items[0].name, "drain");
    SPS_CHECK_INT_EQ(hooks.items[0].transition, SPS_AWS_ASG_TRANSITION_TERMINATING);
    SPS_CHECK_INT_EQ(hooks.items[0].heartbeat_timeout, 300);
    sps_aws_asg_lifecycle_hooks_clean_up(&hooks);
    SPS_CHECK_OK(sps_aws_asg_describe_lifecycle_hooks(asg, "web", &hooks, &e));
    SPS_CHECK_INT_EQ(hooks.count, 0);
    SPS_CHECK_ERR(sps_aws_asg_describe_lifecycle_hooks(asg, "no-such-group", &hooks, &e),
                  SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");

    sps_aws_client_destroy(asg);
    sps_fakeaws_stop(&s_fake);
}

static void test_attach_detach_protect_desired(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    struct sps_aws_client *asg = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    struct sps_aws_error e;
    struct sps_aws_asg_groups g;
    char ids[2][32];
    s_launch(ec2, 2, ids);
    s_advance(25); /* pending -> running */

    /* web: min 1, max 3, desired 2 */
    const char *first[] = {ids[0]};
    struct sps_aws_asg_instances_input in = {
        .group_name = "web", .instance_ids = first, .instance_count = 1};
    SPS_CHECK_OK(sps_aws_asg_attach_instances(asg, &in, &e));
    s_group(asg, "web", &g);
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, 3);
    const struct sps_aws_asg_instance *m = sps_aws_asg_group_find_instance(&g.items[0], ids[0]);
    SPS_CHECK(m != NULL);
    SPS_CHECK_INT_EQ(m->lifecycle_state, SPS_AWS_ASG_STATE_PENDING);
    sps_aws_asg_groups_clean_up(&g);
    s_advance(6);
    s_group(asg, "web", &g);
    m = sps_aws_asg_group_find_instance(&g.items[0], ids[0]);
    SPS_CHECK_INT_EQ(m->lifecycle_state, SPS_AWS_ASG_STATE_IN_SERVICE);
    SPS_CHECK_STR_EQ(m->lifecycle_state_raw, "InService");
    sps_aws_asg_groups_clean_up(&g);

    /* A fourth instance would exceed max 3. */
    const char *second[] = {ids[1]};
    in.instance_ids = second;
    SPS_CHECK_ERR(sps_aws_asg_attach_instances(asg, &in, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");
    SPS_CHECK(strstr(e.message, "max size") != NULL);
    s_group(asg, "web", &g);
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, 3);
    SPS_CHECK(sps_aws_asg_group_find_instance(&g.items[0], ids[1]) == NULL);
    sps_aws_asg_groups_clean_up(&g);

    /* Protect, then unprotect, the attached member. */
    in.instance_ids = first;
    in.protected_from_scale_in = true;
    SPS_CHECK_OK(sps_aws_asg_set_instance_protection(asg, &in, &e));
    s_group(asg, "web", &g);
    SPS_CHECK(sps_aws_asg_group_find_instance(&g.items[0], ids[0])->protected_from_scale_in);
    sps_aws_asg_groups_clean_up(&g);
    in.protected_from_scale_in = false;
    SPS_CHECK_OK(sps_aws_asg_set_instance_protection(asg, &in, &e));
    s_group(asg, "web", &g);
    SPS_CHECK(!sps_aws_asg_group_find_instance(&g.items[0], ids[0])->protected_from_scale_in);
    sps_aws_asg_groups_clean_up(&g);

    /* Detach it again with a decrement: desired back to 2, the instance keeps running. */
    in.should_decrement_desired_capacity = true;
    struct sps_aws_asg_activities acts;
    SPS_CHECK_OK(sps_aws_asg_detach_instances(asg, &in, &acts, &e));
    SPS_CHECK_INT_EQ(acts.count, 1);
    SPS_CHECK(strstr(acts.items[0].description, ids[0]) != NULL);
    SPS_CHECK_STR_EQ(acts.items[0].group_name, "web");
    sps_aws_asg_activities_clean_up(&acts);
    s_group(asg, "web", &g);
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, 2);
    SPS_CHECK(sps_aws_asg_group_find_instance(&g.items[0], ids[0]) == NULL);
    sps_aws_asg_groups_clean_up(&g);
    char state[32];
    s_ec2_state(ec2, ids[0], state, sizeof(state));
    SPS_CHECK_STR_EQ(state, "running");
    /* Detaching what is no longer a member is refused. */
    SPS_CHECK_ERR(sps_aws_asg_detach_instances(asg, &in, &acts, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");
    SPS_CHECK_INT_EQ(acts.count, 0);

    /* SetDesiredCapacity within and beyond the bounds. */
    SPS_CHECK_OK(sps_aws_asg_set_desired_capacity(asg, "web", 1, false, &e));
    s_group(asg, "web", &g);
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, 1);
    sps_aws_asg_groups_clean_up(&g);
    SPS_CHECK_ERR(sps_aws_asg_set_desired_capacity(asg, "web", 4, false, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");

    sps_aws_client_destroy(ec2);
    sps_aws_client_destroy(asg);
    sps_fakeaws_stop(&s_fake);
}

static bool s_has_activity(struct sps_aws_client *asg, const char *id, const char *status)
{
    struct sps_aws_asg_describe_activities_input in = {.group_name = "batch", .max_records = 20};
    struct sps_aws_asg_activities acts;
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_aws_asg_describe_activities(asg, &in, &acts, &e));
    bool found = false;
    for (size_t i = 0; i < acts.count; i++) {
        if (strcmp(acts.items[i].activity_id, id) == 0)
            found = strcmp(acts.items[i].status_code, status) == 0;
    }
    sps_aws_asg_activities_clean_up(&acts);
    return found;
}

static void test_terminate_waits_for_the_lifecycle_hook(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    struct sps_aws_client *asg = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    struct sps_aws_error e;
    struct sps_aws_asg_groups g;
    s_group(asg, "batch", &g); /* min 1, desired 2, hook "drain" 300 s */
    char victim[32];
    snprintf(victim, sizeof(victim), "%s", g.items[0].instances[0].instance_id);
    sps_aws_asg_groups_clean_up(&g);

    struct sps_aws_asg_activity act;
    SPS_CHECK_OK(sps_aws_asg_terminate_instance(asg, victim, true, &act, &e));
    SPS_CHECK(strstr(act.description, victim) != NULL);
    SPS_CHECK_STR_EQ(act.status_code, "InProgress");
    char activity_id[64];
    snprintf(activity_id, sizeof(activity_id), "%s", act.activity_id);
    sps_aws_asg_activity_clean_up(&act);

    s_group(asg, "batch", &g);
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, 1);
    const struct sps_aws_asg_instance *m = sps_aws_asg_group_find_instance(&g.items[0], victim);
    SPS_CHECK(m != NULL);
    SPS_CHECK_INT_EQ(m->lifecycle_state, SPS_AWS_ASG_STATE_TERMINATING_WAIT);
    SPS_CHECK_STR_EQ(m->lifecycle_state_raw, "Terminating:Wait");
    sps_aws_asg_groups_clean_up(&g);
    SPS_CHECK(s_has_activity(asg, activity_id, "InProgress"));

    s_advance(200); /* still inside the 300 s heartbeat */
    s_group(asg, "batch", &g);
    m = sps_aws_asg_group_find_instance(&g.items[0], victim);
    SPS_CHECK(m != NULL && m->lifecycle_state == SPS_AWS_ASG_STATE_TERMINATING_WAIT);
    sps_aws_asg_groups_clean_up(&g);
    char state[32];
    s_ec2_state(ec2, victim, state, sizeof(state));
    SPS_CHECK_STR_EQ(state, "running");

    s_advance(120); /* past the heartbeat timeout: the hook's default result lets it go */
    s_group(asg, "batch", &g);
    SPS_CHECK(sps_aws_asg_group_find_instance(&g.items[0], victim) == NULL);
    SPS_CHECK_INT_EQ(g.items[0].instance_count, 1);
    sps_aws_asg_groups_clean_up(&g);
    s_advance(15);
    s_ec2_state(ec2, victim, state, sizeof(state));
    SPS_CHECK_STR_EQ(state, "terminated");
    SPS_CHECK(s_has_activity(asg, activity_id, "Successful"));

    /* Terminating below min with a decrement is refused; the activity stays empty. */
    s_group(asg, "batch", &g);
    snprintf(victim, sizeof(victim), "%s", g.items[0].instances[0].instance_id);
    sps_aws_asg_groups_clean_up(&g);
    SPS_CHECK_ERR(sps_aws_asg_terminate_instance(asg, victim, true, &act, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");
    SPS_CHECK(act.activity_id == NULL);

    sps_aws_client_destroy(ec2);
    sps_aws_client_destroy(asg);
    sps_fakeaws_stop(&s_fake);
}

static void test_update_tags_and_processes(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    struct sps_aws_client *asg = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1");
    struct sps_aws_error e;
    struct sps_aws_asg_groups g;

    /* plain: min 1, max 1, desired 1 */
    struct sps_aws_asg_update_input up = {.group_name = "plain",
                                          .set_max_size = true,
                                          .max_size = 3,
                                          .set_desired_capacity = true,
                                          .desired_capacity = 2};
    SPS_CHECK_OK(sps_aws_asg_update_group(asg, &up, &e));
    s_group(asg, "plain", &g);
    SPS_CHECK_INT_EQ(g.items[0].min_size, 1);
    SPS_CHECK_INT_EQ(g.items[0].max_size, 3);
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, 2);
    sps_aws_asg_groups_clean_up(&g);
    up = (struct sps_aws_asg_update_input){
        .group_name = "plain", .set_min_size = true, .min_size = 2};
    SPS_CHECK_OK(sps_aws_asg_update_group(asg, &up, &e));
    s_group(asg, "plain", &g);
    SPS_CHECK_INT_EQ(g.items[0].min_size, 2);
    SPS_CHECK_INT_EQ(g.items[0].max_size, 3); /* untouched: not sent */
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, 2);
    sps_aws_asg_groups_clean_up(&g);
    up.min_size = 5; /* above max */
    SPS_CHECK_ERR(sps_aws_asg_update_group(asg, &up, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");

    /* Tags on the untagged "mixed" group make the tag filter find it. */
    struct sps_aws_tags tags;
    sps_aws_tags_init(&tags);
    sps_aws_tags_set(&tags, "spot-enabled", "true", false);
    sps_aws_tags_set(&tags, "owner", "ops team", true);
    SPS_CHECK_OK(sps_aws_asg_create_or_update_tags(asg, "mixed", &tags, &e));
    sps_aws_tags_clean_up(&tags);
    s_group(asg, "mixed", &g);
    const struct sps_aws_asg_group *mixed = &g.items[0];
    SPS_CHECK_INT_EQ(mixed->tags.count, 2);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&mixed->tags, "owner"), "ops team");
    for (size_t i = 0; i < mixed->tags.count; i++)
        SPS_CHECK(mixed->tags.items[i].propagate_at_launch ==
                  (strcmp(mixed->tags.items[i].key, "owner") == 0));
    sps_aws_asg_groups_clean_up(&g);
    static const char *const yes[] = {"true"};
    const struct sps_aws_asg_filter by_tag[] = {{"tag:spot-enabled", yes, 1}};
    struct sps_aws_asg_describe_groups_input din = {.filters = by_tag, .filter_count = 1};
    SPS_CHECK_OK(sps_aws_asg_describe_groups(asg, &din, &g, &e));
    SPS_CHECK_INT_EQ(g.count, 3);
    SPS_CHECK(sps_aws_asg_groups_find(&g, "mixed") != NULL);
    sps_aws_asg_groups_clean_up(&g);
    sps_aws_tags_init(&tags);
    sps_aws_tags_set(&tags, "aws:reserved", "x", false);
    SPS_CHECK_ERR(sps_aws_asg_create_or_update_tags(asg, "mixed", &tags, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");
    sps_aws_tags_clean_up(&tags);

    /* DeleteTags: the fake does not implement it (InvalidAction); accept that, or its effect. */
    static const char *const owner[] = {"owner"};
    sps_err err = sps_aws_asg_delete_tags(asg, "mixed", owner, 1, &e);
    if (err == SPS_OK) {
        s_group(asg, "mixed", &g);
        SPS_CHECK(sps_aws_tags_get(&g.items[0].tags, "owner") == NULL);
        sps_aws_asg_groups_clean_up(&g);
    } else {
        SPS_CHECK_ERR(err, SPS_ERR_AWS_CLIENT);
        SPS_CHECK_STR_EQ(e.code, "InvalidAction");
    }

    /* Suspend two processes, resume one, then resume all. */
    static const char *const procs[] = {"Launch", "AZRebalance"};
    SPS_CHECK_OK(sps_aws_asg_suspend_processes(asg, "web", procs, 2, &e));
    s_group(asg, "web", &g);
    SPS_CHECK_INT_EQ(g.items[0].suspended_processes.count, 2);
    SPS_CHECK(sps_aws_strings_contains(&g.items[0].suspended_processes, "Launch"));
    SPS_CHECK(sps_aws_strings_contains(&g.items[0].suspended_processes, "AZRebalance"));
    sps_aws_asg_groups_clean_up(&g);
    SPS_CHECK_OK(sps_aws_asg_resume_processes(asg, "web", procs, 1, &e));
    s_group(asg, "web", &g);
    SPS_CHECK_INT_EQ(g.items[0].suspended_processes.count, 1);
    SPS_CHECK_STR_EQ(g.items[0].suspended_processes.items[0], "AZRebalance");
    sps_aws_asg_groups_clean_up(&g);
    SPS_CHECK_OK(sps_aws_asg_resume_processes(asg, "web", NULL, 0, &e));
    s_group(asg, "web", &g);
    SPS_CHECK_INT_EQ(g.items[0].suspended_processes.count, 0);
    sps_aws_asg_groups_clean_up(&g);
    static const char *const nap[] = {"Nap"};
    SPS_CHECK_ERR(sps_aws_asg_suspend_processes(asg, "web", nap, 1, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");

    sps_aws_client_destroy(asg);
    sps_fakeaws_stop(&s_fake);
}

SPS_TEST_MAIN(SPS_CASE(test_describe_by_tags_names_and_pages),
              SPS_CASE(test_attach_detach_protect_desired),
              SPS_CASE(test_terminate_waits_for_the_lifecycle_hook),
              SPS_CASE(test_update_tags_and_processes))
