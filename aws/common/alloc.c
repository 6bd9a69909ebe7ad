/* The allocation wrapper: abort on out-of-memory, count live blocks for leak tests. */
#include "sps_alloc.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_long s_live;

static void *s_check(void *ptr, size_t size)
{
    if (ptr == NULL && size != 0) {
        fputs("{\"level\":\"fatal\",\"msg\":\"out of memory\"}\n", stderr);
        abort();
    }
    return ptr;
}

void *sps_malloc(size_t size)
{
    void *ptr = s_check(malloc(size ? size : 1), 1);
    atomic_fetch_add(&s_live, 1);
    return ptr;
}

void *sps_calloc(size_t count, size_t size)
{
    void *ptr = s_check(calloc(count ? count : 1, size ? size : 1), 1);
    atomic_fetch_add(&s_live, 1);
    return ptr;
}

void *sps_realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return sps_malloc(size);
    if (size == 0) {
        sps_free(ptr);
        return NULL;
    }
    return s_check(realloc(ptr, size), size);
}

void sps_free(void *ptr)
{
    if (ptr == NULL)
        return;
    atomic_fetch_sub(&s_live, 1);
    free(ptr);
}

char *sps_strndup(const char *s, size_t len)
{
    char *copy = sps_malloc(len + 1);
    if (len)
        memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *sps_strdup(const char *s)
{
    return s ? sps_strndup(s, strlen(s)) : NULL;
}

long sps_alloc_live_count(void)
{
    return atomic_load(&s_live);
}
