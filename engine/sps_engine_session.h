/*
 * What every command that talks to AWS opens first: the region, the HTTP transport (with
 * AWS_CA_BUNDLE), the default credentials chain, and clients built from them. One place, so
 * `spotswap run`, the Lambda handler and the diagnostic commands find credentials, regions and
 * endpoints exactly alike.
 */
#ifndef SPS_ENGINE_SESSION_H
#define SPS_ENGINE_SESSION_H

#include "sps_aws.h"

struct sps_engine_session {
    const struct sps_env *env;
    struct sps_buf region; /* the default region */
    struct sps_http_transport *transport;
    struct sps_aws_credentials_provider *credentials; /* the default chain */
};

/* `region` (NULL: AWS_REGION, AWS_DEFAULT_REGION, the profile's) and `profile` (NULL: the
 * chain's default) as given on a command line; `http_timeout_ms` bounds each HTTP exchange (0:
 * the transport's default, 30 s). On failure `why` holds one line naming what was
 * wrong and the session is cleaned up. */
SPS_NODISCARD sps_err sps_engine_session_open(struct sps_engine_session *s,
                                              const struct sps_env *env, const char *region,
                                              const char *profile, int64_t http_timeout_ms,
                                              struct sps_buf *why);
void sps_engine_session_clean_up(struct sps_engine_session *s); /* NULL-safe */

/* A client for `service` in `region` (NULL: the session's), signing with `credentials` (NULL:
 * the session's chain). `why` as above. */
SPS_NODISCARD sps_err sps_engine_session_client(struct sps_engine_session *s,
                                                enum sps_aws_service service, const char *region,
                                                struct sps_aws_credentials_provider *credentials,
                                                struct sps_aws_client **out, struct sps_buf *why);

#endif
