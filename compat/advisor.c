/*
 * The Spot Advisor snapshot (compat/data/spot-advisor.json): interruption bands per region, OS
 * and type, for the ranking's tie-break. The loader is the only I/O in sps_compat and sits apart
 * from the matcher; the snapshot is validated whole at load so lookups cannot meet a bad entry.
 */
#include "sps_alloc.h"
#include "sps_buf.h"
#include "sps_compat.h"

#include <jansson.h>

struct sps_compat_advisor {
    json_t *regions; /* spot_advisor: region -> OS -> type -> {"s", "r"} */
};

static const char *s_os_name(enum sps_compat_platform platform)
{
    return platform == SPS_COMPAT_WINDOWS ? "Windows" : "Linux";
}

static sps_err s_check_entry(json_t *entry)
{
    if (!json_is_object(entry))
        return SPS_ERR_JSON_MALFORMED;
    json_t *band = json_object_get(entry, "r");
    if (band == NULL)
        return SPS_ERR_MISSING_FIELD;
    if (!json_is_integer(band) || json_integer_value(band) < 0 || json_integer_value(band) > 4)
        return SPS_ERR_JSON_MALFORMED;
    return SPS_OK;
}

static sps_err s_check_region(json_t *region)
{
    if (!json_is_object(region))
        return SPS_ERR_JSON_MALFORMED;
    const char *os;
    json_t *types;
    json_object_foreach(region, os, types)
    {
        if (!json_is_object(types))
            return SPS_ERR_JSON_MALFORMED;
        const char *type;
        json_t *entry;
        json_object_foreach(types, type, entry)
        {
            SPS_TRY(s_check_entry(entry));
        }
    }
    return SPS_OK;
}

sps_err sps_compat_advisor_parse(const char *text, size_t len, struct sps_compat_advisor **out)
{
    if (text == NULL || out == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    *out = NULL;
    sps_err err = SPS_OK;
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL || !json_is_object(root))
        SPS_GUARD(SPS_ERR_JSON_MALFORMED);
    json_t *regions = json_object_get(root, "spot_advisor");
    if (regions == NULL)
        SPS_GUARD(SPS_ERR_MISSING_FIELD);
    if (!json_is_object(regions))
        SPS_GUARD(SPS_ERR_JSON_MALFORMED);
    const char *name;
    json_t *region;
    json_object_foreach(regions, name, region)
    {
        SPS_GUARD(s_check_region(region));
    }
    struct sps_compat_advisor *advisor = sps_calloc(1, sizeof(*advisor));
    advisor->regions = json_incref(regions);
    *out = advisor;
cleanup:
    json_decref(root);
    return err;
}

sps_err sps_compat_advisor_load(const char *path, struct sps_compat_advisor **out)
{
    if (path == NULL || out == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    struct sps_buf buf;
    sps_buf_init(&buf, SPS_BUF_DEFAULT_MAX);
    sps_err err = sps_file_read(&buf, path);
    if (err == SPS_OK)
        err = sps_compat_advisor_parse(buf.data, buf.len, out);
    sps_buf_clean_up(&buf);
    return err;
}

void sps_compat_advisor_destroy(struct sps_compat_advisor *advisor)
{
    if (advisor == NULL)
        return;
    json_decref(advisor->regions);
    sps_free(advisor);
}

int sps_compat_advisor_band(const struct sps_compat_advisor *advisor, const char *region,
                            enum sps_compat_platform platform, const char *type)
{
    if (advisor == NULL || region == NULL || type == NULL)
        return -1;
    json_t *entry = json_object_get(
        json_object_get(json_object_get(advisor->regions, region), s_os_name(platform)), type);
    json_t *band = json_object_get(entry, "r");
    return band ? (int)json_integer_value(band) : -1;
}
