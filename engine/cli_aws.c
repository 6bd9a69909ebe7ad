/*
 * `spotswap aws`: a set-up check. It resolves region, credentials and endpoint exactly as a run
 * does, performs one call and prints what came back, so a user can see which part of their
 * configuration is wrong before handing spotswap their fleet.
 */
#include "sps_aws.h"
#include "sps_engine_cli.h"

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

struct s_aws_session {
    struct sps_buf region;
    struct sps_http_transport *transport;
    struct sps_aws_credentials_provider *credentials;
    struct sps_aws_client *client;
};

static void s_session_clean_up(struct s_aws_session *s)
{
    sps_aws_client_destroy(s->client);
    sps_aws_credentials_provider_destroy(s->credentials);
    sps_http_transport_destroy(s->transport);
    sps_buf_clean_up(&s->region);
}

static sps_err s_session_open(struct s_aws_session *s, const struct s_aws_args *a,
                              enum sps_aws_service service, FILE *err)
{
    const struct sps_env *env = sps_env_process();
    if (a->region) {
        (void)sps_buf_append_str(&s->region, a->region);
    } else if (sps_aws_region_resolve(&s->region, env, a->profile) != SPS_OK) {
        fputs("spotswap aws: no region: set AWS_REGION, pass --region, or set region in the "
              "profile\n", err);
        return SPS_ERR_REGION_NOT_SET;
    }
    struct sps_http_curl_options curl = {.ca_bundle = sps_env_get(env, "AWS_CA_BUNDLE")};
    SPS_TRY(sps_http_curl_new(&s->transport, &curl));
    struct sps_aws_credentials_chain_options chain = {
        .env = env, .transport = s->transport, .profile = a->profile, .region = s->region.data};
    sps_err e = sps_aws_credentials_provider_new_chain(&s->credentials, &chain);
    if (e != SPS_OK) {
        fprintf(err, "spotswap aws: credentials: %s\n", sps_error_message(e));
        return e;
    }
    struct sps_aws_client_options options = {.service = service,
                                             .region = s->region.data,
                                             .env = env,
                                             .credentials = s->credentials,
                                             .transport = s->transport};
    e = sps_aws_client_new(&s->client, &options);
    if (e != SPS_OK)
        fprintf(err, "spotswap aws: endpoint for %s in %s: %s\n", a->service_name,
                s->region.data, sps_error_message(e));
    return e;
}

int sps_engine_cli_aws(int argc, char **argv, FILE *out, FILE *err)
{
    struct s_aws_args a = {0};
    enum sps_aws_service service = SPS_AWS_EC2;
    struct s_aws_session s = {0};
    sps_buf_init(&s.region, 128);
    int rc = s_parse_args(&a, &service, argc, argv, err);
    if (rc != 0)
        goto cleanup;
    rc = 1;
    if (s_session_open(&s, &a, service, err) != SPS_OK)
        goto cleanup;
    struct sps_aws_call call;
    if (sps_aws_service_info(service)->json_target_prefix)
        sps_aws_call_init_json(&call, s.client, a.action,
                               sps_cursor_from_str(a.json_body ? a.json_body : "{}"));
    else
        sps_aws_call_init_query(&call, s.client, &a.query);
    sps_err e = sps_aws_call_run(&call);
    if (e == SPS_OK) {
        s_print_result(out, &call, a.output);
        rc = 0;
    } else {
        s_print_failure(err, &a, e, &call.error);
    }
    sps_aws_call_clean_up(&call);
cleanup:
    s_session_clean_up(&s);
    sps_query_clean_up(&a.query);
    return rc;
}
