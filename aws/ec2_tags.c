/* CreateTags, DeleteTags and DescribeTags. */
#include "ec2_internal.h"

#include <string.h>

void sps_aws_ec2_create_tags_query(struct sps_query *q, const char *const *resource_ids, size_t n,
                                   const struct sps_aws_tags *tags)
{
    sps_ec2_query_init(q, "CreateTags");
    sps_query_set_list(q, "ResourceId", false, resource_ids, n);
    sps_ec2_query_tags(q, "Tag", tags);
}

sps_err sps_aws_ec2_create_tags(struct sps_aws_client *c, const char *const *resource_ids, size_t n,
                                const struct sps_aws_tags *tags, struct sps_aws_error *aws_err)
{
    if (n == 0 || tags == NULL || tags->count == 0) {
        sps_log(SPS_LOG_DEBUG, "CreateTags needs resource ids and tags", NULL);
        return SPS_ERR_INVALID_ARGUMENT;
    }
    struct sps_query q;
    sps_aws_ec2_create_tags_query(&q, resource_ids, n, tags);
    sps_err err = sps_ec2_call(c, &q, NULL, NULL, aws_err);
    sps_query_clean_up(&q);
    return err;
}

void sps_aws_ec2_delete_tags_query(struct sps_query *q, const char *const *resource_ids, size_t n,
                                   const char *const *keys, size_t n_keys)
{
    sps_ec2_query_init(q, "DeleteTags");
    sps_query_set_list(q, "ResourceId", false, resource_ids, n);
    for (size_t i = 0; i < n_keys; i++)
        sps_query_setf(q, keys[i], "Tag.%zu.Key", i + 1);
}

sps_err sps_aws_ec2_delete_tags(struct sps_aws_client *c, const char *const *resource_ids, size_t n,
                                const char *const *keys, size_t n_keys,
                                struct sps_aws_error *aws_err)
{
    /* DeleteTags without Tag.N deletes every tag of the resources: never do that by accident. */
    if (n == 0 || n_keys == 0) {
        sps_log(SPS_LOG_DEBUG, "DeleteTags needs resource ids and keys", NULL);
        return SPS_ERR_INVALID_ARGUMENT;
    }
    struct sps_query q;
    sps_aws_ec2_delete_tags_query(&q, resource_ids, n, keys, n_keys);
    sps_err err = sps_ec2_call(c, &q, NULL, NULL, aws_err);
    sps_query_clean_up(&q);
    return err;
}

void sps_aws_ec2_tag_descriptions_clean_up(struct sps_aws_ec2_tag_descriptions *l)
{
    if (l == NULL)
        return;
    for (size_t k = 0; k < l->count; k++) {
        sps_free(l->items[k].resource_id);
        sps_free(l->items[k].resource_type);
        sps_free(l->items[k].key);
        sps_free(l->items[k].value);
    }
    sps_free(l->items);
    memset(l, 0, sizeof(*l));
}

sps_err sps_aws_ec2_parse_describe_tags(const struct sps_xml_node *result,
                                        struct sps_aws_ec2_tag_descriptions *out)
{
    const struct sps_xml_node *set = sps_xml_child(result, "tagSet");
    for (const struct sps_xml_node *it = sps_xml_child(set, "item"); it;
         it = sps_xml_next(it, "item")) {
        struct sps_aws_ec2_tag_description *t = SPS_EC2_PUSH(out);
        t->resource_type = sps_ec2_str(it, "resourceType");
        t->value = sps_ec2_str(it, "value");
        SPS_TRY(sps_ec2_req_str(it, "resourceId", &t->resource_id));
        SPS_TRY(sps_ec2_req_str(it, "key", &t->key));
    }
    return SPS_OK;
}

void sps_aws_ec2_describe_tags_query(struct sps_query *q, const struct sps_aws_ec2_filter *filters,
                                     size_t n_filters)
{
    sps_ec2_query_init(q, "DescribeTags");
    sps_ec2_query_filters(q, filters, n_filters);
    sps_query_set(q, "MaxResults", "1000");
}

static sps_err s_parse_tags_page(const struct sps_xml_node *result, void *out)
{
    return sps_aws_ec2_parse_describe_tags(result, out);
}

sps_err sps_aws_ec2_describe_tags(struct sps_aws_client *c,
                                  const struct sps_aws_ec2_filter *filters, size_t n_filters,
                                  struct sps_aws_ec2_tag_descriptions *out,
                                  struct sps_aws_error *aws_err)
{
    struct sps_query q;
    sps_aws_ec2_describe_tags_query(&q, filters, n_filters);
    sps_err err = sps_ec2_paginate(c, &q, s_parse_tags_page, out, aws_err);
    sps_query_clean_up(&q);
    return err;
}
