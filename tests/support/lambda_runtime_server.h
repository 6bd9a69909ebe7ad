/*
 * Runs tests/support/fake_lambda_runtime.py (a fake Lambda Runtime API: a queue of invocations
 * in, the posted responses and errors recorded to a JSON file) for the end-to-end test of the
 * runtime loop over the real libcurl transport.
 */
#ifndef SPS_LAMBDA_RUNTIME_SERVER_H
#define SPS_LAMBDA_RUNTIME_SERVER_H

#include <stdbool.h>
#include <sys/types.h>

struct sps_lambda_test_runtime {
    pid_t pid;
    int port;
    char api[64];      /* "127.0.0.1:<port>", the AWS_LAMBDA_RUNTIME_API value */
    char dir[256];     /* temp dir holding the port, events and record files */
    char records[300]; /* the JSON array of recorded results */
};

/* Writes `events_json` (a JSON array, see the script) and starts the server; false when it
 * could not. */
bool sps_lambda_test_runtime_start(struct sps_lambda_test_runtime *s, const char *events_json);
void sps_lambda_test_runtime_stop(struct sps_lambda_test_runtime *s);

#endif
