/* Credentials values, the provider entry points and the static provider. */
#include "sps_aws_credentials.h"

#include <string.h>

void sps_aws_credentials_clean_up(struct sps_aws_credentials *c)
{
    if (c == NULL)
        return;
    sps_free(c->access_key_id);
    if (c->secret_access_key) {
        /* Do not leave the secret in freed heap memory. */
        volatile char *p = c->secret_access_key;
        while (*p)
            *p++ = '\0';
    }
    sps_free(c->secret_access_key);
    sps_free(c->session_token);
    memset(c, 0, sizeof(*c));
}

void sps_aws_credentials_copy(struct sps_aws_credentials *dst,
                              const struct sps_aws_credentials *src)
{
    dst->access_key_id = sps_strdup(src->access_key_id);
    dst->secret_access_key = sps_strdup(src->secret_access_key);
    dst->session_token = sps_strdup(src->session_token);
    dst->expiration_ms = src->expiration_ms;
    sps_log_add_secret(dst->secret_access_key);
    sps_log_add_secret(dst->session_token);
}

sps_err sps_aws_credentials_set(struct sps_aws_credentials *c, const char *akid,
                                const char *secret, const char *token, int64_t expiration_ms)
{
    if (akid == NULL || akid[0] == '\0' || secret == NULL || secret[0] == '\0')
        return SPS_ERR_CREDS_INVALID;
    struct sps_aws_credentials src = {(char *)akid, (char *)secret,
                                      (token && token[0]) ? (char *)token : NULL, expiration_ms};
    sps_aws_credentials_clean_up(c);
    sps_aws_credentials_copy(c, &src);
    return SPS_OK;
}

sps_err sps_aws_credentials_provider_get(struct sps_aws_credentials_provider *p,
                                         struct sps_aws_credentials *out,
                                         struct sps_aws_error *aws_err)
{
    struct sps_aws_error scratch;
    if (aws_err == NULL)
        aws_err = &scratch;
    sps_aws_error_clear(aws_err);
    return p->vtable->get(p, out, aws_err);
}

void sps_aws_credentials_provider_destroy(struct sps_aws_credentials_provider *p)
{
    if (p)
        p->vtable->destroy(p);
}

static sps_err s_static_get(struct sps_aws_credentials_provider *p,
                            struct sps_aws_credentials *out, struct sps_aws_error *aws_err)
{
    sps_aws_credentials_copy(out, p->impl);
    return SPS_OK;
}

static void s_static_destroy(struct sps_aws_credentials_provider *p)
{
    sps_aws_credentials_clean_up(p->impl);
    sps_free(p->impl);
    sps_free(p);
}

static const struct sps_aws_credentials_provider_vtable s_static_vtable = {s_static_get,
                                                                           s_static_destroy};

sps_err sps_aws_credentials_provider_new_static(struct sps_aws_credentials_provider **out,
                                                const char *akid, const char *secret,
                                                const char *token)
{
    struct sps_aws_credentials *creds = sps_calloc(1, sizeof(*creds));
    sps_err err = sps_aws_credentials_set(creds, akid, secret, token, 0);
    if (err != SPS_OK) {
        sps_free(creds);
        return err;
    }
    struct sps_aws_credentials_provider *p = sps_calloc(1, sizeof(*p));
    p->vtable = &s_static_vtable;
    p->name = "static";
    p->impl = creds;
    *out = p;
    return SPS_OK;
}
