/* The real clock, environment and randomness, and the timestamp formats AWS uses. */
#include "sps_sys.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static int64_t s_wall_ms(void *ctx)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t s_mono_ms(void *ctx)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void s_sleep_ms(void *ctx, int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

const struct sps_clock *sps_clock_system(void)
{
    static const struct sps_clock clock = {s_wall_ms, s_mono_ms, s_sleep_ms, NULL};
    return &clock;
}

static const char *s_getenv(void *ctx, const char *name)
{
    return getenv(name);
}

const struct sps_env *sps_env_process(void)
{
    static const struct sps_env env = {s_getenv, NULL};
    return &env;
}

const char *sps_env_get(const struct sps_env *env, const char *name)
{
    const char *value = env->get(env->ctx, name);
    return (value && value[0]) ? value : NULL;
}

static uint64_t s_random_u64(void *ctx)
{
    uint64_t value = 0;
    /* Jitter only needs to decorrelate clients, but getrandom is cheap and never blocks here. */
    if (getrandom(&value, sizeof(value), 0) != (ssize_t)sizeof(value))
        value = (uint64_t)s_mono_ms(NULL) * 0x9E3779B97F4A7C15ull;
    return value;
}

const struct sps_rand *sps_rand_system(void)
{
    static const struct sps_rand rand = {s_random_u64, NULL};
    return &rand;
}

double sps_rand_unit(const struct sps_rand *rand)
{
    return (double)(rand->next_u64(rand->ctx) >> 11) * (1.0 / 9007199254740992.0);
}

static void s_utc(int64_t epoch_ms, struct tm *tm)
{
    time_t secs = (time_t)(epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000);
    gmtime_r(&secs, tm);
}

sps_err sps_time_format_iso8601(struct sps_buf *out, int64_t epoch_ms)
{
    struct tm tm;
    s_utc(epoch_ms, &tm);
    int millis = (int)(((epoch_ms % 1000) + 1000) % 1000);
    return sps_buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                          tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

sps_err sps_time_format_amz_date(struct sps_buf *out, int64_t epoch_ms)
{
    struct tm tm;
    s_utc(epoch_ms, &tm);
    return sps_buf_printf(out, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                          tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Reads exactly `width` digits at *pos. */
static int s_digits(struct sps_cursor t, size_t *pos, size_t width, int *out)
{
    int value = 0;
    if (*pos + width > t.len)
        return -1;
    for (size_t i = 0; i < width; i++) {
        char ch = t.ptr[*pos + i];
        if (ch < '0' || ch > '9')
            return -1;
        value = value * 10 + (ch - '0');
    }
    *pos += width;
    *out = value;
    return 0;
}

static int s_expect(struct sps_cursor t, size_t *pos, char ch)
{
    if (*pos >= t.len || t.ptr[*pos] != ch)
        return -1;
    (*pos)++;
    return 0;
}

/* 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range of four-digit years. */
#define S_ISO8601_MIN_MS (-62167219200000LL)
#define S_ISO8601_MAX_MS (253402300799999LL)

static int s_days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t s_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int s_parse_offset(struct sps_cursor t, size_t *pos, int64_t *offset_ms)
{
    if (*pos < t.len && t.ptr[*pos] == 'Z') {
        (*pos)++;
        *offset_ms = 0;
        return 0;
    }
    if (*pos >= t.len || (t.ptr[*pos] != '+' && t.ptr[*pos] != '-'))
        return -1;
    int sign = t.ptr[(*pos)++] == '-' ? -1 : 1, hh, mm;
    if (s_digits(t, pos, 2, &hh) || s_expect(t, pos, ':') || s_digits(t, pos, 2, &mm) ||
        hh > 23 || mm > 59)
        return -1;
    *offset_ms = sign * ((int64_t)hh * 3600 + mm * 60) * 1000;
    return 0;
}

sps_err sps_time_parse_iso8601(struct sps_cursor t, int64_t *epoch_ms)
{
    size_t pos = 0;
    int y, mo, d, h, mi, s;
    if (s_digits(t, &pos, 4, &y) || s_expect(t, &pos, '-') || s_digits(t, &pos, 2, &mo) ||
        s_expect(t, &pos, '-') || s_digits(t, &pos, 2, &d) || s_expect(t, &pos, 'T') ||
        s_digits(t, &pos, 2, &h) || s_expect(t, &pos, ':') || s_digits(t, &pos, 2, &mi) ||
        s_expect(t, &pos, ':') || s_digits(t, &pos, 2, &s))
        return SPS_ERR_PARSE_TIME;
    if (mo < 1 || mo > 12 || d < 1 || d > s_days_in_month(y, mo) || h > 23 || mi > 59 || s > 60)
        return SPS_ERR_PARSE_TIME;
    int64_t millis = 0;
    if (pos < t.len && t.ptr[pos] == '.') {
        pos++;
        int scale = 100, digits = 0;
        while (pos < t.len && t.ptr[pos] >= '0' && t.ptr[pos] <= '9') {
            millis += (t.ptr[pos++] - '0') * scale;
            scale /= 10;
            digits++;
        }
        if (digits == 0)
            return SPS_ERR_PARSE_TIME;
    }
    int64_t offset_ms;
    if (s_parse_offset(t, &pos, &offset_ms) || pos != t.len)
        return SPS_ERR_PARSE_TIME;
    int64_t secs = s_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    int64_t ms = secs * 1000 + millis - offset_ms;
    /* A leap second or an offset can carry 9999-12-31 into year 10000 (or 0000-01-01 before
     * year 0): instants no four-digit UTC timestamp names, which the formatters cannot write
     * back. Found by tests/fuzz/fuzz_numbers. */
    if (ms < S_ISO8601_MIN_MS || ms > S_ISO8601_MAX_MS)
        return SPS_ERR_PARSE_TIME;
    *epoch_ms = ms;
    return SPS_OK;
}
