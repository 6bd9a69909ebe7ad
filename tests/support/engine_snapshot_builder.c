/* Test-only engine snapshot builder, price tables and policy callback (see the header). */
#include "engine_snapshot_builder.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct esb_price esb_default_prices[] = {
    {"m5.large", 0.096, 0.035, NULL},   {"m5a.large", 0.086, 0.036, NULL},
    {"m5n.large", 0.119, 0.037, NULL},  {"m6i.large", 0.096, 0.038, NULL},
    {"m5d.large", 0.113, 0.039, NULL},  {"m6a.large", 0.0864, 0.040, NULL},
    {"m7i.large", 0.1008, 0.041, NULL}, {"c5.large", 0.085, 0, NULL},
};
const size_t esb_default_price_count = sizeof(esb_default_prices) / sizeof(esb_default_prices[0]);

static bool s_on_demand(void *ctx, const char *type, const char *region, const char *platform,
                        double *usd)
{
    struct esb_market *m = ctx;
    m->last_platform = platform;
    for (size_t i = 0; i < m->count; i++) {
        if (strcmp(m->rows[i].type, type) == 0 && m->rows[i].on_demand > 0) {
            *usd = m->rows[i].on_demand + (strstr(platform, "Windows") ? m->windows_extra : 0);
            return true;
        }
    }
    return false;
}

static bool s_spot(void *ctx, const char *type, const char *az, const char *platform,
                   double *usd)
{
    struct esb_market *m = ctx;
    m->last_spot_platform = platform;
    for (size_t i = 0; i < m->count; i++) {
        const struct esb_price *r = &m->rows[i];
        if (strcmp(r->type, type) == 0 && r->spot > 0 && (!r->az || strcmp(r->az, az) == 0)) {
            *usd = r->spot;
            return true;
        }
    }
    return false;
}

static sps_err s_policy(void *ctx, const struct sps_aws_asg_group *g, struct sps_engine_policy *out,
                        struct sps_buf *why)
{
    const struct esb_policies *p = ctx;
    if (p->fail_group && strcmp(p->fail_group, g->name) == 0) {
        if (p->fail_why)
            (void)sps_buf_append_str(why, p->fail_why);
        return SPS_ERR_CONFIG;
    }
    *out = (p->override_group && strcmp(p->override_group, g->name) == 0) ? p->override : p->base;
    return SPS_OK;
}

void esb_world_init(struct esb_world *w)
{
    memset(w, 0, sizeof(*w));
    w->snap.account_id = sps_strdup("");
    w->snap.region = sps_strdup(ESB_REGION);
    w->snap.now_ms = ESB_NOW_MS;
    w->catalog = sps_compat_catalog_new();
    w->market = (struct esb_market){.rows = esb_default_prices, .count = esb_default_price_count};
    w->prices = (struct sps_engine_prices){s_on_demand, s_spot, NULL, &w->market};
    w->policies.base =
        (struct sps_engine_policy){.enabled = true,
                                   .diversification_fraction = SPS_COMPAT_DEFAULT_CAP_FRACTION,
                                   .orphan_grace_periods = 3};
    w->inputs = (struct sps_engine_plan_inputs){w->catalog, &w->prices, s_policy, &w->policies};
    esb_image(w, ESB_AMI, "x86_64", "hvm", "Linux/UNIX", true);
}

void esb_world_free(struct esb_world *w)
{
    sps_engine_snapshot_clean_up(&w->snap);
    sps_compat_catalog_destroy(w->catalog);
    memset(w, 0, sizeof(*w));
}

sps_err esb_world_plan(struct esb_world *w, struct sps_engine_plan *out)
{
    struct sps_engine_snapshot *s = &w->snap;
    for (size_t i = 0; i < s->source_count; i++) {
        const struct sps_aws_asg_group *g = esb_find_group(w, s->sources[i].group_name);
        s->sources[i].launch_configuration =
            g ? sps_aws_asg_launch_configurations_find(&s->launch_configurations,
                                                       g->launch_configuration_name)
              : NULL;
    }
    return sps_engine_plan_build(s, &w->inputs, out);
}

/* ---- groups -----------------------------------------------------------------------------------
 */

#define ESB_GROW(list)                                                                             \
    do {                                                                                           \
        (list).items = sps_realloc((list).items, ((list).count + 1) * sizeof(*(list).items));      \
        memset(&(list).items[(list).count], 0, sizeof(*(list).items));                             \
        (list).cap = ++(list).count;                                                               \
    } while (0)

struct sps_aws_asg_group *esb_group(struct esb_world *w, const char *name, int64_t desired,
                                    int64_t grace_s)
{
    struct sps_engine_snapshot *s = &w->snap;
    ESB_GROW(s->groups);
    struct sps_aws_asg_group *g = &s->groups.items[s->groups.count - 1];
    g->name = sps_strdup(name);
    g->min_size = 0;
    g->max_size = desired + 10;
    g->desired_capacity = desired;
    g->health_check_type = sps_strdup("EC2");
    g->health_check_grace_period = grace_s;
    sps_aws_strings_add(&g->availability_zones, ESB_AZ_A);
    sps_aws_strings_add(&g->availability_zones, ESB_AZ_B);
    char lc[128];
    snprintf(lc, sizeof(lc), "lc-%s", name);
    g->launch_configuration_name = sps_strdup(lc);
    sps_aws_strings_add(&s->all_group_names, name);

    ESB_GROW(s->launch_configurations);
    struct sps_aws_asg_launch_configuration *l =
        &s->launch_configurations.items[s->launch_configurations.count - 1];
    l->name = sps_strdup(lc);
    l->image_id = sps_strdup(ESB_AMI);
    l->instance_type = sps_strdup("m5.large");

    s->sources = sps_realloc(s->sources, (s->source_count + 1) * sizeof(*s->sources));
    s->sources[s->source_count++] = (struct sps_engine_group_source){sps_strdup(name), NULL, NULL};
    s->hooks = sps_realloc(s->hooks, (s->hook_count + 1) * sizeof(*s->hooks));
    s->hooks[s->hook_count].group_name = sps_strdup(name);
    sps_aws_asg_lifecycle_hooks_init(&s->hooks[s->hook_count++].hooks);
    return g;
}

struct sps_aws_asg_group *esb_find_group(struct esb_world *w, const char *name)
{
    for (size_t i = 0; i < w->snap.groups.count; i++) {
        if (w->snap.groups.items[i].name && strcmp(w->snap.groups.items[i].name, name) == 0)
            return &w->snap.groups.items[i];
    }
    return NULL;
}

void esb_group_tag(struct esb_world *w, const char *group, const char *key, const char *value)
{
    sps_aws_tags_set(&esb_find_group(w, group)->tags, key, value, false);
}

void esb_group_suspend(struct esb_world *w, const char *group, const char *process)
{
    sps_aws_strings_add(&esb_find_group(w, group)->suspended_processes, process);
}

void esb_group_no_source(struct esb_world *w, const char *group)
{
    struct sps_aws_asg_group *g = esb_find_group(w, group);
    sps_free(g->launch_configuration_name);
    g->launch_configuration_name = NULL;
}

void esb_unselected_group(struct esb_world *w, const char *name)
{
    sps_aws_strings_add(&w->snap.all_group_names, name);
}

/* ---- instances --------------------------------------------------------------------------------
 */

struct sps_aws_ec2_instance *esb_instance(struct esb_world *w, const char *id, const char *type,
                                          const char *az, const char *lifecycle, const char *state,
                                          int64_t launch_ms)
{
    ESB_GROW(w->snap.instances);
    struct sps_aws_ec2_instance *i = &w->snap.instances.items[w->snap.instances.count - 1];
    char subnet[64];
    snprintf(subnet, sizeof(subnet), "subnet-%s", az);
    i->instance_id = sps_strdup(id);
    i->instance_type = sps_strdup(type);
    i->availability_zone = sps_strdup(az);
    i->lifecycle = sps_strdup(lifecycle);
    i->state_name = sps_strdup(state);
    i->launch_time_ms = launch_ms;
    i->subnet_id = sps_strdup(subnet);
    i->image_id = sps_strdup(ESB_AMI);
    i->architecture = sps_strdup("x86_64");
    i->virtualization_type = sps_strdup("hvm");
    i->platform_details = sps_strdup("Linux/UNIX");
    i->ena_support = true;
    return i;
}

struct sps_aws_ec2_instance *esb_find_instance(struct esb_world *w, const char *id)
{
    for (size_t i = 0; i < w->snap.instances.count; i++) {
        if (w->snap.instances.items[i].instance_id &&
            strcmp(w->snap.instances.items[i].instance_id, id) == 0)
            return &w->snap.instances.items[i];
    }
    return NULL;
}

void esb_tag(struct esb_world *w, const char *id, const char *key, const char *value)
{
    sps_aws_tags_set(&esb_find_instance(w, id)->tags, key, value, false);
}

void esb_member(struct esb_world *w, const char *group, const char *id,
                enum sps_aws_asg_lifecycle_state state, const char *health, bool protected_)
{
    struct sps_aws_asg_group *g = esb_find_group(w, group);
    g->instances = sps_realloc(g->instances, (g->instance_count + 1) * sizeof(*g->instances));
    struct sps_aws_asg_instance *m = &g->instances[g->instance_count++];
    memset(m, 0, sizeof(*m));
    const struct sps_aws_ec2_instance *in = esb_find_instance(w, id);
    m->instance_id = sps_strdup(id);
    m->instance_type = sps_strdup(in ? in->instance_type : "m5.large");
    m->availability_zone = sps_strdup(in ? in->availability_zone : ESB_AZ_A);
    m->lifecycle_state = state;
    m->lifecycle_state_raw = sps_strdup(sps_aws_asg_lifecycle_state_name(state));
    m->health_status = sps_strdup(health);
    m->protected_from_scale_in = protected_;
}

struct sps_aws_asg_instance *esb_find_member(struct esb_world *w, const char *group, const char *id)
{
    struct sps_aws_asg_group *g = esb_find_group(w, group);
    for (size_t i = 0; g && i < g->instance_count; i++) {
        if (strcmp(g->instances[i].instance_id, id) == 0)
            return &g->instances[i];
    }
    return NULL;
}

void esb_remove_member(struct esb_world *w, const char *group, const char *id)
{
    struct sps_aws_asg_group *g = esb_find_group(w, group);
    struct sps_aws_asg_instance *m = esb_find_member(w, group, id);
    if (!m)
        return;
    sps_free(m->instance_id);
    sps_free(m->instance_type);
    sps_free(m->availability_zone);
    sps_free(m->lifecycle_state_raw);
    sps_free(m->health_status);
    size_t at = (size_t)(m - g->instances);
    memmove(m, m + 1, (g->instance_count - at - 1) * sizeof(*m));
    g->instance_count--;
}

void esb_remove_instance(struct esb_world *w, const char *id)
{
    struct sps_aws_ec2_instance *i = esb_find_instance(w, id);
    if (!i)
        return;
    sps_aws_ec2_instance_clean_up(i);
    size_t at = (size_t)(i - w->snap.instances.items);
    memmove(i, i + 1, (w->snap.instances.count - at - 1) * sizeof(*i));
    w->snap.instances.count--;
}

void esb_image(struct esb_world *w, const char *id, const char *arch, const char *virt,
               const char *platform_details, bool ena)
{
    ESB_GROW(w->snap.images);
    struct sps_aws_ec2_image *im = &w->snap.images.items[w->snap.images.count - 1];
    im->image_id = sps_strdup(id);
    im->architecture = sps_strdup(arch);
    im->virtualization_type = sps_strdup(virt);
    im->platform_details = sps_strdup(platform_details);
    im->ena_support = ena;
}

void esb_status(struct esb_world *w, const char *id, const char *instance, const char *system)
{
    ESB_GROW(w->snap.statuses);
    struct sps_aws_ec2_instance_status *st = &w->snap.statuses.items[w->snap.statuses.count - 1];
    st->instance_id = sps_strdup(id);
    st->instance_status = sps_strdup(instance);
    st->system_status = sps_strdup(system);
}

void esb_hook(struct esb_world *w, const char *group, enum sps_aws_asg_transition transition)
{
    for (size_t i = 0; i < w->snap.hook_count; i++) {
        if (strcmp(w->snap.hooks[i].group_name, group) != 0)
            continue;
        struct sps_aws_asg_lifecycle_hooks *h = &w->snap.hooks[i].hooks;
        ESB_GROW(*h);
        h->items[h->count - 1].name = sps_strdup("hook");
        h->items[h->count - 1].transition = transition;
    }
}

void esb_od_member(struct esb_world *w, const char *group, const char *id, const char *type,
                   const char *az)
{
    esb_instance(w, id, type, az, "", "running", ESB_NOW_MS - 86400000);
    esb_member(w, group, id, SPS_AWS_ASG_STATE_IN_SERVICE, "Healthy", false);
}

void esb_spot_member(struct esb_world *w, const char *group, const char *id, const char *type,
                     const char *az)
{
    esb_instance(w, id, type, az, "spot", "running", ESB_NOW_MS - 86400000);
    esb_member(w, group, id, SPS_AWS_ASG_STATE_IN_SERVICE, "Healthy", false);
}

void esb_spot_outside(struct esb_world *w, const char *id, const char *group, const char *x,
                      const char *type, const char *az, int64_t age_s, bool healthy)
{
    esb_instance(w, id, type, az, "spot", "running", ESB_NOW_MS - age_s * 1000);
    esb_tag(w, id, "spotswap:launched-for-asg", group);
    if (x)
        esb_tag(w, id, "spotswap:replaces", x);
    if (healthy)
        esb_status(w, id, "ok", "ok");
}

/* ---- shuffling --------------------------------------------------------------------------------
 */

static unsigned s_next(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

static void s_permute(void *base, size_t n, size_t size, unsigned *seed)
{
    char *b = base;
    char *tmp = sps_malloc(size ? size : 1);
    for (size_t i = n; i > 1; i--) {
        size_t j = s_next(seed) % i;
        memcpy(tmp, b + (i - 1) * size, size);
        memcpy(b + (i - 1) * size, b + j * size, size);
        memcpy(b + j * size, tmp, size);
    }
    sps_free(tmp);
}

void esb_shuffle(struct esb_world *w, unsigned seed)
{
    struct sps_engine_snapshot *s = &w->snap;
    s_permute(s->groups.items, s->groups.count, sizeof(*s->groups.items), &seed);
    for (size_t i = 0; i < s->groups.count; i++)
        s_permute(s->groups.items[i].instances, s->groups.items[i].instance_count,
                  sizeof(*s->groups.items[i].instances), &seed);
    s_permute(s->all_group_names.items, s->all_group_names.count, sizeof(*s->all_group_names.items),
              &seed);
    s_permute(s->instances.items, s->instances.count, sizeof(*s->instances.items), &seed);
    s_permute(s->statuses.items, s->statuses.count, sizeof(*s->statuses.items), &seed);
    s_permute(s->images.items, s->images.count, sizeof(*s->images.items), &seed);
    s_permute(s->sources, s->source_count, sizeof(*s->sources), &seed);
    s_permute(s->hooks, s->hook_count, sizeof(*s->hooks), &seed);
}

/* ---- reading plans ----------------------------------------------------------------------------
 */

size_t esb_count(const struct sps_engine_plan *p, enum sps_engine_action_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < p->action_count; i++)
        n += p->actions[i].kind == kind;
    return n;
}

const struct sps_engine_action *esb_action(const struct sps_engine_plan *p,
                                           enum sps_engine_action_kind kind, const char *id)
{
    for (size_t i = 0; i < p->action_count; i++) {
        const struct sps_engine_action *a = &p->actions[i];
        const char *key = kind == SPS_ENGINE_ATTACH ? a->spot_instance_id : a->instance_id;
        if (a->kind == kind && (!id || (key && strcmp(key, id) == 0)))
            return a;
    }
    return NULL;
}

const struct sps_engine_group_plan *esb_group_plan(const struct sps_engine_plan *p,
                                                   const char *name)
{
    for (size_t i = 0; i < p->group_count; i++) {
        if (strcmp(p->groups[i].name, name) == 0)
            return &p->groups[i];
    }
    return NULL;
}

bool esb_has_note(const struct sps_engine_plan *p, const char *group, const char *id,
                  const char *text)
{
    const struct sps_engine_group_plan *g = esb_group_plan(p, group);
    for (size_t i = 0; g && i < g->note_count; i++) {
        if (strcmp(g->notes[i].instance_id, id) == 0 && strstr(g->notes[i].reason, text))
            return true;
    }
    return false;
}

static void s_price_text(struct sps_buf *b, double v)
{
    if (isnan(v))
        (void)sps_buf_append_str(b, "nan");
    else
        (void)sps_buf_printf(b, "%.6f", v);
}

char *esb_plan_text(const struct sps_engine_plan *p)
{
    struct sps_buf b;
    sps_buf_init(&b, SPS_BUF_DEFAULT_MAX);
    for (size_t i = 0; i < p->action_count; i++) {
        const struct sps_engine_action *a = &p->actions[i];
        (void)sps_buf_printf(
            &b, "%s %s %s %s %s %s [", sps_engine_action_kind_name(a->kind), a->group,
            a->instance_id ? a->instance_id : "-", a->spot_instance_id ? a->spot_instance_id : "-",
            a->availability_zone ? a->availability_zone : "-", a->reason ? a->reason : "-");
        for (size_t k = 0; k < a->candidate_count; k++)
            (void)sps_buf_printf(&b, "%s ", a->candidates[k]);
        (void)sps_buf_append_str(&b, "]\n");
    }
    for (size_t i = 0; i < p->group_count; i++) {
        const struct sps_engine_group_plan *g = &p->groups[i];
        (void)sps_buf_printf(&b, "group %s %s %s %zu %zu %zu %zu ", g->name,
                             sps_engine_group_state_name(g->state), g->reason ? g->reason : "-",
                             g->in_service, g->on_demand, g->spot, g->on_demand_floor);
        s_price_text(&b, g->cost_now_usd_per_hour);
        (void)sps_buf_append_char(&b, ' ');
        s_price_text(&b, g->cost_after_usd_per_hour);
        (void)sps_buf_append_char(&b, '\n');
        for (size_t k = 0; k < g->note_count; k++)
            (void)sps_buf_printf(&b, "  note %s %s\n", g->notes[k].instance_id, g->notes[k].reason);
    }
    return sps_buf_take(&b);
}
