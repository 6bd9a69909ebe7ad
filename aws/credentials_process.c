/*
 * credential_process: runs the profile's command with /bin/sh -c, reads its standard output
 * (bounded in size and time) and parses the JSON it prints (Version 1). A failing command is
 * reported by its exit status only: its output may hold secrets. Its standard error is left
 * attached to ours so the user sees the tool's own diagnostics.
 */
#include "sps_aws_credentials_private.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define S_NAME "credential_process"

struct s_process {
    char *command;
    int64_t timeout_ms;
    size_t max_output;
};

struct s_child {
    pid_t pid;
    int out_fd;
    bool reaped;
    int status;
};

static sps_err s_spawn(struct s_child *child, const char *command)
{
    int fds[2];
    if (pipe(fds) != 0)
        return SPS_ERR_IO;
    /* Only the child's copy of the write end should survive into it. */
    (void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    posix_spawnattr_init(&attr);
    /* Its own process group, so a timeout can stop the shell and whatever it started. */
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    int rc = posix_spawn(&child->pid, "/bin/sh", &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        errno = rc;
        return SPS_ERR_IO;
    }
    child->out_fd = fds[0];
    child->reaped = false;
    return SPS_OK;
}

static int64_t s_now(void)
{
    return sps_clock_system()->mono_ms(NULL);
}

/* Waits for the child to exit until `deadline`; false on timeout. */
static bool s_reap(struct s_child *child, int64_t deadline)
{
    while (!child->reaped) {
        pid_t got = waitpid(child->pid, &child->status, WNOHANG);
        if (got == child->pid || (got < 0 && errno != EINTR)) {
            child->reaped = true;
            break;
        }
        if (s_now() >= deadline)
            return false;
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return true;
}

static void s_kill(struct s_child *child)
{
    if (child->reaped)
        return;
    kill(-child->pid, SIGKILL);
    while (waitpid(child->pid, &child->status, 0) < 0 && errno == EINTR) {
    }
    child->reaped = true;
}

/* Reads stdout to EOF. SPS_ERR_HTTP_TIMEOUT / SPS_ERR_LIMIT_EXCEEDED / SPS_ERR_IO. */
static sps_err s_read_all(struct s_child *child, struct sps_buf *out, int64_t deadline)
{
    char chunk[4096];
    for (;;) {
        int64_t left = deadline - s_now();
        if (left <= 0)
            return SPS_ERR_HTTP_TIMEOUT;
        struct pollfd pfd = {child->out_fd, POLLIN, 0};
        int ready = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
        if (ready < 0 && errno != EINTR)
            return SPS_ERR_IO;
        if (ready <= 0)
            continue;
        ssize_t n = read(child->out_fd, chunk, sizeof(chunk));
        if (n == 0)
            return SPS_OK;
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            return SPS_ERR_IO;
        if (n > 0 && sps_buf_append(out, chunk, (size_t)n) != SPS_OK)
            return SPS_ERR_LIMIT_EXCEEDED;
    }
}

static sps_err s_run(const struct s_process *proc, struct sps_buf *out,
                     struct sps_aws_error *aws_err)
{
    struct s_child child;
    if (s_spawn(&child, proc->command) != SPS_OK)
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_PROCESS, S_NAME, "cannot start /bin/sh: %s",
                              strerror(errno));
    int64_t deadline = s_now() + proc->timeout_ms;
    sps_err err = s_read_all(&child, out, deadline);
    close(child.out_fd);
    if (err == SPS_OK && !s_reap(&child, deadline))
        err = SPS_ERR_HTTP_TIMEOUT;
    s_kill(&child);
    if (err == SPS_ERR_HTTP_TIMEOUT)
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_PROCESS, S_NAME,
                              "the command did not finish within %lld ms; it was killed",
                              (long long)proc->timeout_ms);
    if (err == SPS_ERR_LIMIT_EXCEEDED)
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_PROCESS, S_NAME,
                              "the command printed more than %zu bytes; it was killed",
                              proc->max_output);
    if (err != SPS_OK)
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_PROCESS, S_NAME,
                              "reading the command's output failed");
    if (WIFSIGNALED(child.status))
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_PROCESS, S_NAME,
                              "the command was killed by signal %d", WTERMSIG(child.status));
    if (!WIFEXITED(child.status) || WEXITSTATUS(child.status) != 0)
        return sps_creds_fail(aws_err, SPS_ERR_CREDS_PROCESS, S_NAME,
                              "the command exited with status %d", WEXITSTATUS(child.status));
    return SPS_OK;
}

static sps_err s_fetch(void *ctx, struct sps_aws_credentials *out, struct sps_aws_error *aws_err)
{
    const struct s_process *proc = ctx;
    struct sps_buf output;
    sps_buf_init(&output, proc->max_output);
    sps_err err = s_run(proc, &output, aws_err);
    if (err == SPS_OK) {
        static const struct sps_creds_json_format format = {.provider = S_NAME,
                                                            .error = SPS_ERR_CREDS_PROCESS,
                                                            .token_field = "SessionToken",
                                                            .check_version = true};
        err = sps_creds_from_json(out, sps_buf_cursor(&output), &format, aws_err);
    }
    /* The output is the secret itself. */
    if (output.cap)
        memset(output.data, 0, output.cap);
    sps_buf_clean_up(&output);
    return err;
}

static void s_destroy(void *ctx)
{
    struct s_process *proc = ctx;
    sps_free(proc->command);
    sps_free(proc);
}

struct sps_aws_credentials_provider *
sps_creds_process_new(const struct sps_creds_process_options *options)
{
    struct s_process *proc = sps_calloc(1, sizeof(*proc));
    proc->command = sps_strdup(options->command);
    proc->timeout_ms = options->timeout_ms > 0 ? options->timeout_ms : 60000;
    proc->max_output = options->max_output ? options->max_output : 64 * 1024;
    return sps_creds_cached_new(S_NAME, s_fetch, proc, s_destroy, options->clock);
}
