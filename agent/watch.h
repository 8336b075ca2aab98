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
 * - the network sensor, `mamori sensor -i IFACE --eve -`, on an interface
 *   or (auto) the default route's, when this process may capture (root or
 *   CAP_NET_RAW); its EVE lines (alerts, assets, flows...) come through a
 *   pipe to on_sensor, which keeps what it needs. It reports its
 *   statistics every sensor.stats_interval_s and loads sensor.ioc_files
 *   (its own configuration, the same file).
 *
 * A spec is "auto", "off" or absolute paths separated by commas; the
 * sensor's is "auto", "off" or an interface name.
 */
#ifndef MAMORI_AGENT_WATCH_H
#define MAMORI_AGENT_WATCH_H

#include <stdbool.h>
#include <net/if.h>
#include <stddef.h>
#include <sys/types.h>

#include "agent/child.h"

#define WATCH_MAX_PATHS 8
#define WATCH_PATH_MAX 256
#define WATCH_CHILDREN 3	/* file watch, log watch, network sensor */

struct watch_opts {
	const char *fim;		/* folders: auto, off or DIR[,DIR...] */
	const char *logs;		/* log files: auto, off or FILE[,FILE...] */
	const char *fim_manager;	/* fim watch --manager (kept when isolating), or NULL */
	child_line_fn on_fim;		/* the file watch's alert lines */
	child_line_fn on_logs;		/* NULL: the log watch stores its alerts itself */
	const char *sensor;		/* network sensor: auto, off or IFACE; NULL: off */
	child_line_fn on_sensor;	/* its EVE lines */
	int64_t sensor_stats_s;		/* its --stats-interval (sensor.stats_interval_s) */
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
	char iface[IF_NAMESIZE + 1];	/* the sensor's; "": not started */
	struct child fim, logs, sensor;
	struct child_lines fim_in, logs_in, sensor_in;
};

/* 0, or MAMORI_E_INVAL with a one-line reason in err. */
int watch_spec_check(const char *spec, char *err, size_t errsz);
/* The sensor's spec: auto, off or an interface name. 0 or MAMORI_E_INVAL. */
int watch_sensor_check(const char *spec, char *err, size_t errsz);
/* Nothing running, no pipe: what watch_finish may be called on. */
void watch_init(struct watch *w);
/* Resolves the specs (checked before) and starts what has something to
 * watch; what is off or absent is said on stderr. 0 or MAMORI_E_NOMEM. */
int watch_start(struct watch *w, const struct child_env *env, const struct watch_opts *o);
/* The pipes to poll: fds[0] the file watch, fds[1] the log watch, fds[2]
 * the sensor (-1: none). */
void watch_fds(const struct watch *w, int fds[WATCH_CHILDREN]);
/* Reads whatever the pipes hold (they do not block). */
void watch_read(struct watch *w);
/* A child ended: true when it was one of these (and its restart is scheduled). */
bool watch_reaped(struct watch *w, pid_t pid, int status);
/* Starts again the watches whose restart is due. */
void watch_tick(struct watch *w);
/* SIGHUP to the sensor: it reads its indicator files again (one sent while
 * it starts waits until it can). False when no sensor is running. */
bool watch_hup(struct watch *w);
/* The running children's pids (0: none) into out; returns WATCH_CHILDREN. */
size_t watch_pids(const struct watch *w, pid_t out[WATCH_CHILDREN]);
/* Once the children are stopped: what they wrote last, then the buffers are freed. */
void watch_finish(struct watch *w);

#endif
