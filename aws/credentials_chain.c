/*
 * The SDKs' default credentials chain: environment, shared files (profile), web identity from
 * the environment, ECS container endpoint, EC2 instance metadata. The first source with
 * credentials wins and is kept for later calls; a source that is not configured passes to the
 * next; a configured source that fails stops the chain with its error, as botocore does.
 */
#include "sps_aws_credentials_private.h"

#include <pthread.h>

#define S_MAX_SOURCES 5

struct s_chain {
    struct sps_aws_credentials_provider *sources[S_MAX_SOURCES];
    size_t count;
    struct sps_aws_credentials_provider *winner; /* borrowed from sources */
    /* The profile and web-identity sources resolve lazily on first use; one caller at a time. */
    pthread_mutex_t lock;
};

static sps_err s_get_locked(struct sps_aws_credentials_provider *self,
                            struct sps_aws_credentials *out, struct sps_aws_error *aws_err)
{
    struct s_chain *c = self->impl;
    if (c->winner)
        return c->winner->vtable->get(c->winner, out, aws_err);
    for (size_t i = 0; i < c->count; i++) {
        struct sps_aws_credentials_provider *p = c->sources[i];
        sps_err err = p->vtable->get(p, out, aws_err);
        if (err == SPS_OK) {
            c->winner = p;
            sps_log(SPS_LOG_DEBUG, "credentials found", "provider", p->name, NULL);
            return SPS_OK;
        }
        if (err != SPS_ERR_CREDS_NOT_FOUND)
            return err;
    }
    return sps_creds_fail(aws_err, SPS_ERR_CREDS_NOT_FOUND, "chain",
                          "no credentials in the environment, the shared config/credentials "
                          "files, web identity, the container endpoint or instance metadata");
}

static sps_err s_get(struct sps_aws_credentials_provider *self, struct sps_aws_credentials *out,
                     struct sps_aws_error *aws_err)
{
    struct s_chain *c = self->impl;
    pthread_mutex_lock(&c->lock);
    sps_err err = s_get_locked(self, out, aws_err);
    pthread_mutex_unlock(&c->lock);
    return err;
}

static void s_destroy(struct sps_aws_credentials_provider *self)
{
    struct s_chain *c = self->impl;
    pthread_mutex_destroy(&c->lock);
    for (size_t i = 0; i < c->count; i++)
        sps_aws_credentials_provider_destroy(c->sources[i]);
    sps_free(c);
    sps_free(self);
}

static const struct sps_aws_credentials_provider_vtable s_vtable = {s_get, s_destroy};

sps_err
sps_aws_credentials_provider_new_chain(struct sps_aws_credentials_provider **out,
                                       const struct sps_aws_credentials_chain_options *options)
{
    if (options == NULL || options->transport == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    const struct sps_env *env = options->env ? options->env : sps_env_process();
    struct s_chain *c = sps_calloc(1, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    /* An explicit profile beats keys in the environment (the SDKs drop the env provider). */
    if (options->profile == NULL || options->profile[0] == '\0')
        c->sources[c->count++] = sps_creds_env_new(env);
    c->sources[c->count++] = sps_creds_profile_new(options);
    struct sps_creds_web_identity_options web = {.region = options->region,
                                                 .profile = options->profile,
                                                 .env = env,
                                                 .clock = options->clock,
                                                 .transport = options->transport};
    c->sources[c->count++] = sps_creds_web_identity_env_new(&web);
    c->sources[c->count++] = sps_creds_ecs_new(env, options->clock, options->transport);
    c->sources[c->count++] = sps_creds_imds_new(env, options->clock, options->transport);
    struct sps_aws_credentials_provider *self = sps_calloc(1, sizeof(*self));
    self->vtable = &s_vtable;
    self->name = "chain";
    self->impl = c;
    *out = self;
    return SPS_OK;
}
