/* Tag and string lists. */
#include "sps_aws_types.h"
#include "sps_test.h"

static void test_tags_set_get_replace_copy(void)
{
    struct sps_aws_tags t, copy;
    sps_aws_tags_init(&t);
    SPS_CHECK(sps_aws_tags_get(&t, "a") == NULL);
    for (int i = 0; i < 20; i++) {
        char key[16];
        snprintf(key, sizeof(key), "k%d", i);
        sps_aws_tags_set(&t, key, "v", i % 2 == 0);
    }
    sps_aws_tags_set(&t, "k3", "changed", true);
    sps_aws_tags_set(&t, "empty", NULL, false);
    SPS_CHECK_INT_EQ(t.count, 21);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&t, "k3"), "changed");
    SPS_CHECK(t.items[3].propagate_at_launch);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&t, "empty"), "");
    sps_aws_tags_copy(&copy, &t);
    sps_aws_tags_clean_up(&t);
    SPS_CHECK_STR_EQ(sps_aws_tags_get(&copy, "k19"), "v");
    SPS_CHECK(!copy.items[19].propagate_at_launch);
    sps_aws_tags_clean_up(&copy);
    sps_aws_tags_clean_up(NULL);
}

static void test_strings(void)
{
    struct sps_aws_strings s, copy;
    sps_aws_strings_init(&s);
    SPS_CHECK(!sps_aws_strings_contains(&s, "x"));
    for (int i = 0; i < 10; i++)
        sps_aws_strings_add(&s, i == 5 ? "x" : "y");
    sps_aws_strings_add(&s, NULL);
    SPS_CHECK(sps_aws_strings_contains(&s, "x"));
    SPS_CHECK(sps_aws_strings_contains(&s, ""));
    sps_aws_strings_copy(&copy, &s);
    sps_aws_strings_clean_up(&s);
    SPS_CHECK_INT_EQ(copy.count, 11);
    SPS_CHECK_STR_EQ(copy.items[5], "x");
    sps_aws_strings_clean_up(&copy);
    sps_aws_strings_clean_up(NULL);
}

SPS_TEST_MAIN(SPS_CASE(test_tags_set_get_replace_copy), SPS_CASE(test_strings))
