/*
 * Building AWS Query-protocol requests (EC2, Auto Scaling, STS): an ordered list of parameters
 * serialized as an application/x-www-form-urlencoded body. Lists are flattened as the services
 * expect: EC2 as `Name.N` (`InstanceId.1`), Auto Scaling and STS as `Name.member.N`; nested
 * members as `Name.N.Member`. The caller writes the full key; helpers below number lists.
 */
#ifndef SPS_AWS_QUERY_H
#define SPS_AWS_QUERY_H

#include "sps_common.h"

struct sps_query_param {
    char *key;
    char *value;
};

struct sps_query {
    struct sps_query_param *params; /* Action and Version first, then in insertion order */
    size_t count;
    size_t cap;
};

void sps_query_init(struct sps_query *q, const char *action, const char *version);
void sps_query_clean_up(struct sps_query *q);
/* Adds or replaces (a key appears once). */
void sps_query_set(struct sps_query *q, const char *key, const char *value);
void sps_query_setf(struct sps_query *q, const char *value, const char *key_fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sps_query_remove(struct sps_query *q, const char *key);
const char *sps_query_get(const struct sps_query *q, const char *key);
const char *sps_query_action(const struct sps_query *q);
/* Adds `prefix.1 .. prefix.N` (EC2 style) or `prefix.member.1 ..` (when member is true),
 * first removing any list (and nested `prefix.N.Sub` members) set earlier under that prefix. */
void sps_query_set_list(struct sps_query *q, const char *prefix, bool member,
                        const char *const *values, size_t n);
/* Deep copy. */
void sps_query_copy(struct sps_query *dst, const struct sps_query *src);

/* The form body: key=value&... with RFC 3986 percent-encoding (unreserved characters kept,
 * space as %20), appended to `out`. */
SPS_NODISCARD sps_err sps_query_encode(const struct sps_query *q, struct sps_buf *out);

/* RFC 3986 percent-encoding of one component, as SigV4 and the Query protocol require;
 * `keep_slash` leaves '/' unencoded (for paths). Appends to `out`; returns its sticky error. */
SPS_NODISCARD sps_err sps_uri_encode(struct sps_buf *out, struct sps_cursor in, bool keep_slash);

#endif
