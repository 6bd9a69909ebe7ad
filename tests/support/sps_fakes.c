/* The fakes behind sps_fakes.h. */
#include "sps_fakes.h"

#include <string.h>

static int64_t s_fake_wall(void *ctx)
{
    return ((struct sps_fake_clock *)ctx)->wall_ms;
}

static int64_t s_fake_mono(void *ctx)
{
    return ((struct sps_fake_clock *)ctx)->mono_ms;
}

static void s_fake_sleep(void *ctx, int64_t ms)
{
    struct sps_fake_clock *c = ctx;
    if (ms < 0)
        ms = 0;
    c->wall_ms += ms;
    c->mono_ms += ms;
    c->slept_ms += ms;
    c->sleeps++;
}

void sps_fake_clock_init(struct sps_fake_clock *c, int64_t wall_ms)
{
    memset(c, 0, sizeof(*c));
    c->clock = (struct sps_clock){s_fake_wall, s_fake_mono, s_fake_sleep, c};
    c->wall_ms = wall_ms;
    c->mono_ms = 1000000;
}

static const char *s_fake_getenv(void *ctx, const char *name)
{
    struct sps_fake_env *e = ctx;
    for (size_t i = e->count; i-- > 0;) {
        if (strcmp(e->names[i], name) == 0)
            return e->values[i];
    }
    return NULL;
}

void sps_fake_env_init(struct sps_fake_env *e)
{
    memset(e, 0, sizeof(*e));
    e->env = (struct sps_env){s_fake_getenv, e};
}

void sps_fake_env_set(struct sps_fake_env *e, const char *name, const char *value)
{
    if (e->count < SPS_FAKE_ENV_MAX) {
        e->names[e->count] = name;
        e->values[e->count] = value;
        e->count++;
    }
}

static uint64_t s_fake_next(void *ctx)
{
    return ((struct sps_fake_rand *)ctx)->value;
}

void sps_fake_rand_init(struct sps_fake_rand *r, uint64_t value)
{
    r->rand = (struct sps_rand){s_fake_next, r};
    r->value = value;
}

struct s_scripted {
    int status;
    char *headers;
    char *body;
    sps_err err;
};

struct sps_fake_transport {
    struct sps_http_transport transport;
    struct s_scripted *queue;
    size_t queue_len, queue_head, queue_cap;
    struct sps_http_request *sent;
    size_t sent_len, sent_cap;
    sps_fake_handler handler;
    void *handler_ctx;
    size_t batches;
};

static void s_record(struct sps_fake_transport *f, const struct sps_http_request *req)
{
    if (f->sent_len == f->sent_cap) {
        f->sent_cap = f->sent_cap ? f->sent_cap * 2 : 8;
        f->sent = sps_realloc(f->sent, f->sent_cap * sizeof(f->sent[0]));
    }
    struct sps_http_request *copy = &f->sent[f->sent_len++];
    sps_http_request_init(copy, req->method);
    (void)sps_buf_append_cursor(&copy->url, sps_buf_cursor(&req->url));
    (void)sps_buf_append_cursor(&copy->body, sps_buf_cursor(&req->body));
    for (size_t i = 0; i < req->headers.count; i++)
        sps_http_headers_add(&copy->headers, sps_cursor_from_str(req->headers.items[i].name),
                             sps_cursor_from_str(req->headers.items[i].value));
    copy->connect_timeout_ms = req->connect_timeout_ms;
    copy->total_timeout_ms = req->total_timeout_ms;
}

static void s_parse_headers(struct sps_http_headers *out, const char *text)
{
    struct sps_cursor rest = sps_cursor_from_str(text), line;
    while (rest.len) {
        sps_cursor_split(&rest, '\n', &line);
        long colon = sps_cursor_find_char(line, ':');
        if (colon > 0)
            sps_http_headers_add(out, sps_cursor_trim(sps_cursor_sub(line, 0, (size_t)colon)),
                                 sps_cursor_trim(sps_cursor_sub(line, (size_t)colon + 1,
                                                                line.len)));
    }
}

static sps_err s_answer(struct sps_fake_transport *f, const struct sps_http_request *req,
                        struct sps_http_response *resp)
{
    if (f->queue_head < f->queue_len) {
        struct s_scripted *s = &f->queue[f->queue_head++];
        if (s->err != SPS_OK)
            return s->err;
        resp->status = s->status;
        if (s->headers)
            s_parse_headers(&resp->headers, s->headers);
        sps_err err = sps_buf_append_str(&resp->body, s->body);
        return err == SPS_OK ? SPS_OK : SPS_ERR_HTTP_RESPONSE_TOO_LARGE;
    }
    if (f->handler)
        return f->handler(f->handler_ctx, req, resp);
    return SPS_ERR_HTTP_CONNECT;
}

static void s_send_many(struct sps_http_transport *t, struct sps_http_exchange *x, size_t n)
{
    struct sps_fake_transport *f = t->impl;
    if (n > 1)
        f->batches++;
    for (size_t i = 0; i < n; i++) {
        s_record(f, x[i].request);
        sps_http_response_reset(x[i].response);
        x[i].result = s_answer(f, x[i].request, x[i].response);
    }
}

static void s_destroy(struct sps_http_transport *t)
{
    struct sps_fake_transport *f = t->impl;
    for (size_t i = 0; i < f->queue_len; i++) {
        sps_free(f->queue[i].headers);
        sps_free(f->queue[i].body);
    }
    sps_free(f->queue);
    for (size_t i = 0; i < f->sent_len; i++)
        sps_http_request_clean_up(&f->sent[i]);
    sps_free(f->sent);
    sps_free(f);
}

static const struct sps_http_transport_vtable s_vtable = {s_send_many, s_destroy};

void sps_fake_transport_new(struct sps_http_transport **out_transport,
                            struct sps_fake_transport **fake)
{
    struct sps_fake_transport *f = sps_calloc(1, sizeof(*f));
    f->transport.vtable = &s_vtable;
    f->transport.impl = f;
    *out_transport = &f->transport;
    *fake = f;
}

static struct s_scripted *s_push(struct sps_fake_transport *f)
{
    if (f->queue_len == f->queue_cap) {
        f->queue_cap = f->queue_cap ? f->queue_cap * 2 : 8;
        f->queue = sps_realloc(f->queue, f->queue_cap * sizeof(f->queue[0]));
    }
    struct s_scripted *s = &f->queue[f->queue_len++];
    memset(s, 0, sizeof(*s));
    return s;
}

void sps_fake_transport_push(struct sps_fake_transport *f, int status, const char *headers,
                             const char *body)
{
    struct s_scripted *s = s_push(f);
    s->status = status;
    s->headers = sps_strdup(headers);
    s->body = sps_strdup(body ? body : "");
}

void sps_fake_transport_push_error(struct sps_fake_transport *f, sps_err err)
{
    s_push(f)->err = err;
}

void sps_fake_transport_set_handler(struct sps_fake_transport *f, sps_fake_handler fn, void *ctx)
{
    f->handler = fn;
    f->handler_ctx = ctx;
}

size_t sps_fake_transport_request_count(const struct sps_fake_transport *f)
{
    return f->sent_len;
}

const struct sps_http_request *sps_fake_transport_request(const struct sps_fake_transport *f,
                                                          size_t i)
{
    return i < f->sent_len ? &f->sent[i] : NULL;
}

size_t sps_fake_transport_pending(const struct sps_fake_transport *f)
{
    return f->queue_len - f->queue_head;
}

size_t sps_fake_transport_batches(const struct sps_fake_transport *f)
{
    return f->batches;
}
