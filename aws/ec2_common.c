/* Field readers, array growth, query shapes and call runners shared by the typed EC2
 * operations. */
#include "ec2_internal.h"

#include <stdio.h>
#include <string.h>

void *sps_ec2_grow(void *items, size_t count, size_t *cap, size_t elem_size)
{
    if (count == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        items = sps_realloc(items, *cap * elem_size);
    }
    memset((char *)items + count * elem_size, 0, elem_size);
    return items;
}

char *sps_ec2_str(const struct sps_xml_node *node, const char *path)
{
    const char *text = sps_xml_path_text(node, path);
    return sps_strdup(text ? text : "");
}

sps_err sps_ec2_missing(const char *what)
{
    sps_log(SPS_LOG_DEBUG, "EC2 response lacks a required field", "field", what, NULL);
    return SPS_ERR_MISSING_FIELD;
}

static sps_err s_bad(const char *what, sps_err err)
{
    if (err != SPS_OK && err != SPS_ERR_MISSING_FIELD)
        sps_log(SPS_LOG_DEBUG, "EC2 response field has a bad value", "field", what, "error",
                sps_error_name(err), NULL);
    return err;
}

sps_err sps_ec2_req_str(const struct sps_xml_node *node, const char *path, char **out)
{
    const char *text = sps_xml_path_text(node, path);
    if (text == NULL || text[0] == '\0')
        return sps_ec2_missing(path);
    sps_free(*out);
    *out = sps_strdup(text);
    return SPS_OK;
}

sps_err sps_ec2_req_i64(const struct sps_xml_node *node, const char *path, int64_t *out)
{
    if (sps_xml_path(node, path) == NULL)
        return sps_ec2_missing(path);
    return s_bad(path, sps_xml_path_i64(node, path, out));
}

sps_err sps_ec2_opt_i64(const struct sps_xml_node *node, const char *path, int64_t *out)
{
    if (sps_xml_path(node, path) == NULL)
        return SPS_OK;
    return s_bad(path, sps_xml_path_i64(node, path, out));
}

sps_err sps_ec2_opt_bool(const struct sps_xml_node *node, const char *path, bool *out)
{
    if (sps_xml_path(node, path) == NULL)
        return SPS_OK;
    return s_bad(path, sps_xml_path_bool(node, path, out));
}

sps_err sps_ec2_opt_tristate(const struct sps_xml_node *node, const char *path,
                             enum sps_aws_ec2_tristate *out)
{
    if (sps_xml_path(node, path) == NULL)
        return SPS_OK;
    bool value = false;
    SPS_TRY(s_bad(path, sps_xml_path_bool(node, path, &value)));
    *out = value ? SPS_AWS_EC2_TRUE : SPS_AWS_EC2_FALSE;
    return SPS_OK;
}

sps_err sps_ec2_opt_time(const struct sps_xml_node *node, const char *path, int64_t *epoch_ms)
{
    if (sps_xml_path(node, path) == NULL)
        return SPS_OK;
    return s_bad(path, sps_xml_path_time(node, path, epoch_ms));
}

sps_err sps_ec2_parse_tags(const struct sps_xml_node *node, const char *path,
                           struct sps_aws_tags *out)
{
    const struct sps_xml_node *set = sps_xml_path(node, path);
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        const char *key = sps_xml_path_text(it, "key");
        if (key == NULL || key[0] == '\0')
            return sps_ec2_missing("tagSet/item/key");
        sps_aws_tags_set(out, key, sps_xml_path_text(it, "value"), false);
    }
    return SPS_OK;
}

void sps_ec2_parse_strings(const struct sps_xml_node *node, const char *path, const char *member,
                           struct sps_aws_strings *out)
{
    const struct sps_xml_node *set = sps_xml_path(node, path);
    for (const struct sps_xml_node *it = sps_xml_child(set, member); it;
         it = sps_xml_next(it, member))
        sps_aws_strings_add(out, sps_xml_text(it));
}

static sps_err s_parse_ebs(const struct sps_xml_node *ebs, struct sps_aws_ec2_ebs *out)
{
    out->snapshot_id = sps_ec2_str(ebs, "snapshotId");
    out->volume_type = sps_ec2_str(ebs, "volumeType");
    out->kms_key_id = sps_ec2_str(ebs, "kmsKeyId");
    SPS_TRY(sps_ec2_opt_i64(ebs, "volumeSize", &out->volume_size_gib));
    SPS_TRY(sps_ec2_opt_i64(ebs, "iops", &out->iops));
    SPS_TRY(sps_ec2_opt_i64(ebs, "throughput", &out->throughput));
    SPS_TRY(sps_ec2_opt_tristate(ebs, "encrypted", &out->encrypted));
    return sps_ec2_opt_tristate(ebs, "deleteOnTermination", &out->delete_on_termination);
}

sps_err sps_ec2_parse_bdms(const struct sps_xml_node *node, const char *path,
                           struct sps_aws_ec2_block_device_mapping **items, size_t *count)
{
    const struct sps_xml_node *set = sps_xml_path(node, path);
    size_t cap = *count;
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_block_device_mapping *m = SPS_EC2_PUSH3(*items, *count, cap);
        m->virtual_name = sps_ec2_str(it, "virtualName");
        m->no_device = sps_xml_path(it, "noDevice") != NULL;
        const struct sps_xml_node *ebs = sps_xml_child(it, "ebs");
        m->has_ebs = ebs != NULL;
        if (ebs)
            SPS_TRY(s_parse_ebs(ebs, &m->ebs));
        SPS_TRY(sps_ec2_req_str(it, "deviceName", &m->device_name));
    }
    return SPS_OK;
}

void sps_aws_ec2_block_device_mapping_clean_up(struct sps_aws_ec2_block_device_mapping *m)
{
    if (m == NULL)
        return;
    sps_free(m->device_name);
    sps_free(m->virtual_name);
    sps_free(m->ebs.snapshot_id);
    sps_free(m->ebs.volume_type);
    sps_free(m->ebs.kms_key_id);
    memset(m, 0, sizeof(*m));
}

void sps_ec2_free_bdms(struct sps_aws_ec2_block_device_mapping *items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        sps_aws_ec2_block_device_mapping_clean_up(&items[i]);
    sps_free(items);
}

void sps_ec2_parse_metadata_options(const struct sps_xml_node *node,
                                    struct sps_aws_ec2_metadata_options *out, sps_err *err)
{
    out->http_tokens = sps_ec2_str(node, "metadataOptions/httpTokens");
    out->http_endpoint = sps_ec2_str(node, "metadataOptions/httpEndpoint");
    out->instance_metadata_tags = sps_ec2_str(node, "metadataOptions/instanceMetadataTags");
    if (*err == SPS_OK)
        *err = sps_ec2_opt_i64(node, "metadataOptions/httpPutResponseHopLimit", &out->hop_limit);
}

void sps_ec2_metadata_options_clean_up(struct sps_aws_ec2_metadata_options *m)
{
    sps_free(m->http_tokens);
    sps_free(m->http_endpoint);
    sps_free(m->instance_metadata_tags);
    memset(m, 0, sizeof(*m));
}

void sps_ec2_query_init(struct sps_query *q, const char *action)
{
    sps_query_init(q, action, SPS_AWS_EC2_API_VERSION);
}

void sps_ec2_query_filters(struct sps_query *q, const struct sps_aws_ec2_filter *filters, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sps_query_setf(q, filters[i].name, "Filter.%zu.Name", i + 1);
        for (size_t j = 0; j < filters[i].n_values; j++)
            sps_query_setf(q, filters[i].values[j], "Filter.%zu.Value.%zu", i + 1, j + 1);
    }
}

void sps_ec2_query_tags(struct sps_query *q, const char *prefix, const struct sps_aws_tags *tags)
{
    for (size_t i = 0; i < tags->count; i++) {
        sps_query_setf(q, tags->items[i].key, "%s.%zu.Key", prefix, i + 1);
        sps_query_setf(q, tags->items[i].value, "%s.%zu.Value", prefix, i + 1);
    }
}

void sps_ec2_query_bool(struct sps_query *q, const char *key, bool value)
{
    sps_query_set(q, key, value ? "true" : "false");
}

void sps_ec2_query_i64(struct sps_query *q, const char *key, int64_t value)
{
    char text[24];
    snprintf(text, sizeof(text), "%lld", (long long)value);
    sps_query_set(q, key, text);
}

sps_err sps_ec2_call(struct sps_aws_client *c, const struct sps_query *q, sps_ec2_parse_fn parse,
                     void *out, struct sps_aws_error *aws_err)
{
    struct sps_aws_call call;
    sps_aws_call_init_query(&call, c, q);
    sps_err err = sps_aws_call_run(&call);
    if (aws_err)
        *aws_err = call.error;
    if (err == SPS_OK && parse)
        err = parse(sps_aws_call_result_node(&call), out);
    sps_aws_call_clean_up(&call);
    return err;
}

struct s_page_ctx {
    sps_ec2_parse_fn parse;
    void *out;
};

static sps_err s_on_page(void *ctx, const struct sps_xml_node *result)
{
    struct s_page_ctx *p = ctx;
    return p->parse(result, p->out);
}

sps_err sps_ec2_paginate(struct sps_aws_client *c, const struct sps_query *q,
                         sps_ec2_parse_fn parse, void *out, struct sps_aws_error *aws_err)
{
    struct s_page_ctx ctx = {parse, out};
    return sps_aws_query_paginate(c, q, 0, s_on_page, &ctx, aws_err);
}
