/* The non-owning string view and its strict number parsers (no atoi/strtol surprises). */
#include "sps_alloc.h"
#include "sps_buf.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sps_cursor sps_cursor_from_str(const char *s)
{
    return s ? (struct sps_cursor){s, strlen(s)} : SPS_CURSOR_EMPTY;
}

struct sps_cursor sps_cursor_from_mem(const void *ptr, size_t len)
{
    return (struct sps_cursor){ptr, len};
}

bool sps_cursor_eq(struct sps_cursor a, struct sps_cursor b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool sps_cursor_eq_str(struct sps_cursor a, const char *s)
{
    return sps_cursor_eq(a, sps_cursor_from_str(s));
}

static char s_lower(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

bool sps_cursor_eq_ignore_case(struct sps_cursor a, struct sps_cursor b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++) {
        if (s_lower(a.ptr[i]) != s_lower(b.ptr[i]))
            return false;
    }
    return true;
}

bool sps_cursor_starts_with(struct sps_cursor c, struct sps_cursor prefix)
{
    return c.len >= prefix.len && sps_cursor_eq(sps_cursor_sub(c, 0, prefix.len), prefix);
}

bool sps_cursor_ends_with(struct sps_cursor c, struct sps_cursor suffix)
{
    return c.len >= suffix.len &&
           sps_cursor_eq(sps_cursor_sub(c, c.len - suffix.len, suffix.len), suffix);
}

static bool s_is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

struct sps_cursor sps_cursor_trim(struct sps_cursor c)
{
    while (c.len && s_is_space(c.ptr[0])) {
        c.ptr++;
        c.len--;
    }
    while (c.len && s_is_space(c.ptr[c.len - 1]))
        c.len--;
    return c;
}

long sps_cursor_find_char(struct sps_cursor c, char ch)
{
    const char *hit = c.len ? memchr(c.ptr, ch, c.len) : NULL;
    return hit ? (long)(hit - c.ptr) : -1;
}

bool sps_cursor_split(struct sps_cursor *c, char sep, struct sps_cursor *head)
{
    long at = sps_cursor_find_char(*c, sep);
    if (at < 0) {
        *head = *c;
        *c = (struct sps_cursor){c->ptr + c->len, 0};
        return false;
    }
    *head = sps_cursor_sub(*c, 0, (size_t)at);
    *c = sps_cursor_sub(*c, (size_t)at + 1, c->len - (size_t)at - 1);
    return true;
}

struct sps_cursor sps_cursor_sub(struct sps_cursor c, size_t start, size_t len)
{
    if (start > c.len)
        start = c.len;
    if (len > c.len - start)
        len = c.len - start;
    return (struct sps_cursor){c.ptr + start, len};
}

sps_err sps_cursor_to_u64(struct sps_cursor c, uint64_t *out)
{
    if (c.len == 0 || c.len > 20)
        return SPS_ERR_PARSE_NUMBER;
    uint64_t value = 0;
    for (size_t i = 0; i < c.len; i++) {
        if (c.ptr[i] < '0' || c.ptr[i] > '9')
            return SPS_ERR_PARSE_NUMBER;
        uint64_t digit = (uint64_t)(c.ptr[i] - '0');
        if (value > (UINT64_MAX - digit) / 10)
            return SPS_ERR_PARSE_NUMBER;
        value = value * 10 + digit;
    }
    *out = value;
    return SPS_OK;
}

sps_err sps_cursor_to_i64(struct sps_cursor c, int64_t *out)
{
    bool negative = c.len > 0 && c.ptr[0] == '-';
    uint64_t magnitude;
    SPS_TRY(sps_cursor_to_u64(negative ? sps_cursor_sub(c, 1, c.len) : c, &magnitude));
    if (magnitude > (uint64_t)INT64_MAX + (negative ? 1u : 0u))
        return SPS_ERR_PARSE_NUMBER;
    *out = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
    return SPS_OK;
}

sps_err sps_cursor_to_double(struct sps_cursor c, double *out)
{
    char tmp[64];
    if (c.len == 0 || c.len >= sizeof(tmp))
        return SPS_ERR_PARSE_NUMBER;
    for (size_t i = 0; i < c.len; i++) {
        char ch = c.ptr[i];
        if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' ||
              ch == 'E'))
            return SPS_ERR_PARSE_NUMBER; /* rules out inf, nan, hex floats and white space */
    }
    memcpy(tmp, c.ptr, c.len);
    tmp[c.len] = '\0';
    char *end = NULL;
    errno = 0;
    double value = strtod(tmp, &end);
    if (end != tmp + c.len || errno == ERANGE || !isfinite(value))
        return SPS_ERR_PARSE_NUMBER;
    *out = value;
    return SPS_OK;
}

char *sps_cursor_dup(struct sps_cursor c)
{
    return sps_strndup(c.ptr, c.len);
}
