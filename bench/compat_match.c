/*
 * How long the compatibility matcher takes, and how much memory its results use, to match every
 * catalog type against 1,000 running instances of mixed types (each with an AMI that suits it).
 * Usage: bench_compat_match [instances] [rounds]   (defaults 1000 and 3; best round reported)
 */
#include "sps_common.h"
#include "sps_compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long s_max_rss_kib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static size_t s_arg(int argc, char **argv, int index, size_t fallback)
{
    if (argc <= index)
        return fallback;
    uint64_t v;
    if (sps_cursor_to_u64(sps_cursor_from_str(argv[index]), &v) != SPS_OK || v == 0) {
        fprintf(stderr, "bench_compat_match: \"%s\" is not a positive count\n", argv[index]);
        exit(2);
    }
    return (size_t)v;
}

/* An AMI the type can run: its first architecture, HVM, drivers as the type needs. */
static struct sps_compat_instance s_instance(const struct sps_compat_type *t)
{
    uint8_t arch =
        t->arch & SPS_COMPAT_ARCH_X86_64 ? SPS_COMPAT_ARCH_X86_64 : (uint8_t)(t->arch & -t->arch);
    struct sps_compat_ami ami = {arch, SPS_COMPAT_VIRT_HVM, SPS_COMPAT_LINUX,
                                 t->ena != SPS_COMPAT_UNSUPPORTED,
                                 t->ebs_nvme == SPS_COMPAT_REQUIRED};
    return (struct sps_compat_instance){t->name, "us-east-1a", "us-east-1", false, ami};
}

struct round {
    double seconds;
    size_t candidates;
    size_t result_bytes_max;
};

static struct round s_round(const struct sps_compat_catalog *cat, size_t instances, bool explain)
{
    size_t types = sps_compat_catalog_count(cat);
    struct round r = {0, 0, 0};
    double start = s_now();
    for (size_t i = 0; i < instances; i++) {
        /* A stride through the catalog mixes families, sizes and architectures. */
        struct sps_compat_instance inst = s_instance(sps_compat_catalog_at(cat, (i * 7) % types));
        struct sps_compat_result *res = NULL;
        if (sps_compat_match(cat, &inst, NULL, explain, &res) != SPS_OK) {
            fprintf(stderr, "bench_compat_match: match failed for %s\n", inst.type);
            exit(1);
        }
        r.candidates += res->count;
        size_t bytes = sizeof(*res) + types * (sizeof(struct sps_compat_candidate) +
                                               sizeof(struct sps_compat_rejection));
        for (size_t k = 0; explain && k < res->rejected_count; k++)
            bytes += strlen(res->rejected[k].text) + 1;
        if (bytes > r.result_bytes_max)
            r.result_bytes_max = bytes;
        sps_compat_result_destroy(res);
    }
    r.seconds = s_now() - start;
    return r;
}

int main(int argc, char **argv)
{
    size_t instances = s_arg(argc, argv, 1, 1000);
    size_t rounds = s_arg(argc, argv, 2, 3);
    long rss_start = s_max_rss_kib();
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    size_t types = sps_compat_catalog_count(cat);
    printf("catalog: %zu types; %zu running instances x %zu types per round, best of %zu\n", types,
           instances, types, rounds);
    for (int explain = 0; explain <= 1; explain++) {
        struct round best = {1e30, 0, 0};
        for (size_t i = 0; i < rounds; i++) {
            struct round r = s_round(cat, instances, explain);
            if (r.seconds < best.seconds)
                best = r;
        }
        printf("%-12s %8.1f ms total  %7.1f us/instance  %6.1f ns/pair  %zu candidates  "
               "largest result %.1f KiB\n",
               explain ? "explain:" : "no explain:", best.seconds * 1e3,
               best.seconds * 1e6 / (double)instances,
               best.seconds * 1e9 / ((double)instances * (double)types), best.candidates,
               (double)best.result_bytes_max / 1024.0);
    }
    sps_compat_catalog_destroy(cat);
    printf("max RSS %ld KiB (at start %ld KiB); live allocations at exit %ld\n", s_max_rss_kib(),
           rss_start, sps_alloc_live_count());
    return 0;
}
