/*
 * AWS Query-protocol request parameters: an ordered key/value list (Action and Version first,
 * then insertion order; replacing a key keeps its place) and the RFC 3986 form encoding the
 * services and SigV4 expect.
 */
#include "sps_aws_query.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static long s_find(const struct sps_query *q, const char *key)
{
    for (size_t i = 0; i < q->count; i++) {
        if (strcmp(q->params[i].key, key) == 0)
            return (long)i;
    }
    return -1;
}

static void s_append(struct sps_query *q, const char *key, const char *value)
{
    if (q->count == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 8;
        q->params = sps_realloc(q->params, q->cap * sizeof(*q->params));
    }
    q->params[q->count].key = sps_strdup(key);
    q->params[q->count].value = sps_strdup(value);
    q->count++;
}

void sps_query_init(struct sps_query *q, const char *action, const char *version)
{
    memset(q, 0, sizeof(*q));
    if (action != NULL)
        s_append(q, "Action", action);
    if (version != NULL)
        s_append(q, "Version", version);
}

void sps_query_clean_up(struct sps_query *q)
{
    if (q == NULL)
        return;
    for (size_t i = 0; i < q->count; i++) {
        sps_free(q->params[i].key);
        sps_free(q->params[i].value);
    }
    sps_free(q->params);
    memset(q, 0, sizeof(*q));
}

void sps_query_set(struct sps_query *q, const char *key, const char *value)
{
    if (value == NULL)
        value = "";
    long at = s_find(q, key);
    if (at < 0) {
        s_append(q, key, value);
        return;
    }
    char *copy = sps_strdup(value);
    sps_free(q->params[at].value);
    q->params[at].value = copy;
}

void sps_query_setf(struct sps_query *q, const char *value, const char *key_fmt, ...)
{
    va_list ap;
    va_start(ap, key_fmt);
    char small[256];
    int n = vsnprintf(small, sizeof(small), key_fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof(small)) {
        sps_query_set(q, small, value);
    } else if (n >= 0) {
        /* Keys are short in practice; a long one takes the slow path. */
        char *big = sps_malloc((size_t)n + 1);
        va_start(ap, key_fmt);
        (void)vsnprintf(big, (size_t)n + 1, key_fmt, ap);
        va_end(ap);
        sps_query_set(q, big, value);
        sps_free(big);
    }
}

static void s_remove_at(struct sps_query *q, size_t i)
{
    sps_free(q->params[i].key);
    sps_free(q->params[i].value);
    memmove(&q->params[i], &q->params[i + 1], (q->count - i - 1) * sizeof(*q->params));
    q->count--;
}

void sps_query_remove(struct sps_query *q, const char *key)
{
    long at = s_find(q, key);
    if (at >= 0)
        s_remove_at(q, (size_t)at);
}

const char *sps_query_get(const struct sps_query *q, const char *key)
{
    long at = s_find(q, key);
    return at < 0 ? NULL : q->params[at].value;
}

const char *sps_query_action(const struct sps_query *q)
{
    return sps_query_get(q, "Action");
}

/* True for "<prefix>.N" or "<prefix>.member.N", optionally followed by ".Sub..." (an element of
 * a list of structures): the keys a list set earlier under the same prefix produced. */
static bool s_is_list_key(const char *key, const char *prefix, size_t prefix_len, bool member)
{
    if (strncmp(key, prefix, prefix_len) != 0 || key[prefix_len] != '.')
        return false;
    const char *p = key + prefix_len + 1;
    if (member) {
        if (strncmp(p, "member.", 7) != 0)
            return false;
        p += 7;
    }
    if (*p < '1' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    return *p == '\0' || *p == '.';
}

void sps_query_set_list(struct sps_query *q, const char *prefix, bool member,
                        const char *const *values, size_t n)
{
    /* Setting a list replaces it: a shorter list must not leave stale tail elements. */
    size_t prefix_len = strlen(prefix);
    for (size_t i = q->count; i > 0; i--) {
        if (s_is_list_key(q->params[i - 1].key, prefix, prefix_len, member))
            s_remove_at(q, i - 1);
    }
    for (size_t i = 0; i < n; i++)
        sps_query_setf(q, values[i], member ? "%s.member.%zu" : "%s.%zu", prefix, i + 1);
}

void sps_query_copy(struct sps_query *dst, const struct sps_query *src)
{
    memset(dst, 0, sizeof(*dst));
    for (size_t i = 0; i < src->count; i++)
        s_append(dst, src->params[i].key, src->params[i].value);
}

static bool s_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

sps_err sps_uri_encode(struct sps_buf *out, struct sps_cursor in, bool keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t run = 0; /* start of the pending run of characters copied as they are */
    for (size_t i = 0; i < in.len; i++) {
        unsigned char c = (unsigned char)in.ptr[i];
        if (s_unreserved(c) || (keep_slash && c == '/'))
            continue;
        if (i > run)
            (void)sps_buf_append(out, in.ptr + run, i - run);
        char esc[3] = {'%', hex[c >> 4], hex[c & 0x0F]};
        (void)sps_buf_append(out, esc, 3);
        run = i + 1;
    }
    if (in.len > run)
        (void)sps_buf_append(out, in.ptr + run, in.len - run);
    return out->err;
}

sps_err sps_query_encode(const struct sps_query *q, struct sps_buf *out)
{
    for (size_t i = 0; i < q->count; i++) {
        if (i > 0)
            (void)sps_buf_append_char(out, '&');
        SPS_TRY(sps_uri_encode(out, sps_cursor_from_str(q->params[i].key), false));
        (void)sps_buf_append_char(out, '=');
        SPS_TRY(sps_uri_encode(out, sps_cursor_from_str(q->params[i].value), false));
    }
    return out->err;
}
