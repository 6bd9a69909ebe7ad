/*
 * A small parser for the AWS shared config and credentials files (INI as botocore's
 * configparser reads them): `[section]` headers, `key = value` (or `key: value`) lines, full-line
 * comments starting with `#` or `;`, and indented `key = value` lines under a key with an empty
 * value (sub-sections such as `s3 =\n  max_concurrent_requests = 10`), which are parsed and
 * ignored. Keys are case-insensitive (stored lower-case); section names are kept as written.
 * A repeated section merges into the first; a repeated key keeps the last value.
 * Used by the credentials code and by the engine's config file.
 */
#ifndef SPS_AWS_INI_H
#define SPS_AWS_INI_H

#include "sps_common.h"

/* Files larger than this are refused: a config file is a few kilobytes. */
#define SPS_INI_MAX_BYTES ((size_t)4 * 1024 * 1024)

struct sps_ini_pair {
    char *key;
    char *value;
};

struct sps_ini_section {
    char *name;
    struct sps_ini_pair *pairs;
    size_t count;
    size_t cap;
};

struct sps_ini {
    struct sps_ini_section *sections;
    size_t count;
    size_t cap;
};

void sps_ini_init(struct sps_ini *ini);
void sps_ini_clean_up(struct sps_ini *ini); /* NULL-safe; leaves an empty, usable ini */

/* Parses `text` into `ini` (which may already hold sections: they merge). On a malformed line
 * fails with SPS_ERR_CONFIG and writes "<source>:<line>: <what is wrong>" to `detail` (may be
 * NULL). */
SPS_NODISCARD sps_err sps_ini_parse(struct sps_ini *ini, struct sps_cursor text, const char *source,
                                    struct sps_buf *detail);
/* Reads and parses a file. SPS_ERR_NOT_FOUND when it does not exist (nothing in `detail`). */
SPS_NODISCARD sps_err sps_ini_load(struct sps_ini *ini, const char *path, struct sps_buf *detail);

/* The section of that exact name, or NULL. */
const struct sps_ini_section *sps_ini_find(const struct sps_ini *ini, const char *name);
/* The value of `key` (any case) in the section, or NULL; NULL-safe on `section`. */
const char *sps_ini_get(const struct sps_ini_section *section, const char *key);

#endif
