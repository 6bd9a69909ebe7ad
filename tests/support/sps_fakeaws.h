/*
 * The simulated AWS region (tests/fakeaws) from C tests: start it with a scenario, build real
 * service clients (libcurl transport, default fake credentials, SigV4 verified by botocore on the
 * other side) against it, drive its admin interface, and stop it.
 */
#ifndef SPS_FAKEAWS_H
#define SPS_FAKEAWS_H

#include "sps_aws.h"

#define SPS_FAKEAWS_AKID "AKIDSPOTSWAPFAKE00001"
#define SPS_FAKEAWS_SECRET "fake/secret/key/for/tests/only+0000000000"
#define SPS_FAKEAWS_ACCOUNT "111111111111"

struct sps_fakeaws {
    char dir[256];
    char endpoint[128]; /* http://127.0.0.1:PORT */
    struct sps_http_transport *transport;
    struct sps_aws_credentials_provider *credentials;
};

/* Starts the fake with `scenario` (a path relative to tests/fakeaws/scenarios, e.g.
 * "basic.json", or NULL for the empty default world). Fails the test when it cannot. */
void sps_fakeaws_start(struct sps_fakeaws *f, const char *scenario);
void sps_fakeaws_stop(struct sps_fakeaws *f);

/* A client for `service` in `region` against the fake (destroy it before stopping). */
struct sps_aws_client *sps_fakeaws_client(struct sps_fakeaws *f, enum sps_aws_service service,
                                          const char *region);

/* One admin call: `method` "GET"/"POST", `path` under /_fake/ ("advance", "state", "calls"),
 * `json` the POST body or NULL. Returns the HTTP status; the body lands in `out` when given. */
int sps_fakeaws_admin(struct sps_fakeaws *f, const char *method, const char *path,
                      const char *json, struct sps_buf *out);

#endif
