/* The pass report, as text and as JSON (through the common JSON writer: engine/ has no jansson). */
#include "sps_engine_report.h"

#include <math.h>
#include <string.h>

static double s_savings_pct(double now, double after)
{
    return (isfinite(now) && isfinite(after) && now > 0) ? 100.0 * (now - after) / now : NAN;
}

static const char *s_instance_type(const struct sps_engine_snapshot *s, const char *id)
{
    const struct sps_aws_ec2_instance *i = s ? sps_engine_snapshot_instance(s, id) : NULL;
    return i ? i->instance_type : "?";
}

void sps_engine_report_totals(const struct sps_engine_report_input *in,
                              struct sps_engine_totals *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t r = 0; r < in->region_count; r++) {
        const struct sps_engine_region_result *rr = &in->regions[r];
        if (rr->plan == NULL) {
            out->failed_regions++;
            continue;
        }
        for (size_t g = 0; g < rr->plan->group_count; g++) {
            const struct sps_engine_group_plan *gp = &rr->plan->groups[g];
            out->groups++;
            if (gp->state == SPS_ENGINE_GROUP_SKIPPED)
                continue;
            out->cost_now_usd_per_hour += gp->cost_now_usd_per_hour;
            out->cost_after_usd_per_hour += gp->cost_after_usd_per_hour;
        }
        for (size_t a = 0; a < rr->plan->action_count; a++)
            out->replacements += rr->plan->actions[a].kind == SPS_ENGINE_LAUNCH;
        out->failed_actions += rr->exec ? rr->exec->failed : 0;
    }
}

/* ---- text ---- */

static void s_money(struct sps_buf *out, double usd)
{
    if (isfinite(usd))
        sps_buf_printf(out, "$%.4f/h", usd);
    else
        sps_buf_append_str(out, "unknown");
}

#define S_ALL_REFUSED "every spot candidate refused capacity this pass"

/* The plan cannot know that the market will refuse: a group whose every launch of this pass
 * was refused capacity (and which launched nothing) is on fallback, whatever the plan said. */
static bool s_all_refused(const struct sps_engine_region_result *rr,
                          const struct sps_engine_group_plan *g)
{
    size_t refused = 0;
    for (size_t e = 0; rr->exec && e < rr->exec->count; e++) {
        const struct sps_engine_exec_entry *x = &rr->exec->entries[e];
        if (x->kind != SPS_ENGINE_LAUNCH || x->group == NULL || strcmp(x->group, g->name) != 0)
            continue;
        if (x->outcome != SPS_ENGINE_OUTCOME_NO_CAPACITY)
            return false;
        refused++;
    }
    return refused > 0;
}

static enum sps_engine_group_state s_state(const struct sps_engine_region_result *rr,
                                           const struct sps_engine_group_plan *g)
{
    return s_all_refused(rr, g) ? SPS_ENGINE_GROUP_FALLBACK : g->state;
}

static const char *s_reason(const struct sps_engine_region_result *rr,
                            const struct sps_engine_group_plan *g)
{
    if (g->state != SPS_ENGINE_GROUP_FALLBACK && s_all_refused(rr, g))
        return S_ALL_REFUSED;
    return g->reason;
}

static void s_text_group(struct sps_buf *out, const struct sps_engine_region_result *rr,
                         const struct sps_engine_group_plan *g)
{
    sps_buf_printf(out, "  %s: %s", g->name, sps_engine_group_state_name(s_state(rr, g)));
    const char *reason = s_reason(rr, g);
    if (reason && reason[0])
        sps_buf_printf(out, " (%s)", reason);
    sps_buf_printf(out, "\n    %zu in service: %zu on-demand, %zu spot; on-demand floor %zu\n",
                   g->in_service, g->on_demand, g->spot, g->on_demand_floor);
    if (g->state != SPS_ENGINE_GROUP_SKIPPED) {
        sps_buf_append_str(out, "    cost ");
        s_money(out, g->cost_now_usd_per_hour);
        sps_buf_append_str(out, " now, ");
        s_money(out, g->cost_after_usd_per_hour);
        double pct = s_savings_pct(g->cost_now_usd_per_hour, g->cost_after_usd_per_hour);
        if (isfinite(pct))
            sps_buf_printf(out, " after this pass (%.1f%% saving)\n", pct);
        else
            sps_buf_append_str(out, " after this pass\n");
    }
    for (size_t a = 0; a < rr->plan->action_count; a++) {
        const struct sps_engine_action *act = &rr->plan->actions[a];
        if (act->kind != SPS_ENGINE_LAUNCH || strcmp(act->group, g->name) != 0)
            continue;
        sps_buf_printf(out, "    replace %s (%s, %s) with %s: on-demand ", act->instance_id,
                       s_instance_type(rr->snapshot, act->instance_id), act->availability_zone,
                       act->candidate_count ? act->candidates[0] : "?");
        s_money(out, act->on_demand_price);
        sps_buf_append_str(out, ", spot ");
        s_money(out, act->spot_price);
        sps_buf_append_char(out, '\n');
    }
    for (size_t n = 0; n < g->note_count; n++)
        sps_buf_printf(out, "    leave %s: %s\n", g->notes[n].instance_id, g->notes[n].reason);
}

static void s_text_actions(struct sps_buf *out, const struct sps_engine_region_result *rr)
{
    for (size_t a = 0; a < rr->plan->action_count; a++) {
        const struct sps_engine_action *act = &rr->plan->actions[a];
        if (act->kind == SPS_ENGINE_LAUNCH)
            continue; /* shown with its group */
        sps_buf_printf(out, "  %s %s%s%s in %s: %s\n", sps_engine_action_kind_name(act->kind),
                       act->spot_instance_id ? act->spot_instance_id : "",
                       act->spot_instance_id && act->instance_id ? " / " : "",
                       act->instance_id ? act->instance_id : "", act->group ? act->group : "-",
                       act->reason ? act->reason : "");
    }
    for (size_t e = 0; rr->exec && e < rr->exec->count; e++) {
        const struct sps_engine_exec_entry *x = &rr->exec->entries[e];
        sps_buf_printf(out, "  done: %s %s in %s: %s", sps_engine_action_kind_name(x->kind),
                       x->instance_id ? x->instance_id
                                      : (x->spot_instance_id ? x->spot_instance_id : ""),
                       x->group ? x->group : "-", sps_engine_outcome_name(x->outcome));
        if (x->kind == SPS_ENGINE_LAUNCH && x->spot_instance_id)
            sps_buf_printf(out, " -> %s (%s)", x->spot_instance_id,
                           x->spot_instance_type ? x->spot_instance_type : "?");
        if (x->outcome != SPS_ENGINE_OUTCOME_DONE)
            sps_buf_printf(out, " [%s%s%s]", x->aws_error.code[0] ? x->aws_error.code
                                                                  : sps_error_name(x->error),
                           x->aws_error.message[0] ? ": " : "", x->aws_error.message);
        sps_buf_append_char(out, '\n');
    }
}

sps_err sps_engine_report_text(struct sps_buf *out, const struct sps_engine_report_input *in)
{
    sps_buf_printf(out, "spotswap %s at ", in->report_only ? "report-only pass" : "pass");
    sps_time_format_iso8601(out, in->time_ms);
    sps_buf_append_char(out, '\n');
    for (size_t r = 0; r < in->region_count; r++) {
        const struct sps_engine_region_result *rr = &in->regions[r];
        sps_buf_printf(out, "%s%s%s%s\n", rr->region, rr->account_id && rr->account_id[0]
                                                          ? " (account "
                                                          : "",
                       rr->account_id && rr->account_id[0] ? rr->account_id : "",
                       rr->account_id && rr->account_id[0] ? ")" : "");
        if (rr->plan == NULL) {
            sps_buf_printf(out, "  failed: %s%s%s\n", sps_error_message(rr->error),
                           rr->aws_error && rr->aws_error->code[0] ? ": " : "",
                           rr->aws_error ? rr->aws_error->code : "");
            continue;
        }
        if (rr->plan->group_count == 0)
            sps_buf_append_str(out, "  no selected groups\n");
        for (size_t g = 0; g < rr->plan->group_count; g++)
            s_text_group(out, rr, &rr->plan->groups[g]);
        s_text_actions(out, rr);
    }
    struct sps_engine_totals t;
    sps_engine_report_totals(in, &t);
    sps_buf_printf(out, "total: %zu groups, %zu replacements %s; cost ", t.groups, t.replacements,
                   in->report_only ? "would be launched" : "launched or attempted");
    s_money(out, t.cost_now_usd_per_hour);
    sps_buf_append_str(out, " now, ");
    s_money(out, t.cost_after_usd_per_hour);
    double pct = s_savings_pct(t.cost_now_usd_per_hour, t.cost_after_usd_per_hour);
    if (isfinite(pct))
        sps_buf_printf(out, " after (%.1f%% saving)", pct);
    else
        sps_buf_append_str(out, " after");
    if (t.failed_actions || t.failed_regions)
        sps_buf_printf(out, "; %zu failed actions, %zu failed regions", t.failed_actions,
                       t.failed_regions);
    sps_buf_append_char(out, '\n');
    return out->err;
}

/* ---- JSON ---- */

static void s_kv_str(struct sps_json_writer *w, const char *key, const char *value)
{
    sps_json_key(w, key);
    sps_json_string(w, value);
}

static void s_kv_num(struct sps_json_writer *w, const char *key, double value)
{
    sps_json_key(w, key);
    sps_json_number(w, value);
}

static void s_kv_int(struct sps_json_writer *w, const char *key, int64_t value)
{
    sps_json_key(w, key);
    sps_json_int(w, value);
}

static void s_json_replacements(struct sps_json_writer *w,
                                const struct sps_engine_region_result *rr, const char *group)
{
    sps_json_key(w, "replacements");
    sps_json_array_begin(w);
    for (size_t a = 0; a < rr->plan->action_count; a++) {
        const struct sps_engine_action *act = &rr->plan->actions[a];
        if (act->kind != SPS_ENGINE_LAUNCH || strcmp(act->group, group) != 0)
            continue;
        sps_json_object_begin(w);
        s_kv_str(w, "instance", act->instance_id);
        s_kv_str(w, "from_type", s_instance_type(rr->snapshot, act->instance_id));
        s_kv_str(w, "to_type", act->candidate_count ? act->candidates[0] : NULL);
        sps_json_key(w, "candidates");
        sps_json_array_begin(w);
        for (size_t c = 0; c < act->candidate_count; c++)
            sps_json_string(w, act->candidates[c]);
        sps_json_array_end(w);
        s_kv_str(w, "az", act->availability_zone);
        s_kv_num(w, "on_demand_usd_per_hour", act->on_demand_price);
        s_kv_num(w, "spot_usd_per_hour", act->spot_price);
        sps_json_object_end(w);
    }
    sps_json_array_end(w);
}

static void s_json_group(struct sps_json_writer *w, const struct sps_engine_region_result *rr,
                         const struct sps_engine_group_plan *g)
{
    sps_json_object_begin(w);
    s_kv_str(w, "name", g->name);
    s_kv_str(w, "state", sps_engine_group_state_name(s_state(rr, g)));
    s_kv_str(w, "reason", s_reason(rr, g));
    s_kv_int(w, "in_service", (int64_t)g->in_service);
    s_kv_int(w, "on_demand", (int64_t)g->on_demand);
    s_kv_int(w, "spot", (int64_t)g->spot);
    s_kv_int(w, "on_demand_floor", (int64_t)g->on_demand_floor);
    s_kv_num(w, "cost_now_usd_per_hour", g->cost_now_usd_per_hour);
    s_kv_num(w, "cost_after_usd_per_hour", g->cost_after_usd_per_hour);
    s_kv_num(w, "savings_pct", s_savings_pct(g->cost_now_usd_per_hour, g->cost_after_usd_per_hour));
    s_json_replacements(w, rr, g->name);
    sps_json_key(w, "left_alone");
    sps_json_array_begin(w);
    for (size_t n = 0; n < g->note_count; n++) {
        sps_json_object_begin(w);
        s_kv_str(w, "instance", g->notes[n].instance_id);
        s_kv_str(w, "reason", g->notes[n].reason);
        sps_json_object_end(w);
    }
    sps_json_array_end(w);
    sps_json_object_end(w);
}

static void s_json_actions(struct sps_json_writer *w, const struct sps_engine_region_result *rr)
{
    sps_json_key(w, "actions");
    sps_json_array_begin(w);
    for (size_t a = 0; a < rr->plan->action_count; a++) {
        const struct sps_engine_action *act = &rr->plan->actions[a];
        sps_json_object_begin(w);
        s_kv_str(w, "kind", sps_engine_action_kind_name(act->kind));
        s_kv_str(w, "group", act->group);
        s_kv_str(w, "instance", act->instance_id);
        s_kv_str(w, "spot_instance", act->spot_instance_id);
        s_kv_str(w, "reason", act->reason);
        sps_json_object_end(w);
    }
    sps_json_array_end(w);
    if (rr->exec == NULL)
        return;
    sps_json_key(w, "results");
    sps_json_array_begin(w);
    for (size_t e = 0; e < rr->exec->count; e++) {
        const struct sps_engine_exec_entry *x = &rr->exec->entries[e];
        sps_json_object_begin(w);
        s_kv_str(w, "kind", sps_engine_action_kind_name(x->kind));
        s_kv_str(w, "group", x->group);
        s_kv_str(w, "instance", x->instance_id);
        s_kv_str(w, "spot_instance", x->spot_instance_id);
        s_kv_str(w, "spot_instance_type", x->spot_instance_type);
        s_kv_str(w, "outcome", sps_engine_outcome_name(x->outcome));
        s_kv_str(w, "error", x->error == SPS_OK ? NULL : sps_error_name(x->error));
        s_kv_str(w, "aws_code", x->aws_error.code[0] ? x->aws_error.code : NULL);
        sps_json_object_end(w);
    }
    sps_json_array_end(w);
}

static void s_json_region(struct sps_json_writer *w, const struct sps_engine_region_result *rr)
{
    sps_json_object_begin(w);
    s_kv_str(w, "account", rr->account_id);
    s_kv_str(w, "region", rr->region);
    if (rr->plan == NULL) {
        s_kv_str(w, "error", sps_error_name(rr->error));
        s_kv_str(w, "message", sps_error_message(rr->error));
        s_kv_str(w, "aws_code", rr->aws_error && rr->aws_error->code[0] ? rr->aws_error->code
                                                                        : NULL);
        sps_json_object_end(w);
        return;
    }
    sps_json_key(w, "groups");
    sps_json_array_begin(w);
    for (size_t g = 0; g < rr->plan->group_count; g++)
        s_json_group(w, rr, &rr->plan->groups[g]);
    sps_json_array_end(w);
    s_json_actions(w, rr);
    sps_json_object_end(w);
}

sps_err sps_engine_report_json(struct sps_buf *out, const struct sps_engine_report_input *in)
{
    struct sps_json_writer w;
    sps_json_writer_init(&w, out);
    struct sps_buf when;
    sps_buf_init(&when, 64);
    sps_time_format_iso8601(&when, in->time_ms);
    sps_json_object_begin(&w);
    s_kv_str(&w, "mode", in->report_only ? "report-only" : "run");
    s_kv_str(&w, "time", when.data);
    sps_json_key(&w, "regions");
    sps_json_array_begin(&w);
    for (size_t r = 0; r < in->region_count; r++)
        s_json_region(&w, &in->regions[r]);
    sps_json_array_end(&w);
    struct sps_engine_totals t;
    sps_engine_report_totals(in, &t);
    sps_json_key(&w, "totals");
    sps_json_object_begin(&w);
    s_kv_int(&w, "groups", (int64_t)t.groups);
    s_kv_int(&w, "replacements", (int64_t)t.replacements);
    s_kv_num(&w, "cost_now_usd_per_hour", t.cost_now_usd_per_hour);
    s_kv_num(&w, "cost_after_usd_per_hour", t.cost_after_usd_per_hour);
    s_kv_num(&w, "savings_pct", s_savings_pct(t.cost_now_usd_per_hour, t.cost_after_usd_per_hour));
    s_kv_int(&w, "failed_actions", (int64_t)t.failed_actions);
    s_kv_int(&w, "failed_regions", (int64_t)t.failed_regions);
    sps_json_object_end(&w);
    sps_json_object_end(&w);
    sps_buf_clean_up(&when);
    sps_err err = sps_json_writer_finish(&w);
    if (err == SPS_OK)
        err = sps_buf_append_char(out, '\n');
    return err;
}
