/* Per-group configuration: the glob matcher, the tag-filter selection in both modes, the
 * group's policy from its spotswap:* tags (a bad tag fails that group alone), the automatic
 * per-run limit and the on-demand floor. */
#include "sps_engine_config.h"
#include "sps_test.h"

static void test_glob_table(void)
{
    static const struct {
        const char *pattern, *text;
        bool match;
    } rows[] = {
        {"", "", true},
        {"", "a", false},
        {"*", "", true},
        {"*", "anything", true},
        {"**", "x", true},
        {"?", "", false},
        {"?", "a", true},
        {"?", "ab", false},
        {"m5.*", "m5.large", true},
        {"m5.*", "m5a.large", false},
        {"m5*.large", "m5a.large", true},
        {"m5*.large", "m5.xlarge", false},
        {"c5?.large", "c5n.large", true},
        {"c5?.large", "c5.large", false},
        {"*.metal", "m5.metal", true},
        {"*.metal", "m5.metal-48xl", false},
        {"a*b*c", "aXbYc", true},
        {"a*b*c", "abcbc", true},
        {"a*b*c", "acb", false},
        {"*a*a*a", "aaaa", true},
        {"*ab", "aab", true},
        {"t3.micro", "t3.micro", true},
        {"t3.micro", "T3.micro", false}, /* case matters */
        {"[ab]", "a", false},            /* no character classes */
        {"[ab]", "[ab]", true},
        {"web-*", "web-", true},
        {"true", "true", true},
        {"true", "truex", false},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (sps_engine_glob_match(rows[i].pattern, rows[i].text) != rows[i].match)
            sps_test_fail(__FILE__, __LINE__, "glob '%s' on '%s' should %s", rows[i].pattern,
                          rows[i].text, rows[i].match ? "match" : "not match");
    }
}

static void s_set(struct sps_engine_config *c, const char *key, const char *value)
{
    SPS_CHECK_OK(sps_engine_config_set(c, sps_engine_option_find_key(key), value, "test", NULL));
}

static void test_filters_opt_in(void)
{
    struct sps_engine_config c;
    sps_engine_config_init(&c);
    struct sps_aws_tags t;
    sps_aws_tags_init(&t);
    SPS_CHECK(!sps_engine_tags_match_filters(&c, &t)); /* untagged: not opted in */
    sps_aws_tags_set(&t, "spot-enabled", "True", true);
    SPS_CHECK(!sps_engine_tags_match_filters(&c, &t)); /* values are case-sensitive */
    sps_aws_tags_set(&t, "spot-enabled", "true", true);
    SPS_CHECK(sps_engine_tags_match_filters(&c, &t));
    /* Several pairs: every one must match; values are globs. */
    s_set(&c, "tag_filters", "spot-enabled=true, team=web-*, env=?rod");
    SPS_CHECK(!sps_engine_tags_match_filters(&c, &t));
    sps_aws_tags_set(&t, "team", "web-frontend", false);
    SPS_CHECK(!sps_engine_tags_match_filters(&c, &t));
    sps_aws_tags_set(&t, "env", "prod", false);
    SPS_CHECK(sps_engine_tags_match_filters(&c, &t));
    sps_aws_tags_set(&t, "env", "preprod", false);
    SPS_CHECK(!sps_engine_tags_match_filters(&c, &t));
    /* An empty pattern matches an empty value only; '*' also matches empty. */
    s_set(&c, "tag_filters", "marker=");
    SPS_CHECK(!sps_engine_tags_match_filters(&c, &t));
    sps_aws_tags_set(&t, "marker", "", false);
    SPS_CHECK(sps_engine_tags_match_filters(&c, &t));
    s_set(&c, "tag_filters", "marker=*");
    SPS_CHECK(sps_engine_tags_match_filters(&c, &t));
    /* No filters in opt-in mode selects nothing (validation refuses that set-up anyway). */
    s_set(&c, "tag_filters", "");
    SPS_CHECK(!sps_engine_tags_match_filters(&c, &t));
    sps_aws_tags_clean_up(&t);
    sps_engine_config_clean_up(&c);
}

static void test_filters_opt_out(void)
{
    struct sps_engine_config c;
    sps_engine_config_init(&c);
    s_set(&c, "mode", "opt-out");
    struct sps_aws_tags t;
    sps_aws_tags_init(&t);
    SPS_CHECK(sps_engine_tags_match_filters(&c, &t)); /* untagged: included */
    sps_aws_tags_set(&t, "spot-enabled", "true", true);
    SPS_CHECK(sps_engine_tags_match_filters(&c, &t)); /* tag_filters do not apply */
    sps_aws_tags_set(&t, "spot-enabled", "false", true);
    SPS_CHECK(!sps_engine_tags_match_filters(&c, &t));
    s_set(&c, "opt_out_tag", "spotswap=off*");
    SPS_CHECK(sps_engine_tags_match_filters(&c, &t)); /* the old tag no longer excludes */
    sps_aws_tags_set(&t, "spotswap", "off-until-monday", true);
    SPS_CHECK(!sps_engine_tags_match_filters(&c, &t));
    sps_aws_tags_set(&t, "spotswap", "on", true);
    SPS_CHECK(sps_engine_tags_match_filters(&c, &t));
    sps_aws_tags_clean_up(&t);
    sps_engine_config_clean_up(&c);
}

static void test_policy_defaults_from_global(void)
{
    struct sps_engine_config c;
    sps_engine_config_init(&c);
    s_set(&c, "min_on_demand_number", "2");
    s_set(&c, "allowed_instance_types", "m5.*");
    s_set(&c, "report_only", "true");
    struct sps_aws_tags t;
    sps_aws_tags_init(&t);
    sps_aws_tags_set(&t, "spot-enabled", "true", true);
    sps_aws_tags_set(&t, "spotswap:unknown-thing", "whatever", false); /* ignored */
    struct sps_engine_group_policy p;
    sps_engine_group_policy_init(&p);
    SPS_CHECK_OK(sps_engine_group_policy_resolve(&c, "web", &t, &p, NULL));
    SPS_CHECK(p.enabled);
    SPS_CHECK(p.report_only);
    SPS_CHECK_INT_EQ(p.min_on_demand_number, 2);
    SPS_CHECK_INT_EQ(p.min_on_demand_percentage, 0);
    SPS_CHECK_INT_EQ(p.allowed_instance_types.count, 1);
    SPS_CHECK_INT_EQ(p.disallowed_instance_types.count, 0);
    SPS_CHECK(p.max_replacements_per_run.automatic);
    /* Resolving again into the same policy replaces it without leaking. */
    sps_aws_tags_set(&t, "spot-enabled", "no", true);
    SPS_CHECK_OK(sps_engine_group_policy_resolve(&c, "web", &t, &p, NULL));
    SPS_CHECK(!p.enabled);
    sps_engine_group_policy_clean_up(&p);
    sps_engine_group_policy_clean_up(NULL);
    sps_aws_tags_clean_up(&t);
    sps_engine_config_clean_up(&c);
}

static void test_policy_tag_overrides(void)
{
    struct sps_engine_config c;
    sps_engine_config_init(&c);
    s_set(&c, "allowed_instance_types", "m5.*");
    struct sps_aws_tags t;
    sps_aws_tags_init(&t);
    /* spotswap:enabled=true opts in a group the filters would not select... */
    sps_aws_tags_set(&t, "spotswap:enabled", "true", false);
    sps_aws_tags_set(&t, "spotswap:min-on-demand-number", "3", false);
    sps_aws_tags_set(&t, "spotswap:min-on-demand-percentage", "50", false);
    sps_aws_tags_set(&t, "spotswap:allowed-instance-types", "c5.* c6i.*", false);
    sps_aws_tags_set(&t, "spotswap:disallowed-instance-types", "*.metal", false);
    sps_aws_tags_set(&t, "spotswap:max-replacements-per-run", "5", false);
    sps_aws_tags_set(&t, "spotswap:report-only", "yes", false);
    struct sps_engine_group_policy p;
    sps_engine_group_policy_init(&p);
    SPS_CHECK_OK(sps_engine_group_policy_resolve(&c, "batch", &t, &p, NULL));
    SPS_CHECK(p.enabled);
    SPS_CHECK(p.report_only);
    SPS_CHECK_INT_EQ(p.min_on_demand_number, 3);
    SPS_CHECK_INT_EQ(p.min_on_demand_percentage, 50);
    SPS_CHECK_INT_EQ(p.allowed_instance_types.count, 2); /* replaces the global list */
    SPS_CHECK_STR_EQ(p.allowed_instance_types.items[1], "c6i.*");
    SPS_CHECK_STR_EQ(p.disallowed_instance_types.items[0], "*.metal");
    SPS_CHECK_INT_EQ(p.max_replacements_per_run.value, 5);
    /* ...and =false opts out a group the filters select. */
    sps_aws_tags_set(&t, "spot-enabled", "true", true);
    sps_aws_tags_set(&t, "spotswap:enabled", "false", false);
    SPS_CHECK_OK(sps_engine_group_policy_resolve(&c, "batch", &t, &p, NULL));
    SPS_CHECK(!p.enabled);
    /* A tag can make a group report-only, but never undo a global report-only run. */
    sps_aws_tags_set(&t, "spotswap:report-only", "false", false);
    SPS_CHECK_OK(sps_engine_group_policy_resolve(&c, "batch", &t, &p, NULL));
    SPS_CHECK(!p.report_only);
    s_set(&c, "report_only", "true");
    SPS_CHECK_OK(sps_engine_group_policy_resolve(&c, "batch", &t, &p, NULL));
    SPS_CHECK(p.report_only);
    s_set(&c, "report_only", "false");
    /* The global config is untouched by any group. */
    SPS_CHECK_INT_EQ(c.allowed_instance_types.count, 1);
    SPS_CHECK_INT_EQ(c.min_on_demand_number, 0);
    sps_engine_group_policy_clean_up(&p);
    sps_aws_tags_clean_up(&t);
    sps_engine_config_clean_up(&c);
}

/* One bad tag fails its own group with a line naming group, tag, option and reason; the next
 * group resolves normally. */
static void test_policy_bad_tag_isolated(void)
{
    static const struct {
        const char *tag, *value, *error;
    } rows[] = {
        /* clang-format off */
        {"spotswap:enabled", "sure", "group g1 tag spotswap:enabled: enabled: 'sure' is not a boolean (true, false, yes, no, 1 or 0)"},
        {"spotswap:min-on-demand-number", "-2", "group g1 tag spotswap:min-on-demand-number: min_on_demand_number: '-2' is out of range 0..100000"},
        {"spotswap:min-on-demand-percentage", "150", "group g1 tag spotswap:min-on-demand-percentage: min_on_demand_percentage: '150' is out of range 0..100"},
        {"spotswap:allowed-instance-types", "M5.*", "group g1 tag spotswap:allowed-instance-types: allowed_instance_types: 'M5.*' is not an instance-type pattern (a-z, 0-9, '.', '-', '*' and '?')"},
        {"spotswap:disallowed-instance-types", "m5/large", "group g1 tag spotswap:disallowed-instance-types: disallowed_instance_types: 'm5/large' is not an instance-type pattern (a-z, 0-9, '.', '-', '*' and '?')"},
        {"spotswap:max-replacements-per-run", "many", "group g1 tag spotswap:max-replacements-per-run: max_replacements_per_run: 'many' is neither 'auto' nor a whole number"},
        {"spotswap:report-only", "", "group g1 tag spotswap:report-only: report_only: '' is not a boolean (true, false, yes, no, 1 or 0)"},
        /* clang-format on */
    };
    struct sps_engine_config c;
    sps_engine_config_init(&c);
    struct sps_buf error;
    sps_buf_init(&error, 4096);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct sps_aws_tags bad, good;
        sps_aws_tags_init(&bad);
        sps_aws_tags_init(&good);
        sps_aws_tags_set(&bad, "spot-enabled", "true", true);
        sps_aws_tags_set(&bad, "spotswap:allowed-instance-types", "m5.*", false);
        sps_aws_tags_set(&bad, rows[i].tag, rows[i].value, false);
        sps_aws_tags_set(&good, "spot-enabled", "true", true);
        sps_aws_tags_set(&good, "spotswap:min-on-demand-number", "1", false);
        struct sps_engine_group_policy p;
        sps_engine_group_policy_init(&p);
        SPS_CHECK_ERR(sps_engine_group_policy_resolve(&c, "g1", &bad, &p, &error), SPS_ERR_CONFIG);
        SPS_CHECK_STR_EQ(error.data, rows[i].error);
        SPS_CHECK_INT_EQ(p.allowed_instance_types.count, 0); /* a failed policy holds nothing */
        SPS_CHECK(!p.enabled);
        SPS_CHECK_ERR(sps_engine_group_policy_resolve(&c, "g1", &bad, &p, NULL), SPS_ERR_CONFIG);
        SPS_CHECK_OK(sps_engine_group_policy_resolve(&c, "g2", &good, &p, &error));
        SPS_CHECK(p.enabled);
        SPS_CHECK_INT_EQ(p.min_on_demand_number, 1);
        sps_engine_group_policy_clean_up(&p);
        sps_aws_tags_clean_up(&bad);
        sps_aws_tags_clean_up(&good);
    }
    struct sps_aws_tags t;
    sps_aws_tags_init(&t);
    sps_aws_tags_set(&t, "spotswap:enabled", "maybe", false);
    struct sps_engine_group_policy p;
    sps_engine_group_policy_init(&p);
    SPS_CHECK_ERR(sps_engine_group_policy_resolve(&c, NULL, &t, &p, &error), SPS_ERR_CONFIG);
    SPS_CHECK(strncmp(error.data, "group ? tag spotswap:enabled:", 29) == 0);
    sps_aws_tags_clean_up(&t);
    sps_buf_clean_up(&error);
    sps_engine_config_clean_up(&c);
}

static void test_limit_for_group(void)
{
    struct sps_engine_limit a = {.automatic = true, .value = 0};
    SPS_CHECK_INT_EQ(sps_engine_limit_for_group(a, 0), 1);
    SPS_CHECK_INT_EQ(sps_engine_limit_for_group(a, 1), 1);
    SPS_CHECK_INT_EQ(sps_engine_limit_for_group(a, 2), 1);
    SPS_CHECK_INT_EQ(sps_engine_limit_for_group(a, 3), 2);
    SPS_CHECK_INT_EQ(sps_engine_limit_for_group(a, 4), 2);
    SPS_CHECK_INT_EQ(sps_engine_limit_for_group(a, 10), 5);
    SPS_CHECK_INT_EQ(sps_engine_limit_for_group(a, 251), 126);
    SPS_CHECK_INT_EQ(sps_engine_limit_for_group(a, 250), 125); /* 250 converts in three runs */
    SPS_CHECK_INT_EQ(sps_engine_limit_for_group(a, -5), 1);
    struct sps_engine_limit fixed = {.automatic = false, .value = 7};
    SPS_CHECK_INT_EQ(sps_engine_limit_for_group(fixed, 250), 7);
    SPS_CHECK_INT_EQ(sps_engine_limit_for_group(fixed, 2), 7);
}

static void test_on_demand_floor(void)
{
    struct sps_engine_group_policy p;
    sps_engine_group_policy_init(&p);
    SPS_CHECK_INT_EQ(sps_engine_on_demand_floor(&p, 10), 0);
    p.min_on_demand_number = 3;
    SPS_CHECK_INT_EQ(sps_engine_on_demand_floor(&p, 10), 3);
    p.min_on_demand_percentage = 25; /* 2.5 rounds up to 3: a tie */
    SPS_CHECK_INT_EQ(sps_engine_on_demand_floor(&p, 10), 3);
    p.min_on_demand_percentage = 50; /* the larger floor wins */
    SPS_CHECK_INT_EQ(sps_engine_on_demand_floor(&p, 10), 5);
    p.min_on_demand_number = 20; /* never more than the group */
    SPS_CHECK_INT_EQ(sps_engine_on_demand_floor(&p, 10), 10);
    SPS_CHECK_INT_EQ(sps_engine_on_demand_floor(&p, 0), 0);
    p.min_on_demand_number = 0;
    p.min_on_demand_percentage = 1;
    SPS_CHECK_INT_EQ(sps_engine_on_demand_floor(&p, 250), 3);
    p.min_on_demand_percentage = 100;
    SPS_CHECK_INT_EQ(sps_engine_on_demand_floor(&p, 250), 250);
}

SPS_TEST_MAIN(SPS_CASE(test_glob_table), SPS_CASE(test_filters_opt_in),
              SPS_CASE(test_filters_opt_out), SPS_CASE(test_policy_defaults_from_global),
              SPS_CASE(test_policy_tag_overrides), SPS_CASE(test_policy_bad_tag_isolated),
              SPS_CASE(test_limit_for_group), SPS_CASE(test_on_demand_floor))
