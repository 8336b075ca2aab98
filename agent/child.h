/*
 * child.h - child processes of this binary (/proc/self/exe) and the lines
 * they print, for the commands that run watchers beside their own work
 * (`mamori up`, the enrolled `mamori agent`).
 *
 * A child gets the parent's --config and --db, --parent (it is sent SIGTERM
 * when this process dies, however it dies), /dev/null as standard input
 * and either a pipe or /dev/null as standard output. Its stop signals are
 * reset: the parents block SIGTERM, SIGINT, SIGCHLD and SIGHUP for a
 * signalfd; SIGHUP stays blocked in a child marked hold_hup. A
 * watcher that ran CHILD_RESTART_S or more is restarted CHILD_RESTART_S
 * after it stops; one that stops sooner (bad arguments, no rights) is not.
 */
#ifndef MAMORI_AGENT_CHILD_H
#define MAMORI_AGENT_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CHILD_LINE_MAX (256 * 1024)	/* a child's output line; longer ones are dropped */
#define CHILD_RESTART_S 60
#define CHILD_STOP_GRACE_MS 5000	/* after SIGTERM, before SIGKILL */

struct child_env {
	const char *who;		/* "mamori up": the prefix of messages on stderr */
	const char *config_path;	/* given to children as --config, or NULL */
	const char *db_path;		/* given to children as --db, or NULL */
	int devnull;			/* opened O_RDWR by the caller */
};

struct child {
	pid_t pid;		/* 0: not running */
	int64_t started;	/* child_now_s() */
	int64_t next;		/* restart due at this time; 0: none */
	const char *what;	/* "file watch", for messages */
	bool hold_hup;		/* started with SIGHUP blocked (child_spawn_piped): it reloads on it */
};

/* A child's standard output, read as lines. */
struct child_lines {
	int fd;			/* -1: closed */
	char *line;		/* CHILD_LINE_MAX bytes (child_lines_init) */
	size_t len;
	bool skip;		/* dropping the rest of an overlong line */
	unsigned long dropped;
};

typedef void (*child_line_fn)(void *arg, const char *line, size_t len);

/* Monotonic seconds. */
int64_t child_now_s(void);

/* Starts `mamori [--config F] [--db F] args...` with stdout on out_fd; the pid or -1. */
pid_t child_spawn(const struct child_env *e, const char *const *args, int out_fd);
/* Starts c with its standard output on a new non-blocking pipe read through in. 0 or -1. */
int child_spawn_piped(const struct child_env *e, const char *const *args, struct child *c,
    struct child_lines *in);

/* fd -1 and the line buffer; MAMORI_E_NOMEM. */
int child_lines_init(struct child_lines *in);
void child_lines_release(struct child_lines *in);
/* Reads what is there; complete lines go to fn. Closes fd at the end of the pipe. */
void child_lines_read(struct child_lines *in, child_line_fn fn, void *arg);
/* Reads to the end of the pipe (the child has been stopped). */
void child_lines_drain(struct child_lines *in, child_line_fn fn, void *arg);

/* c's process ended with status: says so and schedules the restart rule. */
void child_exited(const struct child_env *e, struct child *c, int status);
/* True (and the restart cleared) when c is stopped and its restart is due. */
bool child_restart_due(struct child *c, int64_t now);
/* SIGTERM to every pid > 0, SIGKILL to those left after the grace time; all reaped. */
void child_stop_all(const struct child_env *e, pid_t *pids, size_t n);

#endif
