/* Fuzz target: the Price List parsers: a GetProducts response body for one instance type and
 * region-wide (by type), and the input as one product document. */
#include "fuzz_common.h"
#include "sps_pricing.h"

#include <string.h>

/* Region-wide answers fold into per-type accumulators: a small fixed table is enough here. */
struct s_slots {
    char names[8][64];
    struct sps_pricing_od_match matches[8];
    size_t count;
};

static struct sps_pricing_od_match *s_slot(void *ctx, const char *instance_type)
{
    struct s_slots *s = ctx;
    if (instance_type == NULL)
        abort(); /* the parser must name the type it folds into */
    for (size_t i = 0; i < s->count; i++) {
        if (strcmp(s->names[i], instance_type) == 0)
            return &s->matches[i];
    }
    size_t i = s->count < 8 ? s->count++ : 7;
    (void)snprintf(s->names[i], sizeof(s->names[i]), "%s", instance_type);
    return &s->matches[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = sps_fuzz_begin();
    struct sps_cursor body = sps_cursor_from_mem(data, size);
    static const struct sps_pricing_od_key keys[] = {
        {"m5.large", "us-east-1", SPS_PRICING_LINUX},
        {"m5.large", "eu-west-1", SPS_PRICING_WINDOWS},
    };
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        struct sps_pricing_od_match m;
        sps_pricing_od_match_init(&m);
        double price = 0;
        if (sps_pricing_parse_products(body, &keys[k], &m) == SPS_OK &&
            sps_pricing_od_match_price(&m, &price) == SPS_OK && !(price > 0))
            abort(); /* a price that is not known is never 0 */
        sps_pricing_od_match_clean_up(&m);

        sps_pricing_od_match_init(&m);
        SPS_FUZZ_IGNORE(sps_pricing_parse_product(body, &keys[k], &m));
        sps_pricing_od_match_clean_up(&m);
    }

    struct s_slots slots;
    memset(&slots, 0, sizeof(slots));
    for (size_t i = 0; i < 8; i++)
        sps_pricing_od_match_init(&slots.matches[i]);
    static const struct sps_pricing_od_key region_wide = {NULL, "us-east-1", SPS_PRICING_LINUX};
    char *next = NULL;
    SPS_FUZZ_IGNORE(sps_pricing_parse_products_by_type(body, &region_wide, s_slot, &slots, &next));
    sps_free(next);
    for (size_t i = 0; i < 8; i++)
        sps_pricing_od_match_clean_up(&slots.matches[i]);
    sps_fuzz_end(live, "fuzz_pricing_list");
    return 0;
}
