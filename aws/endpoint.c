/*
 * Endpoint resolution for the four services spotswap calls. The facts (partitions, DNS
 * suffixes, where the Price List API lives) follow botocore 1.29.27's data/endpoints.json; the
 * override variables and their precedence follow the SDKs' "service-specific endpoints"
 * feature. docs/endpoints.md is the user-facing description.
 */
#include "sps_aws_endpoint.h"

#include <string.h>
#include <strings.h>

/* Region names are DNS labels. */
#define SPS_REGION_MAX_LEN 63

static const struct sps_aws_service_info s_services[SPS_AWS_SERVICE_COUNT_] = {
    [SPS_AWS_EC2] = {"ec2", "AWS_ENDPOINT_URL_EC2", "2016-11-15", NULL},
    [SPS_AWS_AUTOSCALING] = {"autoscaling", "AWS_ENDPOINT_URL_AUTO_SCALING", "2011-01-01", NULL},
    [SPS_AWS_STS] = {"sts", "AWS_ENDPOINT_URL_STS", "2011-06-15", NULL},
    [SPS_AWS_PRICING] = {"pricing", "AWS_ENDPOINT_URL_PRICING", NULL, "AWSPriceListService"},
};

/* The regions endpoints.json lists for "api.pricing" (partition aws only). */
static const char *const s_pricing_regions[] = {"us-east-1", "ap-south-1", NULL};

const struct sps_aws_service_info *sps_aws_service_info(enum sps_aws_service service)
{
    if ((int)service < 0 || service >= SPS_AWS_SERVICE_COUNT_)
        return NULL;
    return &s_services[service];
}

sps_err sps_aws_service_from_name(const char *name, enum sps_aws_service *out)
{
    static const struct {
        const char *name;
        enum sps_aws_service service;
    } names[] = {
        {"ec2", SPS_AWS_EC2},
        {"autoscaling", SPS_AWS_AUTOSCALING},
        {"auto-scaling", SPS_AWS_AUTOSCALING},
        {"sts", SPS_AWS_STS},
        {"pricing", SPS_AWS_PRICING},
    };
    for (size_t i = 0; name != NULL && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].service;
            return SPS_OK;
        }
    }
    sps_log(SPS_LOG_DEBUG, "unknown AWS service name", "service", name ? name : "(null)", "expected",
            "ec2, autoscaling, auto-scaling, sts or pricing", NULL);
    return SPS_ERR_NOT_FOUND;
}

static sps_err s_bad_region(const char *region, const char *reason)
{
    sps_log(SPS_LOG_WARN, "invalid AWS region name", "region", region, "reason", reason, NULL);
    return SPS_ERR_ENDPOINT;
}

/* `^[a-z0-9-]+$`, at least two non-empty parts separated by single dashes. */
static sps_err s_check_region(const char *region)
{
    if (region == NULL || region[0] == '\0') {
        sps_log(SPS_LOG_WARN, "no AWS region configured", "hint",
                "set AWS_REGION or the profile's region", NULL);
        return SPS_ERR_REGION_NOT_SET;
    }
    size_t len = strlen(region);
    if (len > SPS_REGION_MAX_LEN)
        return s_bad_region(region, "longer than 63 characters");
    size_t dashes = 0;
    for (size_t i = 0; i < len; i++) {
        char c = region[i];
        if (c == '-') {
            if (i == 0 || i == len - 1 || region[i - 1] == '-')
                return s_bad_region(region, "empty part between dashes");
            dashes++;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return s_bad_region(region, "only lower-case letters, digits and '-' are allowed");
        }
    }
    if (dashes == 0)
        return s_bad_region(region, "expected dash-separated parts like us-east-1");
    return SPS_OK;
}

static bool s_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

sps_err sps_aws_region_dns_suffix(const char *region, const char **suffix)
{
    SPS_TRY(s_check_region(region));
    /* Most specific first: "us-isob-" and "us-gov-" also start with "us-". */
    if (s_starts_with(region, "us-isob-"))
        *suffix = "sc2s.sgov.gov"; /* aws-iso-b */
    else if (s_starts_with(region, "us-iso-"))
        *suffix = "c2s.ic.gov"; /* aws-iso */
    else if (s_starts_with(region, "cn-"))
        *suffix = "amazonaws.com.cn"; /* aws-cn */
    else
        /* aws-us-gov uses the commercial suffix; a region no partition's regex claims falls
         * back to the aws partition, as botocore's resolver and the SDKs do (new commercial
         * regions work before the SDK's table knows them). */
        *suffix = "amazonaws.com";
    return SPS_OK;
}

static sps_err s_bad_url(const char *var, const char *url, const char *reason)
{
    sps_log(SPS_LOG_WARN, "invalid endpoint URL", "variable", var, "url", url, "reason", reason,
            NULL);
    return SPS_ERR_HTTP_BAD_URL;
}

static bool s_host_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '[' || c == ']' || c == ':';
}

/* http(s)://host[:port][/path]; no user info, query or fragment, no white space. */
static sps_err s_check_url(const char *var, const char *url, struct sps_cursor *clean)
{
    struct sps_cursor c = sps_cursor_from_str(url);
    size_t scheme_len;
    /* Schemes are case-insensitive (RFC 3986 3.1). */
    if (c.len >= 8 && strncasecmp(url, "https://", 8) == 0)
        scheme_len = 8;
    else if (c.len >= 7 && strncasecmp(url, "http://", 7) == 0)
        scheme_len = 7;
    else
        return s_bad_url(var, url, "the scheme must be http:// or https://");
    for (size_t i = 0; i < c.len; i++) {
        unsigned char ch = (unsigned char)url[i];
        if (ch <= ' ' || ch >= 0x7f)
            return s_bad_url(var, url, "white space or a non-ASCII character");
        if (ch == '?' || ch == '#')
            return s_bad_url(var, url, "a query or fragment is not allowed");
    }
    struct sps_cursor authority = sps_cursor_sub(c, scheme_len, c.len - scheme_len);
    long slash = sps_cursor_find_char(authority, '/');
    if (slash >= 0)
        authority.len = (size_t)slash;
    if (authority.len == 0)
        return s_bad_url(var, url, "no host");
    for (size_t i = 0; i < authority.len; i++) {
        if (!s_host_char_ok(authority.ptr[i]))
            return s_bad_url(var, url, "the host contains a character not allowed there");
    }
    /* A port, when present, is 1-65535 (not for bracketed IPv6 without a port). */
    long colon = -1;
    for (size_t i = authority.len; i > 0; i--) {
        if (authority.ptr[i - 1] == ']')
            break;
        if (authority.ptr[i - 1] == ':') {
            colon = (long)(i - 1);
            break;
        }
    }
    if (colon == 0)
        return s_bad_url(var, url, "no host");
    if (colon > 0) {
        uint64_t port = 0;
        struct sps_cursor p =
            sps_cursor_sub(authority, (size_t)colon + 1, authority.len - (size_t)colon - 1);
        if (sps_cursor_to_u64(p, &port) != SPS_OK || port == 0 || port > 65535)
            return s_bad_url(var, url, "the port must be a number from 1 to 65535");
    }
    while (c.len > scheme_len + authority.len && c.ptr[c.len - 1] == '/')
        c.len--;
    *clean = c;
    return SPS_OK;
}

static bool s_env_true(const struct sps_env *env, const char *name)
{
    const char *v = sps_env_get(env, name);
    return v != NULL && sps_cursor_eq_ignore_case(sps_cursor_trim(sps_cursor_from_str(v)),
                                                  SPS_CURSOR_LIT("true"));
}

static bool s_in_list(const char *s, const char *const *list)
{
    for (; *list != NULL; list++) {
        if (strcmp(s, *list) == 0)
            return true;
    }
    return false;
}

static sps_err s_default_url(struct sps_buf *out, enum sps_aws_service service, const char *region)
{
    const char *suffix = NULL;
    SPS_TRY(sps_aws_region_dns_suffix(region, &suffix));
    if (service == SPS_AWS_PRICING) {
        if (!s_in_list(region, s_pricing_regions)) {
            sps_log(SPS_LOG_WARN, "no Price List API endpoint in this region", "region", region,
                    "hint",
                    "the Price List API is served only from us-east-1 and ap-south-1; call it "
                    "there (prices for every region are available from it) or set "
                    "AWS_ENDPOINT_URL_PRICING",
                    NULL);
            return SPS_ERR_ENDPOINT;
        }
        sps_buf_reset(out);
        return sps_buf_printf(out, "https://api.pricing.%s.%s", region, suffix);
    }
    sps_buf_reset(out);
    return sps_buf_printf(out, "https://%s.%s.%s", s_services[service].signing_name, region,
                          suffix);
}

sps_err sps_aws_endpoint_resolve(struct sps_buf *out, const struct sps_env *env,
                                 enum sps_aws_service service, const char *region)
{
    const struct sps_aws_service_info *info = sps_aws_service_info(service);
    if (info == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    /* The region is needed even with an override: requests are signed for it. */
    SPS_TRY(s_check_region(region));
    if (!s_env_true(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
        const char *var = info->endpoint_env;
        const char *url = sps_env_get(env, var);
        if (url == NULL) {
            var = "AWS_ENDPOINT_URL";
            url = sps_env_get(env, var);
        }
        if (url != NULL) {
            struct sps_cursor clean;
            SPS_TRY(s_check_url(var, url, &clean));
            return sps_buf_set(out, clean);
        }
    }
    return s_default_url(out, service, region);
}
