/*
 * Helpers shared by the aws/autoscaling_*.c files: typed field readers that name the field in a
 * debug log when it is missing or bad, list growth, and running a request through the client.
 * Internal to aws/; not a contract with other modules.
 */
#ifndef SPS_AWS_AUTOSCALING_INTERNAL_H
#define SPS_AWS_AUTOSCALING_INTERNAL_H

#include "sps_aws_autoscaling.h"

/* Grows an array of `size`-byte items so that one more fits; returns the (moved) array. */
void *sps_asg_grow(void *items, size_t *cap, size_t count, size_t size);

/* Readers for the child at `path` of `node`; `shape` names the structure in logs ("Instance").
 * need_*: SPS_ERR_MISSING_FIELD when absent (strings: also when empty); opt_*: leave the output
 * untouched when absent and set `has` (may be NULL) to whether it was present. */
SPS_NODISCARD sps_err sps_asg_need_str(const struct sps_xml_node *node, const char *shape,
                                       const char *path, char **out);
void sps_asg_opt_str(const struct sps_xml_node *node, const char *path, char **out);
SPS_NODISCARD sps_err sps_asg_need_i64(const struct sps_xml_node *node, const char *shape,
                                       const char *path, int64_t *out);
SPS_NODISCARD sps_err sps_asg_opt_i64(const struct sps_xml_node *node, const char *shape,
                                      const char *path, int64_t *out, bool *has);
SPS_NODISCARD sps_err sps_asg_opt_double(const struct sps_xml_node *node, const char *shape,
                                         const char *path, double *out, bool *has);
SPS_NODISCARD sps_err sps_asg_need_bool(const struct sps_xml_node *node, const char *shape,
                                        const char *path, bool *out);
SPS_NODISCARD sps_err sps_asg_opt_bool(const struct sps_xml_node *node, const char *shape,
                                       const char *path, bool *out);
SPS_NODISCARD sps_err sps_asg_opt_tristate(const struct sps_xml_node *node, const char *shape,
                                           const char *path, enum sps_aws_asg_tristate *out);
SPS_NODISCARD sps_err sps_asg_need_time(const struct sps_xml_node *node, const char *shape,
                                        const char *path, int64_t *epoch_ms);
SPS_NODISCARD sps_err sps_asg_opt_time(const struct sps_xml_node *node, const char *shape,
                                       const char *path, int64_t *epoch_ms);
/* The list element at `path`; SPS_ERR_MISSING_FIELD when absent. */
SPS_NODISCARD sps_err sps_asg_need_list(const struct sps_xml_node *node, const char *shape,
                                        const char *path, const struct sps_xml_node **list);
/* The non-empty texts of `path/member` appended to `out`. */
void sps_asg_strings(const struct sps_xml_node *node, const char *path,
                     struct sps_aws_strings *out);
/* First <member> of a list element (NULL-safe), and the next one. */
const struct sps_xml_node *sps_asg_first(const struct sps_xml_node *list);
const struct sps_xml_node *sps_asg_next(const struct sps_xml_node *member);

void sps_asg_read_launch_template(const struct sps_xml_node *node,
                                  struct sps_aws_asg_launch_template *out);
SPS_NODISCARD sps_err sps_asg_read_activity(const struct sps_xml_node *node,
                                            struct sps_aws_asg_activity *out);
/* Reads a list of Activity members into `out`. */
SPS_NODISCARD sps_err sps_asg_read_activities(const struct sps_xml_node *list,
                                              struct sps_aws_asg_activities *out);
/* Replaces *token with the result's NextToken (NULL when absent or empty). */
void sps_asg_read_next_token(const struct sps_xml_node *result, char **token);

/* A query for `action` with the Auto Scaling API version. */
void sps_asg_query_init(struct sps_query *q, const char *action);
void sps_asg_query_set_i64(struct sps_query *q, const char *key, int64_t value);
void sps_asg_query_set_bool(struct sps_query *q, const char *key, bool value);

/* Refuses a NULL client, a client of another service, and a NULL/empty `required` value named
 * `what` (pass NULL `what` to skip that check): SPS_ERR_INVALID_ARGUMENT, logged. */
SPS_NODISCARD sps_err sps_asg_check(struct sps_aws_client *c, const char *what,
                                    const char *required);

typedef sps_err (*sps_asg_parse_fn)(const struct sps_xml_node *result, void *out);
/* Runs one call; copies the service's error to `aws_err` (may be NULL); parses on success
 * when `parse` is given. */
SPS_NODISCARD sps_err sps_asg_run(struct sps_aws_client *c, const struct sps_query *q,
                                  sps_asg_parse_fn parse, void *out, struct sps_aws_error *aws_err);
/* Every page of `q` through sps_aws_query_paginate, each parsed into `out`. */
SPS_NODISCARD sps_err sps_asg_paginate(struct sps_aws_client *c, const struct sps_query *q,
                                       sps_asg_parse_fn parse, void *out,
                                       struct sps_aws_error *aws_err);

/* Builds the query for one batch: `in` (the operation's input) with its names replaced by
 * `names`/`name_count` and no page token. */
typedef void (*sps_asg_batch_query_fn)(struct sps_query *q, const void *in,
                                       const char *const *names, size_t name_count);

/* Runs one paginated query per batch of at most `batch` of the `name_count` names (one query
 * when there are none), appending every page to `out` with `parse`. Stops at the first error. */
SPS_NODISCARD sps_err sps_asg_describe_batched(struct sps_aws_client *c, const void *in,
                                               const char *const *names, size_t name_count,
                                               size_t batch, sps_asg_batch_query_fn build,
                                               sps_asg_parse_fn parse, void *out,
                                               struct sps_aws_error *aws_err);

#endif
