/* The owning buffer: growth up to a hard limit, a sticky first error, always NUL-terminated. */
#include "sps_alloc.h"
#include "sps_buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char s_empty[1];

void sps_buf_init(struct sps_buf *buf, size_t max)
{
    buf->data = s_empty;
    buf->len = 0;
    buf->cap = 0;
    buf->max = max ? max : SPS_BUF_DEFAULT_MAX;
    buf->err = SPS_OK;
}

void sps_buf_clean_up(struct sps_buf *buf)
{
    if (buf == NULL)
        return;
    if (buf->cap)
        sps_free(buf->data);
    sps_buf_init(buf, buf->max);
}

void sps_buf_reset(struct sps_buf *buf)
{
    buf->len = 0;
    buf->err = SPS_OK;
    buf->data[0] = '\0';
}

static sps_err s_reserve(struct sps_buf *buf, size_t extra)
{
    if (buf->err != SPS_OK)
        return buf->err;
    if (extra > buf->max || buf->len > buf->max - extra) {
        buf->err = SPS_ERR_LIMIT_EXCEEDED;
        return buf->err;
    }
    size_t need = buf->len + extra + 1;
    if (need <= buf->cap)
        return SPS_OK;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (buf->cap == 0) {
        buf->data = sps_malloc(cap);
        buf->data[0] = '\0';
    } else {
        buf->data = sps_realloc(buf->data, cap);
    }
    buf->cap = cap;
    return SPS_OK;
}

sps_err sps_buf_append(struct sps_buf *buf, const void *ptr, size_t len)
{
    sps_err err = s_reserve(buf, len);
    if (err != SPS_OK)
        return err;
    if (len)
        memcpy(buf->data + buf->len, ptr, len);
    buf->len += len;
    if (buf->cap)
        buf->data[buf->len] = '\0';
    return SPS_OK;
}

sps_err sps_buf_append_str(struct sps_buf *buf, const char *s)
{
    return sps_buf_append(buf, s, s ? strlen(s) : 0);
}

sps_err sps_buf_append_cursor(struct sps_buf *buf, struct sps_cursor c)
{
    return sps_buf_append(buf, c.ptr, c.len);
}

sps_err sps_buf_append_char(struct sps_buf *buf, char ch)
{
    return sps_buf_append(buf, &ch, 1);
}

sps_err sps_buf_printf(struct sps_buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        if (buf->err == SPS_OK)
            buf->err = SPS_ERR_INVALID_ARGUMENT;
        return buf->err;
    }
    sps_err err = s_reserve(buf, (size_t)n);
    if (err != SPS_OK)
        return err;
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return SPS_OK;
}

sps_err sps_buf_append_hex(struct sps_buf *buf, const uint8_t *bytes, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        char pair[2] = {digits[bytes[i] >> 4], digits[bytes[i] & 0xf]};
        SPS_TRY(sps_buf_append(buf, pair, 2));
    }
    return buf->err;
}

sps_err sps_buf_set(struct sps_buf *buf, struct sps_cursor c)
{
    sps_buf_reset(buf);
    return sps_buf_append_cursor(buf, c);
}

struct sps_cursor sps_buf_cursor(const struct sps_buf *buf)
{
    return (struct sps_cursor){buf->data, buf->len};
}

char *sps_buf_take(struct sps_buf *buf)
{
    char *out = buf->cap ? buf->data : sps_strdup("");
    sps_buf_init(buf, buf->max);
    return out;
}

sps_err sps_file_read(struct sps_buf *out, const char *path)
{
    sps_buf_reset(out);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return errno == ENOENT ? SPS_ERR_NOT_FOUND : SPS_ERR_IO;
    char chunk[8192];
    size_t n;
    sps_err err = SPS_OK;
    while (err == SPS_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        err = sps_buf_append(out, chunk, n);
    if (err == SPS_OK && ferror(f))
        err = SPS_ERR_IO;
    fclose(f);
    return err;
}
