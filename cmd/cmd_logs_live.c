/*
 * cmd_logs_live.c - mamori logs follow|listen: live inputs into the same
 * pipeline as "mamori logs FILE".
 *
 *	mamori logs follow [options] FILE...
 *	mamori logs listen [options] --udp|--tcp|--tls ADDR:PORT ...
 *
 * Read positions live in the database (--db), so a restart carries on
 * where the last run stopped. Runs until SIGINT/SIGTERM (or --duration).
 */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/log_follow.h"
#include "agent/log_journal.h"
#include "agent/log_live.h"
#include "agent/syslog_server.h"
#include "cmd/cmd.h"
#include "cmd/cmd_logs.h"
#include "common/err.h"
#include "manager/cert.h"
#include "storage/db.h"
#include "storage/store_logwin.h"

/* Alerts stored in one transaction at most (a batch also ends after
 * log_live's 200 ms): a flood of alerts is committed as it goes. */
#define LOGS_BATCH_MAX 1024

/* Open correlation windows kept across restarts: the newest this many
 * (a few hundred KB per checkpoint at most). */
#define LOGS_STATE_MAX 4096

/* Open Sigma correlation groups kept across restarts: the most recently
 * used this many (at most 64 KiB each; usually well under 1 KiB). */
#define LOGS_SIGMA_STATE_MAX 4096

struct live {
	struct cmd_logs_run run;
	struct db *db;
	char scope[40];		/* "logs:" + a hash of the inputs */
	size_t restored;
	int64_t sigma_n;	/* Sigma groups written at this checkpoint */
	size_t sigma_unsaved;	/* left out at the last checkpoint (over the cap) */
	size_t sigma_restored, sigma_skipped;
};

static void
on_line(void *arg, struct log_source *src, struct span line, bool cut)
{
	struct live *lv = arg;
	lv->run.path = src->name;
	lv->run.lineno = src->lineno - 1;
	cmd_logs_line(&lv->run, &src->dc, line, cut);
}

static void
on_notice(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "mamori logs: %s\n", msg);
}

static void
on_batch(void *arg)
{
	struct live *lv = arg;
	cmd_logs_commit(&lv->run);
	if (fflush(stdout) != 0)
		lv->run.write_errors++;
}

static bool
batch_full(void *arg)
{
	const struct live *lv = arg;
	return lv->run.tx_stored >= LOGS_BATCH_MAX;
}

static void
on_save_error(void *arg, int err)
{
	(void)arg;
	fprintf(stderr, "mamori logs: cannot save read positions: %s\n", err_str(err));
}

static int
state_put(void *arg, const struct detect_state *s)
{
	struct live *lv = arg;
	struct store_logwin w = { s->table, s->key, s->active_ms, s->data, s->len };
	return store_logwin_put(lv->db, lv->scope, &w);
}

static int
sigma_put(void *arg, const struct sigma_state *s)
{
	struct live *lv = arg;
	struct store_sigwin w = { s->rule_id, s->last_ms, s->data, s->len };
	return store_logwin_sigma_put(lv->db, lv->scope, lv->sigma_n++, &w);
}

/* Inside log_live's transaction, with the read positions. */
static int
on_checkpoint(void *arg)
{
	struct live *lv = arg;
	size_t unsaved = 0;
	int rc = store_logwin_reset(lv->db, lv->scope, detect_builtin_clock(lv->run.det),
	    (int64_t)time(NULL));
	if (rc == MAMORI_OK)
		rc = detect_builtin_state_each(lv->run.det, LOGS_STATE_MAX, state_put, lv);
	lv->sigma_n = 0;
	if (rc == MAMORI_OK && lv->run.sigma)
		rc = sigma_state_save(lv->run.sigma, LOGS_SIGMA_STATE_MAX, sigma_put, lv, &unsaved);
	if (rc == MAMORI_OK && unsaved && !lv->sigma_unsaved)
		fprintf(stderr, "mamori logs: %zu Sigma correlation windows not saved (the least "
		    "recently used past %d)\n", unsaved, LOGS_SIGMA_STATE_MAX);
	if (rc == MAMORI_OK)
		lv->sigma_unsaved = unsaved;
	return rc;
}

struct state_load {
	struct live *lv;
	int64_t clock_ms;
};

static int
state_get(void *arg, const struct store_logwin *w)
{
	struct state_load *sl = arg;
	struct detect_state s = { .table = w->table, .key = w->key, .active_ms = w->active_ms };
	if (w->len > sizeof(s.data))
		return 0;
	memcpy(s.data, w->data, w->len);
	s.len = w->len;
	if (detect_builtin_state_load(sl->lv->run.det, sl->clock_ms, &s))
		sl->lv->restored++;
	return 0;
}

/*
 * The watch's name in log_window_scopes: the same inputs (files by their
 * absolute path, journal, listeners) find the same windows after a restart,
 * and two watches on one database keep theirs apart.
 */
static void
state_scope(struct live *lv, const struct log_follow_opts *fo, bool journal, const char *jdir,
    const struct syslog_server_opts *so)
{
	uint64_t h = window_hash_cstr(1, journal ? (jdir ? jdir : "journal") : "");
	char cwd[PATH_MAX], abs[2 * PATH_MAX];
	bool have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
	for (size_t i = 0; i < fo->npaths; i++) {
		/* by absolute name: a file that does not exist yet has no real path */
		const char *p = fo->paths[i];
		if (p[0] != '/' && have_cwd && snprintf(abs, sizeof(abs), "%s/%s", cwd, p) < (int)sizeof(abs))
			p = abs;
		h = window_hash_cstr(h, p);
	}
	for (size_t i = 0; i < so->nlisten; i++)
		h = window_hash_cstr(h + (uint64_t)so->listen[i].proto, so->listen[i].addr);
	snprintf(lv->scope, sizeof(lv->scope), "logs:%016llx", (unsigned long long)h);
}

static int
sigma_get(void *arg, const struct store_sigwin *w)
{
	struct state_load *sl = arg;
	if (sigma_state_load(sl->lv->run.sigma, sl->clock_ms, w->rule, w->data, w->len) ==
	    SIGMA_STATE_LOADED)
		sl->lv->sigma_restored++;
	else
		sl->lv->sigma_skipped++;
	return 0;
}

static int
state_restore(struct live *lv)
{
	struct state_load sl = { lv, 0 };
	int rc = store_logwin_clock(lv->db, lv->scope, &sl.clock_ms);
	if (rc == MAMORI_E_NOTFOUND)
		return MAMORI_OK;
	if (rc == MAMORI_OK)
		rc = store_logwin_each(lv->db, lv->scope, sl.clock_ms - DETECT_STATE_SPAN_MS,
		    LOGS_STATE_MAX, state_get, &sl);
	if (rc == MAMORI_OK && lv->run.sigma)
		rc = store_logwin_sigma_each(lv->db, lv->scope, LOGS_SIGMA_STATE_MAX, sigma_get, &sl);
	if (rc == MAMORI_OK && lv->restored)
		fprintf(stderr, "mamori logs: %zu open correlation window%s restored (brute force, "
		    "spraying, failures before a login)\n", lv->restored, lv->restored == 1 ? "" : "s");
	if (rc == MAMORI_OK && (lv->sigma_restored || lv->sigma_skipped))
		fprintf(stderr, "mamori logs: %zu open Sigma correlation window%s restored, %zu closed "
		    "or of changed rules dropped\n", lv->sigma_restored,
		    lv->sigma_restored == 1 ? "" : "s", lv->sigma_skipped);
	return rc;
}

static void
live_usage(FILE *out)
{
	fprintf(out,
	    "usage: mamori logs follow [options] FILE... | --journal\n"
	    "  --json          one alert per line as JSON (NDJSON) instead of text\n"
	    "  --no-store      alerts only to standard output, not into the database (which still\n"
	    "                  keeps the read positions): the enrolled agent sends them on\n"
	    "  --rules DIR     also match the Sigma rules (*.yml) below DIR (the built-in set\n"
	    "                  is on unless logs.sigma_shipped is false)\n"
	    "  --from-end      a file never read before starts at its end (default: its start)\n"
	    "  --poll          no inotify: look at the files every --tick\n"
	    "  --tick MS       polling and position saves (default 1000)\n"
	    "  --state-every SEC  checkpoint the open correlation windows with the positions\n"
	    "                  (default 10; after a kill -9 the counts of at most this long are lost)\n"
	    "  --duration SEC  stop after SEC seconds (default: at SIGINT/SIGTERM)\n"
	    "  --journal       also follow this system's systemd journal\n"
	    "  --journal-dir DIR  follow the journal files in DIR instead\n"
	    "usage: mamori logs listen [options] --udp|--tcp|--tls ADDR:PORT...\n"
	    "  --udp ADDR:PORT    syslog over UDP (RFC 3164 / 5424); port 0 picks a free port\n"
	    "  --tcp ADDR:PORT    syslog over TCP (octet counting or LF framing, RFC 6587)\n"
	    "  --tls ADDR:PORT    syslog over TLS (RFC 5425)\n"
	    "  --tls-cert FILE --tls-key FILE  PEM files (default: syslog.crt/.key beside the database,\n"
	    "                     made self-signed on first use)\n"
	    "  --max-conns N      TCP/TLS connections at a time (default 256; more are refused)\n"
	    "  --max-msg BYTES    longer messages are dropped and counted (default 65536)\n"
	    "  --idle SEC         close connections idle this long (default 600)\n"
	    "Files are followed across rotation (rename or copytruncate); read positions are kept\n"
	    "in the database (--db), so a restart neither misses nor repeats lines.\n");
}

static int
parse_uint(const char *opt, const char *s, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > max)
		return cmd_usage_error("logs", "%s takes a number up to %ld, not '%s'", opt, max, s);
	*out = v;
	return EXIT_OK_RUN;
}

/*
 * The TLS listener's certificate: the given files, or a self-signed one
 * made on first use beside the database (syslog.crt, syslog.key), like
 * the manager's. Senders that check certificates need its fingerprint,
 * printed here.
 */
static int
tls_files(const char *db_path, const char *cert, const char *key, char **cert_pem, char **key_pem)
{
	char certp[4096], keyp[4096], err[512], fp[128];
	const char *slash = strrchr(db_path, '/');
	int dl = slash ? (int)(slash - db_path) + 1 : 0;
	bool created = false;

	if (cert) {
		snprintf(certp, sizeof(certp), "%s", cert);
		snprintf(keyp, sizeof(keyp), "%s", key);
	} else if (snprintf(certp, sizeof(certp), "%.*ssyslog.crt", dl, db_path) >= (int)sizeof(certp) ||
	    snprintf(keyp, sizeof(keyp), "%.*ssyslog.key", dl, db_path) >= (int)sizeof(keyp)) {
		fprintf(stderr, "mamori logs: database path too long\n");
		return EXIT_USAGE;
	}
	if (cert_load_or_create(certp, keyp, NULL, cert == NULL, cert_pem, key_pem, &created, err,
	    sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: TLS certificate: %s\n", err);
		return EXIT_CONFIG;
	}
	if (created)
		fprintf(stderr, "mamori logs: made a self-signed certificate %s (key %s)\n", certp, keyp);
	if (cert_fingerprint(*cert_pem, fp, sizeof(fp)) == MAMORI_OK)
		fprintf(stderr, "mamori logs: TLS certificate SHA-256 %s\n", fp);
	return EXIT_OK_RUN;
}

int
cmd_logs_live(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "no-store", no_argument, NULL, 'N' },
		{ "rules", required_argument, NULL, 'r' },
		{ "from-end", no_argument, NULL, 'e' },
		{ "poll", no_argument, NULL, 'p' },
		{ "tick", required_argument, NULL, 't' },
		{ "duration", required_argument, NULL, 'd' },
		{ "journal", no_argument, NULL, 'J' },
		{ "udp", required_argument, NULL, 'U' },
		{ "tcp", required_argument, NULL, 'T' },
		{ "tls", required_argument, NULL, 'S' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "max-conns", required_argument, NULL, 'm' },
		{ "max-msg", required_argument, NULL, 'M' },
		{ "idle", required_argument, NULL, 'i' },
		{ "journal-dir", required_argument, NULL, 'D' },
		{ "state-every", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct live lv = { .run = { .lang = env->lang, .live = true } };
	struct log_follow_opts fo = { .on_line = on_line, .on_notice = on_notice, .arg = &lv };
	struct log_live loop = { .on_batch = on_batch, .batch_full = batch_full,
		.on_save_error = on_save_error,
		.on_checkpoint = on_checkpoint, .arg = &lv };
	struct log_journal_opts jo = { .on_line = on_line, .on_notice = on_notice, .arg = &lv };
	struct syslog_server_opts so = { .on_line = on_line, .on_notice = on_notice, .arg = &lv };
	struct syslog_server *syslog = NULL;
	const char *tls_cert = NULL, *tls_key = NULL;
	char *cert_pem = NULL, *key_pem = NULL;
	bool tls = false;
	struct log_follow *follow = NULL;
	struct log_journal *journal_in = NULL;
	bool journal = false, no_store = false;
	struct db *db = NULL;
	const char *rules_dir = NULL;
	char err[512];
	long v = 0;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': lv.run.json = true; break;
		case 'N': no_store = true; break;
		case 'r': rules_dir = optarg; break;
		case 'e': fo.from_end = true; break;
		case 'p': fo.no_inotify = true; break;
		case 'J': journal = true; break;
		case 'U': case 'T': case 'S':
			if (so.nlisten == SYSLOG_MAX_LISTEN)
				return cmd_usage_error("logs", "at most %d listeners", SYSLOG_MAX_LISTEN);
			so.listen[so.nlisten++] = (struct syslog_listen){
				c == 'U' ? SYSLOG_UDP : c == 'T' ? SYSLOG_TCP : SYSLOG_TLS, optarg };
			tls |= c == 'S';
			break;
		case 'C': tls_cert = optarg; break;
		case 'K': tls_key = optarg; break;
		case 'm':
			if ((rc = parse_uint("--max-conns", optarg, 65536, &v)) != EXIT_OK_RUN)
				return rc;
			so.max_conns = v ? (size_t)v : 1;
			break;
		case 'M':
			if ((rc = parse_uint("--max-msg", optarg, LOG_MAX_LINE, &v)) != EXIT_OK_RUN)
				return rc;
			so.max_msg = v ? (size_t)v : 1;
			break;
		case 'i':
			if ((rc = parse_uint("--idle", optarg, 86400, &v)) != EXIT_OK_RUN)
				return rc;
			so.idle_s = v ? (int)v : 1;
			break;
		case 'D': journal = true; jo.dir = optarg; break;
		case 't':
			if ((rc = parse_uint("--tick", optarg, 3600000, &v)) != EXIT_OK_RUN)
				return rc;
			loop.tick_ms = (int)v;
			break;
		case 'E':
			if ((rc = parse_uint("--state-every", optarg, 3600, &v)) != EXIT_OK_RUN)
				return rc;
			loop.checkpoint_ms = v ? (int)v * 1000 : 1000;
			break;
		case 'd':
			if ((rc = parse_uint("--duration", optarg, 86400 * 366, &v)) != EXIT_OK_RUN)
				return rc;
			loop.duration_ms = v * 1000;
			break;
		case 'h':
			live_usage(stdout);
			return EXIT_OK_RUN;
		case ':':
		default:
			return cmd_option_error("logs", c, argc, argv, opts);
		}
	}
	fo.paths = (const char *const *)argv + optind;
	fo.npaths = (size_t)(argc - optind);
	if (fo.npaths == 0 && !journal && so.nlisten == 0)
		return cmd_usage_error("logs", "give log files to follow, --journal, or --udp/--tcp/--tls ADDR:PORT to listen on");
	if (!tls_cert != !tls_key)
		return cmd_usage_error("logs", "--tls-cert and --tls-key go together");

	const char *path = env->db_path ? env->db_path : db_default_path();
	if (db_open(path, env->db_path == NULL, &db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: %s\n", err);
		return EXIT_CANTCREAT;
	}
	if ((rc = cmd_logs_setup(&lv.run, &env->conf, rules_dir)) != EXIT_OK_RUN)
		goto out;
	fo.db = jo.db = db;
	jo.from_end = fo.from_end;
	if ((rc = cmd_logs_use_db(&lv.run, db, no_store)) != EXIT_OK_RUN)
		goto out;
	lv.db = loop.db = db;
	state_scope(&lv, &fo, journal, jo.dir, &so);
	if (state_restore(&lv) != MAMORI_OK) {
		/* a watch that forgot its windows still watches: say so, go on */
		fprintf(stderr, "mamori logs: cannot read the saved correlation windows: %s\n", db_errmsg(db));
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	struct log_follow_stats fs = { 0 };
	if (fo.npaths > 0) {
		if (log_follow_new(&fo, tm.tm_year + 1900, tm.tm_mon + 1, &follow) != MAMORI_OK) {
			fprintf(stderr, "mamori logs: out of memory\n");
			rc = EXIT_SOFTWARE;
			goto out;
		}
		log_follow_stats(follow, &fs);
		fprintf(stderr, "mamori logs: following %zu file%s (%s)\n", fo.npaths,
		    fo.npaths == 1 ? "" : "s", fs.inotify ? "inotify" : "polling");
	}
	if (journal && log_journal_new(&jo, tm.tm_year + 1900, tm.tm_mon + 1, &journal_in, err,
	    sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: cannot open the journal%s%s: %s\n", jo.dir ? " in " : "",
		    jo.dir ? jo.dir : "", err);
		rc = EXIT_NOINPUT;
		goto out;
	}
	if (tls && (rc = tls_files(path, tls_cert, tls_key, &cert_pem, &key_pem)) != EXIT_OK_RUN)
		goto out;
	so.tls_cert_pem = cert_pem;
	so.tls_key_pem = key_pem;
	if (so.nlisten && syslog_server_new(&so, tm.tm_year + 1900, tm.tm_mon + 1, &syslog, err,
	    sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: cannot listen: %s\n", err);
		rc = EXIT_NOINPUT;
		goto out;
	}
	for (size_t i = 0; syslog && syslog_server_bound(syslog, i); i++)
		fprintf(stderr, "mamori logs: listening on %s\n", syslog_server_bound(syslog, i));
	if (syslog) {
		/* a sender that goes away in the middle of a TLS handshake must not end us */
		signal(SIGPIPE, SIG_IGN);
		fflush(stderr);
	}
	loop.follow = follow;
	loop.journal = journal_in;
	loop.syslog = syslog;
	if (log_live_run(&loop) != MAMORI_OK) {
		fprintf(stderr, "mamori logs: the wait for input failed: %s\n", strerror(errno));
		rc = EXIT_SOFTWARE;
	}
	if (journal_in) {
		struct log_journal_stats js;
		log_journal_stats(journal_in, &js);
		fprintf(stderr, "mamori logs: journal: %llu entries%s, %llu without message, %llu cut\n",
		    (unsigned long long)js.entries, js.resumed ? " after the saved cursor" : "",
		    (unsigned long long)js.no_message, (unsigned long long)js.cut);
	}
	if (syslog) {
		struct syslog_server_stats ss;
		syslog_server_stats(syslog, &ss);
		fprintf(stderr, "mamori logs: syslog: %llu messages, %llu bytes; dropped: %llu oversize, "
		    "%llu malformed; %llu connections, %llu refused (limit), %llu closed idle, "
		    "%llu TLS failures\n", (unsigned long long)ss.messages, (unsigned long long)ss.bytes,
		    (unsigned long long)ss.oversize, (unsigned long long)ss.malformed,
		    (unsigned long long)ss.conns, (unsigned long long)ss.conns_refused,
		    (unsigned long long)ss.conns_idle_closed, (unsigned long long)ss.tls_failures);
	}
	if (follow) {
		log_follow_stats(follow, &fs);
		fprintf(stderr, "mamori logs: follow: %llu lines, %llu bytes, %llu rotations, %llu truncations, "
		    "%llu resumed, %llu finished after a rotation while stopped, %llu lost while stopped, "
		    "%llu read errors\n", (unsigned long long)fs.lines, (unsigned long long)fs.bytes,
		    (unsigned long long)fs.rotations, (unsigned long long)fs.truncations,
		    (unsigned long long)fs.resumed, (unsigned long long)fs.rotated_while_stopped,
		    (unsigned long long)fs.lost_while_stopped, (unsigned long long)fs.read_errors);
	}
	rc = cmd_logs_finish(&lv.run, rc);
out:
	log_follow_free(follow);
	log_journal_free(journal_in);
	syslog_server_free(syslog);
	cmd_logs_release(&lv.run);
	free(cert_pem);
	if (key_pem) {
		explicit_bzero(key_pem, strlen(key_pem));
		free(key_pem);
	}
	db_close(db);
	return rc;
}
