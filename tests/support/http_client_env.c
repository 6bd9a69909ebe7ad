/* The service-client tests' shared set-up (http_client_env.h). */
#include "http_client_env.h"
#include "sps_test.h"

const char sps_cenv_regions_ok[] =
    "<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
    "<requestId>r-1</requestId><regionInfo><item><regionName>us-east-1</regionName></item>"
    "</regionInfo></DescribeRegionsResponse>";
const char sps_cenv_ec2_throttled[] =
    "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded."
    "</Message></Error></Errors><RequestID>req-throttled</RequestID></Response>";
const char sps_cenv_ec2_internal[] =
    "<Response><Errors><Error><Code>InternalError</Code><Message>An internal error has occurred"
    "</Message></Error></Errors><RequestID>req-500</RequestID></Response>";

static sps_err s_provider_get(struct sps_aws_credentials_provider *p,
                              struct sps_aws_credentials *out, struct sps_aws_error *aws_err)
{
    struct sps_cenv_provider *sp = p->impl;
    sp->gets++;
    if (sp->fail != SPS_OK)
        return sp->fail;
    return sps_aws_credentials_set(out, SPS_CENV_AKID, SPS_CENV_SECRET, SPS_CENV_TOKEN,
                                   sp->expiration_ms);
}

static void s_provider_destroy(struct sps_aws_credentials_provider *p)
{
    /* Lives inside struct sps_cenv. */
}

static const struct sps_aws_credentials_provider_vtable s_provider_vtable = {s_provider_get,
                                                                             s_provider_destroy};

struct sps_aws_client_options sps_cenv_options(struct sps_cenv *e, enum sps_aws_service service)
{
    return (struct sps_aws_client_options){.service = service,
                                           .region = "us-east-1",
                                           .env = &e->env.env,
                                           .credentials = &e->provider.base,
                                           .transport = e->transport,
                                           .clock = &e->clock.clock,
                                           .rand = &e->rand.rand};
}

static void s_client(struct sps_cenv *e, const struct sps_aws_client_options *o)
{
    SPS_CHECK_OK(sps_aws_client_new(&e->client, o));
    sps_query_init(&e->query, "DescribeRegions", "2016-11-15");
}

void sps_cenv_setup(struct sps_cenv *e, enum sps_aws_service service)
{
    memset(e, 0, sizeof(*e));
    int64_t now = 0;
    SPS_CHECK_OK(sps_time_parse_iso8601(SPS_CURSOR_LIT("2026-11-24T05:47:22Z"), &now));
    sps_fake_clock_init(&e->clock, now);
    sps_fake_rand_init(&e->rand, UINT64_C(1) << 63);
    sps_fake_env_init(&e->env);
    sps_fake_transport_new(&e->transport, &e->fake);
    e->provider.base = (struct sps_aws_credentials_provider){&s_provider_vtable, "test", NULL};
    e->provider.base.impl = &e->provider;
    struct sps_aws_client_options o = sps_cenv_options(e, service);
    s_client(e, &o);
}

void sps_cenv_reclient(struct sps_cenv *e, const struct sps_aws_client_options *o)
{
    sps_aws_client_destroy(e->client);
    sps_query_clean_up(&e->query);
    e->client = NULL;
    s_client(e, o);
}

void sps_cenv_teardown(struct sps_cenv *e)
{
    sps_query_clean_up(&e->query);
    sps_aws_client_destroy(e->client);
    sps_http_transport_destroy(e->transport);
    sps_log_clear_secrets();
}

const struct sps_http_request *sps_cenv_sent(struct sps_cenv *e, size_t i)
{
    const struct sps_http_request *r = sps_fake_transport_request(e->fake, i);
    SPS_CHECK(r != NULL);
    return r;
}

sps_err sps_cenv_run(struct sps_cenv *e, struct sps_aws_call *call)
{
    sps_aws_call_init_query(call, e->client, &e->query);
    return sps_aws_call_run(call);
}

sps_err sps_cenv_always_ok(void *ctx, const struct sps_http_request *req,
                           struct sps_http_response *resp)
{
    resp->status = 200;
    return sps_buf_append_str(&resp->body, sps_cenv_regions_ok);
}
