/* The scan against the simulated AWS (tests/fakeaws, scenario demo.json): one region read into a
 * snapshot (selection, every group name, sources of the launch configuration group and the
 * launch template group, members, images, hooks) with the expected call count per action; two
 * regions scanned in the same rounds; a spotswap spot instance outside any group found with its
 * status; opt-out selection through sps_engine_scan_all. */
#include "engine_selection.h"
#include "sps_engine_scan.h"
#include "sps_launch.h"
#include "sps_fakeaws.h"
#include "sps_fakes.h"
#include "sps_test.h"

#include <stdio.h>

static struct sps_fakeaws s_fake;
static const char *const s_opt_in_settings[] = {"tag_filters", "spot-enabled=t*e", NULL};
static const char *const s_opt_out_team[] = {"mode", "opt-out", "opt_out_tag", "team=*", NULL};
#define s_opt_in SPS_TEST_SELECTION(s_opt_in_settings)

static void s_clear_calls(void)
{
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "calls/clear", NULL, NULL), 200);
}

static void s_calls_log(struct sps_buf *body)
{
    sps_buf_init(body, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "GET", "calls?all=1", NULL, body), 200);
}

/* Occurrences of `needle` in the call log. */
static size_t s_count(const struct sps_buf *log, const char *needle)
{
    size_t n = 0;
    for (const char *p = log->data; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static size_t s_action_calls(const struct sps_buf *log, const char *action)
{
    char needle[96];
    snprintf(needle, sizeof needle, "\"action\": \"%s\"", action);
    return s_count(log, needle);
}

static const struct sps_aws_asg_group *s_group(const struct sps_engine_snapshot *s, const char *n)
{
    return sps_aws_asg_groups_find(&s->groups, n);
}

static void test_one_region(void)
{
    sps_fakeaws_start(&s_fake, "demo.json");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    struct sps_aws_client *asg = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1");
    s_clear_calls();
    struct sps_engine_snapshot snap;
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_engine_scan_region(ec2, asg, &s_opt_in, 1234, &snap, &e));
    SPS_CHECK_STR_EQ(snap.region, "us-east-1");
    SPS_CHECK_STR_EQ(snap.account_id, "");
    SPS_CHECK_INT_EQ(snap.now_ms, 1234);
    SPS_CHECK_INT_EQ(snap.groups.count, 2);
    SPS_CHECK(s_group(&snap, "web") != NULL && s_group(&snap, "batch") != NULL);
    SPS_CHECK(s_group(&snap, "legacy") == NULL);
    SPS_CHECK_INT_EQ(snap.all_group_names.count, 3);
    SPS_CHECK(sps_aws_strings_contains(&snap.all_group_names, "legacy"));

    const struct sps_engine_group_source *web = sps_engine_snapshot_source(&snap, "web");
    SPS_CHECK(web != NULL && web->launch_configuration != NULL && web->template_version == NULL);
    SPS_CHECK_STR_EQ(web->launch_configuration->name, "web-lc");
    const struct sps_engine_group_source *batch = sps_engine_snapshot_source(&snap, "batch");
    SPS_CHECK(batch != NULL && batch->template_version != NULL);
    SPS_CHECK_STR_EQ(batch->template_version->template_name, "batch-lt");
    SPS_CHECK_STR_EQ(batch->template_version->data.instance_type, "c5d.xlarge");
    SPS_CHECK(sps_engine_snapshot_source(&snap, "legacy") == NULL);

    SPS_CHECK_INT_EQ(snap.instances.count, 7);
    for (size_t g = 0; g < snap.groups.count; g++)
        for (size_t i = 0; i < snap.groups.items[g].instance_count; i++) {
            const char *id = snap.groups.items[g].instances[i].instance_id;
            const struct sps_aws_ec2_instance *in = sps_engine_snapshot_instance(&snap, id);
            SPS_CHECK(in != NULL);
            SPS_CHECK(sps_engine_snapshot_image(&snap, in->image_id) != NULL);
        }
    SPS_CHECK(sps_engine_snapshot_image(&snap, "ami-0a1b2c3d4e5f60001") != NULL);
    const struct sps_aws_asg_lifecycle_hooks *hooks = sps_engine_snapshot_hooks(&snap, "web");
    SPS_CHECK(hooks != NULL && hooks->count == 1);
    SPS_CHECK_STR_EQ(hooks->items[0].name, "drain");
    hooks = sps_engine_snapshot_hooks(&snap, "batch");
    SPS_CHECK(hooks != NULL && hooks->count == 0);
    SPS_CHECK_INT_EQ(snap.statuses.count, 0);

    struct sps_buf log;
    s_calls_log(&log);
    SPS_CHECK_INT_EQ(s_action_calls(&log, "DescribeAutoScalingGroups"), 1);
    SPS_CHECK_INT_EQ(s_action_calls(&log, "DescribeInstances"), 2);
    SPS_CHECK_INT_EQ(s_action_calls(&log, "DescribeLaunchConfigurations"), 1);
    SPS_CHECK_INT_EQ(s_action_calls(&log, "DescribeLaunchTemplateVersions"), 1);
    SPS_CHECK_INT_EQ(s_action_calls(&log, "DescribeLifecycleHooks"), 2);
    SPS_CHECK_INT_EQ(s_action_calls(&log, "DescribeImages"), 1);
    SPS_CHECK_INT_EQ(s_action_calls(&log, "DescribeInstanceStatus"), 0);
    SPS_CHECK_INT_EQ(s_count(&log, "\"seq\""), 8);
    sps_buf_clean_up(&log);

    sps_engine_snapshot_clean_up(&snap);
    sps_aws_client_destroy(ec2);
    sps_aws_client_destroy(asg);
    sps_fakeaws_stop(&s_fake);
}

/* Position of the first/last occurrence of an action in the (seq-ordered) log. */
static const char *s_first(const struct sps_buf *log, const char *action)
{
    char needle[96];
    snprintf(needle, sizeof needle, "\"action\": \"%s\"", action);
    return strstr(log->data, needle);
}

static const char *s_last(const struct sps_buf *log, const char *action)
{
    char needle[96];
    snprintf(needle, sizeof needle, "\"action\": \"%s\"", action);
    const char *last = NULL;
    for (const char *p = log->data; (p = strstr(p, needle)) != NULL; p++)
        last = p;
    return last;
}

static void test_two_regions_same_rounds(void)
{
    sps_fakeaws_start(&s_fake, "demo.json");
    struct sps_engine_scan_job jobs[2] = {
        {.ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1"),
         .autoscaling = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1")},
        {.ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-west-2"),
         .autoscaling = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-west-2"),
         .account_id = SPS_FAKEAWS_ACCOUNT},
    };
    s_clear_calls();
    SPS_CHECK_OK(sps_engine_scan_regions(jobs, 2, &s_opt_in, 5, 8));
    SPS_CHECK_OK(jobs[0].result);
    SPS_CHECK_OK(jobs[1].result);
    SPS_CHECK_INT_EQ(jobs[0].snapshot.groups.count, 2);
    SPS_CHECK_INT_EQ(jobs[1].snapshot.groups.count, 1);
    SPS_CHECK_STR_EQ(jobs[1].snapshot.groups.items[0].name, "api-west");
    SPS_CHECK_STR_EQ(jobs[1].snapshot.account_id, SPS_FAKEAWS_ACCOUNT);
    SPS_CHECK_INT_EQ(jobs[1].snapshot.instances.count, 2);
    SPS_CHECK(sps_engine_snapshot_source(&jobs[1].snapshot, "api-west")->launch_configuration);

    struct sps_buf log;
    s_calls_log(&log);
    SPS_CHECK_INT_EQ(s_action_calls(&log, "DescribeAutoScalingGroups"), 2);
    SPS_CHECK_INT_EQ(s_action_calls(&log, "DescribeLaunchConfigurations"), 2);
    SPS_CHECK_INT_EQ(s_action_calls(&log, "DescribeImages"), 2);
    SPS_CHECK_INT_EQ(s_count(&log, "\"region\": \"us-west-2\""), 6);
    /* Phases are rounds across both regions: every region's group listing comes before any
     * region's details, and every detail before any image lookup. */
    SPS_CHECK(s_last(&log, "DescribeAutoScalingGroups") < s_first(&log, "DescribeLifecycleHooks"));
    SPS_CHECK(s_last(&log, "DescribeAutoScalingGroups") <
              s_first(&log, "DescribeLaunchConfigurations"));
    SPS_CHECK(s_last(&log, "DescribeLifecycleHooks") < s_first(&log, "DescribeImages"));
    SPS_CHECK(s_last(&log, "DescribeLaunchConfigurations") < s_first(&log, "DescribeImages"));
    sps_buf_clean_up(&log);

    for (size_t i = 0; i < 2; i++) {
        sps_engine_snapshot_clean_up(&jobs[i].snapshot);
        sps_aws_client_destroy(jobs[i].ec2);
        sps_aws_client_destroy(jobs[i].autoscaling);
    }
    sps_fakeaws_stop(&s_fake);
}

static void test_spotswap_instance_outside_groups(void)
{
    sps_fakeaws_start(&s_fake, "demo.json");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    struct sps_aws_client *asg = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1");
    struct sps_engine_snapshot snap;
    SPS_CHECK_OK(sps_engine_scan_region(ec2, asg, &s_opt_in, 0, &snap, NULL));
    const char *member = s_group(&snap, "web")->instances[0].instance_id;
    struct sps_aws_tags tags;
    sps_aws_tags_init(&tags);
    sps_aws_tags_set(&tags, SPS_TAG_LAUNCHED_FOR_ASG, "web", false);
    sps_aws_tags_set(&tags, "spotswap:replaces", member, false);
    const struct sps_aws_ec2_run_request run = {.client_token = "scan-test-1",
                                                .image_id = "ami-0a1b2c3d4e5f60001",
                                                .instance_type = "m5.large",
                                                .availability_zone = "us-east-1a",
                                                .spot = true,
                                                .instance_tags = &tags};
    struct sps_aws_ec2_reservation res = {0};
    SPS_CHECK_OK(sps_aws_ec2_run_instances(ec2, &run, &res, NULL));
    SPS_CHECK_INT_EQ(res.instances.count, 1);
    char *spot_id = sps_strdup(res.instances.items[0].instance_id);
    sps_aws_ec2_reservation_clean_up(&res);
    sps_aws_tags_clean_up(&tags);
    sps_engine_snapshot_clean_up(&snap);

    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "advance", "{\"seconds\": 30}", NULL), 200);
    s_clear_calls();
    SPS_CHECK_OK(sps_engine_scan_region(ec2, asg, &s_opt_in, 0, &snap, NULL));
    const struct sps_aws_ec2_instance *spot = sps_engine_snapshot_instance(&snap, spot_id);
    SPS_CHECK(spot != NULL);
    SPS_CHECK_STR_EQ(spot->lifecycle, "spot");
    SPS_CHECK_STR_EQ(spot->state_name, "running");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&spot->tags, SPS_TAG_LAUNCHED_FOR_ASG), "web");
    SPS_CHECK_INT_EQ(snap.instances.count, 8); /* no duplicate of anything */
    SPS_CHECK_INT_EQ(snap.statuses.count, 1);
    SPS_CHECK_STR_EQ(snap.statuses.items[0].instance_id, spot_id);
    struct sps_buf log;
    s_calls_log(&log);
    SPS_CHECK_INT_EQ(s_action_calls(&log, "DescribeInstanceStatus"), 1);
    sps_buf_clean_up(&log);

    sps_free(spot_id);
    sps_engine_snapshot_clean_up(&snap);
    sps_aws_client_destroy(ec2);
    sps_aws_client_destroy(asg);
    sps_fakeaws_stop(&s_fake);
}

static void test_scan_all_opt_out(void)
{
    sps_fakeaws_start(&s_fake, "demo.json");
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL_EC2", s_fake.endpoint);
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL_AUTO_SCALING", s_fake.endpoint);
    const struct sps_engine_scan_options o = {
        .transport = s_fake.transport, .credentials = s_fake.credentials, .env = &env.env};
    const struct sps_engine_scan_target targets[] = {{NULL, NULL, "us-east-1"},
                                                     {NULL, "", "us-west-2"}};
    const struct sps_engine_selection sel = SPS_TEST_SELECTION(s_opt_out_team);
    struct sps_engine_scan_outcome *out = NULL;
    SPS_CHECK_OK(sps_engine_scan_all(targets, 2, &sel, &o, 0, &out));
    SPS_CHECK_OK(out[0].result);
    SPS_CHECK_INT_EQ(out[0].snapshot.groups.count, 1);
    SPS_CHECK_STR_EQ(out[0].snapshot.groups.items[0].name, "legacy");
    SPS_CHECK_INT_EQ(out[1].snapshot.groups.count, 1);
    SPS_CHECK_STR_EQ(out[1].snapshot.groups.items[0].name, "api-west");
    sps_engine_scan_outcomes_free(out, 2);

    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    struct sps_aws_strings regions;
    SPS_CHECK_OK(sps_engine_list_regions(ec2, &regions, NULL));
    SPS_CHECK(sps_aws_strings_contains(&regions, "us-east-1"));
    SPS_CHECK(sps_aws_strings_contains(&regions, "us-west-2"));
    sps_aws_strings_clean_up(&regions);
    sps_aws_client_destroy(ec2);
    sps_fakeaws_stop(&s_fake);
}

SPS_TEST_MAIN(SPS_CASE(test_one_region), SPS_CASE(test_two_regions_same_rounds),
              SPS_CASE(test_spotswap_instance_outside_groups), SPS_CASE(test_scan_all_opt_out))
