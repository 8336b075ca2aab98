/*
 * cmd_vuln.c - mamori vuln SUBCOMMAND: update (cmd_vuln_update.c), scan,
 * compare.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/inventory.h"
#include "agent/scan_ctx.h"
#include "cmd/cmd.h"
#include "common/err.h"
#include "common/rootfs.h"
#include "storage/db.h"
#include "storage/store_vuln_query.h"
#include "vuln/version.h"
#include "agent/vuln_mirror.h"
#include "agent/vuln_output.h"
#include "agent/vuln_scan.h"

static const char *
cmp_sign(int rc)
{
	return rc < 0 ? "<" : rc > 0 ? ">" : "=";
}

/* Splits "A B" (any run of blanks) into two words; false if not two. */
static bool
split_pair(char *line, char **a, char **b)
{
	char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	*a = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (!*p)
		return false;
	*p++ = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	*b = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	char *end = p;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p || **b == '\0')
		return false;
	*end = '\0';
	return true;
}

static int
vuln_compare(int argc, char **argv)
{
	enum version_format f;
	bool from_stdin = false;
	char *args[3];
	int nargs = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--stdin") == 0)
			from_stdin = true;
		else if (strcmp(argv[i], "--help") == 0) {
			printf("usage: mamori vuln compare deb|rpm|apk A B\n"
			    "       mamori vuln compare deb|rpm|apk --stdin   (\"A B\" per line)\n");
			return EXIT_OK_RUN;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cmd_arg_error("vuln compare", argv[i]);	/* no version starts with '-' */
		} else if (nargs < 3)
			args[nargs++] = argv[i];
		else
			return cmd_arg_error("vuln compare", argv[i]);
	}
	if (nargs < 1 || version_format_parse(args[0], &f) != MAMORI_OK)
		return cmd_usage_error("vuln compare", "the first argument is deb, rpm or apk");
	version_cmp_fn cmp = version_cmp_for(f);
	if (!from_stdin) {
		if (nargs != 3)
			return cmd_usage_error("vuln compare", "needs two versions (or --stdin)");
		printf("%s\n", cmp_sign(cmp(args[1], args[2])));
		return fflush(stdout) == 0 ? EXIT_OK_RUN : EXIT_IOERR;
	}
	if (nargs != 1)
		return cmd_usage_error("vuln compare", "--stdin takes no versions as arguments");

	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int rc = EXIT_OK_RUN;
	while ((n = getline(&line, &cap, stdin)) != -1) {
		char *a, *b;
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		/* One answer per input line keeps the output aligned; a bad
		 * line answers "?" and sets the exit status. */
		if (strlen(line) != (size_t)n || !split_pair(line, &a, &b)) {
			fprintf(stderr, "mamori vuln compare: line %ld: expected two versions\n", lineno);
			puts("?");
			rc = EXIT_DATAERR;
			continue;
		}
		puts(cmp_sign(cmp(a, b)));
	}
	free(line);
	if (ferror(stdin))
		return EXIT_IOERR;
	if (fflush(stdout) != 0)
		return EXIT_IOERR;
	return rc;
}

enum out_format { OUT_TEXT, OUT_JSON, OUT_SARIF, OUT_CYCLONEDX };

static void
scan_usage(FILE *out)
{
	fprintf(out,
	    "usage: mamori vuln scan [--root DIR] [--json] [--format sarif|cyclonedx] [--no-store]\n"
	    "  --root DIR         check the system below DIR (a mounted disk, a container root)\n"
	    "  --json             print one JSON document with a \"vulnerabilities\" array\n"
	    "  --format F         sarif (2.1.0) or cyclonedx (1.5) instead\n"
	    "  --no-store         do not record the result (no \"changed since last scan\")\n");
}

static const char *
host_key(const struct inventory *inv, const char *root)
{
	if (inv->sys.machine_id && *inv->sys.machine_id)
		return inv->sys.machine_id;
	if (inv->sys.hostname && *inv->sys.hostname)
		return inv->sys.hostname;
	return root;
}

struct diff_ctx {
	struct vuln_output_changes *ch;
	struct arena *arena;
};

static int
on_change(void *ctx, enum store_vuln_change kind, const char *cve,
    const char *package, const char *state)
{
	struct diff_ctx *d = ctx;
	struct vuln_output_change *c = vec_push(d->arena,
	    kind == STORE_VULN_NEW ? &d->ch->new_vulns : &d->ch->fixed_vulns);
	if (!c)
		return MAMORI_E_NOMEM;
	c->cve = arena_strdup(d->arena, cve);
	c->source_package = arena_strdup(d->arena, package);
	c->state = arena_strdup(d->arena, state);
	return c->cve && c->source_package && c->state ? 0 : MAMORI_E_NOMEM;
}

/* Records this result and collects what changed since the last one. */
static int
record(struct db *db, const struct vuln_scan *vs, const struct inventory *inv,
    const char *root, time_t now, int64_t duration_ms, int keep,
    struct vuln_output_changes *ch, struct arena *arena)
{
	int64_t scan_id, prev;
	int rc = store_vuln_scan_begin(db, host_key(inv, root),
	    inv->sys.hostname ? inv->sys.hostname : "", (int64_t)now, root, &scan_id, &prev);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < vs->results.n; i++) {
		const struct match_result *r = vec_at(&vs->results, i);
		rc = store_vuln_scan_add(db, scan_id, r->cve, r->source->name,
		    match_state_name(r->state));
	}
	ch->first_scan = prev == 0;
	struct diff_ctx d = { ch, arena };
	if (!rc)
		rc = store_vuln_scan_diff(db, scan_id, prev, on_change, &d);
	if (rc) {
		store_vuln_scan_abort(db);
		return rc;
	}
	return store_vuln_scan_finish(db, scan_id, duration_ms, keep);
}

static int
vuln_scan(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "format", required_argument, NULL, 'f' },
		{ "no-store", no_argument, NULL, 'n' },
		{ "now", required_argument, NULL, 'T' },	/* tests: fixed clock */
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root_path = "/";
	enum out_format fmt = OUT_TEXT;
	bool store = true;
	time_t now = 0;
	char err[512];
	int c, rc, exit_code = EXIT_OK_RUN;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root_path = optarg; break;
		case 'j': fmt = OUT_JSON; break;
		case 'n': store = false; break;
		case 'f':
			if (strcmp(optarg, "sarif") == 0)
				fmt = OUT_SARIF;
			else if (strcmp(optarg, "cyclonedx") == 0)
				fmt = OUT_CYCLONEDX;
			else if (strcmp(optarg, "json") == 0)
				fmt = OUT_JSON;
			else
				return cmd_usage_error("vuln scan",
				    "--format takes sarif or cyclonedx, not '%s'", optarg);
			break;
		case 'T': {
			char *end;
			errno = 0;
			long long t = strtoll(optarg, &end, 10);
			if (errno || *end || t <= 0)
				return cmd_usage_error("vuln scan", "--now takes unix seconds");
			now = (time_t)t;
			break;
		}
		case 'h':
			scan_usage(stdout);
			return EXIT_OK_RUN;
		case ':':
		default:
			return cmd_option_error("vuln scan", c, argc, argv, opts);
		}
	}
	if (optind < argc)
		return cmd_usage_error("vuln scan", "unexpected argument '%s'", argv[optind]);
	if (!now)
		now = time(NULL);

	struct arena arena;
	struct rootfs root = { .fd = -1 };
	struct scan_ctx ctx;
	struct inventory inv;
	struct db *db = NULL;
	struct vuln_scan vs;
	struct vuln_output_changes ch = { .first_scan = true };
	bool have_changes = false;
	json_t *doc = NULL;
	int64_t t0 = scan_monotonic_ms();

	arena_init(&arena, (size_t)conf_int(&env->conf, CONF_SCAN_MEMORY_CAP_MB) * 1024 * 1024);
	memset(&ctx, 0, sizeof(ctx));
	if ((rc = rootfs_open(&root, root_path))) {
		fprintf(stderr, "mamori vuln scan: cannot scan %s: %s\n", root_path,
		    rc == MAMORI_E_NOTFOUND ? "not a directory" : err_str(rc));
		exit_code = EXIT_NOINPUT;
		goto out;
	}
	ctx.root = &root;
	ctx.conf = &env->conf;
	ctx.log = &env->log;
	ctx.arena = &arena;
	ctx.now = now;
	ctx.privileged = geteuid() == 0;
	vec_init(&ctx.warnings, sizeof(struct scan_warning), 10000);
	vec_init(&ch.new_vulns, sizeof(struct vuln_output_change), 0);
	vec_init(&ch.fixed_vulns, sizeof(struct vuln_output_change), 0);
	inventory_init(&inv);
	/* Only what matching needs: the release and the package databases. */
	if ((rc = inventory_os_collect(&ctx, &inv)) || (rc = inventory_system_collect(&ctx, &inv)) ||
	    (rc = inventory_dpkg_collect(&ctx, &inv)) || (rc = inventory_rpm_collect(&ctx, &inv)) ||
	    (rc = inventory_apk_collect(&ctx, &inv))) {
		fprintf(stderr, "mamori vuln scan: inventory stopped: %s\n", err_str(rc));
		exit_code = EXIT_SOFTWARE;
		goto out;
	}

	const char *path = env->db_path ? env->db_path : db_default_path();
	if (access(path, F_OK) != 0 && !store) {
		/* Nothing imported and nothing to record: report that. */
		memset(&vs, 0, sizeof(vs));
		vs.arena = &arena;
		vec_init(&vs.warnings, sizeof(struct vuln_scan_warning), 0);
		vec_init(&vs.results, sizeof(struct match_result), 0);
		vec_init(&vs.groups, sizeof(struct vuln_scan_group), 0);
		vec_init(&vs.sources, sizeof(struct vuln_scan_source), 0);
		vec_init(&vs.installed, sizeof(struct match_source), 0);
		struct vuln_scan_warning *w = vec_push(&arena, &vs.warnings);
		if (w) {
			w->en = arena_printf(&arena, "No vulnerability database at %s: run 'mamori vuln update'.", path);
			w->ja = arena_printf(&arena, "%s に脆弱性データベースがありません。'mamori vuln update' を実行してください。", path);
		}
	} else {
		if ((rc = db_open(path, env->db_path == NULL, &db, err, sizeof(err)))) {
			fprintf(stderr, "mamori vuln scan: %s\n", err);
			exit_code = EXIT_CANTCREAT;
			goto out;
		}
		if ((rc = vuln_scan_run(&vs, db, &inv, now, &arena)) ||
		    (rc = vuln_mirror_check(&vs, &ctx)) ||
		    (fmt != OUT_TEXT && (rc = vuln_scan_describe(&vs, db)))) {
			fprintf(stderr, "mamori vuln scan: %s (%s)\n", err_str(rc), db_errmsg(db));
			exit_code = EXIT_SOFTWARE;
			goto out;
		}
		if (store && vs.have_data) {
			rc = record(db, &vs, &inv, root_path, now, scan_monotonic_ms() - t0,
			    (int)conf_int(&env->conf, CONF_SCAN_HISTORY_KEEP), &ch, &arena);
			if (rc) {
				fprintf(stderr, "mamori vuln scan: cannot record the result: %s\n",
				    db_errmsg(db));
				exit_code = EXIT_CANTCREAT;
			} else {
				have_changes = true;
			}
		}
	}
	for (size_t i = 0; i < ctx.warnings.n; i++) {
		const struct scan_warning *w = vec_at(&ctx.warnings, i);
		struct vuln_scan_warning *vw = vec_push(&arena, &vs.warnings);
		if (vw) {
			vw->en = arena_printf(&arena, "%s: %s", w->area, w->message);
			vw->ja = vw->en;
		}
	}

	switch (fmt) {
	case OUT_TEXT:
		if (vuln_output_text(&vs, &arena, env->lang, have_changes ? &ch : NULL, stdout))
			exit_code = EXIT_SOFTWARE;
		break;
	case OUT_JSON:
		rc = vuln_output_json(&vs, &arena, env->lang, now, have_changes ? &ch : NULL, stdout);
		if (rc) {
			fprintf(stderr, "mamori vuln scan: cannot write JSON: %s\n", err_str(rc));
			exit_code = rc == MAMORI_E_IO ? EXIT_IOERR : EXIT_SOFTWARE;
		}
		break;
	case OUT_SARIF:
		doc = vuln_output_sarif(&vs, &arena, env->lang);
		break;
	case OUT_CYCLONEDX:
		doc = vuln_output_cyclonedx(&vs, &arena, now);
		break;
	}
	if (fmt == OUT_SARIF || fmt == OUT_CYCLONEDX) {
		if (!doc || json_dumpf(doc, stdout, JSON_INDENT(1)) != 0) {
			fprintf(stderr, "mamori vuln scan: cannot write JSON\n");
			exit_code = EXIT_IOERR;
		}
		fputc('\n', stdout);
	}
	if (fflush(stdout) != 0 && exit_code == EXIT_OK_RUN)
		exit_code = EXIT_IOERR;
out:
	json_decref(doc);
	db_close(db);
	rootfs_close(&root);
	arena_release(&arena);
	return exit_code;
}

int
cmd_vuln(struct cmd_env *env, int argc, char **argv)
{
	if (argc < 2)
		return cmd_usage_error("vuln", "needs a subcommand: update, scan or compare");
	if (strcmp(argv[1], "update") == 0)
		return cmd_vuln_update(env, argc - 1, argv + 1);
	if (strcmp(argv[1], "scan") == 0)
		return vuln_scan(env, argc - 1, argv + 1);
	if (strcmp(argv[1], "compare") == 0)
		return vuln_compare(argc - 1, argv + 1);
	return cmd_usage_error("vuln", "unknown subcommand '%s'", argv[1]);
}
