/*
 * The option table (expanded from sps_engine_config_list.h), the defaults, and the strict parser
 * of one option value: every source (file, environment, flag, group tag) goes through
 * sps_engine_option_parse, so a value means the same wherever it is written.
 */
#include "sps_aws_endpoint.h"
#include "sps_engine_config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the docs and --help call each kind. */
#define S_TYPE_BOOL "bool"
#define S_TYPE_INT "integer"
#define S_TYPE_FRACTION "fraction"
#define S_TYPE_RATIO "ratio"
#define S_TYPE_LIMIT "integer or auto"
#define S_TYPE_REGIONS "list of regions"
#define S_TYPE_GLOBS "list of patterns"
#define S_TYPE_ROLE_ARNS "list of role ARNs"
#define S_TYPE_TAG_FILTERS "list of key=value"
#define S_TYPE_TAG "key=value"
#define S_TYPE_EXTERNAL_ID "string"
#define S_TYPE_SESSION_NAME "string"
#define S_TYPE_PATH "path"
#define S_TYPE_MODE "opt-in|opt-out"
#define S_TYPE_OUTPUT "text|json"
#define S_TYPE_LOG_LEVEL "trace|debug|info|warn|error|off"
#define S_TYPE_BURSTABLE "like-original|never|always"
#define S_TYPE_REBALANCE "ignore|replace"

static const struct sps_engine_option s_options[] = {
#define SPS_OPTION(key, env, flag, kind, min, max, def, doc)                                       \
    {#key,          env,                                                                           \
     flag,          SPS_OPT_KIND_##kind,                                                           \
     S_TYPE_##kind, min,                                                                           \
     max,           def,                                                                           \
     doc,           offsetof(struct sps_engine_config, key)},
#include "sps_engine_config_list.h"
#undef SPS_OPTION
};

#define S_OPTION_COUNT (sizeof(s_options) / sizeof(s_options[0]))

size_t sps_engine_option_count(void)
{
    return S_OPTION_COUNT;
}

const struct sps_engine_option *sps_engine_option_at(size_t index)
{
    return index < S_OPTION_COUNT ? &s_options[index] : NULL;
}

const struct sps_engine_option *sps_engine_option_find_key(const char *key)
{
    for (size_t i = 0; key && i < S_OPTION_COUNT; i++) {
        if (strcmp(s_options[i].key, key) == 0)
            return &s_options[i];
    }
    return NULL;
}

/* ---- scalar parsers: each writes `out` only on success and explains a failure in `reason` ---- */

/* "'<text>' <why>" */
/* "'<text>' <why>", with control characters shown as \xHH so an error stays one line. */
static sps_err s_quote_fail(struct sps_buf *reason, struct sps_cursor text, const char *why)
{
    sps_buf_reset(reason);
    sps_buf_append_char(reason, '\'');
    for (size_t i = 0; i < text.len; i++) {
        unsigned char ch = (unsigned char)text.ptr[i];
        if (ch < 0x20 || ch == 0x7f)
            sps_buf_printf(reason, "\\x%02x", ch);
        else
            sps_buf_append_char(reason, (char)ch);
    }
    sps_buf_printf(reason, "' %s", why);
    return SPS_ERR_CONFIG;
}

static sps_err s_fail(struct sps_buf *reason, const char *text, const char *why)
{
    return s_quote_fail(reason, sps_cursor_from_str(text), why);
}

static sps_err s_parse_bool(const char *text, bool *out, struct sps_buf *reason)
{
    static const char *const yes[] = {"true", "yes", "1"}, *const no[] = {"false", "no", "0"};
    struct sps_cursor c = sps_cursor_from_str(text);
    for (size_t i = 0; i < 3; i++) {
        if (sps_cursor_eq_ignore_case(c, sps_cursor_from_str(yes[i]))) {
            *out = true;
            return SPS_OK;
        }
        if (sps_cursor_eq_ignore_case(c, sps_cursor_from_str(no[i]))) {
            *out = false;
            return SPS_OK;
        }
    }
    return s_fail(reason, text, "is not a boolean (true, false, yes, no, 1 or 0)");
}

static sps_err s_parse_int(const struct sps_engine_option *opt, const char *text, int64_t *out,
                           struct sps_buf *reason)
{
    int64_t v;
    if (sps_cursor_to_i64(sps_cursor_from_str(text), &v) != SPS_OK)
        return s_fail(reason, text, "is not a whole number");
    if (v < opt->min || v > opt->max) {
        sps_buf_reset(reason);
        char why[96];
        snprintf(why, sizeof(why), "is out of range %lld..%lld", (long long)opt->min,
                 (long long)opt->max);
        return s_fail(reason, text, why);
    }
    *out = v;
    return SPS_OK;
}

static sps_err s_parse_limit(const struct sps_engine_option *opt, const char *text,
                             struct sps_engine_limit *out, struct sps_buf *reason)
{
    if (sps_cursor_eq_ignore_case(sps_cursor_from_str(text), SPS_CURSOR_LIT("auto"))) {
        *out = (struct sps_engine_limit){.automatic = true, .value = 0};
        return SPS_OK;
    }
    int64_t v;
    if (sps_cursor_to_i64(sps_cursor_from_str(text), &v) != SPS_OK)
        return s_fail(reason, text, "is neither 'auto' nor a whole number");
    SPS_TRY(s_parse_int(opt, text, &v, reason));
    *out = (struct sps_engine_limit){.automatic = false, .value = v};
    return SPS_OK;
}

/* A decimal ("0.25") or a quotient of whole numbers ("1/3"). */
static sps_err s_parse_number(const char *text, double *out, struct sps_buf *reason)
{
    struct sps_cursor c = sps_cursor_from_str(text), num;
    if (sps_cursor_split(&c, '/', &num)) {
        uint64_t n, d;
        if (sps_cursor_to_u64(num, &n) != SPS_OK || sps_cursor_to_u64(c, &d) != SPS_OK || d == 0)
            return s_fail(reason, text, "is not a number or a fraction n/m with m > 0");
        *out = (double)n / (double)d;
        return SPS_OK;
    }
    if (sps_cursor_to_double(num, out) != SPS_OK)
        return s_fail(reason, text, "is not a number");
    return SPS_OK;
}

static sps_err s_parse_fraction(const char *text, double *out, struct sps_buf *reason)
{
    double v;
    SPS_TRY(s_parse_number(text, &v, reason));
    if (!(v > 0.0 && v <= 1.0))
        return s_fail(reason, text, "is not in 0 < f <= 1");
    *out = v;
    return SPS_OK;
}

static sps_err s_parse_ratio(const char *text, double *out, struct sps_buf *reason)
{
    double v;
    SPS_TRY(s_parse_number(text, &v, reason));
    if (!(v == 0.0 || (v >= 1.0 && v <= 1000.0)))
        return s_fail(reason, text, "is neither 0 (no ceiling) nor a ratio from 1 to 1000");
    *out = v;
    return SPS_OK;
}

static sps_err s_parse_enum(const char *text, const char *const *names, size_t n, int *out,
                            struct sps_buf *reason)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (int)i;
            return SPS_OK;
        }
    }
    struct sps_buf why;
    sps_buf_init(&why, 256);
    sps_buf_append_str(&why, "is not one of ");
    for (size_t i = 0; i < n; i++)
        sps_buf_printf(&why, "%s%s", i ? (i + 1 == n ? " or " : ", ") : "", names[i]);
    sps_err err = s_fail(reason, text, why.data);
    sps_buf_clean_up(&why);
    return err;
}

/* Accepts `text` when it is `min_len`..`max_len` characters of alphanumerics and `extra`. */
static bool s_chars_ok(const char *text, size_t min_len, size_t max_len, const char *extra)
{
    size_t len = strlen(text);
    if (len < min_len || len > max_len)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (!isalnum(ch) && strchr(extra, ch) == NULL)
            return false;
    }
    return true;
}

static sps_err s_parse_string(const struct sps_engine_option *opt, const char *text, char **out,
                              struct sps_buf *reason)
{
    if (opt->kind == SPS_OPT_KIND_EXTERNAL_ID && text[0] != '\0' &&
        !s_chars_ok(text, 2, 1224, "+=,.@:/-"))
        return s_fail(reason, text, "is not 2-1224 characters of [A-Za-z0-9+=,.@:/-]");
    if (opt->kind == SPS_OPT_KIND_SESSION_NAME && !s_chars_ok(text, 2, 64, "_+=,.@-"))
        return s_fail(reason, text, "is not 2-64 characters of [A-Za-z0-9_+=,.@-]");
    if (opt->kind == SPS_OPT_KIND_PATH && (strlen(text) >= 4096 || strpbrk(text, "\n\r\t")))
        return s_fail(reason, text, "is too long or holds a control character");
    sps_free(*out);
    *out = sps_cursor_dup(sps_cursor_from_str(text));
    return SPS_OK;
}

/* ---- lists ---- */

/* The next token of a list: separated by commas, and also by white space unless `commas_only`;
 * trimmed; empty tokens skipped. False at the end. */
static bool s_next_token(struct sps_cursor *rest, bool commas_only, struct sps_cursor *token)
{
    while (rest->len > 0) {
        size_t i = 0;
        while (i < rest->len && rest->ptr[i] != ',' &&
               (commas_only || !isspace((unsigned char)rest->ptr[i])))
            i++;
        *token = sps_cursor_trim(sps_cursor_sub(*rest, 0, i));
        *rest = sps_cursor_sub(*rest, i < rest->len ? i + 1 : i, rest->len);
        if (token->len > 0)
            return true;
    }
    return false;
}

static sps_err s_token_fail(struct sps_buf *reason, struct sps_cursor token, const char *why)
{
    return s_quote_fail(reason, token, why);
}

static bool s_is_role_arn(const char *arn)
{
    /* arn:aws[-a-z]*:iam::<12 digits>:role/<name> */
    if (strncmp(arn, "arn:aws", 7) != 0)
        return false;
    const char *p = arn + 7;
    while ((*p >= 'a' && *p <= 'z') || *p == '-')
        p++;
    if (strncmp(p, ":iam::", 6) != 0)
        return false;
    p += 6;
    for (int i = 0; i < 12; i++, p++) {
        if (*p < '0' || *p > '9')
            return false;
    }
    return strncmp(p, ":role/", 6) == 0 && p[6] != '\0';
}

static bool s_is_type_pattern(struct sps_cursor c)
{
    for (size_t i = 0; i < c.len; i++) {
        char ch = c.ptr[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || strchr(".-*?", ch)))
            return false;
    }
    return true;
}

/* Checks one token of a string list; the token is a NUL-terminated copy. */
static sps_err s_check_list_item(enum sps_engine_option_kind kind, const char *item,
                                 struct sps_buf *reason)
{
    struct sps_cursor c = sps_cursor_from_str(item);
    const char *suffix;
    if (kind == SPS_OPT_KIND_REGIONS && sps_aws_region_dns_suffix(item, &suffix) != SPS_OK)
        return s_token_fail(reason, c, "is not a region name");
    if (kind == SPS_OPT_KIND_GLOBS && !s_is_type_pattern(c))
        return s_token_fail(reason, c,
                            "is not an instance-type pattern (a-z, 0-9, '.', '-', '*' and '?')");
    if (kind == SPS_OPT_KIND_ROLE_ARNS && !s_is_role_arn(item))
        return s_token_fail(reason, c, "is not a role ARN (arn:aws:iam::<12 digits>:role/<name>)");
    return SPS_OK;
}

static sps_err s_parse_strings(const struct sps_engine_option *opt, const char *text,
                               struct sps_aws_strings *out, struct sps_buf *reason)
{
    struct sps_aws_strings list;
    sps_aws_strings_init(&list);
    struct sps_cursor rest = sps_cursor_from_str(text), token;
    sps_err err = SPS_OK;
    while (s_next_token(&rest, false, &token)) {
        char *item = sps_cursor_dup(token);
        err = s_check_list_item(opt->kind, item, reason);
        if (err == SPS_OK && !sps_aws_strings_contains(&list, item))
            sps_aws_strings_add(&list, item);
        sps_free(item);
        if (err != SPS_OK)
            goto cleanup;
    }
    sps_aws_strings_clean_up(out);
    *out = list;
    sps_aws_strings_init(&list);
cleanup:
    sps_aws_strings_clean_up(&list);
    return err;
}

/* One `key=value` pair: the key exact (no glob characters), the value a glob. */
static sps_err s_add_pair(struct sps_aws_tags *tags, struct sps_cursor token,
                          struct sps_buf *reason)
{
    struct sps_cursor rest = token, key;
    if (!sps_cursor_split(&rest, '=', &key))
        return s_token_fail(reason, token, "is not key=value");
    key = sps_cursor_trim(key);
    rest = sps_cursor_trim(rest);
    if (key.len == 0 || key.len > 128)
        return s_token_fail(reason, token, "needs a tag key of 1 to 128 characters");
    if (memchr(key.ptr, '*', key.len) || memchr(key.ptr, '?', key.len))
        return s_token_fail(reason, token, "has '*' or '?' in the key (only values are patterns)");
    if (rest.len > 256)
        return s_token_fail(reason, token, "has a value longer than 256 characters");
    char *k = sps_cursor_dup(key), *v = sps_cursor_dup(rest);
    bool repeated = sps_aws_tags_get(tags, k) != NULL;
    if (!repeated)
        sps_aws_tags_set(tags, k, v, false);
    sps_free(k);
    sps_free(v);
    return repeated ? s_token_fail(reason, key, "is given twice as a tag key") : SPS_OK;
}

static sps_err s_parse_pairs(const struct sps_engine_option *opt, const char *text,
                             struct sps_aws_tags *out, struct sps_buf *reason)
{
    struct sps_aws_tags tags;
    sps_aws_tags_init(&tags);
    struct sps_cursor rest = sps_cursor_from_str(text), token;
    sps_err err = SPS_OK;
    while (s_next_token(&rest, true, &token))
        SPS_GUARD(s_add_pair(&tags, token, reason));
    if (opt->kind == SPS_OPT_KIND_TAG && tags.count != 1) {
        err = s_fail(reason, text, "is not exactly one key=value pair");
        goto cleanup;
    }
    sps_aws_tags_clean_up(out);
    *out = tags;
    sps_aws_tags_init(&tags);
cleanup:
    sps_aws_tags_clean_up(&tags);
    return err;
}

/* ---- one value of any kind ---- */

static const char *const s_modes[] = {"opt-in", "opt-out"};
static const char *const s_outputs[] = {"text", "json"};
static const char *const s_burstable[] = {"like-original", "never", "always"};
static const char *const s_rebalance[] = {"ignore", "replace"};
#define S_N(a) (sizeof(a) / sizeof((a)[0]))

static sps_err s_parse_enum_kind(const struct sps_engine_option *opt, const char *text, int *out,
                                 struct sps_buf *reason)
{
    switch (opt->kind) {
    case SPS_OPT_KIND_MODE:
        return s_parse_enum(text, s_modes, S_N(s_modes), out, reason);
    case SPS_OPT_KIND_OUTPUT:
        return s_parse_enum(text, s_outputs, S_N(s_outputs), out, reason);
    case SPS_OPT_KIND_BURSTABLE:
        return s_parse_enum(text, s_burstable, S_N(s_burstable), out, reason);
    case SPS_OPT_KIND_REBALANCE:
        return s_parse_enum(text, s_rebalance, S_N(s_rebalance), out, reason);
    default: {
        enum sps_log_level level;
        if (sps_log_level_parse(text, &level) != SPS_OK)
            return s_fail(reason, text, "is not one of trace, debug, info, warn, error or off");
        *out = (int)level;
        return SPS_OK;
    }
    }
}

/* Enums are stored in their own C enum types; an int carries the value between them. */
static void s_store_enum(const struct sps_engine_option *opt, void *field, int value)
{
    switch (opt->kind) {
    case SPS_OPT_KIND_MODE:
        *(enum sps_engine_mode *)field = (enum sps_engine_mode)value;
        break;
    case SPS_OPT_KIND_OUTPUT:
        *(enum sps_engine_output *)field = (enum sps_engine_output)value;
        break;
    case SPS_OPT_KIND_BURSTABLE:
        *(enum sps_engine_burstable *)field = (enum sps_engine_burstable)value;
        break;
    case SPS_OPT_KIND_REBALANCE:
        *(enum sps_engine_rebalance *)field = (enum sps_engine_rebalance)value;
        break;
    default:
        *(enum sps_log_level *)field = (enum sps_log_level)value;
        break;
    }
}

sps_err sps_engine_option_parse(const struct sps_engine_option *opt, const char *text, void *field,
                                struct sps_buf *reason)
{
    switch (opt->kind) {
    case SPS_OPT_KIND_BOOL:
        return s_parse_bool(text, field, reason);
    case SPS_OPT_KIND_INT:
        return s_parse_int(opt, text, field, reason);
    case SPS_OPT_KIND_FRACTION:
        return s_parse_fraction(text, field, reason);
    case SPS_OPT_KIND_RATIO:
        return s_parse_ratio(text, field, reason);
    case SPS_OPT_KIND_LIMIT:
        return s_parse_limit(opt, text, field, reason);
    case SPS_OPT_KIND_REGIONS:
    case SPS_OPT_KIND_GLOBS:
    case SPS_OPT_KIND_ROLE_ARNS:
        return s_parse_strings(opt, text, field, reason);
    case SPS_OPT_KIND_TAG_FILTERS:
    case SPS_OPT_KIND_TAG:
        return s_parse_pairs(opt, text, field, reason);
    case SPS_OPT_KIND_EXTERNAL_ID:
    case SPS_OPT_KIND_SESSION_NAME:
    case SPS_OPT_KIND_PATH:
        return s_parse_string(opt, text, field, reason);
    default: {
        int value;
        SPS_TRY(s_parse_enum_kind(opt, text, &value, reason));
        s_store_enum(opt, field, value);
        return SPS_OK;
    }
    }
}

/* ---- the whole config ---- */

static void *s_field(struct sps_engine_config *cfg, const struct sps_engine_option *opt)
{
    return (char *)cfg + opt->offset;
}

void sps_engine_config_init(struct sps_engine_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    struct sps_buf reason;
    sps_buf_init(&reason, 1024);
    for (size_t i = 0; i < S_OPTION_COUNT; i++) {
        const struct sps_engine_option *opt = sps_engine_option_at(i);
        if (sps_engine_option_parse(opt, opt->default_text, s_field(cfg, opt), &reason) != SPS_OK)
            abort(); /* a default in sps_engine_config_list.h is wrong: a bug, caught by tests */
    }
    sps_buf_clean_up(&reason);
}

void sps_engine_config_clean_up(struct sps_engine_config *cfg)
{
    if (cfg == NULL)
        return;
    for (size_t i = 0; i < S_OPTION_COUNT; i++) {
        const struct sps_engine_option *opt = &s_options[i];
        void *field = s_field(cfg, opt);
        switch (opt->kind) {
        case SPS_OPT_KIND_REGIONS:
        case SPS_OPT_KIND_GLOBS:
        case SPS_OPT_KIND_ROLE_ARNS:
            sps_aws_strings_clean_up(field);
            break;
        case SPS_OPT_KIND_TAG_FILTERS:
        case SPS_OPT_KIND_TAG:
            sps_aws_tags_clean_up(field);
            break;
        case SPS_OPT_KIND_EXTERNAL_ID:
        case SPS_OPT_KIND_SESSION_NAME:
        case SPS_OPT_KIND_PATH:
            sps_free(*(char **)field);
            *(char **)field = NULL;
            break;
        default:
            break;
        }
    }
    sps_free(cfg->config_file);
    cfg->config_file = NULL;
}

sps_err sps_engine_config_set(struct sps_engine_config *cfg, const struct sps_engine_option *opt,
                              const char *text, const char *where, struct sps_buf *error)
{
    struct sps_buf reason;
    sps_buf_init(&reason, 16384);
    sps_err err = sps_engine_option_parse(opt, text, s_field(cfg, opt), &reason);
    if (err != SPS_OK && error) {
        sps_buf_reset(error);
        sps_buf_printf(error, "%s: %s: %s", where, opt->key, reason.data);
    }
    sps_buf_clean_up(&reason);
    return err;
}

sps_err sps_engine_config_validate(const struct sps_engine_config *cfg, struct sps_buf *error)
{
    if (cfg->mode == SPS_ENGINE_MODE_OPT_IN && cfg->tag_filters.count == 0) {
        if (error) {
            sps_buf_reset(error);
            sps_buf_append_str(error, "tag_filters: empty in opt-in mode, which would select "
                                      "every group; give a filter or set mode = opt-out");
        }
        return SPS_ERR_CONFIG;
    }
    return SPS_OK;
}
