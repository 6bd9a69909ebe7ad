/* The shared config/credentials file parser (see sps_aws_ini.h). */
#include "sps_aws_ini.h"

#include <string.h>

void sps_ini_init(struct sps_ini *ini)
{
    memset(ini, 0, sizeof(*ini));
}

void sps_ini_clean_up(struct sps_ini *ini)
{
    if (ini == NULL)
        return;
    for (size_t i = 0; i < ini->count; i++) {
        struct sps_ini_section *s = &ini->sections[i];
        for (size_t j = 0; j < s->count; j++) {
            sps_free(s->pairs[j].key);
            sps_free(s->pairs[j].value);
        }
        sps_free(s->pairs);
        sps_free(s->name);
    }
    sps_free(ini->sections);
    sps_ini_init(ini);
}

const struct sps_ini_section *sps_ini_find(const struct sps_ini *ini, const char *name)
{
    for (size_t i = 0; i < ini->count; i++) {
        if (strcmp(ini->sections[i].name, name) == 0)
            return &ini->sections[i];
    }
    return NULL;
}

const char *sps_ini_get(const struct sps_ini_section *section, const char *key)
{
    if (section == NULL)
        return NULL;
    struct sps_cursor wanted = sps_cursor_from_str(key);
    for (size_t i = 0; i < section->count; i++) {
        if (sps_cursor_eq_ignore_case(sps_cursor_from_str(section->pairs[i].key), wanted))
            return section->pairs[i].value;
    }
    return NULL;
}

static struct sps_ini_section *s_section(struct sps_ini *ini, struct sps_cursor name)
{
    for (size_t i = 0; i < ini->count; i++) {
        if (sps_cursor_eq_str(name, ini->sections[i].name))
            return &ini->sections[i];
    }
    if (ini->count == ini->cap) {
        ini->cap = ini->cap ? ini->cap * 2 : 8;
        ini->sections = sps_realloc(ini->sections, ini->cap * sizeof(ini->sections[0]));
    }
    struct sps_ini_section *s = &ini->sections[ini->count++];
    memset(s, 0, sizeof(*s));
    s->name = sps_cursor_dup(name);
    return s;
}

static void s_set(struct sps_ini_section *s, struct sps_cursor key, struct sps_cursor value)
{
    char *lower = sps_cursor_dup(key);
    for (char *p = lower; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    }
    for (size_t i = 0; i < s->count; i++) {
        if (strcmp(s->pairs[i].key, lower) == 0) {
            sps_free(lower);
            sps_free(s->pairs[i].value);
            s->pairs[i].value = sps_cursor_dup(value);
            return;
        }
    }
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->pairs = sps_realloc(s->pairs, s->cap * sizeof(s->pairs[0]));
    }
    s->pairs[s->count].key = lower;
    s->pairs[s->count].value = sps_cursor_dup(value);
    s->count++;
}

/* Splits "key = value" (or "key: value") at the first delimiter. */
static bool s_split_pair(struct sps_cursor line, struct sps_cursor *key, struct sps_cursor *value)
{
    long eq = sps_cursor_find_char(line, '=');
    long colon = sps_cursor_find_char(line, ':');
    long at = eq < 0 ? colon : (colon < 0 || eq < colon ? eq : colon);
    if (at < 0)
        return false;
    *key = sps_cursor_trim(sps_cursor_sub(line, 0, (size_t)at));
    *value = sps_cursor_trim(sps_cursor_sub(line, (size_t)at + 1, line.len));
    return key->len > 0;
}

struct s_parser {
    struct sps_ini *ini;
    struct sps_ini_section *section;
    bool in_nested; /* the previous key had an empty value: indented lines belong to it */
    const char *source;
    size_t line_no;
    struct sps_buf *detail;
};

static sps_err s_malformed(struct s_parser *p, const char *what)
{
    if (p->detail) {
        sps_buf_reset(p->detail);
        (void)sps_buf_printf(p->detail, "%s:%zu: %s", p->source, p->line_no, what);
    }
    return SPS_ERR_CONFIG;
}

static sps_err s_header(struct s_parser *p, struct sps_cursor line)
{
    if (line.len < 2 || line.ptr[line.len - 1] != ']')
        return s_malformed(p, "section header without a closing ']'");
    struct sps_cursor name = sps_cursor_trim(sps_cursor_sub(line, 1, line.len - 2));
    if (name.len == 0)
        return s_malformed(p, "empty section name");
    p->section = s_section(p->ini, name);
    p->in_nested = false;
    return SPS_OK;
}

static sps_err s_line(struct s_parser *p, struct sps_cursor raw)
{
    struct sps_cursor line = sps_cursor_trim(raw);
    if (line.len == 0 || line.ptr[0] == '#' || line.ptr[0] == ';')
        return SPS_OK;
    bool indented = raw.ptr[0] == ' ' || raw.ptr[0] == '\t';
    struct sps_cursor key, value;
    if (indented && p->in_nested) {
        if (!s_split_pair(line, &key, &value))
            return s_malformed(p, "expected 'key = value' in the nested block");
        return SPS_OK; /* sub-section settings (s3, ...) are not ours */
    }
    if (line.ptr[0] == '[')
        return s_header(p, line);
    if (!s_split_pair(line, &key, &value))
        return s_malformed(p, "expected '[section]' or 'key = value'");
    if (p->section == NULL)
        return s_malformed(p, "'key = value' before any [section]");
    s_set(p->section, key, value);
    p->in_nested = value.len == 0;
    return SPS_OK;
}

sps_err sps_ini_parse(struct sps_ini *ini, struct sps_cursor text, const char *source,
                      struct sps_buf *detail)
{
    struct s_parser p = {ini, NULL, false, source ? source : "(config)", 0, detail};
    struct sps_cursor rest = text, line;
    /* A UTF-8 byte order mark is invisible in editors; do not call it malformed. */
    if (sps_cursor_starts_with(rest, SPS_CURSOR_LIT("\xEF\xBB\xBF")))
        rest = sps_cursor_sub(rest, 3, rest.len);
    while (rest.len) {
        sps_cursor_split(&rest, '\n', &line);
        p.line_no++;
        if (line.len && line.ptr[line.len - 1] == '\r')
            line.len--;
        if (memchr(line.ptr, '\0', line.len))
            return s_malformed(&p, "NUL byte in line");
        SPS_TRY(s_line(&p, line));
    }
    return SPS_OK;
}

sps_err sps_ini_load(struct sps_ini *ini, const char *path, struct sps_buf *detail)
{
    struct sps_buf text;
    sps_buf_init(&text, SPS_INI_MAX_BYTES);
    sps_err err = sps_file_read(&text, path);
    if (err == SPS_OK) {
        err = sps_ini_parse(ini, sps_buf_cursor(&text), path, detail);
    } else if (err != SPS_ERR_NOT_FOUND && detail) {
        sps_buf_reset(detail);
        (void)sps_buf_printf(detail, "%s: %s", path, sps_error_message(err));
    }
    sps_buf_clean_up(&text);
    return err;
}
