/*
 * The `spotswap run` command line (`--<option> VALUE`, `--<option>=VALUE`, bool flags alone,
 * repeatable `--region`, `--config FILE`, `--help`), the whole load in precedence order, and the
 * `--help` text generated from the option table.
 */
#include "sps_engine_config.h"

#include <string.h>

static sps_err s_arg_error(struct sps_buf *error, const char *arg, size_t arg_len, const char *why)
{
    if (error) {
        sps_buf_reset(error);
        sps_buf_printf(error, "%.*s: %s", (int)arg_len, arg, why);
    }
    return SPS_ERR_CONFIG;
}

/* Splits `argv[*i]` into its flag name and value (from `=VALUE` or the next argument, which is
 * consumed). `*value` is NULL for a bool flag given alone. */
static sps_err s_flag_value(int argc, char **argv, int *i, bool takes_bare, size_t *name_len,
                            const char **value, struct sps_buf *error)
{
    const char *arg = argv[*i];
    const char *eq = strchr(arg, '=');
    *name_len = eq ? (size_t)(eq - arg) : strlen(arg);
    *value = eq ? eq + 1 : NULL;
    if (eq || takes_bare)
        return SPS_OK;
    if (*i + 1 >= argc)
        return s_arg_error(error, arg, *name_len, "needs a value");
    *value = argv[++*i];
    return SPS_OK;
}

static const struct sps_engine_option *s_find_flag(const char *arg, size_t len)
{
    for (size_t i = 0; i < sps_engine_option_count(); i++) {
        const struct sps_engine_option *opt = sps_engine_option_at(i);
        if (strlen(opt->flag) == len && memcmp(opt->flag, arg, len) == 0)
            return opt;
    }
    return NULL;
}

static bool s_is_flag(const char *arg, size_t len, const char *flag)
{
    return strlen(flag) == len && memcmp(arg, flag, len) == 0;
}

/* `--region R`: the first one replaces the regions of lower sources, later ones add. */
static sps_err s_add_region(struct sps_engine_config *cfg, const char *value, bool *first,
                            struct sps_buf *error)
{
    const struct sps_engine_option *opt = sps_engine_option_find_key("regions");
    struct sps_aws_strings parsed;
    sps_aws_strings_init(&parsed);
    struct sps_buf reason;
    sps_buf_init(&reason, 16384);
    sps_err err = sps_engine_option_parse(opt, value, &parsed, &reason);
    if (err != SPS_OK) {
        if (error) {
            sps_buf_reset(error);
            sps_buf_printf(error, "--region: regions: %s", reason.data);
        }
        goto cleanup;
    }
    if (*first)
        sps_aws_strings_clean_up(&cfg->regions);
    *first = false;
    for (size_t i = 0; i < parsed.count; i++) {
        if (!sps_aws_strings_contains(&cfg->regions, parsed.items[i]))
            sps_aws_strings_add(&cfg->regions, parsed.items[i]);
    }
cleanup:
    sps_aws_strings_clean_up(&parsed);
    sps_buf_clean_up(&reason);
    return err;
}

static sps_err s_apply_arg(struct sps_engine_config *cfg, int argc, char **argv, int *i,
                           bool *first_region, struct sps_buf *error)
{
    const char *arg = argv[*i];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        cfg->help = true;
        return SPS_OK;
    }
    if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0' || arg[2] == '=')
        return s_arg_error(error, arg, strlen(arg),
                           "unexpected argument (see spotswap run --help)");
    size_t len = strcspn(arg, "=");
    const struct sps_engine_option *opt = s_find_flag(arg, len);
    bool bare = opt && opt->kind == SPS_OPT_KIND_BOOL;
    if (!opt && !s_is_flag(arg, len, "--region") && !s_is_flag(arg, len, "--config"))
        return s_arg_error(error, arg, len, "unknown option (see spotswap run --help)");
    const char *value;
    SPS_TRY(s_flag_value(argc, argv, i, bare, &len, &value, error));
    if (s_is_flag(arg, len, "--config"))
        return SPS_OK; /* read by sps_engine_config_load before everything else */
    if (s_is_flag(arg, len, "--region"))
        return s_add_region(cfg, value, first_region, error);
    if (opt->kind == SPS_OPT_KIND_REGIONS)
        *first_region = false; /* --regions X --region Y means both */
    return sps_engine_config_set(cfg, opt, value ? value : "true", opt->flag, error);
}

sps_err sps_engine_config_read_args(struct sps_engine_config *cfg, int argc, char **argv,
                                    struct sps_buf *error)
{
    bool first_region = true;
    for (int i = 0; i < argc; i++)
        SPS_TRY(s_apply_arg(cfg, argc, argv, &i, &first_region, error));
    return SPS_OK;
}

/* The file named by the last `--config`, else SPOTSWAP_CONFIG, else none. */
static sps_err s_config_path(const struct sps_engine_config_input *in, const char **path,
                             struct sps_buf *error)
{
    *path = in->env ? sps_env_get(in->env, "SPOTSWAP_CONFIG") : NULL;
    for (int i = 0; i < in->argc; i++) {
        const char *arg = in->argv[i];
        if (strncmp(arg, "--config", 8) != 0 || (arg[8] != '\0' && arg[8] != '='))
            continue;
        size_t len;
        SPS_TRY(s_flag_value(in->argc, in->argv, &i, false, &len, path, error));
        if ((*path)[0] == '\0')
            return s_arg_error(error, arg, len, "needs a file name");
    }
    return SPS_OK;
}

sps_err sps_engine_config_load(struct sps_engine_config *out,
                               const struct sps_engine_config_input *in, struct sps_buf *warnings,
                               struct sps_buf *error)
{
    sps_engine_config_init(out);
    const char *path;
    SPS_TRY(s_config_path(in, &path, error));
    if (path)
        SPS_TRY(sps_engine_config_read_file(out, path, error));
    if (in->env)
        SPS_TRY(sps_engine_config_read_env(out, in->env, in->environ_entries, warnings, error));
    SPS_TRY(sps_engine_config_read_args(out, in->argc, in->argv, error));
    return out->help ? SPS_OK : sps_engine_config_validate(out, error);
}

void sps_engine_config_usage(FILE *out)
{
    fputs("usage: spotswap run [--region R]... [--report-only] [--output text|json]\n"
          "                    [--config FILE] [--<option> VALUE]...\n"
          "\n"
          "One pass over the AutoScaling groups of the configured regions: replaces on-demand\n"
          "instances of opted-in groups with cheaper compatible spot instances.\n"
          "\n"
          "Settings come from, lowest to highest precedence: the defaults, the config file\n"
          "(--config FILE or SPOTSWAP_CONFIG), SPOTSWAP_* variables, the command line; then each\n"
          "group's spotswap:* tags. See docs/configuration.md.\n"
          "\n"
          "  -h, --help            show this help\n"
          "  --config FILE         read settings from FILE (key = value lines)\n"
          "  --region R            scan region R; repeat for more (replaces regions)\n",
          out);
    for (size_t i = 0; i < sps_engine_option_count(); i++) {
        const struct sps_engine_option *opt = sps_engine_option_at(i);
        bool is_bool = opt->kind == SPS_OPT_KIND_BOOL;
        fprintf(out, "  %s%s\n      %s\n      (%s; default: %s; env %s; file key %s)\n", opt->flag,
                is_bool ? "[=BOOL]" : " VALUE", opt->doc, opt->type_name,
                opt->default_text[0] ? opt->default_text : "empty", opt->env, opt->key);
    }
}
