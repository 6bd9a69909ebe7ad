/* The standard retry mode's pure pieces: classification, attempt limit, full-jitter backoff,
 * retry quota accounting, the token bucket and the HTTP date parser used for clock skew. */
#include "sps_aws_retry.h"
#include "sps_fakes.h"
#include "sps_test.h"

#include <stdint.h>

static struct sps_aws_error s_aws(int status, const char *code)
{
    struct sps_aws_error e;
    sps_aws_error_clear(&e);
    e.http_status = status;
    snprintf(e.code, sizeof(e.code), "%s", code);
    return e;
}

static void test_classify(void)
{
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_OK, NULL), SPS_RETRY_NONE);
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_AWS_THROTTLED, NULL), SPS_RETRY_THROTTLE);
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_AWS_SERVER, NULL), SPS_RETRY_TRANSIENT);
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_HTTP_CONNECT, NULL), SPS_RETRY_TRANSIENT);
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_HTTP_TRANSPORT, NULL), SPS_RETRY_TRANSIENT);
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_HTTP_TIMEOUT, NULL), SPS_RETRY_TIMEOUT);
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_AWS_CLOCK_SKEW, NULL), SPS_RETRY_CLOCK_SKEW);
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_AWS_EXPIRED_CREDENTIALS, NULL),
                     SPS_RETRY_REFRESH_CREDS);
    /* Never retried: TLS, oversized responses, bad URLs, plain client errors, capacity. */
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_HTTP_TLS, NULL), SPS_RETRY_NONE);
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_HTTP_RESPONSE_TOO_LARGE, NULL), SPS_RETRY_NONE);
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_HTTP_BAD_URL, NULL), SPS_RETRY_NONE);
    struct sps_aws_error e = s_aws(400, "ValidationError");
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_AWS_CLIENT, &e), SPS_RETRY_NONE);
    e = s_aws(500, "InsufficientInstanceCapacity"); /* EC2 sends it as a 500 */
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_AWS_CAPACITY, &e), SPS_RETRY_NONE);
    e = s_aws(403, "AuthFailure");
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_AWS_AUTH, &e), SPS_RETRY_NONE);
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_AWS_AUTH, NULL), SPS_RETRY_NONE);
    /* Transient codes are retried even on a 4xx; 5xx without a code too, but not 501. */
    e = s_aws(400, "RequestTimeout");
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_AWS_CLIENT, &e), SPS_RETRY_TRANSIENT);
    e = s_aws(503, "");
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_AWS_CLIENT, &e), SPS_RETRY_TRANSIENT);
    e = s_aws(501, "NotImplemented");
    SPS_CHECK_INT_EQ(sps_retry_classify(SPS_ERR_AWS_CLIENT, &e), SPS_RETRY_NONE);
    SPS_CHECK(!sps_retry_is_transient_code(NULL));
    SPS_CHECK(sps_retry_is_transient_code("PriorRequestNotComplete"));
}

static void test_max_attempts(void)
{
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    struct sps_aws_retry_options o = {0};
    SPS_CHECK_INT_EQ(sps_retry_max_attempts(&o, &env.env), 3);
    SPS_CHECK_INT_EQ(sps_retry_max_attempts(NULL, NULL), 3);
    sps_fake_env_set(&env, "AWS_MAX_ATTEMPTS", "7");
    SPS_CHECK_INT_EQ(sps_retry_max_attempts(&o, &env.env), 7);
    o.max_attempts = 2; /* explicit options win over the environment */
    SPS_CHECK_INT_EQ(sps_retry_max_attempts(&o, &env.env), 2);
    o.max_attempts = 0;
    const char *bad[] = {"0", "-1", "abc", "3x", "1000"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        sps_fake_env_set(&env, "AWS_MAX_ATTEMPTS", bad[i]);
        SPS_CHECK_INT_EQ(sps_retry_max_attempts(&o, &env.env), 3);
    }
}

static void test_backoff_full_jitter(void)
{
    struct sps_fake_rand r;
    sps_fake_rand_init(&r, UINT64_MAX); /* rand ~ 1.0: the ceiling itself */
    SPS_CHECK(sps_retry_backoff_ms(1, 1000, 20000, &r.rand) >= 999);
    SPS_CHECK(sps_retry_backoff_ms(1, 1000, 20000, &r.rand) < 1000);
    SPS_CHECK(sps_retry_backoff_ms(2, 1000, 20000, &r.rand) >= 1999);
    SPS_CHECK(sps_retry_backoff_ms(3, 1000, 20000, &r.rand) >= 3999);
    SPS_CHECK(sps_retry_backoff_ms(3, 1000, 20000, &r.rand) < 4000);
    /* Capped by max_backoff, and no overflow at absurd attempt numbers. */
    SPS_CHECK(sps_retry_backoff_ms(6, 1000, 20000, &r.rand) >= 19999);
    SPS_CHECK(sps_retry_backoff_ms(6, 1000, 20000, &r.rand) < 20000);
    SPS_CHECK(sps_retry_backoff_ms(1000, 1000, 20000, &r.rand) < 20000);
    /* Defaults for zero knobs; half the ceiling at rand = 0.5; nothing at rand = 0. */
    sps_fake_rand_init(&r, UINT64_C(1) << 63); /* exactly 0.5 */
    SPS_CHECK_INT_EQ(sps_retry_backoff_ms(2, 0, 0, &r.rand), 1000);
    SPS_CHECK_INT_EQ(sps_retry_backoff_ms(0, 100, 0, &r.rand), 50);
    sps_fake_rand_init(&r, 0);
    SPS_CHECK_INT_EQ(sps_retry_backoff_ms(5, 1000, 20000, &r.rand), 0);
}

static void test_quota(void)
{
    struct sps_retry_quota q;
    sps_retry_quota_init(&q, 0);
    SPS_CHECK_INT_EQ(q.available, 500);
    SPS_CHECK_INT_EQ(sps_retry_quota_cost(SPS_RETRY_THROTTLE), 5);
    SPS_CHECK_INT_EQ(sps_retry_quota_cost(SPS_RETRY_TRANSIENT), 5);
    SPS_CHECK_INT_EQ(sps_retry_quota_cost(SPS_RETRY_TIMEOUT), 10);
    SPS_CHECK_INT_EQ(sps_retry_quota_cost(SPS_RETRY_CLOCK_SKEW), 0);
    SPS_CHECK_INT_EQ(sps_retry_quota_cost(SPS_RETRY_NONE), 0);
    sps_retry_quota_release(&q, 1); /* never past the capacity */
    SPS_CHECK_INT_EQ(q.available, 500);
    sps_retry_quota_init(&q, 12);
    SPS_CHECK(sps_retry_quota_acquire(&q, 10));
    SPS_CHECK(!sps_retry_quota_acquire(&q, 5)); /* 2 left: refused, nothing taken */
    SPS_CHECK_INT_EQ(q.available, 2);
    sps_retry_quota_release(&q, 1);
    SPS_CHECK_INT_EQ(q.available, 3);
    sps_retry_quota_release(&q, 100);
    SPS_CHECK_INT_EQ(q.available, 12);
}

static void test_rate_limiter_paces_after_burst(void)
{
    struct sps_aws_rate_options o = {.requests_per_second = 2, .burst = 3};
    struct sps_rate_limiter rl;
    sps_rate_limiter_init(&rl, &o, 1000);
    for (int i = 0; i < 3; i++)
        SPS_CHECK_INT_EQ(sps_rate_limiter_acquire(&rl, 1000), 0);
    /* Out of tokens: requests queue 500 ms apart. */
    SPS_CHECK_INT_EQ(sps_rate_limiter_acquire(&rl, 1000), 500);
    SPS_CHECK_INT_EQ(sps_rate_limiter_acquire(&rl, 1000), 1000);
    /* After the queue drains and time passes, the bucket refills (capped at burst). */
    SPS_CHECK_INT_EQ(sps_rate_limiter_acquire(&rl, 100000), 0);
    SPS_CHECK(rl.tokens <= 2.0 + 1e-9);
    /* Defaults. */
    sps_rate_limiter_init(&rl, NULL, 0);
    SPS_CHECK(rl.rate == 20.0 && rl.burst == 40.0);
}

static void test_rate_limiter_backs_off_on_throttle(void)
{
    struct sps_aws_rate_options o = {.requests_per_second = 10, .burst = 1};
    struct sps_rate_limiter rl;
    sps_rate_limiter_init(&rl, &o, 0);
    sps_rate_limiter_on_throttle(&rl);
    SPS_CHECK(rl.rate > 6.99 && rl.rate < 7.01);
    SPS_CHECK_INT_EQ(sps_rate_limiter_acquire(&rl, 0), 0);
    SPS_CHECK_INT_EQ(sps_rate_limiter_acquire(&rl, 0), 143); /* 1/7 s, rounded up */
    for (int i = 0; i < 50; i++)
        sps_rate_limiter_on_throttle(&rl);
    SPS_CHECK(rl.rate == 0.5); /* the floor */
    for (int i = 0; i < 5; i++)
        sps_rate_limiter_on_success(&rl);
    SPS_CHECK(rl.rate > 2.99 && rl.rate < 3.01); /* +5% of 10 per success */
    for (int i = 0; i < 100; i++)
        sps_rate_limiter_on_success(&rl);
    SPS_CHECK(rl.rate == 10.0); /* never above the configured rate */
}

static void test_http_date(void)
{
    int64_t ms = 0;
    SPS_CHECK_OK(sps_http_date_parse("Tue, 24 Nov 2026 05:47:22 GMT", &ms));
    int64_t expected = 0;
    SPS_CHECK_OK(sps_time_parse_iso8601(SPS_CURSOR_LIT("2026-11-24T05:47:22Z"), &expected));
    SPS_CHECK_INT_EQ(ms, expected);
    const char *bad[] = {"",
                         "Tue, 24 Nov 2026 05:47:22 UTC",
                         "Tue, 24 Xyz 2026 05:47:22 GMT",
                         "Tue 24 Nov 2026 05:47:22 GMT ",
                         "Tue, 2a Nov 2026 05:47:22 GMT",
                         "Tue, 24 Nov 2026 25:47:22 GMT",
                         "Tuesday, 24-Nov-26 05:47:22 GMT"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        SPS_CHECK_ERR(sps_http_date_parse(bad[i], &ms), SPS_ERR_PARSE_TIME);
    SPS_CHECK_ERR(sps_http_date_parse(NULL, &ms), SPS_ERR_PARSE_TIME);
}

SPS_TEST_MAIN(SPS_CASE(test_classify), SPS_CASE(test_max_attempts),
              SPS_CASE(test_backoff_full_jitter), SPS_CASE(test_quota),
              SPS_CASE(test_rate_limiter_paces_after_burst),
              SPS_CASE(test_rate_limiter_backs_off_on_throttle), SPS_CASE(test_http_date))
