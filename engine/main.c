/*
 * The spotswap command line: global set-up (allocator hooks, log level), then one command.
 * `aws` is a diagnostic that performs one API call with the configured credentials and
 * endpoint; `run` (one pass of the engine) and the Lambda entry arrive with the engine.
 */
#include "sps_aws.h"
#include "sps_engine_cli.h"

#include <stdio.h>
#include <string.h>

static const char s_usage[] =
    "usage: spotswap [--help] [--version] <command> [args]\n"
    "\n"
    "Replaces the on-demand instances of tagged AutoScaling groups with cheaper spot instances.\n"
    "\n"
    "commands:\n"
    "  run [--region R]... [--report-only] [--output text|json] [--config FILE] [options]\n"
    "        one pass: scan the opted-in groups, replace on-demand instances with spot, report\n"
    "        (spotswap run --help lists every option; see docs/configuration.md)\n"
    "  bootstrap\n"
    "        serve the Lambda Runtime API (also when started as `bootstrap`; docs/lambda.md)\n"
    "  match TYPE [--region R] [--az AZ] [--os linux|windows|rhel|suse] [--output text|json]\n"
    "        [--explain]  the types that can stand in for TYPE as spot instances, with their\n"
    "        On-Demand and spot prices, cheapest first (see docs/pricing.md)\n"
    "  aws <service> <Action> [Name=Value ...] [--region R] [--profile P] [--output text|xml]\n"
    "        perform one API call with the configured credentials and endpoint and print the\n"
    "        parsed result, to check a set-up (service: ec2, autoscaling, sts, pricing)\n"
    "\n"
    "options:\n"
    "  -h, --help      show this help and exit\n"
    "  -V, --version   show the version and exit\n"
    "\n"
    "environment:\n"
    "  SPOTSWAP_LOG_LEVEL   trace, debug, info (default), warn, error or off; logs are JSON\n"
    "                       lines on stderr and never contain secrets\n"
    "  AWS_*                credentials, region and endpoints as the AWS CLI reads them; see\n"
    "                       docs/credentials.md and docs/endpoints.md\n";

static int s_set_log_level(void)
{
    const char *text = sps_env_get(sps_env_process(), "SPOTSWAP_LOG_LEVEL");
    enum sps_log_level level = SPS_LOG_INFO;
    if (text && sps_log_level_parse(text, &level) != SPS_OK) {
        fprintf(stderr, "spotswap: SPOTSWAP_LOG_LEVEL=%s is not one of trace, debug, info, warn, "
                        "error, off\n", text);
        return 2;
    }
    sps_log_set_level(level);
    return 0;
}

/* Lambda starts the custom runtime as `bootstrap` with no arguments. */
static bool s_is_bootstrap(int argc, char **argv)
{
    const char *slash = strrchr(argv[0], '/');
    const char *name = slash ? slash + 1 : argv[0];
    return (argc == 1 && strcmp(name, "bootstrap") == 0) ||
           (argc >= 2 && strcmp(argv[1], "bootstrap") == 0);
}

int main(int argc, char **argv)
{
    if (s_is_bootstrap(argc, argv)) {
        int code = s_set_log_level();
        if (code != 0)
            return code;
        sps_aws_global_init();
        code = sps_engine_cli_lambda();
        sps_aws_global_clean_up();
        return code;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(s_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("spotswap %s\n", SPS_VERSION);
        return 0;
    }
    int rc = s_set_log_level();
    if (rc != 0)
        return rc;
    sps_aws_global_init();
    if (strcmp(argv[1], "aws") == 0) {
        rc = sps_engine_cli_aws(argc - 2, argv + 2, stdout, stderr);
    } else if (strcmp(argv[1], "run") == 0) {
        rc = sps_engine_cli_run(argc - 2, argv + 2, stdout, stderr);
    } else if (strcmp(argv[1], "match") == 0) {
        rc = sps_engine_cli_match(argc - 2, argv + 2, stdout, stderr);
    } else {
        fprintf(stderr, "spotswap: unknown command '%s' (see spotswap --help)\n", argv[1]);
        rc = 2;
    }
    sps_aws_global_clean_up();
    return rc;
}
