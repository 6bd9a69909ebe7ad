/* The common layer every module builds on: errors, allocation, strings, system interfaces, logs. */
#ifndef SPS_COMMON_H
#define SPS_COMMON_H

#include "sps_alloc.h"
#include "sps_buf.h"
#include "sps_error.h"
#include "sps_json.h"
#include "sps_log.h"
#include "sps_sys.h"

#endif
