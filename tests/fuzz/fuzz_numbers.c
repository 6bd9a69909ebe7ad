/* Fuzz target: the scalar parsers everything else builds on: ISO 8601 timestamps and the strict
 * decimal readers. A timestamp that parses and formats must parse back to the same instant. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = sps_fuzz_begin();
    struct sps_cursor c = sps_cursor_from_mem(data, size);
    uint64_t u = 0;
    int64_t i = 0, ms = 0;
    double d = 0;
    SPS_FUZZ_IGNORE(sps_cursor_to_u64(c, &u));
    SPS_FUZZ_IGNORE(sps_cursor_to_i64(c, &i));
    if (sps_cursor_to_double(c, &d) == SPS_OK && d != d)
        abort(); /* NaN is refused */
    if (sps_time_parse_iso8601(c, &ms) == SPS_OK) {
        struct sps_buf out;
        sps_buf_init(&out, 256);
        int64_t again = 0;
        if (sps_time_format_iso8601(&out, ms) == SPS_OK) {
            if (sps_time_parse_iso8601(sps_buf_cursor(&out), &again) != SPS_OK || again != ms) {
                fprintf(stderr, "fuzz_numbers: %lld formats as %s, which parses back as %lld\n",
                        (long long)ms, out.data ? out.data : "", (long long)again);
                abort();
            }
        }
        sps_buf_clean_up(&out);
    }
    sps_fuzz_end(live, "fuzz_numbers");
    return 0;
}
