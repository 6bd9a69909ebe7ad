/*
 * Runs tests/support/httpd.py (a local HTTP and HTTPS server with echo, delay, big-body,
 * truncation, status and connection-count endpoints) for the libcurl transport tests.
 */
#ifndef SPS_HTTP_SERVER_H
#define SPS_HTTP_SERVER_H

#include <stdbool.h>
#include <sys/types.h>

struct sps_http_test_server {
    pid_t pid;
    int http_port;
    int https_port;
    char dir[256];  /* temp dir holding the port file and the TLS certificate */
    char cert[300]; /* the self-signed certificate (PEM), a valid CA bundle for it */
};

/* Starts the server (HTTP and HTTPS) and waits until it listens; false when it could not. */
bool sps_http_test_server_start(struct sps_http_test_server *s);
void sps_http_test_server_stop(struct sps_http_test_server *s);

#endif
