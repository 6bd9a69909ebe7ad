/*
 * Current spot prices: DescribeSpotPriceHistory with StartTime = now, for only the types a run
 * needs, one batched and paginated fetch per region (regions concurrently), folded into a
 * (type, AZ) -> latest-price table. A pair AWS did not price stays unknown, never 0.
 */
#include "pricing_internal.h"

#include <math.h>
#include <string.h>

#define S_DEFAULT_MAX_PAGES 100

struct s_spot_entry {
    struct sps_pricing_spot_price pub;
    char *key; /* "type|az" */
    UT_hash_handle hh;
};

struct sps_pricing_spot_table {
    enum sps_pricing_os os;
    struct s_spot_entry **items; /* first-seen order */
    size_t count;
    size_t cap;
    struct s_spot_entry *index;
};

struct sps_pricing_spot_table *sps_pricing_spot_table_new(enum sps_pricing_os os)
{
    struct sps_pricing_spot_table *t = sps_calloc(1, sizeof(*t));
    t->os = os;
    return t;
}

void sps_pricing_spot_table_destroy(struct sps_pricing_spot_table *t)
{
    if (t == NULL)
        return;
    HASH_CLEAR(hh, t->index);
    for (size_t i = 0; i < t->count; i++) {
        struct s_spot_entry *e = t->items[i];
        sps_free((char *)e->pub.instance_type);
        sps_free((char *)e->pub.availability_zone);
        sps_free((char *)e->pub.product_description);
        sps_free(e->key);
        sps_free(e);
    }
    sps_free(t->items);
    sps_free(t);
}

size_t sps_pricing_spot_table_count(const struct sps_pricing_spot_table *t)
{
    return t->count;
}

const struct sps_pricing_spot_price *
sps_pricing_spot_table_at(const struct sps_pricing_spot_table *t, size_t index)
{
    return index < t->count ? &t->items[index]->pub : NULL;
}

static struct s_spot_entry *s_find(const struct sps_pricing_spot_table *t, const char *type,
                                   const char *az)
{
    struct sps_buf key;
    sps_buf_init(&key, 1024);
    struct s_spot_entry *e = NULL;
    if (sps_buf_printf(&key, "%s|%s", type, az) == SPS_OK)
        HASH_FIND_STR(t->index, key.data, e);
    sps_buf_clean_up(&key);
    return e;
}

sps_err sps_pricing_spot_get(const struct sps_pricing_spot_table *t, const char *instance_type,
                             const char *az, double *usd_per_hour)
{
    if (t == NULL || instance_type == NULL || az == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    const struct s_spot_entry *e = s_find(t, instance_type, az);
    if (e == NULL)
        return SPS_ERR_PRICING_UNKNOWN;
    *usd_per_hour = e->pub.usd_per_hour;
    return SPS_OK;
}

sps_err sps_pricing_spot_lowest(const struct sps_pricing_spot_table *t, const char *instance_type,
                                double *usd_per_hour, const char **az)
{
    if (t == NULL || instance_type == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    const struct sps_pricing_spot_price *best = NULL;
    for (size_t i = 0; i < t->count; i++) {
        const struct sps_pricing_spot_price *p = &t->items[i]->pub;
        if (strcmp(p->instance_type, instance_type) == 0 &&
            (best == NULL || p->usd_per_hour < best->usd_per_hour))
            best = p;
    }
    if (best == NULL)
        return SPS_ERR_PRICING_UNKNOWN;
    *usd_per_hour = best->usd_per_hour;
    if (az != NULL)
        *az = best->availability_zone;
    return SPS_OK;
}

/* Keeps the newer of the known and the offered price. */
static void s_offer(struct sps_pricing_spot_table *t, const char *type, const char *az,
                    const char *product, double usd, int64_t ts)
{
    struct s_spot_entry *e = s_find(t, type, az);
    if (e == NULL) {
        e = sps_calloc(1, sizeof(*e));
        e->pub.instance_type = sps_strdup(type);
        e->pub.availability_zone = sps_strdup(az);
        struct sps_buf key;
        sps_buf_init(&key, 0);
        (void)sps_buf_printf(&key, "%s|%s", type, az);
        e->key = sps_buf_take(&key);
        HASH_ADD_KEYPTR(hh, t->index, e->key, strlen(e->key), e);
        if (t->count == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 16;
            t->items = sps_realloc(t->items, t->cap * sizeof(*t->items));
        }
        t->items[t->count++] = e;
    } else if (e->pub.timestamp_ms >= ts) {
        return;
    }
    sps_free((char *)e->pub.product_description);
    e->pub.product_description = sps_strdup(product);
    e->pub.usd_per_hour = usd;
    e->pub.timestamp_ms = ts;
}

void sps_pricing_spot_query(struct sps_query *q, const struct sps_pricing_spot_request *req,
                            const char *next_token)
{
    sps_query_init(q, "DescribeSpotPriceHistory", "2016-11-15");
    sps_query_set_list(q, "InstanceType", false, (const char *const *)req->instance_types,
                       req->type_count);
    const char *products[2];
    size_t n = sps_pricing_os_spot_products(req->os, products);
    sps_query_set_list(q, "ProductDescription", false, products, n);
    struct sps_buf when;
    sps_buf_init(&when, 64);
    if (sps_time_format_iso8601(&when, req->now_ms) == SPS_OK)
        sps_query_set(q, "StartTime", when.data);
    sps_buf_clean_up(&when);
    if (req->availability_zone != NULL && req->availability_zone[0] != '\0')
        sps_query_set(q, "AvailabilityZone", req->availability_zone);
    sps_query_set(q, "MaxResults", "1000");
    if (next_token != NULL && next_token[0] != '\0')
        sps_query_set(q, "NextToken", next_token);
}

struct s_row {
    const char *type, *az, *product;
    double usd;
    int64_t ts;
};

static sps_err s_read_row(const struct sps_xml_node *item, struct s_row *row)
{
    static const char *const required[] = {"instanceType", "availabilityZone", "productDescription",
                                           "spotPrice", "timestamp"};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        const char *v = sps_xml_path_text(item, required[i]);
        if (v == NULL || v[0] == '\0') {
            sps_log(SPS_LOG_DEBUG, "spot price history: item without a required member", "member",
                    required[i], NULL);
            return SPS_ERR_MISSING_FIELD;
        }
    }
    row->type = sps_xml_path_text(item, "instanceType");
    row->az = sps_xml_path_text(item, "availabilityZone");
    row->product = sps_xml_path_text(item, "productDescription");
    const char *price = sps_xml_path_text(item, "spotPrice");
    if (sps_cursor_to_double(sps_cursor_from_str(price), &row->usd) != SPS_OK || !(row->usd > 0) ||
        !isfinite(row->usd)) {
        sps_log(SPS_LOG_DEBUG, "spot price history: spotPrice is not a positive price", "value",
                price, "instance_type", row->type, NULL);
        return SPS_ERR_UNEXPECTED_RESPONSE;
    }
    return sps_xml_path_time(item, "timestamp", &row->ts);
}

/* All rows are read before any is applied, so a bad page leaves the table as it was. */
sps_err sps_pricing_spot_parse_page(const struct sps_xml_node *result,
                                    struct sps_pricing_spot_table *t, char **next_token)
{
    if (next_token != NULL)
        *next_token = NULL;
    if (result == NULL || t == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    sps_err err = SPS_OK;
    size_t n = 0, cap = 16;
    struct s_row *rows = sps_calloc(cap, sizeof(*rows));
    for (const struct sps_xml_node *it = sps_xml_path(result, "spotPriceHistorySet/item"); it;
         it = sps_xml_next(it, "item")) {
        if (n == cap) {
            cap *= 2;
            rows = sps_realloc(rows, cap * sizeof(*rows));
        }
        SPS_GUARD(s_read_row(it, &rows[n]));
        n++;
    }
    for (size_t i = 0; i < n; i++) {
        if (sps_pricing_os_spot_product_matches(t->os, rows[i].product))
            s_offer(t, rows[i].type, rows[i].az, rows[i].product, rows[i].usd, rows[i].ts);
    }
    const char *token = sps_xml_path_text(result, "nextToken");
    if (next_token != NULL && token != NULL && token[0] != '\0')
        *next_token = sps_strdup(token);
cleanup:
    sps_free(rows);
    return err;
}

static bool s_request_ok(const struct sps_pricing_spot_request *r,
                         const struct sps_pricing_spot_table *t)
{
    if (r->type_count == 0 || r->instance_types == NULL || t == NULL || t->os != r->os)
        return false;
    for (size_t i = 0; i < r->type_count; i++) {
        if (r->instance_types[i] == NULL || r->instance_types[i][0] == '\0')
            return false;
    }
    return true;
}

struct s_region {
    struct sps_query query;
    char *token;
    size_t pages;
    bool active;
};

/* What a round's callback needs to fold one region's page in. */
struct s_round_ctx {
    struct sps_aws_client *const *clients;
    const struct sps_pricing_spot_request *reqs;
    struct sps_pricing_spot_table *const *tables;
    struct s_region *st;
    sps_err *results;
    struct sps_aws_error *errs;
    sps_err *first;
    struct sps_aws_call *calls;
    const size_t *idx; /* call -> region */
};

/* One region's page, as soon as its call is done: its prices go into the table and the parsed
 * page is released at once, so a round never holds every region's page (about 1 MB each as a
 * tree) at the same time. */
static void s_page_done(struct sps_aws_call *call, void *ctx)
{
    struct s_round_ctx *rc = ctx;
    size_t i = rc->idx[call - rc->calls];
    struct s_region *st = &rc->st[i];
    char *token = NULL;
    sps_err err = call->result;
    if (err == SPS_OK)
        err = sps_pricing_spot_parse_page(sps_aws_call_result_node(call), rc->tables[i], &token);
    else if (rc->errs != NULL)
        rc->errs[i] = call->error;
    sps_aws_call_clean_up(call);
    st->pages++;
    bool repeated = token && st->token && strcmp(token, st->token) == 0;
    if (err != SPS_OK || token == NULL || repeated || st->pages >= S_DEFAULT_MAX_PAGES) {
        if (err == SPS_OK && token != NULL && !repeated)
            sps_log(SPS_LOG_WARN, "spot price history: page limit reached", "region",
                    sps_aws_client_region(rc->clients[i]), NULL);
        st->active = false;
        if (err != SPS_OK && rc->results != NULL)
            rc->results[i] = err;
        if (err != SPS_OK && *rc->first == SPS_OK)
            *rc->first = err;
        sps_free(token);
    } else {
        sps_free(st->token);
        st->token = token;
        sps_query_clean_up(&st->query);
        sps_pricing_spot_query(&st->query, &rc->reqs[i], token);
    }
}

/* One round: the next page of every region still active, all sent together. */
static void s_round(struct sps_aws_client *const *clients,
                    const struct sps_pricing_spot_request *reqs,
                    struct sps_pricing_spot_table *const *tables, struct s_region *st, size_t n,
                    sps_err *results, struct sps_aws_error *errs, sps_err *first)
{
    struct sps_aws_call *calls = sps_calloc(n, sizeof(*calls));
    size_t *idx = sps_calloc(n, sizeof(*idx));
    struct s_round_ctx rc = {clients, reqs, tables, st, results, errs, first, calls, idx};
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!st[i].active)
            continue;
        sps_aws_call_init_query(&calls[k], clients[i], &st[i].query);
        calls[k].on_done = s_page_done;
        calls[k].on_done_ctx = &rc;
        idx[k++] = i;
    }
    sps_aws_call_run_many(calls, k);
    for (size_t j = 0; j < k; j++)
        sps_aws_call_clean_up(&calls[j]);
    sps_free(idx);
    sps_free(calls);
}

sps_err sps_pricing_spot_fetch_many(struct sps_aws_client *const *clients,
                                    const struct sps_pricing_spot_request *reqs,
                                    struct sps_pricing_spot_table *const *tables, size_t n,
                                    sps_err *results, struct sps_aws_error *errs)
{
    for (size_t i = 0; i < n; i++) {
        if (results != NULL)
            results[i] = SPS_OK;
        if (errs != NULL)
            sps_aws_error_clear(&errs[i]);
        if (clients[i] == NULL || !s_request_ok(&reqs[i], tables[i]))
            return SPS_ERR_INVALID_ARGUMENT;
    }
    struct s_region *st = sps_calloc(n ? n : 1, sizeof(*st));
    for (size_t i = 0; i < n; i++) {
        sps_pricing_spot_query(&st[i].query, &reqs[i], NULL);
        st[i].active = true;
    }
    sps_err first = SPS_OK;
    for (bool any = n > 0; any;) {
        s_round(clients, reqs, tables, st, n, results, errs, &first);
        any = false;
        for (size_t i = 0; i < n; i++)
            any = any || st[i].active;
    }
    for (size_t i = 0; i < n; i++) {
        sps_query_clean_up(&st[i].query);
        sps_free(st[i].token);
    }
    sps_free(st);
    return first;
}

sps_err sps_pricing_spot_fetch(struct sps_aws_client *ec2,
                               const struct sps_pricing_spot_request *req,
                               struct sps_pricing_spot_table *table, struct sps_aws_error *aws_err)
{
    return sps_pricing_spot_fetch_many(&ec2, req, &table, 1, NULL, aws_err);
}
