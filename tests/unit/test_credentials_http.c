/* The ECS container endpoint and EC2 instance metadata (IMDSv2) providers, against the scripted
 * fake transport: the exact requests, the allowed hosts, tokens, retries, caching and every
 * failure. */
#include "sps_aws_credentials_private.h"
#include "sps_fakes.h"
#include "test_credentials_support.h"

#define S_NOW "2026-11-24T06:00:00Z"
#define S_CREDS_JSON(code)                                                                         \
    "{\"Code\": \"" code "\", \"AccessKeyId\": \"ASIAREMOTE0000000000\", \"SecretAccessKey\": "    \
    "\"remote-secret-000000\", \"Token\": \"remote-token-0000000\", \"Expiration\": "              \
    "\"2026-11-24T12:00:00Z\"}"

static int64_t s_epoch(const char *iso)
{
    int64_t ms = 0;
    SPS_CHECK_OK(sps_time_parse_iso8601(sps_cursor_from_str(iso), &ms));
    return ms;
}

struct s_fixture {
    struct sps_fake_env env;
    struct sps_fake_clock clock;
    struct sps_http_transport *transport;
    struct sps_fake_transport *fake;
    struct sps_aws_credentials creds;
    struct sps_aws_error aws_err;
};

static void s_setup(struct s_fixture *f)
{
    memset(f, 0, sizeof(*f));
    sps_fake_env_init(&f->env);
    sps_fake_clock_init(&f->clock, s_epoch(S_NOW));
    sps_fake_transport_new(&f->transport, &f->fake);
}

static void s_teardown(struct s_fixture *f, struct sps_aws_credentials_provider *p)
{
    sps_aws_credentials_clean_up(&f->creds);
    sps_aws_credentials_provider_destroy(p);
    sps_http_transport_destroy(f->transport);
    sps_log_clear_secrets();
}

static const struct sps_http_request *s_req(struct s_fixture *f, size_t i)
{
    const struct sps_http_request *r = sps_fake_transport_request(f->fake, i);
    SPS_CHECK(r != NULL);
    return r;
}

/* ------------------------------------------------------------------------------- ECS ---- */

static struct sps_aws_credentials_provider *s_ecs(struct s_fixture *f)
{
    return sps_creds_ecs_new(&f->env.env, &f->clock.clock, f->transport);
}

static void test_ecs_relative_uri(void)
{
    struct s_fixture f;
    s_setup(&f);
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
    sps_fake_env_set(&f.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-for-relative-uris");
    sps_fake_transport_push(f.fake, 200, NULL, S_CREDS_JSON("Success"));
    struct sps_aws_credentials_provider *p = s_ecs(&f);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(f.creds.access_key_id, "ASIAREMOTE0000000000");
    SPS_CHECK_STR_EQ(f.creds.secret_access_key, "remote-secret-000000");
    SPS_CHECK_STR_EQ(f.creds.session_token, "remote-token-0000000");
    SPS_CHECK_INT_EQ(f.creds.expiration_ms, s_epoch("2026-11-24T12:00:00Z"));
    const struct sps_http_request *r = s_req(&f, 0);
    SPS_CHECK_STR_EQ(r->method, "GET");
    SPS_CHECK_STR_EQ(r->url.data, "http://169.254.170.2/v2/credentials/abc");
    SPS_CHECK(sps_http_headers_get(&r->headers, "Authorization") == NULL);
    SPS_CHECK_INT_EQ(r->total_timeout_ms, 2000);
    /* Cached: a second get within the validity sends nothing. */
    sps_aws_credentials_clean_up(&f.creds);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 1);
    s_teardown(&f, p);
}

static void test_ecs_full_uri_with_token_and_token_file(void)
{
    struct s_fixture f;
    s_setup(&f);
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:51679/creds");
    sps_fake_env_set(&f.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic env-token-value");
    sps_fake_transport_push(f.fake, 200, NULL, S_CREDS_JSON("Success"));
    struct sps_aws_credentials_provider *p = s_ecs(&f);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(s_req(&f, 0)->url.data, "http://127.0.0.1:51679/creds");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&s_req(&f, 0)->headers, "Authorization"),
                     "Basic env-token-value");
    sps_aws_credentials_provider_destroy(p);
    sps_aws_credentials_clean_up(&f.creds);

    /* The token file wins over the variable and is trimmed of its trailing newline. */
    struct s_tmp t;
    s_tmp_init(&t);
    const char *file = s_tmp_write(&t, "token", "eks-pod-identity-token\n");
    sps_fake_env_set(&f.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file);
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                     "http://169.254.170.23/v1/credentials");
    sps_fake_transport_push(f.fake, 200, NULL, S_CREDS_JSON("Success"));
    p = s_ecs(&f);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(sps_http_headers_get(&s_req(&f, 1)->headers, "Authorization"),
                     "eks-pod-identity-token");
    s_tmp_clean_up(&t);
    s_teardown(&f, p);
}

static void s_expect_ecs_error(struct s_fixture *f, const char *message)
{
    struct sps_aws_credentials_provider *p = s_ecs(f);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f->creds, &f->aws_err),
                  SPS_ERR_CREDS_CONTAINER);
    SPS_CHECK_STR_EQ(f->aws_err.message, message);
    sps_aws_credentials_provider_destroy(p);
}

static void test_ecs_full_uri_hosts(void)
{
    static const char *const allowed[] = {
        "http://localhost/creds",      "http://127.0.0.1/creds",
        "http://127.1.2.3:80/creds",   "http://[::1]:8080/creds",
        "http://169.254.170.2/creds",  "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/creds", "https://creds.example.com/path",
        "http://user@127.0.0.1/creds"};
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
        struct s_fixture f;
        s_setup(&f);
        sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI", allowed[i]);
        sps_fake_transport_push(f.fake, 200, NULL, S_CREDS_JSON("Success"));
        struct sps_aws_credentials_provider *p = s_ecs(&f);
        SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
        SPS_CHECK_STR_EQ(s_req(&f, 0)->url.data, allowed[i]);
        s_teardown(&f, p);
    }
    static const char *const refused[][2] = {
        {"http://example.com/creds", "AWS_CONTAINER_CREDENTIALS_FULL_URI host 'example.com' is "
                                     "not allowed over http: use a loopback address, "
                                     "169.254.170.2, 169.254.170.23, [fd00:ec2::23], or https"},
        {"http://169.254.169.254/creds", NULL},
        {"http://127.0.0.1.evil.com/creds", NULL},
        {"http://127.0.0/creds", NULL},
        {"http://[fd00:ec2::24]/creds", NULL},
        {"http://localhost@evil.com/creds", NULL},
        {"ftp://127.0.0.1/creds",
         "AWS_CONTAINER_CREDENTIALS_FULL_URI must be an http:// or https:// URL"},
        {"http:///creds", "AWS_CONTAINER_CREDENTIALS_FULL_URI has no host"},
        {"http://[::1/creds", "AWS_CONTAINER_CREDENTIALS_FULL_URI has no host"}};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        struct s_fixture f;
        s_setup(&f);
        sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI", refused[i][0]);
        struct sps_aws_credentials_provider *p = s_ecs(&f);
        SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err),
                      SPS_ERR_CREDS_CONTAINER);
        if (refused[i][1])
            SPS_CHECK_STR_EQ(f.aws_err.message, refused[i][1]);
        else
            SPS_CHECK(strstr(f.aws_err.message, "is not allowed over http") != NULL);
        SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
        s_teardown(&f, p);
    }
}

static void test_ecs_token_problems(void)
{
    struct s_fixture f;
    s_setup(&f);
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://localhost/creds");
    sps_fake_env_set(&f.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/nonexistent/sps/token");
    s_expect_ecs_error(&f, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE "
                           "/nonexistent/sps/token");
    sps_fake_env_set(&f.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "");
    sps_fake_env_set(&f.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN", "abc\r\nX-Injected: 1");
    s_expect_ecs_error(&f, "the container authorization token contains a line break");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    s_teardown(&f, NULL);
}

static void test_ecs_failures_and_retries(void)
{
    struct s_fixture f;
    s_setup(&f);
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "v2/credentials/x");
    /* One fault, then an answer: retried after a second. */
    sps_fake_transport_push_error(f.fake, SPS_ERR_HTTP_CONNECT);
    sps_fake_transport_push(f.fake, 200, NULL, S_CREDS_JSON("Success"));
    struct sps_aws_credentials_provider *p = s_ecs(&f);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(s_req(&f, 1)->url.data, "http://169.254.170.2/v2/credentials/x");
    SPS_CHECK_INT_EQ(f.clock.slept_ms, 1000);
    sps_aws_credentials_provider_destroy(p);

    for (int i = 0; i < 3; i++)
        sps_fake_transport_push_error(f.fake, SPS_ERR_HTTP_TIMEOUT);
    s_expect_ecs_error(&f, "the container credentials endpoint is unreachable: the request "
                           "timed out");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 5);
    for (int i = 0; i < 3; i++)
        sps_fake_transport_push(f.fake, 503, NULL, "busy");
    s_expect_ecs_error(&f, "the container credentials endpoint answered HTTP 503");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 8);
    sps_fake_transport_push(f.fake, 404, NULL, "no such task");
    s_expect_ecs_error(&f, "the container credentials endpoint answered HTTP 404");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 9); /* 4xx: no retry */
    sps_fake_transport_push(f.fake, 200, NULL, "<html>");
    s_expect_ecs_error(&f, "the credentials are not valid JSON (line 1, column 1)");
    sps_fake_transport_push(f.fake, 200, NULL,
                            "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\",\"Token\":\"T\"}");
    s_expect_ecs_error(&f, "the credentials JSON lacks Expiration");
    s_teardown(&f, NULL);
}

static void test_ecs_oversized_settings(void)
{
    static char long_uri[9000], long_token[20000];
    memset(long_uri, 'a', sizeof(long_uri) - 1);
    long_uri[0] = '/';
    memset(long_token, 't', sizeof(long_token) - 1);
    struct s_fixture f;
    s_setup(&f);
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", long_uri);
    s_expect_ecs_error(&f, "the container credentials URL is too long");
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "");
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://localhost/creds");
    sps_fake_env_set(&f.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN", long_token);
    s_expect_ecs_error(&f, "the container authorization token is too large");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    s_teardown(&f, NULL);
}

static void test_ecs_not_configured(void)
{
    struct s_fixture f;
    s_setup(&f);
    struct sps_aws_credentials_provider *p = s_ecs(&f);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, NULL), SPS_ERR_CREDS_NOT_FOUND);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    s_teardown(&f, p);
}

/* ------------------------------------------------------------------------------ IMDS ---- */

static struct sps_aws_credentials_provider *s_imds(struct s_fixture *f)
{
    return sps_creds_imds_new(&f->env.env, &f->clock.clock, f->transport);
}

static void s_push_imds_happy(struct s_fixture *f, bool with_token)
{
    if (with_token)
        sps_fake_transport_push(f->fake, 200, NULL, "imds-session-token-1");
    sps_fake_transport_push(f->fake, 200, NULL, "spotswap-role\n");
    sps_fake_transport_push(f->fake, 200, NULL, S_CREDS_JSON("Success"));
}

static void s_check_get(struct s_fixture *f, size_t i, const char *url, const char *token)
{
    const struct sps_http_request *r = s_req(f, i);
    SPS_CHECK_STR_EQ(r->method, "GET");
    SPS_CHECK_STR_EQ(r->url.data, url);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&r->headers, "X-aws-ec2-metadata-token"), token);
    SPS_CHECK_INT_EQ(r->connect_timeout_ms, 1000);
    SPS_CHECK_INT_EQ(r->total_timeout_ms, 1000);
}

static void test_imds_v2_happy_path_and_token_cache(void)
{
    struct s_fixture f;
    s_setup(&f);
    s_push_imds_happy(&f, true);
    struct sps_aws_credentials_provider *p = s_imds(&f);
    SPS_CHECK_STR_EQ(p->name, "imds");
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(f.creds.access_key_id, "ASIAREMOTE0000000000");
    SPS_CHECK_STR_EQ(f.creds.session_token, "remote-token-0000000");
    SPS_CHECK_INT_EQ(f.creds.expiration_ms, s_epoch("2026-11-24T12:00:00Z"));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 3);
    const struct sps_http_request *put = s_req(&f, 0);
    SPS_CHECK_STR_EQ(put->method, "PUT");
    SPS_CHECK_STR_EQ(put->url.data, "http://169.254.169.254/latest/api/token");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&put->headers, "X-aws-ec2-metadata-token-ttl-seconds"),
                     "21600");
    SPS_CHECK(sps_http_headers_get(&put->headers, "X-aws-ec2-metadata-token") == NULL);
    SPS_CHECK_INT_EQ(put->total_timeout_ms, 1000);
    s_check_get(&f, 1, "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                "imds-session-token-1");
    s_check_get(&f, 2,
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/spotswap-role",
                "imds-session-token-1");

    /* Within 5 minutes of expiry it refreshes, reusing the token (no PUT). */
    sps_aws_credentials_clean_up(&f.creds);
    f.clock.wall_ms = s_epoch("2026-11-24T11:57:00Z");
    s_push_imds_happy(&f, false);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 5);
    SPS_CHECK_STR_EQ(s_req(&f, 3)->method, "GET");
    /* Past the token's six-hour TTL, a new token first. */
    sps_aws_credentials_clean_up(&f.creds);
    f.clock.wall_ms = s_epoch("2026-11-24T12:30:00Z");
    sps_fake_transport_push(f.fake, 200, NULL, "imds-session-token-2");
    sps_fake_transport_push(f.fake, 200, NULL, "spotswap-role");
    sps_fake_transport_push(f.fake, 200, NULL,
                            "{\"Code\":\"Success\",\"AccessKeyId\":\"ASIA2\",\"SecretAccessKey\":"
                            "\"s2-secret-0000\",\"Token\":\"t2-token-000000\",\"Expiration\":"
                            "\"2026-11-24T18:30:00Z\"}");
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(f.creds.access_key_id, "ASIA2");
    SPS_CHECK_STR_EQ(s_req(&f, 5)->method, "PUT");
    s_check_get(&f, 7,
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/spotswap-role",
                "imds-session-token-2");
    s_teardown(&f, p);
}

static void s_expect_imds(struct s_fixture *f, sps_err expected, const char *message)
{
    struct sps_aws_credentials_provider *p = s_imds(f);
    sps_aws_error_clear(&f->aws_err);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f->creds, &f->aws_err), expected);
    SPS_CHECK_STR_EQ(f->aws_err.message, message);
    sps_aws_credentials_provider_destroy(p);
}

static void test_imds_token_refused(void)
{
    struct s_fixture f;
    s_setup(&f);
    sps_fake_transport_push(f.fake, 403, NULL, "Forbidden");
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS,
                  "the instance metadata service refused an IMDSv2 token (HTTP 403); check the "
                  "instance's metadata options (http-tokens, http-put-response-hop-limit for "
                  "containers)");
    sps_fake_transport_push(f.fake, 401, NULL, "");
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS,
                  "the instance metadata service refused an IMDSv2 token (HTTP 401); check the "
                  "instance's metadata options (http-tokens, http-put-response-hop-limit for "
                  "containers)");
    sps_fake_transport_push(f.fake, 405, NULL, "");
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS, "the IMDSv2 token request answered HTTP 405");
    sps_fake_transport_push(f.fake, 200, NULL, "  \n");
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS,
                  "the IMDSv2 token request answered HTTP 200 with an empty token");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 4); /* never went on to GET */
    s_teardown(&f, NULL);
}

static void test_imds_not_there(void)
{
    struct s_fixture f;
    s_setup(&f);
    /* Disabled: not even a request. */
    sps_fake_env_set(&f.env, "AWS_EC2_METADATA_DISABLED", "TRUE");
    s_expect_imds(&f, SPS_ERR_CREDS_NOT_FOUND, "");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    sps_fake_env_set(&f.env, "AWS_EC2_METADATA_DISABLED", "false");
    /* Nothing answers: not on EC2. */
    sps_fake_transport_push_error(f.fake, SPS_ERR_HTTP_CONNECT);
    s_expect_imds(&f, SPS_ERR_CREDS_NOT_FOUND, "");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 1);
    /* On EC2 without an instance profile. */
    sps_fake_transport_push(f.fake, 200, NULL, "tok-000000000000");
    sps_fake_transport_push(f.fake, 404, NULL, "");
    s_expect_imds(&f, SPS_ERR_CREDS_NOT_FOUND, "");
    sps_fake_transport_push(f.fake, 200, NULL, "tok-000000000000");
    sps_fake_transport_push(f.fake, 200, NULL, "");
    s_expect_imds(&f, SPS_ERR_CREDS_NOT_FOUND, "");
    s_teardown(&f, NULL);
}

static void test_imds_failures_after_token(void)
{
    struct s_fixture f;
    s_setup(&f);
    sps_fake_transport_push(f.fake, 200, NULL, "tok-000000000000");
    sps_fake_transport_push(f.fake, 200, NULL, "role");
    sps_fake_transport_push(f.fake, 200, NULL, S_CREDS_JSON("AssumeRoleUnauthorizedAccess"));
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS,
                  "the credentials Code is \"AssumeRoleUnauthorizedAccess\", not Success");
    sps_fake_transport_push(f.fake, 200, NULL, "tok-000000000000");
    sps_fake_transport_push(f.fake, 200, NULL, "role");
    sps_fake_transport_push(f.fake, 404, NULL, "");
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS, "the credentials of role role answered HTTP 404");
    sps_fake_transport_push(f.fake, 200, NULL, "tok-000000000000");
    sps_fake_transport_push(f.fake, 500, NULL, "");
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS, "listing the instance's IAM role answered HTTP 500");
    sps_fake_transport_push(f.fake, 200, NULL, "tok-000000000000");
    sps_fake_transport_push(f.fake, 200, NULL, "../../evil");
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS, "the instance's IAM role name is not valid");
    sps_fake_transport_push(f.fake, 200, NULL, "tok-000000000000");
    sps_fake_transport_push_error(f.fake, SPS_ERR_HTTP_TIMEOUT);
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS,
                  "instance metadata /latest/meta-data/iam/security-credentials/ failed: the "
                  "request timed out");
    sps_fake_transport_push(f.fake, 200, NULL, "tok-000000000000");
    sps_fake_transport_push(f.fake, 200, NULL, "role");
    sps_fake_transport_push(f.fake, 200, NULL, "{\"Code\":\"Success\"}");
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS, "the credentials JSON lacks AccessKeyId");
    sps_fake_transport_push(f.fake, 200, NULL, "tok-000000000000");
    sps_fake_transport_push(f.fake, 200, NULL, "role");
    sps_fake_transport_push(f.fake, 200, NULL, "{\"AccessKeyId\":\"A\"}");
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS, "the credentials Code is \"(missing)\", not Success");
    /* A token rejected twice in a row. */
    sps_fake_transport_push(f.fake, 200, NULL, "tok-000000000000");
    sps_fake_transport_push(f.fake, 401, NULL, "");
    sps_fake_transport_push(f.fake, 200, NULL, "tok-000000000001");
    sps_fake_transport_push(f.fake, 401, NULL, "");
    s_expect_imds(&f, SPS_ERR_CREDS_IMDS,
                  "instance metadata rejected a fresh IMDSv2 token (HTTP 401)");
    s_teardown(&f, NULL);
}

static void test_imds_stale_token_is_replaced(void)
{
    struct s_fixture f;
    s_setup(&f);
    sps_fake_transport_push(f.fake, 200, NULL, "old-token-000000");
    sps_fake_transport_push(f.fake, 401, NULL, "");
    s_push_imds_happy(&f, true);
    struct sps_aws_credentials_provider *p = s_imds(&f);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(s_req(&f, 2)->method, "PUT");
    s_check_get(&f, 3, "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                "imds-session-token-1");
    s_teardown(&f, p);
}

static void test_imds_endpoint_and_attempt_settings(void)
{
    struct s_fixture f;
    s_setup(&f);
    sps_fake_env_set(&f.env, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://localhost:1338/");
    sps_fake_env_set(&f.env, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
    sps_fake_env_set(&f.env, "AWS_METADATA_SERVICE_TIMEOUT", "3");
    sps_fake_transport_push_error(f.fake, SPS_ERR_HTTP_TIMEOUT);
    s_push_imds_happy(&f, true);
    struct sps_aws_credentials_provider *p = s_imds(&f);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(s_req(&f, 1)->url.data, "http://localhost:1338/latest/api/token");
    SPS_CHECK_INT_EQ(s_req(&f, 1)->total_timeout_ms, 3000);
    sps_aws_credentials_provider_destroy(p);
    sps_aws_credentials_clean_up(&f.creds);

    struct s_fixture g;
    s_setup(&g);
    sps_fake_env_set(&g.env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6");
    sps_fake_env_set(&g.env, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "many"); /* ignored: 1 */
    sps_fake_transport_push_error(g.fake, SPS_ERR_HTTP_TIMEOUT);
    s_push_imds_happy(&g, true);
    p = s_imds(&g);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &g.creds, NULL), SPS_ERR_CREDS_NOT_FOUND);
    SPS_CHECK_STR_EQ(s_req(&g, 0)->url.data, "http://[fd00:ec2::254]/latest/api/token");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(g.fake), 1);
    s_teardown(&g, p);
    s_teardown(&f, NULL);
}

SPS_TEST_MAIN(SPS_CASE(test_ecs_relative_uri),
              SPS_CASE(test_ecs_full_uri_with_token_and_token_file),
              SPS_CASE(test_ecs_full_uri_hosts), SPS_CASE(test_ecs_token_problems),
              SPS_CASE(test_ecs_failures_and_retries), SPS_CASE(test_ecs_not_configured),
              SPS_CASE(test_ecs_oversized_settings),
              SPS_CASE(test_imds_v2_happy_path_and_token_cache), SPS_CASE(test_imds_token_refused),
              SPS_CASE(test_imds_not_there), SPS_CASE(test_imds_failures_after_token),
              SPS_CASE(test_imds_stale_token_is_replaced),
              SPS_CASE(test_imds_endpoint_and_attempt_settings))
