/* The option table, the defaults, and the strict parser of every option kind: each good
 * spelling, and each bad value with the exact one-line error it produces. */
#include "sps_engine_config.h"
#include "sps_test.h"

#include <ctype.h>
#include <stdlib.h>

static void test_config_defaults(void)
{
    struct sps_engine_config cfg;
    sps_engine_config_init(&cfg);
    SPS_CHECK_INT_EQ(cfg.regions.count, 0);
    SPS_CHECK_INT_EQ(cfg.mode, SPS_ENGINE_MODE_OPT_IN);
    SPS_CHECK_INT_EQ(cfg.tag_filters.count, 1);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&cfg.tag_filters, "spot-enabled"), "true");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&cfg.opt_out_tag, "spot-enabled"), "false");
    SPS_CHECK(!cfg.report_only);
    SPS_CHECK_INT_EQ(cfg.output, SPS_ENGINE_OUTPUT_TEXT);
    SPS_CHECK_INT_EQ(cfg.log_level, SPS_LOG_INFO);
    SPS_CHECK_INT_EQ(cfg.min_on_demand_number, 0);
    SPS_CHECK_INT_EQ(cfg.min_on_demand_percentage, 0);
    SPS_CHECK_INT_EQ(cfg.allowed_instance_types.count, 0);
    SPS_CHECK_INT_EQ(cfg.disallowed_instance_types.count, 0);
    SPS_CHECK(cfg.max_replacements_per_run.automatic);
    SPS_CHECK(cfg.diversification_fraction > 0.3333 && cfg.diversification_fraction < 0.3334);
    SPS_CHECK(cfg.size_ceiling == 0.0);
    SPS_CHECK_INT_EQ(cfg.allow_burstable, SPS_ENGINE_BURSTABLE_LIKE_ORIGINAL);
    SPS_CHECK(!cfg.allow_bare_metal);
    SPS_CHECK_INT_EQ(cfg.orphan_grace_periods, 3);
    SPS_CHECK_INT_EQ(cfg.empty_market_ttl_seconds, 900);
    SPS_CHECK_INT_EQ(cfg.rebalance_recommendation, SPS_ENGINE_REBALANCE_IGNORE);
    SPS_CHECK_INT_EQ(cfg.accounts.count, 0);
    SPS_CHECK_STR_EQ(cfg.external_id, "");
    SPS_CHECK_STR_EQ(cfg.role_session_name, "spotswap");
    SPS_CHECK_STR_EQ(cfg.pricing_cache_dir, "");
    SPS_CHECK_INT_EQ(cfg.pricing_cache_ttl_seconds, 86400);
    SPS_CHECK_INT_EQ(cfg.concurrency, 8);
    SPS_CHECK_INT_EQ(cfg.http_timeout_seconds, 30);
    SPS_CHECK(cfg.config_file == NULL);
    SPS_CHECK(!cfg.help);
    SPS_CHECK_OK(sps_engine_config_validate(&cfg, NULL));
    sps_engine_config_clean_up(&cfg);
    sps_engine_config_clean_up(&cfg); /* twice is harmless */
    sps_engine_config_clean_up(NULL);
}

/* The env name and flag are the key respelled, so the four spellings cannot drift. */
static void test_config_table_spellings(void)
{
    SPS_CHECK_INT_EQ(sps_engine_option_count(), 26);
    SPS_CHECK(sps_engine_option_at(sps_engine_option_count()) == NULL);
    for (size_t i = 0; i < sps_engine_option_count(); i++) {
        const struct sps_engine_option *opt = sps_engine_option_at(i);
        char env[128] = "SPOTSWAP_", flag[128] = "--";
        size_t n = strlen(opt->key);
        SPS_CHECK(n + 10 < sizeof(env));
        for (size_t k = 0; k < n; k++) {
            env[9 + k] = (char)toupper((unsigned char)opt->key[k]);
            flag[2 + k] = opt->key[k] == '_' ? '-' : opt->key[k];
        }
        env[9 + n] = '\0';
        flag[2 + n] = '\0';
        SPS_CHECK_STR_EQ(opt->env, env);
        SPS_CHECK_STR_EQ(opt->flag, flag);
        SPS_CHECK(opt->type_name != NULL && opt->doc[0] != '\0');
        SPS_CHECK(sps_engine_option_find_key(opt->key) == opt);
    }
    SPS_CHECK(sps_engine_option_find_key("nope") == NULL);
    SPS_CHECK(sps_engine_option_find_key(NULL) == NULL);
    SPS_CHECK(sps_engine_option_find_key("MODE") == NULL); /* the file reader lower-cases */
}

/* Sets `key` to `text`; NULL `expected` means it must succeed, else the exact error line. */
static void s_set(struct sps_engine_config *cfg, const char *key, const char *text,
                  const char *expected)
{
    const struct sps_engine_option *opt = sps_engine_option_find_key(key);
    SPS_CHECK(opt != NULL);
    struct sps_buf error;
    sps_buf_init(&error, 16384);
    sps_err err = sps_engine_config_set(cfg, opt, text, "W", &error);
    if (expected == NULL) {
        if (err != SPS_OK)
            sps_test_fail(__FILE__, __LINE__, "%s = '%s' refused: %s", key, text, error.data);
    } else {
        if (err != SPS_ERR_CONFIG)
            sps_test_fail(__FILE__, __LINE__, "%s = '%s' accepted", key, text);
        if (strcmp(error.data, expected) != 0)
            sps_test_fail(__FILE__, __LINE__, "%s = '%s':\n  got      %s\n  expected %s", key, text,
                          error.data, expected);
    }
    sps_buf_clean_up(&error);
}

static void test_config_scalar_values(void)
{
    struct sps_engine_config c;
    sps_engine_config_init(&c);
    const char *yes[] = {"true", "TRUE", "yes", "Yes", "1"}, *no[] = {"false", "False", "NO", "0"};
    for (size_t i = 0; i < 5; i++) {
        s_set(&c, "report_only", yes[i], NULL);
        SPS_CHECK(c.report_only);
    }
    for (size_t i = 0; i < 4; i++) {
        s_set(&c, "report_only", no[i], NULL);
        SPS_CHECK(!c.report_only);
    }
    s_set(&c, "min_on_demand_number", "12", NULL);
    SPS_CHECK_INT_EQ(c.min_on_demand_number, 12);
    s_set(&c, "min_on_demand_percentage", "100", NULL);
    SPS_CHECK_INT_EQ(c.min_on_demand_percentage, 100);
    s_set(&c, "max_replacements_per_run", "7", NULL);
    SPS_CHECK(!c.max_replacements_per_run.automatic);
    SPS_CHECK_INT_EQ(c.max_replacements_per_run.value, 7);
    s_set(&c, "max_replacements_per_run", "AUTO", NULL);
    SPS_CHECK(c.max_replacements_per_run.automatic);
    s_set(&c, "diversification_fraction", "0.25", NULL);
    SPS_CHECK(c.diversification_fraction == 0.25);
    s_set(&c, "diversification_fraction", "1/2", NULL);
    SPS_CHECK(c.diversification_fraction == 0.5);
    s_set(&c, "diversification_fraction", "1", NULL);
    SPS_CHECK(c.diversification_fraction == 1.0);
    s_set(&c, "size_ceiling", "2.5", NULL);
    SPS_CHECK(c.size_ceiling == 2.5);
    s_set(&c, "size_ceiling", "1", NULL);
    SPS_CHECK(c.size_ceiling == 1.0);
    s_set(&c, "output", "json", NULL);
    SPS_CHECK_INT_EQ(c.output, SPS_ENGINE_OUTPUT_JSON);
    s_set(&c, "mode", "opt-out", NULL);
    SPS_CHECK_INT_EQ(c.mode, SPS_ENGINE_MODE_OPT_OUT);
    s_set(&c, "allow_burstable", "always", NULL);
    SPS_CHECK_INT_EQ(c.allow_burstable, SPS_ENGINE_BURSTABLE_ALWAYS);
    s_set(&c, "allow_burstable", "never", NULL);
    SPS_CHECK_INT_EQ(c.allow_burstable, SPS_ENGINE_BURSTABLE_NEVER);
    s_set(&c, "rebalance_recommendation", "replace", NULL);
    SPS_CHECK_INT_EQ(c.rebalance_recommendation, SPS_ENGINE_REBALANCE_REPLACE);
    s_set(&c, "log_level", "DEBUG", NULL);
    SPS_CHECK_INT_EQ(c.log_level, SPS_LOG_DEBUG);
    s_set(&c, "external_id", "Ext-Id:42/x", NULL);
    SPS_CHECK_STR_EQ(c.external_id, "Ext-Id:42/x");
    s_set(&c, "external_id", "", NULL); /* empty: no ExternalId */
    SPS_CHECK_STR_EQ(c.external_id, "");
    s_set(&c, "role_session_name", "ops_bot@team", NULL);
    SPS_CHECK_STR_EQ(c.role_session_name, "ops_bot@team");
    s_set(&c, "pricing_cache_dir", "/var/cache/spot swap", NULL);
    SPS_CHECK_STR_EQ(c.pricing_cache_dir, "/var/cache/spot swap");
    s_set(&c, "concurrency", "64", NULL);
    SPS_CHECK_INT_EQ(c.concurrency, 64);
    s_set(&c, "http_timeout_seconds", "1", NULL);
    SPS_CHECK_INT_EQ(c.http_timeout_seconds, 1);
    sps_engine_config_clean_up(&c);
}

static void test_config_list_values(void)
{
    struct sps_engine_config c;
    sps_engine_config_init(&c);
    s_set(&c, "regions", " us-east-1, eu-west-1 cn-north-1,,us-east-1 ", NULL);
    SPS_CHECK_INT_EQ(c.regions.count, 3); /* trimmed, empty entries skipped, deduplicated */
    SPS_CHECK_STR_EQ(c.regions.items[0], "us-east-1");
    SPS_CHECK_STR_EQ(c.regions.items[2], "cn-north-1");
    s_set(&c, "regions", "", NULL);
    SPS_CHECK_INT_EQ(c.regions.count, 0);
    s_set(&c, "allowed_instance_types", "m5.*, c5?.large t3.micro", NULL);
    SPS_CHECK_INT_EQ(c.allowed_instance_types.count, 3);
    SPS_CHECK_STR_EQ(c.allowed_instance_types.items[1], "c5?.large");
    s_set(&c, "disallowed_instance_types", "*.metal", NULL);
    SPS_CHECK_STR_EQ(c.disallowed_instance_types.items[0], "*.metal");
    s_set(&c, "accounts",
          "arn:aws:iam::123456789012:role/spotswap, arn:aws-cn:iam::210987654321:role/a/b", NULL);
    SPS_CHECK_INT_EQ(c.accounts.count, 2);
    SPS_CHECK_STR_EQ(c.accounts.items[1], "arn:aws-cn:iam::210987654321:role/a/b");
    s_set(&c, "tag_filters", " team = web* , env=prod ,spot=", NULL);
    SPS_CHECK_INT_EQ(c.tag_filters.count, 3);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&c.tag_filters, "team"), "web*");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&c.tag_filters, "env"), "prod");
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&c.tag_filters, "spot"), "");
    s_set(&c, "tag_filters", "Name=my app server", NULL); /* values may hold spaces */
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&c.tag_filters, "Name"), "my app server");
    s_set(&c, "opt_out_tag", "spotswap=off", NULL);
    SPS_CHECK_INT_EQ(c.opt_out_tag.count, 1);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&c.opt_out_tag, "spotswap"), "off");
    sps_engine_config_clean_up(&c);
}

static void test_config_bad_values(void)
{
    static const struct {
        const char *key, *text, *error;
    } rows[] = {
        /* clang-format off */
        {"report_only", "maybe", "W: report_only: 'maybe' is not a boolean (true, false, yes, no, 1 or 0)"},
        {"allow_bare_metal", "", "W: allow_bare_metal: '' is not a boolean (true, false, yes, no, 1 or 0)"},
        {"min_on_demand_number", "5x", "W: min_on_demand_number: '5x' is not a whole number"},
        {"min_on_demand_number", " 5", "W: min_on_demand_number: ' 5' is not a whole number"},
        {"min_on_demand_number", "", "W: min_on_demand_number: '' is not a whole number"},
        {"min_on_demand_number", "-1", "W: min_on_demand_number: '-1' is out of range 0..100000"},
        {"min_on_demand_number", "99999999999999999999", "W: min_on_demand_number: '99999999999999999999' is not a whole number"},
        {"min_on_demand_percentage", "101", "W: min_on_demand_percentage: '101' is out of range 0..100"},
        {"max_replacements_per_run", "0", "W: max_replacements_per_run: '0' is out of range 1..100000"},
        {"max_replacements_per_run", "lots", "W: max_replacements_per_run: 'lots' is neither 'auto' nor a whole number"},
        {"diversification_fraction", "0", "W: diversification_fraction: '0' is not in 0 < f <= 1"},
        {"diversification_fraction", "1.5", "W: diversification_fraction: '1.5' is not in 0 < f <= 1"},
        {"diversification_fraction", "1/0", "W: diversification_fraction: '1/0' is not a number or a fraction n/m with m > 0"},
        {"diversification_fraction", "a/3", "W: diversification_fraction: 'a/3' is not a number or a fraction n/m with m > 0"},
        {"diversification_fraction", "nan", "W: diversification_fraction: 'nan' is not a number"},
        {"size_ceiling", "0.5", "W: size_ceiling: '0.5' is neither 0 (no ceiling) nor a ratio from 1 to 1000"},
        {"size_ceiling", "-2", "W: size_ceiling: '-2' is neither 0 (no ceiling) nor a ratio from 1 to 1000"},
        {"output", "xml", "W: output: 'xml' is not one of text or json"},
        {"output", "JSON", "W: output: 'JSON' is not one of text or json"},
        {"mode", "opt", "W: mode: 'opt' is not one of opt-in or opt-out"},
        {"allow_burstable", "sometimes", "W: allow_burstable: 'sometimes' is not one of like-original, never or always"},
        {"rebalance_recommendation", "drain", "W: rebalance_recommendation: 'drain' is not one of ignore or replace"},
        {"log_level", "loud", "W: log_level: 'loud' is not one of trace, debug, info, warn, error or off"},
        {"orphan_grace_periods", "0", "W: orphan_grace_periods: '0' is out of range 1..1000"},
        {"empty_market_ttl_seconds", "604801", "W: empty_market_ttl_seconds: '604801' is out of range 0..604800"},
        {"pricing_cache_ttl_seconds", "1e3", "W: pricing_cache_ttl_seconds: '1e3' is not a whole number"},
        {"concurrency", "0", "W: concurrency: '0' is out of range 1..64"},
        {"concurrency", "65", "W: concurrency: '65' is out of range 1..64"},
        {"http_timeout_seconds", "0", "W: http_timeout_seconds: '0' is out of range 1..900"},
        {"http_timeout_seconds", "901", "W: http_timeout_seconds: '901' is out of range 1..900"},
        {"regions", "us-east-1,narnia", "W: regions: 'narnia' is not a region name"},
        {"regions", "US-EAST-1", "W: regions: 'US-EAST-1' is not a region name"},
        {"allowed_instance_types", "m5.*,M5.large", "W: allowed_instance_types: 'M5.large' is not an instance-type pattern (a-z, 0-9, '.', '-', '*' and '?')"},
        {"disallowed_instance_types", "m5[ab].large", "W: disallowed_instance_types: 'm5[ab].large' is not an instance-type pattern (a-z, 0-9, '.', '-', '*' and '?')"},
        {"accounts", "arn:aws:iam::123:role/x", "W: accounts: 'arn:aws:iam::123:role/x' is not a role ARN (arn:aws:iam::<12 digits>:role/<name>)"},
        {"accounts", "arn:aws:iam::123456789012:user/x", "W: accounts: 'arn:aws:iam::123456789012:user/x' is not a role ARN (arn:aws:iam::<12 digits>:role/<name>)"},
        {"accounts", "arn:aws:iam::123456789012:role/", "W: accounts: 'arn:aws:iam::123456789012:role/' is not a role ARN (arn:aws:iam::<12 digits>:role/<name>)"},
        {"accounts", "arn:aws:s3::123456789012:role/x", "W: accounts: 'arn:aws:s3::123456789012:role/x' is not a role ARN (arn:aws:iam::<12 digits>:role/<name>)"},
        {"accounts", "arm:aws:iam::123456789012:role/x", "W: accounts: 'arm:aws:iam::123456789012:role/x' is not a role ARN (arn:aws:iam::<12 digits>:role/<name>)"},
        {"tag_filters", "spot-enabled", "W: tag_filters: 'spot-enabled' is not key=value"},
        {"tag_filters", "a=1, =x", "W: tag_filters: '=x' needs a tag key of 1 to 128 characters"},
        {"tag_filters", "te*m=web", "W: tag_filters: 'te*m=web' has '*' or '?' in the key (only values are patterns)"},
        {"tag_filters", "a=1,a=2", "W: tag_filters: 'a' is given twice as a tag key"},
        {"opt_out_tag", "a=1,b=2", "W: opt_out_tag: 'a=1,b=2' is not exactly one key=value pair"},
        {"opt_out_tag", "", "W: opt_out_tag: '' is not exactly one key=value pair"},
        {"external_id", "x", "W: external_id: 'x' is not 2-1224 characters of [A-Za-z0-9+=,.@:/-]"},
        {"external_id", "a b", "W: external_id: 'a b' is not 2-1224 characters of [A-Za-z0-9+=,.@:/-]"},
        {"role_session_name", "a", "W: role_session_name: 'a' is not 2-64 characters of [A-Za-z0-9_+=,.@-]"},
        {"role_session_name", "bad name!", "W: role_session_name: 'bad name!' is not 2-64 characters of [A-Za-z0-9_+=,.@-]"},
        {"pricing_cache_dir", "a\tb", "W: pricing_cache_dir: 'a\\x09b' is too long or holds a control character"},
        {"mode", "opt-in\nx", "W: mode: 'opt-in\\x0ax' is not one of opt-in or opt-out"},
        /* clang-format on */
    };
    struct sps_engine_config c;
    sps_engine_config_init(&c);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        s_set(&c, rows[i].key, rows[i].text, rows[i].error);
    /* A refused value leaves the previous one in place. */
    SPS_CHECK_INT_EQ(c.concurrency, 8);
    SPS_CHECK_INT_EQ(c.tag_filters.count, 1);
    SPS_CHECK_STR_EQ(c.role_session_name, "spotswap");
    sps_engine_config_clean_up(&c);
}

static void test_config_long_values(void)
{
    struct sps_engine_config c;
    sps_engine_config_init(&c);
    struct sps_buf text, expected;
    sps_buf_init(&text, 16384);
    sps_buf_init(&expected, 16384);
    sps_buf_append_str(&text, "k=");
    for (int i = 0; i < 257; i++)
        sps_buf_append_char(&text, 'v');
    sps_buf_printf(&expected, "W: tag_filters: '%s' has a value longer than 256 characters",
                   text.data);
    s_set(&c, "tag_filters", text.data, expected.data);
    sps_buf_reset(&text);
    for (int i = 0; i < 129; i++)
        sps_buf_append_char(&text, 'k');
    sps_buf_append_str(&text, "=v");
    sps_buf_reset(&expected);
    sps_buf_printf(&expected, "W: tag_filters: '%s' needs a tag key of 1 to 128 characters",
                   text.data);
    s_set(&c, "tag_filters", text.data, expected.data);
    sps_buf_reset(&text);
    for (int i = 0; i < 65; i++)
        sps_buf_append_char(&text, 'r');
    sps_buf_reset(&expected);
    sps_buf_printf(&expected,
                   "W: role_session_name: '%s' is not 2-64 characters of [A-Za-z0-9_+=,.@-]",
                   text.data);
    s_set(&c, "role_session_name", text.data, expected.data);
    sps_buf_reset(&text);
    for (int i = 0; i < 4096; i++)
        sps_buf_append_char(&text, 'p');
    sps_buf_reset(&expected);
    sps_buf_printf(&expected, "W: pricing_cache_dir: '%s' is too long or holds a control character",
                   text.data);
    s_set(&c, "pricing_cache_dir", text.data, expected.data);
    sps_buf_clean_up(&text);
    sps_buf_clean_up(&expected);
    sps_engine_config_clean_up(&c);
}

static void test_config_validate(void)
{
    struct sps_engine_config c;
    sps_engine_config_init(&c);
    s_set(&c, "tag_filters", "", NULL);
    struct sps_buf error;
    sps_buf_init(&error, 1024);
    SPS_CHECK_ERR(sps_engine_config_validate(&c, &error), SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(error.data, "tag_filters: empty in opt-in mode, which would select every "
                                 "group; give a filter or set mode = opt-out");
    SPS_CHECK_ERR(sps_engine_config_validate(&c, NULL), SPS_ERR_CONFIG);
    s_set(&c, "mode", "opt-out", NULL); /* opt-out needs no filters */
    SPS_CHECK_OK(sps_engine_config_validate(&c, &error));
    sps_buf_clean_up(&error);
    sps_engine_config_clean_up(&c);
}

static void test_config_usage_lists_every_flag(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    SPS_CHECK(f != NULL);
    sps_engine_config_usage(f);
    fclose(f);
    SPS_CHECK(strstr(text, "usage: spotswap run") != NULL);
    SPS_CHECK(strstr(text, "--region R") != NULL && strstr(text, "--config FILE") != NULL);
    for (size_t i = 0; i < sps_engine_option_count(); i++) {
        const struct sps_engine_option *opt = sps_engine_option_at(i);
        SPS_CHECK(strstr(text, opt->flag) != NULL);
        SPS_CHECK(strstr(text, opt->env) != NULL);
        SPS_CHECK(strstr(text, opt->doc) != NULL);
    }
    SPS_CHECK(strstr(text, "--report-only[=BOOL]") != NULL);
    SPS_CHECK(strstr(text, "default: 8; env SPOTSWAP_CONCURRENCY") != NULL);
    free(text); /* from open_memstream: the C library's malloc */
}

SPS_TEST_MAIN(SPS_CASE(test_config_defaults), SPS_CASE(test_config_table_spellings),
              SPS_CASE(test_config_scalar_values), SPS_CASE(test_config_list_values),
              SPS_CASE(test_config_bad_values), SPS_CASE(test_config_long_values),
              SPS_CASE(test_config_validate), SPS_CASE(test_config_usage_lists_every_flag))
