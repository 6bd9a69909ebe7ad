/*
 * The pieces of the SDKs' "standard" retry mode, pure so they can be tested with a fake clock and
 * fake randomness (private to the client; see docs/http-and-retries.md): which failures are
 * retried, how long to wait (full-jitter exponential backoff), the retry quota that stops a
 * failing client from multiplying its load, and the client-side token bucket that paces requests
 * and slows down when AWS throttles.
 */
#ifndef SPS_AWS_RETRY_H
#define SPS_AWS_RETRY_H

#include "sps_aws_client.h"

enum {
    SPS_RETRY_DEFAULT_MAX_ATTEMPTS = 3,
    SPS_RETRY_QUOTA_INITIAL = 500,
    SPS_RETRY_COST = 5,
    SPS_RETRY_TIMEOUT_COST = 10,
    SPS_RETRY_SUCCESS_REFUND = 1,
};

#define SPS_RETRY_DEFAULT_BASE_MS 1000
#define SPS_RETRY_DEFAULT_MAX_BACKOFF_MS 20000

/* What to do about a failed attempt. */
enum sps_retry_kind {
    SPS_RETRY_NONE,          /* final: success or a failure retrying cannot fix */
    SPS_RETRY_TRANSIENT,     /* 5xx, transient codes, connection faults: back off, cost 5 */
    SPS_RETRY_TIMEOUT,       /* the request timed out: back off, cost 10 */
    SPS_RETRY_THROTTLE,      /* throttling codes: back off, cost 5, slow the rate limiter */
    SPS_RETRY_CLOCK_SKEW,    /* re-sign with a corrected clock, once, at once */
    SPS_RETRY_REFRESH_CREDS, /* refetch credentials, once, at once */
};

/* Classifies an attempt's outcome: `result` is the transport result or the classified AWS
 * error, `aws` the parsed error document (may be NULL). */
enum sps_retry_kind sps_retry_classify(sps_err result, const struct sps_aws_error *aws);
/* True for the standard mode's transient error codes (RequestTimeout, ...). */
bool sps_retry_is_transient_code(const char *code);

/* The attempt limit: options->max_attempts, else AWS_MAX_ATTEMPTS (a positive integer; other
 * values are ignored with a warning), else 3. */
int sps_retry_max_attempts(const struct sps_aws_retry_options *options, const struct sps_env *env);

/* Delay before retry number `retry` (1 for the first retry):
 * rand[0,1) * min(base * 2^(retry-1), max_backoff). Zero or negative knobs take the defaults. */
int64_t sps_retry_backoff_ms(int retry, int64_t base_ms, int64_t max_backoff_ms,
                             const struct sps_rand *rand);

/* The retry quota, shared by all calls of one client. */
struct sps_retry_quota {
    int capacity;
    int available;
};
void sps_retry_quota_init(struct sps_retry_quota *q, int capacity);
/* The cost of retrying after `kind` (0 for kinds that do not spend quota). */
int sps_retry_quota_cost(enum sps_retry_kind kind);
/* Takes `amount`; false (and nothing taken) when not enough is left. */
bool sps_retry_quota_acquire(struct sps_retry_quota *q, int amount);
/* Gives back up to `amount`, never past the capacity. */
void sps_retry_quota_release(struct sps_retry_quota *q, int amount);

/* The client-side token bucket. Tokens refill at `rate` per second up to `burst`; each request
 * takes one. When none is left the request is scheduled for when one will be (the balance goes
 * negative, so requests queue in order). A throttling answer multiplies the rate by 0.7 (the
 * decrease botocore's adaptive mode uses), down to 0.5/s; each success adds back 5% of the
 * configured rate, up to the configured rate. */
struct sps_rate_limiter {
    double max_rate; /* configured requests per second */
    double rate;     /* current */
    double burst;
    double tokens;
    int64_t last_ms; /* monotonic time of the last refill */
};
void sps_rate_limiter_init(struct sps_rate_limiter *rl, const struct sps_aws_rate_options *options,
                           int64_t now_ms);
/* Takes a token; returns how many ms from `now_ms` the request must wait (0: go now). */
int64_t sps_rate_limiter_acquire(struct sps_rate_limiter *rl, int64_t now_ms);
void sps_rate_limiter_on_throttle(struct sps_rate_limiter *rl);
void sps_rate_limiter_on_success(struct sps_rate_limiter *rl);

/* Parses an HTTP date ("Tue, 24 Nov 2026 05:47:22 GMT", RFC 7231 IMF-fixdate) into epoch ms. */
SPS_NODISCARD sps_err sps_http_date_parse(const char *text, int64_t *epoch_ms);

#endif
