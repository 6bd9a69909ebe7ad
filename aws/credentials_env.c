/* Credentials from the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the optional
 * AWS_SESSION_TOKEN (or its legacy name AWS_SECURITY_TOKEN). */
#include "sps_aws_credentials_private.h"

static sps_err s_env_get(struct sps_aws_credentials_provider *p, struct sps_aws_credentials *out,
                         struct sps_aws_error *aws_err)
{
    const struct sps_env *env = p->impl;
    const char *akid = sps_env_get(env, "AWS_ACCESS_KEY_ID");
    const char *secret = sps_env_get(env, "AWS_SECRET_ACCESS_KEY");
    const char *token = sps_env_get(env, "AWS_SESSION_TOKEN");
    if (token == NULL)
        token = sps_env_get(env, "AWS_SECURITY_TOKEN");
    if (akid == NULL && secret == NULL)
        return SPS_ERR_CREDS_NOT_FOUND;
    if (akid == NULL || secret == NULL)
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_INVALID, p->name, "%s is set but %s is not",
                              akid ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                              akid ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
    return sps_aws_credentials_set(out, akid, secret, token, 0);
}

static void s_env_destroy(struct sps_aws_credentials_provider *p)
{
    sps_free(p);
}

static const struct sps_aws_credentials_provider_vtable s_env_vtable = {s_env_get, s_env_destroy};

struct sps_aws_credentials_provider *sps_creds_env_new(const struct sps_env *env)
{
    struct sps_aws_credentials_provider *p = sps_calloc(1, sizeof(*p));
    p->vtable = &s_env_vtable;
    p->name = "environment";
    p->impl = (void *)(env ? env : sps_env_process());
    return p;
}
