/*
 * cmd_alerts.c - mamori alerts: the alerts kept in the database.
 *
 *   alerts import [FILE|-] [--source NAME]   store alert lines (NDJSON) that any
 *                                            mamori engine printed with --json
 *   alerts list [--all] [--json]             open alerts (or all), newest first
 *   alerts set ID acknowledged|resolved|new [--note TEXT]
 *
 * Import is how a pipeline such as `mamori logs --json FILE | mamori alerts
 * import` keeps what it found; lines that are not alerts are counted and
 * skipped, never fatal, and the counts are printed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "common/err.h"
#include "storage/db.h"
#include "storage/store_alert.h"

#define DEFAULT_TENANT 1

static void
alerts_usage(FILE *out)
{
	fprintf(out, "usage: mamori [--db FILE] alerts import [FILE|-] [--source NAME]\n"
	    "       mamori [--db FILE] alerts list [--all] [--json]\n"
	    "       mamori [--db FILE] alerts set ID acknowledged|resolved|new [--note TEXT]\n");
}

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
open_db(struct cmd_env *env, const char *cmd, struct db **db)
{
	char err[512];
	const char *path = env->db_path ? env->db_path : db_default_path();
	if (db_open(path, env->db_path == NULL, db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori alerts %s: %s\n", cmd, err);
		return EXIT_CANTCREAT;
	}
	return EXIT_OK_RUN;
}

struct import_counts {
	long lines, opened, repeated, not_alert, oversized, failed;
};

/* Reads one line of at most cap bytes into buf; a longer line is consumed
 * and reported as oversized. Returns 0 at end of input. */
static int
next_line(FILE *in, char *buf, size_t cap, size_t *len, bool *oversized)
{
	int ch;
	size_t n = 0;
	*oversized = false;
	while ((ch = getc(in)) != EOF && ch != '\n') {
		if (n < cap)
			buf[n++] = (char)ch;
		else
			*oversized = true;
	}
	*len = n;
	return ch == EOF && n == 0 && !*oversized ? 0 : 1;
}

static int
alerts_import(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *source = "agent", *file = "-";
	struct import_counts n = { 0 };
	struct db *db = NULL;
	int c, rc;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 's': source = optarg; break;
		case 'h': alerts_usage(stdout); return EXIT_OK_RUN;
		case ':':
		default: return cmd_option_error("alerts import", c, argc, argv, opts);
		}
	}
	if (argc - optind > 1)
		return cmd_usage_error("alerts import", "give at most one file (or - for standard input)");
	if (optind < argc)
		file = argv[optind];
	if (strlen(source) == 0 || strlen(source) > 32)
		return cmd_usage_error("alerts import", "--source is 1 to 32 characters");
	FILE *in = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	if (!in) {
		fprintf(stderr, "mamori alerts import: cannot open %s: %s\n", file, strerror(errno));
		return EXIT_NOINPUT;
	}
	char *buf = malloc(STORE_ALERT_BODY_MAX + 1);
	if (!buf || (rc = open_db(env, "import", &db)) != EXIT_OK_RUN) {
		rc = buf ? rc : EXIT_SOFTWARE;
		goto out;
	}
	struct store_alert_in ai = { .tenant_id = DEFAULT_TENANT, .source = source };
	size_t len;
	bool oversized;
	rc = EXIT_OK_RUN;
	while (next_line(in, buf, STORE_ALERT_BODY_MAX, &len, &oversized)) {
		int64_t id;
		bool is_new;
		n.lines++;
		if (oversized) {
			n.oversized++;
			continue;
		}
		if (len == 0)
			continue;
		ai.now_ms = now_ms();
		int r = store_alert_record_json(db, &ai, buf, len, &id, &is_new);
		if (r == MAMORI_OK)
			is_new ? n.opened++ : n.repeated++;
		else if (r == MAMORI_E_PARSE)
			n.not_alert++;
		else {
			n.failed++;
			fprintf(stderr, "mamori alerts import: line %ld: %s (%s)\n", n.lines, err_str(r),
			    db_errmsg(db));
			rc = EXIT_CANTCREAT;
			break;
		}
	}
	if (ferror(in)) {
		fprintf(stderr, "mamori alerts import: reading %s failed\n", file);
		rc = EXIT_IOERR;
	}
	fprintf(stderr, "mamori alerts import: %ld lines: %ld new alerts, %ld repeats of open alerts, "
	    "%ld not alerts, %ld over %d bytes skipped\n", n.lines, n.opened, n.repeated, n.not_alert,
	    n.oversized, STORE_ALERT_BODY_MAX);
out:
	free(buf);
	db_close(db);
	if (in != stdin)
		fclose(in);
	return rc;
}

static int
print_row(void *ctx, const struct store_alert_row *r)
{
	static const char *const sev[] = { "info", "low", "medium", "high", "critical" };
	bool json = *(bool *)ctx;
	if (json) {
		fputs(r->body, stdout);
		fputc('\n', stdout);
		return ferror(stdout) ? MAMORI_E_IO : 0;
	}
	time_t t = (time_t)(r->last_ts / 1000);
	struct tm tm;
	char when[32];
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	printf("%6lld  %-8s %-12s %s UTC  x%lld  %s  %s %s\n", (long long)r->id,
	    sev[r->severity < 0 || r->severity > 4 ? 0 : r->severity], r->state, when,
	    (long long)r->count, r->rule_id, r->host_name, r->message);
	return ferror(stdout) ? MAMORI_E_IO : 0;
}

static int
alerts_list(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_alert_filter f = { .open_only = true, .limit = 500 };
	bool json = false;
	struct db *db = NULL;
	int c, rc;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': f.open_only = false; break;
		case 'j': json = true; break;
		case 'h': alerts_usage(stdout); return EXIT_OK_RUN;
		default: return cmd_option_error("alerts list", c, argc, argv, opts);
		}
	}
	if (optind != argc)
		return cmd_usage_error("alerts list", "no arguments expected");
	if ((rc = open_db(env, "list", &db)) != EXIT_OK_RUN)
		return rc;
	int r = store_alert_list(db, DEFAULT_TENANT, &f, print_row, &json);
	if (r != MAMORI_OK)
		fprintf(stderr, "mamori alerts list: %s (%s)\n", err_str(r), db_errmsg(db));
	db_close(db);
	return r == MAMORI_OK ? EXIT_OK_RUN : r == MAMORI_E_IO ? EXIT_IOERR : EXIT_SOFTWARE;
}

static int
alerts_set(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *note = "";
	struct db *db = NULL;
	int c, rc;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': note = optarg; break;
		case 'h': alerts_usage(stdout); return EXIT_OK_RUN;
		case ':':
		default: return cmd_option_error("alerts set", c, argc, argv, opts);
		}
	}
	if (argc - optind != 2)
		return cmd_usage_error("alerts set", "give an alert id and a state");
	char *end = NULL;
	long long id = strtoll(argv[optind], &end, 10);
	const char *state = argv[optind + 1];
	if (!end || *end || id <= 0)
		return cmd_usage_error("alerts set", "'%s' is not an alert id", argv[optind]);
	if (strcmp(state, "acknowledged") && strcmp(state, "resolved") && strcmp(state, "new"))
		return cmd_usage_error("alerts set", "the state is acknowledged, resolved or new");
	if (strlen(note) > 2000)
		return cmd_usage_error("alerts set", "--note is at most 2000 bytes");
	if ((rc = open_db(env, "set", &db)) != EXIT_OK_RUN)
		return rc;
	const char *who = getenv("USER");
	int r = store_alert_set_state(db, DEFAULT_TENANT, id, state, who ? who : "cli", note, now_ms());
	if (r == MAMORI_E_NOTFOUND)
		fprintf(stderr, "mamori alerts set: no alert %lld\n", id);
	else if (r == MAMORI_E_INVAL)
		fprintf(stderr, "mamori alerts set: alert %lld is already %s\n", id, state);
	else if (r != MAMORI_OK)
		fprintf(stderr, "mamori alerts set: %s (%s)\n", err_str(r), db_errmsg(db));
	db_close(db);
	return r == MAMORI_OK ? EXIT_OK_RUN : r == MAMORI_E_NOTFOUND || r == MAMORI_E_INVAL ?
	    EXIT_DATAERR : EXIT_SOFTWARE;
}

int
cmd_alerts(struct cmd_env *env, int argc, char **argv)
{
	if (argc < 2) {
		alerts_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		alerts_usage(stdout);
		return EXIT_OK_RUN;
	}
	if (strcmp(argv[1], "import") == 0)
		return alerts_import(env, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return alerts_list(env, argc - 1, argv + 1);
	if (strcmp(argv[1], "set") == 0)
		return alerts_set(env, argc - 1, argv + 1);
	return cmd_usage_error("alerts", "unknown subcommand '%s' (import, list, set)", argv[1]);
}
