/* Shared by the launch/ tests: the objects a launch is built from (a group, its on-demand
 * instance, a launch configuration with every attribute, a launch template version), owned
 * the way the typed parsers own them so the aws/ clean-up functions free them; and the
 * RunInstances body a request encodes to. */
#ifndef SPS_LAUNCH_TEST_UTIL_H
#define SPS_LAUNCH_TEST_UTIL_H

#include "sps_launch.h"
#include "sps_test.h"

#define D(s) sps_strdup(s)

static inline void lt_group(struct sps_aws_asg_group *g, const char *name, int64_t desired,
                            int64_t max)
{
    memset(g, 0, sizeof(*g));
    g->name = D(name);
    g->min_size = 1;
    g->max_size = max;
    g->desired_capacity = desired;
    sps_aws_tags_init(&g->tags);
    sps_aws_tags_set(&g->tags, "team", "web", true);
    sps_aws_tags_set(&g->tags, "Name", "web server", true);
    sps_aws_tags_set(&g->tags, "spot-enabled", "true", false);                  /* not propagated */
    sps_aws_tags_set(&g->tags, "aws:cloudformation:stack-name", "stack", true); /* reserved */
}

/* Adds a member in `state`. */
static inline void lt_group_member(struct sps_aws_asg_group *g, const char *id,
                                   enum sps_aws_asg_lifecycle_state state)
{
    g->instances = sps_realloc(g->instances, (g->instance_count + 1) * sizeof(*g->instances));
    struct sps_aws_asg_instance *m = &g->instances[g->instance_count++];
    memset(m, 0, sizeof(*m));
    m->instance_id = D(id);
    m->availability_zone = D("us-east-1a");
    m->lifecycle_state = state;
    m->lifecycle_state_raw = D(sps_aws_asg_lifecycle_state_name(state));
    m->health_status = D("Healthy");
}

static inline void lt_instance(struct sps_aws_ec2_instance *i)
{
    memset(i, 0, sizeof(*i));
    i->instance_id = D("i-0123456789abcdef0");
    i->instance_type = D("m5.large");
    i->availability_zone = D("us-east-1b");
    i->subnet_id = D("subnet-0bb1c79de3EXAMPLE");
}

/* A VPC launch configuration with every attribute spotswap carries over. */
static inline void lt_launch_configuration(struct sps_aws_asg_launch_configuration *lc)
{
    memset(lc, 0, sizeof(*lc));
    lc->name = D("web-lc");
    lc->image_id = D("ami-0abcdef1234567890");
    lc->key_name = D("ops-key");
    sps_aws_strings_add(&lc->security_groups, "sg-0123456789abcdef0");
    sps_aws_strings_add(&lc->security_groups, "sg-0fedcba9876543210");
    lc->user_data = D("IyEvYmluL3NoCmVjaG8gaGVsbG8K");
    lc->instance_type = D("m5.large");
    lc->iam_instance_profile = D("web-profile");
    lc->block_device_count = 3;
    lc->block_devices = sps_calloc(3, sizeof(*lc->block_devices));
    struct sps_aws_asg_block_device *b = lc->block_devices;
    b[0].device_name = D("/dev/xvda");
    b[0].has_ebs = true;
    b[0].ebs.snapshot_id = D("snap-0123456789abcdef0");
    b[0].ebs.volume_size = 30;
    b[0].ebs.volume_type = D("gp3");
    b[0].ebs.iops = 4000;
    b[0].ebs.throughput = 250;
    b[0].ebs.encrypted = SPS_AWS_ASG_TRUE;
    b[0].ebs.delete_on_termination = SPS_AWS_ASG_FALSE;
    b[1].device_name = D("/dev/sdb");
    b[1].virtual_name = D("ephemeral0");
    b[2].device_name = D("/dev/sdc");
    b[2].no_device = true;
    lc->instance_monitoring = SPS_AWS_ASG_TRUE;
    lc->ebs_optimized = false;
    lc->placement_tenancy = D("dedicated");
    lc->metadata_http_tokens = D("required");
    lc->metadata_hop_limit = 2;
    lc->metadata_http_endpoint = D("enabled");
}

/* Version 7 of lt-0abc: an image, instance tags (one reserved), a volume tag. */
static inline void lt_template_version(struct sps_aws_ec2_launch_template_versions *l)
{
    memset(l, 0, sizeof(*l));
    l->items = sps_calloc(1, sizeof(*l->items));
    l->count = l->cap = 1;
    struct sps_aws_ec2_launch_template_version *v = &l->items[0];
    v->template_id = D("lt-0abc1234def567890");
    v->template_name = D("batch-lt");
    v->version_number = 7;
    v->data.image_id = D("ami-0abcdef1234567890");
    v->data.instance_type = D("c5d.xlarge");
    v->data.n_tag_specifications = 2;
    v->data.tag_specifications = sps_calloc(2, sizeof(*v->data.tag_specifications));
    struct sps_aws_ec2_tag_specification *ts = v->data.tag_specifications;
    ts[0].resource_type = D("instance");
    sps_aws_tags_init(&ts[0].tags);
    sps_aws_tags_set(&ts[0].tags, "Name", "from template", false);
    sps_aws_tags_set(&ts[0].tags, "cost-center", "42", false);
    ts[1].resource_type = D("volume");
    sps_aws_tags_init(&ts[1].tags);
    sps_aws_tags_set(&ts[1].tags, "backup", "daily", false);
}

/* Gives the template version a primary network interface. */
static inline void lt_template_interface(struct sps_aws_ec2_launch_template_version *v,
                                         enum sps_aws_ec2_tristate public_ip)
{
    v->data.n_network_interfaces = 1;
    v->data.network_interfaces = sps_calloc(1, sizeof(*v->data.network_interfaces));
    struct sps_aws_ec2_lt_network_interface *ni = v->data.network_interfaces;
    ni->device_index = 0;
    ni->associate_public_ip = public_ip;
    ni->delete_on_termination = SPS_AWS_EC2_TRUE;
    sps_aws_strings_add(&ni->groups, "sg-0aaaabbbbccccdddd");
}

/* The decoded-for-reading RunInstances form body ("k=v&k=v", values percent-encoded). */
static inline char *lt_run_body(const struct sps_aws_ec2_run_request *run)
{
    struct sps_query q;
    sps_aws_ec2_run_instances_query(&q, run);
    struct sps_buf b;
    sps_buf_init(&b, SPS_BUF_DEFAULT_MAX);
    SPS_CHECK_OK(sps_query_encode(&q, &b));
    sps_query_clean_up(&q);
    return sps_buf_take(&b);
}

#endif
