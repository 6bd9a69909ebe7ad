/* Starting and stopping the Python test server behind http_server.h. */
#include "http_server.h"

#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static bool s_read_ports(struct sps_http_test_server *s, const char *port_file)
{
    FILE *f = fopen(port_file, "r");
    if (f == NULL)
        return false;
    int ok = fscanf(f, "%d %d", &s->http_port, &s->https_port);
    fclose(f);
    return ok == 2 && s->http_port > 0 && s->https_port > 0;
}

bool sps_http_test_server_start(struct sps_http_test_server *s)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->dir, sizeof(s->dir), "/tmp/sps-httpd-XXXXXX");
    if (mkdtemp(s->dir) == NULL)
        return false;
    char port_file[300], script[1024];
    snprintf(port_file, sizeof(port_file), "%s/ports", s->dir);
    snprintf(s->cert, sizeof(s->cert), "%s/cert.pem", s->dir);
    snprintf(script, sizeof(script), "%s/tests/support/httpd.py", SPS_SOURCE_DIR);
    char *argv[] = {"/usr/bin/python3", script, port_file, s->dir, NULL};
    if (posix_spawn(&s->pid, argv[0], NULL, NULL, argv, environ) != 0) {
        s->pid = 0;
        return false;
    }
    for (int i = 0; i < 200; i++) { /* up to 10 s: the certificate is generated first */
        if (s_read_ports(s, port_file))
            return true;
        int status;
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            s->pid = 0;
            return false;
        }
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    sps_http_test_server_stop(s);
    return false;
}

void sps_http_test_server_stop(struct sps_http_test_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
    if (s->dir[0]) {
        const char *files[] = {"ports", "cert.pem", "key.pem"};
        char path[400];
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
            snprintf(path, sizeof(path), "%s/%s", s->dir, files[i]);
            unlink(path);
        }
        rmdir(s->dir);
        s->dir[0] = '\0';
    }
}
