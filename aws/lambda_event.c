/*
 * The payloads spotswap's Lambda function is invoked with: EventBridge events (the 5-minute
 * schedule, EC2 Spot interruption warnings, rebalance recommendations, anything else a rule
 * forwards) and direct invocations ({} or {"action": "run"}), parsed into a typed struct. Pure:
 * bytes in, struct or a named error out.
 */
#include "sps_aws_lambda.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sps_aws_lambda_event_init(struct sps_aws_lambda_event *e)
{
    memset(e, 0, sizeof(*e));
    e->kind = SPS_LAMBDA_EVENT_UNKNOWN;
}

void sps_aws_lambda_event_clean_up(struct sps_aws_lambda_event *e)
{
    if (e == NULL)
        return;
    char **strings[] = {&e->version, &e->id,     &e->detail_type, &e->source,         &e->account,
                        &e->time,    &e->region, &e->instance_id, &e->instance_action};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        sps_free(*strings[i]);
    for (size_t i = 0; i < e->resource_count; i++)
        sps_free(e->resources[i]);
    sps_free(e->resources);
    sps_aws_lambda_event_init(e);
}

const char *sps_aws_lambda_event_kind_name(enum sps_aws_lambda_event_kind kind)
{
    switch (kind) {
    case SPS_LAMBDA_EVENT_SCHEDULED:
        return "scheduled";
    case SPS_LAMBDA_EVENT_SPOT_INTERRUPTION:
        return "spot_interruption";
    case SPS_LAMBDA_EVENT_REBALANCE:
        return "rebalance";
    case SPS_LAMBDA_EVENT_UNKNOWN:
        break;
    }
    return "unknown";
}

const char *sps_aws_lambda_spot_action_name(enum sps_aws_lambda_spot_action action)
{
    switch (action) {
    case SPS_LAMBDA_SPOT_ACTION_TERMINATE:
        return "terminate";
    case SPS_LAMBDA_SPOT_ACTION_STOP:
        return "stop";
    case SPS_LAMBDA_SPOT_ACTION_HIBERNATE:
        return "hibernate";
    case SPS_LAMBDA_SPOT_ACTION_OTHER:
        return "other";
    case SPS_LAMBDA_SPOT_ACTION_NONE:
        break;
    }
    return "none";
}

sps_err sps_aws_lambda_json_string(struct sps_buf *out, const char *s)
{
    sps_buf_append_char(out, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') {
            sps_buf_append_char(out, '\\');
            sps_buf_append_char(out, (char)*p);
        } else if (*p == '\n') {
            sps_buf_append_str(out, "\\n");
        } else if (*p < 0x20 || *p == 0x7f) {
            sps_buf_printf(out, "\\u%04x", *p);
        } else {
            sps_buf_append_char(out, (char)*p);
        }
    }
    return sps_buf_append_char(out, '"');
}

/* ---- field access with named errors ---- */

static sps_err s_fail(struct sps_buf *detail, sps_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static sps_err s_fail(struct sps_buf *detail, sps_err err, const char *fmt, ...)
{
    if (detail) {
        char text[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof(text), fmt, ap);
        va_end(ap);
        sps_buf_reset(detail);
        sps_buf_append_str(detail, text);
    }
    return err;
}

static const char *s_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        break;
    }
    return "null";
}

/* Copies the string field `name` of `obj` into *out; `path` names it in errors. A missing field
 * is an error only when `required`. */
static sps_err s_string(json_t *obj, const char *name, const char *path, bool required, char **out,
                        struct sps_buf *detail)
{
    json_t *v = json_object_get(obj, name);
    if (v == NULL) {
        if (required)
            return s_fail(detail, SPS_ERR_MISSING_FIELD, "field \"%s\" is missing", path);
        return SPS_OK;
    }
    if (!json_is_string(v))
        return s_fail(detail, SPS_ERR_JSON_MALFORMED, "field \"%s\" is %s, expected a string", path,
                      s_type_name(v));
    if (required && json_string_length(v) == 0)
        return s_fail(detail, SPS_ERR_MISSING_FIELD, "field \"%s\" is empty", path);
    *out = sps_strndup(json_string_value(v), json_string_length(v));
    return SPS_OK;
}

static sps_err s_resources(json_t *root, struct sps_aws_lambda_event *e, struct sps_buf *detail)
{
    json_t *v = json_object_get(root, "resources");
    if (v == NULL)
        return SPS_OK;
    if (!json_is_array(v))
        return s_fail(detail, SPS_ERR_JSON_MALFORMED,
                      "field \"resources\" is %s, expected an array of strings", s_type_name(v));
    size_t n = json_array_size(v);
    e->resources = sps_calloc(n ? n : 1, sizeof(e->resources[0]));
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(v, i);
        if (!json_is_string(item))
            return s_fail(detail, SPS_ERR_JSON_MALFORMED,
                          "field \"resources\" holds %s, expected only strings", s_type_name(item));
        e->resources[e->resource_count++] =
            sps_strndup(json_string_value(item), json_string_length(item));
    }
    return SPS_OK;
}

/* ---- the kinds ---- */

static const struct {
    const char *detail_type;
    const char *source;
    enum sps_aws_lambda_event_kind kind;
} s_kinds[] = {
    {"Scheduled Event", "aws.events", SPS_LAMBDA_EVENT_SCHEDULED},
    {"EC2 Spot Instance Interruption Warning", "aws.ec2", SPS_LAMBDA_EVENT_SPOT_INTERRUPTION},
    {"EC2 Instance Rebalance Recommendation", "aws.ec2", SPS_LAMBDA_EVENT_REBALANCE},
};

static enum sps_aws_lambda_spot_action s_action(const char *text)
{
    static const struct {
        const char *name;
        enum sps_aws_lambda_spot_action action;
    } actions[] = {{"terminate", SPS_LAMBDA_SPOT_ACTION_TERMINATE},
                   {"stop", SPS_LAMBDA_SPOT_ACTION_STOP},
                   {"hibernate", SPS_LAMBDA_SPOT_ACTION_HIBERNATE}};
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        if (strcmp(text, actions[i].name) == 0)
            return actions[i].action;
    }
    return SPS_LAMBDA_SPOT_ACTION_OTHER;
}

static sps_err s_detail(json_t *root, struct sps_aws_lambda_event *e, struct sps_buf *detail)
{
    json_t *d = json_object_get(root, "detail");
    bool needs_instance =
        e->kind == SPS_LAMBDA_EVENT_SPOT_INTERRUPTION || e->kind == SPS_LAMBDA_EVENT_REBALANCE;
    if (d == NULL) {
        if (needs_instance)
            return s_fail(detail, SPS_ERR_MISSING_FIELD, "field \"%s\" is missing", "detail");
        return SPS_OK;
    }
    if (!json_is_object(d))
        return s_fail(detail, SPS_ERR_JSON_MALFORMED, "field \"detail\" is %s, expected an object",
                      s_type_name(d));
    if (!needs_instance)
        return SPS_OK;
    SPS_TRY(s_string(d, "instance-id", "detail.instance-id", true, &e->instance_id, detail));
    if (e->kind == SPS_LAMBDA_EVENT_SPOT_INTERRUPTION) {
        SPS_TRY(s_string(d, "instance-action", "detail.instance-action", true, &e->instance_action,
                         detail));
        e->action = s_action(e->instance_action);
    }
    return SPS_OK;
}

static sps_err s_eventbridge(json_t *root, struct sps_aws_lambda_event *e, struct sps_buf *detail)
{
    /* The fields spotswap acts on or logs are required; the others are only type-checked. */
    SPS_TRY(s_string(root, "detail-type", "detail-type", true, &e->detail_type, detail));
    SPS_TRY(s_string(root, "source", "source", true, &e->source, detail));
    SPS_TRY(s_string(root, "id", "id", true, &e->id, detail));
    SPS_TRY(s_string(root, "time", "time", true, &e->time, detail));
    SPS_TRY(s_string(root, "region", "region", true, &e->region, detail));
    SPS_TRY(s_string(root, "account", "account", false, &e->account, detail));
    SPS_TRY(s_string(root, "version", "version", false, &e->version, detail));
    SPS_TRY(s_resources(root, e, detail));
    if (sps_time_parse_iso8601(sps_cursor_from_str(e->time), &e->time_ms) != SPS_OK)
        return s_fail(detail, SPS_ERR_PARSE_TIME, "field \"time\" (\"%.64s\") is not ISO 8601",
                      e->time);
    e->kind = SPS_LAMBDA_EVENT_UNKNOWN;
    for (size_t i = 0; i < sizeof(s_kinds) / sizeof(s_kinds[0]); i++) {
        if (strcmp(e->detail_type, s_kinds[i].detail_type) == 0 &&
            strcmp(e->source, s_kinds[i].source) == 0)
            e->kind = s_kinds[i].kind;
    }
    return s_detail(root, e, detail);
}

static sps_err s_direct(json_t *root, struct sps_aws_lambda_event *e, struct sps_buf *detail)
{
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "action") == 0) {
            if (!json_is_string(v))
                return s_fail(detail, SPS_ERR_JSON_MALFORMED,
                              "field \"action\" is %s, expected a string", s_type_name(v));
            if (strcmp(json_string_value(v), "run") != 0)
                return s_fail(detail, SPS_ERR_JSON_MALFORMED,
                              "unknown action \"%.64s\" (the only action is \"run\")",
                              json_string_value(v));
        } else if (strcmp(key, "report_only") == 0) {
            if (!json_is_boolean(v))
                return s_fail(detail, SPS_ERR_JSON_MALFORMED,
                              "field \"report_only\" is %s, expected a boolean", s_type_name(v));
            e->report_only = json_is_true(v);
        } else {
            return s_fail(detail, SPS_ERR_JSON_MALFORMED,
                          "unknown field \"%.64s\" in a direct invocation (expected \"action\" "
                          "and \"report_only\", or an EventBridge event)",
                          key);
        }
    }
    e->kind = SPS_LAMBDA_EVENT_SCHEDULED;
    e->direct = true;
    return SPS_OK;
}

sps_err sps_aws_lambda_event_parse(struct sps_aws_lambda_event *out, struct sps_cursor json,
                                   struct sps_buf *detail)
{
    sps_aws_lambda_event_clean_up(out);
    json_error_t jerr;
    json_t *root = json_loadb(json.ptr, json.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    sps_err err = SPS_OK;
    if (root == NULL) {
        if (detail) {
            sps_buf_reset(detail);
            sps_buf_printf(detail, "the event is not valid JSON (line %d, column %d: %s)",
                           jerr.line, jerr.column, jerr.text);
        }
        return SPS_ERR_JSON_MALFORMED;
    }
    if (!json_is_object(root))
        SPS_GUARD(s_fail(detail, SPS_ERR_JSON_MALFORMED, "the event is %s, expected an object",
                         s_type_name(root)));
    if (json_object_get(root, "detail-type") || json_object_get(root, "source"))
        SPS_GUARD(s_eventbridge(root, out, detail));
    else
        SPS_GUARD(s_direct(root, out, detail));
cleanup:
    json_decref(root);
    if (err != SPS_OK)
        sps_aws_lambda_event_clean_up(out);
    return err;
}
