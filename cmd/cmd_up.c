/*
 * cmd_up.c - mamori up: everything on one box, with no configuration.
 *
 * The manager (cmd_serve_start: HTTPS API and dashboard), a local agent
 * loop and the network sensor, in one process tree sharing one embedded
 * SQLite database:
 *
 * - The agent loop runs `mamori scan` and then `mamori vuln scan` as child
 *   processes of this binary (/proc/self/exe) every --scan-every seconds,
 *   storing straight into the database: no network hop on one box, and a
 *   scan that fails or runs out of memory never takes the manager down.
 * - The sensor (`mamori sensor -i IFACE --eve -`) runs on the interface of
 *   the default route when this process may capture (CAP_NET_RAW); its EVE
 *   alerts are stored as alerts (source "sensor") as they arrive.
 * - The log follower (`mamori logs follow`) reads the system's login and
 *   system logs and the journal, and stores its alerts itself (source "logs").
 * - The file watch (`mamori fim watch --json`) on the users' folders; its
 *   alert lines are stored as they come (source "fim").
 *
 * SIGTERM or SIGINT stops the children, then the manager, and exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "common/err.h"
#include "storage/db.h"
#include "storage/store_alert.h"

extern char **environ;

#define DEFAULT_SCAN_EVERY 3600	/* seconds; findings change slowly, alerts come from the sensor */
#define PIPE_LINE_MAX (256 * 1024)	/* a child's output line; longer ones are dropped */
#define SENSOR_RESTART_S 60	/* a sensor that ran this long is restarted after it */
#define STOP_GRACE_MS 5000	/* children get this long after SIGTERM */
#define CAP_NET_RAW_BIT 13
#define DEFAULT_TENANT 1

static void
up_usage(FILE *out)
{
	fprintf(out, "usage: mamori [--db FILE] up [--listen ADDR:PORT] [--scan-every SECONDS]\n"
	    "                  [--sensor auto|off|IFACE] [--logs auto|off|FILE] [--fim auto|off|DIR]\n"
	    "  --listen ADDR:PORT     the dashboard (default manager.listen, 127.0.0.1:8443)\n"
	    "  --scan-every SECONDS   scan this computer this often (default 3600)\n"
	    "  --sensor auto|off|IFACE  watch the network: auto = the default route's interface\n"
	    "                         when this process may capture (root or CAP_NET_RAW)\n"
	    "  --logs auto|off|FILE   follow /var/log/auth.log, syslog (or secure, messages) and\n"
	    "                         the journal for break-ins (auto: those that exist), or FILE\n"
	    "  --fim auto|off|DIR     ransomware and file watch (with canary files) on /home, /srv\n"
	    "                         and /root (auto: those that exist), or on DIR\n");
}

struct child {
	pid_t pid;
	int64_t started;
};

/* A child's standard output, read as lines. */
struct pipe_in {
	int fd;			/* -1: closed */
	char *line;		/* PIPE_LINE_MAX bytes */
	size_t len;
	bool skip;		/* dropping the rest of an overlong line */
	unsigned long dropped;
};

struct up {
	struct cmd_env *env;
	const char *db_path;
	int devnull;
	/* Agent loop: phase 0 idle, 1 scan running, 2 vuln scan running. */
	struct child agent;
	int phase;
	int64_t next_scan;
	int scan_every;
	unsigned long scans_ok, scans_failed;
	/* Sensor. */
	char iface[IF_NAMESIZE + 1];
	struct child sensor;
	struct pipe_in sensor_in;
	int64_t sensor_next;
	struct db *alert_db;
	char hostname[256];
	unsigned long sensor_alerts;
	/* File watch: `mamori fim watch --json` on the users' folders. */
	char fim_paths[4][32];
	int fim_npaths;
	struct child fim;
	struct pipe_in fim_in;
	int64_t fim_next;
	unsigned long fim_alerts;
	/* Log follower: `mamori logs follow`, which stores its alerts itself. */
	bool logs_on;
	const char *logs_file;		/* --logs FILE: that file instead of the system's */
	struct child logs;
	int64_t logs_next;
};

static int64_t
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

static int64_t
wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* This binary with the global options, then args (NULL-terminated). */
static pid_t
spawn_self(struct up *u, const char *const *args, int out_fd)
{
	const char *argv[24];
	size_t n = 0;
	argv[n++] = "mamori";
	if (u->env->config_path) {
		argv[n++] = "--config";
		argv[n++] = u->env->config_path;
	}
	if (u->db_path) {
		argv[n++] = "--db";
		argv[n++] = u->db_path;
	}
	for (size_t i = 0; args[i] && n < sizeof(argv) / sizeof(argv[0]) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;

	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dflt;
	pid_t pid = -1;
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGTERM);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGCHLD);
	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	if (posix_spawnattr_init(&at) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	/* The stop signals are blocked here for sigwait; children get them back. */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dflt);
	posix_spawn_file_actions_adddup2(&fa, u->devnull, STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	int rc = posix_spawn(&pid, "/proc/self/exe", &fa, &at, (char *const *)(uintptr_t)argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "mamori up: cannot start mamori %s: %s\n", args[0], strerror(rc));
		return -1;
	}
	return pid;
}

static void
agent_start(struct up *u, int phase)
{
	static const char *const scan[] = { "scan", NULL };
	static const char *const vuln[] = { "vuln", "scan", NULL };
	u->agent.pid = spawn_self(u, phase == 1 ? scan : vuln, u->devnull);
	u->agent.started = now_s();
	u->phase = u->agent.pid > 0 ? phase : 0;
	if (u->agent.pid <= 0)
		u->next_scan = now_s() + u->scan_every;
}

static void
agent_exited(struct up *u, int status)
{
	bool ok = WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 1);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	u->agent.pid = 0;
	if (u->phase == 1) {
		ok ? u->scans_ok++ : u->scans_failed++;
		fprintf(stderr, "mamori up: scan of this computer %s (exit %d, %" PRId64 " s)\n",
		    ok ? "stored" : "failed", code, now_s() - u->agent.started);
		agent_start(u, 2);
		return;
	}
	if (!ok)
		fprintf(stderr, "mamori up: vulnerability scan failed (exit %d)\n", code);
	u->phase = 0;
	u->next_scan = now_s() + u->scan_every;
}

/* The interface of the IPv4 default route (/proc/net/route), or "". */
static void
default_iface(char *out, size_t outsz)
{
	FILE *f = fopen("/proc/net/route", "r");
	char line[512], name[IF_NAMESIZE + 1];
	unsigned long dest, gw, flags;
	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%16s %lx %lx %lx", name, &dest, &gw, &flags) == 4 &&
		    dest == 0 && (flags & 1)) {	/* RTF_UP */
			snprintf(out, outsz, "%s", name);
			break;
		}
	}
	fclose(f);
}

/* True when this process may open a live capture (CapEff has CAP_NET_RAW). */
static bool
may_capture(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;
	bool found = false;
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			found = true;
			break;
		}
	fclose(f);
	return found && (eff >> CAP_NET_RAW_BIT) & 1;
}

/* Starts a child whose standard output is read through in. 0 or -1. */
static int
spawn_piped(struct up *u, const char *const *args, struct child *c, struct pipe_in *in)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		fprintf(stderr, "mamori up: %s: pipe: %s\n", args[0], strerror(errno));
		return -1;
	}
	c->pid = spawn_self(u, args, fds[1]);
	c->started = now_s();
	close(fds[1]);
	if (c->pid <= 0) {
		close(fds[0]);
		return -1;
	}
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	in->fd = fds[0];
	in->len = 0;
	in->skip = false;
	return 0;
}

static void
sensor_start(struct up *u)
{
	const char *const args[] = { "sensor", "-i", u->iface, "--eve", "-", NULL };
	if (spawn_piped(u, args, &u->sensor, &u->sensor_in) == 0)
		fprintf(stderr, "mamori up: network sensor on %s\n", u->iface);
}

/* A watcher child ended: one that ran a minute or more is restarted after a minute. */
static void
watcher_exited(struct child *c, int64_t *next, const char *what, int status)
{
	int64_t ran = now_s() - c->started;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	c->pid = 0;
	fprintf(stderr, "mamori up: %s stopped (exit %d after %" PRId64 " s)%s\n", what, code,
	    ran, ran >= SENSOR_RESTART_S ? "; restarting in a minute" : "; not restarted");
	*next = ran >= SENSOR_RESTART_S ? now_s() + SENSOR_RESTART_S : 0;
}

/*
 * The log follower: this system's login and system logs and its journal, from
 * their current end on the first start (old history would be stale alarms);
 * the positions kept in the database carry later restarts over without loss.
 */
static void
logs_start(struct up *u)
{
	static const char *const files[] = { "/var/log/auth.log", "/var/log/secure",
		"/var/log/syslog", "/var/log/messages" };
	const char *args[16] = { "logs", "follow", "--from-end" };
	size_t n = 3;
	if (u->logs_file) {
		args[n++] = u->logs_file;
	} else {
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			if (access(files[i], R_OK) == 0)
				args[n++] = files[i];
		if (access("/run/systemd/journal", F_OK) == 0)
			args[n++] = "--journal";
	}
	if (n == 3) {
		fprintf(stderr, "mamori up: log watch not started: no readable system log or journal\n");
		return;
	}
	args[n] = NULL;
	u->logs.pid = spawn_self(u, args, u->devnull);
	u->logs.started = now_s();
	if (u->logs.pid > 0)
		fprintf(stderr, "mamori up: watching %zu log source%s for break-ins\n", n - 3,
		    n - 3 == 1 ? "" : "s");
}

/* An EVE alert (sensor/eve.c) as the alert line store_alert_record_json() takes. */
static json_t *
eve_alert(const char *line, size_t len)
{
	json_t *ev = json_loadb(line, len, 0, NULL);
	json_t *al = json_object_get(ev, "alert");
	json_t *m = json_object_get(al, "mamori");
	const char *type = json_string_value(json_object_get(ev, "event_type"));
	json_t *out = NULL;
	if (type && strcmp(type, "alert") == 0 && json_is_object(m))
		out = json_pack("{s:s, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}",
		    "event.kind", "alert", "rule.id", json_object_get(m, "rule_id"),
		    "rule.name", json_object_get(al, "signature"),
		    "severity", json_object_get(m, "severity"),
		    "source.ip", json_object_get(ev, "src_ip"),
		    "destination.ip", json_object_get(ev, "dest_ip"),
		    "message", json_object_get(m, "message"),
		    "mamori.text", json_object_get(m, "text"),
		    "mamori.ir_step", json_object_get(m, "ir_step"));
	json_decref(ev);
	return out;
}

static void
sensor_line(struct up *u, const char *line, size_t len)
{
	json_t *a = eve_alert(line, len);
	char *text = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	if (!text)
		return;
	struct store_alert_in in = { .tenant_id = DEFAULT_TENANT, .source = "sensor",
	    .host_name = u->hostname, .now_ms = wall_ms() };
	int64_t id;
	bool is_new;
	int rc = store_alert_record_json(u->alert_db, &in, text, strlen(text), &id, &is_new);
	if (rc == MAMORI_OK)
		u->sensor_alerts++;
	else
		fprintf(stderr, "mamori up: storing a sensor alert failed: %s (%s)\n", err_str(rc),
		    db_errmsg(u->alert_db));
	free(text);
}

/*
 * The file watch prints mamori alert lines (--json); they are stored as
 * they are. Its other lines (none today) are not alerts and are skipped.
 */
static void
fim_line(struct up *u, const char *line, size_t len)
{
	struct store_alert_in in = { .tenant_id = DEFAULT_TENANT, .source = "fim",
	    .host_name = u->hostname, .now_ms = wall_ms() };
	int64_t id;
	bool is_new;
	int rc = store_alert_record_json(u->alert_db, &in, line, len, &id, &is_new);
	if (rc == MAMORI_OK)
		u->fim_alerts++;
	else if (rc != MAMORI_E_PARSE)
		fprintf(stderr, "mamori up: storing a file-watch alert failed: %s (%s)\n",
		    err_str(rc), db_errmsg(u->alert_db));
}

/* Reads what a child wrote; complete lines go to fn, overlong ones are dropped. */
static void
pipe_read(struct up *u, struct pipe_in *in, void (*fn)(struct up *, const char *, size_t))
{
	char buf[65536];
	ssize_t n;
	while ((n = read(in->fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				if (!in->skip && in->len)
					fn(u, in->line, in->len);
				in->len = 0;
				in->skip = false;
			} else if (in->skip) {
				continue;
			} else if (in->len == PIPE_LINE_MAX) {
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

/*
 * The ransomware and file watch on the folders where people keep their
 * files: it plants its hidden canary files there and reports (never kills
 * or isolates from here; `mamori fim watch --respond` is the place for that).
 */
static void
fim_start(struct up *u)
{
	const char *args[4 + 4] = { "fim", "watch", "--json" };
	size_t n = 3;
	for (int i = 0; i < u->fim_npaths; i++)
		args[n++] = u->fim_paths[i];
	args[n] = NULL;
	if (spawn_piped(u, args, &u->fim, &u->fim_in) == 0)
		fprintf(stderr, "mamori up: file and ransomware watch on %d folder%s\n", u->fim_npaths,
		    u->fim_npaths == 1 ? "" : "s");
}

static void
reap(struct up *u)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == u->agent.pid)
			agent_exited(u, status);
		else if (pid == u->sensor.pid)
			watcher_exited(&u->sensor, &u->sensor_next, "network sensor", status);
		else if (pid == u->logs.pid)
			watcher_exited(&u->logs, &u->logs_next, "log watch", status);
		else if (pid == u->fim.pid)
			watcher_exited(&u->fim, &u->fim_next, "file watch", status);
	}
}

/* SIGTERM to the children, SIGKILL to those still running after the grace time. */
static void
stop_children(struct up *u)
{
	enum { NCHILD = 4 };
	pid_t pids[NCHILD] = { u->agent.pid, u->sensor.pid, u->logs.pid, u->fim.pid };
	for (int i = 0; i < NCHILD; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int waited = 0; waited < STOP_GRACE_MS; waited += 50) {
		bool left = false;
		for (int i = 0; i < NCHILD; i++) {
			if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) != 0)
				pids[i] = 0;
			left |= pids[i] > 0;
		}
		if (!left)
			return;
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	for (int i = 0; i < NCHILD; i++)
		if (pids[i] > 0) {
			fprintf(stderr, "mamori up: child %d did not stop; killing it\n", (int)pids[i]);
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
}

/* The main loop: signals through a signalfd, the sensor's output, the scan timer. */
static int
run(struct up *u, int sfd)
{
	for (;;) {
		/* A negative fd is ignored by poll. */
		struct pollfd p[3] = { { sfd, POLLIN, 0 }, { u->sensor_in.fd, POLLIN, 0 },
			{ u->fim_in.fd, POLLIN, 0 } };
		int64_t t = now_s();
		if (u->phase == 0 && t >= u->next_scan)
			agent_start(u, 1);
		if (u->iface[0] && u->sensor.pid == 0 && u->sensor_next && t >= u->sensor_next) {
			u->sensor_next = 0;
			sensor_start(u);
		}
		if (u->logs_on && u->logs.pid == 0 && u->logs_next && t >= u->logs_next) {
			u->logs_next = 0;
			logs_start(u);
		}
		if (u->fim_npaths && u->fim.pid == 0 && u->fim_next && t >= u->fim_next) {
			u->fim_next = 0;
			fim_start(u);
		}
		if (poll(p, 3, 1000) < 0 && errno != EINTR) {
			fprintf(stderr, "mamori up: poll: %s\n", strerror(errno));
			return EXIT_SOFTWARE;
		}
		if (u->sensor_in.fd >= 0 && (p[1].revents & (POLLIN | POLLHUP)))
			pipe_read(u, &u->sensor_in, sensor_line);
		if (u->fim_in.fd >= 0 && (p[2].revents & (POLLIN | POLLHUP)))
			pipe_read(u, &u->fim_in, fim_line);
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGCHLD)
					continue;
				fprintf(stderr, "mamori up: %s, stopping\n",
				    si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
				return EXIT_OK_RUN;
			}
		}
		/* Every tick, not only on SIGCHLD: merged signals must not leave a zombie. */
		reap(u);
	}
}

/* The handle the sensor and file-watch alerts are stored through, opened once. */
static int
open_alert_db(struct up *u, char *err, size_t errsz)
{
	if (u->alert_db)
		return MAMORI_OK;
	return db_open(u->db_path, false, &u->alert_db, err, errsz);
}

/* --fim auto: the users' folders that exist; off; or one folder. */
static void
fim_setup(struct up *u, const char *fim)
{
	static const char *const folders[] = { "/home", "/srv", "/root" };
	char err[512];
	if (strcmp(fim, "off") == 0) {
		fprintf(stderr, "mamori up: file watch off (--fim off)\n");
		return;
	}
	if (fim[0] == '/') {
		snprintf(u->fim_paths[u->fim_npaths++], sizeof(u->fim_paths[0]), "%s", fim);
	} else {
		for (size_t i = 0; i < sizeof(folders) / sizeof(folders[0]); i++) {
			struct stat st;
			if (stat(folders[i], &st) == 0 && S_ISDIR(st.st_mode))
				snprintf(u->fim_paths[u->fim_npaths++], sizeof(u->fim_paths[0]), "%s",
				    folders[i]);
		}
	}
	if (u->fim_npaths == 0) {
		fprintf(stderr, "mamori up: file watch not started: no users' folders\n");
		return;
	}
	if (!(u->fim_in.line = malloc(PIPE_LINE_MAX)) || open_alert_db(u, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori up: file watch not started: %s\n",
		    u->fim_in.line ? err : "out of memory");
		u->fim_npaths = 0;
		return;
	}
	fim_start(u);
}

int
cmd_up(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "db", required_argument, NULL, 'd' },
		{ "scan-every", required_argument, NULL, 'e' },
		{ "sensor", required_argument, NULL, 's' },
		{ "logs", required_argument, NULL, 'g' },
		{ "fim", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *listen = conf_str(&env->conf, CONF_MANAGER_LISTEN);
	const char *sensor = "auto", *logs = "auto", *fim = "auto", *db_path = env->db_path;
	struct up u = { .env = env, .scan_every = DEFAULT_SCAN_EVERY,
	    .sensor_in = { .fd = -1 }, .fim_in = { .fd = -1 }, .devnull = -1 };
	struct serve s;
	char err[512], *end;
	int c, rc, sfd = -1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 'd': db_path = optarg; break;
		case 's': sensor = optarg; break;
		case 'g': logs = optarg; break;
		case 'f': fim = optarg; break;
		case 'e': {
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > 7 * 86400)
				return cmd_usage_error("up", "--scan-every takes 1 to 604800 seconds, not '%s'", optarg);
			u.scan_every = (int)v;
			break;
		}
		case 'h':
			up_usage(stdout);
			return EXIT_OK_RUN;
		case ':':
			return cmd_usage_error("up", "%s needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error("up", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error("up", "unexpected argument '%s'", argv[optind]);
	if (strcmp(sensor, "auto") != 0 && strcmp(sensor, "off") != 0 &&
	    (strlen(sensor) > IF_NAMESIZE - 1 || strchr(sensor, '/')))
		return cmd_usage_error("up", "--sensor takes auto, off or an interface name, not '%s'", sensor);
	if (fim[0] == '\0' || (strcmp(fim, "auto") != 0 && strcmp(fim, "off") != 0 &&
	    (fim[0] != '/' || strlen(fim) >= sizeof(u.fim_paths[0]))))
		return cmd_usage_error("up", "--fim takes auto, off or an absolute folder path (under %zu "
		    "bytes), not '%s'", sizeof(u.fim_paths[0]), fim);
	if (logs[0] == '\0' || (strcmp(logs, "auto") != 0 && strcmp(logs, "off") != 0 &&
	    logs[0] != '/'))
		return cmd_usage_error("up", "--logs takes auto, off or an absolute file path, not '%s'", logs);
	/* Blocked before the manager's threads start, so that every one of
	 * these reaches the signalfd and none is taken by another thread. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	if ((rc = cmd_serve_start(env, listen, db_path, "up", &s)) != EXIT_OK_RUN)
		return rc;
	/* The children are given the path the manager opened (made if default). */
	u.db_path = db_path ? db_path : db_default_path();
	rc = EXIT_SOFTWARE;
	if ((sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    (u.devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		fprintf(stderr, "mamori up: %s\n", strerror(errno));
		goto out;
	}
	if (gethostname(u.hostname, sizeof(u.hostname) - 1) != 0)
		u.hostname[0] = '\0';

	if (strcmp(sensor, "off") == 0) {
		fprintf(stderr, "mamori up: network sensor off (--sensor off)\n");
	} else if (!may_capture()) {
		fprintf(stderr, "mamori up: network sensor not started: capturing needs root or "
		    "CAP_NET_RAW (sudo setcap cap_net_raw,cap_net_admin=eip mamori)\n");
	} else {
		if (strcmp(sensor, "auto") == 0)
			default_iface(u.iface, sizeof(u.iface));
		else
			snprintf(u.iface, sizeof(u.iface), "%s", sensor);
		if (!u.iface[0])
			fprintf(stderr, "mamori up: network sensor not started: no default route\n");
		else if (!(u.sensor_in.line = malloc(PIPE_LINE_MAX)) ||
		    open_alert_db(&u, err, sizeof(err)) != MAMORI_OK) {
			fprintf(stderr, "mamori up: network sensor not started: %s\n",
			    u.sensor_in.line ? err : "out of memory");
			u.iface[0] = '\0';
		} else {
			sensor_start(&u);
		}
	}

	fim_setup(&u, fim);

	u.logs_on = strcmp(logs, "off") != 0;
	u.logs_file = logs[0] == '/' ? logs : NULL;
	if (u.logs_on)
		logs_start(&u);
	else
		fprintf(stderr, "mamori up: log watch off (--logs off)\n");

	fprintf(stderr, "mamori up: dashboard on %s (TLS 1.3 only)\n"
	    "mamori up: ダッシュボード %s\n"
	    "mamori up: scanning this computer now and every %d s into %s\n",
	    s.url, s.url, u.scan_every, u.db_path);
	fflush(stderr);
	rc = run(&u, sfd);
out:
	stop_children(&u);
	/* What the sensor and the file watch wrote before they stopped (they flush on SIGTERM). */
	if (u.sensor_in.fd >= 0) {
		fcntl(u.sensor_in.fd, F_SETFL, 0);
		while (u.sensor_in.fd >= 0)
			pipe_read(&u, &u.sensor_in, sensor_line);
	}
	if (u.fim_in.fd >= 0) {
		fcntl(u.fim_in.fd, F_SETFL, 0);
		while (u.fim_in.fd >= 0)
			pipe_read(&u, &u.fim_in, fim_line);
	}
	if (u.sensor_alerts || u.sensor_in.dropped)
		fprintf(stderr, "mamori up: %lu sensor alerts stored, %lu overlong sensor lines dropped\n",
		    u.sensor_alerts, u.sensor_in.dropped);
	if (u.fim_alerts || u.fim_in.dropped)
		fprintf(stderr, "mamori up: %lu file-watch alerts stored, %lu overlong lines dropped\n",
		    u.fim_alerts, u.fim_in.dropped);
	db_close(u.alert_db);
	free(u.sensor_in.line);
	free(u.fim_in.line);
	if (u.devnull >= 0)
		close(u.devnull);
	if (sfd >= 0)
		close(sfd);
	cmd_serve_stop(&s);
	return rc;
}
