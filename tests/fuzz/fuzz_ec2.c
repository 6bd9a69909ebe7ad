/* Fuzz target: every typed EC2 parser, and the pricing parsers over EC2 responses
 * (DescribeSpotPriceHistory and GetSpotPlacementScores pages). The input is parsed as XML once
 * and its root handed to each parser (EC2 has no <ActionResult> wrapper: sps_aws_call hands
 * over the root); the root's first element too, for the documents that have the wrapper. */
#include "fuzz_common.h"
#include "sps_pricing.h"

static void s_ec2(const struct sps_xml_node *r)
{
    struct sps_aws_ec2_regions regions = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_describe_regions(r, &regions));
    sps_aws_ec2_regions_clean_up(&regions);

    struct sps_aws_ec2_zones zones = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_describe_availability_zones(r, &zones));
    sps_aws_ec2_zones_clean_up(&zones);

    struct sps_aws_ec2_instances instances = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_describe_instances(r, &instances));
    sps_aws_ec2_instances_clean_up(&instances);

    struct sps_aws_ec2_instance_statuses statuses = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_describe_instance_status(r, &statuses));
    sps_aws_ec2_instance_statuses_clean_up(&statuses);

    struct sps_aws_ec2_images images = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_describe_images(r, &images));
    sps_aws_ec2_images_clean_up(&images);

    struct sps_aws_ec2_subnets subnets = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_describe_subnets(r, &subnets));
    sps_aws_ec2_subnets_clean_up(&subnets);

    struct sps_aws_ec2_launch_templates templates = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_describe_launch_templates(r, &templates));
    sps_aws_ec2_launch_templates_clean_up(&templates);

    struct sps_aws_ec2_launch_template_versions versions = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_describe_launch_template_versions(r, &versions));
    sps_aws_ec2_launch_template_versions_clean_up(&versions);

    struct sps_aws_ec2_instance_type_infos types = {0};
    if (sps_aws_ec2_parse_describe_instance_types(r, &types) == SPS_OK) {
        for (size_t i = 0; i < types.count; i++)
            SPS_FUZZ_IGNORE(sps_aws_ec2_instance_type_supports_spot(&types.items[i]));
    }
    sps_aws_ec2_instance_type_infos_clean_up(&types);

    struct sps_aws_ec2_type_offerings offerings = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_describe_instance_type_offerings(r, &offerings));
    sps_aws_ec2_type_offerings_clean_up(&offerings);

    struct sps_aws_ec2_reservation reservation = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_run_instances(r, &reservation));
    sps_aws_ec2_reservation_clean_up(&reservation);

    struct sps_aws_ec2_state_changes changes = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_terminate_instances(r, &changes));
    sps_aws_ec2_state_changes_clean_up(&changes);

    struct sps_aws_ec2_tag_descriptions tags = {0};
    SPS_FUZZ_IGNORE(sps_aws_ec2_parse_describe_tags(r, &tags));
    sps_aws_ec2_tag_descriptions_clean_up(&tags);
}

static void s_pricing(const struct sps_xml_node *r)
{
    struct sps_pricing_spot_table *table = sps_pricing_spot_table_new(SPS_PRICING_LINUX);
    char *next = NULL;
    if (sps_pricing_spot_parse_page(r, table, &next) == SPS_OK) {
        for (size_t i = 0; i < sps_pricing_spot_table_count(table); i++) {
            const struct sps_pricing_spot_price *p = sps_pricing_spot_table_at(table, i);
            double price = 0;
            const char *az = NULL;
            if (p == NULL || !(p->usd_per_hour > 0))
                abort(); /* the parser promises positive prices */
            SPS_FUZZ_IGNORE(sps_pricing_spot_get(table, p->instance_type, p->availability_zone, &price));
            SPS_FUZZ_IGNORE(sps_pricing_spot_lowest(table, p->instance_type, &price, &az));
        }
    }
    sps_free(next);
    sps_pricing_spot_table_destroy(table);

    struct sps_pricing_placement_scores scores = {0};
    next = NULL;
    if (sps_pricing_placement_parse_page(r, &scores, &next) == SPS_OK) {
        for (size_t i = 0; i < scores.count; i++) {
            if (scores.items[i].score < 1 || scores.items[i].score > 10)
                abort();
        }
    }
    sps_free(next);
    sps_pricing_placement_scores_clean_up(&scores);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = sps_fuzz_begin();
    struct sps_xml_doc *doc = NULL;
    if (sps_xml_parse(&doc, (const char *)data, size) == SPS_OK) {
        const struct sps_xml_node *root = sps_xml_root(doc);
        s_ec2(root);
        s_pricing(root);
        const struct sps_xml_node *first = sps_xml_child(root, NULL);
        if (first != NULL) {
            s_ec2(first);
            s_pricing(first);
        }
    }
    sps_xml_doc_destroy(doc);
    sps_fuzz_end(live, "fuzz_ec2");
    return 0;
}
