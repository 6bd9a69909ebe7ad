/*
 * The caching wrapper every remote credentials source uses (refresh ahead of expiry, keep valid
 * credentials when a refresh fails), the owning wrapper, and the shared failure helper.
 */
#include "sps_aws_credentials_private.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

sps_err sps_creds_fail(struct sps_aws_error *aws_err, sps_err err, const char *provider,
                       const char *fmt, ...)
{
    char detail[sizeof(aws_err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    if (aws_err)
        memcpy(aws_err->message, detail, sizeof(detail));
    sps_log(SPS_LOG_WARN, "credentials source failed", "provider", provider, "error",
            sps_error_name(err), "detail", detail, NULL);
    return err;
}

struct s_cached {
    sps_creds_fetch_fn fetch;
    void *ctx;
    void (*destroy_ctx)(void *ctx);
    const struct sps_clock *clock;
    pthread_mutex_t lock;
    struct sps_aws_credentials held; /* access_key_id NULL: nothing held */
    int64_t refresh_at_ms;           /* when to fetch again; 0: never (no expiration) */
};

static int64_t s_jitter_ms(void)
{
    return (int64_t)(sps_rand_unit(sps_rand_system()) * 60000.0);
}

static sps_err s_cached_get_locked(struct sps_aws_credentials_provider *p, struct s_cached *c,
                                   struct sps_aws_credentials *out, struct sps_aws_error *aws_err)
{
    int64_t now = c->clock->wall_ms(c->clock->ctx);
    bool have = c->held.access_key_id != NULL;
    if (have && (c->refresh_at_ms == 0 || now < c->refresh_at_ms)) {
        sps_aws_credentials_copy(out, &c->held);
        return SPS_OK;
    }
    struct sps_aws_credentials fresh = {0};
    sps_err err = c->fetch(c->ctx, &fresh, aws_err);
    if (err == SPS_OK) {
        sps_aws_credentials_clean_up(&c->held);
        c->held = fresh;
        c->refresh_at_ms = fresh.expiration_ms == 0
                               ? 0
                               : fresh.expiration_ms - SPS_CREDS_REFRESH_MS - s_jitter_ms();
        sps_aws_credentials_copy(out, &c->held);
        return SPS_OK;
    }
    sps_aws_credentials_clean_up(&fresh);
    if (have && now < c->held.expiration_ms) {
        sps_log(SPS_LOG_WARN, "credentials refresh failed; using the current ones until expiry",
                "provider", p->name, "error", sps_error_name(err), NULL);
        sps_aws_error_clear(aws_err);
        sps_aws_credentials_copy(out, &c->held);
        return SPS_OK;
    }
    return err;
}

static sps_err s_cached_get(struct sps_aws_credentials_provider *p, struct sps_aws_credentials *out,
                            struct sps_aws_error *aws_err)
{
    struct s_cached *c = p->impl;
    pthread_mutex_lock(&c->lock);
    sps_err err = s_cached_get_locked(p, c, out, aws_err);
    pthread_mutex_unlock(&c->lock);
    return err;
}

static void s_cached_destroy(struct sps_aws_credentials_provider *p)
{
    struct s_cached *c = p->impl;
    if (c->destroy_ctx)
        c->destroy_ctx(c->ctx);
    sps_aws_credentials_clean_up(&c->held);
    pthread_mutex_destroy(&c->lock);
    sps_free(c);
    sps_free(p);
}

static const struct sps_aws_credentials_provider_vtable s_cached_vtable = {s_cached_get,
                                                                           s_cached_destroy};

struct sps_aws_credentials_provider *sps_creds_cached_new(const char *name,
                                                          sps_creds_fetch_fn fetch, void *ctx,
                                                          void (*destroy_ctx)(void *ctx),
                                                          const struct sps_clock *clock)
{
    struct s_cached *c = sps_calloc(1, sizeof(*c));
    c->fetch = fetch;
    c->ctx = ctx;
    c->destroy_ctx = destroy_ctx;
    c->clock = clock ? clock : sps_clock_system();
    pthread_mutex_init(&c->lock, NULL);
    struct sps_aws_credentials_provider *p = sps_calloc(1, sizeof(*p));
    p->vtable = &s_cached_vtable;
    p->name = name;
    p->impl = c;
    return p;
}

struct s_owning {
    struct sps_aws_credentials_provider *inner;
    struct sps_aws_credentials_provider *owned;
};

static sps_err s_owning_get(struct sps_aws_credentials_provider *p, struct sps_aws_credentials *out,
                            struct sps_aws_error *aws_err)
{
    struct s_owning *o = p->impl;
    return o->inner->vtable->get(o->inner, out, aws_err);
}

static void s_owning_destroy(struct sps_aws_credentials_provider *p)
{
    struct s_owning *o = p->impl;
    /* The inner provider borrows `owned`: it goes first. */
    sps_aws_credentials_provider_destroy(o->inner);
    sps_aws_credentials_provider_destroy(o->owned);
    sps_free(o);
    sps_free(p);
}

static const struct sps_aws_credentials_provider_vtable s_owning_vtable = {s_owning_get,
                                                                           s_owning_destroy};

struct sps_aws_credentials_provider *
sps_creds_owning_new(struct sps_aws_credentials_provider *inner,
                     struct sps_aws_credentials_provider *owned)
{
    struct s_owning *o = sps_calloc(1, sizeof(*o));
    o->inner = inner;
    o->owned = owned;
    struct sps_aws_credentials_provider *p = sps_calloc(1, sizeof(*p));
    p->vtable = &s_owning_vtable;
    p->name = inner->name;
    p->impl = o;
    return p;
}
