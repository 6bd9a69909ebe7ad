/*
 * The libcurl transport, the only file that knows libcurl. One multi handle per transport keeps
 * the connection cache alive across send_many calls (keep-alive to the same endpoint), and idle
 * easy handles are pooled. send_many drives at most max_concurrent transfers at once through
 * curl_multi_perform/curl_multi_poll. Also the process-wide set-up that routes libcurl, libxml2
 * and jansson allocations through sps_alloc (sps_aws_global_init).
 */
#include "sps_aws_client.h"
#include "sps_aws_http.h"

#include <curl/curl.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlmemory.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum {
    S_DEFAULT_CONNECT_MS = 3100,
    S_DEFAULT_TOTAL_MS = 30000,
    S_DEFAULT_MAX_CONCURRENT = 16,
    S_POLL_MS = 1000,
};

struct s_curl {
    struct sps_http_transport base;
    CURLM *multi; /* owns the connection cache, so it lives as long as the transport */
    char *ca_bundle; /* the CAINFO of every transfer; NULL only when none was found */
    struct sps_buf ca_tried; /* with no bundle found: the paths looked at */
    bool ca_reported; /* the missing bundle was logged */
    int64_t connect_ms;
    int64_t total_ms;
    size_t max_concurrent;
    CURL **idle; /* reusable easy handles */
    size_t idle_len;
    size_t idle_cap;
};

struct s_transfer {
    struct sps_http_exchange *x;
    CURL *easy;
    struct curl_slist *headers;
    bool too_large;
    char errbuf[CURL_ERROR_SIZE];
};

/* ---- process-wide set-up ---- */

static void *s_calloc(size_t n, size_t size)
{
    return sps_calloc(n, size);
}

static char *s_strdup(const char *s)
{
    return sps_strdup(s);
}

void sps_aws_global_init(void)
{
    json_set_alloc_funcs(sps_malloc, sps_free);
    xmlMemSetup(sps_free, sps_malloc, sps_realloc, s_strdup);
    xmlInitParser();
    if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, sps_malloc, sps_free, sps_realloc, s_strdup,
                             s_calloc) != CURLE_OK)
        sps_log(SPS_LOG_ERROR, "libcurl global initialization failed", NULL);
}

void sps_aws_global_clean_up(void)
{
    curl_global_cleanup();
    xmlCleanupParser();
}

/* ---- error mapping ---- */

static sps_err s_map_curl_error(CURLcode code, bool too_large)
{
    switch (code) {
    case CURLE_OK:
        return SPS_OK;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return SPS_ERR_HTTP_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return SPS_ERR_HTTP_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_INITFAILED:
        return SPS_ERR_HTTP_TLS;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return SPS_ERR_HTTP_BAD_URL;
    case CURLE_WRITE_ERROR:
        return too_large ? SPS_ERR_HTTP_RESPONSE_TOO_LARGE : SPS_ERR_HTTP_TRANSPORT;
    default:
        return SPS_ERR_HTTP_TRANSPORT;
    }
}

/* ---- callbacks ---- */

static size_t s_on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct s_transfer *t = userdata;
    size_t len = size * nmemb;
    if (sps_buf_append(&t->x->response->body, ptr, len) != SPS_OK) {
        t->too_large = true;
        return 0; /* any short count aborts the transfer with CURLE_WRITE_ERROR */
    }
    return len;
}

static size_t s_on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct s_transfer *t = userdata;
    size_t len = size * nmemb;
    struct sps_cursor line = sps_cursor_trim(sps_cursor_from_mem(ptr, len));
    if (sps_cursor_starts_with(line, SPS_CURSOR_LIT("HTTP/"))) {
        /* A new status line (after a 1xx): only the final response's headers count. */
        sps_http_headers_clean_up(&t->x->response->headers);
        return len;
    }
    long colon = sps_cursor_find_char(line, ':');
    if (colon > 0) {
        struct sps_cursor name = sps_cursor_trim(sps_cursor_sub(line, 0, (size_t)colon));
        struct sps_cursor value =
            sps_cursor_trim(sps_cursor_sub(line, (size_t)colon + 1, line.len));
        sps_http_headers_add(&t->x->response->headers, name, value);
    }
    return len;
}

/* ---- transfers ---- */

static CURL *s_take_easy(struct s_curl *c)
{
    if (c->idle_len > 0)
        return c->idle[--c->idle_len];
    return curl_easy_init();
}

static void s_return_easy(struct s_curl *c, CURL *easy)
{
    curl_easy_reset(easy);
    if (c->idle_len == c->idle_cap) {
        c->idle_cap = c->idle_cap ? c->idle_cap * 2 : 8;
        c->idle = sps_realloc(c->idle, c->idle_cap * sizeof(c->idle[0]));
    }
    c->idle[c->idle_len++] = easy;
}

static sps_err s_build_headers(struct s_transfer *t, const struct sps_http_request *req)
{
    struct sps_buf line;
    sps_buf_init(&line, 64 * 1024);
    sps_err err = SPS_OK;
    for (size_t i = 0; i < req->headers.count && err == SPS_OK; i++) {
        const struct sps_http_header *h = &req->headers.items[i];
        sps_buf_reset(&line);
        /* "Name;" is curl's spelling of a header with an empty value. */
        err = h->value[0] ? sps_buf_printf(&line, "%s: %s", h->name, h->value)
                          : sps_buf_printf(&line, "%s;", h->name);
        if (err == SPS_OK) {
            struct curl_slist *next = curl_slist_append(t->headers, line.data);
            if (next == NULL)
                err = SPS_ERR_LIMIT_EXCEEDED;
            else
                t->headers = next;
        }
    }
    if (err == SPS_OK) {
        /* AWS answers 100-continue fine, but the extra round trip only adds latency. */
        struct curl_slist *next = curl_slist_append(t->headers, "Expect:");
        if (next)
            t->headers = next;
    }
    sps_buf_clean_up(&line);
    return err;
}

#define S_SET(easy, opt, val)                                                                      \
    do {                                                                                           \
        if (curl_easy_setopt((easy), (opt), (val)) != CURLE_OK)                                    \
            return SPS_ERR_HTTP_TRANSPORT;                                                         \
    } while (0)

static sps_err s_set_method(CURL *easy, const struct sps_http_request *req)
{
    const char *m = req->method;
    bool has_body = req->body.len > 0;
    if (strcmp(m, "GET") == 0 && !has_body) {
        S_SET(easy, CURLOPT_HTTPGET, 1L);
        return SPS_OK;
    }
    if (strcmp(m, "HEAD") == 0) {
        S_SET(easy, CURLOPT_NOBODY, 1L);
        return SPS_OK;
    }
    /* POSTFIELDS does not copy: the request outlives the transfer. */
    S_SET(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body.len);
    S_SET(easy, CURLOPT_POSTFIELDS, req->body.data);
    if (strcmp(m, "POST") != 0)
        S_SET(easy, CURLOPT_CUSTOMREQUEST, m);
    return SPS_OK;
}

static sps_err s_configure(struct s_curl *c, struct s_transfer *t)
{
    const struct sps_http_request *req = t->x->request;
    CURL *easy = t->easy;
    int64_t connect_ms = req->connect_timeout_ms > 0 ? req->connect_timeout_ms : c->connect_ms;
    int64_t total_ms = req->total_timeout_ms > 0 ? req->total_timeout_ms : c->total_ms;
    S_SET(easy, CURLOPT_PRIVATE, (void *)t);
    S_SET(easy, CURLOPT_ERRORBUFFER, t->errbuf);
    S_SET(easy, CURLOPT_NOSIGNAL, 1L);
    if (curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK)
        return SPS_ERR_HTTP_TRANSPORT;
    S_SET(easy, CURLOPT_FOLLOWLOCATION, 0L);
    S_SET(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    S_SET(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    S_SET(easy, CURLOPT_CAINFO, c->ca_bundle); /* s_start refused https without one */
    S_SET(easy, CURLOPT_CONNECTTIMEOUT_MS, (long)connect_ms);
    S_SET(easy, CURLOPT_TIMEOUT_MS, (long)total_ms);
    S_SET(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    S_SET(easy, CURLOPT_ACCEPT_ENCODING, "");
    S_SET(easy, CURLOPT_WRITEFUNCTION, s_on_body);
    S_SET(easy, CURLOPT_WRITEDATA, (void *)t);
    S_SET(easy, CURLOPT_HEADERFUNCTION, s_on_header);
    S_SET(easy, CURLOPT_HEADERDATA, (void *)t);
    if (curl_easy_setopt(easy, CURLOPT_URL, req->url.data) != CURLE_OK)
        return SPS_ERR_HTTP_BAD_URL;
    SPS_TRY(s_set_method(easy, req));
    SPS_TRY(s_build_headers(t, req));
    S_SET(easy, CURLOPT_HTTPHEADER, t->headers);
    return SPS_OK;
}

static void s_log_exchange(const struct s_transfer *t)
{
    if (!sps_log_enabled(SPS_LOG_DEBUG))
        return;
    char status[16];
    snprintf(status, sizeof(status), "%d", t->x->response->status);
    sps_log(SPS_LOG_DEBUG, "http exchange", "method", t->x->request->method, "url",
            t->x->request->url.data, "status", status, "result", sps_error_name(t->x->result),
            "detail", t->errbuf, NULL);
}

/* With no CA bundle, an https exchange fails before it starts: the error names the paths tried
 * (once per transport) instead of libcurl's "error setting certificate file" for one of them. */
static bool s_refused_without_ca(struct s_curl *c, struct s_transfer *t)
{
    if (c->ca_bundle || strncasecmp(t->x->request->url.data, "https:", 6) != 0)
        return false;
    t->x->result = SPS_ERR_HTTP_TLS;
    snprintf(t->errbuf, sizeof(t->errbuf), "no CA bundle found (tried %s)", c->ca_tried.data);
    if (!c->ca_reported) {
        c->ca_reported = true;
        sps_log(SPS_LOG_ERROR, "no CA bundle found: set AWS_CA_BUNDLE to a PEM file of trusted CAs",
                "tried", c->ca_tried.data, NULL);
    }
    s_log_exchange(t);
    return true;
}

/* Starts transfer `t`; false when it failed before reaching the network (result is set). */
static bool s_start(struct s_curl *c, struct s_transfer *t)
{
    sps_http_response_reset(t->x->response);
    if (s_refused_without_ca(c, t))
        return false;
    t->easy = s_take_easy(c);
    if (t->easy == NULL) {
        t->x->result = SPS_ERR_HTTP_TRANSPORT;
        return false;
    }
    sps_err err = s_configure(c, t);
    if (err == SPS_OK && curl_multi_add_handle(c->multi, t->easy) != CURLM_OK)
        err = SPS_ERR_HTTP_TRANSPORT;
    if (err != SPS_OK) {
        t->x->result = err;
        s_log_exchange(t);
        return false;
    }
    return true;
}

static void s_release(struct s_curl *c, struct s_transfer *t)
{
    if (t->easy)
        s_return_easy(c, t->easy);
    t->easy = NULL;
    curl_slist_free_all(t->headers);
    t->headers = NULL;
}

static void s_finish(struct s_curl *c, struct s_transfer *t, CURLcode code)
{
    long status = 0;
    (void)curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    t->x->response->status = (int)status;
    t->x->result = s_map_curl_error(code, t->too_large);
    if (t->x->result == SPS_OK && status == 0)
        t->x->result = SPS_ERR_HTTP_TRANSPORT;
    if (t->x->result != SPS_OK && t->errbuf[0] == '\0')
        snprintf(t->errbuf, sizeof(t->errbuf), "%s", curl_easy_strerror(code));
    s_log_exchange(t);
    curl_multi_remove_handle(c->multi, t->easy);
    s_release(c, t);
}

/* Collects finished transfers; returns how many finished. */
static size_t s_collect(struct s_curl *c)
{
    size_t finished = 0;
    int queued = 0;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(c->multi, &queued)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct s_transfer *t = NULL;
        (void)curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        s_finish(c, t, msg->data.result);
        finished++;
    }
    return finished;
}

static void s_send_many(struct sps_http_transport *base, struct sps_http_exchange *x, size_t n)
{
    struct s_curl *c = base->impl;
    struct s_transfer *ts = sps_calloc(n ? n : 1, sizeof(*ts));
    size_t next = 0, active = 0;
    while (next < n || active > 0) {
        while (active < c->max_concurrent && next < n) {
            ts[next].x = &x[next];
            if (s_start(c, &ts[next]))
                active++;
            else
                s_release(c, &ts[next]);
            next++;
        }
        if (active == 0)
            continue;
        int running = 0;
        CURLMcode mc = curl_multi_perform(c->multi, &running);
        size_t finished = s_collect(c);
        active -= finished;
        if (mc != CURLM_OK) {
            sps_log(SPS_LOG_ERROR, "curl_multi_perform failed", "detail", curl_multi_strerror(mc),
                    NULL);
            break;
        }
        if (finished == 0 && active > 0)
            (void)curl_multi_poll(c->multi, NULL, 0, S_POLL_MS, NULL);
    }
    /* Only reached with transfers still active when the multi handle itself failed. */
    for (size_t i = 0; i < n; i++) {
        if (ts[i].easy) {
            ts[i].x->result = SPS_ERR_HTTP_TRANSPORT;
            curl_multi_remove_handle(c->multi, ts[i].easy);
            s_release(c, &ts[i]);
        }
    }
    for (size_t i = next; i < n; i++)
        x[i].result = SPS_ERR_HTTP_TRANSPORT;
    sps_free(ts);
}

/* libcurl's compiled-in CA file (CURLINFO_CAINFO, libcurl >= 7.84), or NULL. */
static char *s_builtin_ca_bundle(void)
{
    char *copy = NULL;
#if LIBCURL_VERSION_NUM >= 0x075400
    CURL *easy = curl_easy_init();
    char *path = NULL;
    if (easy && curl_easy_getinfo(easy, CURLINFO_CAINFO, &path) == CURLE_OK && path)
        copy = sps_strdup(path);
    curl_easy_cleanup(easy);
#endif
    return copy;
}

static char *s_find_ca_bundle(sps_http_file_exists_fn exists, struct sps_buf *tried)
{
    char *builtin = s_builtin_ca_bundle();
    const char *picked = sps_http_ca_bundle_pick(builtin, exists, tried);
    char *copy = picked ? sps_strdup(picked) : NULL;
    sps_free(builtin);
    return copy;
}

static void s_destroy(struct sps_http_transport *base)
{
    struct s_curl *c = base->impl;
    for (size_t i = 0; i < c->idle_len; i++)
        curl_easy_cleanup(c->idle[i]);
    sps_free(c->idle);
    curl_multi_cleanup(c->multi);
    sps_free(c->ca_bundle);
    sps_buf_clean_up(&c->ca_tried);
    sps_free(c);
}

static const struct sps_http_transport_vtable s_vtable = {s_send_many, s_destroy};

sps_err sps_http_curl_new(struct sps_http_transport **out,
                          const struct sps_http_curl_options *options)
{
    struct sps_http_curl_options defaults = {0};
    if (options == NULL)
        options = &defaults;
    if (options->connect_timeout_ms < 0 || options->total_timeout_ms < 0)
        return SPS_ERR_INVALID_ARGUMENT;
    CURLM *multi = curl_multi_init();
    if (multi == NULL)
        return SPS_ERR_HTTP_TRANSPORT;
    struct s_curl *c = sps_calloc(1, sizeof(*c));
    c->base.vtable = &s_vtable;
    c->base.impl = c;
    c->multi = multi;
    sps_buf_init(&c->ca_tried, 0);
    if (options->ca_bundle && options->ca_bundle[0])
        c->ca_bundle = sps_strdup(options->ca_bundle);
    else
        c->ca_bundle = s_find_ca_bundle(options->file_exists, &c->ca_tried);
    c->connect_ms =
        options->connect_timeout_ms ? options->connect_timeout_ms : S_DEFAULT_CONNECT_MS;
    c->total_ms = options->total_timeout_ms ? options->total_timeout_ms : S_DEFAULT_TOTAL_MS;
    c->max_concurrent =
        options->max_concurrent ? options->max_concurrent : S_DEFAULT_MAX_CONCURRENT;
    *out = &c->base;
    return SPS_OK;
}
