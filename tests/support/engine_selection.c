/* The test selection behind engine_selection.h. */
#include "engine_selection.h"
#include "sps_test.h"

bool sps_test_select(void *settings, const struct sps_aws_tags *tags)
{
    struct sps_engine_config cfg;
    sps_engine_config_init(&cfg);
    struct sps_buf err;
    sps_buf_init(&err, 0);
    for (const char *const *kv = settings; kv[0] != NULL; kv += 2) {
        if (sps_engine_config_set(&cfg, sps_engine_option_find_key(kv[0]), kv[1], "test",
                                  &err) != SPS_OK)
            sps_test_fail(__FILE__, __LINE__, "bad test setting: %s", err.data);
    }
    bool selected = sps_engine_config_selects_group(&cfg, tags);
    sps_buf_clean_up(&err);
    sps_engine_config_clean_up(&cfg);
    return selected;
}
