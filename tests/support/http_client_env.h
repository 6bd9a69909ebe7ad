/*
 * The set-up the service-client tests share: a client over the scripted fake transport, a fake
 * clock at 2026-11-24T05:47:22Z, randomness fixed at exactly 0.5, and a credentials provider that
 * counts its fetches and can hand out expiring credentials or fail.
 */
#ifndef SPS_HTTP_CLIENT_ENV_H
#define SPS_HTTP_CLIENT_ENV_H

#include "sps_aws.h"
#include "sps_fakes.h"

#define SPS_CENV_AKID "AKIDEXAMPLE"
#define SPS_CENV_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SPS_CENV_TOKEN "session-token-example-value"

/* Answers the tests reuse. */
extern const char sps_cenv_regions_ok[];    /* DescribeRegions, 200 */
extern const char sps_cenv_ec2_throttled[]; /* RequestLimitExceeded (EC2 shape) */
extern const char sps_cenv_ec2_internal[];  /* InternalError (EC2 shape) */

struct sps_cenv_provider {
    struct sps_aws_credentials_provider base;
    int gets;              /* fetches so far */
    int64_t expiration_ms; /* what the credentials say; 0: never */
    sps_err fail;          /* when set, fetches fail with it */
};

struct sps_cenv {
    struct sps_fake_clock clock;
    struct sps_fake_rand rand;
    struct sps_fake_env env;
    struct sps_http_transport *transport;
    struct sps_fake_transport *fake;
    struct sps_cenv_provider provider;
    struct sps_aws_client *client;
    struct sps_query query; /* DescribeRegions */
};

/* The fakes and a client for `service` in us-east-1. */
void sps_cenv_setup(struct sps_cenv *e, enum sps_aws_service service);
/* Options wired to the environment's fakes, for a test to adjust. */
struct sps_aws_client_options sps_cenv_options(struct sps_cenv *e, enum sps_aws_service service);
/* Replaces the client (and resets the query) with one built from `o`. */
void sps_cenv_reclient(struct sps_cenv *e, const struct sps_aws_client_options *o);
void sps_cenv_teardown(struct sps_cenv *e);
/* The i-th request sent (fails the test when there is none). */
const struct sps_http_request *sps_cenv_sent(struct sps_cenv *e, size_t i);
/* Runs e->query once; the call is left for inspection (and clean-up). */
sps_err sps_cenv_run(struct sps_cenv *e, struct sps_aws_call *call);
/* Fake transport handler: always 200 with sps_cenv_regions_ok. */
sps_err sps_cenv_always_ok(void *ctx, const struct sps_http_request *req,
                           struct sps_http_response *resp);

#endif
