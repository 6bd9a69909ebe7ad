/*
 * The embedded instance catalog (compat/) as the On-Demand lookup's first source: it carries
 * Linux prices for us-east-1 and GovCloud, compiled into the binary.
 */
#include "sps_compat.h"
#include "sps_pricing.h"

sps_err sps_pricing_compat_catalog(void *catalog, const char *instance_type, const char *region,
                                   double *usd_per_hour)
{
    if (catalog == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    const struct sps_compat_type *type = NULL;
    sps_err err = sps_compat_catalog_find(catalog, instance_type, &type);
    if (err == SPS_ERR_COMPAT_UNKNOWN_TYPE)
        return SPS_ERR_NOT_FOUND;
    SPS_TRY(err);
    err = sps_compat_type_price(type, region, usd_per_hour);
    /* The catalog's "no price" must never read as free. */
    if (err == SPS_OK && !(*usd_per_hour > 0))
        return SPS_ERR_NOT_FOUND;
    return err;
}
