/* The snapshot's instance lookup: the same answers with and without the index the scan builds
 * (absent ids, duplicate ids answer the first in the list), and an index made stale by a later
 * change of the list is ignored rather than trusted. */
#include "engine_snapshot_builder.h"
#include "sps_test.h"

#include <stdio.h>
#include <string.h>

static void s_instance(struct esb_world *w, const char *id, const char *type)
{
    (void)esb_instance(w, id, type, ESB_AZ_A, "", "running", ESB_NOW_MS);
}

/* Every id of the list answers its first entry; others answer NULL. */
static void s_check_lookups(const struct sps_engine_snapshot *s)
{
    for (size_t i = 0; i < s->instances.count; i++) {
        const struct sps_aws_ec2_instance *in = &s->instances.items[i];
        const struct sps_aws_ec2_instance *first = in;
        for (size_t k = 0; k < i; k++)
            if (strcmp(s->instances.items[k].instance_id, in->instance_id) == 0) {
                first = &s->instances.items[k];
                break;
            }
        SPS_CHECK(sps_engine_snapshot_instance(s, in->instance_id) == first);
    }
    SPS_CHECK(sps_engine_snapshot_instance(s, "i-absent") == NULL);
    SPS_CHECK(sps_engine_snapshot_instance(s, "") == NULL);
    SPS_CHECK(sps_engine_snapshot_instance(s, "i-0") == NULL);
    SPS_CHECK(sps_engine_snapshot_instance(s, "i-99") == NULL);
    SPS_CHECK(sps_engine_snapshot_instance(s, NULL) == NULL);
    SPS_CHECK(sps_engine_snapshot_instance(NULL, "i-1") == NULL);
}

static void test_lookup_with_and_without_index(void)
{
    struct esb_world w;
    esb_world_init(&w);
    s_instance(&w, "i-3", "m5.large");
    s_instance(&w, "i-1", "c5.large");
    s_instance(&w, "i-2", "r5.large");
    s_instance(&w, "i-1", "m6i.large"); /* a duplicate: the first answers */
    s_check_lookups(&w.snap);
    SPS_CHECK(w.snap.instance_index == NULL);
    sps_engine_snapshot_index_instances(&w.snap);
    SPS_CHECK(w.snap.instance_index != NULL);
    SPS_CHECK_INT_EQ(w.snap.instance_index_count, 4);
    s_check_lookups(&w.snap);
    SPS_CHECK_STR_EQ(sps_engine_snapshot_instance(&w.snap, "i-1")->instance_type, "c5.large");
    esb_world_free(&w);
}

/* Instances added after the index: found all the same (the stale index is not used), and again
 * through a rebuilt index. An empty snapshot indexes to nothing. */
static void test_stale_index_is_ignored(void)
{
    struct esb_world w;
    esb_world_init(&w);
    sps_engine_snapshot_index_instances(&w.snap);
    SPS_CHECK_INT_EQ(w.snap.instance_index_count, 0);
    SPS_CHECK(sps_engine_snapshot_instance(&w.snap, "i-1") == NULL);
    s_instance(&w, "i-1", "m5.large");
    s_check_lookups(&w.snap);
    sps_engine_snapshot_index_instances(&w.snap);
    for (int i = 2; i < 40; i++) {
        char id[16];
        snprintf(id, sizeof id, "i-%d", i);
        s_instance(&w, id, "m5.large");
        SPS_CHECK(sps_engine_snapshot_instance(&w.snap, id) ==
                  &w.snap.instances.items[w.snap.instances.count - 1]);
    }
    s_check_lookups(&w.snap);
    sps_engine_snapshot_index_instances(&w.snap);
    SPS_CHECK_INT_EQ(w.snap.instance_index_count, 39);
    s_check_lookups(&w.snap);
    esb_world_free(&w);
}

/* clean_up releases the index (the sanitizer suite would report a leak) and leaves an empty,
 * reusable snapshot. */
static void test_clean_up_releases_the_index(void)
{
    struct sps_engine_snapshot s;
    sps_engine_snapshot_init(&s);
    sps_engine_snapshot_index_instances(&s);
    SPS_CHECK(s.instance_index != NULL);
    sps_engine_snapshot_clean_up(&s);
    SPS_CHECK(s.instance_index == NULL);
    SPS_CHECK(sps_engine_snapshot_instance(&s, "i-1") == NULL);
    sps_engine_snapshot_clean_up(&s);
    sps_engine_snapshot_clean_up(NULL);
}

SPS_TEST_MAIN(SPS_CASE(test_lookup_with_and_without_index), SPS_CASE(test_stale_index_is_ignored),
              SPS_CASE(test_clean_up_releases_the_index))
