/* Profiles from the shared files: selection, file precedence, static keys, credential_process,
 * role_arn with source_profile (chains, self-reference, loops) or credential_source, web
 * identity, and every configuration error. STS is the scripted fake transport. */
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
    char config[512];
    char credentials[512];
    struct sps_buf xml;
};

/* Files as given (NULL: absent); AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point there. */
static void s_setup(struct s_fixture *f, const char *config, const char *credentials)
{
    memset(f, 0, sizeof(*f));
    sps_fake_env_init(&f->env);
    sps_fake_clock_init(&f->clock, S_NOW_MS);
    sps_fake_transport_new(&f->transport, &f->fake);
    s_tmp_init(&f->tmp);
    snprintf(f->config, sizeof(f->config), "%s",
             config ? s_tmp_write(&f->tmp, "config", config) : s_tmp_path(&f->tmp, "config"));
    snprintf(f->credentials, sizeof(f->credentials), "%s",
             credentials ? s_tmp_write(&f->tmp, "credentials", credentials)
                         : s_tmp_path(&f->tmp, "credentials"));
    sps_fake_env_set(&f->env, "AWS_CONFIG_FILE", f->config);
    sps_fake_env_set(&f->env, "AWS_SHARED_CREDENTIALS_FILE", f->credentials);
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

static struct sps_aws_credentials_provider *s_profile(struct s_fixture *f, const char *profile)
{
    struct sps_aws_credentials_chain_options o = {.env = &f->env.env,
                                                  .clock = &f->clock.clock,
                                                  .transport = f->transport,
                                                  .profile = profile};
    return sps_creds_profile_new(&o);
}

static void s_push_sts(struct s_fixture *f, const char *akid)
{
    char body[1024];
    snprintf(body, sizeof(body),
             "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>%s</AccessKeyId>"
             "<SecretAccessKey>%s-secret</SecretAccessKey><SessionToken>%s-token</SessionToken>"
             "<Expiration>2026-11-24T07:00:00Z</Expiration></Credentials></AssumeRoleResult>"
             "</AssumeRoleResponse>",
             akid, akid, akid);
    sps_fake_transport_push(f->fake, 200, NULL, body);
}

/* The request was signed with that access key ID. */
static void s_check_signed_by(struct s_fixture *f, size_t i, const char *akid)
{
    const struct sps_http_request *r = sps_fake_transport_request(f->fake, i);
    SPS_CHECK(r != NULL);
    const char *auth = sps_http_headers_get(&r->headers, "Authorization");
    char expected[128];
    snprintf(expected, sizeof(expected), "Credential=%s/", akid);
    if (auth == NULL || strstr(auth, expected) == NULL)
        sps_test_fail(__FILE__, __LINE__, "request %zu not signed by %s: %s", i, akid,
                      auth ? auth : "(unsigned)");
}

static void s_get_ok(struct s_fixture *f, struct sps_aws_credentials_provider *p, const char *akid)
{
    sps_aws_credentials_clean_up(&f->creds);
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &f->creds, &f->aws_err));
    SPS_CHECK_STR_EQ(f->creds.access_key_id, akid);
}

static void s_get_err(struct s_fixture *f, struct sps_aws_credentials_provider *p, sps_err err,
                      const char *message)
{
    sps_aws_error_clear(&f->aws_err);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &f->creds, &f->aws_err), err);
    if (message)
        SPS_CHECK_STR_EQ(f->aws_err.message, message);
}

static void test_profile_selection(void)
{
    struct s_fixture f;
    s_setup(&f, NULL, NULL);
    /* The fixtures from tests/fixtures/credentials. */
    snprintf(f.config, sizeof(f.config), "%s", sps_test_fixture("credentials/config"));
    snprintf(f.credentials, sizeof(f.credentials), "%s",
             sps_test_fixture("credentials/credentials"));
    struct sps_aws_credentials_provider *p = s_profile(&f, NULL);
    SPS_CHECK_STR_EQ(p->name, "profile");
    s_get_ok(&f, p, "AKIADEFAULT000000000");
    SPS_CHECK_STR_EQ(f.creds.secret_access_key, "default-secret-00000000");
    SPS_CHECK(f.creds.session_token == NULL);
    sps_aws_credentials_provider_destroy(p);
    sps_fake_env_set(&f.env, "AWS_PROFILE", "dev");
    p = s_profile(&f, NULL);
    s_get_ok(&f, p, "AKIADEVCONFIG0000000"); /* static keys from the config file */
    sps_aws_credentials_provider_destroy(p);
    p = s_profile(&f, "both"); /* explicit beats AWS_PROFILE; credentials file beats config */
    s_get_ok(&f, p, "AKIABOTHCREDS0000000");
    SPS_CHECK_STR_EQ(f.creds.session_token, "both-creds-token-0000000");
    sps_aws_credentials_provider_destroy(p);
    p = s_profile(&f, "partial");
    s_get_err(&f, p, SPS_ERR_CREDS_INVALID,
              "profile 'partial' in the credentials file has aws_access_key_id but no "
              "aws_secret_access_key");
    sps_aws_credentials_provider_destroy(p);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    s_teardown(&f, NULL);
}

static void test_profile_missing(void)
{
    struct s_fixture f;
    s_setup(&f, "[profile other]\nregion = eu-west-1\n", NULL);
    struct sps_aws_credentials_provider *p = s_profile(&f, "nope");
    s_get_err(&f, p, SPS_ERR_CREDS_PROFILE_NOT_FOUND,
              "the profile 'nope' is in neither the shared config file nor the shared "
              "credentials file");
    sps_aws_credentials_provider_destroy(p);
    sps_fake_env_set(&f.env, "AWS_PROFILE", "gone");
    p = s_profile(&f, NULL);
    s_get_err(&f, p, SPS_ERR_CREDS_PROFILE_NOT_FOUND, NULL);
    sps_aws_credentials_provider_destroy(p);
    /* No default profile and none named: not configured, the chain goes on. */
    sps_fake_env_set(&f.env, "AWS_PROFILE", "");
    p = s_profile(&f, NULL);
    s_get_err(&f, p, SPS_ERR_CREDS_NOT_FOUND, "");
    sps_aws_credentials_provider_destroy(p);
    /* A profile with settings but no credentials is not configured either. */
    p = s_profile(&f, "other");
    s_get_err(&f, p, SPS_ERR_CREDS_NOT_FOUND, "");
    sps_aws_credentials_provider_destroy(p);
    s_teardown(&f, NULL);

    /* Neither file exists. */
    s_setup(&f, NULL, NULL);
    p = s_profile(&f, NULL);
    s_get_err(&f, p, SPS_ERR_CREDS_NOT_FOUND, "");
    sps_aws_credentials_provider_destroy(p);
    p = s_profile(&f, "named");
    s_get_err(&f, p, SPS_ERR_CREDS_PROFILE_NOT_FOUND, NULL);
    s_teardown(&f, p);
}

static void test_profile_malformed_file(void)
{
    struct s_fixture f;
    s_setup(&f, "[default]\nregion = us-east-1\n[broken\n", NULL);
    struct sps_aws_credentials_provider *p = s_profile(&f, NULL);
    char expected[600];
    snprintf(expected, sizeof(expected), "%s:3: section header without a closing ']'", f.config);
    s_get_err(&f, p, SPS_ERR_CONFIG, expected);
    s_teardown(&f, p);
}

static void test_profile_credential_process(void)
{
    struct s_fixture f;
    s_setup(
        &f,
        "[profile proc]\ncredential_process = echo '{\"Version\":1,\"AccessKeyId\":"
        "\"AKIAPROC\",\"SecretAccessKey\":\"proc-secret-000\"}'\n"
        "[profile config-keys-and-process]\naws_access_key_id = AKIACONFIG\n"
        "aws_secret_access_key = config-secret-000\ncredential_process = echo "
        "'{\"Version\":1,\"AccessKeyId\":\"AKIAPROC2\",\"SecretAccessKey\":\"p2-secret-000\"}'\n"
        "[profile fails]\ncredential_process = exit 7\n",
        "[config-keys-and-process]\nregion = x\n");
    struct sps_aws_credentials_provider *p = s_profile(&f, "proc");
    s_get_ok(&f, p, "AKIAPROC");
    sps_aws_credentials_provider_destroy(p);
    /* As botocore: credential_process comes before static keys of the config file. */
    p = s_profile(&f, "config-keys-and-process");
    s_get_ok(&f, p, "AKIAPROC2");
    sps_aws_credentials_provider_destroy(p);
    p = s_profile(&f, "fails");
    s_get_err(&f, p, SPS_ERR_CREDS_PROCESS, "the command exited with status 7");
    s_teardown(&f, p);
}

static const char s_roles_config[] =
    "[default]\nregion = eu-west-1\n"
    "[profile target]\nrole_arn = arn:aws:iam::210987654321:role/target\nsource_profile = base\n"
    "external_id = ext-42\nrole_session_name = ops-session\nduration_seconds = 1800\n"
    "region = us-west-2\n"
    "[profile hop2]\nrole_arn = arn:aws:iam::3:role/hop2\nsource_profile = target\n"
    "[profile base]\nregion = us-west-2\n"
    "[profile self]\nrole_arn = arn:aws:iam::4:role/self\nsource_profile = self\n"
    "aws_access_key_id = AKIASELF\naws_secret_access_key = self-secret-000\n"
    "[profile self-nokeys]\nrole_arn = arn:aws:iam::4:role/s\nsource_profile = self-nokeys\n"
    "[profile loop-a]\nrole_arn = arn:aws:iam::5:role/a\nsource_profile = loop-b\n"
    "[profile loop-b]\nrole_arn = arn:aws:iam::5:role/b\nsource_profile = loop-a\n"
    "[profile dangling]\nrole_arn = arn:aws:iam::6:role/d\nsource_profile = nowhere\n"
    "[profile both-sources]\nrole_arn = arn:aws:iam::6:role/d\nsource_profile = base\n"
    "credential_source = Environment\n"
    "[profile no-source]\nrole_arn = arn:aws:iam::6:role/d\n"
    "[profile mfa]\nrole_arn = arn:aws:iam::6:role/d\nsource_profile = base\n"
    "mfa_serial = arn:aws:iam::1:mfa/me\n"
    "[profile short]\nrole_arn = arn:aws:iam::6:role/d\nsource_profile = base\n"
    "duration_seconds = 60\n"
    "[profile from-env]\nrole_arn = arn:aws:iam::7:role/e\ncredential_source = Environment\n"
    "[profile from-ecs]\nrole_arn = arn:aws:iam::7:role/c\ncredential_source = EcsContainer\n"
    "[profile from-imds]\nrole_arn = arn:aws:iam::7:role/i\ncredential_source = "
    "Ec2InstanceMetadata\n"
    "[profile bad-source]\nrole_arn = arn:aws:iam::7:role/x\ncredential_source = Laptop\n"
    "[profile empty-source]\nrole_arn = arn:aws:iam::7:role/y\nsource_profile = nocreds\n"
    "[profile nocreds]\nregion = us-east-1\n"
    "[profile keys-and-role]\nrole_arn = arn:aws:iam::8:role/k\nsource_profile = base\n"
    "[profile via-keys-and-role]\nrole_arn = arn:aws:iam::8:role/v\n"
    "source_profile = keys-and-role\n"
    "[profile web]\nrole_arn = arn:aws:iam::9:role/web\nweb_identity_token_file = %s\n"
    "role_session_name = web-session\n";

static const char s_roles_credentials[] =
    "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = base-secret-000\n"
    "[keys-and-role]\naws_access_key_id = AKIAKEYSROLE\naws_secret_access_key = kr-secret-000\n";

static void s_setup_roles(struct s_fixture *f)
{
    char config[sizeof(s_roles_config) + 600];
    s_setup(f, "", s_roles_credentials);
    /* The web profile names a token file inside the scratch directory: rewrite the config. */
    const char *token = s_tmp_write(&f->tmp, "web-token", "jwt-for-web");
    snprintf(config, sizeof(config), s_roles_config, token);
    s_tmp_write(&f->tmp, "config", config);
}

static void test_profile_assume_role_with_source_profile(void)
{
    struct s_fixture f;
    s_setup_roles(&f);
    s_push_sts(&f, "ASIATARGET");
    struct sps_aws_credentials_provider *p = s_profile(&f, "target");
    s_get_ok(&f, p, "ASIATARGET");
    SPS_CHECK_STR_EQ(f.creds.session_token, "ASIATARGET-token");
    const struct sps_http_request *r = sps_fake_transport_request(f.fake, 0);
    SPS_CHECK_STR_EQ(r->url.data, "https://sts.us-west-2.amazonaws.com/"); /* profile region */
    SPS_CHECK_STR_EQ(r->body.data, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam"
                                   "%3A%3A210987654321%3Arole%2Ftarget&RoleSessionName=ops-session&"
                                   "ExternalId=ext-42&DurationSeconds=1800");
    s_check_signed_by(&f, 0, "AKIABASE"); /* the SOURCE profile's keys sign */
    sps_aws_credentials_provider_destroy(p);

    /* Two hops: base signs AssumeRole(target), target's session signs AssumeRole(hop2). */
    s_push_sts(&f, "ASIATARGET");
    s_push_sts(&f, "ASIAHOP2");
    p = s_profile(&f, "hop2");
    s_get_ok(&f, p, "ASIAHOP2");
    s_check_signed_by(&f, 1, "AKIABASE");
    s_check_signed_by(&f, 2, "ASIATARGET");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&sps_fake_transport_request(f.fake, 2)->headers,
                                          "X-Amz-Security-Token"),
                     "ASIATARGET-token");
    SPS_CHECK(strstr(sps_fake_transport_request(f.fake, 2)->body.data, "role%2Fhop2") != NULL);
    sps_aws_credentials_provider_destroy(p);

    /* A profile may name itself to use its own keys. */
    s_push_sts(&f, "ASIASELF");
    p = s_profile(&f, "self");
    s_get_ok(&f, p, "ASIASELF");
    s_check_signed_by(&f, 3, "AKIASELF");
    sps_aws_credentials_provider_destroy(p);

    /* A source profile with its own keys uses them, not its role (botocore). */
    s_push_sts(&f, "ASIAVIA");
    p = s_profile(&f, "via-keys-and-role");
    s_get_ok(&f, p, "ASIAVIA");
    s_check_signed_by(&f, 4, "AKIAKEYSROLE");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 5);
    s_teardown(&f, p);
}

static void test_profile_role_configuration_errors(void)
{
    static const struct {
        const char *profile;
        sps_err err;
        const char *message;
    } cases[] = {
        {"loop-a", SPS_ERR_CREDS_SOURCE_LOOP,
         "source_profile 'loop-a' of profile 'loop-b' leads back to a profile already in the "
         "chain (starting at 'loop-a')"},
        {"self-nokeys", SPS_ERR_CREDS_SOURCE_LOOP, NULL},
        {"dangling", SPS_ERR_CREDS_PROFILE_NOT_FOUND,
         "source_profile 'nowhere' referenced in profile 'dangling' does not exist"},
        {"both-sources", SPS_ERR_CONFIG,
         "profile 'both-sources' sets both source_profile and credential_source"},
        {"no-source", SPS_ERR_CONFIG,
         "profile 'no-source' sets role_arn but neither source_profile nor credential_source"},
        {"mfa", SPS_ERR_UNSUPPORTED, NULL},
        {"short", SPS_ERR_CONFIG,
         "duration_seconds '60' in profile 'short' is not a whole number of seconds from 900 to "
         "43200"},
        {"bad-source", SPS_ERR_CONFIG,
         "credential_source 'Laptop' in profile 'bad-source' is not Environment, "
         "Ec2InstanceMetadata or EcsContainer"},
        {"empty-source", SPS_ERR_CONFIG,
         "source_profile 'nocreds' of profile 'empty-source' has no credentials"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct s_fixture f;
        s_setup_roles(&f);
        struct sps_aws_credentials_provider *p = s_profile(&f, cases[i].profile);
        s_get_err(&f, p, cases[i].err, cases[i].message);
        SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
        s_teardown(&f, p);
    }
}

static void test_profile_credential_source(void)
{
    struct s_fixture f;
    s_setup_roles(&f);
    /* Environment without keys: configured, so an error rather than passing the chain on. */
    struct sps_aws_credentials_provider *p = s_profile(&f, "from-env");
    s_get_err(&f, p, SPS_ERR_CONFIG, "the credential source of the profile found no credentials");
    sps_fake_env_set(&f.env, "AWS_ACCESS_KEY_ID", "AKIAENVSOURCE");
    sps_fake_env_set(&f.env, "AWS_SECRET_ACCESS_KEY", "env-source-secret");
    s_push_sts(&f, "ASIAFROMENV");
    s_get_ok(&f, p, "ASIAFROMENV");
    s_check_signed_by(&f, 0, "AKIAENVSOURCE");
    /* The selected profile sets no region (only [default] does): STS in us-east-1. */
    SPS_CHECK_STR_EQ(sps_fake_transport_request(f.fake, 0)->url.data,
                     "https://sts.us-east-1.amazonaws.com/");
    sps_aws_credentials_provider_destroy(p);

    sps_fake_env_set(&f.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds");
    sps_fake_transport_push(f.fake, 200, NULL,
                            "{\"AccessKeyId\":\"ASIAECS\",\"SecretAccessKey\":\"ecs-secret-00\","
                            "\"Token\":\"ecs-token-000\",\"Expiration\":\"2026-11-24T07:00:00Z\"}");
    s_push_sts(&f, "ASIAFROMECS");
    p = s_profile(&f, "from-ecs");
    s_get_ok(&f, p, "ASIAFROMECS");
    SPS_CHECK_STR_EQ(sps_fake_transport_request(f.fake, 1)->url.data,
                     "http://169.254.170.2/v2/creds");
    s_check_signed_by(&f, 2, "ASIAECS");
    sps_aws_credentials_provider_destroy(p);

    sps_fake_transport_push(f.fake, 200, NULL, "imds-token-000000");
    sps_fake_transport_push(f.fake, 200, NULL, "role");
    sps_fake_transport_push(
        f.fake, 200, NULL,
        "{\"Code\":\"Success\",\"AccessKeyId\":\"ASIAIMDS\",\"SecretAccessKey\":"
        "\"imds-secret-00\",\"Token\":\"imds-tok-000\",\"Expiration\":"
        "\"2026-11-24T07:00:00Z\"}");
    s_push_sts(&f, "ASIAFROMIMDS");
    p = s_profile(&f, "from-imds");
    s_get_ok(&f, p, "ASIAFROMIMDS");
    SPS_CHECK_STR_EQ(sps_fake_transport_request(f.fake, 3)->method, "PUT");
    s_check_signed_by(&f, 6, "ASIAIMDS");
    s_teardown(&f, p);
}

static void test_profile_web_identity(void)
{
    struct s_fixture f;
    s_setup_roles(&f);
    sps_test_read_fixture(&f.xml, "credentials/sts_web_identity.xml");
    sps_fake_transport_push(f.fake, 200, NULL, f.xml.data);
    struct sps_aws_credentials_provider *p = s_profile(&f, "web");
    s_get_ok(&f, p, "ASIAWEBIDENTITY00000");
    const struct sps_http_request *r = sps_fake_transport_request(f.fake, 0);
    SPS_CHECK(sps_http_headers_get(&r->headers, "Authorization") == NULL);
    SPS_CHECK(strstr(r->body.data, "Action=AssumeRoleWithWebIdentity&") == r->body.data);
    SPS_CHECK(strstr(r->body.data, "RoleSessionName=web-session&WebIdentityToken=jwt-for-web") !=
              NULL);
    s_teardown(&f, p);
}

static void test_profile_assume_role_refused(void)
{
    struct s_fixture f;
    s_setup_roles(&f);
    sps_test_read_fixture(&f.xml, "credentials/sts_access_denied.xml");
    sps_fake_transport_push(f.fake, 403, NULL, f.xml.data);
    struct sps_aws_credentials_provider *p = s_profile(&f, "target");
    s_get_err(&f, p, SPS_ERR_AWS_AUTH, NULL);
    SPS_CHECK_STR_EQ(f.aws_err.code, "AccessDenied");
    s_teardown(&f, p);
}

static void test_profile_assume_role_bad_region(void)
{
    struct s_fixture f;
    s_setup(&f,
            "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = s\n"
            "region = not a region\n[profile s]\naws_access_key_id = AKIAS\n"
            "aws_secret_access_key = s-secret-0000\n",
            NULL);
    struct sps_aws_credentials_provider *p = s_profile(&f, "r");
    sps_aws_error_clear(&f.aws_err);
    SPS_CHECK(sps_aws_credentials_provider_get(p, &f.creds, &f.aws_err) != SPS_OK);
    SPS_CHECK_STR_EQ(f.aws_err.message, "cannot set up AssumeRole for profile 'r'");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    s_teardown(&f, p);
}

SPS_TEST_MAIN(SPS_CASE(test_profile_assume_role_bad_region), SPS_CASE(test_profile_selection),
              SPS_CASE(test_profile_missing), SPS_CASE(test_profile_malformed_file),
              SPS_CASE(test_profile_credential_process),
              SPS_CASE(test_profile_assume_role_with_source_profile),
              SPS_CASE(test_profile_role_configuration_errors),
              SPS_CASE(test_profile_credential_source), SPS_CASE(test_profile_web_identity),
              SPS_CASE(test_profile_assume_role_refused))
