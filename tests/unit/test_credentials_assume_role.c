/* STS AssumeRole through the service client: the request's shape (RoleArn, RoleSessionName,
 * ExternalId, DurationSeconds), its signature by the SOURCE credentials, parsing, caching and
 * refresh, and the failures (refusal surfaced with the service's words, a failing source, bad
 * options). */
#include "sps_aws_credentials_private.h"
#include "sps_fakes.h"
#include "sps_test.h"

#define S_NOW_MS 1795500000000LL /* 2026-11-24T06:00:00Z; the fixture expires at 07:00 */

struct s_fixture {
    struct sps_fake_env env;
    struct sps_fake_clock clock;
    struct sps_http_transport *transport;
    struct sps_fake_transport *fake;
    struct sps_aws_credentials_provider *source;
    struct sps_aws_credentials creds;
    struct sps_aws_error aws_err;
    struct sps_buf xml;
};

static void s_setup(struct s_fixture *f)
{
    memset(f, 0, sizeof(*f));
    sps_fake_env_init(&f->env);
    sps_fake_clock_init(&f->clock, S_NOW_MS);
    sps_fake_transport_new(&f->transport, &f->fake);
    SPS_CHECK_OK(sps_aws_credentials_provider_new_static(&f->source, "AKIASOURCE0000000000",
                                                         "source-secret-000000", NULL));
    sps_buf_init(&f->xml, 0);
}

static void s_teardown(struct s_fixture *f, struct sps_aws_credentials_provider *p)
{
    sps_aws_credentials_clean_up(&f->creds);
    sps_aws_credentials_provider_destroy(p);
    sps_aws_credentials_provider_destroy(f->source);
    sps_http_transport_destroy(f->transport);
    sps_buf_clean_up(&f->xml);
    sps_log_clear_secrets();
}

static void s_push_fixture(struct s_fixture *f, int status, const char *name)
{
    sps_test_read_fixture(&f->xml, name);
    sps_fake_transport_push(f->fake, status, "Content-Type: text/xml\n", f->xml.data);
}

static struct sps_aws_assume_role_options s_options(struct s_fixture *f)
{
    return (struct sps_aws_assume_role_options){
        .source = f->source,
        .role_arn = "arn:aws:iam::210987654321:role/spotswap-target",
        .external_id = "spotswap-ext-7Q2",
        .session_name = "spotswap-session",
        .duration_s = 900,
        .region = "us-west-2",
        .env = &f->env.env,
        .clock = &f->clock.clock,
        .transport = f->transport,
    };
}

static void test_assume_role_request_shape_and_signature(void)
{
    struct s_fixture f;
    s_setup(&f);
    s_push_fixture(&f, 200, "credentials/sts_assume_role.xml");
    struct sps_aws_assume_role_options o = s_options(&f);
    struct sps_aws_credentials_provider *p = NULL;
    SPS_CHECK_OK(sps_aws_credentials_provider_new_assume_role(&p, &o));
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(f.creds.access_key_id, "ASIAASSUMEDROLE00000");
    SPS_CHECK_STR_EQ(f.creds.secret_access_key, "assumed-role-secret-0000");
    SPS_CHECK_STR_EQ(f.creds.session_token, "assumed-role-session-token-0000");
    SPS_CHECK_INT_EQ(f.creds.expiration_ms, S_NOW_MS + 3600000);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 1);
    const struct sps_http_request *r = sps_fake_transport_request(f.fake, 0);
    SPS_CHECK_STR_EQ(r->method, "POST");
    SPS_CHECK_STR_EQ(r->url.data, "https://sts.us-west-2.amazonaws.com/");
    SPS_CHECK_STR_EQ(r->body.data,
                     "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
                     "210987654321%3Arole%2Fspotswap-target&RoleSessionName=spotswap-session&"
                     "ExternalId=spotswap-ext-7Q2&DurationSeconds=900");
    const char *auth = sps_http_headers_get(&r->headers, "Authorization");
    SPS_CHECK(auth != NULL);
    SPS_CHECK(strstr(auth, "Credential=AKIASOURCE0000000000/20261124/us-west-2/sts/aws4_request") !=
              NULL);
    SPS_CHECK(sps_http_headers_get(&r->headers, "X-Amz-Security-Token") == NULL);
    /* Cached until five minutes before expiry, then refreshed. */
    sps_aws_credentials_clean_up(&f.creds);
    f.clock.wall_ms = S_NOW_MS + 30 * 60000;
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 1);
    sps_aws_credentials_clean_up(&f.creds);
    f.clock.wall_ms = S_NOW_MS + 56 * 60000;
    s_push_fixture(&f, 200, "credentials/sts_assume_role.xml");
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 2);
    s_teardown(&f, p);
}

static void test_assume_role_defaults(void)
{
    struct s_fixture f;
    s_setup(&f);
    s_push_fixture(&f, 200, "credentials/sts_assume_role.xml");
    struct sps_aws_assume_role_options o = s_options(&f);
    o.external_id = NULL;
    o.session_name = NULL;
    o.duration_s = 0;
    o.region = NULL;
    struct sps_aws_credentials_provider *p = NULL;
    SPS_CHECK_OK(sps_aws_credentials_provider_new_assume_role(&p, &o));
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    const struct sps_http_request *r = sps_fake_transport_request(f.fake, 0);
    SPS_CHECK_STR_EQ(r->url.data, "https://sts.us-east-1.amazonaws.com/");
    SPS_CHECK_STR_EQ(r->body.data,
                     "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
                     "210987654321%3Arole%2Fspotswap-target&RoleSessionName=spotswap-1795500000&"
                     "DurationSeconds=3600");
    s_teardown(&f, p);
}

static void test_assume_role_access_denied_is_surfaced(void)
{
    struct s_fixture f;
    s_setup(&f);
    s_push_fixture(&f, 403, "credentials/sts_access_denied.xml");
    struct sps_aws_assume_role_options o = s_options(&f);
    struct sps_aws_credentials_provider *p = NULL;
    SPS_CHECK_OK(sps_aws_credentials_provider_new_assume_role(&p, &o));
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_AWS_AUTH);
    SPS_CHECK_STR_EQ(f.aws_err.code, "AccessDenied");
    SPS_CHECK_INT_EQ(f.aws_err.http_status, 403);
    SPS_CHECK(strstr(f.aws_err.message, "not authorized to perform: sts:AssumeRole") != NULL);
    SPS_CHECK(f.creds.access_key_id == NULL);
    s_teardown(&f, p);
}

static void test_assume_role_refresh_failure_keeps_valid_credentials(void)
{
    struct s_fixture f;
    s_setup(&f);
    s_push_fixture(&f, 200, "credentials/sts_assume_role.xml");
    struct sps_aws_assume_role_options o = s_options(&f);
    struct sps_aws_credentials_provider *p = NULL;
    SPS_CHECK_OK(sps_aws_credentials_provider_new_assume_role(&p, &o));
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    sps_aws_credentials_clean_up(&f.creds);
    f.clock.wall_ms = S_NOW_MS + 58 * 60000;
    s_push_fixture(&f, 403, "credentials/sts_access_denied.xml");
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err));
    SPS_CHECK_STR_EQ(f.creds.access_key_id, "ASIAASSUMEDROLE00000");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 2);
    sps_aws_credentials_clean_up(&f.creds);
    f.clock.wall_ms = S_NOW_MS + 61 * 60000; /* expired: now the refusal surfaces */
    s_push_fixture(&f, 403, "credentials/sts_access_denied.xml");
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_AWS_AUTH);
    s_teardown(&f, p);
}

static void test_assume_role_bad_answers(void)
{
    struct s_fixture f;
    s_setup(&f);
    sps_fake_transport_push(f.fake, 200, NULL,
                            "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A"
                            "</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>");
    struct sps_aws_assume_role_options o = s_options(&f);
    struct sps_aws_credentials_provider *p = NULL;
    SPS_CHECK_OK(sps_aws_credentials_provider_new_assume_role(&p, &o));
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_MISSING_FIELD);
    SPS_CHECK_STR_EQ(f.aws_err.message, "the STS response lacks Credentials/SecretAccessKey");
    s_teardown(&f, p);
}

static void test_assume_role_source_failure_propagates(void)
{
    struct s_fixture f;
    s_setup(&f);
    sps_fake_env_set(&f.env, "AWS_ACCESS_KEY_ID", "AKIAONLY000000000000");
    struct sps_aws_credentials_provider *env_source = sps_creds_env_new(&f.env.env);
    struct sps_aws_assume_role_options o = s_options(&f);
    o.source = env_source;
    struct sps_aws_credentials_provider *p = NULL;
    SPS_CHECK_OK(sps_aws_credentials_provider_new_assume_role(&p, &o));
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_CREDS_INVALID);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    sps_aws_credentials_provider_destroy(env_source);
    s_teardown(&f, p);
}

static void test_assume_role_bad_options(void)
{
    struct s_fixture f;
    s_setup(&f);
    struct sps_aws_credentials_provider *p = NULL;
    SPS_CHECK_ERR(sps_aws_credentials_provider_new_assume_role(&p, NULL), SPS_ERR_INVALID_ARGUMENT);
    struct sps_aws_assume_role_options o = s_options(&f);
    o.role_arn = "";
    SPS_CHECK_ERR(sps_aws_credentials_provider_new_assume_role(&p, &o), SPS_ERR_INVALID_ARGUMENT);
    o = s_options(&f);
    o.source = NULL;
    SPS_CHECK_ERR(sps_aws_credentials_provider_new_assume_role(&p, &o), SPS_ERR_INVALID_ARGUMENT);
    o = s_options(&f);
    o.transport = NULL;
    SPS_CHECK_ERR(sps_aws_credentials_provider_new_assume_role(&p, &o), SPS_ERR_INVALID_ARGUMENT);
    o = s_options(&f);
    o.duration_s = -1;
    SPS_CHECK_ERR(sps_aws_credentials_provider_new_assume_role(&p, &o), SPS_ERR_INVALID_ARGUMENT);
    /* The client refuses a malformed region up front. */
    o = s_options(&f);
    o.region = "not a region";
    SPS_CHECK(sps_aws_credentials_provider_new_assume_role(&p, &o) != SPS_OK);
    SPS_CHECK(p == NULL);
    s_teardown(&f, NULL);
}

SPS_TEST_MAIN(SPS_CASE(test_assume_role_request_shape_and_signature),
              SPS_CASE(test_assume_role_defaults),
              SPS_CASE(test_assume_role_access_denied_is_surfaced),
              SPS_CASE(test_assume_role_refresh_failure_keeps_valid_credentials),
              SPS_CASE(test_assume_role_bad_answers),
              SPS_CASE(test_assume_role_source_failure_propagates),
              SPS_CASE(test_assume_role_bad_options))
