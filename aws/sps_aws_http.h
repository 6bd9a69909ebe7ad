/*
 * HTTP as spotswap sees it: requests and responses as plain data, and a transport interface
 * with a single operation, send_many, so independent calls (one per region) can travel
 * concurrently. libcurl lives behind it in http_curl.c; tests inject a scripted fake.
 */
#ifndef SPS_AWS_HTTP_H
#define SPS_AWS_HTTP_H

#include "sps_common.h"

struct sps_http_header {
    char *name; /* as given; compared case-insensitively */
    char *value;
};

struct sps_http_headers {
    struct sps_http_header *items;
    size_t count;
    size_t cap;
};

void sps_http_headers_init(struct sps_http_headers *h);
void sps_http_headers_clean_up(struct sps_http_headers *h);
/* Appends (a repeated name is kept twice, as on the wire). */
void sps_http_headers_add(struct sps_http_headers *h, struct sps_cursor name,
                          struct sps_cursor value);
/* Replaces every header of that name with one. */
void sps_http_headers_set(struct sps_http_headers *h, const char *name, const char *value);
void sps_http_headers_remove(struct sps_http_headers *h, const char *name);
/* The first value of that name, or NULL. */
const char *sps_http_headers_get(const struct sps_http_headers *h, const char *name);

enum { SPS_HTTP_METHOD_MAX = 8 };

struct sps_http_request {
    char method[SPS_HTTP_METHOD_MAX]; /* "GET", "POST", "PUT" */
    struct sps_buf url;               /* absolute: scheme://host[:port]/path[?query] */
    struct sps_http_headers headers;  /* Host is derived from the URL by the transport */
    struct sps_buf body;
    int64_t connect_timeout_ms;       /* 0: the transport's default */
    int64_t total_timeout_ms;         /* 0: the transport's default */
};

struct sps_http_response {
    int status;
    struct sps_http_headers headers;
    struct sps_buf body; /* bounded by body.max: a larger body fails the exchange */
};

void sps_http_request_init(struct sps_http_request *req, const char *method);
void sps_http_request_clean_up(struct sps_http_request *req);
void sps_http_response_init(struct sps_http_response *resp, size_t max_body);
void sps_http_response_clean_up(struct sps_http_response *resp);
void sps_http_response_reset(struct sps_http_response *resp);

/* One request and what became of it. `result` is SPS_OK when any HTTP response arrived, whatever
 * its status; otherwise a transport error (connect, timeout, TLS, too large, ...). */
struct sps_http_exchange {
    const struct sps_http_request *request;
    struct sps_http_response *response;
    sps_err result;
};

struct sps_http_transport;

struct sps_http_transport_vtable {
    /* Performs every exchange (concurrently where the transport can) and returns when all are
     * done. Never fails as a whole: each exchange carries its own result. */
    void (*send_many)(struct sps_http_transport *t, struct sps_http_exchange *x, size_t n);
    void (*destroy)(struct sps_http_transport *t);
};

struct sps_http_transport {
    const struct sps_http_transport_vtable *vtable;
    void *impl;
};

/* One exchange through the transport. */
SPS_NODISCARD sps_err sps_http_send(struct sps_http_transport *t,
                                    const struct sps_http_request *req,
                                    struct sps_http_response *resp);
void sps_http_transport_destroy(struct sps_http_transport *t); /* NULL-safe */

/* The CA bundle when AWS_CA_BUNDLE is unset (http_ca_bundle.c; docs/http-and-retries.md). */
typedef bool (*sps_http_file_exists_fn)(const char *path);
/* Well-known CA bundle paths, in the order tried; NULL-terminated. */
extern const char *const sps_http_ca_bundle_paths[];
/* A readable regular file (symlinks followed). */
bool sps_http_file_exists(const char *path);
/* `builtin` (libcurl's compiled-in default; NULL or "" when it has none) when it exists, else the
 * first existing path of sps_http_ca_bundle_paths; NULL when none exists. Each path looked at
 * and missing is appended to `tried` (may be NULL), separated by ", ". `exists` NULL:
 * sps_http_file_exists. */
const char *sps_http_ca_bundle_pick(const char *builtin, sps_http_file_exists_fn exists,
                                    struct sps_buf *tried);

/* The libcurl transport (http_curl.c). TLS verification is always on; `ca_bundle` (from
 * AWS_CA_BUNDLE) is the trusted CA file; NULL picks one with sps_http_ca_bundle_pick, and when
 * none exists every https exchange fails with SPS_ERR_HTTP_TLS (logged once, naming the paths). */
struct sps_http_curl_options {
    const char *ca_bundle;
    sps_http_file_exists_fn file_exists; /* NULL: sps_http_file_exists (tests inject) */
    int64_t connect_timeout_ms; /* default 3100, as the SDKs */
    int64_t total_timeout_ms;   /* default 30000 */
    size_t max_concurrent;      /* default 16 */
};
SPS_NODISCARD sps_err sps_http_curl_new(struct sps_http_transport **out,
                                        const struct sps_http_curl_options *options);

#endif
