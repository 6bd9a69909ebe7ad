/*
 * AWS Lambda as protocol, no business rules: the Runtime API client a custom runtime
 * (provided.al2023) uses to fetch invocations and post their results, and the parser of the
 * events spotswap is invoked with (EventBridge envelopes and direct invocations). The runtime
 * loop that ties them to a handler is engine/lambda.c.
 */
#ifndef SPS_AWS_LAMBDA_H
#define SPS_AWS_LAMBDA_H

#include "sps_aws_http.h"

/* ---- events ---- */

enum sps_aws_lambda_event_kind {
    SPS_LAMBDA_EVENT_SCHEDULED,         /* "Scheduled Event" from aws.events, or a direct run */
    SPS_LAMBDA_EVENT_SPOT_INTERRUPTION, /* "EC2 Spot Instance Interruption Warning" */
    SPS_LAMBDA_EVENT_REBALANCE,         /* "EC2 Instance Rebalance Recommendation" */
    SPS_LAMBDA_EVENT_UNKNOWN,           /* any other EventBridge event */
};

enum sps_aws_lambda_spot_action {
    SPS_LAMBDA_SPOT_ACTION_NONE, /* not a spot interruption */
    SPS_LAMBDA_SPOT_ACTION_TERMINATE,
    SPS_LAMBDA_SPOT_ACTION_STOP,
    SPS_LAMBDA_SPOT_ACTION_HIBERNATE,
    /* An action AWS may add later: kept (raw text in instance_action) rather than refused, so
     * the instance is still replaced. */
    SPS_LAMBDA_SPOT_ACTION_OTHER,
};

/* Owned strings (sps_malloc), NULL when absent. */
struct sps_aws_lambda_event {
    enum sps_aws_lambda_event_kind kind;
    bool direct;      /* a direct invocation ({} or {"action": "run"}), not EventBridge */
    bool report_only; /* direct invocation with "report_only": true */
    /* The EventBridge envelope (all NULL/0 for a direct invocation). */
    char *version;
    char *id;
    char *detail_type;
    char *source;
    char *account;
    char *time;
    int64_t time_ms; /* `time` parsed, epoch milliseconds */
    char *region;
    char **resources;
    size_t resource_count;
    /* From `detail` (spot interruption and rebalance). */
    char *instance_id;
    char *instance_action; /* raw text, spot interruption only */
    enum sps_aws_lambda_spot_action action;
};

void sps_aws_lambda_event_init(struct sps_aws_lambda_event *e);
void sps_aws_lambda_event_clean_up(struct sps_aws_lambda_event *e); /* NULL-safe */

/*
 * Parses one invocation payload (`json`, not NUL-terminated) into `out` (initialized by the
 * caller; cleaned and refilled). An object with "detail-type" or "source" is an EventBridge
 * event: it must carry id, detail-type, source, time (ISO 8601) and region as strings; account
 * and version, when present, are strings, resources an array of strings, detail an object. A
 * spot interruption needs detail.instance-id and detail.instance-action, a rebalance
 * detail.instance-id. Any other object is a direct invocation: only "action" ("run") and
 * "report_only" (boolean) are allowed.
 *
 * Errors: SPS_ERR_JSON_MALFORMED (not JSON, not an object, a field of the wrong type, an unknown
 * direct-invocation field or action), SPS_ERR_MISSING_FIELD, SPS_ERR_PARSE_TIME. `detail` (may be
 * NULL) receives a sentence naming the field, e.g. `field "detail.instance-id" is missing`.
 */
SPS_NODISCARD sps_err sps_aws_lambda_event_parse(struct sps_aws_lambda_event *out,
                                                 struct sps_cursor json, struct sps_buf *detail);

/* "scheduled", "spot_interruption", "rebalance", "unknown". */
const char *sps_aws_lambda_event_kind_name(enum sps_aws_lambda_event_kind kind);
/* "terminate", "stop", "hibernate", "other", "none". */
const char *sps_aws_lambda_spot_action_name(enum sps_aws_lambda_spot_action action);

/* Appends `s` as a JSON string literal (quotes and escapes), for callers that build small JSON
 * documents without a JSON library (the engine). */
sps_err sps_aws_lambda_json_string(struct sps_buf *out, const char *s);

/* ---- the Runtime API client ---- */

#define SPS_LAMBDA_RUNTIME_API_ENV "AWS_LAMBDA_RUNTIME_API"
#define SPS_LAMBDA_TRACE_ENV "_X_AMZN_TRACE_ID"
/* Larger than any payload Lambda delivers (6 MB synchronous, 256 KB asynchronous). */
#define SPS_LAMBDA_MAX_EVENT ((size_t)8 * 1024 * 1024)
/* The GET .../next long-polls until an invocation arrives. http_curl.c reads a request timeout
 * of 0 as its 30 s default, so "no timeout" is spelled as the largest value every `long` holds:
 * about 24.8 days, longer than Lambda keeps an execution environment. */
#define SPS_LAMBDA_NEXT_TIMEOUT_MS ((int64_t)2147483647)

struct sps_aws_lambda_runtime {
    struct sps_http_transport *transport; /* borrowed */
    char *base_url;                       /* "http://<host:port>/2018-06-01/runtime" */
};

/* `api` is AWS_LAMBDA_RUNTIME_API: "host:port" (an IPv6 host in brackets). Fails with
 * SPS_ERR_CONFIG (and a sentence in `detail`) when it is empty or not host:port. */
SPS_NODISCARD sps_err sps_aws_lambda_runtime_init(struct sps_aws_lambda_runtime *rt,
                                                  struct sps_http_transport *transport,
                                                  const char *api, struct sps_buf *detail);
void sps_aws_lambda_runtime_clean_up(struct sps_aws_lambda_runtime *rt); /* NULL-safe */

struct sps_aws_lambda_invocation {
    char *request_id;     /* Lambda-Runtime-Aws-Request-Id */
    int64_t deadline_ms;  /* Lambda-Runtime-Deadline-Ms: epoch milliseconds */
    char *function_arn;   /* Lambda-Runtime-Invoked-Function-Arn, NULL when absent */
    char *trace_id;       /* Lambda-Runtime-Trace-Id, NULL when absent */
    struct sps_buf event; /* the payload */
};

void sps_aws_lambda_invocation_init(struct sps_aws_lambda_invocation *inv);
void sps_aws_lambda_invocation_clean_up(struct sps_aws_lambda_invocation *inv); /* NULL-safe */

/*
 * GET /runtime/invocation/next: waits for the next invocation and fills `inv`. Sets the process
 * environment variable _X_AMZN_TRACE_ID to the trace header (unsets it when absent), as the
 * Lambda custom runtime documentation asks. Errors: the transport's (the local API is
 * unreachable), SPS_ERR_LAMBDA_RUNTIME_EXIT on a 500 (the API says the runtime must exit),
 * SPS_ERR_UNEXPECTED_RESPONSE on any other status or when the request id or deadline header is
 * missing or malformed.
 */
SPS_NODISCARD sps_err sps_aws_lambda_runtime_next(struct sps_aws_lambda_runtime *rt,
                                                  struct sps_aws_lambda_invocation *inv,
                                                  struct sps_buf *detail);

/*
 * POST /runtime/invocation/<id>/response with `json` as the body. Expects 202. Errors:
 * SPS_ERR_LAMBDA_REJECTED on a 4xx (the API refused this result, e.g. 413 payload too large, or
 * an unknown request id: the invocation is lost but the runtime may go on),
 * SPS_ERR_LAMBDA_RUNTIME_EXIT on a 500, SPS_ERR_UNEXPECTED_RESPONSE on any other status, and
 * transport errors.
 */
SPS_NODISCARD sps_err sps_aws_lambda_runtime_respond(struct sps_aws_lambda_runtime *rt,
                                                     const char *request_id, struct sps_cursor json,
                                                     struct sps_buf *detail);

/* POST /runtime/invocation/<id>/error with {"errorMessage": message, "errorType": type} and the
 * header Lambda-Runtime-Function-Error-Type: type. Errors as for respond. */
SPS_NODISCARD sps_err sps_aws_lambda_runtime_fail(struct sps_aws_lambda_runtime *rt,
                                                  const char *request_id, const char *error_type,
                                                  const char *message, struct sps_buf *detail);

/* POST /runtime/init/error, same body and header: initialization failed before any invocation.
 * Errors as for respond. */
SPS_NODISCARD sps_err sps_aws_lambda_runtime_init_error(struct sps_aws_lambda_runtime *rt,
                                                        const char *error_type, const char *message,
                                                        struct sps_buf *detail);

#endif
