/*
 * Credentials from local HTTP endpoints: the ECS/EKS container endpoint
 * (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI) and EC2 instance metadata, IMDSv2 only
 * (a session token from PUT /latest/api/token, then the role's credentials with that token).
 * Both answer JSON; both are cached and refreshed ahead of expiry.
 */
#include "sps_aws_credentials_private.h"

#include <string.h>

#define S_MAX_BODY ((size_t)64 * 1024)

/* One request with up to `attempts` tries on transport faults and 5xx, pausing `pause_ms`. */
static sps_err s_send(struct sps_http_transport *t, const struct sps_clock *clock,
                      struct sps_http_request *req, struct sps_http_response *resp, int attempts,
                      int64_t pause_ms)
{
    sps_err err = SPS_OK;
    for (int i = 0; i < attempts; i++) {
        if (i > 0 && pause_ms > 0)
            clock->sleep_ms(clock->ctx, pause_ms);
        err = sps_http_send(t, req, resp);
        if (err == SPS_OK && resp->status < 500)
            return SPS_OK;
    }
    return err;
}

/* ---------------------------------------------------------------- ECS container endpoint -- */

#define S_ECS "ecs-container"
#define S_ECS_HOST "http://169.254.170.2"

struct s_ecs {
    const struct sps_env *env;
    const struct sps_clock *clock;
    struct sps_http_transport *transport;
};

static bool s_is_loopback_v4(struct sps_cursor host)
{
    if (!sps_cursor_starts_with(host, SPS_CURSOR_LIT("127.")))
        return false;
    int dots = 0;
    for (size_t i = 0; i < host.len; i++) {
        if (host.ptr[i] == '.')
            dots++;
        else if (host.ptr[i] < '0' || host.ptr[i] > '9')
            return false;
    }
    return dots == 3;
}

/* The host of an http:// URL may only be a loopback address or one of the container agents'
 * link-local addresses, as every SDK enforces: the token must not travel to a stranger. */
static bool s_allowed_http_host(struct sps_cursor host)
{
    static const char *const allowed[] = {"localhost", "[::1]", "169.254.170.2", "169.254.170.23",
                                          "[fd00:ec2::23]"};
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
        if (sps_cursor_eq_ignore_case(host, sps_cursor_from_str(allowed[i])))
            return true;
    }
    return s_is_loopback_v4(host);
}

/* Host part of scheme://[userinfo@]host[:port]/..., keeping IPv6 brackets. */
static struct sps_cursor s_url_host(struct sps_cursor rest)
{
    size_t end = 0;
    while (end < rest.len && rest.ptr[end] != '/' && rest.ptr[end] != '?' && rest.ptr[end] != '#')
        end++;
    struct sps_cursor authority = sps_cursor_sub(rest, 0, end);
    long at = sps_cursor_find_char(authority, '@');
    if (at >= 0)
        authority = sps_cursor_sub(authority, (size_t)at + 1, authority.len);
    if (authority.len && authority.ptr[0] == '[') {
        long close = sps_cursor_find_char(authority, ']');
        return close < 0 ? SPS_CURSOR_EMPTY : sps_cursor_sub(authority, 0, (size_t)close + 1);
    }
    long colon = sps_cursor_find_char(authority, ':');
    return colon < 0 ? authority : sps_cursor_sub(authority, 0, (size_t)colon);
}

static sps_err s_check_full_uri(const char *uri, struct sps_aws_error *aws_err)
{
    struct sps_cursor c = sps_cursor_from_str(uri);
    bool https = sps_cursor_starts_with(c, SPS_CURSOR_LIT("https://"));
    bool http = sps_cursor_starts_with(c, SPS_CURSOR_LIT("http://"));
    if (!https && !http)
        return sps_creds_fail(
            aws_err, SPS_ERR_CREDS_CONTAINER, S_ECS,
            "AWS_CONTAINER_CREDENTIALS_FULL_URI must be an http:// or https:// URL");
    struct sps_cursor host = s_url_host(sps_cursor_sub(c, https ? 8 : 7, c.len));
    if (host.len == 0)
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_CONTAINER, S_ECS,
                              "AWS_CONTAINER_CREDENTIALS_FULL_URI has no host");
    if (http && !s_allowed_http_host(host))
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_CONTAINER, S_ECS,
                              "AWS_CONTAINER_CREDENTIALS_FULL_URI host '%.*s' is not allowed over "
                              "http: use a loopback address, 169.254.170.2, 169.254.170.23, "
                              "[fd00:ec2::23], or https",
                              SPS_CURSOR_PRI(host));
    return SPS_OK;
}

/* The Authorization value: the token file's contents (re-read every time: it rotates), else
 * AWS_CONTAINER_AUTHORIZATION_TOKEN. */
static sps_err s_ecs_auth(const struct sps_env *env, struct sps_buf *out,
                          struct sps_aws_error *aws_err)
{
    const char *file = sps_env_get(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    const char *token = sps_env_get(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    if (file) {
        if (sps_file_read(out, file) != SPS_OK)
            return sps_creds_fail(aws_err, SPS_ERR_CREDS_CONTAINER, S_ECS,
                                  "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s", file);
        /* Files usually end with a newline, which must not reach the header. */
        struct sps_cursor trimmed = sps_cursor_trim(sps_buf_cursor(out));
        memmove(out->data, trimmed.ptr, trimmed.len);
        out->len = trimmed.len;
        out->data[out->len] = '\0';
    } else if (token) {
        (void)sps_buf_set(out, sps_cursor_from_str(token));
    }
    if (out->err != SPS_OK)
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_CONTAINER, S_ECS,
                              "the container authorization token is too large");
    if (strchr(out->data, '\r') || strchr(out->data, '\n'))
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_CONTAINER, S_ECS,
                              "the container authorization token contains a line break");
    sps_log_add_secret(out->data);
    return SPS_OK;
}

static sps_err s_ecs_request(const struct s_ecs *ecs, struct sps_http_request *req,
                             struct sps_aws_error *aws_err)
{
    const char *relative = sps_env_get(ecs->env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = sps_env_get(ecs->env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (relative) {
        (void)sps_buf_printf(&req->url, "%s%s%s", S_ECS_HOST, relative[0] == '/' ? "" : "/",
                             relative);
    } else if (full) {
        SPS_TRY(s_check_full_uri(full, aws_err));
        (void)sps_buf_append_str(&req->url, full);
        struct sps_buf auth;
        sps_buf_init(&auth, 16 * 1024);
        sps_err err = s_ecs_auth(ecs->env, &auth, aws_err);
        if (err == SPS_OK && auth.len)
            sps_http_headers_set(&req->headers, "Authorization", auth.data);
        sps_buf_clean_up(&auth);
        SPS_TRY(err);
    } else {
        return SPS_ERR_CREDS_NOT_FOUND;
    }
    if (req->url.err != SPS_OK)
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_CONTAINER, S_ECS,
                              "the container credentials URL is too long");
    sps_http_headers_set(&req->headers, "Accept", "application/json");
    req->connect_timeout_ms = 2000;
    req->total_timeout_ms = 2000;
    return SPS_OK;
}

static sps_err s_ecs_fetch(void *ctx, struct sps_aws_credentials *out,
                           struct sps_aws_error *aws_err)
{
    const struct s_ecs *ecs = ctx;
    struct sps_http_request req;
    struct sps_http_response resp;
    sps_http_request_init(&req, "GET");
    sps_http_response_init(&resp, S_MAX_BODY);
    sps_err err = SPS_OK;
    SPS_GUARD(s_ecs_request(ecs, &req, aws_err));
    /* The agent can be briefly unavailable while a task starts: three tries a second apart. */
    err = s_send(ecs->transport, ecs->clock, &req, &resp, 3, 1000);
    if (err != SPS_OK)
        SPS_GUARD(sps_creds_fail(aws_err, SPS_ERR_CREDS_CONTAINER, S_ECS,
                                 "the container credentials endpoint is unreachable: %s",
                                 sps_error_message(err)));
    if (resp.status != 200)
        SPS_GUARD(sps_creds_fail(aws_err, SPS_ERR_CREDS_CONTAINER, S_ECS,
                                 "the container credentials endpoint answered HTTP %d",
                                 resp.status));
    static const struct sps_creds_json_format format = {.provider = S_ECS,
                                                        .error = SPS_ERR_CREDS_CONTAINER,
                                                        .token_field = "Token",
                                                        .require_expiration = true};
    err = sps_creds_from_json(out, sps_buf_cursor(&resp.body), &format, aws_err);
cleanup:
    sps_http_request_clean_up(&req);
    sps_http_response_clean_up(&resp);
    return err;
}

struct sps_aws_credentials_provider *sps_creds_ecs_new(const struct sps_env *env,
                                                       const struct sps_clock *clock,
                                                       struct sps_http_transport *transport)
{
    struct s_ecs *ecs = sps_calloc(1, sizeof(*ecs));
    ecs->env = env ? env : sps_env_process();
    ecs->clock = clock ? clock : sps_clock_system();
    ecs->transport = transport;
    return sps_creds_cached_new(S_ECS, s_ecs_fetch, ecs, sps_free, ecs->clock);
}

/* ------------------------------------------------------------------- EC2 instance metadata -- */

#define S_IMDS "imds"
#define S_IMDS_TOKEN_TTL_S 21600
#define S_IMDS_CREDS_PATH "/latest/meta-data/iam/security-credentials/"

struct s_imds {
    const struct sps_env *env;
    const struct sps_clock *clock;
    struct sps_http_transport *transport;
    char *token;              /* the IMDSv2 session token, or NULL */
    int64_t token_expires_ms; /* wall clock */
    struct sps_buf endpoint;  /* without a trailing slash */
    int64_t timeout_ms;
    int attempts;
};

static void s_imds_settings(struct s_imds *m)
{
    const char *endpoint = sps_env_get(m->env, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    const char *mode = sps_env_get(m->env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
    if (endpoint == NULL)
        endpoint =
            mode && strcmp(mode, "IPv6") == 0 ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
    sps_buf_reset(&m->endpoint);
    (void)sps_buf_append_str(&m->endpoint, endpoint);
    while (m->endpoint.len && m->endpoint.data[m->endpoint.len - 1] == '/')
        m->endpoint.data[--m->endpoint.len] = '\0';
    /* botocore's AWS_METADATA_SERVICE_TIMEOUT (seconds) and _NUM_ATTEMPTS; defaults 1 and 1. */
    uint64_t value;
    const char *timeout = sps_env_get(m->env, "AWS_METADATA_SERVICE_TIMEOUT");
    m->timeout_ms = 1000;
    if (timeout && sps_cursor_to_u64(sps_cursor_from_str(timeout), &value) == SPS_OK && value > 0 &&
        value <= 60)
        m->timeout_ms = (int64_t)value * 1000;
    const char *attempts = sps_env_get(m->env, "AWS_METADATA_SERVICE_NUM_ATTEMPTS");
    m->attempts = 1;
    if (attempts && sps_cursor_to_u64(sps_cursor_from_str(attempts), &value) == SPS_OK &&
        value > 0 && value <= 10)
        m->attempts = (int)value;
}

static sps_err s_imds_send(struct s_imds *m, const char *method, const char *path,
                           struct sps_http_response *resp)
{
    struct sps_http_request req;
    sps_http_request_init(&req, method);
    (void)sps_buf_printf(&req.url, "%s%s", m->endpoint.data, path);
    if (strcmp(method, "PUT") == 0)
        sps_http_headers_set(&req.headers, "X-aws-ec2-metadata-token-ttl-seconds", "21600");
    else
        sps_http_headers_set(&req.headers, "X-aws-ec2-metadata-token", m->token);
    req.connect_timeout_ms = m->timeout_ms;
    req.total_timeout_ms = m->timeout_ms;
    sps_err err = req.url.err != SPS_OK
                      ? SPS_ERR_HTTP_BAD_URL
                      : s_send(m->transport, m->clock, &req, resp, m->attempts, 0);
    sps_http_request_clean_up(&req);
    return err;
}

static void s_imds_drop_token(struct s_imds *m)
{
    sps_free(m->token);
    m->token = NULL;
}

/* A session token, cached until shortly before its TTL ends. SPS_ERR_CREDS_NOT_FOUND when
 * nothing answers (not on EC2). */
static sps_err s_imds_token(struct s_imds *m, struct sps_aws_error *aws_err)
{
    int64_t now = m->clock->wall_ms(m->clock->ctx);
    if (m->token && now < m->token_expires_ms)
        return SPS_OK;
    s_imds_drop_token(m);
    struct sps_http_response resp;
    sps_http_response_init(&resp, 4096);
    sps_err err = s_imds_send(m, "PUT", "/latest/api/token", &resp);
    if (err != SPS_OK) {
        sps_log(SPS_LOG_DEBUG, "instance metadata unreachable; not on EC2?", "error",
                sps_error_name(err), NULL);
        err = SPS_ERR_CREDS_NOT_FOUND;
    } else if (resp.status == 401 || resp.status == 403) {
        err = sps_creds_fail(aws_err, SPS_ERR_CREDS_IMDS, S_IMDS,
                             "the instance metadata service refused an IMDSv2 token (HTTP %d); "
                             "check the instance's metadata options (http-tokens, "
                             "http-put-response-hop-limit for containers)",
                             resp.status);
    } else if (resp.status != 200 || sps_cursor_trim(sps_buf_cursor(&resp.body)).len == 0) {
        err = sps_creds_fail(aws_err, SPS_ERR_CREDS_IMDS, S_IMDS,
                             "the IMDSv2 token request answered HTTP %d%s", resp.status,
                             resp.status == 200 ? " with an empty token" : "");
    } else {
        m->token = sps_cursor_dup(sps_cursor_trim(sps_buf_cursor(&resp.body)));
        sps_log_add_secret(m->token);
        m->token_expires_ms = now + (S_IMDS_TOKEN_TTL_S - 60) * (int64_t)1000;
    }
    sps_http_response_clean_up(&resp);
    return err;
}

/* GET with the token; one new token and one more try if the token was rejected (expired). */
static sps_err s_imds_get(struct s_imds *m, const char *path, struct sps_http_response *resp,
                          struct sps_aws_error *aws_err)
{
    for (int round = 0; round < 2; round++) {
        SPS_TRY(s_imds_token(m, aws_err));
        sps_err err = s_imds_send(m, "GET", path, resp);
        if (err != SPS_OK)
            return sps_creds_fail(aws_err, SPS_ERR_CREDS_IMDS, S_IMDS,
                                  "instance metadata %s failed: %s", path, sps_error_message(err));
        if (resp->status != 401)
            return SPS_OK;
        s_imds_drop_token(m);
    }
    return sps_creds_fail(aws_err, SPS_ERR_CREDS_IMDS, S_IMDS,
                          "instance metadata rejected a fresh IMDSv2 token (HTTP 401)");
}

static sps_err s_imds_role(struct s_imds *m, struct sps_buf *role, struct sps_aws_error *aws_err)
{
    struct sps_http_response resp;
    sps_http_response_init(&resp, 4096);
    sps_err err = s_imds_get(m, S_IMDS_CREDS_PATH, &resp, aws_err);
    struct sps_cursor body = sps_buf_cursor(&resp.body), first;
    sps_cursor_split(&body, '\n', &first);
    first = sps_cursor_trim(first);
    if (err == SPS_OK && (resp.status == 404 || (resp.status == 200 && first.len == 0))) {
        sps_log(SPS_LOG_DEBUG, "no IAM role attached to this instance", NULL);
        err = SPS_ERR_CREDS_NOT_FOUND;
    } else if (err == SPS_OK && resp.status != 200) {
        err = sps_creds_fail(aws_err, SPS_ERR_CREDS_IMDS, S_IMDS,
                             "listing the instance's IAM role answered HTTP %d", resp.status);
    } else if (err == SPS_OK &&
               (sps_cursor_find_char(first, '/') >= 0 || sps_buf_set(role, first) != SPS_OK)) {
        err = sps_creds_fail(aws_err, SPS_ERR_CREDS_IMDS, S_IMDS,
                             "the instance's IAM role name is not valid");
    }
    sps_http_response_clean_up(&resp);
    return err;
}

static sps_err s_imds_fetch(void *ctx, struct sps_aws_credentials *out,
                            struct sps_aws_error *aws_err)
{
    struct s_imds *m = ctx;
    const char *disabled = sps_env_get(m->env, "AWS_EC2_METADATA_DISABLED");
    if (disabled && sps_cursor_eq_ignore_case(sps_cursor_trim(sps_cursor_from_str(disabled)),
                                              SPS_CURSOR_LIT("true")))
        return SPS_ERR_CREDS_NOT_FOUND;
    s_imds_settings(m);
    struct sps_buf role, path;
    sps_buf_init(&role, 1024);
    sps_buf_init(&path, 2048);
    struct sps_http_response resp;
    sps_http_response_init(&resp, S_MAX_BODY);
    sps_err err = SPS_OK;
    SPS_GUARD(s_imds_role(m, &role, aws_err));
    (void)sps_buf_printf(&path, "%s%s", S_IMDS_CREDS_PATH, role.data);
    SPS_GUARD(s_imds_get(m, path.data, &resp, aws_err));
    if (resp.status != 200)
        SPS_GUARD(sps_creds_fail(aws_err, SPS_ERR_CREDS_IMDS, S_IMDS,
                                 "the credentials of role %s answered HTTP %d", role.data,
                                 resp.status));
    static const struct sps_creds_json_format format = {.provider = S_IMDS,
                                                        .error = SPS_ERR_CREDS_IMDS,
                                                        .token_field = "Token",
                                                        .check_code = true,
                                                        .require_expiration = true};
    err = sps_creds_from_json(out, sps_buf_cursor(&resp.body), &format, aws_err);
cleanup:
    sps_buf_clean_up(&role);
    sps_buf_clean_up(&path);
    sps_http_response_clean_up(&resp);
    return err;
}

static void s_imds_destroy(void *ctx)
{
    struct s_imds *m = ctx;
    s_imds_drop_token(m);
    sps_buf_clean_up(&m->endpoint);
    sps_free(m);
}

struct sps_aws_credentials_provider *sps_creds_imds_new(const struct sps_env *env,
                                                        const struct sps_clock *clock,
                                                        struct sps_http_transport *transport)
{
    struct s_imds *m = sps_calloc(1, sizeof(*m));
    m->env = env ? env : sps_env_process();
    m->clock = clock ? clock : sps_clock_system();
    m->transport = transport;
    sps_buf_init(&m->endpoint, 2048);
    return sps_creds_cached_new(S_IMDS, s_imds_fetch, m, s_imds_destroy, m->clock);
}
