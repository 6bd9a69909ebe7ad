/*
 * The Price List API's GetProducts: the request document and a pure parser of its answers.
 * PriceList is an array of JSON documents inside strings; each is one product with its
 * attributes and terms. Only products whose attributes match the key count, and among those the
 * one agreeing with the most optional attributes wins (docs/pricing.md, "Price List").
 */
#include "sps_pricing.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static void s_filter(json_t *filters, const char *field, const char *value)
{
    json_array_append_new(filters, json_pack("{s:s, s:s, s:s}", "Type", "TERM_MATCH", "Field",
                                             field, "Value", value));
}

static int s_dump_to_buf(const char *data, size_t len, void *ctx)
{
    return sps_buf_append(ctx, data, len) == SPS_OK ? 0 : -1;
}

sps_err sps_pricing_products_request(struct sps_buf *out, const struct sps_pricing_od_key *key,
                                     const char *next_token)
{
    if (key == NULL || (key->instance_type != NULL && key->instance_type[0] == '\0') ||
        key->region == NULL || key->region[0] == '\0' || (unsigned)key->os >= SPS_PRICING_OS_COUNT_)
        return SPS_ERR_INVALID_ARGUMENT;
    json_t *filters = json_array();
    if (key->instance_type != NULL)
        s_filter(filters, "instanceType", key->instance_type);
    s_filter(filters, "regionCode", key->region);
    s_filter(filters, "operatingSystem", sps_pricing_os_price_list_name(key->os));
    s_filter(filters, "tenancy", "Shared");
    s_filter(filters, "preInstalledSw", "NA");
    s_filter(filters, "capacitystatus", "Used");
    s_filter(filters, "licenseModel", sps_pricing_os_license_model(key->os));
    json_t *doc = json_pack("{s:s, s:s, s:o, s:i}", "ServiceCode", "AmazonEC2", "FormatVersion",
                            "aws_v1", "Filters", filters, "MaxResults", 100);
    if (next_token != NULL && next_token[0] != '\0')
        json_object_set_new(doc, "NextToken", json_string(next_token));
    int rc = json_dump_callback(doc, s_dump_to_buf, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (rc != 0)
        return out->err != SPS_OK ? out->err : SPS_ERR_INVALID_ARGUMENT;
    return SPS_OK;
}

void sps_pricing_od_match_init(struct sps_pricing_od_match *m)
{
    *m = (struct sps_pricing_od_match){.best_score = -1};
}

void sps_pricing_od_match_clean_up(struct sps_pricing_od_match *m)
{
    if (m == NULL)
        return;
    sps_free(m->next_token);
    sps_pricing_od_match_init(m);
}

static const char *s_attr(const json_t *attrs, const char *name)
{
    return json_string_value(json_object_get(attrs, name));
}

static bool s_attr_is(const json_t *attrs, const char *name, const char *want)
{
    const char *v = s_attr(attrs, name);
    return v != NULL && strcmp(v, want) == 0;
}

/* -1 when the product is not the key's; else how many optional attributes agree. */
static int s_match_score(const json_t *attrs, const struct sps_pricing_od_key *key)
{
    if ((key->instance_type ? !s_attr_is(attrs, "instanceType", key->instance_type)
                            : s_attr(attrs, "instanceType") == NULL) ||
        !s_attr_is(attrs, "operatingSystem", sps_pricing_os_price_list_name(key->os)) ||
        !s_attr_is(attrs, "tenancy", "Shared"))
        return -1;
    /* Products published before 2022 carry only the location name, not regionCode. */
    const char *code = s_attr(attrs, "regionCode");
    const char *location = sps_pricing_region_location(key->region);
    if (code ? strcmp(code, key->region) != 0
             : location == NULL || !s_attr_is(attrs, "location", location))
        return -1;
    const char *optional[][2] = {
        {"preInstalledSw", "NA"},
        {"capacitystatus", "Used"},
        {"licenseModel", sps_pricing_os_license_model(key->os)},
        {"operation", sps_pricing_os_operation(key->os)},
    };
    int score = 0;
    for (size_t i = 0; i < sizeof(optional) / sizeof(optional[0]); i++) {
        const char *v = s_attr(attrs, optional[i][0]);
        if (v == NULL)
            continue;
        if (strcmp(v, optional[i][1]) != 0)
            return -1;
        score++;
    }
    return score;
}

/* The hourly USD price of the OnDemand terms: 0 when there is none (or it is zero). */
static sps_err s_hourly_price(const json_t *on_demand, double *usd)
{
    *usd = 0;
    const char *term_name;
    const json_t *term;
    json_object_foreach((json_t *)on_demand, term_name, term)
    {
        const char *dim_name;
        const json_t *dim;
        json_object_foreach(json_object_get(term, "priceDimensions"), dim_name, dim)
        {
            const char *unit = json_string_value(json_object_get(dim, "unit"));
            const char *text =
                json_string_value(json_object_get(json_object_get(dim, "pricePerUnit"), "USD"));
            if (unit == NULL || strcmp(unit, "Hrs") != 0 || text == NULL)
                continue;
            double v;
            if (sps_cursor_to_double(sps_cursor_from_str(text), &v) != SPS_OK || v < 0) {
                sps_log(SPS_LOG_DEBUG, "price list: pricePerUnit.USD is not a price", "term",
                        term_name, "value", text, NULL);
                return SPS_ERR_UNEXPECTED_RESPONSE;
            }
            if (v > 0 && *usd > 0 && fabs(v - *usd) > 1e-12) {
                sps_log(SPS_LOG_DEBUG, "price list: a product has two hourly prices", "term",
                        term_name, NULL);
                return SPS_ERR_PRICING_AMBIGUOUS;
            }
            if (v > 0)
                *usd = v;
        }
    }
    return SPS_OK;
}

static sps_err s_parse_product(const json_t *doc, const struct sps_pricing_od_key *key,
                               sps_pricing_match_slot_fn slot, void *ctx)
{
    if (!json_is_object(doc))
        return SPS_ERR_UNEXPECTED_RESPONSE;
    const json_t *attrs = json_object_get(json_object_get(doc, "product"), "attributes");
    if (!json_is_object(attrs)) {
        sps_log(SPS_LOG_DEBUG, "price list: product without product.attributes", NULL);
        return SPS_ERR_MISSING_FIELD;
    }
    int score = s_match_score(attrs, key);
    if (score < 0)
        return SPS_OK;
    const char *type = s_attr(attrs, "instanceType");
    struct sps_pricing_od_match *m = slot(ctx, type);
    m->matched++;
    const json_t *on_demand = json_object_get(json_object_get(doc, "terms"), "OnDemand");
    if (!json_is_object(on_demand)) {
        sps_log(SPS_LOG_DEBUG, "price list: matching product without terms.OnDemand",
                "instance_type", type, "region", key->region, NULL);
        return SPS_ERR_MISSING_FIELD;
    }
    double usd;
    SPS_TRY(s_hourly_price(on_demand, &usd));
    if (usd <= 0) {
        sps_log(SPS_LOG_DEBUG, "price list: matching product has no hourly price", "instance_type",
                type, "region", key->region, NULL);
        m->unpriced++;
        return SPS_OK;
    }
    if (score > m->best_score) {
        m->best_score = score;
        m->usd_per_hour = usd;
        m->conflict = false;
    } else if (score == m->best_score && fabs(usd - m->usd_per_hour) > 1e-12) {
        m->conflict = true;
    }
    return SPS_OK;
}

static struct sps_pricing_od_match *s_single(void *ctx, const char *instance_type)
{
    return ctx;
}

static bool s_key_ok(const struct sps_pricing_od_key *key, bool any_type)
{
    return key != NULL && (key->instance_type != NULL) != any_type && key->region != NULL &&
           (unsigned)key->os < SPS_PRICING_OS_COUNT_;
}

static sps_err s_parse_doc_text(struct sps_cursor doc, const struct sps_pricing_od_key *key,
                                sps_pricing_match_slot_fn slot, void *ctx)
{
    json_error_t jerr;
    json_t *json = json_loadb(doc.ptr, doc.len, JSON_REJECT_DUPLICATES, &jerr);
    if (json == NULL) {
        sps_log(SPS_LOG_DEBUG, "price list: a product is not valid JSON", "reason", jerr.text,
                NULL);
        return SPS_ERR_JSON_MALFORMED;
    }
    sps_err err = s_parse_product(json, key, slot, ctx);
    json_decref(json);
    return err;
}

sps_err sps_pricing_parse_product(struct sps_cursor doc, const struct sps_pricing_od_key *key,
                                  struct sps_pricing_od_match *m)
{
    if (!s_key_ok(key, false))
        return SPS_ERR_INVALID_ARGUMENT;
    return s_parse_doc_text(doc, key, s_single, m);
}

static sps_err s_parse_body(struct sps_cursor body, const struct sps_pricing_od_key *key,
                            sps_pricing_match_slot_fn slot, void *ctx, char **next_token)
{
    sps_err err = SPS_OK;
    json_error_t jerr;
    json_t *json = json_loadb(body.ptr, body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (json == NULL) {
        sps_log(SPS_LOG_DEBUG, "price list: GetProducts answer is not valid JSON", "reason",
                jerr.text, NULL);
        return SPS_ERR_JSON_MALFORMED;
    }
    const json_t *list = json_object_get(json, "PriceList");
    if (!json_is_array(list)) {
        sps_log(SPS_LOG_DEBUG, "price list: GetProducts answer without a PriceList array", NULL);
        SPS_GUARD(list == NULL ? SPS_ERR_MISSING_FIELD : SPS_ERR_UNEXPECTED_RESPONSE);
    }
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item)
    {
        const char *text = json_string_value(item);
        if (text == NULL) {
            sps_log(SPS_LOG_DEBUG, "price list: a PriceList element is not a string", NULL);
            SPS_GUARD(SPS_ERR_UNEXPECTED_RESPONSE);
        }
        SPS_GUARD(
            s_parse_doc_text(sps_cursor_from_mem(text, json_string_length(item)), key, slot, ctx));
    }
    const json_t *token = json_object_get(json, "NextToken");
    if (token != NULL && !json_is_string(token) && !json_is_null(token))
        SPS_GUARD(SPS_ERR_UNEXPECTED_RESPONSE);
    sps_free(*next_token);
    *next_token = NULL;
    if (json_string_length(token) > 0)
        *next_token = sps_strdup(json_string_value(token));
cleanup:
    json_decref(json);
    return err;
}

sps_err sps_pricing_parse_products(struct sps_cursor body, const struct sps_pricing_od_key *key,
                                   struct sps_pricing_od_match *m)
{
    if (!s_key_ok(key, false))
        return SPS_ERR_INVALID_ARGUMENT;
    return s_parse_body(body, key, s_single, m, &m->next_token);
}

sps_err sps_pricing_parse_products_by_type(struct sps_cursor body,
                                           const struct sps_pricing_od_key *key,
                                           sps_pricing_match_slot_fn slot, void *ctx,
                                           char **next_token)
{
    if (!s_key_ok(key, true) || slot == NULL || next_token == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    return s_parse_body(body, key, slot, ctx, next_token);
}

sps_err sps_pricing_od_match_price(const struct sps_pricing_od_match *m, double *usd_per_hour)
{
    if (m->best_score < 0)
        return SPS_ERR_PRICING_UNKNOWN;
    if (m->conflict)
        return SPS_ERR_PRICING_AMBIGUOUS;
    *usd_per_hour = m->usd_per_hour;
    return SPS_OK;
}
