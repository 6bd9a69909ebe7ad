/* The JSON writer: structure, commas, escaping, unknown numbers, and misuse detected. Output is
 * checked by parsing it back with jansson (tests may use it; engine/ may not). */
#include "sps_test.h"

#include <jansson.h>
#include <math.h>

static void test_nested_document(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    struct sps_json_writer w;
    sps_json_writer_init(&w, &b);
    sps_json_object_begin(&w);
    sps_json_key(&w, "name");
    sps_json_string(&w, "web \"blue\"\n\t\x01");
    sps_json_key(&w, "prices");
    sps_json_array_begin(&w);
    sps_json_number(&w, 0.096);
    sps_json_number(&w, NAN);
    sps_json_int(&w, -3);
    sps_json_number(&w, 45);
    sps_json_array_end(&w);
    sps_json_key(&w, "empty");
    sps_json_object_begin(&w);
    sps_json_object_end(&w);
    sps_json_key(&w, "ok");
    sps_json_bool(&w, true);
    sps_json_key(&w, "none");
    sps_json_string(&w, NULL);
    sps_json_object_end(&w);
    SPS_CHECK_OK(sps_json_writer_finish(&w));
    SPS_CHECK_STR_EQ(b.data, "{\"name\":\"web \\\"blue\\\"\\n\\t\\u0001\",\"prices\":[0.096,null,-3,45.0],"
                             "\"empty\":{},\"ok\":true,\"none\":null}");
    json_error_t error;
    json_t *root = json_loads(b.data, 0, &error);
    SPS_CHECK(root != NULL);
    SPS_CHECK_STR_EQ(json_string_value(json_object_get(root, "name")), "web \"blue\"\n\t\x01");
    SPS_CHECK(json_is_null(json_array_get(json_object_get(root, "prices"), 1)));
    SPS_CHECK(json_is_real(json_array_get(json_object_get(root, "prices"), 3)));
    json_decref(root);
    sps_buf_clean_up(&b);
}

static void test_unbalanced_is_an_error(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    struct sps_json_writer w;
    sps_json_writer_init(&w, &b);
    sps_json_object_begin(&w);
    SPS_CHECK_ERR(sps_json_writer_finish(&w), SPS_ERR_INVALID_ARGUMENT);
    sps_json_key(&w, "dangling");
    sps_json_object_end(&w);
    SPS_CHECK_ERR(sps_json_writer_finish(&w), SPS_ERR_INVALID_ARGUMENT);
    sps_buf_reset(&b);
    sps_json_writer_init(&w, &b);
    sps_json_array_end(&w);
    SPS_CHECK_ERR(sps_json_writer_finish(&w), SPS_ERR_INVALID_ARGUMENT);
    sps_buf_reset(&b);
    sps_json_writer_init(&w, &b);
    for (int i = 0; i < SPS_JSON_MAX_DEPTH + 1; i++)
        sps_json_array_begin(&w);
    SPS_CHECK_ERR(sps_json_writer_finish(&w), SPS_ERR_LIMIT_EXCEEDED);
    sps_buf_clean_up(&b);
}

static void test_buffer_limit_reported(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 8);
    struct sps_json_writer w;
    sps_json_writer_init(&w, &b);
    sps_json_array_begin(&w);
    sps_json_string(&w, "longer than eight bytes");
    sps_json_array_end(&w);
    SPS_CHECK_ERR(sps_json_writer_finish(&w), SPS_ERR_LIMIT_EXCEEDED);
    sps_buf_clean_up(&b);
}

SPS_TEST_MAIN(SPS_CASE(test_nested_document), SPS_CASE(test_unbalanced_is_an_error),
              SPS_CASE(test_buffer_limit_reported))
