/* Fuzz target: every typed Auto Scaling parser (groups, launch configurations, lifecycle hooks,
 * activities, detach and terminate results) over the input parsed as XML: its <ActionResult>
 * (the root's first element, what sps_aws_call hands over) and, for good measure, the root. */
#include "fuzz_common.h"

static void s_parse_all(const struct sps_xml_node *r)
{
    struct sps_aws_asg_groups groups;
    sps_aws_asg_groups_init(&groups);
    if (sps_aws_asg_parse_describe_groups(r, &groups) == SPS_OK) {
        for (size_t i = 0; i < groups.count; i++) {
            const struct sps_aws_asg_group *g = &groups.items[i];
            SPS_FUZZ_IGNORE(sps_aws_asg_groups_find(&groups, g->name));
            SPS_FUZZ_IGNORE(sps_aws_asg_group_find_instance(g, "i-0123456789abcdef0"));
        }
    }
    /* A second page appends to the first: the parsers' documented contract. */
    SPS_FUZZ_IGNORE(sps_aws_asg_parse_describe_groups(r, &groups));
    sps_aws_asg_groups_clean_up(&groups);

    struct sps_aws_asg_launch_configurations lcs;
    sps_aws_asg_launch_configurations_init(&lcs);
    SPS_FUZZ_IGNORE(sps_aws_asg_parse_describe_launch_configurations(r, &lcs));
    SPS_FUZZ_IGNORE(sps_aws_asg_parse_describe_launch_configurations(r, &lcs));
    sps_aws_asg_launch_configurations_clean_up(&lcs);

    struct sps_aws_asg_lifecycle_hooks hooks;
    sps_aws_asg_lifecycle_hooks_init(&hooks);
    SPS_FUZZ_IGNORE(sps_aws_asg_parse_describe_lifecycle_hooks(r, &hooks));
    sps_aws_asg_lifecycle_hooks_clean_up(&hooks);

    struct sps_aws_asg_activities acts;
    sps_aws_asg_activities_init(&acts);
    SPS_FUZZ_IGNORE(sps_aws_asg_parse_describe_activities(r, &acts));
    SPS_FUZZ_IGNORE(sps_aws_asg_parse_describe_activities(r, &acts));
    sps_aws_asg_activities_clean_up(&acts);

    sps_aws_asg_activities_init(&acts);
    SPS_FUZZ_IGNORE(sps_aws_asg_parse_detach_instances(r, &acts));
    sps_aws_asg_activities_clean_up(&acts);

    struct sps_aws_asg_activity act = {0};
    SPS_FUZZ_IGNORE(sps_aws_asg_parse_terminate_instance(r, &act));
    sps_aws_asg_activity_clean_up(&act);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = sps_fuzz_begin();
    struct sps_xml_doc *doc = NULL;
    if (sps_xml_parse(&doc, (const char *)data, size) == SPS_OK) {
        const struct sps_xml_node *result = sps_xml_child(sps_xml_root(doc), NULL);
        if (result != NULL)
            s_parse_all(result);
        s_parse_all(sps_xml_root(doc));
    }
    sps_xml_doc_destroy(doc);
    char *text = sps_fuzz_cstr(data, size);
    SPS_FUZZ_IGNORE(sps_aws_asg_lifecycle_state_parse(text));
    sps_free(text);
    sps_fuzz_end(live, "fuzz_autoscaling");
    return 0;
}
