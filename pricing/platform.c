/*
 * Which operating system an instance is billed as, and the names each pricing source uses for
 * it: DescribeImages' PlatformDetails in, Price List attributes and spot ProductDescriptions
 * out. Also the Price List's name for each region, since older products carry only `location`.
 */
#include "sps_pricing.h"

#include <string.h>

struct s_os_info {
    const char *name;
    const char *price_list;
    const char *license;
    const char *operation;
    const char *spot[2];
};

/* Operations are the billing codes AWS documents for the plain OS ("Billing information fields"
 * in the EC2 user guide); the SQL Server and HA variants have other codes and other prices. */
static const struct s_os_info s_os[SPS_PRICING_OS_COUNT_] = {
    [SPS_PRICING_LINUX] = {"linux",
                           "Linux",
                           "No License required",
                           "RunInstances",
                           {"Linux/UNIX", "Linux/UNIX (Amazon VPC)"}},
    [SPS_PRICING_WINDOWS] = {"windows",
                             "Windows",
                             "License Included",
                             "RunInstances:0002",
                             {"Windows", "Windows (Amazon VPC)"}},
    [SPS_PRICING_RHEL] = {"rhel",
                          "RHEL",
                          "No License required",
                          "RunInstances:0010",
                          {"Red Hat Enterprise Linux", "Red Hat Enterprise Linux (Amazon VPC)"}},
    [SPS_PRICING_SUSE] = {"suse",
                          "SUSE",
                          "No License required",
                          "RunInstances:000g",
                          {"SUSE Linux", "SUSE Linux (Amazon VPC)"}},
};

static const struct {
    const char *details;
    enum sps_pricing_os os;
} s_platforms[] = {
    {"Linux/UNIX", SPS_PRICING_LINUX},
    /* Red Hat Cloud Access: the subscription is the user's, EC2 bills the Linux/UNIX rate. */
    {"Red Hat BYOL Linux", SPS_PRICING_LINUX},
    {"Windows", SPS_PRICING_WINDOWS},
    {"Red Hat Enterprise Linux", SPS_PRICING_RHEL},
    {"SUSE Linux", SPS_PRICING_SUSE},
};

static bool s_valid(enum sps_pricing_os os)
{
    return (unsigned)os < SPS_PRICING_OS_COUNT_;
}

sps_err sps_pricing_os_from_platform(const char *platform_details, enum sps_pricing_os *out)
{
    const char *details = platform_details ? platform_details : "";
    for (size_t i = 0; i < sizeof(s_platforms) / sizeof(s_platforms[0]); i++) {
        if (strcmp(details, s_platforms[i].details) == 0) {
            *out = s_platforms[i].os;
            return SPS_OK;
        }
    }
    struct sps_buf msg;
    sps_buf_init(&msg, 1024);
    (void)sps_buf_printf(&msg, "unsupported platform for pricing: %s",
                         details[0] ? details : "(empty)");
    sps_log(SPS_LOG_WARN, msg.data, "platform_details", details, NULL);
    sps_buf_clean_up(&msg);
    return SPS_ERR_PRICING_UNSUPPORTED_PLATFORM;
}

sps_err sps_pricing_os_parse(const char *name, enum sps_pricing_os *out)
{
    for (int i = 0; name && i < SPS_PRICING_OS_COUNT_; i++) {
        if (strcmp(name, s_os[i].name) == 0) {
            *out = (enum sps_pricing_os)i;
            return SPS_OK;
        }
    }
    return SPS_ERR_INVALID_ARGUMENT;
}

const char *sps_pricing_os_name(enum sps_pricing_os os)
{
    return s_valid(os) ? s_os[os].name : "unknown";
}

const char *sps_pricing_os_price_list_name(enum sps_pricing_os os)
{
    return s_valid(os) ? s_os[os].price_list : "";
}

const char *sps_pricing_os_license_model(enum sps_pricing_os os)
{
    return s_valid(os) ? s_os[os].license : "";
}

const char *sps_pricing_os_operation(enum sps_pricing_os os)
{
    return s_valid(os) ? s_os[os].operation : "";
}

size_t sps_pricing_os_spot_products(enum sps_pricing_os os, const char *out[2])
{
    if (!s_valid(os))
        return 0;
    out[0] = s_os[os].spot[0];
    out[1] = s_os[os].spot[1];
    return 2;
}

bool sps_pricing_os_spot_product_matches(enum sps_pricing_os os, const char *product)
{
    if (!s_valid(os) || product == NULL)
        return false;
    return strcmp(product, s_os[os].spot[0]) == 0 || strcmp(product, s_os[os].spot[1]) == 0;
}

/* The Price List's `location` names (they differ from the console's region names: "EU
 * (Ireland)", not "Europe (Ireland)"). */
static const char *const s_locations[][2] = {
    {"af-south-1", "Africa (Cape Town)"},
    {"ap-east-1", "Asia Pacific (Hong Kong)"},
    {"ap-northeast-1", "Asia Pacific (Tokyo)"},
    {"ap-northeast-2", "Asia Pacific (Seoul)"},
    {"ap-northeast-3", "Asia Pacific (Osaka)"},
    {"ap-south-1", "Asia Pacific (Mumbai)"},
    {"ap-south-2", "Asia Pacific (Hyderabad)"},
    {"ap-southeast-1", "Asia Pacific (Singapore)"},
    {"ap-southeast-2", "Asia Pacific (Sydney)"},
    {"ap-southeast-3", "Asia Pacific (Jakarta)"},
    {"ap-southeast-4", "Asia Pacific (Melbourne)"},
    {"ap-southeast-5", "Asia Pacific (Malaysia)"},
    {"ca-central-1", "Canada (Central)"},
    {"ca-west-1", "Canada West (Calgary)"},
    {"eu-central-1", "EU (Frankfurt)"},
    {"eu-central-2", "EU (Zurich)"},
    {"eu-north-1", "EU (Stockholm)"},
    {"eu-south-1", "EU (Milan)"},
    {"eu-south-2", "EU (Spain)"},
    {"eu-west-1", "EU (Ireland)"},
    {"eu-west-2", "EU (London)"},
    {"eu-west-3", "EU (Paris)"},
    {"il-central-1", "Israel (Tel Aviv)"},
    {"me-central-1", "Middle East (UAE)"},
    {"me-south-1", "Middle East (Bahrain)"},
    {"sa-east-1", "South America (Sao Paulo)"},
    {"us-east-1", "US East (N. Virginia)"},
    {"us-east-2", "US East (Ohio)"},
    {"us-west-1", "US West (N. California)"},
    {"us-west-2", "US West (Oregon)"},
    {"us-gov-east-1", "AWS GovCloud (US-East)"},
    {"us-gov-west-1", "AWS GovCloud (US-West)"},
};

const char *sps_pricing_region_location(const char *region)
{
    for (size_t i = 0; region && i < sizeof(s_locations) / sizeof(s_locations[0]); i++) {
        if (strcmp(region, s_locations[i][0]) == 0)
            return s_locations[i][1];
    }
    return NULL;
}
