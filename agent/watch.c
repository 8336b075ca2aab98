/*
 * watch.c - the host's file and log watches and the network sensor as
 * children (see watch.h).
 */
#include "agent/watch.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"

int
watch_spec_check(const char *spec, char *err, size_t errsz)
{
	size_t n = 0;
	if (strcmp(spec, "auto") == 0 || strcmp(spec, "off") == 0)
		return MAMORI_OK;
	for (const char *p = spec;; n++) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || p[0] != '/' || len >= WATCH_PATH_MAX || n == WATCH_MAX_PATHS) {
			snprintf(err, errsz, "takes auto, off or up to %d absolute paths (each under %d bytes) "
			    "separated by commas, not '%s'", WATCH_MAX_PATHS, WATCH_PATH_MAX, spec);
			return MAMORI_E_INVAL;
		}
		if (!comma)
			return MAMORI_OK;
		p = comma + 1;
	}
}

int
watch_sensor_check(const char *spec, char *err, size_t errsz)
{
	size_t n = strlen(spec);
	if (n == 0 || n > IF_NAMESIZE - 1 || strchr(spec, '/') || strchr(spec, ' ')) {
		snprintf(err, errsz, "takes auto, off or an interface name, not '%s'", spec);
		return MAMORI_E_INVAL;
	}
	return MAMORI_OK;
}

/* The paths of a checked spec that is not auto or off. */
static size_t
split(const char *spec, char out[][WATCH_PATH_MAX])
{
	size_t n = 0;
	for (const char *p = spec; n < WATCH_MAX_PATHS; p++) {
		const char *comma = strchr(p, ',');
		int len = comma ? (int)(comma - p) : (int)strlen(p);
		snprintf(out[n++], WATCH_PATH_MAX, "%.*s", len, p);
		if (!comma)
			break;
		p = comma;
	}
	return n;
}

static void
fim_start(struct watch *w)
{
	const char *args[8 + WATCH_MAX_PATHS] = { "fim", "watch", "--json" };
	size_t n = 3;
	if (w->o.fim_manager) {
		args[n++] = "--manager";
		args[n++] = w->o.fim_manager;
	}
	for (size_t i = 0; i < w->nfim; i++)
		args[n++] = w->fim_paths[i];
	args[n] = NULL;
	if (child_spawn_piped(w->env, args, &w->fim, &w->fim_in) == 0)
		fprintf(stderr, "%s: file and ransomware watch on %zu folder%s\n", w->env->who, w->nfim,
		    w->nfim == 1 ? "" : "s");
}

static void
logs_start(struct watch *w)
{
	const char *args[8 + WATCH_MAX_PATHS] = { "logs", "follow", "--from-end" };
	size_t n = 3;
	if (w->o.on_logs) {
		args[n++] = "--json";
		args[n++] = "--no-store";
	}
	for (size_t i = 0; i < w->nlogs; i++)
		args[n++] = w->log_paths[i];
	if (w->journal)
		args[n++] = "--journal";
	args[n] = NULL;
	if (w->o.on_logs) {
		if (child_spawn_piped(w->env, args, &w->logs, &w->logs_in) != 0)
			return;
	} else {
		w->logs.pid = child_spawn(w->env, args, w->env->devnull);
		w->logs.started = child_now_s();
		if (w->logs.pid <= 0) {
			w->logs.pid = 0;
			return;
		}
	}
	size_t k = w->nlogs + w->journal;
	fprintf(stderr, "%s: watching %zu log source%s for break-ins\n", w->env->who, k,
	    k == 1 ? "" : "s");
}

static void
sensor_start(struct watch *w)
{
	char every[24];
	snprintf(every, sizeof(every), "%lld", (long long)w->o.sensor_stats_s);
	const char *const args[] = { "sensor", "-i", w->iface, "--eve", "-", "--stats-interval", every,
		NULL };
	if (child_spawn_piped(w->env, args, &w->sensor, &w->sensor_in) == 0)
		fprintf(stderr, "%s: network sensor on %s\n", w->env->who, w->iface);
}

/* Only the sensor: the file and log watches have nothing to read again and
 * would end on SIGHUP. */
bool
watch_hup(struct watch *w)
{
	return w->sensor.pid > 0 && kill(w->sensor.pid, SIGHUP) == 0;
}

/* The interface of the IPv4 default route (/proc/net/route), or "". */
static void
default_iface(char *out, size_t outsz)
{
	FILE *f = fopen("/proc/net/route", "re");
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

#define CAP_NET_RAW_BIT 13

/* True when this process may open a live capture (CapEff has CAP_NET_RAW). */
static bool
may_capture(void)
{
	FILE *f = fopen("/proc/self/status", "re");
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

/* auto: the default route's interface; only when this process may capture. */
static void
sensor_setup(struct watch *w)
{
	const char *spec = w->o.sensor ? w->o.sensor : "off";
	if (strcmp(spec, "off") == 0) {
		if (w->o.sensor)
			fprintf(stderr, "%s: network sensor off\n", w->env->who);
		return;
	}
	if (!may_capture()) {
		fprintf(stderr, "%s: network sensor not started: capturing needs root or "
		    "CAP_NET_RAW (sudo setcap cap_net_raw,cap_net_admin=eip mamori)\n", w->env->who);
		return;
	}
	if (strcmp(spec, "auto") == 0)
		default_iface(w->iface, sizeof(w->iface));
	else
		snprintf(w->iface, sizeof(w->iface), "%s", spec);
	if (!w->iface[0])
		fprintf(stderr, "%s: network sensor not started: no default route\n", w->env->who);
}

/* auto: the users' folders that exist. */
static void
fim_setup(struct watch *w)
{
	static const char *const folders[] = { "/home", "/srv", "/root" };
	if (strcmp(w->o.fim, "off") == 0) {
		fprintf(stderr, "%s: file watch off\n", w->env->who);
		return;
	}
	if (strcmp(w->o.fim, "auto") != 0) {
		w->nfim = split(w->o.fim, w->fim_paths);
		return;
	}
	for (size_t i = 0; i < sizeof(folders) / sizeof(folders[0]); i++) {
		struct stat st;
		if (stat(folders[i], &st) == 0 && S_ISDIR(st.st_mode))
			snprintf(w->fim_paths[w->nfim++], WATCH_PATH_MAX, "%s", folders[i]);
	}
	if (w->nfim == 0)
		fprintf(stderr, "%s: file watch not started: no users' folders\n", w->env->who);
}

/* auto: this system's login and system logs that can be read, and its journal. */
static void
logs_setup(struct watch *w)
{
	static const char *const files[] = { "/var/log/auth.log", "/var/log/secure",
		"/var/log/syslog", "/var/log/messages" };
	if (strcmp(w->o.logs, "off") == 0) {
		fprintf(stderr, "%s: log watch off\n", w->env->who);
		return;
	}
	if (strcmp(w->o.logs, "auto") != 0) {
		w->nlogs = split(w->o.logs, w->log_paths);
		return;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (access(files[i], R_OK) == 0)
			snprintf(w->log_paths[w->nlogs++], WATCH_PATH_MAX, "%s", files[i]);
	w->journal = access("/run/systemd/journal", F_OK) == 0;
	if (w->nlogs == 0 && !w->journal)
		fprintf(stderr, "%s: log watch not started: no readable system log or journal\n",
		    w->env->who);
}

void
watch_init(struct watch *w)
{
	memset(w, 0, sizeof(*w));
	w->fim.what = "file watch";
	w->logs.what = "log watch";
	w->sensor.what = "network sensor";
	w->sensor.hold_hup = true;	/* a SIGHUP while it starts waits for its signalfd */
	w->fim_in.fd = w->logs_in.fd = w->sensor_in.fd = -1;
}

int
watch_start(struct watch *w, const struct child_env *env, const struct watch_opts *o)
{
	watch_init(w);
	w->env = env;
	w->o = *o;
	fim_setup(w);
	logs_setup(w);
	sensor_setup(w);
	if ((w->nfim && child_lines_init(&w->fim_in) != MAMORI_OK) ||
	    (w->o.on_logs && (w->nlogs || w->journal) && child_lines_init(&w->logs_in) != MAMORI_OK) ||
	    (w->iface[0] && child_lines_init(&w->sensor_in) != MAMORI_OK)) {
		watch_finish(w);
		return MAMORI_E_NOMEM;
	}
	if (w->nfim)
		fim_start(w);
	if (w->nlogs || w->journal)
		logs_start(w);
	if (w->iface[0])
		sensor_start(w);
	return MAMORI_OK;
}

void
watch_fds(const struct watch *w, int fds[WATCH_CHILDREN])
{
	fds[0] = w->fim_in.fd;
	fds[1] = w->logs_in.fd;
	fds[2] = w->sensor_in.fd;
}

void
watch_read(struct watch *w)
{
	child_lines_read(&w->fim_in, w->o.on_fim, w->o.arg);
	if (w->o.on_logs)
		child_lines_read(&w->logs_in, w->o.on_logs, w->o.arg);
	child_lines_read(&w->sensor_in, w->o.on_sensor, w->o.arg);
}

bool
watch_reaped(struct watch *w, pid_t pid, int status)
{
	struct child *c = pid == w->fim.pid ? &w->fim : pid == w->logs.pid ? &w->logs :
	    pid == w->sensor.pid ? &w->sensor : NULL;
	if (!c || pid <= 0)
		return false;
	child_exited(w->env, c, status);
	return true;
}

void
watch_tick(struct watch *w)
{
	int64_t now = child_now_s();
	if (child_restart_due(&w->fim, now))
		fim_start(w);
	if (child_restart_due(&w->logs, now))
		logs_start(w);
	if (w->iface[0] && child_restart_due(&w->sensor, now))
		sensor_start(w);
}

size_t
watch_pids(const struct watch *w, pid_t out[WATCH_CHILDREN])
{
	out[0] = w->fim.pid;
	out[1] = w->logs.pid;
	out[2] = w->sensor.pid;
	return WATCH_CHILDREN;
}

void
watch_finish(struct watch *w)
{
	if (w->fim_in.line)
		child_lines_drain(&w->fim_in, w->o.on_fim, w->o.arg);
	if (w->logs_in.line)
		child_lines_drain(&w->logs_in, w->o.on_logs, w->o.arg);
	if (w->sensor_in.line)
		child_lines_drain(&w->sensor_in, w->o.on_sensor, w->o.arg);
	unsigned long dropped = w->fim_in.dropped + w->logs_in.dropped + w->sensor_in.dropped;
	if (dropped)
		fprintf(stderr, "%s: %lu overlong watch lines dropped\n", w->env->who, dropped);
	child_lines_release(&w->fim_in);
	child_lines_release(&w->logs_in);
	child_lines_release(&w->sensor_in);
	w->fim.pid = w->logs.pid = w->sensor.pid = 0;
}
