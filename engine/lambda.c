/*
 * The Lambda runtime loop (see sps_engine_lambda.h): next -> parse -> handle -> response or
 * error, one invocation at a time, with the request id on every log line of an invocation. A
 * failing invocation never ends the process; only the Runtime API saying so does.
 */
#include "sps_engine_lambda.h"

#include <stdio.h>

/* Lambda's limit on a synchronous response. */
#define S_MAX_RESPONSE ((size_t)6 * 1024 * 1024)
#define S_MAX_DETAIL ((size_t)64 * 1024)

struct s_loop {
    const struct sps_engine_lambda_options *o;
    struct sps_aws_lambda_runtime rt;
    struct sps_aws_lambda_invocation inv;
    struct sps_aws_lambda_event event;
    struct sps_buf response;
    struct sps_buf detail;      /* the handler's or parser's explanation */
    struct sps_buf post_detail; /* what went wrong posting a result */
};

bool sps_engine_lambda_detected(const struct sps_env *env)
{
    return sps_env_get(env ? env : sps_env_process(), SPS_LAMBDA_RUNTIME_API_ENV) != NULL;
}

static const char *s_or(const struct sps_buf *detail, sps_err err)
{
    return detail->len ? detail->data : sps_error_message(err);
}

/* A refused result (4xx) loses this invocation only; anything else means the API is gone. */
static sps_err s_posted(struct s_loop *l, sps_err err, const char *what)
{
    if (err == SPS_OK)
        return SPS_OK;
    sps_log(SPS_LOG_ERROR, "the Lambda Runtime API did not take the result", "what", what, "error",
            sps_error_name(err), "detail", l->post_detail.data, NULL);
    return err == SPS_ERR_LAMBDA_REJECTED ? SPS_OK : err;
}

static sps_err s_fail(struct s_loop *l, const char *error_type, const char *message)
{
    sps_buf_reset(&l->post_detail);
    sps_err err = sps_aws_lambda_runtime_fail(&l->rt, l->inv.request_id, error_type, message,
                                              &l->post_detail);
    return s_posted(l, err, "invocation error");
}

static sps_err s_respond(struct s_loop *l)
{
    sps_buf_reset(&l->post_detail);
    sps_err err = sps_aws_lambda_runtime_respond(&l->rt, l->inv.request_id,
                                                 sps_buf_cursor(&l->response), &l->post_detail);
    return s_posted(l, err, "invocation response");
}

static sps_err s_ignore(struct s_loop *l)
{
    const struct sps_aws_lambda_event *e = &l->event;
    sps_log(SPS_LOG_INFO, "event ignored: spotswap does not act on this event type", "detail_type",
            e->detail_type, "source", e->source, "event_id", e->id, NULL);
    sps_buf_append_str(&l->response, "{\"status\":\"ignored\",\"detail-type\":");
    sps_aws_lambda_json_string(&l->response, e->detail_type);
    sps_buf_append_str(&l->response, ",\"source\":");
    sps_aws_lambda_json_string(&l->response, e->source);
    sps_buf_append_char(&l->response, '}');
    return s_respond(l);
}

static sps_err s_handle(struct s_loop *l)
{
    const struct sps_aws_lambda_event *e = &l->event;
    const char *kind = sps_aws_lambda_event_kind_name(e->kind);
    sps_log(SPS_LOG_INFO, "event received", "kind", kind, "event_id", e->id, "instance_id",
            e->instance_id, NULL);
    sps_err err = l->o->handle(l->o->ctx, e, &l->response, &l->detail);
    if (err == SPS_OK && l->response.err != SPS_OK) {
        err = l->response.err;
        sps_buf_reset(&l->detail);
        sps_buf_append_str(&l->detail, "the handler's response exceeds Lambda's 6 MB limit");
    }
    if (err != SPS_OK) {
        sps_log(SPS_LOG_ERROR, "invocation failed", "kind", kind, "error", sps_error_name(err),
                "detail", s_or(&l->detail, err), NULL);
        return s_fail(l, sps_error_name(err), s_or(&l->detail, err));
    }
    if (l->response.len == 0)
        sps_buf_append_str(&l->response, "{\"status\":\"ok\"}");
    sps_log(SPS_LOG_INFO, "invocation succeeded", "kind", kind, NULL);
    return s_respond(l);
}

/* One invocation; an error return ends the loop. */
static sps_err s_serve_one(struct s_loop *l)
{
    sps_buf_reset(&l->detail);
    sps_buf_reset(&l->response);
    sps_err err = sps_aws_lambda_runtime_next(&l->rt, &l->inv, &l->detail);
    if (err != SPS_OK) {
        sps_log(SPS_LOG_ERROR, "cannot get the next invocation from the Lambda Runtime API",
                "error", sps_error_name(err), "detail", l->detail.data, NULL);
        return err;
    }
    sps_log_set_context("request_id", l->inv.request_id);
    char deadline[32];
    snprintf(deadline, sizeof(deadline), "%lld", (long long)l->inv.deadline_ms);
    sps_log(SPS_LOG_DEBUG, "invocation", "deadline_ms", deadline, "function_arn",
            l->inv.function_arn, NULL);
    err = sps_aws_lambda_event_parse(&l->event, sps_buf_cursor(&l->inv.event), &l->detail);
    if (err != SPS_OK) {
        sps_log(SPS_LOG_ERROR, "invalid event", "error", sps_error_name(err), "detail",
                s_or(&l->detail, err), NULL);
        err = s_fail(l, "InvalidEvent", s_or(&l->detail, err));
    } else if (l->event.kind == SPS_LAMBDA_EVENT_UNKNOWN) {
        err = s_ignore(l);
    } else {
        err = s_handle(l);
    }
    sps_log_set_context("request_id", NULL);
    return err;
}

/* The handler's initialization, reported to init/error when it fails. */
static sps_err s_init(struct s_loop *l)
{
    if (l->o->init == NULL)
        return SPS_OK;
    sps_err err = l->o->init(l->o->ctx, &l->detail);
    if (err == SPS_OK)
        return SPS_OK;
    sps_log(SPS_LOG_ERROR, "initialization failed", "error", sps_error_name(err), "detail",
            s_or(&l->detail, err), NULL);
    sps_err posted = sps_aws_lambda_runtime_init_error(&l->rt, sps_error_name(err),
                                                       s_or(&l->detail, err), &l->post_detail);
    if (posted != SPS_OK)
        sps_log(SPS_LOG_ERROR, "the Lambda Runtime API did not take the initialization error",
                "error", sps_error_name(posted), "detail", l->post_detail.data, NULL);
    return err;
}

sps_err sps_engine_lambda_serve(const struct sps_engine_lambda_options *o)
{
    if (o == NULL || o->transport == NULL || o->handle == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    struct s_loop l = {.o = o};
    sps_aws_lambda_invocation_init(&l.inv);
    sps_aws_lambda_event_init(&l.event);
    sps_buf_init(&l.response, S_MAX_RESPONSE);
    sps_buf_init(&l.detail, S_MAX_DETAIL);
    sps_buf_init(&l.post_detail, S_MAX_DETAIL);
    const struct sps_env *env = o->env ? o->env : sps_env_process();
    sps_err err = sps_aws_lambda_runtime_init(
        &l.rt, o->transport, sps_env_get(env, SPS_LAMBDA_RUNTIME_API_ENV), &l.detail);
    if (err != SPS_OK) {
        /* No endpoint to report to: the log and the exit status are all Lambda will see. */
        sps_log(SPS_LOG_ERROR, "cannot start the Lambda runtime", "error", sps_error_name(err),
                "detail", l.detail.data, NULL);
        goto cleanup;
    }
    SPS_GUARD(s_init(&l));
    sps_log(SPS_LOG_INFO, "Lambda runtime ready", NULL);
    for (size_t served = 0; o->max_invocations == 0 || served < o->max_invocations; served++)
        SPS_GUARD(s_serve_one(&l));
cleanup:
    sps_log_set_context("request_id", NULL);
    sps_aws_lambda_runtime_clean_up(&l.rt);
    sps_aws_lambda_invocation_clean_up(&l.inv);
    sps_aws_lambda_event_clean_up(&l.event);
    sps_buf_clean_up(&l.response);
    sps_buf_clean_up(&l.detail);
    sps_buf_clean_up(&l.post_detail);
    return err;
}
