/* Helpers shared by the typed EC2 operations (aws/ec2_*.c): reading optional and required
 * fields from EC2 XML, growing result arrays, writing common query shapes, running a call. Not
 * a public header. */
#ifndef SPS_EC2_INTERNAL_H
#define SPS_EC2_INTERNAL_H

#include "sps_aws_ec2.h"

/* Makes room for element `count` (zeroed) in an array of capacity `cap`; returns the array,
 * which may have moved. */
void *sps_ec2_grow(void *items, size_t count, size_t *cap, size_t elem_size);
/* Appends a zeroed element to `items` (lvalues `count` and `cap` say its size) and evaluates
 * to its address. */
#define SPS_EC2_PUSH3(items, count, cap)                                                           \
    ((items) = sps_ec2_grow((items), (count), &(cap), sizeof(*(items))), &(items)[(count)++])
#define SPS_EC2_PUSH(list) SPS_EC2_PUSH3((list)->items, (list)->count, (list)->cap)

/* The text at `path` duplicated, or "" when absent. */
char *sps_ec2_str(const struct sps_xml_node *node, const char *path);
/* SPS_ERR_MISSING_FIELD (logged at debug with `path`) when absent or empty. */
SPS_NODISCARD sps_err sps_ec2_req_str(const struct sps_xml_node *node, const char *path,
                                      char **out);
SPS_NODISCARD sps_err sps_ec2_req_i64(const struct sps_xml_node *node, const char *path,
                                      int64_t *out);
/* Optional typed fields: absent leaves `out` unchanged; present but bad is an error (logged). */
SPS_NODISCARD sps_err sps_ec2_opt_i64(const struct sps_xml_node *node, const char *path,
                                      int64_t *out);
SPS_NODISCARD sps_err sps_ec2_opt_bool(const struct sps_xml_node *node, const char *path,
                                       bool *out);
SPS_NODISCARD sps_err sps_ec2_opt_tristate(const struct sps_xml_node *node, const char *path,
                                           enum sps_aws_ec2_tristate *out);
SPS_NODISCARD sps_err sps_ec2_opt_time(const struct sps_xml_node *node, const char *path,
                                       int64_t *epoch_ms);
SPS_NODISCARD sps_err sps_ec2_missing(const char *what);

/* `<set><item><key/><value/></item></set>` at `path` ("tagSet"). */
SPS_NODISCARD sps_err sps_ec2_parse_tags(const struct sps_xml_node *node, const char *path,
                                         struct sps_aws_tags *out);
/* Every `<item>` (or other `member`) text under the list at `path`. */
void sps_ec2_parse_strings(const struct sps_xml_node *node, const char *path, const char *member,
                           struct sps_aws_strings *out);
/* A `<blockDeviceMapping>`-shaped list (images, launch templates). */
SPS_NODISCARD sps_err sps_ec2_parse_bdms(const struct sps_xml_node *node, const char *path,
                                         struct sps_aws_ec2_block_device_mapping **items,
                                         size_t *count);
void sps_ec2_parse_metadata_options(const struct sps_xml_node *node,
                                    struct sps_aws_ec2_metadata_options *out, sps_err *err);
void sps_ec2_metadata_options_clean_up(struct sps_aws_ec2_metadata_options *m);
void sps_ec2_free_bdms(struct sps_aws_ec2_block_device_mapping *items, size_t count);

void sps_ec2_query_init(struct sps_query *q, const char *action);
void sps_ec2_query_filters(struct sps_query *q, const struct sps_aws_ec2_filter *filters, size_t n);
/* `prefix.N.Key` / `prefix.N.Value`. */
void sps_ec2_query_tags(struct sps_query *q, const char *prefix, const struct sps_aws_tags *tags);
void sps_ec2_query_bool(struct sps_query *q, const char *key, bool value);
void sps_ec2_query_i64(struct sps_query *q, const char *key, int64_t value);

typedef sps_err (*sps_ec2_parse_fn)(const struct sps_xml_node *result, void *out);
/* One call: runs `q`, parses its result with `parse`; the service's error goes to `aws_err`. */
SPS_NODISCARD sps_err sps_ec2_call(struct sps_aws_client *c, const struct sps_query *q,
                                   sps_ec2_parse_fn parse, void *out,
                                   struct sps_aws_error *aws_err);
/* Every page of `q`, each parsed with `parse` into `out`. */
SPS_NODISCARD sps_err sps_ec2_paginate(struct sps_aws_client *c, const struct sps_query *q,
                                       sps_ec2_parse_fn parse, void *out,
                                       struct sps_aws_error *aws_err);

#endif
