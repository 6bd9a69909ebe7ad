/*
 * The one allocator. Everything spotswap allocates, and everything jansson, libxml2, libcurl and
 * uthash allocate on its behalf (see sps_aws_global_init), goes through these functions. They
 * abort on out-of-memory: a half-built plan is worse than a clean crash the next run recovers
 * from. A live-allocation counter lets tests prove that nothing leaks.
 */
#ifndef SPS_ALLOC_H
#define SPS_ALLOC_H

#include <stddef.h>

void *sps_malloc(size_t size);
void *sps_calloc(size_t count, size_t size);
void *sps_realloc(void *ptr, size_t size);
void sps_free(void *ptr);
char *sps_strdup(const char *s);
char *sps_strndup(const char *s, size_t len);

/* Number of blocks allocated through this wrapper and not yet freed. */
long sps_alloc_live_count(void);

/* uthash allocates through these when a file includes "sps_uthash.h". */
#define SPS_UTHASH_MALLOC(sz) sps_malloc(sz)
#define SPS_UTHASH_FREE(ptr, sz) sps_free(ptr)

#endif
