/* The AWS client layer: signing, credentials, HTTP, Query/XML and JSON protocols, endpoints. It
 * knows nothing of spotswap's business rules. */
#ifndef SPS_AWS_H
#define SPS_AWS_H

#include "sps_aws_autoscaling.h"
#include "sps_aws_client.h"
#include "sps_aws_credentials.h"
#include "sps_aws_ec2.h"
#include "sps_aws_endpoint.h"
#include "sps_aws_error.h"
#include "sps_aws_http.h"
#include "sps_aws_query.h"
#include "sps_aws_sigv4.h"
#include "sps_aws_xml.h"

#endif
