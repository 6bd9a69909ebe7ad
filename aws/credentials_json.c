/* The JSON credentials document that credential_process, the ECS endpoint and IMDS return:
 * AccessKeyId, SecretAccessKey, a session token, and an optional ISO 8601 Expiration. */
#include "sps_aws_credentials_private.h"

#include <jansson.h>
#include <string.h>

static const char *s_string(json_t *root, const char *field)
{
    json_t *value = json_object_get(root, field);
    return json_is_string(value) ? json_string_value(value) : NULL;
}

sps_err sps_creds_from_json(struct sps_aws_credentials *out, struct sps_cursor body,
                            const struct sps_creds_json_format *format,
                            struct sps_aws_error *aws_err)
{
    const char *who = format->provider;
    sps_err fail = format->error;
    json_error_t jerr;
    json_t *root = json_loadb(body.ptr, body.len, JSON_REJECT_DUPLICATES, &jerr);
    sps_err err = SPS_OK;
    /* The parser's message may quote the document, which may hold a secret: only say where. */
    if (root == NULL)
        return sps_creds_fail(aws_err, fail, who,
                              "the credentials are not valid JSON (line %d, column %d)", jerr.line,
                              jerr.column);
    if (!json_is_object(root))
        SPS_GUARD(sps_creds_fail(aws_err, fail, who, "the credentials JSON is not an object"));
    if (format->check_version) {
        json_t *version = json_object_get(root, "Version");
        if (!json_is_integer(version) || json_integer_value(version) != 1)
            SPS_GUARD(sps_creds_fail(aws_err, fail, who,
                                     "unsupported Version in the credentials JSON (expected 1)"));
    }
    if (format->check_code) {
        const char *code = s_string(root, "Code");
        if (code == NULL || strcmp(code, "Success") != 0)
            SPS_GUARD(sps_creds_fail(aws_err, fail, who,
                                     "the credentials Code is \"%.64s\", not Success",
                                     code ? code : "(missing)"));
    }
    const char *akid = s_string(root, "AccessKeyId");
    const char *secret = s_string(root, "SecretAccessKey");
    const char *token = s_string(root, format->token_field);
    const char *expiration = s_string(root, "Expiration");
    if (akid == NULL || akid[0] == '\0' || secret == NULL || secret[0] == '\0')
        SPS_GUARD(
            sps_creds_fail(aws_err, fail, who, "the credentials JSON lacks %s",
                           akid == NULL || akid[0] == '\0' ? "AccessKeyId" : "SecretAccessKey"));
    int64_t expiration_ms = 0;
    if (expiration &&
        sps_time_parse_iso8601(sps_cursor_from_str(expiration), &expiration_ms) != SPS_OK)
        SPS_GUARD(sps_creds_fail(aws_err, fail, who,
                                 "the credentials Expiration \"%.64s\" is not ISO 8601",
                                 expiration));
    if (format->require_expiration && expiration == NULL)
        SPS_GUARD(sps_creds_fail(aws_err, fail, who, "the credentials JSON lacks Expiration"));
    SPS_GUARD(sps_aws_credentials_set(out, akid, secret, token, expiration_ms));
cleanup:
    json_decref(root);
    return err;
}
