/* The sources of settings: the config file (with and without a [spotswap] header, each error
 * with file and line), the SPOTSWAP_* environment (unknown names warned about), the `run`
 * command line, and their precedence through sps_engine_config_load. */
#include "sps_aws_ini.h"
#include "sps_engine_config.h"
#include "sps_fakes.h"
#include "sps_test.h"

static struct sps_buf s_error, s_warnings;

static void s_begin(struct sps_engine_config *cfg)
{
    sps_engine_config_init(cfg);
    sps_buf_init(&s_error, 16384);
    sps_buf_init(&s_warnings, 16384);
}

static void s_end(struct sps_engine_config *cfg)
{
    sps_engine_config_clean_up(cfg);
    sps_buf_clean_up(&s_error);
    sps_buf_clean_up(&s_warnings);
}

/* The fixture's path followed by `suffix`, e.g. ":3: unknown option colour". */
static void s_check_file_error(const char *fixture, const char *suffix)
{
    struct sps_engine_config cfg;
    s_begin(&cfg);
    char path[4096];
    snprintf(path, sizeof(path), "%s", sps_test_fixture(fixture));
    SPS_CHECK_ERR(sps_engine_config_read_file(&cfg, path, &s_error), SPS_ERR_CONFIG);
    char expected[8192];
    snprintf(expected, sizeof(expected), "%s%s", path, suffix);
    SPS_CHECK_STR_EQ(s_error.data, expected);
    SPS_CHECK(cfg.config_file == NULL);
    s_end(&cfg);
}

static void test_file_full(void)
{
    struct sps_engine_config c;
    s_begin(&c);
    SPS_CHECK_OK(sps_engine_config_read_file(&c, sps_test_fixture("config/full.conf"), &s_error));
    SPS_CHECK_STR_EQ(c.config_file, sps_test_fixture("config/full.conf"));
    SPS_CHECK_INT_EQ(c.regions.count, 2);
    SPS_CHECK_STR_EQ(c.regions.items[1], "eu-west-1");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&c.tag_filters, "team"), "web*");
    SPS_CHECK(c.report_only);
    SPS_CHECK_INT_EQ(c.output, SPS_ENGINE_OUTPUT_JSON);
    SPS_CHECK_INT_EQ(c.min_on_demand_number, 2);
    SPS_CHECK_INT_EQ(c.min_on_demand_percentage, 25);
    SPS_CHECK_INT_EQ(c.allowed_instance_types.count, 2);
    SPS_CHECK_STR_EQ(c.disallowed_instance_types.items[0], "*.metal");
    SPS_CHECK_INT_EQ(c.max_replacements_per_run.value, 10);
    SPS_CHECK(c.diversification_fraction == 0.25);
    SPS_CHECK(c.size_ceiling == 2.0);
    SPS_CHECK_INT_EQ(c.allow_burstable, SPS_ENGINE_BURSTABLE_NEVER);
    SPS_CHECK_INT_EQ(c.orphan_grace_periods, 4);
    SPS_CHECK_INT_EQ(c.empty_market_ttl_seconds, 600);
    SPS_CHECK_INT_EQ(c.rebalance_recommendation, SPS_ENGINE_REBALANCE_REPLACE);
    SPS_CHECK_INT_EQ(c.accounts.count, 2);
    SPS_CHECK_STR_EQ(c.external_id, "fleet-42");
    SPS_CHECK_STR_EQ(c.role_session_name, "spotswap-prod");
    SPS_CHECK_STR_EQ(c.pricing_cache_dir, "/var/cache/spotswap");
    SPS_CHECK_INT_EQ(c.pricing_cache_ttl_seconds, 3600);
    SPS_CHECK_INT_EQ(c.concurrency, 4);
    SPS_CHECK_INT_EQ(c.log_level, SPS_LOG_WARN);
    /* Reading it again over itself changes nothing and leaks nothing. */
    SPS_CHECK_OK(sps_engine_config_read_file(&c, sps_test_fixture("config/full.conf"), &s_error));
    SPS_CHECK_INT_EQ(c.concurrency, 4);
    s_end(&c);
}

static void test_file_without_header(void)
{
    struct sps_engine_config c;
    s_begin(&c);
    SPS_CHECK_OK(
        sps_engine_config_read_file(&c, sps_test_fixture("config/no_header.conf"), &s_error));
    SPS_CHECK_INT_EQ(c.concurrency, 2);
    SPS_CHECK_INT_EQ(c.min_on_demand_number, 5);
    SPS_CHECK_STR_EQ(c.regions.items[0], "us-east-1");
    SPS_CHECK_INT_EQ(c.pricing_cache_ttl_seconds, 86400); /* untouched keys keep defaults */
    s_end(&c);
}

static void test_file_errors(void)
{
    s_check_file_error("config/unknown_key.conf", ":3: unknown option colour");
    /* The key is matched in any case, and the error points at the line that set it last. */
    s_check_file_error("config/bad_value.conf", ":4: concurrency: 'many' is not a whole number");
    s_check_file_error("config/other_section.conf",
                       ":3: unknown section, only [spotswap] or none: other");
    /* The INI parser's own complaint, with the line as the user counts it. */
    s_check_file_error("config/malformed.conf", ":2: expected '[section]' or 'key = value'");
    s_check_file_error("config/absent.conf", ": cannot read the config file: not found");
}

static void test_text_errors(void)
{
    struct sps_engine_config c;
    s_begin(&c);
    SPS_CHECK_ERR(
        sps_engine_config_read_text(&c, SPS_CURSOR_LIT("[spotswap\n"), "t.conf", &s_error),
        SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(s_error.data, "t.conf:1: section header without a closing ']'");
    SPS_CHECK_ERR(
        sps_engine_config_read_text(&c, SPS_CURSOR_LIT("mode = opt-in\n[]\n"), "t.conf", &s_error),
        SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(s_error.data, "t.conf:2: empty section name");
    /* A file with nothing in it is fine; errors may also go nowhere. */
    SPS_CHECK_OK(sps_engine_config_read_text(&c, SPS_CURSOR_EMPTY, "t.conf", &s_error));
    SPS_CHECK_ERR(sps_engine_config_read_text(&c, SPS_CURSOR_LIT("x = 1\n"), "t.conf", NULL),
                  SPS_ERR_CONFIG);
    SPS_CHECK_ERR(sps_engine_config_read_text(&c, SPS_CURSOR_LIT("[a]\n"), "t.conf", NULL),
                  SPS_ERR_CONFIG);
    SPS_CHECK_ERR(sps_engine_config_read_text(&c, SPS_CURSOR_LIT("junk\n"), "t.conf", NULL),
                  SPS_ERR_CONFIG);
    s_end(&c);
}

static void test_file_too_large(void)
{
    struct sps_engine_config c;
    s_begin(&c);
    struct sps_buf big;
    sps_buf_init(&big, SPS_INI_MAX_BYTES + 1);
    for (size_t i = 0; i < SPS_INI_MAX_BYTES / 16; i++)
        sps_buf_append_str(&big, "# padding line.\n");
    SPS_CHECK_ERR(sps_engine_config_read_text(&c, sps_buf_cursor(&big), "big.conf", &s_error),
                  SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(s_error.data, "big.conf: the config file is too large");
    sps_buf_clean_up(&big);
    s_end(&c);
}

static void test_env_alone(void)
{
    struct sps_engine_config c;
    s_begin(&c);
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    sps_fake_env_set(&env, "SPOTSWAP_CONCURRENCY", "3");
    sps_fake_env_set(&env, "SPOTSWAP_REGIONS", "ap-south-1 us-west-2");
    sps_fake_env_set(&env, "SPOTSWAP_REPORT_ONLY", "1");
    sps_fake_env_set(&env, "SPOTSWAP_MODE", ""); /* empty is unset */
    char *entries[] = {"PATH=/usr/bin",
                       "SPOTSWAP_CONCURRENCY=3",
                       "SPOTSWAP_CONFIG=/x",
                       "SPOTSWAP_CONCURENCY=5",
                       "SPOTSWAP_BOGUS",
                       "HOME=/root",
                       NULL};
    SPS_CHECK_OK(sps_engine_config_read_env(&c, &env.env, entries, &s_warnings, &s_error));
    SPS_CHECK_INT_EQ(c.concurrency, 3);
    SPS_CHECK_INT_EQ(c.regions.count, 2);
    SPS_CHECK(c.report_only);
    SPS_CHECK_INT_EQ(c.mode, SPS_ENGINE_MODE_OPT_IN);
    SPS_CHECK_STR_EQ(s_warnings.data, "SPOTSWAP_CONCURENCY: not a spotswap setting, ignored\n"
                                      "SPOTSWAP_BOGUS: not a spotswap setting, ignored\n");
    /* Without a list to scan, or a buffer for warnings, nothing is warned about. */
    SPS_CHECK_OK(sps_engine_config_read_env(&c, &env.env, NULL, NULL, &s_error));
    SPS_CHECK_OK(sps_engine_config_read_env(&c, &env.env, entries, NULL, &s_error));
    sps_fake_env_set(&env, "SPOTSWAP_OUTPUT", "yaml");
    SPS_CHECK_ERR(sps_engine_config_read_env(&c, &env.env, NULL, NULL, &s_error), SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(s_error.data, "SPOTSWAP_OUTPUT: output: 'yaml' is not one of text or json");
    s_end(&c);
}

static sps_err s_args(struct sps_engine_config *c, char **argv, int argc)
{
    return sps_engine_config_read_args(c, argc, argv, &s_error);
}

static void test_args_alone(void)
{
    struct sps_engine_config c;
    s_begin(&c);
    char *argv[] = {"--region",
                    "us-east-1",
                    "--region=eu-west-1,us-east-1",
                    "--report-only",
                    "--output",
                    "json",
                    "--concurrency=3",
                    "--allow-bare-metal=yes",
                    "--config",
                    "ignored-here.conf",
                    "--tag-filters",
                    "a=b, c=d*",
                    "--max-replacements-per-run",
                    "auto",
                    "--external-id=x=1"};
    SPS_CHECK_OK(s_args(&c, argv, (int)(sizeof(argv) / sizeof(argv[0]))));
    SPS_CHECK_INT_EQ(c.regions.count, 2);
    SPS_CHECK_STR_EQ(c.regions.items[0], "us-east-1");
    SPS_CHECK_STR_EQ(c.regions.items[1], "eu-west-1");
    SPS_CHECK(c.report_only);
    SPS_CHECK(c.allow_bare_metal);
    SPS_CHECK_INT_EQ(c.output, SPS_ENGINE_OUTPUT_JSON);
    SPS_CHECK_INT_EQ(c.concurrency, 3);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&c.tag_filters, "c"), "d*");
    SPS_CHECK(c.max_replacements_per_run.automatic);
    SPS_CHECK_STR_EQ(c.external_id, "x=1"); /* only the first '=' separates */
    SPS_CHECK(!c.help);
    /* --regions replaces like any option; a --region after it adds. */
    char *regions[] = {"--regions", "ap-south-1", "--region", "us-west-2"};
    SPS_CHECK_OK(s_args(&c, regions, 4));
    SPS_CHECK_INT_EQ(c.regions.count, 2);
    SPS_CHECK_STR_EQ(c.regions.items[0], "ap-south-1");
    SPS_CHECK_STR_EQ(c.regions.items[1], "us-west-2");
    char *help[] = {"-h"}, *help2[] = {"--help"};
    SPS_CHECK_OK(s_args(&c, help, 1));
    SPS_CHECK(c.help);
    c.help = false;
    SPS_CHECK_OK(s_args(&c, help2, 1));
    SPS_CHECK(c.help);
    s_end(&c);
}

static void s_check_args_error(char **argv, int argc, const char *expected)
{
    struct sps_engine_config c;
    s_begin(&c);
    SPS_CHECK_ERR(s_args(&c, argv, argc), SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(s_error.data, expected);
    SPS_CHECK_ERR(sps_engine_config_read_args(&c, argc, argv, NULL), SPS_ERR_CONFIG);
    s_end(&c);
}

static void test_args_errors(void)
{
    char *a1[] = {"--colour", "blue"};
    s_check_args_error(a1, 2, "--colour: unknown option (see spotswap run --help)");
    char *a2[] = {"--colour=blue"};
    s_check_args_error(a2, 1, "--colour: unknown option (see spotswap run --help)");
    char *a3[] = {"--concurrency"};
    s_check_args_error(a3, 1, "--concurrency: needs a value");
    char *a4[] = {"us-east-1"};
    s_check_args_error(a4, 1, "us-east-1: unexpected argument (see spotswap run --help)");
    char *a5[] = {"-r"};
    s_check_args_error(a5, 1, "-r: unexpected argument (see spotswap run --help)");
    char *a6[] = {"--"};
    s_check_args_error(a6, 1, "--: unexpected argument (see spotswap run --help)");
    char *a7[] = {"--=x"};
    s_check_args_error(a7, 1, "--=x: unexpected argument (see spotswap run --help)");
    char *a8[] = {"--concurrency", "many"};
    s_check_args_error(a8, 2, "--concurrency: concurrency: 'many' is not a whole number");
    char *a9[] = {"--region", "us-east-1", "--region", "Mars"};
    s_check_args_error(a9, 4, "--region: regions: 'Mars' is not a region name");
    char *a10[] = {"--region"};
    s_check_args_error(a10, 1, "--region: needs a value");
    char *a11[] = {"--report-only=perhaps"};
    s_check_args_error(a11, 1,
                       "--report-only: report_only: 'perhaps' is not a boolean (true, false, yes, "
                       "no, 1 or 0)");
    char *a12[] = {"--config"};
    s_check_args_error(a12, 1, "--config: needs a value");
    char *a13[] = {"--report-onlyx"};
    s_check_args_error(a13, 1, "--report-onlyx: unknown option (see spotswap run --help)");
}

/* Each layer overrides the one below it, option by option. */
static void test_precedence(void)
{
    struct sps_engine_config c;
    s_begin(&c);
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    sps_fake_env_set(&env, "SPOTSWAP_CONFIG", sps_test_fixture("config/no_header.conf"));
    sps_fake_env_set(&env, "SPOTSWAP_CONCURRENCY", "3");
    sps_fake_env_set(&env, "SPOTSWAP_MIN_ON_DEMAND_NUMBER", "6");
    sps_fake_env_set(&env, "SPOTSWAP_REGIONS", "eu-west-1");
    char *argv[] = {"--concurrency", "4", "--region", "ap-south-1", "--region", "us-west-2"};
    struct sps_engine_config_input in = {6, argv, &env.env, NULL};
    sps_engine_config_clean_up(&c);
    SPS_CHECK_OK(sps_engine_config_load(&c, &in, &s_warnings, &s_error));
    SPS_CHECK_INT_EQ(c.concurrency, 4);                   /* file 2, env 3, flag 4 */
    SPS_CHECK_INT_EQ(c.min_on_demand_number, 6);          /* file 5, env 6 */
    SPS_CHECK_INT_EQ(c.output, SPS_ENGINE_OUTPUT_JSON);   /* file only */
    SPS_CHECK_INT_EQ(c.pricing_cache_ttl_seconds, 86400); /* default */
    SPS_CHECK_INT_EQ(c.regions.count, 2); /* the flags replace env and file regions */
    SPS_CHECK_STR_EQ(c.regions.items[0], "ap-south-1");
    SPS_CHECK_STR_EQ(c.regions.items[1], "us-west-2");
    SPS_CHECK_STR_EQ(c.config_file, sps_test_fixture("config/no_header.conf"));
    sps_engine_config_clean_up(&c);

    /* Without flags the environment wins over the file; without either, the file counts. */
    in.argc = 0;
    SPS_CHECK_OK(sps_engine_config_load(&c, &in, &s_warnings, &s_error));
    SPS_CHECK_INT_EQ(c.concurrency, 3);
    SPS_CHECK_STR_EQ(c.regions.items[0], "eu-west-1");
    sps_engine_config_clean_up(&c);
    struct sps_fake_env file_only;
    sps_fake_env_init(&file_only);
    sps_fake_env_set(&file_only, "SPOTSWAP_CONFIG", sps_test_fixture("config/no_header.conf"));
    in.env = &file_only.env;
    SPS_CHECK_OK(sps_engine_config_load(&c, &in, &s_warnings, &s_error));
    SPS_CHECK_INT_EQ(c.concurrency, 2);
    SPS_CHECK_STR_EQ(c.regions.items[0], "us-east-1");
    s_end(&c);
}

static void test_load_config_choice_and_errors(void)
{
    struct sps_engine_config c;
    s_begin(&c);
    sps_engine_config_clean_up(&c);
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    sps_fake_env_set(&env, "SPOTSWAP_CONFIG", sps_test_fixture("config/absent.conf"));
    char flag[4200];
    snprintf(flag, sizeof(flag), "--config=%s", sps_test_fixture("config/full.conf"));
    char *argv[] = {flag};
    struct sps_engine_config_input in = {1, argv, &env.env, NULL};
    /* --config wins over SPOTSWAP_CONFIG (which names a file that does not exist). */
    SPS_CHECK_OK(sps_engine_config_load(&c, &in, &s_warnings, &s_error));
    SPS_CHECK_INT_EQ(c.concurrency, 4);
    sps_engine_config_clean_up(&c);

    in.argc = 0;
    char expected[8192];
    snprintf(expected, sizeof(expected), "%s: cannot read the config file: not found",
             sps_test_fixture("config/absent.conf"));
    SPS_CHECK_ERR(sps_engine_config_load(&c, &in, &s_warnings, &s_error), SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(s_error.data, expected);
    sps_engine_config_clean_up(&c);

    char *empty[] = {"--config="};
    in = (struct sps_engine_config_input){1, empty, NULL, NULL};
    SPS_CHECK_ERR(sps_engine_config_load(&c, &in, &s_warnings, &s_error), SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(s_error.data, "--config: needs a file name");
    sps_engine_config_clean_up(&c);
    char *missing[] = {"--config"};
    in = (struct sps_engine_config_input){1, missing, NULL, NULL};
    SPS_CHECK_ERR(sps_engine_config_load(&c, &in, &s_warnings, &s_error), SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(s_error.data, "--config: needs a value");
    sps_engine_config_clean_up(&c);

    /* Each source's failure stops the load; the cross-option check runs last. */
    struct sps_fake_env bad_env;
    sps_fake_env_init(&bad_env);
    sps_fake_env_set(&bad_env, "SPOTSWAP_TAG_FILTERS", " , ");
    in = (struct sps_engine_config_input){0, NULL, &bad_env.env, NULL};
    SPS_CHECK_ERR(sps_engine_config_load(&c, &in, &s_warnings, &s_error), SPS_ERR_CONFIG);
    SPS_CHECK(strncmp(s_error.data, "tag_filters: empty in opt-in mode", 33) == 0);
    sps_engine_config_clean_up(&c);
    char *help[] = {"--help"}; /* help skips the check: the user only wants the text */
    in.argc = 1;
    in.argv = help;
    SPS_CHECK_OK(sps_engine_config_load(&c, &in, &s_warnings, &s_error));
    SPS_CHECK(c.help);
    sps_engine_config_clean_up(&c);
    sps_fake_env_set(&bad_env, "SPOTSWAP_CONCURRENCY", "x");
    SPS_CHECK_ERR(sps_engine_config_load(&c, &in, &s_warnings, &s_error), SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(s_error.data, "SPOTSWAP_CONCURRENCY: concurrency: 'x' is not a whole number");
    sps_engine_config_clean_up(&c);
    char *bad_arg[] = {"--nope"};
    in = (struct sps_engine_config_input){1, bad_arg, NULL, NULL};
    SPS_CHECK_ERR(sps_engine_config_load(&c, &in, &s_warnings, &s_error), SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(s_error.data, "--nope: unknown option (see spotswap run --help)");
    s_end(&c);
}

SPS_TEST_MAIN(SPS_CASE(test_file_full), SPS_CASE(test_file_without_header),
              SPS_CASE(test_file_errors), SPS_CASE(test_text_errors), SPS_CASE(test_file_too_large),
              SPS_CASE(test_env_alone), SPS_CASE(test_args_alone), SPS_CASE(test_args_errors),
              SPS_CASE(test_precedence), SPS_CASE(test_load_config_choice_and_errors))
