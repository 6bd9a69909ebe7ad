/* The JSON-lines logger: format, levels, and that no secret reaches the sink. */
#include "sps_fakes.h"
#include "sps_test.h"

static struct sps_buf s_out;

static void s_capture(void *ctx, const char *line, size_t len)
{
    (void)sps_buf_append(&s_out, line, len);
}

static const struct sps_log_sink s_sink = {s_capture, NULL};

static void s_begin(void)
{
    sps_buf_init(&s_out, 0);
    sps_log_set_sink(&s_sink);
    sps_log_set_level(SPS_LOG_TRACE);
}

static void s_end(void)
{
    sps_log_set_sink(NULL);
    sps_log_set_clock(NULL);
    sps_log_set_level(SPS_LOG_OFF);
    sps_log_clear_secrets();
    sps_buf_clean_up(&s_out);
}

static void test_line_format(void)
{
    s_begin();
    struct sps_fake_clock clock;
    sps_fake_clock_init(&clock, 1764000000123);
    sps_log_set_clock(&clock.clock);
    sps_log(SPS_LOG_INFO, "group \"web\" scanned", "region", "us-east-1", "note", "a\nb\\c", NULL);
    SPS_CHECK_STR_EQ(s_out.data,
                     "{\"time\":\"2025-11-24T16:00:00.123Z\",\"level\":\"info\",\"msg\":\"group "
                     "\\\"web\\\" scanned\",\"region\":\"us-east-1\",\"note\":\"a\\nb\\\\c\"}\n");
    s_end();
}

static void test_levels_filter(void)
{
    s_begin();
    sps_log_set_level(SPS_LOG_WARN);
    sps_log(SPS_LOG_INFO, "hidden", NULL);
    sps_log(SPS_LOG_DEBUG, "hidden", NULL);
    SPS_CHECK_INT_EQ(s_out.len, 0);
    sps_log(SPS_LOG_ERROR, "shown", NULL);
    SPS_CHECK(strstr(s_out.data, "\"level\":\"error\"") != NULL);
    SPS_CHECK(!sps_log_enabled(SPS_LOG_INFO) && sps_log_enabled(SPS_LOG_WARN));
    enum sps_log_level level;
    SPS_CHECK_OK(sps_log_level_parse("DEBUG", &level));
    SPS_CHECK_INT_EQ(level, SPS_LOG_DEBUG);
    SPS_CHECK_ERR(sps_log_level_parse("verbose", &level), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_log_level_parse(NULL, &level), SPS_ERR_INVALID_ARGUMENT);
    s_end();
}

static void test_sensitive_keys_are_masked(void)
{
    s_begin();
    sps_log(SPS_LOG_DEBUG, "creds", "aws_secret_access_key", "abc", "SessionToken", "t0k",
            "Authorization", "AWS4-HMAC-SHA256 Credential=x", NULL);
    SPS_CHECK(strstr(s_out.data, "abc") == NULL);
    SPS_CHECK(strstr(s_out.data, "t0k") == NULL);
    SPS_CHECK(strstr(s_out.data, "AWS4-HMAC") == NULL);
    SPS_CHECK(strstr(s_out.data, "\"SessionToken\":\"[REDACTED]\"") != NULL);
    s_end();
}

static void test_registered_secrets_are_scrubbed_everywhere(void)
{
    s_begin();
    const char *secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    sps_log_add_secret(secret);
    sps_log_add_secret("short"); /* ignored: would mask ordinary words */
    sps_log(SPS_LOG_TRACE, "request body had wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY in it",
            "body", "x=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY&y=short", NULL);
    SPS_CHECK(strstr(s_out.data, secret) == NULL);
    SPS_CHECK(strstr(s_out.data, "y=short") != NULL);
    sps_log_clear_secrets();
    sps_buf_reset(&s_out);
    sps_log(SPS_LOG_INFO, "after clear", "v", secret, NULL);
    SPS_CHECK(strstr(s_out.data, secret) != NULL);
    s_end();
}

static void test_patterns_in_free_text_are_masked(void)
{
    s_begin();
    sps_log(SPS_LOG_TRACE, "request",
            "headers",
            "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
            "aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e"
            "8372ff2a2260956d9b8aae1d763fbf31\nX-Amz-Security-Token: IQoJb3JpZ2luX2VjEJr//token\n"
            "Host: ec2.us-east-1.amazonaws.com",
            "url", "https://x/?X-Amz-Signature=abcdef0123&X-Amz-Security-Token=tok&a=1",
            "key", "AKIAIOSFODNN7EXAMPLE", NULL);
    SPS_CHECK(strstr(s_out.data, "5fa00fa3") == NULL);
    SPS_CHECK(strstr(s_out.data, "IQoJb3Jp") == NULL);
    SPS_CHECK(strstr(s_out.data, "AKIDEXAMPLE") == NULL);
    SPS_CHECK(strstr(s_out.data, "abcdef0123") == NULL);
    SPS_CHECK(strstr(s_out.data, "AKIAIOSFODNN7EXAMPLE") == NULL);
    SPS_CHECK(strstr(s_out.data, "AKIA****") != NULL);
    SPS_CHECK(strstr(s_out.data, "Host: ec2.us-east-1.amazonaws.com") != NULL);
    SPS_CHECK(strstr(s_out.data, "&a=1") != NULL);
    s_end();
}

static void test_redact_helper(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    SPS_CHECK_OK(sps_log_redact(&b, "password", "hunter2"));
    SPS_CHECK_STR_EQ(b.data, "[REDACTED]");
    sps_buf_reset(&b);
    SPS_CHECK_OK(sps_log_redact(&b, NULL, NULL));
    SPS_CHECK_STR_EQ(b.data, "");
    sps_buf_clean_up(&b);
}

SPS_TEST_MAIN(SPS_CASE(test_line_format), SPS_CASE(test_levels_filter),
              SPS_CASE(test_sensitive_keys_are_masked),
              SPS_CASE(test_registered_secrets_are_scrubbed_everywhere),
              SPS_CASE(test_patterns_in_free_text_are_masked), SPS_CASE(test_redact_helper))
