/* Starting and stopping the fake Lambda Runtime API behind lambda_runtime_server.h. */
#include "lambda_runtime_server.h"

#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *const s_files[] = {"port", "events.json", "records.json", "records.json.tmp",
                                      "port.tmp"};

static bool s_read_port(struct sps_lambda_test_runtime *s, const char *port_file)
{
    FILE *f = fopen(port_file, "r");
    if (f == NULL)
        return false;
    int ok = fscanf(f, "%d", &s->port);
    fclose(f);
    return ok == 1 && s->port > 0;
}

static bool s_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

bool sps_lambda_test_runtime_start(struct sps_lambda_test_runtime *s, const char *events_json)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->dir, sizeof(s->dir), "/tmp/sps-lambda-XXXXXX");
    if (mkdtemp(s->dir) == NULL) {
        s->dir[0] = '\0';
        return false;
    }
    char port_file[300], events[300], script[1024];
    snprintf(port_file, sizeof(port_file), "%s/port", s->dir);
    snprintf(events, sizeof(events), "%s/events.json", s->dir);
    snprintf(s->records, sizeof(s->records), "%s/records.json", s->dir);
    snprintf(script, sizeof(script), "%s/tests/support/fake_lambda_runtime.py", SPS_SOURCE_DIR);
    if (!s_write(events, events_json)) {
        sps_lambda_test_runtime_stop(s);
        return false;
    }
    char *argv[] = {"/usr/bin/python3", script, port_file, events, s->records, NULL};
    if (posix_spawn(&s->pid, argv[0], NULL, NULL, argv, environ) != 0) {
        s->pid = 0;
        sps_lambda_test_runtime_stop(s);
        return false;
    }
    for (int i = 0; i < 200; i++) { /* up to 10 s */
        if (s_read_port(s, port_file)) {
            snprintf(s->api, sizeof(s->api), "127.0.0.1:%d", s->port);
            return true;
        }
        int status;
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            s->pid = 0;
            break;
        }
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    sps_lambda_test_runtime_stop(s);
    return false;
}

void sps_lambda_test_runtime_stop(struct sps_lambda_test_runtime *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
    if (s->dir[0]) {
        char path[400];
        for (size_t i = 0; i < sizeof(s_files) / sizeof(s_files[0]); i++) {
            snprintf(path, sizeof(path), "%s/%s", s->dir, s_files[i]);
            unlink(path);
        }
        rmdir(s->dir);
        s->dir[0] = '\0';
    }
}
