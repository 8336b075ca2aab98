/*
 * cmd_sensor.c - mamori sensor (-r FILE | -i IFACE) [--eve PATH|-] [--ioc FILE]...
 *
 * Reads a capture file or a live interface, writes Suricata-compatible EVE
 * NDJSON (alerts, flows, dns/http/tls metadata, anomalies, stats) to a file
 * or stdout. With --eve - nothing but EVE goes to stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/cmd.h"
#include "common/arena.h"
#include "common/err.h"
#include "detection/ioc.h"
#include "sensor/capture.h"
#include "sensor/sensor.h"

#define MAX_IOC_FILES 32
#define IOC_FILE_MAX (512 * 1024 * 1024)

static void
usage(FILE *out)
{
	fprintf(out, "usage: mamori sensor (-r FILE | -i IFACE) [--eve PATH|-] [--ioc FILE]...\n"
	    "         [--user USER] [--duration SECONDS] [--stats-interval SECONDS] [--max-flows N]\n");
}

static int
load_ioc(struct ioc_set *set, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "mamori sensor: cannot read %s: %s\n", path, strerror(errno));
		return EXIT_NOINPUT;
	}
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	int rc = EXIT_OK_RUN;
	while (buf) {
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
		if (len == cap) {
			if (cap >= IOC_FILE_MAX) {
				fprintf(stderr, "mamori sensor: %s is larger than 512 MiB\n", path);
				rc = EXIT_DATAERR;
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf) {
		fprintf(stderr, "mamori sensor: out of memory reading %s\n", path);
		return EXIT_SOFTWARE;
	}
	if (rc == EXIT_OK_RUN) {
		struct ioc_load_stats st;
		const char *base = strrchr(path, '/');
		int r = ioc_set_load(set, (struct span){ buf, len }, base ? base + 1 : path, &st);
		if (r != 0)
			fprintf(stderr, "mamori sensor: %s: %s (kept what fitted)\n", path, err_str(r));
		fprintf(stderr, "mamori sensor: %s: %s format, %zu indicators (%zu duplicates, %zu lines skipped)\n",
		    path, st.format ? st.format : "?", st.added, st.duplicates, st.skipped);
	}
	free(buf);
	return rc;
}

/* The --ioc files and the set loaded from them. A reload builds the new
 * set beside the old one and swaps only when every file loaded, so a bad
 * edit of a feed never leaves the sensor without indicators. */
struct ioc_files {
	const char *paths[MAX_IOC_FILES];
	size_t n;
	struct timespec mtime[MAX_IOC_FILES];
	struct ioc_set sets[2];
	int cur;
	int64_t every_s, last_check_s;
	uint64_t reloads;
};

static int
ioc_files_load(struct ioc_files *fs, struct ioc_set *set)
{
	ioc_set_init(set, 0);
	for (size_t i = 0; i < fs->n; i++) {
		int rc = load_ioc(set, fs->paths[i]);
		if (rc != EXIT_OK_RUN) {
			ioc_set_release(set);
			return rc;
		}
	}
	return EXIT_OK_RUN;
}

static bool
ioc_files_changed(struct ioc_files *fs, bool record)
{
	bool changed = false;
	for (size_t i = 0; i < fs->n; i++) {
		struct stat st;
		if (stat(fs->paths[i], &st) != 0)
			continue;	/* being replaced: look again next time */
		if (st.st_mtim.tv_sec != fs->mtime[i].tv_sec || st.st_mtim.tv_nsec != fs->mtime[i].tv_nsec)
			changed = true;
		if (record)
			fs->mtime[i] = st.st_mtim;
	}
	return changed;
}

static int64_t
mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
ioc_files_tick(void *ud, struct sensor *s, bool hup)
{
	struct ioc_files *fs = ud;
	if (fs->n == 0)
		return;
	bool go = hup;
	if (!go && fs->every_s > 0 && mono_s() - fs->last_check_s >= fs->every_s) {
		fs->last_check_s = mono_s();
		go = ioc_files_changed(fs, false);
	}
	if (!go)
		return;
	int next = 1 - fs->cur;
	ioc_files_changed(fs, true);
	if (ioc_files_load(fs, &fs->sets[next]) != EXIT_OK_RUN) {
		fprintf(stderr, "mamori sensor: reloading the indicators failed; the previous ones stay in use\n");
		return;
	}
	s->iocs = &fs->sets[next];
	ioc_set_release(&fs->sets[fs->cur]);
	fs->cur = next;
	fs->reloads++;
	fprintf(stderr, "mamori sensor: indicators reloaded (%zu)%s\n", s->iocs->n,
	    hup ? " on SIGHUP" : ", a file changed");
}

/* sensor.ioc_files: absolute paths separated by commas, after the --ioc
 * files; split in place in buf. */
static int
ioc_files_conf(struct ioc_files *fs, const char *list, char *buf, size_t cap)
{
	size_t n = strlen(list);
	if (n >= cap) {
		fprintf(stderr, "mamori sensor: sensor.ioc_files is longer than %zu characters\n", cap - 1);
		return EXIT_CONFIG;
	}
	memcpy(buf, list, n + 1);
	for (char *p = buf; *p;) {
		char *comma = strchr(p, ',');
		char *end = comma ? comma : p + strlen(p);
		char *next = comma ? comma + 1 : end;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		if (*p) {
			if (*p != '/') {
				fprintf(stderr, "mamori sensor: sensor.ioc_files wants absolute paths, not '%s'\n", p);
				return EXIT_CONFIG;
			}
			if (fs->n == MAX_IOC_FILES) {
				fprintf(stderr, "mamori sensor: at most %d indicator files\n", MAX_IOC_FILES);
				return EXIT_CONFIG;
			}
			fs->paths[fs->n++] = p;
		}
		p = next;
	}
	return EXIT_OK_RUN;
}

static int
parse_num(const char *opt, const char *v, int64_t max, int64_t *out)
{
	uint64_t n;
	if (span_to_u64(span_from_cstr(v), (uint64_t)max, &n) != 0)
		return cmd_usage_error("sensor", "%s wants a number up to %lld, not '%s'", opt,
		    (long long)max, v);
	*out = (int64_t)n;
	return 0;
}

int
cmd_sensor(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "read", required_argument, NULL, 'r' },
		{ "interface", required_argument, NULL, 'i' },
		{ "eve", required_argument, NULL, 'e' },
		{ "ioc", required_argument, NULL, 'I' },
		{ "user", required_argument, NULL, 'u' },
		{ "duration", required_argument, NULL, 'd' },
		{ "stats-interval", required_argument, NULL, 's' },
		{ "max-flows", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *iface = NULL, *eve_path = "-", *user = NULL;
	struct ioc_files fs;
	int64_t duration = 0, stats_interval = 0;
	int64_t max_flows = conf_int(&env->conf, CONF_SENSOR_MAX_FLOWS);
	int c;
	memset(&fs, 0, sizeof(fs));
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":r:i:", opts, NULL)) != -1) {
		switch (c) {
		case 'r': file = optarg; break;
		case 'i': iface = optarg; break;
		case 'e': eve_path = optarg; break;
		case 'u': user = optarg; break;
		case 'I':
			if (fs.n == MAX_IOC_FILES)
				return cmd_usage_error("sensor", "at most %d --ioc files", MAX_IOC_FILES);
			fs.paths[fs.n++] = optarg;
			break;
		case 'd':
			if (parse_num("--duration", optarg, 86400 * 365, &duration) != 0)
				return EXIT_USAGE;
			break;
		case 's':
			if (parse_num("--stats-interval", optarg, 86400, &stats_interval) != 0)
				return EXIT_USAGE;
			break;
		case 'm':
			if (parse_num("--max-flows", optarg, 50000000, &max_flows) != 0 || max_flows == 0)
				return cmd_usage_error("sensor", "--max-flows must be 1 or more");
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK_RUN;
		case ':':
		default:
			return cmd_option_error("sensor", c, argc, argv, opts);
		}
	}
	if (optind < argc)
		return cmd_usage_error("sensor", "unexpected argument '%s'", argv[optind]);
	if (!file == !iface)
		return cmd_usage_error("sensor", "give exactly one of -r FILE or -i IFACE");

	char ioc_conf[4096];
	int rc = ioc_files_conf(&fs, conf_str(&env->conf, CONF_SENSOR_IOC_FILES), ioc_conf,
	    sizeof(ioc_conf));
	if (rc != EXIT_OK_RUN)
		return rc;
	struct capture cap;
	struct sensor s;
	FILE *out = NULL;
	bool sensor_ok = false;
	memset(&cap, 0, sizeof(cap));
	fs.every_s = conf_int(&env->conf, CONF_SENSOR_IOC_RELOAD_S);
	fs.last_check_s = mono_s();
	ioc_files_changed(&fs, true);
	if ((rc = ioc_files_load(&fs, &fs.sets[0])) != EXIT_OK_RUN)
		return rc;

	int r = file ? capture_open_file(&cap, file) : capture_open_live(&cap, iface);
	if (r != 0) {
		fprintf(stderr, "mamori sensor: cannot open capture %s\n", cap.err);
		rc = file ? EXIT_NOINPUT : EXIT_IOERR;
		goto out;
	}
	if (strcmp(eve_path, "-") == 0) {
		out = stdout;
	} else if (!(out = fopen(eve_path, "a"))) {
		fprintf(stderr, "mamori sensor: cannot write %s: %s\n", eve_path, strerror(errno));
		rc = EXIT_CANTCREAT;
		goto out;
	}
	/* Live: each event leaves when it is written (mamori up reads the pipe). */
	if (iface)
		setvbuf(out, NULL, _IOLBF, 0);
	/* Everything privileged is open: give up root before the first packet. */
	if (capture_drop_privileges(&cap, user) != 0) {
		fprintf(stderr, "mamori sensor: %s\n", cap.err);
		rc = EXIT_SOFTWARE;
		goto out;
	}
	const struct conf *cf = &env->conf;
	struct sensor_conf conf = {
		.max_flows = (size_t)max_flows,
		.flow_timeout_s = conf_int(cf, CONF_SENSOR_FLOW_TIMEOUT_S),
		.detect = {
			.port_scan_ports = (uint32_t)conf_int(cf, CONF_SENSOR_PORT_SCAN_PORTS),
			.host_scan_hosts = (uint32_t)conf_int(cf, CONF_SENSOR_HOST_SCAN_HOSTS),
			.dns_tunnel_queries = (uint32_t)conf_int(cf, CONF_SENSOR_DNS_TUNNEL_QUERIES),
			.icmp_tunnel_bytes = (uint64_t)conf_int(cf, CONF_SENSOR_ICMP_TUNNEL_BYTES),
			.beacon_min_connections = (uint32_t)conf_int(cf, CONF_SENSOR_BEACON_MIN_CONNECTIONS),
			.beacon_min_interval_s = (uint32_t)conf_int(cf, CONF_SENSOR_BEACON_MIN_INTERVAL_S),
			.beacon_max_jitter_pct = (uint32_t)conf_int(cf, CONF_SENSOR_BEACON_MAX_JITTER_PCT),
			.outbound_bytes_per_hour = (uint64_t)conf_int(cf, CONF_SENSOR_OUTBOUND_MB_PER_HOUR) << 20,
			.smtp_servers_per_hour = (uint32_t)conf_int(cf, CONF_SENSOR_SMTP_SERVERS_PER_HOUR),
			.c2_ip_connections = (uint32_t)conf_int(cf, CONF_SENSOR_C2_IP_CONNECTIONS),
			.tor_relays = (uint32_t)conf_int(cf, CONF_SENSOR_TOR_RELAYS),
			.kerberoast_services = (uint32_t)conf_int(cf, CONF_SENSOR_KERBEROAST_SERVICES),
			.zerologon_attempts = (uint32_t)conf_int(cf, CONF_SENSOR_ZEROLOGON_ATTEMPTS),
			.smb1_off = !conf_bool(cf, CONF_SENSOR_SMB1),
			.rdp_lan_off = !conf_bool(cf, CONF_SENSOR_RDP_LAN),
			.share_exec_off = !conf_bool(cf, CONF_SENSOR_SHARE_EXECUTABLES),
			.remote_exec_off = !conf_bool(cf, CONF_SENSOR_REMOTE_EXEC),
		},
	};
	if (sensor_init(&s, &conf, cap.linktype, out, &fs.sets[0]) != 0) {
		fprintf(stderr, "mamori sensor: out of memory\n");
		rc = EXIT_SOFTWARE;
		goto out;
	}
	sensor_ok = true;
	struct capture_hook hook = { ioc_files_tick, &fs };
	r = capture_run(&cap, &s, duration, stats_interval, &hook);
	if (r != 0) {
		fprintf(stderr, "mamori sensor: capture stopped early: %s\n", cap.err);
		rc = file ? EXIT_DATAERR : EXIT_IOERR;
	}
	sensor_finish(&s);
	if (s.eve.errors) {
		fprintf(stderr, "mamori sensor: %llu EVE events could not be written\n",
		    (unsigned long long)s.eve.errors);
		rc = EXIT_IOERR;
	}
out:
	if (sensor_ok)
		sensor_free(&s);
	capture_close(&cap);
	if (out && out != stdout)
		fclose(out);
	else if (out)
		fflush(out);
	ioc_set_release(&fs.sets[fs.cur]);
	return rc;
}
