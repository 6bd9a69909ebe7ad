/* Typed EC2 parsers for the account's catalog: regions, zones, subnets, images, launch
 * templates and their versions, instance types and offerings; recorded from the simulated AWS
 * (tests/fixtures/ec2) or written in EC2's documented shape; each required field removed, bad
 * values, empty lists. */
#include "ec2_test_util.h"

#define S_WRAP(name)                                                                               \
    static sps_err s_##name(const struct sps_xml_node *r, void *out)                               \
    {                                                                                              \
        return sps_aws_ec2_parse_##name(r, out);                                                   \
    }
S_WRAP(describe_regions)
S_WRAP(describe_availability_zones)
S_WRAP(describe_subnets)
S_WRAP(describe_images)
S_WRAP(describe_launch_templates)
S_WRAP(describe_launch_template_versions)
S_WRAP(describe_instance_types)
S_WRAP(describe_instance_type_offerings)

static void test_regions_and_zones(void)
{
    struct sps_aws_ec2_regions r = {0};
    SPS_CHECK_OK(ec2_parse_fixture("ec2/DescribeRegions.xml", s_describe_regions, &r));
    SPS_CHECK_INT_EQ(r.count, 1);
    SPS_CHECK_STR_EQ(r.items[0].name, "us-east-1");
    SPS_CHECK_STR_EQ(r.items[0].endpoint, "ec2.us-east-1.amazonaws.com");
    SPS_CHECK_STR_EQ(r.items[0].opt_in_status, "opt-in-not-required");
    sps_aws_ec2_regions_clean_up(&r);
    SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeRegions.xml", "<regionName>us-east-1</regionName>",
                                    "", s_describe_regions, &r),
                  SPS_ERR_MISSING_FIELD);
    sps_aws_ec2_regions_clean_up(&r);
    SPS_CHECK_OK(ec2_parse_text("<DescribeRegionsResponse><regionInfo/></DescribeRegionsResponse>",
                                s_describe_regions, &r));
    SPS_CHECK_INT_EQ(r.count, 0);
    sps_aws_ec2_regions_clean_up(NULL);

    struct sps_aws_ec2_zones z = {0};
    SPS_CHECK_OK(
        ec2_parse_fixture("ec2/DescribeAvailabilityZones.xml", s_describe_availability_zones, &z));
    SPS_CHECK_INT_EQ(z.count, 2);
    SPS_CHECK_STR_EQ(z.items[1].name, "us-east-1b");
    SPS_CHECK_STR_EQ(z.items[1].zone_id, "use1-az2");
    SPS_CHECK_STR_EQ(z.items[1].state, "available");
    SPS_CHECK_STR_EQ(z.items[1].region, "us-east-1");
    SPS_CHECK_STR_EQ(z.items[1].opt_in_status, "opt-in-not-required");
    sps_aws_ec2_zones_clean_up(&z);
    SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeAvailabilityZones.xml",
                                    "<zoneName>us-east-1a</zoneName>", "",
                                    s_describe_availability_zones, &z),
                  SPS_ERR_MISSING_FIELD);
    sps_aws_ec2_zones_clean_up(&z);
    sps_aws_ec2_zones_clean_up(NULL);
}

static void test_subnets(void)
{
    struct sps_aws_ec2_subnets s = {0};
    SPS_CHECK_OK(ec2_parse_fixture("ec2/DescribeSubnets.xml", s_describe_subnets, &s));
    SPS_CHECK_INT_EQ(s.count, 2);
    SPS_CHECK_STR_EQ(s.items[0].subnet_id, "subnet-0aaa");
    SPS_CHECK_STR_EQ(s.items[0].availability_zone, "us-east-1a");
    SPS_CHECK_STR_EQ(s.items[0].availability_zone_id, "use1-az1");
    SPS_CHECK_STR_EQ(s.items[0].vpc_id, "vpc-8dda1494c73cf256d");
    SPS_CHECK(!s.items[0].map_public_ip_on_launch);
    SPS_CHECK_INT_EQ(s.items[0].available_ip_count, 65000);
    sps_aws_ec2_subnets_clean_up(&s);
    SPS_CHECK_OK(ec2_parse_mutated("ec2/DescribeSubnets.xml", "<mapPublicIpOnLaunch>false",
                                   "<mapPublicIpOnLaunch>true", s_describe_subnets, &s));
    SPS_CHECK(s.items[0].map_public_ip_on_launch);
    sps_aws_ec2_subnets_clean_up(&s);

    static const struct {
        const char *from, *to;
        sps_err want;
    } cases[] = {
        {"<subnetId>subnet-0aaa</subnetId>", "", SPS_ERR_MISSING_FIELD},
        {"<availabilityZone>us-east-1a</availabilityZone>", "", SPS_ERR_MISSING_FIELD},
        {"<mapPublicIpOnLaunch>false", "<mapPublicIpOnLaunch>no", SPS_ERR_UNEXPECTED_RESPONSE},
        {"<availableIpAddressCount>65000", "<availableIpAddressCount>lots", SPS_ERR_PARSE_NUMBER},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeSubnets.xml", cases[i].from, cases[i].to,
                                        s_describe_subnets, &s),
                      cases[i].want);
        sps_aws_ec2_subnets_clean_up(&s);
    }
    sps_aws_ec2_subnets_clean_up(NULL);
}

static void test_images(void)
{
    struct sps_aws_ec2_images l = {0};
    SPS_CHECK_OK(ec2_parse_fixture("ec2/DescribeImages.xml", s_describe_images, &l));
    SPS_CHECK_INT_EQ(l.count, 1);
    const struct sps_aws_ec2_image *i = &l.items[0];
    SPS_CHECK_STR_EQ(i->image_id, "ami-0a1b2c3d4e5f60001");
    SPS_CHECK_STR_EQ(i->name, "al2023-x86_64");
    SPS_CHECK_STR_EQ(i->state, "available");
    SPS_CHECK_STR_EQ(i->architecture, "x86_64");
    SPS_CHECK_STR_EQ(i->virtualization_type, "hvm");
    SPS_CHECK_STR_EQ(i->platform, "");
    SPS_CHECK_STR_EQ(i->platform_details, "Linux/UNIX");
    SPS_CHECK_STR_EQ(i->usage_operation, "RunInstances");
    SPS_CHECK(i->ena_support);
    SPS_CHECK_STR_EQ(i->sriov_net_support, "");
    SPS_CHECK_STR_EQ(i->root_device_type, "ebs");
    SPS_CHECK_STR_EQ(i->root_device_name, "/dev/xvda");
    SPS_CHECK_STR_EQ(i->boot_mode, "");
    SPS_CHECK_INT_EQ(i->n_block_devices, 3);
    const struct sps_aws_ec2_block_device_mapping *root = &i->block_devices[0];
    SPS_CHECK_STR_EQ(root->device_name, "/dev/xvda");
    SPS_CHECK(root->has_ebs && !root->no_device);
    SPS_CHECK_STR_EQ(root->ebs.snapshot_id, "snap-0123456789abcdef0");
    SPS_CHECK_INT_EQ(root->ebs.volume_size_gib, 8);
    SPS_CHECK_STR_EQ(root->ebs.volume_type, "gp3");
    SPS_CHECK_INT_EQ(root->ebs.iops, 3000);
    SPS_CHECK_INT_EQ(root->ebs.throughput, 125);
    SPS_CHECK_INT_EQ(root->ebs.encrypted, SPS_AWS_EC2_TRUE);
    SPS_CHECK_INT_EQ(root->ebs.delete_on_termination, SPS_AWS_EC2_TRUE);
    SPS_CHECK_STR_EQ(i->block_devices[1].virtual_name, "ephemeral0");
    SPS_CHECK(!i->block_devices[1].has_ebs && !i->block_devices[1].no_device);
    SPS_CHECK(i->block_devices[2].no_device);
    sps_aws_ec2_images_clean_up(&l);

    /* EC2 reports these on Windows / SR-IOV / UEFI images */
    SPS_CHECK_OK(ec2_parse_mutated("ec2/DescribeImages.xml", "<hypervisor>",
                                   "<platform>windows</platform><sriovNetSupport>simple"
                                   "</sriovNetSupport><bootMode>uefi</bootMode><hypervisor>",
                                   s_describe_images, &l));
    SPS_CHECK_STR_EQ(l.items[0].platform, "windows");
    SPS_CHECK_STR_EQ(l.items[0].sriov_net_support, "simple");
    SPS_CHECK_STR_EQ(l.items[0].boot_mode, "uefi");
    sps_aws_ec2_images_clean_up(&l);

    static const struct {
        const char *from, *to;
        sps_err want;
    } cases[] = {
        {"<imageId>ami-0a1b2c3d4e5f60001</imageId>", "", SPS_ERR_MISSING_FIELD},
        {"<deviceName>/dev/sdb</deviceName>", "", SPS_ERR_MISSING_FIELD},
        {"<volumeSize>8", "<volumeSize>8GB", SPS_ERR_PARSE_NUMBER},
        {"<iops>3000", "<iops>-", SPS_ERR_PARSE_NUMBER},
        {"<throughput>125", "<throughput>", SPS_ERR_PARSE_NUMBER},
        {"<encrypted>true", "<encrypted>TRUE", SPS_ERR_UNEXPECTED_RESPONSE},
        {"<deleteOnTermination>true", "<deleteOnTermination>", SPS_ERR_UNEXPECTED_RESPONSE},
        {"<enaSupport>true", "<enaSupport>y", SPS_ERR_UNEXPECTED_RESPONSE},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        sps_err err = ec2_parse_mutated("ec2/DescribeImages.xml", cases[k].from, cases[k].to,
                                        s_describe_images, &l);
        if (err != cases[k].want)
            sps_test_fail(__FILE__, __LINE__, "case %zu (%s): got %s", k, cases[k].from,
                          sps_error_name(err));
        sps_aws_ec2_images_clean_up(&l);
    }
    sps_aws_ec2_images_clean_up(NULL);
}

static void test_launch_templates(void)
{
    struct sps_aws_ec2_launch_templates l = {0};
    SPS_CHECK_OK(
        ec2_parse_fixture("ec2/DescribeLaunchTemplates.xml", s_describe_launch_templates, &l));
    SPS_CHECK_INT_EQ(l.count, 1);
    SPS_CHECK_STR_EQ(l.items[0].template_id, "lt-cec99108ddb5b5fab");
    SPS_CHECK_STR_EQ(l.items[0].template_name, "rich-lt");
    SPS_CHECK_INT_EQ(l.items[0].default_version, 1);
    SPS_CHECK_INT_EQ(l.items[0].latest_version, 2);
    sps_aws_ec2_launch_templates_clean_up(&l);
    static const char *const missing[] = {
        "<launchTemplateId>lt-cec99108ddb5b5fab</launchTemplateId>",
        "<launchTemplateName>rich-lt</launchTemplateName>",
        "<defaultVersionNumber>1</defaultVersionNumber>",
        "<latestVersionNumber>2</latestVersionNumber>"};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeLaunchTemplates.xml", missing[i], "",
                                        s_describe_launch_templates, &l),
                      SPS_ERR_MISSING_FIELD);
        sps_aws_ec2_launch_templates_clean_up(&l);
    }
    SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeLaunchTemplates.xml", "<latestVersionNumber>2",
                                    "<latestVersionNumber>$Latest", s_describe_launch_templates,
                                    &l),
                  SPS_ERR_PARSE_NUMBER);
    sps_aws_ec2_launch_templates_clean_up(&l);
    SPS_CHECK_OK(
        ec2_parse_mutated("ec2/DescribeLaunchTemplates.xml", "<tagSet></tagSet>",
                          "<tagSet><item><key>team</key><value>web</value></item></tagSet>",
                          s_describe_launch_templates, &l));
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&l.items[0].tags, "team"), "web");
    sps_aws_ec2_launch_templates_clean_up(&l);
    sps_aws_ec2_launch_templates_clean_up(NULL);
}

static void test_launch_template_versions(void)
{
    struct sps_aws_ec2_launch_template_versions l = {0};
    SPS_CHECK_OK(ec2_parse_fixture("ec2/DescribeLaunchTemplateVersions.xml",
                                   s_describe_launch_template_versions, &l));
    SPS_CHECK_INT_EQ(l.count, 2);
    const struct sps_aws_ec2_launch_template_version *v = &l.items[0];
    SPS_CHECK_STR_EQ(v->template_id, "lt-cec99108ddb5b5fab");
    SPS_CHECK_STR_EQ(v->template_name, "rich-lt");
    SPS_CHECK_INT_EQ(v->version_number, 1);
    SPS_CHECK(v->default_version);
    const struct sps_aws_ec2_launch_template_data *d = &v->data;
    SPS_CHECK_STR_EQ(d->image_id, "ami-0a1b2c3d4e5f60001");
    SPS_CHECK_STR_EQ(d->instance_type, "m5.large");
    SPS_CHECK_STR_EQ(d->key_name, "ops");
    SPS_CHECK_INT_EQ(d->security_group_ids.count, 1);
    SPS_CHECK_STR_EQ(d->security_group_ids.items[0], "sg-0111");
    SPS_CHECK_STR_EQ(d->security_group_names.items[0], "default");
    SPS_CHECK_STR_EQ(d->iam_instance_profile_arn, "arn:aws:iam::111111111111:instance-profile/app");
    SPS_CHECK_STR_EQ(d->iam_instance_profile_name, "app");
    SPS_CHECK(d->has_user_data);
    SPS_CHECK_INT_EQ(d->user_data_length, 24);
    SPS_CHECK_INT_EQ(d->n_block_devices, 3);
    SPS_CHECK_INT_EQ(d->block_devices[0].ebs.volume_size_gib, 20);
    SPS_CHECK_INT_EQ(d->block_devices[0].ebs.throughput, 250);
    SPS_CHECK_STR_EQ(d->block_devices[1].virtual_name, "ephemeral0");
    SPS_CHECK(d->block_devices[2].no_device);
    SPS_CHECK_INT_EQ(d->n_network_interfaces, 1);
    const struct sps_aws_ec2_lt_network_interface *ni = &d->network_interfaces[0];
    SPS_CHECK_INT_EQ(ni->device_index, 0);
    SPS_CHECK_STR_EQ(ni->subnet_id, "subnet-0aaa");
    SPS_CHECK_INT_EQ(ni->associate_public_ip, SPS_AWS_EC2_TRUE);
    SPS_CHECK_INT_EQ(ni->delete_on_termination, SPS_AWS_EC2_TRUE);
    SPS_CHECK_INT_EQ(ni->groups.count, 2);
    SPS_CHECK_STR_EQ(ni->groups.items[1], "sg-0222");
    SPS_CHECK_STR_EQ(d->placement_availability_zone, "us-east-1a");
    SPS_CHECK_STR_EQ(d->placement_tenancy, "default");
    SPS_CHECK_STR_EQ(d->placement_group_name, "pg-1");
    SPS_CHECK_STR_EQ(d->metadata_options.http_tokens, "required");
    SPS_CHECK_INT_EQ(d->metadata_options.hop_limit, 2);
    SPS_CHECK_STR_EQ(d->metadata_options.http_endpoint, "enabled");
    SPS_CHECK_STR_EQ(d->metadata_options.instance_metadata_tags, "enabled");
    SPS_CHECK_INT_EQ(d->monitoring, SPS_AWS_EC2_TRUE);
    SPS_CHECK_INT_EQ(d->ebs_optimized, SPS_AWS_EC2_TRUE);
    SPS_CHECK_STR_EQ(d->market_type, "spot");
    SPS_CHECK_STR_EQ(d->spot_max_price, "0.05");
    SPS_CHECK_STR_EQ(d->spot_instance_type, "one-time");
    SPS_CHECK_STR_EQ(d->spot_interruption_behavior, "terminate");
    SPS_CHECK_INT_EQ(d->n_tag_specifications, 2);
    SPS_CHECK_STR_EQ(d->tag_specifications[1].resource_type, "volume");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&d->tag_specifications[1].tags, "backup"), "no");
    SPS_CHECK_STR_EQ(d->cpu_credits, "unlimited");
    SPS_CHECK(!d->has_instance_requirements);

    const struct sps_aws_ec2_launch_template_data *d2 = &l.items[1].data;
    SPS_CHECK_INT_EQ(l.items[1].version_number, 2);
    SPS_CHECK(!l.items[1].default_version);
    SPS_CHECK(d2->has_instance_requirements);
    SPS_CHECK(!d2->has_user_data);
    SPS_CHECK_STR_EQ(d2->instance_type, "");
    SPS_CHECK_INT_EQ(d2->monitoring, SPS_AWS_EC2_UNSET);
    SPS_CHECK_INT_EQ(d2->n_network_interfaces, 0);
    sps_aws_ec2_launch_template_versions_clean_up(&l);

    static const struct {
        const char *from, *to;
        sps_err want;
    } cases[] = {
        {"<launchTemplateId>lt-cec99108ddb5b5fab</launchTemplateId>", "", SPS_ERR_MISSING_FIELD},
        {"<versionNumber>1</versionNumber>", "", SPS_ERR_MISSING_FIELD},
        {"<versionNumber>1", "<versionNumber>one", SPS_ERR_PARSE_NUMBER},
        {"<defaultVersion>true", "<defaultVersion>yes", SPS_ERR_UNEXPECTED_RESPONSE},
        {"<launchTemplateData>", "<otherData>", SPS_ERR_XML_MALFORMED},
        {"<resourceType>volume</resourceType>", "", SPS_ERR_MISSING_FIELD},
        {"<deviceIndex>0", "<deviceIndex>first", SPS_ERR_PARSE_NUMBER},
        {"<associatePublicIpAddress>true", "<associatePublicIpAddress>1",
         SPS_ERR_UNEXPECTED_RESPONSE},
        {"<enabled>true", "<enabled>on", SPS_ERR_UNEXPECTED_RESPONSE},
        {"<httpPutResponseHopLimit>2", "<httpPutResponseHopLimit>two", SPS_ERR_PARSE_NUMBER},
        {"<deviceName>/dev/sdb</deviceName>", "", SPS_ERR_MISSING_FIELD},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        sps_err err = ec2_parse_mutated("ec2/DescribeLaunchTemplateVersions.xml", cases[k].from,
                                        cases[k].to, s_describe_launch_template_versions, &l);
        if (err != cases[k].want)
            sps_test_fail(__FILE__, __LINE__, "case %zu (%s): got %s", k, cases[k].from,
                          sps_error_name(err));
        sps_aws_ec2_launch_template_versions_clean_up(&l);
    }
    /* a version without its data is not a DescribeLaunchTemplateVersions answer */
    SPS_CHECK_ERR(ec2_parse_text("<R><launchTemplateVersionSet><item><launchTemplateId>lt-1"
                                 "</launchTemplateId><versionNumber>1</versionNumber></item>"
                                 "</launchTemplateVersionSet></R>",
                                 s_describe_launch_template_versions, &l),
                  SPS_ERR_MISSING_FIELD);
    sps_aws_ec2_launch_template_versions_clean_up(&l);
    sps_aws_ec2_launch_template_versions_clean_up(NULL);
}

static const struct sps_aws_ec2_instance_type_info *
s_type(const struct sps_aws_ec2_instance_type_infos *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++) {
        if (strcmp(l->items[i].instance_type, name) == 0)
            return &l->items[i];
    }
    sps_test_fail(__FILE__, __LINE__, "no %s", name);
}

static void test_instance_types(void)
{
    struct sps_aws_ec2_instance_type_infos l = {0};
    SPS_CHECK_OK(ec2_parse_fixture("ec2/DescribeInstanceTypes.xml", s_describe_instance_types, &l));
    SPS_CHECK_INT_EQ(l.count, 5);
    const struct sps_aws_ec2_instance_type_info *c5d = s_type(&l, "c5d.xlarge");
    SPS_CHECK(c5d->current_generation);
    SPS_CHECK(sps_aws_ec2_instance_type_supports_spot(c5d));
    SPS_CHECK(sps_aws_strings_contains(&c5d->usage_classes, "on-demand"));
    SPS_CHECK_STR_EQ(c5d->root_device_types.items[0], "ebs");
    SPS_CHECK_STR_EQ(c5d->virtualization_types.items[0], "hvm");
    SPS_CHECK_STR_EQ(c5d->architectures.items[0], "x86_64");
    SPS_CHECK(!c5d->bare_metal);
    SPS_CHECK_STR_EQ(c5d->hypervisor, "nitro");
    SPS_CHECK_INT_EQ(c5d->default_vcpus, 4);
    SPS_CHECK_INT_EQ(c5d->memory_mib, 8192);
    SPS_CHECK(c5d->instance_storage_supported);
    SPS_CHECK_INT_EQ(c5d->instance_storage_total_gb, 100);
    SPS_CHECK_INT_EQ(c5d->n_disks, 1);
    SPS_CHECK_INT_EQ(c5d->disks[0].count, 1);
    SPS_CHECK_INT_EQ(c5d->disks[0].size_gb, 100);
    SPS_CHECK_STR_EQ(c5d->disks[0].type, "ssd");
    SPS_CHECK_STR_EQ(c5d->instance_storage_nvme, "required");
    SPS_CHECK_STR_EQ(c5d->ebs_optimized_support, "default");
    SPS_CHECK_STR_EQ(c5d->ebs_nvme, "required");
    SPS_CHECK_STR_EQ(c5d->network_performance, "Up to 10 Gigabit");
    SPS_CHECK_STR_EQ(c5d->ena_support, "required");
    SPS_CHECK_INT_EQ(c5d->n_gpus, 0);
    SPS_CHECK(!c5d->burstable_performance);
    const struct sps_aws_ec2_instance_type_info *g4 = s_type(&l, "g4dn.xlarge");
    SPS_CHECK_INT_EQ(g4->n_gpus, 1);
    SPS_CHECK_STR_EQ(g4->gpus[0].name, "T4");
    SPS_CHECK_STR_EQ(g4->gpus[0].manufacturer, "NVIDIA");
    SPS_CHECK_INT_EQ(g4->gpus[0].count, 1);
    SPS_CHECK_INT_EQ(g4->gpus[0].memory_mib, 16384);
    SPS_CHECK_INT_EQ(g4->total_gpu_memory_mib, 16384);
    SPS_CHECK(s_type(&l, "t3.micro")->burstable_performance);
    const struct sps_aws_ec2_instance_type_info *metal = s_type(&l, "m5.metal");
    SPS_CHECK(metal->bare_metal);
    SPS_CHECK_STR_EQ(metal->hypervisor, "");
    SPS_CHECK_INT_EQ(metal->default_vcpus, 96);
    sps_aws_ec2_instance_type_infos_clean_up(&l);

    SPS_CHECK_OK(ec2_parse_fixture("ec2/DescribeInstanceTypes.accelerators.xml",
                                   s_describe_instance_types, &l));
    SPS_CHECK_INT_EQ(s_type(&l, "p3.8xlarge")->gpus[0].count, 4);
    SPS_CHECK_INT_EQ(s_type(&l, "p3.8xlarge")->total_gpu_memory_mib, 65536);
    SPS_CHECK_INT_EQ(s_type(&l, "f1.2xlarge")->fpga_count, 1);
    SPS_CHECK(!sps_aws_ec2_instance_type_supports_spot(s_type(&l, "f1.2xlarge")));
    SPS_CHECK_INT_EQ(s_type(&l, "inf1.6xlarge")->inference_accelerator_count, 4);
    SPS_CHECK_INT_EQ(s_type(&l, "trn1.32xlarge")->neuron_count, 16);
    SPS_CHECK_INT_EQ(s_type(&l, "trn1.32xlarge")->fpga_count, 0);
    sps_aws_ec2_instance_type_infos_clean_up(&l);

    static const struct {
        const char *file, *from, *to;
        sps_err want;
    } cases[] = {
        {"ec2/DescribeInstanceTypes.xml", "<instanceType>m5.large</instanceType>", "",
         SPS_ERR_MISSING_FIELD},
        {"ec2/DescribeInstanceTypes.xml", "<defaultVCpus>2</defaultVCpus>", "",
         SPS_ERR_MISSING_FIELD},
        {"ec2/DescribeInstanceTypes.xml", "<sizeInMiB>8192</sizeInMiB>", "", SPS_ERR_MISSING_FIELD},
        {"ec2/DescribeInstanceTypes.xml", "<defaultVCpus>2", "<defaultVCpus>two",
         SPS_ERR_PARSE_NUMBER},
        {"ec2/DescribeInstanceTypes.xml", "<currentGeneration>false", "<currentGeneration>no",
         SPS_ERR_UNEXPECTED_RESPONSE},
        {"ec2/DescribeInstanceTypes.xml", "<bareMetal>false", "<bareMetal>0",
         SPS_ERR_UNEXPECTED_RESPONSE},
        {"ec2/DescribeInstanceTypes.xml", "<totalSizeInGB>100", "<totalSizeInGB>1e2",
         SPS_ERR_PARSE_NUMBER},
        {"ec2/DescribeInstanceTypes.xml", "<sizeInGB>100", "<sizeInGB>big", SPS_ERR_PARSE_NUMBER},
        {"ec2/DescribeInstanceTypes.xml", "<totalGpuMemoryInMiB>16384", "<totalGpuMemoryInMiB>x",
         SPS_ERR_PARSE_NUMBER},
        {"ec2/DescribeInstanceTypes.accelerators.xml", "<count>4</count>", "<count>four</count>",
         SPS_ERR_PARSE_NUMBER},
        {"ec2/DescribeInstanceTypes.accelerators.xml", "<sizeInMiB>16384", "<sizeInMiB>16k",
         SPS_ERR_PARSE_NUMBER},
        {"ec2/DescribeInstanceTypes.accelerators.xml", "<count>1</count>", "<count>one</count>",
         SPS_ERR_PARSE_NUMBER},
        {"ec2/DescribeInstanceTypes.accelerators.xml", "<count>4</count><name>Inferentia",
         "<count>4x</count><name>Inferentia", SPS_ERR_PARSE_NUMBER},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        sps_err err = ec2_parse_mutated(cases[k].file, cases[k].from, cases[k].to,
                                        s_describe_instance_types, &l);
        if (err != cases[k].want)
            sps_test_fail(__FILE__, __LINE__, "case %zu (%s): got %s", k, cases[k].from,
                          sps_error_name(err));
        sps_aws_ec2_instance_type_infos_clean_up(&l);
    }
    sps_aws_ec2_instance_type_infos_clean_up(NULL);
}

static void test_type_offerings(void)
{
    struct sps_aws_ec2_type_offerings l = {0};
    SPS_CHECK_OK(ec2_parse_fixture("ec2/DescribeInstanceTypeOfferings.xml",
                                   s_describe_instance_type_offerings, &l));
    SPS_CHECK_INT_EQ(l.count, 4);
    SPS_CHECK_STR_EQ(l.items[0].instance_type, "c5.large");
    SPS_CHECK_STR_EQ(l.items[0].location, "us-east-1a");
    SPS_CHECK_STR_EQ(l.items[3].instance_type, "m5.large");
    SPS_CHECK_STR_EQ(l.items[3].location, "us-east-1b");
    sps_aws_ec2_type_offerings_clean_up(&l);
    SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeInstanceTypeOfferings.xml",
                                    "<instanceType>c5.large</instanceType>", "",
                                    s_describe_instance_type_offerings, &l),
                  SPS_ERR_MISSING_FIELD);
    sps_aws_ec2_type_offerings_clean_up(&l);
    SPS_CHECK_ERR(ec2_parse_mutated("ec2/DescribeInstanceTypeOfferings.xml",
                                    "<location>us-east-1a</location>", "<location/>",
                                    s_describe_instance_type_offerings, &l),
                  SPS_ERR_MISSING_FIELD);
    sps_aws_ec2_type_offerings_clean_up(&l);
    sps_aws_ec2_type_offerings_clean_up(NULL);
}

SPS_TEST_MAIN(SPS_CASE(test_regions_and_zones), SPS_CASE(test_subnets), SPS_CASE(test_images),
              SPS_CASE(test_launch_templates), SPS_CASE(test_launch_template_versions),
              SPS_CASE(test_instance_types), SPS_CASE(test_type_offerings))
