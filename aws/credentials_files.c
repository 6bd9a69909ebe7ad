/*
 * The shared config and credentials files: where they are (HOME, AWS_CONFIG_FILE,
 * AWS_SHARED_CREDENTIALS_FILE), which profile is selected, and how a profile's settings merge
 * (config `[profile name]` / `[default]`, credentials `[name]`, the credentials file winning).
 */
#include "sps_aws_credentials_private.h"

#include <string.h>

/* `~/.aws/<file>` unless the variable names another path; a leading "~/" is expanded too. */
static sps_err s_path(struct sps_buf *out, const struct sps_env *env, const char *variable,
                      const char *file)
{
    const char *home = sps_env_get(env, "HOME");
    const char *path = sps_env_get(env, variable);
    sps_buf_reset(out);
    if (path && path[0] == '~' && path[1] == '/' && home)
        return sps_buf_printf(out, "%s%s", home, path + 1);
    if (path)
        return sps_buf_append_str(out, path);
    if (home == NULL)
        return SPS_ERR_NOT_FOUND;
    return sps_buf_printf(out, "%s/.aws/%s", home, file);
}

static sps_err s_load(struct sps_ini *ini, const struct sps_env *env, const char *variable,
                      const char *file, struct sps_aws_error *aws_err)
{
    struct sps_buf path, detail;
    sps_buf_init(&path, 4096);
    sps_buf_init(&detail, 1024);
    sps_err err = s_path(&path, env, variable, file);
    if (err == SPS_OK)
        err = sps_ini_load(ini, path.data, &detail);
    if (err == SPS_ERR_NOT_FOUND) {
        err = SPS_OK; /* a missing file is an empty one, as in every SDK */
    } else if (err != SPS_OK) {
        err = sps_creds_fail(aws_err, err == SPS_ERR_CONFIG ? err : SPS_ERR_CONFIG, "profile", "%s",
                             detail.len ? detail.data : path.data);
    }
    sps_buf_clean_up(&path);
    sps_buf_clean_up(&detail);
    return err;
}

sps_err sps_creds_files_load(struct sps_creds_files *files, const struct sps_env *env,
                             const char *profile, struct sps_aws_error *aws_err)
{
    memset(files, 0, sizeof(*files));
    sps_ini_init(&files->config);
    sps_ini_init(&files->credentials);
    if (env == NULL)
        env = sps_env_process();
    const char *chosen = profile && profile[0] ? profile : sps_env_get(env, "AWS_PROFILE");
    files->profile_explicit = chosen != NULL;
    files->profile = sps_strdup(chosen ? chosen : "default");
    sps_err err = s_load(&files->config, env, "AWS_CONFIG_FILE", "config", aws_err);
    if (err == SPS_OK)
        err =
            s_load(&files->credentials, env, "AWS_SHARED_CREDENTIALS_FILE", "credentials", aws_err);
    if (err != SPS_OK)
        sps_creds_files_clean_up(files);
    return err;
}

void sps_creds_files_clean_up(struct sps_creds_files *files)
{
    if (files == NULL)
        return;
    sps_ini_clean_up(&files->config);
    sps_ini_clean_up(&files->credentials);
    sps_free(files->profile);
    files->profile = NULL;
}

/* `[profile name]` with exactly one word after "profile". */
static bool s_config_section_is(const char *section, const char *profile)
{
    struct sps_cursor rest = sps_cursor_from_str(section);
    if (!sps_cursor_starts_with(rest, SPS_CURSOR_LIT("profile")))
        return false;
    rest = sps_cursor_sub(rest, 7, rest.len);
    if (rest.len == 0 || (rest.ptr[0] != ' ' && rest.ptr[0] != '\t'))
        return false;
    rest = sps_cursor_trim(rest);
    /* botocore splits the header shell-style, so `[profile "my name"]` names "my name". */
    if (rest.len >= 2 && rest.ptr[0] == '"' && rest.ptr[rest.len - 1] == '"')
        rest = sps_cursor_sub(rest, 1, rest.len - 2);
    return sps_cursor_eq_str(rest, profile);
}

void sps_creds_files_profile(const struct sps_creds_files *files, const char *name,
                             const struct sps_ini_section **config,
                             const struct sps_ini_section **credentials)
{
    *config = NULL;
    for (size_t i = 0; i < files->config.count; i++) {
        const struct sps_ini_section *s = &files->config.sections[i];
        if (s_config_section_is(s->name, name) ||
            (strcmp(name, "default") == 0 && strcmp(s->name, "default") == 0)) {
            *config = s;
            /* botocore lets `[profile default]` and `[default]` both name the default; the
             * later one wins there as here. */
        }
    }
    *credentials = sps_ini_find(&files->credentials, name);
}

const char *sps_creds_files_get(const struct sps_creds_files *files, const char *profile,
                                const char *key)
{
    const struct sps_ini_section *config, *credentials;
    sps_creds_files_profile(files, profile, &config, &credentials);
    const char *value = sps_ini_get(credentials, key);
    return value ? value : sps_ini_get(config, key);
}
