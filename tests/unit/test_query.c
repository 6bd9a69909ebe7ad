/* Query-protocol parameters: order, replace/remove, lists in both styles, deep copy, and the
 * RFC 3986 encoding table (reserved characters, space, UTF-8, slash handling). */
#include "sps_aws_query.h"
#include "sps_test.h"

static void s_check_encoded(const struct sps_query *q, const char *want)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    SPS_CHECK_OK(sps_query_encode(q, &b));
    SPS_CHECK_STR_EQ(b.data, want);
    sps_buf_clean_up(&b);
}

static void test_query_action_version_first_and_order(void)
{
    struct sps_query q;
    sps_query_init(&q, "DescribeInstances", "2016-11-15");
    sps_query_set(&q, "MaxResults", "5");
    sps_query_set(&q, "DryRun", "false");
    SPS_CHECK_INT_EQ(q.count, 4);
    SPS_CHECK_STR_EQ(q.params[0].key, "Action");
    SPS_CHECK_STR_EQ(q.params[1].key, "Version");
    SPS_CHECK_STR_EQ(sps_query_action(&q), "DescribeInstances");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "Version"), "2016-11-15");
    s_check_encoded(&q, "Action=DescribeInstances&Version=2016-11-15&MaxResults=5&DryRun=false");
    sps_query_clean_up(&q);
    sps_query_clean_up(&q); /* idempotent */
    sps_query_clean_up(NULL);
}

static void test_query_replace_remove_get(void)
{
    struct sps_query q;
    sps_query_init(&q, "A", "V");
    sps_query_set(&q, "K1", "one");
    sps_query_set(&q, "K2", "two");
    sps_query_set(&q, "K1", "uno"); /* replaced in place, not appended */
    SPS_CHECK_INT_EQ(q.count, 4);
    SPS_CHECK_STR_EQ(q.params[2].key, "K1");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "K1"), "uno");
    sps_query_set(&q, "Action", "B");
    SPS_CHECK_STR_EQ(sps_query_action(&q), "B");
    SPS_CHECK_STR_EQ(q.params[0].key, "Action");
    sps_query_remove(&q, "K1");
    SPS_CHECK(sps_query_get(&q, "K1") == NULL);
    SPS_CHECK_INT_EQ(q.count, 3);
    sps_query_remove(&q, "absent"); /* no-op */
    SPS_CHECK_INT_EQ(q.count, 3);
    SPS_CHECK(sps_query_get(&q, "k2") == NULL); /* keys are case-sensitive */
    sps_query_set(&q, "Null", NULL);
    SPS_CHECK_STR_EQ(sps_query_get(&q, "Null"), "");
    s_check_encoded(&q, "Action=B&Version=V&K2=two&Null=");
    sps_query_remove(&q, "Action");
    SPS_CHECK(sps_query_action(&q) == NULL);
    sps_query_clean_up(&q);

    sps_query_init(&q, NULL, NULL);
    SPS_CHECK_INT_EQ(q.count, 0);
    s_check_encoded(&q, "");
    sps_query_clean_up(&q);
}

static void test_query_setf_and_many_params(void)
{
    struct sps_query q;
    sps_query_init(&q, "RunInstances", "2016-11-15");
    sps_query_setf(&q, "Name", "TagSpecification.%d.Tag.%d.Key", 1, 2);
    SPS_CHECK_STR_EQ(sps_query_get(&q, "TagSpecification.1.Tag.2.Key"), "Name");
    /* A key longer than the fast path's buffer. */
    char long_key[400];
    memset(long_key, 'k', sizeof(long_key) - 1);
    long_key[sizeof(long_key) - 1] = '\0';
    sps_query_setf(&q, "v", "%s.%d", long_key, 7);
    SPS_CHECK_INT_EQ(strlen(q.params[q.count - 1].key), 401);
    SPS_CHECK_STR_EQ(q.params[q.count - 1].value, "v");
    for (int i = 0; i < 1000; i++)
        sps_query_setf(&q, "x", "P.%d", i);
    SPS_CHECK_INT_EQ(q.count, 1004);
    SPS_CHECK_STR_EQ(sps_query_get(&q, "P.999"), "x");
    sps_query_clean_up(&q);
}

static void test_query_lists_both_styles(void)
{
    struct sps_query q;
    sps_query_init(&q, "DescribeInstances", "2016-11-15");
    const char *ids[] = {"i-1", "i-2", "i-3"};
    sps_query_set_list(&q, "InstanceId", false, ids, 3);
    SPS_CHECK_STR_EQ(sps_query_get(&q, "InstanceId.1"), "i-1");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "InstanceId.3"), "i-3");
    s_check_encoded(&q, "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&"
                        "InstanceId.2=i-2&InstanceId.3=i-3");
    /* A shorter list replaces the longer one; no stale InstanceId.3. Unrelated keys with the
     * same prefix stay. */
    sps_query_set(&q, "InstanceIdFilter", "keep");
    sps_query_set(&q, "InstanceId.x", "keep");
    const char *two[] = {"i-9", "i-8"};
    sps_query_set_list(&q, "InstanceId", false, two, 2);
    SPS_CHECK(sps_query_get(&q, "InstanceId.3") == NULL);
    SPS_CHECK_STR_EQ(sps_query_get(&q, "InstanceId.1"), "i-9");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "InstanceIdFilter"), "keep");
    SPS_CHECK_STR_EQ(sps_query_get(&q, "InstanceId.x"), "keep");
    sps_query_set_list(&q, "InstanceId", false, NULL, 0);
    SPS_CHECK(sps_query_get(&q, "InstanceId.1") == NULL);
    sps_query_clean_up(&q);

    sps_query_init(&q, "DescribeAutoScalingGroups", "2011-01-01");
    const char *groups[] = {"web", "batch workers"};
    sps_query_set_list(&q, "AutoScalingGroupNames", true, groups, 2);
    /* Nested members of an earlier list of structures are cleared too. */
    sps_query_set(&q, "Filters.member.1.Name", "tag-key");
    sps_query_set(&q, "Filters.member.1.Values.member.1", "spotswap");
    const char *none[] = {NULL};
    sps_query_set_list(&q, "Filters", true, none, 0);
    SPS_CHECK(sps_query_get(&q, "Filters.member.1.Name") == NULL);
    s_check_encoded(&q, "Action=DescribeAutoScalingGroups&Version=2011-01-01&"
                        "AutoScalingGroupNames.member.1=web&"
                        "AutoScalingGroupNames.member.2=batch%20workers");
    sps_query_clean_up(&q);
}

static void test_query_copy_is_deep(void)
{
    struct sps_query a, b;
    sps_query_init(&a, "X", "1");
    sps_query_set(&a, "NextToken", "t1");
    sps_query_copy(&b, &a);
    sps_query_set(&a, "NextToken", "t2");
    sps_query_set(&b, "Extra", "e");
    SPS_CHECK_STR_EQ(sps_query_get(&b, "NextToken"), "t1");
    SPS_CHECK(sps_query_get(&a, "Extra") == NULL);
    SPS_CHECK(b.params[0].key != a.params[0].key);
    sps_query_clean_up(&a);
    SPS_CHECK_STR_EQ(sps_query_action(&b), "X");
    sps_query_clean_up(&b);
}

static void test_uri_encode_table(void)
{
    static const struct {
        const char *in;
        bool keep_slash;
        const char *want;
    } cases[] = {
        {"", false, ""},
        {"AZaz09-_.~", false, "AZaz09-_.~"},
        {"a b", false, "a%20b"},
        {"+", false, "%2B"},
        {"*", false, "%2A"},
        {"%", false, "%25"},
        {"=&", false, "%3D%26"},
        {"!#$'()", false, "%21%23%24%27%28%29"},
        {",;:@?[]", false, "%2C%3B%3A%40%3F%5B%5D"},
        {"\"<>\\^`{|}", false, "%22%3C%3E%5C%5E%60%7B%7C%7D"},
        {"/a/b", false, "%2Fa%2Fb"},
        {"/a/b c", true, "/a/b%20c"},
        {"\n\t\x7f", false, "%0A%09%7F"},
        {"caf\xc3\xa9", false, "caf%C3%A9"},
        {"\xe2\x82\xac", false, "%E2%82%AC"},        /* euro sign */
        {"\xf0\x9f\x98\x80", false, "%F0%9F%98%80"}, /* 4-byte emoji */
        {"\xff", false, "%FF"},                      /* not UTF-8: still each byte */
        {"tag:aws:autoscaling:groupName", false, "tag%3Aaws%3Aautoscaling%3AgroupName"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sps_buf b;
        sps_buf_init(&b, 0);
        SPS_CHECK_OK(sps_uri_encode(&b, sps_cursor_from_str(cases[i].in), cases[i].keep_slash));
        SPS_CHECK_STR_EQ(b.data, cases[i].want);
        sps_buf_clean_up(&b);
    }
    /* Embedded NUL is a byte like any other. */
    struct sps_buf b;
    sps_buf_init(&b, 0);
    SPS_CHECK_OK(sps_uri_encode(&b, sps_cursor_from_mem("a\0b", 3), false));
    SPS_CHECK_STR_EQ(b.data, "a%00b");
    /* Appends to what the buffer holds. */
    SPS_CHECK_OK(sps_uri_encode(&b, SPS_CURSOR_LIT(" "), false));
    SPS_CHECK_STR_EQ(b.data, "a%00b%20");
    SPS_CHECK_OK(sps_uri_encode(&b, (struct sps_cursor){NULL, 0}, false));
    sps_buf_clean_up(&b);
}

static void test_query_encode_keys_and_values(void)
{
    struct sps_query q;
    sps_query_init(&q, "CreateTags", "2016-11-15");
    sps_query_set(&q, "Tag.1.Key", "spotswap:managed");
    sps_query_set(&q, "Tag.1.Value", "a+b=c&d /e");
    sps_query_set(&q, "We ird", "\xc3\xa9");
    s_check_encoded(&q, "Action=CreateTags&Version=2016-11-15&Tag.1.Key=spotswap%3Amanaged&"
                        "Tag.1.Value=a%2Bb%3Dc%26d%20%2Fe&We%20ird=%C3%A9");
    sps_query_clean_up(&q);
}

static void test_encode_respects_buffer_limit(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 8);
    SPS_CHECK_ERR(sps_uri_encode(&b, SPS_CURSOR_LIT("     "), false), SPS_ERR_LIMIT_EXCEEDED);
    sps_buf_clean_up(&b);

    struct sps_query q;
    sps_query_init(&q, "DescribeInstances", "2016-11-15");
    sps_buf_init(&b, 16);
    SPS_CHECK_ERR(sps_query_encode(&q, &b), SPS_ERR_LIMIT_EXCEEDED);
    sps_buf_clean_up(&b);
    sps_query_clean_up(&q);
}

SPS_TEST_MAIN(SPS_CASE(test_query_action_version_first_and_order),
              SPS_CASE(test_query_replace_remove_get), SPS_CASE(test_query_setf_and_many_params),
              SPS_CASE(test_query_lists_both_styles), SPS_CASE(test_query_copy_is_deep),
              SPS_CASE(test_uri_encode_table), SPS_CASE(test_query_encode_keys_and_values),
              SPS_CASE(test_encode_respects_buffer_limit))
