/*
 * One pass: targets (accounts x regions), clients, scan, prices, plan, execute, report.
 *
 * Spot prices are fetched only for the types the plan will look at. The planner is pure and
 * cheap, so the pass plans each region twice: first with a price book that records every spot
 * price it is asked for (and knows none), then, once exactly those prices are fetched in one
 * batched call per region and OS, for real. The On-Demand prices of the instances the scan found
 * are fetched before that, concurrently, so the planner's price lookups answer from memory.
 */
#include "sps_engine_pass.h"
#include "sps_engine_refresh.h"

#include <math.h>
#include <string.h>

/* ---- prices ------------------------------------------------------------------------------- */

struct s_region_prices {
    struct sps_engine_pass *pass;
    const char *region;
    bool probing;
    struct sps_aws_strings wanted[SPS_PRICING_OS_COUNT_]; /* spot types asked for, by OS */
    struct sps_pricing_spot_table *spot[SPS_PRICING_OS_COUNT_];
};

static bool s_os(const char *platform, enum sps_pricing_os *os)
{
    return sps_pricing_os_from_platform(platform && platform[0] ? platform : "Linux/UNIX", os) ==
           SPS_OK;
}

static bool s_on_demand(void *ctx, const char *type, const char *region, const char *platform,
                        double *usd)
{
    struct s_region_prices *p = ctx;
    enum sps_pricing_os os;
    return s_os(platform, &os) &&
           sps_pricing_on_demand(p->pass->pricing, type, region, os, usd, NULL, NULL) == SPS_OK;
}

/* Adds `type` to `wanted`, kept sorted and without duplicates. The probe asks once per
 * candidate of every planned launch (over a million times for 6,000 instances), so a linear
 * search here was most of a large pass's CPU time. */
static void s_want(struct sps_aws_strings *wanted, const char *type)
{
    size_t lo = 0, hi = wanted->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(wanted->items[mid], type);
        if (cmp == 0)
            return;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    sps_aws_strings_add(wanted, type);
    char *added = wanted->items[wanted->count - 1];
    memmove(&wanted->items[lo + 1], &wanted->items[lo],
            (wanted->count - 1 - lo) * sizeof(wanted->items[0]));
    wanted->items[lo] = added;
}

static bool s_spot(void *ctx, const char *type, const char *az, const char *platform,
                   double *usd)
{
    struct s_region_prices *p = ctx;
    enum sps_pricing_os os;
    if (!s_os(platform, &os))
        return false;
    if (p->probing) {
        s_want(&p->wanted[os], type);
        return false;
    }
    return p->spot[os] && sps_pricing_spot_get(p->spot[os], type, az, usd) == SPS_OK;
}

static void s_region_prices_clean_up(struct s_region_prices *p)
{
    for (int os = 0; os < SPS_PRICING_OS_COUNT_; os++) {
        sps_aws_strings_clean_up(&p->wanted[os]);
        sps_pricing_spot_table_destroy(p->spot[os]);
    }
}

/* Fetches, before planning, the On-Demand price of every (type, region, OS) of an on-demand
 * instance the scanned regions hold, all concurrently: the planner's price callback then
 * answers from memory instead of making one GetProducts call after another. Only a hint: a
 * price this misses or fails to get is looked up by the callback as before, with the same
 * outcome. */
static void s_prefetch_on_demand(struct sps_engine_pass *pass)
{
    struct sps_aws_strings *wanted = sps_calloc(pass->region_count + 1, sizeof(*wanted));
    size_t total = 0;
    struct sps_buf k;
    sps_buf_init(&k, 256);
    for (size_t r = 0; r < pass->region_count; r++) {
        const struct sps_engine_snapshot *snap = &pass->regions[r].job.snapshot;
        if (pass->regions[r].error != SPS_OK)
            continue;
        for (size_t i = 0; i < snap->instances.count; i++) {
            const struct sps_aws_ec2_instance *x = &snap->instances.items[i];
            if ((x->lifecycle && x->lifecycle[0]) || !x->instance_type || !x->instance_type[0])
                continue;
            const struct sps_aws_ec2_image *image =
                x->image_id ? sps_engine_snapshot_image(snap, x->image_id) : NULL;
            enum sps_pricing_os os;
            if (!s_os(sps_engine_instance_platform(x, image), &os))
                continue;
            /* "<os>|<type>": the type is what follows the bar. */
            sps_buf_reset(&k);
            if (sps_buf_printf(&k, "%d|%s", (int)os, x->instance_type) != SPS_OK)
                continue;
            size_t before = wanted[r].count;
            s_want(&wanted[r], k.data);
            total += wanted[r].count - before;
        }
    }
    sps_buf_clean_up(&k);
    struct sps_pricing_od_key *keys = sps_calloc(total + 1, sizeof(*keys));
    size_t n = 0;
    for (size_t r = 0; r < pass->region_count; r++) {
        for (size_t i = 0; i < wanted[r].count; i++) {
            const char *w = wanted[r].items[i];
            const char *bar = strchr(w, '|');
            keys[n++] = (struct sps_pricing_od_key){.instance_type = bar + 1,
                                                    .region = pass->regions[r].region,
                                                    .os = (enum sps_pricing_os)(w[0] - '0')};
        }
    }
    /* Failures are left to the planner's lookups, which report them as they always did. */
    if (n > 0 && sps_pricing_on_demand_prefetch_many(pass->pricing, keys, n, NULL) != SPS_OK)
        sps_log(SPS_LOG_DEBUG, "on-demand prefetch: some prices not fetched", NULL);
    sps_free(keys);
    for (size_t r = 0; r < pass->region_count; r++)
        sps_aws_strings_clean_up(&wanted[r]);
    sps_free(wanted);
}

/* Fetches, for every region and OS, the spot prices its probe asked for: one batched call per
 * (region, OS), all concurrently. A region whose fetch fails keeps the error and is not planned. */
static void s_fetch_spot(struct sps_engine_pass *pass, struct s_region_prices *prices,
                         int64_t now_ms)
{
    size_t n = pass->region_count * SPS_PRICING_OS_COUNT_, used = 0;
    struct sps_aws_client **clients = sps_calloc(n ? n : 1, sizeof(*clients));
    struct sps_pricing_spot_request *reqs = sps_calloc(n ? n : 1, sizeof(*reqs));
    struct sps_pricing_spot_table **tables = sps_calloc(n ? n : 1, sizeof(*tables));
    struct sps_aws_error *errs = sps_calloc(n ? n : 1, sizeof(*errs));
    sps_err *results = sps_calloc(n ? n : 1, sizeof(*results));
    size_t *owner = sps_calloc(n ? n : 1, sizeof(*owner));
    for (size_t r = 0; r < pass->region_count; r++) {
        for (int os = 0; os < SPS_PRICING_OS_COUNT_; os++) {
            struct s_region_prices *p = &prices[r];
            if (p->wanted[os].count == 0 || pass->regions[r].error != SPS_OK)
                continue;
            p->spot[os] = sps_pricing_spot_table_new((enum sps_pricing_os)os);
            clients[used] = pass->regions[r].ec2;
            reqs[used] = (struct sps_pricing_spot_request){
                .instance_types = (const char *const *)p->wanted[os].items,
                .type_count = p->wanted[os].count,
                .os = (enum sps_pricing_os)os,
                .now_ms = now_ms};
            tables[used] = p->spot[os];
            owner[used++] = r;
        }
    }
    /* Any failure counts, with or without an AWS error code: a timeout or a malformed page
     * leaves the table as incomplete as a throttled call does. */
    if (used && sps_pricing_spot_fetch_many(clients, reqs, tables, used, results, errs) != SPS_OK) {
        for (size_t i = 0; i < used; i++) {
            struct sps_engine_pass_region *pr = &pass->regions[owner[i]];
            if (results[i] != SPS_OK && pr->error == SPS_OK) {
                pr->error = results[i];
                pr->aws_error = errs[i];
            }
        }
    }
    sps_free(results);
    sps_free(owner);
    sps_free(errs);
    sps_free(tables);
    sps_free(reqs);
    sps_free(clients);
}

/* ---- policy ------------------------------------------------------------------------------- */

static enum sps_compat_burstable s_burstable(enum sps_engine_burstable b)
{
    switch (b) {
    case SPS_ENGINE_BURSTABLE_NEVER:
        return SPS_COMPAT_BURSTABLE_NEVER;
    case SPS_ENGINE_BURSTABLE_ALWAYS:
        return SPS_COMPAT_BURSTABLE_ALWAYS;
    default:
        return SPS_COMPAT_BURSTABLE_LIKE_ORIGINAL;
    }
}

/* The planner's policy for a group: the configuration refined by the group's tags. The glob
 * lists point into a per-pass store so they outlive the callback. */
struct s_policy_ctx {
    const struct sps_engine_config *cfg;
    struct sps_engine_group_policy *resolved; /* one per group asked, freed with the pass */
    size_t count;
    size_t cap;
};

static sps_err s_policy(void *ctx, const struct sps_aws_asg_group *group,
                        struct sps_engine_policy *out, struct sps_buf *why)
{
    struct s_policy_ctx *pc = ctx;
    if (pc->count == pc->cap) {
        pc->cap = pc->cap ? pc->cap * 2 : 16;
        pc->resolved = sps_realloc(pc->resolved, pc->cap * sizeof(pc->resolved[0]));
    }
    struct sps_engine_group_policy *gp = &pc->resolved[pc->count++];
    sps_engine_group_policy_init(gp);
    SPS_TRY(sps_engine_group_policy_resolve(pc->cfg, group->name, &group->tags, gp, why));
    const struct sps_engine_config *cfg = pc->cfg;
    *out = (struct sps_engine_policy){
        .enabled = gp->enabled,
        .report_only = gp->report_only,
        .min_on_demand_number = gp->min_on_demand_number,
        .min_on_demand_percentage = gp->min_on_demand_percentage,
        /* The documented rule (docs/configuration.md), decided here rather than by the
         * planner's own fallback, so `auto` means the same everywhere. */
        .max_replacements_per_run =
            sps_engine_limit_for_group(gp->max_replacements_per_run, group->desired_capacity),
        .diversification_fraction = cfg->diversification_fraction,
        .constraints = {.allowed = (const char *const *)gp->allowed_instance_types.items,
                        .allowed_count = gp->allowed_instance_types.count,
                        .disallowed = (const char *const *)gp->disallowed_instance_types.items,
                        .disallowed_count = gp->disallowed_instance_types.count,
                        .burstable = s_burstable(cfg->allow_burstable),
                        .allow_bare_metal = cfg->allow_bare_metal,
                        .ceiling = cfg->size_ceiling},
        .orphan_grace_periods = cfg->orphan_grace_periods,
    };
    return SPS_OK;
}

static void s_policy_clean_up(struct s_policy_ctx *pc)
{
    for (size_t i = 0; i < pc->count; i++)
        sps_engine_group_policy_clean_up(&pc->resolved[i]);
    sps_free(pc->resolved);
}

/* ---- targets ------------------------------------------------------------------------------ */

static void s_add_region(struct sps_engine_pass *pass, const char *account_id, const char *region)
{
    pass->regions = sps_realloc(pass->regions, (pass->region_count + 1) * sizeof(*pass->regions));
    struct sps_engine_pass_region *r = &pass->regions[pass->region_count++];
    memset(r, 0, sizeof(*r));
    r->account_id = sps_strdup(account_id);
    r->region = sps_strdup(region);
    sps_engine_plan_init(&r->plan);
    sps_engine_exec_report_init(&r->exec);
    sps_engine_snapshot_init(&r->job.snapshot);
}

/* The account id of a role ARN (arn:aws:iam::123456789012:role/x), or "" when malformed. */
static void s_account_of(const char *arn, char out[16])
{
    struct sps_cursor rest = sps_cursor_from_str(arn), field;
    out[0] = '\0';
    for (int i = 0; i < 5 && sps_cursor_split(&rest, ':', &field); i++) {
        if (i == 4 && field.len < 16) {
            memcpy(out, field.ptr, field.len);
            out[field.len] = '\0';
        }
    }
}

static sps_err s_regions_for(struct sps_engine_pass *pass, const struct sps_engine_pass_options *o,
                             struct sps_aws_credentials_provider *creds, const char *account,
                             struct sps_buf *why)
{
    const struct sps_engine_config *cfg = o->cfg;
    if (cfg->regions.count > 0) {
        for (size_t i = 0; i < cfg->regions.count; i++)
            s_add_region(pass, account, cfg->regions.items[i]);
        return SPS_OK;
    }
    struct sps_aws_client *ec2 = NULL;
    SPS_TRY(sps_engine_session_client(o->session, SPS_AWS_EC2, NULL, creds, &ec2, why));
    struct sps_aws_strings regions;
    struct sps_aws_error aws_err;
    sps_err err = sps_engine_list_regions(ec2, &regions, &aws_err);
    if (err == SPS_OK) {
        for (size_t i = 0; i < regions.count; i++)
            s_add_region(pass, account, regions.items[i]);
        sps_aws_strings_clean_up(&regions);
    } else {
        sps_buf_printf(why, "DescribeRegions%s%s failed: %s%s%s", account[0] ? " in account " : "",
                       account, sps_error_message(err), aws_err.code[0] ? ": " : "",
                       aws_err.code);
    }
    sps_aws_client_destroy(ec2);
    return err;
}

static sps_err s_targets(struct sps_engine_pass *pass, const struct sps_engine_pass_options *o,
                         struct sps_buf *why)
{
    const struct sps_engine_config *cfg = o->cfg;
    SPS_TRY(s_regions_for(pass, o, NULL, "", why));
    if (cfg->accounts.count == 0)
        return SPS_OK;
    pass->accounts = sps_calloc(cfg->accounts.count, sizeof(*pass->accounts));
    for (size_t a = 0; a < cfg->accounts.count; a++) {
        struct sps_aws_assume_role_options ar = {
            .source = o->session->credentials,
            .role_arn = cfg->accounts.items[a],
            .external_id = cfg->external_id && cfg->external_id[0] ? cfg->external_id : NULL,
            .session_name = cfg->role_session_name,
            .region = o->session->region.data,
            .env = o->session->env,
            .clock = o->clock,
            .transport = o->session->transport};
        sps_err err = sps_aws_credentials_provider_new_assume_role(&pass->accounts[a], &ar);
        if (err != SPS_OK) {
            sps_buf_printf(why, "account role %s: %s", cfg->accounts.items[a],
                           sps_error_message(err));
            return err;
        }
        pass->account_count = a + 1;
        char account[16];
        s_account_of(cfg->accounts.items[a], account);
        SPS_TRY(s_regions_for(pass, o, pass->accounts[a], account, why));
    }
    return SPS_OK;
}

/* The credentials of a region's account: the session's for "", else the assumed role's. */
static struct sps_aws_credentials_provider *s_credentials_for(const struct sps_engine_pass *pass,
                                                             const struct sps_engine_config *cfg,
                                                             const char *account)
{
    for (size_t a = 0; account[0] && a < pass->account_count; a++) {
        char id[16];
        s_account_of(cfg->accounts.items[a], id);
        if (strcmp(id, account) == 0)
            return pass->accounts[a];
    }
    return NULL;
}

static sps_err s_clients(struct sps_engine_pass *pass, const struct sps_engine_pass_options *o,
                         struct sps_buf *why)
{
    for (size_t i = 0; i < pass->region_count; i++) {
        struct sps_engine_pass_region *r = &pass->regions[i];
        struct sps_aws_credentials_provider *creds = s_credentials_for(pass, o->cfg,
                                                                       r->account_id);
        SPS_TRY(sps_engine_session_client(o->session, SPS_AWS_EC2, r->region, creds, &r->ec2,
                                          why));
        SPS_TRY(sps_engine_session_client(o->session, SPS_AWS_AUTOSCALING, r->region, creds,
                                          &r->autoscaling, why));
        r->job.ec2 = r->ec2;
        r->job.autoscaling = r->autoscaling;
        r->job.account_id = r->account_id;
    }
    SPS_TRY(sps_engine_session_client(o->session, SPS_AWS_PRICING, SPS_PRICING_PRICE_LIST_REGION,
                                      NULL, &pass->price_list, why));
    return SPS_OK;
}

/* ---- the pass ----------------------------------------------------------------------------- */

static void s_scan(struct sps_engine_pass *pass, const struct sps_engine_config *cfg)
{
    struct sps_engine_scan_job *jobs = sps_calloc(pass->region_count, sizeof(*jobs));
    for (size_t i = 0; i < pass->region_count; i++) {
        jobs[i] = pass->regions[i].job;
        sps_engine_snapshot_init(&jobs[i].snapshot);
    }
    struct sps_engine_selection sel = {sps_engine_config_selects_group, (void *)cfg};
    if (sps_engine_scan_regions(jobs, pass->region_count, &sel, pass->started_ms,
                                (size_t)cfg->concurrency * 4) != SPS_OK) {
        for (size_t i = 0; i < pass->region_count; i++)
            jobs[i].result = SPS_ERR_INVALID_ARGUMENT;
    }
    for (size_t i = 0; i < pass->region_count; i++) {
        struct sps_engine_pass_region *r = &pass->regions[i];
        sps_engine_snapshot_clean_up(&r->job.snapshot);
        r->job = jobs[i];
        if (jobs[i].result != SPS_OK) {
            r->error = jobs[i].result;
            r->aws_error = jobs[i].aws_error;
        }
        /* Ages (grace periods, stuck launches) are measured in AWS's time, not the host's. */
        int64_t server_ms;
        if (sps_aws_client_server_time(r->autoscaling, &server_ms))
            r->job.snapshot.now_ms = server_ms;
    }
    sps_free(jobs);
}

/* Live instance type data for the regions that scanned (engine/refresh.c); its failures only
 * log: the embedded catalog stands in. */
static void s_refresh_catalog(struct sps_engine_pass *pass, const struct sps_engine_config *cfg)
{
    struct sps_engine_refresh_region *live = sps_calloc(pass->region_count + 1, sizeof(*live));
    size_t n = 0;
    for (size_t i = 0; i < pass->region_count; i++)
        if (pass->regions[i].error == SPS_OK)
            live[n++] = (struct sps_engine_refresh_region){.ec2 = pass->regions[i].ec2,
                                                           .snapshot =
                                                               &pass->regions[i].job.snapshot};
    if (sps_engine_refresh_catalog(pass->catalog, live, n, (size_t)cfg->concurrency * 4) != SPS_OK)
        sps_log(SPS_LOG_WARN, "catalog refresh skipped", NULL);
    sps_free(live);
}

static void s_plan(struct sps_engine_pass *pass, struct s_region_prices *prices,
                   struct s_policy_ctx *policy, bool probing)
{
    for (size_t i = 0; i < pass->region_count; i++) {
        struct sps_engine_pass_region *r = &pass->regions[i];
        if (r->error != SPS_OK)
            continue;
        prices[i].probing = probing;
        struct sps_engine_prices book = {s_on_demand, s_spot, NULL, &prices[i]};
        struct sps_engine_plan_inputs in = {pass->catalog, &book, s_policy, policy};
        sps_engine_plan_clean_up(&r->plan);
        sps_engine_plan_init(&r->plan);
        sps_err err = sps_engine_plan_build(&r->job.snapshot, &in, &r->plan);
        r->planned = err == SPS_OK && !probing;
        if (err != SPS_OK)
            r->error = err;
    }
}

static sps_err s_execute(struct sps_engine_pass *pass, const struct sps_engine_pass_options *o,
                         const struct sps_clock *clock)
{
    sps_err first = SPS_OK;
    for (size_t i = 0; i < pass->region_count; i++) {
        struct sps_engine_pass_region *r = &pass->regions[i];
        if (!r->planned || r->plan.action_count == 0)
            continue;
        struct sps_launch_context launch = {.ec2 = r->ec2,
                                            .autoscaling = r->autoscaling,
                                            .clock = clock,
                                            .rand = sps_rand_system(),
                                            .markets = pass->markets};
        struct sps_engine_exec_options eo = {.launch = &launch,
                                             .retire_wait_ms = o->retire_wait_ms};
        sps_err err = sps_engine_execute(&r->plan, &r->job.snapshot, &eo, &r->exec);
        r->executed = true;
        if (err != SPS_OK && first == SPS_OK)
            first = err;
    }
    return first;
}

static sps_err s_prepare(struct sps_engine_pass *pass, const struct sps_engine_pass_options *o,
                         const struct sps_clock *clock, struct sps_buf *why)
{
    const struct sps_engine_config *cfg = o->cfg;
    pass->catalog = sps_compat_catalog_new();
    pass->markets = sps_launch_markets_new(cfg->empty_market_ttl_seconds * 1000);
    SPS_TRY(s_targets(pass, o, why));
    SPS_TRY(s_clients(pass, o, why));
    struct sps_buf cache_path;
    sps_buf_init(&cache_path, 4096);
    if (cfg->pricing_cache_dir && cfg->pricing_cache_dir[0])
        sps_buf_printf(&cache_path, "%s/pricing-cache.json", cfg->pricing_cache_dir);
    struct sps_pricing_options po = {.price_list = pass->price_list,
                                     .catalog = sps_pricing_compat_catalog,
                                     .catalog_ctx = pass->catalog,
                                     .cache_path = cache_path.len ? cache_path.data : NULL,
                                     .on_demand_ttl_ms = cfg->pricing_cache_ttl_seconds * 1000,
                                     .clock = clock};
    sps_err err = sps_pricing_new(&pass->pricing, &po);
    if (err != SPS_OK)
        sps_buf_printf(why, "pricing: %s", sps_error_message(err));
    sps_buf_clean_up(&cache_path);
    return err;
}

sps_err sps_engine_pass_run(struct sps_engine_pass *pass, const struct sps_engine_pass_options *o,
                            struct sps_buf *why)
{
    memset(pass, 0, sizeof(*pass));
    if (o == NULL || o->cfg == NULL || o->session == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    const struct sps_clock *clock = o->clock ? o->clock : sps_clock_system();
    pass->started_ms = clock->wall_ms(clock->ctx);
    pass->report_only = o->cfg->report_only;
    SPS_TRY(s_prepare(pass, o, clock, why));
    s_scan(pass, o->cfg);
    s_refresh_catalog(pass, o->cfg);
    struct s_region_prices *prices = sps_calloc(pass->region_count + 1, sizeof(*prices));
    struct s_policy_ctx policy = {.cfg = o->cfg};
    for (size_t i = 0; i < pass->region_count; i++)
        prices[i] = (struct s_region_prices){.pass = pass, .region = pass->regions[i].region};
    s_prefetch_on_demand(pass);
    s_plan(pass, prices, &policy, true);
    s_fetch_spot(pass, prices, pass->started_ms);
    s_plan(pass, prices, &policy, false);
    sps_err err = pass->report_only ? SPS_OK : s_execute(pass, o, clock);
    for (size_t i = 0; i < pass->region_count; i++) {
        s_region_prices_clean_up(&prices[i]);
        if (err == SPS_OK && pass->regions[i].error != SPS_OK)
            err = pass->regions[i].error;
    }
    sps_free(prices);
    s_policy_clean_up(&policy);
    return err;
}

void sps_engine_pass_clean_up(struct sps_engine_pass *pass)
{
    if (pass == NULL)
        return;
    for (size_t i = 0; i < pass->region_count; i++) {
        struct sps_engine_pass_region *r = &pass->regions[i];
        sps_engine_exec_report_clean_up(&r->exec);
        sps_engine_plan_clean_up(&r->plan);
        sps_engine_snapshot_clean_up(&r->job.snapshot);
        sps_aws_client_destroy(r->ec2);
        sps_aws_client_destroy(r->autoscaling);
        sps_free(r->account_id);
        sps_free(r->region);
    }
    sps_free(pass->regions);
    for (size_t a = 0; a < pass->account_count; a++)
        sps_aws_credentials_provider_destroy(pass->accounts[a]);
    sps_free(pass->accounts);
    sps_pricing_destroy(pass->pricing);
    sps_aws_client_destroy(pass->price_list);
    sps_launch_markets_destroy(pass->markets);
    sps_compat_catalog_destroy(pass->catalog);
    memset(pass, 0, sizeof(*pass));
}

sps_err sps_engine_pass_report(const struct sps_engine_pass *pass, enum sps_engine_output format,
                               struct sps_buf *out)
{
    struct sps_engine_region_result *rr =
        sps_calloc(pass->region_count ? pass->region_count : 1, sizeof(*rr));
    for (size_t i = 0; i < pass->region_count; i++) {
        const struct sps_engine_pass_region *r = &pass->regions[i];
        rr[i] = (struct sps_engine_region_result){
            .account_id = r->account_id,
            .region = r->region,
            .snapshot = r->planned ? &r->job.snapshot : NULL,
            .plan = r->planned ? &r->plan : NULL,
            .exec = r->executed ? &r->exec : NULL,
            .error = r->error,
            .aws_error = &r->aws_error};
    }
    struct sps_engine_report_input in = {rr, pass->region_count, pass->report_only,
                                         pass->started_ms};
    sps_err err = format == SPS_ENGINE_OUTPUT_JSON ? sps_engine_report_json(out, &in)
                                                   : sps_engine_report_text(out, &in);
    sps_free(rr);
    return err;
}
