/* cmd_scan.c - mamori scan: inventory and the five basics. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/scan.h"
#include "cmd/cmd.h"
#include "common/err.h"
#include "storage/db.h"

static void
scan_usage(FILE *out)
{
	fprintf(out,
	    "usage: mamori scan [--root DIR] [--json] [--fail-on SEVERITY] [--no-store]\n"
	    "  --root DIR         scan the system below DIR (a mounted disk, a container root)\n"
	    "  --json             print one JSON document on stdout\n"
	    "  --fail-on SEV      exit 1 when a finding at or above SEV exists\n"
	    "                     (info, low, medium, high, critical)\n"
	    "  --no-store         do not save the scan in the database\n");
}

int
cmd_scan(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "fail-on", required_argument, NULL, 'f' },
		{ "no-store", no_argument, NULL, 'n' },
		{ "now", required_argument, NULL, 'T' },	/* tests: fixed clock */
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scan_options opt = { .root = "/", .lang = env->lang,
		.db_path = env->db_path ? env->db_path : db_default_path() };
	bool json = false, store = true, have_fail_on = false;
	enum severity fail_on = SEV_CRITICAL;
	char err[512];
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': opt.root = optarg; break;
		case 'j': json = true; break;
		case 'n': store = false; break;
		case 'f':
			if (severity_parse(optarg, &fail_on) != MAMORI_OK)
				return cmd_usage_error("scan",
				    "--fail-on takes info, low, medium, high or critical, not '%s'", optarg);
			have_fail_on = true;
			break;
		case 'T': {
			char *end;
			errno = 0;
			long long t = strtoll(optarg, &end, 10);
			if (errno || *end || t <= 0)
				return cmd_usage_error("scan", "--now takes unix seconds");
			opt.now = (time_t)t;
			break;
		}
		case 'h':
			scan_usage(stdout);
			return EXIT_OK_RUN;
		case ':':
		default:
			return cmd_option_error("scan", c, argc, argv, opts);
		}
	}
	if (optind < argc)
		return cmd_usage_error("scan", "unexpected argument '%s'", argv[optind]);

	struct scan s;
	int rc = scan_run(&s, &opt, &env->conf, &env->log, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "mamori scan: %s\n", err);
		scan_release(&s);
		return rc == MAMORI_E_NOTFOUND || rc == MAMORI_E_PERM ? EXIT_NOINPUT : EXIT_SOFTWARE;
	}

	int exit_code = EXIT_OK_RUN;
	if (store) {
		const char *path = env->db_path ? env->db_path : db_default_path();
		struct db *db = NULL;
		rc = db_open(path, env->db_path == NULL, &db, err, sizeof(err));
		if (!rc)
			rc = scan_store(&s, db, &opt, err, sizeof(err));
		db_close(db);
		if (rc) {
			fprintf(stderr, "mamori scan: %s\n", err);
			exit_code = EXIT_CANTCREAT;
		}
	}

	if (json) {
		json_t *doc = scan_to_json(&s, &opt);
		if (!doc || json_dumpf(doc, stdout, JSON_INDENT(1)) != 0) {
			fprintf(stderr, "mamori scan: cannot write JSON\n");
			exit_code = EXIT_IOERR;
		}
		fputc('\n', stdout);
		json_decref(doc);
	} else {
		scan_report_print(&s, &opt, stdout);
	}
	if (fflush(stdout) != 0 && exit_code == EXIT_OK_RUN)
		exit_code = EXIT_IOERR;
	if (exit_code == EXIT_OK_RUN && have_fail_on && scan_worst_severity(&s) >= (int)fail_on)
		exit_code = EXIT_FINDINGS;
	scan_release(&s);
	return exit_code;
}
