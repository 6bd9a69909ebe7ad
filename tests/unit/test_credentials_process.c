/* credential_process: a real /bin/sh child per case; success, expiry and caching, and every
 * failure (exit status, signal, bad JSON, wrong Version, missing fields, timeout, oversized). */
#include "sps_aws_credentials_private.h"
#include "sps_fakes.h"
#include "test_credentials_support.h"

static int64_t s_epoch(const char *iso)
{
    int64_t ms = 0;
    SPS_CHECK_OK(sps_time_parse_iso8601(sps_cursor_from_str(iso), &ms));
    return ms;
}

static struct sps_aws_credentials_provider *
s_process(const char *command, struct sps_fake_clock *clock, int64_t timeout_ms, size_t max_output)
{
    struct sps_creds_process_options o = {command, timeout_ms, max_output, &clock->clock};
    return sps_creds_process_new(&o);
}

/* Runs the command once and expects a failure with that message. */
static void s_expect_failure(const char *command, int64_t timeout_ms, size_t max_output,
                             const char *message)
{
    struct sps_fake_clock clock;
    sps_fake_clock_init(&clock, s_epoch("2026-11-24T06:00:00Z"));
    struct sps_aws_credentials_provider *p = s_process(command, &clock, timeout_ms, max_output);
    struct sps_aws_credentials c = {0};
    struct sps_aws_error aws_err;
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &c, &aws_err), SPS_ERR_CREDS_PROCESS);
    SPS_CHECK_STR_EQ(aws_err.message, message);
    SPS_CHECK(c.access_key_id == NULL);
    sps_aws_credentials_provider_destroy(p);
    sps_log_clear_secrets();
}

static void test_process_success_with_expiration_and_refresh(void)
{
    struct s_tmp t;
    s_tmp_init(&t);
    const char *counter = s_tmp_path(&t, "runs");
    char command[1024];
    snprintf(command, sizeof(command),
             "echo run >> '%s'; printf '%%s' '{\"Version\": 1, \"AccessKeyId\": "
             "\"AKIAPROCESS000000000\", \"SecretAccessKey\": \"process-secret-0000\", "
             "\"SessionToken\": \"process-token-00000\", \"Expiration\": "
             "\"2026-11-24T07:00:00Z\"}'",
             counter);
    char counter_path[512];
    snprintf(counter_path, sizeof(counter_path), "%s", counter);
    struct sps_fake_clock clock;
    sps_fake_clock_init(&clock, s_epoch("2026-11-24T06:00:00Z"));
    struct sps_aws_credentials_provider *p = s_process(command, &clock, 0, 0);
    SPS_CHECK_STR_EQ(p->name, "credential_process");
    struct sps_aws_credentials c = {0};
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    SPS_CHECK_STR_EQ(c.access_key_id, "AKIAPROCESS000000000");
    SPS_CHECK_STR_EQ(c.secret_access_key, "process-secret-0000");
    SPS_CHECK_STR_EQ(c.session_token, "process-token-00000");
    SPS_CHECK_INT_EQ(c.expiration_ms, s_epoch("2026-11-24T07:00:00Z"));
    sps_aws_credentials_clean_up(&c);
    /* Half an hour later the cached credentials serve; 4 minutes before expiry it runs again. */
    clock.wall_ms = s_epoch("2026-11-24T06:30:00Z");
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    sps_aws_credentials_clean_up(&c);
    struct sps_buf runs;
    sps_buf_init(&runs, 0);
    SPS_CHECK_OK(sps_file_read(&runs, counter_path));
    SPS_CHECK_STR_EQ(runs.data, "run\n");
    clock.wall_ms = s_epoch("2026-11-24T06:56:00Z");
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    sps_aws_credentials_clean_up(&c);
    SPS_CHECK_OK(sps_file_read(&runs, counter_path));
    SPS_CHECK_STR_EQ(runs.data, "run\nrun\n");
    sps_buf_clean_up(&runs);
    sps_aws_credentials_provider_destroy(p);
    unlink(counter_path);
    s_tmp_clean_up(&t);
    sps_log_clear_secrets();
}

static void test_process_without_expiration_runs_once(void)
{
    struct s_tmp t;
    s_tmp_init(&t);
    char counter[512], command[1024];
    snprintf(counter, sizeof(counter), "%s", s_tmp_path(&t, "runs"));
    snprintf(command, sizeof(command),
             "echo run >> '%s'; echo '{\"Version\":1,\"AccessKeyId\":\"AKIA1\","
             "\"SecretAccessKey\":\"s1-secret-000\"}'",
             counter);
    struct sps_fake_clock clock;
    sps_fake_clock_init(&clock, s_epoch("2026-11-24T06:00:00Z"));
    struct sps_aws_credentials_provider *p = s_process(command, &clock, 0, 0);
    struct sps_aws_credentials c = {0};
    for (int i = 0; i < 3; i++) {
        SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
        SPS_CHECK(c.session_token == NULL);
        SPS_CHECK_INT_EQ(c.expiration_ms, 0);
        sps_aws_credentials_clean_up(&c);
        clock.wall_ms += 24 * 3600 * 1000LL;
    }
    struct sps_buf runs;
    sps_buf_init(&runs, 0);
    SPS_CHECK_OK(sps_file_read(&runs, counter));
    SPS_CHECK_STR_EQ(runs.data, "run\n");
    sps_buf_clean_up(&runs);
    sps_aws_credentials_provider_destroy(p);
    unlink(counter);
    s_tmp_clean_up(&t);
    sps_log_clear_secrets();
}

static void test_process_failures(void)
{
    /* The output of a failing command is never quoted: it may be the secret. */
    s_expect_failure("echo '{\"SecretAccessKey\":\"leak\"}'; exit 3", 0, 0,
                     "the command exited with status 3");
    s_expect_failure("kill -9 $$", 0, 0, "the command was killed by signal 9");
    s_expect_failure("echo not json", 0, 0,
                     "the credentials are not valid JSON (line 1, column 3)");
    s_expect_failure("true", 0, 0, "the credentials are not valid JSON (line 1, column 0)");
    s_expect_failure("echo '[1]'", 0, 0, "the credentials JSON is not an object");
    s_expect_failure("echo '{\"Version\":2,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\"}'", 0, 0,
                     "unsupported Version in the credentials JSON (expected 1)");
    s_expect_failure("echo '{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\"}'", 0, 0,
                     "unsupported Version in the credentials JSON (expected 1)");
    s_expect_failure("echo '{\"Version\":1,\"AccessKeyId\":\"A\"}'", 0, 0,
                     "the credentials JSON lacks SecretAccessKey");
    s_expect_failure("echo '{\"Version\":1,\"AccessKeyId\":\"\",\"SecretAccessKey\":\"S\"}'", 0, 0,
                     "the credentials JSON lacks AccessKeyId");
    s_expect_failure("echo '{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
                     "\"Expiration\":\"tomorrow\"}'",
                     0, 0, "the credentials Expiration \"tomorrow\" is not ISO 8601");
    s_expect_failure("echo '{\"Version\":1,\"Version\":1}'", 0, 0,
                     "the credentials are not valid JSON (line 1, column 22)");
}

static void test_process_timeout_kills_it(void)
{
    int64_t start = sps_clock_system()->mono_ms(NULL);
    s_expect_failure("sleep 30", 300, 0, "the command did not finish within 300 ms; it was killed");
    /* Closing stdout without exiting is no escape. */
    s_expect_failure("exec >&-; sleep 30", 300, 0,
                     "the command did not finish within 300 ms; it was killed");
    SPS_CHECK(sps_clock_system()->mono_ms(NULL) - start < 5000);
}

static void test_process_oversized_output(void)
{
    s_expect_failure("while :; do echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; done", 5000, 1024,
                     "the command printed more than 1024 bytes; it was killed");
}

static struct sps_buf s_log_lines;

static void s_capture(void *ctx, const char *line, size_t len)
{
    (void)sps_buf_append(&s_log_lines, line, len);
}

static void test_process_secrets_stay_out_of_logs(void)
{
    sps_buf_init(&s_log_lines, 0);
    static const struct sps_log_sink sink = {s_capture, NULL};
    sps_log_set_sink(&sink);
    sps_log_set_level(SPS_LOG_TRACE);
    /* A failing command that printed a secret: the failure is logged, the secret is not. */
    s_expect_failure("echo '{\"SecretAccessKey\":\"LEAKED-SECRET-123\"}'; exit 1", 0, 0,
                     "the command exited with status 1");
    s_expect_failure("echo '{\"LEAKED-SECRET-456\"'", 0, 0,
                     "the credentials are not valid JSON (line 2, column 0)");
    /* A successful one: its secret and token are scrubbed from anything logged later. */
    struct sps_fake_clock clock;
    sps_fake_clock_init(&clock, 0);
    struct sps_aws_credentials_provider *p =
        s_process("echo '{\"Version\":1,\"AccessKeyId\":\"AKIAPROC\",\"SecretAccessKey\":"
                  "\"PROCESS-SECRET-789\",\"SessionToken\":\"PROCESS-TOKEN-789\"}'",
                  &clock, 0, 0);
    struct sps_aws_credentials c = {0};
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    sps_log(SPS_LOG_ERROR, "oops", "detail", "secret PROCESS-SECRET-789 token PROCESS-TOKEN-789",
            NULL);
    sps_log_set_sink(NULL);
    sps_log_set_level(SPS_LOG_OFF);
    SPS_CHECK(strstr(s_log_lines.data, "exited with status 1") != NULL);
    SPS_CHECK(strstr(s_log_lines.data, "oops") != NULL);
    SPS_CHECK(strstr(s_log_lines.data, "LEAKED") == NULL);
    SPS_CHECK(strstr(s_log_lines.data, "PROCESS-SECRET-789") == NULL);
    SPS_CHECK(strstr(s_log_lines.data, "PROCESS-TOKEN-789") == NULL);
    sps_aws_credentials_clean_up(&c);
    sps_aws_credentials_provider_destroy(p);
    sps_buf_clean_up(&s_log_lines);
    sps_log_clear_secrets();
}

SPS_TEST_MAIN(SPS_CASE(test_process_secrets_stay_out_of_logs),
              SPS_CASE(test_process_success_with_expiration_and_refresh),
              SPS_CASE(test_process_without_expiration_runs_once), SPS_CASE(test_process_failures),
              SPS_CASE(test_process_timeout_kills_it), SPS_CASE(test_process_oversized_output))
