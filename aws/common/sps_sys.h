/*
 * The small interfaces behind which spotswap reaches the outside world, so tests can inject
 * fakes: a clock (wall time for signing and expiry, monotonic time and sleep for backoff), the
 * process environment, and randomness (retry jitter). The sps_*_system() instances are the real
 * ones; they are stateless and live forever.
 */
#ifndef SPS_SYS_H
#define SPS_SYS_H

#include "sps_buf.h"

#include <stdint.h>

struct sps_clock {
    int64_t (*wall_ms)(void *ctx); /* Unix epoch, milliseconds */
    int64_t (*mono_ms)(void *ctx); /* monotonic, arbitrary origin */
    void (*sleep_ms)(void *ctx, int64_t ms);
    void *ctx;
};

struct sps_env {
    /* The variable's value, or NULL when unset. The pointer stays valid until the next call. */
    const char *(*get)(void *ctx, const char *name);
    void *ctx;
};

struct sps_rand {
    uint64_t (*next_u64)(void *ctx);
    void *ctx;
};

const struct sps_clock *sps_clock_system(void);
const struct sps_env *sps_env_process(void);
const struct sps_rand *sps_rand_system(void);

/* A variable's value, treating "" like unset, as the AWS SDKs do. */
const char *sps_env_get(const struct sps_env *env, const char *name);
/* A uniformly distributed double in [0, 1). */
double sps_rand_unit(const struct sps_rand *rand);

/* Both formatters append to a sticky-error buffer, so their result may be checked later.
 * Formats epoch milliseconds as ISO 8601 UTC with milliseconds ("2026-11-24T05:37:51.123Z"). */
sps_err sps_time_format_iso8601(struct sps_buf *out, int64_t epoch_ms);
/* Formats as SigV4 wants it: "20261124T053751Z" (basic) and "20261124" (date only). */
sps_err sps_time_format_amz_date(struct sps_buf *out, int64_t epoch_ms);
/* Parses ISO 8601 as AWS writes it ("2026-11-24T05:37:51Z", with optional fraction and a Z or
 * +hh:mm offset) into epoch milliseconds. */
SPS_NODISCARD sps_err sps_time_parse_iso8601(struct sps_cursor text, int64_t *epoch_ms);

#endif
