/*
 * Shared by every fuzz target: the libFuzzer entry point's prototype, a one-time set-up (logging
 * off, spotswap's allocator installed into libxml2 and jansson so their blocks are counted too)
 * and the leak check that turns a block left behind by one input into an abort, i.e. a finding.
 */
#ifndef SPS_FUZZ_COMMON_H
#define SPS_FUZZ_COMMON_H

#include "sps_aws.h"
#include "sps_common.h"

#include <libxml/xmlerror.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A target calls parsers for their side effects on memory; most results do not matter. GCC does
 * not let (void) silence warn_unused_result, a condition does. */
#define SPS_FUZZ_IGNORE(expr)                                                                      \
    do {                                                                                           \
        if (expr) {                                                                                \
        }                                                                                          \
    } while (0)

/* Once per process: the warm-up parses let libxml2 allocate its lazily created global state
 * before the first input is measured, so that state is not mistaken for a leak. */
static inline void sps_fuzz_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    sps_log_set_level(SPS_LOG_OFF);
    sps_aws_global_init();
    struct sps_xml_doc *doc = NULL;
    static const char ok[] = "<a><b>1</b></a>", bad[] = "<a><b></a>";
    if (sps_xml_parse(&doc, ok, sizeof(ok) - 1) == SPS_OK)
        sps_xml_doc_destroy(doc);
    doc = NULL;
    if (sps_xml_parse(&doc, bad, sizeof(bad) - 1) == SPS_OK)
        sps_xml_doc_destroy(doc);
    xmlResetLastError();
}

/* Call first in LLVMFuzzerTestOneInput; returns the live-block count to check against. */
static inline long sps_fuzz_begin(void)
{
    sps_fuzz_init();
    return sps_alloc_live_count();
}

/* Call last: aborts when the input left blocks allocated. libxml2 keeps a copy of the last
 * parse error in a global (freed by the next error), which is not a leak: it is dropped first. */
static inline void sps_fuzz_end(long live_before, const char *target)
{
    xmlResetLastError();
    long leaked = sps_alloc_live_count() - live_before;
    if (leaked != 0) {
        fprintf(stderr, "%s: input leaked %ld allocation(s)\n", target, leaked);
        abort();
    }
}

/* A NUL-terminated copy of the input, for the parsers that take C strings. */
static inline char *sps_fuzz_cstr(const uint8_t *data, size_t size)
{
    return sps_strndup((const char *)data, size);
}

#endif
