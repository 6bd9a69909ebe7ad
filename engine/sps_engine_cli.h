/* The engine's command-line entry points, one function per command, called by main.c. Each
 * returns the process exit code: 0 on success, 1 when the work failed, 2 for a usage error. */
#ifndef SPS_ENGINE_CLI_H
#define SPS_ENGINE_CLI_H

#include <stdio.h>

/* `spotswap aws <service> <Action> [Name=Value ...] [--region R] [--profile P] [--output F]`:
 * one API call with the configured credentials and endpoint; prints the parsed result to `out`
 * and a one-line error to `err`. */
int sps_engine_cli_aws(int argc, char **argv, FILE *out, FILE *err);

/* `spotswap match TYPE [--region R] [--az AZ] [--os OS] [--output text|json] [--explain]`: the
 * types that can stand in for TYPE as spot, with On-Demand and spot prices, cheapest first
 * (engine/cli_match.c, docs/pricing.md). */
int sps_engine_cli_match(int argc, char **argv, FILE *out, FILE *err);

/* `spotswap run [options]`: one pass of the engine (engine/cli_run.c, docs/configuration.md).
 * 0 when every region and action succeeded, 1 with a one-line reason otherwise, 2 for a
 * configuration error. */
int sps_engine_cli_run(int argc, char **argv, FILE *out, FILE *err);

/* The Lambda custom runtime: serves AWS_LAMBDA_RUNTIME_API until it says stop (docs/lambda.md). */
int sps_engine_cli_lambda(void);

#endif
