/*
 * `spotswap run` (one pass from a shell) and the Lambda entry (the same binary as `bootstrap`):
 * configuration, the session, the pass, the report. A run exits 0 when every region was scanned
 * and every action succeeded (or found no spot capacity, which is not a failure: the group stays
 * on demand), 1 otherwise with a one-line reason, 2 for a configuration error.
 */
#include "sps_engine_cli.h"
#include "sps_engine_interrupt.h"
#include "sps_engine_lambda.h"
#include "sps_engine_pass.h"

#include <string.h>

extern char **environ;

/* Seconds a shell run waits after attaching, to retire in the same pass. */
#define S_RETIRE_WAIT_MS 60000

static int s_load_config(struct sps_engine_config *cfg, int argc, char **argv, FILE *err)
{
    struct sps_buf warnings, error;
    sps_buf_init(&warnings, 0);
    sps_buf_init(&error, 0);
    struct sps_engine_config_input in = {argc, argv, sps_env_process(), environ};
    int rc = 0;
    /* The loader initialises the config itself: what the caller's init allocated goes first. */
    sps_engine_config_clean_up(cfg);
    if (sps_engine_config_load(cfg, &in, &warnings, &error) != SPS_OK) {
        fprintf(err, "spotswap run: %s\n", error.data);
        rc = 2;
    } else if (warnings.len) {
        sps_log(SPS_LOG_WARN, "configuration", "warnings", warnings.data, NULL);
    }
    sps_buf_clean_up(&warnings);
    sps_buf_clean_up(&error);
    return rc;
}

static const char *s_first_region(const struct sps_engine_config *cfg)
{
    return cfg->regions.count ? cfg->regions.items[0] : NULL;
}

/* The first failure of a pass, as one line. */
static void s_failure_line(const struct sps_engine_pass *pass, FILE *err)
{
    for (size_t i = 0; i < pass->region_count; i++) {
        const struct sps_engine_pass_region *r = &pass->regions[i];
        if (r->error != SPS_OK) {
            fprintf(err, "spotswap run: %s%s%s: %s%s%s\n", r->region,
                    r->account_id[0] ? " in account " : "", r->account_id,
                    sps_error_message(r->error), r->aws_error.code[0] ? ": " : "",
                    r->aws_error.code);
            return;
        }
        for (size_t e = 0; e < r->exec.count; e++) {
            const struct sps_engine_exec_entry *x = &r->exec.entries[e];
            if (x->outcome == SPS_ENGINE_OUTCOME_FAILED) {
                /* Group-level actions (restore-max) have no instance: name the group. */
                const char *what = x->instance_id        ? x->instance_id
                                   : x->spot_instance_id ? x->spot_instance_id
                                                         : NULL;
                fprintf(err, "spotswap run: %s %s%s in %s failed: %s%s%s\n",
                        sps_engine_action_kind_name(x->kind), what ? what : "of group ",
                        what ? "" : (x->group ? x->group : "?"), r->region,
                        sps_error_message(x->error), x->aws_error.code[0] ? ": " : "",
                        x->aws_error.code);
                return;
            }
        }
    }
}

static int s_pass(const struct sps_engine_config *cfg, struct sps_engine_session *session,
                  int64_t retire_wait_ms, FILE *out, FILE *err)
{
    struct sps_engine_pass pass;
    struct sps_buf why, report;
    sps_buf_init(&why, 1024);
    sps_buf_init(&report, 0);
    struct sps_engine_pass_options o = {cfg, session, NULL, retire_wait_ms};
    sps_err e = sps_engine_pass_run(&pass, &o, &why);
    int rc = e == SPS_OK ? 0 : 1;
    if (why.len) {
        fprintf(err, "spotswap run: %s\n", why.data);
    } else {
        if (sps_engine_pass_report(&pass, cfg->output, &report) == SPS_OK)
            fputs(report.data, out);
        if (rc != 0)
            s_failure_line(&pass, err);
    }
    sps_engine_pass_clean_up(&pass);
    sps_buf_clean_up(&report);
    sps_buf_clean_up(&why);
    return rc;
}

int sps_engine_cli_run(int argc, char **argv, FILE *out, FILE *err)
{
    struct sps_engine_config cfg;
    sps_engine_config_init(&cfg);
    int rc = s_load_config(&cfg, argc, argv, err);
    if (rc == 0 && cfg.help) {
        sps_engine_config_usage(out);
    } else if (rc == 0) {
        sps_log_set_level(cfg.log_level);
        struct sps_engine_session session;
        struct sps_buf why;
        sps_buf_init(&why, 1024);
        if (sps_engine_session_open(&session, sps_env_process(), s_first_region(&cfg), NULL,
                                    cfg.http_timeout_seconds * 1000, &why) != SPS_OK) {
            fprintf(err, "spotswap run: %s\n", why.data);
            rc = 1;
        } else {
            rc = s_pass(&cfg, &session, S_RETIRE_WAIT_MS, out, err);
            sps_engine_session_clean_up(&session);
        }
        sps_buf_clean_up(&why);
    }
    sps_engine_config_clean_up(&cfg);
    return rc;
}

/* ---- Lambda ------------------------------------------------------------------------------- */

struct s_lambda {
    struct sps_engine_config cfg;
    struct sps_engine_session session;
    bool ready;
};

static sps_err s_lambda_init(void *ctx, struct sps_buf *detail)
{
    struct s_lambda *l = ctx;
    struct sps_buf warnings;
    sps_buf_init(&warnings, 0);
    struct sps_engine_config_input in = {0, NULL, sps_env_process(), environ};
    sps_engine_config_clean_up(&l->cfg); /* the loader initialises it again */
    sps_err e = sps_engine_config_load(&l->cfg, &in, &warnings, detail);
    if (e == SPS_OK) {
        sps_log_set_level(l->cfg.log_level);
        e = sps_engine_session_open(&l->session, sps_env_process(), s_first_region(&l->cfg),
                                    NULL, l->cfg.http_timeout_seconds * 1000, detail);
        l->ready = e == SPS_OK;
    }
    sps_buf_clean_up(&warnings);
    return e;
}

static sps_err s_lambda_pass(struct s_lambda *l, bool report_only, struct sps_buf *response,
                             struct sps_buf *detail)
{
    bool saved = l->cfg.report_only;
    l->cfg.report_only = saved || report_only;
    struct sps_engine_pass pass;
    /* Lambda bills the wait; retirements are left to the next scheduled pass. */
    struct sps_engine_pass_options o = {&l->cfg, &l->session, NULL, 0};
    sps_err e = sps_engine_pass_run(&pass, &o, detail);
    if (detail->len == 0) {
        sps_err report_err = sps_engine_pass_report(&pass, SPS_ENGINE_OUTPUT_JSON, response);
        if (e == SPS_OK)
            e = report_err;
    }
    sps_engine_pass_clean_up(&pass);
    l->cfg.report_only = saved;
    return e;
}

/* The configured role for `account` (an event forwarded from a member account), or NULL. */
static const char *s_role_for_account(const struct sps_engine_config *cfg, const char *account)
{
    for (size_t i = 0; account && account[0] && i < cfg->accounts.count; i++) {
        struct sps_cursor arn = sps_cursor_from_str(cfg->accounts.items[i]), field;
        for (int f = 0; f < 5 && sps_cursor_split(&arn, ':', &field); f++) {
            if (f == 4 && sps_cursor_eq_str(field, account))
                return cfg->accounts.items[i];
        }
    }
    return NULL;
}

static sps_err s_lambda_interruption(struct s_lambda *l, const struct sps_aws_lambda_event *ev,
                                     struct sps_buf *response, struct sps_buf *detail)
{
    const char *region = ev->region ? ev->region : l->session.region.data;
    struct sps_launch_context launch = {.clock = sps_clock_system(), .rand = sps_rand_system()};
    /* A warning forwarded from a member account is acted on with that account's role. */
    struct sps_aws_credentials_provider *member = NULL;
    const char *role = s_role_for_account(&l->cfg, ev->account);
    sps_err e = SPS_OK;
    if (role) {
        struct sps_aws_assume_role_options ar = {
            .source = l->session.credentials,
            .role_arn = role,
            .external_id = l->cfg.external_id && l->cfg.external_id[0] ? l->cfg.external_id
                                                                        : NULL,
            .session_name = l->cfg.role_session_name,
            .region = l->session.region.data,
            .env = l->session.env,
            .transport = l->session.transport};
        e = sps_aws_credentials_provider_new_assume_role(&member, &ar);
    }
    if (e == SPS_OK)
        e = sps_engine_session_client(&l->session, SPS_AWS_EC2, region, member, &launch.ec2,
                                      detail);
    if (e == SPS_OK)
        e = sps_engine_session_client(&l->session, SPS_AWS_AUTOSCALING, region, member,
                                      &launch.autoscaling, detail);
    struct sps_engine_interrupt_result result;
    struct sps_aws_error aws_err = {0};
    if (e == SPS_OK)
        e = sps_engine_handle_interruption(&l->cfg, &launch, ev->instance_id, &result, &aws_err);
    if (e == SPS_OK) {
        struct sps_json_writer w;
        sps_json_writer_init(&w, response);
        sps_json_object_begin(&w);
        sps_json_key(&w, "status");
        sps_json_string(&w, sps_engine_interrupt_status_name(result.status));
        sps_json_key(&w, "instance");
        sps_json_string(&w, ev->instance_id);
        sps_json_key(&w, "group");
        sps_json_string(&w, result.group[0] ? result.group : NULL);
        sps_json_key(&w, "reason");
        sps_json_string(&w, result.reason[0] ? result.reason : NULL);
        sps_json_object_end(&w);
    } else if (detail->len == 0) {
        sps_buf_printf(detail, "%s%s%s", sps_error_message(e), aws_err.code[0] ? ": " : "",
                       aws_err.code);
    }
    sps_aws_client_destroy(launch.autoscaling);
    sps_aws_client_destroy(launch.ec2);
    sps_aws_credentials_provider_destroy(member);
    return e;
}

static sps_err s_lambda_handle(void *ctx, const struct sps_aws_lambda_event *ev,
                               struct sps_buf *response, struct sps_buf *detail)
{
    struct s_lambda *l = ctx;
    switch (ev->kind) {
    case SPS_LAMBDA_EVENT_SPOT_INTERRUPTION:
        return s_lambda_interruption(l, ev, response, detail);
    case SPS_LAMBDA_EVENT_REBALANCE:
        if (l->cfg.rebalance_recommendation == SPS_ENGINE_REBALANCE_REPLACE)
            return s_lambda_interruption(l, ev, response, detail);
        sps_buf_append_str(response, "{\"status\":\"ignored\",\"reason\":\"rebalance "
                                     "recommendations are ignored (rebalance_recommendation)\"}");
        return SPS_OK;
    default:
        return s_lambda_pass(l, ev->report_only, response, detail);
    }
}

int sps_engine_cli_lambda(void)
{
    struct s_lambda l;
    memset(&l, 0, sizeof(l));
    sps_engine_config_init(&l.cfg);
    struct sps_http_transport *runtime = NULL;
    sps_err e = sps_http_curl_new(&runtime, NULL);
    if (e == SPS_OK) {
        struct sps_engine_lambda_options o = {.transport = runtime,
                                              .env = sps_env_process(),
                                              .init = s_lambda_init,
                                              .handle = s_lambda_handle,
                                              .ctx = &l};
        e = sps_engine_lambda_serve(&o);
    }
    sps_http_transport_destroy(runtime);
    if (l.ready)
        sps_engine_session_clean_up(&l.session);
    sps_engine_config_clean_up(&l.cfg);
    return e == SPS_OK ? 0 : 1;
}
