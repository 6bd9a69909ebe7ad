/*
 * Errors: one enum expanded from sps_error_list.h, returned by value. Functions that can fail
 * return sps_err and are marked SPS_NODISCARD so a caller cannot silently drop a failure.
 */
#ifndef SPS_ERROR_H
#define SPS_ERROR_H

#define SPS_NODISCARD __attribute__((warn_unused_result))

enum sps_error_category {
    SPS_ERRCAT_NONE,
    SPS_ERRCAT_RETRYABLE,
    SPS_ERRCAT_THROTTLED,
    SPS_ERRCAT_CAPACITY,
    SPS_ERRCAT_FATAL,
};

#define SPS_ERROR(name, category, message) name,
typedef enum sps_error_code {
#include "sps_error_list.h"
    SPS_ERR_COUNT_ /* not an error: the number of codes */
} sps_err;
#undef SPS_ERROR

/* The enum member's name, e.g. "SPS_ERR_AWS_THROTTLED"; "SPS_ERR_UNKNOWN" for a bad value. */
const char *sps_error_name(sps_err err);
/* A one-line human message; never NULL. */
const char *sps_error_message(sps_err err);
enum sps_error_category sps_error_category(sps_err err);
/* "retryable", "throttled", ... for logs. */
const char *sps_error_category_name(enum sps_error_category cat);

/* Propagate a failure to the caller; for functions that own nothing. */
#define SPS_TRY(expr)                                                                              \
    do {                                                                                           \
        sps_err sps_try_err_ = (expr);                                                             \
        if (sps_try_err_ != SPS_OK)                                                                \
            return sps_try_err_;                                                                   \
    } while (0)

/* Record a failure in `err` and jump to the function's single cleanup label. */
#define SPS_GUARD(expr)                                                                            \
    do {                                                                                           \
        err = (expr);                                                                              \
        if (err != SPS_OK)                                                                         \
            goto cleanup;                                                                          \
    } while (0)

#endif
