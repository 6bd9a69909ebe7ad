/* Small value types shared by the typed EC2 and Auto Scaling operations: tag lists and string
 * lists. Both own their strings. */
#ifndef SPS_AWS_TYPES_H
#define SPS_AWS_TYPES_H

#include "sps_common.h"

struct sps_aws_tag {
    char *key;
    char *value;
    bool propagate_at_launch; /* Auto Scaling group tags only */
};

struct sps_aws_tags {
    struct sps_aws_tag *items;
    size_t count;
    size_t cap;
};

void sps_aws_tags_init(struct sps_aws_tags *t);
void sps_aws_tags_clean_up(struct sps_aws_tags *t); /* NULL-safe */
/* Adds, or replaces the value of an existing key (keys are unique, as in AWS). */
void sps_aws_tags_set(struct sps_aws_tags *t, const char *key, const char *value,
                      bool propagate_at_launch);
/* The value for `key`, or NULL. */
const char *sps_aws_tags_get(const struct sps_aws_tags *t, const char *key);
void sps_aws_tags_copy(struct sps_aws_tags *dst, const struct sps_aws_tags *src);

struct sps_aws_strings {
    char **items;
    size_t count;
    size_t cap;
};

void sps_aws_strings_init(struct sps_aws_strings *s);
void sps_aws_strings_clean_up(struct sps_aws_strings *s); /* NULL-safe */
void sps_aws_strings_add(struct sps_aws_strings *s, const char *value);
bool sps_aws_strings_contains(const struct sps_aws_strings *s, const char *value);
void sps_aws_strings_copy(struct sps_aws_strings *dst, const struct sps_aws_strings *src);

#endif
