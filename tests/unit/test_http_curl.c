/* The libcurl transport against a real local server (tests/support/httpd.py): methods, headers,
 * bodies, keep-alive reuse, concurrency and its limit, timeouts, size bounds, error mapping and
 * TLS verification with and without a CA bundle. */
#include "http_server.h"
#include "sps_aws.h"
#include "sps_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sps_http_test_server s_server;
static bool s_started;

static void s_stop_server(void)
{
    sps_http_test_server_stop(&s_server);
}

static void s_need_server(void)
{
    if (!s_started) {
        if (!sps_http_test_server_start(&s_server))
            sps_test_fail(__FILE__, __LINE__, "cannot start tests/support/httpd.py");
        s_started = true;
        atexit(s_stop_server);
    }
}

static struct sps_http_transport *s_transport(const char *ca_bundle, size_t max_concurrent)
{
    s_need_server();
    struct sps_http_curl_options o = {.ca_bundle = ca_bundle, .max_concurrent = max_concurrent};
    struct sps_http_transport *t = NULL;
    SPS_CHECK_OK(sps_http_curl_new(&t, &o));
    return t;
}

static void s_request(struct sps_http_request *req, const char *method, bool tls, const char *path)
{
    sps_http_request_init(req, method);
    SPS_CHECK_OK(sps_buf_printf(&req->url, "%s://127.0.0.1:%d%s", tls ? "https" : "http",
                                tls ? s_server.https_port : s_server.http_port, path));
}

static int64_t s_now(void)
{
    return sps_clock_system()->mono_ms(NULL);
}

static void test_post_echo_headers_and_body(void)
{
    struct sps_http_transport *t = s_transport(NULL, 0);
    struct sps_http_request req;
    s_request(&req, "POST", false, "/echo");
    sps_http_headers_set(&req.headers, "Content-Type", "application/x-www-form-urlencoded");
    sps_http_headers_set(&req.headers, "X-Custom", "v1");
    sps_http_headers_set(&req.headers, "X-Empty", "");
    SPS_CHECK_OK(sps_buf_append_str(&req.body, "Action=DescribeRegions&Version=2016-11-15"));
    struct sps_http_response resp;
    sps_http_response_init(&resp, 64 * 1024);
    SPS_CHECK_OK(sps_http_send(t, &req, &resp));
    SPS_CHECK_INT_EQ(resp.status, 200);
    SPS_CHECK(strstr(resp.body.data, "POST /echo\n") == resp.body.data);
    SPS_CHECK(strstr(resp.body.data, "X-Custom: v1\n") != NULL);
    SPS_CHECK(strstr(resp.body.data, "X-Empty: \n") != NULL);
    SPS_CHECK(strstr(resp.body.data, "Host: 127.0.0.1:") != NULL);
    SPS_CHECK(strstr(resp.body.data, "Expect") == NULL);
    SPS_CHECK(strstr(resp.body.data, "\n\nAction=DescribeRegions&Version=2016-11-15") != NULL);
    /* Repeated response headers are kept, in order. */
    size_t seen = 0;
    for (size_t i = 0; i < resp.headers.count; i++) {
        if (strcmp(resp.headers.items[i].name, "X-Test") == 0)
            SPS_CHECK_STR_EQ(resp.headers.items[i].value, seen++ ? "two" : "one");
    }
    SPS_CHECK_INT_EQ(seen, 2);
    SPS_CHECK(sps_http_headers_get(&resp.headers, "content-length") != NULL);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    sps_http_transport_destroy(t);
}

static void test_get_and_error_statuses_are_responses(void)
{
    struct sps_http_transport *t = s_transport(NULL, 0);
    struct sps_http_request req;
    s_request(&req, "GET", false, "/status?code=503");
    struct sps_http_response resp;
    sps_http_response_init(&resp, 1024);
    SPS_CHECK_OK(sps_http_send(t, &req, &resp));
    SPS_CHECK_INT_EQ(resp.status, 503);
    SPS_CHECK_STR_EQ(resp.body.data, "status 503");
    sps_http_request_clean_up(&req);
    s_request(&req, "PUT", false, "/echo");
    SPS_CHECK_OK(sps_buf_append_str(&req.body, "put-body"));
    SPS_CHECK_OK(sps_http_send(t, &req, &resp));
    SPS_CHECK_INT_EQ(resp.status, 200);
    SPS_CHECK(strstr(resp.body.data, "PUT /echo\n") == resp.body.data);
    SPS_CHECK(strstr(resp.body.data, "\n\nput-body") != NULL);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    sps_http_transport_destroy(t);
}

static int s_connections(struct sps_http_transport *t)
{
    struct sps_http_request req;
    s_request(&req, "GET", false, "/connections");
    struct sps_http_response resp;
    sps_http_response_init(&resp, 64);
    SPS_CHECK_OK(sps_http_send(t, &req, &resp));
    uint64_t n = 0;
    SPS_CHECK_OK(sps_cursor_to_u64(sps_buf_cursor(&resp.body), &n));
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    return (int)n;
}

static void test_connections_are_reused_across_calls(void)
{
    struct sps_http_transport *t = s_transport(NULL, 0);
    int before = s_connections(t);
    for (int i = 0; i < 3; i++) {
        struct sps_http_request req;
        s_request(&req, "POST", false, "/echo");
        SPS_CHECK_OK(sps_buf_append_str(&req.body, "x"));
        struct sps_http_response resp;
        sps_http_response_init(&resp, 4096);
        SPS_CHECK_OK(sps_http_send(t, &req, &resp));
        SPS_CHECK_INT_EQ(resp.status, 200);
        sps_http_response_clean_up(&resp);
        sps_http_request_clean_up(&req);
    }
    SPS_CHECK_INT_EQ(s_connections(t), before);
    sps_http_transport_destroy(t);
}

/* Sends n GET /delay?ms=300 through one send_many; returns the elapsed milliseconds. */
static int64_t s_delays(struct sps_http_transport *t, size_t n)
{
    struct sps_http_request reqs[8];
    struct sps_http_response resps[8];
    struct sps_http_exchange x[8];
    for (size_t i = 0; i < n; i++) {
        s_request(&reqs[i], "GET", false, "/delay?ms=300");
        sps_http_response_init(&resps[i], 64);
        x[i] = (struct sps_http_exchange){&reqs[i], &resps[i], SPS_ERR_UNSUPPORTED};
    }
    int64_t start = s_now();
    t->vtable->send_many(t, x, n);
    int64_t elapsed = s_now() - start;
    for (size_t i = 0; i < n; i++) {
        SPS_CHECK_OK(x[i].result);
        SPS_CHECK_INT_EQ(resps[i].status, 200);
        SPS_CHECK_STR_EQ(resps[i].body.data, "slept");
        sps_http_response_clean_up(&resps[i]);
        sps_http_request_clean_up(&reqs[i]);
    }
    return elapsed;
}

static void test_send_many_runs_concurrently(void)
{
    struct sps_http_transport *t = s_transport(NULL, 0);
    int64_t elapsed = s_delays(t, 8);
    SPS_CHECK(elapsed >= 300);
    SPS_CHECK(elapsed < 1500); /* sequential would take 2400 ms */
    sps_http_transport_destroy(t);
}

static void test_max_concurrent_bounds_transfers_in_flight(void)
{
    struct sps_http_transport *t = s_transport(NULL, 2);
    int64_t elapsed = s_delays(t, 4); /* two waves of two */
    SPS_CHECK(elapsed >= 600);
    sps_http_transport_destroy(t);
}

static void test_response_size_bound(void)
{
    struct sps_http_transport *t = s_transport(NULL, 0);
    struct sps_http_request req;
    s_request(&req, "GET", false, "/big?bytes=100000");
    struct sps_http_response resp;
    sps_http_response_init(&resp, 1000);
    SPS_CHECK_ERR(sps_http_send(t, &req, &resp), SPS_ERR_HTTP_RESPONSE_TOO_LARGE);
    sps_http_response_clean_up(&resp);
    sps_http_response_init(&resp, 100000);
    SPS_CHECK_OK(sps_http_send(t, &req, &resp));
    SPS_CHECK_INT_EQ(resp.body.len, 100000);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    sps_http_transport_destroy(t);
}

static void test_connection_closed_mid_response(void)
{
    struct sps_http_transport *t = s_transport(NULL, 0);
    struct sps_http_request req;
    s_request(&req, "GET", false, "/truncate");
    struct sps_http_response resp;
    sps_http_response_init(&resp, 4096);
    SPS_CHECK_ERR(sps_http_send(t, &req, &resp), SPS_ERR_HTTP_TRANSPORT);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    sps_http_transport_destroy(t);
}

static void test_total_timeout(void)
{
    struct sps_http_transport *t = s_transport(NULL, 0);
    struct sps_http_request req;
    s_request(&req, "GET", false, "/delay?ms=2000");
    req.total_timeout_ms = 200;
    struct sps_http_response resp;
    sps_http_response_init(&resp, 4096);
    int64_t start = s_now();
    SPS_CHECK_ERR(sps_http_send(t, &req, &resp), SPS_ERR_HTTP_TIMEOUT);
    SPS_CHECK(s_now() - start < 1500);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    sps_http_transport_destroy(t);
}

static int s_closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SPS_CHECK(bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0);
    socklen_t len = sizeof(addr);
    SPS_CHECK(getsockname(fd, (struct sockaddr *)&addr, &len) == 0);
    close(fd); /* never listened: connecting is refused */
    return ntohs(addr.sin_port);
}

static void test_connect_refused(void)
{
    struct sps_http_transport *t = s_transport(NULL, 0);
    struct sps_http_request req;
    sps_http_request_init(&req, "GET");
    SPS_CHECK_OK(sps_buf_printf(&req.url, "http://127.0.0.1:%d/", s_closed_port()));
    struct sps_http_response resp;
    sps_http_response_init(&resp, 4096);
    SPS_CHECK_ERR(sps_http_send(t, &req, &resp), SPS_ERR_HTTP_CONNECT);
    SPS_CHECK_INT_EQ(resp.status, 0);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    sps_http_transport_destroy(t);
}

static void test_bad_urls(void)
{
    struct sps_http_transport *t = s_transport(NULL, 0);
    const char *urls[] = {"ftp://127.0.0.1/file", "file:///etc/passwd", "http://[::1"};
    for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        struct sps_http_request req;
        sps_http_request_init(&req, "GET");
        SPS_CHECK_OK(sps_buf_append_str(&req.url, urls[i]));
        struct sps_http_response resp;
        sps_http_response_init(&resp, 4096);
        SPS_CHECK_ERR(sps_http_send(t, &req, &resp), SPS_ERR_HTTP_BAD_URL);
        sps_http_response_clean_up(&resp);
        sps_http_request_clean_up(&req);
    }
    sps_http_transport_destroy(t);
}

static void test_tls_self_signed_refused_by_default(void)
{
    struct sps_http_transport *t = s_transport(NULL, 0);
    struct sps_http_request req;
    s_request(&req, "GET", true, "/echo");
    struct sps_http_response resp;
    sps_http_response_init(&resp, 4096);
    SPS_CHECK_ERR(sps_http_send(t, &req, &resp), SPS_ERR_HTTP_TLS);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    sps_http_transport_destroy(t);
}

static void test_tls_accepted_with_ca_bundle(void)
{
    s_need_server();
    struct sps_http_transport *t = s_transport(s_server.cert, 0);
    struct sps_http_request req;
    s_request(&req, "GET", true, "/echo");
    struct sps_http_response resp;
    sps_http_response_init(&resp, 4096);
    SPS_CHECK_OK(sps_http_send(t, &req, &resp));
    SPS_CHECK_INT_EQ(resp.status, 200);
    SPS_CHECK(strstr(resp.body.data, "GET /echo\n") == resp.body.data);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    sps_http_transport_destroy(t);
    /* A CA bundle that does not exist is a TLS failure, not a silent fallback. */
    t = s_transport("/nonexistent/ca.pem", 0);
    s_request(&req, "GET", true, "/echo");
    sps_http_response_init(&resp, 4096);
    SPS_CHECK_ERR(sps_http_send(t, &req, &resp), SPS_ERR_HTTP_TLS);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    sps_http_transport_destroy(t);
}

static bool s_no_file(const char *path)
{
    (void)path;
    return false;
}

static struct sps_buf s_log;

static void s_capture(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    (void)sps_buf_append(&s_log, line, len);
}

static sps_err s_get(struct sps_http_transport *t, bool tls)
{
    struct sps_http_request req;
    s_request(&req, "GET", tls, "/echo");
    struct sps_http_response resp;
    sps_http_response_init(&resp, 4096);
    sps_err err = sps_http_send(t, &req, &resp);
    if (err == SPS_OK)
        SPS_CHECK_INT_EQ(resp.status, 200);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    return err;
}

/* No CA bundle anywhere (as in a bare Lambda image with Debian's libcurl and no known bundle):
 * https fails with one error line naming the paths; verification is not turned off, and plain
 * http still works. */
static void test_no_ca_bundle_found(void)
{
    s_need_server();
    static const struct sps_log_sink sink = {s_capture, NULL};
    sps_buf_init(&s_log, 0);
    sps_log_set_sink(&sink);
    sps_log_set_level(SPS_LOG_WARN);
    struct sps_http_curl_options o = {.file_exists = s_no_file};
    struct sps_http_transport *t = NULL;
    SPS_CHECK_OK(sps_http_curl_new(&t, &o));
    SPS_CHECK_ERR(s_get(t, true), SPS_ERR_HTTP_TLS);
    SPS_CHECK_ERR(s_get(t, true), SPS_ERR_HTTP_TLS);
    SPS_CHECK_OK(s_get(t, false));
    const char *line = s_log.data ? s_log.data : "";
    SPS_CHECK(strstr(line, "no CA bundle found: set AWS_CA_BUNDLE") != NULL);
    SPS_CHECK(strstr(line, "/etc/pki/tls/certs/ca-bundle.crt") != NULL);
    SPS_CHECK(strstr(line, "/etc/ssl/certs/ca-certificates.crt") != NULL);
    SPS_CHECK(strchr(line, '\n') == line + s_log.len - 1); /* once per transport, one line */
    sps_http_transport_destroy(t);
    /* AWS_CA_BUNDLE is used as given, without the search */
    o.ca_bundle = s_server.cert;
    SPS_CHECK_OK(sps_http_curl_new(&t, &o));
    SPS_CHECK_OK(s_get(t, true));
    sps_http_transport_destroy(t);
    sps_log_set_sink(NULL);
    sps_log_set_level(SPS_LOG_OFF);
    sps_buf_clean_up(&s_log);
}

static void test_mixed_batch_results_are_per_exchange(void)
{
    struct sps_http_transport *t = s_transport(NULL, 0);
    const char *paths[] = {"/status?code=500", "/truncate", "/big?bytes=10"};
    struct sps_http_request reqs[3];
    struct sps_http_response resps[3];
    struct sps_http_exchange x[3];
    for (size_t i = 0; i < 3; i++) {
        s_request(&reqs[i], "GET", false, paths[i]);
        sps_http_response_init(&resps[i], 4096);
        x[i] = (struct sps_http_exchange){&reqs[i], &resps[i], SPS_ERR_UNSUPPORTED};
    }
    t->vtable->send_many(t, x, 3);
    SPS_CHECK_OK(x[0].result);
    SPS_CHECK_INT_EQ(resps[0].status, 500);
    SPS_CHECK_ERR(x[1].result, SPS_ERR_HTTP_TRANSPORT);
    SPS_CHECK_OK(x[2].result);
    SPS_CHECK_STR_EQ(resps[2].body.data, "xxxxxxxxxx");
    for (size_t i = 0; i < 3; i++) {
        sps_http_response_clean_up(&resps[i]);
        sps_http_request_clean_up(&reqs[i]);
    }
    t->vtable->send_many(t, x, 0); /* an empty batch is a no-op */
    sps_http_transport_destroy(t);
}

static void test_invalid_options(void)
{
    struct sps_http_transport *t = NULL;
    struct sps_http_curl_options o = {.connect_timeout_ms = -1};
    SPS_CHECK_ERR(sps_http_curl_new(&t, &o), SPS_ERR_INVALID_ARGUMENT);
    o = (struct sps_http_curl_options){.total_timeout_ms = -5};
    SPS_CHECK_ERR(sps_http_curl_new(&t, &o), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK(t == NULL);
    SPS_CHECK_OK(sps_http_curl_new(&t, NULL));
    sps_http_transport_destroy(t);
    sps_http_transport_destroy(NULL);
}

static void test_global_init_routes_allocations(void)
{
    /* After sps_aws_global_init, libcurl allocates through sps_alloc: a live transport is
     * visible in the live-block count, and destroying it returns the count. */
    long before = sps_alloc_live_count();
    struct sps_http_transport *t = NULL;
    SPS_CHECK_OK(sps_http_curl_new(&t, NULL));
    SPS_CHECK(sps_alloc_live_count() > before + 1);
    sps_http_transport_destroy(t);
    SPS_CHECK_INT_EQ(sps_alloc_live_count(), before);
}

int main(int argc, char **argv)
{
    sps_aws_global_init();
    static const struct sps_test_case cases[] = {
        SPS_CASE(test_post_echo_headers_and_body),
        SPS_CASE(test_get_and_error_statuses_are_responses),
        SPS_CASE(test_connections_are_reused_across_calls),
        SPS_CASE(test_send_many_runs_concurrently),
        SPS_CASE(test_max_concurrent_bounds_transfers_in_flight),
        SPS_CASE(test_response_size_bound),
        SPS_CASE(test_connection_closed_mid_response),
        SPS_CASE(test_total_timeout),
        SPS_CASE(test_connect_refused),
        SPS_CASE(test_bad_urls),
        SPS_CASE(test_tls_self_signed_refused_by_default),
        SPS_CASE(test_tls_accepted_with_ca_bundle),
        SPS_CASE(test_no_ca_bundle_found),
        SPS_CASE(test_mixed_batch_results_are_per_exchange),
        SPS_CASE(test_invalid_options),
        SPS_CASE(test_global_init_routes_allocations),
    };
    int rc = sps_test_main(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
    sps_aws_global_clean_up();
    return rc;
}
