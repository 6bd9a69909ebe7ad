/*
 * spotswap's configuration: the options of sps_engine_config_list.h read, lowest to highest
 * precedence, from their defaults, the config file, the SPOTSWAP_* environment and the command
 * line; then refined per AutoScaling group by its `spotswap:*` tags. Every value is parsed
 * strictly; every error is one line naming where the value came from, the option and the reason.
 * Pure code: no I/O but reading the config file.
 */
#ifndef SPS_ENGINE_CONFIG_H
#define SPS_ENGINE_CONFIG_H

#include "sps_aws_types.h"
#include "sps_common.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum sps_engine_mode { SPS_ENGINE_MODE_OPT_IN, SPS_ENGINE_MODE_OPT_OUT };
enum sps_engine_output { SPS_ENGINE_OUTPUT_TEXT, SPS_ENGINE_OUTPUT_JSON };
enum sps_engine_burstable {
    SPS_ENGINE_BURSTABLE_LIKE_ORIGINAL,
    SPS_ENGINE_BURSTABLE_NEVER,
    SPS_ENGINE_BURSTABLE_ALWAYS,
};
enum sps_engine_rebalance { SPS_ENGINE_REBALANCE_IGNORE, SPS_ENGINE_REBALANCE_REPLACE };

/* A per-run limit: either `automatic` (derived from the group's size) or a fixed `value`. */
struct sps_engine_limit {
    bool automatic;
    int64_t value; /* meaningful when !automatic; >= 1 */
};

/* The C type each option kind is stored as. */
#define SPS_OPT_CTYPE_BOOL bool
#define SPS_OPT_CTYPE_INT int64_t
#define SPS_OPT_CTYPE_FRACTION double
#define SPS_OPT_CTYPE_RATIO double
#define SPS_OPT_CTYPE_LIMIT struct sps_engine_limit
#define SPS_OPT_CTYPE_REGIONS struct sps_aws_strings
#define SPS_OPT_CTYPE_GLOBS struct sps_aws_strings
#define SPS_OPT_CTYPE_ROLE_ARNS struct sps_aws_strings
#define SPS_OPT_CTYPE_TAG_FILTERS struct sps_aws_tags
#define SPS_OPT_CTYPE_TAG struct sps_aws_tags
#define SPS_OPT_CTYPE_EXTERNAL_ID char *
#define SPS_OPT_CTYPE_SESSION_NAME char *
#define SPS_OPT_CTYPE_PATH char *
#define SPS_OPT_CTYPE_MODE enum sps_engine_mode
#define SPS_OPT_CTYPE_OUTPUT enum sps_engine_output
#define SPS_OPT_CTYPE_LOG_LEVEL enum sps_log_level
#define SPS_OPT_CTYPE_BURSTABLE enum sps_engine_burstable
#define SPS_OPT_CTYPE_REBALANCE enum sps_engine_rebalance

/* One field per option, named by its config-file key; lists own their strings. */
struct sps_engine_config {
#define SPS_OPTION(key, env, flag, kind, min, max, def, doc) SPS_OPT_CTYPE_##kind key;
#include "sps_engine_config_list.h"
#undef SPS_OPTION
    char *config_file; /* the file that was read, or NULL */
    bool help;         /* --help/-h was given: print sps_engine_config_usage and stop */
};

/* The kinds of sps_engine_config_list.h, for enumeration. */
enum sps_engine_option_kind {
    SPS_OPT_KIND_BOOL,
    SPS_OPT_KIND_INT,
    SPS_OPT_KIND_FRACTION,
    SPS_OPT_KIND_RATIO,
    SPS_OPT_KIND_LIMIT,
    SPS_OPT_KIND_REGIONS,
    SPS_OPT_KIND_GLOBS,
    SPS_OPT_KIND_ROLE_ARNS,
    SPS_OPT_KIND_TAG_FILTERS,
    SPS_OPT_KIND_TAG,
    SPS_OPT_KIND_EXTERNAL_ID,
    SPS_OPT_KIND_SESSION_NAME,
    SPS_OPT_KIND_PATH,
    SPS_OPT_KIND_MODE,
    SPS_OPT_KIND_OUTPUT,
    SPS_OPT_KIND_LOG_LEVEL,
    SPS_OPT_KIND_BURSTABLE,
    SPS_OPT_KIND_REBALANCE,
};

/* One row of the option table (static storage). */
struct sps_engine_option {
    const char *key;  /* config-file key, e.g. "min_on_demand_number" */
    const char *env;  /* "SPOTSWAP_MIN_ON_DEMAND_NUMBER" */
    const char *flag; /* "--min-on-demand-number" */
    enum sps_engine_option_kind kind;
    const char *type_name;    /* "integer", "bool", "list of regions", ... (range in min/max) */
    int64_t min, max;         /* INT and LIMIT only */
    const char *default_text; /* as a user would write it; "" for an empty list */
    const char *doc;
    size_t offset; /* of the field in struct sps_engine_config */
};

size_t sps_engine_option_count(void);
const struct sps_engine_option *sps_engine_option_at(size_t index); /* NULL past the end */
/* By config-file key (exact, lower case); NULL when unknown. */
const struct sps_engine_option *sps_engine_option_find_key(const char *key);

/* The defaults. clean_up is NULL-safe and leaves a config that init may reuse. */
void sps_engine_config_init(struct sps_engine_config *cfg);
void sps_engine_config_clean_up(struct sps_engine_config *cfg);

/* Parses `text` as a value of `opt` into `field`, which has the option's C type (a field of
 * struct sps_engine_config or sps_engine_group_policy); the old value is released only on
 * success. On failure SPS_ERR_CONFIG and the reason alone (no option name) in `reason`. */
SPS_NODISCARD sps_err sps_engine_option_parse(const struct sps_engine_option *opt, const char *text,
                                              void *field, struct sps_buf *reason);

/* Parses `text` as the value of `opt` into `cfg`, replacing the previous value. `where` names the
 * source ("spotswap.conf:4", "SPOTSWAP_MODE", "--mode"); on failure SPS_ERR_CONFIG and `error`
 * holds "<where>: <key>: <reason>" (the previous value is kept). */
SPS_NODISCARD sps_err sps_engine_config_set(struct sps_engine_config *cfg,
                                            const struct sps_engine_option *opt, const char *text,
                                            const char *where, struct sps_buf *error);

/* Checks that hold across options (opt-in mode needs at least one tag filter). */
SPS_NODISCARD sps_err sps_engine_config_validate(const struct sps_engine_config *cfg,
                                                 struct sps_buf *error);

/* Reads a config file of `key = value` lines, optionally under a `[spotswap]` header, into `cfg`
 * (on top of what it holds). Unknown keys and other sections are errors naming file and line. */
SPS_NODISCARD sps_err sps_engine_config_read_file(struct sps_engine_config *cfg, const char *path,
                                                  struct sps_buf *error);
/* The same from text already in memory; `source` names it in errors. */
SPS_NODISCARD sps_err sps_engine_config_read_text(struct sps_engine_config *cfg,
                                                  struct sps_cursor text, const char *source,
                                                  struct sps_buf *error);

/* Applies every option's SPOTSWAP_* variable that `env` has set. When `environ_entries` (NAME=VALUE
 * entries, NULL-terminated; may be NULL) holds SPOTSWAP_* names that are no setting, a line per
 * name goes to `warnings` (may be NULL): the environment is shared, so they are not fatal. */
SPS_NODISCARD sps_err sps_engine_config_read_env(struct sps_engine_config *cfg,
                                                 const struct sps_env *env,
                                                 char *const *environ_entries,
                                                 struct sps_buf *warnings, struct sps_buf *error);

/* Applies the command-line arguments (those after `run`): `--<flag> VALUE`, `--<flag>=VALUE`,
 * `--region R` (repeatable; the first replaces lower sources' regions, and any after
 * `--regions` add to it), bool flags alone mean
 * true, `--config FILE` (handled by load; skipped here), `--help`. */
SPS_NODISCARD sps_err sps_engine_config_read_args(struct sps_engine_config *cfg, int argc,
                                                  char **argv, struct sps_buf *error);

/* Everything, in order: defaults, config file (--config or SPOTSWAP_CONFIG), environment,
 * command line, cross-option validation. `out` is initialized here and must be cleaned up by the
 * caller on success or failure. */
struct sps_engine_config_input {
    int argc;
    char **argv;                  /* the arguments after the command name */
    const struct sps_env *env;    /* variables are read through this */
    char *const *environ_entries; /* scanned for unknown SPOTSWAP_* names; may be NULL */
};
SPS_NODISCARD sps_err sps_engine_config_load(struct sps_engine_config *out,
                                             const struct sps_engine_config_input *in,
                                             struct sps_buf *warnings, struct sps_buf *error);

/* `spotswap run` help, generated from the option table. */
void sps_engine_config_usage(FILE *out);

/* ---- groups ---- */

/* `*` matches any run of characters (also none), `?` exactly one; everything else itself. */
bool sps_engine_glob_match(const char *pattern, const char *text);
/* Whether a group with these tags is selected by the mode and filters (spotswap:enabled aside). */
bool sps_engine_tags_match_filters(const struct sps_engine_config *cfg,
                                   const struct sps_aws_tags *tags);

/* The groups a pass reads in full (a struct sps_engine_selection callback; `cfg` is a
 * const struct sps_engine_config *): those the tag filters or the opt-out rule select, and those
 * carrying spotswap:enabled with any value, so the planner can apply the tag (or report why it
 * cannot: an invalid value skips that group with a reason). */
bool sps_engine_config_selects_group(void *cfg, const struct sps_aws_tags *tags);

/* What the engine does with one group: the global settings refined by the group's tags. */
struct sps_engine_group_policy {
    bool enabled;     /* selected by the filters, or forced by spotswap:enabled */
    bool report_only; /* the global value or the tag; a global true always wins */
    int64_t min_on_demand_number;
    int64_t min_on_demand_percentage;
    struct sps_aws_strings allowed_instance_types;
    struct sps_aws_strings disallowed_instance_types;
    struct sps_engine_limit max_replacements_per_run;
};

void sps_engine_group_policy_init(struct sps_engine_group_policy *p);
void sps_engine_group_policy_clean_up(struct sps_engine_group_policy *p); /* NULL-safe */

/* Fills `out` (initialized by the caller) from `cfg` and the group's `spotswap:*` tags. An
 * invalid tag value fails with SPS_ERR_CONFIG and "group <name> tag <tag>: <key>: <reason>" in
 * `error`: the caller skips that group only. Unknown spotswap:* tags are ignored. */
SPS_NODISCARD sps_err sps_engine_group_policy_resolve(const struct sps_engine_config *cfg,
                                                      const char *group_name,
                                                      const struct sps_aws_tags *tags,
                                                      struct sps_engine_group_policy *out,
                                                      struct sps_buf *error);

/* The `spotswap:*` tags a group may carry, for docs and template checks: the tag and the option
 * key it overrides (NULL for spotswap:enabled, which is no global option). False past the end. */
bool sps_engine_group_tag_at(size_t index, const char **tag, const char **key);

/* The replacements allowed this run for a group of `group_size` instances. */
int64_t sps_engine_limit_for_group(struct sps_engine_limit limit, int64_t group_size);
/* The on-demand floor: the larger of the number and ceil(percentage * size / 100), capped at
 * the group size. */
int64_t sps_engine_on_demand_floor(const struct sps_engine_group_policy *p, int64_t group_size);

#endif
