/*
 * The pieces every Auto Scaling operation shares: typed field readers that say which field was
 * missing or bad, the launch template and activity shapes several results embed, and running
 * a request (one call or every page) through the service client.
 */
#include "autoscaling_internal.h"

#include <stdio.h>
#include <string.h>

void *sps_asg_grow(void *items, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return items;
    *cap = *cap ? *cap * 2 : 4;
    return sps_realloc(items, *cap * size);
}

static sps_err s_missing(const char *shape, const char *path)
{
    sps_log(SPS_LOG_DEBUG, "Auto Scaling response lacks a required field", "shape", shape, "field",
            path, NULL);
    return SPS_ERR_MISSING_FIELD;
}

/* Logs a field that is present but not of its type; the value itself stays out of the log. */
static sps_err s_checked(sps_err err, const char *shape, const char *path)
{
    if (err == SPS_ERR_MISSING_FIELD)
        return s_missing(shape, path);
    if (err != SPS_OK)
        sps_log(SPS_LOG_DEBUG, "Auto Scaling response field has a bad value", "shape", shape,
                "field", path, "error", sps_error_name(err), NULL);
    return err;
}

sps_err sps_asg_need_str(const struct sps_xml_node *node, const char *shape, const char *path,
                         char **out)
{
    const char *text = sps_xml_path_text(node, path);
    if (text == NULL || text[0] == '\0')
        return s_missing(shape, path);
    sps_free(*out);
    *out = sps_strdup(text);
    return SPS_OK;
}

void sps_asg_opt_str(const struct sps_xml_node *node, const char *path, char **out)
{
    const char *text = sps_xml_path_text(node, path);
    if (text == NULL || text[0] == '\0')
        return;
    sps_free(*out);
    *out = sps_strdup(text);
}

static bool s_present(const struct sps_xml_node *node, const char *path, bool *has)
{
    bool present = sps_xml_path(node, path) != NULL;
    if (has != NULL)
        *has = present;
    return present;
}

sps_err sps_asg_need_i64(const struct sps_xml_node *node, const char *shape, const char *path,
                         int64_t *out)
{
    return s_checked(sps_xml_path_i64(node, path, out), shape, path);
}

sps_err sps_asg_opt_i64(const struct sps_xml_node *node, const char *shape, const char *path,
                        int64_t *out, bool *has)
{
    if (!s_present(node, path, has))
        return SPS_OK;
    return s_checked(sps_xml_path_i64(node, path, out), shape, path);
}

sps_err sps_asg_opt_double(const struct sps_xml_node *node, const char *shape, const char *path,
                           double *out, bool *has)
{
    const char *text = sps_xml_path_text(node, path);
    /* AWS uses an empty price to mean "no price set" (the On-Demand price applies). */
    bool present = text != NULL && sps_cursor_trim(sps_cursor_from_str(text)).len > 0;
    if (has != NULL)
        *has = present;
    if (!present)
        return SPS_OK;
    return s_checked(sps_xml_path_double(node, path, out), shape, path);
}

sps_err sps_asg_need_bool(const struct sps_xml_node *node, const char *shape, const char *path,
                          bool *out)
{
    return s_checked(sps_xml_path_bool(node, path, out), shape, path);
}

sps_err sps_asg_opt_bool(const struct sps_xml_node *node, const char *shape, const char *path,
                         bool *out)
{
    if (!s_present(node, path, NULL))
        return SPS_OK;
    return s_checked(sps_xml_path_bool(node, path, out), shape, path);
}

sps_err sps_asg_opt_tristate(const struct sps_xml_node *node, const char *shape, const char *path,
                             enum sps_aws_asg_tristate *out)
{
    *out = SPS_AWS_ASG_UNSET;
    if (!s_present(node, path, NULL))
        return SPS_OK;
    bool value = false;
    SPS_TRY(s_checked(sps_xml_path_bool(node, path, &value), shape, path));
    *out = value ? SPS_AWS_ASG_TRUE : SPS_AWS_ASG_FALSE;
    return SPS_OK;
}

sps_err sps_asg_need_time(const struct sps_xml_node *node, const char *shape, const char *path,
                          int64_t *epoch_ms)
{
    return s_checked(sps_xml_path_time(node, path, epoch_ms), shape, path);
}

sps_err sps_asg_opt_time(const struct sps_xml_node *node, const char *shape, const char *path,
                         int64_t *epoch_ms)
{
    if (!s_present(node, path, NULL))
        return SPS_OK;
    return s_checked(sps_xml_path_time(node, path, epoch_ms), shape, path);
}

sps_err sps_asg_need_list(const struct sps_xml_node *node, const char *shape, const char *path,
                          const struct sps_xml_node **list)
{
    *list = sps_xml_path(node, path);
    return *list == NULL ? s_missing(shape, path) : SPS_OK;
}

const struct sps_xml_node *sps_asg_first(const struct sps_xml_node *list)
{
    return sps_xml_child(list, "member");
}

const struct sps_xml_node *sps_asg_next(const struct sps_xml_node *member)
{
    return sps_xml_next(member, "member");
}

void sps_asg_strings(const struct sps_xml_node *node, const char *path, struct sps_aws_strings *out)
{
    for (const struct sps_xml_node *m = sps_asg_first(sps_xml_path(node, path)); m;
         m = sps_asg_next(m)) {
        const char *text = sps_xml_text(m);
        if (text[0] != '\0')
            sps_aws_strings_add(out, text);
    }
}

void sps_asg_read_launch_template(const struct sps_xml_node *node,
                                  struct sps_aws_asg_launch_template *out)
{
    sps_asg_opt_str(node, "LaunchTemplateId", &out->id);
    sps_asg_opt_str(node, "LaunchTemplateName", &out->name);
    sps_asg_opt_str(node, "Version", &out->version);
}

void sps_aws_asg_launch_template_clean_up(struct sps_aws_asg_launch_template *lt)
{
    if (lt == NULL)
        return;
    sps_free(lt->id);
    sps_free(lt->name);
    sps_free(lt->version);
    memset(lt, 0, sizeof(*lt));
}

bool sps_aws_asg_launch_template_present(const struct sps_aws_asg_launch_template *lt)
{
    return lt != NULL && (lt->id != NULL || lt->name != NULL);
}

sps_err sps_asg_read_activity(const struct sps_xml_node *node, struct sps_aws_asg_activity *out)
{
    static const char shape[] = "Activity";
    SPS_TRY(sps_asg_need_str(node, shape, "ActivityId", &out->activity_id));
    SPS_TRY(sps_asg_need_str(node, shape, "AutoScalingGroupName", &out->group_name));
    SPS_TRY(sps_asg_need_str(node, shape, "Cause", &out->cause));
    SPS_TRY(sps_asg_need_time(node, shape, "StartTime", &out->start_time));
    SPS_TRY(sps_asg_need_str(node, shape, "StatusCode", &out->status_code));
    SPS_TRY(sps_asg_opt_time(node, shape, "EndTime", &out->end_time));
    SPS_TRY(sps_asg_opt_i64(node, shape, "Progress", &out->progress, NULL));
    sps_asg_opt_str(node, "Description", &out->description);
    sps_asg_opt_str(node, "StatusMessage", &out->status_message);
    sps_asg_opt_str(node, "Details", &out->details);
    return SPS_OK;
}

void sps_aws_asg_activity_clean_up(struct sps_aws_asg_activity *a)
{
    if (a == NULL)
        return;
    sps_free(a->activity_id);
    sps_free(a->group_name);
    sps_free(a->description);
    sps_free(a->cause);
    sps_free(a->status_code);
    sps_free(a->status_message);
    sps_free(a->details);
    memset(a, 0, sizeof(*a));
}

void sps_aws_asg_activities_init(struct sps_aws_asg_activities *a)
{
    memset(a, 0, sizeof(*a));
}

void sps_aws_asg_activities_clean_up(struct sps_aws_asg_activities *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->count; i++)
        sps_aws_asg_activity_clean_up(&a->items[i]);
    sps_free(a->items);
    sps_free(a->next_token);
    sps_aws_asg_activities_init(a);
}

sps_err sps_asg_read_activities(const struct sps_xml_node *list, struct sps_aws_asg_activities *out)
{
    for (const struct sps_xml_node *m = sps_asg_first(list); m; m = sps_asg_next(m)) {
        struct sps_aws_asg_activity a = {0};
        sps_err err = sps_asg_read_activity(m, &a);
        if (err != SPS_OK) {
            sps_aws_asg_activity_clean_up(&a);
            return err;
        }
        out->items = sps_asg_grow(out->items, &out->cap, out->count, sizeof(out->items[0]));
        out->items[out->count++] = a;
    }
    return SPS_OK;
}

void sps_asg_read_next_token(const struct sps_xml_node *result, char **token)
{
    sps_free(*token);
    *token = NULL;
    sps_asg_opt_str(result, "NextToken", token);
}

void sps_asg_query_init(struct sps_query *q, const char *action)
{
    sps_query_init(q, action, SPS_AWS_AUTOSCALING_VERSION);
}

void sps_asg_query_set_i64(struct sps_query *q, const char *key, int64_t value)
{
    char text[24];
    (void)snprintf(text, sizeof(text), "%lld", (long long)value);
    sps_query_set(q, key, text);
}

void sps_asg_query_set_bool(struct sps_query *q, const char *key, bool value)
{
    sps_query_set(q, key, value ? "true" : "false");
}

sps_err sps_asg_check(struct sps_aws_client *c, const char *what, const char *required)
{
    const char *problem = NULL;
    if (c == NULL)
        problem = "no client";
    else if (sps_aws_client_service(c) != SPS_AWS_AUTOSCALING)
        problem = "the client is not an Auto Scaling client";
    else if (what != NULL && (required == NULL || required[0] == '\0'))
        problem = what;
    if (problem == NULL)
        return SPS_OK;
    sps_log(SPS_LOG_DEBUG, "Auto Scaling call refused before sending", "missing", problem, NULL);
    return SPS_ERR_INVALID_ARGUMENT;
}

sps_err sps_asg_run(struct sps_aws_client *c, const struct sps_query *q, sps_asg_parse_fn parse,
                    void *out, struct sps_aws_error *aws_err)
{
    struct sps_aws_call call;
    sps_aws_call_init_query(&call, c, q);
    sps_err err = sps_aws_call_run(&call);
    if (aws_err != NULL)
        *aws_err = call.error;
    if (err == SPS_OK && parse != NULL)
        err = parse(sps_aws_call_result_node(&call), out);
    sps_aws_call_clean_up(&call);
    return err;
}

struct s_page_ctx {
    sps_asg_parse_fn parse;
    void *out;
};

static sps_err s_on_page(void *ctx, const struct sps_xml_node *result)
{
    struct s_page_ctx *p = ctx;
    return p->parse(result, p->out);
}

sps_err sps_asg_paginate(struct sps_aws_client *c, const struct sps_query *q,
                         sps_asg_parse_fn parse, void *out, struct sps_aws_error *aws_err)
{
    struct s_page_ctx ctx = {parse, out};
    return sps_aws_query_paginate(c, q, 0, s_on_page, &ctx, aws_err);
}

sps_err sps_asg_describe_batched(struct sps_aws_client *c, const void *in, const char *const *names,
                                 size_t name_count, size_t batch, sps_asg_batch_query_fn build,
                                 sps_asg_parse_fn parse, void *out, struct sps_aws_error *aws_err)
{
    sps_err err = SPS_OK;
    size_t done = 0;
    do {
        size_t n = name_count - done < batch ? name_count - done : batch;
        struct sps_query q;
        build(&q, in, name_count ? names + done : names, n);
        err = sps_asg_paginate(c, &q, parse, out, aws_err);
        sps_query_clean_up(&q);
        done += n;
    } while (err == SPS_OK && done < name_count);
    return err;
}
