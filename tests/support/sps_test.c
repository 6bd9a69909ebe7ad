/* The harness behind sps_test.h. */
#include "sps_test.h"

#include <stdarg.h>
#include <stdlib.h>

static jmp_buf s_jump;
static char s_reason[4096];

void sps_test_fail(const char *file, int line, const char *fmt, ...)
{
    int n = snprintf(s_reason, sizeof(s_reason), "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s_reason + n, sizeof(s_reason) - (size_t)n, fmt, ap);
    va_end(ap);
    longjmp(s_jump, 1);
}

static int s_selected(const char *name, int argc, char **argv)
{
    if (argc < 2)
        return 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], name) == 0)
            return 1;
    }
    return 0;
}

int sps_test_main(const struct sps_test_case *cases, size_t n, int argc, char **argv)
{
    /* Tests exercise error paths on purpose; keep their expected log lines out of the output. */
    const char *level = getenv("SPS_TEST_LOG_LEVEL");
    enum sps_log_level parsed = SPS_LOG_OFF;
    sps_log_set_level(level && sps_log_level_parse(level, &parsed) == SPS_OK ? parsed
                                                                             : SPS_LOG_OFF);
    int passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!s_selected(cases[i].name, argc, argv))
            continue;
        long live_before = sps_alloc_live_count();
        volatile int ok = 1;
        if (setjmp(s_jump) == 0) {
            cases[i].fn();
            long leaked = sps_alloc_live_count() - live_before;
            if (leaked != 0) {
                snprintf(s_reason, sizeof(s_reason), "leaked %ld allocation(s)", leaked);
                ok = 0;
            }
        } else {
            ok = 0;
        }
        printf("%s %s%s%s\n", ok ? "ok  " : "FAIL", cases[i].name, ok ? "" : ": ",
               ok ? "" : s_reason);
        ok ? passed++ : failed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

const char *sps_test_fixture(const char *relative)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s", SPS_FIXTURES_DIR, relative);
    return path;
}

void sps_test_read_fixture(struct sps_buf *out, const char *relative)
{
    sps_err err = sps_file_read(out, sps_test_fixture(relative));
    if (err != SPS_OK)
        sps_test_fail(__FILE__, __LINE__, "cannot read fixture %s: %s", relative,
                      sps_error_message(err));
}
