/*
 * The AWS service client: builds Query and JSON 1.1 requests, signs them with cached
 * credentials, sends every due call of a batch through one send_many, parses answers and errors,
 * and retries in the standard mode (sps_aws_retry.h) paced by the client's token bucket.
 */
#include "sps_aws_client.h"
#include "sps_aws_retry.h"
#include "sps_aws_sigv4.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#ifndef SPS_VERSION
#error "SPS_VERSION must be defined by the build"
#endif

#define S_DEFAULT_MAX_RESPONSE ((size_t)32 * 1024 * 1024)
#define S_CREDS_REFRESH_MARGIN_MS ((int64_t)5 * 60 * 1000)
#define S_DEFAULT_MAX_PAGES 10000

struct sps_aws_client {
    enum sps_aws_service service;
    const struct sps_aws_service_info *info;
    char *region;
    char *url; /* the endpoint with a trailing "/": every call posts there */
    struct sps_aws_credentials_provider *provider;
    struct sps_http_transport *transport;
    const struct sps_clock *clock;
    const struct sps_rand *rand;
    int max_attempts;
    int64_t base_ms;
    int64_t max_backoff_ms;
    size_t max_response_bytes;
    struct sps_retry_quota quota;
    struct sps_rate_limiter limiter;
    struct sps_aws_credentials creds; /* cached until 5 minutes before they expire */
    bool have_creds;
    int64_t clock_offset_ms; /* AWS time minus local time, learned from a skew error */
    int64_t server_ms;       /* the last response's Date: the service's clock ... */
    int64_t server_mono_ms;  /* ... and the local monotonic time it arrived */
};

/* ---- the client ---- */

static sps_err s_set_endpoint(struct sps_aws_client *c, const struct sps_aws_client_options *o,
                              const struct sps_env *env)
{
    struct sps_buf url;
    sps_buf_init(&url, 8192);
    sps_err err = SPS_OK;
    if (o->endpoint_url) {
        struct sps_cursor given = sps_cursor_trim(sps_cursor_from_str(o->endpoint_url));
        if (!sps_cursor_starts_with(given, SPS_CURSOR_LIT("https://")) &&
            !sps_cursor_starts_with(given, SPS_CURSOR_LIT("http://"))) {
            sps_log(SPS_LOG_ERROR, "endpoint URL must start with https:// or http://", "url",
                    o->endpoint_url, NULL);
            SPS_GUARD(SPS_ERR_HTTP_BAD_URL);
        }
        SPS_GUARD(sps_buf_append_cursor(&url, given));
    } else {
        SPS_GUARD(sps_aws_endpoint_resolve(&url, env, o->service, o->region));
    }
    while (url.len > 0 && url.data[url.len - 1] == '/')
        url.data[--url.len] = '\0';
    SPS_GUARD(sps_buf_append_char(&url, '/'));
    c->url = sps_buf_take(&url);
cleanup:
    sps_buf_clean_up(&url);
    return err;
}

sps_err sps_aws_client_new(struct sps_aws_client **out, const struct sps_aws_client_options *o)
{
    if (o == NULL || o->credentials == NULL || o->transport == NULL || o->region == NULL ||
        o->region[0] == '\0' || (unsigned)o->service >= SPS_AWS_SERVICE_COUNT_)
        return SPS_ERR_INVALID_ARGUMENT;
    const struct sps_env *env = o->env ? o->env : sps_env_process();
    struct sps_aws_client *c = sps_calloc(1, sizeof(*c));
    c->service = o->service;
    c->info = sps_aws_service_info(o->service);
    c->region = sps_strdup(o->region);
    c->provider = o->credentials;
    c->transport = o->transport;
    c->clock = o->clock ? o->clock : sps_clock_system();
    c->rand = o->rand ? o->rand : sps_rand_system();
    c->max_attempts = sps_retry_max_attempts(&o->retry, env);
    c->base_ms = o->retry.base_delay_ms;
    c->max_backoff_ms = o->retry.max_backoff_ms;
    c->max_response_bytes = o->max_response_bytes ? o->max_response_bytes : S_DEFAULT_MAX_RESPONSE;
    sps_retry_quota_init(&c->quota, SPS_RETRY_QUOTA_INITIAL);
    sps_rate_limiter_init(&c->limiter, &o->rate, c->clock->mono_ms(c->clock->ctx));
    sps_err err = s_set_endpoint(c, o, env);
    if (err != SPS_OK) {
        sps_aws_client_destroy(c);
        return err;
    }
    *out = c;
    return SPS_OK;
}

void sps_aws_client_destroy(struct sps_aws_client *c)
{
    if (c == NULL)
        return;
    sps_aws_credentials_clean_up(&c->creds);
    sps_free(c->region);
    sps_free(c->url);
    sps_free(c);
}

const char *sps_aws_client_region(const struct sps_aws_client *c)
{
    return c->region;
}

enum sps_aws_service sps_aws_client_service(const struct sps_aws_client *c)
{
    return c->service;
}

static int64_t s_mono(const struct sps_aws_client *c)
{
    return c->clock->mono_ms(c->clock->ctx);
}

static int64_t s_wall(const struct sps_aws_client *c)
{
    return c->clock->wall_ms(c->clock->ctx);
}

static sps_err s_credentials(struct sps_aws_client *c, struct sps_aws_error *aws_err)
{
    int64_t exp = c->creds.expiration_ms;
    if (c->have_creds && (exp == 0 || exp - S_CREDS_REFRESH_MARGIN_MS > s_wall(c)))
        return SPS_OK;
    sps_aws_credentials_clean_up(&c->creds);
    c->have_creds = false;
    SPS_TRY(sps_aws_credentials_provider_get(c->provider, &c->creds, aws_err));
    c->have_creds = true;
    return SPS_OK;
}

/* ---- calls ---- */

static void s_call_init(struct sps_aws_call *call, struct sps_aws_client *client)
{
    memset(call, 0, sizeof(*call));
    call->client = client;
    call->result = SPS_ERR_UNSUPPORTED; /* not run yet */
    sps_aws_error_clear(&call->error);
    sps_buf_init(&call->body, client ? client->max_response_bytes : 0);
}

void sps_aws_call_init_query(struct sps_aws_call *call, struct sps_aws_client *client,
                             const struct sps_query *query)
{
    s_call_init(call, client);
    call->query = query;
}

void sps_aws_call_init_json(struct sps_aws_call *call, struct sps_aws_client *client,
                            const char *operation, struct sps_cursor body)
{
    s_call_init(call, client);
    call->json_operation = operation;
    call->json_body = body;
}

void sps_aws_call_clean_up(struct sps_aws_call *call)
{
    if (call == NULL)
        return;
    sps_xml_doc_destroy(call->doc);
    call->doc = NULL;
    sps_buf_clean_up(&call->body);
}

static const char *s_action(const struct sps_aws_call *call)
{
    if (call->query)
        return sps_query_action(call->query) ? sps_query_action(call->query) : "";
    return call->json_operation ? call->json_operation : "";
}

const struct sps_xml_node *sps_aws_call_result_node(const struct sps_aws_call *call)
{
    if (call->result != SPS_OK || call->doc == NULL)
        return NULL;
    const struct sps_xml_node *root = sps_xml_root(call->doc);
    char name[160];
    snprintf(name, sizeof(name), "%sResult", s_action(call));
    const struct sps_xml_node *result = sps_xml_child(root, name);
    return result ? result : root;
}

/* What run_many tracks per call between attempts. */
struct s_slot {
    struct sps_aws_call *call;
    struct sps_http_request req;
    struct sps_http_response resp;
    sps_err sent_result;
    int64_t due_ms; /* on the call's client's monotonic clock */
    bool done;
    bool paced; /* holds a rate-limiter token for its next attempt */
    bool sent;
    bool skew_retried;
    bool creds_refreshed;
    int quota_spent; /* the last retry's cost, refunded on success */
};

static sps_err s_build(struct sps_aws_call *call, struct sps_http_request *req)
{
    struct sps_aws_client *c = call->client;
    SPS_TRY(sps_buf_append_str(&req->url, c->url));
    if (call->query) {
        if (c->info->api_version == NULL) /* a JSON-only service */
            return SPS_ERR_UNSUPPORTED;
        SPS_TRY(sps_query_encode(call->query, &req->body));
        sps_http_headers_set(&req->headers, "Content-Type",
                             "application/x-www-form-urlencoded; charset=utf-8");
    } else {
        if (call->json_operation == NULL || c->info->json_target_prefix == NULL)
            return SPS_ERR_UNSUPPORTED;
        SPS_TRY(sps_buf_append_cursor(&req->body, call->json_body));
        struct sps_buf target;
        sps_buf_init(&target, 512);
        sps_err err =
            sps_buf_printf(&target, "%s.%s", c->info->json_target_prefix, call->json_operation);
        if (err == SPS_OK) {
            sps_http_headers_set(&req->headers, "Content-Type", "application/x-amz-json-1.1");
            sps_http_headers_set(&req->headers, "X-Amz-Target", target.data);
        }
        sps_buf_clean_up(&target);
        SPS_TRY(err);
    }
    sps_http_headers_set(&req->headers, "User-Agent", "spotswap/" SPS_VERSION);
    return SPS_OK;
}

/* Builds and signs the next attempt's request. */
static sps_err s_prepare(struct s_slot *s)
{
    struct sps_aws_call *call = s->call;
    struct sps_aws_client *c = call->client;
    sps_http_request_clean_up(&s->req);
    sps_http_request_init(&s->req, "POST");
    SPS_TRY(s_build(call, &s->req));
    SPS_TRY(s_credentials(c, &call->error));
    struct sps_sigv4_params params = {
        .credentials = &c->creds,
        .region = sps_cursor_from_str(c->region),
        .service = sps_cursor_from_str(c->info->signing_name),
        .now_ms = s_wall(c) + c->clock_offset_ms,
    };
    return sps_aws_sigv4_sign(&s->req, &params);
}

static void s_fill_request_id(struct sps_aws_error *e, const struct sps_http_headers *h)
{
    if (e->request_id[0])
        return;
    const char *id = sps_http_headers_get(h, "x-amzn-RequestId");
    if (id == NULL)
        id = sps_http_headers_get(h, "x-amz-request-id");
    if (id)
        snprintf(e->request_id, sizeof(e->request_id), "%s", id);
}

static sps_err s_parse_success(struct sps_aws_call *call, const struct sps_http_response *resp)
{
    if (resp->body.len == 0)
        return SPS_ERR_UNEXPECTED_RESPONSE;
    if (call->query)
        return sps_xml_parse(&call->doc, resp->body.data, resp->body.len);
    json_error_t jerr;
    json_t *json = json_loadb(resp->body.data, resp->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (json == NULL)
        return SPS_ERR_JSON_MALFORMED;
    json_decref(json);
    return SPS_OK;
}

static sps_err s_parse_failure(struct sps_aws_call *call, const struct sps_http_response *resp)
{
    struct sps_aws_error *e = &call->error;
    sps_err perr;
    if (call->query)
        perr = sps_aws_error_parse_xml(e, resp->status, resp->body.data, resp->body.len);
    else
        perr = sps_aws_error_parse_json(e, resp->status,
                                        sps_http_headers_get(&resp->headers, "x-amzn-ErrorType"),
                                        resp->body.data, resp->body.len);
    if (perr != SPS_OK) {
        /* An error page without a parseable document (a proxy, a load balancer): the status
         * alone decides. */
        sps_aws_error_clear(e);
        e->http_status = resp->status;
        snprintf(e->message, sizeof(e->message), "HTTP %d without an AWS error document",
                 resp->status);
    }
    return sps_aws_error_classify(e);
}

/* The outcome of the attempt just sent, before any retry decision. */
/* Every response's Date is the service's clock: kept so callers can measure ages in AWS time. */
static void s_note_server_time(struct sps_aws_client *c, const struct sps_http_response *resp)
{
    int64_t server_ms = 0;
    if (sps_http_date_parse(sps_http_headers_get(&resp->headers, "Date"), &server_ms) != SPS_OK)
        return;
    c->server_ms = server_ms;
    c->server_mono_ms = c->clock->mono_ms(c->clock->ctx);
}

bool sps_aws_client_server_time(const struct sps_aws_client *c, int64_t *now_ms)
{
    if (c == NULL || c->server_ms == 0)
        return false;
    *now_ms = c->server_ms + (c->clock->mono_ms(c->clock->ctx) - c->server_mono_ms);
    return true;
}

static sps_err s_outcome(struct s_slot *s)
{
    struct sps_aws_call *call = s->call;
    sps_aws_error_clear(&call->error);
    sps_xml_doc_destroy(call->doc);
    call->doc = NULL;
    (void)sps_buf_set(&call->body, sps_buf_cursor(&s->resp.body));
    if (s->sent_result != SPS_OK)
        return s->sent_result;
    s_note_server_time(call->client, &s->resp);
    sps_err err;
    if (s->resp.status >= 200 && s->resp.status <= 299) {
        err = s_parse_success(call, &s->resp);
        if (err != SPS_OK)
            call->error.http_status = s->resp.status;
    } else {
        err = s_parse_failure(call, &s->resp);
    }
    s_fill_request_id(&call->error, &s->resp.headers);
    return err;
}

static void s_log_attempt(const struct s_slot *s, sps_err err, int64_t delay_ms)
{
    if (!sps_log_enabled(SPS_LOG_DEBUG))
        return;
    char status[16], attempt[16], delay[24];
    snprintf(status, sizeof(status), "%d", s->resp.status);
    snprintf(attempt, sizeof(attempt), "%d", s->call->attempts);
    snprintf(delay, sizeof(delay), "%lld", (long long)delay_ms);
    sps_log(SPS_LOG_DEBUG, "aws attempt", "service", s->call->client->info->signing_name, "action",
            s_action(s->call), "status", status, "attempt", attempt, "result", sps_error_name(err),
            "code", s->call->error.code, "retry_delay_ms", delay_ms >= 0 ? delay : "", NULL);
}

static void s_log_failure(const struct sps_aws_call *call)
{
    const struct sps_aws_client *c = call->client;
    char attempts[16];
    snprintf(attempts, sizeof(attempts), "%d", call->attempts);
    sps_log(SPS_LOG_WARN, "aws call failed", "service", c ? c->info->signing_name : "", "region",
            c ? c->region : "", "action", s_action(call), "error", sps_error_name(call->result),
            "code", call->error.code, "message",
            call->error.message[0] ? call->error.message : sps_error_message(call->result),
            "request_id", call->error.request_id, "attempts", attempts, NULL);
}

static void s_finish(struct s_slot *s, sps_err err)
{
    s->done = true;
    s->call->result = err;
    if (err != SPS_OK)
        s_log_failure(s->call);
    /* The raw answer was copied into the call: release it now rather than after the batch. */
    size_t max = s->resp.body.max;
    sps_http_response_clean_up(&s->resp);
    sps_http_response_init(&s->resp, max);
    if (s->call->on_done != NULL)
        s->call->on_done(s->call, s->call->on_done_ctx);
}

/* EC2 answers RequestExpired both to a skewed clock and to expired temporary credentials. When
 * the response's Date shows that we already sign within this much of AWS time (AWS accepts
 * 15 minutes), the clock cannot be the cause: the credentials are. */
#define S_SKEW_IMPOSSIBLE_MS (5 * 60 * 1000)

static bool s_server_ms(const struct sps_http_response *resp, int64_t *server_ms)
{
    return sps_http_date_parse(sps_http_headers_get(&resp->headers, "Date"), server_ms) == SPS_OK;
}

static bool s_expired_not_skewed(const struct sps_aws_client *c, const struct sps_aws_call *call,
                                 const struct sps_http_response *resp)
{
    int64_t server_ms = 0;
    if (strcmp(call->error.code, "RequestExpired") != 0 || !s_server_ms(resp, &server_ms))
        return false;
    int64_t off = server_ms - (s_wall(c) + c->clock_offset_ms);
    return off < S_SKEW_IMPOSSIBLE_MS && off > -S_SKEW_IMPOSSIBLE_MS;
}

static bool s_learn_clock_offset(struct sps_aws_client *c, const struct sps_http_response *resp)
{
    int64_t server_ms = 0;
    if (!s_server_ms(resp, &server_ms))
        return false;
    c->clock_offset_ms = server_ms - s_wall(c);
    char offset[24];
    snprintf(offset, sizeof(offset), "%lld", (long long)c->clock_offset_ms);
    sps_log(SPS_LOG_WARN, "local clock differs from AWS time; signing with an offset", "region",
            c->region, "offset_ms", offset, NULL);
    return true;
}

/* Decides what follows the attempt just sent: done, or a retry due at some time. */
static void s_decide(struct s_slot *s)
{
    struct sps_aws_call *call = s->call;
    struct sps_aws_client *c = call->client;
    sps_err err = s_outcome(s);
    enum sps_retry_kind kind = sps_retry_classify(err, &call->error);
    if (err == SPS_OK) {
        sps_retry_quota_release(&c->quota,
                                s->quota_spent ? s->quota_spent : SPS_RETRY_SUCCESS_REFUND);
        sps_rate_limiter_on_success(&c->limiter);
        s_log_attempt(s, err, -1);
        s_finish(s, SPS_OK);
        return;
    }
    if (kind == SPS_RETRY_THROTTLE)
        sps_rate_limiter_on_throttle(&c->limiter);
    if (kind == SPS_RETRY_CLOCK_SKEW && s_expired_not_skewed(c, call, &s->resp)) {
        kind = SPS_RETRY_REFRESH_CREDS;
        err = SPS_ERR_AWS_EXPIRED_CREDENTIALS;
    }
    bool retry = kind != SPS_RETRY_NONE && call->attempts < c->max_attempts;
    int64_t delay = 0;
    if (retry && kind == SPS_RETRY_CLOCK_SKEW) {
        retry = !s->skew_retried && s_learn_clock_offset(c, &s->resp);
        s->skew_retried = true;
    } else if (retry && kind == SPS_RETRY_REFRESH_CREDS) {
        retry = !s->creds_refreshed;
        s->creds_refreshed = true;
        c->have_creds = false; /* the next attempt fetches anew */
    } else if (retry) {
        int cost = sps_retry_quota_cost(kind);
        if (!sps_retry_quota_acquire(&c->quota, cost)) {
            s_log_attempt(s, err, -1);
            s_finish(s, SPS_ERR_AWS_RETRY_QUOTA);
            return;
        }
        s->quota_spent = cost;
        delay = sps_retry_backoff_ms(call->attempts, c->base_ms, c->max_backoff_ms, c->rand);
    }
    s_log_attempt(s, err, retry ? delay : -1);
    if (!retry) {
        s_finish(s, err);
        return;
    }
    s->due_ms = s_mono(c) + delay;
}

/* Whether the slot goes out in this round; takes its rate-limiter token first. */
static bool s_due_now(struct s_slot *s)
{
    if (s->done)
        return false;
    struct sps_aws_client *c = s->call->client;
    int64_t now = s_mono(c);
    if (s->due_ms > now)
        return false;
    if (!s->paced) {
        s->paced = true;
        int64_t wait = sps_rate_limiter_acquire(&c->limiter, now);
        if (wait > 0) {
            s->due_ms = now + wait;
            return false;
        }
    }
    return true;
}

/* Sends every prepared slot sharing `t` in one batch. */
static void s_send_group(struct s_slot *slots, size_t n, struct sps_http_transport *t,
                         struct sps_http_exchange *x)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (slots[i].sent && slots[i].call->client->transport == t) {
            x[k] = (struct sps_http_exchange){&slots[i].req, &slots[i].resp, SPS_OK};
            k++;
        }
    }
    t->vtable->send_many(t, x, k);
    k = 0;
    for (size_t i = 0; i < n; i++) {
        if (slots[i].sent && slots[i].call->client->transport == t) {
            slots[i].sent_result = x[k++].result;
            slots[i].sent = false;
            s_decide(&slots[i]);
        }
    }
}

/* One round: prepares every due call and sends them, one send_many per transport. Returns
 * whether anything was sent. */
static bool s_round(struct s_slot *slots, size_t n, struct sps_http_exchange *x)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        struct s_slot *s = &slots[i];
        if (!s_due_now(s))
            continue;
        s->paced = false;
        s->call->attempts++;
        sps_err err = s_prepare(s);
        if (err != SPS_OK) {
            s_finish(s, err);
            continue;
        }
        s->sent = true;
        any = true;
    }
    for (size_t i = 0; i < n; i++) {
        if (slots[i].sent)
            s_send_group(slots, n, slots[i].call->client->transport, x);
    }
    return any;
}

/* Sleeps until the earliest pending call is due; false when none is pending. */
static bool s_wait(struct s_slot *slots, size_t n)
{
    const struct sps_clock *clock = NULL;
    int64_t wait = INT64_MAX;
    for (size_t i = 0; i < n; i++) {
        if (slots[i].done)
            continue;
        const struct sps_aws_client *c = slots[i].call->client;
        int64_t left = slots[i].due_ms - s_mono(c);
        if (left < wait) {
            wait = left;
            clock = c->clock;
        }
    }
    if (clock == NULL)
        return false;
    if (wait > 0)
        clock->sleep_ms(clock->ctx, wait);
    return true;
}

void sps_aws_call_run_many(struct sps_aws_call *calls, size_t n)
{
    struct s_slot *slots = sps_calloc(n ? n : 1, sizeof(*slots));
    struct sps_http_exchange *x = sps_calloc(n ? n : 1, sizeof(*x));
    for (size_t i = 0; i < n; i++) {
        struct s_slot *s = &slots[i];
        s->call = &calls[i];
        sps_http_request_init(&s->req, "POST");
        sps_xml_doc_destroy(calls[i].doc);
        calls[i].doc = NULL;
        calls[i].attempts = 0;
        sps_aws_error_clear(&calls[i].error);
        if (calls[i].client == NULL ||
            (calls[i].query == NULL && calls[i].json_operation == NULL)) {
            calls[i].result = SPS_ERR_INVALID_ARGUMENT;
            s->done = true;
            if (calls[i].on_done != NULL)
                calls[i].on_done(&calls[i], calls[i].on_done_ctx);
            continue;
        }
        sps_http_response_init(&s->resp, calls[i].client->max_response_bytes);
        s->due_ms = s_mono(calls[i].client);
    }
    do {
        s_round(slots, n, x);
    } while (s_wait(slots, n));
    for (size_t i = 0; i < n; i++) {
        sps_http_request_clean_up(&slots[i].req);
        sps_http_response_clean_up(&slots[i].resp);
    }
    sps_free(x);
    sps_free(slots);
}

sps_err sps_aws_call_run(struct sps_aws_call *call)
{
    sps_aws_call_run_many(call, 1);
    return call->result;
}

/* ---- pagination ---- */

static const char *s_next_token(const struct sps_xml_node *result)
{
    const char *token = sps_xml_path_text(result, "nextToken");
    return token ? token : sps_xml_path_text(result, "NextToken");
}

sps_err sps_aws_query_paginate(struct sps_aws_client *client, const struct sps_query *query,
                               size_t max_pages, sps_aws_page_fn on_page, void *ctx,
                               struct sps_aws_error *aws_err)
{
    if (max_pages == 0)
        max_pages = S_DEFAULT_MAX_PAGES;
    struct sps_aws_error scratch;
    if (aws_err == NULL)
        aws_err = &scratch;
    sps_aws_error_clear(aws_err);
    struct sps_query q;
    sps_query_copy(&q, query);
    char *previous = NULL;
    sps_err err = SPS_OK;
    for (size_t pages = 1;; pages++) {
        struct sps_aws_call call;
        sps_aws_call_init_query(&call, client, &q);
        err = sps_aws_call_run(&call);
        if (err == SPS_OK)
            err = on_page(ctx, sps_aws_call_result_node(&call));
        else
            *aws_err = call.error;
        const char *token = err == SPS_OK ? s_next_token(sps_aws_call_result_node(&call)) : NULL;
        bool more = token && token[0] && !(previous && strcmp(previous, token) == 0);
        if (token && token[0] && !more)
            sps_log(SPS_LOG_WARN, "pagination token repeated; stopping", "action",
                    sps_query_action(query), NULL);
        if (more && pages == max_pages) {
            sps_log(SPS_LOG_WARN, "pagination exceeded the page limit", "action",
                    sps_query_action(query), NULL);
            err = SPS_ERR_LIMIT_EXCEEDED;
            more = false;
        }
        if (more) {
            sps_free(previous);
            previous = sps_strdup(token);
            sps_query_set(&q, "NextToken", previous);
        }
        sps_aws_call_clean_up(&call);
        if (!more)
            break;
    }
    sps_free(previous);
    sps_query_clean_up(&q);
    return err;
}
