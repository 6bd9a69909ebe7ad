/* The Auto Scaling convenience calls over the scripted transport: input refused before anything
 * is sent, name lists split into API-sized batches, pages followed, service errors handed back
 * untouched, and a broken page leaving the output empty. */
#include "autoscaling_fixture.h"
#include "http_client_env.h"

static struct sps_cenv s_env;

static void s_setup(void)
{
    sps_cenv_setup(&s_env, SPS_AWS_AUTOSCALING);
}

static void s_push_fixture(const char *name)
{
    char *xml = asg_fixture(name);
    sps_fake_transport_push(s_env.fake, 200, "Content-Type: text/xml\n", xml);
    sps_free(xml);
}

static void s_push_validation_error(void)
{
    char *xml = NULL;
    struct sps_buf buf;
    sps_buf_init(&buf, SPS_BUF_DEFAULT_MAX);
    sps_test_read_fixture(&buf, "errors/autoscaling.ValidationError.xml");
    xml = sps_buf_take(&buf);
    sps_fake_transport_push(s_env.fake, 400, "Content-Type: text/xml\n", xml);
    sps_free(xml);
}

static const char *s_body(size_t i)
{
    return sps_cenv_sent(&s_env, i)->body.data;
}

static size_t s_sent(void)
{
    return sps_fake_transport_request_count(s_env.fake);
}

static void test_bad_input_is_refused_before_sending(void)
{
    s_setup();
    struct sps_aws_client *c = s_env.client;
    struct sps_aws_error e;
    struct sps_aws_asg_groups groups;
    static const char *const ids[] = {"i-1", ""};
    static const char *const null_names[] = {NULL};
    const struct sps_aws_asg_filter no_name = {NULL, NULL, 0};

    struct sps_aws_asg_describe_groups_input gi = {.max_records = 101};
    SPS_CHECK_ERR(sps_aws_asg_describe_groups(c, &gi, &groups, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(groups.count, 0);
    gi = (struct sps_aws_asg_describe_groups_input){.max_records = -1};
    SPS_CHECK_ERR(sps_aws_asg_describe_groups(c, &gi, &groups, &e), SPS_ERR_INVALID_ARGUMENT);
    gi = (struct sps_aws_asg_describe_groups_input){.name_count = 3};
    SPS_CHECK_ERR(sps_aws_asg_describe_groups(c, &gi, &groups, &e), SPS_ERR_INVALID_ARGUMENT);
    gi = (struct sps_aws_asg_describe_groups_input){.filters = &no_name, .filter_count = 1};
    SPS_CHECK_ERR(sps_aws_asg_describe_groups(c, &gi, &groups, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_describe_groups(c, NULL, &groups, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_describe_groups(NULL, &gi, &groups, &e), SPS_ERR_INVALID_ARGUMENT);

    struct sps_aws_asg_launch_configurations lcs;
    struct sps_aws_asg_describe_launch_configurations_input li = {.max_records = 200};
    SPS_CHECK_ERR(sps_aws_asg_describe_launch_configurations(c, &li, &lcs, &e),
                  SPS_ERR_INVALID_ARGUMENT);
    li = (struct sps_aws_asg_describe_launch_configurations_input){.name_count = 1};
    SPS_CHECK_ERR(sps_aws_asg_describe_launch_configurations(c, &li, &lcs, &e),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_describe_launch_configurations(c, NULL, &lcs, &e),
                  SPS_ERR_INVALID_ARGUMENT);

    struct sps_aws_asg_lifecycle_hooks hooks;
    SPS_CHECK_ERR(sps_aws_asg_describe_lifecycle_hooks(c, "", &hooks, &e),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_describe_lifecycle_hooks(c, NULL, &hooks, &e),
                  SPS_ERR_INVALID_ARGUMENT);
    struct sps_aws_asg_activities acts;
    struct sps_aws_asg_describe_activities_input ai = {.max_records = 101};
    SPS_CHECK_ERR(sps_aws_asg_describe_activities(c, &ai, &acts, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_describe_activities(c, NULL, &acts, &e), SPS_ERR_INVALID_ARGUMENT);

    struct sps_aws_asg_instances_input ii = {.group_name = "web", .instance_ids = ids};
    SPS_CHECK_ERR(sps_aws_asg_attach_instances(c, &ii, &e), SPS_ERR_INVALID_ARGUMENT); /* 0 ids */
    ii.instance_count = 2; /* the second id is empty */
    SPS_CHECK_ERR(sps_aws_asg_attach_instances(c, &ii, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_detach_instances(c, &ii, &acts, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(acts.count, 0);
    SPS_CHECK_ERR(sps_aws_asg_set_instance_protection(c, &ii, &e), SPS_ERR_INVALID_ARGUMENT);
    ii = (struct sps_aws_asg_instances_input){.instance_ids = ids, .instance_count = 1};
    SPS_CHECK_ERR(sps_aws_asg_attach_instances(c, &ii, &e), SPS_ERR_INVALID_ARGUMENT); /* group */
    ii = (struct sps_aws_asg_instances_input){.group_name = "web", .instance_count = 1};
    SPS_CHECK_ERR(sps_aws_asg_attach_instances(c, &ii, &e), SPS_ERR_INVALID_ARGUMENT); /* ids */
    SPS_CHECK_ERR(sps_aws_asg_attach_instances(c, NULL, &e), SPS_ERR_INVALID_ARGUMENT);

    struct sps_aws_asg_activity act;
    SPS_CHECK_ERR(sps_aws_asg_terminate_instance(c, "", true, &act, &e), SPS_ERR_INVALID_ARGUMENT);
    struct sps_aws_asg_update_input up = {.group_name = "web"};
    SPS_CHECK_ERR(sps_aws_asg_update_group(c, &up, &e), SPS_ERR_INVALID_ARGUMENT); /* no size */
    SPS_CHECK_ERR(sps_aws_asg_update_group(c, NULL, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_set_desired_capacity(c, NULL, 1, false, &e),
                  SPS_ERR_INVALID_ARGUMENT);

    struct sps_aws_tags tags;
    sps_aws_tags_init(&tags);
    SPS_CHECK_ERR(sps_aws_asg_create_or_update_tags(c, "web", &tags, &e),
                  SPS_ERR_INVALID_ARGUMENT); /* no tags */
    sps_aws_tags_set(&tags, "", "v", false);
    SPS_CHECK_ERR(sps_aws_asg_create_or_update_tags(c, "web", &tags, &e),
                  SPS_ERR_INVALID_ARGUMENT); /* empty key */
    SPS_CHECK_ERR(sps_aws_asg_create_or_update_tags(c, "", &tags, &e), SPS_ERR_INVALID_ARGUMENT);
    sps_aws_tags_clean_up(&tags);
    SPS_CHECK_ERR(sps_aws_asg_delete_tags(c, "web", NULL, 0, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_delete_tags(c, "web", null_names, 1, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_suspend_processes(c, "web", null_names, 1, &e),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_resume_processes(c, "web", NULL, 2, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_resume_processes(c, NULL, NULL, 0, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(s_sent(), 0);

    /* An EC2 client is refused: the request would go to the wrong service. */
    struct sps_aws_client_options o = sps_cenv_options(&s_env, SPS_AWS_EC2);
    sps_cenv_reclient(&s_env, &o);
    gi = (struct sps_aws_asg_describe_groups_input){0};
    SPS_CHECK_ERR(sps_aws_asg_describe_groups(s_env.client, &gi, &groups, &e),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_asg_set_desired_capacity(s_env.client, "web", 1, false, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(s_sent(), 0);
    sps_cenv_teardown(&s_env);
}

static void test_names_split_into_batches(void)
{
    s_setup();
    enum { N = 150 };
    char storage[N][16];
    const char *names[N];
    for (size_t i = 0; i < N; i++) {
        snprintf(storage[i], sizeof(storage[i]), "group-%zu", i + 1);
        names[i] = storage[i];
    }
    s_push_fixture("describe_groups_doc.xml");
    s_push_fixture("describe_groups_empty.xml");
    struct sps_aws_asg_describe_groups_input in = {.names = names, .name_count = N};
    struct sps_aws_asg_groups g;
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_aws_asg_describe_groups(s_env.client, &in, &g, &e));
    SPS_CHECK_INT_EQ(s_sent(), 2);
    SPS_CHECK(strstr(s_body(0), "AutoScalingGroupNames.member.100=group-100&") != NULL);
    SPS_CHECK(strstr(s_body(0), "AutoScalingGroupNames.member.101") == NULL);
    SPS_CHECK(strstr(s_body(1), "AutoScalingGroupNames.member.1=group-101&") != NULL);
    SPS_CHECK(strstr(s_body(1), "AutoScalingGroupNames.member.50=group-150&") != NULL);
    SPS_CHECK(strstr(s_body(1), "AutoScalingGroupNames.member.51") == NULL);
    SPS_CHECK_INT_EQ(g.count, 1);
    sps_aws_asg_groups_clean_up(&g);

    /* Launch configurations: 50 per call. */
    for (int i = 0; i < 3; i++)
        s_push_fixture("describe_launch_configurations_doc.xml");
    struct sps_aws_asg_describe_launch_configurations_input li = {.names = names,
                                                                  .name_count = 120};
    struct sps_aws_asg_launch_configurations l;
    SPS_CHECK_OK(sps_aws_asg_describe_launch_configurations(s_env.client, &li, &l, &e));
    SPS_CHECK_INT_EQ(s_sent(), 5);
    SPS_CHECK(strstr(s_body(2), "LaunchConfigurationNames.member.50=group-50&") != NULL);
    SPS_CHECK(strstr(s_body(2), "LaunchConfigurationNames.member.51") == NULL);
    SPS_CHECK(strstr(s_body(3), "LaunchConfigurationNames.member.1=group-51&") != NULL);
    SPS_CHECK(strstr(s_body(4), "LaunchConfigurationNames.member.20=group-120&") != NULL);
    SPS_CHECK(strstr(s_body(4), "LaunchConfigurationNames.member.21") == NULL);
    SPS_CHECK_INT_EQ(l.count, 3);
    sps_aws_asg_launch_configurations_clean_up(&l);
    sps_cenv_teardown(&s_env);
}

static void test_pages_followed(void)
{
    s_setup();
    s_push_fixture("describe_groups_page.xml");
    s_push_fixture("describe_groups.xml");
    struct sps_aws_asg_describe_groups_input in = {.max_records = 1};
    struct sps_aws_asg_groups g;
    SPS_CHECK_OK(sps_aws_asg_describe_groups(s_env.client, &in, &g, NULL));
    SPS_CHECK_INT_EQ(s_sent(), 2);
    SPS_CHECK(strstr(s_body(0), "MaxRecords=1") != NULL);
    SPS_CHECK(strstr(s_body(0), "NextToken") == NULL);
    SPS_CHECK(strstr(s_body(1), "NextToken=") != NULL);
    SPS_CHECK_INT_EQ(g.count, 5);
    SPS_CHECK(g.next_token == NULL); /* every page was read */
    sps_aws_asg_groups_clean_up(&g);

    s_push_fixture("describe_launch_configurations_full.xml");
    s_push_fixture("describe_launch_configurations.xml");
    struct sps_aws_asg_describe_launch_configurations_input li = {0};
    struct sps_aws_asg_launch_configurations l;
    SPS_CHECK_OK(sps_aws_asg_describe_launch_configurations(s_env.client, &li, &l, NULL));
    SPS_CHECK(strstr(s_body(3), "NextToken=lc-next") != NULL);
    SPS_CHECK_INT_EQ(l.count, 2);
    sps_aws_asg_launch_configurations_clean_up(&l);

    /* Activities: one page only, the token handed to the caller. */
    sps_fake_transport_push(s_env.fake, 200, NULL,
                            "<R><DescribeScalingActivitiesResult><Activities/>"
                            "<NextToken>older</NextToken></DescribeScalingActivitiesResult></R>");
    struct sps_aws_asg_describe_activities_input ai = {.group_name = "web", .max_records = 10};
    struct sps_aws_asg_activities acts;
    SPS_CHECK_OK(sps_aws_asg_describe_activities(s_env.client, &ai, &acts, NULL));
    SPS_CHECK_INT_EQ(s_sent(), 5);
    SPS_CHECK_STR_EQ(acts.next_token, "older");
    sps_aws_asg_activities_clean_up(&acts);
    sps_cenv_teardown(&s_env);
}

static void test_service_error_handed_back(void)
{
    s_setup();
    struct sps_aws_error e;
    struct sps_aws_asg_groups g;
    struct sps_aws_asg_describe_groups_input in = {0};
    s_push_validation_error();
    SPS_CHECK_ERR(sps_aws_asg_describe_groups(s_env.client, &in, &g, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");
    SPS_CHECK_INT_EQ(e.http_status, 400);
    SPS_CHECK(strstr(e.message, "no-such-group") != NULL);
    SPS_CHECK_INT_EQ(g.count, 0);

    s_push_validation_error();
    SPS_CHECK_ERR(sps_aws_asg_set_desired_capacity(s_env.client, "no-such-group", 2, false, &e),
                  SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "ValidationError");
    s_push_validation_error();
    struct sps_aws_asg_activity act;
    SPS_CHECK_ERR(sps_aws_asg_terminate_instance(s_env.client, "i-1", false, &act, NULL),
                  SPS_ERR_AWS_CLIENT);
    SPS_CHECK(act.activity_id == NULL);
    /* a success clears what an earlier failure left in aws_err */
    sps_fake_transport_push(s_env.fake, 200, NULL,
                            "<SetDesiredCapacityResponse><ResponseMetadata><RequestId>r"
                            "</RequestId></ResponseMetadata></SetDesiredCapacityResponse>");
    SPS_CHECK_OK(sps_aws_asg_set_desired_capacity(s_env.client, "web", 2, false, &e));
    SPS_CHECK_STR_EQ(e.code, "");
    sps_cenv_teardown(&s_env);
}

static void test_broken_answers_leave_output_empty(void)
{
    s_setup();
    char *xml = asg_fixture("describe_groups.xml");
    char *broken = asg_without(xml, "MinSize");
    s_push_fixture("describe_groups_page.xml");
    sps_fake_transport_push(s_env.fake, 200, NULL, broken);
    struct sps_aws_asg_describe_groups_input in = {0};
    struct sps_aws_asg_groups g;
    SPS_CHECK_ERR(sps_aws_asg_describe_groups(s_env.client, &in, &g, NULL), SPS_ERR_MISSING_FIELD);
    SPS_CHECK_INT_EQ(g.count, 0);
    SPS_CHECK(g.items == NULL && g.next_token == NULL);
    sps_free(broken);
    sps_free(xml);

    xml = asg_fixture("describe_launch_configurations.xml");
    broken = asg_with_text(xml, "CreatedTime", "never");
    sps_fake_transport_push(s_env.fake, 200, NULL, broken);
    struct sps_aws_asg_describe_launch_configurations_input li = {0};
    struct sps_aws_asg_launch_configurations l;
    SPS_CHECK_ERR(sps_aws_asg_describe_launch_configurations(s_env.client, &li, &l, NULL),
                  SPS_ERR_PARSE_TIME);
    SPS_CHECK_INT_EQ(l.count, 0);
    sps_free(broken);
    sps_free(xml);

    sps_fake_transport_push(s_env.fake, 200, NULL,
                            "<R><X><LifecycleHooks><member><LifecycleHookName>a"
                            "</LifecycleHookName></member></LifecycleHooks></X></R>");
    struct sps_aws_asg_lifecycle_hooks h;
    SPS_CHECK_ERR(sps_aws_asg_describe_lifecycle_hooks(s_env.client, "web", &h, NULL),
                  SPS_ERR_MISSING_FIELD);
    SPS_CHECK_INT_EQ(h.count, 0);

    sps_fake_transport_push(s_env.fake, 200, NULL, "<R><X><Nothing/></X></R>");
    struct sps_aws_asg_activity act;
    SPS_CHECK_ERR(sps_aws_asg_terminate_instance(s_env.client, "i-1", true, &act, NULL),
                  SPS_ERR_MISSING_FIELD);
    SPS_CHECK(act.activity_id == NULL);

    xml = asg_fixture("detach_instances.xml");
    broken = asg_without(xml, "Cause");
    sps_fake_transport_push(s_env.fake, 200, NULL, broken);
    static const char *const ids[] = {"i-1"};
    struct sps_aws_asg_instances_input ii = {.group_name = "web",
                                             .instance_ids = ids,
                                             .instance_count = 1,
                                             .should_decrement_desired_capacity = true};
    struct sps_aws_asg_activities acts;
    SPS_CHECK_ERR(sps_aws_asg_detach_instances(s_env.client, &ii, &acts, NULL),
                  SPS_ERR_MISSING_FIELD);
    SPS_CHECK_INT_EQ(acts.count, 0);
    sps_free(broken);
    sps_free(xml);

    sps_fake_transport_push(s_env.fake, 200, NULL,
                            "<R><X><Activities><member/></Activities></X></R>");
    struct sps_aws_asg_describe_activities_input ai = {0};
    SPS_CHECK_ERR(sps_aws_asg_describe_activities(s_env.client, &ai, &acts, NULL),
                  SPS_ERR_MISSING_FIELD);
    SPS_CHECK_INT_EQ(acts.count, 0);
    sps_cenv_teardown(&s_env);
}

SPS_TEST_MAIN(SPS_CASE(test_bad_input_is_refused_before_sending),
              SPS_CASE(test_names_split_into_batches), SPS_CASE(test_pages_followed),
              SPS_CASE(test_service_error_handed_back),
              SPS_CASE(test_broken_answers_leave_output_empty))
