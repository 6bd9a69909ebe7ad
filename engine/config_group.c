/*
 * Per-group configuration: the glob matcher, the tag-filter selection (opt-in / opt-out), and
 * the group's effective policy, the global settings refined by its `spotswap:*` tags. A bad tag
 * value fails that group alone, so one mistyped tag never stops the rest of the fleet.
 */
#include "sps_engine_config.h"
#include "sps_engine_plan.h"

#include <stddef.h>
#include <string.h>

bool sps_engine_glob_match(const char *pattern, const char *text)
{
    /* Greedy with one backtrack point: the last '*' and where its match started. */
    const char *p = pattern, *t = text, *star = NULL, *resume = NULL;
    while (*t) {
        if (*p == '?' || (*p != '\0' && *p != '*' && *p == *t)) {
            p++;
            t++;
        } else if (*p == '*') {
            star = p++;
            resume = t;
        } else if (star) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

bool sps_engine_tags_match_filters(const struct sps_engine_config *cfg,
                                   const struct sps_aws_tags *tags)
{
    if (cfg->mode == SPS_ENGINE_MODE_OPT_OUT) {
        if (cfg->opt_out_tag.count == 0)
            return true;
        const struct sps_aws_tag *out = &cfg->opt_out_tag.items[0];
        const char *value = sps_aws_tags_get(tags, out->key);
        return value == NULL || !sps_engine_glob_match(out->value, value);
    }
    if (cfg->tag_filters.count == 0)
        return false; /* validation refuses this; never select everything by accident */
    for (size_t i = 0; i < cfg->tag_filters.count; i++) {
        const struct sps_aws_tag *f = &cfg->tag_filters.items[i];
        const char *value = sps_aws_tags_get(tags, f->key);
        if (value == NULL || !sps_engine_glob_match(f->value, value))
            return false;
    }
    return true;
}

bool sps_engine_config_selects_group(void *cfg, const struct sps_aws_tags *tags)
{
    return sps_aws_tags_get(tags, "spotswap:enabled") != NULL ||
           sps_engine_tags_match_filters(cfg, tags);
}

void sps_engine_group_policy_init(struct sps_engine_group_policy *p)
{
    memset(p, 0, sizeof(*p));
}

void sps_engine_group_policy_clean_up(struct sps_engine_group_policy *p)
{
    if (p == NULL)
        return;
    sps_aws_strings_clean_up(&p->allowed_instance_types);
    sps_aws_strings_clean_up(&p->disallowed_instance_types);
    sps_engine_group_policy_init(p);
}

/* The tags a group may carry, each parsed as the option of that key into the policy field. */
static const struct {
    const char *tag;
    const char *key; /* NULL: spotswap:enabled, a bool that is no global option */
    size_t offset;
} s_overrides[] = {
    {"spotswap:enabled", NULL, offsetof(struct sps_engine_group_policy, enabled)},
    {"spotswap:min-on-demand-number", "min_on_demand_number",
     offsetof(struct sps_engine_group_policy, min_on_demand_number)},
    {"spotswap:min-on-demand-percentage", "min_on_demand_percentage",
     offsetof(struct sps_engine_group_policy, min_on_demand_percentage)},
    {"spotswap:allowed-instance-types", "allowed_instance_types",
     offsetof(struct sps_engine_group_policy, allowed_instance_types)},
    {"spotswap:disallowed-instance-types", "disallowed_instance_types",
     offsetof(struct sps_engine_group_policy, disallowed_instance_types)},
    {"spotswap:max-replacements-per-run", "max_replacements_per_run",
     offsetof(struct sps_engine_group_policy, max_replacements_per_run)},
    {"spotswap:report-only", "report_only", offsetof(struct sps_engine_group_policy, report_only)},
};

bool sps_engine_group_tag_at(size_t index, const char **tag, const char **key)
{
    if (index >= sizeof(s_overrides) / sizeof(s_overrides[0]))
        return false;
    *tag = s_overrides[index].tag;
    *key = s_overrides[index].key;
    return true;
}

static const struct sps_engine_option s_enabled_option = {
    .key = "enabled",
    .env = "",
    .flag = "",
    .kind = SPS_OPT_KIND_BOOL,
    .type_name = "bool",
    .default_text = "",
    .doc = "",
};

static sps_err s_apply_override(size_t i, const char *value, const char *group_name,
                                struct sps_engine_group_policy *out, struct sps_buf *error)
{
    const struct sps_engine_option *opt =
        s_overrides[i].key ? sps_engine_option_find_key(s_overrides[i].key) : &s_enabled_option;
    struct sps_buf reason;
    sps_buf_init(&reason, 16384);
    sps_err err = sps_engine_option_parse(opt, value, (char *)out + s_overrides[i].offset, &reason);
    if (err != SPS_OK && error) {
        sps_buf_reset(error);
        sps_buf_printf(error, "group %s tag %s: %s: %s", group_name, s_overrides[i].tag, opt->key,
                       reason.data);
    }
    sps_buf_clean_up(&reason);
    return err;
}

sps_err sps_engine_group_policy_resolve(const struct sps_engine_config *cfg, const char *group_name,
                                        const struct sps_aws_tags *tags,
                                        struct sps_engine_group_policy *out, struct sps_buf *error)
{
    sps_engine_group_policy_clean_up(out);
    out->enabled = sps_engine_tags_match_filters(cfg, tags);
    out->report_only = cfg->report_only;
    out->min_on_demand_number = cfg->min_on_demand_number;
    out->min_on_demand_percentage = cfg->min_on_demand_percentage;
    out->max_replacements_per_run = cfg->max_replacements_per_run;
    sps_aws_strings_copy(&out->allowed_instance_types, &cfg->allowed_instance_types);
    sps_aws_strings_copy(&out->disallowed_instance_types, &cfg->disallowed_instance_types);
    for (size_t i = 0; i < sizeof(s_overrides) / sizeof(s_overrides[0]); i++) {
        const char *value = sps_aws_tags_get(tags, s_overrides[i].tag);
        if (value == NULL)
            continue;
        sps_err err = s_apply_override(i, value, group_name ? group_name : "?", out, error);
        if (err != SPS_OK) {
            sps_engine_group_policy_clean_up(out);
            return err;
        }
    }
    /* A global report-only run is a promise that nothing changes; no tag may break it. */
    out->report_only = out->report_only || cfg->report_only;
    return SPS_OK;
}

int64_t sps_engine_limit_for_group(struct sps_engine_limit limit, int64_t group_size)
{
    return limit.automatic ? sps_engine_auto_budget(group_size) : limit.value;
}

int64_t sps_engine_on_demand_floor(const struct sps_engine_group_policy *p, int64_t group_size)
{
    if (group_size <= 0)
        return 0;
    int64_t by_percentage = (p->min_on_demand_percentage * group_size + 99) / 100;
    int64_t floor =
        p->min_on_demand_number > by_percentage ? p->min_on_demand_number : by_percentage;
    return floor < group_size ? floor : group_size;
}
