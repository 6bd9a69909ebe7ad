/*
 * What an AWS service said when it refused a request, parsed from its error document. Callers
 * own the struct (usually on the stack); fixed-size fields mean no ownership questions.
 */
#ifndef SPS_AWS_ERROR_H
#define SPS_AWS_ERROR_H

#include "sps_common.h"

struct sps_aws_error {
    int http_status; /* 0 when no HTTP response arrived */
    char code[128];  /* "RequestLimitExceeded", "ValidationError", ... */
    char message[512];
    char request_id[128];
};

void sps_aws_error_clear(struct sps_aws_error *e);
/* Fills `e` from an error body in either Query shape: EC2's
 * <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response> or
 * Auto Scaling/STS's <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>. */
SPS_NODISCARD sps_err sps_aws_error_parse_xml(struct sps_aws_error *e, int http_status,
                                              const char *body, size_t len);
/* JSON 1.1 ({"__type": "...#Code", "message": "..."} and the x-amzn-ErrorType header). */
SPS_NODISCARD sps_err sps_aws_error_parse_json(struct sps_aws_error *e, int http_status,
                                               const char *error_type_header, const char *body,
                                               size_t len);
/* Maps a parsed error to a spotswap error code: throttling codes -> SPS_ERR_AWS_THROTTLED,
 * 5xx -> SPS_ERR_AWS_SERVER, expired tokens -> SPS_ERR_AWS_EXPIRED_CREDENTIALS, clock skew ->
 * SPS_ERR_AWS_CLOCK_SKEW, auth failures -> SPS_ERR_AWS_AUTH, capacity codes
 * (InsufficientInstanceCapacity, ...) -> SPS_ERR_AWS_CAPACITY, other 4xx -> SPS_ERR_AWS_CLIENT. */
sps_err sps_aws_error_classify(const struct sps_aws_error *e);
/* True for the SDKs' throttling error codes. */
bool sps_aws_error_is_throttling_code(const char *code);

#endif
