/*
 * Fakes for the injected interfaces: a scripted HTTP transport that records what it was sent,
 * a manual clock whose sleep advances time, an environment from a table, and a deterministic
 * random source.
 */
#ifndef SPS_FAKES_H
#define SPS_FAKES_H

#include "sps_aws_http.h"

/* ---- clock ---- */
struct sps_fake_clock {
    struct sps_clock clock; /* pass &fake.clock */
    int64_t wall_ms;
    int64_t mono_ms;
    int64_t slept_ms; /* total of all sleeps */
    int sleeps;       /* number of sleep calls */
};
void sps_fake_clock_init(struct sps_fake_clock *c, int64_t wall_ms);

/* ---- environment ---- */
#define SPS_FAKE_ENV_MAX 32
struct sps_fake_env {
    struct sps_env env; /* pass &fake.env */
    const char *names[SPS_FAKE_ENV_MAX];
    const char *values[SPS_FAKE_ENV_MAX];
    size_t count;
};
void sps_fake_env_init(struct sps_fake_env *e);
/* Strings are borrowed (use literals or storage that outlives the env). */
void sps_fake_env_set(struct sps_fake_env *e, const char *name, const char *value);

/* ---- randomness ---- */
struct sps_fake_rand {
    struct sps_rand rand; /* pass &fake.rand */
    uint64_t value;       /* returned every time; UINT64_MAX/2 gives ~0.5 */
};
void sps_fake_rand_init(struct sps_fake_rand *r, uint64_t value);

/* ---- transport ---- */
struct sps_fake_transport;

/* A dynamic responder: fills `resp` (or returns a transport error) for `req`. */
typedef sps_err (*sps_fake_handler)(void *ctx, const struct sps_http_request *req,
                                    struct sps_http_response *resp);

/* `out_transport` is what the code under test uses; `fake` scripts and inspects it. Destroying
 * the transport destroys the fake. */
void sps_fake_transport_new(struct sps_http_transport **out_transport,
                            struct sps_fake_transport **fake);
/* Queues a response. `headers` is "Name: value\n" lines (may be NULL). */
void sps_fake_transport_push(struct sps_fake_transport *f, int status, const char *headers,
                             const char *body);
/* Queues a transport failure (connect, timeout, ...). */
void sps_fake_transport_push_error(struct sps_fake_transport *f, sps_err err);
/* Used once the queue is empty; with neither, an exchange fails with SPS_ERR_HTTP_CONNECT. */
void sps_fake_transport_set_handler(struct sps_fake_transport *f, sps_fake_handler fn,
                                    void *ctx);
size_t sps_fake_transport_request_count(const struct sps_fake_transport *f);
/* Copies of what was sent, in order. */
const struct sps_http_request *sps_fake_transport_request(const struct sps_fake_transport *f,
                                                          size_t i);
size_t sps_fake_transport_pending(const struct sps_fake_transport *f);
/* How many send_many calls carried more than one exchange (concurrency was used). */
size_t sps_fake_transport_batches(const struct sps_fake_transport *f);

#endif
