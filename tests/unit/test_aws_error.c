/* AWS error documents: both Query XML shapes, JSON 1.1, unparseable bodies, safe truncation,
 * and the classification table for every code the classifier knows. */
#include "sps_aws_error.h"
#include "sps_test.h"

static sps_err s_parse_fixture(struct sps_aws_error *e, int status, const char *file)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, file);
    sps_err err = strstr(file, ".json") != NULL
                      ? sps_aws_error_parse_json(e, status, NULL, b.data, b.len)
                      : sps_aws_error_parse_xml(e, status, b.data, b.len);
    sps_buf_clean_up(&b);
    return err;
}

static void test_error_ec2_shape(void)
{
    struct sps_aws_error e;
    SPS_CHECK_OK(s_parse_fixture(&e, 503, "errors/ec2.RequestLimitExceeded.xml"));
    SPS_CHECK_INT_EQ(e.http_status, 503);
    SPS_CHECK_STR_EQ(e.code, "RequestLimitExceeded");
    SPS_CHECK_STR_EQ(e.message, "Request limit exceeded.");
    SPS_CHECK_STR_EQ(e.request_id, "5f1a7c6e-8b1d-4c51-9a34-2f0e3c9b7d21");
    SPS_CHECK_ERR(sps_aws_error_classify(&e), SPS_ERR_AWS_THROTTLED);

    SPS_CHECK_OK(s_parse_fixture(&e, 500, "errors/ec2.InsufficientInstanceCapacity.xml"));
    SPS_CHECK_STR_EQ(e.code, "InsufficientInstanceCapacity");
    SPS_CHECK(strncmp(e.message, "We currently do not have sufficient m5.large", 44) == 0);
    /* EC2 sends it as a 500; capacity must win over the 5xx rule. */
    SPS_CHECK_ERR(sps_aws_error_classify(&e), SPS_ERR_AWS_CAPACITY);

    SPS_CHECK_OK(s_parse_fixture(&e, 400, "errors/ec2.InvalidInstanceID.NotFound.xml"));
    SPS_CHECK_STR_EQ(e.code, "InvalidInstanceID.NotFound");
    SPS_CHECK_STR_EQ(e.message, "The instance ID 'i-0123456789abcdef0' does not exist");
    SPS_CHECK_ERR(sps_aws_error_classify(&e), SPS_ERR_AWS_CLIENT);
}

static void test_error_error_response_shape(void)
{
    struct sps_aws_error e;
    SPS_CHECK_OK(s_parse_fixture(&e, 400, "errors/autoscaling.ValidationError.xml"));
    SPS_CHECK_STR_EQ(e.code, "ValidationError");
    SPS_CHECK_STR_EQ(
        e.message, "AutoScalingGroup name not found - AutoScalingGroup 'no-such-group' not found");
    SPS_CHECK_STR_EQ(e.request_id, "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE");
    SPS_CHECK_ERR(sps_aws_error_classify(&e), SPS_ERR_AWS_CLIENT);

    SPS_CHECK_OK(s_parse_fixture(&e, 400, "errors/autoscaling.Throttling.xml"));
    SPS_CHECK_ERR(sps_aws_error_classify(&e), SPS_ERR_AWS_THROTTLED);

    SPS_CHECK_OK(s_parse_fixture(&e, 403, "errors/sts.ExpiredToken.xml"));
    SPS_CHECK_STR_EQ(e.code, "ExpiredToken");
    SPS_CHECK_STR_EQ(e.request_id, "c1f8e3b2-9d2a-4e57-8f3a-6b5d4c3e2f10");
    SPS_CHECK_ERR(sps_aws_error_classify(&e), SPS_ERR_AWS_EXPIRED_CREDENTIALS);

    /* A bare <Error> root is accepted too. */
    const char *bare = "<Error><Code>SlowDown</Code><Message>m</Message><RequestId>r</RequestId>"
                       "</Error>";
    SPS_CHECK_OK(sps_aws_error_parse_xml(&e, 503, bare, strlen(bare)));
    SPS_CHECK_STR_EQ(e.code, "SlowDown");
    SPS_CHECK_STR_EQ(e.request_id, "r");
}

static void test_error_xml_bad_bodies_keep_status(void)
{
    struct sps_aws_error e;
    struct {
        const char *body;
        sps_err want;
    } cases[] = {
        {"", SPS_ERR_XML_MALFORMED},
        {"<html><body>502 Bad Gateway</body></html>", SPS_ERR_UNEXPECTED_RESPONSE},
        {"<Response><Errors><Error><Code>Thrott", SPS_ERR_XML_MALFORMED},
        {"Service Unavailable", SPS_ERR_XML_MALFORMED},
        {"<Response><Errors></Errors></Response>", SPS_ERR_MISSING_FIELD},
        {"<ErrorResponse><RequestId>x</RequestId></ErrorResponse>", SPS_ERR_MISSING_FIELD},
        {"<ErrorResponse><Error><Message>no code</Message></Error></ErrorResponse>",
         SPS_ERR_MISSING_FIELD},
        {"<ErrorResponse><Error><Code>  </Code></Error></ErrorResponse>", SPS_ERR_MISSING_FIELD},
        {"<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Response/>",
         SPS_ERR_XML_MALFORMED},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sps_err got = sps_aws_error_parse_xml(&e, 502, cases[i].body, strlen(cases[i].body));
        if (got != cases[i].want)
            sps_test_fail(__FILE__, __LINE__, "case %zu: got %s", i, sps_error_name(got));
        SPS_CHECK_INT_EQ(e.http_status, 502);
        /* Still classifiable by status. */
        SPS_CHECK_ERR(sps_aws_error_classify(&e), SPS_ERR_AWS_SERVER);
    }
    /* Missing message and request ID are fine: only the code is required. */
    const char *minimal = "<Response><Errors><Error><Code>AuthFailure</Code></Error></Errors>"
                          "</Response>";
    SPS_CHECK_OK(sps_aws_error_parse_xml(&e, 401, minimal, strlen(minimal)));
    SPS_CHECK_STR_EQ(e.message, "");
    SPS_CHECK_STR_EQ(e.request_id, "");
    SPS_CHECK_ERR(sps_aws_error_classify(&e), SPS_ERR_AWS_AUTH);
}

static void test_error_overlong_fields_truncated_safely(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    (void)sps_buf_append_str(&b, "<Response><Errors><Error><Code>");
    for (int i = 0; i < 300; i++)
        (void)sps_buf_append_char(&b, 'C');
    (void)sps_buf_append_str(&b, "</Code><Message>");
    /* 'x' then 600 two-byte characters: the cut must not split one. */
    (void)sps_buf_append_char(&b, 'x');
    for (int i = 0; i < 600; i++)
        (void)sps_buf_append_str(&b, "\xc3\xa9");
    (void)sps_buf_append_str(&b, "</Message></Error></Errors><RequestID>");
    for (int i = 0; i < 200; i++)
        (void)sps_buf_append_char(&b, 'r');
    (void)sps_buf_append_str(&b, "</RequestID></Response>");
    SPS_CHECK_OK(b.err);
    struct sps_aws_error e;
    SPS_CHECK_OK(sps_aws_error_parse_xml(&e, 400, b.data, b.len));
    SPS_CHECK_INT_EQ(strlen(e.code), sizeof(e.code) - 1);
    SPS_CHECK_INT_EQ(strlen(e.request_id), sizeof(e.request_id) - 1);
    size_t mlen = strlen(e.message);
    SPS_CHECK(mlen <= sizeof(e.message) - 1 && mlen >= sizeof(e.message) - 2);
    SPS_CHECK((mlen - 1) % 2 == 0); /* 'x' plus whole two-byte characters */
    SPS_CHECK((unsigned char)e.message[mlen - 1] == 0xa9);
    sps_buf_clean_up(&b);
}

static void test_error_json_variants(void)
{
    struct sps_aws_error e;
    SPS_CHECK_OK(s_parse_fixture(&e, 400, "errors/pricing.ThrottlingException.json"));
    SPS_CHECK_STR_EQ(e.code, "ThrottlingException");
    SPS_CHECK_STR_EQ(e.message, "Rate exceeded");
    SPS_CHECK_ERR(sps_aws_error_classify(&e), SPS_ERR_AWS_THROTTLED);

    SPS_CHECK_OK(s_parse_fixture(&e, 400, "errors/pricing.InvalidParameterException.json"));
    SPS_CHECK_STR_EQ(e.code, "InvalidParameterException");
    SPS_CHECK_STR_EQ(e.message, "Invalid ServiceCode: AmazonEC3");
    SPS_CHECK_ERR(sps_aws_error_classify(&e), SPS_ERR_AWS_CLIENT);

    /* Header only, with the ':' suffix AWS appends; empty body. */
    SPS_CHECK_OK(sps_aws_error_parse_json(
        &e, 400, "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
        "", 0));
    SPS_CHECK_STR_EQ(e.code, "ValidationException");
    SPS_CHECK_OK(sps_aws_error_parse_json(&e, 400, "aws.ns#NotFoundException:x", NULL, 0));
    SPS_CHECK_STR_EQ(e.code, "NotFoundException");

    /* Body's __type is preferred over the header, as botocore does for JSON 1.1. */
    const char *body = "{\"__type\":\"a.b#ExpiredTokenException\",\"message\":\"m\"}";
    SPS_CHECK_OK(sps_aws_error_parse_json(&e, 400, "Other:suffix", body, strlen(body)));
    SPS_CHECK_STR_EQ(e.code, "ExpiredTokenException");
    SPS_CHECK_ERR(sps_aws_error_classify(&e), SPS_ERR_AWS_EXPIRED_CREDENTIALS);

    /* JSON nulls count as absent; a null "message" falls back to "Message". */
    body = "{\"__type\":\"ThrottlingException\",\"message\":null,\"Message\":\"M\"}";
    SPS_CHECK_OK(sps_aws_error_parse_json(&e, 400, NULL, body, strlen(body)));
    SPS_CHECK_STR_EQ(e.message, "M");
    body = "{\"__type\":null,\"message\":null}";
    SPS_CHECK_OK(sps_aws_error_parse_json(&e, 400, "ns#Code:x", body, strlen(body)));
    SPS_CHECK_STR_EQ(e.code, "Code");
    SPS_CHECK_STR_EQ(e.message, "");

    /* Body without __type: the header supplies the code, the body the message. */
    body = "{\"message\":\"slow down\"}";
    SPS_CHECK_OK(sps_aws_error_parse_json(&e, 400, "ThrottlingException", body, strlen(body)));
    SPS_CHECK_STR_EQ(e.code, "ThrottlingException");
    SPS_CHECK_STR_EQ(e.message, "slow down");
}

static void test_error_json_bad_bodies_keep_status(void)
{
    struct sps_aws_error e;
    struct {
        const char *header;
        const char *body;
        sps_err want;
    } cases[] = {
        {NULL, "", SPS_ERR_JSON_MALFORMED},
        {NULL, "<html>bad gateway</html>", SPS_ERR_JSON_MALFORMED},
        {NULL, "{\"__type\":\"Throttl", SPS_ERR_JSON_MALFORMED},
        {"ThrottlingException", "not json", SPS_ERR_JSON_MALFORMED},
        {NULL, "[\"__type\"]", SPS_ERR_UNEXPECTED_RESPONSE},
        {NULL, "{\"__type\":42}", SPS_ERR_UNEXPECTED_RESPONSE},
        {NULL, "{\"__type\":\"X\",\"message\":{}}", SPS_ERR_UNEXPECTED_RESPONSE},
        {NULL, "{\"message\":\"no type\"}", SPS_ERR_MISSING_FIELD},
        {NULL, "{\"__type\":\"ns#\"}", SPS_ERR_MISSING_FIELD},
        {NULL, "{\"__type\":\"A\",\"__type\":\"B\"}", SPS_ERR_JSON_MALFORMED},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sps_err got = sps_aws_error_parse_json(&e, 503, cases[i].header, cases[i].body,
                                               strlen(cases[i].body));
        if (got != cases[i].want)
            sps_test_fail(__FILE__, __LINE__, "case %zu: got %s", i, sps_error_name(got));
        SPS_CHECK_INT_EQ(e.http_status, 503);
    }
    /* The header's code survives an unparseable body. */
    SPS_CHECK_ERR(sps_aws_error_parse_json(&e, 400, "ThrottlingException", "x", 1),
                  SPS_ERR_JSON_MALFORMED);
    SPS_CHECK_STR_EQ(e.code, "ThrottlingException");
}

struct s_class_case {
    const char *code;
    int status;
    const char *message;
    sps_err want;
};

static void test_error_classification_table(void)
{
    static const struct s_class_case cases[] = {
        {"Throttling", 400, "", SPS_ERR_AWS_THROTTLED},
        {"ThrottlingException", 400, "", SPS_ERR_AWS_THROTTLED},
        {"ThrottledException", 400, "", SPS_ERR_AWS_THROTTLED},
        {"RequestThrottledException", 400, "", SPS_ERR_AWS_THROTTLED},
        {"TooManyRequestsException", 400, "", SPS_ERR_AWS_THROTTLED},
        {"ProvisionedThroughputExceededException", 400, "", SPS_ERR_AWS_THROTTLED},
        {"TransactionInProgressException", 400, "", SPS_ERR_AWS_THROTTLED},
        {"RequestLimitExceeded", 503, "", SPS_ERR_AWS_THROTTLED},
        {"BandwidthLimitExceeded", 400, "", SPS_ERR_AWS_THROTTLED},
        {"LimitExceededException", 400, "", SPS_ERR_AWS_THROTTLED},
        {"RequestThrottled", 400, "", SPS_ERR_AWS_THROTTLED},
        {"SlowDown", 503, "", SPS_ERR_AWS_THROTTLED},
        {"PriorRequestNotComplete", 400, "", SPS_ERR_AWS_THROTTLED}, /* both lists: throttle */
        {"EC2ThrottledException", 400, "", SPS_ERR_AWS_THROTTLED},
        {"", 429, "", SPS_ERR_AWS_THROTTLED},
        {"RequestTimeout", 400, "", SPS_ERR_AWS_SERVER},
        {"RequestTimeoutException", 400, "", SPS_ERR_AWS_SERVER},
        {"InternalError", 500, "", SPS_ERR_AWS_SERVER},
        {"", 502, "", SPS_ERR_AWS_SERVER},
        {"Unavailable", 503, "", SPS_ERR_AWS_SERVER},
        {"", 504, "", SPS_ERR_AWS_SERVER},
        {"ExpiredToken", 400, "", SPS_ERR_AWS_EXPIRED_CREDENTIALS},
        {"ExpiredTokenException", 400, "", SPS_ERR_AWS_EXPIRED_CREDENTIALS},
        {"RequestExpired", 400, "The security token included in the request is expired",
         SPS_ERR_AWS_EXPIRED_CREDENTIALS},
        {"RequestExpired", 400, "Request has expired.", SPS_ERR_AWS_CLOCK_SKEW},
        {"RequestTimeTooSkewed", 403, "", SPS_ERR_AWS_CLOCK_SKEW},
        {"RequestInTheFuture", 403, "", SPS_ERR_AWS_CLOCK_SKEW},
        {"InvalidSignatureException", 400,
         "Signature expired: 20261124T053751Z is now earlier than 20261124T054251Z",
         SPS_ERR_AWS_CLOCK_SKEW},
        {"InvalidSignatureException", 400, "Signature not yet current: 20261124T063751Z",
         SPS_ERR_AWS_CLOCK_SKEW},
        {"SignatureDoesNotMatch", 403, "Signature expired: 20261124T053751Z",
         SPS_ERR_AWS_CLOCK_SKEW},
        {"AuthFailure", 401,
         "The difference between the request time and the current time is "
         "too skewed",
         SPS_ERR_AWS_CLOCK_SKEW},
        {"InvalidSignatureException", 400, "The request signature we calculated does not match",
         SPS_ERR_AWS_AUTH},
        {"SignatureDoesNotMatch", 403, "The request signature we calculated does not match",
         SPS_ERR_AWS_AUTH},
        {"AuthFailure", 401, "AWS was not able to validate the provided access credentials",
         SPS_ERR_AWS_AUTH},
        {"InvalidClientTokenId", 403, "", SPS_ERR_AWS_AUTH},
        {"UnrecognizedClientException", 400, "", SPS_ERR_AWS_AUTH},
        {"AccessDenied", 403, "", SPS_ERR_AWS_AUTH},
        {"AccessDeniedException", 400, "", SPS_ERR_AWS_AUTH},
        {"UnauthorizedOperation", 403, "", SPS_ERR_AWS_AUTH},
        {"InvalidAccessKeyId", 403, "", SPS_ERR_AWS_AUTH},
        {"MissingAuthenticationToken", 403, "", SPS_ERR_AWS_AUTH},
        {"IncompleteSignature", 400, "", SPS_ERR_AWS_AUTH},
        {"InsufficientInstanceCapacity", 500, "", SPS_ERR_AWS_CAPACITY},
        {"InsufficientCapacity", 400, "", SPS_ERR_AWS_CAPACITY},
        {"InsufficientHostCapacity", 400, "", SPS_ERR_AWS_CAPACITY},
        {"SpotMaxPriceTooLow", 400, "", SPS_ERR_AWS_CAPACITY},
        {"MaxSpotInstanceCountExceeded", 400, "", SPS_ERR_AWS_CAPACITY},
        {"Unsupported", 400, "", SPS_ERR_AWS_CAPACITY},
        {"ValidationError", 400, "", SPS_ERR_AWS_CLIENT},
        {"InvalidParameterValue", 400, "", SPS_ERR_AWS_CLIENT},
        {"throttling", 400, "", SPS_ERR_AWS_CLIENT}, /* codes are case-sensitive */
        {"", 400, "", SPS_ERR_AWS_CLIENT},
        {"", 0, "", SPS_ERR_AWS_CLIENT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sps_aws_error e;
        sps_aws_error_clear(&e);
        e.http_status = cases[i].status;
        snprintf(e.code, sizeof(e.code), "%s", cases[i].code);
        snprintf(e.message, sizeof(e.message), "%s", cases[i].message);
        sps_err got = sps_aws_error_classify(&e);
        if (got != cases[i].want)
            sps_test_fail(__FILE__, __LINE__, "%s/%d/%s: got %s, expected %s", cases[i].code,
                          cases[i].status, cases[i].message, sps_error_name(got),
                          sps_error_name(cases[i].want));
    }
}

static void test_error_is_throttling_code(void)
{
    SPS_CHECK(sps_aws_error_is_throttling_code("RequestLimitExceeded"));
    SPS_CHECK(sps_aws_error_is_throttling_code("EC2ThrottledException"));
    SPS_CHECK(!sps_aws_error_is_throttling_code("InsufficientInstanceCapacity"));
    SPS_CHECK(!sps_aws_error_is_throttling_code("Throttling2"));
    SPS_CHECK(!sps_aws_error_is_throttling_code(""));
    SPS_CHECK(!sps_aws_error_is_throttling_code(NULL));
}

SPS_TEST_MAIN(SPS_CASE(test_error_ec2_shape), SPS_CASE(test_error_error_response_shape),
              SPS_CASE(test_error_xml_bad_bodies_keep_status),
              SPS_CASE(test_error_overlong_fields_truncated_safely),
              SPS_CASE(test_error_json_variants), SPS_CASE(test_error_json_bad_bodies_keep_status),
              SPS_CASE(test_error_classification_table), SPS_CASE(test_error_is_throttling_code))
