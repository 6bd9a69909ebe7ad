/*
 * `spotswap aws`: a set-up check. It resolves region, credentials and endpoint exactly as a run
 * does, performs one call and prints what came back, so a user can see which part of their
 * configuration is wrong before handing spotswap their fleet.
 */
#include "sps_aws.h"
#include "sps_engine_cli.h"
#include "sps_engine_session.h"

#include <string.h>

struct s_aws_args {
    const char *service_name;
    const char *action;
    const char *region;
    const char *profile;
    const char *output; /* "text" (default), "xml" (raw body) */
    struct sps_query query;
    const char *json_body; /* pricing: the request document */
};

static const char s_aws_usage[] =
    "usage: spotswap aws <ec2|autoscaling|sts|pricing> <Action> [Name=Value ...]\n"
    "                    [--region R] [--profile P] [--output text|xml]\n"
    "  Query services take Name=Value parameters (lists as Name.1=..., Name.member.1=...);\n"
    "  pricing takes one JSON document: spotswap aws pricing GetProducts '{\"ServiceCode\":...}'\n";

static int s_usage(FILE *err, const char *why)
{
    fprintf(err, "spotswap aws: %s\n%s", why, s_aws_usage);
    return 2;
}

/* Parses options and Name=Value pairs; returns 0 or a usage exit code. */
static int s_parse_args(struct s_aws_args *a, enum sps_aws_service *service, int argc,
                        char **argv, FILE *err)
{
    if (argc < 2)
        return s_usage(err, "a service and an action are required");
    a->service_name = argv[0];
    a->action = argv[1];
    a->output = "text";
    if (sps_aws_service_from_name(a->service_name, service) != SPS_OK)
        return s_usage(err, "unknown service (expected ec2, autoscaling, sts or pricing)");
    const struct sps_aws_service_info *info = sps_aws_service_info(*service);
    sps_query_init(&a->query, a->action, info->api_version ? info->api_version : "");
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        const char **slot = strcmp(arg, "--region") == 0    ? &a->region
                            : strcmp(arg, "--profile") == 0 ? &a->profile
                            : strcmp(arg, "--output") == 0  ? &a->output
                                                            : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return s_usage(err, "an option is missing its value");
            *slot = argv[++i];
        } else if (info->json_target_prefix && a->json_body == NULL) {
            a->json_body = arg;
        } else if (strchr(arg, '=') && arg[0] != '=') {
            struct sps_cursor rest = sps_cursor_from_str(arg), name;
            sps_cursor_split(&rest, '=', &name);
            char *key = sps_cursor_dup(name);
            char *value = sps_cursor_dup(rest);
            sps_query_set(&a->query, key, value);
            sps_free(key);
            sps_free(value);
        } else {
            return s_usage(err, "parameters must be Name=Value");
        }
    }
    if (strcmp(a->output, "text") != 0 && strcmp(a->output, "xml") != 0)
        return s_usage(err, "--output must be text or xml");
    return 0;
}

static void s_print_path(FILE *out, const char *path, const char *value)
{
    struct sps_buf safe;
    sps_buf_init(&safe, 0);
    /* Responses can carry secrets (STS credentials): print through the log redaction rules. */
    if (sps_log_redact(&safe, path, value) == SPS_OK)
        fprintf(out, "%s = %s\n", path, safe.data);
    sps_buf_clean_up(&safe);
}

/* Prints every leaf element as "a.b.c = value", which reads well for any Query response. */
static void s_print_tree(FILE *out, const struct sps_xml_node *node, struct sps_buf *path)
{
    size_t mark = path->len;
    const struct sps_xml_node *child = sps_xml_child(node, NULL);
    if (child == NULL) {
        s_print_path(out, path->data, sps_xml_text(node));
        return;
    }
    for (; child; child = sps_xml_next(child, NULL)) {
        if (mark)
            sps_buf_append_char(path, '.');
        sps_buf_append_str(path, sps_xml_name(child));
        s_print_tree(out, child, path);
        path->len = mark;
        path->data[mark] = '\0';
    }
}

static void s_print_result(FILE *out, const struct sps_aws_call *call, const char *format)
{
    const struct sps_xml_node *result = sps_aws_call_result_node(call);
    if (strcmp(format, "xml") == 0 || result == NULL) {
        fprintf(out, "%s\n", call->body.data);
        return;
    }
    struct sps_buf path;
    sps_buf_init(&path, 0);
    s_print_tree(out, result, &path);
    sps_buf_clean_up(&path);
}

static void s_print_failure(FILE *err, const struct s_aws_args *a, sps_err e,
                            const struct sps_aws_error *aws)
{
    if (aws->code[0]) {
        fprintf(err, "spotswap aws: %s %s failed: %s: %s (HTTP %d, request id %s)\n",
                a->service_name, a->action, aws->code, aws->message, aws->http_status,
                aws->request_id[0] ? aws->request_id : "none");
    } else {
        /* Local failures (credentials, network) leave their specific detail in the message. */
        fprintf(err, "spotswap aws: %s %s failed: %s\n", a->service_name, a->action,
                aws->message[0] ? aws->message : sps_error_message(e));
    }
}

/* Opens the session and the one client the call needs; prints one line when it cannot. */
static sps_err s_open(struct sps_engine_session *session, struct sps_aws_client **client,
                      const struct s_aws_args *a, enum sps_aws_service service, FILE *err)
{
    struct sps_buf why;
    sps_buf_init(&why, 1024);
    sps_err e = sps_engine_session_open(session, sps_env_process(), a->region, a->profile, 0,
                                        &why);
    if (e == SPS_OK)
        e = sps_engine_session_client(session, service, NULL, NULL, client, &why);
    if (e != SPS_OK)
        fprintf(err, "spotswap aws: %s\n", why.data);
    sps_buf_clean_up(&why);
    return e;
}

int sps_engine_cli_aws(int argc, char **argv, FILE *out, FILE *err)
{
    struct s_aws_args a = {0};
    enum sps_aws_service service = SPS_AWS_EC2;
    struct sps_engine_session session = {0};
    struct sps_aws_client *client = NULL;
    int rc = s_parse_args(&a, &service, argc, argv, err);
    if (rc != 0)
        goto cleanup;
    rc = 1;
    if (s_open(&session, &client, &a, service, err) != SPS_OK)
        goto cleanup;
    struct sps_aws_call call;
    if (sps_aws_service_info(service)->json_target_prefix)
        sps_aws_call_init_json(&call, client, a.action,
                               sps_cursor_from_str(a.json_body ? a.json_body : "{}"));
    else
        sps_aws_call_init_query(&call, client, &a.query);
    sps_err e = sps_aws_call_run(&call);
    if (e == SPS_OK) {
        s_print_result(out, &call, a.output);
        rc = 0;
    } else {
        s_print_failure(err, &a, e, &call.error);
    }
    sps_aws_call_clean_up(&call);
cleanup:
    sps_aws_client_destroy(client);
    sps_engine_session_clean_up(&session);
    sps_query_clean_up(&a.query);
    return rc;
}
