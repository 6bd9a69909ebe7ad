/* The scan over the scripted transport with canned answers (tests/fixtures/scan, written by
 * make_fixtures.py): the exact calls made for a known estate (the call economy is a
 * requirement), what lands in the snapshot (selection, names, merged instances, resolved
 * sources, hooks, statuses, images), opt-in globs and opt-out, two regions in the same rounds,
 * and each failing call failing its region cleanly (error kept, snapshot empty, no leak) while
 * a tolerated "not found" does not. */
#include "http_client_env.h"
#include "engine_selection.h"
#include "sps_engine_scan.h"
#include "sps_test.h"

#include <stdio.h>

static struct sps_cenv s_env;
static struct sps_aws_client *s_asg;
/* The failure to inject: the action, the error code, and a body substring it needs. */
static const char *s_fail_action, *s_fail_code, *s_fail_needle;
/* A 200 answer to send instead of the canned one for s_fail_action (broken or paging forever). */
static const char *s_fail_body;

static const char *const s_opt_in_settings[] = {"tag_filters", "spot-enabled=t?ue", NULL};
static const char *const s_opt_out_team[] = {"mode", "opt-out", "opt_out_tag", "team=*", NULL};
#define s_opt_in SPS_TEST_SELECTION(s_opt_in_settings)

static bool s_has(const struct sps_http_request *req, const char *needle)
{
    return strstr(req->body.data ? req->body.data : "", needle) != NULL;
}

static void s_answer_fixture(struct sps_http_response *resp, const char *name)
{
    char path[96];
    snprintf(path, sizeof path, "scan/%s", name);
    resp->status = 200;
    sps_test_read_fixture(&resp->body, path);
}

static void s_answer_error(const struct sps_http_request *req, struct sps_http_response *resp)
{
    resp->status = 400;
    if (strstr(req->url.data, "autoscaling") != NULL)
        (void)sps_buf_printf(&resp->body,
                             "<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>"
                             "refused</Message></Error><RequestId>r-1</RequestId></ErrorResponse>",
                             s_fail_code);
    else
        (void)sps_buf_printf(&resp->body,
                             "<Response><Errors><Error><Code>%s</Code><Message>refused</Message>"
                             "</Error></Errors><RequestID>r-1</RequestID></Response>",
                             s_fail_code);
}

static sps_err s_handler(void *ctx, const struct sps_http_request *req,
                         struct sps_http_response *resp)
{
    (void)ctx;
    char action[80];
    const char *a = strstr(req->body.data, "Action=");
    size_t n = a ? strcspn(a + 7, "&") : 0;
    snprintf(action, sizeof action, "%.*s", (int)n, a ? a + 7 : "");
    if (s_fail_action != NULL && strcmp(action, s_fail_action) == 0 &&
        (s_fail_needle == NULL || s_has(req, s_fail_needle))) {
        if (s_fail_body != NULL) {
            resp->status = 200;
            (void)sps_buf_append_str(&resp->body, s_fail_body);
        } else {
            s_answer_error(req, resp);
        }
        return SPS_OK;
    }
    if (strcmp(action, "DescribeAutoScalingGroups") == 0)
        s_answer_fixture(resp,
                         s_has(req, "NextToken=page-2") ? "groups_page2.xml" : "groups_page1.xml");
    else if (strcmp(action, "DescribeInstances") == 0)
        s_answer_fixture(resp, s_has(req, "InstanceId.1=") ? "instances_members.xml"
                                                           : "instances_tagged.xml");
    else if (strcmp(action, "DescribeLaunchConfigurations") == 0)
        s_answer_fixture(resp, "launch_configurations.xml");
    else if (strcmp(action, "DescribeLaunchTemplateVersions") == 0)
        s_answer_fixture(resp,
                         s_has(req, "lt-0mixed") ? "versions_mixed.xml" : "versions_batch.xml");
    else if (strcmp(action, "DescribeLifecycleHooks") == 0)
        s_answer_fixture(resp, s_has(req, "AutoScalingGroupName=web") ? "hooks_web.xml"
                                                                      : "hooks_none.xml");
    else if (strcmp(action, "DescribeInstanceStatus") == 0)
        s_answer_fixture(resp, "status.xml");
    else if (strcmp(action, "DescribeImages") == 0)
        s_answer_fixture(resp, "images.xml");
    else if (strcmp(action, "DescribeRegions") == 0) {
        resp->status = 200;
        (void)sps_buf_append_str(&resp->body, sps_cenv_regions_ok);
    } else
        resp->status = 500;
    return SPS_OK;
}

static void s_setup(void)
{
    sps_cenv_setup(&s_env, SPS_AWS_EC2);
    struct sps_aws_client_options o = sps_cenv_options(&s_env, SPS_AWS_AUTOSCALING);
    o.retry.max_attempts = 1;
    SPS_CHECK_OK(sps_aws_client_new(&s_asg, &o));
    o = sps_cenv_options(&s_env, SPS_AWS_EC2);
    o.retry.max_attempts = 1;
    sps_cenv_reclient(&s_env, &o);
    sps_fake_transport_set_handler(s_env.fake, s_handler, NULL);
    s_fail_action = s_fail_code = s_fail_needle = s_fail_body = NULL;
}

static void s_teardown(void)
{
    sps_aws_client_destroy(s_asg);
    s_asg = NULL;
    sps_cenv_teardown(&s_env);
}

/* Requests sent for `action`, and how many of them contain `needle` (NULL: all). */
static size_t s_sent(const char *action, const char *needle)
{
    char key[96];
    snprintf(key, sizeof key, "Action=%s&", action);
    size_t count = 0;
    for (size_t i = 0; i < sps_fake_transport_request_count(s_env.fake); i++) {
        const struct sps_http_request *r = sps_fake_transport_request(s_env.fake, i);
        if (s_has(r, key) && (needle == NULL || s_has(r, needle)))
            count++;
    }
    return count;
}

static void test_calls_and_snapshot(void)
{
    s_setup();
    struct sps_engine_snapshot snap;
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_engine_scan_region(s_env.client, s_asg, &s_opt_in, 77, &snap, &e));
    /* The call economy for this estate: 11 calls in 4 rounds (two of them single calls). */
    SPS_CHECK_INT_EQ(s_sent("DescribeAutoScalingGroups", NULL), 2);
    SPS_CHECK_INT_EQ(s_sent("DescribeAutoScalingGroups", "Filters"), 0);
    SPS_CHECK_INT_EQ(s_sent("DescribeAutoScalingGroups", "MaxRecords=100"), 2);
    SPS_CHECK_INT_EQ(s_sent("DescribeInstances", NULL), 2);
    SPS_CHECK_INT_EQ(s_sent("DescribeInstances", "Filter.1.Value.2=spotswap%3Areplaced-by"), 1);
    SPS_CHECK_INT_EQ(s_sent("DescribeInstances", "InstanceId.2="), 1); /* i-web1, i-batch1 */
    SPS_CHECK_INT_EQ(s_sent("DescribeInstances", "InstanceId.3="), 0); /* i-web2 known already */
    SPS_CHECK_INT_EQ(s_sent("DescribeInstances", "i-web2"), 0);
    SPS_CHECK_INT_EQ(s_sent("DescribeLaunchConfigurations", NULL), 1);
    SPS_CHECK_INT_EQ(s_sent("DescribeLaunchConfigurations", "old-lc"), 0);
    SPS_CHECK_INT_EQ(s_sent("DescribeLaunchTemplateVersions", NULL), 1); /* batch only */
    SPS_CHECK_INT_EQ(s_sent("DescribeLaunchTemplateVersions", "LaunchTemplateVersion.1=%24Default"),
                     1);
    SPS_CHECK_INT_EQ(s_sent("DescribeLifecycleHooks", NULL), 3); /* web batch dying */
    SPS_CHECK_INT_EQ(s_sent("DescribeInstanceStatus", NULL), 1);
    SPS_CHECK_INT_EQ(s_sent("DescribeInstanceStatus", "i-spot1"), 1);
    SPS_CHECK_INT_EQ(s_sent("DescribeImages", NULL), 1);
    SPS_CHECK_INT_EQ(s_sent("DescribeImages", "Filter.1.Name=image-id"), 1);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(s_env.fake), 11);
    SPS_CHECK_INT_EQ(sps_fake_transport_batches(s_env.fake), 2);

    SPS_CHECK_INT_EQ(snap.now_ms, 77);
    SPS_CHECK_STR_EQ(snap.region, "us-east-1");
    SPS_CHECK_INT_EQ(snap.groups.count, 3); /* web, batch, dying ("yes" does not match t?ue) */
    SPS_CHECK(sps_aws_asg_groups_find(&snap.groups, "dying") != NULL);
    SPS_CHECK(sps_aws_asg_groups_find(&snap.groups, "mixed") == NULL);
    SPS_CHECK_INT_EQ(snap.all_group_names.count, 5);
    SPS_CHECK(sps_aws_strings_contains(&snap.all_group_names, "legacy"));
    SPS_CHECK(sps_aws_strings_contains(&snap.all_group_names, "mixed"));
    SPS_CHECK_INT_EQ(snap.instances.count, 6); /* 2 tagged + the 4 the canned answer holds */
    SPS_CHECK(sps_engine_snapshot_instance(&snap, "i-spot1") != NULL);
    SPS_CHECK(sps_engine_snapshot_instance(&snap, "i-nope") == NULL);
    SPS_CHECK_INT_EQ(snap.statuses.count, 1);
    SPS_CHECK(sps_engine_snapshot_image(&snap, "ami-0003") != NULL);
    SPS_CHECK(sps_engine_snapshot_image(&snap, "ami-0004") == NULL);
    SPS_CHECK_STR_EQ(sps_engine_snapshot_source(&snap, "web")->launch_configuration->name,
                     "web-lc");
    const struct sps_engine_group_source *batch = sps_engine_snapshot_source(&snap, "batch");
    SPS_CHECK(batch->template_version != NULL && batch->template_version->version_number == 2);
    SPS_CHECK(sps_engine_snapshot_source(&snap, "mixed") == NULL);
    SPS_CHECK_INT_EQ(sps_engine_snapshot_hooks(&snap, "web")->count, 1);
    SPS_CHECK_INT_EQ(sps_engine_snapshot_hooks(&snap, "batch")->count, 0);
    SPS_CHECK(sps_engine_snapshot_hooks(&snap, "legacy") == NULL);
    sps_engine_snapshot_clean_up(&snap);
    sps_engine_snapshot_clean_up(NULL);
    s_teardown();
}

static void test_opt_out_and_mixed_latest(void)
{
    s_setup();
    const struct sps_engine_selection sel = SPS_TEST_SELECTION(s_opt_out_team);
    struct sps_engine_snapshot snap;
    SPS_CHECK_OK(sps_engine_scan_region(s_env.client, s_asg, &sel, 0, &snap, NULL));
    SPS_CHECK_INT_EQ(snap.groups.count, 3); /* mixed, legacy, dying */
    SPS_CHECK(sps_aws_asg_groups_find(&snap.groups, "web") == NULL);
    const struct sps_engine_group_source *mixed = sps_engine_snapshot_source(&snap, "mixed");
    SPS_CHECK(mixed->template_version != NULL && mixed->template_version->version_number == 3);
    SPS_CHECK_STR_EQ(sps_engine_snapshot_source(&snap, "legacy")->launch_configuration->name,
                     "old-lc");
    SPS_CHECK_INT_EQ(s_sent("DescribeLaunchTemplateVersions", NULL), 1);
    SPS_CHECK_INT_EQ(s_sent("DescribeLaunchConfigurations", NULL), 1);
    SPS_CHECK_INT_EQ(s_sent("DescribeLifecycleHooks", NULL), 3);
    /* The spotswap spot instance is tagged for web, which is not selected: still read, and its
     * status too (the planner decides what an instance of an unselected group means). */
    SPS_CHECK_INT_EQ(s_sent("DescribeInstanceStatus", NULL), 1);
    sps_engine_snapshot_clean_up(&snap);
    s_teardown();
}

static void test_selection_rules(void)
{
    struct sps_aws_tags t;
    sps_aws_tags_init(&t);
    sps_aws_tags_set(&t, "spot-enabled", "true", false);
    sps_aws_tags_set(&t, "env", "prod-eu-1", false);
    static const char *const two[] = {"tag_filters", "spot-enabled=*,env=prod-*-?", NULL};
    SPS_CHECK(sps_test_select((void *)two, &t));
    static const char *const miss[] = {"tag_filters", "env=prod-*-?x", NULL};
    SPS_CHECK(!sps_test_select((void *)miss, &t));
    static const char *const absent[] = {"tag_filters", "team=*", NULL};
    SPS_CHECK(!sps_test_select((void *)absent, &t)); /* a missing key never matches, even "*" */
    /* spotswap:enabled brings a group in whatever the filters say: the planner applies it. */
    sps_aws_tags_set(&t, "spotswap:enabled", "false", false);
    SPS_CHECK(sps_test_select((void *)absent, &t));
    sps_aws_tags_clean_up(&t);
    sps_aws_tags_init(&t);
    sps_aws_tags_set(&t, "team", "web", false);
    static const char *const out[] = {"mode", "opt-out", "opt_out_tag", "team=*", NULL};
    SPS_CHECK(!sps_test_select((void *)out, &t));
    static const char *const out_false[] = {"mode", "opt-out", NULL}; /* spot-enabled=false */
    SPS_CHECK(sps_test_select((void *)out_false, &t));
    sps_aws_tags_set(&t, "spot-enabled", "false", false);
    SPS_CHECK(!sps_test_select((void *)out_false, &t));
    sps_aws_tags_clean_up(&t);
}

static void test_two_regions_same_rounds(void)
{
    s_setup();
    struct sps_aws_client_options o = sps_cenv_options(&s_env, SPS_AWS_EC2);
    o.region = "eu-west-1";
    struct sps_aws_client *ec2_eu = NULL, *asg_eu = NULL;
    SPS_CHECK_OK(sps_aws_client_new(&ec2_eu, &o));
    o.service = SPS_AWS_AUTOSCALING;
    SPS_CHECK_OK(sps_aws_client_new(&asg_eu, &o));
    struct sps_engine_scan_job jobs[2] = {
        {.ec2 = s_env.client, .autoscaling = s_asg},
        {.ec2 = ec2_eu, .autoscaling = asg_eu, .account_id = "222222222222"}};
    SPS_CHECK_OK(sps_engine_scan_regions(jobs, 2, &s_opt_in, 0, 0));
    SPS_CHECK_OK(jobs[0].result);
    SPS_CHECK_OK(jobs[1].result);
    SPS_CHECK_STR_EQ(jobs[1].snapshot.region, "eu-west-1");
    SPS_CHECK_STR_EQ(jobs[1].snapshot.account_id, "222222222222");
    SPS_CHECK_INT_EQ(jobs[1].snapshot.groups.count, 3);
    /* Twice the calls of one region, in the same number of rounds. */
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(s_env.fake), 22);
    SPS_CHECK_INT_EQ(sps_fake_transport_batches(s_env.fake), 4);
    for (size_t i = 0; i < 2; i++)
        sps_engine_snapshot_clean_up(&jobs[i].snapshot);
    sps_aws_client_destroy(ec2_eu);
    sps_aws_client_destroy(asg_eu);
    s_teardown();
}

/* Each call failing in turn fails the region with its error kept and the snapshot empty. */
static void test_each_failure_fails_the_region(void)
{
    static const struct {
        const char *action, *code, *needle;
    } cases[] = {
        {"DescribeAutoScalingGroups", "ValidationError", NULL},
        {"DescribeAutoScalingGroups", "ValidationError", "NextToken=page-2"},
        {"DescribeInstances", "InvalidParameterValue", "tag-key"},
        {"DescribeInstances", "InvalidInstanceID.NotFound", "InstanceId.1="},
        {"DescribeLaunchConfigurations", "ValidationError", NULL},
        {"DescribeLaunchTemplateVersions", "InvalidParameterValue", NULL},
        {"DescribeLifecycleHooks", "ValidationError", "AutoScalingGroupName=batch"},
        {"DescribeInstanceStatus", "InvalidParameterValue", NULL},
        {"DescribeImages", "InvalidParameterValue", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        s_setup();
        s_fail_action = cases[i].action;
        s_fail_code = cases[i].code;
        s_fail_needle = cases[i].needle;
        struct sps_engine_snapshot snap;
        struct sps_aws_error e;
        SPS_CHECK_ERR(sps_engine_scan_region(s_env.client, s_asg, &s_opt_in, 0, &snap, &e),
                      SPS_ERR_AWS_CLIENT);
        SPS_CHECK_STR_EQ(e.code, cases[i].code);
        SPS_CHECK_INT_EQ(snap.groups.count, 0);
        SPS_CHECK_INT_EQ(snap.instances.count, 0);
        SPS_CHECK_INT_EQ(snap.all_group_names.count, 0);
        SPS_CHECK(snap.sources == NULL && snap.hooks == NULL);
        sps_engine_snapshot_clean_up(&snap);
        s_teardown();
    }
}

/* An answer the parser refuses fails the region like a service error, naming the action. */
static void test_broken_answer_fails_the_region(void)
{
    static const struct {
        const char *action, *body;
    } cases[] = {
        {"DescribeAutoScalingGroups",
         "<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups>"
         "<member><AutoScalingGroupName>x</AutoScalingGroupName></member></AutoScalingGroups>"
         "</DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>"},
        {"DescribeLifecycleHooks",
         "<DescribeLifecycleHooksResponse><DescribeLifecycleHooksResult><LifecycleHooks><member>"
         "<AutoScalingGroupName>web</AutoScalingGroupName></member></LifecycleHooks>"
         "</DescribeLifecycleHooksResult></DescribeLifecycleHooksResponse>"},
        {"DescribeImages", "<DescribeImagesResponse><imagesSet><item><name>x</name></item>"
                           "</imagesSet></DescribeImagesResponse>"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        s_setup();
        s_fail_action = cases[i].action;
        s_fail_body = cases[i].body;
        struct sps_engine_scan_job job = {.ec2 = s_env.client, .autoscaling = s_asg};
        SPS_CHECK_OK(sps_engine_scan_regions(&job, 1, &s_opt_in, 0, 0));
        SPS_CHECK_ERR(job.result, SPS_ERR_MISSING_FIELD);
        SPS_CHECK_STR_EQ(job.failed_action, cases[i].action);
        SPS_CHECK_STR_EQ(job.aws_error.code, "");
        SPS_CHECK_INT_EQ(job.snapshot.groups.count, 0);
        sps_engine_snapshot_clean_up(&job.snapshot);
        s_teardown();
    }
}

/* A service handing back the token it was given is not followed forever. */
static void test_repeated_token_stops(void)
{
    s_setup();
    s_fail_action = "DescribeInstanceStatus";
    s_fail_body = "<DescribeInstanceStatusResponse><instanceStatusSet></instanceStatusSet>"
                  "<nextToken>again</nextToken></DescribeInstanceStatusResponse>";
    struct sps_engine_snapshot snap;
    SPS_CHECK_OK(sps_engine_scan_region(s_env.client, s_asg, &s_opt_in, 0, &snap, NULL));
    SPS_CHECK_INT_EQ(s_sent("DescribeInstanceStatus", NULL), 2);
    SPS_CHECK_INT_EQ(s_sent("DescribeInstanceStatus", "NextToken=again"), 1);
    SPS_CHECK_INT_EQ(snap.groups.count, 3);
    sps_engine_snapshot_clean_up(&snap);
    s_teardown();
}

static void test_failed_job_records_the_action(void)
{
    s_setup();
    s_fail_action = "DescribeImages";
    s_fail_code = "InvalidParameterValue";
    struct sps_engine_scan_job job = {.ec2 = s_env.client, .autoscaling = s_asg};
    SPS_CHECK_OK(sps_engine_scan_regions(&job, 1, &s_opt_in, 0, 4));
    SPS_CHECK_ERR(job.result, SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(job.failed_action, "DescribeImages");
    SPS_CHECK_STR_EQ(job.aws_error.code, "InvalidParameterValue");
    sps_engine_snapshot_clean_up(&job.snapshot);
    s_teardown();
}

/* A deleted template or an instance gone before its status was read is not a failure. */
static void test_not_found_is_tolerated_where_safe(void)
{
    s_setup();
    s_fail_action = "DescribeLaunchTemplateVersions";
    s_fail_code = "InvalidLaunchTemplateName.NotFoundException";
    struct sps_engine_snapshot snap;
    SPS_CHECK_OK(sps_engine_scan_region(s_env.client, s_asg, &s_opt_in, 0, &snap, NULL));
    const struct sps_engine_group_source *batch = sps_engine_snapshot_source(&snap, "batch");
    SPS_CHECK(batch != NULL && batch->template_version == NULL &&
              batch->launch_configuration == NULL);
    sps_engine_snapshot_clean_up(&snap);
    s_teardown();

    s_setup();
    s_fail_action = "DescribeInstanceStatus";
    s_fail_code = "InvalidInstanceID.NotFound";
    SPS_CHECK_OK(sps_engine_scan_region(s_env.client, s_asg, &s_opt_in, 0, &snap, NULL));
    SPS_CHECK_INT_EQ(snap.statuses.count, 0);
    SPS_CHECK_INT_EQ(snap.groups.count, 3);
    sps_engine_snapshot_clean_up(&snap);
    s_teardown();
}

static void test_bad_arguments_and_regions(void)
{
    s_setup();
    struct sps_engine_snapshot snap;
    SPS_CHECK_ERR(sps_engine_scan_region(NULL, s_asg, &s_opt_in, 0, &snap, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_scan_region(s_env.client, NULL, &s_opt_in, 0, &snap, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_scan_region(s_env.client, s_asg, NULL, 0, &snap, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_scan_region(s_env.client, s_asg, &s_opt_in, 0, NULL, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_OK(sps_engine_scan_regions(NULL, 0, &s_opt_in, 0, 0));
    SPS_CHECK_ERR(sps_engine_scan_regions(NULL, 1, &s_opt_in, 0, 0), SPS_ERR_INVALID_ARGUMENT);
    struct sps_engine_scan_outcome *out = NULL;
    const struct sps_engine_scan_options o = {.transport = s_env.transport};
    const struct sps_engine_scan_target no_region = {NULL, NULL, ""};
    SPS_CHECK_ERR(sps_engine_scan_all(&no_region, 1, &s_opt_in, &o, 0, &out),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_scan_all(NULL, 0, &s_opt_in, NULL, 0, &out), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_scan_all(NULL, 0, &s_opt_in, &o, 0, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(s_env.fake), 0);
    sps_engine_scan_outcomes_free(NULL, 3);

    struct sps_aws_strings regions;
    SPS_CHECK_OK(sps_engine_list_regions(s_env.client, &regions, NULL));
    SPS_CHECK(regions.count > 0);
    sps_aws_strings_clean_up(&regions);
    SPS_CHECK_ERR(sps_engine_list_regions(NULL, &regions, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_list_regions(s_env.client, NULL, NULL), SPS_ERR_INVALID_ARGUMENT);
    s_fail_action = "DescribeRegions";
    s_fail_code = "InvalidParameterValue";
    struct sps_aws_error e;
    SPS_CHECK_ERR(sps_engine_list_regions(s_env.client, &regions, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_INT_EQ(regions.count, 0);
    s_teardown();
}

/* A target whose clients cannot be built carries the error; the others are scanned. */
static void test_scan_all_with_a_bad_target(void)
{
    s_setup();
    const struct sps_engine_scan_options o = {.transport = s_env.transport,
                                              .credentials = &s_env.provider.base,
                                              .env = &s_env.env.env,
                                              .clock = &s_env.clock.clock,
                                              .rand = &s_env.rand.rand,
                                              .concurrency = 2};
    const struct sps_engine_scan_target targets[] = {{NULL, NULL, "not a region!"},
                                                     {NULL, "333333333333", "us-east-1"}};
    struct sps_engine_scan_outcome *out = NULL;
    SPS_CHECK_OK(sps_engine_scan_all(targets, 2, &s_opt_in, &o, 9, &out));
    SPS_CHECK(out[0].result != SPS_OK);
    SPS_CHECK_INT_EQ(out[0].snapshot.groups.count, 0);
    SPS_CHECK_OK(out[1].result);
    SPS_CHECK_STR_EQ(out[1].snapshot.account_id, "333333333333");
    SPS_CHECK_INT_EQ(out[1].snapshot.groups.count, 3);
    SPS_CHECK_INT_EQ(out[1].snapshot.now_ms, 9);
    sps_engine_scan_outcomes_free(out, 2);
    s_teardown();
}

SPS_TEST_MAIN(SPS_CASE(test_calls_and_snapshot), SPS_CASE(test_opt_out_and_mixed_latest),
              SPS_CASE(test_selection_rules), SPS_CASE(test_two_regions_same_rounds),
              SPS_CASE(test_each_failure_fails_the_region),
              SPS_CASE(test_broken_answer_fails_the_region), SPS_CASE(test_repeated_token_stops),
              SPS_CASE(test_failed_job_records_the_action),
              SPS_CASE(test_not_found_is_tolerated_where_safe),
              SPS_CASE(test_bad_arguments_and_regions), SPS_CASE(test_scan_all_with_a_bad_target))
