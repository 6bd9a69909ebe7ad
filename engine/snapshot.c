/* The snapshot's life cycle and the lookups the planner and the executor share. Instances are
 * found through an index (a region can hold thousands, and they are looked up once per action);
 * the other lists hold one entry per group, AMI or source and are walked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sps_engine_plan.h"

void sps_engine_snapshot_init(struct sps_engine_snapshot *s)
{
    memset(s, 0, sizeof *s);
    sps_aws_asg_groups_init(&s->groups);
    sps_aws_strings_init(&s->all_group_names);
    sps_aws_asg_launch_configurations_init(&s->launch_configurations);
}

void sps_engine_snapshot_clean_up(struct sps_engine_snapshot *s)
{
    if (s == NULL)
        return;
    sps_free(s->account_id);
    sps_free(s->region);
    sps_aws_asg_groups_clean_up(&s->groups);
    sps_aws_strings_clean_up(&s->all_group_names);
    sps_aws_asg_launch_configurations_clean_up(&s->launch_configurations);
    sps_aws_ec2_launch_template_versions_clean_up(&s->template_versions);
    for (size_t i = 0; i < s->source_count; i++)
        sps_free(s->sources[i].group_name);
    sps_free(s->sources);
    sps_aws_ec2_instances_clean_up(&s->instances);
    sps_aws_ec2_instance_statuses_clean_up(&s->statuses);
    sps_aws_ec2_images_clean_up(&s->images);
    for (size_t i = 0; i < s->hook_count; i++) {
        sps_free(s->hooks[i].group_name);
        sps_aws_asg_lifecycle_hooks_clean_up(&s->hooks[i].hooks);
    }
    sps_free(s->hooks);
    sps_free(s->instance_index);
    sps_engine_snapshot_init(s);
}

static bool s_eq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* By id, then by position: the first of duplicate ids comes first. */
static int s_cmp_instance(const void *a, const void *b)
{
    const struct sps_aws_ec2_instance *x = *(const struct sps_aws_ec2_instance *const *)a;
    const struct sps_aws_ec2_instance *y = *(const struct sps_aws_ec2_instance *const *)b;
    int c = strcmp(x->instance_id, y->instance_id);
    return c != 0 ? c : (x > y) - (x < y);
}

void sps_engine_snapshot_index_instances(struct sps_engine_snapshot *s)
{
    sps_free(s->instance_index);
    s->instance_index = sps_calloc(s->instances.count + 1, sizeof *s->instance_index);
    s->instance_index_count = 0;
    for (size_t i = 0; i < s->instances.count; i++)
        if (s->instances.items[i].instance_id != NULL)
            s->instance_index[s->instance_index_count++] = &s->instances.items[i];
    qsort(s->instance_index, s->instance_index_count, sizeof *s->instance_index, s_cmp_instance);
    s->instance_index_items = s->instances.items;
    s->instance_index_of_count = s->instances.count;
}

static bool s_index_fresh(const struct sps_engine_snapshot *s)
{
    return s->instance_index != NULL && s->instance_index_items == s->instances.items &&
           s->instance_index_of_count == s->instances.count;
}

/* The first entry whose id is not below `id` (lower bound). */
static const struct sps_aws_ec2_instance *s_indexed(const struct sps_engine_snapshot *s,
                                                    const char *id)
{
    size_t lo = 0, hi = s->instance_index_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->instance_index[mid]->instance_id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->instance_index_count && strcmp(s->instance_index[lo]->instance_id, id) == 0
               ? s->instance_index[lo]
               : NULL;
}

const struct sps_aws_ec2_instance *sps_engine_snapshot_instance(const struct sps_engine_snapshot *s,
                                                                const char *instance_id)
{
    if (s == NULL || instance_id == NULL)
        return NULL;
    if (s_index_fresh(s))
        return s_indexed(s, instance_id);
    for (size_t i = 0; i < s->instances.count; i++)
        if (s_eq(s->instances.items[i].instance_id, instance_id))
            return &s->instances.items[i];
    return NULL;
}

const struct sps_aws_ec2_image *sps_engine_snapshot_image(const struct sps_engine_snapshot *s,
                                                          const char *image_id)
{
    for (size_t i = 0; s != NULL && i < s->images.count; i++)
        if (s_eq(s->images.items[i].image_id, image_id))
            return &s->images.items[i];
    return NULL;
}

const struct sps_engine_group_source *
sps_engine_snapshot_source(const struct sps_engine_snapshot *s, const char *group_name)
{
    for (size_t i = 0; s != NULL && i < s->source_count; i++)
        if (s_eq(s->sources[i].group_name, group_name))
            return &s->sources[i];
    return NULL;
}

const struct sps_aws_asg_lifecycle_hooks *
sps_engine_snapshot_hooks(const struct sps_engine_snapshot *s, const char *group_name)
{
    for (size_t i = 0; s != NULL && i < s->hook_count; i++)
        if (s_eq(s->hooks[i].group_name, group_name))
            return &s->hooks[i].hooks;
    return NULL;
}
