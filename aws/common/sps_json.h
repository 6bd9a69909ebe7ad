/*
 * Writing JSON into a buffer, for the modules that must not include jansson (engine/): reports,
 * Lambda responses. Commas are placed automatically; strings are escaped; non-finite numbers
 * are written as null (JSON has no NaN), which is how "unknown" prices appear.
 */
#ifndef SPS_JSON_H
#define SPS_JSON_H

#include "sps_buf.h"

#define SPS_JSON_MAX_DEPTH 32

struct sps_json_writer {
    struct sps_buf *out;
    int depth;
    bool need_comma[SPS_JSON_MAX_DEPTH];
    bool after_key;
};

void sps_json_writer_init(struct sps_json_writer *w, struct sps_buf *out);
void sps_json_object_begin(struct sps_json_writer *w);
void sps_json_object_end(struct sps_json_writer *w);
void sps_json_array_begin(struct sps_json_writer *w);
void sps_json_array_end(struct sps_json_writer *w);
void sps_json_key(struct sps_json_writer *w, const char *key);
void sps_json_string(struct sps_json_writer *w, const char *value); /* NULL writes null */
void sps_json_number(struct sps_json_writer *w, double value);      /* non-finite: null */
void sps_json_int(struct sps_json_writer *w, int64_t value);
void sps_json_bool(struct sps_json_writer *w, bool value);
void sps_json_null(struct sps_json_writer *w);
/* SPS_OK, or the buffer's error, or SPS_ERR_INVALID_ARGUMENT for unbalanced nesting. */
SPS_NODISCARD sps_err sps_json_writer_finish(const struct sps_json_writer *w);

/* Appends `value` as a JSON string literal (quotes included). */
sps_err sps_json_append_string(struct sps_buf *out, const char *value);

#endif
