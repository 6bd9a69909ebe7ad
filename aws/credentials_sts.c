/*
 * STS-backed credentials. AssumeRoleWithWebIdentity (EKS IRSA and other OIDC set-ups) is an
 * unsigned Query call, so it goes straight through the transport: POST the form to the STS
 * endpoint, re-reading the token file on every refresh (the platform rotates it). The parsing of
 * the <Credentials> element is shared with AssumeRole (credentials_assume_role.c).
 */
#include "sps_aws_credentials_private.h"
#include "sps_aws_endpoint.h"
#include "sps_aws_query.h"
#include "sps_aws_xml.h"

#include <string.h>

#define S_WEB "web-identity"
#define S_STS_VERSION "2011-06-15"
#define S_MAX_TOKEN ((size_t)64 * 1024)
#define S_MAX_BODY ((size_t)256 * 1024)

sps_err sps_creds_from_sts_result(struct sps_aws_credentials *out,
                                  const struct sps_xml_node *result, const char *provider,
                                  struct sps_aws_error *aws_err)
{
    static const char *const fields[] = {"Credentials/AccessKeyId", "Credentials/SecretAccessKey",
                                         "Credentials/SessionToken", "Credentials/Expiration"};
    const char *values[4];
    for (size_t i = 0; i < 4; i++) {
        values[i] = result ? sps_xml_path_text(result, fields[i]) : NULL;
        if (values[i] == NULL || values[i][0] == '\0')
            return sps_creds_fail(aws_err, SPS_ERR_MISSING_FIELD, provider,
                                  "the STS response lacks %s", fields[i]);
    }
    int64_t expiration_ms = 0;
    if (sps_time_parse_iso8601(sps_cursor_from_str(values[3]), &expiration_ms) != SPS_OK)
        return sps_creds_fail(aws_err, SPS_ERR_PARSE_TIME, provider,
                              "the STS Expiration \"%.64s\" is not ISO 8601", values[3]);
    return sps_aws_credentials_set(out, values[0], values[1], values[2], expiration_ms);
}

void sps_creds_default_session_name(struct sps_buf *out, const struct sps_clock *clock)
{
    sps_buf_reset(out);
    (void)sps_buf_printf(out, "spotswap-%lld", (long long)(clock->wall_ms(clock->ctx) / 1000));
}

struct s_web {
    char *role_arn;
    char *token_file;
    char *session_name;
    char *region;
    const struct sps_env *env;
    const struct sps_clock *clock;
    struct sps_http_transport *transport;
};

static sps_err s_web_request(const struct s_web *w, struct sps_http_request *req,
                             struct sps_aws_error *aws_err)
{
    struct sps_buf token, session;
    sps_buf_init(&token, S_MAX_TOKEN);
    sps_buf_init(&session, 128);
    struct sps_query q;
    sps_query_init(&q, "AssumeRoleWithWebIdentity", S_STS_VERSION);
    sps_err err = sps_file_read(&token, w->token_file);
    if (err != SPS_OK || sps_cursor_trim(sps_buf_cursor(&token)).len == 0)
        SPS_GUARD(sps_creds_fail(aws_err, SPS_ERR_CREDS_INVALID, S_WEB,
                                 "cannot read the web identity token file %s: %s", w->token_file,
                                 err == SPS_OK ? "it is empty" : sps_error_message(err)));
    struct sps_cursor jwt = sps_cursor_trim(sps_buf_cursor(&token));
    token.data[(jwt.ptr - token.data) + jwt.len] = '\0';
    sps_log_add_secret(jwt.ptr);
    if (w->session_name)
        (void)sps_buf_append_str(&session, w->session_name);
    else
        sps_creds_default_session_name(&session, w->clock);
    sps_query_set(&q, "RoleArn", w->role_arn);
    sps_query_set(&q, "RoleSessionName", session.data);
    sps_query_set(&q, "WebIdentityToken", jwt.ptr);
    err = sps_aws_endpoint_resolve(&req->url, w->env, SPS_AWS_STS, w->region);
    if (err != SPS_OK)
        SPS_GUARD(sps_creds_fail(aws_err, err, S_WEB, "no STS endpoint for region %s", w->region));
    (void)sps_buf_append_char(&req->url, '/');
    SPS_GUARD(sps_query_encode(&q, &req->body));
    sps_http_headers_set(&req->headers, "Content-Type",
                         "application/x-www-form-urlencoded; charset=utf-8");
cleanup:
    if (token.cap)
        memset(token.data, 0, token.cap);
    sps_buf_clean_up(&token);
    sps_buf_clean_up(&session);
    sps_query_clean_up(&q);
    return err;
}

/* Transport faults, 5xx and the identity provider's hiccups are worth another try. */
static bool s_web_retryable(sps_err transport_err, const struct sps_http_response *resp,
                            const struct sps_aws_error *parsed)
{
    if (transport_err != SPS_OK)
        return sps_error_category(transport_err) == SPS_ERRCAT_RETRYABLE;
    return resp->status >= 500 || strcmp(parsed->code, "IDPCommunicationError") == 0 ||
           sps_aws_error_is_throttling_code(parsed->code);
}

static sps_err s_web_answer(struct sps_http_response *resp, struct sps_aws_credentials *out,
                            struct sps_aws_error *aws_err)
{
    struct sps_xml_doc *doc = NULL;
    sps_err err = sps_xml_parse(&doc, resp->body.data, resp->body.len);
    if (err != SPS_OK)
        return sps_creds_fail(aws_err, err, S_WEB, "the STS response is not valid XML");
    const struct sps_xml_node *result =
        sps_xml_child(sps_xml_root(doc), "AssumeRoleWithWebIdentityResult");
    err = sps_creds_from_sts_result(out, result, S_WEB, aws_err);
    sps_xml_doc_destroy(doc);
    return err;
}

static sps_err s_web_fetch(void *ctx, struct sps_aws_credentials *out,
                           struct sps_aws_error *aws_err)
{
    const struct s_web *w = ctx;
    struct sps_http_request req;
    struct sps_http_response resp;
    sps_http_request_init(&req, "POST");
    sps_http_response_init(&resp, S_MAX_BODY);
    sps_err err = SPS_OK;
    SPS_GUARD(s_web_request(w, &req, aws_err));
    for (int attempt = 1;; attempt++) {
        struct sps_aws_error parsed;
        sps_aws_error_clear(&parsed);
        sps_err sent = sps_http_send(w->transport, &req, &resp);
        if (sent == SPS_OK && resp.status == 200)
            break;
        if (sent == SPS_OK &&
            sps_aws_error_parse_xml(&parsed, resp.status, resp.body.data, resp.body.len) != SPS_OK)
            parsed.http_status = resp.status;
        if (attempt < 3 && s_web_retryable(sent, &resp, &parsed)) {
            w->clock->sleep_ms(w->clock->ctx, 500 * attempt);
            continue;
        }
        if (sent != SPS_OK)
            SPS_GUARD(sps_creds_fail(aws_err, sent, S_WEB, "STS is unreachable: %s",
                                     sps_error_message(sent)));
        err = sps_aws_error_classify(&parsed);
        if (aws_err)
            *aws_err = parsed;
        sps_log(SPS_LOG_WARN, "AssumeRoleWithWebIdentity refused", "code", parsed.code, "message",
                parsed.message, "role", w->role_arn, NULL);
        goto cleanup;
    }
    err = s_web_answer(&resp, out, aws_err);
cleanup:
    sps_http_request_clean_up(&req);
    sps_http_response_clean_up(&resp);
    return err;
}

static void s_web_destroy(void *ctx)
{
    struct s_web *w = ctx;
    sps_free(w->role_arn);
    sps_free(w->token_file);
    sps_free(w->session_name);
    sps_free(w->region);
    sps_free(w);
}

struct sps_aws_credentials_provider *
sps_creds_web_identity_new(const struct sps_creds_web_identity_options *o)
{
    struct s_web *w = sps_calloc(1, sizeof(*w));
    w->role_arn = sps_strdup(o->role_arn);
    w->token_file = sps_strdup(o->token_file);
    w->session_name = o->session_name && o->session_name[0] ? sps_strdup(o->session_name) : NULL;
    w->region = sps_strdup(o->region && o->region[0] ? o->region : "us-east-1");
    w->env = o->env ? o->env : sps_env_process();
    w->clock = o->clock ? o->clock : sps_clock_system();
    w->transport = o->transport;
    return sps_creds_cached_new(S_WEB, s_web_fetch, w, s_web_destroy, w->clock);
}

/* ---- from the environment ---- */

struct s_web_env {
    struct sps_creds_web_identity_options options; /* strings copied below */
    char *region;
    char *profile;
    struct sps_aws_credentials_provider *inner; /* built on first use */
};

static sps_err s_web_env_get(struct sps_aws_credentials_provider *self,
                             struct sps_aws_credentials *out, struct sps_aws_error *aws_err)
{
    struct s_web_env *we = self->impl;
    if (we->inner == NULL) {
        const struct sps_env *env = we->options.env;
        const char *file = sps_env_get(env, "AWS_WEB_IDENTITY_TOKEN_FILE");
        const char *role = sps_env_get(env, "AWS_ROLE_ARN");
        if (file == NULL && role == NULL)
            return SPS_ERR_CREDS_NOT_FOUND;
        if (file == NULL || role == NULL)
            return sps_creds_fail(aws_err, SPS_ERR_CREDS_INVALID, S_WEB, "%s is set but %s is not",
                                  file ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "AWS_ROLE_ARN",
                                  file ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE");
        struct sps_creds_web_identity_options o = we->options;
        o.role_arn = role;
        o.token_file = file;
        o.session_name = sps_env_get(env, "AWS_ROLE_SESSION_NAME");
        struct sps_buf region;
        sps_buf_init(&region, 256);
        if (o.region == NULL && sps_aws_region_resolve(&region, env, o.profile) == SPS_OK)
            o.region = region.data;
        we->inner = sps_creds_web_identity_new(&o);
        sps_buf_clean_up(&region);
    }
    return we->inner->vtable->get(we->inner, out, aws_err);
}

static void s_web_env_destroy(struct sps_aws_credentials_provider *self)
{
    struct s_web_env *we = self->impl;
    sps_aws_credentials_provider_destroy(we->inner);
    sps_free(we->region);
    sps_free(we->profile);
    sps_free(we);
    sps_free(self);
}

static const struct sps_aws_credentials_provider_vtable s_web_env_vtable = {s_web_env_get,
                                                                            s_web_env_destroy};

struct sps_aws_credentials_provider *
sps_creds_web_identity_env_new(const struct sps_creds_web_identity_options *options)
{
    struct s_web_env *we = sps_calloc(1, sizeof(*we));
    we->options = *options;
    we->options.env = options->env ? options->env : sps_env_process();
    we->region = options->region ? sps_strdup(options->region) : NULL;
    we->options.region = we->region;
    we->profile = options->profile ? sps_strdup(options->profile) : NULL;
    we->options.profile = we->profile;
    struct sps_aws_credentials_provider *self = sps_calloc(1, sizeof(*self));
    self->vtable = &s_web_env_vtable;
    self->name = S_WEB;
    self->impl = we;
    return self;
}
