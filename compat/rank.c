/*
 * Ranking and diversification of matched candidates. Pure: prices and interruption bands come
 * in through the caller's callbacks, counts of running spot instances as an array.
 */
#include "sps_alloc.h"
#include "sps_buf.h"
#include "sps_compat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int s_band_key(int band)
{
    return band >= 0 && band <= 4 ? band : 5; /* unknown sorts after every known band */
}

static int s_cmp_ranked(const void *pa, const void *pb)
{
    const struct sps_compat_ranked *a = pa, *b = pb;
    if (a->spot_price != b->spot_price)
        return a->spot_price < b->spot_price ? -1 : 1;
    int ba = s_band_key(a->band), bb = s_band_key(b->band);
    if (ba != bb)
        return ba < bb ? -1 : 1;
    if (a->excess != b->excess)
        return a->excess < b->excess ? -1 : 1;
    return strcmp(a->type->name, b->type->name);
}

static void s_drop(struct sps_compat_ranking *r, const struct sps_compat_type *type,
                   enum sps_compat_reason reason, struct sps_buf *text)
{
    r->dropped[r->dropped_count++] = (struct sps_compat_rejection){
        .type = type,
        .reason = reason,
        .text = sps_buf_take(text),
    };
}

static void s_rank_one(const struct sps_compat_candidate *c, const struct sps_compat_instance *inst,
                       double on_demand, const struct sps_compat_market *m,
                       struct sps_compat_ranking *r, struct sps_buf *text)
{
    double price = 0;
    sps_buf_reset(text);
    if (!m->spot_price(m->ctx, c->type->name, inst->az, &price)) {
        sps_buf_printf(text, "no spot price in %s", inst->az);
        s_drop(r, c->type, SPS_COMPAT_R_NO_PRICE, text);
        return;
    }
    if (!isfinite(price) || price <= 0) {
        sps_buf_printf(text, "spot price %g in %s is not a valid price", price, inst->az);
        s_drop(r, c->type, SPS_COMPAT_R_NO_PRICE, text);
        return;
    }
    if (price >= on_demand) {
        sps_buf_printf(text, "spot price %g >= on-demand %g", price, on_demand);
        s_drop(r, c->type, SPS_COMPAT_R_NOT_CHEAPER, text);
        return;
    }
    int band = m->band ? m->band(m->ctx, inst->region, inst->ami.platform, c->type->name) : -1;
    r->entries[r->count++] = (struct sps_compat_ranked){
        .type = c->type,
        .spot_price = price,
        .band = band >= 0 && band <= 4 ? band : -1,
        .excess = c->excess,
        .request_ebs_optimized = c->request_ebs_optimized,
    };
}

sps_err sps_compat_rank(const struct sps_compat_result *match,
                        const struct sps_compat_instance *inst, double on_demand_price,
                        const struct sps_compat_market *market, struct sps_compat_ranking **out)
{
    if (match == NULL || inst == NULL || inst->az == NULL || market == NULL ||
        market->spot_price == NULL || out == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    *out = NULL;
    if (!isfinite(on_demand_price) || on_demand_price <= 0)
        return SPS_ERR_INVALID_ARGUMENT;
    struct sps_compat_ranking *r = sps_calloc(1, sizeof(*r));
    size_t n = match->count ? match->count : 1;
    r->entries = sps_calloc(n, sizeof(*r->entries));
    r->dropped = sps_calloc(n, sizeof(*r->dropped));
    struct sps_buf text;
    sps_buf_init(&text, 1024);
    for (size_t i = 0; i < match->count; i++)
        s_rank_one(&match->candidates[i], inst, on_demand_price, market, r, &text);
    sps_buf_clean_up(&text);
    if (r->count > 1)
        qsort(r->entries, r->count, sizeof(*r->entries), s_cmp_ranked);
    *out = r;
    return SPS_OK;
}

void sps_compat_ranking_destroy(struct sps_compat_ranking *ranking)
{
    if (ranking == NULL)
        return;
    for (size_t i = 0; i < ranking->dropped_count; i++)
        sps_free(ranking->dropped[i].text);
    sps_free(ranking->dropped);
    sps_free(ranking->entries);
    sps_free(ranking);
}

/* ---- diversification ------------------------------------------------------------------------- */

static bool s_fraction_ok(double fraction)
{
    return isfinite(fraction) && fraction > 0 && fraction <= 1;
}

size_t sps_compat_diversity_cap(size_t spot_in_az, double fraction)
{
    if (!s_fraction_ok(fraction))
        return 0;
    /* The epsilon keeps 1/3 x 3 (0.999... in binary) from rounding up to 2. */
    double cap = ceil(fraction * ((double)spot_in_az + 1.0) - 1e-9);
    return cap < 1 ? 1 : (size_t)cap;
}

static size_t s_held(const struct sps_compat_spot_count *counts, size_t n, const char *type)
{
    size_t held = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(counts[i].type, type) == 0)
            held += counts[i].count;
    }
    return held;
}

sps_err sps_compat_diversify(const struct sps_compat_ranking *ranking,
                             const struct sps_compat_spot_count *counts, size_t count_len,
                             double fraction, struct sps_compat_pick *out)
{
    if (ranking == NULL || out == NULL || (count_len > 0 && counts == NULL) ||
        !s_fraction_ok(fraction))
        return SPS_ERR_INVALID_ARGUMENT;
    size_t total = 0;
    for (size_t i = 0; i < count_len; i++) {
        if (counts[i].type == NULL)
            return SPS_ERR_INVALID_ARGUMENT;
        total += counts[i].count;
    }
    if (ranking->count == 0)
        return SPS_ERR_COMPAT_NO_CANDIDATE;
    size_t cap = sps_compat_diversity_cap(total, fraction);
    size_t least = 0, least_held = (size_t)-1;
    for (size_t i = 0; i < ranking->count; i++) {
        size_t held = s_held(counts, count_len, ranking->entries[i].type->name);
        if (held < cap) {
            *out = (struct sps_compat_pick){.index = i, .cap = cap, .within_cap = true};
            return SPS_OK;
        }
        if (held < least_held) {
            least = i;
            least_held = held;
        }
    }
    *out = (struct sps_compat_pick){.index = least, .cap = cap, .within_cap = false};
    return SPS_OK;
}
