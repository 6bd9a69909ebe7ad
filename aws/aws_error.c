/*
 * AWS error documents: parsing both Query shapes and JSON 1.1, and classification into
 * spotswap error codes.
 *
 * Parse results: a body that is not XML/JSON gives SPS_ERR_XML_MALFORMED/SPS_ERR_JSON_MALFORMED,
 * a well-formed document of another shape SPS_ERR_UNEXPECTED_RESPONSE, a document without an
 * error code SPS_ERR_MISSING_FIELD. In every case http_status is set first, so a caller can
 * still classify by status (an empty 503 body is still a server error).
 *
 * Classification, first match wins (the reasons for the order are next to each list):
 *   1. throttling codes (botocore's standard retry mode list)            -> AWS_THROTTLED
 *   2. capacity codes ("try another instance type or zone")              -> AWS_CAPACITY
 *   3. expired-token codes                                               -> AWS_EXPIRED_CREDENTIALS
 *   4. clock-skew codes and signature errors whose message names a skew  -> AWS_CLOCK_SKEW
 *   5. authentication/authorization codes                                -> AWS_AUTH
 *   6. transient codes (botocore's list) and HTTP 5xx                    -> AWS_SERVER
 *   7. HTTP 429 with an unknown code                                     -> AWS_THROTTLED
 *   8. anything else                                                     -> AWS_CLIENT
 */
#include "sps_aws_error.h"

#include "sps_aws_xml.h"

#include <jansson.h>
#include <string.h>

void sps_aws_error_clear(struct sps_aws_error *e)
{
    memset(e, 0, sizeof(*e));
}

/* Copies at most size-1 bytes, never cutting a UTF-8 sequence in half, always terminated. */
static void s_copy_field(char *dst, size_t size, struct sps_cursor src)
{
    size_t len = src.len;
    if (len >= size) {
        len = size - 1;
        /* Back off continuation bytes so a multi-byte character is dropped whole. */
        while (len > 0 && ((unsigned char)src.ptr[len] & 0xC0) == 0x80)
            len--;
    }
    if (len > 0)
        memcpy(dst, src.ptr, len);
    dst[len] = '\0';
}

static void s_copy_text(char *dst, size_t size, const char *text)
{
    s_copy_field(dst, size, sps_cursor_trim(sps_cursor_from_str(text)));
}

/* ---- XML ---- */

/* The <Error> element and the node holding the request ID, for each known shape. */
static sps_err s_find_xml_error(const struct sps_xml_node *root, const struct sps_xml_node **error,
                                const struct sps_xml_node **id_holder)
{
    const char *name = sps_xml_name(root);
    if (strcmp(name, "Response") == 0) { /* EC2 */
        *error = sps_xml_path(root, "Errors/Error");
        *id_holder = root;
    } else if (strcmp(name, "ErrorResponse") == 0) { /* Auto Scaling, STS, IAM */
        *error = sps_xml_child(root, "Error");
        *id_holder = root;
    } else if (strcmp(name, "Error") == 0) { /* bare <Error>, as S3-style endpoints send */
        *error = root;
        *id_holder = root;
    } else {
        sps_log(SPS_LOG_DEBUG, "AWS error document has an unknown root element", "root", name,
                NULL);
        return SPS_ERR_UNEXPECTED_RESPONSE;
    }
    return *error == NULL ? SPS_ERR_MISSING_FIELD : SPS_OK;
}

sps_err sps_aws_error_parse_xml(struct sps_aws_error *e, int http_status, const char *body,
                                size_t len)
{
    sps_aws_error_clear(e);
    e->http_status = http_status;
    struct sps_xml_doc *doc = NULL;
    SPS_TRY(sps_xml_parse(&doc, body, len));
    const struct sps_xml_node *error = NULL, *id_holder = NULL;
    sps_err err = s_find_xml_error(sps_xml_root(doc), &error, &id_holder);
    if (err == SPS_OK) {
        const char *code = sps_xml_path_text(error, "Code");
        const char *message = sps_xml_path_text(error, "Message");
        /* EC2 spells it RequestID, the others RequestId. */
        const char *id = sps_xml_path_text(id_holder, "RequestID");
        if (id == NULL)
            id = sps_xml_path_text(id_holder, "RequestId");
        s_copy_text(e->code, sizeof(e->code), code ? code : "");
        s_copy_text(e->message, sizeof(e->message), message ? message : "");
        s_copy_text(e->request_id, sizeof(e->request_id), id ? id : "");
        if (e->code[0] == '\0')
            err = SPS_ERR_MISSING_FIELD;
    }
    sps_xml_doc_destroy(doc);
    return err;
}

/* ---- JSON 1.1 ---- */

/* "aws.namespace#Code:http://..." -> "Code": the part before any ':' (the header's suffix),
 * then after the last '#' (the namespace). */
static void s_set_code(struct sps_aws_error *e, struct sps_cursor code, bool strip_colon)
{
    struct sps_cursor head;
    if (strip_colon) {
        struct sps_cursor rest = code;
        (void)sps_cursor_split(&rest, ':', &head);
        code = head;
    }
    for (size_t i = code.len; i > 0; i--) {
        if (code.ptr[i - 1] == '#') {
            code = sps_cursor_sub(code, i, code.len - i);
            break;
        }
    }
    s_copy_field(e->code, sizeof(e->code), sps_cursor_trim(code));
}

static sps_err s_parse_json_body(struct sps_aws_error *e, const char *body, size_t len)
{
    json_error_t jerr;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        sps_log(SPS_LOG_DEBUG, "AWS error body is not JSON", "detail", jerr.text, NULL);
        return SPS_ERR_JSON_MALFORMED;
    }
    sps_err err = SPS_OK;
    if (!json_is_object(root)) {
        err = SPS_ERR_UNEXPECTED_RESPONSE;
        goto cleanup;
    }
    /* A JSON null counts as absent. */
    json_t *type = json_object_get(root, "__type");
    json_t *message = json_object_get(root, "message");
    if (message == NULL || json_is_null(message))
        message = json_object_get(root, "Message");
    if (json_is_null(type))
        type = NULL;
    if (json_is_null(message))
        message = NULL;
    if ((type != NULL && !json_is_string(type)) || (message != NULL && !json_is_string(message))) {
        err = SPS_ERR_UNEXPECTED_RESPONSE;
        goto cleanup;
    }
    /* botocore prefers the body's __type for JSON 1.1; the header is the fallback. */
    if (type != NULL)
        s_set_code(e, sps_cursor_from_mem(json_string_value(type), json_string_length(type)),
                   false);
    if (message != NULL)
        s_copy_field(e->message, sizeof(e->message),
                     sps_cursor_from_mem(json_string_value(message), json_string_length(message)));
cleanup:
    json_decref(root);
    return err;
}

sps_err sps_aws_error_parse_json(struct sps_aws_error *e, int http_status,
                                 const char *error_type_header, const char *body, size_t len)
{
    sps_aws_error_clear(e);
    e->http_status = http_status;
    if (error_type_header != NULL)
        s_set_code(e, sps_cursor_from_str(error_type_header), true);
    /* An empty body is fine when the header named the error (some gateways send none). */
    if (len > 0 || e->code[0] == '\0')
        SPS_TRY(s_parse_json_body(e, body == NULL ? "" : body, len));
    return e->code[0] == '\0' ? SPS_ERR_MISSING_FIELD : SPS_OK;
}

/* ---- classification ---- */

static bool s_in(const char *code, const char *const *list)
{
    for (; *list != NULL; list++) {
        if (strcmp(code, *list) == 0)
            return true;
    }
    return false;
}

/* botocore retries/standard.py ThrottlingErrorDetector._THROTTLED_ERROR_CODES, verbatim.
 * PriorRequestNotComplete is also in the transient list; throttling wins, as it does in
 * botocore (a throttle also backs off harder). */
static const char *const s_throttling_codes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    NULL,
};

/* botocore TransientRetryableChecker._TRANSIENT_ERROR_CODES. */
static const char *const s_transient_codes[] = {
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
    NULL,
};

/* What CAPACITY means to callers: this instance type (or zone) cannot be had right now, so try
 * another one instead of retrying. EC2 sends InsufficientInstanceCapacity with HTTP 500, which
 * is why this list is checked before the 5xx rule. SpotMaxPriceTooLow (our price is below the
 * spot price), Unsupported (the type is not offered in that zone) and
 * MaxSpotInstanceCountExceeded (the account's spot quota is full for that type family) are not
 * shortages strictly speaking, but the caller's remedy is the same: another type or zone, no
 * retry of the same call. */
static const char *const s_capacity_codes[] = {
    "InsufficientInstanceCapacity",
    "InsufficientCapacity",
    "InsufficientHostCapacity",
    "SpotMaxPriceTooLow",
    "MaxSpotInstanceCountExceeded",
    "Unsupported",
    NULL,
};

static const char *const s_expired_codes[] = {
    "ExpiredToken",
    "ExpiredTokenException",
    NULL,
};

/* Codes that always mean the request's timestamp is too far from AWS time. EC2's RequestExpired
 * is documented as "the request reached the service more than 15 minutes after the date stamp
 * on the request", i.e. a skewed (or very slow) clock; the same code is occasionally reported
 * for an expired session token, which we recognise only by "token" in the message (see
 * s_is_expired). */
static const char *const s_skew_codes[] = {
    "RequestTimeTooSkewed",
    "RequestInTheFuture",
    "RequestExpired",
    NULL,
};

/* Signature/auth codes that services also use for a skewed clock; they mean skew only when the
 * message says so ("Signature expired: ... is now earlier than ...", "Signature not yet
 * current"), as the Java and Go SDKs decide it. Without such a message they are plain auth
 * failures: retrying after a clock correction could not fix a wrong secret key. */
static const char *const s_skew_when_message_says[] = {
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    NULL,
};

/* Bad or missing credentials, a bad signature, or a refused permission (EC2's
 * UnauthorizedOperation is its AccessDenied): none is fixed by retrying. */
static const char *const s_auth_codes[] = {
    "InvalidClientTokenId",        "AuthFailure",
    "SignatureDoesNotMatch",       "InvalidSignatureException",
    "UnrecognizedClientException", "AccessDenied",
    "AccessDeniedException",       "UnauthorizedOperation",
    "InvalidAccessKeyId",          "MissingAuthenticationToken",
    "IncompleteSignature",         NULL,
};

static bool s_contains_ci(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = haystack; *p != '\0'; p++) {
        size_t i = 0;
        while (i < n && p[i] != '\0' &&
               (p[i] | 0x20) == (needle[i] | 0x20)) /* ASCII letters only in needles */
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static bool s_message_says_skew(const char *message)
{
    return s_contains_ci(message, "signature expired") ||
           s_contains_ci(message, "signature not yet current") ||
           s_contains_ci(message, "too skewed") || s_contains_ci(message, "clock skew");
}

static bool s_is_expired(const struct sps_aws_error *e)
{
    if (s_in(e->code, s_expired_codes))
        return true;
    return strcmp(e->code, "RequestExpired") == 0 && s_contains_ci(e->message, "token");
}

static bool s_is_skew(const struct sps_aws_error *e)
{
    if (s_in(e->code, s_skew_codes))
        return true;
    return s_in(e->code, s_skew_when_message_says) && s_message_says_skew(e->message);
}

bool sps_aws_error_is_throttling_code(const char *code)
{
    return code != NULL && s_in(code, s_throttling_codes);
}

sps_err sps_aws_error_classify(const struct sps_aws_error *e)
{
    if (sps_aws_error_is_throttling_code(e->code))
        return SPS_ERR_AWS_THROTTLED;
    if (s_in(e->code, s_capacity_codes))
        return SPS_ERR_AWS_CAPACITY;
    if (s_is_expired(e))
        return SPS_ERR_AWS_EXPIRED_CREDENTIALS;
    if (s_is_skew(e))
        return SPS_ERR_AWS_CLOCK_SKEW;
    if (s_in(e->code, s_auth_codes))
        return SPS_ERR_AWS_AUTH;
    if (s_in(e->code, s_transient_codes) || (e->http_status >= 500 && e->http_status <= 599))
        return SPS_ERR_AWS_SERVER;
    /* botocore's legacy retry config retries a bare 429 as "too_many_requests". */
    if (e->http_status == 429)
        return SPS_ERR_AWS_THROTTLED;
    return SPS_ERR_AWS_CLIENT;
}
