/* The typed EC2 query builders, parameter by parameter: every key and value that goes on the
 * wire, nothing more (so nothing AWS would refuse, such as SubnetId next to a
 * NetworkInterface), and the RunInstances request checks. */
#include "sps_aws_ec2.h"
#include "sps_test.h"

struct s_kv {
    const char *key, *value;
};

/* The query holds exactly these parameters (besides Action and Version, checked too). */
static void s_expect(const struct sps_query *q, const char *action, const struct s_kv *kv, size_t n)
{
    SPS_CHECK_STR_EQ(sps_query_get(q, "Action"), action);
    SPS_CHECK_STR_EQ(sps_query_get(q, "Version"), "2016-11-15");
    for (size_t i = 0; i < n; i++) {
        const char *got = sps_query_get(q, kv[i].key);
        if (got == NULL || strcmp(got, kv[i].value) != 0)
            sps_test_fail(__FILE__, __LINE__, "%s: got %s, expected %s", kv[i].key,
                          got ? got : "(absent)", kv[i].value);
    }
    if (q->count != n + 2) {
        for (size_t i = 0; i < q->count; i++)
            fprintf(stderr, "  %s=%s\n", q->params[i].key, q->params[i].value);
        sps_test_fail(__FILE__, __LINE__, "%zu parameters, expected %zu", q->count, n + 2);
    }
}

#define S_EXPECT(q, action, ...)                                                                   \
    do {                                                                                           \
        static const struct s_kv kv_[] = {__VA_ARGS__};                                            \
        s_expect(q, action, kv_, sizeof(kv_) / sizeof(kv_[0]));                                    \
    } while (0)

static void test_describe_queries(void)
{
    struct sps_query q;
    sps_aws_ec2_describe_regions_query(&q);
    S_EXPECT(&q, "DescribeRegions", {"AllRegions", "false"});
    sps_query_clean_up(&q);
    sps_aws_ec2_describe_availability_zones_query(&q);
    s_expect(&q, "DescribeAvailabilityZones", NULL, 0);
    sps_query_clean_up(&q);

    static const char *const lifecycle[] = {"spot"};
    static const char *const states[] = {"pending", "running"};
    const struct sps_aws_ec2_filter filters[] = {
        {"tag:spotswap:launched-for-asg", (const char *const[]){"web"}, 1},
        {"instance-state-name", states, 2},
        {"instance-lifecycle", lifecycle, 1}};
    struct sps_aws_ec2_describe_instances_request di = {.filters = filters, .n_filters = 3};
    sps_aws_ec2_describe_instances_query(&q, &di);
    S_EXPECT(&q, "DescribeInstances", {"Filter.1.Name", "tag:spotswap:launched-for-asg"},
             {"Filter.1.Value.1", "web"}, {"Filter.2.Name", "instance-state-name"},
             {"Filter.2.Value.1", "pending"}, {"Filter.2.Value.2", "running"},
             {"Filter.3.Name", "instance-lifecycle"}, {"Filter.3.Value.1", "spot"},
             {"MaxResults", "1000"});
    sps_query_clean_up(&q);
    di.max_results = 5;
    di.n_filters = 0;
    sps_aws_ec2_describe_instances_query(&q, &di);
    S_EXPECT(&q, "DescribeInstances", {"MaxResults", "5"});
    sps_query_clean_up(&q);
    /* with IDs: no MaxResults (AWS refuses the combination) */
    static const char *const ids[] = {"i-1", "i-2"};
    di = (struct sps_aws_ec2_describe_instances_request){.instance_ids = ids, .n_instance_ids = 2};
    sps_aws_ec2_describe_instances_query(&q, &di);
    S_EXPECT(&q, "DescribeInstances", {"InstanceId.1", "i-1"}, {"InstanceId.2", "i-2"});
    sps_query_clean_up(&q);

    sps_aws_ec2_describe_instance_status_query(&q, ids, 2);
    S_EXPECT(&q, "DescribeInstanceStatus", {"InstanceId.1", "i-1"}, {"InstanceId.2", "i-2"},
             {"IncludeAllInstances", "true"});
    sps_query_clean_up(&q);
    sps_aws_ec2_describe_images_query(&q, (const char *const[]){"ami-1"}, 1);
    S_EXPECT(&q, "DescribeImages", {"ImageId.1", "ami-1"});
    sps_query_clean_up(&q);

    struct sps_aws_ec2_describe_subnets_request ds = {.subnet_ids =
                                                          (const char *const[]){"subnet-1"},
                                                      .n_subnet_ids = 1,
                                                      .filters = filters + 2,
                                                      .n_filters = 1};
    sps_aws_ec2_describe_subnets_query(&q, &ds);
    S_EXPECT(&q, "DescribeSubnets", {"SubnetId.1", "subnet-1"},
             {"Filter.1.Name", "instance-lifecycle"}, {"Filter.1.Value.1", "spot"});
    sps_query_clean_up(&q);

    struct sps_aws_ec2_describe_launch_templates_request dlt = {
        .template_names = (const char *const[]){"a", "b"}, .n_template_names = 2};
    sps_aws_ec2_describe_launch_templates_query(&q, &dlt);
    S_EXPECT(&q, "DescribeLaunchTemplates", {"LaunchTemplateName.1", "a"},
             {"LaunchTemplateName.2", "b"});
    sps_query_clean_up(&q);
    dlt = (struct sps_aws_ec2_describe_launch_templates_request){
        .template_ids = (const char *const[]){"lt-1"}, .n_template_ids = 1};
    sps_aws_ec2_describe_launch_templates_query(&q, &dlt);
    S_EXPECT(&q, "DescribeLaunchTemplates", {"LaunchTemplateId.1", "lt-1"});
    sps_query_clean_up(&q);

    struct sps_aws_ec2_describe_launch_template_versions_request dv = {
        .template_id = "lt-1",
        .versions = (const char *const[]){"$Default", "$Latest", "3"},
        .n_versions = 3};
    sps_aws_ec2_describe_launch_template_versions_query(&q, &dv);
    S_EXPECT(&q, "DescribeLaunchTemplateVersions", {"LaunchTemplateId", "lt-1"},
             {"LaunchTemplateVersion.1", "$Default"}, {"LaunchTemplateVersion.2", "$Latest"},
             {"LaunchTemplateVersion.3", "3"});
    sps_query_clean_up(&q);
    dv = (struct sps_aws_ec2_describe_launch_template_versions_request){.template_name = "batch"};
    sps_aws_ec2_describe_launch_template_versions_query(&q, &dv);
    S_EXPECT(&q, "DescribeLaunchTemplateVersions", {"LaunchTemplateName", "batch"});
    sps_query_clean_up(&q);

    struct sps_aws_ec2_describe_instance_types_request dt = {.filters = filters + 2,
                                                             .n_filters = 1};
    sps_aws_ec2_describe_instance_types_query(&q, &dt);
    S_EXPECT(&q, "DescribeInstanceTypes", {"Filter.1.Name", "instance-lifecycle"},
             {"Filter.1.Value.1", "spot"}, {"MaxResults", "100"});
    sps_query_clean_up(&q);
    dt = (struct sps_aws_ec2_describe_instance_types_request){
        .instance_types = (const char *const[]){"m5.large", "c5.large"}, .n_instance_types = 2};
    sps_aws_ec2_describe_instance_types_query(&q, &dt);
    S_EXPECT(&q, "DescribeInstanceTypes", {"InstanceType.1", "m5.large"},
             {"InstanceType.2", "c5.large"});
    sps_query_clean_up(&q);

    const struct sps_aws_ec2_filter loc[] = {
        {"location", (const char *const[]){"us-east-1a"}, 1},
        {"instance-type", (const char *const[]){"m5.large"}, 1}};
    struct sps_aws_ec2_describe_type_offerings_request dto = {"availability-zone", loc, 2};
    sps_aws_ec2_describe_instance_type_offerings_query(&q, &dto);
    S_EXPECT(&q, "DescribeInstanceTypeOfferings", {"LocationType", "availability-zone"},
             {"Filter.1.Name", "location"}, {"Filter.1.Value.1", "us-east-1a"},
             {"Filter.2.Name", "instance-type"}, {"Filter.2.Value.1", "m5.large"},
             {"MaxResults", "1000"});
    sps_query_clean_up(&q);
}

static void test_tag_queries(void)
{
    struct sps_query q;
    struct sps_aws_tags tags;
    sps_aws_tags_init(&tags);
    sps_aws_tags_set(&tags, "spotswap:launched-for-asg", "web", false);
    sps_aws_tags_set(&tags, "empty", "", false);
    static const char *const ids[] = {"i-1", "i-2"};
    sps_aws_ec2_create_tags_query(&q, ids, 2, &tags);
    S_EXPECT(&q, "CreateTags", {"ResourceId.1", "i-1"}, {"ResourceId.2", "i-2"},
             {"Tag.1.Key", "spotswap:launched-for-asg"}, {"Tag.1.Value", "web"},
             {"Tag.2.Key", "empty"}, {"Tag.2.Value", ""});
    sps_query_clean_up(&q);
    sps_aws_tags_clean_up(&tags);

    sps_aws_ec2_delete_tags_query(&q, ids, 1, (const char *const[]){"a", "b"}, 2);
    S_EXPECT(&q, "DeleteTags", {"ResourceId.1", "i-1"}, {"Tag.1.Key", "a"}, {"Tag.2.Key", "b"});
    sps_query_clean_up(&q);

    sps_aws_ec2_terminate_instances_query(&q, ids, 2);
    S_EXPECT(&q, "TerminateInstances", {"InstanceId.1", "i-1"}, {"InstanceId.2", "i-2"});
    sps_query_clean_up(&q);

    const struct sps_aws_ec2_filter f[] = {
        {"resource-type", (const char *const[]){"instance"}, 1},
        {"key", (const char *const[]){"spotswap:launched-for-asg"}, 1}};
    sps_aws_ec2_describe_tags_query(&q, f, 2);
    S_EXPECT(&q, "DescribeTags", {"Filter.1.Name", "resource-type"},
             {"Filter.1.Value.1", "instance"}, {"Filter.2.Name", "key"},
             {"Filter.2.Value.1", "spotswap:launched-for-asg"}, {"MaxResults", "1000"});
    sps_query_clean_up(&q);
}

/* Launch configuration attributes: every field, subnet + groups at the top level. */
static void test_run_from_attributes(void)
{
    struct sps_aws_tags itags, vtags;
    sps_aws_tags_init(&itags);
    sps_aws_tags_init(&vtags);
    sps_aws_tags_set(&itags, "Name", "web", false);
    sps_aws_tags_set(&itags, "spotswap:launched-for-asg", "web", false);
    sps_aws_tags_set(&vtags, "team", "a", false);
    const struct sps_aws_ec2_block_device_mapping bdm[] = {
        {.device_name = "/dev/xvda",
         .has_ebs = true,
         .ebs = {.snapshot_id = "snap-1",
                 .volume_size_gib = 30,
                 .volume_type = "io2",
                 .iops = 4000,
                 .throughput = 0,
                 .kms_key_id = "arn:aws:kms:us-east-1:1:key/k",
                 .encrypted = SPS_AWS_EC2_TRUE,
                 .delete_on_termination = SPS_AWS_EC2_FALSE}},
        {.device_name = "/dev/sdb", .virtual_name = "ephemeral0"},
        {.device_name = "/dev/sdc", .no_device = true},
        {.device_name = "/dev/sdd",
         .has_ebs = true,
         .ebs = {.volume_type = "gp3", .throughput = 300}},
    };
    static const char *const groups[] = {"sg-1", "sg-2"};
    struct sps_aws_ec2_run_request in = {
        .client_token = "tok-1",
        .image_id = "ami-1",
        .instance_type = "c5.large",
        .key_name = "ops",
        .security_group_ids = groups,
        .n_security_group_ids = 2,
        .user_data_base64 = "IyEvYmluL3No",
        .iam_instance_profile_arn = "arn:aws:iam::1:instance-profile/app",
        .iam_instance_profile_name = "app",
        .block_devices = bdm,
        .n_block_devices = 4,
        .ebs_optimized = SPS_AWS_EC2_TRUE,
        .monitoring = SPS_AWS_EC2_FALSE,
        .http_tokens = "required",
        .http_hop_limit = 2,
        .http_endpoint = "enabled",
        .instance_metadata_tags = "disabled",
        .placement_tenancy = "default",
        .availability_zone = "us-east-1a",
        .subnet_id = "subnet-1",
        .spot = true,
        .spot_max_price = "0.0415",
        .instance_tags = &itags,
        .volume_tags = &vtags,
    };
    SPS_CHECK_OK(sps_aws_ec2_run_request_check(&in));
    struct sps_query q;
    sps_aws_ec2_run_instances_query(&q, &in);
    S_EXPECT(
        &q, "RunInstances", {"ImageId", "ami-1"}, {"InstanceType", "c5.large"}, {"KeyName", "ops"},
        {"UserData", "IyEvYmluL3No"},
        {"IamInstanceProfile.Arn", "arn:aws:iam::1:instance-profile/app"},
        {"BlockDeviceMapping.1.DeviceName", "/dev/xvda"},
        {"BlockDeviceMapping.1.Ebs.SnapshotId", "snap-1"},
        {"BlockDeviceMapping.1.Ebs.VolumeSize", "30"},
        {"BlockDeviceMapping.1.Ebs.VolumeType", "io2"}, {"BlockDeviceMapping.1.Ebs.Iops", "4000"},
        {"BlockDeviceMapping.1.Ebs.KmsKeyId", "arn:aws:kms:us-east-1:1:key/k"},
        {"BlockDeviceMapping.1.Ebs.Encrypted", "true"},
        {"BlockDeviceMapping.1.Ebs.DeleteOnTermination", "false"},
        {"BlockDeviceMapping.2.DeviceName", "/dev/sdb"},
        {"BlockDeviceMapping.2.VirtualName", "ephemeral0"},
        {"BlockDeviceMapping.3.DeviceName", "/dev/sdc"}, {"BlockDeviceMapping.3.NoDevice", ""},
        {"BlockDeviceMapping.4.DeviceName", "/dev/sdd"},
        {"BlockDeviceMapping.4.Ebs.VolumeType", "gp3"},
        {"BlockDeviceMapping.4.Ebs.Throughput", "300"}, {"EbsOptimized", "true"},
        {"Monitoring.Enabled", "false"}, {"MetadataOptions.HttpTokens", "required"},
        {"MetadataOptions.HttpPutResponseHopLimit", "2"},
        {"MetadataOptions.HttpEndpoint", "enabled"},
        {"MetadataOptions.InstanceMetadataTags", "disabled"}, {"Placement.Tenancy", "default"},
        {"Placement.AvailabilityZone", "us-east-1a"}, {"SubnetId", "subnet-1"},
        {"SecurityGroupId.1", "sg-1"}, {"SecurityGroupId.2", "sg-2"},
        {"InstanceMarketOptions.MarketType", "spot"},
        {"InstanceMarketOptions.SpotOptions.MaxPrice", "0.0415"},
        {"InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time"},
        {"InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior", "terminate"},
        {"TagSpecification.1.ResourceType", "instance"}, {"TagSpecification.1.Tag.1.Key", "Name"},
        {"TagSpecification.1.Tag.1.Value", "web"},
        {"TagSpecification.1.Tag.2.Key", "spotswap:launched-for-asg"},
        {"TagSpecification.1.Tag.2.Value", "web"}, {"TagSpecification.2.ResourceType", "volume"},
        {"TagSpecification.2.Tag.1.Key", "team"}, {"TagSpecification.2.Tag.1.Value", "a"},
        {"MinCount", "1"}, {"MaxCount", "1"}, {"ClientToken", "tok-1"});
    sps_query_clean_up(&q);

    /* minimal on-demand: no market options, no tag specifications, name-only profile */
    struct sps_aws_ec2_run_request min = {.client_token = "t",
                                          .image_id = "ami-1",
                                          .instance_type = "m5.large",
                                          .iam_instance_profile_name = "app",
                                          .volume_tags = &vtags};
    sps_aws_ec2_run_instances_query(&q, &min);
    S_EXPECT(&q, "RunInstances", {"ImageId", "ami-1"}, {"InstanceType", "m5.large"},
             {"IamInstanceProfile.Name", "app"}, {"TagSpecification.1.ResourceType", "volume"},
             {"TagSpecification.1.Tag.1.Key", "team"}, {"TagSpecification.1.Tag.1.Value", "a"},
             {"MinCount", "1"}, {"MaxCount", "1"}, {"ClientToken", "t"});
    sps_query_clean_up(&q);
    /* spot without a max price: AWS caps at the on-demand price */
    min.spot = true;
    min.volume_tags = NULL;
    min.iam_instance_profile_name = NULL;
    sps_aws_ec2_run_instances_query(&q, &min);
    SPS_CHECK(sps_query_get(&q, "InstanceMarketOptions.SpotOptions.MaxPrice") == NULL);
    SPS_CHECK_STR_EQ(sps_query_get(&q, "InstanceMarketOptions.MarketType"), "spot");
    SPS_CHECK(sps_query_get(&q, "TagSpecification.1.ResourceType") == NULL);
    sps_query_clean_up(&q);
    sps_aws_tags_clean_up(&itags);
    sps_aws_tags_clean_up(&vtags);
}

/* A public IP to associate: subnet and groups move into NetworkInterface.1. */
static void test_run_with_public_ip(void)
{
    static const char *const groups[] = {"sg-1", "sg-2"};
    struct sps_aws_ec2_run_request in = {.client_token = "tok",
                                         .image_id = "ami-1",
                                         .instance_type = "c5.large",
                                         .security_group_ids = groups,
                                         .n_security_group_ids = 2,
                                         .subnet_id = "subnet-1",
                                         .associate_public_ip = SPS_AWS_EC2_TRUE};
    struct sps_query q;
    sps_aws_ec2_run_instances_query(&q, &in);
    S_EXPECT(&q, "RunInstances", {"ImageId", "ami-1"}, {"InstanceType", "c5.large"},
             {"NetworkInterface.1.DeviceIndex", "0"}, {"NetworkInterface.1.SubnetId", "subnet-1"},
             {"NetworkInterface.1.AssociatePublicIpAddress", "true"},
             {"NetworkInterface.1.SecurityGroupId.1", "sg-1"},
             {"NetworkInterface.1.SecurityGroupId.2", "sg-2"},
             {"NetworkInterface.1.DeleteOnTermination", "true"}, {"MinCount", "1"},
             {"MaxCount", "1"}, {"ClientToken", "tok"});
    SPS_CHECK(sps_query_get(&q, "SubnetId") == NULL);
    SPS_CHECK(sps_query_get(&q, "SecurityGroupId.1") == NULL);
    sps_query_clean_up(&q);
    /* an explicit "no public IP" also needs the interface form to override the subnet default */
    in.associate_public_ip = SPS_AWS_EC2_FALSE;
    sps_aws_ec2_run_instances_query(&q, &in);
    SPS_CHECK_STR_EQ(sps_query_get(&q, "NetworkInterface.1.AssociatePublicIpAddress"), "false");
    SPS_CHECK(sps_query_get(&q, "SubnetId") == NULL);
    sps_query_clean_up(&q);
}

static void test_run_from_template(void)
{
    struct sps_aws_tags itags;
    sps_aws_tags_init(&itags);
    sps_aws_tags_set(&itags, "spotswap:launched-for-asg", "batch", false);
    struct sps_aws_ec2_run_request in = {.client_token = "tok",
                                         .launch_template_id = "lt-1",
                                         .launch_template_version = "$Latest",
                                         .instance_type = "c5d.2xlarge",
                                         .subnet_id = "subnet-2",
                                         .spot = true,
                                         .spot_max_price = "0.1",
                                         .instance_tags = &itags,
                                         /* ignored in the template form */
                                         .key_name = "ignored",
                                         .user_data_base64 = "ignored"};
    SPS_CHECK_OK(sps_aws_ec2_run_request_check(&in));
    struct sps_query q;
    sps_aws_ec2_run_instances_query(&q, &in);
    S_EXPECT(&q, "RunInstances", {"LaunchTemplate.LaunchTemplateId", "lt-1"},
             {"LaunchTemplate.Version", "$Latest"}, {"InstanceType", "c5d.2xlarge"},
             {"SubnetId", "subnet-2"}, {"InstanceMarketOptions.MarketType", "spot"},
             {"InstanceMarketOptions.SpotOptions.MaxPrice", "0.1"},
             {"InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time"},
             {"InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior", "terminate"},
             {"TagSpecification.1.ResourceType", "instance"},
             {"TagSpecification.1.Tag.1.Key", "spotswap:launched-for-asg"},
             {"TagSpecification.1.Tag.1.Value", "batch"}, {"MinCount", "1"}, {"MaxCount", "1"},
             {"ClientToken", "tok"});
    sps_query_clean_up(&q);

    /* the template defines network interfaces: the subnet override goes into one */
    in = (struct sps_aws_ec2_run_request){.client_token = "tok",
                                          .launch_template_name = "batch-lt",
                                          .template_has_network_interfaces = true,
                                          .instance_type = "m5.large",
                                          .subnet_id = "subnet-3"};
    sps_aws_ec2_run_instances_query(&q, &in);
    S_EXPECT(&q, "RunInstances", {"LaunchTemplate.LaunchTemplateName", "batch-lt"},
             {"InstanceType", "m5.large"}, {"NetworkInterface.1.DeviceIndex", "0"},
             {"NetworkInterface.1.SubnetId", "subnet-3"}, {"MinCount", "1"}, {"MaxCount", "1"},
             {"ClientToken", "tok"});
    sps_query_clean_up(&q);
    sps_aws_tags_clean_up(&itags);
}

static void test_run_request_check(void)
{
    struct sps_aws_ec2_run_request ok = {
        .client_token = "t", .image_id = "ami-1", .instance_type = "m5.large"};
    SPS_CHECK_OK(sps_aws_ec2_run_request_check(&ok));
    struct sps_aws_ec2_run_request r = ok;
    r.client_token = NULL;
    SPS_CHECK_ERR(sps_aws_ec2_run_request_check(&r), SPS_ERR_INVALID_ARGUMENT);
    r.client_token = "";
    SPS_CHECK_ERR(sps_aws_ec2_run_request_check(&r), SPS_ERR_INVALID_ARGUMENT);
    r.client_token = "0123456789012345678901234567890123456789012345678901234567890123x";
    SPS_CHECK_ERR(sps_aws_ec2_run_request_check(&r), SPS_ERR_INVALID_ARGUMENT);
    r = ok;
    r.instance_type = NULL;
    SPS_CHECK_ERR(sps_aws_ec2_run_request_check(&r), SPS_ERR_INVALID_ARGUMENT);
    r = ok;
    r.launch_template_id = "lt-1"; /* both forms */
    SPS_CHECK_ERR(sps_aws_ec2_run_request_check(&r), SPS_ERR_INVALID_ARGUMENT);
    r.image_id = NULL;
    SPS_CHECK_OK(sps_aws_ec2_run_request_check(&r));
    r.launch_template_name = "x"; /* id and name */
    SPS_CHECK_ERR(sps_aws_ec2_run_request_check(&r), SPS_ERR_INVALID_ARGUMENT);
    r = (struct sps_aws_ec2_run_request){.client_token = "t"}; /* neither form */
    SPS_CHECK_ERR(sps_aws_ec2_run_request_check(&r), SPS_ERR_INVALID_ARGUMENT);
}

SPS_TEST_MAIN(SPS_CASE(test_describe_queries), SPS_CASE(test_tag_queries),
              SPS_CASE(test_run_from_attributes), SPS_CASE(test_run_with_public_ip),
              SPS_CASE(test_run_from_template), SPS_CASE(test_run_request_check))
