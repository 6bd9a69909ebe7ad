/*
 * An AWS service client: one service in one region. It builds the request (Query form body or
 * JSON 1.1), signs it with credentials from its provider, sends it through the transport, and
 * retries the way the SDKs' "standard" retry mode does: bounded attempts, exponential backoff
 * with full jitter, a retry quota, retries only for throttling, 5xx, clock skew and transport
 * faults, never for plain client errors. A token bucket paces requests so a burst cannot trip
 * AWS throttling. Independent calls run concurrently through sps_aws_call_run_many.
 */
#ifndef SPS_AWS_CLIENT_H
#define SPS_AWS_CLIENT_H

#include "sps_aws_credentials.h"
#include "sps_aws_endpoint.h"
#include "sps_aws_error.h"
#include "sps_aws_http.h"
#include "sps_aws_query.h"
#include "sps_aws_xml.h"

struct sps_aws_retry_options {
    int max_attempts;       /* 0: AWS_MAX_ATTEMPTS, else 3 (the standard mode's default) */
    int64_t max_backoff_ms; /* 0: 20000 */
    int64_t base_delay_ms;  /* 0: 1000; attempt i waits rand[0,1) * min(base * 2^i, max) */
};

struct sps_aws_rate_options {
    double requests_per_second; /* 0: 20 */
    double burst;               /* 0: 40 */
};

struct sps_aws_client_options {
    enum sps_aws_service service;
    const char *region;
    const char *endpoint_url;     /* NULL: sps_aws_endpoint_resolve(env, service, region) */
    const struct sps_env *env;    /* NULL: process environment */
    struct sps_aws_credentials_provider *credentials; /* borrowed */
    struct sps_http_transport *transport;             /* borrowed */
    const struct sps_clock *clock; /* NULL: system */
    const struct sps_rand *rand;   /* NULL: system */
    struct sps_aws_retry_options retry;
    struct sps_aws_rate_options rate;
    size_t max_response_bytes; /* 0: 32 MiB */
};

struct sps_aws_client;

SPS_NODISCARD sps_err sps_aws_client_new(struct sps_aws_client **out,
                                         const struct sps_aws_client_options *options);
void sps_aws_client_destroy(struct sps_aws_client *client); /* NULL-safe */
const char *sps_aws_client_region(const struct sps_aws_client *client);
enum sps_aws_service sps_aws_client_service(const struct sps_aws_client *client);

/* The service's clock now: the last response's Date plus the local time elapsed since. False
 * before any response with a Date. Instance ages are measured in this time, not the host's. */
bool sps_aws_client_server_time(const struct sps_aws_client *client, int64_t *now_ms);

/* One call and its outcome. Initialize with one of the init functions, run, read, clean up. */
struct sps_aws_call {
    struct sps_aws_client *client;
    const struct sps_query *query;  /* Query protocol (borrowed) */
    const char *json_operation;     /* JSON 1.1: "GetProducts" (borrowed) */
    struct sps_cursor json_body;    /* borrowed */
    /* outcome */
    sps_err result;
    struct sps_aws_error error;     /* the service's words when result is an AWS error */
    struct sps_xml_doc *doc;        /* Query success: the parsed response, owned by the call */
    struct sps_buf body;            /* the raw response body of the last attempt */
    int attempts;
    /* Called once the outcome is final, inside sps_aws_call_run_many, as each call of a batch is
     * done (NULL: none; set after init). A consumer of many large answers reads each here and
     * releases it (sps_aws_call_clean_up), so a batch never holds every parsed answer at once. */
    void (*on_done)(struct sps_aws_call *call, void *ctx);
    void *on_done_ctx;
};

void sps_aws_call_init_query(struct sps_aws_call *call, struct sps_aws_client *client,
                             const struct sps_query *query);
void sps_aws_call_init_json(struct sps_aws_call *call, struct sps_aws_client *client,
                            const char *operation, struct sps_cursor body);
void sps_aws_call_clean_up(struct sps_aws_call *call);
/* The element holding the operation's output: <ActionResult> for Auto Scaling/STS, the
 * <ActionResponse> root for EC2. NULL unless the call succeeded with XML. */
const struct sps_xml_node *sps_aws_call_result_node(const struct sps_aws_call *call);

/* Runs the calls concurrently (each with its own retries) and returns when all are done. */
void sps_aws_call_run_many(struct sps_aws_call *calls, size_t n);
SPS_NODISCARD sps_err sps_aws_call_run(struct sps_aws_call *call);

/* Pagination over NextToken (EC2's <nextToken>, Auto Scaling's <NextToken>): calls `on_page`
 * with each page's result node until the token is absent, empty or repeats. `max_pages` bounds
 * a misbehaving service (0: 10000). `aws_err` receives the failing page's error. */
typedef sps_err (*sps_aws_page_fn)(void *ctx, const struct sps_xml_node *result);
SPS_NODISCARD sps_err sps_aws_query_paginate(struct sps_aws_client *client,
                                             const struct sps_query *query, size_t max_pages,
                                             sps_aws_page_fn on_page, void *ctx,
                                             struct sps_aws_error *aws_err);

/* Installs spotswap's allocator into jansson, libxml2 and libcurl and initializes libcurl.
 * Call once at start-up before any thread exists. */
void sps_aws_global_init(void);
void sps_aws_global_clean_up(void);

#endif
