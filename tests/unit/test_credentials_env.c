/* The environment provider, the shared-file loader (paths, profile selection, merging) and
 * region resolution. */
#include "sps_aws_credentials_private.h"
#include "sps_fakes.h"
#include "test_credentials_support.h"

static void test_env_keys_and_token(void)
{
    struct sps_fake_env e;
    sps_fake_env_init(&e);
    sps_fake_env_set(&e, "AWS_ACCESS_KEY_ID", "AKIAENV0000000000000");
    sps_fake_env_set(&e, "AWS_SECRET_ACCESS_KEY", "env-secret-0000000000");
    struct sps_aws_credentials_provider *p = sps_creds_env_new(&e.env);
    struct sps_aws_credentials c = {0};
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    SPS_CHECK_STR_EQ(c.access_key_id, "AKIAENV0000000000000");
    SPS_CHECK_STR_EQ(c.secret_access_key, "env-secret-0000000000");
    SPS_CHECK(c.session_token == NULL);
    SPS_CHECK_INT_EQ(c.expiration_ms, 0);
    sps_aws_credentials_clean_up(&c);
    /* The legacy name works alone; AWS_SESSION_TOKEN wins over it. */
    sps_fake_env_set(&e, "AWS_SECURITY_TOKEN", "legacy-token-000000");
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    SPS_CHECK_STR_EQ(c.session_token, "legacy-token-000000");
    sps_aws_credentials_clean_up(&c);
    sps_fake_env_set(&e, "AWS_SESSION_TOKEN", "session-token-00000");
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    SPS_CHECK_STR_EQ(c.session_token, "session-token-00000");
    sps_aws_credentials_clean_up(&c);
    sps_aws_credentials_provider_destroy(p);
    sps_log_clear_secrets();
}

static void test_env_partial_names_the_missing_variable(void)
{
    struct sps_fake_env e;
    sps_fake_env_init(&e);
    sps_fake_env_set(&e, "AWS_ACCESS_KEY_ID", "AKIAENV0000000000000");
    sps_fake_env_set(&e, "AWS_SECRET_ACCESS_KEY", ""); /* empty is unset */
    struct sps_aws_credentials_provider *p = sps_creds_env_new(&e.env);
    struct sps_aws_credentials c = {0};
    struct sps_aws_error aws_err;
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &c, &aws_err), SPS_ERR_CREDS_INVALID);
    SPS_CHECK_STR_EQ(aws_err.message, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    sps_aws_credentials_provider_destroy(p);

    sps_fake_env_init(&e);
    sps_fake_env_set(&e, "AWS_SECRET_ACCESS_KEY", "env-secret-0000000000");
    p = sps_creds_env_new(&e.env);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &c, &aws_err), SPS_ERR_CREDS_INVALID);
    SPS_CHECK_STR_EQ(aws_err.message, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
    SPS_CHECK(c.access_key_id == NULL);
    sps_aws_credentials_provider_destroy(p);
}

static void test_env_nothing_set_is_not_found(void)
{
    struct sps_fake_env e;
    sps_fake_env_init(&e);
    sps_fake_env_set(&e, "AWS_SESSION_TOKEN", "token-alone-000000");
    struct sps_aws_credentials_provider *p = sps_creds_env_new(&e.env);
    struct sps_aws_credentials c = {0};
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &c, NULL), SPS_ERR_CREDS_NOT_FOUND);
    sps_aws_credentials_provider_destroy(p);
}

static void test_files_default_paths_and_profile_choice(void)
{
    struct s_tmp t;
    s_tmp_init(&t);
    char aws_dir[300];
    snprintf(aws_dir, sizeof(aws_dir), "%s/.aws", t.dir);
    SPS_CHECK(mkdir(aws_dir, 0700) == 0);
    s_tmp_write(&t, ".aws/config",
                "[profile x]\nregion = r-config\n[default]\nregion = d\n"
                "[profile \"with space\"]\nregion = quoted\n[profiler]\nregion = no\n");
    s_tmp_write(&t, ".aws/credentials", "[x]\nregion = r-creds\nother = 1\n");
    struct sps_fake_env e;
    sps_fake_env_init(&e);
    sps_fake_env_set(&e, "HOME", t.dir);
    struct sps_creds_files files;
    SPS_CHECK_OK(sps_creds_files_load(&files, &e.env, NULL, NULL));
    SPS_CHECK_STR_EQ(files.profile, "default");
    SPS_CHECK(!files.profile_explicit);
    SPS_CHECK_STR_EQ(sps_creds_files_get(&files, "default", "region"), "d");
    /* The credentials file wins for the keys it has. */
    SPS_CHECK_STR_EQ(sps_creds_files_get(&files, "x", "region"), "r-creds");
    SPS_CHECK_STR_EQ(sps_creds_files_get(&files, "x", "other"), "1");
    SPS_CHECK(sps_creds_files_get(&files, "nope", "region") == NULL);
    SPS_CHECK_STR_EQ(sps_creds_files_get(&files, "with space", "region"), "quoted");
    SPS_CHECK(sps_creds_files_get(&files, "r", "region") == NULL); /* [profiler] is no profile */
    sps_creds_files_clean_up(&files);

    sps_fake_env_set(&e, "AWS_PROFILE", "x");
    SPS_CHECK_OK(sps_creds_files_load(&files, &e.env, NULL, NULL));
    SPS_CHECK_STR_EQ(files.profile, "x");
    SPS_CHECK(files.profile_explicit);
    sps_creds_files_clean_up(&files);
    SPS_CHECK_OK(sps_creds_files_load(&files, &e.env, "explicit", NULL));
    SPS_CHECK_STR_EQ(files.profile, "explicit");
    sps_creds_files_clean_up(&files);
    sps_creds_files_clean_up(NULL);
    unlink(s_tmp_path(&t, ".aws/config"));
    unlink(s_tmp_path(&t, ".aws/credentials"));
    t.count = 0;
    rmdir(aws_dir);
    s_tmp_clean_up(&t);
}

static void test_files_override_variables_and_tilde(void)
{
    struct s_tmp t;
    s_tmp_init(&t);
    s_tmp_write(&t, "cfg", "[profile p]\nregion = from-override\n");
    struct sps_fake_env e;
    sps_fake_env_init(&e);
    sps_fake_env_set(&e, "HOME", t.dir);
    sps_fake_env_set(&e, "AWS_CONFIG_FILE", "~/cfg");
    sps_fake_env_set(&e, "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/sps/credentials");
    struct sps_creds_files files;
    SPS_CHECK_OK(sps_creds_files_load(&files, &e.env, "p", NULL));
    SPS_CHECK_STR_EQ(sps_creds_files_get(&files, "p", "region"), "from-override");
    sps_creds_files_clean_up(&files);
    s_tmp_clean_up(&t);
}

static void test_files_malformed_is_config_error_with_line(void)
{
    struct s_tmp t;
    s_tmp_init(&t);
    const char *cfg = s_tmp_write(&t, "cfg", "[default]\nregion = x\noops\n");
    struct sps_fake_env e;
    sps_fake_env_init(&e);
    sps_fake_env_set(&e, "AWS_CONFIG_FILE", cfg);
    struct sps_creds_files files;
    struct sps_aws_error aws_err;
    sps_aws_error_clear(&aws_err);
    SPS_CHECK_ERR(sps_creds_files_load(&files, &e.env, NULL, &aws_err), SPS_ERR_CONFIG);
    char expected[600];
    snprintf(expected, sizeof(expected), "%s:3: expected '[section]' or 'key = value'", cfg);
    SPS_CHECK_STR_EQ(aws_err.message, expected);
    /* A path that is a directory cannot be read: also a configuration error. */
    sps_fake_env_set(&e, "AWS_CONFIG_FILE", t.dir);
    SPS_CHECK_ERR(sps_creds_files_load(&files, &e.env, NULL, &aws_err), SPS_ERR_CONFIG);
    s_tmp_clean_up(&t);
}

static void test_region_order(void)
{
    char config[512];
    snprintf(config, sizeof(config), "%s", sps_test_fixture("credentials/config"));
    struct sps_fake_env e;
    sps_fake_env_init(&e);
    sps_fake_env_set(&e, "AWS_CONFIG_FILE", config);
    sps_fake_env_set(&e, "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/sps/credentials");
    struct sps_buf region;
    sps_buf_init(&region, 0);
    SPS_CHECK_OK(sps_aws_region_resolve(&region, &e.env, NULL));
    SPS_CHECK_STR_EQ(region.data, "us-west-2"); /* [default] */
    SPS_CHECK_OK(sps_aws_region_resolve(&region, &e.env, "dev"));
    SPS_CHECK_STR_EQ(region.data, "eu-west-1");
    sps_fake_env_set(&e, "AWS_PROFILE", "both");
    SPS_CHECK_OK(sps_aws_region_resolve(&region, &e.env, NULL));
    SPS_CHECK_STR_EQ(region.data, "ap-southeast-2");
    sps_fake_env_set(&e, "AWS_DEFAULT_REGION", "ca-central-1");
    SPS_CHECK_OK(sps_aws_region_resolve(&region, &e.env, "dev"));
    SPS_CHECK_STR_EQ(region.data, "ca-central-1");
    sps_fake_env_set(&e, "AWS_REGION", "sa-east-1");
    SPS_CHECK_OK(sps_aws_region_resolve(&region, &e.env, "dev"));
    SPS_CHECK_STR_EQ(region.data, "sa-east-1");
    sps_buf_clean_up(&region);
}

static void test_region_none(void)
{
    struct s_tmp t;
    s_tmp_init(&t);
    struct sps_fake_env e;
    sps_fake_env_init(&e);
    sps_fake_env_set(&e, "HOME", t.dir); /* no ~/.aws at all */
    sps_fake_env_set(&e, "AWS_REGION", "");
    struct sps_buf region;
    sps_buf_init(&region, 0);
    SPS_CHECK_ERR(sps_aws_region_resolve(&region, &e.env, NULL), SPS_ERR_REGION_NOT_SET);
    /* A profile without a region setting, and a profile that does not exist. */
    const char *cfg = s_tmp_write(&t, "cfg", "[profile p]\noutput = json\n");
    sps_fake_env_set(&e, "AWS_CONFIG_FILE", cfg);
    SPS_CHECK_ERR(sps_aws_region_resolve(&region, &e.env, "p"), SPS_ERR_REGION_NOT_SET);
    SPS_CHECK_ERR(sps_aws_region_resolve(&region, &e.env, "missing"), SPS_ERR_REGION_NOT_SET);
    /* A malformed config file is reported, not mistaken for "no region". */
    cfg = s_tmp_write(&t, "bad", "region = x\n");
    sps_fake_env_set(&e, "AWS_CONFIG_FILE", cfg);
    SPS_CHECK_ERR(sps_aws_region_resolve(&region, &e.env, NULL), SPS_ERR_CONFIG);
    sps_buf_clean_up(&region);
    s_tmp_clean_up(&t);
}

SPS_TEST_MAIN(SPS_CASE(test_env_keys_and_token),
              SPS_CASE(test_env_partial_names_the_missing_variable),
              SPS_CASE(test_env_nothing_set_is_not_found),
              SPS_CASE(test_files_default_paths_and_profile_choice),
              SPS_CASE(test_files_override_variables_and_tilde),
              SPS_CASE(test_files_malformed_is_config_error_with_line), SPS_CASE(test_region_order),
              SPS_CASE(test_region_none))
