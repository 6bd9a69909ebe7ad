/*
 * The official SigV4 test suite (aws-c-auth, tests/fixtures/sigv4/v4), header signing, stage by
 * stage: for every case the canonical request, string to sign and signature must equal the
 * expected files, and sps_aws_sigv4_sign must produce the expected Authorization header.
 */
#include "sps_aws.h"
#include "sps_test.h"

#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>

enum { SUITE_CASES = 38 };

struct suite_request {
    char method[SPS_HTTP_METHOD_MAX];
    struct sps_buf path;
    struct sps_buf query;
    struct sps_buf host;
    struct sps_http_headers headers;
    struct sps_buf body;
};

struct suite_context {
    char *akid, *secret, *token, *region, *service;
    int64_t now_ms;
    bool normalize;
    bool omit_token;
    bool sign_body; /* also sign x-amz-content-sha256 */
};

/* Parses request.txt: "METHOD target HTTP/1.1" (the target may hold spaces and raw UTF-8),
 * headers with folded continuation lines joined by '\n', a blank line, the body. */
static void s_parse_request(const char *text, struct suite_request *r)
{
    struct sps_cursor rest = sps_cursor_from_str(text), line;
    SPS_CHECK(sps_cursor_split(&rest, '\n', &line));
    long sp = sps_cursor_find_char(line, ' ');
    SPS_CHECK(sp > 0 && (size_t)sp < SPS_HTTP_METHOD_MAX);
    memcpy(r->method, line.ptr, (size_t)sp);
    r->method[sp] = '\0';
    SPS_CHECK(sps_cursor_ends_with(line, SPS_CURSOR_LIT(" HTTP/1.1")));
    struct sps_cursor target = sps_cursor_sub(line, (size_t)sp + 1, line.len - (size_t)sp - 10);
    struct sps_cursor path = target, query = SPS_CURSOR_EMPTY;
    long q = sps_cursor_find_char(target, '?');
    if (q >= 0) {
        path = sps_cursor_sub(target, 0, (size_t)q);
        query = sps_cursor_sub(target, (size_t)q + 1, target.len);
    }
    SPS_CHECK_OK(sps_buf_set(&r->path, path));
    SPS_CHECK_OK(sps_buf_set(&r->query, query));
    struct sps_buf value;
    sps_buf_init(&value, 65536);
    struct sps_cursor name = SPS_CURSOR_EMPTY;
    for (;;) {
        bool more = sps_cursor_split(&rest, '\n', &line);
        bool folded = line.len > 0 && (line.ptr[0] == ' ' || line.ptr[0] == '\t');
        if (folded) {
            SPS_CHECK(name.len > 0);
            sps_buf_append_char(&value, '\n');
            sps_buf_append_cursor(&value, line);
        } else {
            if (name.len > 0)
                sps_http_headers_add(&r->headers, name, sps_buf_cursor(&value));
            if (line.len == 0)
                break;
            long colon = sps_cursor_find_char(line, ':');
            SPS_CHECK(colon > 0);
            name = sps_cursor_sub(line, 0, (size_t)colon);
            SPS_CHECK_OK(sps_buf_set(&value, sps_cursor_sub(line, (size_t)colon + 1, line.len)));
        }
        if (!more) { /* the file ends with a header line: it is the last one */
            sps_http_headers_add(&r->headers, name, sps_buf_cursor(&value));
            break;
        }
    }
    sps_buf_clean_up(&value);
    SPS_CHECK_OK(sps_buf_set(&r->body, rest));
    const char *host = sps_http_headers_get(&r->headers, "host");
    SPS_CHECK(host != NULL);
    SPS_CHECK_OK(sps_buf_set(&r->host, sps_cursor_from_str(host)));
}

static char *s_json_str(json_t *obj, const char *key, bool required)
{
    const char *s = json_string_value(json_object_get(obj, key));
    if (required)
        SPS_CHECK(s != NULL);
    return s ? sps_strdup(s) : NULL;
}

static void s_parse_context(const char *text, struct suite_context *c)
{
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    SPS_CHECK(root != NULL);
    json_t *creds = json_object_get(root, "credentials");
    SPS_CHECK(json_is_object(creds));
    c->akid = s_json_str(creds, "access_key_id", true);
    c->secret = s_json_str(creds, "secret_access_key", true);
    c->token = s_json_str(creds, "token", false);
    c->region = s_json_str(root, "region", true);
    c->service = s_json_str(root, "service", true);
    char *ts = s_json_str(root, "timestamp", true);
    SPS_CHECK_OK(sps_time_parse_iso8601(sps_cursor_from_str(ts), &c->now_ms));
    sps_free(ts);
    SPS_CHECK(json_is_boolean(json_object_get(root, "normalize")));
    c->normalize = json_is_true(json_object_get(root, "normalize"));
    c->omit_token = json_is_true(json_object_get(root, "omit_session_token"));
    SPS_CHECK(json_is_boolean(json_object_get(root, "sign_body")));
    c->sign_body = json_is_true(json_object_get(root, "sign_body"));
    json_decref(root);
}

static void s_context_clean_up(struct suite_context *c)
{
    sps_free(c->akid);
    sps_free(c->secret);
    sps_free(c->token);
    sps_free(c->region);
    sps_free(c->service);
}

static void s_read(struct sps_buf *out, const char *dir, const char *file)
{
    char rel[512];
    snprintf(rel, sizeof(rel), "sigv4/v4/%s/%s", dir, file);
    sps_buf_reset(out);
    sps_test_read_fixture(out, rel);
}

/* The Authorization value from header-signed-request.txt. */
static struct sps_cursor s_expected_authorization(const struct sps_buf *signed_request)
{
    struct sps_cursor rest = sps_buf_cursor(signed_request), line;
    struct sps_cursor prefix = SPS_CURSOR_LIT("Authorization:");
    while (rest.len > 0) {
        sps_cursor_split(&rest, '\n', &line);
        if (sps_cursor_starts_with(line, prefix))
            return sps_cursor_sub(line, prefix.len, line.len);
    }
    return SPS_CURSOR_EMPTY;
}

static int s_mismatch(const char *name, const char *stage, const char *got, struct sps_cursor want)
{
    if (sps_cursor_eq_str(want, got))
        return 0;
    fprintf(stderr, "%s: %s differs\n  got      \"%s\"\n  expected \"%.*s\"\n", name, stage, got,
            SPS_CURSOR_PRI(want));
    return 1;
}

/* Stages 1-4 from the parsed request, the way sps_aws_sigv4_sign would feed them. */
static int s_check_stages(const char *name, const struct suite_request *r,
                          const struct suite_context *c, struct sps_buf *file)
{
    int failures = 0;
    struct sps_buf amz_date, canonical, signed_headers, scope, sts;
    sps_buf_init(&amz_date, 64);
    sps_buf_init(&canonical, 1 << 20);
    sps_buf_init(&signed_headers, 4096);
    sps_buf_init(&scope, 256);
    sps_buf_init(&sts, 1024);
    struct sps_http_headers headers;
    sps_http_headers_init(&headers);
    for (size_t i = 0; i < r->headers.count; i++)
        sps_http_headers_add(&headers, sps_cursor_from_str(r->headers.items[i].name),
                             sps_cursor_from_str(r->headers.items[i].value));
    SPS_CHECK_OK(sps_time_format_amz_date(&amz_date, c->now_ms));
    sps_http_headers_set(&headers, "X-Amz-Date", amz_date.data);
    if (c->token && !c->omit_token)
        sps_http_headers_set(&headers, "X-Amz-Security-Token", c->token);
    char payload[65];
    sps_sha256_hex(payload, r->body.data, r->body.len);
    if (c->sign_body)
        sps_http_headers_set(&headers, "X-Amz-Content-SHA256", payload);

    SPS_CHECK_OK(sps_aws_sigv4_canonical_request_ex(
        &canonical, &signed_headers, sps_cursor_from_str(r->method), sps_buf_cursor(&r->path),
        sps_buf_cursor(&r->query), &headers, sps_cursor_from_mem(payload, 64), c->normalize));
    s_read(file, name, "header-canonical-request.txt");
    failures += s_mismatch(name, "canonical request", canonical.data, sps_buf_cursor(file));

    SPS_CHECK_OK(sps_buf_printf(&scope, "%.8s/%s/%s/aws4_request", amz_date.data, c->region,
                                c->service));
    SPS_CHECK_OK(sps_aws_sigv4_string_to_sign(&sts, sps_buf_cursor(&amz_date),
                                              sps_buf_cursor(&scope), sps_buf_cursor(&canonical)));
    s_read(file, name, "header-string-to-sign.txt");
    failures += s_mismatch(name, "string to sign", sts.data, sps_buf_cursor(file));

    uint8_t key[32];
    char signature[65];
    sps_aws_sigv4_signing_key(key, sps_cursor_from_str(c->secret),
                              sps_cursor_sub(sps_buf_cursor(&amz_date), 0, 8),
                              sps_cursor_from_str(c->region), sps_cursor_from_str(c->service));
    sps_aws_sigv4_signature(signature, key, sps_buf_cursor(&sts));
    s_read(file, name, "header-signature.txt");
    failures += s_mismatch(name, "signature", signature, sps_cursor_trim(sps_buf_cursor(file)));

    sps_http_headers_clean_up(&headers);
    sps_buf_clean_up(&amz_date);
    sps_buf_clean_up(&canonical);
    sps_buf_clean_up(&signed_headers);
    sps_buf_clean_up(&scope);
    sps_buf_clean_up(&sts);
    return failures;
}

/* The whole request through sps_aws_sigv4_sign. "omit_session_token" cases attach the token
 * after signing, so they are signed with long-term credentials and get the token afterwards. */
static int s_check_sign(const char *name, const struct suite_request *r,
                        const struct suite_context *c, struct sps_buf *file)
{
    int failures = 0;
    struct sps_http_request req;
    sps_http_request_init(&req, r->method);
    SPS_CHECK_OK(sps_buf_printf(&req.url, "https://%s%s%s%s", r->host.data, r->path.data,
                                r->query.len ? "?" : "", r->query.data));
    for (size_t i = 0; i < r->headers.count; i++)
        sps_http_headers_add(&req.headers, sps_cursor_from_str(r->headers.items[i].name),
                             sps_cursor_from_str(r->headers.items[i].value));
    req.body.max = SPS_BUF_DEFAULT_MAX;
    SPS_CHECK_OK(sps_buf_set(&req.body, sps_buf_cursor(&r->body)));
    struct sps_aws_credentials creds = {c->akid, c->secret, c->omit_token ? NULL : c->token, 0};
    struct sps_sigv4_params params = {
        .credentials = &creds,
        .region = sps_cursor_from_str(c->region),
        .service = sps_cursor_from_str(c->service),
        .now_ms = c->now_ms,
        .add_content_sha256 = c->sign_body,
        .keep_path_unnormalized = !c->normalize,
    };
    SPS_CHECK_OK(sps_aws_sigv4_sign(&req, &params));
    if (c->omit_token)
        sps_http_headers_set(&req.headers, "X-Amz-Security-Token", c->token);
    s_read(file, name, "header-signed-request.txt");
    const char *auth = sps_http_headers_get(&req.headers, "Authorization");
    failures += s_mismatch(name, "Authorization", auth ? auth : "(none)",
                           s_expected_authorization(file));
    const char *date = sps_http_headers_get(&req.headers, "X-Amz-Date");
    failures += s_mismatch(name, "X-Amz-Date", date ? date : "(none)",
                           SPS_CURSOR_LIT("20150830T123600Z"));
    const char *token = sps_http_headers_get(&req.headers, "X-Amz-Security-Token");
    SPS_CHECK((token == NULL) == (c->token == NULL));
    sps_http_request_clean_up(&req);
    return failures;
}

static int s_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_every_suite_case(void)
{
    DIR *dir = opendir(sps_test_fixture("sigv4/v4"));
    SPS_CHECK(dir != NULL);
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        SPS_CHECK(n < 64);
        names[n++] = sps_strdup(e->d_name);
    }
    closedir(dir);
    SPS_CHECK_INT_EQ(n, SUITE_CASES);
    qsort(names, n, sizeof(names[0]), s_name_cmp);

    int failures = 0;
    struct sps_buf file;
    sps_buf_init(&file, 1 << 20);
    for (size_t i = 0; i < n; i++) {
        struct suite_request r;
        memset(&r, 0, sizeof(r));
        sps_buf_init(&r.path, 8192);
        sps_buf_init(&r.query, 8192);
        sps_buf_init(&r.host, 1024);
        sps_buf_init(&r.body, 1 << 20);
        sps_http_headers_init(&r.headers);
        struct suite_context c;
        memset(&c, 0, sizeof(c));

        s_read(&file, names[i], "request.txt");
        s_parse_request(file.data, &r);
        s_read(&file, names[i], "context.json");
        s_parse_context(file.data, &c);
        int before = failures;
        failures += s_check_stages(names[i], &r, &c, &file);
        failures += s_check_sign(names[i], &r, &c, &file);
        fprintf(stderr, "%-45s %s\n", names[i], failures == before ? "ok" : "FAILED");

        s_context_clean_up(&c);
        sps_buf_clean_up(&r.path);
        sps_buf_clean_up(&r.query);
        sps_buf_clean_up(&r.host);
        sps_buf_clean_up(&r.body);
        sps_http_headers_clean_up(&r.headers);
        sps_free(names[i]);
    }
    sps_buf_clean_up(&file);
    SPS_CHECK_INT_EQ(failures, 0);
}

SPS_TEST_MAIN(SPS_CASE(test_every_suite_case))
