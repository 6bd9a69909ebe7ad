/*
 * Credentials from a named profile of the shared files, in botocore's order within a profile:
 * role_arn with source_profile or credential_source (AssumeRole, recursively, loops refused),
 * role_arn with web_identity_token_file, static keys in the credentials file, credential_process,
 * then static keys in the config file. The profile is resolved on the first `get` (so a chain
 * built before the files exist still works) and the resulting provider kept.
 */
#include "sps_aws_credentials_private.h"

#include <string.h>

#define S_NAME "profile"
#define S_MAX_DEPTH 16

struct s_profile {
    const struct sps_env *env;
    const struct sps_clock *clock;
    struct sps_http_transport *transport;
    char *profile; /* the caller's explicit profile, or NULL */
    char *region;  /* for STS, or NULL: resolved, else us-east-1 */
    struct sps_aws_credentials_provider *inner;
};

struct s_build {
    const struct s_profile *prof;
    const struct sps_creds_files *files;
    const char *region;
    const char *visited[S_MAX_DEPTH];
    size_t depth;
    struct sps_aws_error *aws_err;
};

static bool s_has_static(const struct sps_creds_files *files, const char *name)
{
    return sps_creds_files_get(files, name, "aws_access_key_id") ||
           sps_creds_files_get(files, name, "aws_secret_access_key");
}

static bool s_exists(const struct sps_creds_files *files, const char *name)
{
    const struct sps_ini_section *config, *credentials;
    sps_creds_files_profile(files, name, &config, &credentials);
    return config || credentials;
}

/* Static keys from one file's section; SPS_ERR_CREDS_NOT_FOUND when it has neither key. */
static sps_err s_static(struct s_build *b, const char *name, const struct sps_ini_section *s,
                        const char *file, struct sps_aws_credentials_provider **out)
{
    const char *akid = sps_ini_get(s, "aws_access_key_id");
    const char *secret = sps_ini_get(s, "aws_secret_access_key");
    if (akid == NULL && secret == NULL)
        return SPS_ERR_CREDS_NOT_FOUND;
    if (akid == NULL || akid[0] == '\0' || secret == NULL || secret[0] == '\0')
        return sps_creds_fail(b->aws_err, SPS_ERR_CREDS_INVALID, S_NAME,
                              "profile '%s' in the %s file has %s but no %s", name, file,
                              akid && akid[0] ? "aws_access_key_id" : "aws_secret_access_key",
                              akid && akid[0] ? "aws_secret_access_key" : "aws_access_key_id");
    return sps_aws_credentials_provider_new_static(out, akid, secret,
                                                   sps_ini_get(s, "aws_session_token"));
}

static sps_err s_static_either(struct s_build *b, const char *name,
                               struct sps_aws_credentials_provider **out)
{
    const struct sps_ini_section *config, *credentials;
    sps_creds_files_profile(b->files, name, &config, &credentials);
    sps_err err = s_static(b, name, credentials, "credentials", out);
    return err == SPS_ERR_CREDS_NOT_FOUND ? s_static(b, name, config, "config", out) : err;
}

static sps_err s_build_profile(struct s_build *b, const char *name,
                               struct sps_aws_credentials_provider **out);

static sps_err s_credential_source(struct s_build *b, const char *name, const char *source,
                                   struct sps_aws_credentials_provider **out)
{
    const struct s_profile *prof = b->prof;
    if (strcmp(source, "Environment") == 0)
        *out = sps_creds_env_new(prof->env);
    else if (strcmp(source, "Ec2InstanceMetadata") == 0)
        *out = sps_creds_imds_new(prof->env, prof->clock, prof->transport);
    else if (strcmp(source, "EcsContainer") == 0)
        *out = sps_creds_ecs_new(prof->env, prof->clock, prof->transport);
    else
        return sps_creds_fail(b->aws_err, SPS_ERR_CONFIG, S_NAME,
                              "credential_source '%s' in profile '%s' is not Environment, "
                              "Ec2InstanceMetadata or EcsContainer",
                              source, name);
    return SPS_OK;
}

static sps_err s_source_profile(struct s_build *b, const char *name, const char *source,
                                struct sps_aws_credentials_provider **out)
{
    if (!s_exists(b->files, source))
        return sps_creds_fail(b->aws_err, SPS_ERR_CREDS_PROFILE_NOT_FOUND, S_NAME,
                              "source_profile '%s' referenced in profile '%s' does not exist",
                              source, name);
    for (size_t i = 0; i < b->depth; i++) {
        if (strcmp(b->visited[i], source) != 0)
            continue;
        /* A profile may name itself to use its own keys as the source of its role. */
        if (strcmp(source, name) == 0 && s_has_static(b->files, source))
            return s_static_either(b, source, out);
        return sps_creds_fail(b->aws_err, SPS_ERR_CREDS_SOURCE_LOOP, S_NAME,
                              "source_profile '%s' of profile '%s' leads back to a profile "
                              "already in the chain (starting at '%s')",
                              source, name, b->visited[0]);
    }
    if (b->depth == S_MAX_DEPTH)
        return sps_creds_fail(b->aws_err, SPS_ERR_CREDS_SOURCE_LOOP, S_NAME,
                              "source_profile chain from '%s' is longer than %d profiles",
                              b->visited[0], S_MAX_DEPTH);
    b->visited[b->depth++] = source;
    sps_err err = s_build_profile(b, source, out);
    b->depth--;
    if (err == SPS_ERR_CREDS_NOT_FOUND)
        err =
            sps_creds_fail(b->aws_err, SPS_ERR_CONFIG, S_NAME,
                           "source_profile '%s' of profile '%s' has no credentials", source, name);
    return err;
}

static sps_err s_duration(struct s_build *b, const char *name, int *out)
{
    const char *text = sps_creds_files_get(b->files, name, "duration_seconds");
    uint64_t value = 0;
    *out = 0;
    if (text == NULL)
        return SPS_OK;
    if (sps_cursor_to_u64(sps_cursor_from_str(text), &value) != SPS_OK || value < 900 ||
        value > 43200)
        return sps_creds_fail(b->aws_err, SPS_ERR_CONFIG, S_NAME,
                              "duration_seconds '%s' in profile '%s' is not a whole number of "
                              "seconds from 900 to 43200",
                              text, name);
    *out = (int)value;
    return SPS_OK;
}

static sps_err s_assume(struct s_build *b, const char *name, const char *role_arn,
                        struct sps_aws_credentials_provider **out)
{
    const char *source_profile = sps_creds_files_get(b->files, name, "source_profile");
    const char *credential_source = sps_creds_files_get(b->files, name, "credential_source");
    if (source_profile && credential_source)
        return sps_creds_fail(b->aws_err, SPS_ERR_CONFIG, S_NAME,
                              "profile '%s' sets both source_profile and credential_source", name);
    if (!source_profile && !credential_source)
        return sps_creds_fail(b->aws_err, SPS_ERR_CONFIG, S_NAME,
                              "profile '%s' sets role_arn but neither source_profile nor "
                              "credential_source",
                              name);
    if (sps_creds_files_get(b->files, name, "mfa_serial"))
        return sps_creds_fail(b->aws_err, SPS_ERR_UNSUPPORTED, S_NAME,
                              "profile '%s' needs an MFA code (mfa_serial), which spotswap cannot "
                              "prompt for; use credential_process or a session from the AWS CLI",
                              name);
    int duration_s;
    SPS_TRY(s_duration(b, name, &duration_s));
    struct sps_aws_credentials_provider *source = NULL, *role = NULL;
    SPS_TRY(credential_source ? s_credential_source(b, name, credential_source, &source)
                              : s_source_profile(b, name, source_profile, &source));
    const struct s_profile *prof = b->prof;
    struct sps_aws_assume_role_options o = {
        .source = source,
        .role_arn = role_arn,
        .external_id = sps_creds_files_get(b->files, name, "external_id"),
        .session_name = sps_creds_files_get(b->files, name, "role_session_name"),
        .duration_s = duration_s,
        .region = b->region,
        .env = prof->env,
        .clock = prof->clock,
        .transport = prof->transport,
    };
    sps_err err = sps_aws_credentials_provider_new_assume_role(&role, &o);
    if (err != SPS_OK) {
        sps_aws_credentials_provider_destroy(source);
        return sps_creds_fail(b->aws_err, err, S_NAME, "cannot set up AssumeRole for profile '%s'",
                              name);
    }
    *out = sps_creds_owning_new(role, source);
    return SPS_OK;
}

static sps_err s_build_profile(struct s_build *b, const char *name,
                               struct sps_aws_credentials_provider **out)
{
    const struct sps_creds_files *files = b->files;
    const char *role_arn = sps_creds_files_get(files, name, "role_arn");
    const char *token_file = sps_creds_files_get(files, name, "web_identity_token_file");
    /* As botocore: a source profile's own keys beat its role_arn; the top profile's role wins. */
    if (role_arn && !token_file && (b->depth == 1 || !s_has_static(files, name)))
        return s_assume(b, name, role_arn, out);
    if (role_arn && token_file) {
        const struct s_profile *prof = b->prof;
        struct sps_creds_web_identity_options o = {
            .role_arn = role_arn,
            .token_file = token_file,
            .session_name = sps_creds_files_get(files, name, "role_session_name"),
            .region = b->region,
            .env = prof->env,
            .clock = prof->clock,
            .transport = prof->transport,
        };
        *out = sps_creds_web_identity_new(&o);
        return SPS_OK;
    }
    const struct sps_ini_section *config, *credentials;
    sps_creds_files_profile(files, name, &config, &credentials);
    sps_err err = s_static(b, name, credentials, "credentials", out);
    if (err != SPS_ERR_CREDS_NOT_FOUND)
        return err;
    const char *command = sps_creds_files_get(files, name, "credential_process");
    if (command && command[0]) {
        struct sps_creds_process_options o = {.command = command, .clock = b->prof->clock};
        *out = sps_creds_process_new(&o);
        return SPS_OK;
    }
    return s_static(b, name, config, "config", out);
}

static sps_err s_resolve(struct s_profile *p, struct sps_aws_error *aws_err)
{
    struct sps_creds_files files;
    SPS_TRY(sps_creds_files_load(&files, p->env, p->profile, aws_err));
    struct sps_buf region;
    sps_buf_init(&region, 256);
    if (p->region)
        (void)sps_buf_append_str(&region, p->region);
    else if (sps_aws_region_resolve(&region, p->env, files.profile) != SPS_OK)
        sps_buf_reset(&region);
    struct s_build b = {
        .prof = p, .files = &files, .region = region.len ? region.data : NULL, .aws_err = aws_err};
    b.visited[b.depth++] = files.profile;
    sps_err err = SPS_OK;
    if (!s_exists(&files, files.profile)) {
        /* "default" may legitimately be absent; a profile someone named may not. */
        err = files.profile_explicit
                  ? sps_creds_fail(aws_err, SPS_ERR_CREDS_PROFILE_NOT_FOUND, S_NAME,
                                   "the profile '%s' is in neither the shared config file nor "
                                   "the shared credentials file",
                                   files.profile)
                  : SPS_ERR_CREDS_NOT_FOUND;
    } else {
        err = s_build_profile(&b, files.profile, &p->inner);
    }
    sps_buf_clean_up(&region);
    sps_creds_files_clean_up(&files);
    return err;
}

static sps_err s_get(struct sps_aws_credentials_provider *self, struct sps_aws_credentials *out,
                     struct sps_aws_error *aws_err)
{
    struct s_profile *p = self->impl;
    if (p->inner == NULL)
        SPS_TRY(s_resolve(p, aws_err));
    sps_err err = p->inner->vtable->get(p->inner, out, aws_err);
    if (err == SPS_ERR_CREDS_NOT_FOUND)
        /* The profile is configured: its source coming up empty must not pass the chain on. */
        err = sps_creds_fail(aws_err, SPS_ERR_CONFIG, S_NAME,
                             "the credential source of the profile found no credentials");
    return err;
}

static void s_destroy(struct sps_aws_credentials_provider *self)
{
    struct s_profile *p = self->impl;
    sps_aws_credentials_provider_destroy(p->inner);
    sps_free(p->profile);
    sps_free(p->region);
    sps_free(p);
    sps_free(self);
}

static const struct sps_aws_credentials_provider_vtable s_vtable = {s_get, s_destroy};

struct sps_aws_credentials_provider *
sps_creds_profile_new(const struct sps_aws_credentials_chain_options *options)
{
    struct s_profile *p = sps_calloc(1, sizeof(*p));
    p->env = options->env ? options->env : sps_env_process();
    p->clock = options->clock ? options->clock : sps_clock_system();
    p->transport = options->transport;
    p->profile = options->profile ? sps_strdup(options->profile) : NULL;
    p->region = options->region ? sps_strdup(options->region) : NULL;
    struct sps_aws_credentials_provider *self = sps_calloc(1, sizeof(*self));
    self->vtable = &s_vtable;
    self->name = S_NAME;
    self->impl = p;
    return self;
}
