/* Timestamps as AWS writes them, and the injected system interfaces. */
#include "sps_fakes.h"
#include "sps_test.h"

static void test_iso8601_round_trip(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    SPS_CHECK_OK(sps_time_format_iso8601(&b, 1440938160000));
    SPS_CHECK_STR_EQ(b.data, "2015-08-30T12:36:00.000Z");
    int64_t ms;
    SPS_CHECK_OK(sps_time_parse_iso8601(sps_buf_cursor(&b), &ms));
    SPS_CHECK_INT_EQ(ms, 1440938160000);
    sps_buf_reset(&b);
    SPS_CHECK_OK(sps_time_format_amz_date(&b, 1440938160000));
    SPS_CHECK_STR_EQ(b.data, "20150830T123600Z");
    sps_buf_clean_up(&b);
}

static void test_iso8601_forms_aws_uses(void)
{
    int64_t ms;
    SPS_CHECK_OK(sps_time_parse_iso8601(SPS_CURSOR_LIT("2026-11-24T05:37:51Z"), &ms));
    SPS_CHECK_INT_EQ(ms, 1795498671000);
    SPS_CHECK_OK(sps_time_parse_iso8601(SPS_CURSOR_LIT("2026-11-24T05:37:51.5Z"), &ms));
    SPS_CHECK_INT_EQ(ms, 1795498671500);
    SPS_CHECK_OK(sps_time_parse_iso8601(SPS_CURSOR_LIT("2026-11-24T07:37:51+02:00"), &ms));
    SPS_CHECK_INT_EQ(ms, 1795498671000);
    SPS_CHECK_OK(sps_time_parse_iso8601(SPS_CURSOR_LIT("2024-02-29T00:00:00Z"), &ms)); /* leap */
    SPS_CHECK_OK(sps_time_parse_iso8601(SPS_CURSOR_LIT("2000-02-29T00:00:00Z"), &ms));
    SPS_CHECK_OK(sps_time_parse_iso8601(SPS_CURSOR_LIT("1970-01-01T00:00:00Z"), &ms));
    SPS_CHECK_INT_EQ(ms, 0);
}

static void test_iso8601_rejects_junk(void)
{
    int64_t ms;
    const char *bad[] = {"", "2026-11-24", "2026-11-24T05:37:51", "2026-13-01T00:00:00Z",
                         "2026-11-24T25:00:00Z", "2026-11-24T05:37:51Zjunk", "20261124T053751Z",
                         "2026-11-24T05:37:51.Z", "2026-11-24T05:37:51+0200",
                         "2023-02-29T00:00:00Z", "2023-02-31T00:00:00Z", "2026-04-31T00:00:00Z",
                         "1900-02-29T00:00:00Z"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        SPS_CHECK_ERR(sps_time_parse_iso8601(sps_cursor_from_str(bad[i]), &ms),
                      SPS_ERR_PARSE_TIME);
}

/* Found by tests/fuzz/fuzz_numbers: a leap second or an offset carried the last instant of
 * year 9999 (or the first of year 0) out of the four-digit range, so the timestamp parsed to an
 * instant the formatter could not write back (it came back as "10000-01-01T..."). The edges
 * themselves still round-trip; hour and minute offsets are bounded like the time itself. */
static void test_iso8601_range_and_offsets(void)
{
    int64_t ms = 1;
    const char *bad[] = {"9999-12-31T23:59:60.999Z", "9999-12-31T23:59:59.999-00:01",
                         "0000-01-01T00:00:00+00:01", "2026-11-24T05:37:51+24:00",
                         "2026-11-24T05:37:51+02:60", "2026-11-24T05:37:51-99:99"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        SPS_CHECK_ERR(sps_time_parse_iso8601(sps_cursor_from_str(bad[i]), &ms),
                      SPS_ERR_PARSE_TIME);
    struct sps_buf b;
    sps_buf_init(&b, 256);
    const char *edges[] = {"9999-12-31T23:59:59.999Z", "0000-01-01T00:00:00.000Z"};
    for (size_t i = 0; i < 2; i++) {
        SPS_CHECK_OK(sps_time_parse_iso8601(sps_cursor_from_str(edges[i]), &ms));
        sps_buf_reset(&b);
        SPS_CHECK_OK(sps_time_format_iso8601(&b, ms));
        SPS_CHECK_STR_EQ(b.data, edges[i]);
    }
    SPS_CHECK_OK(sps_time_parse_iso8601(SPS_CURSOR_LIT("2026-11-24T05:37:51-23:59"), &ms));
    SPS_CHECK_OK(sps_time_parse_iso8601(SPS_CURSOR_LIT("2016-12-31T23:59:60Z"), &ms));
    SPS_CHECK_INT_EQ(ms, 1483228800000); /* a leap second reads as the next second */
    sps_buf_clean_up(&b);
}

static void test_fake_clock_and_env(void)
{
    struct sps_fake_clock clock;
    sps_fake_clock_init(&clock, 1000);
    clock.clock.sleep_ms(clock.clock.ctx, 250);
    SPS_CHECK_INT_EQ(clock.clock.wall_ms(clock.clock.ctx), 1250);
    SPS_CHECK_INT_EQ(clock.slept_ms, 250);
    struct sps_fake_env env;
    sps_fake_env_init(&env);
    sps_fake_env_set(&env, "A", "1");
    sps_fake_env_set(&env, "EMPTY", "");
    SPS_CHECK_STR_EQ(sps_env_get(&env.env, "A"), "1");
    SPS_CHECK(sps_env_get(&env.env, "EMPTY") == NULL);
    SPS_CHECK(sps_env_get(&env.env, "B") == NULL);
}

static void test_system_interfaces(void)
{
    const struct sps_clock *clock = sps_clock_system();
    int64_t a = clock->mono_ms(clock->ctx);
    clock->sleep_ms(clock->ctx, 2);
    SPS_CHECK(clock->mono_ms(clock->ctx) >= a + 2);
    SPS_CHECK(clock->wall_ms(clock->ctx) > 1700000000000);
    double u = sps_rand_unit(sps_rand_system());
    SPS_CHECK(u >= 0.0 && u < 1.0);
    struct sps_fake_rand r;
    sps_fake_rand_init(&r, UINT64_MAX);
    SPS_CHECK(sps_rand_unit(&r.rand) < 1.0);
    SPS_CHECK(sps_env_get(sps_env_process(), "SPOTSWAP_SURELY_UNSET_VARIABLE") == NULL);
}

SPS_TEST_MAIN(SPS_CASE(test_iso8601_round_trip), SPS_CASE(test_iso8601_forms_aws_uses),
              SPS_CASE(test_iso8601_rejects_junk),
              SPS_CASE(test_iso8601_range_and_offsets), SPS_CASE(test_fake_clock_and_env),
              SPS_CASE(test_system_interfaces))
