/*
 * The spotswap command line. `run` is one pass of the engine (later issues), `aws` a diagnostic
 * that performs one API call with the configured credentials and endpoint.
 */
#include "sps_aws.h"

#include <stdio.h>
#include <string.h>

static const char s_usage[] =
    "usage: spotswap [--help] [--version] <command> [args]\n"
    "\n"
    "Replaces the on-demand instances of tagged AutoScaling groups with cheaper spot instances.\n"
    "\n"
    "commands:\n"
    "  aws <service> <Action> [Name=Value ...] [--region R] [--output xml|text]\n"
    "        perform one API call with the configured credentials and endpoint and print the\n"
    "        parsed result, to check a set-up (service: ec2, autoscaling, sts)\n"
    "\n"
    "options:\n"
    "  -h, --help      show this help and exit\n"
    "  -V, --version   show the version and exit\n"
    "\n"
    "Credentials, region and endpoints are found as the AWS CLI finds them; see docs/.\n";

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(s_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("spotswap %s\n", SPS_VERSION);
        return 0;
    }
    fprintf(stderr, "spotswap: unknown command '%s' (see spotswap --help)\n", argv[1]);
    return 2;
}
