/*
 * Request generator for the botocore cross-check: from a seed, builds N requests shaped like
 * spotswap's (Query-protocol form POSTs, GETs with query strings, Pricing JSON with X-Amz-Target)
 * with reserved and UTF-8 characters in paths, queries, bodies and header values, optional
 * session tokens, ports, regions and timestamps; signs each with sps_aws_sigv4_sign and prints
 * one JSON object per line for sigv4_botocore_crosscheck.py to re-sign with botocore.
 *
 *   sigv4_crossgen <count> [seed]
 */
#include "sps_aws.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct gen {
    uint64_t state;
};

static uint64_t s_next(struct gen *g)
{
    /* xorshift64*: deterministic for a seed, good enough to spread choices. */
    g->state ^= g->state >> 12;
    g->state ^= g->state << 25;
    g->state ^= g->state >> 27;
    return g->state * 2685821657736338717ull;
}

static size_t s_below(struct gen *g, size_t n)
{
    return (size_t)(s_next(g) % n);
}

static const char *s_pick(struct gen *g, const char *const *list, size_t n)
{
    return list[s_below(g, n)];
}

#define PICK(g, list) s_pick((g), (list), sizeof(list) / sizeof((list)[0]))

/* Pieces a random string is made of: unreserved, reserved (RFC 3986 gen-delims and sub-delims),
 * space, '%', and UTF-8 characters of two to four bytes. */
static const char *const s_pieces[] = {
    "a", "Z", "0", "9", "-", "_", ".", "~", "!", "*", "'", "(", ")", ";", ":", "@", "&", "=",
    "+", "$", ",", "/", "?", "#", "[", "]", " ", "%", "\xc3\xa9", "\xe2\x82\xac",
    "\xe1\x88\xb4", "\xf0\x9f\x9a\x80", "x", "y", "Q"};

static void s_random_text(struct gen *g, struct sps_buf *out, size_t max_pieces)
{
    size_t n = s_below(g, max_pieces + 1);
    for (size_t i = 0; i < n; i++)
        sps_buf_append_str(out, PICK(g, s_pieces));
}

/* RFC 3986 percent-encoding with upper-case hex, what our Query encoder writes. */
static void s_encode(struct sps_buf *out, struct sps_cursor in)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < in.len; i++) {
        unsigned char ch = (unsigned char)in.ptr[i];
        bool unreserved = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                          (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' ||
                          ch == '~';
        if (unreserved) {
            sps_buf_append_char(out, (char)ch);
        } else {
            char esc[3] = {'%', digits[ch >> 4], digits[ch & 0xf]};
            sps_buf_append(out, esc, 3);
        }
    }
}

static void s_encoded_text(struct gen *g, struct sps_buf *out, size_t max_pieces)
{
    struct sps_buf raw;
    sps_buf_init(&raw, 4096);
    s_random_text(g, &raw, max_pieces);
    s_encode(out, sps_buf_cursor(&raw));
    sps_buf_clean_up(&raw);
}

/* A path segment: encoded text, or raw characters that cannot end the path (no '/', '?', '#',
 * '%'), or a dot segment to normalize away. */
static void s_path(struct gen *g, struct sps_buf *url)
{
    static const char *const raw_pieces[] = {"a", "b", "!", "*", "'", "(", ")", ";", ":", "@",
                                             "&", "=", "+", "$", ",", "[", "]", " ", "~",
                                             "\xc3\xa9", "\xe1\x88\xb4"};
    size_t segments = s_below(g, 5);
    if (segments == 0 && s_below(g, 2)) /* no path at all: "https://host?x" */
        return;
    for (size_t i = 0; i < segments; i++) {
        sps_buf_append_char(url, '/');
        switch (s_below(g, 6)) {
        case 0:
            sps_buf_append_str(url, s_below(g, 2) ? "." : "..");
            break;
        case 1:
            break; /* "//" */
        case 2:
            for (size_t k = 1 + s_below(g, 6); k > 0; k--)
                sps_buf_append_str(url, PICK(g, raw_pieces));
            break;
        default:
            s_encoded_text(g, url, 6);
            break;
        }
    }
    if (segments == 0 || s_below(g, 3) == 0)
        sps_buf_append_char(url, '/');
}

static void s_query(struct gen *g, struct sps_buf *url)
{
    static const char *const keys[] = {"Action", "Version", "Filter.1.Name", "MaxResults",
                                       "NextToken", "a", "A", "b"};
    size_t n = s_below(g, 6);
    for (size_t i = 0; i < n; i++) {
        sps_buf_append_char(url, i ? '&' : '?');
        size_t before = url->len;
        if (s_below(g, 4) == 0)
            s_encoded_text(g, url, 4);
        /* Never an empty pair ("a=1&&b"): the one query edge where botocore (signs it as "=")
         * and we (skip it) differ; docs/sigv4.md explains. */
        if (url->len == before)
            sps_buf_append_str(url, PICK(g, keys));
        switch (s_below(g, 5)) {
        case 0:
            break; /* a bare key */
        case 1:
            sps_buf_append_char(url, '=');
            break;
        default:
            sps_buf_append_char(url, '=');
            s_encoded_text(g, url, 8);
        }
    }
}

static void s_form_body(struct gen *g, struct sps_buf *body, const char *service)
{
    static const char *const actions[] = {"DescribeInstances", "DescribeAutoScalingGroups",
                                          "GetCallerIdentity", "RunInstances"};
    sps_buf_printf(body, "Action=%s&Version=%s", PICK(g, actions),
                   strcmp(service, "ec2") == 0 ? "2016-11-15" : "2011-01-01");
    for (size_t i = s_below(g, 6); i > 0; i--) {
        sps_buf_printf(body, "&Filter.%zu.Name=", i);
        s_encoded_text(g, body, 10);
        if (s_below(g, 4) == 0) /* a raw value: the body is hashed as sent, whatever it holds */
            s_random_text(g, body, 5);
    }
}

static void s_header_value(struct gen *g, struct sps_buf *out)
{
    static const char *const pieces[] = {"a", "B", " ", "  ", "\t", "x y", "\"q\"", ",", ";",
                                         "=", "/", "\xe2\x82\xac", "\xe1\x88\xb4", "0"};
    for (size_t i = s_below(g, 8); i > 0; i--)
        sps_buf_append_str(out, PICK(g, pieces));
}

static void s_add(struct sps_http_headers *h, const char *name, const char *value)
{
    sps_http_headers_add(h, sps_cursor_from_str(name), sps_cursor_from_str(value));
}

static void s_extra_headers(struct gen *g, struct sps_http_headers *h)
{
    static const char *const names[] = {"X-Custom", "x-custom", "X-Other", "Accept",
                                        "User-Agent", "X-Amzn-Trace-Id", "Expect", "x-amz-meta-Z"};
    struct sps_buf value;
    sps_buf_init(&value, 4096);
    for (size_t i = s_below(g, 5); i > 0; i--) {
        sps_buf_reset(&value);
        s_header_value(g, &value);
        s_add(h, PICK(g, names), value.data);
    }
    sps_buf_clean_up(&value);
}

static void s_random_chars(struct gen *g, struct sps_buf *out, const char *set, size_t n)
{
    size_t len = strlen(set);
    for (size_t i = 0; i < n; i++)
        sps_buf_append_char(out, set[s_below(g, len)]);
}

static json_t *s_headers_json(const struct sps_http_headers *h)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < h->count; i++)
        json_array_append_new(arr, json_pack("[ss]", h->items[i].name, h->items[i].value));
    return arr;
}

/* Builds, signs and prints request number `index`. Returns false on a signing failure. */
static bool s_one(struct gen *g, size_t index)
{
    static const char *const regions[] = {"us-east-1", "us-west-2", "eu-west-1",
                                          "ap-southeast-2", "sa-east-1", "cn-north-1"};
    static const char *const services[] = {"ec2", "autoscaling", "sts", "pricing"};
    static const char *const b64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *region = PICK(g, regions);
    const char *service = PICK(g, services);
    bool get = strcmp(service, "pricing") != 0 && s_below(g, 3) == 0;
    struct sps_http_request req;
    sps_http_request_init(&req, get ? "GET" : "POST");
    req.body.max = SPS_BUF_DEFAULT_MAX;

    const char *scheme = s_below(g, 8) ? "https" : "http";
    const char *const ports[] = {"", "", "", ":443", ":80", ":8443", ":4566"};
    sps_buf_printf(&req.url, "%s://%s.%s.AmazonAWS.com%s", scheme, service, region,
                   PICK(g, ports));
    if (s_below(g, 10) == 0) {
        sps_buf_reset(&req.url);
        sps_buf_printf(&req.url, "%s://localhost:%zu", scheme, 1024 + s_below(g, 60000));
    }
    s_path(g, &req.url);
    if (get || s_below(g, 4) == 0)
        s_query(g, &req.url);

    if (strcmp(service, "pricing") == 0) {
        s_add(&req.headers, "Content-Type", "application/x-amz-json-1.1");
        s_add(&req.headers, "X-Amz-Target", "AWSPriceListService.GetProducts");
        sps_buf_append_str(&req.body, "{\"ServiceCode\":\"AmazonEC2\",\"Filters\":[{\"Value\":\"");
        s_random_text(g, &req.body, 8);
        sps_buf_append_str(&req.body, "\"}]}");
    } else if (!get) {
        s_add(&req.headers, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        s_form_body(g, &req.body, service);
    }
    s_extra_headers(g, &req.headers);

    struct sps_buf akid, secret, token;
    sps_buf_init(&akid, 64);
    sps_buf_init(&secret, 64);
    sps_buf_init(&token, 1024);
    sps_buf_append_str(&akid, s_below(g, 2) ? "AKIA" : "ASIA");
    s_random_chars(g, &akid, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
    s_random_chars(g, &secret, b64, 40);
    bool with_token = s_below(g, 2);
    if (with_token)
        s_random_chars(g, &token, b64, 100 + s_below(g, 300));
    struct sps_aws_credentials creds = {akid.data, secret.data, with_token ? token.data : NULL, 0};
    /* 2000-01-01 .. 2099-12-31, with milliseconds that must not change the signature. */
    int64_t now_ms = 946684800000 + (int64_t)(s_next(g) % 3155760000000ull);

    json_t *line = json_object();
    json_object_set_new(line, "index", json_integer((json_int_t)index));
    json_object_set_new(line, "method", json_string(req.method));
    json_object_set_new(line, "url", json_string(req.url.data));
    json_object_set_new(line, "headers", s_headers_json(&req.headers));
    json_object_set_new(line, "body", json_stringn(req.body.data, req.body.len));
    struct sps_sigv4_params params = {.credentials = &creds,
                                      .region = sps_cursor_from_str(region),
                                      .service = sps_cursor_from_str(service),
                                      .now_ms = now_ms};
    sps_err err = sps_aws_sigv4_sign(&req, &params);
    bool ok = err == SPS_OK;
    if (!ok)
        fprintf(stderr, "request %zu (%s): %s\n", index, req.url.data, sps_error_name(err));
    json_object_set_new(line, "access_key_id", json_string(akid.data));
    json_object_set_new(line, "secret_access_key", json_string(secret.data));
    json_object_set_new(line, "session_token", with_token ? json_string(token.data) : json_null());
    json_object_set_new(line, "region", json_string(region));
    json_object_set_new(line, "service", json_string(service));
    json_object_set_new(line, "now_ms", json_integer((json_int_t)now_ms));
    json_object_set_new(line, "signed_headers", s_headers_json(&req.headers));
    char *text = json_dumps(line, JSON_COMPACT);
    if (text == NULL) { /* not valid UTF-8: a generator bug */
        fprintf(stderr, "request %zu: cannot encode as JSON\n", index);
        ok = false;
    } else {
        puts(text);
        free(text);
    }
    json_decref(line);
    sps_buf_clean_up(&akid);
    sps_buf_clean_up(&secret);
    sps_buf_clean_up(&token);
    sps_http_request_clean_up(&req);
    return ok;
}

int main(int argc, char **argv)
{
    uint64_t count = 0, seed = 20261124;
    if (argc < 2 || argc > 3 || sps_cursor_to_u64(sps_cursor_from_str(argv[1]), &count) != SPS_OK ||
        (argc == 3 && sps_cursor_to_u64(sps_cursor_from_str(argv[2]), &seed) != SPS_OK)) {
        fprintf(stderr, "usage: %s <count> [seed]\n", argv[0]);
        return 2;
    }
    struct gen g = {seed ? seed : 1};
    size_t failures = 0;
    for (uint64_t i = 0; i < count; i++)
        failures += !s_one(&g, (size_t)i);
    if (sps_alloc_live_count() != 0) {
        fprintf(stderr, "leak: %ld blocks still allocated\n", sps_alloc_live_count());
        return 1;
    }
    return failures ? 1 : 0;
}
