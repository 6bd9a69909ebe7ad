/* Fuzz target: the INI parser of the AWS shared config/credentials files, and lookups over
 * what it parsed. The input is parsed twice into the same ini, which merges. */
#include "fuzz_common.h"
#include "sps_aws_ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = sps_fuzz_begin();
    struct sps_ini ini;
    sps_ini_init(&ini);
    struct sps_buf detail;
    sps_buf_init(&detail, 4096);
    struct sps_cursor text = sps_cursor_from_mem(data, size);
    if (sps_ini_parse(&ini, text, "fuzz", &detail) == SPS_OK) {
        for (size_t i = 0; i < ini.count; i++) {
            const struct sps_ini_section *s = &ini.sections[i];
            if (sps_ini_find(&ini, s->name) == NULL)
                abort(); /* every parsed section can be found by its name */
            for (size_t j = 0; j < s->count; j++) {
                if (sps_ini_get(s, s->pairs[j].key) == NULL)
                    abort();
            }
        }
        SPS_FUZZ_IGNORE(sps_ini_get(sps_ini_find(&ini, "default"), "region"));
        sps_buf_reset(&detail);
        SPS_FUZZ_IGNORE(sps_ini_parse(&ini, text, "fuzz", &detail));
    }
    sps_ini_clean_up(&ini);
    sps_buf_clean_up(&detail);
    sps_fuzz_end(live, "fuzz_ini");
    return 0;
}
