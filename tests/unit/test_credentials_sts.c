/* AssumeRoleWithWebIdentity: the unsigned request exactly, the token file re-read on refresh,
 * retries of transient failures, and every failure (missing variables, missing token file, STS
 * refusals, malformed answers). */
#include "sps_aws_credentials_private.h"
#include "sps_fakes.h"
#include "test_credentials_support.h"

#define S_NOW_MS 1795500000000LL /* 2026-11-24T06:00:00Z */

struct s_fixture {
    struct sps_fake_env env;
    struct sps_fake_clock clock;
    struct sps_http_transport *transport;
    struct sps_fake_transport *fake;
    struct sps_aws_credentials creds;
    struct sps_aws_error aws_err;
    struct s_tmp tmp;
    char token_path[512];
    struct sps_buf xml;
};

static void s_setup(struct s_fixture *f, const char *token)
{
    memset(f, 0, sizeof(*f));
    sps_fake_env_init(&f->env);
    sps_fake_clock_init(&f->clock, S_NOW_MS);
    sps_fake_transport_new(&f->transport, &f->fake);
    s_tmp_init(&f->tmp);
    snprintf(f->token_path, sizeof(f->token_path), "%s",
             token ? s_tmp_write(&f->tmp, "token", token) : s_tmp_path(&f->tmp, "absent"));
    sps_buf_init(&f->xml, 0);
}

static void s_teardown(struct s_fixture *f, struct sps_aws_credentials_provider *p)
{
    sps_aws_credentials_clean_up(&f->creds);
    sps_aws_credentials_provider_destroy(p);
    sps_http_transport_destroy(f->transport);
    sps_buf_clean_up(&f->xml);
    s_tmp_clean_up(&f->tmp);
    sps_log_clear_secrets();
}

static void s_push_fixture(struct s_fixture *f, int status, const char *name)
{
    sps_test_read_fixture(&f->xml, name);
    sps_fake_transport_push(f->fake, status, "Content-Type: text/xml\n", f->xml.data);
}

static struct sps_aws_credentials_provider *s_env_provider(struct s_fixture *f)
{
    struct sps_creds_web_identity_options o = {
        .env = &f->env.env, .clock = &f->clock.clock, .transport = f->transport};
    return sps_creds_web_identity_env_new(&o);
}

static void test_web_identity_request_is_unsigned_form(void)
{
    struct s_fixture f;
    s_setup(&f, "eyJhbGciOiJSUzI1NiJ9.payload.sig\n");
    sps_fake_env_set(&f.env, "AWS_WEB_IDENTITY_TOKEN_FILE", f.token_path);
    sps_fake_env_set(&f.env, "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web");
    sps_fake_env_set(&f.env, "AWS_ROLE_SESSION_NAME", "irsa session");
    sps_fake_env_set(&f.env, "AWS_REGION", "eu-west-1");
    s_push_fixture(&f, 200, "credentials/sts_web_identity.xml");
    struct sps_aws_credentials_provider *p = s_env_provider(&f);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(f.creds.access_key_id, "ASIAWEBIDENTITY00000");
    SPS_CHECK_STR_EQ(f.creds.secret_access_key, "web-identity-secret-0000");
    SPS_CHECK_STR_EQ(f.creds.session_token, "web-identity-session-token-0000");
    SPS_CHECK_INT_EQ(f.creds.expiration_ms, 1795503600000LL);
    const struct sps_http_request *r = sps_fake_transport_request(f.fake, 0);
    SPS_CHECK_STR_EQ(r->method, "POST");
    SPS_CHECK_STR_EQ(r->url.data, "https://sts.eu-west-1.amazonaws.com/");
    SPS_CHECK_STR_EQ(r->body.data,
                     "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam"
                     "%3A%3A123456789012%3Arole%2Fweb&RoleSessionName=irsa%20session&"
                     "WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.payload.sig");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&r->headers, "Content-Type"),
                     "application/x-www-form-urlencoded; charset=utf-8");
    SPS_CHECK(sps_http_headers_get(&r->headers, "Authorization") == NULL);
    SPS_CHECK(sps_http_headers_get(&r->headers, "X-Amz-Security-Token") == NULL);
    s_teardown(&f, p);
}

static void test_web_identity_rereads_token_on_refresh(void)
{
    struct s_fixture f;
    s_setup(&f, "first-token");
    struct sps_creds_web_identity_options o = {.role_arn = "arn:aws:iam::1:role/r",
                                               .token_file = f.token_path,
                                               .env = &f.env.env,
                                               .clock = &f.clock.clock,
                                               .transport = f.transport};
    struct sps_aws_credentials_provider *p = sps_creds_web_identity_new(&o);
    s_push_fixture(&f, 200, "credentials/sts_web_identity.xml");
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    const struct sps_http_request *r = sps_fake_transport_request(f.fake, 0);
    SPS_CHECK_STR_EQ(r->url.data, "https://sts.us-east-1.amazonaws.com/"); /* no region given */
    SPS_CHECK(strstr(r->body.data, "RoleSessionName=spotswap-1795500000&") != NULL);
    SPS_CHECK(strstr(r->body.data, "WebIdentityToken=first-token") != NULL);
    sps_aws_credentials_clean_up(&f.creds);
    /* The platform rotates the token; the next refresh (near expiry) must send the new one. */
    s_tmp_write(&f.tmp, "token", "second-token");
    f.clock.wall_ms = 1795503600000LL - 60000;
    s_push_fixture(&f, 200, "credentials/sts_web_identity.xml");
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 2);
    SPS_CHECK(strstr(sps_fake_transport_request(f.fake, 1)->body.data,
                     "WebIdentityToken=second-token") != NULL);
    s_teardown(&f, p);
}

static void test_web_identity_env_incomplete(void)
{
    struct s_fixture f;
    s_setup(&f, "tok");
    struct sps_aws_credentials_provider *p = s_env_provider(&f);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, NULL), SPS_ERR_CREDS_NOT_FOUND);
    sps_fake_env_set(&f.env, "AWS_ROLE_ARN", "arn:aws:iam::1:role/r");
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_CREDS_INVALID);
    SPS_CHECK_STR_EQ(f.aws_err.message,
                     "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not");
    sps_aws_credentials_provider_destroy(p);
    sps_fake_env_init(&f.env);
    sps_fake_env_set(&f.env, "AWS_WEB_IDENTITY_TOKEN_FILE", f.token_path);
    p = s_env_provider(&f);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_CREDS_INVALID);
    SPS_CHECK_STR_EQ(f.aws_err.message,
                     "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    s_teardown(&f, p);
}

static void test_web_identity_token_file_missing_or_empty(void)
{
    struct s_fixture f;
    s_setup(&f, NULL);
    sps_fake_env_set(&f.env, "AWS_WEB_IDENTITY_TOKEN_FILE", f.token_path);
    sps_fake_env_set(&f.env, "AWS_ROLE_ARN", "arn:aws:iam::1:role/r");
    struct sps_aws_credentials_provider *p = s_env_provider(&f);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_CREDS_INVALID);
    char expected[700];
    snprintf(expected, sizeof(expected), "cannot read the web identity token file %s: not found",
             f.token_path);
    SPS_CHECK_STR_EQ(f.aws_err.message, expected);
    /* Appears, but empty. */
    s_tmp_write(&f.tmp, "absent", " \n");
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_CREDS_INVALID);
    snprintf(expected, sizeof(expected), "cannot read the web identity token file %s: it is empty",
             f.token_path);
    SPS_CHECK_STR_EQ(f.aws_err.message, expected);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    s_teardown(&f, p);
}

static struct sps_aws_credentials_provider *s_direct(struct s_fixture *f)
{
    struct sps_creds_web_identity_options o = {.role_arn = "arn:aws:iam::1:role/r",
                                               .token_file = f->token_path,
                                               .session_name = "s",
                                               .region = "us-west-2",
                                               .env = &f->env.env,
                                               .clock = &f->clock.clock,
                                               .transport = f->transport};
    return sps_creds_web_identity_new(&o);
}

static void test_web_identity_retries_transient_failures(void)
{
    struct s_fixture f;
    s_setup(&f, "tok");
    sps_fake_transport_push_error(f.fake, SPS_ERR_HTTP_CONNECT);
    s_push_fixture(&f, 400, "credentials/sts_idp_error.xml");
    s_push_fixture(&f, 200, "credentials/sts_web_identity.xml");
    struct sps_aws_credentials_provider *p = s_direct(&f);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 3);
    SPS_CHECK_INT_EQ(f.clock.sleeps, 2);
    sps_aws_credentials_provider_destroy(p);
    sps_aws_credentials_clean_up(&f.creds);
    /* Three server errors in a row: the last one is reported. */
    for (int i = 0; i < 3; i++)
        sps_fake_transport_push(f.fake, 503, NULL,
                                "<ErrorResponse><Error><Code>ServiceUnavailable"
                                "</Code><Message>try later</Message></Error>"
                                "</ErrorResponse>");
    p = s_direct(&f);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_AWS_SERVER);
    SPS_CHECK_STR_EQ(f.aws_err.code, "ServiceUnavailable");
    SPS_CHECK_INT_EQ(f.aws_err.http_status, 503);
    sps_aws_credentials_provider_destroy(p);
    for (int i = 0; i < 3; i++)
        sps_fake_transport_push_error(f.fake, SPS_ERR_HTTP_TIMEOUT);
    p = s_direct(&f);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_HTTP_TIMEOUT);
    SPS_CHECK_STR_EQ(f.aws_err.message, "STS is unreachable: the request timed out");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 9);
    s_teardown(&f, p);
}

static void test_web_identity_refusal_is_surfaced(void)
{
    struct s_fixture f;
    s_setup(&f, "tok");
    s_push_fixture(&f, 403, "credentials/sts_access_denied.xml");
    struct sps_aws_credentials_provider *p = s_direct(&f);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_AWS_AUTH);
    SPS_CHECK_STR_EQ(f.aws_err.code, "AccessDenied");
    SPS_CHECK_STR_EQ(f.aws_err.request_id, "4c8bd5e7-0000-4000-8000-000000000000");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 1); /* not retried */
    sps_aws_credentials_provider_destroy(p);
    /* An error body that is not XML still reports the status. */
    sps_fake_transport_push(f.fake, 400, NULL, "oops");
    p = s_direct(&f);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_AWS_CLIENT);
    SPS_CHECK_INT_EQ(f.aws_err.http_status, 400);
    s_teardown(&f, p);
}

static void s_expect_bad_answer(const char *body, sps_err expected, const char *message)
{
    struct s_fixture f;
    s_setup(&f, "tok");
    sps_fake_transport_push(f.fake, 200, NULL, body);
    struct sps_aws_credentials_provider *p = s_direct(&f);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), expected);
    SPS_CHECK_STR_EQ(f.aws_err.message, message);
    s_teardown(&f, p);
}

static void test_web_identity_malformed_answers(void)
{
    s_expect_bad_answer("<AssumeRoleWithWebIdentityResponse><Assume", SPS_ERR_XML_MALFORMED,
                        "the STS response is not valid XML");
    s_expect_bad_answer("<AssumeRoleWithWebIdentityResponse/>", SPS_ERR_MISSING_FIELD,
                        "the STS response lacks Credentials/AccessKeyId");
    s_expect_bad_answer("<R><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>A"
                        "</AccessKeyId><SecretAccessKey>S</SecretAccessKey><Expiration>"
                        "2026-11-24T07:00:00Z</Expiration></Credentials>"
                        "</AssumeRoleWithWebIdentityResult></R>",
                        SPS_ERR_MISSING_FIELD, "the STS response lacks Credentials/SessionToken");
    s_expect_bad_answer("<R><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>A"
                        "</AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T"
                        "</SessionToken><Expiration>soon</Expiration></Credentials>"
                        "</AssumeRoleWithWebIdentityResult></R>",
                        SPS_ERR_PARSE_TIME, "the STS Expiration \"soon\" is not ISO 8601");
}

static void test_web_identity_bad_region_and_endpoint_override(void)
{
    struct s_fixture f;
    s_setup(&f, "tok");
    struct sps_creds_web_identity_options o = {.role_arn = "arn:aws:iam::1:role/r",
                                               .token_file = f.token_path,
                                               .region = "not a region",
                                               .env = &f.env.env,
                                               .clock = &f.clock.clock,
                                               .transport = f.transport};
    struct sps_aws_credentials_provider *p = sps_creds_web_identity_new(&o);
    SPS_CHECK(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err) != SPS_OK);
    SPS_CHECK_STR_EQ(f.aws_err.message, "no STS endpoint for region not a region");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    sps_aws_credentials_provider_destroy(p);
    sps_fake_env_set(&f.env, "AWS_ENDPOINT_URL_STS", "http://localhost:4566");
    o.region = "eu-central-1";
    p = sps_creds_web_identity_new(&o);
    s_push_fixture(&f, 200, "credentials/sts_web_identity.xml");
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(sps_fake_transport_request(f.fake, 0)->url.data, "http://localhost:4566/");
    s_teardown(&f, p);
}

static void test_web_identity_env_region_from_profile(void)
{
    struct s_fixture f;
    s_setup(&f, "tok");
    char config[512];
    snprintf(config, sizeof(config), "%s",
             s_tmp_write(&f.tmp, "config", "[profile ops]\nregion = ap-northeast-1\n"));
    sps_fake_env_set(&f.env, "AWS_CONFIG_FILE", config);
    sps_fake_env_set(&f.env, "AWS_WEB_IDENTITY_TOKEN_FILE", f.token_path);
    sps_fake_env_set(&f.env, "AWS_ROLE_ARN", "arn:aws:iam::1:role/r");
    s_push_fixture(&f, 200, "credentials/sts_web_identity.xml");
    struct sps_creds_web_identity_options o = {
        .profile = "ops", .env = &f.env.env, .clock = &f.clock.clock, .transport = f.transport};
    struct sps_aws_credentials_provider *p = sps_creds_web_identity_env_new(&o);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(sps_fake_transport_request(f.fake, 0)->url.data,
                     "https://sts.ap-northeast-1.amazonaws.com/");
    s_teardown(&f, p);
}

SPS_TEST_MAIN(SPS_CASE(test_web_identity_env_region_from_profile),
              SPS_CASE(test_web_identity_request_is_unsigned_form),
              SPS_CASE(test_web_identity_rereads_token_on_refresh),
              SPS_CASE(test_web_identity_env_incomplete),
              SPS_CASE(test_web_identity_token_file_missing_or_empty),
              SPS_CASE(test_web_identity_retries_transient_failures),
              SPS_CASE(test_web_identity_refusal_is_surfaced),
              SPS_CASE(test_web_identity_malformed_answers),
              SPS_CASE(test_web_identity_bad_region_and_endpoint_override))
