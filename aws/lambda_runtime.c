/*
 * The Lambda Runtime API client (the 2018-06-01 interface a custom runtime serves): fetch the
 * next invocation, post its response or error, report an initialization failure. Plain HTTP to
 * the local endpoint named by AWS_LAMBDA_RUNTIME_API, over the project's transport interface.
 */
#include "sps_aws_lambda.h"

#include <stdlib.h>
#include <string.h>

/* Responses of the runtime API other than the event are small JSON status documents. */
#define S_MAX_STATUS_BODY ((size_t)64 * 1024)
#define S_POST_TIMEOUT_MS 10000

void sps_aws_lambda_invocation_init(struct sps_aws_lambda_invocation *inv)
{
    inv->request_id = NULL;
    inv->deadline_ms = 0;
    inv->function_arn = NULL;
    inv->trace_id = NULL;
    sps_buf_init(&inv->event, SPS_LAMBDA_MAX_EVENT);
}

void sps_aws_lambda_invocation_clean_up(struct sps_aws_lambda_invocation *inv)
{
    if (inv == NULL)
        return;
    sps_free(inv->request_id);
    sps_free(inv->function_arn);
    sps_free(inv->trace_id);
    sps_buf_clean_up(&inv->event);
    inv->request_id = inv->function_arn = inv->trace_id = NULL;
    inv->deadline_ms = 0;
}

static sps_err s_say(struct sps_buf *detail, sps_err err, const char *text)
{
    if (detail) {
        sps_buf_reset(detail);
        sps_buf_append_str(detail, text);
    }
    return err;
}

static bool s_host_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '-' || ch == '_';
}

/* "host:port" or "[v6]:port"; the host is a name or address, the port 1-65535. */
static bool s_valid_api(struct sps_cursor api)
{
    long colon = -1;
    for (size_t i = 0; i < api.len; i++) {
        if (api.ptr[i] == ':')
            colon = (long)i;
    }
    if (colon <= 0)
        return false;
    struct sps_cursor host = sps_cursor_sub(api, 0, (size_t)colon);
    struct sps_cursor port = sps_cursor_sub(api, (size_t)colon + 1, api.len);
    uint64_t number;
    if (port.len == 0 || port.len > 5 || sps_cursor_to_u64(port, &number) != SPS_OK ||
        number == 0 || number > 65535)
        return false;
    if (host.ptr[0] == '[') {
        if (host.len < 3 || host.ptr[host.len - 1] != ']')
            return false;
        for (size_t i = 1; i + 1 < host.len; i++) {
            char ch = host.ptr[i];
            if (!(s_host_char(ch) || ch == ':'))
                return false;
        }
        return true;
    }
    for (size_t i = 0; i < host.len; i++) {
        if (!s_host_char(host.ptr[i]))
            return false;
    }
    return true;
}

sps_err sps_aws_lambda_runtime_init(struct sps_aws_lambda_runtime *rt,
                                    struct sps_http_transport *transport, const char *api,
                                    struct sps_buf *detail)
{
    rt->transport = transport;
    rt->base_url = NULL;
    if (api == NULL || api[0] == '\0')
        return s_say(detail, SPS_ERR_CONFIG,
                     "AWS_LAMBDA_RUNTIME_API is not set: not running inside AWS Lambda");
    if (!s_valid_api(sps_cursor_from_str(api))) {
        if (detail) {
            sps_buf_reset(detail);
            sps_buf_printf(detail, "AWS_LAMBDA_RUNTIME_API=\"%.128s\" is not host:port", api);
        }
        return SPS_ERR_CONFIG;
    }
    struct sps_buf url;
    sps_buf_init(&url, 1024);
    sps_buf_printf(&url, "http://%s/2018-06-01/runtime", api);
    rt->base_url = sps_buf_take(&url);
    sps_buf_clean_up(&url);
    return SPS_OK;
}

void sps_aws_lambda_runtime_clean_up(struct sps_aws_lambda_runtime *rt)
{
    if (rt == NULL)
        return;
    sps_free(rt->base_url);
    rt->base_url = NULL;
}

/* Maps a runtime API answer to an error, as its OpenAPI definition describes the statuses. */
static sps_err s_status(const struct sps_http_response *resp, int expected, const char *what,
                        struct sps_buf *detail)
{
    if (resp->status == expected)
        return SPS_OK;
    sps_err err = SPS_ERR_UNEXPECTED_RESPONSE;
    if (resp->status == 500)
        err = SPS_ERR_LAMBDA_RUNTIME_EXIT;
    else if (resp->status >= 400 && resp->status < 500 && expected == 202)
        err = SPS_ERR_LAMBDA_REJECTED;
    if (detail) {
        sps_buf_reset(detail);
        sps_buf_printf(detail, "%s: the runtime API answered HTTP %d: %.512s", what, resp->status,
                       resp->body.data);
    }
    return err;
}

static sps_err s_transport(sps_err err, const char *what, struct sps_buf *detail)
{
    if (detail) {
        sps_buf_reset(detail);
        sps_buf_printf(detail, "%s: %s", what, sps_error_message(err));
    }
    return err;
}

/* The id becomes a URL path segment: refuse anything that could change the path. */
static bool s_valid_id(const char *id)
{
    if (id == NULL || id[0] == '\0')
        return false;
    for (const char *p = id; *p; p++) {
        if (*p == '/' || *p == '?' || *p == '#' || *p == '%' || (unsigned char)*p <= 0x20)
            return false;
    }
    return true;
}

static char *s_header_dup(const struct sps_http_response *resp, const char *name)
{
    const char *value = sps_http_headers_get(&resp->headers, name);
    return value && value[0] ? sps_strdup(value) : NULL;
}

static sps_err s_read_invocation(const struct sps_http_response *resp,
                                 struct sps_aws_lambda_invocation *inv, struct sps_buf *detail)
{
    const char *id = sps_http_headers_get(&resp->headers, "Lambda-Runtime-Aws-Request-Id");
    if (id == NULL || id[0] == '\0')
        return s_say(detail, SPS_ERR_UNEXPECTED_RESPONSE,
                     "next invocation: the Lambda-Runtime-Aws-Request-Id header is missing");
    if (!s_valid_id(id))
        return s_say(detail, SPS_ERR_UNEXPECTED_RESPONSE,
                     "next invocation: the Lambda-Runtime-Aws-Request-Id header holds "
                     "characters not allowed in a request id");
    const char *deadline = sps_http_headers_get(&resp->headers, "Lambda-Runtime-Deadline-Ms");
    int64_t deadline_ms = 0;
    if (deadline == NULL ||
        sps_cursor_to_i64(sps_cursor_from_str(deadline), &deadline_ms) != SPS_OK)
        return s_say(detail, SPS_ERR_UNEXPECTED_RESPONSE,
                     "next invocation: the Lambda-Runtime-Deadline-Ms header is missing or not "
                     "a number of milliseconds");
    inv->request_id = sps_strdup(id);
    inv->deadline_ms = deadline_ms;
    inv->function_arn = s_header_dup(resp, "Lambda-Runtime-Invoked-Function-Arn");
    inv->trace_id = s_header_dup(resp, "Lambda-Runtime-Trace-Id");
    return sps_buf_set(&inv->event, sps_buf_cursor(&resp->body));
}

sps_err sps_aws_lambda_runtime_next(struct sps_aws_lambda_runtime *rt,
                                    struct sps_aws_lambda_invocation *inv, struct sps_buf *detail)
{
    sps_aws_lambda_invocation_clean_up(inv);
    sps_aws_lambda_invocation_init(inv);
    struct sps_http_request req;
    struct sps_http_response resp;
    sps_http_request_init(&req, "GET");
    sps_http_response_init(&resp, SPS_LAMBDA_MAX_EVENT);
    sps_err err = SPS_OK;
    sps_buf_printf(&req.url, "%s/invocation/next", rt->base_url);
    req.total_timeout_ms = SPS_LAMBDA_NEXT_TIMEOUT_MS;
    err = sps_http_send(rt->transport, &req, &resp);
    if (err != SPS_OK) {
        err = s_transport(err, "next invocation", detail);
        goto cleanup;
    }
    SPS_GUARD(s_status(&resp, 200, "next invocation", detail));
    SPS_GUARD(s_read_invocation(&resp, inv, detail));
    /* The X-Ray SDKs read the trace header from this variable, per invocation. */
    if (inv->trace_id)
        setenv(SPS_LAMBDA_TRACE_ENV, inv->trace_id, 1);
    else
        unsetenv(SPS_LAMBDA_TRACE_ENV);
cleanup:
    sps_http_request_clean_up(&req);
    sps_http_response_clean_up(&resp);
    return err;
}

static sps_err s_post(struct sps_aws_lambda_runtime *rt, const char *path, const char *error_type,
                      struct sps_cursor body, const char *what, struct sps_buf *detail)
{
    struct sps_http_request req;
    struct sps_http_response resp;
    sps_http_request_init(&req, "POST");
    sps_http_response_init(&resp, S_MAX_STATUS_BODY);
    sps_err err = SPS_OK;
    sps_buf_printf(&req.url, "%s%s", rt->base_url, path);
    sps_http_headers_set(&req.headers, "Content-Type", "application/json");
    if (error_type)
        sps_http_headers_set(&req.headers, "Lambda-Runtime-Function-Error-Type", error_type);
    req.body.max = SPS_LAMBDA_MAX_EVENT;
    req.total_timeout_ms = S_POST_TIMEOUT_MS;
    if (req.url.err != SPS_OK || sps_buf_set(&req.body, body) != SPS_OK) {
        err = s_say(detail, SPS_ERR_LIMIT_EXCEEDED, "the result is larger than Lambda accepts");
        goto cleanup;
    }
    err = sps_http_send(rt->transport, &req, &resp);
    if (err != SPS_OK) {
        err = s_transport(err, what, detail);
        goto cleanup;
    }
    SPS_GUARD(s_status(&resp, 202, what, detail));
cleanup:
    sps_http_request_clean_up(&req);
    sps_http_response_clean_up(&resp);
    return err;
}

sps_err sps_aws_lambda_runtime_respond(struct sps_aws_lambda_runtime *rt, const char *request_id,
                                       struct sps_cursor json, struct sps_buf *detail)
{
    if (!s_valid_id(request_id))
        return s_say(detail, SPS_ERR_INVALID_ARGUMENT, "response: no valid request id");
    struct sps_buf path;
    sps_buf_init(&path, 4096);
    sps_buf_printf(&path, "/invocation/%s/response", request_id);
    sps_err err = s_post(rt, path.data, NULL, json, "invocation response", detail);
    sps_buf_clean_up(&path);
    return err;
}

/* {"errorMessage": ..., "errorType": ...} as the runtime API defines the error body. */
static sps_err s_post_error(struct sps_aws_lambda_runtime *rt, const char *path,
                            const char *error_type, const char *message, const char *what,
                            struct sps_buf *detail)
{
    const char *type = error_type && error_type[0] ? error_type : "Unknown";
    struct sps_buf body;
    sps_buf_init(&body, SPS_LAMBDA_MAX_EVENT);
    sps_buf_append_str(&body, "{\"errorMessage\":");
    sps_aws_lambda_json_string(&body, message);
    sps_buf_append_str(&body, ",\"errorType\":");
    sps_aws_lambda_json_string(&body, type);
    sps_buf_append_char(&body, '}');
    sps_err err = body.err == SPS_OK
                      ? s_post(rt, path, type, sps_buf_cursor(&body), what, detail)
                      : s_say(detail, SPS_ERR_LIMIT_EXCEEDED, "the error message is too large");
    sps_buf_clean_up(&body);
    return err;
}

sps_err sps_aws_lambda_runtime_fail(struct sps_aws_lambda_runtime *rt, const char *request_id,
                                    const char *error_type, const char *message,
                                    struct sps_buf *detail)
{
    if (!s_valid_id(request_id))
        return s_say(detail, SPS_ERR_INVALID_ARGUMENT, "invocation error: no valid request id");
    struct sps_buf path;
    sps_buf_init(&path, 4096);
    sps_buf_printf(&path, "/invocation/%s/error", request_id);
    sps_err err = s_post_error(rt, path.data, error_type, message, "invocation error", detail);
    sps_buf_clean_up(&path);
    return err;
}

sps_err sps_aws_lambda_runtime_init_error(struct sps_aws_lambda_runtime *rt, const char *error_type,
                                          const char *message, struct sps_buf *detail)
{
    return s_post_error(rt, "/init/error", error_type, message, "initialization error", detail);
}
