/*
 * The Lambda runtime loop: when spotswap runs as a Lambda function (custom runtime, the binary
 * installed as `bootstrap`), it fetches invocations from the Runtime API, parses each event and
 * hands it to a handler, then posts the handler's result. The loop knows nothing of what the
 * handler does (a full pass, an interruption replacement): it only moves events and results.
 */
#ifndef SPS_ENGINE_LAMBDA_H
#define SPS_ENGINE_LAMBDA_H

#include "sps_aws_lambda.h"

struct sps_engine_lambda_options {
    struct sps_http_transport *transport; /* borrowed; reaches the Runtime API */
    const struct sps_env *env;            /* reads AWS_LAMBDA_RUNTIME_API */
    /* Optional: runs once before the first invocation. A failure is posted to init/error (the
     * errorType is the error's name, the message `error_detail` or the error's message) and
     * ends the loop with that error. */
    sps_err (*init)(void *ctx, struct sps_buf *error_detail);
    /* Serves one scheduled, spot interruption or rebalance event (unknown events never reach
     * it). On success `response_json` holds the JSON response ({"status":"ok"} when left
     * empty); on failure `error_detail` may explain, and the invocation is reported through the
     * error endpoint with the error's name as errorType. */
    sps_err (*handle)(void *ctx, const struct sps_aws_lambda_event *event,
                      struct sps_buf *response_json, struct sps_buf *error_detail);
    void *ctx;
    size_t max_invocations; /* 0: serve until the runtime API says stop */
};

/* True when AWS_LAMBDA_RUNTIME_API is set: the process was started by Lambda as `bootstrap`. */
bool sps_engine_lambda_detected(const struct sps_env *env);

/*
 * Serves invocations until max_invocations have been answered (SPS_OK) or the Runtime API
 * cannot go on. A failing handler, an unparseable event (errorType "InvalidEvent") or a result
 * the API refuses (4xx) ends only that invocation. Returns the error that ended the loop: a bad
 * AWS_LAMBDA_RUNTIME_API (SPS_ERR_CONFIG, logged: there is no API to report it to), an init
 * failure, SPS_ERR_LAMBDA_RUNTIME_EXIT (a 500), or a transport error reaching the API. The
 * process should then exit non-zero; Lambda starts a fresh one.
 */
SPS_NODISCARD sps_err sps_engine_lambda_serve(const struct sps_engine_lambda_options *o);

#endif
