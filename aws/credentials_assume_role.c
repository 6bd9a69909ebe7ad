/*
 * STS AssumeRole: a signed Query call made through the service client with the SOURCE
 * provider's credentials, cached and refreshed ahead of expiry like every remote source. Used
 * directly for cross-account access (with ExternalId) and by profiles with role_arn.
 */
#include "sps_aws_client.h"
#include "sps_aws_credentials_private.h"

#include <stdio.h>

#define S_NAME "assume-role"
#define S_STS_VERSION "2011-06-15"

struct s_assume {
    struct sps_aws_client *client;
    char *role_arn;
    char *external_id;
    char *session_name;
    int duration_s;
    const struct sps_clock *clock;
};

static sps_err s_fetch(void *ctx, struct sps_aws_credentials *out, struct sps_aws_error *aws_err)
{
    const struct s_assume *a = ctx;
    struct sps_buf session;
    sps_buf_init(&session, 128);
    if (a->session_name)
        (void)sps_buf_append_str(&session, a->session_name);
    else
        sps_creds_default_session_name(&session, a->clock);
    char duration[16];
    snprintf(duration, sizeof(duration), "%d", a->duration_s);
    struct sps_query q;
    sps_query_init(&q, "AssumeRole", S_STS_VERSION);
    sps_query_set(&q, "RoleArn", a->role_arn);
    sps_query_set(&q, "RoleSessionName", session.data);
    if (a->external_id)
        sps_query_set(&q, "ExternalId", a->external_id);
    sps_query_set(&q, "DurationSeconds", duration);
    struct sps_aws_call call;
    sps_aws_call_init_query(&call, a->client, &q);
    sps_err err = sps_aws_call_run(&call);
    if (err == SPS_OK) {
        err = sps_creds_from_sts_result(out, sps_aws_call_result_node(&call), S_NAME, aws_err);
    } else {
        if (aws_err)
            *aws_err = call.error;
        sps_log(SPS_LOG_WARN, "AssumeRole failed", "role", a->role_arn, "error",
                sps_error_name(err), "code", call.error.code, "message", call.error.message, NULL);
    }
    sps_aws_call_clean_up(&call);
    sps_query_clean_up(&q);
    sps_buf_clean_up(&session);
    return err;
}

static void s_destroy(void *ctx)
{
    struct s_assume *a = ctx;
    sps_aws_client_destroy(a->client);
    sps_free(a->role_arn);
    sps_free(a->external_id);
    sps_free(a->session_name);
    sps_free(a);
}

sps_err sps_aws_credentials_provider_new_assume_role(struct sps_aws_credentials_provider **out,
                                                     const struct sps_aws_assume_role_options *o)
{
    if (o == NULL || o->source == NULL || o->transport == NULL || o->role_arn == NULL ||
        o->role_arn[0] == '\0' || o->duration_s < 0)
        return SPS_ERR_INVALID_ARGUMENT;
    const struct sps_clock *clock = o->clock ? o->clock : sps_clock_system();
    struct sps_aws_client_options client_options = {
        .service = SPS_AWS_STS,
        .region = o->region && o->region[0] ? o->region : "us-east-1",
        .env = o->env,
        .credentials = o->source,
        .transport = o->transport,
        .clock = clock,
    };
    struct sps_aws_client *client = NULL;
    SPS_TRY(sps_aws_client_new(&client, &client_options));
    struct s_assume *a = sps_calloc(1, sizeof(*a));
    a->client = client;
    a->role_arn = sps_strdup(o->role_arn);
    a->external_id = o->external_id && o->external_id[0] ? sps_strdup(o->external_id) : NULL;
    a->session_name = o->session_name && o->session_name[0] ? sps_strdup(o->session_name) : NULL;
    a->duration_s = o->duration_s ? o->duration_s : 3600;
    a->clock = clock;
    *out = sps_creds_cached_new(S_NAME, s_fetch, a, s_destroy, clock);
    return SPS_OK;
}
