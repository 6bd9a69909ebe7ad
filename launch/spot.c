/* sps_launch_spot: one spot launch, trying the ranked candidate types in order. A capacity
 * refusal moves on to the next type and marks its market empty; anything else stops. */
#include "sps_launch.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void sps_launch_client_token(struct sps_launch_context *ctx, char out[48])
{
    const struct sps_rand *rand = ctx && ctx->rand ? ctx->rand : sps_rand_system();
    uint64_t hi = rand->next_u64(rand->ctx);
    uint64_t lo = rand->next_u64(rand->ctx);
    snprintf(out, 48, "spotswap-%016" PRIx64 "%016" PRIx64, hi, lo);
}

static int64_t s_now(const struct sps_launch_context *ctx)
{
    const struct sps_clock *c = ctx->clock ? ctx->clock : sps_clock_system();
    return c->mono_ms(c->ctx);
}

static const char *s_result_word(sps_err err, const struct sps_aws_error *e)
{
    if (err == SPS_OK)
        return "launched";
    return e->code[0] != '\0' ? e->code : sps_error_name(err);
}

/* One RunInstances with `type`; the launched instance id lands in `id`. */
static sps_err s_attempt(struct sps_launch_context *ctx, const struct sps_launch_spec *spec,
                         const char *type, char id[32], struct sps_aws_error *aws_err)
{
    char token[48];
    sps_launch_client_token(ctx, token);
    struct sps_launch_spec one = *spec;
    one.instance_type = type;
    one.client_token = token;
    struct sps_launch_request req;
    sps_err err = sps_launch_request_build(&req, &one);
    if (err != SPS_OK)
        return err;
    struct sps_aws_ec2_reservation res = {0};
    err = sps_aws_ec2_run_instances(ctx->ec2, &req.run, &res, aws_err);
    if (err == SPS_OK) /* the parser guarantees one instance with an id */
        snprintf(id, 32, "%s", res.instances.items[0].instance_id);
    sps_log(err == SPS_OK ? SPS_LOG_INFO : SPS_LOG_WARN, "spot launch attempt", "group",
            spec->group->name, "instance", spec->instance->instance_id, "type", type, "az",
            spec->instance->availability_zone, "result", s_result_word(err, aws_err),
            "spot_instance", err == SPS_OK ? id : "", NULL);
    sps_aws_ec2_reservation_clean_up(&res);
    sps_launch_request_clean_up(&req);
    return err;
}

sps_err sps_launch_spot(struct sps_launch_context *ctx, const struct sps_launch_spec *spec,
                        const char *const *candidates, size_t candidate_count,
                        struct sps_launch_outcome *out)
{
    memset(out, 0, sizeof(*out));
    sps_aws_error_clear(&out->last_error);
    if (ctx == NULL || ctx->ec2 == NULL || spec == NULL || spec->group == NULL ||
        spec->instance == NULL || spec->instance->instance_id == NULL) {
        sps_log(SPS_LOG_WARN, "spot launch: missing context, client, group or instance", NULL);
        return SPS_ERR_INVALID_ARGUMENT;
    }
    if (candidates == NULL || candidate_count == 0) {
        sps_log(SPS_LOG_WARN, "spot launch: no candidate instance type", "group", spec->group->name,
                "instance", spec->instance->instance_id, NULL);
        return SPS_ERR_INVALID_ARGUMENT;
    }
    const char *az = spec->instance->availability_zone;
    for (size_t i = 0; i < candidate_count; i++) {
        const char *type = candidates[i];
        if (type == NULL || type[0] == '\0') {
            sps_log(SPS_LOG_WARN, "spot launch: empty candidate type", "group", spec->group->name,
                    NULL);
            return SPS_ERR_INVALID_ARGUMENT;
        }
        if (sps_launch_markets_is_empty(ctx->markets, type, az, s_now(ctx))) {
            sps_log(SPS_LOG_INFO, "spot launch attempt", "group", spec->group->name, "instance",
                    spec->instance->instance_id, "type", type, "az", az ? az : "", "result",
                    "skipped: market recently out of capacity", NULL);
            continue;
        }
        out->tried++;
        char id[32] = "";
        struct sps_aws_error e;
        sps_aws_error_clear(&e);
        sps_err err = s_attempt(ctx, spec, type, id, &e);
        if (err == SPS_OK) {
            snprintf(out->instance_id, sizeof(out->instance_id), "%s", id);
            snprintf(out->instance_type, sizeof(out->instance_type), "%s", type);
            return SPS_OK;
        }
        out->last_error = e;
        if (err != SPS_ERR_AWS_CAPACITY)
            return err;
        sps_launch_markets_remember(ctx->markets, type, az, s_now(ctx));
    }
    return SPS_ERR_AWS_CAPACITY;
}
