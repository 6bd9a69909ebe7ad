/* Running tests/fakeaws from C tests: start/stop through its command, admin over HTTP. */
#include "sps_fakeaws.h"
#include "sps_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

static int s_run(const char *command)
{
    int status = system(command);
    return (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
}

/* A failing check longjmps past sps_fakeaws_stop; the fakes still running when the test process
 * exits are stopped here, so a failed test leaves no server behind. */
#define S_MAX_RUNNING 16
static char s_running[S_MAX_RUNNING][256];

static void s_stop_dir(const char *dir)
{
    char command[1024];
    snprintf(command, sizeof(command),
             "%s/tests/fakeaws/fakeaws stop --dir %s >/dev/null 2>&1; rm -rf %s", SPS_SOURCE_DIR,
             dir, dir);
    s_run(command);
}

static void s_stop_leftovers(void)
{
    for (int i = 0; i < S_MAX_RUNNING; i++) {
        if (s_running[i][0])
            s_stop_dir(s_running[i]);
        s_running[i][0] = '\0';
    }
}

static void s_track(const char *dir, bool running)
{
    static bool registered;
    if (!registered) {
        atexit(s_stop_leftovers);
        registered = true;
    }
    for (int i = 0; i < S_MAX_RUNNING; i++) {
        if (running ? s_running[i][0] == '\0' : strcmp(s_running[i], dir) == 0) {
            if (running)
                snprintf(s_running[i], sizeof(s_running[i]), "%s", dir);
            else
                s_running[i][0] = '\0';
            return;
        }
    }
}

void sps_fakeaws_start(struct sps_fakeaws *f, const char *scenario)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/sps-fakeaws-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        sps_test_fail(__FILE__, __LINE__, "cannot create a temp dir for the fake");
    char command[2048];
    if (scenario)
        snprintf(command, sizeof(command),
                 "%s/tests/fakeaws/fakeaws start --dir %s --scenario "
                 "%s/tests/fakeaws/scenarios/%s >/dev/null",
                 SPS_SOURCE_DIR, f->dir, SPS_SOURCE_DIR, scenario);
    else
        snprintf(command, sizeof(command), "%s/tests/fakeaws/fakeaws start --dir %s >/dev/null",
                 SPS_SOURCE_DIR, f->dir);
    s_track(f->dir, true);
    if (s_run(command) != 0)
        sps_test_fail(__FILE__, __LINE__, "fakeaws did not start (see %s/fakeaws.log)", f->dir);
    char path[300];
    snprintf(path, sizeof(path), "%s/endpoint", f->dir);
    struct sps_buf endpoint;
    sps_buf_init(&endpoint, sizeof(f->endpoint) - 1);
    sps_err err = sps_file_read(&endpoint, path);
    if (err == SPS_OK)
        memcpy(f->endpoint, endpoint.data, endpoint.len + 1);
    sps_buf_clean_up(&endpoint);
    struct sps_cursor trimmed = sps_cursor_trim(sps_cursor_from_str(f->endpoint));
    f->endpoint[trimmed.len] = '\0';
    if (err != SPS_OK || sps_http_curl_new(&f->transport, NULL) != SPS_OK ||
        sps_aws_credentials_provider_new_static(&f->credentials, SPS_FAKEAWS_AKID,
                                                SPS_FAKEAWS_SECRET, NULL) != SPS_OK)
        sps_test_fail(__FILE__, __LINE__, "fakeaws set-up failed");
}

void sps_fakeaws_stop(struct sps_fakeaws *f)
{
    sps_aws_credentials_provider_destroy(f->credentials);
    sps_http_transport_destroy(f->transport);
    f->credentials = NULL;
    f->transport = NULL;
    if (f->dir[0]) {
        s_stop_dir(f->dir);
        s_track(f->dir, false);
        f->dir[0] = '\0';
    }
    sps_log_clear_secrets();
}

struct sps_aws_client *sps_fakeaws_client(struct sps_fakeaws *f, enum sps_aws_service service,
                                          const char *region)
{
    struct sps_aws_client_options o = {.service = service,
                                       .region = region,
                                       .endpoint_url = f->endpoint,
                                       .credentials = f->credentials,
                                       .transport = f->transport};
    struct sps_aws_client *client = NULL;
    if (sps_aws_client_new(&client, &o) != SPS_OK)
        sps_test_fail(__FILE__, __LINE__, "cannot build a client against the fake");
    return client;
}

int sps_fakeaws_admin(struct sps_fakeaws *f, const char *method, const char *path,
                      const char *json, struct sps_buf *out)
{
    struct sps_http_request req;
    sps_http_request_init(&req, method);
    (void)sps_buf_printf(&req.url, "%s/_fake/%s", f->endpoint, path);
    if (json) {
        (void)sps_buf_append_str(&req.body, json);
        sps_http_headers_set(&req.headers, "Content-Type", "application/json");
    }
    struct sps_http_response resp;
    sps_http_response_init(&resp, 0);
    int status = sps_http_send(f->transport, &req, &resp) == SPS_OK ? resp.status : -1;
    if (out)
        (void)sps_buf_set(out, sps_buf_cursor(&resp.body));
    sps_http_response_clean_up(&resp);
    sps_http_request_clean_up(&req);
    return status;
}
