/* Endpoint resolution: the service table, region validation, partitions (commercial, GovCloud,
 * China, ISO), the Price List regions, and every override precedence rule and bad URL. */
#include "sps_aws_endpoint.h"
#include "sps_fakes.h"
#include "sps_test.h"

static void s_expect(const struct sps_fake_env *env, enum sps_aws_service service,
                     const char *region, const char *want)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    (void)sps_buf_append_str(&b, "previous contents are replaced");
    sps_err err = sps_aws_endpoint_resolve(&b, &env->env, service, region);
    if (err != SPS_OK)
        sps_test_fail(__FILE__, __LINE__, "%s/%d: %s", region, (int)service, sps_error_name(err));
    SPS_CHECK_STR_EQ(b.data, want);
    sps_buf_clean_up(&b);
}

static sps_err s_resolve_err(const struct sps_fake_env *env, enum sps_aws_service service,
                             const char *region)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_err err = sps_aws_endpoint_resolve(&b, &env->env, service, region);
    sps_buf_clean_up(&b);
    return err;
}

static void test_endpoint_service_table(void)
{
    const struct sps_aws_service_info *ec2 = sps_aws_service_info(SPS_AWS_EC2);
    SPS_CHECK_STR_EQ(ec2->signing_name, "ec2");
    SPS_CHECK_STR_EQ(ec2->endpoint_env, "AWS_ENDPOINT_URL_EC2");
    SPS_CHECK_STR_EQ(ec2->api_version, "2016-11-15");
    SPS_CHECK(ec2->json_target_prefix == NULL);
    const struct sps_aws_service_info *as = sps_aws_service_info(SPS_AWS_AUTOSCALING);
    SPS_CHECK_STR_EQ(as->signing_name, "autoscaling");
    SPS_CHECK_STR_EQ(as->endpoint_env, "AWS_ENDPOINT_URL_AUTO_SCALING");
    SPS_CHECK_STR_EQ(as->api_version, "2011-01-01");
    const struct sps_aws_service_info *sts = sps_aws_service_info(SPS_AWS_STS);
    SPS_CHECK_STR_EQ(sts->signing_name, "sts");
    SPS_CHECK_STR_EQ(sts->endpoint_env, "AWS_ENDPOINT_URL_STS");
    SPS_CHECK_STR_EQ(sts->api_version, "2011-06-15");
    const struct sps_aws_service_info *pr = sps_aws_service_info(SPS_AWS_PRICING);
    SPS_CHECK_STR_EQ(pr->signing_name, "pricing");
    SPS_CHECK_STR_EQ(pr->endpoint_env, "AWS_ENDPOINT_URL_PRICING");
    SPS_CHECK(pr->api_version == NULL);
    SPS_CHECK_STR_EQ(pr->json_target_prefix, "AWSPriceListService");
    SPS_CHECK(sps_aws_service_info(SPS_AWS_SERVICE_COUNT_) == NULL);
    SPS_CHECK(sps_aws_service_info((enum sps_aws_service) - 1) == NULL);
}

static void test_endpoint_service_from_name(void)
{
    enum sps_aws_service s = SPS_AWS_SERVICE_COUNT_;
    SPS_CHECK_OK(sps_aws_service_from_name("ec2", &s));
    SPS_CHECK_INT_EQ(s, SPS_AWS_EC2);
    SPS_CHECK_OK(sps_aws_service_from_name("autoscaling", &s));
    SPS_CHECK_INT_EQ(s, SPS_AWS_AUTOSCALING);
    s = SPS_AWS_EC2;
    SPS_CHECK_OK(sps_aws_service_from_name("auto-scaling", &s));
    SPS_CHECK_INT_EQ(s, SPS_AWS_AUTOSCALING);
    SPS_CHECK_OK(sps_aws_service_from_name("sts", &s));
    SPS_CHECK_INT_EQ(s, SPS_AWS_STS);
    SPS_CHECK_OK(sps_aws_service_from_name("pricing", &s));
    SPS_CHECK_INT_EQ(s, SPS_AWS_PRICING);
    SPS_CHECK_ERR(sps_aws_service_from_name("s3", &s), SPS_ERR_NOT_FOUND);
    SPS_CHECK_ERR(sps_aws_service_from_name("EC2", &s), SPS_ERR_NOT_FOUND);
    SPS_CHECK_ERR(sps_aws_service_from_name("", &s), SPS_ERR_NOT_FOUND);
    SPS_CHECK_ERR(sps_aws_service_from_name(NULL, &s), SPS_ERR_NOT_FOUND);
    SPS_CHECK_INT_EQ(s, SPS_AWS_PRICING); /* untouched on failure */
}

static void test_endpoint_region_suffixes(void)
{
    static const struct {
        const char *region;
        const char *suffix;
    } cases[] = {
        {"us-east-1", "amazonaws.com"},         {"eu-west-3", "amazonaws.com"},
        {"ap-southeast-3", "amazonaws.com"},    {"sa-east-1", "amazonaws.com"},
        {"ca-central-1", "amazonaws.com"},      {"me-central-1", "amazonaws.com"},
        {"af-south-1", "amazonaws.com"},        {"il-central-1", "amazonaws.com"},
        {"mx-central-1", "amazonaws.com"},      {"us-gov-west-1", "amazonaws.com"},
        {"us-gov-east-1", "amazonaws.com"},     {"cn-north-1", "amazonaws.com.cn"},
        {"cn-northwest-1", "amazonaws.com.cn"}, {"us-iso-east-1", "c2s.ic.gov"},
        {"us-iso-west-1", "c2s.ic.gov"},        {"us-isob-east-1", "sc2s.sgov.gov"},
        {"xx-new-1", "amazonaws.com"}, /* unknown: the aws partition, as the SDKs do */
        {"local-dev", "amazonaws.com"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *suffix = NULL;
        SPS_CHECK_OK(sps_aws_region_dns_suffix(cases[i].region, &suffix));
        SPS_CHECK_STR_EQ(suffix, cases[i].suffix);
    }
}

static void test_endpoint_bad_regions(void)
{
    const char *bad[] = {"useast1",
                         "US-EAST-1",
                         "us_east_1",
                         "us-east-1 ",
                         "-us-east-1",
                         "us-east-",
                         "us--east-1",
                         "us-east-1.evil.com",
                         "us-east-1/x",
                         "us-\xc3\xa9-1",
                         "a-0123456789012345678901234567890123456789012345678901234567890123"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *suffix = NULL;
        if (sps_aws_region_dns_suffix(bad[i], &suffix) != SPS_ERR_ENDPOINT)
            sps_test_fail(__FILE__, __LINE__, "accepted region \"%s\"", bad[i]);
        SPS_CHECK(suffix == NULL);
    }
    const char *suffix = NULL;
    SPS_CHECK_ERR(sps_aws_region_dns_suffix(NULL, &suffix), SPS_ERR_REGION_NOT_SET);
    SPS_CHECK_ERR(sps_aws_region_dns_suffix("", &suffix), SPS_ERR_REGION_NOT_SET);

    struct sps_fake_env env;
    sps_fake_env_init(&env);
    SPS_CHECK_ERR(s_resolve_err(&env, SPS_AWS_EC2, "bogus"), SPS_ERR_ENDPOINT);
    SPS_CHECK_ERR(s_resolve_err(&env, SPS_AWS_EC2, NULL), SPS_ERR_REGION_NOT_SET);
    /* An override does not excuse a bad region: requests are signed for it. */
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL", "http://localhost:4566");
    SPS_CHECK_ERR(s_resolve_err(&env, SPS_AWS_EC2, "Bad Region"), SPS_ERR_ENDPOINT);
    SPS_CHECK_ERR(s_resolve_err(&env, SPS_AWS_SERVICE_COUNT_, "us-east-1"),
                  SPS_ERR_INVALID_ARGUMENT);
}

static void test_endpoint_default_hosts(void)
{
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    s_expect(&env, SPS_AWS_EC2, "us-east-1", "https://ec2.us-east-1.amazonaws.com");
    s_expect(&env, SPS_AWS_AUTOSCALING, "eu-west-1", "https://autoscaling.eu-west-1.amazonaws.com");
    s_expect(&env, SPS_AWS_STS, "ap-northeast-1", "https://sts.ap-northeast-1.amazonaws.com");
    s_expect(&env, SPS_AWS_EC2, "us-gov-west-1", "https://ec2.us-gov-west-1.amazonaws.com");
    s_expect(&env, SPS_AWS_STS, "us-gov-east-1", "https://sts.us-gov-east-1.amazonaws.com");
    s_expect(&env, SPS_AWS_EC2, "cn-north-1", "https://ec2.cn-north-1.amazonaws.com.cn");
    s_expect(&env, SPS_AWS_AUTOSCALING, "cn-northwest-1",
             "https://autoscaling.cn-northwest-1.amazonaws.com.cn");
    s_expect(&env, SPS_AWS_STS, "cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn");
    s_expect(&env, SPS_AWS_EC2, "us-iso-east-1", "https://ec2.us-iso-east-1.c2s.ic.gov");
    s_expect(&env, SPS_AWS_AUTOSCALING, "us-isob-east-1",
             "https://autoscaling.us-isob-east-1.sc2s.sgov.gov");
}

static void test_endpoint_pricing_regions(void)
{
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    s_expect(&env, SPS_AWS_PRICING, "us-east-1", "https://api.pricing.us-east-1.amazonaws.com");
    s_expect(&env, SPS_AWS_PRICING, "ap-south-1", "https://api.pricing.ap-south-1.amazonaws.com");
    const char *elsewhere[] = {"us-west-2", "eu-west-1", "cn-north-1", "us-gov-west-1",
                               "us-iso-east-1"};
    for (size_t i = 0; i < sizeof(elsewhere) / sizeof(elsewhere[0]); i++)
        SPS_CHECK_ERR(s_resolve_err(&env, SPS_AWS_PRICING, elsewhere[i]), SPS_ERR_ENDPOINT);
    /* An override makes any region usable. */
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL_PRICING", "http://127.0.0.1:5000");
    s_expect(&env, SPS_AWS_PRICING, "eu-west-1", "http://127.0.0.1:5000");
}

static void test_endpoint_precedence(void)
{
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL", "http://localhost:4566/");
    /* The global override applies to every service, trailing slash stripped. */
    s_expect(&env, SPS_AWS_EC2, "us-east-1", "http://localhost:4566");
    s_expect(&env, SPS_AWS_STS, "us-east-1", "http://localhost:4566");
    s_expect(&env, SPS_AWS_PRICING, "eu-west-1", "http://localhost:4566");
    /* The service-specific one wins for its service only. */
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL_EC2", "https://ec2.internal.example:8443/base//");
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL_AUTO_SCALING", "https://as.example");
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL_STS", "https://sts.example");
    s_expect(&env, SPS_AWS_EC2, "us-east-1", "https://ec2.internal.example:8443/base");
    s_expect(&env, SPS_AWS_AUTOSCALING, "us-east-1", "https://as.example");
    s_expect(&env, SPS_AWS_STS, "us-east-1", "https://sts.example");
    s_expect(&env, SPS_AWS_PRICING, "us-east-1", "http://localhost:4566");
    /* AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (any case) disables both overrides. */
    sps_fake_env_set(&env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE");
    s_expect(&env, SPS_AWS_EC2, "us-east-1", "https://ec2.us-east-1.amazonaws.com");
    s_expect(&env, SPS_AWS_PRICING, "us-east-1", "https://api.pricing.us-east-1.amazonaws.com");
    sps_fake_env_set(&env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");
    s_expect(&env, SPS_AWS_EC2, "us-east-1", "https://ec2.internal.example:8443/base");
    /* An empty variable counts as unset. */
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL_EC2", "");
    s_expect(&env, SPS_AWS_EC2, "us-east-1", "http://localhost:4566");
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL", "");
    s_expect(&env, SPS_AWS_EC2, "us-east-1", "https://ec2.us-east-1.amazonaws.com");
}

static void test_endpoint_bad_override_urls(void)
{
    const char *bad[] = {
        "localhost:4566",    /* no scheme */
        "ftp://example.com", /* wrong scheme */
        "httpx://example.com",
        "https://",                    /* no host */
        "https:///path",               /* no host */
        "https://:443",                /* no host, only a port */
        "https://exa mple.com",        /* white space */
        "https://example.com\n",       /* control character */
        "https://user:pw@example.com", /* credentials in the URL */
        "https://example.com:0",
        "https://example.com:65536",
        "https://example.com:http",
        "https://example.com:",
        "https://example.com?x=1",
        "https://example.com/#frag",
        "https://ex\xc3\xa4mple.com",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sps_fake_env env;
        sps_fake_env_init(&env);
        sps_fake_env_set(&env, "AWS_ENDPOINT_URL_STS", bad[i]);
        if (s_resolve_err(&env, SPS_AWS_STS, "us-east-1") != SPS_ERR_HTTP_BAD_URL)
            sps_test_fail(__FILE__, __LINE__, "accepted URL \"%s\"", bad[i]);
        /* Other services are unaffected by the STS variable. */
        s_expect(&env, SPS_AWS_EC2, "us-east-1", "https://ec2.us-east-1.amazonaws.com");
    }
    /* The global variable is validated the same way. */
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL", "not a url");
    SPS_CHECK_ERR(s_resolve_err(&env, SPS_AWS_EC2, "us-east-1"), SPS_ERR_HTTP_BAD_URL);
    /* Accepted forms: IPv6 literal with and without a port, plain http, a path. */
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL", "http://[::1]:4566");
    s_expect(&env, SPS_AWS_EC2, "us-east-1", "http://[::1]:4566");
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL", "https://[fd00::1]/");
    s_expect(&env, SPS_AWS_EC2, "us-east-1", "https://[fd00::1]");
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL", "HTTPS://Example.com");
    s_expect(&env, SPS_AWS_EC2, "us-east-1", "HTTPS://Example.com");
    sps_fake_env_set(&env, "AWS_ENDPOINT_URL", "http://moto_server:5000/aws");
    s_expect(&env, SPS_AWS_EC2, "us-east-1", "http://moto_server:5000/aws");
}

SPS_TEST_MAIN(SPS_CASE(test_endpoint_service_table), SPS_CASE(test_endpoint_service_from_name),
              SPS_CASE(test_endpoint_region_suffixes), SPS_CASE(test_endpoint_bad_regions),
              SPS_CASE(test_endpoint_default_hosts), SPS_CASE(test_endpoint_pricing_regions),
              SPS_CASE(test_endpoint_precedence), SPS_CASE(test_endpoint_bad_override_urls))
