/*
 * CPU time of the planner alone (sps_engine_plan_build), without any I/O: the estate of
 * bench/estate.py (R regions, G groups round-robin over them, N instances round-robin over the
 * groups, every tenth group unselected and so absent) built as one snapshot per region with the
 * test snapshot builder, then planned. All instances are on-demand m5.large InService members
 * (the builder's price table knows that type), so every selected group plans its budget of
 * launches, the costliest case. Prints one JSON line; the median of `repeat` rounds.
 * Usage: bench_plan_cpu [regions groups instances repeat]   (defaults 16 300 6000 5)
 */
#include "engine_snapshot_builder.h"
#include "sps_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double s_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static size_t s_arg(int argc, char **argv, int index, size_t fallback)
{
    if (argc <= index)
        return fallback;
    uint64_t v;
    if (sps_cursor_to_u64(sps_cursor_from_str(argv[index]), &v) != SPS_OK || v == 0) {
        fprintf(stderr, "bench_plan_cpu: \"%s\" is not a positive count\n", argv[index]);
        exit(2);
    }
    return (size_t)v;
}

static int s_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The snapshot of region r: its selected groups and their members, as the scan would read. */
static void s_build(struct esb_world *w, size_t r, size_t regions, size_t groups,
                    size_t instances)
{
    esb_world_init(w);
    const char *azs[] = {ESB_AZ_A, ESB_AZ_B};
    size_t next_id = 0;
    for (size_t g = r; g < groups; g += regions) {
        size_t members = instances / groups + (g < instances % groups ? 1 : 0);
        char name[32];
        snprintf(name, sizeof name, "g%05zu", g);
        if (g % 10 == 9) {
            esb_unselected_group(w, name);
            continue;
        }
        esb_group(w, name, (int64_t)members, 0);
        if (g % 4 == 3)
            esb_hook(w, name, SPS_AWS_ASG_TRANSITION_TERMINATING);
        for (size_t m = 0; m < members; m++) {
            char id[32];
            snprintf(id, sizeof id, "i-%05zx%012zx", r, next_id++);
            esb_od_member(w, name, id, "m5.large", azs[m % 2]);
        }
    }
}

int main(int argc, char **argv)
{
    size_t regions = s_arg(argc, argv, 1, 16), groups = s_arg(argc, argv, 2, 300);
    size_t instances = s_arg(argc, argv, 3, 6000), repeat = s_arg(argc, argv, 4, 5);
    struct esb_world *worlds = sps_calloc(regions, sizeof *worlds);
    for (size_t r = 0; r < regions; r++)
        s_build(&worlds[r], r, regions, groups, instances);
    double *rounds = sps_calloc(repeat, sizeof *rounds);
    size_t actions = 0;
    for (size_t k = 0; k < repeat; k++) {
        actions = 0;
        double spent = 0;
        for (size_t r = 0; r < regions; r++) {
            struct sps_engine_plan plan;
            sps_engine_plan_init(&plan);
            double t0 = s_cpu_ms();
            sps_err err = esb_world_plan(&worlds[r], &plan);
            spent += s_cpu_ms() - t0;
            if (err != SPS_OK) {
                fprintf(stderr, "bench_plan_cpu: plan failed: %s\n", sps_error_message(err));
                return 1;
            }
            actions += plan.action_count;
            sps_engine_plan_clean_up(&plan);
        }
        rounds[k] = spent;
    }
    qsort(rounds, repeat, sizeof *rounds, s_cmp);
    printf("{\"regions\": %zu, \"groups\": %zu, \"instances\": %zu, \"actions\": %zu, "
           "\"plan_cpu_ms\": %.2f, \"plan_cpu_ms_min\": %.2f, \"repeat\": %zu}\n",
           regions, groups, instances, actions, rounds[repeat / 2], rounds[0], repeat);
    for (size_t r = 0; r < regions; r++)
        esb_world_free(&worlds[r]);
    sps_free(worlds);
    sps_free(rounds);
    return 0;
}
