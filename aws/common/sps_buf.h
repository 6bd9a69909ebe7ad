/*
 * Strings. `struct sps_buf` owns its bytes: always NUL-terminated, grows up to a hard size limit,
 * and keeps the first error (sticky) so a sequence of appends can be checked once at the end.
 * `struct sps_cursor` is a non-owning view (pointer + length) into someone else's bytes; it is
 * never NUL-terminated by contract.
 */
#ifndef SPS_BUF_H
#define SPS_BUF_H

#include "sps_error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sps_cursor {
    const char *ptr;
    size_t len;
};

#define SPS_CURSOR_LIT(lit) ((struct sps_cursor){(lit), sizeof(lit) - 1})
#define SPS_CURSOR_EMPTY ((struct sps_cursor){"", 0})
/* For printf: printf("%.*s", SPS_CURSOR_PRI(c)). */
#define SPS_CURSOR_PRI(c) (int)(c).len, (c).ptr

struct sps_cursor sps_cursor_from_str(const char *s); /* NULL gives an empty cursor */
struct sps_cursor sps_cursor_from_mem(const void *ptr, size_t len);
bool sps_cursor_eq(struct sps_cursor a, struct sps_cursor b);
bool sps_cursor_eq_str(struct sps_cursor a, const char *s);
bool sps_cursor_eq_ignore_case(struct sps_cursor a, struct sps_cursor b);
bool sps_cursor_starts_with(struct sps_cursor c, struct sps_cursor prefix);
bool sps_cursor_ends_with(struct sps_cursor c, struct sps_cursor suffix);
struct sps_cursor sps_cursor_trim(struct sps_cursor c); /* ASCII white space, both ends */
/* Index of the first `ch`, or -1. */
long sps_cursor_find_char(struct sps_cursor c, char ch);
/* Splits at the first `sep`: `head` before it, `c` advanced past it. Returns false (and `head` =
 * all of `c`, `c` emptied) when there is no separator left. Use in a loop over tokens. */
bool sps_cursor_split(struct sps_cursor *c, char sep, struct sps_cursor *head);
struct sps_cursor sps_cursor_sub(struct sps_cursor c, size_t start, size_t len);
/* Strict decimal parse of the whole cursor; no sign, no white space, no overflow. */
SPS_NODISCARD sps_err sps_cursor_to_u64(struct sps_cursor c, uint64_t *out);
SPS_NODISCARD sps_err sps_cursor_to_i64(struct sps_cursor c, int64_t *out);
/* Decimal number such as "0.0961" or "12"; rejects empty, trailing junk, inf and nan. */
SPS_NODISCARD sps_err sps_cursor_to_double(struct sps_cursor c, double *out);
/* A NUL-terminated copy from sps_malloc; the caller frees it with sps_free. */
char *sps_cursor_dup(struct sps_cursor c);

/* Default limit for a buffer: generous for AWS responses, small enough to bound memory. */
#define SPS_BUF_DEFAULT_MAX ((size_t)64 * 1024 * 1024)

struct sps_buf {
    char *data; /* NUL-terminated; never NULL after init */
    size_t len;
    size_t cap;
    size_t max; /* hard limit on len */
    sps_err err; /* first failure, sticky until reset */
};

void sps_buf_init(struct sps_buf *buf, size_t max);
void sps_buf_clean_up(struct sps_buf *buf); /* NULL-safe; leaves an empty, usable buffer */
void sps_buf_reset(struct sps_buf *buf);    /* len = 0 and err cleared; keeps memory */
sps_err sps_buf_append(struct sps_buf *buf, const void *ptr, size_t len);
sps_err sps_buf_append_str(struct sps_buf *buf, const char *s);
sps_err sps_buf_append_cursor(struct sps_buf *buf, struct sps_cursor c);
sps_err sps_buf_append_char(struct sps_buf *buf, char ch);
sps_err sps_buf_printf(struct sps_buf *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
sps_err sps_buf_append_hex(struct sps_buf *buf, const uint8_t *bytes, size_t len);
sps_err sps_buf_set(struct sps_buf *buf, struct sps_cursor c); /* reset + append */
struct sps_cursor sps_buf_cursor(const struct sps_buf *buf);
/* Hands the bytes to the caller (free with sps_free) and leaves the buffer empty. */
char *sps_buf_take(struct sps_buf *buf);

/* Reads a whole file into `out` (reset first); fails with SPS_ERR_LIMIT_EXCEEDED past out->max. */
SPS_NODISCARD sps_err sps_file_read(struct sps_buf *out, const char *path);

#endif
