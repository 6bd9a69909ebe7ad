/*
 * `spotswap match TYPE --region R [--az AZ] [--os OS] [--output json] [--explain]`: which
 * instance types could stand in for TYPE as spot, with their size, On-Demand and current spot
 * price and the saving against TYPE's On-Demand price, cheapest first. With --explain, the near
 * misses and the compatibility rule each one failed. It is the matcher and the price sources a
 * run uses, shown to a person deciding whether to tag a group.
 */
#include "sps_compat.h"
#include "sps_engine_cli.h"
#include "sps_engine_session.h"
#include "sps_pricing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct s_args {
    const char *type;
    const char *region;
    const char *az;
    const char *profile;
    const char *output; /* "text" or "json" */
    enum sps_pricing_os os;
    bool explain;
};

static const char s_match_usage[] =
    "usage: spotswap match TYPE [--region R] [--az AZ] [--os linux|windows|rhel|suse]\n"
    "                      [--output text|json] [--explain] [--profile P]\n"
    "  Lists the instance types that can stand in for TYPE as spot instances, cheapest spot\n"
    "  price first, with the saving against TYPE's On-Demand price. Without --az the cheapest\n"
    "  zone of each type is shown. The AMI is assumed to be a current one for TYPE's\n"
    "  architecture (ENA and NVMe capable). --explain adds the near misses and why.\n";

static int s_usage(FILE *err, const char *why)
{
    fprintf(err, "spotswap match: %s\n%s", why, s_match_usage);
    return 2;
}

static int s_parse_args(struct s_args *a, int argc, char **argv, FILE *err)
{
    a->output = "text";
    a->os = SPS_PRICING_LINUX;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const char *os_name = NULL;
        const char **slot = strcmp(arg, "--region") == 0    ? &a->region
                            : strcmp(arg, "--az") == 0      ? &a->az
                            : strcmp(arg, "--profile") == 0 ? &a->profile
                            : strcmp(arg, "--output") == 0  ? &a->output
                            : strcmp(arg, "--os") == 0      ? &os_name
                                                            : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return s_usage(err, "an option is missing its value");
            *slot = argv[++i];
            if (os_name && sps_pricing_os_parse(os_name, &a->os) != SPS_OK)
                return s_usage(err, "--os must be linux, windows, rhel or suse");
        } else if (strcmp(arg, "--explain") == 0) {
            a->explain = true;
        } else if (arg[0] == '-' || a->type != NULL) {
            return s_usage(err, "unexpected argument");
        } else {
            a->type = arg;
        }
    }
    if (a->type == NULL || a->type[0] == '\0')
        return s_usage(err, "an instance type is required");
    if (strcmp(a->output, "text") != 0 && strcmp(a->output, "json") != 0)
        return s_usage(err, "--output must be text or json");
    return 0;
}

/* ---- AWS session: EC2 in the region, the Price List in its own region ---- */

struct s_session {
    struct sps_engine_session base;
    struct sps_aws_client *ec2;
    struct sps_aws_client *price_list;
};

static void s_session_clean_up(struct s_session *s)
{
    sps_aws_client_destroy(s->price_list);
    sps_aws_client_destroy(s->ec2);
    sps_engine_session_clean_up(&s->base);
}

static sps_err s_session_open(struct s_session *s, const struct s_args *a, FILE *err)
{
    struct sps_buf why;
    sps_buf_init(&why, 1024);
    sps_err e = sps_engine_session_open(&s->base, sps_env_process(), a->region, a->profile, 0,
                                        &why);
    if (e == SPS_OK)
        e = sps_engine_session_client(&s->base, SPS_AWS_EC2, NULL, NULL, &s->ec2, &why);
    if (e == SPS_OK)
        e = sps_engine_session_client(&s->base, SPS_AWS_PRICING, SPS_PRICING_PRICE_LIST_REGION,
                                      NULL, &s->price_list, &why);
    if (e != SPS_OK)
        fprintf(err, "spotswap match: %s\n", why.data);
    sps_buf_clean_up(&why);
    return e;
}

/* ---- the answer ---- */

struct s_row {
    const struct sps_compat_type *type;
    bool od_known;
    double od;
    bool spot_known;
    double spot;
    const char *az; /* borrowed from the spot table or the args */
};

struct s_report {
    const struct sps_compat_type *original;
    struct s_row base; /* the original's prices */
    struct s_row *rows;
    size_t count;
    struct sps_compat_result *match;
};

static int s_row_cmp(const void *pa, const void *pb)
{
    const struct s_row *a = pa, *b = pb;
    if (a->spot_known != b->spot_known)
        return a->spot_known ? -1 : 1;
    if (a->spot_known && a->spot != b->spot)
        return a->spot < b->spot ? -1 : 1;
    return strcmp(a->type->name, b->type->name);
}

/* The AMI a user of TYPE most likely boots: TYPE's architecture, HVM when it can, current
 * drivers. */
static struct sps_compat_ami s_assumed_ami(const struct sps_compat_type *t, enum sps_pricing_os os)
{
    struct sps_compat_ami ami = {.platform = os == SPS_PRICING_WINDOWS ? SPS_COMPAT_WINDOWS
                                                                       : SPS_COMPAT_LINUX,
                                 .ena_support = t->ena != SPS_COMPAT_UNSUPPORTED,
                                 .nvme_support = true};
    const uint8_t arch_order[] = {SPS_COMPAT_ARCH_X86_64, SPS_COMPAT_ARCH_ARM64,
                                  SPS_COMPAT_ARCH_I386, SPS_COMPAT_ARCH_X86_64_MAC,
                                  SPS_COMPAT_ARCH_ARM64_MAC};
    for (size_t i = 0; i < sizeof(arch_order) && ami.arch == 0; i++) {
        if (t->arch & arch_order[i])
            ami.arch = arch_order[i];
    }
    ami.virtualization = (t->virtualization & SPS_COMPAT_VIRT_HVM) ? SPS_COMPAT_VIRT_HVM
                                                                   : SPS_COMPAT_VIRT_PARAVIRTUAL;
    return ami;
}

/* On-Demand price, or unknown. A service failure is reported once and turns later lookups into
 * catalog/cache-only ones, so one refused permission does not cost a call per type. */
static void s_on_demand(struct sps_pricing *p, struct sps_pricing *offline, bool *failed,
                        const char *type, const char *region, enum sps_pricing_os os,
                        struct s_row *row, FILE *err)
{
    struct sps_aws_error aws;
    sps_err e =
        sps_pricing_on_demand(*failed ? offline : p, type, region, os, &row->od, NULL, &aws);
    row->od_known = e == SPS_OK;
    if (e == SPS_OK || e == SPS_ERR_PRICING_UNKNOWN || e == SPS_ERR_PRICING_AMBIGUOUS)
        return;
    *failed = true;
    fprintf(err,
            "spotswap match: warning: On-Demand prices from the Price List are unavailable "
            "(%s%s%s); showing catalog prices only\n",
            sps_error_message(e), aws.code[0] ? ": " : "", aws.code);
}

static sps_err s_fetch_spot(struct s_session *s, const struct s_args *a, struct s_report *r,
                            struct sps_pricing_spot_table *table, FILE *err)
{
    const char **names = sps_calloc(r->count + 1, sizeof(*names));
    for (size_t i = 0; i < r->count; i++)
        names[i] = r->rows[i].type->name;
    struct sps_pricing_spot_request req = {names, r->count, a->os, a->az,
                                           sps_clock_system()->wall_ms(NULL)};
    struct sps_aws_error aws;
    sps_err e = r->count ? sps_pricing_spot_fetch(s->ec2, &req, table, &aws) : SPS_OK;
    if (e != SPS_OK)
        fprintf(err, "spotswap match: DescribeSpotPriceHistory in %s failed: %s%s%s\n",
                s->base.region.data, sps_error_message(e), aws.code[0] ? ": " : "", aws.code);
    sps_free(names);
    return e;
}

static void s_spot_of(const struct sps_pricing_spot_table *t, const struct s_args *a,
                      struct s_row *row)
{
    const char *az = a->az;
    row->spot_known =
        (a->az ? sps_pricing_spot_get(t, row->type->name, a->az, &row->spot)
               : sps_pricing_spot_lowest(t, row->type->name, &row->spot, &az)) == SPS_OK;
    row->az = row->spot_known ? az : NULL;
}

/* ---- printing ---- */

static void s_storage_text(char *buf, size_t len, const struct sps_compat_type *t)
{
    if (t->store.count == 0)
        snprintf(buf, len, "EBS only");
    else
        snprintf(buf, len, "%ux%u GB %s%s", (unsigned)t->store.count, (unsigned)t->store.size_gb,
                 t->store.ssd ? "SSD" : "HDD", t->store.nvme ? " NVMe" : "");
}

static void s_price_text(char *buf, size_t len, bool known, double v)
{
    if (known)
        snprintf(buf, len, "%.4f", v);
    else
        snprintf(buf, len, "unknown");
}

static bool s_savings(const struct s_report *r, const struct s_row *row, double *pct)
{
    if (!r->base.od_known || !row->spot_known)
        return false;
    *pct = 100.0 * (r->base.od - row->spot) / r->base.od;
    return true;
}

static void s_print_text_row(FILE *out, const struct s_report *r, const struct s_row *row)
{
    const struct sps_compat_type *t = row->type;
    char storage[48], od[16], spot[16], save[16];
    s_storage_text(storage, sizeof(storage), t);
    s_price_text(od, sizeof(od), row->od_known, row->od);
    s_price_text(spot, sizeof(spot), row->spot_known, row->spot);
    double pct;
    if (s_savings(r, row, &pct))
        snprintf(save, sizeof(save), "%.0f%%", pct);
    else
        snprintf(save, sizeof(save), "unknown");
    fprintf(out, "%-16s %5u %9.1f  %-20s %3u  %9s  %9s  %-14s %7s\n", t->name, (unsigned)t->vcpu,
            t->memory_mib / 1024.0, storage, (unsigned)t->gpus, od, spot, row->az ? row->az : "-",
            save);
}

static void s_print_text(FILE *out, const struct s_args *a, const struct s_report *r)
{
    char od[16];
    s_price_text(od, sizeof(od), r->base.od_known, r->base.od);
    fprintf(out, "%s in %s (%s): %u vCPU, %.1f GiB, On-Demand %s USD/h\n", r->original->name,
            a->region, sps_pricing_os_name(a->os), (unsigned)r->original->vcpu,
            r->original->memory_mib / 1024.0, od);
    fprintf(out, "%-16s %5s %9s  %-20s %3s  %9s  %9s  %-14s %7s\n", "TYPE", "VCPU", "MEM(GiB)",
            "STORAGE", "GPU", "ON-DEMAND", "SPOT", "AZ", "SAVINGS");
    size_t unpriced = 0;
    for (size_t i = 0; i < r->count; i++) {
        if (r->rows[i].spot_known)
            s_print_text_row(out, r, &r->rows[i]);
        else
            unpriced++;
    }
    if (unpriced && !a->explain)
        fprintf(out, "(%zu compatible types have no spot price here; see --explain)\n", unpriced);
    if (!a->explain)
        return;
    fprintf(out, "\nnear misses:\n");
    for (size_t i = 0; i < r->count; i++) {
        if (!r->rows[i].spot_known)
            fprintf(out, "  %-16s no-spot-price  no spot price in %s\n", r->rows[i].type->name,
                    a->az ? a->az : a->region);
    }
    for (size_t i = 0; i < r->match->rejected_count; i++) {
        const struct sps_compat_rejection *x = &r->match->rejected[i];
        if (x->text != NULL)
            fprintf(out, "  %-16s %-14s %s\n", x->type->name, sps_compat_reason_name(x->reason),
                    x->text);
    }
}

static void s_price_json(struct sps_json_writer *w, const char *key, bool known, double v)
{
    sps_json_key(w, key);
    if (known)
        sps_json_number(w, v);
    else
        sps_json_null(w);
}

static void s_type_json(struct sps_json_writer *w, const struct s_report *r,
                        const struct s_row *row)
{
    const struct sps_compat_type *t = row->type;
    double pct = 0;
    bool saving = s_savings(r, row, &pct);
    sps_json_object_begin(w);
    sps_json_key(w, "type");
    sps_json_string(w, t->name);
    sps_json_key(w, "vcpu");
    sps_json_int(w, (int64_t)t->vcpu);
    sps_json_key(w, "memory_mib");
    sps_json_int(w, (int64_t)t->memory_mib);
    sps_json_key(w, "instance_store");
    if (t->store.count == 0) {
        sps_json_null(w);
    } else {
        sps_json_object_begin(w);
        sps_json_key(w, "count");
        sps_json_int(w, (int64_t)t->store.count);
        sps_json_key(w, "size_gb");
        sps_json_int(w, (int64_t)t->store.size_gb);
        sps_json_key(w, "ssd");
        sps_json_bool(w, t->store.ssd);
        sps_json_key(w, "nvme");
        sps_json_bool(w, t->store.nvme);
        sps_json_object_end(w);
    }
    sps_json_key(w, "gpus");
    sps_json_int(w, (int64_t)t->gpus);
    sps_json_key(w, "gpu_memory_mib");
    sps_json_int(w, (int64_t)t->gpu_memory_mib);
    s_price_json(w, "on_demand_usd", row->od_known, row->od);
    s_price_json(w, "spot_usd", row->spot_known, row->spot);
    sps_json_key(w, "az");
    sps_json_string(w, row->az);
    s_price_json(w, "savings_pct", saving, pct);
    sps_json_object_end(w);
}

static void s_miss_json(struct sps_json_writer *w, const char *type, const char *reason,
                        const char *text)
{
    sps_json_object_begin(w);
    sps_json_key(w, "type");
    sps_json_string(w, type);
    sps_json_key(w, "reason");
    sps_json_string(w, reason);
    sps_json_key(w, "text");
    sps_json_string(w, text);
    sps_json_object_end(w);
}

static void s_print_json(FILE *out, const struct s_args *a, const struct s_report *r)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    struct sps_json_writer w;
    sps_json_writer_init(&w, &b);
    sps_json_object_begin(&w);
    sps_json_key(&w, "original");
    s_type_json(&w, r, &r->base);
    sps_json_key(&w, "region");
    sps_json_string(&w, a->region);
    sps_json_key(&w, "az");
    sps_json_string(&w, a->az);
    sps_json_key(&w, "os");
    sps_json_string(&w, sps_pricing_os_name(a->os));
    sps_json_key(&w, "candidates");
    sps_json_array_begin(&w);
    for (size_t i = 0; i < r->count; i++) {
        if (r->rows[i].spot_known)
            s_type_json(&w, r, &r->rows[i]);
    }
    sps_json_array_end(&w);
    if (a->explain) {
        sps_json_key(&w, "near_misses");
        sps_json_array_begin(&w);
        for (size_t i = 0; i < r->count; i++) {
            if (!r->rows[i].spot_known)
                s_miss_json(&w, r->rows[i].type->name, "no-spot-price", "no spot price");
        }
        for (size_t i = 0; i < r->match->rejected_count; i++) {
            const struct sps_compat_rejection *x = &r->match->rejected[i];
            if (x->text != NULL)
                s_miss_json(&w, x->type->name, sps_compat_reason_name(x->reason), x->text);
        }
        sps_json_array_end(&w);
    }
    sps_json_object_end(&w);
    if (sps_json_writer_finish(&w) == SPS_OK)
        fprintf(out, "%s\n", b.data);
    sps_buf_clean_up(&b);
}

/* A rejected type is a near miss when it is sized like the original (within half to twice its
 * vCPU and memory): what a person would have expected in the list. */
static void s_keep_near_misses(struct sps_compat_result *m, const struct sps_compat_type *o)
{
    for (size_t i = 0; i < m->rejected_count; i++) {
        const struct sps_compat_type *t = m->rejected[i].type;
        bool near = t->vcpu * 2 >= o->vcpu && t->vcpu <= o->vcpu * 2 &&
                    t->memory_mib * 2 >= o->memory_mib && t->memory_mib <= o->memory_mib * 2;
        if (!near) {
            sps_free(m->rejected[i].text);
            m->rejected[i].text = NULL;
        }
    }
}

/* ---- the command ---- */

static int s_run(const struct s_args *a, struct s_session *s, struct sps_compat_catalog *cat,
                 FILE *out, FILE *err)
{
    int rc = 1;
    struct s_report r = {0};
    struct sps_pricing *pricing = NULL, *offline = NULL;
    struct sps_pricing_spot_table *spot = sps_pricing_spot_table_new(a->os);
    struct sps_buf any_az;
    sps_buf_init(&any_az, 128);
    /* Without --az no zone is chosen; zone offerings are not loaded either, so the matcher
     * checks region-level offerings and "*" reads as "any zone" in its messages. */
    (void)sps_buf_printf(&any_az, "%s*", a->region);
    struct sps_compat_instance inst = {
        .type = a->type, .az = a->az ? a->az : any_az.data, .region = a->region};
    if (sps_compat_catalog_find(cat, a->type, &r.original) != SPS_OK) {
        fprintf(err, "spotswap match: unknown instance type '%s'\n", a->type);
        goto cleanup;
    }
    size_t rlen = strlen(a->region);
    if (a->az && (strncmp(a->az, a->region, rlen) != 0 || a->az[rlen] == '\0')) {
        fprintf(err, "spotswap match: --az %s is not a zone of %s\n", a->az, a->region);
        rc = 2;
        goto cleanup;
    }
    inst.ebs_optimized = r.original->ebs_optimized == SPS_COMPAT_EBS_OPT_DEFAULT;
    inst.ami = s_assumed_ami(r.original, a->os);
    sps_err e = sps_compat_match(cat, &inst, NULL, a->explain, &r.match);
    if (e != SPS_OK) {
        fprintf(err, "spotswap match: %s\n", sps_error_message(e));
        goto cleanup;
    }
    if (a->explain)
        s_keep_near_misses(r.match, r.original);
    r.count = r.match->count;
    r.rows = sps_calloc(r.count + 1, sizeof(*r.rows));
    for (size_t i = 0; i < r.count; i++)
        r.rows[i].type = r.match->candidates[i].type;
    if (s_fetch_spot(s, a, &r, spot, err) != SPS_OK)
        goto cleanup;
    struct sps_pricing_options po = {
        .price_list = s->price_list, .catalog = sps_pricing_compat_catalog, .catalog_ctx = cat};
    struct sps_pricing_options offline_o = {.catalog = sps_pricing_compat_catalog,
                                            .catalog_ctx = cat};
    if (sps_pricing_new(&pricing, &po) != SPS_OK || sps_pricing_new(&offline, &offline_o) != SPS_OK)
        goto cleanup;
    bool failed = false;
    /* Outside the catalog's regions (or for another OS) many types need the Price List: one
     * region-wide walk instead of a call per type. */
    double probe;
    if (a->os != SPS_PRICING_LINUX ||
        sps_pricing_compat_catalog(cat, r.original->name, a->region, &probe) != SPS_OK) {
        struct sps_aws_error aws;
        e = sps_pricing_on_demand_prefetch(pricing, a->region, a->os, &aws);
        if (e != SPS_OK) {
            failed = true;
            fprintf(err,
                    "spotswap match: warning: On-Demand prices from the Price List are "
                    "unavailable (%s%s%s); showing catalog prices only\n",
                    sps_error_message(e), aws.code[0] ? ": " : "", aws.code);
        }
    }
    r.base.type = r.original;
    s_on_demand(pricing, offline, &failed, r.original->name, a->region, a->os, &r.base, err);
    s_spot_of(spot, a, &r.base);
    for (size_t i = 0; i < r.count; i++) {
        s_on_demand(pricing, offline, &failed, r.rows[i].type->name, a->region, a->os, &r.rows[i],
                    err);
        s_spot_of(spot, a, &r.rows[i]);
    }
    qsort(r.rows, r.count, sizeof(*r.rows), s_row_cmp);
    if (strcmp(a->output, "json") == 0)
        s_print_json(out, a, &r);
    else
        s_print_text(out, a, &r);
    rc = 0;
cleanup:
    sps_pricing_destroy(offline);
    sps_pricing_destroy(pricing);
    sps_pricing_spot_table_destroy(spot);
    sps_free(r.rows);
    sps_compat_result_destroy(r.match);
    sps_buf_clean_up(&any_az);
    return rc;
}

int sps_engine_cli_match(int argc, char **argv, FILE *out, FILE *err)
{
    struct s_args a = {0};
    int rc = s_parse_args(&a, argc, argv, err);
    if (rc != 0)
        return rc;
    struct s_session s = {0};
    struct sps_compat_catalog *cat = sps_compat_catalog_new();
    const struct sps_compat_type *known = NULL;
    rc = 1;
    if (sps_compat_catalog_find(cat, a.type, &known) != SPS_OK)
        fprintf(err, "spotswap match: unknown instance type '%s'\n", a.type);
    else if (s_session_open(&s, &a, err) == SPS_OK) {
        a.region = s.base.region.data;
        rc = s_run(&a, &s, cat, out, err);
    }
    sps_compat_catalog_destroy(cat);
    s_session_clean_up(&s);
    return rc;
}
