/*
 * Where option values come from: the config file, the SPOTSWAP_* environment and the `run`
 * command line, applied in that order over the defaults by sps_engine_config_load. Each source
 * names itself in errors: "file:line", the variable name, or the flag.
 */
#include "sps_aws_ini.h"
#include "sps_engine_config.h"

#include <ctype.h>
#include <string.h>

/* SPOTSWAP_* variables that are no option but are still ours. */
static const char *const s_known_env[] = {"SPOTSWAP_CONFIG"};

static sps_err s_error(struct sps_buf *error, const char *where, const char *what,
                       const char *detail)
{
    if (error) {
        sps_buf_reset(error);
        sps_buf_printf(error, "%s: %s%s", where, what, detail);
    }
    return SPS_ERR_CONFIG;
}

/* ---- config file ---- */

/* The 1-based number of the line where `key` is last set (the INI parser keeps the last value),
 * or of the `[section]` header when `section` is true; 0 when not found. */
static size_t s_line_of(struct sps_cursor text, const char *name, bool section)
{
    size_t line = 0, found = 0;
    struct sps_cursor rest = text, head;
    bool more = true;
    while (more) {
        more = sps_cursor_split(&rest, '\n', &head);
        line++;
        struct sps_cursor t = sps_cursor_trim(head);
        if (section) {
            if (t.len >= 2 && t.ptr[0] == '[' && t.ptr[t.len - 1] == ']' &&
                sps_cursor_eq_str(sps_cursor_trim(sps_cursor_sub(t, 1, t.len - 2)), name) &&
                found == 0)
                found = line;
            continue;
        }
        size_t k = 0;
        while (k < t.len && t.ptr[k] != '=' && t.ptr[k] != ':')
            k++;
        if (k < t.len && sps_cursor_eq_ignore_case(sps_cursor_trim(sps_cursor_sub(t, 0, k)),
                                                   sps_cursor_from_str(name)))
            found = line;
    }
    return found;
}

/* The INI parser's "<source>:<N>: ..." counted the `[spotswap]` line put in front. */
static void s_shift_ini_detail(struct sps_buf *detail, const char *source, struct sps_buf *error)
{
    size_t n = strlen(source);
    struct sps_cursor d = sps_buf_cursor(detail);
    if (d.len > n + 1 && memcmp(d.ptr, source, n) == 0 && d.ptr[n] == ':') {
        struct sps_cursor rest = sps_cursor_sub(d, n + 1, d.len), num;
        uint64_t line;
        if (sps_cursor_split(&rest, ':', &num) && sps_cursor_to_u64(num, &line) == SPS_OK &&
            line > 1) {
            sps_buf_printf(error, "%s:%llu:%.*s", source, (unsigned long long)(line - 1),
                           SPS_CURSOR_PRI(rest));
            return;
        }
    }
    sps_buf_append_cursor(error, d);
}

static sps_err s_apply_section(struct sps_engine_config *cfg, const struct sps_ini_section *sec,
                               struct sps_cursor text, const char *source, struct sps_buf *error)
{
    struct sps_buf where;
    sps_buf_init(&where, 4096);
    sps_err err = SPS_OK;
    for (size_t i = 0; i < sec->count; i++) {
        const struct sps_ini_pair *pair = &sec->pairs[i];
        sps_buf_reset(&where);
        sps_buf_printf(&where, "%s:%zu", source, s_line_of(text, pair->key, false));
        const struct sps_engine_option *opt = sps_engine_option_find_key(pair->key);
        if (opt == NULL) {
            err = s_error(error, where.data, "unknown option ", pair->key);
            goto cleanup;
        }
        SPS_GUARD(sps_engine_config_set(cfg, opt, pair->value, where.data, error));
    }
cleanup:
    sps_buf_clean_up(&where);
    return err;
}

sps_err sps_engine_config_read_text(struct sps_engine_config *cfg, struct sps_cursor text,
                                    const char *source, struct sps_buf *error)
{
    struct sps_ini ini;
    sps_ini_init(&ini);
    struct sps_buf framed, detail;
    sps_buf_init(&framed, SPS_INI_MAX_BYTES);
    sps_buf_init(&detail, 4096);
    sps_err err = SPS_OK;
    /* A file may omit the header: parse as if it started with one. */
    sps_buf_append_str(&framed, "[spotswap]\n");
    sps_buf_append_cursor(&framed, text);
    if (framed.err != SPS_OK) {
        err = s_error(error, source, "the config file is too large", "");
        goto cleanup;
    }
    err = sps_ini_parse(&ini, sps_buf_cursor(&framed), source, &detail);
    if (err != SPS_OK) {
        if (error) {
            sps_buf_reset(error);
            s_shift_ini_detail(&detail, source, error);
        }
        err = SPS_ERR_CONFIG;
        goto cleanup;
    }
    for (size_t i = 0; i < ini.count; i++) {
        const struct sps_ini_section *sec = &ini.sections[i];
        if (strcmp(sec->name, "spotswap") != 0) {
            struct sps_buf where;
            sps_buf_init(&where, 4096);
            sps_buf_printf(&where, "%s:%zu", source, s_line_of(text, sec->name, true));
            err =
                s_error(error, where.data, "unknown section, only [spotswap] or none: ", sec->name);
            sps_buf_clean_up(&where);
            goto cleanup;
        }
        SPS_GUARD(s_apply_section(cfg, sec, text, source, error));
    }
cleanup:
    sps_ini_clean_up(&ini);
    sps_buf_clean_up(&framed);
    sps_buf_clean_up(&detail);
    return err;
}

sps_err sps_engine_config_read_file(struct sps_engine_config *cfg, const char *path,
                                    struct sps_buf *error)
{
    struct sps_buf text;
    sps_buf_init(&text, SPS_INI_MAX_BYTES);
    sps_err err = sps_file_read(&text, path);
    if (err != SPS_OK) {
        err = s_error(error, path, "cannot read the config file: ", sps_error_message(err));
        goto cleanup;
    }
    err = sps_engine_config_read_text(cfg, sps_buf_cursor(&text), path, error);
    if (err == SPS_OK) {
        sps_free(cfg->config_file);
        cfg->config_file = sps_cursor_dup(sps_cursor_from_str(path));
    }
cleanup:
    sps_buf_clean_up(&text);
    return err;
}

/* ---- environment ---- */

static bool s_is_known_env(struct sps_cursor name)
{
    for (size_t i = 0; i < sizeof(s_known_env) / sizeof(s_known_env[0]); i++) {
        if (sps_cursor_eq_str(name, s_known_env[i]))
            return true;
    }
    for (size_t i = 0; i < sps_engine_option_count(); i++) {
        if (sps_cursor_eq_str(name, sps_engine_option_at(i)->env))
            return true;
    }
    return false;
}

static void s_warn_unknown_env(char *const *entries, struct sps_buf *warnings)
{
    for (size_t i = 0; entries && entries[i]; i++) {
        struct sps_cursor rest = sps_cursor_from_str(entries[i]), name;
        sps_cursor_split(&rest, '=', &name);
        if (!sps_cursor_starts_with(name, SPS_CURSOR_LIT("SPOTSWAP_")) || s_is_known_env(name))
            continue;
        if (warnings)
            sps_buf_printf(warnings, "%.*s: not a spotswap setting, ignored\n",
                           SPS_CURSOR_PRI(name));
    }
}

sps_err sps_engine_config_read_env(struct sps_engine_config *cfg, const struct sps_env *env,
                                   char *const *environ_entries, struct sps_buf *warnings,
                                   struct sps_buf *error)
{
    s_warn_unknown_env(environ_entries, warnings);
    for (size_t i = 0; i < sps_engine_option_count(); i++) {
        const struct sps_engine_option *opt = sps_engine_option_at(i);
        const char *value = sps_env_get(env, opt->env);
        if (value)
            SPS_TRY(sps_engine_config_set(cfg, opt, value, opt->env, error));
    }
    return SPS_OK;
}
