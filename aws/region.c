/* The region when the caller names none: AWS_REGION, AWS_DEFAULT_REGION, then the profile's
 * `region` setting in the shared files (as botocore, the credentials file may set it too). */
#include "sps_aws_credentials_private.h"

sps_err sps_aws_region_resolve(struct sps_buf *out, const struct sps_env *env, const char *profile)
{
    if (env == NULL)
        env = sps_env_process();
    const char *region = sps_env_get(env, "AWS_REGION");
    if (region == NULL)
        region = sps_env_get(env, "AWS_DEFAULT_REGION");
    if (region)
        return sps_buf_set(out, sps_cursor_from_str(region));
    struct sps_creds_files files;
    SPS_TRY(sps_creds_files_load(&files, env, profile, NULL));
    region = sps_creds_files_get(&files, files.profile, "region");
    sps_err err = SPS_ERR_REGION_NOT_SET;
    if (region && region[0])
        err = sps_buf_set(out, sps_cursor_from_str(region));
    else
        sps_log(SPS_LOG_DEBUG, "no region in AWS_REGION, AWS_DEFAULT_REGION or the profile",
                "profile", files.profile, NULL);
    sps_creds_files_clean_up(&files);
    return err;
}
