/*
 * cmd_logs.c - mamori logs: analyse log files offline.
 *
 *	mamori logs [--json] [--rules DIR] [--year YYYY] FILE...|-
 *
 * Each line is decoded (detection/decoder.h), run through the built-in
 * detections (detection/detect_builtin.h) and, with --rules, through the
 * Sigma rules of DIR; alerts go to stdout as text or NDJSON, a summary of
 * counts to stderr.
 *
 * Lines longer than LOGS_MAX_LINE are cut there (the rest up to the newline
 * is skipped) and counted. Syslog dates carry no year: a file's lines get
 * the year of its modification time, and months after that month belong
 * to the year before (a December line in a file last written in January);
 * standard input uses the current date. --year overrides the year.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/cmd_logs.h"
#include "common/err.h"
#include "common/geoip.h"
#include "common/linebuf.h"
#include "detection/decoder.h"
#include "detection/detect_builtin.h"
#include "detection/evtx.h"
#include "detection/sigma.h"
#include "storage/db.h"
#include "storage/store_alert.h"
#include "storage/store_country.h"

#define LOGS_MAX_LINE LOG_MAX_LINE
#define LOGS_BUF (1024 * 1024)

struct reader {
	FILE *f;
	struct linebuf lb;
	bool eof;
	int err;		/* errno of a read error */
};

/* Next line without "\n"; false at the end. *cut: the line was longer
 * than LOGS_MAX_LINE and only its start is returned. */
static bool
reader_line(struct reader *r, struct span *line, bool *cut)
{
	for (;;) {
		if (linebuf_next(&r->lb, line, cut))
			return true;
		if (r->eof)
			return linebuf_rest(&r->lb, line);
		size_t room;
		char *p = linebuf_space(&r->lb, &room);
		size_t n = fread(p, 1, room, r->f);
		linebuf_added(&r->lb, n);
		if (n == 0) {
			if (ferror(r->f))
				r->err = errno ? errno : EIO;
			r->eof = true;
		}
	}
}

/* One transaction per batch of input (cmd_logs_commit), not per alert. */
static void
tx_begin(struct cmd_logs_run *r)
{
	if (!r->in_tx && db_begin(r->db) == MAMORI_OK)
		r->in_tx = true;
}

/* Live inputs keep their alerts in the database for the dashboard and notifications. */
static void
store(struct cmd_logs_run *r, const json_t *o, const char *line)
{
	struct store_alert_in in = { .tenant_id = 1, .source = "logs" };
	struct timespec ts;
	int64_t id;
	bool is_new;
	tx_begin(r);
	clock_gettime(CLOCK_REALTIME, &ts);
	in.now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (line && store_alert_record_obj(r->db, &in, o, line, strlen(line), &id, &is_new) == MAMORI_OK) {
		r->stored++;
		r->tx_stored++;
	}
	else
		r->store_errors++;
}

static void
emit(struct cmd_logs_run *r, const struct alert *a)
{
	struct alert b = *a;
	json_t *extra = json_pack("{s:s, s:I}", "log.file.path", r->path,
	    "log.file.line", (json_int_t)r->lineno);
	b.extra = extra;
	bool keep = r->db && !r->no_store;
	if (keep || r->json) {
		/* one JSON text for both the output line and the database */
		json_t *o = alert_to_json(&b);
		char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (keep)
			store(r, o, line);
		if (r->json && (!line || fputs(line, stdout) == EOF || fputc('\n', stdout) == EOF))
			r->write_errors++;
		free(line);
		json_decref(o);
	}
	if (!r->json) {
		alert_print_text(a, r->lang, stdout);
		fprintf(stdout, "  %s %s:%llu\n\n", r->lang == LANG_JA ? "場所:" : "Where:", r->path,
		    (unsigned long long)r->lineno);
	}
	json_decref(extra);
}

static void
on_alert(void *arg, const struct alert *a)
{
	struct cmd_logs_run *r = arg;
	r->alerts++;
	emit(r, a);
}

static void
on_sigma(void *arg, const struct sigma_hit *h)
{
	struct cmd_logs_run *r = arg;
	char ip[64] = "", user[128] = "", host[128] = "", msg[512];
	struct span v;
	/* the built-in detection of the same attack wins (sigma.h: builtin) */
	if (h->rule->builtin && (h->rule->correlation || !h->ev ||
	    detect_builtin_matched(r->det, h->rule->builtin))) {
		r->sigma_covered++;
		return;
	}
	if (h->ev && (event_get(h->ev, "source.ip", &v) || event_get(h->ev, "source.address", &v)))
		snprintf(ip, sizeof(ip), "%.*s", (int)v.len, v.p);
	if (h->ev && event_get(h->ev, "user.name", &v))
		snprintf(user, sizeof(user), "%.*s", (int)v.len, v.p);
	if (h->ev && event_get(h->ev, "host.name", &v))
		snprintf(host, sizeof(host), "%.*s", (int)v.len, v.p);
	if (h->rule->correlation)
		snprintf(msg, sizeof(msg), "Sigma correlation '%s': %llu", h->rule->title,
		    (unsigned long long)h->count);
	else
		snprintf(msg, sizeof(msg), "Sigma rule '%s' (%s)", h->rule->title, h->rule->file);
	struct alert a = {
		.rule = &h->rule->alert, .severity = h->rule->alert.severity, .ts_ms = h->ts_ms,
		.source_ip = ip[0] ? ip : NULL, .user_name = user[0] ? user : NULL,
		.host_name = host[0] ? host : NULL, .message = msg,
	};
	r->alerts++;
	r->sigma_alerts++;
	emit(r, &a);
}

/* The built-in detections, then the Sigma rules. */
static void
detect(struct cmd_logs_run *r, const struct event *ev)
{
	detect_builtin_event(r->det, ev, on_alert, r);
	detect_hours_event(r->hours, ev, on_alert, r);
	detect_country_event(r->country, ev, on_alert, r);
	if (r->sigma)
		sigma_ruleset_match(r->sigma, ev, on_sigma, r);
}

void
cmd_logs_line(struct cmd_logs_run *r, struct decode_ctx *dc, struct span line, bool cut)
{
	struct event ev;
	r->lines++;
	r->lineno++;
	if (cut)
		r->cut++;
	if (!decoder_decode(dc, line, &ev)) {
		r->undecoded++;
		return;
	}
	r->decoded++;
	detect(r, &ev);
}

static void
run_stream(struct cmd_logs_run *r, struct reader *rd, int year, int ref_month)
{
	static struct decode_ctx dc;	/* large (sshd ring): not on the stack */
	struct span line;
	bool cut;

	decoder_ctx_init(&dc, year, ref_month);
	r->lineno = 0;
	while (reader_line(rd, &line, &cut))
		cmd_logs_line(r, &dc, line, cut);
}

/* EVTX files ("ElfFile\0") are read whole, up to this size. */
#define LOGS_MAX_EVTX ((size_t)1 << 30)

static int
on_evtx(void *arg, const struct event *ev)
{
	struct cmd_logs_run *r = arg;
	struct span id;
	uint64_t n;
	r->lines++;
	r->decoded++;
	/* "Where: file:N" names the record id */
	r->lineno = event_get(ev, "winlog.record_id", &id) && span_to_u64(id, UINT64_MAX, &n) == 0 ?
	    n : r->lineno + 1;
	detect(r, ev);
	return 0;
}

/*
 * A Windows event log file: its records go through the same detections
 * as decoded lines. False (f rewound) when f is not a regular EVTX file.
 */
static bool
run_evtx(struct cmd_logs_run *r, FILE *f, int *rc)
{
	struct stat sb;
	char sig[8];
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) || fread(sig, 1, 8, f) != 8 ||
	    memcmp(sig, "ElfFile", 8) != 0) {
		rewind(f);
		return false;
	}
	size_t len = (size_t)sb.st_size < LOGS_MAX_EVTX ? (size_t)sb.st_size : LOGS_MAX_EVTX;
	char *buf = malloc(len ? len : 1);
	struct arena a;
	struct evtx_stats st;
	arena_init(&a, 0);
	rewind(f);
	if (!buf || fread(buf, 1, len, f) != len) {
		fprintf(stderr, "mamori logs: cannot read %s: %s\n", r->path, buf ? strerror(errno) :
		    "out of memory");
		*rc = buf ? EXIT_IOERR : EXIT_SOFTWARE;
		free(buf);
		return true;
	}
	r->lineno = 0;
	if (evtx_read(buf, len, &a, on_evtx, r, &st) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: %s: not a readable EVTX file\n", r->path);
		*rc = EXIT_DATAERR;
	} else if (st.bad_chunks || st.bad_records || st.bad_header || st.truncated ||
	    (size_t)sb.st_size > len) {
		fprintf(stderr, "mamori logs: %s: EVTX: %zu records read; %zu damaged chunks, %zu damaged "
		    "records skipped%s%s\n", r->path, st.records, st.bad_chunks, st.bad_records,
		    st.bad_header ? ", file header damaged" : "",
		    st.truncated || (size_t)sb.st_size > len ? ", file truncated" : "");
	}
	arena_release(&a);
	free(buf);
	return true;
}

static int
country_of(void *arg, const char *ip, char cc[3])
{
	return geoip_country(arg, ip, cc);
}

/* logs.geoip_db set: the new-country rule; a file that cannot be used stops the run. */
static int
setup_country(struct cmd_logs_run *r, const char *path)
{
	char err[512];
	int rc;
	if (!path[0])
		return EXIT_OK_RUN;
	if ((rc = geoip_open(&r->geoip, path, err, sizeof(err))) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: logs.geoip_db: %s\n", err);
		return rc == MAMORI_E_NOMEM ? EXIT_SOFTWARE : EXIT_CONFIG;
	}
	if (detect_country_new(&r->country, 0, country_of, r->geoip) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: out of memory\n");
		return EXIT_SOFTWARE;
	}
	return EXIT_OK_RUN;
}

/*
 * The Sigma rules: those built in (unless shipped is off), then the folder
 * of logs.sigma_rules, then --rules; none at all: no ruleset. An exit code.
 */
static int
setup_sigma(struct cmd_logs_run *r, bool shipped, const char *conf_dir, const char *rules_dir)
{
	const char *dirs[2] = { conf_dir[0] ? conf_dir : NULL, rules_dir };
	const char *bad = NULL;
	struct sigma_report rep;
	int src = MAMORI_OK;
	if (!shipped && !dirs[0] && !dirs[1])
		return EXIT_OK_RUN;
	sigma_report_init(&rep);
	if ((src = sigma_ruleset_new(&r->sigma)) == MAMORI_OK)
		sigma_ruleset_set_builtin_wins(r->sigma, true);	/* on_sigma drops them */
	if (src == MAMORI_OK && shipped)
		src = sigma_shipped_add(r->sigma, &rep);
	for (int i = 0; i < 2 && src == MAMORI_OK; i++)
		if (dirs[i] && (src = sigma_ruleset_add_dir(r->sigma, dirs[i], &rep)) != MAMORI_OK)
			bad = dirs[i];
	if (src == MAMORI_OK)
		src = sigma_ruleset_compile(r->sigma, &rep);
	for (size_t i = 0; i < rep.items.n; i++) {
		const struct sigma_report_item *it = vec_at(&rep.items, i);
		fprintf(stderr, "mamori logs: %s:%zu: rule '%s' skipped: %s\n", it->file, it->line,
		    it->title ? it->title : "?", it->reason);
	}
	fprintf(stderr, "mamori logs: %zu Sigma rules loaded (%s), %zu skipped\n",
	    rep.rules_loaded + rep.correlations_loaded, shipped ? "built-in set on" : "built-in set off",
	    rep.rules_skipped);
	sigma_report_release(&rep);
	if (src == MAMORI_OK)
		return EXIT_OK_RUN;
	if (bad) {
		fprintf(stderr, "mamori logs: cannot load rules from %s: %s\n", bad, err_str(src));
		return EXIT_NOINPUT;
	}
	fprintf(stderr, "mamori logs: cannot set up the Sigma rules: %s\n", err_str(src));
	return EXIT_SOFTWARE;
}

int
cmd_logs_setup(struct cmd_logs_run *r, const struct conf *conf, const char *rules_dir)
{
	struct detect_hours_conf hc;
	char err[256];
	int rc;
	if (detect_hours_conf_parse(&hc, conf_str(conf, CONF_LOGS_BUSINESS_HOURS),
	    conf_str(conf, CONF_LOGS_BUSINESS_DAYS), conf_str(conf, CONF_LOGS_TIMEZONE),
	    conf_str(conf, CONF_LOGS_ADMIN_USERS), err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: %s\n", err);
		return EXIT_CONFIG;
	}
	if (detect_hours_conf_days_off(&hc, conf_bool(conf, CONF_LOGS_HOLIDAYS),
	    conf_bool(conf, CONF_LOGS_YEAR_END_BREAK), conf_str(conf, CONF_LOGS_CLOSED_DAYS), err,
	    sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: %s\n", err);
		return EXIT_CONFIG;
	}
	if (detect_builtin_new(&r->det, 0) != MAMORI_OK || detect_hours_new(&r->hours, &hc) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: out of memory\n");
		cmd_logs_release(r);
		return EXIT_SOFTWARE;
	}
	if ((rc = setup_country(r, conf_str(conf, CONF_LOGS_GEOIP_DB))) != EXIT_OK_RUN) {
		cmd_logs_release(r);
		return rc;
	}
	if ((rc = setup_sigma(r, conf_bool(conf, CONF_LOGS_SIGMA_SHIPPED),
	    conf_str(conf, CONF_LOGS_SIGMA_RULES), rules_dir)) != EXIT_OK_RUN)
		cmd_logs_release(r);
	return rc;
}

/* A country new for an account is kept with the round's alerts. */
static void
country_seen(void *arg, const char *user, const char *cc, int64_t ts_ms)
{
	struct cmd_logs_run *r = arg;
	tx_begin(r);
	if (store_country_add(r->db, 1, user, cc, ts_ms) != MAMORI_OK)
		r->store_errors++;
}

static int
country_load(void *arg, const char *user, const char *cc)
{
	detect_country_load(arg, user, cc);
	return 0;
}

int
cmd_logs_use_db(struct cmd_logs_run *r, struct db *db, bool no_store)
{
	r->db = db;
	r->no_store = no_store;
	if (!r->country)
		return EXIT_OK_RUN;
	if (store_country_each(db, 1, country_load, r->country) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: cannot read the countries seen per account: %s\n",
		    db_errmsg(db));
		return EXIT_SOFTWARE;
	}
	detect_country_on_seen(r->country, country_seen, r);
	return EXIT_OK_RUN;
}

void
cmd_logs_commit(struct cmd_logs_run *r)
{
	if (!r->in_tx)
		return;
	r->in_tx = false;
	r->tx_stored = 0;
	if (db_commit(r->db) != MAMORI_OK) {
		db_rollback(r->db);
		r->store_errors++;
		fprintf(stderr, "mamori logs: alerts could not be stored: %s\n", db_errmsg(r->db));
	}
}

int
cmd_logs_finish(struct cmd_logs_run *r, int rc)
{
	if (r->sigma && !r->live)
		sigma_ruleset_flush(r->sigma, on_sigma, r);
	cmd_logs_commit(r);
	if (fflush(stdout) != 0 || r->write_errors)
		rc = EXIT_IOERR;
	struct detect_stats ds;
	detect_builtin_stats(r->det, &ds);
	fprintf(stderr, "mamori logs: %llu lines, %llu decoded, %llu undecoded, %llu alerts "
	    "(%llu Sigma; %llu Sigma hits left to the built-in alert of the same attack), "
	    "%llu long lines cut at %d bytes, %llu correlation entries evicted\n",
	    (unsigned long long)r->lines, (unsigned long long)r->decoded,
	    (unsigned long long)r->undecoded, (unsigned long long)r->alerts,
	    (unsigned long long)r->sigma_alerts, (unsigned long long)r->sigma_covered,
	    (unsigned long long)r->cut, LOGS_MAX_LINE,
	    (unsigned long long)(ds.evictions + (r->country ? detect_country_evictions(r->country) : 0)));
	if (r->db && !r->no_store)
		fprintf(stderr, "mamori logs: %llu alerts stored in the database, %llu could not be stored\n",
		    (unsigned long long)r->stored, (unsigned long long)r->store_errors);
	return rc;
}

void
cmd_logs_release(struct cmd_logs_run *r)
{
	detect_builtin_free(r->det);
	detect_hours_free(r->hours);
	detect_country_free(r->country);
	geoip_close(r->geoip);
	r->country = NULL;
	r->geoip = NULL;
	sigma_ruleset_free(r->sigma);
	r->det = NULL;
	r->hours = NULL;
	r->sigma = NULL;
}

static void
logs_usage(FILE *out)
{
	fprintf(out,
	    "usage: mamori logs [--json] [--rules DIR] [--year YYYY] FILE...|-\n"
	    "  --json        one alert per line as JSON (NDJSON) instead of text\n"
	    "  --rules DIR   also match the Sigma rules (*.yml) below DIR (the built-in set is\n"
	    "                on unless logs.sigma_shipped is false)\n"
	    "  --year YYYY   year of syslog dates (default: the file's modification year)\n"
	    "  -             read standard input\n"
	    "Reads SSH, sudo/su/PAM, Apache/nginx, OpenVPN, FortiGate, Palo Alto, Cisco ASA,\n"
	    "SonicWall, Pulse/Ivanti, Postfix/Dovecot, Samba logs, Windows events as JSON or XML lines and Windows .evtx files.\n");
}

int
cmd_logs(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "rules", required_argument, NULL, 'r' },
		{ "year", required_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_logs_run r = { .lang = env->lang };
	const char *rules_dir = NULL;
	int year = 0, c, rc = EXIT_OK_RUN;
	struct reader rd = { 0 };

	if (argc > 1 && (strcmp(argv[1], "follow") == 0 || strcmp(argv[1], "listen") == 0))
		return cmd_logs_live(env, argc - 1, argv + 1);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': r.json = true; break;
		case 'r': rules_dir = optarg; break;
		case 'y': {
			char *end;
			errno = 0;
			long y = strtol(optarg, &end, 10);
			if (errno || *end || y < 1970 || y > 9999)
				return cmd_usage_error("logs", "--year takes a year such as 2025, not '%s'", optarg);
			year = (int)y;
			break;
		}
		case 'h':
			logs_usage(stdout);
			return EXIT_OK_RUN;
		case ':':
		default:
			return cmd_option_error("logs", c, argc, argv, opts);
		}
	}
	if (optind >= argc)
		return cmd_usage_error("logs", "give one or more log files, or - for standard input");

	if ((rc = cmd_logs_setup(&r, &env->conf, rules_dir)) != EXIT_OK_RUN)
		return rc;
	if (linebuf_init(&rd.lb, LOGS_BUF, LOGS_MAX_LINE) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: out of memory\n");
		rc = EXIT_SOFTWARE;
		goto out;
	}
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		bool is_stdin = strcmp(path, "-") == 0;
		FILE *f = is_stdin ? stdin : fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "mamori logs: cannot open %s: %s\n", path, strerror(errno));
			rc = EXIT_NOINPUT;
			continue;
		}
		struct stat st;
		time_t ref = time(NULL);
		if (!is_stdin && fstat(fileno(f), &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				fprintf(stderr, "mamori logs: %s is a directory\n", path);
				fclose(f);
				rc = EXIT_NOINPUT;
				continue;
			}
			ref = st.st_mtime;
		}
		struct tm tm;
		gmtime_r(&ref, &tm);
		int y = year ? year : tm.tm_year + 1900;
		int ref_month = year ? 0 : tm.tm_mon + 1;
		r.path = is_stdin ? "(stdin)" : path;
		if (!is_stdin && run_evtx(&r, f, &rc)) {
			fclose(f);
			continue;
		}
		rd.f = f;
		linebuf_reset(&rd.lb);
		rd.eof = false;
		rd.err = 0;
		r.path = is_stdin ? "(stdin)" : path;
		run_stream(&r, &rd, y, ref_month);
		if (rd.err) {
			fprintf(stderr, "mamori logs: read error on %s: %s\n", r.path, strerror(rd.err));
			rc = EXIT_IOERR;
		}
		if (!is_stdin)
			fclose(f);
	}
	rc = cmd_logs_finish(&r, rc);
out:
	linebuf_release(&rd.lb);
	cmd_logs_release(&r);
	return rc;
}
