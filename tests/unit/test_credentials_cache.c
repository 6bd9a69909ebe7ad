/* The caching wrapper: fetch once, refresh within five minutes of expiry (not before), keep
 * serving still-valid credentials when a refresh fails, fail once they have expired; and the
 * owning wrapper. */
#include "sps_aws_credentials_private.h"
#include "sps_fakes.h"
#include "sps_test.h"

struct s_source {
    int calls;
    sps_err next_err;
    int64_t expiration_ms;
};

static sps_err s_fetch(void *ctx, struct sps_aws_credentials *out, struct sps_aws_error *aws_err)
{
    struct s_source *s = ctx;
    s->calls++;
    if (s->next_err != SPS_OK) {
        snprintf(aws_err->message, sizeof(aws_err->message), "source down");
        return s->next_err;
    }
    char akid[32];
    snprintf(akid, sizeof(akid), "AKIA%d", s->calls);
    return sps_aws_credentials_set(out, akid, "cached-secret-00000", "cached-token-000000",
                                   s->expiration_ms);
}

static void test_cache_refreshes_only_near_expiry(void)
{
    struct sps_fake_clock clock;
    sps_fake_clock_init(&clock, 1000000000000);
    struct s_source src = {0, SPS_OK, 1000000000000 + 3600000};
    struct sps_aws_credentials_provider *p =
        sps_creds_cached_new("test", s_fetch, &src, NULL, &clock.clock);
    struct sps_aws_credentials c = {0};
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    SPS_CHECK_STR_EQ(c.access_key_id, "AKIA1");
    sps_aws_credentials_clean_up(&c);
    /* 10 minutes before expiry: still the cached ones. */
    clock.wall_ms = src.expiration_ms - 10 * 60000;
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    SPS_CHECK_STR_EQ(c.access_key_id, "AKIA1");
    SPS_CHECK_INT_EQ(src.calls, 1);
    sps_aws_credentials_clean_up(&c);
    /* 4 minutes before expiry: refreshed. */
    clock.wall_ms = src.expiration_ms - 4 * 60000;
    src.expiration_ms += 3600000;
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    SPS_CHECK_STR_EQ(c.access_key_id, "AKIA2");
    SPS_CHECK_INT_EQ(c.expiration_ms, src.expiration_ms);
    sps_aws_credentials_clean_up(&c);
    sps_aws_credentials_provider_destroy(p);
    sps_log_clear_secrets();
}

static void test_cache_refresh_failure_keeps_valid_credentials(void)
{
    struct sps_fake_clock clock;
    sps_fake_clock_init(&clock, 1000000000000);
    struct s_source src = {0, SPS_OK, 1000000000000 + 3600000};
    struct sps_aws_credentials_provider *p =
        sps_creds_cached_new("test", s_fetch, &src, NULL, &clock.clock);
    struct sps_aws_credentials c = {0};
    struct sps_aws_error aws_err;
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, &aws_err));
    sps_aws_credentials_clean_up(&c);
    src.next_err = SPS_ERR_AWS_SERVER;
    clock.wall_ms = src.expiration_ms - 2 * 60000;
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, &aws_err));
    SPS_CHECK_STR_EQ(c.access_key_id, "AKIA1");
    SPS_CHECK_STR_EQ(aws_err.message, ""); /* the failure was absorbed */
    SPS_CHECK_INT_EQ(src.calls, 2);
    sps_aws_credentials_clean_up(&c);
    /* Once expired, the failure surfaces. */
    clock.wall_ms = src.expiration_ms;
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &c, &aws_err), SPS_ERR_AWS_SERVER);
    SPS_CHECK_STR_EQ(aws_err.message, "source down");
    SPS_CHECK(c.access_key_id == NULL);
    /* And recovers when the source does. */
    src.next_err = SPS_OK;
    src.expiration_ms = clock.wall_ms + 3600000;
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, &aws_err));
    SPS_CHECK_STR_EQ(c.access_key_id, "AKIA4");
    sps_aws_credentials_clean_up(&c);
    sps_aws_credentials_provider_destroy(p);
    sps_log_clear_secrets();
}

static void test_cache_first_failure_is_returned(void)
{
    struct sps_fake_clock clock;
    sps_fake_clock_init(&clock, 1000);
    struct s_source src = {0, SPS_ERR_CREDS_IMDS, 0};
    struct sps_aws_credentials_provider *p =
        sps_creds_cached_new("test", s_fetch, &src, NULL, &clock.clock);
    struct sps_aws_credentials c = {0};
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &c, NULL), SPS_ERR_CREDS_IMDS);
    SPS_CHECK_ERR(sps_aws_credentials_provider_get(p, &c, NULL), SPS_ERR_CREDS_IMDS);
    SPS_CHECK_INT_EQ(src.calls, 2); /* failures are not cached */
    sps_aws_credentials_provider_destroy(p);
}

static void test_owning_wrapper_destroys_both(void)
{
    struct sps_aws_credentials_provider *inner, *owned;
    SPS_CHECK_OK(sps_aws_credentials_provider_new_static(&inner, "AKIAIN", "inner-secret-0", NULL));
    SPS_CHECK_OK(
        sps_aws_credentials_provider_new_static(&owned, "AKIAOWN", "owned-secret-0", NULL));
    struct sps_aws_credentials_provider *p = sps_creds_owning_new(inner, owned);
    struct sps_aws_credentials c = {0};
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    SPS_CHECK_STR_EQ(c.access_key_id, "AKIAIN");
    SPS_CHECK_STR_EQ(p->name, "static");
    sps_aws_credentials_clean_up(&c);
    sps_aws_credentials_provider_destroy(p); /* the leak check proves both went */
    sps_log_clear_secrets();
}

SPS_TEST_MAIN(SPS_CASE(test_cache_refreshes_only_near_expiry),
              SPS_CASE(test_cache_refresh_failure_keeps_valid_credentials),
              SPS_CASE(test_cache_first_failure_is_returned),
              SPS_CASE(test_owning_wrapper_destroys_both))
