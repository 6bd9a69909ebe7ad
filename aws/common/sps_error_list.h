/*
 * The one list of spotswap error codes. Every code has a name (the enum member), a category and
 * a one-line message; sps_error.h expands this list into the enum, the name table and the
 * message table, so the three can never drift apart.
 *
 * Categories say what a caller may do about the error:
 *   NONE       success
 *   RETRYABLE  a transient fault: the same call may succeed if retried (5xx, network)
 *   THROTTLED  AWS asked us to slow down: retry after backing off, and spend retry quota
 *   CAPACITY   the spot market has no room: try another instance type or zone, do not retry
 *   FATAL      retrying the same call cannot help (bad input, bad credentials, refused)
 *
 * Add a code at the end of its section; never reuse or renumber.
 */
/* clang-format off */
/*        name                              category   message */
SPS_ERROR(SPS_OK,                           NONE,      "success")
/* common */
SPS_ERROR(SPS_ERR_INVALID_ARGUMENT,         FATAL,     "invalid argument")
SPS_ERROR(SPS_ERR_LIMIT_EXCEEDED,           FATAL,     "size limit exceeded")
SPS_ERROR(SPS_ERR_IO,                       FATAL,     "file I/O error")
SPS_ERROR(SPS_ERR_NOT_FOUND,                FATAL,     "not found")
SPS_ERROR(SPS_ERR_PARSE_NUMBER,             FATAL,     "not a valid number")
SPS_ERROR(SPS_ERR_PARSE_TIME,               FATAL,     "not a valid ISO 8601 timestamp")
SPS_ERROR(SPS_ERR_UNSUPPORTED,              FATAL,     "not supported")
SPS_ERROR(SPS_ERR_CONFIG,                   FATAL,     "invalid configuration")
/* parsing AWS responses */
SPS_ERROR(SPS_ERR_XML_MALFORMED,            FATAL,     "malformed XML")
SPS_ERROR(SPS_ERR_XML_TOO_LARGE,            FATAL,     "XML document exceeds the size limit")
SPS_ERROR(SPS_ERR_JSON_MALFORMED,           FATAL,     "malformed JSON")
SPS_ERROR(SPS_ERR_MISSING_FIELD,            FATAL,     "a required field is missing from the response")
SPS_ERROR(SPS_ERR_UNEXPECTED_RESPONSE,      FATAL,     "the response is not what the API defines")
/* HTTP transport */
SPS_ERROR(SPS_ERR_HTTP_CONNECT,             RETRYABLE, "could not connect to the endpoint")
SPS_ERROR(SPS_ERR_HTTP_TIMEOUT,             RETRYABLE, "the request timed out")
SPS_ERROR(SPS_ERR_HTTP_TRANSPORT,           RETRYABLE, "the connection failed mid-request")
SPS_ERROR(SPS_ERR_HTTP_TLS,                 FATAL,     "TLS certificate verification failed")
SPS_ERROR(SPS_ERR_HTTP_RESPONSE_TOO_LARGE,  FATAL,     "the response body exceeds the size limit")
SPS_ERROR(SPS_ERR_HTTP_BAD_URL,             FATAL,     "the endpoint URL is not valid")
/* AWS service answers */
SPS_ERROR(SPS_ERR_AWS_THROTTLED,            THROTTLED, "AWS throttled the request")
SPS_ERROR(SPS_ERR_AWS_SERVER,               RETRYABLE, "AWS returned a server error")
SPS_ERROR(SPS_ERR_AWS_CLIENT,               FATAL,     "AWS rejected the request")
SPS_ERROR(SPS_ERR_AWS_AUTH,                 FATAL,     "AWS refused the credentials or signature")
SPS_ERROR(SPS_ERR_AWS_EXPIRED_CREDENTIALS,  FATAL,     "the credentials have expired")
SPS_ERROR(SPS_ERR_AWS_CLOCK_SKEW,           RETRYABLE, "the local clock differs too much from AWS time")
SPS_ERROR(SPS_ERR_AWS_CAPACITY,             CAPACITY,  "AWS has no capacity for the requested instance")
SPS_ERROR(SPS_ERR_AWS_RETRIES_EXHAUSTED,    FATAL,     "the request still failed after the last retry")
SPS_ERROR(SPS_ERR_AWS_RETRY_QUOTA,          FATAL,     "the retry quota is spent: too many recent failures")
/* credentials and endpoints */
SPS_ERROR(SPS_ERR_CREDS_NOT_FOUND,          FATAL,     "no credentials found by any provider")
SPS_ERROR(SPS_ERR_CREDS_PROFILE_NOT_FOUND,  FATAL,     "the named profile does not exist")
SPS_ERROR(SPS_ERR_CREDS_INVALID,            FATAL,     "the credentials are incomplete or malformed")
SPS_ERROR(SPS_ERR_CREDS_PROCESS,            FATAL,     "credential_process failed")
SPS_ERROR(SPS_ERR_CREDS_IMDS,               FATAL,     "the instance metadata service refused the request")
SPS_ERROR(SPS_ERR_CREDS_CONTAINER,          FATAL,     "the container credentials endpoint failed")
SPS_ERROR(SPS_ERR_CREDS_SOURCE_LOOP,        FATAL,     "the profile's source_profile chain loops")
SPS_ERROR(SPS_ERR_REGION_NOT_SET,           FATAL,     "no AWS region configured")
SPS_ERROR(SPS_ERR_ENDPOINT,                 FATAL,     "cannot resolve an endpoint for the service and region")
/* compat */
SPS_ERROR(SPS_ERR_COMPAT_UNKNOWN_TYPE,      FATAL,     "instance type is in neither the catalog nor live data")
SPS_ERROR(SPS_ERR_COMPAT_NO_CANDIDATE,      FATAL,     "no instance type can stand in for the running one")
SPS_ERROR(SPS_ERR_COMPAT_LIVE_RECORD,       FATAL,     "a DescribeInstanceTypes record has a field the matcher cannot use")
/* lambda */
SPS_ERROR(SPS_ERR_LAMBDA_RUNTIME_EXIT,      FATAL,     "the Lambda Runtime API reported a container error: the runtime must exit")
SPS_ERROR(SPS_ERR_LAMBDA_REJECTED,          FATAL,     "the Lambda Runtime API rejected the invocation result")
/* pricing */
SPS_ERROR(SPS_ERR_PRICING_UNKNOWN,          FATAL,     "the price is unknown")
SPS_ERROR(SPS_ERR_PRICING_UNSUPPORTED_PLATFORM, FATAL, "unsupported platform for pricing")
SPS_ERROR(SPS_ERR_PRICING_AMBIGUOUS,        FATAL,     "several Price List products match with different prices")
SPS_ERROR(SPS_ERR_PRICING_PLACEMENT_BUDGET, FATAL,     "the daily budget of placement score configurations is spent")
/* clang-format on */
