/*
 * AWS Signature Version 4 (header signing) for every service but S3: the canonical request, the
 * string to sign, the signing key and the signature as separate stages, and sps_aws_sigv4_sign
 * which runs them on an HTTP request. The rules follow botocore's SigV4Auth and aws-c-auth's
 * test suite (tests/fixtures/sigv4); docs/sigv4.md says where the two differ and what we do.
 */
#include "sps_aws_sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdlib.h>
#include <string.h>

enum { S_SIGV4_BUF_MAX = 16 * 1024 * 1024 };

/* ---- hashing ---- */

void sps_sha256_hex(char hex[65], const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    /* EVP_Digest cannot fail for SHA-256 short of memory exhaustion, where we abort anyway. */
    if (EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) != 1 || md_len != 32)
        abort();
    for (size_t i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 0xf];
    }
    hex[64] = '\0';
}

static void s_hmac(uint8_t out[32], const void *key, size_t key_len, struct sps_cursor msg)
{
    unsigned int out_len = 0;
    if (HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)msg.ptr, msg.len, out,
             &out_len) == NULL ||
        out_len != 32)
        abort();
}

void sps_aws_sigv4_signing_key(uint8_t key[32], struct sps_cursor secret, struct sps_cursor date,
                               struct sps_cursor region, struct sps_cursor service)
{
    /* "AWS4" + secret; the copy is wiped before it is freed. */
    uint8_t k[32];
    size_t first_len = 4 + secret.len;
    char *first = sps_malloc(first_len);
    memcpy(first, "AWS4", 4);
    if (secret.len > 0)
        memcpy(first + 4, secret.ptr, secret.len);
    s_hmac(k, first, first_len, date);
    s_hmac(k, k, 32, region);
    s_hmac(k, k, 32, service);
    s_hmac(key, k, 32, SPS_CURSOR_LIT("aws4_request"));
    volatile char *p = first;
    for (size_t i = 0; i < first_len; i++)
        p[i] = 0;
    sps_free(first);
    memset(k, 0, sizeof(k));
}

void sps_aws_sigv4_signature(char hex[65], const uint8_t key[32],
                             struct sps_cursor string_to_sign)
{
    static const char digits[] = "0123456789abcdef";
    uint8_t mac[32];
    s_hmac(mac, key, 32, string_to_sign);
    for (size_t i = 0; i < 32; i++) {
        hex[2 * i] = digits[mac[i] >> 4];
        hex[2 * i + 1] = digits[mac[i] & 0xf];
    }
    hex[64] = '\0';
}

/* ---- URI encoding ---- */

static bool s_is_unreserved(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_' || ch == '.' || ch == '~';
}

/* SigV4's encoding: RFC 3986 unreserved bytes kept, everything else %XX in upper case. */
static sps_err s_encode(struct sps_buf *out, struct sps_cursor in, bool keep_slash)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < in.len; i++) {
        unsigned char ch = (unsigned char)in.ptr[i];
        if (s_is_unreserved(ch) || (keep_slash && ch == '/')) {
            sps_buf_append_char(out, (char)ch);
        } else {
            char esc[3] = {'%', digits[ch >> 4], digits[ch & 0xf]};
            sps_buf_append(out, esc, 3);
        }
    }
    return out->err;
}

static int s_hex_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Percent-decoding; '+' stays '+' (it is not a space outside form bodies). A '%' not followed
 * by two hex digits makes the query malformed. */
static sps_err s_decode(struct sps_buf *out, struct sps_cursor in)
{
    for (size_t i = 0; i < in.len; i++) {
        char ch = in.ptr[i];
        if (ch == '%') {
            if (i + 2 >= in.len)
                return SPS_ERR_HTTP_BAD_URL;
            int hi = s_hex_value(in.ptr[i + 1]);
            int lo = s_hex_value(in.ptr[i + 2]);
            if (hi < 0 || lo < 0)
                return SPS_ERR_HTTP_BAD_URL;
            sps_buf_append_char(out, (char)(hi * 16 + lo));
            i += 2;
        } else {
            sps_buf_append_char(out, ch);
        }
    }
    return out->err;
}

/* ---- canonical path ---- */

/* botocore's remove_dot_segments: drops "." and empty segments, ".." pops the previous one
 * (never above the root); the leading '/' is kept, the trailing one only when segments remain. */
static sps_err s_normalize_path(struct sps_buf *out, struct sps_cursor path)
{
    size_t cap = path.len / 2 + 1;
    struct sps_cursor *segs = sps_calloc(cap, sizeof(*segs));
    size_t n = 0;
    struct sps_cursor rest = path, seg;
    bool more = true;
    while (more) {
        more = sps_cursor_split(&rest, '/', &seg);
        if (seg.len == 0 || sps_cursor_eq_str(seg, "."))
            continue;
        if (sps_cursor_eq_str(seg, "..")) {
            if (n > 0)
                n--;
        } else {
            segs[n++] = seg;
        }
    }
    if (path.len > 0 && path.ptr[0] == '/')
        sps_buf_append_char(out, '/');
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            sps_buf_append_char(out, '/');
        sps_buf_append_cursor(out, segs[i]);
    }
    if (n > 0 && path.len > 0 && path.ptr[path.len - 1] == '/')
        sps_buf_append_char(out, '/');
    sps_free(segs);
    return out->err;
}

/* The path as sent (already percent-encoded on the wire) is encoded once more: every service
 * but S3 expects this "double" encoding. */
static sps_err s_canonical_path(struct sps_buf *out, struct sps_cursor path, bool normalize)
{
    if (path.len == 0)
        return sps_buf_append_char(out, '/');
    if (!normalize)
        return s_encode(out, path, true);
    struct sps_buf normalized;
    sps_buf_init(&normalized, S_SIGV4_BUF_MAX);
    sps_err err = s_normalize_path(&normalized, path);
    if (err == SPS_OK)
        err = s_encode(out, sps_buf_cursor(&normalized), true);
    sps_buf_clean_up(&normalized);
    return err;
}

/* ---- canonical query ---- */

struct s_param {
    char *key; /* encoded */
    char *value;
};

static int s_param_cmp(const void *a, const void *b)
{
    const struct s_param *pa = a, *pb = b;
    int c = strcmp(pa->key, pb->key);
    return c ? c : strcmp(pa->value, pb->value);
}

/* Decodes then re-encodes one key or value so any encoding on input gives the canonical one. */
static sps_err s_recode(struct sps_cursor in, char **out)
{
    struct sps_buf decoded, encoded;
    sps_buf_init(&decoded, S_SIGV4_BUF_MAX);
    sps_buf_init(&encoded, S_SIGV4_BUF_MAX);
    sps_err err = s_decode(&decoded, in);
    if (err == SPS_OK)
        err = s_encode(&encoded, sps_buf_cursor(&decoded), false);
    if (err == SPS_OK)
        *out = sps_buf_take(&encoded);
    sps_buf_clean_up(&decoded);
    sps_buf_clean_up(&encoded);
    return err;
}

static sps_err s_canonical_query(struct sps_buf *out, struct sps_cursor query)
{
    sps_err err = SPS_OK;
    size_t cap = 1;
    for (size_t i = 0; i < query.len; i++)
        cap += query.ptr[i] == '&';
    struct s_param *params = sps_calloc(cap, sizeof(*params));
    size_t n = 0;
    struct sps_cursor rest = query, pair;
    bool more = query.len > 0;
    while (more) {
        more = sps_cursor_split(&rest, '&', &pair);
        if (pair.len == 0) /* "a=1&&b=2" or a trailing '&' */
            continue;
        /* Without '=' the whole pair is the key and the value is empty ("key="). */
        struct sps_cursor value = pair, key;
        (void)sps_cursor_split(&value, '=', &key);
        n++;
        SPS_GUARD(s_recode(key, &params[n - 1].key));
        SPS_GUARD(s_recode(value, &params[n - 1].value));
    }
    qsort(params, n, sizeof(*params), s_param_cmp);
    for (size_t i = 0; i < n; i++)
        sps_buf_printf(out, "%s%s=%s", i ? "&" : "", params[i].key, params[i].value);
    err = out->err;
cleanup:
    for (size_t i = 0; i < n; i++) {
        sps_free(params[i].key);
        sps_free(params[i].value);
    }
    sps_free(params);
    return err;
}

/* ---- canonical headers ---- */

struct s_header {
    char *name; /* lower case */
    const char *value;
    size_t order; /* position on the request: repeated headers keep their order */
};

static int s_header_cmp(const void *a, const void *b)
{
    const struct s_header *ha = a, *hb = b;
    int c = strcmp(ha->name, hb->name);
    if (c)
        return c;
    return ha->order < hb->order ? -1 : ha->order > hb->order;
}

/* Headers the SDKs never sign: proxies and tracing rewrite them. */
static bool s_is_unsigned_header(const char *lower_name)
{
    return strcmp(lower_name, "user-agent") == 0 || strcmp(lower_name, "expect") == 0 ||
           strcmp(lower_name, "x-amzn-trace-id") == 0;
}

static bool s_is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* Trimall: leading and trailing white space removed, inner runs (folded lines included) made
 * one space. */
static void s_append_trimmed(struct sps_buf *out, const char *value)
{
    bool pending_space = false, any = false;
    for (const char *p = value; *p; p++) {
        if (s_is_ws(*p)) {
            pending_space = any;
            continue;
        }
        if (pending_space)
            sps_buf_append_char(out, ' ');
        sps_buf_append_char(out, *p);
        pending_space = false;
        any = true;
    }
}

static char *s_lower_dup(const char *s)
{
    char *copy = sps_strdup(s);
    for (char *p = copy; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    }
    return copy;
}

static sps_err s_canonical_headers(struct sps_buf *out, struct sps_buf *signed_headers,
                                   const struct sps_http_headers *headers)
{
    struct s_header *list = sps_calloc(headers->count ? headers->count : 1, sizeof(*list));
    size_t n = 0;
    for (size_t i = 0; i < headers->count; i++) {
        char *name = s_lower_dup(headers->items[i].name);
        if (s_is_unsigned_header(name)) {
            sps_free(name);
            continue;
        }
        list[n++] = (struct s_header){name, headers->items[i].value ? headers->items[i].value : "",
                                      i};
    }
    qsort(list, n, sizeof(*list), s_header_cmp);
    for (size_t i = 0; i < n; i++) {
        bool repeat = i > 0 && strcmp(list[i].name, list[i - 1].name) == 0;
        if (repeat) {
            sps_buf_append_char(out, ',');
        } else {
            if (i > 0) {
                sps_buf_append_char(out, '\n');
                sps_buf_append_char(signed_headers, ';');
            }
            sps_buf_printf(out, "%s:", list[i].name);
            sps_buf_append_str(signed_headers, list[i].name);
        }
        s_append_trimmed(out, list[i].value);
    }
    if (n > 0)
        sps_buf_append_char(out, '\n');
    for (size_t i = 0; i < n; i++)
        sps_free(list[i].name);
    sps_free(list);
    return out->err ? out->err : signed_headers->err;
}

static bool s_header_name_valid(const char *name)
{
    if (name == NULL || name[0] == '\0')
        return false;
    for (const char *p = name; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch <= ' ' || ch >= 0x7f || ch == ':')
            return false;
    }
    return true;
}

/* ---- stages 1 and 2 ---- */

sps_err sps_aws_sigv4_canonical_request_ex(struct sps_buf *out, struct sps_buf *signed_headers,
                                           struct sps_cursor method, struct sps_cursor path,
                                           struct sps_cursor query,
                                           const struct sps_http_headers *headers,
                                           struct sps_cursor payload_sha256_hex,
                                           bool normalize_path)
{
    if (method.len == 0 || headers == NULL || payload_sha256_hex.len == 0)
        return SPS_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < headers->count; i++) {
        if (!s_header_name_valid(headers->items[i].name))
            return SPS_ERR_INVALID_ARGUMENT;
    }
    sps_buf_reset(out);
    sps_buf_reset(signed_headers);
    sps_buf_printf(out, "%.*s\n", SPS_CURSOR_PRI(method));
    SPS_TRY(s_canonical_path(out, path, normalize_path));
    sps_buf_append_char(out, '\n');
    SPS_TRY(s_canonical_query(out, query));
    sps_buf_append_char(out, '\n');
    SPS_TRY(s_canonical_headers(out, signed_headers, headers));
    sps_buf_printf(out, "\n%s\n%.*s", signed_headers->data, SPS_CURSOR_PRI(payload_sha256_hex));
    return out->err;
}

sps_err sps_aws_sigv4_canonical_request(struct sps_buf *out, struct sps_buf *signed_headers,
                                        struct sps_cursor method, struct sps_cursor path,
                                        struct sps_cursor query,
                                        const struct sps_http_headers *headers,
                                        struct sps_cursor payload_sha256_hex)
{
    return sps_aws_sigv4_canonical_request_ex(out, signed_headers, method, path, query, headers,
                                              payload_sha256_hex, true);
}

sps_err sps_aws_sigv4_string_to_sign(struct sps_buf *out, struct sps_cursor amz_date,
                                     struct sps_cursor scope, struct sps_cursor canonical_request)
{
    if (amz_date.len != 16 || scope.len == 0)
        return SPS_ERR_INVALID_ARGUMENT;
    char hash[65];
    sps_sha256_hex(hash, canonical_request.ptr, canonical_request.len);
    sps_buf_reset(out);
    return sps_buf_printf(out, "AWS4-HMAC-SHA256\n%.*s\n%.*s\n%s", SPS_CURSOR_PRI(amz_date),
                          SPS_CURSOR_PRI(scope), hash);
}

/* ---- the URL ---- */

struct s_url {
    struct sps_cursor scheme, host, port, path, query;
};

static bool s_host_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '.' || ch == '_';
}

/* scheme://host[:port][/path][?query]. Path and query are taken as sent (the test suite puts
 * spaces and raw UTF-8 there); control bytes, fragments and user info are refused. */
static sps_err s_parse_url(struct sps_cursor url, struct s_url *u)
{
    memset(u, 0, sizeof(*u));
    for (size_t i = 0; i < url.len; i++) {
        unsigned char ch = (unsigned char)url.ptr[i];
        if (ch < 0x20 || ch == 0x7f || ch == '#')
            return SPS_ERR_HTTP_BAD_URL;
    }
    long colon = sps_cursor_find_char(url, ':');
    if (colon <= 0 || !sps_cursor_starts_with(sps_cursor_sub(url, (size_t)colon, 3),
                                              SPS_CURSOR_LIT("://")))
        return SPS_ERR_HTTP_BAD_URL;
    u->scheme = sps_cursor_sub(url, 0, (size_t)colon);
    if (!sps_cursor_eq_ignore_case(u->scheme, SPS_CURSOR_LIT("https")) &&
        !sps_cursor_eq_ignore_case(u->scheme, SPS_CURSOR_LIT("http")))
        return SPS_ERR_HTTP_BAD_URL;
    struct sps_cursor rest = sps_cursor_sub(url, (size_t)colon + 3, url.len);
    size_t auth_len = 0;
    while (auth_len < rest.len && rest.ptr[auth_len] != '/' && rest.ptr[auth_len] != '?')
        auth_len++;
    struct sps_cursor authority = sps_cursor_sub(rest, 0, auth_len);
    struct sps_cursor after = sps_cursor_sub(rest, auth_len, rest.len);
    u->host = authority;
    long port_at = sps_cursor_find_char(authority, ':');
    if (port_at >= 0) {
        u->host = sps_cursor_sub(authority, 0, (size_t)port_at);
        u->port = sps_cursor_sub(authority, (size_t)port_at + 1, authority.len);
        uint64_t port = 0;
        if (sps_cursor_to_u64(u->port, &port) != SPS_OK || port == 0 || port > 65535)
            return SPS_ERR_HTTP_BAD_URL;
    }
    if (u->host.len == 0)
        return SPS_ERR_HTTP_BAD_URL;
    for (size_t i = 0; i < u->host.len; i++) {
        if (!s_host_char(u->host.ptr[i]))
            return SPS_ERR_HTTP_BAD_URL;
    }
    long q = sps_cursor_find_char(after, '?');
    u->path = after;
    if (q >= 0) {
        u->path = sps_cursor_sub(after, 0, (size_t)q);
        u->query = sps_cursor_sub(after, (size_t)q + 1, after.len);
    }
    return SPS_OK;
}

/* Host header value as the SDKs derive it: lower case, the port only when not the default. */
static sps_err s_host_header(struct sps_buf *out, const struct s_url *u)
{
    for (size_t i = 0; i < u->host.len; i++) {
        char ch = u->host.ptr[i];
        sps_buf_append_char(out, (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch);
    }
    if (u->port.len > 0) {
        uint64_t port = 0;
        SPS_TRY(sps_cursor_to_u64(u->port, &port));
        bool https = sps_cursor_eq_ignore_case(u->scheme, SPS_CURSOR_LIT("https"));
        if (port != (https ? 443u : 80u))
            sps_buf_printf(out, ":%u", (unsigned)port);
    }
    return out->err;
}

/* ---- the whole request ---- */

static sps_err s_check_params(const struct sps_http_request *req,
                              const struct sps_sigv4_params *params)
{
    if (req == NULL || params == NULL || req->method[0] == '\0')
        return SPS_ERR_INVALID_ARGUMENT;
    const struct sps_aws_credentials *c = params->credentials;
    if (c == NULL || c->access_key_id == NULL || c->access_key_id[0] == '\0' ||
        c->secret_access_key == NULL || c->secret_access_key[0] == '\0')
        return SPS_ERR_CREDS_INVALID;
    if (params->region.len == 0 || params->service.len == 0 || params->now_ms < 0)
        return SPS_ERR_INVALID_ARGUMENT;
    return SPS_OK;
}

sps_err sps_aws_sigv4_sign(struct sps_http_request *req, const struct sps_sigv4_params *params)
{
    SPS_TRY(s_check_params(req, params));
    const struct sps_aws_credentials *creds = params->credentials;
    sps_err err = SPS_OK;
    struct s_url url;
    struct sps_http_headers to_sign;
    struct sps_buf amz_date, host, canonical, signed_headers, scope, sts, auth;
    sps_http_headers_init(&to_sign);
    sps_buf_init(&amz_date, 64);
    sps_buf_init(&host, 1024);
    sps_buf_init(&canonical, S_SIGV4_BUF_MAX);
    sps_buf_init(&signed_headers, S_SIGV4_BUF_MAX);
    sps_buf_init(&scope, 1024);
    sps_buf_init(&sts, 1024);
    sps_buf_init(&auth, S_SIGV4_BUF_MAX);
    uint8_t key[32];

    SPS_GUARD(s_parse_url(sps_buf_cursor(&req->url), &url));
    SPS_GUARD(sps_time_format_amz_date(&amz_date, params->now_ms));
    char payload_hash[65];
    sps_sha256_hex(payload_hash, req->body.data, req->body.len);

    /* A re-signed request (a retry) must not carry the previous signature or token. */
    sps_http_headers_remove(&req->headers, "Authorization");
    sps_http_headers_set(&req->headers, "X-Amz-Date", amz_date.data);
    if (creds->session_token && creds->session_token[0])
        sps_http_headers_set(&req->headers, "X-Amz-Security-Token", creds->session_token);
    else
        sps_http_headers_remove(&req->headers, "X-Amz-Security-Token");
    if (params->add_content_sha256)
        sps_http_headers_set(&req->headers, "X-Amz-Content-SHA256", payload_hash);

    /* The transport derives Host from the URL; sign that same value unless one was given. */
    for (size_t i = 0; i < req->headers.count; i++)
        sps_http_headers_add(&to_sign, sps_cursor_from_str(req->headers.items[i].name),
                             sps_cursor_from_str(req->headers.items[i].value));
    if (sps_http_headers_get(&to_sign, "host") == NULL) {
        SPS_GUARD(s_host_header(&host, &url));
        sps_http_headers_add(&to_sign, SPS_CURSOR_LIT("host"), sps_buf_cursor(&host));
    }

    SPS_GUARD(sps_aws_sigv4_canonical_request_ex(
        &canonical, &signed_headers, sps_cursor_from_str(req->method), url.path, url.query,
        &to_sign, sps_cursor_from_mem(payload_hash, 64), !params->keep_path_unnormalized));
    struct sps_cursor date = sps_cursor_sub(sps_buf_cursor(&amz_date), 0, 8);
    SPS_GUARD(sps_buf_printf(&scope, "%.*s/%.*s/%.*s/aws4_request", SPS_CURSOR_PRI(date),
                             SPS_CURSOR_PRI(params->region), SPS_CURSOR_PRI(params->service)));
    SPS_GUARD(sps_aws_sigv4_string_to_sign(&sts, sps_buf_cursor(&amz_date),
                                           sps_buf_cursor(&scope), sps_buf_cursor(&canonical)));
    sps_aws_sigv4_signing_key(key, sps_cursor_from_str(creds->secret_access_key), date,
                              params->region, params->service);
    char signature[65];
    sps_aws_sigv4_signature(signature, key, sps_buf_cursor(&sts));
    SPS_GUARD(sps_buf_printf(&auth,
                             "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                             creds->access_key_id, scope.data, signed_headers.data, signature));
    sps_http_headers_set(&req->headers, "Authorization", auth.data);

cleanup:
    memset(key, 0, sizeof(key));
    sps_http_headers_clean_up(&to_sign);
    sps_buf_clean_up(&amz_date);
    sps_buf_clean_up(&host);
    sps_buf_clean_up(&canonical);
    sps_buf_clean_up(&signed_headers);
    sps_buf_clean_up(&scope);
    sps_buf_clean_up(&sts);
    sps_buf_clean_up(&auth);
    return err;
}
