/* Scanning many (account, region) targets at once: the clients for each target over the shared
 * transport, then one sps_engine_scan_regions over all of them, so the whole estate takes as many
 * rounds of concurrent calls as a single region. Also the region list for "every enabled
 * region". */
#include <stdio.h>
#include <string.h>

#include "sps_engine_scan.h"

static sps_err s_client(struct sps_aws_client **out, enum sps_aws_service service,
                        const struct sps_engine_scan_target *t,
                        const struct sps_engine_scan_options *o)
{
    const struct sps_aws_client_options co = {
        .service = service,
        .region = t->region,
        .env = o->env,
        .credentials = t->credentials ? t->credentials : o->credentials,
        .transport = o->transport,
        .clock = o->clock,
        .rand = o->rand,
    };
    return sps_aws_client_new(out, &co);
}

static void s_record(struct sps_engine_scan_outcome *o, const struct sps_engine_scan_job *j)
{
    o->result = j->result;
    o->aws_error = j->aws_error;
    memcpy(o->failed_action, j->failed_action, sizeof o->failed_action);
    o->snapshot = j->snapshot;
}

sps_err sps_engine_scan_all(const struct sps_engine_scan_target *targets, size_t n,
                            const struct sps_engine_selection *sel,
                            const struct sps_engine_scan_options *options, int64_t now_ms,
                            struct sps_engine_scan_outcome **out)
{
    if (out == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    *out = NULL;
    if ((targets == NULL && n > 0) || sel == NULL || options == NULL || options->transport == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < n; i++)
        if (targets[i].region == NULL || targets[i].region[0] == '\0')
            return SPS_ERR_INVALID_ARGUMENT;
    struct sps_engine_scan_outcome *outcomes = sps_calloc(n ? n : 1, sizeof *outcomes);
    struct sps_engine_scan_job *jobs = sps_calloc(n ? n : 1, sizeof *jobs);
    size_t *where = sps_calloc(n ? n : 1, sizeof *where); /* job index -> target index */
    size_t ready = 0;
    for (size_t i = 0; i < n; i++) {
        sps_engine_snapshot_init(&outcomes[i].snapshot);
        struct sps_engine_scan_job *j = &jobs[ready];
        sps_err err = s_client(&j->ec2, SPS_AWS_EC2, &targets[i], options);
        if (err == SPS_OK)
            err = s_client(&j->autoscaling, SPS_AWS_AUTOSCALING, &targets[i], options);
        if (err != SPS_OK) {
            sps_log(SPS_LOG_ERROR, "cannot build the region's clients; not scanned", "region",
                    targets[i].region, "error", sps_error_name(err), NULL);
            outcomes[i].result = err;
            sps_aws_client_destroy(j->ec2);
            sps_aws_client_destroy(j->autoscaling);
            memset(j, 0, sizeof *j);
            continue;
        }
        j->account_id = targets[i].account_id;
        where[ready++] = i;
    }
    sps_err err = sps_engine_scan_regions(jobs, ready, sel, now_ms, options->concurrency);
    for (size_t k = 0; k < ready; k++) {
        if (err == SPS_OK)
            s_record(&outcomes[where[k]], &jobs[k]);
        sps_aws_client_destroy(jobs[k].ec2);
        sps_aws_client_destroy(jobs[k].autoscaling);
    }
    sps_free(jobs);
    sps_free(where);
    if (err != SPS_OK) {
        sps_engine_scan_outcomes_free(outcomes, n);
        return err;
    }
    *out = outcomes;
    return SPS_OK;
}

void sps_engine_scan_outcomes_free(struct sps_engine_scan_outcome *outcomes, size_t n)
{
    if (outcomes == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        sps_engine_snapshot_clean_up(&outcomes[i].snapshot);
    sps_free(outcomes);
}

sps_err sps_engine_list_regions(struct sps_aws_client *ec2, struct sps_aws_strings *out,
                                struct sps_aws_error *aws_err)
{
    if (out == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    sps_aws_strings_init(out);
    if (ec2 == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    struct sps_aws_ec2_regions regions = {0};
    sps_err err = sps_aws_ec2_describe_regions(ec2, &regions, aws_err);
    for (size_t i = 0; err == SPS_OK && i < regions.count; i++)
        if (strcmp(regions.items[i].opt_in_status, "not-opted-in") != 0)
            sps_aws_strings_add(out, regions.items[i].name);
    sps_aws_ec2_regions_clean_up(&regions);
    return err;
}
