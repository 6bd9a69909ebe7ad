/*
 * The bridge from EC2's DescribeInstanceTypes records to the catalog's live overlay: the
 * run-time refresh (engine/refresh.c) converts what AWS says and hands it to
 * sps_compat_catalog_add_live, so live data wins over the embedded catalog.
 */
#ifndef SPS_COMPAT_LIVE_H
#define SPS_COMPAT_LIVE_H

#include "sps_aws_ec2.h"
#include "sps_compat.h"

/* Fills `out` from `info`. The strings of `out` point into `info` (borrowed; add_live copies
 * them), offered_regions is 0 and there are no prices: the caller says where the record comes
 * from. SPS_ERR_INVALID_ARGUMENT naming nothing when an argument is NULL; SPS_ERR_COMPAT_LIVE_RECORD when a
 * field is out of range or worded in a way the matcher cannot use (`why`, may be NULL, then
 * holds the field, e.g. "p3.16xlarge: network performance 'Fast'"). */
SPS_NODISCARD sps_err sps_compat_type_from_info(const struct sps_aws_ec2_instance_type_info *info,
                                                struct sps_compat_type *out, struct sps_buf *why);

#endif
