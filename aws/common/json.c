/* The JSON writer behind sps_json.h. */
#include "sps_json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void sps_json_writer_init(struct sps_json_writer *w, struct sps_buf *out)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
}

/* Before any value: a comma when the container already holds one (unless after a key). */
static void s_value_prefix(struct sps_json_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0 && w->depth < SPS_JSON_MAX_DEPTH) {
        if (w->need_comma[w->depth])
            sps_buf_append_char(w->out, ',');
        w->need_comma[w->depth] = true;
    }
}

static void s_open(struct sps_json_writer *w, char ch)
{
    s_value_prefix(w);
    sps_buf_append_char(w->out, ch);
    w->depth++;
    if (w->depth < SPS_JSON_MAX_DEPTH)
        w->need_comma[w->depth] = false;
    else if (w->out->err == SPS_OK)
        w->out->err = SPS_ERR_LIMIT_EXCEEDED;
}

static void s_close(struct sps_json_writer *w, char ch)
{
    if (w->depth <= 0) {
        if (w->out->err == SPS_OK)
            w->out->err = SPS_ERR_INVALID_ARGUMENT;
        return;
    }
    sps_buf_append_char(w->out, ch);
    w->depth--;
}

void sps_json_object_begin(struct sps_json_writer *w)
{
    s_open(w, '{');
}

void sps_json_object_end(struct sps_json_writer *w)
{
    s_close(w, '}');
}

void sps_json_array_begin(struct sps_json_writer *w)
{
    s_open(w, '[');
}

void sps_json_array_end(struct sps_json_writer *w)
{
    s_close(w, ']');
}

sps_err sps_json_append_string(struct sps_buf *out, const char *value)
{
    sps_buf_append_char(out, '"');
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        switch (*p) {
        case '"':
            sps_buf_append_str(out, "\\\"");
            break;
        case '\\':
            sps_buf_append_str(out, "\\\\");
            break;
        case '\n':
            sps_buf_append_str(out, "\\n");
            break;
        case '\r':
            sps_buf_append_str(out, "\\r");
            break;
        case '\t':
            sps_buf_append_str(out, "\\t");
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                sps_buf_printf(out, "\\u%04x", *p);
            else
                sps_buf_append_char(out, (char)*p);
        }
    }
    return sps_buf_append_char(out, '"');
}

void sps_json_key(struct sps_json_writer *w, const char *key)
{
    s_value_prefix(w);
    sps_json_append_string(w->out, key);
    sps_buf_append_char(w->out, ':');
    w->after_key = true;
}

void sps_json_string(struct sps_json_writer *w, const char *value)
{
    if (value == NULL) {
        sps_json_null(w);
        return;
    }
    s_value_prefix(w);
    sps_json_append_string(w->out, value);
}

void sps_json_number(struct sps_json_writer *w, double value)
{
    if (!isfinite(value)) {
        sps_json_null(w);
        return;
    }
    s_value_prefix(w);
    /* %.10g keeps prices exact to a tenth of a micro-dollar without trailing noise; a ".0" on
     * integral values keeps them reals for readers that tell reals from integers (jansson). */
    char text[64];
    int n = snprintf(text, sizeof(text), "%.10g", value);
    sps_buf_append_str(w->out, text);
    if (n > 0 && strpbrk(text, ".eEn") == NULL)
        sps_buf_append_str(w->out, ".0");
}

void sps_json_int(struct sps_json_writer *w, int64_t value)
{
    s_value_prefix(w);
    sps_buf_printf(w->out, "%" PRId64, value);
}

void sps_json_bool(struct sps_json_writer *w, bool value)
{
    s_value_prefix(w);
    sps_buf_append_str(w->out, value ? "true" : "false");
}

void sps_json_null(struct sps_json_writer *w)
{
    s_value_prefix(w);
    sps_buf_append_str(w->out, "null");
}

sps_err sps_json_writer_finish(const struct sps_json_writer *w)
{
    if (w->out->err != SPS_OK)
        return w->out->err;
    return w->depth == 0 && !w->after_key ? SPS_OK : SPS_ERR_INVALID_ARGUMENT;
}
