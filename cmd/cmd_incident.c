/*
 * cmd_incident.c - mamori incident: work through an incident the way IPA's
 * guide describes it (検知・初動対応 -> 報告・公表 -> 復旧・再発防止).
 *
 *   incident open --kind KIND (--title TEXT | --alert ID) [--discovered TIME]
 *   incident list [--all] [--json]
 *   incident show ID [--json]
 *   incident step ID [ITEM...] [--undo ITEM] [--to detect|report|recover] [CHANGES]
 *   incident close ID [--note TEXT] [--reopen]
 *   incident contacts [ROLE [--name ..] [--phone ..] [--email ..] [--note ..] | ROLE --delete]
 *
 * CHANGES: --when/--where/--who/--what/--why/--how TEXT (5W1H), --title,
 * --discovered TIME, --ppc CASES (sensitive,financial,wrongful,over1000 or
 * none) [--encrypted], --reported AUTHORITY [--at TIME], --evidence WHAT
 * [--location L] [--sha256 H], --note TEXT. The same checks as the API
 * (manager/incident_json.c): a change that is wrong changes nothing.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "common/err.h"
#include "manager/incident_json.h"
#include "storage/db.h"
#include "vuln/feed.h"

#define DEFAULT_TENANT 1

static void
incident_usage(FILE *out)
{
	fprintf(out,
	    "usage: mamori [--db FILE] incident open --kind ransomware|malware|leak|outage|defacement|other\n"
	    "                  (--title TEXT | --alert ID) [--discovered TIME]\n"
	    "       mamori [--db FILE] incident list [--all] [--json]\n"
	    "       mamori [--db FILE] incident show ID [--json]\n"
	    "       mamori [--db FILE] incident step ID [ITEM...] [--undo ITEM] [--to detect|report|recover]\n"
	    "                  [--when|--where|--who|--what|--why|--how|--title TEXT] [--discovered TIME]\n"
	    "                  [--ppc sensitive,financial,wrongful,over1000|none [--encrypted]]\n"
	    "                  [--reported ipa|police|jpcert|ppc_prelim|ppc_final|ministry|ipa_desk [--at TIME]]\n"
	    "                  [--evidence WHAT [--location WHERE] [--sha256 HEX]] [--note TEXT]\n"
	    "       mamori [--db FILE] incident close ID [--note TEXT] [--reopen]\n"
	    "       mamori [--db FILE] incident contacts [ROLE [--name ..] [--phone ..] [--email ..] [--note ..] | ROLE --delete]\n"
	    "TIME is unix seconds or 2026-04-01T10:00+09:00.\n");
}

static const char *
actor(void)
{
	const char *who = getenv("USER");
	return who && *who ? who : "cli";
}

static int
parse_time(const char *s, int64_t *out)
{
	size_t n = strspn(s, "0123456789");
	if (n > 0 && n <= 12 && s[n] == '\0') {
		*out = strtoll(s, NULL, 10);
		return *out > 0 ? MAMORI_OK : MAMORI_E_INVAL;
	}
	return feed_parse_date(span_from_cstr(s), out) == 0 && *out > 0 ? MAMORI_OK : MAMORI_E_INVAL;
}

/* Japanese time, as the law counts the days. */
static void
jst(int64_t t, char *buf, size_t sz)
{
	time_t tt = (time_t)(t + 9 * 3600);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, sz, "%Y-%m-%d %H:%M JST", &tm);
}

static const char *
pick(enum lang lang, json_t *text)
{
	const char *s = json_string_value(json_object_get(text, lang == LANG_JA ? "ja" : "en"));
	return s ? s : "";
}

static const char *
str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void
print_deadlines(enum lang lang, json_t *deadlines, const char *indent)
{
	size_t i;
	json_t *d;
	json_array_foreach(deadlines, i, d) {
		char due[40];
		int64_t left = json_integer_value(json_object_get(d, "remaining"));
		const char *status = str(d, "status");
		jst(json_integer_value(json_object_get(d, "due")), due, sizeof(due));
		printf("%s%s: %s %s", indent, pick(lang, json_object_get(d, "label")),
		    i18n_pick(lang, (struct i18n_text){ "due", "期限" }), due);
		if (strcmp(status, "done") == 0)
			printf(" - %s\n", i18n_pick(lang, (struct i18n_text){ "reported", "報告済み" }));
		else if (left < 0)
			printf(" - %s %lldd %lldh\n", i18n_pick(lang, (struct i18n_text){ "OVERDUE by", "期限切れ：超過" }),
			    (long long)(-left / 86400), (long long)(-left % 86400 / 3600));
		else
			printf(" - %s %lldd %lldh\n", i18n_pick(lang, (struct i18n_text){ "left:", "残り" }),
			    (long long)(left / 86400), (long long)(left % 86400 / 3600));
	}
}

static void
print_incident(enum lang lang, json_t *v)
{
	static const char *const need_en[] = { "must", "should", "may" };
	static const char *const need_ja[] = { "義務", "推奨", "検討" };
	char when[40];
	size_t i, j;
	json_t *x, *y;

	jst(json_integer_value(json_object_get(v, "discovered_at")), when, sizeof(when));
	printf("#%lld [%s] %s - %s\n", (long long)json_integer_value(json_object_get(v, "id")),
	    pick(lang, json_object_get(v, "kind_label")), str(v, "state"), str(v, "title"));
	printf("%s: %s   %s: %s\n", i18n_pick(lang, (struct i18n_text){ "Discovered", "発覚" }), when,
	    i18n_pick(lang, (struct i18n_text){ "Current step", "現在のステップ" }),
	    pick(lang, json_object_get(v, "step_label")));
	printf("%s: %s\n\n", i18n_pick(lang, (struct i18n_text){ "First", "まず" }),
	    pick(lang, json_object_get(v, "summary")));
	json_array_foreach(json_object_get(v, "steps"), i, x) {
		printf("%s (%lld/%lld)\n", pick(lang, json_object_get(x, "title")),
		    (long long)json_integer_value(json_object_get(x, "done")),
		    (long long)json_integer_value(json_object_get(x, "total")));
		json_array_foreach(json_object_get(x, "items"), j, y)
			printf("  [%c] %-22s %s\n", json_is_true(json_object_get(y, "done")) ? 'x' : ' ',
			    str(y, "id"), pick(lang, json_object_get(y, "text")));
	}
	printf("\n%s\n", i18n_pick(lang, (struct i18n_text){ "Where to report", "届出・相談先" }));
	json_array_foreach(json_object_get(v, "authorities"), i, x) {
		const char *need = str(x, "need");
		int k = strcmp(need, "must") == 0 ? 0 : strcmp(need, "should") == 0 ? 1 :
		    strcmp(need, "may") == 0 ? 2 : -1;
		if (k < 0)
			continue;
		printf("  [%s]%s %s - %s\n      %s\n", lang == LANG_JA ? need_ja[k] : need_en[k],
		    json_is_object(json_object_get(x, "reported")) ?
		    i18n_pick(lang, (struct i18n_text){ " (reported)", "（届出済み）" }) : "",
		    pick(lang, json_object_get(x, "name")), pick(lang, json_object_get(x, "why")),
		    pick(lang, json_object_get(x, "where")));
	}
	json_t *dl = json_object_get(v, "deadlines");
	if (json_array_size(dl)) {
		printf("\n%s\n", i18n_pick(lang, (struct i18n_text){ "Deadlines", "報告期限" }));
		print_deadlines(lang, dl, "  ");
	}
	printf("\n5W1H\n");
	static const struct { const char *k; struct i18n_text t; } w[] = {
		{ "when", { "When", "いつ" } }, { "where", { "Where", "どこで" } },
		{ "who", { "Who", "誰が" } }, { "what", { "What", "何を" } },
		{ "why", { "Why", "なぜ" } }, { "how", { "How", "どうしたか" } },
	};
	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		printf("  %s: %s\n", i18n_pick(lang, w[k].t), str(json_object_get(v, "w5h1"), w[k].k));
	json_t *ev = json_object_get(v, "evidence");
	if (json_array_size(ev)) {
		printf("\n%s\n", i18n_pick(lang, (struct i18n_text){ "Evidence", "証拠" }));
		json_array_foreach(ev, i, x)
			printf("  - %s  %s  %s\n", str(x, "what"), str(x, "location"), str(x, "sha256"));
	}
	printf("\n%s\n", i18n_pick(lang, (struct i18n_text){ "Contacts", "連絡先" }));
	if (!json_array_size(json_object_get(v, "contacts")))
		printf("  %s\n", i18n_pick(lang, (struct i18n_text){
		    "none entered yet: mamori incident contacts vendor --name ... --phone ...",
		    "未登録です：mamori incident contacts vendor --name ... --phone ... で登録します" }));
	json_array_foreach(json_object_get(v, "contacts"), i, x)
		printf("  %s: %s %s %s\n", pick(lang, json_object_get(x, "label")), str(x, "name"),
		    str(x, "phone"), str(x, "email"));
	printf("\n%s\n", i18n_pick(lang, (struct i18n_text){ "Timeline", "経過" }));
	json_array_foreach(json_object_get(v, "timeline"), i, x) {
		jst(json_integer_value(json_object_get(x, "at")), when, sizeof(when));
		printf("  %s  %-8s %s %s\n", when, str(x, "kind"), str(x, "actor"), str(x, "note"));
	}
}

static int
print_json(json_t *v)
{
	int rc = json_dumpf(v, stdout, JSON_INDENT(2)) == 0 && fputc('\n', stdout) != EOF;
	return rc && !ferror(stdout) ? EXIT_OK_RUN : EXIT_IOERR;
}

static int
incident_open(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "title", required_argument, NULL, 't' },
		{ "alert", required_argument, NULL, 'a' },
		{ "discovered", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *body = json_object();
	struct db *db = NULL;
	int64_t v, id;
	char err[256];
	int c, rc = EXIT_USAGE;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'k': json_object_set_new(body, "kind", json_string(optarg)); break;
		case 't': json_object_set_new(body, "title", json_string(optarg)); break;
		case 'a':
			if (cmd_parse_id(optarg, &v)) {
				rc = cmd_usage_error("incident open", "'%s' is not an alert id", optarg);
				goto out;
			}
			json_object_set_new(body, "alert_id", json_integer(v));
			break;
		case 'd':
			if (parse_time(optarg, &v)) {
				rc = cmd_usage_error("incident open", "--discovered takes unix seconds or an ISO 8601 time, not '%s'", optarg);
				goto out;
			}
			json_object_set_new(body, "discovered_at", json_integer(v));
			break;
		case ':':
		default: rc = cmd_option_error("incident open", c, argc, argv, opts); goto out;
		}
	}
	if (optind != argc) {
		rc = cmd_usage_error("incident open", "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if ((rc = cmd_open_db(env, "incident", &db)) != EXIT_OK_RUN)
		goto out;
	int r = incident_json_open(db, DEFAULT_TENANT, body, actor(), (int64_t)time(NULL), &id, err,
	    sizeof(err));
	if (r == MAMORI_E_INVAL) {
		rc = cmd_usage_error("incident open", "%s", err);
	} else if (r == MAMORI_E_NOTFOUND) {
		fprintf(stderr, "mamori incident open: %s\n", err);
		rc = EXIT_DATAERR;
	} else if (r != MAMORI_OK) {
		fprintf(stderr, "mamori incident open: %s (%s)\n", err_str(r), db_errmsg(db));
		rc = EXIT_SOFTWARE;
	} else {
		printf("%lld\n", (long long)id);
		fprintf(stderr, "%s\n", i18n_pick(env->lang, (struct i18n_text){
		    "Incident opened. See what to do: mamori incident show ID",
		    "インシデントを記録しました。対応手順は mamori incident show ID で確認できます。" }));
		rc = EXIT_OK_RUN;
	}
out:
	json_decref(body);
	db_close(db);
	return rc;
}

static int
incident_list(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	bool all = false, as_json = false;
	struct db *db = NULL;
	json_t *arr = NULL;
	int c, rc;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 'j': as_json = true; break;
		default: return cmd_option_error("incident list", c, argc, argv, opts);
		}
	}
	if (optind != argc)
		return cmd_usage_error("incident list", "no arguments expected");
	if ((rc = cmd_open_db(env, "incident", &db)) != EXIT_OK_RUN)
		return rc;
	int r = incident_json_list(db, DEFAULT_TENANT, !all, (int64_t)time(NULL), &arr);
	if (r != MAMORI_OK) {
		fprintf(stderr, "mamori incident list: %s (%s)\n", err_str(r), db_errmsg(db));
		db_close(db);
		return EXIT_SOFTWARE;
	}
	if (as_json) {
		rc = print_json(arr);
	} else {
		size_t i;
		json_t *v;
		json_array_foreach(arr, i, v) {
			printf("%4lld  %-7s %-8s %-16s %s\n", (long long)json_integer_value(json_object_get(v, "id")),
			    str(v, "state"), str(v, "step"), pick(env->lang, json_object_get(v, "kind_label")),
			    str(v, "title"));
			print_deadlines(env->lang, json_object_get(v, "deadlines"), "        ");
		}
		rc = ferror(stdout) ? EXIT_IOERR : EXIT_OK_RUN;
	}
	json_decref(arr);
	db_close(db);
	return rc;
}

static int
incident_show(struct cmd_env *env, int argc, char **argv)
{
	bool as_json = false;
	const char *ids = NULL;
	int64_t id;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			as_json = true;
		else if (!ids && argv[i][0] != '-')
			ids = argv[i];
		else
			return cmd_arg_error("incident show", argv[i]);
	}
	if (!ids || cmd_parse_id(ids, &id))
		return cmd_usage_error("incident show", "give an incident id");
	struct db *db = NULL;
	json_t *v = NULL;
	int rc = cmd_open_db(env, "incident", &db);
	if (rc != EXIT_OK_RUN)
		return rc;
	int r = incident_json_get(db, DEFAULT_TENANT, id, (int64_t)time(NULL), &v);
	if (r == MAMORI_E_NOTFOUND) {
		fprintf(stderr, "mamori incident show: no incident %lld\n", (long long)id);
		rc = EXIT_DATAERR;
	} else if (r != MAMORI_OK) {
		fprintf(stderr, "mamori incident show: %s (%s)\n", err_str(r), db_errmsg(db));
		rc = EXIT_SOFTWARE;
	} else if (as_json) {
		rc = print_json(v);
	} else {
		print_incident(env->lang, v);
		rc = ferror(stdout) ? EXIT_IOERR : EXIT_OK_RUN;
	}
	json_decref(v);
	db_close(db);
	return rc;
}

/* Collects the options of step/close into one change object. */
static int
parse_changes(const char *cmd, int argc, char **argv, json_t *ch, int64_t *id)
{
	enum { O_UNDO = 256, O_TO, O_DISC, O_PPC, O_ENC, O_REP, O_AT, O_EVID, O_LOC, O_SHA,
	       O_NOTE, O_REOPEN };
	static const struct option opts[] = {
		{ "when", required_argument, NULL, 'w' }, { "where", required_argument, NULL, 'W' },
		{ "who", required_argument, NULL, 'u' }, { "what", required_argument, NULL, 'x' },
		{ "why", required_argument, NULL, 'y' }, { "how", required_argument, NULL, 'h' },
		{ "title", required_argument, NULL, 't' },
		{ "undo", required_argument, NULL, O_UNDO }, { "to", required_argument, NULL, O_TO },
		{ "discovered", required_argument, NULL, O_DISC }, { "ppc", required_argument, NULL, O_PPC },
		{ "encrypted", no_argument, NULL, O_ENC }, { "reported", required_argument, NULL, O_REP },
		{ "at", required_argument, NULL, O_AT }, { "evidence", required_argument, NULL, O_EVID },
		{ "location", required_argument, NULL, O_LOC }, { "sha256", required_argument, NULL, O_SHA },
		{ "note", required_argument, NULL, O_NOTE }, { "reopen", no_argument, NULL, O_REOPEN },
		{ NULL, 0, NULL, 0 },
	};
	json_t *fields = json_object(), *checks = json_array(), *undo = json_array();
	json_t *ppc = NULL, *rep = NULL, *ev = NULL;
	bool close = strcmp(cmd, "incident close") == 0, reopen = false, enc = false;
	int c, rc = EXIT_USAGE;
	int64_t v;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		const char *fname = NULL;
		switch (c) {
		case 'w': fname = "when"; break;
		case 'W': fname = "where"; break;
		case 'u': fname = "who"; break;
		case 'x': fname = "what"; break;
		case 'y': fname = "why"; break;
		case 'h': fname = "how"; break;
		case 't': fname = "title"; break;
		case O_UNDO: json_array_append_new(undo, json_string(optarg)); break;
		case O_TO: json_object_set_new(ch, "step", json_string(optarg)); break;
		case O_DISC:
		case O_AT:
			if (parse_time(optarg, &v)) {
				rc = cmd_usage_error(cmd, "%s takes unix seconds or an ISO 8601 time", argv[optind - 1]);
				goto out;
			}
			if (c == O_DISC)
				json_object_set_new(ch, "discovered_at", json_integer(v));
			else
				json_object_set_new(rep ? rep : (rep = json_object()), "at", json_integer(v));
			break;
		case O_PPC: {
			ppc = ppc ? ppc : json_array();
			char buf[128];
			snprintf(buf, sizeof(buf), "%s", optarg);
			for (char *p = buf, *e; p && *p && strcmp(p, "none"); p = e) {
				e = strchr(p, ',');
				if (e)
					*e++ = '\0';
				json_array_append_new(ppc, json_string(p));
			}
			break;
		}
		case O_ENC: enc = true; break;
		case O_REP: json_object_set_new(rep ? rep : (rep = json_object()), "authority", json_string(optarg)); break;
		case O_EVID: json_object_set_new(ev ? ev : (ev = json_object()), "what", json_string(optarg)); break;
		case O_LOC: json_object_set_new(ev ? ev : (ev = json_object()), "location", json_string(optarg)); break;
		case O_SHA: json_object_set_new(ev ? ev : (ev = json_object()), "sha256", json_string(optarg)); break;
		case O_NOTE: json_object_set_new(ch, "note", json_string(optarg)); break;
		case O_REOPEN: reopen = true; break;
		case ':':
		default: rc = cmd_option_error(cmd, c, argc, argv, opts); goto out;
		}
		if (fname)
			json_object_set_new(fields, fname, json_string(optarg));
	}
	if (optind >= argc || cmd_parse_id(argv[optind], id)) {
		rc = cmd_usage_error(cmd, "give an incident id");
		goto out;
	}
	for (int i = optind + 1; i < argc; i++) {
		if (close) {
			rc = cmd_arg_error(cmd, argv[i]);
			goto out;
		}
		json_array_append_new(checks, json_string(argv[i]));
	}
	if (json_object_size(fields))
		json_object_set(ch, "fields", fields);
	if (json_array_size(checks))
		json_object_set(ch, "check", checks);
	if (json_array_size(undo))
		json_object_set(ch, "uncheck", undo);
	if (ppc || enc)
		json_object_set_new(ch, "ppc", json_pack("{s:O*, s:b}", "cases", ppc, "encrypted", enc));
	if (rep)
		json_object_set(ch, "reported", rep);
	if (ev)
		json_object_set(ch, "evidence", ev);
	if (close)
		json_object_set_new(ch, "state", json_string(reopen ? "open" : "closed"));
	rc = EXIT_OK_RUN;
out:
	json_decref(fields);
	json_decref(checks);
	json_decref(undo);
	json_decref(ppc);
	json_decref(rep);
	json_decref(ev);
	return rc;
}

static int
incident_change(struct cmd_env *env, const char *cmd, int argc, char **argv)
{
	json_t *ch = json_object();
	struct db *db = NULL;
	char err[256];
	int64_t id = 0;
	int rc = parse_changes(cmd, argc, argv, ch, &id);
	if (rc != EXIT_OK_RUN)
		goto out;
	if (json_object_size(ch) == 0) {
		rc = cmd_usage_error(cmd, "nothing to change: give checklist items or options (see --help)");
		goto out;
	}
	if ((rc = cmd_open_db(env, "incident", &db)) != EXIT_OK_RUN)
		goto out;
	int r = incident_json_apply(db, DEFAULT_TENANT, id, ch, actor(), (int64_t)time(NULL), err,
	    sizeof(err));
	if (r == MAMORI_E_INVAL) {
		rc = cmd_usage_error(cmd, "%s", err);
	} else if (r == MAMORI_E_NOTFOUND || r == MAMORI_E_LIMIT) {
		fprintf(stderr, "mamori %s: %s\n", cmd, err);
		rc = EXIT_DATAERR;
	} else if (r != MAMORI_OK) {
		fprintf(stderr, "mamori %s: %s (%s)\n", cmd, err_str(r), db_errmsg(db));
		rc = EXIT_SOFTWARE;
	}
out:
	json_decref(ch);
	db_close(db);
	return rc;
}

static int
incident_contacts(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "phone", required_argument, NULL, 'p' },
		{ "email", required_argument, NULL, 'e' }, { "note", required_argument, NULL, 'o' },
		{ "delete", no_argument, NULL, 'd' }, { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *body = json_object(), *arr = NULL;
	struct db *db = NULL;
	bool as_json = false;
	char err[256];
	int c, rc = EXIT_USAGE;
	static const char *const keys[] = { ['n'] = "name", ['p'] = "phone", ['e'] = "email", ['o'] = "note" };

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'n': case 'p': case 'e': case 'o':
			json_object_set_new(body, keys[c], json_string(optarg));
			break;
		case 'd': json_object_set_new(body, "delete", json_true()); break;
		case 'j': as_json = true; break;
		case ':':
		default: rc = cmd_option_error("incident contacts", c, argc, argv, opts); goto out;
		}
	}
	if (argc - optind > 1 || (optind == argc && json_object_size(body))) {
		rc = cmd_usage_error("incident contacts", "give one role (lead, provider, insurer, vendor, isp, other) with the fields");
		goto out;
	}
	if ((rc = cmd_open_db(env, "incident", &db)) != EXIT_OK_RUN)
		goto out;
	if (optind < argc) {
		json_object_set_new(body, "role", json_string(argv[optind]));
		int r = incident_json_contact_set(db, DEFAULT_TENANT, body, (int64_t)time(NULL), err,
		    sizeof(err));
		if (r != MAMORI_OK) {
			rc = r == MAMORI_E_INVAL ? cmd_usage_error("incident contacts", "%s", err) : EXIT_DATAERR;
			if (r != MAMORI_E_INVAL)
				fprintf(stderr, "mamori incident contacts: %s\n", r == MAMORI_E_NOTFOUND ? err :
				    err_str(r));
			goto out;
		}
	}
	if (incident_json_contacts(db, DEFAULT_TENANT, &arr) != MAMORI_OK) {
		fprintf(stderr, "mamori incident contacts: %s\n", db_errmsg(db));
		rc = EXIT_SOFTWARE;
		goto out;
	}
	if (as_json) {
		rc = print_json(arr);
		goto out;
	}
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x)
		printf("%-9s %s  %s  %s  %s\n", str(x, "role"), str(x, "name"), str(x, "phone"),
		    str(x, "email"), str(x, "note"));
	rc = ferror(stdout) ? EXIT_IOERR : EXIT_OK_RUN;
out:
	json_decref(body);
	json_decref(arr);
	db_close(db);
	return rc;
}

int
cmd_incident(struct cmd_env *env, int argc, char **argv)
{
	if (argc < 2) {
		incident_usage(stderr);
		return EXIT_USAGE;
	}
	const char *sub = argv[1];
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			incident_usage(stdout);
			return EXIT_OK_RUN;
		}
	if (strcmp(sub, "open") == 0)
		return incident_open(env, argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return incident_list(env, argc - 1, argv + 1);
	if (strcmp(sub, "show") == 0)
		return incident_show(env, argc - 1, argv + 1);
	if (strcmp(sub, "step") == 0)
		return incident_change(env, "incident step", argc - 1, argv + 1);
	if (strcmp(sub, "close") == 0)
		return incident_change(env, "incident close", argc - 1, argv + 1);
	if (strcmp(sub, "contacts") == 0)
		return incident_contacts(env, argc - 1, argv + 1);
	return cmd_usage_error("incident", "unknown subcommand '%s' (open, list, show, step, close, contacts)", sub);
}
