/* sps_launch_request_build (pure): every launch configuration attribute lands in the exact
 * RunInstances field; a template version gives the template form with its overrides; the
 * network interface form when a public IP choice or the template's interfaces require it;
 * tags filtered (aws:*, not propagated) and merged; every refusal. */
#include "launch_test_util.h"

#include <math.h>

struct fixture {
    struct sps_aws_asg_group group;
    struct sps_aws_ec2_instance instance;
    struct sps_aws_asg_launch_configuration lc;
    struct sps_aws_ec2_launch_template_versions lt;
    struct sps_launch_spec spec;
    struct sps_launch_request req;
};

static void s_setup(struct fixture *f, bool template)
{
    memset(f, 0, sizeof(*f));
    lt_group(&f->group, "web", 2, 4);
    lt_instance(&f->instance);
    lt_launch_configuration(&f->lc);
    lt_template_version(&f->lt);
    f->spec =
        (struct sps_launch_spec){.group = &f->group,
                                 .instance = &f->instance,
                                 .source = {.launch_configuration = template ? NULL : &f->lc,
                                            .template_version = template ? &f->lt.items[0] : NULL},
                                 .instance_type = "m5a.large",
                                 .max_price_usd = 0.096,
                                 .client_token = "spotswap-00000000000000010000000000000002"};
}

static void s_teardown(struct fixture *f)
{
    sps_launch_request_clean_up(&f->req);
    sps_aws_asg_group_clean_up(&f->group);
    sps_aws_ec2_instance_clean_up(&f->instance);
    sps_aws_asg_launch_configuration_clean_up(&f->lc);
    sps_aws_ec2_launch_template_versions_clean_up(&f->lt);
}

static void s_check_body(const struct sps_aws_ec2_run_request *run, const char *expected)
{
    char *body = lt_run_body(run);
    SPS_CHECK_STR_EQ(body, expected);
    sps_free(body);
}

static void test_launch_configuration_every_attribute(void)
{
    struct fixture f;
    s_setup(&f, false);
    SPS_CHECK_OK(sps_launch_request_build(&f.req, &f.spec));
    const struct sps_aws_ec2_run_request *r = &f.req.run;
    SPS_CHECK_STR_EQ(r->image_id, "ami-0abcdef1234567890");
    SPS_CHECK_STR_EQ(r->instance_type, "m5a.large");
    SPS_CHECK_STR_EQ(r->key_name, "ops-key");
    SPS_CHECK_INT_EQ(r->n_security_group_ids, 2);
    SPS_CHECK_STR_EQ(r->security_group_ids[0], "sg-0123456789abcdef0");
    SPS_CHECK_STR_EQ(r->security_group_ids[1], "sg-0fedcba9876543210");
    SPS_CHECK_STR_EQ(r->user_data_base64, "IyEvYmluL3NoCmVjaG8gaGVsbG8K");
    SPS_CHECK_STR_EQ(r->iam_instance_profile_name, "web-profile");
    SPS_CHECK(r->iam_instance_profile_arn == NULL);
    SPS_CHECK_INT_EQ(r->n_block_devices, 3);
    const struct sps_aws_ec2_block_device_mapping *b = r->block_devices;
    SPS_CHECK_STR_EQ(b[0].device_name, "/dev/xvda");
    SPS_CHECK(b[0].has_ebs && !b[0].no_device && b[0].virtual_name == NULL);
    SPS_CHECK_STR_EQ(b[0].ebs.snapshot_id, "snap-0123456789abcdef0");
    SPS_CHECK_INT_EQ(b[0].ebs.volume_size_gib, 30);
    SPS_CHECK_STR_EQ(b[0].ebs.volume_type, "gp3");
    SPS_CHECK_INT_EQ(b[0].ebs.iops, 4000);
    SPS_CHECK_INT_EQ(b[0].ebs.throughput, 250);
    SPS_CHECK_INT_EQ(b[0].ebs.encrypted, SPS_AWS_EC2_TRUE);
    SPS_CHECK_INT_EQ(b[0].ebs.delete_on_termination, SPS_AWS_EC2_FALSE);
    SPS_CHECK_STR_EQ(b[1].virtual_name, "ephemeral0");
    SPS_CHECK(!b[1].has_ebs && !b[1].no_device);
    SPS_CHECK(b[2].no_device && !b[2].has_ebs);
    SPS_CHECK_INT_EQ(r->ebs_optimized, SPS_AWS_EC2_UNSET); /* neither the LC nor the spec */
    SPS_CHECK_INT_EQ(r->monitoring, SPS_AWS_EC2_TRUE);
    SPS_CHECK_STR_EQ(r->http_tokens, "required");
    SPS_CHECK_INT_EQ(r->http_hop_limit, 2);
    SPS_CHECK_STR_EQ(r->http_endpoint, "enabled");
    SPS_CHECK_STR_EQ(r->placement_tenancy, "dedicated");
    SPS_CHECK_INT_EQ(r->associate_public_ip, SPS_AWS_EC2_UNSET);
    SPS_CHECK_STR_EQ(r->availability_zone, "us-east-1b");
    SPS_CHECK_STR_EQ(r->subnet_id, "subnet-0bb1c79de3EXAMPLE");
    SPS_CHECK(r->spot);
    SPS_CHECK_STR_EQ(r->spot_max_price, "0.096");
    SPS_CHECK_STR_EQ(r->client_token, "spotswap-00000000000000010000000000000002");
    SPS_CHECK(r->launch_template_id == NULL && r->launch_template_name == NULL);
    /* Tags: the propagated ones, never aws:* or propagate=false, then the breadcrumbs. */
    SPS_CHECK_INT_EQ(f.req.instance_tags.count, 4);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(r->instance_tags, "team"), "web");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(r->instance_tags, "Name"), "web server");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(r->instance_tags, SPS_TAG_LAUNCHED_FOR_ASG), "web");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(r->instance_tags, SPS_TAG_REPLACES), "i-0123456789abcdef0");
    SPS_CHECK(sps_aws_tags_get(r->instance_tags, "spot-enabled") == NULL);
    SPS_CHECK(sps_aws_tags_get(r->instance_tags, "aws:cloudformation:stack-name") == NULL);
    SPS_CHECK_INT_EQ(r->volume_tags->count, 2);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(r->volume_tags, "team"), "web");
    SPS_CHECK(sps_aws_tags_get(r->volume_tags, SPS_TAG_REPLACES) == NULL);
    SPS_CHECK(sps_aws_ec2_run_request_check(r) == SPS_OK);
    s_check_body(r,
                 "Action=RunInstances&Version=2016-11-15&ImageId=ami-0abcdef1234567890"
                 "&KeyName=ops-key&UserData=IyEvYmluL3NoCmVjaG8gaGVsbG8K"
                 "&IamInstanceProfile.Name=web-profile"
                 "&BlockDeviceMapping.1.DeviceName=%2Fdev%2Fxvda"
                 "&BlockDeviceMapping.1.Ebs.SnapshotId=snap-0123456789abcdef0"
                 "&BlockDeviceMapping.1.Ebs.VolumeSize=30&BlockDeviceMapping.1.Ebs.VolumeType=gp3"
                 "&BlockDeviceMapping.1.Ebs.Iops=4000&BlockDeviceMapping.1.Ebs.Throughput=250"
                 "&BlockDeviceMapping.1.Ebs.Encrypted=true"
                 "&BlockDeviceMapping.1.Ebs.DeleteOnTermination=false"
                 "&BlockDeviceMapping.2.DeviceName=%2Fdev%2Fsdb"
                 "&BlockDeviceMapping.2.VirtualName=ephemeral0"
                 "&BlockDeviceMapping.3.DeviceName=%2Fdev%2Fsdc&BlockDeviceMapping.3.NoDevice="
                 "&Monitoring.Enabled=true&MetadataOptions.HttpTokens=required"
                 "&MetadataOptions.HttpPutResponseHopLimit=2&MetadataOptions.HttpEndpoint=enabled"
                 "&Placement.Tenancy=dedicated&InstanceType=m5a.large"
                 "&Placement.AvailabilityZone=us-east-1b&SubnetId=subnet-0bb1c79de3EXAMPLE"
                 "&SecurityGroupId.1=sg-0123456789abcdef0&SecurityGroupId.2=sg-0fedcba9876543210"
                 "&InstanceMarketOptions.MarketType=spot"
                 "&InstanceMarketOptions.SpotOptions.MaxPrice=0.096"
                 "&InstanceMarketOptions.SpotOptions.SpotInstanceType=one-time"
                 "&InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior=terminate"
                 "&TagSpecification.1.ResourceType=instance"
                 "&TagSpecification.1.Tag.1.Key=team&TagSpecification.1.Tag.1.Value=web"
                 "&TagSpecification.1.Tag.2.Key=Name"
                 "&TagSpecification.1.Tag.2.Value=web%20server"
                 "&TagSpecification.1.Tag.3.Key=spotswap%3Alaunched-for-asg"
                 "&TagSpecification.1.Tag.3.Value=web"
                 "&TagSpecification.1.Tag.4.Key=spotswap%3Areplaces"
                 "&TagSpecification.1.Tag.4.Value=i-0123456789abcdef0"
                 "&TagSpecification.2.ResourceType=volume"
                 "&TagSpecification.2.Tag.1.Key=team&TagSpecification.2.Tag.1.Value=web"
                 "&TagSpecification.2.Tag.2.Key=Name"
                 "&TagSpecification.2.Tag.2.Value=web%20server"
                 "&MinCount=1&MaxCount=1"
                 "&ClientToken=spotswap-00000000000000010000000000000002");
    s_teardown(&f);
}

static void test_launch_configuration_public_ip_arn_and_ebs_optimized(void)
{
    struct fixture f;
    s_setup(&f, false);
    sps_free(f.lc.iam_instance_profile);
    f.lc.iam_instance_profile = D("arn:aws:iam::111111111111:instance-profile/web");
    f.lc.associate_public_ip_address = SPS_AWS_ASG_FALSE;
    f.lc.instance_monitoring = SPS_AWS_ASG_UNSET;
    f.lc.block_device_count = 0; /* restored before the clean-up */
    f.spec.ebs_optimized = true;
    SPS_CHECK_OK(sps_launch_request_build(&f.req, &f.spec));
    const struct sps_aws_ec2_run_request *r = &f.req.run;
    SPS_CHECK_STR_EQ(r->iam_instance_profile_arn, "arn:aws:iam::111111111111:instance-profile/web");
    SPS_CHECK(r->iam_instance_profile_name == NULL);
    SPS_CHECK_INT_EQ(r->associate_public_ip, SPS_AWS_EC2_FALSE);
    SPS_CHECK_INT_EQ(r->ebs_optimized, SPS_AWS_EC2_TRUE);
    SPS_CHECK_INT_EQ(r->monitoring, SPS_AWS_EC2_UNSET);
    char *body = lt_run_body(r);
    /* The network interface form: subnet and groups inside it, none at the top level. */
    SPS_CHECK(strstr(body, "&NetworkInterface.1.DeviceIndex=0"
                           "&NetworkInterface.1.SubnetId=subnet-0bb1c79de3EXAMPLE"
                           "&NetworkInterface.1.AssociatePublicIpAddress=false"
                           "&NetworkInterface.1.SecurityGroupId.1=sg-0123456789abcdef0"
                           "&NetworkInterface.1.SecurityGroupId.2=sg-0fedcba9876543210"
                           "&NetworkInterface.1.DeleteOnTermination=true&") != NULL);
    SPS_CHECK(strstr(body, "&SubnetId=") == NULL);
    SPS_CHECK(strstr(body, "&SecurityGroupId.") == NULL);
    SPS_CHECK(strstr(body, "IamInstanceProfile.Arn=arn%3Aaws%3Aiam") != NULL);
    SPS_CHECK(strstr(body, "EbsOptimized=true") != NULL);
    SPS_CHECK(strstr(body, "Monitoring") == NULL);
    sps_free(body);
    sps_launch_request_clean_up(&f.req);

    /* The LC's own EBS optimization counts without the spec's. */
    f.spec.ebs_optimized = false;
    f.lc.ebs_optimized = true;
    SPS_CHECK_OK(sps_launch_request_build(&f.req, &f.spec));
    SPS_CHECK_INT_EQ(f.req.run.ebs_optimized, SPS_AWS_EC2_TRUE);
    f.lc.block_device_count = 3;
    s_teardown(&f);
}

static void test_launch_template_form(void)
{
    struct fixture f;
    s_setup(&f, true);
    f.spec.ebs_optimized = true;
    SPS_CHECK_OK(sps_launch_request_build(&f.req, &f.spec));
    const struct sps_aws_ec2_run_request *r = &f.req.run;
    SPS_CHECK_STR_EQ(r->launch_template_id, "lt-0abc1234def567890");
    SPS_CHECK(r->launch_template_name == NULL);
    SPS_CHECK_STR_EQ(r->launch_template_version, "7");
    SPS_CHECK(!r->template_has_network_interfaces);
    SPS_CHECK(r->image_id == NULL && r->key_name == NULL && r->n_security_group_ids == 0);
    SPS_CHECK(r->user_data_base64 == NULL && r->n_block_devices == 0);
    SPS_CHECK_STR_EQ(r->instance_type, "m5a.large");
    SPS_CHECK_STR_EQ(r->subnet_id, "subnet-0bb1c79de3EXAMPLE");
    SPS_CHECK_STR_EQ(r->availability_zone, "us-east-1b");
    /* Template tags first, the group's over them (Name), reserved ones dropped. */
    SPS_CHECK_INT_EQ(r->instance_tags->count, 5);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(r->instance_tags, "Name"), "web server");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(r->instance_tags, "cost-center"), "42");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(r->instance_tags, "team"), "web");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(r->instance_tags, SPS_TAG_LAUNCHED_FOR_ASG), "web");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(r->instance_tags, SPS_TAG_REPLACES), "i-0123456789abcdef0");
    SPS_CHECK_INT_EQ(r->volume_tags->count, 3);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(r->volume_tags, "backup"), "daily");
    SPS_CHECK(sps_aws_ec2_run_request_check(r) == SPS_OK);
    s_check_body(r, "Action=RunInstances&Version=2016-11-15"
                    "&LaunchTemplate.LaunchTemplateId=lt-0abc1234def567890"
                    "&LaunchTemplate.Version=7&InstanceType=m5a.large"
                    "&Placement.AvailabilityZone=us-east-1b&SubnetId=subnet-0bb1c79de3EXAMPLE"
                    "&InstanceMarketOptions.MarketType=spot"
                    "&InstanceMarketOptions.SpotOptions.MaxPrice=0.096"
                    "&InstanceMarketOptions.SpotOptions.SpotInstanceType=one-time"
                    "&InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior=terminate"
                    "&TagSpecification.1.ResourceType=instance"
                    "&TagSpecification.1.Tag.1.Key=Name"
                    "&TagSpecification.1.Tag.1.Value=web%20server"
                    "&TagSpecification.1.Tag.2.Key=cost-center&TagSpecification.1.Tag.2.Value=42"
                    "&TagSpecification.1.Tag.3.Key=team&TagSpecification.1.Tag.3.Value=web"
                    "&TagSpecification.1.Tag.4.Key=spotswap%3Alaunched-for-asg"
                    "&TagSpecification.1.Tag.4.Value=web"
                    "&TagSpecification.1.Tag.5.Key=spotswap%3Areplaces"
                    "&TagSpecification.1.Tag.5.Value=i-0123456789abcdef0"
                    "&TagSpecification.2.ResourceType=volume"
                    "&TagSpecification.2.Tag.1.Key=backup&TagSpecification.2.Tag.1.Value=daily"
                    "&TagSpecification.2.Tag.2.Key=team&TagSpecification.2.Tag.2.Value=web"
                    "&TagSpecification.2.Tag.3.Key=Name"
                    "&TagSpecification.2.Tag.3.Value=web%20server"
                    "&MinCount=1&MaxCount=1"
                    "&ClientToken=spotswap-00000000000000010000000000000002");
    s_teardown(&f);
}

static void test_launch_template_network_interfaces_and_name(void)
{
    struct fixture f;
    s_setup(&f, true);
    lt_template_interface(&f.lt.items[0], SPS_AWS_EC2_TRUE);
    SPS_CHECK_OK(sps_launch_request_build(&f.req, &f.spec));
    const struct sps_aws_ec2_run_request *r = &f.req.run;
    SPS_CHECK(r->template_has_network_interfaces);
    SPS_CHECK_INT_EQ(r->associate_public_ip, SPS_AWS_EC2_TRUE);
    SPS_CHECK_INT_EQ(r->n_security_group_ids, 1);
    char *body = lt_run_body(r);
    SPS_CHECK(strstr(body, "&NetworkInterface.1.DeviceIndex=0"
                           "&NetworkInterface.1.SubnetId=subnet-0bb1c79de3EXAMPLE"
                           "&NetworkInterface.1.AssociatePublicIpAddress=true"
                           "&NetworkInterface.1.SecurityGroupId.1=sg-0aaaabbbbccccdddd"
                           "&InstanceMarketOptions") != NULL);
    SPS_CHECK(strstr(body, "&SubnetId=") == NULL);
    sps_free(body);
    sps_launch_request_clean_up(&f.req);

    /* An interface without a public IP choice: only the subnet and groups move into it. */
    f.lt.items[0].data.network_interfaces[0].associate_public_ip = SPS_AWS_EC2_UNSET;
    SPS_CHECK_OK(sps_launch_request_build(&f.req, &f.spec));
    body = lt_run_body(&f.req.run);
    SPS_CHECK(strstr(body, "&NetworkInterface.1.SubnetId=subnet-0bb1c79de3EXAMPLE"
                           "&NetworkInterface.1.SecurityGroupId.1=sg-0aaaabbbbccccdddd&") != NULL);
    SPS_CHECK(strstr(body, "AssociatePublicIpAddress") == NULL);
    sps_free(body);
    sps_launch_request_clean_up(&f.req);

    /* A version known by name only. */
    sps_free(f.lt.items[0].template_id);
    f.lt.items[0].template_id = D("");
    SPS_CHECK_OK(sps_launch_request_build(&f.req, &f.spec));
    SPS_CHECK(f.req.run.launch_template_id == NULL);
    SPS_CHECK_STR_EQ(f.req.run.launch_template_name, "batch-lt");
    s_teardown(&f);
}

static void test_price_formatting(void)
{
    struct fixture f;
    s_setup(&f, false);
    const struct {
        double price;
        const char *text;
    } cases[] = {{0.096, "0.096"},        {1, "1"},
                 {12.5, "12.5"},          {0.1234567, "0.123457"},
                 {0.0000006, "0.000001"}, {3.00001, "3.00001"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        f.spec.max_price_usd = cases[i].price;
        SPS_CHECK_OK(sps_launch_request_build(&f.req, &f.spec));
        SPS_CHECK_STR_EQ(f.req.run.spot_max_price, cases[i].text);
        sps_launch_request_clean_up(&f.req);
    }
    s_teardown(&f);
}

/* Builds and expects `err`, leaving nothing allocated in the request. */
static void s_refused(struct fixture *f, sps_err err)
{
    SPS_CHECK_ERR(sps_launch_request_build(&f->req, &f->spec), err);
    SPS_CHECK(f->req.block_devices == NULL && f->req.security_group_ids == NULL);
    SPS_CHECK_INT_EQ(f->req.instance_tags.count, 0);
}

static void test_refusals(void)
{
    struct fixture f;
    s_setup(&f, false);
    SPS_CHECK_ERR(sps_launch_request_build(&f.req, NULL), SPS_ERR_INVALID_ARGUMENT);

    const double bad_prices[] = {0, -0.5, NAN, INFINITY, 0.0000001, 2e9};
    for (size_t i = 0; i < sizeof(bad_prices) / sizeof(bad_prices[0]); i++) {
        f.spec.max_price_usd = bad_prices[i];
        s_refused(&f, SPS_ERR_INVALID_ARGUMENT);
    }
    f.spec.max_price_usd = 0.096;

    f.spec.source.launch_configuration = NULL;
    s_refused(&f, SPS_ERR_INVALID_ARGUMENT); /* no source */
    f.spec.source.launch_configuration = &f.lc;
    f.spec.source.template_version = &f.lt.items[0];
    s_refused(&f, SPS_ERR_INVALID_ARGUMENT); /* both */
    f.spec.source.template_version = NULL;

    f.spec.instance_type = "";
    s_refused(&f, SPS_ERR_INVALID_ARGUMENT);
    f.spec.instance_type = "m5a.large";
    f.spec.client_token = NULL;
    s_refused(&f, SPS_ERR_INVALID_ARGUMENT);
    f.spec.client_token = "spotswap-1";
    f.spec.group = NULL;
    s_refused(&f, SPS_ERR_INVALID_ARGUMENT);
    f.spec.group = &f.group;
    f.spec.instance = NULL;
    s_refused(&f, SPS_ERR_INVALID_ARGUMENT);
    f.spec.instance = &f.instance;
    char *az = f.instance.availability_zone;
    f.instance.availability_zone = NULL;
    s_refused(&f, SPS_ERR_INVALID_ARGUMENT);
    f.instance.availability_zone = az;

    /* Missing image in either source. */
    char *image = f.lc.image_id;
    f.lc.image_id = NULL;
    s_refused(&f, SPS_ERR_INVALID_ARGUMENT);
    f.lc.image_id = image;
    f.spec.source = (struct sps_launch_source){.template_version = &f.lt.items[0]};
    image = f.lt.items[0].data.image_id;
    f.lt.items[0].data.image_id = NULL;
    s_refused(&f, SPS_ERR_INVALID_ARGUMENT);
    f.lt.items[0].data.image_id = image;
    f.lt.items[0].version_number = 0;
    s_refused(&f, SPS_ERR_INVALID_ARGUMENT);
    f.lt.items[0].version_number = 7;
    char *id = f.lt.items[0].template_id, *name = f.lt.items[0].template_name;
    f.lt.items[0].template_id = f.lt.items[0].template_name = NULL;
    s_refused(&f, SPS_ERR_INVALID_ARGUMENT);
    f.lt.items[0].template_id = id;
    f.lt.items[0].template_name = name;
    SPS_CHECK_OK(sps_launch_request_build(&f.req, &f.spec));
    sps_launch_request_clean_up(&f.req);

    /* An EC2-Classic launch configuration (security group names) is not supported. */
    f.spec.source = (struct sps_launch_source){.launch_configuration = &f.lc};
    sps_aws_strings_add(&f.lc.security_groups, "default");
    s_refused(&f, SPS_ERR_UNSUPPORTED);
    s_teardown(&f);
}

SPS_TEST_MAIN(SPS_CASE(test_launch_configuration_every_attribute),
              SPS_CASE(test_launch_configuration_public_ip_arn_and_ebs_optimized),
              SPS_CASE(test_launch_template_form),
              SPS_CASE(test_launch_template_network_interfaces_and_name),
              SPS_CASE(test_price_formatting), SPS_CASE(test_refusals))
