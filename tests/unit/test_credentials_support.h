/* Helpers shared by the credentials tests: a scratch directory for config files and token files,
 * removed at the end of each case. */
#ifndef TEST_CREDENTIALS_SUPPORT_H
#define TEST_CREDENTIALS_SUPPORT_H

#include "sps_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_TMP_MAX_FILES 16

struct s_tmp {
    char dir[256];
    char files[S_TMP_MAX_FILES][512];
    size_t count;
};

static inline void s_tmp_init(struct s_tmp *t)
{
    memset(t, 0, sizeof(*t));
    const char *base = getenv("TMPDIR");
    snprintf(t->dir, sizeof(t->dir), "%s/sps-creds-XXXXXX", base && base[0] ? base : "/tmp");
    SPS_CHECK(mkdtemp(t->dir) != NULL);
}

/* Writes `content` to dir/name and returns the full path (valid while `t` lives). */
static inline const char *s_tmp_write(struct s_tmp *t, const char *name, const char *content)
{
    SPS_CHECK(t->count < S_TMP_MAX_FILES);
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", t->dir, name);
    memcpy(t->files[t->count], path, sizeof(path));
    FILE *f = fopen(path, "wb");
    SPS_CHECK(f != NULL);
    SPS_CHECK(fwrite(content, 1, strlen(content), f) == strlen(content));
    SPS_CHECK(fclose(f) == 0);
    return t->files[t->count++];
}

/* Path of dir/name without creating it. */
static inline const char *s_tmp_path(struct s_tmp *t, const char *name)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/%s", t->dir, name);
    return path;
}

static inline void s_tmp_clean_up(struct s_tmp *t)
{
    for (size_t i = 0; i < t->count; i++)
        unlink(t->files[i]);
    rmdir(t->dir);
}

#endif
