/*
 * AWS credentials and the providers that find them, in the SDKs' order: environment, shared
 * config/credentials files (profiles, role_arn + source_profile, credential_process), web
 * identity, ECS container endpoint, EC2 instance metadata (IMDSv2). AssumeRole wraps any source
 * for cross-account use. Providers cache what they fetch and refresh before expiry.
 */
#ifndef SPS_AWS_CREDENTIALS_H
#define SPS_AWS_CREDENTIALS_H

#include "sps_aws_error.h"
#include "sps_aws_http.h"

struct sps_aws_credentials {
    char *access_key_id;
    char *secret_access_key;
    char *session_token; /* NULL for long-term keys */
    int64_t expiration_ms; /* epoch ms; 0 = does not expire */
};

void sps_aws_credentials_clean_up(struct sps_aws_credentials *c); /* NULL-safe */
/* Deep copy into `dst` (which must be empty or cleaned up); registers the secret and the token
 * with the logger's scrub list. */
void sps_aws_credentials_copy(struct sps_aws_credentials *dst,
                              const struct sps_aws_credentials *src);
/* Sets all fields from strings (copied); fails with SPS_ERR_CREDS_INVALID when the key ID or the
 * secret is missing or empty. */
SPS_NODISCARD sps_err sps_aws_credentials_set(struct sps_aws_credentials *c, const char *akid,
                                              const char *secret, const char *token,
                                              int64_t expiration_ms);

struct sps_aws_credentials_provider;

struct sps_aws_credentials_provider_vtable {
    /* Fills `out` (empty on entry) with usable credentials. `aws_err` receives the service's
     * words when a remote source refused (may be NULL). */
    sps_err (*get)(struct sps_aws_credentials_provider *p, struct sps_aws_credentials *out,
                   struct sps_aws_error *aws_err);
    void (*destroy)(struct sps_aws_credentials_provider *p);
};

struct sps_aws_credentials_provider {
    const struct sps_aws_credentials_provider_vtable *vtable;
    const char *name; /* "environment", "profile", "imds", ... for logs */
    void *impl;
};

SPS_NODISCARD sps_err sps_aws_credentials_provider_get(struct sps_aws_credentials_provider *p,
                                                       struct sps_aws_credentials *out,
                                                       struct sps_aws_error *aws_err);
void sps_aws_credentials_provider_destroy(struct sps_aws_credentials_provider *p); /* NULL-safe */

/* Fixed credentials (copied). */
SPS_NODISCARD sps_err sps_aws_credentials_provider_new_static(
    struct sps_aws_credentials_provider **out, const char *akid, const char *secret,
    const char *token);

/* What the default chain needs from its surroundings. Everything is borrowed and must outlive
 * the provider. */
struct sps_aws_credentials_chain_options {
    const struct sps_env *env;             /* NULL: the process environment */
    const struct sps_clock *clock;         /* NULL: the system clock */
    struct sps_http_transport *transport;  /* for STS, ECS and IMDS; required */
    const char *profile;                   /* NULL: AWS_PROFILE, else "default" */
    const char *region;                    /* for STS calls the chain makes; NULL: resolved */
};

/* The SDKs' default chain. */
SPS_NODISCARD sps_err sps_aws_credentials_provider_new_chain(
    struct sps_aws_credentials_provider **out,
    const struct sps_aws_credentials_chain_options *options);

struct sps_aws_assume_role_options {
    struct sps_aws_credentials_provider *source; /* borrowed: signs the AssumeRole call */
    const char *role_arn;
    const char *external_id;  /* NULL when the role requires none */
    const char *session_name; /* NULL: "spotswap-<epoch seconds>" */
    int duration_s;           /* 0: 3600 */
    const char *region;       /* STS region; NULL: us-east-1 */
    const struct sps_env *env; /* for AWS_ENDPOINT_URL[_STS]; NULL: process environment */
    const struct sps_clock *clock;
    struct sps_http_transport *transport;
};

/* STS AssumeRole, cached and refreshed ahead of expiry. */
SPS_NODISCARD sps_err sps_aws_credentials_provider_new_assume_role(
    struct sps_aws_credentials_provider **out, const struct sps_aws_assume_role_options *options);

/* Region from the environment and profile: AWS_REGION, AWS_DEFAULT_REGION, then the profile's
 * `region` in the config file. SPS_ERR_REGION_NOT_SET when none. */
SPS_NODISCARD sps_err sps_aws_region_resolve(struct sps_buf *out, const struct sps_env *env,
                                             const char *profile);

#endif
