/* End to end: the runtime loop over the real libcurl transport against a fake Lambda Runtime API
 * (tests/support/fake_lambda_runtime.py), several invocations including failing ones. */
#include "lambda_runtime_server.h"
#include "sps_engine_lambda.h"
#include "sps_fakes.h"
#include "sps_test.h"

#include <jansson.h>
#include <stdlib.h>

#define S_TRACE "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

struct s_handler {
    int calls;
    char trace_seen[256];
};

static sps_err s_handle(void *ctx, const struct sps_aws_lambda_event *event,
                        struct sps_buf *response_json, struct sps_buf *error_detail)
{
    struct s_handler *h = ctx;
    h->calls++;
    if (h->calls == 1) {
        const char *trace = getenv(SPS_LAMBDA_TRACE_ENV);
        snprintf(h->trace_seen, sizeof(h->trace_seen), "%s", trace ? trace : "");
    }
    if (event->kind == SPS_LAMBDA_EVENT_SPOT_INTERRUPTION) {
        sps_buf_printf(error_detail, "no spot capacity to replace %s", event->instance_id);
        return SPS_ERR_AWS_CAPACITY;
    }
    sps_buf_printf(response_json, "{\"handled\":\"%s\",\"direct\":%s}",
                   sps_aws_lambda_event_kind_name(event->kind), event->direct ? "true" : "false");
    return SPS_OK;
}

static sps_err s_init_fails(void *ctx, struct sps_buf *error_detail)
{
    sps_buf_append_str(error_detail, "spotswap.ini: no [groups] section");
    return SPS_ERR_CONFIG;
}

/* Appends {"request_id": id, "body": <fixture or text>, "trace_id": trace} to a JSON array. */
static void s_event(struct sps_buf *events, const char *id, const char *fixture, const char *text,
                    const char *trace)
{
    struct sps_buf body;
    sps_buf_init(&body, 0);
    if (fixture)
        sps_test_read_fixture(&body, fixture);
    else
        sps_buf_append_str(&body, text);
    sps_buf_append_str(events, events->len > 1 ? ",{\"request_id\":" : "{\"request_id\":");
    sps_aws_lambda_json_string(events, id);
    sps_buf_append_str(events, ",\"body\":");
    sps_aws_lambda_json_string(events, body.data);
    if (trace) {
        sps_buf_append_str(events, ",\"trace_id\":");
        sps_aws_lambda_json_string(events, trace);
    }
    sps_buf_append_char(events, '}');
    sps_buf_clean_up(&body);
}

static json_t *s_records(const struct sps_lambda_test_runtime *server)
{
    json_error_t jerr;
    json_t *records = json_load_file(server->records, 0, &jerr);
    if (!json_is_array(records))
        sps_test_fail(__FILE__, __LINE__, "cannot read %s: %s", server->records, jerr.text);
    return records;
}

static void s_check_record(json_t *records, size_t i, const char *kind, const char *id,
                           const char *error_type, const char *body)
{
    json_t *r = json_array_get(records, i);
    SPS_CHECK(r != NULL);
    SPS_CHECK_STR_EQ(json_string_value(json_object_get(r, "kind")), kind);
    if (id)
        SPS_CHECK_STR_EQ(json_string_value(json_object_get(r, "request_id")), id);
    if (error_type)
        SPS_CHECK_STR_EQ(json_string_value(json_object_get(r, "error_type")), error_type);
    else
        SPS_CHECK(json_is_null(json_object_get(r, "error_type")));
    SPS_CHECK_STR_EQ(json_string_value(json_object_get(r, "content_type")), "application/json");
    if (body)
        SPS_CHECK_STR_EQ(json_string_value(json_object_get(r, "body")), body);
}

static void s_start(struct sps_lambda_test_runtime *server, struct sps_buf *events)
{
    sps_buf_append_char(events, ']');
    if (!sps_lambda_test_runtime_start(server, events->data))
        sps_test_fail(__FILE__, __LINE__, "cannot start tests/support/fake_lambda_runtime.py");
}

static void test_invocations_over_the_wire(void)
{
    struct sps_buf events;
    sps_buf_init(&events, 0);
    sps_buf_append_char(&events, '[');
    s_event(&events, "r1", "lambda/scheduled-event.json", NULL, S_TRACE);
    s_event(&events, "r2", "lambda/spot-interruption.json", NULL, NULL);
    s_event(&events, "r3", NULL, "{\"detail-type\": \"Scheduled", NULL);
    s_event(&events, "r4", "lambda/state-change.json", NULL, NULL);
    s_event(&events, "r5", "lambda/direct-run.json", NULL, NULL);
    struct sps_lambda_test_runtime server;
    s_start(&server, &events);

    struct sps_http_transport *t;
    SPS_CHECK_OK(sps_http_curl_new(&t, NULL));
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    sps_fake_env_set(&env, "AWS_LAMBDA_RUNTIME_API", server.api);
    struct s_handler h = {0};
    struct sps_engine_lambda_options o = {
        .transport = t, .env = &env.env, .handle = s_handle, .ctx = &h, .max_invocations = 0};
    /* Forever, until the API has no more invocations and answers 500. */
    SPS_CHECK_ERR(sps_engine_lambda_serve(&o), SPS_ERR_LAMBDA_RUNTIME_EXIT);
    SPS_CHECK_INT_EQ(h.calls, 3); /* r1, r2, r5: the invalid and the unknown never reach it */
    SPS_CHECK_STR_EQ(h.trace_seen, S_TRACE);

    json_t *records = s_records(&server);
    SPS_CHECK_INT_EQ(json_array_size(records), 5);
    s_check_record(records, 0, "response", "r1", NULL,
                   "{\"handled\":\"scheduled\",\"direct\":false}");
    s_check_record(records, 1, "error", "r2", "SPS_ERR_AWS_CAPACITY",
                   "{\"errorMessage\":\"no spot capacity to replace i-1234567890abcdef0\","
                   "\"errorType\":\"SPS_ERR_AWS_CAPACITY\"}");
    s_check_record(records, 2, "error", "r3", "InvalidEvent", NULL);
    const char *invalid = json_string_value(json_object_get(json_array_get(records, 2), "body"));
    SPS_CHECK(invalid && strstr(invalid, "the event is not valid JSON"));
    s_check_record(records, 3, "response", "r4", NULL,
                   "{\"status\":\"ignored\",\"detail-type\":\"EC2 Instance State-change "
                   "Notification\",\"source\":\"aws.ec2\"}");
    s_check_record(records, 4, "response", "r5", NULL,
                   "{\"handled\":\"scheduled\",\"direct\":true}");
    json_decref(records);

    sps_http_transport_destroy(t);
    sps_lambda_test_runtime_stop(&server);
    sps_buf_clean_up(&events);
}

static void test_max_invocations_and_init_error_over_the_wire(void)
{
    struct sps_buf events;
    sps_buf_init(&events, 0);
    sps_buf_append_char(&events, '[');
    s_event(&events, "a1", "lambda/rebalance.json", NULL, NULL);
    s_event(&events, "a2", "lambda/direct-report-only.json", NULL, NULL);
    s_event(&events, "a3", "lambda/scheduled-event.json", NULL, NULL);
    struct sps_lambda_test_runtime server;
    s_start(&server, &events);
    struct sps_http_transport *t;
    SPS_CHECK_OK(sps_http_curl_new(&t, NULL));
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    sps_fake_env_set(&env, "AWS_LAMBDA_RUNTIME_API", server.api);
    struct s_handler h = {0};
    struct sps_engine_lambda_options o = {
        .transport = t, .env = &env.env, .handle = s_handle, .ctx = &h, .max_invocations = 2};
    SPS_CHECK_OK(sps_engine_lambda_serve(&o));
    SPS_CHECK_INT_EQ(h.calls, 2);
    json_t *records = s_records(&server);
    SPS_CHECK_INT_EQ(json_array_size(records), 2);
    s_check_record(records, 0, "response", "a1", NULL,
                   "{\"handled\":\"rebalance\",\"direct\":false}");
    s_check_record(records, 1, "response", "a2", NULL,
                   "{\"handled\":\"scheduled\",\"direct\":true}");
    json_decref(records);

    /* A failing initialization is posted to init/error and no invocation is fetched. */
    o.init = s_init_fails;
    SPS_CHECK_ERR(sps_engine_lambda_serve(&o), SPS_ERR_CONFIG);
    records = s_records(&server);
    SPS_CHECK_INT_EQ(json_array_size(records), 3);
    s_check_record(records, 2, "init_error", NULL, "SPS_ERR_CONFIG",
                   "{\"errorMessage\":\"spotswap.ini: no [groups] section\",\"errorType\":"
                   "\"SPS_ERR_CONFIG\"}");
    json_decref(records);
    SPS_CHECK_INT_EQ(h.calls, 2);

    sps_http_transport_destroy(t);
    sps_lambda_test_runtime_stop(&server);
    sps_buf_clean_up(&events);
}

SPS_TEST_MAIN(SPS_CASE(test_invocations_over_the_wire),
              SPS_CASE(test_max_invocations_and_init_error_over_the_wire))
