/* The Lambda Runtime API client (the exact requests, the status mapping) and the runtime loop
 * (next -> parse -> handle -> response or error) against the scripted fake transport. */
#include "sps_engine_lambda.h"
#include "sps_fakes.h"
#include "sps_test.h"

#include <stdlib.h>

#define S_BASE "http://127.0.0.1:9001/2018-06-01/runtime"
#define S_SCHEDULED                                                                                \
    "{\"version\":\"0\",\"id\":\"ev-1\",\"detail-type\":\"Scheduled Event\",\"source\":"           \
    "\"aws.events\",\"account\":\"123456789012\",\"time\":\"2026-11-24T06:00:00Z\",\"region\":"    \
    "\"us-east-1\",\"resources\":[],\"detail\":{}}"
#define S_SPOT                                                                                     \
    "{\"version\":\"0\",\"id\":\"ev-2\",\"detail-type\":\"EC2 Spot Instance Interruption "         \
    "Warning\",\"source\":\"aws.ec2\",\"time\":\"2026-11-24T06:01:00Z\",\"region\":\"us-east-1\"," \
    "\"detail\":{\"instance-id\":\"i-0abc\",\"instance-action\":\"terminate\"}}"
#define S_UNKNOWN                                                                                  \
    "{\"id\":\"ev-3\",\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":"      \
    "\"aws.ec2\",\"time\":\"2026-11-24T06:02:00Z\",\"region\":\"us-east-1\",\"detail\":{}}"

/* Headers of a /next answer for request `id`. */
static char *s_next_headers(const char *id, bool trace)
{
    static char text[512];
    snprintf(text, sizeof(text),
             "Lambda-Runtime-Aws-Request-Id: %s\nLambda-Runtime-Deadline-Ms: 1795500000000\n"
             "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:"
             "function:spotswap\n%s",
             id,
             trace ? "Lambda-Runtime-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;"
                     "Parent=53995c3f42cd8ad8;Sampled=1\n"
                   : "");
    return text;
}

static void s_check_request(struct sps_fake_transport *fake, size_t i, const char *method,
                            const char *url, const char *body)
{
    const struct sps_http_request *req = sps_fake_transport_request(fake, i);
    SPS_CHECK(req != NULL);
    SPS_CHECK_STR_EQ(req->method, method);
    SPS_CHECK_STR_EQ(req->url.data, url);
    if (body)
        SPS_CHECK_STR_EQ(req->body.data, body);
}

/* ---- the client ---- */

static void test_runtime_api_address(void)
{
    struct sps_http_transport *t;
    struct sps_fake_transport *fake;
    sps_fake_transport_new(&t, &fake);
    struct sps_aws_lambda_runtime rt;
    struct sps_buf detail;
    sps_buf_init(&detail, 0);
    const char *good[] = {"127.0.0.1:9001", "localhost:80", "[::1]:9001", "a-b.c_d:65535"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        SPS_CHECK_OK(sps_aws_lambda_runtime_init(&rt, t, good[i], &detail));
        SPS_CHECK(strstr(rt.base_url, good[i]) != NULL);
        sps_aws_lambda_runtime_clean_up(&rt);
    }
    SPS_CHECK_OK(sps_aws_lambda_runtime_init(&rt, t, "127.0.0.1:9001", NULL));
    SPS_CHECK_STR_EQ(rt.base_url, S_BASE);
    sps_aws_lambda_runtime_clean_up(&rt);
    sps_aws_lambda_runtime_clean_up(&rt); /* twice: idempotent */
    sps_aws_lambda_runtime_clean_up(NULL);

    SPS_CHECK_ERR(sps_aws_lambda_runtime_init(&rt, t, NULL, &detail), SPS_ERR_CONFIG);
    SPS_CHECK_STR_EQ(detail.data,
                     "AWS_LAMBDA_RUNTIME_API is not set: not running inside AWS Lambda");
    SPS_CHECK_ERR(sps_aws_lambda_runtime_init(&rt, t, "", NULL), SPS_ERR_CONFIG);
    const char *bad[] = {"localhost",  "localhost:",  ":9001",     "host:abc", "host:0",
                         "host:70000", "host:123456", "a/b:1",     "h st:1",   "[::1:9001",
                         "[]:9001",    "[::1/x]:1",   "http://h:1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SPS_CHECK_ERR(sps_aws_lambda_runtime_init(&rt, t, bad[i], &detail), SPS_ERR_CONFIG);
        SPS_CHECK(strstr(detail.data, "is not host:port") != NULL);
        SPS_CHECK(rt.base_url == NULL);
    }
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(fake), 0);
    sps_buf_clean_up(&detail);
    sps_http_transport_destroy(t);
}

struct s_client {
    struct sps_http_transport *t;
    struct sps_fake_transport *fake;
    struct sps_aws_lambda_runtime rt;
    struct sps_aws_lambda_invocation inv;
    struct sps_buf detail;
};

static void s_client_begin(struct s_client *c)
{
    sps_fake_transport_new(&c->t, &c->fake);
    SPS_CHECK_OK(sps_aws_lambda_runtime_init(&c->rt, c->t, "127.0.0.1:9001", NULL));
    sps_aws_lambda_invocation_init(&c->inv);
    sps_buf_init(&c->detail, 0);
}

static void s_client_end(struct s_client *c)
{
    sps_buf_clean_up(&c->detail);
    sps_aws_lambda_invocation_clean_up(&c->inv);
    sps_aws_lambda_invocation_clean_up(&c->inv);
    sps_aws_lambda_runtime_clean_up(&c->rt);
    sps_http_transport_destroy(c->t);
}

static void test_next_reads_the_invocation(void)
{
    struct s_client c;
    s_client_begin(&c);
    sps_fake_transport_push(c.fake, 200, s_next_headers("req-1", true), S_SCHEDULED);
    SPS_CHECK_OK(sps_aws_lambda_runtime_next(&c.rt, &c.inv, &c.detail));
    s_check_request(c.fake, 0, "GET", S_BASE "/invocation/next", "");
    /* Long poll: far beyond the transport's 30 s default (which a 0 would mean). */
    SPS_CHECK_INT_EQ(sps_fake_transport_request(c.fake, 0)->total_timeout_ms,
                     SPS_LAMBDA_NEXT_TIMEOUT_MS);
    SPS_CHECK_STR_EQ(c.inv.request_id, "req-1");
    SPS_CHECK_INT_EQ(c.inv.deadline_ms, 1795500000000LL);
    SPS_CHECK_STR_EQ(c.inv.function_arn, "arn:aws:lambda:us-east-1:123456789012:function:spotswap");
    SPS_CHECK_STR_EQ(c.inv.trace_id,
                     "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
    SPS_CHECK_STR_EQ(c.inv.event.data, S_SCHEDULED);
    SPS_CHECK_STR_EQ(getenv(SPS_LAMBDA_TRACE_ENV), c.inv.trace_id);
    /* The next invocation without a trace header clears the previous one's. */
    sps_fake_transport_push(c.fake, 200, s_next_headers("req-2", false), "{}");
    SPS_CHECK_OK(sps_aws_lambda_runtime_next(&c.rt, &c.inv, &c.detail));
    SPS_CHECK_STR_EQ(c.inv.request_id, "req-2");
    SPS_CHECK(c.inv.trace_id == NULL);
    SPS_CHECK(getenv(SPS_LAMBDA_TRACE_ENV) == NULL);
    SPS_CHECK_STR_EQ(c.inv.event.data, "{}");
    s_client_end(&c);
}

static void s_expect_next_error(int status, const char *headers, sps_err expected,
                                const char *needle)
{
    struct s_client c;
    s_client_begin(&c);
    sps_fake_transport_push(c.fake, status, headers, "{\"errorMessage\":\"x\"}");
    sps_err err = sps_aws_lambda_runtime_next(&c.rt, &c.inv, &c.detail);
    if (err != expected || strstr(c.detail.data, needle) == NULL)
        sps_test_fail(__FILE__, __LINE__, "status %d: got %s \"%s\", expected %s \"%s\"", status,
                      sps_error_name(err), c.detail.data, sps_error_name(expected), needle);
    SPS_CHECK(c.inv.request_id == NULL);
    s_client_end(&c);
}

static void test_next_errors(void)
{
    s_expect_next_error(500, NULL, SPS_ERR_LAMBDA_RUNTIME_EXIT,
                        "next invocation: the runtime API answered HTTP 500: {\"errorMessage\"");
    s_expect_next_error(403, NULL, SPS_ERR_UNEXPECTED_RESPONSE, "answered HTTP 403");
    s_expect_next_error(202, NULL, SPS_ERR_UNEXPECTED_RESPONSE, "answered HTTP 202");
    s_expect_next_error(200, "Lambda-Runtime-Deadline-Ms: 1\n", SPS_ERR_UNEXPECTED_RESPONSE,
                        "the Lambda-Runtime-Aws-Request-Id header is missing");
    s_expect_next_error(200, "Lambda-Runtime-Aws-Request-Id: ../x\nLambda-Runtime-Deadline-Ms: 1\n",
                        SPS_ERR_UNEXPECTED_RESPONSE, "characters not allowed in a request id");
    s_expect_next_error(200, "Lambda-Runtime-Aws-Request-Id: r\n", SPS_ERR_UNEXPECTED_RESPONSE,
                        "the Lambda-Runtime-Deadline-Ms header is missing or not a number");
    s_expect_next_error(200, "Lambda-Runtime-Aws-Request-Id: r\nLambda-Runtime-Deadline-Ms: soon\n",
                        SPS_ERR_UNEXPECTED_RESPONSE, "Lambda-Runtime-Deadline-Ms");

    struct s_client c;
    s_client_begin(&c);
    sps_fake_transport_push_error(c.fake, SPS_ERR_HTTP_CONNECT);
    SPS_CHECK_ERR(sps_aws_lambda_runtime_next(&c.rt, &c.inv, &c.detail), SPS_ERR_HTTP_CONNECT);
    SPS_CHECK_STR_EQ(c.detail.data, "next invocation: could not connect to the endpoint");
    s_client_end(&c);
}

static void test_respond_request(void)
{
    struct s_client c;
    s_client_begin(&c);
    sps_fake_transport_push(c.fake, 202, NULL, "{\"status\":\"OK\"}");
    SPS_CHECK_OK(sps_aws_lambda_runtime_respond(&c.rt, "req-1", SPS_CURSOR_LIT("{\"replaced\":2}"),
                                                &c.detail));
    s_check_request(c.fake, 0, "POST", S_BASE "/invocation/req-1/response", "{\"replaced\":2}");
    const struct sps_http_request *req = sps_fake_transport_request(c.fake, 0);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req->headers, "Content-Type"), "application/json");
    SPS_CHECK(sps_http_headers_get(&req->headers, "Lambda-Runtime-Function-Error-Type") == NULL);
    s_client_end(&c);
}

static void test_post_status_mapping(void)
{
    static const struct {
        int status;
        sps_err expected;
    } cases[] = {{400, SPS_ERR_LAMBDA_REJECTED},     {403, SPS_ERR_LAMBDA_REJECTED},
                 {413, SPS_ERR_LAMBDA_REJECTED},     {500, SPS_ERR_LAMBDA_RUNTIME_EXIT},
                 {200, SPS_ERR_UNEXPECTED_RESPONSE}, {502, SPS_ERR_UNEXPECTED_RESPONSE}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct s_client c;
        s_client_begin(&c);
        char needle[64];
        snprintf(needle, sizeof(needle), "answered HTTP %d", cases[i].status);
        sps_fake_transport_push(c.fake, cases[i].status, NULL, "{}");
        SPS_CHECK_ERR(sps_aws_lambda_runtime_respond(&c.rt, "r", SPS_CURSOR_LIT("{}"), &c.detail),
                      cases[i].expected);
        SPS_CHECK(strstr(c.detail.data, "invocation response: ") != NULL);
        SPS_CHECK(strstr(c.detail.data, needle) != NULL);
        sps_fake_transport_push(c.fake, cases[i].status, NULL, "{}");
        SPS_CHECK_ERR(sps_aws_lambda_runtime_fail(&c.rt, "r", "T", "m", &c.detail),
                      cases[i].expected);
        SPS_CHECK(strstr(c.detail.data, "invocation error: ") != NULL);
        sps_fake_transport_push(c.fake, cases[i].status, NULL, "{}");
        SPS_CHECK_ERR(sps_aws_lambda_runtime_init_error(&c.rt, "T", "m", &c.detail),
                      cases[i].expected);
        SPS_CHECK(strstr(c.detail.data, "initialization error: ") != NULL);
        s_client_end(&c);
    }
}

static void test_post_transport_and_argument_errors(void)
{
    struct s_client c;
    s_client_begin(&c);
    sps_fake_transport_push_error(c.fake, SPS_ERR_HTTP_TIMEOUT);
    SPS_CHECK_ERR(sps_aws_lambda_runtime_respond(&c.rt, "r", SPS_CURSOR_LIT("{}"), &c.detail),
                  SPS_ERR_HTTP_TIMEOUT);
    SPS_CHECK_STR_EQ(c.detail.data, "invocation response: the request timed out");
    /* A request id that is missing or would change the URL path is refused before sending. */
    SPS_CHECK_ERR(sps_aws_lambda_runtime_respond(&c.rt, NULL, SPS_CURSOR_LIT("{}"), &c.detail),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_lambda_runtime_respond(&c.rt, "a/b", SPS_CURSOR_LIT("{}"), NULL),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_lambda_runtime_fail(&c.rt, "", "T", "m", &c.detail),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_STR_EQ(c.detail.data, "invocation error: no valid request id");
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(c.fake), 1);
    s_client_end(&c);
}

static void test_error_requests(void)
{
    struct s_client c;
    s_client_begin(&c);
    sps_fake_transport_push(c.fake, 202, NULL, "{\"status\":\"OK\"}");
    SPS_CHECK_OK(sps_aws_lambda_runtime_fail(&c.rt, "req-9", "SPS_ERR_AWS_CAPACITY",
                                             "no \"spot\" capacity\nin us-east-1a", &c.detail));
    s_check_request(c.fake, 0, "POST", S_BASE "/invocation/req-9/error",
                    "{\"errorMessage\":\"no \\\"spot\\\" capacity\\nin us-east-1a\","
                    "\"errorType\":\"SPS_ERR_AWS_CAPACITY\"}");
    const struct sps_http_request *req = sps_fake_transport_request(c.fake, 0);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req->headers, "Lambda-Runtime-Function-Error-Type"),
                     "SPS_ERR_AWS_CAPACITY");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req->headers, "Content-Type"), "application/json");

    sps_fake_transport_push(c.fake, 202, NULL, "{\"status\":\"OK\"}");
    SPS_CHECK_OK(
        sps_aws_lambda_runtime_init_error(&c.rt, "Runtime.ConfigError", "bad config", &c.detail));
    s_check_request(c.fake, 1, "POST", S_BASE "/init/error",
                    "{\"errorMessage\":\"bad config\",\"errorType\":\"Runtime.ConfigError\"}");
    req = sps_fake_transport_request(c.fake, 1);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req->headers, "Lambda-Runtime-Function-Error-Type"),
                     "Runtime.ConfigError");
    /* No type given: "Unknown" in body and header alike. */
    sps_fake_transport_push(c.fake, 202, NULL, "{}");
    SPS_CHECK_OK(sps_aws_lambda_runtime_fail(&c.rt, "r", NULL, NULL, &c.detail));
    s_check_request(c.fake, 2, "POST", S_BASE "/invocation/r/error",
                    "{\"errorMessage\":\"\",\"errorType\":\"Unknown\"}");
    req = sps_fake_transport_request(c.fake, 2);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req->headers, "Lambda-Runtime-Function-Error-Type"),
                     "Unknown");
    s_client_end(&c);
}

/* ---- the loop ---- */

struct s_handler {
    int calls;
    enum sps_aws_lambda_event_kind kinds[8];
    int fail_on_call; /* 1-based; 0 never */
    sps_err fail_with;
    const char *response; /* NULL: leave empty */
    size_t overflow;      /* write this many bytes to the response */
    sps_err init_result;
    int init_calls;
};

static sps_err s_handle(void *ctx, const struct sps_aws_lambda_event *event,
                        struct sps_buf *response_json, struct sps_buf *error_detail)
{
    struct s_handler *h = ctx;
    h->kinds[h->calls++ % 8] = event->kind;
    sps_log(SPS_LOG_INFO, "handler ran", NULL);
    if (h->calls == h->fail_on_call) {
        sps_buf_append_str(error_detail, "no spot capacity for i-0abc");
        return h->fail_with;
    }
    if (h->response)
        sps_buf_append_str(response_json, h->response);
    for (size_t i = 0; i < h->overflow; i++)
        sps_buf_append_char(response_json, 'x');
    return SPS_OK;
}

static sps_err s_init(void *ctx, struct sps_buf *error_detail)
{
    struct s_handler *h = ctx;
    h->init_calls++;
    if (h->init_result != SPS_OK)
        sps_buf_append_str(error_detail, "cannot read the configuration");
    return h->init_result;
}

struct s_loop_fixture {
    struct sps_http_transport *t;
    struct sps_fake_transport *fake;
    struct sps_fake_env env;
    struct s_handler h;
    struct sps_engine_lambda_options o;
};

static void s_loop_begin(struct s_loop_fixture *f, size_t max_invocations)
{
    memset(f, 0, sizeof(*f));
    sps_fake_transport_new(&f->t, &f->fake);
    sps_fake_env_init(&f->env);
    sps_fake_env_set(&f->env, "AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001");
    f->o = (struct sps_engine_lambda_options){.transport = f->t,
                                              .env = &f->env.env,
                                              .init = s_init,
                                              .handle = s_handle,
                                              .ctx = &f->h,
                                              .max_invocations = max_invocations};
}

static void test_loop_continues_after_a_failing_invocation(void)
{
    struct s_loop_fixture f;
    s_loop_begin(&f, 3);
    f.h.fail_on_call = 2;
    f.h.fail_with = SPS_ERR_AWS_CAPACITY;
    f.h.response = "{\"replaced\":1}";
    sps_fake_transport_push(f.fake, 200, s_next_headers("r1", true), S_SCHEDULED);
    sps_fake_transport_push(f.fake, 202, NULL, "{\"status\":\"OK\"}");
    sps_fake_transport_push(f.fake, 200, s_next_headers("r2", false), S_SPOT);
    sps_fake_transport_push(f.fake, 202, NULL, "{\"status\":\"OK\"}");
    sps_fake_transport_push(f.fake, 200, s_next_headers("r3", false), "{\"action\":\"run\"}");
    sps_fake_transport_push(f.fake, 202, NULL, "{\"status\":\"OK\"}");
    SPS_CHECK_OK(sps_engine_lambda_serve(&f.o));
    SPS_CHECK_INT_EQ(f.h.init_calls, 1);
    SPS_CHECK_INT_EQ(f.h.calls, 3);
    SPS_CHECK_INT_EQ(f.h.kinds[0], SPS_LAMBDA_EVENT_SCHEDULED);
    SPS_CHECK_INT_EQ(f.h.kinds[1], SPS_LAMBDA_EVENT_SPOT_INTERRUPTION);
    SPS_CHECK_INT_EQ(f.h.kinds[2], SPS_LAMBDA_EVENT_SCHEDULED);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 6);
    s_check_request(f.fake, 0, "GET", S_BASE "/invocation/next", NULL);
    s_check_request(f.fake, 1, "POST", S_BASE "/invocation/r1/response", "{\"replaced\":1}");
    s_check_request(f.fake, 2, "GET", S_BASE "/invocation/next", NULL);
    s_check_request(f.fake, 3, "POST", S_BASE "/invocation/r2/error",
                    "{\"errorMessage\":\"no spot capacity for i-0abc\",\"errorType\":"
                    "\"SPS_ERR_AWS_CAPACITY\"}");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&sps_fake_transport_request(f.fake, 3)->headers,
                                          "Lambda-Runtime-Function-Error-Type"),
                     "SPS_ERR_AWS_CAPACITY");
    s_check_request(f.fake, 4, "GET", S_BASE "/invocation/next", NULL);
    s_check_request(f.fake, 5, "POST", S_BASE "/invocation/r3/response", "{\"replaced\":1}");
    sps_http_transport_destroy(f.t);
}

static void test_loop_stops_on_a_500_from_next(void)
{
    struct s_loop_fixture f;
    s_loop_begin(&f, 0); /* forever: only the API can end it */
    sps_fake_transport_push(f.fake, 200, s_next_headers("r1", false), S_SCHEDULED);
    sps_fake_transport_push(f.fake, 202, NULL, "{}");
    sps_fake_transport_push(f.fake, 500, NULL, "{\"errorType\":\"Runtime.ExitError\"}");
    SPS_CHECK_ERR(sps_engine_lambda_serve(&f.o), SPS_ERR_LAMBDA_RUNTIME_EXIT);
    SPS_CHECK_INT_EQ(f.h.calls, 1);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 3);
    /* The default response when the handler writes none. */
    s_check_request(f.fake, 1, "POST", S_BASE "/invocation/r1/response", "{\"status\":\"ok\"}");
    sps_http_transport_destroy(f.t);
}

static void test_loop_invalid_and_unknown_events(void)
{
    struct s_loop_fixture f;
    s_loop_begin(&f, 3);
    sps_fake_transport_push(f.fake, 200, s_next_headers("bad", false), "{\"detail-type\":");
    sps_fake_transport_push(f.fake, 202, NULL, "{}");
    sps_fake_transport_push(f.fake, 200, s_next_headers("odd", false), S_UNKNOWN);
    sps_fake_transport_push(f.fake, 202, NULL, "{}");
    sps_fake_transport_push(f.fake, 200, s_next_headers("miss", false),
                            "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\"}");
    sps_fake_transport_push(f.fake, 202, NULL, "{}");
    SPS_CHECK_OK(sps_engine_lambda_serve(&f.o));
    SPS_CHECK_INT_EQ(f.h.calls, 0); /* neither reaches the handler */
    s_check_request(f.fake, 1, "POST", S_BASE "/invocation/bad/error", NULL);
    const struct sps_http_request *req = sps_fake_transport_request(f.fake, 1);
    SPS_CHECK(strstr(req->body.data, "\"errorMessage\":\"the event is not valid JSON") != NULL);
    SPS_CHECK(strstr(req->body.data, "\"errorType\":\"InvalidEvent\"") != NULL);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req->headers, "Lambda-Runtime-Function-Error-Type"),
                     "InvalidEvent");
    s_check_request(f.fake, 3, "POST", S_BASE "/invocation/odd/response",
                    "{\"status\":\"ignored\",\"detail-type\":\"EC2 Instance State-change "
                    "Notification\",\"source\":\"aws.ec2\"}");
    s_check_request(f.fake, 5, "POST", S_BASE "/invocation/miss/error",
                    "{\"errorMessage\":\"field \\\"id\\\" is missing\",\"errorType\":"
                    "\"InvalidEvent\"}");
    sps_http_transport_destroy(f.t);
}

static void test_loop_refused_result_is_not_fatal(void)
{
    struct s_loop_fixture f;
    s_loop_begin(&f, 2);
    f.h.fail_on_call = 2;
    f.h.fail_with = SPS_ERR_AWS_THROTTLED;
    sps_fake_transport_push(f.fake, 200, s_next_headers("r1", false), S_SCHEDULED);
    sps_fake_transport_push(f.fake, 413, NULL, "{\"errorType\":\"RequestEntityTooLarge\"}");
    sps_fake_transport_push(f.fake, 200, s_next_headers("r2", false), S_SCHEDULED);
    sps_fake_transport_push(f.fake, 400, NULL, "{\"errorType\":\"InvalidStateTransition\"}");
    SPS_CHECK_OK(sps_engine_lambda_serve(&f.o));
    SPS_CHECK_INT_EQ(f.h.calls, 2);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 4);
    sps_http_transport_destroy(f.t);
}

static void test_loop_stops_when_a_result_cannot_be_posted(void)
{
    /* A 500 on the response, then a lost connection on the error: each ends the loop. */
    struct s_loop_fixture f;
    s_loop_begin(&f, 0);
    sps_fake_transport_push(f.fake, 200, s_next_headers("r1", false), S_SCHEDULED);
    sps_fake_transport_push(f.fake, 500, NULL, "{}");
    SPS_CHECK_ERR(sps_engine_lambda_serve(&f.o), SPS_ERR_LAMBDA_RUNTIME_EXIT);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 2);
    sps_http_transport_destroy(f.t);

    s_loop_begin(&f, 0);
    f.h.fail_on_call = 1;
    f.h.fail_with = SPS_ERR_AWS_SERVER;
    sps_fake_transport_push(f.fake, 200, s_next_headers("r1", false), S_SCHEDULED);
    sps_fake_transport_push_error(f.fake, SPS_ERR_HTTP_TRANSPORT);
    SPS_CHECK_ERR(sps_engine_lambda_serve(&f.o), SPS_ERR_HTTP_TRANSPORT);
    sps_http_transport_destroy(f.t);

    /* The API unreachable for the next invocation. */
    s_loop_begin(&f, 0);
    SPS_CHECK_ERR(sps_engine_lambda_serve(&f.o), SPS_ERR_HTTP_CONNECT);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 1);
    sps_http_transport_destroy(f.t);
}

static void test_loop_response_too_large(void)
{
    struct s_loop_fixture f;
    s_loop_begin(&f, 1);
    f.h.overflow = 6 * 1024 * 1024 + 1;
    sps_fake_transport_push(f.fake, 200, s_next_headers("big", false), S_SCHEDULED);
    sps_fake_transport_push(f.fake, 202, NULL, "{}");
    SPS_CHECK_OK(sps_engine_lambda_serve(&f.o));
    s_check_request(f.fake, 1, "POST", S_BASE "/invocation/big/error",
                    "{\"errorMessage\":\"the handler's response exceeds Lambda's 6 MB limit\","
                    "\"errorType\":\"SPS_ERR_LIMIT_EXCEEDED\"}");
    sps_http_transport_destroy(f.t);
}

static void test_loop_init_failure(void)
{
    struct s_loop_fixture f;
    s_loop_begin(&f, 0);
    f.h.init_result = SPS_ERR_CONFIG;
    sps_fake_transport_push(f.fake, 202, NULL, "{\"status\":\"OK\"}");
    SPS_CHECK_ERR(sps_engine_lambda_serve(&f.o), SPS_ERR_CONFIG);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 1); /* no /next */
    s_check_request(f.fake, 0, "POST", S_BASE "/init/error",
                    "{\"errorMessage\":\"cannot read the configuration\",\"errorType\":"
                    "\"SPS_ERR_CONFIG\"}");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&sps_fake_transport_request(f.fake, 0)->headers,
                                          "Lambda-Runtime-Function-Error-Type"),
                     "SPS_ERR_CONFIG");
    SPS_CHECK_INT_EQ(f.h.calls, 0);
    sps_http_transport_destroy(f.t);

    /* The init error itself cannot be posted: the init failure is still what is returned. */
    s_loop_begin(&f, 0);
    f.h.init_result = SPS_ERR_CREDS_NOT_FOUND;
    sps_fake_transport_push(f.fake, 500, NULL, "{}");
    SPS_CHECK_ERR(sps_engine_lambda_serve(&f.o), SPS_ERR_CREDS_NOT_FOUND);
    sps_http_transport_destroy(f.t);
}

static void test_loop_bad_runtime_api(void)
{
    struct s_loop_fixture f;
    s_loop_begin(&f, 0);
    sps_fake_env_set(&f.env, "AWS_LAMBDA_RUNTIME_API", "no-port");
    SPS_CHECK_ERR(sps_engine_lambda_serve(&f.o), SPS_ERR_CONFIG);
    SPS_CHECK_INT_EQ(f.h.init_calls, 0);
    SPS_CHECK(sps_engine_lambda_detected(&f.env.env)); /* set, if unusable */
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    sps_http_transport_destroy(f.t);

    s_loop_begin(&f, 0);
    sps_fake_env_init(&f.env); /* unset */
    SPS_CHECK(!sps_engine_lambda_detected(&f.env.env));
    SPS_CHECK_ERR(sps_engine_lambda_serve(&f.o), SPS_ERR_CONFIG);
    f.o.handle = NULL;
    SPS_CHECK_ERR(sps_engine_lambda_serve(&f.o), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_engine_lambda_serve(NULL), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f.fake), 0);
    sps_http_transport_destroy(f.t);
}

/* ---- the request id on every log line of an invocation ---- */

static struct sps_buf s_log;

static void s_capture(void *ctx, const char *line, size_t len)
{
    (void)sps_buf_append(&s_log, line, len);
}

static const struct sps_log_sink s_sink = {s_capture, NULL};

static void test_loop_logs_carry_the_request_id(void)
{
    sps_buf_init(&s_log, 0);
    sps_log_set_sink(&s_sink);
    sps_log_set_level(SPS_LOG_DEBUG);
    struct s_loop_fixture f;
    s_loop_begin(&f, 2);
    f.h.fail_on_call = 2;
    f.h.fail_with = SPS_ERR_AWS_CAPACITY;
    sps_fake_transport_push(f.fake, 200, s_next_headers("req-A", false), S_SCHEDULED);
    sps_fake_transport_push(f.fake, 202, NULL, "{}");
    sps_fake_transport_push(f.fake, 200, s_next_headers("req-B", false), S_SPOT);
    sps_fake_transport_push(f.fake, 202, NULL, "{}");
    SPS_CHECK_OK(sps_engine_lambda_serve(&f.o));
    sps_log(SPS_LOG_INFO, "after the loop", NULL);
    sps_log_set_sink(NULL);
    sps_log_set_level(SPS_LOG_OFF);
    /* Every line between "invocation" and the result names its own invocation only. */
    int a = 0, b = 0, handler_lines = 0;
    struct sps_cursor rest = sps_buf_cursor(&s_log), line;
    while (rest.len) {
        sps_cursor_split(&rest, '\n', &line);
        char *text = sps_cursor_dup(line);
        bool has_a = strstr(text, "\"request_id\":\"req-A\"") != NULL;
        bool has_b = strstr(text, "\"request_id\":\"req-B\"") != NULL;
        a += has_a;
        b += has_b;
        if (strstr(text, "handler ran")) {
            handler_lines++;
            SPS_CHECK(has_a || has_b);
        }
        if (strstr(text, "invocation failed"))
            SPS_CHECK(has_b && strstr(text, "\"detail\":\"no spot capacity for i-0abc\""));
        if (strstr(text, "after the loop") || strstr(text, "runtime ready"))
            SPS_CHECK(!has_a && !has_b && strstr(text, "request_id") == NULL);
        sps_free(text);
    }
    SPS_CHECK_INT_EQ(handler_lines, 2);
    SPS_CHECK(a >= 4 && b >= 4); /* invocation, event received, handler ran, result */
    sps_buf_clean_up(&s_log);
    sps_http_transport_destroy(f.t);
}

static void test_log_context(void)
{
    sps_buf_init(&s_log, 0);
    sps_log_set_sink(&s_sink);
    sps_log_set_level(SPS_LOG_INFO);
    sps_log_set_context("request_id", "r-1");
    sps_log_set_context("request_id", "r-2");    /* replaced, not repeated */
    sps_log_set_context("session_token", "abc"); /* redacted like any field */
    sps_log(SPS_LOG_INFO, "one", "k", "v", NULL);
    SPS_CHECK(strstr(s_log.data, "\"msg\":\"one\",\"request_id\":\"r-2\",\"session_token\":"
                                 "\"[REDACTED]\",\"k\":\"v\"}\n") != NULL);
    sps_buf_reset(&s_log);
    sps_log_set_context("request_id", NULL);
    sps_log_set_context("absent", NULL); /* removing an unknown key is harmless */
    sps_log_set_context(NULL, "x");
    sps_log(SPS_LOG_INFO, "two", NULL);
    SPS_CHECK(strstr(s_log.data, "request_id") == NULL);
    SPS_CHECK(strstr(s_log.data, "\"session_token\":\"[REDACTED]\"") != NULL);
    sps_buf_reset(&s_log);
    /* At most four keys: a fifth is ignored. */
    sps_log_set_context("k2", "2");
    sps_log_set_context("k3", "3");
    sps_log_set_context("k4", "4");
    sps_log_set_context("k5", "5");
    sps_log(SPS_LOG_INFO, "three", NULL);
    SPS_CHECK(strstr(s_log.data, "\"k4\":\"4\"") != NULL);
    SPS_CHECK(strstr(s_log.data, "k5") == NULL);
    sps_buf_reset(&s_log);
    sps_log_clear_context();
    sps_log(SPS_LOG_INFO, "four", NULL);
    SPS_CHECK(strstr(s_log.data, "\"msg\":\"four\"}\n") != NULL);
    sps_log_set_sink(NULL);
    sps_log_set_level(SPS_LOG_OFF);
    sps_buf_clean_up(&s_log);
}

SPS_TEST_MAIN(SPS_CASE(test_runtime_api_address), SPS_CASE(test_next_reads_the_invocation),
              SPS_CASE(test_next_errors), SPS_CASE(test_respond_request),
              SPS_CASE(test_post_status_mapping), SPS_CASE(test_post_transport_and_argument_errors),
              SPS_CASE(test_error_requests),
              SPS_CASE(test_loop_continues_after_a_failing_invocation),
              SPS_CASE(test_loop_stops_on_a_500_from_next),
              SPS_CASE(test_loop_invalid_and_unknown_events),
              SPS_CASE(test_loop_refused_result_is_not_fatal),
              SPS_CASE(test_loop_stops_when_a_result_cannot_be_posted),
              SPS_CASE(test_loop_response_too_large), SPS_CASE(test_loop_init_failure),
              SPS_CASE(test_loop_bad_runtime_api), SPS_CASE(test_loop_logs_carry_the_request_id),
              SPS_CASE(test_log_context))
