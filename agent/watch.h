/*
 * watch.h - the host's watches as child processes, the same in `mamori up`
 * and in the enrolled `mamori agent`:
 *
 * - the ransomware and file watch, `mamori fim watch --json`, on the
 *   folders where people keep their files (/home, /srv and /root, those
 *   that exist) or on the folders given; its alert lines come through a
 *   pipe to on_fim. Its response (ransom.respond) is its own setting.
 * - the log watch, `mamori logs follow --from-end`, on /var/log/auth.log,
 *   secure, syslog and messages (those readable) and the systemd journal,
 *   or on the files given: a file never read before starts at its end (old
 *   history would be stale alarms), and the read positions kept in the
 *   child's database carry restarts over. With on_logs it prints its
 *   alerts (--json --no-store) into a pipe; without, it stores them itself.
 *
 * A spec is "auto", "off" or absolute paths separated by commas.
 */
#ifndef MAMORI_AGENT_WATCH_H
#define MAMORI_AGENT_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "agent/child.h"

#define WATCH_MAX_PATHS 8
#define WATCH_PATH_MAX 256

struct watch_opts {
	const char *fim;		/* folders: auto, off or DIR[,DIR...] */
	const char *logs;		/* log files: auto, off or FILE[,FILE...] */
	const char *fim_manager;	/* fim watch --manager (kept when isolating), or NULL */
	child_line_fn on_fim;		/* the file watch's alert lines */
	child_line_fn on_logs;		/* NULL: the log watch stores its alerts itself */
	void *arg;
};

struct watch {
	const struct child_env *env;
	struct watch_opts o;
	char fim_paths[WATCH_MAX_PATHS][WATCH_PATH_MAX];
	size_t nfim;
	char log_paths[WATCH_MAX_PATHS][WATCH_PATH_MAX];
	size_t nlogs;
	bool journal;
	struct child fim, logs;
	struct child_lines fim_in, logs_in;
};

/* 0, or MAMORI_E_INVAL with a one-line reason in err. */
int watch_spec_check(const char *spec, char *err, size_t errsz);
/* Resolves the specs (checked before) and starts what has something to
 * watch; what is off or absent is said on stderr. 0 or MAMORI_E_NOMEM. */
int watch_start(struct watch *w, const struct child_env *env, const struct watch_opts *o);
/* The pipes to poll: fds[0] the file watch, fds[1] the log watch (-1: none). */
void watch_fds(const struct watch *w, int fds[2]);
/* Reads whatever the pipes hold (they do not block). */
void watch_read(struct watch *w);
/* A child ended: true when it was one of these (and its restart is scheduled). */
bool watch_reaped(struct watch *w, pid_t pid, int status);
/* Starts again the watches whose restart is due. */
void watch_tick(struct watch *w);
/* The running children's pids into out[2]; returns 2. */
size_t watch_pids(const struct watch *w, pid_t out[2]);
/* Once the children are stopped: what they wrote last, then the buffers are freed. */
void watch_finish(struct watch *w);

#endif
