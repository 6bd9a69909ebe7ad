/*
 * A minimal test harness: each test executable lists its cases and calls sps_test_main. A case
 * fails on the first failed check or when it leaks (blocks allocated through sps_alloc and not
 * freed). The run ends with the line "N passed, N failed".
 */
#ifndef SPS_TEST_H
#define SPS_TEST_H

#include "sps_common.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

struct sps_test_case {
    const char *name;
    void (*fn)(void);
};

#define SPS_CASE(fn) {#fn, fn}

int sps_test_main(const struct sps_test_case *cases, size_t n, int argc, char **argv);
void sps_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

#define SPS_CHECK(cond)                                                                            \
    do {                                                                                           \
        if (!(cond))                                                                               \
            sps_test_fail(__FILE__, __LINE__, "check failed: %s", #cond);                          \
    } while (0)

#define SPS_CHECK_INT_EQ(a, b)                                                                     \
    do {                                                                                           \
        long long sps_a_ = (long long)(a), sps_b_ = (long long)(b);                                \
        if (sps_a_ != sps_b_)                                                                      \
            sps_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, sps_a_, sps_b_);   \
    } while (0)

#define SPS_CHECK_STR_EQ(a, b)                                                                     \
    do {                                                                                           \
        const char *sps_a_ = (a), *sps_b_ = (b);                                                   \
        if (sps_a_ == NULL || sps_b_ == NULL || strcmp(sps_a_, sps_b_) != 0)                       \
            sps_test_fail(__FILE__, __LINE__, "%s == %s:\n  got      \"%s\"\n  expected \"%s\"", \
                          #a, #b, sps_a_ ? sps_a_ : "(null)", sps_b_ ? sps_b_ : "(null)");         \
    } while (0)

#define SPS_CHECK_ERR(expr, expected)                                                              \
    do {                                                                                           \
        sps_err sps_got_ = (expr);                                                                 \
        if (sps_got_ != (expected))                                                                \
            sps_test_fail(__FILE__, __LINE__, "%s: got %s, expected %s", #expr,                    \
                          sps_error_name(sps_got_), sps_error_name(expected));                     \
    } while (0)

#define SPS_CHECK_OK(expr) SPS_CHECK_ERR(expr, SPS_OK)

#define SPS_TEST_MAIN(...)                                                                         \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        static const struct sps_test_case cases[] = {__VA_ARGS__};                                 \
        return sps_test_main(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);                 \
    }

/* Path of a file under tests/fixtures (static buffer, valid until the next call). */
const char *sps_test_fixture(const char *relative);
/* Reads a fixture into `out` (initialized by the caller); fails the test when missing. */
void sps_test_read_fixture(struct sps_buf *out, const char *relative);

#endif
