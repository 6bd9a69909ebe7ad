/*
 * The matcher: which catalog types can stand in for a running instance. Pure: it reads the
 * catalog and its arguments and returns a result; the rules, in the order they are checked, and
 * why each exists are in docs/compatibility.md. Only the first failed rule is reported.
 */
#include "compat_catalog.h"
#include "sps_alloc.h"
#include "sps_buf.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct s_ctx {
    const struct sps_compat_catalog *catalog;
    const struct sps_compat_instance *inst;
    const struct sps_compat_constraints *cons;
    const struct sps_compat_type *orig;
    const struct sps_compat_zone *zone; /* NULL: use region-level data */
    int region;                         /* index in the region table, -1 when not in it */
    bool orig_ebs_optimized;
    bool orig_uses_ena;
};

#define S_WHY(why, ...)                                                                            \
    do {                                                                                           \
        if (why)                                                                                   \
            sps_buf_printf((why), __VA_ARGS__);                                                    \
    } while (0)

static const char *const s_reason_names[SPS_COMPAT_R_COUNT_] = {
    [SPS_COMPAT_R_NONE] = "none",
    [SPS_COMPAT_R_NO_SPOT] = "no-spot",
    [SPS_COMPAT_R_ARCH] = "arch",
    [SPS_COMPAT_R_VIRTUALIZATION] = "virtualization",
    [SPS_COMPAT_R_ENA] = "ena",
    [SPS_COMPAT_R_NVME] = "nvme",
    [SPS_COMPAT_R_NOT_OFFERED] = "not-offered",
    [SPS_COMPAT_R_NOT_ALLOWED] = "not-allowed",
    [SPS_COMPAT_R_DISALLOWED] = "disallowed",
    [SPS_COMPAT_R_BARE_METAL] = "bare-metal",
    [SPS_COMPAT_R_BURSTABLE] = "burstable",
    [SPS_COMPAT_R_GPU] = "gpu",
    [SPS_COMPAT_R_ACCELERATOR] = "accelerator",
    [SPS_COMPAT_R_VCPU] = "vcpu",
    [SPS_COMPAT_R_MEMORY] = "memory",
    [SPS_COMPAT_R_CEILING] = "ceiling",
    [SPS_COMPAT_R_INSTANCE_STORE] = "instance-store",
    [SPS_COMPAT_R_EBS_OPTIMIZED] = "ebs-optimized",
    [SPS_COMPAT_R_NETWORK] = "network",
    [SPS_COMPAT_R_NO_PRICE] = "no-price",
    [SPS_COMPAT_R_NOT_CHEAPER] = "not-cheaper",
};

const char *sps_compat_reason_name(enum sps_compat_reason reason)
{
    return (unsigned)reason < SPS_COMPAT_R_COUNT_ ? s_reason_names[reason] : "unknown";
}

/* "i386/x86_64" into a small caller buffer. */
static const char *s_arch_text(uint8_t bits, char *out, size_t size)
{
    static const char *const names[] = {"i386", "x86_64", "arm64", "x86_64_mac", "arm64_mac"};
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < 5; i++) {
        if (bits & (1u << i)) {
            int n = snprintf(out + len, size - len, "%s%s", len ? "/" : "", names[i]);
            len += (n > 0 && (size_t)n < size - len) ? (size_t)n : 0;
        }
    }
    return out;
}

static const char *s_virt_text(uint8_t bits)
{
    switch (bits) {
    case SPS_COMPAT_VIRT_HVM:
        return "hvm";
    case SPS_COMPAT_VIRT_PARAVIRTUAL:
        return "paravirtual";
    default:
        return "hvm/paravirtual";
    }
}

static enum sps_compat_reason s_check_arch(const struct s_ctx *x, const struct sps_compat_type *c,
                                           struct sps_buf *why)
{
    char a[64], b[64];
    uint8_t ami = x->inst->ami.arch;
    if (!(c->arch & ami)) {
        S_WHY(why, "arch %s not supported by the AMI (%s)", s_arch_text(c->arch, a, sizeof(a)),
              s_arch_text(ami, b, sizeof(b)));
        return SPS_COMPAT_R_ARCH;
    }
    if (!(x->orig->arch & ami)) {
        S_WHY(why, "the AMI's arch %s does not run on the original %s (%s)",
              s_arch_text(ami, a, sizeof(a)), x->orig->name,
              s_arch_text(x->orig->arch, b, sizeof(b)));
        return SPS_COMPAT_R_ARCH;
    }
    uint8_t virt = x->inst->ami.virtualization;
    if (!(c->virtualization & virt)) {
        S_WHY(why, "virtualization %s not supported by the AMI (%s)",
              s_virt_text(c->virtualization), s_virt_text(virt));
        return SPS_COMPAT_R_VIRTUALIZATION;
    }
    if (!(x->orig->virtualization & virt)) {
        S_WHY(why, "the AMI's virtualization %s does not run on the original %s", s_virt_text(virt),
              x->orig->name);
        return SPS_COMPAT_R_VIRTUALIZATION;
    }
    return SPS_COMPAT_R_NONE;
}

static enum sps_compat_reason s_check_drivers(const struct s_ctx *x,
                                              const struct sps_compat_type *c, struct sps_buf *why)
{
    const struct sps_compat_ami *ami = &x->inst->ami;
    if (c->ena == SPS_COMPAT_REQUIRED && !ami->ena_support) {
        S_WHY(why, "ENA required but the AMI has no ENA support: it would not boot");
        return SPS_COMPAT_R_ENA;
    }
    if (x->orig_uses_ena && c->ena == SPS_COMPAT_UNSUPPORTED) {
        S_WHY(why, "no ENA, which the original uses");
        return SPS_COMPAT_R_ENA;
    }
    if (c->ebs_nvme == SPS_COMPAT_REQUIRED && !ami->nvme_support) {
        S_WHY(why, "EBS as NVMe (Nitro) but the AMI is not Nitro-capable");
        return SPS_COMPAT_R_NVME;
    }
    if (x->orig->ebs_nvme == SPS_COMPAT_REQUIRED && c->ebs_nvme != SPS_COMPAT_REQUIRED) {
        S_WHY(why, "EBS volumes would not appear as NVMe devices as on the original");
        return SPS_COMPAT_R_NVME;
    }
    return SPS_COMPAT_R_NONE;
}

static bool s_offered(const struct s_ctx *x, const struct sps_compat_type *c)
{
    if (x->zone)
        return sps_compat_zone_has_(x->zone, c->name);
    return x->region >= 0 && ((c->offered_regions >> x->region) & 1u);
}

static enum sps_compat_reason s_check_place(const struct s_ctx *x, const struct sps_compat_type *c,
                                            struct sps_buf *why)
{
    if (!s_offered(x, c)) {
        if (x->zone)
            S_WHY(why, "not offered in %s", x->inst->az);
        else
            S_WHY(why, "not offered in %s (offerings of %s unknown)", x->inst->region, x->inst->az);
        return SPS_COMPAT_R_NOT_OFFERED;
    }
    const struct sps_compat_constraints *k = x->cons;
    bool allowed = k->allowed_count == 0;
    for (size_t i = 0; !allowed && i < k->allowed_count; i++)
        allowed = fnmatch(k->allowed[i], c->name, 0) == 0;
    if (!allowed) {
        S_WHY(why, "matches no allowed pattern");
        return SPS_COMPAT_R_NOT_ALLOWED;
    }
    for (size_t i = 0; i < k->disallowed_count; i++) {
        if (fnmatch(k->disallowed[i], c->name, 0) == 0) {
            S_WHY(why, "matches disallowed pattern %s", k->disallowed[i]);
            return SPS_COMPAT_R_DISALLOWED;
        }
    }
    return SPS_COMPAT_R_NONE;
}

static enum sps_compat_reason s_check_kind(const struct s_ctx *x, const struct sps_compat_type *c,
                                           struct sps_buf *why)
{
    const struct sps_compat_type *o = x->orig;
    if (c->bare_metal && !o->bare_metal && !x->cons->allow_bare_metal) {
        S_WHY(why, "bare metal for a virtualized original (not allowed)");
        return SPS_COMPAT_R_BARE_METAL;
    }
    if (!c->bare_metal && o->bare_metal) {
        S_WHY(why, "virtualized, the original is bare metal");
        return SPS_COMPAT_R_BARE_METAL;
    }
    if (c->burstable) {
        enum sps_compat_burstable policy = x->cons->burstable;
        bool ok = policy == SPS_COMPAT_BURSTABLE_ALWAYS ||
                  (policy == SPS_COMPAT_BURSTABLE_LIKE_ORIGINAL && o->burstable);
        if (!ok) {
            const char *which = o->burstable ? "" : " for a fixed-performance original";
            S_WHY(why, "burstable (not allowed%s)", which);
            return SPS_COMPAT_R_BURSTABLE;
        }
    }
    return SPS_COMPAT_R_NONE;
}

static enum sps_compat_reason s_check_gpu(const struct s_ctx *x, const struct sps_compat_type *c,
                                          struct sps_buf *why)
{
    const struct sps_compat_type *o = x->orig;
    if (o->gpu_memory_mib == 0) {
        if (c->gpu_memory_mib > 0) {
            S_WHY(why, "GPU type for an original without GPU");
            return SPS_COMPAT_R_GPU;
        }
        return SPS_COMPAT_R_NONE;
    }
    if (c->gpu_memory_mib == 0) {
        S_WHY(why, "no GPU, the original has %s %s", o->gpu_manufacturer, o->gpu_model);
        return SPS_COMPAT_R_GPU;
    }
    if (strcmp(c->gpu_manufacturer, o->gpu_manufacturer) != 0) {
        S_WHY(why, "GPU manufacturer %s, the original's is %s", c->gpu_manufacturer,
              o->gpu_manufacturer);
        return SPS_COMPAT_R_GPU;
    }
    if (c->gpus < o->gpus) {
        S_WHY(why, "gpus %u < %u", (unsigned)c->gpus, (unsigned)o->gpus);
        return SPS_COMPAT_R_GPU;
    }
    if (c->gpu_memory_mib < o->gpu_memory_mib) {
        S_WHY(why, "GPU memory %u MiB < %u MiB", (unsigned)c->gpu_memory_mib,
              (unsigned)o->gpu_memory_mib);
        return SPS_COMPAT_R_GPU;
    }
    return SPS_COMPAT_R_NONE;
}

static enum sps_compat_reason s_check_one_accel(const char *what, uint32_t cand, uint32_t orig,
                                                struct sps_buf *why)
{
    if (orig == 0 && cand > 0) {
        S_WHY(why, "has %s, the original has none", what);
        return SPS_COMPAT_R_ACCELERATOR;
    }
    if (cand < orig) {
        S_WHY(why, "%s %u < %u", what, (unsigned)cand, (unsigned)orig);
        return SPS_COMPAT_R_ACCELERATOR;
    }
    return SPS_COMPAT_R_NONE;
}

static enum sps_compat_reason s_check_accel(const struct s_ctx *x, const struct sps_compat_type *c,
                                            struct sps_buf *why)
{
    const struct sps_compat_type *o = x->orig;
    enum sps_compat_reason r = s_check_one_accel("fpgas", c->fpgas, o->fpgas, why);
    if (r == SPS_COMPAT_R_NONE)
        r = s_check_one_accel("neuron devices", c->neuron_devices, o->neuron_devices, why);
    if (r == SPS_COMPAT_R_NONE)
        r = s_check_one_accel("inference accelerators", c->inference_accelerators,
                              o->inference_accelerators, why);
    return r;
}

static enum sps_compat_reason s_check_size(const struct s_ctx *x, const struct sps_compat_type *c,
                                           struct sps_buf *why)
{
    const struct sps_compat_type *o = x->orig;
    if (c->vcpu < o->vcpu) {
        S_WHY(why, "vcpu %u < %u", (unsigned)c->vcpu, (unsigned)o->vcpu);
        return SPS_COMPAT_R_VCPU;
    }
    if (c->memory_mib < o->memory_mib) {
        S_WHY(why, "memory %u MiB < %u MiB", (unsigned)c->memory_mib, (unsigned)o->memory_mib);
        return SPS_COMPAT_R_MEMORY;
    }
    double ceiling = x->cons->ceiling;
    if (ceiling > 0 && (double)c->vcpu > ceiling * o->vcpu) {
        S_WHY(why, "vcpu %u > %gx %u (ceiling)", (unsigned)c->vcpu, ceiling, (unsigned)o->vcpu);
        return SPS_COMPAT_R_CEILING;
    }
    if (ceiling > 0 && (double)c->memory_mib > ceiling * o->memory_mib) {
        S_WHY(why, "memory %u MiB > %gx %u MiB (ceiling)", (unsigned)c->memory_mib, ceiling,
              (unsigned)o->memory_mib);
        return SPS_COMPAT_R_CEILING;
    }
    return SPS_COMPAT_R_NONE;
}

static enum sps_compat_reason s_check_store(const struct s_ctx *x, const struct sps_compat_type *c,
                                            struct sps_buf *why)
{
    const struct sps_compat_store *o = &x->orig->store, *s = &c->store;
    if (o->count == 0)
        return SPS_COMPAT_R_NONE;
    if (s->count < o->count) {
        S_WHY(why, "instance store disks %u < %u", (unsigned)s->count, (unsigned)o->count);
        return SPS_COMPAT_R_INSTANCE_STORE;
    }
    if (s->size_gb < o->size_gb) {
        S_WHY(why, "instance store disk %u GB < %u GB", (unsigned)s->size_gb, (unsigned)o->size_gb);
        return SPS_COMPAT_R_INSTANCE_STORE;
    }
    if (o->ssd && !s->ssd) {
        S_WHY(why, "instance store is HDD, the original's is SSD");
        return SPS_COMPAT_R_INSTANCE_STORE;
    }
    if (o->nvme != s->nvme) {
        S_WHY(why, "instance store is %sNVMe, the original's is %sNVMe: device names differ",
              s->nvme ? "" : "not ", o->nvme ? "" : "not ");
        return SPS_COMPAT_R_INSTANCE_STORE;
    }
    return SPS_COMPAT_R_NONE;
}

static enum sps_compat_reason s_check_io(const struct s_ctx *x, const struct sps_compat_type *c,
                                         struct sps_buf *why)
{
    if (x->orig_ebs_optimized && c->ebs_optimized == SPS_COMPAT_EBS_OPT_UNSUPPORTED) {
        S_WHY(why, "not EBS-optimized, the original is");
        return SPS_COMPAT_R_EBS_OPTIMIZED;
    }
    if (!sps_compat_network_covers(&c->network, &x->orig->network)) {
        S_WHY(why, "network %s%u Mbps < %s%u Mbps", c->network.up_to ? "up to " : "",
              (unsigned)c->network.mbps, x->orig->network.up_to ? "up to " : "",
              (unsigned)x->orig->network.mbps);
        return SPS_COMPAT_R_NETWORK;
    }
    return SPS_COMPAT_R_NONE;
}

typedef enum sps_compat_reason (*s_rule)(const struct s_ctx *, const struct sps_compat_type *,
                                         struct sps_buf *);

static enum sps_compat_reason s_check(const struct s_ctx *x, const struct sps_compat_type *c,
                                      struct sps_buf *why)
{
    static const s_rule rules[] = {s_check_arch, s_check_drivers, s_check_place,
                                   s_check_kind, s_check_gpu,     s_check_accel,
                                   s_check_size, s_check_store,   s_check_io};
    if (!c->spot) {
        S_WHY(why, "spot not supported");
        return SPS_COMPAT_R_NO_SPOT;
    }
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        enum sps_compat_reason r = rules[i](x, c, why);
        if (r != SPS_COMPAT_R_NONE)
            return r;
    }
    return SPS_COMPAT_R_NONE;
}

static bool s_one_bit(unsigned bits, unsigned all)
{
    return bits != 0 && (bits & (bits - 1)) == 0 && (bits & ~all) == 0;
}

static sps_err s_check_args(const struct sps_compat_instance *inst,
                            const struct sps_compat_constraints *k)
{
    if (inst->type == NULL || inst->az == NULL || inst->region == NULL || inst->region[0] == '\0')
        return SPS_ERR_INVALID_ARGUMENT;
    size_t rlen = strlen(inst->region);
    if (strncmp(inst->az, inst->region, rlen) != 0 || inst->az[rlen] == '\0')
        return SPS_ERR_INVALID_ARGUMENT;
    if (!s_one_bit(inst->ami.arch, SPS_COMPAT_ARCH_ALL_) ||
        !s_one_bit(inst->ami.virtualization, SPS_COMPAT_VIRT_ALL_) ||
        (unsigned)inst->ami.platform > SPS_COMPAT_WINDOWS)
        return SPS_ERR_INVALID_ARGUMENT;
    if ((unsigned)k->burstable > SPS_COMPAT_BURSTABLE_ALWAYS || !isfinite(k->ceiling) ||
        k->ceiling < 0 || (k->ceiling > 0 && k->ceiling < 1))
        return SPS_ERR_INVALID_ARGUMENT;
    if ((k->allowed_count && !k->allowed) || (k->disallowed_count && !k->disallowed))
        return SPS_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < k->allowed_count; i++) {
        if (k->allowed[i] == NULL)
            return SPS_ERR_INVALID_ARGUMENT;
    }
    for (size_t i = 0; i < k->disallowed_count; i++) {
        if (k->disallowed[i] == NULL)
            return SPS_ERR_INVALID_ARGUMENT;
    }
    return SPS_OK;
}

static double s_excess(const struct sps_compat_type *o, const struct sps_compat_type *c)
{
    return ((double)c->vcpu - o->vcpu) / o->vcpu +
           ((double)c->memory_mib - o->memory_mib) / o->memory_mib;
}

static void s_classify(const struct s_ctx *x, const struct sps_compat_type *c, bool explain,
                       struct sps_compat_result *res, struct sps_buf *why)
{
    sps_buf_reset(why);
    enum sps_compat_reason r = s_check(x, c, explain ? why : NULL);
    if (r == SPS_COMPAT_R_NONE) {
        res->candidates[res->count++] = (struct sps_compat_candidate){
            .type = c,
            .request_ebs_optimized =
                x->orig_ebs_optimized && c->ebs_optimized == SPS_COMPAT_EBS_OPT_SUPPORTED,
            .excess = s_excess(x->orig, c),
        };
        return;
    }
    res->rejected[res->rejected_count++] = (struct sps_compat_rejection){
        .type = c,
        .reason = r,
        .text = explain ? sps_buf_take(why) : NULL,
    };
}

sps_err sps_compat_match(const struct sps_compat_catalog *catalog,
                         const struct sps_compat_instance *inst,
                         const struct sps_compat_constraints *constraints, bool explain,
                         struct sps_compat_result **out)
{
    static const struct sps_compat_constraints defaults = {0};
    if (catalog == NULL || inst == NULL || out == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    *out = NULL;
    const struct sps_compat_constraints *k = constraints ? constraints : &defaults;
    SPS_TRY(s_check_args(inst, k));
    struct s_ctx x = {.catalog = catalog, .inst = inst, .cons = k};
    SPS_TRY(sps_compat_catalog_find(catalog, inst->type, &x.orig));
    x.zone = sps_compat_zone_find_(catalog, inst->az);
    x.region = sps_compat_region_index(inst->region);
    x.orig_ebs_optimized =
        x.orig->ebs_optimized == SPS_COMPAT_EBS_OPT_DEFAULT ||
        (inst->ebs_optimized && x.orig->ebs_optimized == SPS_COMPAT_EBS_OPT_SUPPORTED);
    x.orig_uses_ena = x.orig->ena != SPS_COMPAT_UNSUPPORTED && inst->ami.ena_support;

    struct sps_compat_result *res = sps_calloc(1, sizeof(*res));
    size_t n = sps_compat_catalog_count(catalog);
    res->original = x.orig;
    res->candidates = sps_calloc(n, sizeof(*res->candidates));
    res->rejected = sps_calloc(n, sizeof(*res->rejected));
    struct sps_buf why;
    sps_buf_init(&why, 4096);
    for (size_t i = 0; i < n; i++)
        s_classify(&x, sps_compat_catalog_at(catalog, i), explain, res, &why);
    sps_buf_clean_up(&why);
    *out = res;
    return SPS_OK;
}

void sps_compat_result_destroy(struct sps_compat_result *result)
{
    if (result == NULL)
        return;
    for (size_t i = 0; i < result->rejected_count; i++)
        sps_free(result->rejected[i].text);
    sps_free(result->rejected);
    sps_free(result->candidates);
    sps_free(result);
}
