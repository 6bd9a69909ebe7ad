/* HTTP data types, the static credentials provider, and the scripted fake transport. */
#include "sps_aws.h"
#include "sps_fakes.h"
#include "sps_test.h"

static void test_headers(void)
{
    struct sps_http_headers h;
    sps_http_headers_init(&h);
    sps_http_headers_add(&h, SPS_CURSOR_LIT("X-Amz-Date"), SPS_CURSOR_LIT("1"));
    sps_http_headers_add(&h, SPS_CURSOR_LIT("My-Header"), SPS_CURSOR_LIT("a"));
    sps_http_headers_add(&h, SPS_CURSOR_LIT("my-header"), SPS_CURSOR_LIT("b"));
    SPS_CHECK_STR_EQ(sps_http_headers_get(&h, "x-amz-date"), "1");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&h, "MY-HEADER"), "a");
    SPS_CHECK_INT_EQ(h.count, 3);
    sps_http_headers_set(&h, "My-Header", "c");
    SPS_CHECK_INT_EQ(h.count, 2);
    SPS_CHECK_STR_EQ(sps_http_headers_get(&h, "my-header"), "c");
    sps_http_headers_remove(&h, "x-amz-date");
    SPS_CHECK(sps_http_headers_get(&h, "X-Amz-Date") == NULL);
    sps_http_headers_clean_up(&h);
    sps_http_headers_clean_up(NULL);
}

static void test_request_init(void)
{
    struct sps_http_request req;
    sps_http_request_init(&req, "VERYLONGMETHOD");
    SPS_CHECK_INT_EQ(strlen(req.method), SPS_HTTP_METHOD_MAX - 1);
    sps_http_request_clean_up(&req);
    sps_http_request_init(&req, "POST");
    SPS_CHECK_STR_EQ(req.method, "POST");
    sps_http_request_clean_up(&req);
}

static void test_fake_transport_scripts_and_records(void)
{
    struct sps_http_transport *t;
    struct sps_fake_transport *f;
    sps_fake_transport_new(&t, &f);
    sps_fake_transport_push(f, 200, "Content-Type: text/xml\nx-amzn-RequestId: r1\n", "<ok/>");
    sps_fake_transport_push_error(f, SPS_ERR_HTTP_TIMEOUT);

    struct sps_http_request req;
    sps_http_request_init(&req, "POST");
    SPS_CHECK_OK(sps_buf_append_str(&req.url, "https://ec2.us-east-1.amazonaws.com/"));
    SPS_CHECK_OK(sps_buf_append_str(&req.body, "Action=DescribeRegions"));
    struct sps_http_response resp;
    sps_http_response_init(&resp, 1024);
    SPS_CHECK_OK(sps_http_send(t, &req, &resp));
    SPS_CHECK_INT_EQ(resp.status, 200);
    SPS_CHECK_STR_EQ(resp.body.data, "<ok/>");
    SPS_CHECK_STR_EQ(sps_http_headers_get(&resp.headers, "x-amzn-requestid"), "r1");
    sps_http_response_reset(&resp);
    SPS_CHECK_INT_EQ(resp.status, 0);
    SPS_CHECK_STR_EQ(resp.body.data, "");
    SPS_CHECK(sps_http_headers_get(&resp.headers, "x-amzn-requestid") == NULL);
    SPS_CHECK_ERR(sps_http_send(t, &req, &resp), SPS_ERR_HTTP_TIMEOUT);
    SPS_CHECK_ERR(sps_http_send(t, &req, &resp), SPS_ERR_HTTP_CONNECT);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f), 3);
    SPS_CHECK_STR_EQ(sps_fake_transport_request(f, 0)->body.data, "Action=DescribeRegions");
    SPS_CHECK(sps_fake_transport_request(f, 3) == NULL);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    sps_http_transport_destroy(t);
}

static void test_fake_transport_body_limit(void)
{
    struct sps_http_transport *t;
    struct sps_fake_transport *f;
    sps_fake_transport_new(&t, &f);
    sps_fake_transport_push(f, 200, NULL, "0123456789");
    struct sps_http_request req;
    sps_http_request_init(&req, "GET");
    struct sps_http_response resp;
    sps_http_response_init(&resp, 4);
    SPS_CHECK_ERR(sps_http_send(t, &req, &resp), SPS_ERR_HTTP_RESPONSE_TOO_LARGE);
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    sps_http_transport_destroy(t);
}

static void test_static_credentials(void)
{
    struct sps_aws_credentials_provider *p;
    SPS_CHECK_ERR(sps_aws_credentials_provider_new_static(&p, "AKID", "", NULL),
                  SPS_ERR_CREDS_INVALID);
    SPS_CHECK_ERR(sps_aws_credentials_provider_new_static(&p, NULL, "s", NULL),
                  SPS_ERR_CREDS_INVALID);
    SPS_CHECK_OK(sps_aws_credentials_provider_new_static(&p, "AKID", "secretsecret", "tok"));
    struct sps_aws_credentials c = {0};
    SPS_CHECK_OK(sps_aws_credentials_provider_get(p, &c, NULL));
    SPS_CHECK_STR_EQ(c.access_key_id, "AKID");
    SPS_CHECK_STR_EQ(c.secret_access_key, "secretsecret");
    SPS_CHECK_STR_EQ(c.session_token, "tok");
    SPS_CHECK_INT_EQ(c.expiration_ms, 0);
    struct sps_aws_credentials copy = {0};
    sps_aws_credentials_copy(&copy, &c);
    sps_aws_credentials_clean_up(&c);
    SPS_CHECK(c.access_key_id == NULL);
    SPS_CHECK_STR_EQ(copy.secret_access_key, "secretsecret");
    SPS_CHECK_STR_EQ(copy.session_token, "tok");
    /* Copying registers the secret with the logger: it never reaches a log line. */
    struct sps_buf redacted;
    sps_buf_init(&redacted, 0);
    SPS_CHECK_OK(sps_log_redact(&redacted, "body", "x=secretsecret"));
    SPS_CHECK_STR_EQ(redacted.data, "x=[REDACTED]");
    sps_buf_clean_up(&redacted);
    sps_aws_credentials_clean_up(&copy);
    sps_aws_credentials_provider_destroy(p);
    sps_aws_credentials_provider_destroy(NULL);
    sps_log_clear_secrets();
}

SPS_TEST_MAIN(SPS_CASE(test_headers), SPS_CASE(test_request_init),
              SPS_CASE(test_fake_transport_scripts_and_records),
              SPS_CASE(test_fake_transport_body_limit), SPS_CASE(test_static_credentials))
