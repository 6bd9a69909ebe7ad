/* Fuzz target: AWS error documents, both shapes (Query XML and JSON 1.1), and their
 * classification. The input is tried as each; the JSON form also with a header. */
#include "fuzz_common.h"

#include <string.h>

static void s_check(const struct sps_aws_error *e)
{
    /* Fixed-size fields must stay NUL-terminated whatever the document said. */
    if (memchr(e->code, '\0', sizeof(e->code)) == NULL ||
        memchr(e->message, '\0', sizeof(e->message)) == NULL ||
        memchr(e->request_id, '\0', sizeof(e->request_id)) == NULL)
        abort();
    SPS_FUZZ_IGNORE(sps_aws_error_classify(e));
    SPS_FUZZ_IGNORE(sps_aws_error_is_throttling_code(e->code));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = sps_fuzz_begin();
    const char *body = (const char *)data;
    struct sps_aws_error e;
    sps_aws_error_clear(&e);
    if (sps_aws_error_parse_xml(&e, 400, body, size) == SPS_OK)
        s_check(&e);
    sps_aws_error_clear(&e);
    if (sps_aws_error_parse_json(&e, 400, NULL, body, size) == SPS_OK)
        s_check(&e);
    sps_aws_error_clear(&e);
    if (sps_aws_error_parse_json(&e, 503, "ThrottlingException:http://internal/", body, size) ==
        SPS_OK)
        s_check(&e);
    /* The first line as the x-amzn-ErrorType header, the rest as the body. */
    const char *nl = memchr(body, '\n', size);
    if (nl != NULL) {
        char *header = sps_strndup(body, (size_t)(nl - body));
        sps_aws_error_clear(&e);
        if (sps_aws_error_parse_json(&e, 400, header, nl + 1, size - (size_t)(nl + 1 - body)) ==
            SPS_OK)
            s_check(&e);
        sps_free(header);
    }
    sps_fuzz_end(live, "fuzz_aws_error");
    return 0;
}
