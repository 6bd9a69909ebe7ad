/* DescribeInstances, DescribeInstanceStatus and TerminateInstances: instances as typed
 * records. */
#include "ec2_internal.h"

#include <stdio.h>
#include <string.h>

void sps_aws_ec2_instance_clean_up(struct sps_aws_ec2_instance *i)
{
    if (i == NULL)
        return;
    char **strings[] = {&i->reservation_id,
                        &i->instance_id,
                        &i->instance_type,
                        &i->state_name,
                        &i->lifecycle,
                        &i->spot_instance_request_id,
                        &i->availability_zone,
                        &i->tenancy,
                        &i->subnet_id,
                        &i->vpc_id,
                        &i->image_id,
                        &i->key_name,
                        &i->private_ip,
                        &i->public_ip,
                        &i->iam_instance_profile_arn,
                        &i->architecture,
                        &i->virtualization_type,
                        &i->platform,
                        &i->platform_details,
                        &i->root_device_type,
                        &i->root_device_name,
                        &i->monitoring_state,
                        &i->state_transition_reason,
                        &i->state_reason_code,
                        &i->state_reason_message,
                        &i->client_token};
    for (size_t k = 0; k < sizeof(strings) / sizeof(strings[0]); k++)
        sps_free(*strings[k]);
    for (size_t k = 0; k < i->n_block_devices; k++) {
        sps_free(i->block_devices[k].device_name);
        sps_free(i->block_devices[k].volume_id);
    }
    sps_free(i->block_devices);
    sps_aws_strings_clean_up(&i->security_group_ids);
    sps_ec2_metadata_options_clean_up(&i->metadata_options);
    sps_aws_tags_clean_up(&i->tags);
    memset(i, 0, sizeof(*i));
}

void sps_aws_ec2_instances_clean_up(struct sps_aws_ec2_instances *l)
{
    if (l == NULL)
        return;
    for (size_t k = 0; k < l->count; k++)
        sps_aws_ec2_instance_clean_up(&l->items[k]);
    sps_free(l->items);
    memset(l, 0, sizeof(*l));
}

static void s_optional_strings(const struct sps_xml_node *n, struct sps_aws_ec2_instance *i)
{
    i->lifecycle = sps_ec2_str(n, "instanceLifecycle");
    i->spot_instance_request_id = sps_ec2_str(n, "spotInstanceRequestId");
    i->availability_zone = sps_ec2_str(n, "placement/availabilityZone");
    i->tenancy = sps_ec2_str(n, "placement/tenancy");
    i->subnet_id = sps_ec2_str(n, "subnetId");
    i->vpc_id = sps_ec2_str(n, "vpcId");
    i->image_id = sps_ec2_str(n, "imageId");
    i->key_name = sps_ec2_str(n, "keyName");
    i->private_ip = sps_ec2_str(n, "privateIpAddress");
    i->public_ip = sps_ec2_str(n, "ipAddress");
    i->iam_instance_profile_arn = sps_ec2_str(n, "iamInstanceProfile/arn");
    i->architecture = sps_ec2_str(n, "architecture");
    i->virtualization_type = sps_ec2_str(n, "virtualizationType");
    i->platform = sps_ec2_str(n, "platform");
    i->platform_details = sps_ec2_str(n, "platformDetails");
    i->root_device_type = sps_ec2_str(n, "rootDeviceType");
    i->root_device_name = sps_ec2_str(n, "rootDeviceName");
    i->monitoring_state = sps_ec2_str(n, "monitoring/state");
    i->state_transition_reason = sps_ec2_str(n, "reason");
    i->state_reason_code = sps_ec2_str(n, "stateReason/code");
    i->state_reason_message = sps_ec2_str(n, "stateReason/message");
    i->client_token = sps_ec2_str(n, "clientToken");
    /* groupSet items are structures: keep only their ids */
    const struct sps_xml_node *set = sps_xml_child(n, "groupSet");
    for (const struct sps_xml_node *g = sps_xml_child(set, "item"); g; g = sps_xml_next(g, "item"))
        sps_aws_strings_add(&i->security_group_ids, sps_xml_path_text(g, "groupId"));
}

static sps_err s_block_devices(const struct sps_xml_node *n, struct sps_aws_ec2_instance *i)
{
    const struct sps_xml_node *set = sps_xml_child(n, "blockDeviceMapping");
    size_t cap = 0;
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_instance_block_device *b =
            SPS_EC2_PUSH3(i->block_devices, i->n_block_devices, cap);
        b->volume_id = sps_ec2_str(it, "ebs/volumeId");
        SPS_TRY(sps_ec2_opt_bool(it, "ebs/deleteOnTermination", &b->delete_on_termination));
        SPS_TRY(sps_ec2_req_str(it, "deviceName", &b->device_name));
    }
    return SPS_OK;
}

static sps_err s_parse_instance(const struct sps_xml_node *n, const char *reservation_id,
                                struct sps_aws_ec2_instance *i)
{
    i->reservation_id = sps_strdup(reservation_id);
    s_optional_strings(n, i);
    sps_err err = SPS_OK;
    sps_ec2_parse_metadata_options(n, &i->metadata_options, &err);
    SPS_TRY(err);
    SPS_TRY(sps_ec2_req_str(n, "instanceId", &i->instance_id));
    SPS_TRY(sps_ec2_req_str(n, "instanceType", &i->instance_type));
    SPS_TRY(sps_ec2_req_str(n, "instanceState/name", &i->state_name));
    SPS_TRY(sps_ec2_req_i64(n, "instanceState/code", &i->state_code));
    if (sps_xml_path(n, "launchTime") == NULL)
        return sps_ec2_missing("launchTime");
    SPS_TRY(sps_ec2_opt_time(n, "launchTime", &i->launch_time_ms));
    SPS_TRY(sps_ec2_opt_bool(n, "ebsOptimized", &i->ebs_optimized));
    SPS_TRY(sps_ec2_opt_bool(n, "enaSupport", &i->ena_support));
    SPS_TRY(sps_ec2_parse_tags(n, "tagSet", &i->tags));
    return s_block_devices(n, i);
}

/* Instances of one reservation `<item>` (DescribeInstances) or of the RunInstances root. */
static sps_err s_parse_reservation(const struct sps_xml_node *r, struct sps_aws_ec2_instances *out)
{
    const char *reservation_id = sps_xml_path_text(r, "reservationId");
    if (reservation_id == NULL || reservation_id[0] == '\0')
        return sps_ec2_missing("reservationId");
    const struct sps_xml_node *set = sps_xml_child(r, "instancesSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item"))
        SPS_TRY(s_parse_instance(it, reservation_id, SPS_EC2_PUSH(out)));
    return SPS_OK;
}

sps_err sps_aws_ec2_parse_describe_instances(const struct sps_xml_node *result,
                                             struct sps_aws_ec2_instances *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "reservationSet");
    for (const struct sps_xml_node *r = sps_xml_child(set, "item"); r; r = sps_xml_next(r, "item"))
        SPS_TRY(s_parse_reservation(r, out));
    return SPS_OK;
}

void sps_aws_ec2_reservation_clean_up(struct sps_aws_ec2_reservation *r)
{
    if (r == NULL)
        return;
    sps_free(r->reservation_id);
    sps_aws_ec2_instances_clean_up(&r->instances);
    memset(r, 0, sizeof(*r));
}

sps_err sps_aws_ec2_parse_run_instances(const struct sps_xml_node *result,
                                        struct sps_aws_ec2_reservation *out)
{
    SPS_TRY(sps_ec2_req_str(result, "reservationId", &out->reservation_id));
    SPS_TRY(s_parse_reservation(result, &out->instances));
    if (out->instances.count == 0)
        return sps_ec2_missing("instancesSet/item");
    return SPS_OK;
}

void sps_aws_ec2_describe_instances_query(struct sps_query *q,
                                          const struct sps_aws_ec2_describe_instances_request *in)
{
    sps_ec2_query_init(q, "DescribeInstances");
    sps_query_set_list(q, "InstanceId", false, in->instance_ids, in->n_instance_ids);
    sps_ec2_query_filters(q, in->filters, in->n_filters);
    /* AWS refuses MaxResults together with InstanceId. */
    if (in->n_instance_ids == 0)
        sps_ec2_query_i64(q, "MaxResults", in->max_results > 0 ? in->max_results : 1000);
}

static sps_err s_parse_instances_page(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_instances(result, out);
}

sps_err sps_aws_ec2_describe_instances(struct sps_aws_client *c,
                                       const struct sps_aws_ec2_describe_instances_request *in,
                                       struct sps_aws_ec2_instances *out,
                                       struct sps_aws_error *aws_err)
{
    size_t done = 0;
    do {
        struct sps_aws_ec2_describe_instances_request batch = *in;
        size_t left = in->n_instance_ids - done;
        batch.instance_ids = in->instance_ids ? in->instance_ids + done : NULL;
        batch.n_instance_ids =
            left < SPS_AWS_EC2_MAX_INSTANCE_IDS ? left : SPS_AWS_EC2_MAX_INSTANCE_IDS;
        struct sps_query q;
        sps_aws_ec2_describe_instances_query(&q, &batch);
        sps_err err = sps_ec2_paginate(c, &q, s_parse_instances_page, out, aws_err);
        sps_query_clean_up(&q);
        SPS_TRY(err);
        done += batch.n_instance_ids;
    } while (done < in->n_instance_ids);
    return SPS_OK;
}

/* ---- DescribeInstanceStatus ---- */

void sps_aws_ec2_instance_statuses_clean_up(struct sps_aws_ec2_instance_statuses *l)
{
    if (l == NULL)
        return;
    for (size_t k = 0; k < l->count; k++) {
        struct sps_aws_ec2_instance_status *s = &l->items[k];
        sps_free(s->instance_id);
        sps_free(s->availability_zone);
        sps_free(s->state_name);
        sps_free(s->instance_status);
        sps_free(s->system_status);
        for (size_t e = 0; e < s->n_events; e++) {
            sps_free(s->events[e].code);
            sps_free(s->events[e].description);
        }
        sps_free(s->events);
    }
    sps_free(l->items);
    memset(l, 0, sizeof(*l));
}

static sps_err s_parse_events(const struct sps_xml_node *n, struct sps_aws_ec2_instance_status *s)
{
    size_t cap = 0;
    const struct sps_xml_node *set = sps_xml_child(n, "eventsSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_status_event *e = SPS_EC2_PUSH3(s->events, s->n_events, cap);
        e->description = sps_ec2_str(it, "description");
        SPS_TRY(sps_ec2_opt_time(it, "notBefore", &e->not_before_ms));
        SPS_TRY(sps_ec2_req_str(it, "code", &e->code));
    }
    return SPS_OK;
}

sps_err sps_aws_ec2_parse_describe_instance_status(const struct sps_xml_node *result,
                                                   struct sps_aws_ec2_instance_statuses *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "instanceStatusSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_instance_status *s = SPS_EC2_PUSH(out);
        s->availability_zone = sps_ec2_str(it, "availabilityZone");
        s->instance_status = sps_ec2_str(it, "instanceStatus/status");
        s->system_status = sps_ec2_str(it, "systemStatus/status");
        SPS_TRY(sps_ec2_req_str(it, "instanceId", &s->instance_id));
        SPS_TRY(sps_ec2_req_str(it, "instanceState/name", &s->state_name));
        SPS_TRY(sps_ec2_req_i64(it, "instanceState/code", &s->state_code));
        SPS_TRY(s_parse_events(it, s));
    }
    return SPS_OK;
}

void sps_aws_ec2_describe_instance_status_query(struct sps_query *q,
                                                const char *const *instance_ids, size_t n)
{
    sps_ec2_query_init(q, "DescribeInstanceStatus");
    sps_query_set_list(q, "InstanceId", false, instance_ids, n);
    sps_ec2_query_bool(q, "IncludeAllInstances", true);
}

static sps_err s_parse_status_page(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_instance_status(result, out);
}

sps_err sps_aws_ec2_describe_instance_status(struct sps_aws_client *c,
                                             const char *const *instance_ids, size_t n,
                                             struct sps_aws_ec2_instance_statuses *out,
                                             struct sps_aws_error *aws_err)
{
    for (size_t done = 0; done < n; done += SPS_AWS_EC2_MAX_STATUS_IDS) {
        size_t left = n - done;
        struct sps_query q;
        sps_aws_ec2_describe_instance_status_query(
            &q, instance_ids + done,
            left < SPS_AWS_EC2_MAX_STATUS_IDS ? left : SPS_AWS_EC2_MAX_STATUS_IDS);
        sps_err err = sps_ec2_paginate(c, &q, s_parse_status_page, out, aws_err);
        sps_query_clean_up(&q);
        SPS_TRY(err);
    }
    return SPS_OK;
}

/* ---- TerminateInstances ---- */

void sps_aws_ec2_state_changes_clean_up(struct sps_aws_ec2_state_changes *l)
{
    if (l == NULL)
        return;
    for (size_t k = 0; k < l->count; k++) {
        sps_free(l->items[k].instance_id);
        sps_free(l->items[k].previous_state);
        sps_free(l->items[k].current_state);
    }
    sps_free(l->items);
    memset(l, 0, sizeof(*l));
}

sps_err sps_aws_ec2_parse_terminate_instances(const struct sps_xml_node *result,
                                              struct sps_aws_ec2_state_changes *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "instancesSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_state_change *s = SPS_EC2_PUSH(out);
        SPS_TRY(sps_ec2_req_str(it, "instanceId", &s->instance_id));
        SPS_TRY(sps_ec2_req_str(it, "previousState/name", &s->previous_state));
        SPS_TRY(sps_ec2_req_i64(it, "previousState/code", &s->previous_code));
        /* API versions before 2016 called the new state shutdownState */
        const char *current = sps_xml_child(it, "currentState") ? "currentState" : "shutdownState";
        char name_path[32], code_path[32];
        snprintf(name_path, sizeof(name_path), "%s/name", current);
        snprintf(code_path, sizeof(code_path), "%s/code", current);
        SPS_TRY(sps_ec2_req_str(it, name_path, &s->current_state));
        SPS_TRY(sps_ec2_req_i64(it, code_path, &s->current_code));
    }
    return SPS_OK;
}

void sps_aws_ec2_terminate_instances_query(struct sps_query *q, const char *const *instance_ids,
                                           size_t n)
{
    sps_ec2_query_init(q, "TerminateInstances");
    sps_query_set_list(q, "InstanceId", false, instance_ids, n);
}

static sps_err s_parse_terminate(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_terminate_instances(result, out);
}

sps_err sps_aws_ec2_terminate_instances(struct sps_aws_client *c, const char *const *instance_ids,
                                        size_t n, struct sps_aws_ec2_state_changes *out,
                                        struct sps_aws_error *aws_err)
{
    if (n == 0) {
        sps_log(SPS_LOG_DEBUG, "TerminateInstances needs at least one instance id", NULL);
        return SPS_ERR_INVALID_ARGUMENT;
    }
    struct sps_query q;
    sps_aws_ec2_terminate_instances_query(&q, instance_ids, n);
    sps_err err = sps_ec2_call(c, &q, s_parse_terminate, out, aws_err);
    sps_query_clean_up(&q);
    return err;
}
