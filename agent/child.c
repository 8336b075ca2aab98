/*
 * child.c - child processes of this binary and their output lines (see child.h).
 */
#include "agent/child.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"

extern char **environ;

#define ARGV_MAX 32
#define CHILD_PIPE_BYTES (1024 * 1024)

int64_t
child_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* hold_hup: SIGHUP starts blocked, so one sent before the child takes it
 * (the sensor, through its signalfd) waits instead of ending it. */
static pid_t
spawn(const struct child_env *e, const char *const *args, int out_fd, bool hold_hup)
{
	const char *argv[ARGV_MAX];
	char parent[24];
	size_t n = 0;
	argv[n++] = "mamori";
	/* The child ends with this process, even when it is killed -9. */
	snprintf(parent, sizeof(parent), "%d", (int)getpid());
	argv[n++] = "--parent";
	argv[n++] = parent;
	if (e->config_path) {
		argv[n++] = "--config";
		argv[n++] = e->config_path;
	}
	if (e->db_path) {
		argv[n++] = "--db";
		argv[n++] = e->db_path;
	}
	for (size_t i = 0; args[i]; i++) {
		if (n == ARGV_MAX - 1) {
			fprintf(stderr, "%s: mamori %s: too many arguments\n", e->who, args[0]);
			return -1;
		}
		argv[n++] = args[i];
	}
	argv[n] = NULL;

	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t mask, dflt;
	pid_t pid = -1;
	sigemptyset(&mask);
	if (hold_hup)
		sigaddset(&mask, SIGHUP);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGTERM);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGCHLD);
	sigaddset(&dflt, SIGHUP);
	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	if (posix_spawnattr_init(&at) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	/* The stop signals are blocked in the parent for its signalfd; children get them back. */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&at, &mask);
	posix_spawnattr_setsigdefault(&at, &dflt);
	posix_spawn_file_actions_adddup2(&fa, e->devnull, STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	int rc = posix_spawn(&pid, "/proc/self/exe", &fa, &at, (char *const *)(uintptr_t)argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "%s: cannot start mamori %s: %s\n", e->who, args[0], strerror(rc));
		return -1;
	}
	return pid;
}

pid_t
child_spawn(const struct child_env *e, const char *const *args, int out_fd)
{
	return spawn(e, args, out_fd, false);
}

int
child_spawn_piped(const struct child_env *e, const char *const *args, struct child *c,
    struct child_lines *in)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		fprintf(stderr, "%s: %s: pipe: %s\n", e->who, args[0], strerror(errno));
		return -1;
	}
	/* Room for a burst while the parent is busy (the agent scans in its own
	 * process): a watcher blocked on a full pipe would stop watching. The
	 * default cap for unprivileged processes is 1 MiB; less is kept if refused. */
	(void)fcntl(fds[0], F_SETPIPE_SZ, CHILD_PIPE_BYTES);
	c->pid = spawn(e, args, fds[1], c->hold_hup);
	c->started = child_now_s();
	close(fds[1]);
	if (c->pid <= 0) {
		c->pid = 0;
		close(fds[0]);
		return -1;
	}
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	if (in->fd >= 0)
		close(in->fd);	/* the pipe of a previous run that was never read to its end */
	in->fd = fds[0];
	in->len = 0;
	in->skip = false;
	return 0;
}

int
child_lines_init(struct child_lines *in)
{
	in->fd = -1;
	in->len = 0;
	in->skip = false;
	in->dropped = 0;
	in->line = malloc(CHILD_LINE_MAX);
	return in->line ? MAMORI_OK : MAMORI_E_NOMEM;
}

void
child_lines_release(struct child_lines *in)
{
	if (in->fd >= 0)
		close(in->fd);
	in->fd = -1;
	free(in->line);
	in->line = NULL;
}

void
child_lines_read(struct child_lines *in, child_line_fn fn, void *arg)
{
	char buf[65536];
	ssize_t n;
	if (in->fd < 0)
		return;
	while ((n = read(in->fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				if (!in->skip && in->len)
					fn(arg, in->line, in->len);
				in->len = 0;
				in->skip = false;
			} else if (in->skip) {
				continue;
			} else if (in->len == CHILD_LINE_MAX) {
				in->skip = true;
				in->dropped++;
			} else {
				in->line[in->len++] = buf[i];
			}
		}
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {	/* closed, or broken */
		close(in->fd);
		in->fd = -1;
	}
}

void
child_lines_drain(struct child_lines *in, child_line_fn fn, void *arg)
{
	if (in->fd < 0)
		return;
	fcntl(in->fd, F_SETFL, 0);
	while (in->fd >= 0)
		child_lines_read(in, fn, arg);
}

void
child_exited(const struct child_env *e, struct child *c, int status)
{
	int64_t ran = child_now_s() - c->started;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	c->pid = 0;
	fprintf(stderr, "%s: %s stopped (exit %d after %" PRId64 " s)%s\n", e->who, c->what, code,
	    ran, ran >= CHILD_RESTART_S ? "; restarting in a minute" : "; not restarted");
	c->next = ran >= CHILD_RESTART_S ? child_now_s() + CHILD_RESTART_S : 0;
}

bool
child_restart_due(struct child *c, int64_t now)
{
	if (c->pid != 0 || !c->next || now < c->next)
		return false;
	c->next = 0;
	return true;
}

void
child_stop_all(const struct child_env *e, pid_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int waited = 0; waited < CHILD_STOP_GRACE_MS; waited += 50) {
		bool left = false;
		for (size_t i = 0; i < n; i++) {
			if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) != 0)
				pids[i] = 0;
			left |= pids[i] > 0;
		}
		if (!left)
			return;
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	for (size_t i = 0; i < n; i++)
		if (pids[i] > 0) {
			fprintf(stderr, "%s: child %d did not stop; killing it\n", e->who, (int)pids[i]);
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
}
