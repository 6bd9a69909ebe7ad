/* Scan selections for tests, decided by the engine's real rule (sps_engine_config_selects_group)
 * over a config built from key/value settings, as the engine builds it from its options. */
#ifndef SPS_ENGINE_SELECTION_H
#define SPS_ENGINE_SELECTION_H

#include "sps_engine_config.h"
#include "sps_engine_scan.h"

/* `settings` is a NULL-terminated list of option key, value, key, value, ...; it must outlive
 * the selection. The config is built (and freed) for each question, so nothing outlives a test. */
bool sps_test_select(void *settings, const struct sps_aws_tags *tags);

#define SPS_TEST_SELECTION(settings) ((struct sps_engine_selection){sps_test_select, (void *)(settings)})

#endif
