/* The default chain: the SDKs' order (environment, profile, web identity, ECS, IMDS), an
 * explicit profile skipping the environment, configured-but-broken sources stopping the chain,
 * the winner kept, and SPS_ERR_CREDS_NOT_FOUND when nothing answers. */
#include "sps_aws_credentials_private.h"
#include "sps_fakes.h"
#include "test_credentials_support.h"

#define S_NOW_MS 1795500000000LL /* 2026-11-24T06:00:00Z */
#define S_REMOTE_JSON(akid)                                                                        \
    "{\"Code\":\"Success\",\"AccessKeyId\":\"" akid "\",\"SecretAccessKey\":\"remote-secret-0\","  \
    "\"Token\":\"remote-token-0\",\"Expiration\":\"2026-11-24T12:00:00Z\"}"

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

static void s_setup(struct s_fixture *f)
{
    memset(f, 0, sizeof(*f));
    sps_fake_env_init(&f->env);
    sps_fake_clock_init(&f->clock, S_NOW_MS);
    sps_fake_transport_new(&f->transport, &f->fake);
    s_tmp_init(&f->tmp);
    sps_fake_env_set(&f->env, "HOME", f->tmp.dir); /* no ~/.aws */
    snprintf(f->token_path, sizeof(f->token_path), "%s", s_tmp_write(&f->tmp, "web-token", "jwt"));
    sps_buf_init(&f->xml, 0);
}

static void s_with_profiles(struct s_fixture *f)
{
    static char config[512], credentials[512];
    snprintf(config, sizeof(config), "%s",
             s_tmp_write(&f->tmp, "config",
                         "[profile named]\naws_access_key_id = AKIANAMED\n"
                         "aws_secret_access_key = named-secret-0\n"));
    snprintf(credentials, sizeof(credentials), "%s",
             s_tmp_write(&f->tmp, "credentials",
                         "[default]\naws_access_key_id = AKIAPROFILE\n"
                         "aws_secret_access_key = profile-secret-0\n"));
    sps_fake_env_set(&f->env, "AWS_CONFIG_FILE", config);
    sps_fake_env_set(&f->env, "AWS_SHARED_CREDENTIALS_FILE", credentials);
}

static void s_with_env_keys(struct s_fixture *f)
{
    sps_fake_env_set(&f->env, "AWS_ACCESS_KEY_ID", "AKIAENV");
    sps_fake_env_set(&f->env, "AWS_SECRET_ACCESS_KEY", "env-secret-000");
}

static void s_with_web_identity(struct s_fixture *f)
{
    sps_fake_env_set(&f->env, "AWS_WEB_IDENTITY_TOKEN_FILE", f->token_path);
    sps_fake_env_set(&f->env, "AWS_ROLE_ARN", "arn:aws:iam::1:role/web");
    sps_test_read_fixture(&f->xml, "credentials/sts_web_identity.xml");
}

static struct sps_aws_credentials_provider *s_chain(struct s_fixture *f, const char *profile)
{
    struct sps_aws_credentials_chain_options o = {.env = &f->env.env,
                                                  .clock = &f->clock.clock,
                                                  .transport = f->transport,
                                                  .profile = profile,
                                                  .region = "eu-west-1"};
    struct sps_aws_credentials_provider *p = NULL;
    SPS_CHECK_OK(sps_aws_credentials_provider_new_chain(&p, &o));
    SPS_CHECK_STR_EQ(p->name, "chain");
    return p;
}

static void s_expect(struct s_fixture *f, const char *profile, const char *akid, size_t requests)
{
    struct sps_aws_credentials_provider *p = s_chain(f, profile);
    sps_aws_credentials_clean_up(&f->creds);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f->creds, &f->aws_err));
    SPS_CHECK_STR_EQ(f->creds.access_key_id, akid);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f->fake), requests);
    sps_aws_credentials_provider_destroy(p);
}

static void s_teardown(struct s_fixture *f)
{
    sps_aws_credentials_clean_up(&f->creds);
    sps_http_transport_destroy(f->transport);
    sps_buf_clean_up(&f->xml);
    s_tmp_clean_up(&f->tmp);
    sps_log_clear_secrets();
}

static void test_chain_order(void)
{
    struct s_fixture f;
    s_setup(&f);
    s_with_profiles(&f);
    s_with_env_keys(&f);
    s_with_web_identity(&f);
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds");
    s_expect(&f, NULL, "AKIAENV", 0); /* environment first */
    sps_fake_env_set(&f.env, "AWS_PROFILE", "named");
    s_expect(&f, NULL, "AKIAENV", 0);      /* AWS_PROFILE does not beat the environment */
    s_expect(&f, "named", "AKIANAMED", 0); /* an explicit profile does */
    sps_fake_env_set(&f.env, "AWS_PROFILE", "");
    sps_fake_env_set(&f.env, "AWS_ACCESS_KEY_ID", "");
    sps_fake_env_set(&f.env, "AWS_SECRET_ACCESS_KEY", "");
    s_expect(&f, NULL, "AKIAPROFILE", 0); /* then the shared files */
    sps_fake_env_set(&f.env, "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/sps/credentials");
    sps_fake_transport_push(f.fake, 200, NULL, f.xml.data);
    s_expect(&f, NULL, "ASIAWEBIDENTITY00000", 1); /* then web identity */
    SPS_CHECK_STR_EQ(sps_fake_transport_request(f.fake, 0)->url.data,
                     "https://sts.eu-west-1.amazonaws.com/");
    sps_fake_env_set(&f.env, "AWS_ROLE_ARN", "");
    sps_fake_env_set(&f.env, "AWS_WEB_IDENTITY_TOKEN_FILE", "");
    sps_fake_transport_push(f.fake, 200, NULL, S_REMOTE_JSON("ASIAECS"));
    s_expect(&f, NULL, "ASIAECS", 2); /* then the container endpoint */
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "");
    sps_fake_transport_push(f.fake, 200, NULL, "tok-0000000000");
    sps_fake_transport_push(f.fake, 200, NULL, "role");
    sps_fake_transport_push(f.fake, 200, NULL, S_REMOTE_JSON("ASIAIMDS"));
    s_expect(&f, NULL, "ASIAIMDS", 5); /* and instance metadata last */
    s_teardown(&f);
}

static void test_chain_nothing_found(void)
{
    struct s_fixture f;
    s_setup(&f);
    struct sps_aws_credentials_provider *p = s_chain(&f, NULL);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err),
                  SPS_ERR_CREDS_NOT_FOUND);
    SPS_CHECK_STR_EQ(f.aws_err.message,
                     "no credentials in the environment, the shared config/credentials files, web "
                     "identity, the container endpoint or instance metadata");
    /* IMDS was tried (its PUT found nobody). */
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 1);
    SPS_CHECK_STR_EQ(sps_fake_transport_request(f.fake, 0)->method, "PUT");
    sps_aws_credentials_provider_destroy(p);
    /* With IMDS disabled, nothing at all is sent. */
    sps_fake_env_set(&f.env, "AWS_EC2_METADATA_DISABLED", "true");
    p = s_chain(&f, NULL);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, NULL), SPS_ERR_CREDS_NOT_FOUND);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 1);
    sps_aws_credentials_provider_destroy(p);
    s_teardown(&f);
}

static void test_chain_configured_but_broken_stops(void)
{
    struct s_fixture f;
    s_setup(&f);
    s_with_profiles(&f);
    sps_fake_env_set(&f.env, "AWS_ACCESS_KEY_ID", "AKIAENV");
    struct sps_aws_credentials_provider *p = s_chain(&f, NULL);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err), SPS_ERR_CREDS_INVALID);
    SPS_CHECK_STR_EQ(f.aws_err.message,
                     "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    sps_aws_credentials_provider_destroy(p);
    /* A named profile that does not exist does not fall through to IMDS. */
    p = s_chain(&f, "missing");
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, NULL),
                  SPS_ERR_CREDS_PROFILE_NOT_FOUND);
    sps_aws_credentials_provider_destroy(p);
    sps_fake_env_set(&f.env, "AWS_ACCESS_KEY_ID", "");
    sps_fake_env_set(&f.env, "AWS_PROFILE", "missing-too");
    p = s_chain(&f, NULL);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, NULL),
                  SPS_ERR_CREDS_PROFILE_NOT_FOUND);
    sps_aws_credentials_provider_destroy(p);
    /* A broken container set-up stops before IMDS. */
    sps_fake_env_set(&f.env, "AWS_PROFILE", "");
    sps_fake_env_set(&f.env, "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/sps/credentials");
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://evil.example/creds");
    p = s_chain(&f, NULL);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, NULL), SPS_ERR_CREDS_CONTAINER);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    sps_aws_credentials_provider_destroy(p);
    /* IMDS refusing its token is an error, not "nothing found". */
    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI", "");
    sps_fake_transport_push(f.fake, 403, NULL, "");
    p = s_chain(&f, NULL);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f.creds, NULL), SPS_ERR_CREDS_IMDS);
    sps_aws_credentials_provider_destroy(p);
    s_teardown(&f);
}

static void test_chain_keeps_the_winner(void)
{
    struct s_fixture f;
    s_setup(&f);
    sps_fake_transport_push(f.fake, 200, NULL, "tok-0000000000");
    sps_fake_transport_push(f.fake, 200, NULL, "role");
    sps_fake_transport_push(f.fake, 200, NULL, S_REMOTE_JSON("ASIAIMDS"));
    struct sps_aws_credentials_provider *p = s_chain(&f, NULL);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    sps_aws_credentials_clean_up(&f.creds);
    /* Keys appearing later in the environment do not switch sources mid-run. */
    s_with_env_keys(&f);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f.creds, NULL));
    SPS_CHECK_STR_EQ(f.creds.access_key_id, "ASIAIMDS");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 3); /* cached */
    sps_aws_credentials_provider_destroy(p);
    s_teardown(&f);
}

static void test_chain_needs_a_transport(void)
{
    struct sps_aws_credentials_chain_options o = {0};
    struct sps_aws_credentials_provider *p = NULL;
    SPS_CHECK_ERR(sps_aws_credentials_provider_new_chain(&p, &o), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_credentials_provider_new_chain(&p, NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK(p == NULL);
}

SPS_TEST_MAIN(SPS_CASE(test_chain_order), SPS_CASE(test_chain_nothing_found),
              SPS_CASE(test_chain_configured_but_broken_stops),
              SPS_CASE(test_chain_keeps_the_winner), SPS_CASE(test_chain_needs_a_transport))
