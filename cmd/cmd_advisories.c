/*
 * cmd_advisories.c - mamori advisories: know the threats (5か条 #5).
 *
 *   advisories import FILE...        IPA / JVN feeds saved offline (RSS, Atom, MyJVN JSON)
 *   advisories list [--mine] [--limit N] [--json]
 *   advisories threats [--json]      IPA's top-10 threats of the year, explained
 *
 * Advisories that name software installed on the company's computers (the
 * latest scans) are marked. A broken feed is reported and stores nothing;
 * the other files are still imported, and the exit status is 65.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "common/err.h"
#include "manager/advisory_json.h"
#include "storage/db.h"
#include "vuln/advisory.h"

#define DEFAULT_TENANT 1

static void
advisories_usage(FILE *out)
{
	fprintf(out, "usage: mamori [--db FILE] advisories import FILE...\n"
	    "       mamori [--db FILE] advisories list [--mine] [--limit N] [--json]\n"
	    "       mamori [--lang ja|en] advisories threats [--json]\n");
}

/* The whole file, at most ADVISORY_INPUT_MAX bytes (one more tells it is too big). */
static int
slurp(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return MAMORI_E_IO;
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);
	int rc = b ? MAMORI_OK : MAMORI_E_NOMEM;
	while (rc == MAMORI_OK) {
		if (n == cap) {
			if (cap > ADVISORY_INPUT_MAX) {
				rc = MAMORI_E_LIMIT;
				break;
			}
			char *nb = realloc(b, cap * 2);
			if (!nb) {
				rc = MAMORI_E_NOMEM;
				break;
			}
			b = nb;
			cap *= 2;
		}
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				rc = MAMORI_E_IO;
			break;
		}
	}
	fclose(f);
	if (rc != MAMORI_OK) {
		free(b);
		return rc;
	}
	*buf = b;
	*len = n;
	return MAMORI_OK;
}

static int
advisories_import(struct cmd_env *env, int argc, char **argv)
{
	if (argc < 2)
		return cmd_usage_error("advisories import", "give one or more feed files");
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-')
			return cmd_arg_error("advisories import", argv[i]);
	struct db *db = NULL;
	int rc = cmd_open_db(env, "advisories import", &db);
	if (rc != EXIT_OK_RUN)
		return rc;
	for (int i = 1; i < argc; i++) {
		char *buf = NULL, err[300];
		size_t len = 0;
		struct advisory_import_result res;
		int r = slurp(argv[i], &buf, &len);
		if (r != MAMORI_OK) {
			fprintf(stderr, "mamori advisories import: %s: %s\n", argv[i],
			    r == MAMORI_E_LIMIT ? "larger than the 32 MiB a feed may have" : strerror(errno));
			rc = r == MAMORI_E_LIMIT ? EXIT_DATAERR : EXIT_NOINPUT;
			continue;
		}
		r = advisory_json_import(db, DEFAULT_TENANT, (struct span){ buf, len }, (int64_t)time(NULL),
		    &res, err, sizeof(err));
		free(buf);
		if (r == MAMORI_E_PARSE || r == MAMORI_E_LIMIT) {
			fprintf(stderr, "mamori advisories import: %s: %s; nothing was imported from it\n",
			    argv[i], err);
			rc = EXIT_DATAERR;
		} else if (r != MAMORI_OK) {
			fprintf(stderr, "mamori advisories import: %s: %s\n", argv[i], err);
			rc = EXIT_CANTCREAT;
			break;
		} else {
			fprintf(stderr, "mamori advisories import: %s (%s): %llu advisories, %llu new, "
			    "%llu updated, %llu skipped\n", argv[i], res.format,
			    (unsigned long long)res.items, (unsigned long long)res.added,
			    (unsigned long long)res.updated, (unsigned long long)res.skipped);
		}
	}
	db_close(db);
	return rc;
}

static const char *
str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int
advisories_list(struct cmd_env *env, int argc, char **argv)
{
	bool mine = false, as_json = false;
	long limit = 100;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--mine") == 0) {
			mine = true;
		} else if (strcmp(argv[i], "--json") == 0) {
			as_json = true;
		} else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
			char *end = NULL;
			limit = strtol(argv[++i], &end, 10);
			if (!end || *end || limit < 1 || limit > 2000)
				return cmd_usage_error("advisories list", "--limit is 1 to 2000");
		} else {
			return cmd_arg_error("advisories list", argv[i]);
		}
	}
	struct db *db = NULL;
	json_t *v = NULL;
	int rc = cmd_open_db(env, "advisories list", &db);
	if (rc != EXIT_OK_RUN)
		return rc;
	int r = advisory_json_list(db, DEFAULT_TENANT, mine, (int)limit, &v);
	if (r != MAMORI_OK) {
		fprintf(stderr, "mamori advisories list: %s (%s)\n", err_str(r), db_errmsg(db));
		db_close(db);
		return EXIT_SOFTWARE;
	}
	if (as_json) {
		json_dumpf(v, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		size_t i;
		json_t *a;
		printf("%s\n", i18n_pick(env->lang, (struct i18n_text){
		    "* = concerns software installed on your computers",
		    "* = 自社のコンピュータに入っているソフトウェアに関係します" }));
		json_array_foreach(json_object_get(v, "advisories"), i, a) {
			char day[16] = "";
			time_t t = (time_t)json_integer_value(json_object_get(a, "published_at"));
			struct tm tm;
			if (t > 0 && gmtime_r(&t, &tm))
				strftime(day, sizeof(day), "%Y-%m-%d", &tm);
			printf("%c %-10s %-20s %-8s %s\n", json_is_true(json_object_get(a, "concerns_us")) ? '*' : ' ',
			    day, str(a, "adv_id"), str(a, "severity"), str(a, "title"));
			if (json_is_true(json_object_get(a, "concerns_us"))) {
				char *m = json_dumps(json_object_get(a, "matched"), JSON_COMPACT);
				printf("             %s %s\n", i18n_pick(env->lang, (struct i18n_text){
				    "installed:", "該当ソフト:" }), m ? m : "");
				free(m);
			}
		}
		printf("%s\n", str(json_object_get(v, "credit"), env->lang == LANG_JA ? "ja" : "en"));
	}
	rc = ferror(stdout) ? EXIT_IOERR : EXIT_OK_RUN;
	json_decref(v);
	db_close(db);
	return rc;
}

static int
advisories_threats(struct cmd_env *env, int argc, char **argv)
{
	bool as_json = argc == 2 && strcmp(argv[1], "--json") == 0;
	if (argc > 2 || (argc == 2 && !as_json))
		return cmd_arg_error("advisories threats", argv[as_json ? 2 : 1]);
	json_t *v = advisory_json_threats();
	if (!v)
		return EXIT_SOFTWARE;
	if (as_json) {
		json_dumpf(v, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		const char *k = env->lang == LANG_JA ? "ja" : "en";
		size_t i;
		json_t *t;
		printf("%s\n\n", str(json_object_get(v, "source"), k));
		json_array_foreach(json_object_get(v, "threats"), i, t)
			printf("%2lld. %s\n    %s\n    -> %s\n", (long long)json_integer_value(json_object_get(t, "rank")),
			    str(json_object_get(t, "title"), k), str(json_object_get(t, "what"), k),
			    str(json_object_get(t, "todo"), k));
	}
	json_decref(v);
	return ferror(stdout) ? EXIT_IOERR : EXIT_OK_RUN;
}

int
cmd_advisories(struct cmd_env *env, int argc, char **argv)
{
	if (argc < 2) {
		advisories_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		advisories_usage(stdout);
		return EXIT_OK_RUN;
	}
	if (strcmp(argv[1], "import") == 0)
		return advisories_import(env, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return advisories_list(env, argc - 1, argv + 1);
	if (strcmp(argv[1], "threats") == 0)
		return advisories_threats(env, argc - 1, argv + 1);
	return cmd_usage_error("advisories", "unknown subcommand '%s' (import, list, threats)", argv[1]);
}
