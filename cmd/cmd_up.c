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
 *   alerts are stored as alerts (source "sensor") and the devices it sees as
 *   network assets as they arrive (manager/eve_intake.c).
 * - The log follower (`mamori logs follow`) reads the system's login and
 *   system logs and the journal, and stores its alerts itself (source "logs").
 * - The file watch (`mamori fim watch --json`) on the users' folders; its
 *   alert lines are stored as they come (source "fim").
 * - After each scan round, `mamori report --due DIR` writes last month's
 *   report of each tenant once (a no-op until the month turns), so the
 *   monthly report needs no timer on one box.
 *
 * SIGTERM or SIGINT stops the children, then the manager, and exits 0.
 * SIGHUP reloads: the sensor reads its indicator files (sensor.ioc_files of
 * the same --config) again; the other children have nothing to reload.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/child.h"
#include "agent/watch.h"
#include "cmd/cmd.h"
#include "common/err.h"
#include "storage/db.h"
#include "manager/eve_intake.h"
#include "storage/store_alert.h"

#define DEFAULT_SCAN_EVERY 3600	/* seconds; findings change slowly, alerts come from the sensor */
#define DEFAULT_TENANT 1

static void
up_usage(FILE *out)
{
	fprintf(out, "usage: mamori [--db FILE] up [--listen ADDR:PORT] [--scan-every SECONDS]\n"
	    "                  [--sensor auto|off|IFACE] [--logs auto|off|FILE] [--fim auto|off|DIR]\n"
	    "                  [--reports auto|off|DIR]\n"
	    "  --listen ADDR:PORT     the dashboard (default manager.listen, 127.0.0.1:8443)\n"
	    "  --scan-every SECONDS   scan this computer this often (default 3600)\n"
	    "  --sensor auto|off|IFACE  watch the network: auto = the default route's interface\n"
	    "                         when this process may capture (root or CAP_NET_RAW)\n"
	    "  --logs auto|off|FILE[,FILE]  follow /var/log/auth.log, syslog (or secure, messages)\n"
	    "                         and the journal for break-ins (auto: those that exist), or FILE\n"
	    "  --fim auto|off|DIR[,DIR]  ransomware and file watch (with canary files) on /home,\n"
	    "                         /srv and /root (auto: those that exist), or on DIR\n"
	    "  --reports auto|off|DIR  last month's report of each tenant, written once when the\n"
	    "                         month turns (auto: reports/ beside the database)\n");
}

struct up {
	struct cmd_env *env;
	struct child_env cenv;	/* --config, --db and /dev/null for the children */
	/* Agent loop: phase 0 idle, 1 scan running, 2 vuln scan running,
	 * 3 monthly report running (when reports[0]). */
	struct child agent;
	int phase;
	char reports[4096];
	int64_t next_scan;
	int scan_every;
	unsigned long scans_ok, scans_failed;
	struct db *alert_db;
	char hostname[256];
	unsigned long sensor_alerts, sensor_assets;
	/* The file watch (alert lines stored here, source "fim"), the log watch
	 * (stores its own alerts, source "logs") and the network sensor (its
	 * EVE lines stored here, source "sensor"). */
	struct watch watch;
	unsigned long fim_alerts;
};

static int64_t
now_s(void)
{
	return child_now_s();
}

static int64_t
wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
agent_start(struct up *u, int phase)
{
	static const char *const scan[] = { "scan", NULL };
	static const char *const vuln[] = { "vuln", "scan", NULL };
	const char *const report[] = { "report", "--due", u->reports, NULL };
	u->agent.pid = child_spawn(&u->cenv, phase == 1 ? scan : phase == 2 ? vuln : report,
	    u->cenv.devnull);
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
	if (u->phase == 2) {
		if (!ok)
			fprintf(stderr, "mamori up: vulnerability scan failed (exit %d)\n", code);
		if (u->reports[0] && (mkdir(u->reports, 0700) == 0 || errno == EEXIST)) {
			agent_start(u, 3);
			return;
		}
	} else if (code != 0) {
		fprintf(stderr, "mamori up: monthly report into %s failed (exit %d)\n", u->reports, code);
	}
	u->phase = 0;
	u->next_scan = now_s() + u->scan_every;
}

/* The sensor's EVE lines: alerts and devices into the database. */
static void
sensor_line(void *arg, const char *line, size_t len)
{
	struct up *u = arg;
	struct eve_intake in = { .tenant_id = DEFAULT_TENANT, .source = "sensor",
	    .sensor_host = u->hostname,
	    .learn_ms = conf_int(&u->env->conf, CONF_SENSOR_LEARN_HOURS) * 3600 * 1000 };
	enum eve_intake_kind kind;
	int rc = eve_intake_line(u->alert_db, &in, line, len, wall_ms(), &kind);
	if (rc == MAMORI_OK && (kind == EVE_INTAKE_ALERT || kind == EVE_INTAKE_NEW_DEVICE))
		u->sensor_alerts++;
	if (rc == MAMORI_OK && (kind == EVE_INTAKE_ASSET || kind == EVE_INTAKE_NEW_DEVICE))
		u->sensor_assets++;
	if (rc != MAMORI_OK && rc != MAMORI_E_PARSE)
		fprintf(stderr, "mamori up: storing a sensor event failed: %s (%s)\n", err_str(rc),
		    db_errmsg(u->alert_db));
}

/*
 * The file watch prints mamori alert lines (--json); they are stored as
 * they are. Its other lines (none today) are not alerts and are skipped.
 */
static void
fim_line(void *arg, const char *line, size_t len)
{
	struct up *u = arg;
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

static void
reap(struct up *u)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == u->agent.pid)
			agent_exited(u, status);
		else
			(void)watch_reaped(&u->watch, pid, status);
	}
}

/* SIGTERM to the children, SIGKILL to those still running after the grace time. */
static void
stop_children(struct up *u)
{
	pid_t pids[1 + WATCH_CHILDREN] = { u->agent.pid };
	size_t n = 1 + watch_pids(&u->watch, pids + 1);
	child_stop_all(&u->cenv, pids, n);
}

/* SIGHUP: what was reloaded, on one line. */
static void
reload(struct up *u)
{
	const char *files = conf_str(&u->env->conf, CONF_SENSOR_IOC_FILES);
	if (!watch_hup(&u->watch))
		fprintf(stderr, "mamori up: SIGHUP, nothing reloaded: the network sensor is not running\n");
	else if (!*files)
		fprintf(stderr, "mamori up: SIGHUP, network sensor reloading; it has no indicator files "
		    "(sensor.ioc_files is empty)\n");
	else
		fprintf(stderr, "mamori up: SIGHUP, network sensor reloading its indicator files (%s)\n",
		    files);
}

/* The main loop: signals through a signalfd, the sensor's output, the scan timer. */
static int
run(struct up *u, int sfd)
{
	for (;;) {
		/* A negative fd is ignored by poll. */
		struct pollfd p[1 + WATCH_CHILDREN] = { { sfd, POLLIN, 0 } };
		int wfd[WATCH_CHILDREN];
		int64_t t = now_s();
		if (u->phase == 0 && t >= u->next_scan)
			agent_start(u, 1);
		watch_tick(&u->watch);
		watch_fds(&u->watch, wfd);
		for (size_t i = 0; i < WATCH_CHILDREN; i++)
			p[1 + i] = (struct pollfd){ wfd[i], POLLIN, 0 };
		if (poll(p, 1 + WATCH_CHILDREN, 1000) < 0 && errno != EINTR) {
			fprintf(stderr, "mamori up: poll: %s\n", strerror(errno));
			return EXIT_SOFTWARE;
		}
		watch_read(&u->watch);
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGCHLD)
					continue;
				if (si.ssi_signo == SIGHUP) {
					reload(u);
					continue;
				}
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
	return db_open(u->cenv.db_path, false, &u->alert_db, err, errsz);
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
		{ "reports", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *listen = conf_str(&env->conf, CONF_MANAGER_LISTEN);
	const char *sensor = "auto", *logs = "auto", *fim = "auto", *db_path = env->db_path;
	const char *reports = "auto";
	struct up u = { .env = env, .scan_every = DEFAULT_SCAN_EVERY,
	    .cenv = { .who = "mamori up", .config_path = env->config_path, .devnull = -1 } };
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
		case 'r': reports = optarg; break;
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
		default:
			return cmd_option_error("up", c, argc, argv, opts);
		}
	}
	if (optind < argc)
		return cmd_usage_error("up", "unexpected argument '%s'", argv[optind]);
	if (watch_sensor_check(sensor, err, sizeof(err)) != MAMORI_OK)
		return cmd_usage_error("up", "--sensor %s", err);
	if (!*reports || strlen(reports) > sizeof(u.reports) - 16)
		return cmd_usage_error("up", "--reports takes auto, off or a folder, not '%s'", reports);
	if (watch_spec_check(fim, err, sizeof(err)) != MAMORI_OK)
		return cmd_usage_error("up", "--fim %s", err);
	if (watch_spec_check(logs, err, sizeof(err)) != MAMORI_OK)
		return cmd_usage_error("up", "--logs %s", err);
	/* Blocked before the manager's threads start, so that every one of
	 * these reaches the signalfd and none is taken by another thread. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGCHLD);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	watch_init(&u.watch);
	if ((rc = cmd_serve_start(env, listen, db_path, "up", &s)) != EXIT_OK_RUN)
		return rc;
	/* The children are given the path the manager opened (made if default). */
	u.cenv.db_path = db_path ? db_path : db_default_path();
	if (strcmp(reports, "auto") == 0) {
		const char *slash = strrchr(u.cenv.db_path, '/');
		int dlen = slash ? (int)(slash - u.cenv.db_path) : 0;
		snprintf(u.reports, sizeof(u.reports), "%.*s%sreports", dlen, u.cenv.db_path,
		    slash ? "/" : "");
	} else if (strcmp(reports, "off") != 0) {
		snprintf(u.reports, sizeof(u.reports), "%s", reports);
	}
	rc = EXIT_SOFTWARE;
	if ((sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    (u.cenv.devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		fprintf(stderr, "mamori up: %s\n", strerror(errno));
		goto out;
	}
	if (gethostname(u.hostname, sizeof(u.hostname) - 1) != 0)
		u.hostname[0] = '\0';

	/* The file watch's alerts and the sensor's lines come here to be
	 * stored; the log watch stores its own. */
	struct watch_opts wo = { .fim = fim, .logs = logs, .on_fim = fim_line, .sensor = sensor,
	    .on_sensor = sensor_line, .arg = &u,
	    .sensor_stats_s = conf_int(&env->conf, CONF_SENSOR_STATS_INTERVAL_S) };
	if (strcmp(fim, "off") != 0 && open_alert_db(&u, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori up: file watch not started: %s\n", err);
		wo.fim = "off";
	}
	if (strcmp(sensor, "off") != 0 && open_alert_db(&u, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori up: network sensor not started: %s\n", err);
		wo.sensor = "off";
	}
	if (watch_start(&u.watch, &u.cenv, &wo) != MAMORI_OK) {
		fprintf(stderr, "mamori up: out of memory\n");
		goto out;
	}

	fprintf(stderr, "mamori up: dashboard on %s (TLS 1.3 only)\n"
	    "mamori up: ダッシュボード %s\n"
	    "mamori up: scanning this computer now and every %d s into %s\n"
	    "mamori up: monthly reports %s%s\n",
	    s.url, s.url, u.scan_every, u.cenv.db_path, u.reports[0] ? "into " : "off",
	    u.reports);
	fflush(stderr);
	rc = run(&u, sfd);
out:
	stop_children(&u);
	/* What the sensor and the file watch wrote before they stopped (they flush on SIGTERM). */
	watch_finish(&u.watch);
	if (u.sensor_alerts || u.sensor_assets)
		fprintf(stderr, "mamori up: %lu sensor alerts and %lu device updates stored\n",
		    u.sensor_alerts, u.sensor_assets);
	if (u.fim_alerts)
		fprintf(stderr, "mamori up: %lu file-watch alerts stored\n", u.fim_alerts);
	db_close(u.alert_db);
	if (u.cenv.devnull >= 0)
		close(u.cenv.devnull);
	if (sfd >= 0)
		close(sfd);
	cmd_serve_stop(&s);
	return rc;
}
