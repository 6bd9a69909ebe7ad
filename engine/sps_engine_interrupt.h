/*
 * A spot interruption warning (or, when configured, a rebalance recommendation) for one
 * instance: if it is a spot instance InService in a group spotswap manages, it is detached
 * without decrementing desired, so the group launches an on-demand replacement at once; later
 * passes convert that one back to spot. Anything else is left alone, with the reason.
 */
#ifndef SPS_ENGINE_INTERRUPT_H
#define SPS_ENGINE_INTERRUPT_H

#include "sps_engine_config.h"
#include "sps_launch.h"

enum sps_engine_interrupt_status {
    SPS_ENGINE_INTERRUPT_DETACHED,      /* detached: the group is replacing it */
    SPS_ENGINE_INTERRUPT_WOULD_DETACH,  /* report-only: what would have been done */
    SPS_ENGINE_INTERRUPT_IGNORED,       /* not ours to act on; see reason */
};

struct sps_engine_interrupt_result {
    enum sps_engine_interrupt_status status;
    char group[256];
    char reason[256];
};

/* `ec2` and `autoscaling` are clients for the event's region. */
SPS_NODISCARD sps_err sps_engine_handle_interruption(const struct sps_engine_config *cfg,
                                                     struct sps_launch_context *launch,
                                                     const char *instance_id,
                                                     struct sps_engine_interrupt_result *out,
                                                     struct sps_aws_error *aws_err);

const char *sps_engine_interrupt_status_name(enum sps_engine_interrupt_status status);

#endif
