/* Fuzz target: the Lambda invocation payload parser (EventBridge events, direct invocations). */
#include "fuzz_common.h"
#include "sps_aws_lambda.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = sps_fuzz_begin();
    struct sps_aws_lambda_event e;
    sps_aws_lambda_event_init(&e);
    struct sps_buf detail;
    sps_buf_init(&detail, 4096);
    if (sps_aws_lambda_event_parse(&e, sps_cursor_from_mem(data, size), &detail) == SPS_OK) {
        SPS_FUZZ_IGNORE(sps_aws_lambda_event_kind_name(e.kind));
        SPS_FUZZ_IGNORE(sps_aws_lambda_spot_action_name(e.action));
        for (size_t i = 0; i < e.resource_count; i++) {
            if (e.resources[i] == NULL)
                abort();
        }
    }
    /* The event is cleaned and refilled by a second parse into it. */
    sps_buf_reset(&detail);
    SPS_FUZZ_IGNORE(sps_aws_lambda_event_parse(&e, sps_cursor_from_mem(data, size), &detail));
    sps_aws_lambda_event_clean_up(&e);
    sps_buf_clean_up(&detail);
    sps_fuzz_end(live, "fuzz_lambda_event");
    return 0;
}
