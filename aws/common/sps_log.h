/*
 * JSON-lines logging (one object per line, which CloudWatch Logs indexes field by field).
 *
 *   sps_log(SPS_LOG_INFO, "replacement launched", "group", name, "instance", id, NULL);
 *
 * Values are strings; the argument list ends with NULL. Secrets never reach the sink, at any
 * level: values under sensitive keys (secret, token, password, authorization, signature,
 * credential) are replaced, every value registered with sps_log_add_secret is scrubbed wherever
 * it appears, and access key IDs, `Signature=`, `X-Amz-Security-Token` and `Authorization`
 * header values are masked inside free text (debug traces of requests included).
 */
#ifndef SPS_LOG_H
#define SPS_LOG_H

#include "sps_sys.h"

#include <stdbool.h>
#include <stddef.h>

enum sps_log_level {
    SPS_LOG_TRACE,
    SPS_LOG_DEBUG,
    SPS_LOG_INFO,
    SPS_LOG_WARN,
    SPS_LOG_ERROR,
    SPS_LOG_OFF,
};

struct sps_log_sink {
    void (*write)(void *ctx, const char *line, size_t len); /* line ends with '\n' */
    void *ctx;
};

void sps_log(enum sps_log_level level, const char *msg, ...) __attribute__((sentinel));
bool sps_log_enabled(enum sps_log_level level);

void sps_log_set_level(enum sps_log_level level);
/* "trace", "debug", "info", "warn", "error", "off" (any case). */
SPS_NODISCARD sps_err sps_log_level_parse(const char *text, enum sps_log_level *out);
/* NULL restores the default sink, stderr. The sink must outlive its use. */
void sps_log_set_sink(const struct sps_log_sink *sink);
/* NULL restores the system clock (used for the "time" field). */
void sps_log_set_clock(const struct sps_clock *clock);

/* Context fields added to every later line after "msg" (e.g. the Lambda request id of the
 * invocation being served), until changed. Setting a key again replaces its value; a NULL value
 * removes the key; at most 4 keys (more are ignored). Copies key and value. */
void sps_log_set_context(const char *key, const char *value);
void sps_log_clear_context(void);

/* Scrub this exact value from every later line. Values shorter than 8 bytes are ignored (they
 * would mask ordinary words). Copies the value. */
void sps_log_add_secret(const char *value);
void sps_log_clear_secrets(void);

/* The redaction the logger applies to one value; exposed so tests and other writers (the
 * diagnostic command) can apply the same rules. `key` may be NULL. */
SPS_NODISCARD sps_err sps_log_redact(struct sps_buf *out, const char *key, const char *value);

#endif
