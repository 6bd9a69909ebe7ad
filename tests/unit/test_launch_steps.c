/* The launch steps over the scripted transport with the typed EC2 and Auto Scaling clients:
 * the candidates tried in order with the exact RunInstances bodies, capacity falling through,
 * empty markets skipped within their TTL and retried after, other errors stopping; every
 * step's exact call sequence; and each step re-run after a crash at any point. */
#include "http_client_env.h"
#include "launch_test_util.h"

#include <inttypes.h>
#include <stdio.h>

#define EC2_NS "http://ec2.amazonaws.com/doc/2016-11-15/"
#define ASG_NS "http://autoscaling.amazonaws.com/doc/2011-01-01/"

static struct sps_cenv s_env;
static struct sps_aws_client *s_asg;
static struct sps_launch_context s_ctx;
static uint64_t s_counter;

static uint64_t s_next(void *ctx)
{
    return ++s_counter;
}
static const struct sps_rand s_rand = {s_next, NULL};

static void s_setup(void)
{
    sps_cenv_setup(&s_env, SPS_AWS_EC2);
    struct sps_aws_client_options o = sps_cenv_options(&s_env, SPS_AWS_AUTOSCALING);
    SPS_CHECK_OK(sps_aws_client_new(&s_asg, &o));
    s_counter = 0;
    s_ctx = (struct sps_launch_context){.ec2 = s_env.client,
                                        .autoscaling = s_asg,
                                        .clock = &s_env.clock.clock,
                                        .rand = &s_rand,
                                        .markets = sps_launch_markets_new(60000)};
}

static void s_teardown(void)
{
    SPS_CHECK_INT_EQ(sps_fake_transport_pending(s_env.fake), 0); /* every scripted answer used */
    sps_launch_markets_destroy(s_ctx.markets);
    sps_aws_client_destroy(s_asg);
    sps_cenv_teardown(&s_env);
}

static size_t s_sent(void)
{
    return sps_fake_transport_request_count(s_env.fake);
}

static const char *s_body(size_t i)
{
    return sps_cenv_sent(&s_env, i)->body.data;
}

static bool s_has(size_t i, const char *part)
{
    return strstr(s_body(i), part) != NULL;
}

/* The actions sent, comma separated, must be `expected`. */
static void s_expect_actions(const char *expected)
{
    struct sps_buf got;
    sps_buf_init(&got, 4096);
    for (size_t i = 0; i < s_sent(); i++) {
        const char *b = s_body(i);
        const char *end = strchr(b, '&');
        (void)sps_buf_printf(&got, "%s%.*s", i ? "," : "",
                             (int)(end ? end - b : (long)strlen(b)) - 7, b + 7);
    }
    SPS_CHECK_STR_EQ(got.data ? got.data : "", expected);
    sps_buf_clean_up(&got);
}

static void s_push(int status, const char *body)
{
    sps_fake_transport_push(s_env.fake, status, "Content-Type: text/xml\n", body);
}

static void s_push_fixture(int status, const char *name)
{
    struct sps_buf b;
    sps_buf_init(&b, SPS_BUF_DEFAULT_MAX);
    sps_test_read_fixture(&b, name);
    s_push(status, b.data);
    sps_buf_clean_up(&b);
}

static void s_push_ec2_error(int status, const char *code)
{
    char xml[512];
    snprintf(xml, sizeof(xml),
             "<Response><Errors><Error><Code>%s</Code><Message>refused</Message></Error>"
             "</Errors><RequestID>req-1</RequestID></Response>",
             code);
    s_push(status, xml);
}

static void s_push_asg_error(int status, const char *code, const char *message)
{
    char xml[768];
    snprintf(xml, sizeof(xml),
             "<ErrorResponse xmlns=\"" ASG_NS "\"><Error><Type>Sender</Type><Code>%s</Code>"
             "<Message>%s</Message></Error><RequestId>req-2</RequestId></ErrorResponse>",
             code, message);
    s_push(status, xml);
}

static void s_push_asg_ok(const char *action)
{
    char xml[512];
    snprintf(xml, sizeof(xml),
             "<%sResponse xmlns=\"" ASG_NS "\"><ResponseMetadata><RequestId>r</RequestId>"
             "</ResponseMetadata></%sResponse>",
             action, action);
    s_push(200, xml);
}

static void s_push_create_tags_ok(void)
{
    s_push(200, "<CreateTagsResponse xmlns=\"" EC2_NS "\"><requestId>r</requestId>"
                "<return>true</return></CreateTagsResponse>");
}

/* DescribeAutoScalingGroups: group "web", with `member` in `state` when given. */
/* The group "web" as DescribeAutoScalingGroups shows it; raised_from adds the
 * spotswap:max-raised-from tag. */
static void s_push_group_sized(const char *member, const char *state, int max, int desired,
                               const char *raised_from)
{
    char m[512] = "";
    char tags[512] = "";
    if (raised_from)
        snprintf(tags, sizeof(tags),
                 "<Tags><member><ResourceId>web</ResourceId><ResourceType>auto-scaling-group"
                 "</ResourceType><Key>spotswap:max-raised-from</Key><Value>%s</Value>"
                 "<PropagateAtLaunch>false</PropagateAtLaunch></member></Tags>",
                 raised_from);
    if (member)
        snprintf(m, sizeof(m),
                 "<member><InstanceId>%s</InstanceId><AvailabilityZone>us-east-1a"
                 "</AvailabilityZone><LifecycleState>%s</LifecycleState><HealthStatus>Healthy"
                 "</HealthStatus><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>",
                 member, state);
    char xml[3072];
    snprintf(xml, sizeof(xml),
             "<DescribeAutoScalingGroupsResponse xmlns=\"" ASG_NS "\">"
             "<DescribeAutoScalingGroupsResult><AutoScalingGroups><member>"
             "<AutoScalingGroupName>web</AutoScalingGroupName><MinSize>1</MinSize>"
             "<MaxSize>%d</MaxSize><DesiredCapacity>%d</DesiredCapacity>"
             "<DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>us-east-1a"
             "</member></AvailabilityZones><HealthCheckType>EC2</HealthCheckType>"
             "<Instances>%s</Instances><CreatedTime>2026-11-17T06:03:33.000Z</CreatedTime>%s"
             "</member></AutoScalingGroups></DescribeAutoScalingGroupsResult>"
             "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
             "</DescribeAutoScalingGroupsResponse>",
             max, desired, m, tags);
    s_push(200, xml);
}

static void s_push_group(const char *member, const char *state)
{
    s_push_group_sized(member, state, 4, 2, NULL);
}

/* ---- sps_launch_spot ------------------------------------------------------------------- */

struct launch_fixture {
    struct sps_aws_asg_group group;
    struct sps_aws_ec2_instance instance;
    struct sps_aws_ec2_launch_template_versions lt;
    struct sps_launch_spec spec;
};

static void s_launch_setup(struct launch_fixture *f)
{
    lt_group(&f->group, "web", 2, 4);
    lt_instance(&f->instance);
    lt_template_version(&f->lt);
    f->spec = (struct sps_launch_spec){.group = &f->group,
                                       .instance = &f->instance,
                                       .source = {.template_version = &f->lt.items[0]},
                                       .instance_type = "ignored",
                                       .max_price_usd = 0.096,
                                       .client_token = "ignored"};
}

static void s_launch_teardown(struct launch_fixture *f)
{
    sps_aws_asg_group_clean_up(&f->group);
    sps_aws_ec2_instance_clean_up(&f->instance);
    sps_aws_ec2_launch_template_versions_clean_up(&f->lt);
}

/* The exact body of attempt `n` (1-based: its token is counter values 2n-1, 2n) for `type`. */
static void s_check_run_body(size_t i, int n, const char *type)
{
    char expected[2048];
    snprintf(expected, sizeof(expected),
             "Action=RunInstances&Version=2016-11-15"
             "&LaunchTemplate.LaunchTemplateId=lt-0abc1234def567890"
             "&LaunchTemplate.Version=7&InstanceType=%s"
             "&Placement.AvailabilityZone=us-east-1b&SubnetId=subnet-0bb1c79de3EXAMPLE"
             "&InstanceMarketOptions.MarketType=spot"
             "&InstanceMarketOptions.SpotOptions.MaxPrice=0.096"
             "&InstanceMarketOptions.SpotOptions.SpotInstanceType=one-time"
             "&InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior=terminate"
             "&TagSpecification.1.ResourceType=instance"
             "&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=web%%20server"
             "&TagSpecification.1.Tag.2.Key=cost-center&TagSpecification.1.Tag.2.Value=42"
             "&TagSpecification.1.Tag.3.Key=team&TagSpecification.1.Tag.3.Value=web"
             "&TagSpecification.1.Tag.4.Key=spotswap%%3Alaunched-for-asg"
             "&TagSpecification.1.Tag.4.Value=web"
             "&TagSpecification.1.Tag.5.Key=spotswap%%3Areplaces"
             "&TagSpecification.1.Tag.5.Value=i-0123456789abcdef0"
             "&TagSpecification.2.ResourceType=volume"
             "&TagSpecification.2.Tag.1.Key=backup&TagSpecification.2.Tag.1.Value=daily"
             "&TagSpecification.2.Tag.2.Key=team&TagSpecification.2.Tag.2.Value=web"
             "&TagSpecification.2.Tag.3.Key=Name&TagSpecification.2.Tag.3.Value=web%%20server"
             "&MinCount=1&MaxCount=1&ClientToken=spotswap-%016" PRIx64 "%016" PRIx64,
             type, (uint64_t)(2 * n - 1), (uint64_t)(2 * n));
    SPS_CHECK_STR_EQ(s_body(i), expected);
}

static void test_candidates_fall_through_capacity(void)
{
    s_setup();
    struct launch_fixture f;
    s_launch_setup(&f);
    const char *candidates[] = {"c5.large", "m5a.large", "r5.large", "m5.large"};
    s_push_fixture(500, "errors/ec2.InsufficientInstanceCapacity.xml");
    s_push_ec2_error(400, "SpotMaxPriceTooLow");
    s_push_ec2_error(400, "Unsupported");
    s_push_fixture(200, "ec2/RunInstances.spot.xml");
    struct sps_launch_outcome out;
    SPS_CHECK_OK(sps_launch_spot(&s_ctx, &f.spec, candidates, 4, &out));
    SPS_CHECK_STR_EQ(out.instance_id, "i-6fb710734986e86cb");
    SPS_CHECK_STR_EQ(out.instance_type, "m5.large");
    SPS_CHECK_INT_EQ(out.tried, 4);
    SPS_CHECK_STR_EQ(out.last_error.code, "Unsupported"); /* the last refusal */
    SPS_CHECK_INT_EQ(s_sent(), 4);                        /* capacity errors are not retried */
    for (size_t i = 0; i < 4; i++)
        s_check_run_body(i, (int)i + 1, candidates[i]);
    int64_t now = s_env.clock.mono_ms;
    SPS_CHECK(sps_launch_markets_is_empty(s_ctx.markets, "c5.large", "us-east-1b", now));
    SPS_CHECK(sps_launch_markets_is_empty(s_ctx.markets, "m5a.large", "us-east-1b", now));
    SPS_CHECK(sps_launch_markets_is_empty(s_ctx.markets, "r5.large", "us-east-1b", now));
    SPS_CHECK(!sps_launch_markets_is_empty(s_ctx.markets, "m5.large", "us-east-1b", now));
    SPS_CHECK(!sps_launch_markets_is_empty(s_ctx.markets, "c5.large", "us-east-1a", now));
    s_launch_teardown(&f);
    s_teardown();
}

static void test_every_candidate_refused(void)
{
    s_setup();
    struct launch_fixture f;
    s_launch_setup(&f);
    const char *candidates[] = {"c5.large", "m5a.large"};
    s_push_fixture(500, "errors/ec2.InsufficientInstanceCapacity.xml");
    s_push_ec2_error(400, "MaxSpotInstanceCountExceeded");
    struct sps_launch_outcome out;
    SPS_CHECK_ERR(sps_launch_spot(&s_ctx, &f.spec, candidates, 2, &out), SPS_ERR_AWS_CAPACITY);
    SPS_CHECK_STR_EQ(out.instance_id, "");
    SPS_CHECK_INT_EQ(out.tried, 2);
    SPS_CHECK_STR_EQ(out.last_error.code, "MaxSpotInstanceCountExceeded");
    /* Within the TTL both markets are skipped: nothing is sent, still a capacity answer. */
    s_env.clock.mono_ms += 59999;
    SPS_CHECK_ERR(sps_launch_spot(&s_ctx, &f.spec, candidates, 2, &out), SPS_ERR_AWS_CAPACITY);
    SPS_CHECK_INT_EQ(out.tried, 0);
    SPS_CHECK_INT_EQ(s_sent(), 2);
    s_launch_teardown(&f);
    s_teardown();
}

static void test_empty_market_skipped_then_retried(void)
{
    s_setup();
    struct launch_fixture f;
    s_launch_setup(&f);
    const char *candidates[] = {"c5.large", "m5.large"};
    sps_launch_markets_remember(s_ctx.markets, "c5.large", "us-east-1b", s_env.clock.mono_ms);
    s_push_fixture(200, "ec2/RunInstances.spot.xml");
    struct sps_launch_outcome out;
    SPS_CHECK_OK(sps_launch_spot(&s_ctx, &f.spec, candidates, 2, &out));
    SPS_CHECK_INT_EQ(out.tried, 1);
    SPS_CHECK_STR_EQ(out.instance_type, "m5.large");
    SPS_CHECK_INT_EQ(s_sent(), 1);
    s_check_run_body(0, 1, "m5.large");

    /* After the TTL the market is asked again, first in line. */
    s_env.clock.mono_ms += 60000;
    s_push_fixture(200, "ec2/RunInstances.spot.xml");
    SPS_CHECK_OK(sps_launch_spot(&s_ctx, &f.spec, candidates, 2, &out));
    SPS_CHECK_INT_EQ(out.tried, 1);
    SPS_CHECK_STR_EQ(out.instance_type, "c5.large");
    s_check_run_body(1, 2, "c5.large");

    /* Without a markets memory nothing is skipped. */
    struct sps_launch_markets *m = s_ctx.markets;
    s_ctx.markets = NULL;
    sps_launch_markets_remember(m, "c5.large", "us-east-1b", s_env.clock.mono_ms);
    s_push_fixture(200, "ec2/RunInstances.spot.xml");
    SPS_CHECK_OK(sps_launch_spot(&s_ctx, &f.spec, candidates, 2, &out));
    SPS_CHECK_STR_EQ(out.instance_type, "c5.large");
    s_ctx.markets = m;
    SPS_CHECK(!sps_launch_markets_is_empty(NULL, "c5.large", "us-east-1b", 0));
    sps_launch_markets_remember(NULL, "c5.large", "us-east-1b", 0); /* no-op */
    /* Remembering again extends the entry; expired entries are dropped on the way. */
    sps_launch_markets_remember(m, "r5.large", "us-east-1a", 1000);
    sps_launch_markets_remember(m, "r5.large", "us-east-1a", 50000);
    SPS_CHECK(sps_launch_markets_is_empty(m, "r5.large", "us-east-1a", 100000));
    sps_launch_markets_remember(m, "m5.large", "us-east-1a", 200000);
    SPS_CHECK(!sps_launch_markets_is_empty(m, "r5.large", "us-east-1a", 100000 + 60000));
    s_launch_teardown(&f);
    s_teardown();
}

static void test_other_errors_stop(void)
{
    s_setup();
    struct launch_fixture f;
    s_launch_setup(&f);
    const char *candidates[] = {"c5.large", "m5.large"};
    s_push_ec2_error(400, "InvalidParameterValue");
    struct sps_launch_outcome out;
    SPS_CHECK_ERR(sps_launch_spot(&s_ctx, &f.spec, candidates, 2, &out), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_INT_EQ(out.tried, 1);
    SPS_CHECK_STR_EQ(out.last_error.code, "InvalidParameterValue");
    SPS_CHECK_INT_EQ(s_sent(), 1);
    SPS_CHECK(
        !sps_launch_markets_is_empty(s_ctx.markets, "c5.large", "us-east-1b", s_env.clock.mono_ms));
    s_push_ec2_error(401, "AuthFailure");
    SPS_CHECK_ERR(sps_launch_spot(&s_ctx, &f.spec, candidates, 2, &out), SPS_ERR_AWS_AUTH);
    SPS_CHECK_INT_EQ(s_sent(), 2);

    /* A success without an instance is not a launch (the parser refuses it). */
    s_push(200, "<RunInstancesResponse xmlns=\"" EC2_NS "\"><requestId>r</requestId>"
                "<reservationId>r-1</reservationId><ownerId>1</ownerId><instancesSet/>"
                "</RunInstancesResponse>");
    SPS_CHECK_ERR(sps_launch_spot(&s_ctx, &f.spec, candidates, 1, &out), SPS_ERR_MISSING_FIELD);
    SPS_CHECK_STR_EQ(out.instance_id, "");

    /* Refused before anything is sent. */
    size_t sent = s_sent();
    SPS_CHECK_ERR(sps_launch_spot(&s_ctx, &f.spec, candidates, 0, &out), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_launch_spot(&s_ctx, &f.spec, NULL, 2, &out), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_launch_spot(NULL, &f.spec, candidates, 2, &out), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_launch_spot(&s_ctx, NULL, candidates, 2, &out), SPS_ERR_INVALID_ARGUMENT);
    const char *empty[] = {""};
    SPS_CHECK_ERR(sps_launch_spot(&s_ctx, &f.spec, empty, 1, &out), SPS_ERR_INVALID_ARGUMENT);
    f.spec.max_price_usd = 0;
    SPS_CHECK_ERR(sps_launch_spot(&s_ctx, &f.spec, candidates, 2, &out), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(s_sent(), sent);
    s_launch_teardown(&f);
    s_teardown();
}

static void test_client_token(void)
{
    s_setup();
    char a[48], b[48];
    sps_launch_client_token(&s_ctx, a);
    sps_launch_client_token(&s_ctx, b);
    SPS_CHECK_STR_EQ(a, "spotswap-00000000000000010000000000000002");
    SPS_CHECK_STR_EQ(b, "spotswap-00000000000000030000000000000004");
    /* The system source: the format, and two tokens differ. */
    sps_launch_client_token(NULL, a);
    sps_launch_client_token(NULL, b);
    SPS_CHECK_INT_EQ(strlen(a), 41);
    SPS_CHECK(strncmp(a, "spotswap-", 9) == 0);
    SPS_CHECK(strspn(a + 9, "0123456789abcdef") == 32);
    SPS_CHECK(strcmp(a, b) != 0);
    s_teardown();
}

/* ---- attach ------------------------------------------------------------------------------ */

static void test_attach(void)
{
    s_setup();
    struct sps_aws_asg_group g;
    struct sps_aws_error e;
    lt_group(&g, "web", 2, 4);
    s_push_asg_ok("AttachInstances");
    SPS_CHECK_OK(sps_launch_attach(&s_ctx, &g, "i-spot", &e));
    s_expect_actions("AttachInstances");
    SPS_CHECK_STR_EQ(s_body(0), "Action=AttachInstances&Version=2011-01-01"
                                "&AutoScalingGroupName=web&InstanceIds.member.1=i-spot");
    sps_aws_asg_group_clean_up(&g);
    s_teardown();
}

static void test_attach_at_max_raises_it_once(void)
{
    s_setup();
    struct sps_aws_asg_group g;
    struct sps_aws_error e;
    lt_group(&g, "web", 4, 4);
    s_push_asg_ok("CreateOrUpdateTags");
    s_push_asg_ok("UpdateAutoScalingGroup");
    s_push_asg_ok("AttachInstances");
    SPS_CHECK_OK(sps_launch_attach(&s_ctx, &g, "i-spot", &e));
    s_expect_actions("CreateOrUpdateTags,UpdateAutoScalingGroup,AttachInstances");
    SPS_CHECK_STR_EQ(s_body(0), "Action=CreateOrUpdateTags&Version=2011-01-01"
                                "&Tags.member.1.ResourceId=web"
                                "&Tags.member.1.ResourceType=auto-scaling-group"
                                "&Tags.member.1.Key=spotswap%3Amax-raised-from"
                                "&Tags.member.1.Value=4&Tags.member.1.PropagateAtLaunch=false");
    SPS_CHECK_STR_EQ(s_body(1), "Action=UpdateAutoScalingGroup&Version=2011-01-01"
                                "&AutoScalingGroupName=web&MaxSize=5");

    /* A crash between the tag and the raise: the tag stays as it is, max is raised. */
    sps_aws_tags_set(&g.tags, SPS_TAG_MAX_RAISED_FROM, "4", false);
    s_push_asg_ok("UpdateAutoScalingGroup");
    s_push_asg_ok("AttachInstances");
    SPS_CHECK_OK(sps_launch_attach(&s_ctx, &g, "i-spot", &e));
    s_expect_actions("CreateOrUpdateTags,UpdateAutoScalingGroup,AttachInstances,"
                     "UpdateAutoScalingGroup,AttachInstances");
    SPS_CHECK(s_has(3, "&MaxSize=5"));

    /* A crash between the raise and the attach: max already raised, not raised again. */
    g.max_size = 5;
    g.desired_capacity = 4;
    s_push_asg_ok("AttachInstances");
    SPS_CHECK_OK(sps_launch_attach(&s_ctx, &g, "i-spot", &e));
    SPS_CHECK_INT_EQ(s_sent(), 6);
    /* The raised slot already filled by another swap: one more above desired. */
    g.max_size = g.desired_capacity = 5;
    s_push_asg_ok("UpdateAutoScalingGroup");
    s_push_asg_ok("AttachInstances");
    SPS_CHECK_OK(sps_launch_attach(&s_ctx, &g, "i-spot", &e));
    SPS_CHECK_INT_EQ(s_sent(), 8);
    SPS_CHECK(s_has(6, "&MaxSize=6"));
    SPS_CHECK(s_has(7, "Action=AttachInstances"));
    g.max_size = g.desired_capacity = 5;

    /* The tag call failing stops before the raise. */
    sps_aws_tags_clean_up(&g.tags);
    g.max_size = g.desired_capacity = 4;
    s_push_asg_error(403, "AccessDenied", "not allowed");
    SPS_CHECK_ERR(sps_launch_attach(&s_ctx, &g, "i-spot", &e), SPS_ERR_AWS_AUTH);
    SPS_CHECK_STR_EQ(e.code, "AccessDenied");
    SPS_CHECK_INT_EQ(s_sent(), 9);
    /* A tag that is not a size is left alone: nothing is sent. */
    sps_aws_tags_set(&g.tags, SPS_TAG_MAX_RAISED_FROM, "four", false);
    SPS_CHECK_ERR(sps_launch_attach(&s_ctx, &g, "i-spot", &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(s_sent(), 9);
    sps_aws_asg_group_clean_up(&g);
    s_teardown();
}

static void test_attach_already_attached(void)
{
    s_setup();
    struct sps_aws_asg_group g;
    struct sps_aws_error e;
    lt_group(&g, "web", 4, 4);
    /* The group as the engine saw it already has the instance: nothing to do. */
    lt_group_member(&g, "i-spot", SPS_AWS_ASG_STATE_PENDING);
    SPS_CHECK_OK(sps_launch_attach(&s_ctx, &g, "i-spot", &e));
    SPS_CHECK_INT_EQ(s_sent(), 0);
    sps_aws_asg_group_clean_up(&g);

    /* AWS refuses the attach because it landed meanwhile: a member now is success. */
    lt_group(&g, "web", 2, 4);
    s_push_asg_error(400, "ValidationError",
                     "The instance i-spot is already part of the Auto Scaling group web.");
    s_push_group("i-spot", "InService");
    SPS_CHECK_OK(sps_launch_attach(&s_ctx, &g, "i-spot", &e));
    SPS_CHECK_STR_EQ(e.code, "");
    s_expect_actions("AttachInstances,DescribeAutoScalingGroups");
    SPS_CHECK(s_has(1, "AutoScalingGroupNames.member.1=web"));

    /* Refused and not a member, the group below max now (e.g. in another group): the refusal
     * stands. */
    s_push_asg_error(400, "ValidationError", "desired capacity would exceed max size");
    s_push_group("i-other", "InService");
    s_push_group("i-other", "InService");
    SPS_CHECK_ERR(sps_launch_attach(&s_ctx, &g, "i-spot", &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");
    SPS_CHECK(strstr(e.message, "exceed") != NULL);
    s_expect_actions("AttachInstances,DescribeAutoScalingGroups,AttachInstances,"
                     "DescribeAutoScalingGroups,DescribeAutoScalingGroups");
    /* Other errors are not second-guessed. */
    s_push_asg_error(403, "AccessDenied", "no");
    SPS_CHECK_ERR(sps_launch_attach(&s_ctx, &g, "i-spot", NULL), SPS_ERR_AWS_AUTH);
    SPS_CHECK_INT_EQ(s_sent(), 6);
    SPS_CHECK_ERR(sps_launch_attach(&s_ctx, &g, "", &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_launch_attach(&s_ctx, NULL, "i-spot", &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(s_sent(), 6);
    sps_aws_asg_group_clean_up(&g);

    /* Refused because an earlier attach of this pass filled the raised max (the engine's view
     * of the group is older): the group is read again, max raised above desired, attached. */
    lt_group(&g, "web", 3, 4);
    s_push_asg_error(400, "ValidationError", "desired capacity 5 would exceed max size 4");
    s_push_group_sized("i-first", "InService", 4, 4, "3");
    s_push_group_sized("i-first", "InService", 4, 4, "3");
    s_push_asg_ok("UpdateAutoScalingGroup");
    s_push_asg_ok("AttachInstances");
    SPS_CHECK_OK(sps_launch_attach(&s_ctx, &g, "i-spot", &e));
    SPS_CHECK_STR_EQ(e.code, "");
    SPS_CHECK(s_has(9, "&MaxSize=5"));
    SPS_CHECK(s_has(10, "Action=AttachInstances"));
    SPS_CHECK_INT_EQ(s_sent(), 11);
    /* ... and the second attach refused as well: its refusal is reported. */
    s_push_asg_error(400, "ValidationError", "x");
    s_push_group_sized("i-first", "InService", 4, 4, "3");
    s_push_group_sized("i-first", "InService", 4, 4, "3");
    s_push_asg_ok("UpdateAutoScalingGroup");
    s_push_asg_error(400, "ValidationError", "still full");
    SPS_CHECK_ERR(sps_launch_attach(&s_ctx, &g, "i-spot", &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.message, "still full");
    /* ... and the group cannot be read again: the first refusal stands. */
    s_push_asg_error(400, "ValidationError", "first");
    s_push_group_sized("i-first", "InService", 4, 4, "3");
    s_push_asg_error(500, "InternalFailure", "down");
    SPS_CHECK_ERR(sps_launch_attach(&s_ctx, &g, "i-spot", &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.message, "first");
    sps_aws_asg_group_clean_up(&g);
    s_teardown();
}

/* ---- retire ------------------------------------------------------------------------------ */

static const char s_replaced_by_tag[] = "Action=CreateTags&Version=2016-11-15&ResourceId.1=i-od"
                                        "&Tag.1.Key=spotswap%3Areplaced-by&Tag.1.Value=i-spot";

static void test_retire_detach_then_terminate(void)
{
    s_setup();
    struct sps_aws_asg_group g;
    struct sps_aws_error e;
    lt_group(&g, "web", 3, 4);
    lt_group_member(&g, "i-od", SPS_AWS_ASG_STATE_IN_SERVICE);
    lt_group_member(&g, "i-spot", SPS_AWS_ASG_STATE_IN_SERVICE);
    s_push_create_tags_ok();
    s_push_fixture(200, "autoscaling/detach_instances.xml");
    s_push_fixture(200, "ec2/TerminateInstances.xml");
    SPS_CHECK_OK(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", false, &e));
    s_expect_actions("CreateTags,DetachInstances,TerminateInstances");
    SPS_CHECK_STR_EQ(s_body(0), s_replaced_by_tag);
    SPS_CHECK_STR_EQ(s_body(1), "Action=DetachInstances&Version=2011-01-01"
                                "&AutoScalingGroupName=web&InstanceIds.member.1=i-od"
                                "&ShouldDecrementDesiredCapacity=true");
    SPS_CHECK_STR_EQ(s_body(2), "Action=TerminateInstances&Version=2016-11-15&InstanceId.1=i-od");
    sps_aws_asg_group_clean_up(&g);
    s_teardown();
}

static void test_retire_resumes_after_a_crash(void)
{
    s_setup();
    struct sps_aws_asg_group g;
    struct sps_aws_error e;
    lt_group(&g, "web", 3, 4);
    lt_group_member(&g, "i-spot", SPS_AWS_ASG_STATE_IN_SERVICE);
    /* Detached by the crashed run (the engine's snapshot shows it outside): terminate only. */
    s_push_create_tags_ok();
    s_push_fixture(200, "ec2/TerminateInstances.xml");
    SPS_CHECK_OK(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", false, &e));
    s_expect_actions("CreateTags,TerminateInstances");

    /* Detached between the snapshot and the call: AWS says not part of the group. */
    lt_group_member(&g, "i-od", SPS_AWS_ASG_STATE_IN_SERVICE);
    s_push_create_tags_ok();
    s_push_asg_error(400, "ValidationError",
                     "The instance i-od is not part of Auto Scaling group web.");
    s_push_group("i-spot", "InService");
    s_push_fixture(200, "ec2/TerminateInstances.xml");
    SPS_CHECK_OK(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", false, &e));
    SPS_CHECK_STR_EQ(e.code, "");
    s_expect_actions("CreateTags,TerminateInstances,CreateTags,DetachInstances,"
                     "DescribeAutoScalingGroups,TerminateInstances");

    /* Refused while still a member (below min): the refusal stands, nothing is terminated. */
    s_push_create_tags_ok();
    s_push_asg_error(400, "ValidationError", "would put the group below its min-size");
    s_push_group("i-od", "InService");
    SPS_CHECK_ERR(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", false, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK(strstr(e.message, "min-size") != NULL);
    SPS_CHECK_INT_EQ(s_sent(), 9);

    /* The tag comes first: when it fails nothing else happens. */
    s_push_ec2_error(400, "InvalidInstanceID.Malformed");
    SPS_CHECK_ERR(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", false, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "InvalidInstanceID.Malformed");
    SPS_CHECK_INT_EQ(s_sent(), 10);
    /* The terminate after the detach failing is returned. */
    s_push_create_tags_ok();
    s_push_fixture(200, "autoscaling/detach_instances.xml");
    s_push_ec2_error(403, "UnauthorizedOperation");
    SPS_CHECK_ERR(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", false, &e), SPS_ERR_AWS_AUTH);
    SPS_CHECK_STR_EQ(e.code, "UnauthorizedOperation");
    SPS_CHECK_ERR(sps_launch_retire(&s_ctx, &g, "i-od", "", false, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_launch_retire(&s_ctx, &g, NULL, "i-spot", true, &e),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(s_sent(), 13);
    sps_aws_asg_group_clean_up(&g);
    s_teardown();
}

static void test_retire_through_termination_hooks(void)
{
    s_setup();
    struct sps_aws_asg_group g;
    struct sps_aws_error e;
    lt_group(&g, "web", 3, 4);
    lt_group_member(&g, "i-od", SPS_AWS_ASG_STATE_IN_SERVICE);
    s_push_create_tags_ok();
    s_push_fixture(200, "autoscaling/terminate_instance.xml");
    SPS_CHECK_OK(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", true, &e));
    s_expect_actions("CreateTags,TerminateInstanceInAutoScalingGroup");
    SPS_CHECK_STR_EQ(s_body(1), "Action=TerminateInstanceInAutoScalingGroup&Version=2011-01-01"
                                "&InstanceId=i-od&ShouldDecrementDesiredCapacity=true");

    /* Re-run while the hook holds it in Terminating:Wait: nothing more to do. */
    g.instances[0].lifecycle_state = SPS_AWS_ASG_STATE_TERMINATING_WAIT;
    s_push_create_tags_ok();
    SPS_CHECK_OK(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", true, &e));
    SPS_CHECK_INT_EQ(s_sent(), 3);

    /* Terminating by the time of the call: AWS refuses, the group shows it terminating. */
    g.instances[0].lifecycle_state = SPS_AWS_ASG_STATE_IN_SERVICE;
    s_push_create_tags_ok();
    s_push_asg_error(400, "ValidationError", "The instance is already terminating");
    s_push_group("i-od", "Terminating:Wait");
    SPS_CHECK_OK(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", true, &e));
    SPS_CHECK_INT_EQ(s_sent(), 6);

    /* Gone from the group (the hook finished): make sure it is terminated. */
    s_push_create_tags_ok();
    s_push_asg_error(400, "ValidationError",
                     "Instance Id not found - No managed instance found for instance ID: i-od");
    s_push_group("i-spot", "InService");
    s_push_fixture(200, "ec2/TerminateInstances.xml");
    SPS_CHECK_OK(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", true, &e));
    SPS_CHECK_INT_EQ(s_sent(), 10);
    SPS_CHECK(s_has(9, "Action=TerminateInstances&"));

    /* Refused while InService (at min): the refusal stands. */
    s_push_create_tags_ok();
    s_push_asg_error(400, "ValidationError", "Cannot decrement desired-capacity below min-size.");
    s_push_group("i-od", "InService");
    SPS_CHECK_ERR(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", true, &e), SPS_ERR_AWS_CLIENT);
    /* ... also when the group cannot be described to check. */
    s_push_create_tags_ok();
    s_push_asg_error(400, "ValidationError", "Cannot decrement desired-capacity below min-size.");
    s_push_asg_error(403, "AccessDenied", "no describe");
    SPS_CHECK_ERR(sps_launch_retire(&s_ctx, &g, "i-od", "i-spot", true, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");
    SPS_CHECK_INT_EQ(s_sent(), 16);
    sps_aws_asg_group_clean_up(&g);
    s_teardown();
}

/* ---- restore, terminate, fallback ---------------------------------------------------------- */

static void test_restore_max(void)
{
    s_setup();
    struct sps_aws_asg_group g;
    struct sps_aws_error e;
    lt_group(&g, "web", 4, 5);
    SPS_CHECK_OK(sps_launch_restore_max(&s_ctx, &g, &e)); /* no tag: nothing to do */
    SPS_CHECK_INT_EQ(s_sent(), 0);
    sps_aws_tags_set(&g.tags, SPS_TAG_MAX_RAISED_FROM, "4", false);
    s_push_asg_ok("UpdateAutoScalingGroup");
    s_push_asg_ok("DeleteTags");
    SPS_CHECK_OK(sps_launch_restore_max(&s_ctx, &g, &e));
    s_expect_actions("UpdateAutoScalingGroup,DeleteTags");
    SPS_CHECK_STR_EQ(s_body(0), "Action=UpdateAutoScalingGroup&Version=2011-01-01"
                                "&AutoScalingGroupName=web&MaxSize=4");
    SPS_CHECK_STR_EQ(s_body(1), "Action=DeleteTags&Version=2011-01-01"
                                "&Tags.member.1.ResourceId=web"
                                "&Tags.member.1.ResourceType=auto-scaling-group"
                                "&Tags.member.1.Key=spotswap%3Amax-raised-from");
    /* Max restored by a crashed run: only the tag goes. */
    g.max_size = 4;
    s_push_asg_ok("DeleteTags");
    SPS_CHECK_OK(sps_launch_restore_max(&s_ctx, &g, &e));
    s_expect_actions("UpdateAutoScalingGroup,DeleteTags,DeleteTags");
    /* The update refused: the tag stays, to try again. */
    g.max_size = 5;
    s_push_asg_error(400, "ValidationError", "Desired capacity:5 must be between ...");
    SPS_CHECK_ERR(sps_launch_restore_max(&s_ctx, &g, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_INT_EQ(s_sent(), 4);
    sps_aws_tags_set(&g.tags, SPS_TAG_MAX_RAISED_FROM, "-1", false);
    SPS_CHECK_ERR(sps_launch_restore_max(&s_ctx, &g, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_launch_restore_max(&s_ctx, NULL, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(s_sent(), 4);
    sps_aws_asg_group_clean_up(&g);
    s_teardown();
}

static void test_terminate(void)
{
    s_setup();
    struct sps_aws_error e;
    s_push_fixture(200, "ec2/TerminateInstances.xml");
    SPS_CHECK_OK(sps_launch_terminate(&s_ctx, "i-6fb710734986e86cb", &e));
    SPS_CHECK_STR_EQ(s_body(0), "Action=TerminateInstances&Version=2016-11-15"
                                "&InstanceId.1=i-6fb710734986e86cb");
    /* Already terminated: AWS answers the state change terminated -> terminated. */
    s_push(200, "<TerminateInstancesResponse xmlns=\"" EC2_NS "\"><requestId>r</requestId>"
                "<instancesSet><item><currentState><code>48</code><name>terminated</name>"
                "</currentState><instanceId>i-1</instanceId><previousState><code>48</code>"
                "<name>terminated</name></previousState></item></instancesSet>"
                "</TerminateInstancesResponse>");
    SPS_CHECK_OK(sps_launch_terminate(&s_ctx, "i-1", &e));
    /* Gone from EC2 altogether. */
    s_push_fixture(400, "errors/ec2.InvalidInstanceID.NotFound.xml");
    SPS_CHECK_OK(sps_launch_terminate(&s_ctx, "i-0123456789abcdef0", &e));
    SPS_CHECK_STR_EQ(e.code, "");
    s_push_ec2_error(400, "OperationNotPermitted");
    SPS_CHECK_ERR(sps_launch_terminate(&s_ctx, "i-1", &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "OperationNotPermitted");
    SPS_CHECK_ERR(sps_launch_terminate(&s_ctx, "", NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(s_sent(), 4);
    s_teardown();
}

static void test_fallback_detach(void)
{
    s_setup();
    struct sps_aws_error e;
    s_push_fixture(200, "autoscaling/detach_instances.xml");
    SPS_CHECK_OK(sps_launch_fallback_detach(&s_ctx, "web", "i-spot", &e));
    SPS_CHECK_STR_EQ(s_body(0), "Action=DetachInstances&Version=2011-01-01"
                                "&AutoScalingGroupName=web&InstanceIds.member.1=i-spot"
                                "&ShouldDecrementDesiredCapacity=false");
    /* Already detached: success. */
    s_push_asg_error(400, "ValidationError",
                     "The instance i-spot is not part of Auto Scaling group web.");
    s_push_group(NULL, NULL);
    SPS_CHECK_OK(sps_launch_fallback_detach(&s_ctx, "web", "i-spot", &e));
    s_push_asg_error(400, "ValidationError", "AutoScalingGroup name not found");
    s_push_group("i-spot", "InService");
    SPS_CHECK_ERR(sps_launch_fallback_detach(&s_ctx, "web", "i-spot", &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_ERR(sps_launch_fallback_detach(&s_ctx, "", "i-spot", &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(s_sent(), 5);
    s_teardown();
}

static void test_mark_fallback(void)
{
    s_setup();
    struct sps_aws_asg_group g;
    struct sps_aws_error e;
    lt_group(&g, "web", 2, 4);
    SPS_CHECK_OK(sps_launch_mark_fallback(&s_ctx, &g, false, 0, &e)); /* not marked: no-op */
    s_push_asg_ok("CreateOrUpdateTags");
    SPS_CHECK_OK(sps_launch_mark_fallback(&s_ctx, &g, true, s_env.clock.wall_ms, &e));
    SPS_CHECK_STR_EQ(s_body(0), "Action=CreateOrUpdateTags&Version=2011-01-01"
                                "&Tags.member.1.ResourceId=web"
                                "&Tags.member.1.ResourceType=auto-scaling-group"
                                "&Tags.member.1.Key=spotswap%3Afallback-since"
                                "&Tags.member.1.Value=2026-11-24T05%3A47%3A22.000Z"
                                "&Tags.member.1.PropagateAtLaunch=false");
    sps_aws_tags_set(&g.tags, SPS_TAG_FALLBACK_SINCE, "2026-11-24T05:47:22.000Z", false);
    SPS_CHECK_OK(sps_launch_mark_fallback(&s_ctx, &g, true, s_env.clock.wall_ms + 1, &e));
    SPS_CHECK_INT_EQ(s_sent(), 1); /* the first time is kept */
    s_push_asg_ok("DeleteTags");
    SPS_CHECK_OK(sps_launch_mark_fallback(&s_ctx, &g, false, 0, &e));
    s_expect_actions("CreateOrUpdateTags,DeleteTags");
    SPS_CHECK(s_has(1, "Tags.member.1.Key=spotswap%3Afallback-since"));
    s_push_asg_error(403, "AccessDenied", "no");
    SPS_CHECK_ERR(sps_launch_mark_fallback(&s_ctx, &g, false, 0, &e), SPS_ERR_AWS_AUTH);
    SPS_CHECK_ERR(sps_launch_mark_fallback(&s_ctx, NULL, true, 0, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(s_sent(), 3);
    sps_aws_asg_group_clean_up(&g);
    s_teardown();
}

SPS_TEST_MAIN(SPS_CASE(test_candidates_fall_through_capacity),
              SPS_CASE(test_every_candidate_refused),
              SPS_CASE(test_empty_market_skipped_then_retried), SPS_CASE(test_other_errors_stop),
              SPS_CASE(test_client_token), SPS_CASE(test_attach),
              SPS_CASE(test_attach_at_max_raises_it_once), SPS_CASE(test_attach_already_attached),
              SPS_CASE(test_retire_detach_then_terminate),
              SPS_CASE(test_retire_resumes_after_a_crash),
              SPS_CASE(test_retire_through_termination_hooks), SPS_CASE(test_restore_max),
              SPS_CASE(test_terminate), SPS_CASE(test_fallback_detach),
              SPS_CASE(test_mark_fallback))
