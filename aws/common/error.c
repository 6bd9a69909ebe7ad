/* Tables behind sps_error.h, expanded from the one list so names and messages stay in step. */
#include "sps_error.h"

#include <stddef.h>

#define SPS_ERROR(name, category, message) #name,
static const char *const s_names[] = {
#include "sps_error_list.h"
};
#undef SPS_ERROR

#define SPS_ERROR(name, category, message) message,
static const char *const s_messages[] = {
#include "sps_error_list.h"
};
#undef SPS_ERROR

#define SPS_ERROR(name, category, message) SPS_ERRCAT_##category,
static const enum sps_error_category s_categories[] = {
#include "sps_error_list.h"
};
#undef SPS_ERROR

static int s_valid(sps_err err)
{
    return (int)err >= 0 && (int)err < (int)SPS_ERR_COUNT_;
}

const char *sps_error_name(sps_err err)
{
    return s_valid(err) ? s_names[err] : "SPS_ERR_UNKNOWN";
}

const char *sps_error_message(sps_err err)
{
    return s_valid(err) ? s_messages[err] : "unknown error code";
}

enum sps_error_category sps_error_category(sps_err err)
{
    return s_valid(err) ? s_categories[err] : SPS_ERRCAT_FATAL;
}

const char *sps_error_category_name(enum sps_error_category cat)
{
    switch (cat) {
    case SPS_ERRCAT_NONE:
        return "none";
    case SPS_ERRCAT_RETRYABLE:
        return "retryable";
    case SPS_ERRCAT_THROTTLED:
        return "throttled";
    case SPS_ERRCAT_CAPACITY:
        return "capacity";
    case SPS_ERRCAT_FATAL:
        return "fatal";
    }
    return "fatal";
}
