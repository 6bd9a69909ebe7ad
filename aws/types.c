/* Tag and string lists for the typed EC2 and Auto Scaling operations. */
#include "sps_aws_types.h"

#include <string.h>

void sps_aws_tags_init(struct sps_aws_tags *t)
{
    memset(t, 0, sizeof(*t));
}

void sps_aws_tags_clean_up(struct sps_aws_tags *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->count; i++) {
        sps_free(t->items[i].key);
        sps_free(t->items[i].value);
    }
    sps_free(t->items);
    sps_aws_tags_init(t);
}

void sps_aws_tags_set(struct sps_aws_tags *t, const char *key, const char *value,
                      bool propagate_at_launch)
{
    for (size_t i = 0; i < t->count; i++) {
        if (strcmp(t->items[i].key, key) == 0) {
            sps_free(t->items[i].value);
            t->items[i].value = sps_strdup(value ? value : "");
            t->items[i].propagate_at_launch = propagate_at_launch;
            return;
        }
    }
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 8;
        t->items = sps_realloc(t->items, t->cap * sizeof(t->items[0]));
    }
    t->items[t->count++] = (struct sps_aws_tag){sps_strdup(key), sps_strdup(value ? value : ""),
                                                propagate_at_launch};
}

const char *sps_aws_tags_get(const struct sps_aws_tags *t, const char *key)
{
    for (size_t i = 0; i < t->count; i++) {
        if (strcmp(t->items[i].key, key) == 0)
            return t->items[i].value;
    }
    return NULL;
}

void sps_aws_tags_copy(struct sps_aws_tags *dst, const struct sps_aws_tags *src)
{
    sps_aws_tags_init(dst);
    for (size_t i = 0; i < src->count; i++)
        sps_aws_tags_set(dst, src->items[i].key, src->items[i].value,
                         src->items[i].propagate_at_launch);
}

void sps_aws_strings_init(struct sps_aws_strings *s)
{
    memset(s, 0, sizeof(*s));
}

void sps_aws_strings_clean_up(struct sps_aws_strings *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->count; i++)
        sps_free(s->items[i]);
    sps_free(s->items);
    sps_aws_strings_init(s);
}

void sps_aws_strings_add(struct sps_aws_strings *s, const char *value)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->items = sps_realloc(s->items, s->cap * sizeof(s->items[0]));
    }
    s->items[s->count++] = sps_strdup(value ? value : "");
}

bool sps_aws_strings_contains(const struct sps_aws_strings *s, const char *value)
{
    for (size_t i = 0; i < s->count; i++) {
        if (strcmp(s->items[i], value) == 0)
            return true;
    }
    return false;
}

void sps_aws_strings_copy(struct sps_aws_strings *dst, const struct sps_aws_strings *src)
{
    sps_aws_strings_init(dst);
    for (size_t i = 0; i < src->count; i++)
        sps_aws_strings_add(dst, src->items[i]);
}
