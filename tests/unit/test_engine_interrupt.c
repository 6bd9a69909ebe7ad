/* Spot interruption handling against the simulated AWS (scenario interrupt.json: a managed group
 * with a spot and an on-demand member, an unmanaged group with a spot member, a managed group
 * whose spot member is Standby, a standalone spot instance, a spot instance tagged for a group
 * that does not exist): the managed spot member is detached without decrement and the group
 * relaunches; report-only makes no mutating call; each reason to ignore; an instance id that
 * does not exist is ignored, not a failure; AWS errors surface; invalid arguments. */
#include "sps_engine_interrupt.h"
#include "sps_fakeaws.h"
#include "sps_test.h"

#include <stdio.h>

static struct sps_fakeaws s_fake;
static struct sps_launch_context s_ctx;
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
    sps_fakeaws_start(&s_fake, "interrupt.json");
    s_ctx = (struct sps_launch_context){
        .ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1"),
        .autoscaling = sps_fakeaws_client(&s_fake, SPS_AWS_AUTOSCALING, "us-east-1"),
        .clock = sps_clock_system(),
        .rand = sps_rand_system()};
    sps_engine_config_init(&s_cfg);
}

static void s_stop(void)
{
    sps_engine_config_clean_up(&s_cfg);
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

/* The id of the member of `group` whose lifecycle (EC2's "spot" or "") is `lifecycle`. */
static void s_member(const char *group, const char *lifecycle, char *id, size_t size)
{
    struct sps_aws_asg_groups g;
    s_group(group, &g);
    struct sps_aws_ec2_instances all = {0};
    struct sps_aws_ec2_describe_instances_request in = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_instances(s_ctx.ec2, &in, &all, NULL));
    id[0] = '\0';
    for (size_t i = 0; i < all.count; i++)
        if (sps_aws_asg_group_find_instance(&g.items[0], all.items[i].instance_id) &&
            strcmp(all.items[i].lifecycle, lifecycle) == 0)
            snprintf(id, size, "%s", all.items[i].instance_id);
    SPS_CHECK(id[0] != '\0');
    sps_aws_ec2_instances_clean_up(&all);
    sps_aws_asg_groups_clean_up(&g);
}

/* The id of the instance carrying tag `key`=`value`. */
static void s_tagged(const char *key, const char *value, char *id, size_t size)
{
    struct sps_aws_ec2_instances all = {0};
    struct sps_aws_ec2_describe_instances_request in = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_instances(s_ctx.ec2, &in, &all, NULL));
    id[0] = '\0';
    for (size_t i = 0; i < all.count; i++) {
        const char *v = sps_aws_tags_get(&all.items[i].tags, key);
        if (v && strcmp(v, value) == 0)
            snprintf(id, size, "%s", all.items[i].instance_id);
    }
    SPS_CHECK(id[0] != '\0');
    sps_aws_ec2_instances_clean_up(&all);
}

static size_t s_mutating_calls(void)
{
    struct sps_buf log;
    sps_buf_init(&log, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "GET", "calls", NULL, &log), 200);
    size_t n = 0;
    for (const char *p = log.data; (p = strstr(p, "\"action\"")) != NULL; p++)
        n++;
    sps_buf_clean_up(&log);
    return n;
}

static void s_clear_calls(void)
{
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "calls/clear", NULL, NULL), 200);
}

static void test_detached_and_relaunched(void)
{
    s_start();
    char spot[32];
    s_member("managed", "spot", spot, sizeof spot);
    struct sps_engine_interrupt_result out;
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_engine_handle_interruption(&s_cfg, &s_ctx, spot, &out, &e));
    SPS_CHECK_INT_EQ(out.status, SPS_ENGINE_INTERRUPT_DETACHED);
    SPS_CHECK_STR_EQ(out.group, "managed");
    SPS_CHECK_STR_EQ(sps_engine_interrupt_status_name(out.status), "detached");

    struct sps_aws_asg_groups g;
    s_group("managed", &g);
    SPS_CHECK_INT_EQ(g.items[0].desired_capacity, 2); /* not decremented */
    sps_aws_asg_groups_clean_up(&g);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "advance", "{\"seconds\": 300}", NULL),
                     200);
    s_group("managed", &g);
    SPS_CHECK(sps_aws_asg_group_find_instance(&g.items[0], spot) == NULL);
    size_t in_service = 0;
    for (size_t i = 0; i < g.items[0].instance_count; i++)
        in_service += g.items[0].instances[i].lifecycle_state == SPS_AWS_ASG_STATE_IN_SERVICE;
    SPS_CHECK_INT_EQ(in_service, 2); /* the group launched a replacement */
    sps_aws_asg_groups_clean_up(&g);
    s_stop();
}

static void test_report_only(void)
{
    s_start();
    s_set("report_only", "true");
    char spot[32];
    s_member("managed", "spot", spot, sizeof spot);
    s_clear_calls();
    struct sps_engine_interrupt_result out;
    SPS_CHECK_OK(sps_engine_handle_interruption(&s_cfg, &s_ctx, spot, &out, NULL));
    SPS_CHECK_INT_EQ(out.status, SPS_ENGINE_INTERRUPT_WOULD_DETACH);
    SPS_CHECK_STR_EQ(out.group, "managed");
    SPS_CHECK_STR_EQ(sps_engine_interrupt_status_name(out.status), "would-detach");
    SPS_CHECK_INT_EQ(s_mutating_calls(), 0);
    s_stop();
}

/* The group's own spotswap:report-only tag: would detach, and nothing changes. */
static void test_group_report_only_tag(void)
{
    s_start();
    char spot[32];
    s_member("quiet", "spot", spot, sizeof spot);
    s_clear_calls();
    struct sps_engine_interrupt_result out;
    SPS_CHECK_OK(sps_engine_handle_interruption(&s_cfg, &s_ctx, spot, &out, NULL));
    SPS_CHECK_INT_EQ(out.status, SPS_ENGINE_INTERRUPT_WOULD_DETACH);
    SPS_CHECK_STR_EQ(out.group, "quiet");
    SPS_CHECK_INT_EQ(s_mutating_calls(), 0);
    s_stop();
}

/* A group whose spotswap tags do not parse is not acted on; the reason names the tag. */
static void test_bad_group_tag(void)
{
    s_start();
    char spot[32];
    s_member("badtag", "spot", spot, sizeof spot);
    s_clear_calls();
    struct sps_engine_interrupt_result out;
    SPS_CHECK_OK(sps_engine_handle_interruption(&s_cfg, &s_ctx, spot, &out, NULL));
    SPS_CHECK_INT_EQ(out.status, SPS_ENGINE_INTERRUPT_IGNORED);
    SPS_CHECK(strstr(out.reason, "min-on-demand-number") != NULL);
    SPS_CHECK_INT_EQ(s_mutating_calls(), 0);
    s_stop();
}

static void s_check_ignored(const char *id, const char *reason)
{
    struct sps_engine_interrupt_result out;
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_engine_handle_interruption(&s_cfg, &s_ctx, id, &out, &e));
    SPS_CHECK_INT_EQ(out.status, SPS_ENGINE_INTERRUPT_IGNORED);
    SPS_CHECK_STR_EQ(out.reason, reason);
    SPS_CHECK_STR_EQ(sps_engine_interrupt_status_name(out.status), "ignored");
}

static void test_ignored(void)
{
    s_start();
    char id[32];
    s_clear_calls();
    s_member("managed", "", id, sizeof id);
    s_check_ignored(id, "not a spot instance");
    s_tagged("Name", "standalone", id, sizeof id);
    s_check_ignored(id, "not in an Auto Scaling group");
    s_tagged("aws:autoscaling:groupName", "gone", id, sizeof id);
    s_check_ignored(id, "the group no longer exists");
    s_member("unmanaged", "spot", id, sizeof id);
    s_check_ignored(id, "the group is not managed by spotswap");
    s_member("standby", "spot", id, sizeof id);
    s_check_ignored(id, "the instance is not InService in its group");
    s_check_ignored("i-00000000000000000", "the instance no longer exists");
    struct sps_aws_error e;
    struct sps_engine_interrupt_result out;
    SPS_CHECK_OK(sps_engine_handle_interruption(&s_cfg, &s_ctx, "i-00000000000000000", &out, &e));
    SPS_CHECK_STR_EQ(e.code, ""); /* the NotFound answer is not an error to report */
    SPS_CHECK_INT_EQ(s_mutating_calls(), 0);
    SPS_CHECK_STR_EQ(sps_engine_interrupt_status_name((enum sps_engine_interrupt_status)9),
                     "ignored");
    s_stop();
}

/* Opt-out mode: the opt-out tag excludes a group, the others are managed. */
static void test_opt_out_mode(void)
{
    s_start();
    s_set("mode", "opt-out");
    s_set("opt_out_tag", "spot-enabled=true");
    char id[32];
    s_member("managed", "spot", id, sizeof id);
    s_check_ignored(id, "the group is not managed by spotswap");
    s_member("unmanaged", "spot", id, sizeof id); /* opted in by opt-out mode */
    struct sps_engine_interrupt_result out;
    SPS_CHECK_OK(sps_engine_handle_interruption(&s_cfg, &s_ctx, id, &out, NULL));
    SPS_CHECK_INT_EQ(out.status, SPS_ENGINE_INTERRUPT_DETACHED);
    s_stop();
}

static void s_fault(const char *action, const char *kind, int count)
{
    char body[160];
    snprintf(body, sizeof body, "{\"action\": \"%s\", \"kind\": \"%s\", \"count\": %d}", action,
             kind, count);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "fault", body, NULL), 200);
}

static void test_aws_errors(void)
{
    s_start();
    char spot[32];
    s_member("managed", "spot", spot, sizeof spot);
    struct sps_engine_interrupt_result out;
    struct sps_aws_error e;
    s_fault("DescribeInstances", "expired_token", 10);
    SPS_CHECK(sps_engine_handle_interruption(&s_cfg, &s_ctx, spot, &out, &e) != SPS_OK);
    SPS_CHECK(e.code[0] != '\0');
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "faults/clear", NULL, NULL), 200);
    s_fault("DescribeAutoScalingGroups", "expired_token", 10);
    SPS_CHECK(sps_engine_handle_interruption(&s_cfg, &s_ctx, spot, &out, &e) != SPS_OK);
    SPS_CHECK(e.code[0] != '\0');
    SPS_CHECK_STR_EQ(out.group, "managed");
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "faults/clear", NULL, NULL), 200);
    s_fault("DetachInstances", "expired_token", 10);
    SPS_CHECK(sps_engine_handle_interruption(&s_cfg, &s_ctx, spot, &out, &e) != SPS_OK);
    SPS_CHECK(e.code[0] != '\0');
    struct sps_aws_asg_groups g;
    s_group("managed", &g);
    SPS_CHECK(sps_aws_asg_group_find_instance(&g.items[0], spot) != NULL);
    sps_aws_asg_groups_clean_up(&g);
    s_stop();
}

static void test_invalid_arguments(void)
{
    struct sps_engine_config cfg;
    sps_engine_config_init(&cfg);
    struct sps_launch_context ctx = {0};
    struct sps_engine_interrupt_result out;
    SPS_CHECK_ERR(sps_engine_handle_interruption(NULL, &ctx, "i-1", &out, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_handle_interruption(&cfg, NULL, "i-1", &out, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_handle_interruption(&cfg, &ctx, NULL, &out, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_handle_interruption(&cfg, &ctx, "", &out, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    sps_engine_config_clean_up(&cfg);
}

SPS_TEST_MAIN(SPS_CASE(test_detached_and_relaunched), SPS_CASE(test_report_only), SPS_CASE(test_group_report_only_tag),
              SPS_CASE(test_bad_group_tag),
              SPS_CASE(test_ignored), SPS_CASE(test_opt_out_mode), SPS_CASE(test_aws_errors),
              SPS_CASE(test_invalid_arguments))
