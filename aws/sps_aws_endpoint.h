/*
 * Which URL to send a service's requests to. Precedence as the SDKs define it:
 * AWS_ENDPOINT_URL_<SERVICE> (EC2, AUTO_SCALING, STS, PRICING), then AWS_ENDPOINT_URL, then the
 * service's default host for the region's partition (commercial, GovCloud, China, ISO).
 */
#ifndef SPS_AWS_ENDPOINT_H
#define SPS_AWS_ENDPOINT_H

#include "sps_common.h"

enum sps_aws_service {
    SPS_AWS_EC2,
    SPS_AWS_AUTOSCALING,
    SPS_AWS_STS,
    SPS_AWS_PRICING,
    SPS_AWS_SERVICE_COUNT_
};

struct sps_aws_service_info {
    const char *signing_name; /* "ec2", "autoscaling", "sts", "pricing" */
    const char *endpoint_env; /* "AWS_ENDPOINT_URL_EC2", ... */
    const char *api_version;  /* "2016-11-15", ...; NULL for JSON services */
    const char *json_target_prefix; /* "AWSPriceListService" for JSON 1.1, else NULL */
};

const struct sps_aws_service_info *sps_aws_service_info(enum sps_aws_service service);
/* Looks a service up by its signing name or CLI name ("ec2", "autoscaling", "auto-scaling",
 * "sts", "pricing"); SPS_ERR_NOT_FOUND otherwise. */
SPS_NODISCARD sps_err sps_aws_service_from_name(const char *name, enum sps_aws_service *out);

/* The partition's DNS suffix for a region ("amazonaws.com", "amazonaws.com.cn", ...); checks
 * that the region name is well-formed. */
SPS_NODISCARD sps_err sps_aws_region_dns_suffix(const char *region, const char **suffix);

/* The endpoint URL, without a trailing slash, replacing `out`'s contents. SPS_ERR_REGION_NOT_SET
 * for a NULL/empty region, SPS_ERR_ENDPOINT for a malformed region or a service with no
 * endpoint there (pricing outside us-east-1/ap-south-1), SPS_ERR_HTTP_BAD_URL for a bad
 * override; the reason is logged at warn level. */
SPS_NODISCARD sps_err sps_aws_endpoint_resolve(struct sps_buf *out, const struct sps_env *env,
                                               enum sps_aws_service service,
                                               const char *region);

#endif
