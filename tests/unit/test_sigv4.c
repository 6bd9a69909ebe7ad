/*
 * SigV4 stage by stage and sps_aws_sigv4_sign on requests shaped like spotswap's (Query-protocol
 * form bodies, STS with a session token, Pricing JSON, endpoints with ports), plus every error
 * path. Expected Authorization values were computed independently with botocore 1.29.27
 * (SigV4Auth.add_auth with the clock frozen); the official suite is in test_sigv4_suite.c.
 */
#include "sps_aws.h"
#include "sps_test.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define FORM_TYPE "application/x-www-form-urlencoded; charset=utf-8"
#define T_2026 1795498671000 /* 2026-11-24T05:37:51Z */

static const struct sps_aws_credentials s_creds = {AKID, SECRET, NULL, 0};

/* Canonical request from the stage-1 API with the given headers (name, value pairs). */
static sps_err s_canonical(struct sps_buf *out, struct sps_buf *signed_headers, const char *method,
                           const char *path, const char *query, const char *const *headers,
                           size_t n_headers)
{
    struct sps_http_headers h;
    sps_http_headers_init(&h);
    for (size_t i = 0; i + 1 < n_headers; i += 2)
        sps_http_headers_add(&h, sps_cursor_from_str(headers[i]),
                             sps_cursor_from_str(headers[i + 1]));
    sps_err err = sps_aws_sigv4_canonical_request(
        out, signed_headers, sps_cursor_from_str(method), sps_cursor_from_str(path),
        sps_cursor_from_str(query), &h, SPS_CURSOR_LIT("UNSIGNED-PAYLOAD"));
    sps_http_headers_clean_up(&h);
    return err;
}

static void test_sha256(void)
{
    char hex[65];
    sps_sha256_hex(hex, "", 0);
    SPS_CHECK_STR_EQ(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sps_sha256_hex(hex, "abc", 3);
    SPS_CHECK_STR_EQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* The signing-key example from the AWS documentation, and one signature over it. */
static void test_signing_key_and_signature(void)
{
    uint8_t key[32];
    sps_aws_sigv4_signing_key(key, SPS_CURSOR_LIT(SECRET), SPS_CURSOR_LIT("20120215"),
                              SPS_CURSOR_LIT("us-east-1"), SPS_CURSOR_LIT("iam"));
    struct sps_buf hex;
    sps_buf_init(&hex, 128);
    SPS_CHECK_OK(sps_buf_append_hex(&hex, key, 32));
    SPS_CHECK_STR_EQ(hex.data, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    /* A secret of any length (no fixed-size copy truncates it). */
    char long_secret[300];
    memset(long_secret, 'S', sizeof(long_secret));
    uint8_t long_key[32];
    sps_aws_sigv4_signing_key(long_key, sps_cursor_from_mem(long_secret, sizeof(long_secret)),
                              SPS_CURSOR_LIT("20120215"), SPS_CURSOR_LIT("us-east-1"),
                              SPS_CURSOR_LIT("iam"));
    sps_buf_reset(&hex);
    SPS_CHECK_OK(sps_buf_append_hex(&hex, long_key, 32));
    SPS_CHECK_STR_EQ(hex.data, "bc8381ba59308e194794d3dcd17cde76dfe6d4f9d92d93f87a003c81a4feb680");
    sps_buf_clean_up(&hex);
    char sig[65];
    sps_aws_sigv4_signature(sig, key, SPS_CURSOR_LIT("string to sign"));
    SPS_CHECK_STR_EQ(sig, "18f3c67974b4dad785c8318e29a51984c52b54fd68b36572fc4480b958b45280");
}

static void test_canonical_headers(void)
{
    struct sps_buf out, sh;
    sps_buf_init(&out, 4096);
    sps_buf_init(&sh, 4096);
    const char *h[] = {"Host",       "EC2.amazonaws.com", "X-B",      "  two   words\t here ",
                       "User-Agent", "spotswap/0.1",      "x-b",      "second",
                       "Expect",     "100-continue",      "X-Amzn-Trace-Id", "Root=1",
                       "X-Folded",   "a\n   b",           "X-Empty",  ""};
    SPS_CHECK_OK(s_canonical(&out, &sh, "GET", "/", "", h, sizeof(h) / sizeof(h[0])));
    SPS_CHECK_STR_EQ(out.data, "GET\n/\n\n"
                               "host:EC2.amazonaws.com\n"
                               "x-b:two words here,second\n"
                               "x-empty:\n"
                               "x-folded:a b\n"
                               "\nhost;x-b;x-empty;x-folded\nUNSIGNED-PAYLOAD");
    SPS_CHECK_STR_EQ(sh.data, "host;x-b;x-empty;x-folded");
    sps_buf_clean_up(&out);
    sps_buf_clean_up(&sh);
}

static void test_canonical_path(void)
{
    static const struct {
        const char *path, *want;
    } cases[] = {
        {"", "/"},
        {"/", "/"},
        {"/a/./b/../c", "/a/c"},
        {"//a//b//", "/a/b/"},
        {"/a/..", "/"},
        {"/../../x", "/x"},
        {"/a%20b/c", "/a%2520b/c"}, /* the wire form is encoded once more */
        {"/a b/$&+,:;=@!*'()", "/a%20b/%24%26%2B%2C%3A%3B%3D%40%21%2A%27%28%29"},
        {"/\xe1\x88\xb4", "/%E1%88%B4"},
        {"/-._~Az09", "/-._~Az09"},
    };
    struct sps_buf out, sh, want;
    sps_buf_init(&out, 4096);
    sps_buf_init(&sh, 4096);
    sps_buf_init(&want, 4096);
    const char *h[] = {"host", "h"};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SPS_CHECK_OK(s_canonical(&out, &sh, "GET", cases[i].path, "", h, 2));
        sps_buf_reset(&want);
        SPS_CHECK_OK(sps_buf_printf(&want, "GET\n%s\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD",
                                    cases[i].want));
        SPS_CHECK_STR_EQ(out.data, want.data);
    }
    /* S3's rule keeps the path as sent. */
    struct sps_http_headers hh;
    sps_http_headers_init(&hh);
    sps_http_headers_add(&hh, SPS_CURSOR_LIT("host"), SPS_CURSOR_LIT("h"));
    SPS_CHECK_OK(sps_aws_sigv4_canonical_request_ex(
        &out, &sh, SPS_CURSOR_LIT("GET"), SPS_CURSOR_LIT("//a/./b/.."), SPS_CURSOR_EMPTY, &hh,
        SPS_CURSOR_LIT("x"), false));
    SPS_CHECK_STR_EQ(out.data, "GET\n//a/./b/..\n\nhost:h\n\nhost\nx");
    sps_http_headers_clean_up(&hh);
    sps_buf_clean_up(&out);
    sps_buf_clean_up(&sh);
    sps_buf_clean_up(&want);
}

static void test_canonical_query(void)
{
    static const struct {
        const char *query, *want;
    } cases[] = {
        {"", ""},
        {"b=2&a=1&a=0&c", "a=0&a=1&b=2&c="},
        {"&&x=1&", "x=1"},
        {"k=%7e%2a%2F", "k=~%2A%2F"},
        {"k=a+b c", "k=a%2Bb%20c"}, /* '+' is a literal plus in a URL query */
        {"%E1%88%B4=\xe1\x88\xb4", "%E1%88%B4=%E1%88%B4"},
        {"a=%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D%20%25",
         "a=%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D%20%25"},
        {"B=1&a=1&_=1&-=1", "-=1&B=1&_=1&a=1"},
        {"k==v", "k=%3Dv"},
    };
    struct sps_buf out, sh, want;
    sps_buf_init(&out, 4096);
    sps_buf_init(&sh, 4096);
    sps_buf_init(&want, 4096);
    const char *h[] = {"host", "h"};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SPS_CHECK_OK(s_canonical(&out, &sh, "GET", "/", cases[i].query, h, 2));
        sps_buf_reset(&want);
        SPS_CHECK_OK(sps_buf_printf(&want, "GET\n/\n%s\nhost:h\n\nhost\nUNSIGNED-PAYLOAD",
                                    cases[i].want));
        SPS_CHECK_STR_EQ(out.data, want.data);
    }
    sps_buf_clean_up(&out);
    sps_buf_clean_up(&sh);
    sps_buf_clean_up(&want);
}

static void test_canonical_request_errors(void)
{
    struct sps_buf out, sh;
    sps_buf_init(&out, 4096);
    sps_buf_init(&sh, 4096);
    const char *ok[] = {"host", "h"};
    SPS_CHECK_ERR(s_canonical(&out, &sh, "", "/", "", ok, 2), SPS_ERR_INVALID_ARGUMENT);
    static const char *const bad_queries[] = {"a=%", "a=%4", "a=%zz", "%g0=1", "a=1&b=%2"};
    for (size_t i = 0; i < sizeof(bad_queries) / sizeof(bad_queries[0]); i++)
        SPS_CHECK_ERR(s_canonical(&out, &sh, "GET", "/", bad_queries[i], ok, 2),
                      SPS_ERR_HTTP_BAD_URL);
    static const char *const bad_names[] = {"", "bad name", "bad:name", "tab\tname", "\x7f"};
    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        const char *h[] = {"host", "h", bad_names[i], "v"};
        SPS_CHECK_ERR(s_canonical(&out, &sh, "GET", "/", "", h, 4), SPS_ERR_INVALID_ARGUMENT);
    }
    struct sps_http_headers h;
    sps_http_headers_init(&h);
    SPS_CHECK_ERR(sps_aws_sigv4_canonical_request(&out, &sh, SPS_CURSOR_LIT("GET"),
                                                  SPS_CURSOR_LIT("/"), SPS_CURSOR_EMPTY, NULL,
                                                  SPS_CURSOR_LIT("x")),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_sigv4_canonical_request(&out, &sh, SPS_CURSOR_LIT("GET"),
                                                  SPS_CURSOR_LIT("/"), SPS_CURSOR_EMPTY, &h,
                                                  SPS_CURSOR_EMPTY),
                  SPS_ERR_INVALID_ARGUMENT);
    /* A size-limited output buffer reports the limit instead of truncating. */
    struct sps_buf tiny;
    sps_buf_init(&tiny, 8);
    SPS_CHECK_ERR(s_canonical(&tiny, &sh, "GET", "/a/long/path", "", ok, 2),
                  SPS_ERR_LIMIT_EXCEEDED);
    sps_buf_clean_up(&tiny);
    sps_buf_clean_up(&out);
    sps_buf_clean_up(&sh);
}

static void test_string_to_sign(void)
{
    struct sps_buf out;
    sps_buf_init(&out, 1024);
    SPS_CHECK_OK(sps_aws_sigv4_string_to_sign(&out, SPS_CURSOR_LIT("20150830T123600Z"),
                                              SPS_CURSOR_LIT("20150830/us-east-1/iam/aws4_request"),
                                              SPS_CURSOR_LIT("abc")));
    SPS_CHECK_STR_EQ(out.data, "AWS4-HMAC-SHA256\n20150830T123600Z\n"
                               "20150830/us-east-1/iam/aws4_request\n"
                               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    SPS_CHECK_ERR(sps_aws_sigv4_string_to_sign(&out, SPS_CURSOR_LIT("20150830"),
                                               SPS_CURSOR_LIT("s"), SPS_CURSOR_LIT("abc")),
                  SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_sigv4_string_to_sign(&out, SPS_CURSOR_LIT("20150830T123600Z"),
                                               SPS_CURSOR_EMPTY, SPS_CURSOR_LIT("abc")),
                  SPS_ERR_INVALID_ARGUMENT);
    sps_buf_clean_up(&out);
}

static struct sps_sigv4_params s_params(const struct sps_aws_credentials *creds,
                                        const char *region, const char *service, int64_t now_ms)
{
    return (struct sps_sigv4_params){.credentials = creds,
                                     .region = sps_cursor_from_str(region),
                                     .service = sps_cursor_from_str(service),
                                     .now_ms = now_ms};
}

static void s_request(struct sps_http_request *req, const char *method, const char *url,
                      const char *body)
{
    sps_http_request_init(req, method);
    req->body.max = SPS_BUF_DEFAULT_MAX;
    SPS_CHECK_OK(sps_buf_append_str(&req->url, url));
    SPS_CHECK_OK(sps_buf_append_str(&req->body, body));
}

static void test_sign_ec2_form_post(void)
{
    struct sps_http_request req;
    s_request(&req, "POST", "https://ec2.us-east-1.amazonaws.com/",
              "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3Aspotswap&"
              "Filter.1.Value.1=%21%2A%27%28%29%20%E2%82%AC");
    sps_http_headers_set(&req.headers, "Content-Type", FORM_TYPE);
    struct sps_sigv4_params p = s_params(&s_creds, "us-east-1", "ec2", T_2026);
    SPS_CHECK_OK(sps_aws_sigv4_sign(&req, &p));
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req.headers, "Authorization"),
                     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261124/us-east-1/ec2/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date, "
                     "Signature=07be782ce82d905b9eb8f90f4a5b502d605d3c1a746bf6d1f303f8875a5fb50f");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req.headers, "X-Amz-Date"), "20261124T053751Z");
    SPS_CHECK(sps_http_headers_get(&req.headers, "X-Amz-Security-Token") == NULL);
    SPS_CHECK(sps_http_headers_get(&req.headers, "Host") == NULL); /* left to the transport */
    SPS_CHECK(sps_http_headers_get(&req.headers, "X-Amz-Content-SHA256") == NULL);

    /* Signing again (a retry) replaces, never duplicates. */
    p.now_ms += 1000;
    SPS_CHECK_OK(sps_aws_sigv4_sign(&req, &p));
    SPS_CHECK_INT_EQ(req.headers.count, 3);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req.headers, "X-Amz-Date"), "20261124T053752Z");
    sps_http_request_clean_up(&req);
}

static void test_sign_session_token(void)
{
    struct sps_aws_credentials creds = {AKID, SECRET, "FwoGZXIvYXdzEXAMPLE//token+with/slashes==",
                                        0};
    struct sps_http_request req;
    s_request(&req, "POST", "https://sts.us-west-2.amazonaws.com/",
              "Action=GetCallerIdentity&Version=2011-06-15");
    sps_http_headers_set(&req.headers, "Content-Type", FORM_TYPE);
    struct sps_sigv4_params p = s_params(&creds, "us-west-2", "sts", T_2026);
    SPS_CHECK_OK(sps_aws_sigv4_sign(&req, &p));
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req.headers, "X-Amz-Security-Token"),
                     creds.session_token);
    SPS_CHECK_STR_EQ(
        sps_http_headers_get(&req.headers, "Authorization"),
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261124/us-west-2/sts/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
        "Signature=a20444d0e40949aac79e8e1c6829c5ae44a85300f4f65f1e33db3527aa73cbf6");
    /* Re-signed with long-term keys, the stale token must go. */
    p = s_params(&s_creds, "us-west-2", "sts", T_2026);
    SPS_CHECK_OK(sps_aws_sigv4_sign(&req, &p));
    SPS_CHECK(sps_http_headers_get(&req.headers, "X-Amz-Security-Token") == NULL);
    SPS_CHECK(strstr(sps_http_headers_get(&req.headers, "Authorization"),
                     "SignedHeaders=content-type;host;x-amz-date,") != NULL);
    sps_http_request_clean_up(&req);
}

/* Port kept in the host (non-default), path normalized and re-encoded, query sorted, User-Agent
 * not signed, header value trimmed. */
static void test_sign_port_path_query(void)
{
    struct sps_http_request req;
    s_request(&req, "GET", "https://localhost:8443/a%20b/./c/../d//e?b=2&a=%21%2A&a=1&c=", "");
    sps_http_headers_add(&req.headers, SPS_CURSOR_LIT("User-Agent"),
                         SPS_CURSOR_LIT("spotswap/0.1"));
    sps_http_headers_add(&req.headers, SPS_CURSOR_LIT("X-Extra"), SPS_CURSOR_LIT("  x   y  "));
    struct sps_sigv4_params p = s_params(&s_creds, "eu-west-1", "autoscaling", 1577836800000);
    SPS_CHECK_OK(sps_aws_sigv4_sign(&req, &p));
    SPS_CHECK_STR_EQ(
        sps_http_headers_get(&req.headers, "Authorization"),
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20200101/eu-west-1/autoscaling/aws4_request, "
        "SignedHeaders=host;x-amz-date;x-extra, "
        "Signature=299e493215393b72e4c20419c337d65fd3d9cb405b0b0af02e456c653645530b");
    sps_http_request_clean_up(&req);
}

static void test_sign_pricing_json(void)
{
    struct sps_http_request req;
    s_request(&req, "POST", "https://api.pricing.us-east-1.amazonaws.com/",
              "{\"ServiceCode\":\"AmazonEC2\"}");
    sps_http_headers_set(&req.headers, "Content-Type", "application/x-amz-json-1.1");
    sps_http_headers_set(&req.headers, "X-Amz-Target", "AWSPriceListService.GetProducts");
    struct sps_sigv4_params p = s_params(&s_creds, "us-east-1", "pricing", T_2026);
    SPS_CHECK_OK(sps_aws_sigv4_sign(&req, &p));
    SPS_CHECK_STR_EQ(
        sps_http_headers_get(&req.headers, "Authorization"),
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261124/us-east-1/pricing/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
        "Signature=309211de6911d4cb00f153ef6d6519adfe19ce7bf80877f9adbf6551340ee977");
    sps_http_request_clean_up(&req);
}

/* The Host value signed for a URL equals the one signed from an explicit Host header. */
static void s_check_host(const char *url, const char *host)
{
    struct sps_http_request a, b;
    s_request(&a, "GET", url, "");
    s_request(&b, "GET", url, "");
    sps_http_headers_set(&b.headers, "Host", host);
    struct sps_sigv4_params p = s_params(&s_creds, "us-east-1", "ec2", T_2026);
    SPS_CHECK_OK(sps_aws_sigv4_sign(&a, &p));
    SPS_CHECK_OK(sps_aws_sigv4_sign(&b, &p));
    SPS_CHECK_STR_EQ(sps_http_headers_get(&a.headers, "Authorization"),
                     sps_http_headers_get(&b.headers, "Authorization"));
    sps_http_request_clean_up(&a);
    sps_http_request_clean_up(&b);
}

static void test_sign_host_from_url(void)
{
    s_check_host("https://ec2.amazonaws.com", "ec2.amazonaws.com");
    s_check_host("https://EC2.Amazonaws.com:443/", "ec2.amazonaws.com");
    s_check_host("https://ec2.amazonaws.com:8443/", "ec2.amazonaws.com:8443");
    s_check_host("http://127.0.0.1:80/x", "127.0.0.1");
    s_check_host("HTTP://127.0.0.1:8080?x=1", "127.0.0.1:8080");
    s_check_host("http://localhost:443/", "localhost:443");
}

static void test_sign_content_sha256(void)
{
    struct sps_http_request req;
    s_request(&req, "POST", "https://s.example.com/", "abc");
    struct sps_sigv4_params p = s_params(&s_creds, "us-east-1", "s", T_2026);
    p.add_content_sha256 = true;
    SPS_CHECK_OK(sps_aws_sigv4_sign(&req, &p));
    SPS_CHECK_STR_EQ(sps_http_headers_get(&req.headers, "x-amz-content-sha256"),
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    SPS_CHECK(strstr(sps_http_headers_get(&req.headers, "Authorization"),
                     "SignedHeaders=host;x-amz-content-sha256;x-amz-date,") != NULL);
    sps_http_request_clean_up(&req);
}

static void test_sign_bad_urls(void)
{
    static const char *const bad[] = {
        "",
        "ec2.us-east-1.amazonaws.com/",
        "//ec2.amazonaws.com/",
        "://ec2.amazonaws.com/",
        "ftp://ec2.amazonaws.com/",
        "https:/ec2.amazonaws.com/",
        "https://",
        "https:///path",
        "https://:443/",
        "https://host:/",
        "https://host:0/",
        "https://host:65536/",
        "https://host:-1/",
        "https://host:44a/",
        "https://host:1:2/",
        "https://user:pw@host/",
        "https://ho st/",
        "https://host/#fragment",
        "https://host/a\nb",
        "https://host/\x7f",
        "https://[::1]/",
        "https://host/?a=%zz",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sps_http_request req;
        s_request(&req, "GET", bad[i], "");
        struct sps_sigv4_params p = s_params(&s_creds, "us-east-1", "ec2", T_2026);
        sps_err err = sps_aws_sigv4_sign(&req, &p);
        if (err != SPS_ERR_HTTP_BAD_URL)
            sps_test_fail(__FILE__, __LINE__, "URL \"%s\": got %s", bad[i], sps_error_name(err));
        SPS_CHECK(sps_http_headers_get(&req.headers, "Authorization") == NULL);
        sps_http_request_clean_up(&req);
    }
}

static void test_sign_bad_credentials_and_params(void)
{
    struct sps_http_request req;
    s_request(&req, "GET", "https://ec2.amazonaws.com/", "");
    struct sps_aws_credentials no_akid = {NULL, SECRET, NULL, 0};
    struct sps_aws_credentials empty_akid = {"", SECRET, NULL, 0};
    struct sps_aws_credentials no_secret = {AKID, NULL, NULL, 0};
    struct sps_aws_credentials empty_secret = {AKID, "", "token", 0};
    const struct sps_aws_credentials *bad_creds[] = {NULL, &no_akid, &empty_akid, &no_secret,
                                                     &empty_secret};
    for (size_t i = 0; i < sizeof(bad_creds) / sizeof(bad_creds[0]); i++) {
        struct sps_sigv4_params p = s_params(bad_creds[i], "us-east-1", "ec2", T_2026);
        SPS_CHECK_ERR(sps_aws_sigv4_sign(&req, &p), SPS_ERR_CREDS_INVALID);
    }
    struct sps_sigv4_params p = s_params(&s_creds, "", "ec2", T_2026);
    SPS_CHECK_ERR(sps_aws_sigv4_sign(&req, &p), SPS_ERR_INVALID_ARGUMENT);
    p = s_params(&s_creds, "us-east-1", "", T_2026);
    SPS_CHECK_ERR(sps_aws_sigv4_sign(&req, &p), SPS_ERR_INVALID_ARGUMENT);
    p = s_params(&s_creds, "us-east-1", "ec2", -1);
    SPS_CHECK_ERR(sps_aws_sigv4_sign(&req, &p), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK_ERR(sps_aws_sigv4_sign(&req, NULL), SPS_ERR_INVALID_ARGUMENT);
    p = s_params(&s_creds, "us-east-1", "ec2", T_2026);
    SPS_CHECK_ERR(sps_aws_sigv4_sign(NULL, &p), SPS_ERR_INVALID_ARGUMENT);
    req.method[0] = '\0';
    SPS_CHECK_ERR(sps_aws_sigv4_sign(&req, &p), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK(req.headers.count == 0); /* nothing was touched */
    sps_http_request_clean_up(&req);

    s_request(&req, "GET", "https://ec2.amazonaws.com/", "");
    sps_http_headers_add(&req.headers, SPS_CURSOR_LIT("Bad Name"), SPS_CURSOR_LIT("v"));
    SPS_CHECK_ERR(sps_aws_sigv4_sign(&req, &p), SPS_ERR_INVALID_ARGUMENT);
    SPS_CHECK(sps_http_headers_get(&req.headers, "Authorization") == NULL);
    sps_http_request_clean_up(&req);
}

SPS_TEST_MAIN(SPS_CASE(test_sha256), SPS_CASE(test_signing_key_and_signature),
              SPS_CASE(test_canonical_headers), SPS_CASE(test_canonical_path),
              SPS_CASE(test_canonical_query), SPS_CASE(test_canonical_request_errors),
              SPS_CASE(test_string_to_sign), SPS_CASE(test_sign_ec2_form_post),
              SPS_CASE(test_sign_session_token), SPS_CASE(test_sign_port_path_query),
              SPS_CASE(test_sign_pricing_json), SPS_CASE(test_sign_host_from_url),
              SPS_CASE(test_sign_content_sha256), SPS_CASE(test_sign_bad_urls),
              SPS_CASE(test_sign_bad_credentials_and_params))
