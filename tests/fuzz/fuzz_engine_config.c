/* Fuzz target: the engine's config file reader (INI text to typed settings, with validation). */
#include "fuzz_common.h"
#include "sps_engine_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = sps_fuzz_begin();
    struct sps_engine_config cfg;
    sps_engine_config_init(&cfg);
    struct sps_buf error;
    sps_buf_init(&error, 4096);
    SPS_FUZZ_IGNORE(sps_engine_config_read_text(&cfg, sps_cursor_from_mem(data, size), "fuzz.conf", &error));
    sps_engine_config_clean_up(&cfg);
    sps_buf_clean_up(&error);
    sps_fuzz_end(live, "fuzz_engine_config");
    return 0;
}
