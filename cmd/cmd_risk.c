/*
 * cmd_risk.c - mamori risk: the information asset ledger of IPA's risk
 * analysis sheet (情報資産管理台帳) and its risk values.
 *
 *   risk list [--json]
 *   risk add --name NAME [FIELDS]
 *   risk set ID [FIELDS]
 *   risk delete ID
 *   risk import                   one row per computer of the inventory
 *   risk export [-o FILE]         CSV for Excel (UTF-8 with BOM, CRLF)
 *
 * FIELDS: --category --note --users --owner --location --plan TEXT,
 * --c --i --a --threat --weakness 1-3, --personal / --no-personal,
 * --treatment reduce|transfer|avoid|accept|none. Checked by the same code
 * as the API (manager/risk_json.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "common/err.h"
#include "manager/risk_json.h"
#include "storage/db.h"
#include "storage/store_risk.h"

#define DEFAULT_TENANT 1

static void
risk_usage(FILE *out)
{
	fprintf(out,
	    "usage: mamori [--db FILE] risk list [--json]\n"
	    "       mamori [--db FILE] risk add --name NAME [FIELDS]\n"
	    "       mamori [--db FILE] risk set ID [FIELDS]\n"
	    "       mamori [--db FILE] risk delete ID\n"
	    "       mamori [--db FILE] risk import\n"
	    "       mamori [--db FILE] [--lang ja|en] risk export [-o FILE]\n"
	    "FIELDS: --category --note --users --owner --location --plan TEXT, --c --i --a --threat\n"
	    "        --weakness 1-3, --personal | --no-personal, --treatment reduce|transfer|avoid|accept|none\n");
}

/* Options to a change object; positional arguments left in argv[optind..]. */
static int
parse_fields(const char *cmd, int argc, char **argv, json_t *body)
{
	enum { O_PERSONAL = 256, O_NOPERSONAL };
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "category", required_argument, NULL, 'g' },
		{ "note", required_argument, NULL, 'N' }, { "users", required_argument, NULL, 'u' },
		{ "owner", required_argument, NULL, 'o' }, { "location", required_argument, NULL, 'l' },
		{ "plan", required_argument, NULL, 'p' }, { "treatment", required_argument, NULL, 't' },
		{ "c", required_argument, NULL, 'c' }, { "i", required_argument, NULL, 'i' },
		{ "a", required_argument, NULL, 'a' }, { "threat", required_argument, NULL, 'T' },
		{ "weakness", required_argument, NULL, 'w' },
		{ "personal", no_argument, NULL, O_PERSONAL },
		{ "no-personal", no_argument, NULL, O_NOPERSONAL },
		{ NULL, 0, NULL, 0 },
	};
	int c, idx;
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":", opts, &idx)) != -1) {
		switch (c) {
		case 'c': case 'i': case 'a': case 'T': case 'w': {
			const char *k = c == 'T' ? "threat" : c == 'w' ? "weakness" : c == 'c' ? "c" :
			    c == 'i' ? "i" : "a";
			if (strlen(optarg) != 1 || optarg[0] < '1' || optarg[0] > '3')
				return cmd_usage_error(cmd, "--%s is 1, 2 or 3", k);
			json_object_set_new(body, k, json_integer(optarg[0] - '0'));
			break;
		}
		case 't':
			json_object_set_new(body, "treatment", json_string(strcmp(optarg, "none") == 0 ? "" : optarg));
			break;
		case O_PERSONAL: json_object_set_new(body, "personal", json_true()); break;
		case O_NOPERSONAL: json_object_set_new(body, "personal", json_false()); break;
		case ':':
		case '?': return cmd_option_error(cmd, c, argc, argv, opts);
		default:
			json_object_set_new(body, opts[idx].name, json_string(optarg));
		}
	}
	return EXIT_OK_RUN;
}

static int
risk_change(struct cmd_env *env, const char *cmd, int argc, char **argv)
{
	json_t *body = json_object();
	struct db *db = NULL;
	int64_t id = 0, got = 0;
	char err[256];
	bool del = strcmp(cmd, "risk delete") == 0, add = strcmp(cmd, "risk add") == 0;
	int rc = del ? EXIT_OK_RUN : parse_fields(cmd, argc, argv, body);
	if (del)
		optind = 1;
	if (rc != EXIT_OK_RUN)
		goto out;
	if (del && argc > 1 && argv[1][0] == '-') {
		rc = cmd_arg_error(cmd, argv[1]);
		goto out;
	}
	if (add ? optind != argc : (argc - optind != 1 || cmd_parse_id(argv[optind], &id))) {
		rc = cmd_usage_error(cmd, add ? "unexpected argument" : "give one asset id");
		goto out;
	}
	if (del)
		json_object_set_new(body, "delete", json_true());
	if ((rc = cmd_open_db(env, "risk", &db)) != EXIT_OK_RUN)
		goto out;
	int r = risk_json_apply(db, DEFAULT_TENANT, id, body, (int64_t)time(NULL), &got, err,
	    sizeof(err));
	if (r == MAMORI_E_INVAL) {
		rc = cmd_usage_error(cmd, "%s", err);
	} else if (r == MAMORI_E_NOTFOUND) {
		fprintf(stderr, "mamori %s: no asset %lld\n", cmd, (long long)id);
		rc = EXIT_DATAERR;
	} else if (r != MAMORI_OK) {
		fprintf(stderr, "mamori %s: %s (%s)\n", cmd, err_str(r), db_errmsg(db));
		rc = EXIT_SOFTWARE;
	} else if (add) {
		printf("%lld\n", (long long)got);
	}
out:
	json_decref(body);
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
risk_list(struct cmd_env *env, int argc, char **argv)
{
	bool as_json = argc == 2 && strcmp(argv[1], "--json") == 0;
	if (argc > 2 || (argc == 2 && !as_json))
		return cmd_arg_error("risk list", argv[as_json ? 2 : 1]);
	struct db *db = NULL;
	json_t *v = NULL;
	int rc = cmd_open_db(env, "risk", &db);
	if (rc != EXIT_OK_RUN)
		return rc;
	int r = risk_json_list(db, DEFAULT_TENANT, &v);
	if (r != MAMORI_OK) {
		fprintf(stderr, "mamori risk list: %s (%s)\n", err_str(r), db_errmsg(db));
		db_close(db);
		return EXIT_SOFTWARE;
	}
	if (as_json) {
		json_dumpf(v, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		size_t i;
		json_t *x;
		printf("%s\n", i18n_pick(env->lang, (struct i18n_text){
		    "  ID  C I A P  imp  T W  lik  risk  asset (owner, location) - treatment",
		    "  ID  機 完 可 個 重要度 脅 脆 可能性 リスク値  情報資産（管理部署・保存先）- 対応" }));
		json_array_foreach(json_object_get(v, "assets"), i, x) {
#define I(k) (int)json_integer_value(json_object_get(x, k))
			printf("%4d  %d %d %d %c  %d    %d %d  %d    %d %-6s %s (%s, %s) - %s\n", I("id"), I("c"),
			    I("i"), I("a"), json_is_true(json_object_get(x, "personal")) ? 'Y' : '-',
			    I("importance"), I("threat"), I("weakness"), I("likelihood"), I("risk"),
			    str(x, "level"), str(x, "name"), str(x, "owner"), str(x, "location"),
			    str(json_object_get(x, "treatment_text"), env->lang == LANG_JA ? "ja" : "en"));
#undef I
		}
	}
	rc = ferror(stdout) ? EXIT_IOERR : EXIT_OK_RUN;
	json_decref(v);
	db_close(db);
	return rc;
}

static int
risk_import(struct cmd_env *env, int argc, char **argv)
{
	if (argc != 1)
		return cmd_arg_error("risk import", argv[1]);
	struct db *db = NULL;
	int added = 0, refreshed = 0;
	int rc = cmd_open_db(env, "risk", &db);
	if (rc != EXIT_OK_RUN)
		return rc;
	int r = store_risk_import_hosts(db, DEFAULT_TENANT, (int64_t)time(NULL), &added, &refreshed);
	if (r != MAMORI_OK) {
		fprintf(stderr, "mamori risk import: %s (%s)\n", err_str(r), db_errmsg(db));
		rc = EXIT_SOFTWARE;
	} else {
		if (env->lang == LANG_JA)
			fprintf(stderr, "mamori risk import: 最新のスキャンからコンピュータを %d 台追加、%d 台更新しました\n",
			    added, refreshed);
		else
			fprintf(stderr, "mamori risk import: %d computers added, %d refreshed from their latest scans\n",
			    added, refreshed);
	}
	db_close(db);
	return rc;
}

static int
risk_export(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };	/* names --x in errors */
	const char *path = NULL;
	int c;
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
		if (c == 'o')
			path = optarg;
		else if (c == ':')
			return cmd_usage_error("risk export", "-o needs a file");
		else
			return cmd_option_error("risk export", c, argc, argv, opts);
	}
	if (optind != argc)
		return cmd_usage_error("risk export", "unexpected argument '%s'", argv[optind]);
	struct db *db = NULL;
	int rc = cmd_open_db(env, "risk", &db);
	if (rc != EXIT_OK_RUN)
		return rc;
	FILE *out = path ? fopen(path, "wb") : stdout;
	if (!out) {
		fprintf(stderr, "mamori risk export: cannot write %s: %s\n", path, strerror(errno));
		db_close(db);
		return EXIT_IOERR;
	}
	int r = risk_json_csv(db, DEFAULT_TENANT, env->lang, out);
	if (path && fclose(out) != 0 && r == MAMORI_OK)
		r = MAMORI_E_IO;
	if (r != MAMORI_OK) {
		fprintf(stderr, "mamori risk export: %s\n", r == MAMORI_E_IO ? "write failed" : db_errmsg(db));
		if (path)
			remove(path);
		rc = r == MAMORI_E_IO ? EXIT_IOERR : EXIT_SOFTWARE;
	}
	db_close(db);
	return rc;
}

int
cmd_risk(struct cmd_env *env, int argc, char **argv)
{
	if (argc < 2) {
		risk_usage(stderr);
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			risk_usage(stdout);
			return EXIT_OK_RUN;
		}
	const char *sub = argv[1];
	if (strcmp(sub, "list") == 0)
		return risk_list(env, argc - 1, argv + 1);
	if (strcmp(sub, "add") == 0)
		return risk_change(env, "risk add", argc - 1, argv + 1);
	if (strcmp(sub, "set") == 0)
		return risk_change(env, "risk set", argc - 1, argv + 1);
	if (strcmp(sub, "delete") == 0)
		return risk_change(env, "risk delete", argc - 1, argv + 1);
	if (strcmp(sub, "import") == 0)
		return risk_import(env, argc - 1, argv + 1);
	if (strcmp(sub, "export") == 0)
		return risk_export(env, argc - 1, argv + 1);
	return cmd_usage_error("risk", "unknown subcommand '%s' (list, add, set, delete, import, export)", sub);
}
