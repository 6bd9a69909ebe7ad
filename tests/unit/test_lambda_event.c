/* The Lambda event parser: every documented event kind from tests/fixtures/lambda, direct
 * invocations, and each way a payload can be wrong (with the field named in the detail). */
#include "sps_aws_lambda.h"
#include "sps_test.h"

static void s_parse_fixture(struct sps_aws_lambda_event *e, const char *name)
{
    struct sps_buf text, detail;
    sps_buf_init(&text, 0);
    sps_buf_init(&detail, 0);
    sps_test_read_fixture(&text, name);
    sps_err err = sps_aws_lambda_event_parse(e, sps_buf_cursor(&text), &detail);
    if (err != SPS_OK)
        sps_test_fail(__FILE__, __LINE__, "%s: %s (%s)", name, sps_error_name(err), detail.data);
    sps_buf_clean_up(&text);
    sps_buf_clean_up(&detail);
}

/* Parses `json` expecting `expected`, and checks the detail mentions `needle`. */
static void s_expect_error(const char *json, sps_err expected, const char *needle)
{
    struct sps_aws_lambda_event e;
    struct sps_buf detail;
    sps_aws_lambda_event_init(&e);
    sps_buf_init(&detail, 0);
    sps_err err = sps_aws_lambda_event_parse(&e, sps_cursor_from_str(json), &detail);
    if (err != expected || strstr(detail.data, needle) == NULL)
        sps_test_fail(__FILE__, __LINE__, "%s\n  got %s \"%s\"\n  expected %s mentioning \"%s\"",
                      json, sps_error_name(err), detail.data, sps_error_name(expected), needle);
    /* A failed parse leaves nothing behind. */
    SPS_CHECK(e.id == NULL && e.detail_type == NULL && e.resources == NULL);
    sps_buf_clean_up(&detail);
    sps_aws_lambda_event_clean_up(&e);
}

static void test_scheduled_event(void)
{
    struct sps_aws_lambda_event e;
    sps_aws_lambda_event_init(&e);
    s_parse_fixture(&e, "lambda/scheduled-event.json");
    SPS_CHECK_INT_EQ(e.kind, SPS_LAMBDA_EVENT_SCHEDULED);
    SPS_CHECK(!e.direct && !e.report_only);
    SPS_CHECK_STR_EQ(e.version, "0");
    SPS_CHECK_STR_EQ(e.id, "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa");
    SPS_CHECK_STR_EQ(e.detail_type, "Scheduled Event");
    SPS_CHECK_STR_EQ(e.source, "aws.events");
    SPS_CHECK_STR_EQ(e.account, "123456789012");
    SPS_CHECK_STR_EQ(e.time, "2015-10-08T16:53:06Z");
    SPS_CHECK_INT_EQ(e.time_ms, 1444323186000LL);
    SPS_CHECK_STR_EQ(e.region, "us-east-1");
    SPS_CHECK_INT_EQ(e.resource_count, 1);
    SPS_CHECK_STR_EQ(e.resources[0],
                     "arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule");
    SPS_CHECK(e.instance_id == NULL && e.instance_action == NULL);
    SPS_CHECK_INT_EQ(e.action, SPS_LAMBDA_SPOT_ACTION_NONE);
    SPS_CHECK_STR_EQ(sps_aws_lambda_event_kind_name(e.kind), "scheduled");
    sps_aws_lambda_event_clean_up(&e);
}

static void test_spot_interruption(void)
{
    struct sps_aws_lambda_event e;
    sps_aws_lambda_event_init(&e);
    s_parse_fixture(&e, "lambda/spot-interruption.json");
    SPS_CHECK_INT_EQ(e.kind, SPS_LAMBDA_EVENT_SPOT_INTERRUPTION);
    SPS_CHECK_STR_EQ(e.instance_id, "i-1234567890abcdef0");
    SPS_CHECK_STR_EQ(e.instance_action, "terminate");
    SPS_CHECK_INT_EQ(e.action, SPS_LAMBDA_SPOT_ACTION_TERMINATE);
    SPS_CHECK_STR_EQ(e.region, "us-east-2");
    SPS_CHECK_INT_EQ(e.time_ms, 1795499880000LL);
    SPS_CHECK_STR_EQ(e.resources[0], "arn:aws:ec2:us-east-2a:instance/i-1234567890abcdef0");
    SPS_CHECK_STR_EQ(sps_aws_lambda_event_kind_name(e.kind), "spot_interruption");
    SPS_CHECK_STR_EQ(sps_aws_lambda_spot_action_name(e.action), "terminate");
    sps_aws_lambda_event_clean_up(&e);
}

static const char s_spot_fmt[] =
    "{\"id\":\"x\",\"detail-type\":\"EC2 Spot Instance Interruption Warning\",\"source\":"
    "\"aws.ec2\",\"time\":\"2026-11-24T05:58:00Z\",\"region\":\"eu-west-1\",\"detail\":"
    "{\"instance-id\":\"i-0abc\",\"instance-action\":\"%s\"}}";

static void test_spot_actions(void)
{
    static const struct {
        const char *text;
        enum sps_aws_lambda_spot_action action;
        const char *name;
    } cases[] = {{"terminate", SPS_LAMBDA_SPOT_ACTION_TERMINATE, "terminate"},
                 {"stop", SPS_LAMBDA_SPOT_ACTION_STOP, "stop"},
                 {"hibernate", SPS_LAMBDA_SPOT_ACTION_HIBERNATE, "hibernate"},
                 {"reboot", SPS_LAMBDA_SPOT_ACTION_OTHER, "other"}};
    struct sps_aws_lambda_event e;
    sps_aws_lambda_event_init(&e);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char json[512];
        snprintf(json, sizeof(json), s_spot_fmt, cases[i].text);
        /* The same struct is reused: parse replaces what the previous event left. */
        SPS_CHECK_OK(sps_aws_lambda_event_parse(&e, sps_cursor_from_str(json), NULL));
        SPS_CHECK_INT_EQ(e.action, cases[i].action);
        SPS_CHECK_STR_EQ(e.instance_action, cases[i].text);
        SPS_CHECK_STR_EQ(sps_aws_lambda_spot_action_name(e.action), cases[i].name);
        SPS_CHECK(e.account == NULL && e.version == NULL && e.resource_count == 0);
    }
    SPS_CHECK_STR_EQ(sps_aws_lambda_spot_action_name(SPS_LAMBDA_SPOT_ACTION_NONE), "none");
    sps_aws_lambda_event_clean_up(&e);
}

static void test_rebalance(void)
{
    struct sps_aws_lambda_event e;
    sps_aws_lambda_event_init(&e);
    s_parse_fixture(&e, "lambda/rebalance.json");
    SPS_CHECK_INT_EQ(e.kind, SPS_LAMBDA_EVENT_REBALANCE);
    SPS_CHECK_STR_EQ(e.instance_id, "i-1234567890abcdef0");
    SPS_CHECK(e.instance_action == NULL);
    SPS_CHECK_INT_EQ(e.action, SPS_LAMBDA_SPOT_ACTION_NONE);
    SPS_CHECK_INT_EQ(e.time_ms, 1795499490000LL);
    SPS_CHECK_STR_EQ(sps_aws_lambda_event_kind_name(e.kind), "rebalance");
    sps_aws_lambda_event_clean_up(&e);
}

static void test_unknown_event_kept_for_the_log(void)
{
    struct sps_aws_lambda_event e;
    sps_aws_lambda_event_init(&e);
    s_parse_fixture(&e, "lambda/state-change.json");
    SPS_CHECK_INT_EQ(e.kind, SPS_LAMBDA_EVENT_UNKNOWN);
    SPS_CHECK_STR_EQ(e.detail_type, "EC2 Instance State-change Notification");
    SPS_CHECK_STR_EQ(e.source, "aws.ec2");
    SPS_CHECK_STR_EQ(e.id, "7bf73129-1428-4cd3-a780-95db273d1602");
    /* Not an interruption: its detail's instance-id is not read as a target. */
    SPS_CHECK(e.instance_id == NULL);
    SPS_CHECK_STR_EQ(sps_aws_lambda_event_kind_name(e.kind), "unknown");
    /* A known detail-type from the wrong source is not trusted as that kind. */
    SPS_CHECK_OK(sps_aws_lambda_event_parse(
        &e,
        SPS_CURSOR_LIT("{\"id\":\"1\",\"detail-type\":\"Scheduled Event\",\"source\":\"my.app\","
                       "\"time\":\"2026-11-24T05:00:00Z\",\"region\":\"us-east-1\"}"),
        NULL));
    SPS_CHECK_INT_EQ(e.kind, SPS_LAMBDA_EVENT_UNKNOWN);
    sps_aws_lambda_event_clean_up(&e);
}

static void test_direct_invocations(void)
{
    struct sps_aws_lambda_event e;
    sps_aws_lambda_event_init(&e);
    s_parse_fixture(&e, "lambda/direct-empty.json");
    SPS_CHECK(e.kind == SPS_LAMBDA_EVENT_SCHEDULED && e.direct && !e.report_only);
    SPS_CHECK(e.id == NULL && e.detail_type == NULL);
    s_parse_fixture(&e, "lambda/direct-run.json");
    SPS_CHECK(e.kind == SPS_LAMBDA_EVENT_SCHEDULED && e.direct && !e.report_only);
    s_parse_fixture(&e, "lambda/direct-report-only.json");
    SPS_CHECK(e.kind == SPS_LAMBDA_EVENT_SCHEDULED && e.direct && e.report_only);
    SPS_CHECK_OK(sps_aws_lambda_event_parse(&e, SPS_CURSOR_LIT("{\"report_only\":false}"), NULL));
    SPS_CHECK(e.direct && !e.report_only);
    sps_aws_lambda_event_clean_up(&e);
}

static void test_documented_placeholders_rejected(void)
{
    /* The AWS examples as printed carry "yyyy-mm-ddThh:mm:ssZ": a clear error, not a guess. */
    const char *names[] = {"lambda/spot-interruption-doc.json", "lambda/rebalance-doc.json"};
    for (size_t i = 0; i < 2; i++) {
        struct sps_buf text;
        sps_buf_init(&text, 0);
        sps_test_read_fixture(&text, names[i]);
        s_expect_error(text.data, SPS_ERR_PARSE_TIME,
                       "field \"time\" (\"yyyy-mm-ddThh:mm:ssZ\") is not ISO 8601");
        sps_buf_clean_up(&text);
    }
}

static void test_malformed_json(void)
{
    struct sps_buf text;
    sps_buf_init(&text, 0);
    sps_test_read_fixture(&text, "lambda/spot-interruption.json");
    /* Truncated halfway. */
    text.data[text.len / 2] = '\0';
    s_expect_error(text.data, SPS_ERR_JSON_MALFORMED, "the event is not valid JSON (line");
    sps_buf_clean_up(&text);
    s_expect_error("", SPS_ERR_JSON_MALFORMED, "not valid JSON");
    s_expect_error("{\"action\":\"run\",\"action\":\"run\"}", SPS_ERR_JSON_MALFORMED,
                   "not valid JSON");
    s_expect_error("[1,2]", SPS_ERR_JSON_MALFORMED, "the event is an array, expected an object");
    s_expect_error("\"run\"", SPS_ERR_JSON_MALFORMED, "the event is a string, expected an object");
    s_expect_error("null", SPS_ERR_JSON_MALFORMED, "the event is null, expected an object");
    /* A NULL detail buffer is allowed. */
    struct sps_aws_lambda_event e;
    sps_aws_lambda_event_init(&e);
    SPS_CHECK_ERR(sps_aws_lambda_event_parse(&e, SPS_CURSOR_LIT("{"), NULL),
                  SPS_ERR_JSON_MALFORMED);
    SPS_CHECK_ERR(sps_aws_lambda_event_parse(&e, SPS_CURSOR_LIT("[]"), NULL),
                  SPS_ERR_JSON_MALFORMED);
    sps_aws_lambda_event_clean_up(&e);
}

#define S_ENVELOPE(fields) "{" fields "}"
#define S_TYPE "\"detail-type\":\"Scheduled Event\""
#define S_SRC "\"source\":\"aws.events\""
#define S_ID "\"id\":\"e1\""
#define S_TIME "\"time\":\"2026-11-24T05:00:00Z\""
#define S_REGION "\"region\":\"us-east-1\""

static void test_envelope_missing_fields(void)
{
    s_expect_error(S_ENVELOPE(S_SRC "," S_ID "," S_TIME "," S_REGION), SPS_ERR_MISSING_FIELD,
                   "field \"detail-type\" is missing");
    s_expect_error(S_ENVELOPE(S_TYPE "," S_ID "," S_TIME "," S_REGION), SPS_ERR_MISSING_FIELD,
                   "field \"source\" is missing");
    s_expect_error(S_ENVELOPE(S_TYPE "," S_SRC "," S_TIME "," S_REGION), SPS_ERR_MISSING_FIELD,
                   "field \"id\" is missing");
    s_expect_error(S_ENVELOPE(S_TYPE "," S_SRC "," S_ID "," S_REGION), SPS_ERR_MISSING_FIELD,
                   "field \"time\" is missing");
    s_expect_error(S_ENVELOPE(S_TYPE "," S_SRC "," S_ID "," S_TIME), SPS_ERR_MISSING_FIELD,
                   "field \"region\" is missing");
    s_expect_error(S_ENVELOPE(S_TYPE "," S_SRC "," S_ID "," S_TIME ",\"region\":\"\""),
                   SPS_ERR_MISSING_FIELD, "field \"region\" is empty");
}

static void test_envelope_wrong_types(void)
{
    s_expect_error(S_ENVELOPE("\"detail-type\":7," S_SRC "," S_ID "," S_TIME "," S_REGION),
                   SPS_ERR_JSON_MALFORMED, "field \"detail-type\" is a number, expected a string");
    s_expect_error(S_ENVELOPE(S_TYPE "," S_SRC ",\"id\":true," S_TIME "," S_REGION),
                   SPS_ERR_JSON_MALFORMED, "field \"id\" is a boolean, expected a string");
    s_expect_error(
        S_ENVELOPE(S_TYPE "," S_SRC "," S_ID "," S_TIME "," S_REGION ",\"account\":123456789012"),
        SPS_ERR_JSON_MALFORMED, "field \"account\" is a number, expected a string");
    s_expect_error(
        S_ENVELOPE(S_TYPE "," S_SRC "," S_ID "," S_TIME "," S_REGION ",\"version\":null"),
        SPS_ERR_JSON_MALFORMED, "field \"version\" is null, expected a string");
    s_expect_error(S_ENVELOPE(S_TYPE "," S_SRC "," S_ID "," S_TIME "," S_REGION
                                     ",\"resources\":\"arn:aws:events:x\""),
                   SPS_ERR_JSON_MALFORMED,
                   "field \"resources\" is a string, expected an array of strings");
    s_expect_error(S_ENVELOPE(S_TYPE "," S_SRC "," S_ID "," S_TIME "," S_REGION
                                     ",\"resources\":[\"arn:a\",{}]"),
                   SPS_ERR_JSON_MALFORMED, "field \"resources\" holds an object");
    s_expect_error(S_ENVELOPE(S_TYPE "," S_SRC "," S_ID "," S_TIME "," S_REGION ",\"detail\":[]"),
                   SPS_ERR_JSON_MALFORMED, "field \"detail\" is an array, expected an object");
    s_expect_error(S_ENVELOPE(S_TYPE "," S_SRC "," S_ID ",\"time\":\"yesterday\"," S_REGION),
                   SPS_ERR_PARSE_TIME, "field \"time\" (\"yesterday\") is not ISO 8601");
}

#define S_SPOT "\"detail-type\":\"EC2 Spot Instance Interruption Warning\",\"source\":\"aws.ec2\""
#define S_REB "\"detail-type\":\"EC2 Instance Rebalance Recommendation\",\"source\":\"aws.ec2\""
#define S_REST "," S_ID "," S_TIME "," S_REGION

static void test_instance_events_need_their_detail(void)
{
    s_expect_error(S_ENVELOPE(S_SPOT S_REST), SPS_ERR_MISSING_FIELD, "field \"detail\" is missing");
    s_expect_error(S_ENVELOPE(S_SPOT S_REST ",\"detail\":{\"instance-action\":\"stop\"}"),
                   SPS_ERR_MISSING_FIELD, "field \"detail.instance-id\" is missing");
    s_expect_error(S_ENVELOPE(S_SPOT S_REST ",\"detail\":{\"instance-id\":\"i-1\"}"),
                   SPS_ERR_MISSING_FIELD, "field \"detail.instance-action\" is missing");
    s_expect_error(
        S_ENVELOPE(S_SPOT S_REST ",\"detail\":{\"instance-id\":\"\",\"instance-action\":\"stop\"}"),
        SPS_ERR_MISSING_FIELD, "field \"detail.instance-id\" is empty");
    s_expect_error(S_ENVELOPE(S_SPOT S_REST
                              ",\"detail\":{\"instance-id\":[\"i-1\"],\"instance-action\":\"x\"}"),
                   SPS_ERR_JSON_MALFORMED,
                   "field \"detail.instance-id\" is an array, expected a string");
    s_expect_error(
        S_ENVELOPE(S_SPOT S_REST ",\"detail\":{\"instance-id\":\"i-1\",\"instance-action\":1}"),
        SPS_ERR_JSON_MALFORMED, "field \"detail.instance-action\" is a number, expected a string");
    s_expect_error(S_ENVELOPE(S_REB S_REST), SPS_ERR_MISSING_FIELD, "field \"detail\" is missing");
    s_expect_error(S_ENVELOPE(S_REB S_REST ",\"detail\":{}"), SPS_ERR_MISSING_FIELD,
                   "field \"detail.instance-id\" is missing");
    s_expect_error(S_ENVELOPE(S_REB S_REST ",\"detail\":\"i-1\""), SPS_ERR_JSON_MALFORMED,
                   "field \"detail\" is a string, expected an object");
}

static void test_direct_invocation_errors(void)
{
    s_expect_error("{\"action\":\"stop\"}", SPS_ERR_JSON_MALFORMED,
                   "unknown action \"stop\" (the only action is \"run\")");
    s_expect_error("{\"action\":1}", SPS_ERR_JSON_MALFORMED,
                   "field \"action\" is a number, expected a string");
    s_expect_error("{\"action\":\"run\",\"report_only\":\"yes\"}", SPS_ERR_JSON_MALFORMED,
                   "field \"report_only\" is a string, expected a boolean");
    /* The Lambda console's default test event is refused by name, not run as a pass. */
    s_expect_error("{\"key1\":\"value1\",\"key2\":\"value2\"}", SPS_ERR_JSON_MALFORMED,
                   "unknown field \"key1\" in a direct invocation");
}

static void test_json_string(void)
{
    struct sps_buf out;
    sps_buf_init(&out, 0);
    SPS_CHECK_OK(sps_aws_lambda_json_string(&out, "a\"b\\c\nd\te\x7f"));
    SPS_CHECK_STR_EQ(out.data, "\"a\\\"b\\\\c\\nd\\u0009e\\u007f\"");
    sps_buf_reset(&out);
    SPS_CHECK_OK(sps_aws_lambda_json_string(&out, NULL));
    SPS_CHECK_STR_EQ(out.data, "\"\"");
    /* The buffer's limit surfaces as the result. */
    struct sps_buf small;
    sps_buf_init(&small, 4);
    SPS_CHECK_ERR(sps_aws_lambda_json_string(&small, "too long"), SPS_ERR_LIMIT_EXCEEDED);
    sps_buf_clean_up(&small);
    sps_buf_clean_up(&out);
}

SPS_TEST_MAIN(SPS_CASE(test_scheduled_event), SPS_CASE(test_spot_interruption),
              SPS_CASE(test_spot_actions), SPS_CASE(test_rebalance),
              SPS_CASE(test_unknown_event_kept_for_the_log), SPS_CASE(test_direct_invocations),
              SPS_CASE(test_documented_placeholders_rejected), SPS_CASE(test_malformed_json),
              SPS_CASE(test_envelope_missing_fields), SPS_CASE(test_envelope_wrong_types),
              SPS_CASE(test_instance_events_need_their_detail),
              SPS_CASE(test_direct_invocation_errors), SPS_CASE(test_json_string))
