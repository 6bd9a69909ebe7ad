/* The CA bundle the libcurl transport falls back to when libcurl's compiled-in file is missing
 * (Debian's libcurl on Amazon Linux 2023): the order of the search, what is reported as tried,
 * and the real file check. */
#include "sps_aws.h"
#include "sps_test.h"

#include <string.h>

static const char *s_present; /* the one path the fake filesystem has */

static bool s_exists(const char *path)
{
    return s_present && strcmp(path, s_present) == 0;
}

static const char *s_pick(const char *builtin, const char *present, struct sps_buf *tried)
{
    s_present = present;
    sps_buf_reset(tried);
    return sps_http_ca_bundle_pick(builtin, s_exists, tried);
}

static void test_builtin_used_when_it_exists(void)
{
    struct sps_buf tried;
    sps_buf_init(&tried, 0);
    SPS_CHECK_STR_EQ(s_pick("/opt/curl/ca.pem", "/opt/curl/ca.pem", &tried), "/opt/curl/ca.pem");
    SPS_CHECK_INT_EQ(tried.len, 0);
    sps_buf_clean_up(&tried);
}

static void test_al2023_bundle_when_debians_is_missing(void)
{
    struct sps_buf tried;
    sps_buf_init(&tried, 0);
    const char *debian = "/etc/ssl/certs/ca-certificates.crt";
    SPS_CHECK_STR_EQ(s_pick(debian, "/etc/pki/tls/certs/ca-bundle.crt", &tried),
                     "/etc/pki/tls/certs/ca-bundle.crt");
    SPS_CHECK_STR_EQ(tried.data, debian); /* the builtin is not looked at twice */
    SPS_CHECK_STR_EQ(s_pick(debian, "/etc/ssl/certs/ca-bundle.crt", &tried),
                     "/etc/ssl/certs/ca-bundle.crt");
    SPS_CHECK_STR_EQ(tried.data, "/etc/ssl/certs/ca-certificates.crt, "
                                 "/etc/pki/tls/certs/ca-bundle.crt");
    /* no builtin (a libcurl built without one): the list from its start */
    SPS_CHECK_STR_EQ(s_pick(NULL, debian, &tried), debian);
    SPS_CHECK_INT_EQ(tried.len, 0);
    SPS_CHECK_STR_EQ(s_pick("", "/etc/ssl/cert.pem", &tried), "/etc/ssl/cert.pem");
    SPS_CHECK(strncmp(tried.data, "/etc/ssl/certs/ca-certificates.crt, ", 36) == 0);
    sps_buf_clean_up(&tried);
}

static void test_none_found_names_every_path_tried(void)
{
    struct sps_buf tried;
    sps_buf_init(&tried, 0);
    SPS_CHECK(s_pick("/opt/curl/ca.pem", NULL, &tried) == NULL);
    SPS_CHECK(strncmp(tried.data, "/opt/curl/ca.pem, /etc/ssl/certs/ca-certificates.crt, ", 54) ==
              0);
    size_t n = 0;
    for (; sps_http_ca_bundle_paths[n]; n++)
        SPS_CHECK(strstr(tried.data, sps_http_ca_bundle_paths[n]) != NULL);
    SPS_CHECK_INT_EQ(n, 7);
    /* the builtin is one of the list: each path appears once */
    SPS_CHECK(s_pick("/etc/ssl/certs/ca-certificates.crt", NULL, &tried) == NULL);
    const char *first = strstr(tried.data, "/etc/ssl/certs/ca-certificates.crt");
    SPS_CHECK(first == tried.data && strstr(first + 34, "ca-certificates.crt") == NULL);
    SPS_CHECK(strstr(tried.data, "/etc/ssl/cert.pem") != NULL);
    /* `tried` is optional */
    s_present = NULL;
    SPS_CHECK(sps_http_ca_bundle_pick(NULL, s_exists, NULL) == NULL);
    sps_buf_clean_up(&tried);
}

static void test_file_exists_is_a_readable_regular_file(void)
{
    SPS_CHECK(sps_http_file_exists(SPS_SOURCE_DIR "/CMakeLists.txt"));
    SPS_CHECK(!sps_http_file_exists(SPS_SOURCE_DIR));         /* a directory */
    SPS_CHECK(!sps_http_file_exists("/nonexistent/ca.pem")); /* missing */
    SPS_CHECK(!sps_http_file_exists(""));
}

int main(int argc, char **argv)
{
    static const struct sps_test_case cases[] = {
        SPS_CASE(test_builtin_used_when_it_exists),
        SPS_CASE(test_al2023_bundle_when_debians_is_missing),
        SPS_CASE(test_none_found_names_every_path_tried),
        SPS_CASE(test_file_exists_is_a_readable_regular_file),
    };
    return sps_test_main(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
