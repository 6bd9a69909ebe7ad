/* docs/configuration.md cannot fall behind the option list: every option has its row (file key,
 * environment variable, flag and default, in that order), and every row names a real option. */
#include "sps_engine_config.h"
#include "sps_test.h"

static void s_read_doc(struct sps_buf *doc)
{
    sps_buf_init(doc, 1024 * 1024);
    SPS_CHECK_OK(sps_file_read(doc, SPS_SOURCE_DIR "/docs/configuration.md"));
}

static void test_docs_list_every_option(void)
{
    struct sps_buf doc, row;
    s_read_doc(&doc);
    sps_buf_init(&row, 4096);
    for (size_t i = 0; i < sps_engine_option_count(); i++) {
        const struct sps_engine_option *opt = sps_engine_option_at(i);
        sps_buf_reset(&row);
        sps_buf_printf(&row, "\n| `%s` | `%s` | `%s` | ", opt->key, opt->env, opt->flag);
        const char *at = strstr(doc.data, row.data);
        if (at == NULL)
            sps_test_fail(__FILE__, __LINE__, "docs/configuration.md has no row %s", row.data + 1);
        const char *end = strchr(at + 1, '\n');
        sps_buf_reset(&row);
        if (opt->default_text[0])
            sps_buf_printf(&row, "| `%s` |", opt->default_text);
        else
            sps_buf_append_str(&row, "| (empty) |");
        const char *def = strstr(at, row.data);
        if (def == NULL || (end && def > end))
            sps_test_fail(__FILE__, __LINE__, "the row of %s does not show the default %s",
                          opt->key, row.data);
    }
    sps_buf_clean_up(&row);
    sps_buf_clean_up(&doc);
}

static void test_docs_rows_are_real_options(void)
{
    struct sps_buf doc;
    s_read_doc(&doc);
    struct sps_cursor rest = sps_buf_cursor(&doc), line;
    size_t rows = 0;
    while (rest.len > 0) {
        sps_cursor_split(&rest, '\n', &line);
        /* Option rows: "| `key` | `SPOTSWAP_...` |". */
        if (!sps_cursor_starts_with(line, SPS_CURSOR_LIT("| `")))
            continue;
        struct sps_cursor cells = sps_cursor_sub(line, 3, line.len), key;
        if (!sps_cursor_split(&cells, '`', &key) ||
            !sps_cursor_starts_with(cells, SPS_CURSOR_LIT(" | `SPOTSWAP_")))
            continue;
        char *name = sps_cursor_dup(key);
        bool known = sps_engine_option_find_key(name) != NULL;
        if (!known)
            sps_test_fail(__FILE__, __LINE__, "docs/configuration.md documents '%s', no option",
                          name); /* leaks on failure only */
        sps_free(name);
        rows++;
    }
    SPS_CHECK_INT_EQ(rows, sps_engine_option_count());
    sps_buf_clean_up(&doc);
}

/* Every group tag has its row in the tag table, and overrides a real option. */
static void test_docs_list_every_group_tag(void)
{
    struct sps_buf doc, row;
    s_read_doc(&doc);
    sps_buf_init(&row, 4096);
    const char *tag, *key;
    size_t n = 0;
    for (; sps_engine_group_tag_at(n, &tag, &key); n++) {
        SPS_CHECK(key == NULL || sps_engine_option_find_key(key) != NULL);
        sps_buf_reset(&row);
        sps_buf_printf(&row, "\n| `%s` |", tag);
        if (strstr(doc.data, row.data) == NULL)
            sps_test_fail(__FILE__, __LINE__, "docs/configuration.md has no row for %s", tag);
    }
    SPS_CHECK_INT_EQ(n, 7);
    sps_buf_clean_up(&row);
    sps_buf_clean_up(&doc);
}

SPS_TEST_MAIN(SPS_CASE(test_docs_list_every_option), SPS_CASE(test_docs_rows_are_real_options),
              SPS_CASE(test_docs_list_every_group_tag))
