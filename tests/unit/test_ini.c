/* The shared config/credentials file parser: sections, keys, comments, sub-sections, and a
 * clear SPS_ERR_CONFIG with file and line for every malformed shape. */
#include "sps_aws_ini.h"
#include "sps_test.h"

static void s_parse_ok(struct sps_ini *ini, const char *text)
{
    sps_ini_init(ini);
    SPS_CHECK_OK(sps_ini_parse(ini, sps_cursor_from_str(text), "test", NULL));
}

static void test_ini_sections_keys_comments(void)
{
    struct sps_ini ini;
    s_parse_ok(&ini, "# comment\n; other comment\n\n[default]\n  region = us-east-1  \r\n"
                     "Output=json\n   # indented comment\n[profile dev]\nkey: value: with colon\n"
                     "empty =\nurl = https://x/?a=b\n");
    SPS_CHECK_INT_EQ(ini.count, 2);
    const struct sps_ini_section *d = sps_ini_find(&ini, "default");
    SPS_CHECK(d != NULL);
    SPS_CHECK_STR_EQ(sps_ini_get(d, "region"), "us-east-1");
    SPS_CHECK_STR_EQ(sps_ini_get(d, "output"), "json"); /* keys are case-insensitive */
    SPS_CHECK_STR_EQ(sps_ini_get(d, "OUTPUT"), "json");
    const struct sps_ini_section *dev = sps_ini_find(&ini, "profile dev");
    SPS_CHECK_STR_EQ(sps_ini_get(dev, "key"), "value: with colon");
    SPS_CHECK_STR_EQ(sps_ini_get(dev, "empty"), "");
    SPS_CHECK_STR_EQ(sps_ini_get(dev, "url"), "https://x/?a=b");
    SPS_CHECK(sps_ini_get(dev, "region") == NULL);
    SPS_CHECK(sps_ini_find(&ini, "Default") == NULL); /* section names keep their case */
    SPS_CHECK(sps_ini_get(NULL, "x") == NULL);
    sps_ini_clean_up(&ini);
    sps_ini_clean_up(NULL);
}

static void test_ini_subsections_are_ignored(void)
{
    struct sps_ini ini;
    s_parse_ok(&ini, "[default]\ns3 =\n  max_concurrent_requests = 10\n\tmax_queue_size=1000\n"
                     "region = eu-west-1\n");
    const struct sps_ini_section *d = sps_ini_find(&ini, "default");
    SPS_CHECK_STR_EQ(sps_ini_get(d, "s3"), "");
    SPS_CHECK(sps_ini_get(d, "max_concurrent_requests") == NULL);
    SPS_CHECK_STR_EQ(sps_ini_get(d, "region"), "eu-west-1");
    SPS_CHECK_INT_EQ(d->count, 2);
    sps_ini_clean_up(&ini);
}

static void test_ini_repeats_merge(void)
{
    struct sps_ini ini;
    s_parse_ok(&ini, "\xEF\xBB\xBF[a]\nx = 1\ny = 2\n[b]\nz = 3\n[a]\nx = 9\n");
    SPS_CHECK_INT_EQ(ini.count, 2);
    SPS_CHECK_STR_EQ(sps_ini_get(sps_ini_find(&ini, "a"), "x"), "9");
    SPS_CHECK_STR_EQ(sps_ini_get(sps_ini_find(&ini, "a"), "y"), "2");
    /* A second parse into the same ini merges too (config then credentials, say). */
    SPS_CHECK_OK(sps_ini_parse(&ini, SPS_CURSOR_LIT("[c]\nw=4"), "second", NULL));
    SPS_CHECK_STR_EQ(sps_ini_get(sps_ini_find(&ini, "c"), "w"), "4");
    sps_ini_clean_up(&ini);
}

static void s_expect_malformed(const char *text, const char *expected_detail)
{
    struct sps_ini ini;
    sps_ini_init(&ini);
    struct sps_buf detail;
    sps_buf_init(&detail, 0);
    SPS_CHECK_ERR(sps_ini_parse(&ini, sps_cursor_from_str(text), "/home/u/.aws/config", &detail),
                  SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(detail.data, expected_detail);
    sps_buf_clean_up(&detail);
    sps_ini_clean_up(&ini);
}

static void test_ini_malformed_lines_name_file_and_line(void)
{
    s_expect_malformed("[default]\nregion = x\njust words\n",
                       "/home/u/.aws/config:3: expected '[section]' or 'key = value'");
    s_expect_malformed("# c\nregion = x\n",
                       "/home/u/.aws/config:2: 'key = value' before any [section]");
    s_expect_malformed("[default\n", "/home/u/.aws/config:1: section header without a closing ']'");
    s_expect_malformed("[ ]\n", "/home/u/.aws/config:1: empty section name");
    s_expect_malformed("[a]\n = value\n",
                       "/home/u/.aws/config:2: expected '[section]' or 'key = value'");
    s_expect_malformed("[a]\ns3 =\n  not a pair\n",
                       "/home/u/.aws/config:3: expected 'key = value' in the nested block");
}

static void test_ini_nul_byte_in_middle(void)
{
    /* The literal above stops at the NUL; build one with an embedded NUL explicitly. */
    static const char text[] = "[a]\nk = v\0junk\n";
    struct sps_ini ini;
    sps_ini_init(&ini);
    struct sps_buf detail;
    sps_buf_init(&detail, 0);
    SPS_CHECK_ERR(sps_ini_parse(&ini, sps_cursor_from_mem(text, sizeof(text) - 1), "f", &detail),
                  SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(detail.data, "f:2: NUL byte in line");
    sps_buf_clean_up(&detail);
    sps_ini_clean_up(&ini);
}

static void test_ini_load_files(void)
{
    struct sps_ini ini;
    sps_ini_init(&ini);
    struct sps_buf detail;
    sps_buf_init(&detail, 0);
    SPS_CHECK_OK(sps_ini_load(&ini, sps_test_fixture("credentials/config"), &detail));
    SPS_CHECK_STR_EQ(sps_ini_get(sps_ini_find(&ini, "profile both"), "region"), "ap-southeast-2");
    SPS_CHECK(sps_ini_find(&ini, "sso-session corp") != NULL);
    sps_ini_clean_up(&ini);
    SPS_CHECK_ERR(sps_ini_load(&ini, "/nonexistent/sps/config", &detail), SPS_ERR_NOT_FOUND);
    /* A directory cannot be read as a file. */
    SPS_CHECK_ERR(sps_ini_load(&ini, "/", &detail), SPS_ERR_IO);
    SPS_CHECK(strstr(detail.data, "/:") == detail.data);
    sps_buf_clean_up(&detail);
    sps_ini_clean_up(&ini);
}

SPS_TEST_MAIN(SPS_CASE(test_ini_sections_keys_comments), SPS_CASE(test_ini_subsections_are_ignored),
              SPS_CASE(test_ini_repeats_merge),
              SPS_CASE(test_ini_malformed_lines_name_file_and_line),
              SPS_CASE(test_ini_nul_byte_in_middle), SPS_CASE(test_ini_load_files))
