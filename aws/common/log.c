/* The JSON-lines logger and its redaction rules. */
#include "sps_alloc.h"
#include "sps_log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define S_MAX_SECRETS 64
#define S_MASK "[REDACTED]"

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static enum sps_log_level s_level = SPS_LOG_INFO;
static const struct sps_log_sink *s_sink;
static const struct sps_clock *s_clock;
static char *s_secrets[S_MAX_SECRETS];
static size_t s_secret_count;

#define S_MAX_CONTEXT 4
static char *s_context_keys[S_MAX_CONTEXT];
static char *s_context_values[S_MAX_CONTEXT];
static size_t s_context_count;

static const char *const s_level_names[] = {"trace", "debug", "info", "warn", "error", "off"};

void sps_log_set_level(enum sps_log_level level)
{
    s_level = level;
}

bool sps_log_enabled(enum sps_log_level level)
{
    return level >= s_level && level < SPS_LOG_OFF;
}

sps_err sps_log_level_parse(const char *text, enum sps_log_level *out)
{
    struct sps_cursor c = sps_cursor_from_str(text);
    for (int i = SPS_LOG_TRACE; i <= SPS_LOG_OFF; i++) {
        if (sps_cursor_eq_ignore_case(c, sps_cursor_from_str(s_level_names[i]))) {
            *out = (enum sps_log_level)i;
            return SPS_OK;
        }
    }
    return SPS_ERR_INVALID_ARGUMENT;
}

void sps_log_set_sink(const struct sps_log_sink *sink)
{
    s_sink = sink;
}

void sps_log_set_clock(const struct sps_clock *clock)
{
    s_clock = clock;
}

void sps_log_set_context(const char *key, const char *value)
{
    if (key == NULL)
        return;
    pthread_mutex_lock(&s_lock);
    size_t i = 0;
    while (i < s_context_count && strcmp(s_context_keys[i], key) != 0)
        i++;
    if (i < s_context_count) {
        sps_free(s_context_values[i]);
        if (value) {
            s_context_values[i] = sps_strdup(value);
        } else {
            sps_free(s_context_keys[i]);
            s_context_count--;
            s_context_keys[i] = s_context_keys[s_context_count];
            s_context_values[i] = s_context_values[s_context_count];
        }
    } else if (value && s_context_count < S_MAX_CONTEXT) {
        s_context_keys[s_context_count] = sps_strdup(key);
        s_context_values[s_context_count++] = sps_strdup(value);
    }
    pthread_mutex_unlock(&s_lock);
}

void sps_log_clear_context(void)
{
    pthread_mutex_lock(&s_lock);
    for (size_t i = 0; i < s_context_count; i++) {
        sps_free(s_context_keys[i]);
        sps_free(s_context_values[i]);
    }
    s_context_count = 0;
    pthread_mutex_unlock(&s_lock);
}

void sps_log_add_secret(const char *value)
{
    if (value == NULL || strlen(value) < 8)
        return;
    pthread_mutex_lock(&s_lock);
    bool known = false;
    for (size_t i = 0; i < s_secret_count && !known; i++)
        known = strcmp(s_secrets[i], value) == 0;
    if (!known) {
        /* When full, forget the oldest: recent credentials are the ones still in use. */
        if (s_secret_count == S_MAX_SECRETS) {
            sps_free(s_secrets[0]);
            memmove(s_secrets, s_secrets + 1, sizeof(s_secrets[0]) * (S_MAX_SECRETS - 1));
            s_secret_count--;
        }
        s_secrets[s_secret_count++] = sps_strdup(value);
    }
    pthread_mutex_unlock(&s_lock);
}

void sps_log_clear_secrets(void)
{
    pthread_mutex_lock(&s_lock);
    for (size_t i = 0; i < s_secret_count; i++)
        sps_free(s_secrets[i]);
    s_secret_count = 0;
    pthread_mutex_unlock(&s_lock);
}

static bool s_sensitive_key(const char *key)
{
    static const char *const words[] = {"secret", "token", "password", "authorization",
                                        "signature", "credential"};
    if (key == NULL)
        return false;
    struct sps_cursor k = sps_cursor_from_str(key);
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        struct sps_cursor w = sps_cursor_from_str(words[i]);
        for (size_t at = 0; at + w.len <= k.len; at++) {
            if (sps_cursor_eq_ignore_case(sps_cursor_sub(k, at, w.len), w))
                return true;
        }
    }
    return false;
}

static bool s_upper_alnum(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* Length of an access key ID starting at p (AKIA/ASIA/AKID + at least 12 of [A-Z0-9]), or 0. */
static size_t s_access_key_at(const char *p, size_t left)
{
    static const char *const prefixes[] = {"AKIA", "ASIA", "AKID"};
    if (left < 16)
        return 0;
    bool prefixed = false;
    for (size_t i = 0; i < 3 && !prefixed; i++)
        prefixed = memcmp(p, prefixes[i], 4) == 0;
    if (!prefixed)
        return 0;
    size_t n = 4;
    while (n < left && s_upper_alnum(p[n]))
        n++;
    return n >= 16 ? n : 0;
}

/* Markers after which the rest of a token is a secret: "Signature=abc", "Authorization: AWS4…". */
static size_t s_marker_at(const char *p, size_t left)
{
    static const char *const markers[] = {"Signature=", "X-Amz-Security-Token=",
                                          "X-Amz-Security-Token: ", "x-amz-security-token:",
                                          "Authorization: ", "authorization:"};
    for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
        size_t n = strlen(markers[i]);
        if (left >= n && memcmp(p, markers[i], n) == 0)
            return n;
    }
    return 0;
}

static size_t s_secret_at(const char *p, size_t left)
{
    for (size_t i = 0; i < s_secret_count; i++) {
        size_t n = strlen(s_secrets[i]);
        if (left >= n && memcmp(p, s_secrets[i], n) == 0)
            return n;
    }
    return 0;
}

/* Caller holds s_lock. */
static sps_err s_redact_locked(struct sps_buf *out, const char *key, const char *value)
{
    if (s_sensitive_key(key))
        return sps_buf_append_str(out, S_MASK);
    size_t len = strlen(value);
    for (size_t i = 0; i < len;) {
        size_t n = s_secret_at(value + i, len - i);
        if (n) {
            sps_buf_append_str(out, S_MASK);
            i += n;
        } else if ((n = s_access_key_at(value + i, len - i)) != 0) {
            sps_buf_append(out, value + i, 4);
            sps_buf_append_str(out, "****");
            i += n;
        } else if ((n = s_marker_at(value + i, len - i)) != 0) {
            /* Mask up to the end of the line: an Authorization value holds spaces and commas. */
            sps_buf_append(out, value + i, n);
            sps_buf_append_str(out, S_MASK);
            i += n;
            while (i < len && value[i] != '\n' && value[i] != '&' && value[i] != '"')
                i++;
        } else {
            sps_buf_append_char(out, value[i++]);
        }
    }
    return out->err;
}

sps_err sps_log_redact(struct sps_buf *out, const char *key, const char *value)
{
    pthread_mutex_lock(&s_lock);
    sps_err err = s_redact_locked(out, key, value ? value : "");
    pthread_mutex_unlock(&s_lock);
    return err;
}

static void s_json_string(struct sps_buf *out, const char *s)
{
    sps_buf_append_char(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            sps_buf_append_char(out, '\\');
            sps_buf_append_char(out, (char)*p);
        } else if (*p == '\n') {
            sps_buf_append_str(out, "\\n");
        } else if (*p < 0x20 || *p == 0x7f) {
            sps_buf_printf(out, "\\u%04x", *p);
        } else {
            sps_buf_append_char(out, (char)*p);
        }
    }
    sps_buf_append_char(out, '"');
}

static void s_field(struct sps_buf *line, struct sps_buf *scratch, const char *key,
                    const char *value)
{
    sps_buf_reset(scratch);
    s_redact_locked(scratch, key, value ? value : "");
    sps_buf_append_char(line, ',');
    s_json_string(line, key);
    sps_buf_append_char(line, ':');
    s_json_string(line, scratch->data);
}

static void s_emit(const struct sps_buf *line)
{
    if (s_sink) {
        s_sink->write(s_sink->ctx, line->data, line->len);
    } else {
        fwrite(line->data, 1, line->len, stderr);
        fflush(stderr);
    }
}

void sps_log(enum sps_log_level level, const char *msg, ...)
{
    if (!sps_log_enabled(level))
        return;
    struct sps_buf line, scratch;
    sps_buf_init(&line, 256 * 1024);
    sps_buf_init(&scratch, 256 * 1024);
    const struct sps_clock *clock = s_clock ? s_clock : sps_clock_system();
    pthread_mutex_lock(&s_lock);
    sps_buf_append_str(&line, "{\"time\":\"");
    sps_time_format_iso8601(&line, clock->wall_ms(clock->ctx));
    sps_buf_printf(&line, "\",\"level\":\"%s\"", s_level_names[level]);
    s_field(&line, &scratch, "msg", msg);
    for (size_t i = 0; i < s_context_count; i++)
        s_field(&line, &scratch, s_context_keys[i], s_context_values[i]);
    va_list ap;
    va_start(ap, msg);
    for (const char *key; (key = va_arg(ap, const char *)) != NULL;)
        s_field(&line, &scratch, key, va_arg(ap, const char *));
    va_end(ap);
    sps_buf_append_str(&line, "}\n");
    if (line.err == SPS_OK)
        s_emit(&line);
    pthread_mutex_unlock(&s_lock);
    sps_buf_clean_up(&line);
    sps_buf_clean_up(&scratch);
}
