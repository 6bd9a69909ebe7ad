/* The typed EC2 operations end to end against the simulated AWS (tests/fakeaws, basic.json):
 * each describe over the wire with pagination and ID batching, RunInstances of a spot instance
 * from explicit attributes and from a launch template, its effect seen through
 * DescribeInstances/DescribeTags, idempotency by ClientToken, termination, and the spot
 * capacity and price errors. */
#include "sps_aws_ec2.h"
#include "sps_fakeaws.h"
#include "sps_test.h"

#define S_AMI "ami-0a1b2c3d4e5f60001"

static struct sps_fakeaws s_fake;

/* Number of calls of `action` the fake logged. */
static size_t s_calls(const char *action)
{
    struct sps_buf out;
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    char path[128];
    snprintf(path, sizeof(path), "calls?all=1&action=%s", action);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "GET", path, NULL, &out), 200);
    size_t n = 0;
    for (const char *p = out.data; (p = strstr(p, "\"seq\"")) != NULL; p++)
        n++;
    sps_buf_clean_up(&out);
    return n;
}

/* The ID of the first subnet in `az`. */
static char *s_subnet_in(struct sps_aws_client *ec2, const char *az)
{
    const struct sps_aws_ec2_filter f = {"availability-zone", (const char *const[]){az}, 1};
    struct sps_aws_ec2_describe_subnets_request in = {.filters = &f, .n_filters = 1};
    struct sps_aws_ec2_subnets s = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_subnets(ec2, &in, &s, NULL));
    SPS_CHECK(s.count >= 1);
    SPS_CHECK_STR_EQ(s.items[0].availability_zone, az);
    char *id = sps_strdup(s.items[0].subnet_id);
    sps_aws_ec2_subnets_clean_up(&s);
    return id;
}

static void s_check_catalog(struct sps_aws_client *ec2)
{
    struct sps_aws_error e;
    struct sps_aws_ec2_regions r = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_regions(ec2, &r, &e));
    SPS_CHECK_INT_EQ(r.count, 2); /* the scenario's regions */
    sps_aws_ec2_regions_clean_up(&r);
    struct sps_aws_ec2_zones z = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_availability_zones(ec2, &z, &e));
    SPS_CHECK_INT_EQ(z.count, 3);
    SPS_CHECK_STR_EQ(z.items[0].region, "us-east-1");
    SPS_CHECK(z.items[0].zone_id[0] != '\0');
    sps_aws_ec2_zones_clean_up(&z);

    struct sps_aws_ec2_describe_subnets_request all = {0};
    struct sps_aws_ec2_subnets s = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_subnets(ec2, &all, &s, &e));
    SPS_CHECK_INT_EQ(s.count, 3);
    sps_aws_ec2_subnets_clean_up(&s);

    struct sps_aws_ec2_images im = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_images(ec2, (const char *const[]){S_AMI}, 1, &im, &e));
    SPS_CHECK_INT_EQ(im.count, 1);
    SPS_CHECK_STR_EQ(im.items[0].architecture, "x86_64");
    SPS_CHECK_INT_EQ(im.items[0].n_block_devices, 1);
    SPS_CHECK_INT_EQ(im.items[0].block_devices[0].ebs.volume_size_gib, 8);
    sps_aws_ec2_images_clean_up(&im);
    SPS_CHECK_ERR(sps_aws_ec2_describe_images(ec2, (const char *const[]){"ami-nope"}, 1, &im, &e),
                  SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "InvalidAMIID.NotFound");
    sps_aws_ec2_images_clean_up(&im);
    SPS_CHECK_ERR(sps_aws_ec2_describe_images(ec2, NULL, 0, &im, &e), SPS_ERR_INVALID_ARGUMENT);
}

static void s_check_templates(struct sps_aws_client *ec2)
{
    struct sps_aws_ec2_describe_launch_templates_request by_name = {
        .template_names = (const char *const[]){"batch-lt"}, .n_template_names = 1};
    struct sps_aws_ec2_launch_templates t = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_launch_templates(ec2, &by_name, &t, NULL));
    SPS_CHECK_INT_EQ(t.count, 1);
    SPS_CHECK_INT_EQ(t.items[0].default_version, 1);
    SPS_CHECK_INT_EQ(t.items[0].latest_version, 2);

    struct sps_aws_ec2_describe_launch_template_versions_request vin = {
        .template_id = t.items[0].template_id,
        .versions = (const char *const[]){"$Default", "$Latest"},
        .n_versions = 2};
    struct sps_aws_ec2_launch_template_versions v = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_launch_template_versions(ec2, &vin, &v, NULL));
    SPS_CHECK_INT_EQ(v.count, 2);
    SPS_CHECK_INT_EQ(v.items[0].version_number, 1);
    SPS_CHECK(v.items[0].default_version);
    SPS_CHECK_STR_EQ(v.items[0].data.instance_type, "c5d.xlarge");
    SPS_CHECK_INT_EQ(v.items[1].version_number, 2);
    SPS_CHECK_STR_EQ(v.items[1].data.instance_type, "c5d.2xlarge");
    SPS_CHECK_STR_EQ(v.items[1].data.image_id, S_AMI);
    sps_aws_ec2_launch_template_versions_clean_up(&v);
    vin.template_name = "batch-lt"; /* both id and name */
    SPS_CHECK_ERR(sps_aws_ec2_describe_launch_template_versions(ec2, &vin, &v, NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    sps_aws_ec2_launch_templates_clean_up(&t);
}

static void s_check_types(struct sps_aws_client *ec2)
{
    struct sps_aws_ec2_describe_instance_types_request some = {
        .instance_types = (const char *const[]){"m5.large", "c5d.xlarge"}, .n_instance_types = 2};
    struct sps_aws_ec2_instance_type_infos t = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_instance_types(ec2, &some, &t, NULL));
    SPS_CHECK_INT_EQ(t.count, 2);
    sps_aws_ec2_instance_type_infos_clean_up(&t);
    struct sps_aws_error e;
    some.instance_types = (const char *const[]){"m5.huge"};
    some.n_instance_types = 1;
    SPS_CHECK_ERR(sps_aws_ec2_describe_instance_types(ec2, &some, &t, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "InvalidInstanceType");
    sps_aws_ec2_instance_type_infos_clean_up(&t);

    /* the whole catalog: MaxResults 100, many pages */
    size_t before = s_calls("DescribeInstanceTypes");
    struct sps_aws_ec2_describe_instance_types_request all = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_instance_types(ec2, &all, &t, NULL));
    SPS_CHECK(t.count > 1000);
    SPS_CHECK(s_calls("DescribeInstanceTypes") - before >= (t.count + 99) / 100);
    sps_aws_ec2_instance_type_infos_clean_up(&t);

    const struct sps_aws_ec2_filter f[] = {{"instance-type", (const char *const[]){"m5.large"}, 1}};
    struct sps_aws_ec2_describe_type_offerings_request off = {"availability-zone", f, 1};
    struct sps_aws_ec2_type_offerings o = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_instance_type_offerings(ec2, &off, &o, NULL));
    SPS_CHECK_INT_EQ(o.count, 3);
    SPS_CHECK_STR_EQ(o.items[0].instance_type, "m5.large");
    sps_aws_ec2_type_offerings_clean_up(&o);
    off.location_type = "region";
    SPS_CHECK_OK(sps_aws_ec2_describe_instance_type_offerings(ec2, &off, &o, NULL));
    SPS_CHECK_INT_EQ(o.count, 1);
    SPS_CHECK_STR_EQ(o.items[0].location, "us-east-1");
    sps_aws_ec2_type_offerings_clean_up(&o);
}

static void s_check_instances(struct sps_aws_client *ec2)
{
    struct sps_aws_ec2_describe_instances_request all = {0};
    struct sps_aws_ec2_instances l = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_instances(ec2, &all, &l, NULL));
    size_t total = l.count;
    SPS_CHECK(total >= 6);
    sps_aws_ec2_instances_clean_up(&l);

    /* pages of 5 give the same instances */
    size_t before = s_calls("DescribeInstances");
    all.max_results = 5;
    SPS_CHECK_OK(sps_aws_ec2_describe_instances(ec2, &all, &l, NULL));
    SPS_CHECK_INT_EQ(l.count, total);
    SPS_CHECK_INT_EQ(s_calls("DescribeInstances") - before, (total + 4) / 5);
    char *first = sps_strdup(l.items[0].instance_id);
    char *second = sps_strdup(l.items[1].instance_id);
    sps_aws_ec2_instances_clean_up(&l);

    const struct sps_aws_ec2_filter f[] = {
        {"tag:aws:autoscaling:groupName", (const char *const[]){"web"}, 1},
        {"instance-state-name", (const char *const[]){"running"}, 1}};
    struct sps_aws_ec2_describe_instances_request web = {.filters = f, .n_filters = 2};
    SPS_CHECK_OK(sps_aws_ec2_describe_instances(ec2, &web, &l, NULL));
    SPS_CHECK_INT_EQ(l.count, 2);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&l.items[0].tags, "aws:autoscaling:groupName"), "web");
    SPS_CHECK_STR_EQ(l.items[0].lifecycle, "");
    sps_aws_ec2_instances_clean_up(&l);

    /* 1001 IDs: two calls of at most 1000 */
    const char **ids = sps_calloc(1001, sizeof(*ids));
    for (size_t i = 0; i < 1000; i++)
        ids[i] = first;
    ids[1000] = second;
    before = s_calls("DescribeInstances");
    struct sps_aws_ec2_describe_instances_request by_id = {.instance_ids = ids,
                                                           .n_instance_ids = 1001};
    SPS_CHECK_OK(sps_aws_ec2_describe_instances(ec2, &by_id, &l, NULL));
    SPS_CHECK_INT_EQ(s_calls("DescribeInstances") - before, 2);
    SPS_CHECK_INT_EQ(l.count, 2);
    SPS_CHECK_STR_EQ(l.items[0].instance_id, first);
    SPS_CHECK_STR_EQ(l.items[1].instance_id, second);
    sps_aws_ec2_instances_clean_up(&l);

    /* 101 IDs: two DescribeInstanceStatus calls of at most 100 */
    ids[100] = second;
    before = s_calls("DescribeInstanceStatus");
    struct sps_aws_ec2_instance_statuses st = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_instance_status(ec2, ids, 101, &st, NULL));
    SPS_CHECK_INT_EQ(s_calls("DescribeInstanceStatus") - before, 2);
    SPS_CHECK_INT_EQ(st.count, 2);
    SPS_CHECK_STR_EQ(st.items[0].state_name, "running");
    SPS_CHECK_STR_EQ(st.items[0].instance_status, "ok");
    sps_aws_ec2_instance_statuses_clean_up(&st);

    struct sps_aws_error e;
    by_id.n_instance_ids = 1;
    ids[0] = "i-00000000000000000";
    SPS_CHECK_ERR(sps_aws_ec2_describe_instances(ec2, &by_id, &l, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "InvalidInstanceID.NotFound");
    sps_aws_ec2_instances_clean_up(&l);
    SPS_CHECK_ERR(sps_aws_ec2_describe_instance_status(ec2, ids, 1, &st, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "InvalidInstanceID.NotFound");
    sps_aws_ec2_instance_statuses_clean_up(&st);
    sps_free(ids);
    sps_free(first);
    sps_free(second);
}

static void test_describes_over_the_wire(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    s_check_catalog(ec2);
    s_check_templates(ec2);
    s_check_types(ec2);
    s_check_instances(ec2);
    sps_aws_client_destroy(ec2);
    sps_fakeaws_stop(&s_fake);
}

static sps_err s_run_spot(struct sps_aws_client *ec2, const char *token, const char *type,
                          const char *subnet, const char *max_price,
                          struct sps_aws_ec2_reservation *r, struct sps_aws_error *e)
{
    struct sps_aws_tags tags;
    sps_aws_tags_init(&tags);
    sps_aws_tags_set(&tags, "spotswap:launched-for-asg", "web", false);
    sps_aws_tags_set(&tags, "Name", "web-spot", false);
    static const char *const groups[] = {"sg-0123"};
    const struct sps_aws_ec2_block_device_mapping bdm[] = {
        {.device_name = "/dev/xvda",
         .has_ebs = true,
         .ebs = {.volume_size_gib = 16,
                 .volume_type = "gp3",
                 .iops = 3000,
                 .throughput = 125,
                 .encrypted = SPS_AWS_EC2_TRUE,
                 .delete_on_termination = SPS_AWS_EC2_TRUE}},
        {.device_name = "/dev/sdb", .virtual_name = "ephemeral0"},
        {.device_name = "/dev/sdc", .no_device = true}};
    struct sps_aws_ec2_run_request in = {
        .block_devices = bdm,
        .n_block_devices = 3,
        .http_endpoint = "enabled",
        .instance_metadata_tags = "disabled",
        .client_token = token,
        .image_id = S_AMI,
        .instance_type = type,
        .key_name = "ops",
        .security_group_ids = groups,
        .n_security_group_ids = 1,
        .user_data_base64 = "IyEvYmluL3NoCg==",
        .iam_instance_profile_arn = "arn:aws:iam::111111111111:instance-profile/web",
        .ebs_optimized = SPS_AWS_EC2_TRUE,
        .monitoring = SPS_AWS_EC2_FALSE,
        .http_tokens = "required",
        .http_hop_limit = 2,
        .placement_tenancy = "default",
        .subnet_id = subnet,
        .spot = true,
        .spot_max_price = max_price,
        .instance_tags = &tags,
        .volume_tags = &tags,
    };
    sps_err err = sps_aws_ec2_run_instances(ec2, &in, r, e);
    sps_aws_tags_clean_up(&tags);
    return err;
}

static void s_check_launched(struct sps_aws_client *ec2, const char *id, const char *state)
{
    const struct sps_aws_ec2_filter f[] = {
        {"tag:spotswap:launched-for-asg", (const char *const[]){"web"}, 1}};
    struct sps_aws_ec2_describe_instances_request in = {.filters = f, .n_filters = 1};
    struct sps_aws_ec2_instances l = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_instances(ec2, &in, &l, NULL));
    SPS_CHECK_INT_EQ(l.count, 1); /* one launch, however many retries */
    SPS_CHECK_STR_EQ(l.items[0].instance_id, id);
    SPS_CHECK_STR_EQ(l.items[0].lifecycle, "spot");
    SPS_CHECK(l.items[0].spot_instance_request_id[0] != '\0');
    SPS_CHECK_STR_EQ(l.items[0].state_name, state);
    SPS_CHECK_STR_EQ(l.items[0].instance_type, "m5.large");
    SPS_CHECK_STR_EQ(l.items[0].availability_zone, "us-east-1b");
    SPS_CHECK_STR_EQ(l.items[0].key_name, "ops");
    SPS_CHECK_STR_EQ(l.items[0].iam_instance_profile_arn,
                     "arn:aws:iam::111111111111:instance-profile/web");
    SPS_CHECK_STR_EQ(l.items[0].security_group_ids.items[0], "sg-0123");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&l.items[0].tags, "Name"), "web-spot");
    sps_aws_ec2_instances_clean_up(&l);
}

static void test_spot_launch_tag_terminate(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    char *subnet = s_subnet_in(ec2, "us-east-1b");
    struct sps_aws_error e;
    struct sps_aws_ec2_reservation r = {0};
    SPS_CHECK_OK(s_run_spot(ec2, "e2e-token-1", "m5.large", subnet, NULL, &r, &e));
    SPS_CHECK_INT_EQ(r.instances.count, 1);
    SPS_CHECK_STR_EQ(r.instances.items[0].lifecycle, "spot");
    SPS_CHECK_STR_EQ(r.instances.items[0].state_name, "pending");
    SPS_CHECK_STR_EQ(r.instances.items[0].subnet_id, subnet);
    char *id = sps_strdup(r.instances.items[0].instance_id);
    char *reservation = sps_strdup(r.reservation_id);
    sps_aws_ec2_reservation_clean_up(&r);
    s_check_launched(ec2, id, "pending");

    /* the same ClientToken again: the same reservation, no second instance */
    SPS_CHECK_OK(s_run_spot(ec2, "e2e-token-1", "m5.large", subnet, NULL, &r, &e));
    SPS_CHECK_STR_EQ(r.reservation_id, reservation);
    SPS_CHECK_STR_EQ(r.instances.items[0].instance_id, id);
    sps_aws_ec2_reservation_clean_up(&r);
    SPS_CHECK_INT_EQ(sps_fakeaws_admin(&s_fake, "POST", "advance", "{\"seconds\": 30}", NULL), 200);
    s_check_launched(ec2, id, "running");

    /* CreateTags shows in DescribeTags */
    struct sps_aws_tags tags;
    sps_aws_tags_init(&tags);
    sps_aws_tags_set(&tags, "spotswap:replaces", "i-0abc", false);
    SPS_CHECK_OK(sps_aws_ec2_create_tags(ec2, (const char *const[]){id}, 1, &tags, &e));
    const struct sps_aws_ec2_filter f[] = {{"resource-id", (const char *const[]){id}, 1}};
    struct sps_aws_ec2_tag_descriptions td = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_tags(ec2, f, 1, &td, &e));
    SPS_CHECK_INT_EQ(td.count, 3);
    bool found = false;
    for (size_t i = 0; i < td.count; i++)
        found |= strcmp(td.items[i].key, "spotswap:replaces") == 0 &&
                 strcmp(td.items[i].value, "i-0abc") == 0;
    SPS_CHECK(found);
    sps_aws_ec2_tag_descriptions_clean_up(&td);
    /* aws: keys are refused; the service's words come back untouched */
    sps_aws_tags_set(&tags, "aws:reserved", "x", false);
    SPS_CHECK_ERR(sps_aws_ec2_create_tags(ec2, (const char *const[]){id}, 1, &tags, &e),
                  SPS_ERR_AWS_CLIENT);
    SPS_CHECK_STR_EQ(e.code, "InvalidParameterValue");
    SPS_CHECK_ERR(sps_aws_ec2_create_tags(ec2, NULL, 0, &tags, &e), SPS_ERR_INVALID_ARGUMENT);
    sps_aws_tags_clean_up(&tags);
    /* DeleteTags by key: the tag is gone from DescribeTags afterwards. */
    SPS_CHECK_OK(sps_aws_ec2_delete_tags(ec2, (const char *const[]){id}, 1,
                                         (const char *const[]){"spotswap:replaces"}, 1, &e));
    struct sps_aws_ec2_filter by_key = {"key", (const char *const[]){"spotswap:replaces"}, 1};
    struct sps_aws_ec2_tag_descriptions gone = {0};
    SPS_CHECK_OK(sps_aws_ec2_describe_tags(ec2, &by_key, 1, &gone, &e));
    SPS_CHECK_INT_EQ(gone.count, 0);
    sps_aws_ec2_tag_descriptions_clean_up(&gone);
    SPS_CHECK_ERR(sps_aws_ec2_delete_tags(ec2, (const char *const[]){id}, 1, NULL, 0, &e),
                  SPS_ERR_INVALID_ARGUMENT);

    struct sps_aws_ec2_state_changes sc = {0};
    SPS_CHECK_OK(sps_aws_ec2_terminate_instances(ec2, (const char *const[]){id}, 1, &sc, &e));
    SPS_CHECK_INT_EQ(sc.count, 1);
    SPS_CHECK_STR_EQ(sc.items[0].instance_id, id);
    SPS_CHECK_STR_EQ(sc.items[0].previous_state, "running");
    SPS_CHECK_STR_EQ(sc.items[0].current_state, "shutting-down");
    sps_aws_ec2_state_changes_clean_up(&sc);
    s_check_launched(ec2, id, "shutting-down");
    SPS_CHECK_ERR(sps_aws_ec2_terminate_instances(ec2, NULL, 0, &sc, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_ec2_terminate_instances(ec2, (const char *const[]){"i-0000"}, 1, &sc, &e),
                  SPS_ERR_AWS_CLIENT);
    sps_aws_ec2_state_changes_clean_up(&sc);

    /* The network interface form passes the fake's model check (it refuses unknown
     * parameters); the fake ignores NetworkInterface.1.SubnetId, so the subnet is not checked. */
    struct sps_aws_ec2_run_request ni = {.client_token = "e2e-ni-1",
                                         .image_id = S_AMI,
                                         .instance_type = "m5.large",
                                         .security_group_ids = (const char *const[]){"sg-1"},
                                         .n_security_group_ids = 1,
                                         .subnet_id = subnet,
                                         .associate_public_ip = SPS_AWS_EC2_TRUE};
    SPS_CHECK_OK(sps_aws_ec2_run_instances(ec2, &ni, &r, &e));
    SPS_CHECK_INT_EQ(r.instances.count, 1);
    SPS_CHECK_STR_EQ(r.instances.items[0].lifecycle, "");
    sps_aws_ec2_reservation_clean_up(&r);

    /* an invalid request never reaches the wire */
    size_t before = s_calls("RunInstances");
    SPS_CHECK_ERR(s_run_spot(ec2, "", "m5.large", subnet, NULL, &r, &e), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(s_calls("RunInstances"), before);
    sps_free(id);
    sps_free(reservation);
    sps_free(subnet);
    sps_aws_client_destroy(ec2);
    sps_fakeaws_stop(&s_fake);
}

static void test_launch_from_template(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    char *subnet = s_subnet_in(ec2, "us-east-1c");
    struct sps_aws_tags tags;
    sps_aws_tags_init(&tags);
    sps_aws_tags_set(&tags, "spotswap:launched-for-asg", "batch", false);
    struct sps_aws_ec2_run_request in = {.client_token = "e2e-lt-1",
                                         .launch_template_name = "batch-lt",
                                         .launch_template_version = "$Latest",
                                         .instance_type = "c5d.xlarge",
                                         .subnet_id = subnet,
                                         .spot = true,
                                         .instance_tags = &tags};
    struct sps_aws_ec2_reservation r = {0};
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_aws_ec2_run_instances(ec2, &in, &r, &e));
    const struct sps_aws_ec2_instance *i = &r.instances.items[0];
    SPS_CHECK_STR_EQ(i->instance_type, "c5d.xlarge"); /* the override, not version 2's type */
    SPS_CHECK_STR_EQ(i->subnet_id, subnet);
    SPS_CHECK_STR_EQ(i->lifecycle, "spot");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&i->tags, "aws:ec2launchtemplate:version"), "2");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&i->tags, "spotswap:launched-for-asg"), "batch");
    sps_aws_ec2_reservation_clean_up(&r);
    in.launch_template_name = "no-such-template";
    in.client_token = "e2e-lt-2";
    SPS_CHECK_ERR(sps_aws_ec2_run_instances(ec2, &in, &r, &e), SPS_ERR_AWS_CLIENT);
    SPS_CHECK(e.code[0] != '\0');
    sps_aws_ec2_reservation_clean_up(&r);
    sps_aws_tags_clean_up(&tags);
    sps_free(subnet);
    sps_aws_client_destroy(ec2);
    sps_fakeaws_stop(&s_fake);
}

static void test_capacity_and_price_errors(void)
{
    sps_fakeaws_start(&s_fake, "basic.json");
    struct sps_aws_client *ec2 = sps_fakeaws_client(&s_fake, SPS_AWS_EC2, "us-east-1");
    char *subnet = s_subnet_in(ec2, "us-east-1a");
    struct sps_aws_ec2_reservation r = {0};
    struct sps_aws_error e;
    /* basic.json: room for one spot c5.large in us-east-1a */
    SPS_CHECK_OK(s_run_spot(ec2, "cap-1", "c5.large", subnet, NULL, &r, &e));
    sps_aws_ec2_reservation_clean_up(&r);
    size_t before = s_calls("RunInstances");
    SPS_CHECK_ERR(s_run_spot(ec2, "cap-2", "c5.large", subnet, NULL, &r, &e), SPS_ERR_AWS_CAPACITY);
    SPS_CHECK_STR_EQ(e.code, "InsufficientInstanceCapacity");
    SPS_CHECK_INT_EQ(e.http_status, 500);
    SPS_CHECK_INT_EQ(s_calls("RunInstances") - before, 1); /* capacity is not retried */
    SPS_CHECK_INT_EQ(r.instances.count, 0);
    sps_aws_ec2_reservation_clean_up(&r);

    /* r5.large in us-east-1a trades at 0.05 */
    /* classified with the capacity codes: the remedy is another type or zone, not a retry */
    SPS_CHECK_ERR(s_run_spot(ec2, "price-1", "r5.large", subnet, "0.01", &r, &e),
                  SPS_ERR_AWS_CAPACITY);
    SPS_CHECK_STR_EQ(e.code, "SpotMaxPriceTooLow");
    SPS_CHECK_INT_EQ(e.http_status, 400);
    sps_aws_ec2_reservation_clean_up(&r);
    SPS_CHECK_OK(s_run_spot(ec2, "price-2", "r5.large", subnet, "0.06", &r, &e));
    SPS_CHECK_STR_EQ(r.instances.items[0].instance_type, "r5.large");
    sps_aws_ec2_reservation_clean_up(&r);
    sps_free(subnet);
    sps_aws_client_destroy(ec2);
    sps_fakeaws_stop(&s_fake);
}

SPS_TEST_MAIN(SPS_CASE(test_describes_over_the_wire), SPS_CASE(test_spot_launch_tag_terminate),
              SPS_CASE(test_launch_from_template), SPS_CASE(test_capacity_and_price_errors))
