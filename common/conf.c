#include "common/conf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/err.h"

#define CONF_MAX_FILE (1024 * 1024)
#define CONF_MAX_DEPTH 8

static const struct conf_def defs[CONF_KEY_COUNT] = {
	[CONF_LOG_LEVEL] = { "log.level", CONF_STRING, 0, "warn", 0, 0,
	    "diagnostics on stderr: error, warn, info or debug" },
	[CONF_SCAN_PASSWORD_CHECK_MS] = { "scan.password_check_ms", CONF_INT,
	    200, NULL, 0, 60000,
	    "time budget for trying common passwords against local hashes" },
	[CONF_SCAN_APT_LISTS_MAX_AGE_DAYS] = { "scan.apt_lists_max_age_days",
	    CONF_INT, 7, NULL, 1, 3650,
	    "package lists older than this many days are reported" },
	[CONF_SCAN_AV_SIGNATURE_MAX_AGE_DAYS] = {
	    "scan.av_signature_max_age_days", CONF_INT, 3, NULL, 1, 3650,
	    "anti-malware signatures older than this many days are reported" },
	[CONF_SCAN_MAX_FILE_BYTES] = { "scan.max_file_bytes", CONF_INT,
	    64 * 1024 * 1024, NULL, 4096, INT64_C(4) * 1024 * 1024 * 1024,
	    "largest single file a collector reads (package databases)" },
	[CONF_SCAN_MAX_WALK_ENTRIES] = { "scan.max_walk_entries", CONF_INT,
	    200000, NULL, 100, 100000000,
	    "directory entries visited by the world-writable file search" },
	[CONF_SCAN_MEMORY_CAP_MB] = { "scan.memory_cap_mb", CONF_INT, 256,
	    NULL, 8, 65536, "ceiling for the memory one scan may use" },
	[CONF_SCAN_HISTORY_KEEP] = { "scan.history_keep", CONF_INT, 50, NULL,
	    2, 100000, "scans kept per host in the database" },
	[CONF_STORAGE_PATH] = { "storage.path", CONF_STRING, 0, "", 0, 0,
	    "database file; empty = /var/lib/mamori/mamori.db as root, else "
	    "./mamori.db" },
	[CONF_COMPANY_NAME] = { "company.name", CONF_STRING, 0, "", 0, 0,
	    "company name, for the security policy draft and the reports" },
	[CONF_COMPANY_REPRESENTATIVE] = { "company.representative", CONF_STRING,
	    0, "", 0, 0, "name of the representative who signs the security policy" },
	[CONF_COMPANY_REPRESENTATIVE_TITLE] = { "company.representative_title",
	    CONF_STRING, 0, "", 0, 0,
	    "the representative's title (empty: 代表取締役 / Representative Director)" },
	[CONF_RANSOM_BURST_FILES] = { "ransom.burst_files", CONF_INT, 10, NULL,
	    2, 1024, "high-entropy rewrites plus new-extension renames by one "
	    "process within ransom.window_ms that mean ransomware" },
	[CONF_RANSOM_WINDOW_MS] = { "ransom.window_ms", CONF_INT, 10000, NULL,
	    100, 3600000, "sliding window of the ransomware burst rule" },
	[CONF_RANSOM_ENTROPY_MIN_CENTIBITS] = { "ransom.entropy_min_centibits",
	    CONF_INT, 750, NULL, 500, 800, "Shannon entropy (hundredths of a "
	    "bit per byte) from which written content counts as encrypted" },
	[CONF_RANSOM_NOTE_DIRS] = { "ransom.note_dirs", CONF_INT, 3, NULL, 2,
	    1000, "directories with the same ransom-note name that raise an alert" },
	[CONF_RANSOM_RESPOND] = { "ransom.respond", CONF_STRING, 0, "none", 0, 0,
	    "response to ransomware: none (alert only), kill (stop the process) "
	    "or isolate (kill and cut the network except the manager)" },
	[CONF_RANSOM_MANAGER_ADDRESS] = { "ransom.manager_address", CONF_STRING,
	    0, "", 0, 0, "IP address (optionally :port) of the mamori manager, "
	    "kept reachable when the host is isolated" },
	[CONF_MANAGER_LISTEN] = { "manager.listen", CONF_STRING, 0,
	    "127.0.0.1:8443", 0, 0, "address:port mamori serve listens on "
	    "(\"[::1]:8443\" for IPv6, \":8443\" for every IPv4 address)" },
	[CONF_MANAGER_CERT] = { "manager.cert", CONF_STRING, 0, "", 0, 0,
	    "TLS certificate (PEM); empty = manager.crt next to the database, "
	    "made self-signed on first start" },
	[CONF_MANAGER_KEY] = { "manager.key", CONF_STRING, 0, "", 0, 0,
	    "TLS private key (PEM); empty = manager.key next to the database" },
	[CONF_MANAGER_SESSION_IDLE_SECONDS] = { "manager.session_idle_seconds",
	    CONF_INT, 1800, NULL, 60, 86400, "a dashboard session unused this long ends" },
	[CONF_MANAGER_SESSION_MAX_SECONDS] = { "manager.session_max_seconds",
	    CONF_INT, 43200, NULL, 300, 2592000, "a dashboard session ends this long after login" },
	[CONF_MANAGER_LOGIN_WINDOW_SECONDS] = { "manager.login_window_seconds",
	    CONF_INT, 900, NULL, 10, 86400, "failed logins are counted over this window" },
	[CONF_MANAGER_LOGIN_MAX_FAILURES] = { "manager.login_max_failures",
	    CONF_INT, 10, NULL, 1, 1000, "failed logins per account within the window "
	    "before further attempts are refused (429)" },
	[CONF_MANAGER_LOGIN_MAX_FAILURES_PER_IP] = {
	    "manager.login_max_failures_per_ip", CONF_INT, 30, NULL, 1, 100000,
	    "failed logins per source address within the window before it is refused" },
	[CONF_MANAGER_MAX_BODY_BYTES] = { "manager.max_body_bytes", CONF_INT,
	    1024 * 1024, NULL, 1024, 256 * 1024 * 1024, "largest request body accepted (413 above)" },
	[CONF_MANAGER_MAX_CONNECTIONS] = { "manager.max_connections", CONF_INT,
	    256, NULL, 4, 65536, "simultaneous HTTPS connections" },
	[CONF_MANAGER_THREADS] = { "manager.threads", CONF_INT, 4, NULL, 1, 64,
	    "worker threads of the HTTPS server" },
	[CONF_MANAGER_READ_CONNECTIONS] = { "manager.read_connections", CONF_INT, 4, NULL, 1, 64,
	    "read-only database connections for the dashboard's reads (they run side by side; "
	    "writes keep one connection)" },
	[CONF_MANAGER_INTAKE_MAX_DECODED_BYTES] = { "manager.intake_max_decoded_bytes",
	    CONF_INT, 16 * 1024 * 1024, NULL, 64 * 1024, 256 * 1024 * 1024,
	    "largest agent batch after decompression (413 above: a zstd bomb is refused)" },
	[CONF_AGENT_STATE_DIR] = { "agent.state_dir", CONF_STRING, 0, "", 0, 0,
	    "the agent's credential and disk spool; empty = /var/lib/mamori/agent as root, "
	    "else ./mamori-agent" },
	[CONF_AGENT_SPOOL_MAX_BYTES] = { "agent.spool_max_bytes", CONF_INT,
	    256 * 1024 * 1024, NULL, 64 * 1024, (int64_t)64 * 1024 * 1024 * 1024,
	    "disk spool cap while the manager is unreachable; beyond it the oldest events "
	    "are dropped and a gap event counts them" },
	[CONF_AGENT_SCAN_INTERVAL_SECONDS] = { "agent.scan_interval_seconds", CONF_INT,
	    3600, NULL, 0, 7 * 86400, "how often the agent runs a scan and sends it (0: never)" },
	[CONF_AGENT_BATCH_EVENTS] = { "agent.batch_events", CONF_INT, 1000, NULL, 1, 20000,
	    "events per batch sent to the manager" },
	[CONF_MANAGER_PUBLIC_URL] = { "manager.public_url", CONF_STRING, 0, "", 0, 0,
	    "the dashboard address people open, used for links in notifications "
	    "(empty = https:// and manager.listen)" },
	[CONF_NOTIFY_INTERVAL_SECONDS] = { "notify.interval_seconds", CONF_INT, 60, NULL, 0,
	    86400, "how often mamori serve sends notifications (0 = not from the manager)" },
	[CONF_NOTIFY_TIMEOUT_SECONDS] = { "notify.timeout_seconds", CONF_INT, 20, NULL, 1, 300,
	    "time allowed for one notification to be delivered" },
	[CONF_NOTIFY_CA_FILE] = { "notify.ca_file", CONF_STRING, 0, "", 0, 0,
	    "CA certificates (PEM) trusted for mail servers and webhooks instead of "
	    "the system's (empty = the system's)" },
	[CONF_NOTIFY_TLS_INSECURE] = { "notify.tls_insecure", CONF_BOOL, 0, NULL, 0, 1,
	    "skip certificate checks of mail servers and webhooks (tests only; never in use)" },
	[CONF_SENSOR_MAX_FLOWS] = { "sensor.max_flows", CONF_INT, 65536, NULL, 1, 50000000,
	    "flows the network sensor tracks at once (the oldest is evicted, counted)" },
	[CONF_SENSOR_FLOW_TIMEOUT_S] = { "sensor.flow_timeout_s", CONF_INT, 120, NULL, 5, 86400,
	    "seconds without a packet before a flow ends" },
	[CONF_SENSOR_PORT_SCAN_PORTS] = { "sensor.port_scan_ports", CONF_INT, 50, NULL, 5, 65535,
	    "failed connections to distinct host:port pairs from one source within 60 s that make a port scan" },
	[CONF_SENSOR_HOST_SCAN_HOSTS] = { "sensor.host_scan_hosts", CONF_INT, 30, NULL, 5, 65535,
	    "distinct hosts one source failed to reach within 60 s that make a host scan" },
	[CONF_SENSOR_DNS_TUNNEL_QUERIES] = { "sensor.dns_tunnel_queries", CONF_INT, 20, NULL, 3, 100000,
	    "long/random or TXT/NULL queries to one domain from one client within 5 min that make a DNS tunnel" },
	[CONF_SENSOR_ICMP_TUNNEL_BYTES] = { "sensor.icmp_tunnel_bytes", CONF_INT, 32768, NULL, 1024,
	    1 << 30, "ICMP echo payload bytes that are not a ping tool's pattern, in one conversation, that make an ICMP tunnel" },
	[CONF_SENSOR_BEACON_MIN_CONNECTIONS] = { "sensor.beacon_min_connections", CONF_INT, 8, NULL, 4, 1000,
	    "connections from one host to one internet address and port at a steady interval that make beaconing" },
	[CONF_SENSOR_BEACON_MIN_INTERVAL_S] = { "sensor.beacon_min_interval_s", CONF_INT, 10, NULL, 1, 86400,
	    "shortest interval between connections counted as beaconing (faster is ordinary polling)" },
	[CONF_SENSOR_BEACON_MAX_JITTER_PCT] = { "sensor.beacon_max_jitter_pct", CONF_INT, 10, NULL, 1, 50,
	    "largest deviation of an interval from their mean, in percent, still counted as steady" },
	[CONF_SENSOR_OUTBOUND_MB_PER_HOUR] = { "sensor.outbound_mb_per_hour", CONF_INT, 1024, NULL, 1,
	    1 << 20, "megabytes one office host may send to the internet within an hour before it is reported" },
	[CONF_SENSOR_IOC_RELOAD_S] = { "sensor.ioc_reload_s", CONF_INT, 60, NULL, 0, 86400,
	    "seconds between checks whether an --ioc file changed (0: only on SIGHUP)" },
	[CONF_SENSOR_SMTP_SERVERS_PER_HOUR] = { "sensor.smtp_servers_per_hour", CONF_INT, 5, NULL, 2, 16,
	    "distinct outside mail servers one office host sends mail through within an hour that look like a spam bot" },
	[CONF_SENSOR_C2_IP_CONNECTIONS] = { "sensor.c2_ip_connections", CONF_INT, 2, NULL, 1, 16,
	    "TLS connections without a server name or DNS lookup to one internet address within 10 min that look like a command server" },
	[CONF_SENSOR_TOR_RELAYS] = { "sensor.tor_relays", CONF_INT, 2, NULL, 1, 16,
	    "distinct servers reached under made-up www.<random>.com names within 10 min that make Tor use" },
	[CONF_SENSOR_KERBEROAST_SERVICES] = { "sensor.kerberoast_services", CONF_INT, 1, NULL, 1, 16,
	    "distinct services one client gets RC4 service tickets for within an hour that are reported as Kerberoasting" },
	[CONF_SENSOR_ZEROLOGON_ATTEMPTS] = { "sensor.zerologon_attempts", CONF_INT, 3, NULL, 1, 16,
	    "Netlogon logons with an all-zero credential from one client within 10 min that make a Zerologon attack" },
	[CONF_SENSOR_LEARN_HOURS] = { "sensor.learn_hours", CONF_INT, 24, NULL, 0, 8760,
	    "hours after the first device is stored during which devices seen are the office's baseline, not new-device alerts" },
	[CONF_SENSOR_SMB1] = { "sensor.smb1", CONF_BOOL, 1, NULL, 0, 1,
	    "report office servers that share files with SMBv1 (medium, once per client and server a day)" },
	[CONF_SENSOR_RDP_LAN] = { "sensor.rdp_lan", CONF_BOOL, 1, NULL, 0, 1,
	    "report each office computer that accepts remote desktop from the LAN (low, once a day); "
	    "remote desktop reached from the internet is always reported" },
	[CONF_SENSOR_SHARE_EXECUTABLES] = { "sensor.share_executables", CONF_BOOL, 1, NULL, 0, 1,
	    "report program files (.exe, .dll, .js, .ps1 ...) written, run or deleted on a shared folder "
	    "(low, once per client, server and share an hour)" },
	[CONF_SENSOR_REMOTE_EXEC] = { "sensor.remote_exec", CONF_BOOL, 1, NULL, 0, 1,
	    "report PsExec-style remote execution: a program written to ADMIN$/C$ and then run through "
	    "the service control pipe or PsExec's pipes (high, once per client and server an hour)" },
	[CONF_SENSOR_IOC_FILES] = { "sensor.ioc_files", CONF_STRING, 0, "", 0, 0,
	    "indicator feeds (abuse.ch CSV or plain lists) the sensor loads besides its --ioc files, "
	    "absolute paths separated by commas; read again on SIGHUP and when a file changes "
	    "(also for the sensor of mamori up and of the agent)" },
	[CONF_SENSOR_STATS_INTERVAL_S] = { "sensor.stats_interval_s", CONF_INT, 300, NULL, 0, 86400,
	    "seconds between the statistics (drops, anomalies, flows) the sensor of mamori up and of "
	    "the agent reports to the manager (0: only when it stops)" },
	[CONF_LOGS_BUSINESS_HOURS] = { "logs.business_hours", CONF_STRING, 0, "08:00-20:00", 0, 0,
	    "business hours (HH:MM-HH:MM, local time): administrator logins outside them are reported" },
	[CONF_LOGS_BUSINESS_DAYS] = { "logs.business_days", CONF_STRING, 0, "mon-fri", 0, 0,
	    "business days (mon-fri, or a list such as mon,tue,wed,thu,fri,sat)" },
	[CONF_LOGS_TIMEZONE] = { "logs.timezone", CONF_STRING, 0, "+09:00", 0, 0,
	    "fixed UTC offset of business hours (+09:00 = Japan; no daylight saving time)" },
	[CONF_LOGS_ADMIN_USERS] = { "logs.admin_users", CONF_STRING, 0, "", 0, 0,
	    "administrator accounts besides root and Administrator, comma-separated" },
	[CONF_LOGS_GEOIP_DB] = { "logs.geoip_db", CONF_STRING, 0, "", 0, 0,
	    "MaxMind country database (.mmdb); when set, a login from a country new for the account "
	    "is reported (empty: off)" },
	[CONF_LOGS_HOLIDAYS] = { "logs.holidays", CONF_BOOL, 1, NULL, 0, 1,
	    "Japan's public holidays (国民の祝日, 振替休日, 国民の休日) are days off for the business-hours rule" },
	[CONF_LOGS_YEAR_END_BREAK] = { "logs.year_end_break", CONF_BOOL, 1, NULL, 0, 1,
	    "December 29 to January 3 (年末年始) are days off for the business-hours rule" },
	[CONF_LOGS_CLOSED_DAYS] = { "logs.closed_days", CONF_STRING, 0, "", 0, 0,
	    "the company's own days off, comma-separated: MM-DD every year or YYYY-MM-DD once "
	    "(e.g. 08-13,08-14,2026-05-01)" },
	[CONF_LOGS_SIGMA_SHIPPED] = { "logs.sigma_shipped", CONF_BOOL, 1, NULL, 0, 1,
	    "match the Sigma rules built into mamori (rules/sigma) in every log watch and mamori logs" },
	[CONF_LOGS_SIGMA_RULES] = { "logs.sigma_rules", CONF_STRING, 0, "", 0, 0,
	    "a folder of your own Sigma rules (*.yml), matched besides the built-in ones (empty: none)" },
	[CONF_FIM_THREADS] = { "fim.threads", CONF_INT, 16, NULL, 1, 64,
	    "threads of fim init and check, each listing directories and opening, reading and "
	    "hashing files, so that many disk reads are in flight on a cold cache (1: one thread)" },
	[CONF_RANSOM_BACKUP_FILES] = { "ransom.backup_files", CONF_INT, 5, NULL, 2, 10000,
	    "deletions under backup or snapshot folders by one process within ransom.window_ms "
	    "that mean backups are being destroyed" },
	[CONF_RANSOM_MIN_SAMPLE_BYTES] = { "ransom.min_sample_bytes", CONF_INT, 512, NULL, 64, 8192,
	    "smallest written content (bytes sampled from its start and end) whose entropy counts; "
	    "smaller files say nothing" },
	[CONF_AGENT_WATCH_FOLDERS] = { "agent.watch_folders", CONF_STRING, 0, "auto", 0, 0,
	    "folders the agent's ransomware and file watch covers: auto (/home, /srv and /root, "
	    "those that exist), off, or absolute paths separated by commas; the response is "
	    "ransom.respond" },
	[CONF_AGENT_WATCH_LOGS] = { "agent.watch_logs", CONF_STRING, 0, "auto", 0, 0,
	    "logs the agent watches for break-ins: auto (/var/log/auth.log, secure, syslog, "
	    "messages and the journal, those that exist), off, or absolute paths separated by commas" },
	[CONF_AGENT_SENSOR_INTERFACE] = { "agent.sensor_interface", CONF_STRING, 0, "", 0, 0,
	    "the network interface the agent's sensor captures on (a mirror port): an interface, "
	    "auto (the default route's), off, or empty: auto when enrolled as a sensor, else off" },
};

const struct conf_def *
conf_defs(void)
{
	return defs;
}

void
conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	for (int k = 0; k < CONF_KEY_COUNT; k++)
		c->v[k].i = defs[k].def_int;
}

void
conf_release(struct conf *c)
{
	for (int k = 0; k < CONF_KEY_COUNT; k++)
		free(c->v[k].s);
	memset(c, 0, sizeof(*c));
}

static int
find_key(const char *key)
{
	for (int k = 0; k < CONF_KEY_COUNT; k++)
		if (strcmp(defs[k].key, key) == 0)
			return k;
	return -1;
}

static int
parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return MAMORI_OK;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return MAMORI_OK;
		}
	}
	return MAMORI_E_INVAL;
}

int
conf_set(struct conf *c, const char *key, const char *value, char *err,
    size_t errsz)
{
	int k = find_key(key);
	if (k < 0) {
		snprintf(err, errsz, "unknown setting '%s'", key);
		return MAMORI_E_INVAL;
	}
	const struct conf_def *d = &defs[k];
	switch (d->type) {
	case CONF_INT: {
		char *end = NULL;
		errno = 0;
		long long v = strtoll(value, &end, 10);
		if (errno || end == value || *end != '\0') {
			snprintf(err, errsz, "'%s' wants a whole number, not '%s'", key, value);
			return MAMORI_E_INVAL;
		}
		if (v < d->min || v > d->max) {
			snprintf(err, errsz, "'%s' must be between %" PRId64 " and %" PRId64 " (got %lld)",
			    key, d->min, d->max, v);
			return MAMORI_E_INVAL;
		}
		c->v[k].i = v;
		break;
	}
	case CONF_BOOL: {
		bool b;
		if (parse_bool(value, &b) != MAMORI_OK) {
			snprintf(err, errsz, "'%s' wants true or false, not '%s'", key, value);
			return MAMORI_E_INVAL;
		}
		c->v[k].i = b;
		break;
	}
	case CONF_STRING: {
		char *s = strdup(value);
		if (!s) {
			snprintf(err, errsz, "out of memory");
			return MAMORI_E_NOMEM;
		}
		free(c->v[k].s);
		c->v[k].s = s;
		break;
	}
	}
	if (k == CONF_LOG_LEVEL && strcmp(value, "error") && strcmp(value, "warn") &&
	    strcmp(value, "info") && strcmp(value, "debug")) {
		snprintf(err, errsz, "'log.level' is one of error, warn, info, debug");
		return MAMORI_E_INVAL;
	}
	c->v[k].set = true;
	return MAMORI_OK;
}

int
conf_load_buffer(struct conf *c, const char *name, const void *data,
    size_t len, char *err, size_t errsz)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	/* Key path: one segment per open mapping. */
	char path[CONF_MAX_DEPTH][128];
	bool want_key[CONF_MAX_DEPTH + 1];
	int depth = 0;
	int rc = MAMORI_OK;
	bool done = false;

	if (len > CONF_MAX_FILE) {
		snprintf(err, errsz, "%s: larger than %d bytes", name, CONF_MAX_FILE);
		return MAMORI_E_LIMIT;
	}
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errsz, "out of memory");
		return MAMORI_E_NOMEM;
	}
	yaml_parser_set_input_string(&parser, data, len);
	want_key[0] = true;
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			snprintf(err, errsz, "%s:%zu: %s", name,
			    parser.problem_mark.line + 1,
			    parser.problem ? parser.problem : "YAML syntax error");
			rc = MAMORI_E_PARSE;
			break;
		}
		size_t line = ev.start_mark.line + 1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_MAPPING_START_EVENT:
			if (depth > 0 && want_key[depth]) {
				snprintf(err, errsz, "%s:%zu: a mapping cannot be a key", name, line);
				rc = MAMORI_E_PARSE;
			} else if (depth >= CONF_MAX_DEPTH) {
				snprintf(err, errsz, "%s:%zu: nested too deeply", name, line);
				rc = MAMORI_E_PARSE;
			} else {
				depth++;
				want_key[depth] = true;
			}
			break;
		case YAML_MAPPING_END_EVENT:
			depth--;
			if (depth > 0)
				want_key[depth] = true;
			break;
		case YAML_SEQUENCE_START_EVENT:
			snprintf(err, errsz, "%s:%zu: lists are not used by any setting", name, line);
			rc = MAMORI_E_PARSE;
			break;
		case YAML_ALIAS_EVENT:
			snprintf(err, errsz, "%s:%zu: YAML aliases are not supported", name, line);
			rc = MAMORI_E_PARSE;
			break;
		case YAML_SCALAR_EVENT: {
			const char *val = (const char *)ev.data.scalar.value;
			if (depth == 0) {
				/* A bare scalar document: only an empty one is fine. */
				if (ev.data.scalar.length != 0) {
					snprintf(err, errsz, "%s:%zu: expected 'key: value' settings", name, line);
					rc = MAMORI_E_PARSE;
				}
				break;
			}
			if (want_key[depth]) {
				if (ev.data.scalar.length >= sizeof(path[0])) {
					snprintf(err, errsz, "%s:%zu: key too long", name, line);
					rc = MAMORI_E_PARSE;
					break;
				}
				memcpy(path[depth - 1], val, ev.data.scalar.length + 1);
				want_key[depth] = false;
				break;
			}
			char key[CONF_MAX_DEPTH * 128 + CONF_MAX_DEPTH];
			size_t off = 0;
			for (int i = 0; i < depth; i++) {
				int n = snprintf(key + off, sizeof(key) - off, "%s%s",
				    i ? "." : "", path[i]);
				off += (size_t)n;
			}
			char msg[256];
			if (conf_set(c, key, val, msg, sizeof(msg)) != MAMORI_OK) {
				snprintf(err, errsz, "%s:%zu: %s", name, line, msg);
				rc = MAMORI_E_INVAL;
			}
			want_key[depth] = true;
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (rc != MAMORI_OK)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}

int
conf_load_file(struct conf *c, const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "rbe");
	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? MAMORI_E_NOTFOUND : MAMORI_E_IO;
	}
	char *buf = malloc(CONF_MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errsz, "out of memory");
		return MAMORI_E_NOMEM;
	}
	size_t n = fread(buf, 1, CONF_MAX_FILE + 1, f);
	int rc;
	if (ferror(f)) {
		snprintf(err, errsz, "%s: read error", path);
		rc = MAMORI_E_IO;
	} else {
		rc = conf_load_buffer(c, path, buf, n, err, errsz);
	}
	fclose(f);
	free(buf);
	return rc;
}

int64_t
conf_int(const struct conf *c, enum conf_key k)
{
	return c->v[k].i;
}

bool
conf_bool(const struct conf *c, enum conf_key k)
{
	return c->v[k].i != 0;
}

const char *
conf_str(const struct conf *c, enum conf_key k)
{
	return c->v[k].s ? c->v[k].s : (defs[k].def_str ? defs[k].def_str : "");
}

void
conf_dump(const struct conf *c, FILE *out)
{
	for (int k = 0; k < CONF_KEY_COUNT; k++) {
		const struct conf_def *d = &defs[k];
		fprintf(out, "# %s\n", d->help);
		switch (d->type) {
		case CONF_INT:
			fprintf(out, "%s: %" PRId64, d->key, c->v[k].i);
			break;
		case CONF_BOOL:
			fprintf(out, "%s: %s", d->key, c->v[k].i ? "true" : "false");
			break;
		case CONF_STRING:
			fprintf(out, "%s: \"%s\"", d->key, conf_str(c, k));
			break;
		}
		fprintf(out, "%s\n", c->v[k].set ? "" : "  # default");
	}
}
