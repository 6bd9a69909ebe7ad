/*
 * What the credential providers share and what tests reach past the public header for: the
 * caching wrapper every remote source uses, the individual providers the default chain is built
 * from, and the shared-file (profile) loader that region resolution also needs.
 *
 * Convention inside the chain: a provider whose source is simply not configured (no variables,
 * no profile, not on EC2) answers SPS_ERR_CREDS_NOT_FOUND and the chain moves on; any other error
 * means "configured but broken" and stops the chain, as botocore does. Detail for a local failure
 * goes to aws_err->message (code left empty, http_status 0) and to the log.
 */
#ifndef SPS_AWS_CREDENTIALS_PRIVATE_H
#define SPS_AWS_CREDENTIALS_PRIVATE_H

#include "sps_aws_credentials.h"
#include "sps_aws_ini.h"

/* Refresh this long before expiry (plus up to a minute of jitter so clients do not align). */
#define SPS_CREDS_REFRESH_MS ((int64_t)5 * 60 * 1000)

/* Writes a printf-style detail into aws_err->message (when aws_err is not NULL), logs it at warn
 * with the provider's name, and returns `err`. */
sps_err sps_creds_fail(struct sps_aws_error *aws_err, sps_err err, const char *provider,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* How a JSON credentials document is read (credential_process, ECS, IMDS). */
struct sps_creds_json_format {
    const char *provider;    /* for messages */
    sps_err error;           /* what a bad document fails with */
    const char *token_field; /* "SessionToken" (process) or "Token" (ECS, IMDS) */
    bool check_version;      /* credential_process: "Version": 1 */
    bool check_code;         /* IMDS: "Code": "Success" */
    bool require_expiration; /* temporary credentials from a service always expire */
};
/* Fills `out` from the document; never quotes the document in an error (it holds secrets). */
SPS_NODISCARD sps_err sps_creds_from_json(struct sps_aws_credentials *out, struct sps_cursor body,
                                          const struct sps_creds_json_format *format,
                                          struct sps_aws_error *aws_err);

/* ---- caching ---- */
/* Fetches fresh credentials from the source into `out` (empty on entry). */
typedef sps_err (*sps_creds_fetch_fn)(void *ctx, struct sps_aws_credentials *out,
                                      struct sps_aws_error *aws_err);

/* A provider that calls `fetch` when it holds nothing, or when what it holds expires within
 * SPS_CREDS_REFRESH_MS; if a refresh fails while the held credentials are still valid, it keeps
 * serving them (logged at warn). Credentials without an expiration are fetched once. Takes
 * ownership of `ctx` (freed with `destroy_ctx`, which may be NULL). */
struct sps_aws_credentials_provider *sps_creds_cached_new(const char *name,
                                                          sps_creds_fetch_fn fetch, void *ctx,
                                                          void (*destroy_ctx)(void *ctx),
                                                          const struct sps_clock *clock);

/* A provider that owns `owned` and destroys it with itself, delegating `get` to `inner` (which it
 * also owns). Used where a provider borrows its source (AssumeRole). */
struct sps_aws_credentials_provider *
sps_creds_owning_new(struct sps_aws_credentials_provider *inner,
                     struct sps_aws_credentials_provider *owned);

/* ---- the individual sources ---- */
/* AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (or AWS_SECURITY_TOKEN). */
struct sps_aws_credentials_provider *sps_creds_env_new(const struct sps_env *env);

struct sps_creds_process_options {
    const char *command;           /* run with /bin/sh -c */
    int64_t timeout_ms;            /* 0: 60000 */
    size_t max_output;             /* 0: 64 KiB */
    const struct sps_clock *clock; /* for the cache; the timeout uses real time */
};
/* credential_process: runs the command, reads its JSON (Version 1). */
struct sps_aws_credentials_provider *
sps_creds_process_new(const struct sps_creds_process_options *options);

/* ECS/EKS container endpoint from AWS_CONTAINER_CREDENTIALS_{RELATIVE,FULL}_URI. */
struct sps_aws_credentials_provider *sps_creds_ecs_new(const struct sps_env *env,
                                                       const struct sps_clock *clock,
                                                       struct sps_http_transport *transport);
/* EC2 instance metadata, IMDSv2 only. */
struct sps_aws_credentials_provider *sps_creds_imds_new(const struct sps_env *env,
                                                        const struct sps_clock *clock,
                                                        struct sps_http_transport *transport);

struct sps_creds_web_identity_options {
    const char *role_arn;
    const char *token_file;
    const char *session_name; /* NULL: "spotswap-<epoch ms>" */
    const char *region;       /* NULL: us-east-1 (the env variant resolves it first) */
    const char *profile;      /* the env variant: whose `region` to use; NULL: AWS_PROFILE */
    const struct sps_env *env;
    const struct sps_clock *clock;
    struct sps_http_transport *transport;
};
/* STS AssumeRoleWithWebIdentity (unsigned), re-reading the token file on every refresh. */
struct sps_aws_credentials_provider *
sps_creds_web_identity_new(const struct sps_creds_web_identity_options *options);
/* The same from AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (+ AWS_ROLE_SESSION_NAME); answers
 * SPS_ERR_CREDS_NOT_FOUND when they are not set. */
struct sps_aws_credentials_provider *
sps_creds_web_identity_env_new(const struct sps_creds_web_identity_options *options);

struct sps_xml_node;
/* Reads <Credentials>{AccessKeyId, SecretAccessKey, SessionToken, Expiration} under an STS
 * result element (NULL-safe: a missing result is a missing field). */
SPS_NODISCARD sps_err sps_creds_from_sts_result(struct sps_aws_credentials *out,
                                                const struct sps_xml_node *result,
                                                const char *provider,
                                                struct sps_aws_error *aws_err);
/* "spotswap-<epoch seconds>", as botocore names its sessions "botocore-session-<seconds>". */
void sps_creds_default_session_name(struct sps_buf *out, const struct sps_clock *clock);

/* The named profile from the shared files (see sps_creds_files). `explicit_profile` is
 * options.profile (a missing profile is then an error even without AWS_PROFILE). */
struct sps_aws_credentials_provider *
sps_creds_profile_new(const struct sps_aws_credentials_chain_options *options);

/* ---- shared files ---- */
struct sps_creds_files {
    struct sps_ini config;      /* ~/.aws/config as parsed, sections as written */
    struct sps_ini credentials; /* ~/.aws/credentials */
    char *profile;              /* the selected profile's name */
    bool profile_explicit;      /* named by the caller or AWS_PROFILE, not the "default" fallback */
};

/* Loads both files (a missing file is empty) and picks the profile: `profile`, else AWS_PROFILE,
 * else "default". SPS_ERR_CONFIG (detail in aws_err) for a malformed file. */
SPS_NODISCARD sps_err sps_creds_files_load(struct sps_creds_files *files, const struct sps_env *env,
                                           const char *profile, struct sps_aws_error *aws_err);
void sps_creds_files_clean_up(struct sps_creds_files *files);
/* A profile's sections: `[profile name]` (or `[default]`) in config, `[name]` in credentials;
 * either may be NULL. */
void sps_creds_files_profile(const struct sps_creds_files *files, const char *name,
                             const struct sps_ini_section **config,
                             const struct sps_ini_section **credentials);
/* A setting of the profile: the credentials file wins for the keys it has. */
const char *sps_creds_files_get(const struct sps_creds_files *files, const char *profile,
                                const char *key);

#endif
