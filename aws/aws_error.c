/* AWS error documents: parsing both Query shapes and JSON 1.1, and classification. */
#include "sps_aws_error.h"

#include <string.h>

void sps_aws_error_clear(struct sps_aws_error *e)
{
    memset(e, 0, sizeof(*e));
}
