/*
 * Replays fuzz inputs without libFuzzer, so every normal build and ctest run exercises each fuzz
 * target over its committed corpus (the way libgit2's fuzzers/standalone_driver.c does). Each
 * argument is a file or a directory of files (not recursive); a target aborts on a finding, so
 * a clean exit means every input passed. Zero inputs is a failure: a missing corpus must not
 * pass silently.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int s_run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *data = malloc(cap);
    if (data == NULL) {
        fclose(f);
        return -1;
    }
    size_t n;
    while ((n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *bigger = realloc(data, cap * 2);
            if (bigger == NULL) {
                free(data);
                fclose(f);
                return -1;
            }
            data = bigger;
            cap *= 2;
        }
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        fprintf(stderr, "cannot read %s\n", path);
        free(data);
        return -1;
    }
    /* An exact-size copy, so ASan catches a parser reading one byte past the input. */
    uint8_t *exact = malloc(len ? len : 1);
    if (exact == NULL) {
        free(data);
        return -1;
    }
    memcpy(exact, data, len);
    free(data);
    (void)LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int s_run_dir(const char *dir, long *count)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "cannot open directory %s\n", dir);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t need = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(need);
        if (path == NULL) {
            rc = -1;
            break;
        }
        snprintf(path, need, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            rc = s_run_file(path);
            if (rc == 0)
                (*count)++;
        }
        free(path);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    long count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "no such file or directory: %s\n", argv[i]);
            return 1;
        }
        int rc;
        if (S_ISDIR(st.st_mode)) {
            rc = s_run_dir(argv[i], &count);
        } else {
            rc = s_run_file(argv[i]);
            if (rc == 0)
                count++;
        }
        if (rc != 0)
            return 1;
    }
    if (count == 0) {
        fprintf(stderr, "no inputs given\n");
        return 1;
    }
    printf("%ld input(s) replayed, no finding\n", count);
    return 0;
}
