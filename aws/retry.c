/* The standard retry mode's pure pieces: classification, backoff, retry quota, rate limiter. */
#include "sps_aws_retry.h"

#include <stdio.h>
#include <string.h>

#define S_DEFAULT_RATE 20.0
#define S_DEFAULT_BURST 40.0
#define S_MIN_RATE 0.5
#define S_THROTTLE_FACTOR 0.7
#define S_RECOVERY_SHARE 0.05

bool sps_retry_is_transient_code(const char *code)
{
    static const char *const codes[] = {"RequestTimeout", "RequestTimeoutException",
                                        "PriorRequestNotComplete"};
    if (code == NULL)
        return false;
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        if (strcmp(code, codes[i]) == 0)
            return true;
    }
    return false;
}

enum sps_retry_kind sps_retry_classify(sps_err result, const struct sps_aws_error *aws)
{
    switch (result) {
    case SPS_OK:
        return SPS_RETRY_NONE;
    case SPS_ERR_AWS_THROTTLED:
        return SPS_RETRY_THROTTLE;
    case SPS_ERR_HTTP_TIMEOUT:
        return SPS_RETRY_TIMEOUT;
    case SPS_ERR_HTTP_CONNECT:
    case SPS_ERR_HTTP_TRANSPORT:
    case SPS_ERR_AWS_SERVER:
        return SPS_RETRY_TRANSIENT;
    case SPS_ERR_AWS_CLOCK_SKEW:
        return SPS_RETRY_CLOCK_SKEW;
    case SPS_ERR_AWS_EXPIRED_CREDENTIALS:
        return SPS_RETRY_REFRESH_CREDS;
    default:
        break;
    }
    /* A plain client error may still carry one of the standard mode's transient codes, or come
     * with a 5xx; capacity, auth and the rest stay final whatever their status (EC2 sends
     * InsufficientInstanceCapacity as a 500). */
    if (result == SPS_ERR_AWS_CLIENT && aws && aws->http_status != 0) {
        if (sps_retry_is_transient_code(aws->code))
            return SPS_RETRY_TRANSIENT;
        if (aws->http_status >= 500 && aws->http_status != 501)
            return SPS_RETRY_TRANSIENT;
    }
    return SPS_RETRY_NONE;
}

int sps_retry_max_attempts(const struct sps_aws_retry_options *options, const struct sps_env *env)
{
    if (options && options->max_attempts > 0)
        return options->max_attempts;
    const char *text = env ? sps_env_get(env, "AWS_MAX_ATTEMPTS") : NULL;
    if (text) {
        uint64_t n = 0;
        if (sps_cursor_to_u64(sps_cursor_from_str(text), &n) == SPS_OK && n >= 1 && n <= 100)
            return (int)n;
        sps_log(SPS_LOG_WARN, "ignoring AWS_MAX_ATTEMPTS: not an integer from 1 to 100", "value",
                text, NULL);
    }
    return SPS_RETRY_DEFAULT_MAX_ATTEMPTS;
}

int64_t sps_retry_backoff_ms(int retry, int64_t base_ms, int64_t max_backoff_ms,
                             const struct sps_rand *rand)
{
    if (base_ms <= 0)
        base_ms = SPS_RETRY_DEFAULT_BASE_MS;
    if (max_backoff_ms <= 0)
        max_backoff_ms = SPS_RETRY_DEFAULT_MAX_BACKOFF_MS;
    if (retry < 1)
        retry = 1;
    double ceiling = (double)base_ms;
    for (int i = 1; i < retry && ceiling < (double)max_backoff_ms; i++)
        ceiling *= 2;
    if (ceiling > (double)max_backoff_ms)
        ceiling = (double)max_backoff_ms;
    return (int64_t)(sps_rand_unit(rand) * ceiling);
}

void sps_retry_quota_init(struct sps_retry_quota *q, int capacity)
{
    q->capacity = capacity > 0 ? capacity : SPS_RETRY_QUOTA_INITIAL;
    q->available = q->capacity;
}

int sps_retry_quota_cost(enum sps_retry_kind kind)
{
    switch (kind) {
    case SPS_RETRY_TRANSIENT:
    case SPS_RETRY_THROTTLE:
        return SPS_RETRY_COST;
    case SPS_RETRY_TIMEOUT:
        return SPS_RETRY_TIMEOUT_COST;
    default:
        return 0;
    }
}

bool sps_retry_quota_acquire(struct sps_retry_quota *q, int amount)
{
    if (amount > q->available)
        return false;
    q->available -= amount;
    return true;
}

void sps_retry_quota_release(struct sps_retry_quota *q, int amount)
{
    int room = q->capacity - q->available;
    q->available += amount < room ? amount : room;
}

void sps_rate_limiter_init(struct sps_rate_limiter *rl, const struct sps_aws_rate_options *options,
                           int64_t now_ms)
{
    double rate =
        options && options->requests_per_second > 0 ? options->requests_per_second : S_DEFAULT_RATE;
    double burst = options && options->burst > 0 ? options->burst : S_DEFAULT_BURST;
    if (burst < 1)
        burst = 1;
    rl->max_rate = rate;
    rl->rate = rate;
    rl->burst = burst;
    rl->tokens = burst;
    rl->last_ms = now_ms;
}

int64_t sps_rate_limiter_acquire(struct sps_rate_limiter *rl, int64_t now_ms)
{
    if (now_ms > rl->last_ms) {
        rl->tokens += (double)(now_ms - rl->last_ms) * rl->rate / 1000.0;
        if (rl->tokens > rl->burst)
            rl->tokens = rl->burst;
        rl->last_ms = now_ms;
    }
    rl->tokens -= 1.0;
    if (rl->tokens >= 0)
        return 0;
    double wait = -rl->tokens * 1000.0 / rl->rate;
    int64_t whole = (int64_t)wait;
    return (double)whole < wait ? whole + 1 : whole;
}

void sps_rate_limiter_on_throttle(struct sps_rate_limiter *rl)
{
    rl->rate *= S_THROTTLE_FACTOR;
    double floor_rate = rl->max_rate < S_MIN_RATE ? rl->max_rate : S_MIN_RATE;
    if (rl->rate < floor_rate)
        rl->rate = floor_rate;
}

void sps_rate_limiter_on_success(struct sps_rate_limiter *rl)
{
    rl->rate += rl->max_rate * S_RECOVERY_SHARE;
    if (rl->rate > rl->max_rate)
        rl->rate = rl->max_rate;
}

sps_err sps_http_date_parse(const char *text, int64_t *epoch_ms)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    /* "Tue, 24 Nov 2026 05:47:22 GMT": fixed width, checked field by field. */
    if (text == NULL || strlen(text) != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' ||
        text[11] != ' ' || text[16] != ' ' || strcmp(text + 25, " GMT") != 0)
        return SPS_ERR_PARSE_TIME;
    int month = 0;
    for (int i = 0; i < 12; i++) {
        if (strncmp(text + 8, months[i], 3) == 0)
            month = i + 1;
    }
    if (month == 0)
        return SPS_ERR_PARSE_TIME;
    char iso[32];
    snprintf(iso, sizeof(iso), "%.4s-%02d-%.2sT%.8sZ", text + 12, month, text + 5, text + 17);
    return sps_time_parse_iso8601(sps_cursor_from_str(iso), epoch_ms);
}
