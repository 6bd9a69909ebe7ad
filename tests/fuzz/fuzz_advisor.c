/* Fuzz target: the Spot Advisor snapshot parser (compat/data/spot-advisor.json). */
#include "fuzz_common.h"
#include "sps_compat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = sps_fuzz_begin();
    struct sps_compat_advisor *advisor = NULL;
    if (sps_compat_advisor_parse((const char *)data, size, &advisor) == SPS_OK) {
        int band = sps_compat_advisor_band(advisor, "us-east-1", SPS_COMPAT_LINUX, "m5.large");
        if (band < -1 || band > 4)
            abort(); /* bands are 0-4, -1 for no entry */
        SPS_FUZZ_IGNORE(sps_compat_advisor_band(advisor, "eu-west-1", SPS_COMPAT_WINDOWS, "t3.micro"));
    }
    sps_compat_advisor_destroy(advisor);
    sps_fuzz_end(live, "fuzz_advisor");
    return 0;
}
