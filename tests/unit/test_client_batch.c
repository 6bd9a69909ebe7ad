/* The service client's multi-call machinery: pagination, run_many batching (one send_many per
 * transport and round, retries of some calls while others finish, the on_done callback) and
 * rate pacing. */
#include "http_client_env.h"
#include "sps_test.h"

/* ---- pagination ---- */

struct s_pages {
    const char *tokens[4]; /* the token page i answers with (NULL: none) */
    int served;
    int seen;
    sps_err fail_on_page; /* on_page fails with this on page 2 when set */
    char bodies[4][256];
};

static sps_err s_page_handler(void *ctx, const struct sps_http_request *req,
                              struct sps_http_response *resp)
{
    struct s_pages *p = ctx;
    snprintf(p->bodies[p->served], sizeof(p->bodies[0]), "%s", req->body.data);
    const char *token = p->tokens[p->served++];
    resp->status = 200;
    return sps_buf_printf(&resp->body,
                          "<DescribeInstancesResponse><reservationSet/>%s%s%s"
                          "</DescribeInstancesResponse>",
                          token ? "<nextToken>" : "", token ? token : "",
                          token ? "</nextToken>" : "");
}

static sps_err s_on_page(void *ctx, const struct sps_xml_node *result)
{
    struct s_pages *p = ctx;
    p->seen++;
    if (sps_xml_child(result, "reservationSet") == NULL)
        return SPS_ERR_MISSING_FIELD;
    return p->seen == 2 ? p->fail_on_page : SPS_OK;
}

static sps_err s_paginate(struct sps_cenv *e, struct s_pages *p, size_t max_pages,
                          struct sps_aws_error *aws_err)
{
    sps_fake_transport_set_handler(e->fake, s_page_handler, p);
    sps_query_clean_up(&e->query);
    sps_query_init(&e->query, "DescribeInstances", "2016-11-15");
    return sps_aws_query_paginate(e->client, &e->query, max_pages, s_on_page, p, aws_err);
}

static void test_pagination(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    struct s_pages p = {.tokens = {"t1", "t2", NULL}};
    SPS_CHECK_OK(s_paginate(&e, &p, 0, NULL));
    SPS_CHECK_INT_EQ(p.seen, 3);
    SPS_CHECK_STR_EQ(p.bodies[0], "Action=DescribeInstances&Version=2016-11-15");
    SPS_CHECK_STR_EQ(p.bodies[1], "Action=DescribeInstances&Version=2016-11-15&NextToken=t1");
    SPS_CHECK_STR_EQ(p.bodies[2], "Action=DescribeInstances&Version=2016-11-15&NextToken=t2");
    /* The caller's query is untouched. */
    SPS_CHECK(sps_query_get(&e.query, "NextToken") == NULL);
    /* A repeated token stops; so does an empty one. */
    p = (struct s_pages){.tokens = {"t1", "t1", "t9"}};
    SPS_CHECK_OK(s_paginate(&e, &p, 0, NULL));
    SPS_CHECK_INT_EQ(p.seen, 2);
    p = (struct s_pages){.tokens = {"t1", "", "t9"}};
    SPS_CHECK_OK(s_paginate(&e, &p, 0, NULL));
    SPS_CHECK_INT_EQ(p.seen, 2);
    /* More pages than max_pages: an error, after exactly max_pages pages. */
    p = (struct s_pages){.tokens = {"t1", "t2", "t3"}};
    SPS_CHECK_ERR(s_paginate(&e, &p, 2, NULL), SPS_ERR_LIMIT_EXCEEDED);
    SPS_CHECK_INT_EQ(p.seen, 2);
    SPS_CHECK_INT_EQ(p.served, 2);
    /* Exactly max_pages pages and no more: fine. */
    p = (struct s_pages){.tokens = {"t1", NULL}};
    SPS_CHECK_OK(s_paginate(&e, &p, 2, NULL));
    /* The page callback's failure stops the walk and is returned. */
    p = (struct s_pages){.tokens = {"t1", "t2", NULL}, .fail_on_page = SPS_ERR_NOT_FOUND};
    SPS_CHECK_ERR(s_paginate(&e, &p, 0, NULL), SPS_ERR_NOT_FOUND);
    SPS_CHECK_INT_EQ(p.served, 2);
    sps_cenv_teardown(&e);
}

static void test_pagination_page_error(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    sps_fake_transport_push(e.fake, 200, NULL,
                            "<DescribeInstancesResponse><reservationSet/><nextToken>t1"
                            "</nextToken></DescribeInstancesResponse>");
    sps_fake_transport_push(e.fake, 400, NULL,
                            "<Response><Errors><Error><Code>InvalidParameterValue</Code>"
                            "<Message>bad token</Message></Error></Errors></Response>");
    struct s_pages p = {0};
    struct sps_aws_error aws_err;
    SPS_CHECK_ERR(sps_aws_query_paginate(e.client, &e.query, 0, s_on_page, &p, &aws_err),
                  SPS_ERR_AWS_CLIENT);
    SPS_CHECK_INT_EQ(p.seen, 1);
    SPS_CHECK_STR_EQ(aws_err.code, "InvalidParameterValue");
    SPS_CHECK_INT_EQ(aws_err.http_status, 400);
    sps_cenv_teardown(&e);
}

/* ---- concurrency and pacing ---- */

static sps_err s_throttle_marker_2_once(void *ctx, const struct sps_http_request *req,
                                        struct sps_http_response *resp)
{
    int *throttled = ctx;
    if (strstr(req->body.data, "Marker=2") && !*throttled) {
        *throttled = 1;
        resp->status = 503;
        return sps_buf_append_str(&resp->body, sps_cenv_ec2_throttled);
    }
    resp->status = 200;
    return sps_buf_append_str(&resp->body, sps_cenv_regions_ok);
}

static void test_run_many_batches_and_retries_one(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    int throttled = 0;
    sps_fake_transport_set_handler(e.fake, s_throttle_marker_2_once, &throttled);
    struct sps_query queries[4];
    struct sps_aws_call calls[4];
    for (int i = 0; i < 4; i++) {
        sps_query_init(&queries[i], "DescribeRegions", "2016-11-15");
        char marker[8];
        snprintf(marker, sizeof(marker), "%d", i);
        sps_query_set(&queries[i], "Marker", marker);
        sps_aws_call_init_query(&calls[i], e.client, &queries[i]);
    }
    sps_aws_call_run_many(calls, 4);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 5);
    SPS_CHECK_INT_EQ(sps_fake_transport_batches(e.fake), 1); /* the first round: all four */
    for (int i = 0; i < 4; i++) {
        SPS_CHECK_OK(calls[i].result);
        SPS_CHECK_INT_EQ(calls[i].attempts, i == 2 ? 2 : 1);
        SPS_CHECK(sps_aws_call_result_node(&calls[i]) != NULL);
    }
    SPS_CHECK(strstr(sps_cenv_sent(&e, 4)->body.data, "Marker=2") != NULL);
    SPS_CHECK_INT_EQ(e.clock.sleeps, 1);
    SPS_CHECK_INT_EQ(e.clock.slept_ms, 500);
    for (int i = 0; i < 4; i++) {
        sps_aws_call_clean_up(&calls[i]);
        sps_query_clean_up(&queries[i]);
    }
    sps_aws_call_run_many(calls, 0); /* nothing to do */
    sps_cenv_teardown(&e);
}

static void test_run_many_one_batch_per_transport(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    struct sps_http_transport *t2;
    struct sps_fake_transport *f2;
    sps_fake_transport_new(&t2, &f2);
    struct sps_aws_client_options o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.region = "eu-west-1";
    o.transport = t2;
    struct sps_aws_client *c2;
    SPS_CHECK_OK(sps_aws_client_new(&c2, &o));
    sps_fake_transport_set_handler(e.fake, sps_cenv_always_ok, NULL);
    sps_fake_transport_set_handler(f2, sps_cenv_always_ok, NULL);
    struct sps_aws_call calls[4];
    for (int i = 0; i < 4; i++)
        sps_aws_call_init_query(&calls[i], i % 2 ? c2 : e.client, &e.query);
    sps_aws_call_run_many(calls, 4);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 2);
    SPS_CHECK_INT_EQ(sps_fake_transport_batches(e.fake), 1);
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(f2), 2);
    SPS_CHECK_INT_EQ(sps_fake_transport_batches(f2), 1);
    SPS_CHECK_STR_EQ(sps_fake_transport_request(f2, 0)->url.data,
                     "https://ec2.eu-west-1.amazonaws.com/");
    for (int i = 0; i < 4; i++) {
        SPS_CHECK_OK(calls[i].result);
        sps_aws_call_clean_up(&calls[i]);
    }
    sps_aws_client_destroy(c2);
    sps_http_transport_destroy(t2);
    sps_cenv_teardown(&e);
}

static void test_rate_limiter_paces_bursts(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    struct sps_aws_client_options o = sps_cenv_options(&e, SPS_AWS_EC2);
    o.rate = (struct sps_aws_rate_options){.requests_per_second = 1, .burst = 2};
    sps_cenv_reclient(&e, &o);
    sps_fake_transport_set_handler(e.fake, sps_cenv_always_ok, NULL);
    struct sps_aws_call calls[4];
    for (int i = 0; i < 4; i++)
        sps_aws_call_init_query(&calls[i], e.client, &e.query);
    sps_aws_call_run_many(calls, 4);
    /* Two go at once (the burst), then one per second. */
    SPS_CHECK_INT_EQ(sps_fake_transport_request_count(e.fake), 4);
    SPS_CHECK_INT_EQ(sps_fake_transport_batches(e.fake), 1);
    SPS_CHECK_INT_EQ(e.clock.slept_ms, 2000);
    SPS_CHECK_INT_EQ(e.clock.sleeps, 2);
    for (int i = 0; i < 4; i++) {
        SPS_CHECK_OK(calls[i].result);
        sps_aws_call_clean_up(&calls[i]);
    }
    /* Sequential calls are paced the same way: the bucket is empty, so each waits a second. */
    struct sps_aws_call call;
    SPS_CHECK_OK(sps_cenv_run(&e, &call));
    sps_aws_call_clean_up(&call);
    SPS_CHECK_INT_EQ(e.clock.slept_ms, 3000);
    sps_cenv_teardown(&e);
}

/* What on_done saw of each call, in the order the calls were done. */
struct s_done_log {
    int order[8];
    int attempts[8];
    sps_err results[8];
    bool had_node[8];
    int count;
    struct sps_aws_call *base;
};

static void s_on_done(struct sps_aws_call *call, void *ctx)
{
    struct s_done_log *log = ctx;
    int i = (int)(call - log->base);
    log->order[log->count++] = i;
    log->attempts[i] = call->attempts;
    log->results[i] = call->result;
    log->had_node[i] = sps_aws_call_result_node(call) != NULL;
    sps_aws_call_clean_up(call); /* a consumer releases the answer here */
}

/* on_done runs once per call when its outcome is final: after the retry for the throttled one,
 * at once for a call that cannot run; releasing the call there is safe. */
static void test_run_many_on_done(void)
{
    struct sps_cenv e;
    sps_cenv_setup(&e, SPS_AWS_EC2);
    int throttled = 0;
    sps_fake_transport_set_handler(e.fake, s_throttle_marker_2_once, &throttled);
    struct sps_query queries[4];
    struct sps_aws_call calls[5];
    struct s_done_log log = {.base = calls};
    for (int i = 0; i < 4; i++) {
        sps_query_init(&queries[i], "DescribeRegions", "2016-11-15");
        char marker[8];
        snprintf(marker, sizeof(marker), "%d", i);
        sps_query_set(&queries[i], "Marker", marker);
        sps_aws_call_init_query(&calls[i], e.client, &queries[i]);
    }
    sps_aws_call_init_query(&calls[4], NULL, &queries[0]); /* no client: cannot run */
    for (int i = 0; i < 5; i++) {
        calls[i].on_done = s_on_done;
        calls[i].on_done_ctx = &log;
    }
    sps_aws_call_run_many(calls, 5);
    SPS_CHECK_INT_EQ(log.count, 5);
    SPS_CHECK_INT_EQ(log.order[0], 4);
    SPS_CHECK_INT_EQ(log.order[4], 2); /* the retried call is done last */
    SPS_CHECK_INT_EQ(log.results[4], SPS_ERR_INVALID_ARGUMENT);
    for (int i = 0; i < 4; i++) {
        SPS_CHECK_OK(log.results[i]);
        SPS_CHECK(log.had_node[i]);
        SPS_CHECK_INT_EQ(log.attempts[i], i == 2 ? 2 : 1);
        /* Released in the callback; the outcome stays. */
        SPS_CHECK(sps_aws_call_result_node(&calls[i]) == NULL);
        SPS_CHECK_OK(calls[i].result);
    }
    for (int i = 0; i < 5; i++)
        sps_aws_call_clean_up(&calls[i]);
    for (int i = 0; i < 4; i++)
        sps_query_clean_up(&queries[i]);
    sps_cenv_teardown(&e);
}

SPS_TEST_MAIN(SPS_CASE(test_run_many_one_batch_per_transport), SPS_CASE(test_pagination),
              SPS_CASE(test_pagination_page_error), SPS_CASE(test_run_many_batches_and_retries_one),
              SPS_CASE(test_rate_limiter_paces_bursts), SPS_CASE(test_run_many_on_done))
