/* The memory of (instance type, AZ) spot markets that recently refused capacity, so one pass
 * over a large estate asks an empty market once instead of once per instance. */
#include "sps_launch.h"

#include <stdio.h>
#include <string.h>

#define uthash_malloc(sz) sps_malloc(sz)
#define uthash_free(ptr, sz) sps_free(ptr)
#include <uthash.h>

struct s_market {
    char *key; /* "type|az" */
    int64_t until_ms;
    UT_hash_handle hh;
};

struct sps_launch_markets {
    int64_t ttl_ms;
    struct s_market *table;
};

static char *s_key(const char *type, const char *az)
{
    struct sps_buf b;
    sps_buf_init(&b, SPS_BUF_DEFAULT_MAX);
    (void)sps_buf_printf(&b, "%s|%s", type ? type : "", az ? az : "");
    return sps_buf_take(&b);
}

struct sps_launch_markets *sps_launch_markets_new(int64_t ttl_ms)
{
    struct sps_launch_markets *m = sps_calloc(1, sizeof(*m));
    m->ttl_ms = ttl_ms > 0 ? ttl_ms : 0;
    return m;
}

static void s_remove(struct sps_launch_markets *m, struct s_market *e)
{
    HASH_DEL(m->table, e);
    sps_free(e->key);
    sps_free(e);
}

void sps_launch_markets_destroy(struct sps_launch_markets *m)
{
    if (m == NULL)
        return;
    struct s_market *e, *tmp;
    HASH_ITER(hh, m->table, e, tmp)
    {
        s_remove(m, e);
    }
    sps_free(m);
}

static struct s_market *s_find(const struct sps_launch_markets *m, const char *type, const char *az)
{
    char *key = s_key(type, az);
    struct s_market *e = NULL;
    HASH_FIND_STR(m->table, key, e);
    sps_free(key);
    return e;
}

bool sps_launch_markets_is_empty(const struct sps_launch_markets *m, const char *type,
                                 const char *az, int64_t now_ms)
{
    if (m == NULL)
        return false;
    const struct s_market *e = s_find(m, type, az);
    return e != NULL && now_ms < e->until_ms;
}

void sps_launch_markets_remember(struct sps_launch_markets *m, const char *type, const char *az,
                                 int64_t now_ms)
{
    if (m == NULL)
        return;
    /* Drop expired entries so a long-lived process does not grow the table forever. */
    struct s_market *e, *tmp;
    HASH_ITER(hh, m->table, e, tmp)
    {
        if (e->until_ms <= now_ms)
            s_remove(m, e);
    }
    e = s_find(m, type, az);
    if (e == NULL) {
        e = sps_calloc(1, sizeof(*e));
        e->key = s_key(type, az);
        HASH_ADD_KEYPTR(hh, m->table, e->key, strlen(e->key), e);
    }
    e->until_ms = now_ms + m->ttl_ms;
}
