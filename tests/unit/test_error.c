/* The error list: every code has a name, a message and a category, and lookups are safe. */
#include "sps_test.h"

static void test_every_code_has_name_message_and_category(void)
{
    for (int i = 0; i < (int)SPS_ERR_COUNT_; i++) {
        const char *name = sps_error_name((sps_err)i);
        const char *message = sps_error_message((sps_err)i);
        SPS_CHECK(name != NULL && strncmp(name, "SPS_", 4) == 0);
        SPS_CHECK(message != NULL && message[0] != '\0');
        SPS_CHECK(strchr(message, '\n') == NULL);
        enum sps_error_category cat = sps_error_category((sps_err)i);
        SPS_CHECK(i == 0 ? cat == SPS_ERRCAT_NONE : cat != SPS_ERRCAT_NONE);
    }
}

static void test_names_are_unique(void)
{
    for (int i = 0; i < (int)SPS_ERR_COUNT_; i++) {
        for (int j = i + 1; j < (int)SPS_ERR_COUNT_; j++)
            SPS_CHECK(strcmp(sps_error_name((sps_err)i), sps_error_name((sps_err)j)) != 0);
    }
}

static void test_names_match_enum(void)
{
    SPS_CHECK_STR_EQ(sps_error_name(SPS_OK), "SPS_OK");
    SPS_CHECK_STR_EQ(sps_error_name(SPS_ERR_AWS_THROTTLED), "SPS_ERR_AWS_THROTTLED");
    SPS_CHECK_INT_EQ(sps_error_category(SPS_ERR_AWS_THROTTLED), SPS_ERRCAT_THROTTLED);
    SPS_CHECK_INT_EQ(sps_error_category(SPS_ERR_AWS_CAPACITY), SPS_ERRCAT_CAPACITY);
    SPS_CHECK_INT_EQ(sps_error_category(SPS_ERR_HTTP_TIMEOUT), SPS_ERRCAT_RETRYABLE);
    SPS_CHECK_INT_EQ(sps_error_category(SPS_ERR_CREDS_NOT_FOUND), SPS_ERRCAT_FATAL);
    SPS_CHECK_STR_EQ(sps_error_category_name(SPS_ERRCAT_THROTTLED), "throttled");
}

static void test_out_of_range_codes_are_safe(void)
{
    SPS_CHECK_STR_EQ(sps_error_name((sps_err)-1), "SPS_ERR_UNKNOWN");
    SPS_CHECK_STR_EQ(sps_error_name(SPS_ERR_COUNT_), "SPS_ERR_UNKNOWN");
    SPS_CHECK_STR_EQ(sps_error_message((sps_err)9999), "unknown error code");
    SPS_CHECK_INT_EQ(sps_error_category((sps_err)9999), SPS_ERRCAT_FATAL);
}

SPS_TEST_MAIN(SPS_CASE(test_every_code_has_name_message_and_category),
              SPS_CASE(test_names_are_unique), SPS_CASE(test_names_match_enum),
              SPS_CASE(test_out_of_range_codes_are_safe))
