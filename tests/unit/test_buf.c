/* The owning buffer and the cursor view. */
#include "sps_test.h"

static void test_buf_appends_and_stays_terminated(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    SPS_CHECK_STR_EQ(b.data, "");
    SPS_CHECK_OK(sps_buf_append_str(&b, "abc"));
    SPS_CHECK_OK(sps_buf_append_char(&b, '-'));
    SPS_CHECK_OK(sps_buf_printf(&b, "%d/%s", 42, "x"));
    SPS_CHECK_STR_EQ(b.data, "abc-42/x");
    SPS_CHECK_INT_EQ(b.len, 8);
    uint8_t bytes[] = {0x00, 0xab, 0xff};
    SPS_CHECK_OK(sps_buf_append_hex(&b, bytes, 3));
    SPS_CHECK_STR_EQ(b.data, "abc-42/x00abff");
    sps_buf_reset(&b);
    SPS_CHECK_STR_EQ(b.data, "");
    sps_buf_clean_up(&b);
}

static void test_buf_grows_past_initial_capacity(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    for (int i = 0; i < 1000; i++)
        SPS_CHECK_OK(sps_buf_append_str(&b, "0123456789"));
    SPS_CHECK_INT_EQ(b.len, 10000);
    SPS_CHECK(b.data[9999] == '9' && b.data[10000] == '\0');
    sps_buf_clean_up(&b);
}

static void test_buf_limit_is_sticky(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 5);
    SPS_CHECK_OK(sps_buf_append_str(&b, "12345"));
    SPS_CHECK_ERR(sps_buf_append_str(&b, "6"), SPS_ERR_LIMIT_EXCEEDED);
    /* Once failed, later appends fail too, so a sequence can be checked once at the end. */
    SPS_CHECK_ERR(sps_buf_append_str(&b, ""), SPS_ERR_LIMIT_EXCEEDED);
    SPS_CHECK_ERR(sps_buf_printf(&b, "%s", "x"), SPS_ERR_LIMIT_EXCEEDED);
    SPS_CHECK_STR_EQ(b.data, "12345");
    sps_buf_reset(&b);
    SPS_CHECK_OK(sps_buf_append_str(&b, "ok"));
    sps_buf_clean_up(&b);
}

static void test_buf_take_and_set(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    SPS_CHECK_OK(sps_buf_set(&b, SPS_CURSOR_LIT("hello")));
    char *taken = sps_buf_take(&b);
    SPS_CHECK_STR_EQ(taken, "hello");
    SPS_CHECK_STR_EQ(b.data, "");
    sps_free(taken);
    char *empty = sps_buf_take(&b);
    SPS_CHECK_STR_EQ(empty, "");
    sps_free(empty);
    sps_buf_clean_up(&b);
    sps_buf_clean_up(NULL);
}

static void test_cursor_compare_and_trim(void)
{
    struct sps_cursor c = sps_cursor_from_str("  Hello World \n");
    struct sps_cursor t = sps_cursor_trim(c);
    SPS_CHECK(sps_cursor_eq_str(t, "Hello World"));
    SPS_CHECK(sps_cursor_eq_ignore_case(t, SPS_CURSOR_LIT("hello world")));
    SPS_CHECK(!sps_cursor_eq_ignore_case(t, SPS_CURSOR_LIT("hello worlds")));
    SPS_CHECK(sps_cursor_starts_with(t, SPS_CURSOR_LIT("Hello")));
    SPS_CHECK(sps_cursor_ends_with(t, SPS_CURSOR_LIT("World")));
    SPS_CHECK(!sps_cursor_starts_with(SPS_CURSOR_LIT("He"), SPS_CURSOR_LIT("Hello")));
    SPS_CHECK_INT_EQ(sps_cursor_find_char(t, 'W'), 6);
    SPS_CHECK_INT_EQ(sps_cursor_find_char(t, 'z'), -1);
    SPS_CHECK(sps_cursor_eq_str(sps_cursor_sub(t, 6, 100), "World"));
    SPS_CHECK(sps_cursor_eq_str(sps_cursor_sub(t, 100, 1), ""));
    SPS_CHECK(sps_cursor_eq_str(sps_cursor_from_str(NULL), ""));
    char *dup = sps_cursor_dup(t);
    SPS_CHECK_STR_EQ(dup, "Hello World");
    sps_free(dup);
}

static void test_cursor_split_tokens(void)
{
    struct sps_cursor rest = SPS_CURSOR_LIT("a,b,,c"), head;
    SPS_CHECK(sps_cursor_split(&rest, ',', &head) && sps_cursor_eq_str(head, "a"));
    SPS_CHECK(sps_cursor_split(&rest, ',', &head) && sps_cursor_eq_str(head, "b"));
    SPS_CHECK(sps_cursor_split(&rest, ',', &head) && sps_cursor_eq_str(head, ""));
    SPS_CHECK(!sps_cursor_split(&rest, ',', &head) && sps_cursor_eq_str(head, "c"));
    SPS_CHECK_INT_EQ(rest.len, 0);
}

static void test_cursor_numbers(void)
{
    uint64_t u;
    int64_t i;
    double d;
    SPS_CHECK_OK(sps_cursor_to_u64(SPS_CURSOR_LIT("18446744073709551615"), &u));
    SPS_CHECK(u == UINT64_MAX);
    SPS_CHECK_ERR(sps_cursor_to_u64(SPS_CURSOR_LIT("18446744073709551616"), &u),
                  SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_ERR(sps_cursor_to_u64(SPS_CURSOR_LIT(""), &u), SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_ERR(sps_cursor_to_u64(SPS_CURSOR_LIT(" 1"), &u), SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_ERR(sps_cursor_to_u64(SPS_CURSOR_LIT("1x"), &u), SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_OK(sps_cursor_to_i64(SPS_CURSOR_LIT("-9223372036854775808"), &i));
    SPS_CHECK(i == INT64_MIN);
    SPS_CHECK_ERR(sps_cursor_to_i64(SPS_CURSOR_LIT("9223372036854775808"), &i),
                  SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_OK(sps_cursor_to_double(SPS_CURSOR_LIT("0.0961"), &d));
    SPS_CHECK(d > 0.09609 && d < 0.09611);
    SPS_CHECK_ERR(sps_cursor_to_double(SPS_CURSOR_LIT("nan"), &d), SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_ERR(sps_cursor_to_double(SPS_CURSOR_LIT("1e999"), &d), SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_ERR(sps_cursor_to_double(SPS_CURSOR_LIT("0.1 "), &d), SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_ERR(sps_cursor_to_double(SPS_CURSOR_LIT(""), &d), SPS_ERR_PARSE_NUMBER);
}

static void test_file_read(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    SPS_CHECK_ERR(sps_file_read(&b, "/nonexistent/spotswap/file"), SPS_ERR_NOT_FOUND);
    SPS_CHECK_OK(sps_file_read(&b, SPS_SOURCE_DIR "/CMakeLists.txt"));
    SPS_CHECK(strstr(b.data, "project(spotswap") != NULL);
    sps_buf_clean_up(&b);
    sps_buf_init(&b, 16);
    SPS_CHECK_ERR(sps_file_read(&b, SPS_SOURCE_DIR "/CMakeLists.txt"), SPS_ERR_LIMIT_EXCEEDED);
    sps_buf_clean_up(&b);
}

static void test_alloc_calloc_and_strndup(void)
{
    long before = sps_alloc_live_count();
    int *zeros = sps_calloc(16, sizeof(int));
    for (int i = 0; i < 16; i++)
        SPS_CHECK_INT_EQ(zeros[i], 0);
    sps_free(zeros);
    char *part = sps_strndup("abcdef", 3);
    SPS_CHECK_STR_EQ(part, "abc");
    sps_free(part);
    char *empty = sps_strndup("abc", 0);
    SPS_CHECK_STR_EQ(empty, "");
    sps_free(empty);
    SPS_CHECK_INT_EQ(sps_alloc_live_count(), before);
    SPS_CHECK(sps_cursor_eq(SPS_CURSOR_LIT("ab"), sps_cursor_from_mem("abc", 2)));
    SPS_CHECK(!sps_cursor_eq(SPS_CURSOR_LIT("ab"), SPS_CURSOR_LIT("abc")));
    SPS_CHECK(sps_cursor_eq(SPS_CURSOR_EMPTY, sps_cursor_from_mem(NULL, 0)));
}

static void test_alloc_counts_and_strdup(void)
{
    long before = sps_alloc_live_count();
    char *s = sps_strdup("abc");
    SPS_CHECK_INT_EQ(sps_alloc_live_count(), before + 1);
    SPS_CHECK(sps_strdup(NULL) == NULL);
    s = sps_realloc(s, 100);
    SPS_CHECK_STR_EQ(s, "abc");
    SPS_CHECK(sps_realloc(s, 0) == NULL);
    SPS_CHECK_INT_EQ(sps_alloc_live_count(), before);
    sps_free(NULL);
}

SPS_TEST_MAIN(SPS_CASE(test_buf_appends_and_stays_terminated),
              SPS_CASE(test_buf_grows_past_initial_capacity), SPS_CASE(test_buf_limit_is_sticky),
              SPS_CASE(test_buf_take_and_set), SPS_CASE(test_cursor_compare_and_trim),
              SPS_CASE(test_cursor_split_tokens), SPS_CASE(test_cursor_numbers),
              SPS_CASE(test_file_read), SPS_CASE(test_alloc_calloc_and_strndup),
              SPS_CASE(test_alloc_counts_and_strdup))
