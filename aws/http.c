/* HTTP requests, responses and header lists as plain data, and the transport entry points. */
#include "sps_aws_http.h"

#include <string.h>

void sps_http_headers_init(struct sps_http_headers *h)
{
    h->items = NULL;
    h->count = 0;
    h->cap = 0;
}

void sps_http_headers_clean_up(struct sps_http_headers *h)
{
    if (h == NULL)
        return;
    for (size_t i = 0; i < h->count; i++) {
        sps_free(h->items[i].name);
        sps_free(h->items[i].value);
    }
    sps_free(h->items);
    sps_http_headers_init(h);
}

void sps_http_headers_add(struct sps_http_headers *h, struct sps_cursor name,
                          struct sps_cursor value)
{
    if (h->count == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 8;
        h->items = sps_realloc(h->items, h->cap * sizeof(h->items[0]));
    }
    h->items[h->count].name = sps_cursor_dup(name);
    h->items[h->count].value = sps_cursor_dup(value);
    h->count++;
}

void sps_http_headers_remove(struct sps_http_headers *h, const char *name)
{
    struct sps_cursor wanted = sps_cursor_from_str(name);
    size_t kept = 0;
    for (size_t i = 0; i < h->count; i++) {
        if (sps_cursor_eq_ignore_case(sps_cursor_from_str(h->items[i].name), wanted)) {
            sps_free(h->items[i].name);
            sps_free(h->items[i].value);
        } else {
            h->items[kept++] = h->items[i];
        }
    }
    h->count = kept;
}

void sps_http_headers_set(struct sps_http_headers *h, const char *name, const char *value)
{
    sps_http_headers_remove(h, name);
    sps_http_headers_add(h, sps_cursor_from_str(name), sps_cursor_from_str(value));
}

const char *sps_http_headers_get(const struct sps_http_headers *h, const char *name)
{
    struct sps_cursor wanted = sps_cursor_from_str(name);
    for (size_t i = 0; i < h->count; i++) {
        if (sps_cursor_eq_ignore_case(sps_cursor_from_str(h->items[i].name), wanted))
            return h->items[i].value;
    }
    return NULL;
}

void sps_http_request_init(struct sps_http_request *req, const char *method)
{
    memset(req, 0, sizeof(*req));
    size_t n = strlen(method);
    memcpy(req->method, method, n < SPS_HTTP_METHOD_MAX ? n : SPS_HTTP_METHOD_MAX - 1);
    sps_buf_init(&req->url, 8192);
    sps_http_headers_init(&req->headers);
    sps_buf_init(&req->body, 0);
}

void sps_http_request_clean_up(struct sps_http_request *req)
{
    if (req == NULL)
        return;
    sps_buf_clean_up(&req->url);
    sps_http_headers_clean_up(&req->headers);
    sps_buf_clean_up(&req->body);
}

void sps_http_response_init(struct sps_http_response *resp, size_t max_body)
{
    resp->status = 0;
    sps_http_headers_init(&resp->headers);
    sps_buf_init(&resp->body, max_body);
}

void sps_http_response_clean_up(struct sps_http_response *resp)
{
    if (resp == NULL)
        return;
    sps_http_headers_clean_up(&resp->headers);
    sps_buf_clean_up(&resp->body);
    resp->status = 0;
}

void sps_http_response_reset(struct sps_http_response *resp)
{
    resp->status = 0;
    sps_http_headers_clean_up(&resp->headers);
    sps_buf_reset(&resp->body);
}

sps_err sps_http_send(struct sps_http_transport *t, const struct sps_http_request *req,
                      struct sps_http_response *resp)
{
    struct sps_http_exchange x = {.request = req, .response = resp, .result = SPS_OK};
    t->vtable->send_many(t, &x, 1);
    return x.result;
}

void sps_http_transport_destroy(struct sps_http_transport *t)
{
    if (t)
        t->vtable->destroy(t);
}
