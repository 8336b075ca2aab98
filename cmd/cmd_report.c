/* cmd_report.c - mamori report: the monthly report as HTML or PDF. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/check.h"
#include "manager/report_month.h"
#include "manager/report_schedule.h"
#include "cmd/cmd.h"
#include "common/err.h"
#include "storage/db.h"
#include "storage/store_auth.h"

static void
report_usage(FILE *out)
{
	fprintf(out,
	    "usage: mamori report [--db FILE] --month YYYY-MM [--format html|pdf] [--lang ja|en] -o FILE\n"
	    "  --month YYYY-MM    the calendar month (UTC) to report on\n"
	    "  --format FMT       html (default; also chosen by a .html name) or pdf\n"
	    "                     (chosen by a .pdf name)\n"
	    "  -o FILE            where to write the report ('-' = stdout, HTML only)\n"
	    "  --due DIR          on a schedule: last month's HTML report of each tenant into\n"
	    "                     DIR (other tenants in DIR/NAME), once\n"
	    "  --tenant NAME      the report of that tenant (default: the default tenant)\n"
	    "A month without stored scans still gives a valid report that says so;\n"
	    "mamori then prints a note on stderr and exits 0.\n");
}

static bool
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n > m && strcasecmp(s + n - m, suf) == 0;
}

static void
due_done(void *ctx, const char *tenant, int rc, bool written, const char *path, const char *err)
{
	(void)ctx;
	if (rc != MAMORI_OK)
		fprintf(stderr, "mamori report: %s%s%s\n", *tenant ? tenant : "", *tenant ? ": " : "",
		    err);
	else
		fprintf(stderr, "mamori report: %s %s\n", path, written ? "written" : "already there");
}

/* --due DIR: last month's report of each tenant into DIR unless it is
 * there (for timers). */
/* The agent's check table: the report in the asked language even when the
 * scans were stored in the other one. */
static const char *
check_text(const char *id, enum lang lang, bool action)
{
	const struct check_def *def = check_find(id);
	return def ? i18n_pick(lang, action ? def->action : def->title) : NULL;
}

static int
report_due(struct cmd_env *env, const char *db_path, const char *dir, enum lang lang, int64_t now)
{
	struct db *db = NULL;
	char err[512];
	if (db_open(db_path ? db_path : db_default_path(), db_path == NULL, &db, err,
	    sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori report: %s\n", err);
		return EXIT_CANTCREAT;
	}
	int rc = report_schedule_run_all(db, dir, lang, conf_str(&env->conf, CONF_COMPANY_NAME), now,
	    due_done, NULL);
	db_close(db);
	return rc == MAMORI_OK ? EXIT_OK_RUN : EXIT_CANTCREAT;
}

int
cmd_report(struct cmd_env *env, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "month", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ "lang", required_argument, NULL, 'L' },
		{ "output", required_argument, NULL, 'o' },
		{ "now", required_argument, NULL, 'T' },	/* tests: fixed clock */
		{ "due", required_argument, NULL, 'D' },
		{ "tenant", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_month_opts ro = { .lang = env->lang, .generated_at = (int64_t)time(NULL),
		.check_text = check_text };
	const char *db_path = env->db_path, *out = NULL, *format = NULL, *due = NULL, *tenant = NULL;
	bool have_month = false;
	char err[512];
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:ho:", lopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'o': out = optarg; break;
		case 'D': due = optarg; break;
		case 't': tenant = optarg; break;
		case 'm':
			if (report_month_parse(optarg, &ro.year, &ro.month) != MAMORI_OK)
				return cmd_usage_error("report", "--month takes YYYY-MM, not '%s'", optarg);
			have_month = true;
			break;
		case 'f':
			if (strcmp(optarg, "html") && strcmp(optarg, "pdf"))
				return cmd_usage_error("report", "--format takes html or pdf, not '%s'", optarg);
			format = optarg;
			break;
		case 'L':
			if (i18n_parse_lang(optarg, &ro.lang) != MAMORI_OK)
				return cmd_usage_error("report", "--lang takes ja or en, not '%s'", optarg);
			break;
		case 'T': {
			char *end;
			errno = 0;
			long long t = strtoll(optarg, &end, 10);
			if (errno || *end || t <= 0)
				return cmd_usage_error("report", "--now takes unix seconds");
			ro.generated_at = t;
			break;
		}
		case 'h':
			report_usage(stdout);
			return EXIT_OK_RUN;
		case ':':
		default:
			return cmd_option_error("report", c, argc, argv, lopts);
		}
	}
	if (optind < argc)
		return cmd_usage_error("report", "unexpected argument '%s'", argv[optind]);
	if (due) {
		if (have_month || out || format || tenant)
			return cmd_usage_error("report", "--due DIR takes no --month, -o, --format or --tenant");
		return report_due(env, db_path, due, ro.lang, ro.generated_at);
	}
	if (!have_month)
		return cmd_usage_error("report", "--month YYYY-MM is required");
	if (!out)
		return cmd_usage_error("report", "-o FILE is required");
	if (!format)
		format = ends_with(out, ".pdf") ? "pdf" : "html";
	bool pdf = strcmp(format, "pdf") == 0;
	if (pdf && strcmp(out, "-") == 0)
		return cmd_usage_error("report", "a PDF needs a file name, not '-'");

	struct db *db = NULL;
	const char *path = db_path ? db_path : db_default_path();
	if (db_open(path, db_path == NULL, &db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori report: %s\n", err);
		return EXIT_CANTCREAT;
	}
	ro.company = conf_str(&env->conf, CONF_COMPANY_NAME);
	if (tenant) {
		int trc = store_auth_tenant(db, tenant, 0, 0, &ro.tenant_id);
		if (trc != MAMORI_OK) {
			fprintf(stderr, "mamori report: %s\n", trc == MAMORI_E_NOTFOUND ?
			    "no such tenant" : db_errmsg(db));
			db_close(db);
			return trc == MAMORI_E_NOTFOUND ? EXIT_USAGE : EXIT_SOFTWARE;
		}
		if (ro.tenant_id != 1)
			ro.company = tenant;	/* the configured name is the default tenant's */
	}
	struct report_doc doc;
	int rc = report_month_build(db, &ro, &doc, err, sizeof(err));
	db_close(db);
	if (rc) {
		fprintf(stderr, "mamori report: %s\n", err);
		return EXIT_SOFTWARE;
	}
	rc = pdf ? report_month_pdf(&doc, out, err, sizeof(err)) :
	    report_schedule_write_html(&doc, out, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "mamori report: %s\n", err);
		report_month_release(&doc);
		return EXIT_CANTCREAT;
	}
	if (doc.no_data)
		fprintf(stderr, "mamori report: %04d-%02d has no stored scans; the report says so "
		    "(run 'mamori scan' regularly)\n", ro.year, ro.month);
	report_month_release(&doc);
	return EXIT_OK_RUN;
}
