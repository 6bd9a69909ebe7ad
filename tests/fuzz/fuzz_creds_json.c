/* Fuzz target: the JSON credentials documents (credential_process output, the ECS/EKS container
 * endpoint, IMDS), read with each provider's format. */
#include "fuzz_common.h"
#include "sps_aws_credentials_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = sps_fuzz_begin();
    static const struct sps_creds_json_format formats[] = {
        {.provider = "process", .error = SPS_ERR_CREDS_INVALID, .token_field = "SessionToken",
         .check_version = true},
        {.provider = "container", .error = SPS_ERR_CREDS_INVALID, .token_field = "Token",
         .require_expiration = true},
        {.provider = "imds", .error = SPS_ERR_CREDS_INVALID, .token_field = "Token",
         .check_code = true, .require_expiration = true},
    };
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        struct sps_aws_credentials creds = {0};
        struct sps_aws_error aws_err;
        sps_aws_error_clear(&aws_err);
        if (sps_creds_from_json(&creds, sps_cursor_from_mem(data, size), &formats[i], &aws_err) ==
            SPS_OK) {
            if (creds.access_key_id == NULL || creds.secret_access_key == NULL)
                abort();
        }
        sps_aws_credentials_clean_up(&creds);
    }
    /* The logger's scrub list keeps a copy of every secret seen: not a leak of the parser. */
    sps_log_clear_secrets();
    sps_fuzz_end(live, "fuzz_creds_json");
    return 0;
}
