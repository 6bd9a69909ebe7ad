/* The session behind sps_engine_session.h. */
#include "sps_engine_session.h"

#include <string.h>

void sps_engine_session_clean_up(struct sps_engine_session *s)
{
    if (s == NULL)
        return;
    sps_aws_credentials_provider_destroy(s->credentials);
    sps_http_transport_destroy(s->transport);
    sps_buf_clean_up(&s->region);
    s->credentials = NULL;
    s->transport = NULL;
}

sps_err sps_engine_session_open(struct sps_engine_session *s, const struct sps_env *env,
                                const char *region, const char *profile, int64_t http_timeout_ms,
                                struct sps_buf *why)
{
    memset(s, 0, sizeof(*s));
    s->env = env ? env : sps_env_process();
    sps_buf_init(&s->region, 128);
    sps_err err = SPS_OK;
    if (region) {
        SPS_GUARD(sps_buf_append_str(&s->region, region));
    } else if ((err = sps_aws_region_resolve(&s->region, s->env, profile)) != SPS_OK) {
        sps_buf_printf(why, "no region: pass --region, set AWS_REGION, or set region in the "
                            "profile");
        goto cleanup;
    }
    struct sps_http_curl_options curl = {.ca_bundle = sps_env_get(s->env, "AWS_CA_BUNDLE"),
                                         .total_timeout_ms = http_timeout_ms};
    if ((err = sps_http_curl_new(&s->transport, &curl)) != SPS_OK) {
        sps_buf_printf(why, "HTTP transport: %s", sps_error_message(err));
        goto cleanup;
    }
    struct sps_aws_credentials_chain_options chain = {
        .env = s->env, .transport = s->transport, .profile = profile, .region = s->region.data};
    if ((err = sps_aws_credentials_provider_new_chain(&s->credentials, &chain)) != SPS_OK)
        sps_buf_printf(why, "credentials: %s", sps_error_message(err));
cleanup:
    if (err != SPS_OK)
        sps_engine_session_clean_up(s);
    return err;
}

sps_err sps_engine_session_client(struct sps_engine_session *s, enum sps_aws_service service,
                                  const char *region,
                                  struct sps_aws_credentials_provider *credentials,
                                  struct sps_aws_client **out, struct sps_buf *why)
{
    const char *where = region ? region : s->region.data;
    struct sps_aws_client_options o = {.service = service,
                                       .region = where,
                                       .env = s->env,
                                       .credentials = credentials ? credentials : s->credentials,
                                       .transport = s->transport};
    sps_err err = sps_aws_client_new(out, &o);
    if (err != SPS_OK)
        sps_buf_printf(why, "endpoint for %s in %s: %s", sps_aws_service_info(service)->signing_name,
                       where, sps_error_message(err));
    return err;
}
