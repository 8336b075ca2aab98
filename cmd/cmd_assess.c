/* cmd_assess.c - mamori assess: the self-assessment, SECURITY ACTION
 * readiness and the basic security policy draft. */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guide/assess.h"
#include "guide/policy_draft.h"
#include "guide/security_action.h"
#include "cmd/cmd.h"
#include "common/err.h"
#include "storage/db.h"
#include "manager/assess_json.h"
#include "storage/store_assess.h"
#include "storage/store_auth.h"

static void
assess_usage(FILE *out)
{
	fprintf(out,
	    "usage: mamori assess [--db FILE] [--json] [--answer N=VALUE ...] [--interactive]\n"
	    "                     [--save] [--history] [--security-action]\n"
	    "       mamori assess --policy-draft [-o FILE] [--format md|html]\n"
	    "       mamori assess --policy-published WHERE\n"
	    "  --answer N=VALUE   answer item N (1-25): 4 done, 2 partly, 0 not done,\n"
	    "                     -1 don't know, or clear (back to the scan evidence)\n"
	    "  --interactive      ask the items one by one (needs a terminal)\n"
	    "  --save             record this assessment in the history even without new answers\n"
	    "  --history          list the recorded assessments\n"
	    "  --security-action  show only the SECURITY ACTION (★/★★) readiness\n"
	    "  --policy-draft     write a draft basic security policy (company.name,\n"
	    "                     company.representative from the configuration)\n"
	    "  --policy-published WHERE  record that the policy is published (URL or place)\n"
	    "  --tenant NAME      the assessment of that tenant (default: the default tenant)\n"
	    "  --json             print one JSON document on stdout\n");
}

struct opts {
	const char *db_path;
	bool json, interactive, history, sa_only, save, draft;
	const char *out_path, *published;
	const char *tenant;		/* --tenant NAME, NULL: the default tenant */
	int64_t tenant_id;
	enum policy_format fmt;
	bool fmt_set;
	int64_t now;
	struct store_assess_change changes[64];
	int nchanges;
};

static void
login_name(char *buf, size_t n)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];
	if (getpwuid_r(geteuid(), &pw, tmp, sizeof(tmp), &res) == 0 && res)
		snprintf(buf, n, "%s", res->pw_name);
	else
		snprintf(buf, n, "uid %u", (unsigned)geteuid());
}

static void
add_change(struct opts *o, int no, int answer, bool cleared)
{
	/* A later answer to the same item replaces an earlier one. */
	for (int i = 0; i < o->nchanges; i++) {
		if (o->changes[i].item_no == no) {
			o->changes[i].answer = answer;
			o->changes[i].cleared = cleared;
			return;
		}
	}
	if (o->nchanges < (int)(sizeof(o->changes) / sizeof(o->changes[0])))
		o->changes[o->nchanges++] = (struct store_assess_change){ no, answer, cleared };
}

/* Asks each item on the terminal; Enter keeps the current answer. */
static void
interactive(struct opts *o, struct assess *a, enum lang lang)
{
	const struct assess_item_def *defs = assess_items();
	char line[256];
	for (int i = 0; i < ASSESS_NITEMS; i++) {
		const struct assess_item *it = &a->item[i];
		fprintf(stderr, "\n%d. %s\n", defs[i].no, i18n_pick(lang, defs[i].question));
		if (it->evidence_answer != ASSESS_NONE)
			fprintf(stderr, "   %s: %s\n", i18n_pick(lang, (struct i18n_text){
			    "the scans suggest", "スキャン結果からの推定" }),
			    i18n_pick(lang, assess_answer_label(it->evidence_answer)));
		for (;;) {
			int cur = it->source == ASSESS_SRC_MANUAL ? it->answer : it->evidence_answer;
			fprintf(stderr, "   [4/2/0/-1, Enter = %s, q = %s] > ",
			    i18n_pick(lang, assess_answer_label(cur)),
			    i18n_pick(lang, (struct i18n_text){ "stop", "終了" }));
			if (!fgets(line, sizeof(line), stdin))
				return;
			if (!strchr(line, '\n')) {
				int c;
				while ((c = getchar()) != EOF && c != '\n')
					;
			}
			line[strcspn(line, "\r\n")] = '\0';
			if (line[0] == '\0')
				break;
			if (strcmp(line, "q") == 0)
				return;
			int ans;
			if (assess_parse_answer(line, &ans) == MAMORI_OK) {
				assess_set_manual(a, i + 1, ans, o->now);
				add_change(o, i + 1, ans, false);
				break;
			}
			fprintf(stderr, "   %s\n", i18n_pick(lang, (struct i18n_text){
			    "Please type 4, 2, 0 or -1.", "4、2、0、-1 のいずれかを入力してください。" }));
		}
	}
}

static int
history(struct db *db, const struct opts *o, enum lang lang)
{
	json_t *arr = NULL;
	if (assess_json_history(db, o->tenant_id, &arr) != MAMORI_OK) {
		fprintf(stderr, "mamori assess: cannot read the history: %s\n", db_errmsg(db));
		return EXIT_SOFTWARE;
	}
	if (o->json) {
		json_t *doc = json_pack("{s:o}", "history", arr);
		json_dumpf(doc, stdout, JSON_INDENT(1));
		fputc('\n', stdout);
		json_decref(doc);
		return EXIT_OK_RUN;
	}
	if (json_array_size(arr) == 0)
		printf("%s\n", i18n_pick(lang, (struct i18n_text){
		    "No assessment recorded yet: answer with mamori assess --answer N=VALUE or --interactive.",
		    "記録された自社診断はまだありません。mamori assess --answer 番号=点数 または --interactive で回答してください。" }));
	size_t i;
	json_t *r;
	json_array_foreach(arr, i, r) {
		const struct assess_band *b = assess_band_of((int)json_integer_value(json_object_get(r, "total")));
		printf("%s  %4lld / 100  %2lld/25  %s\n",
		    json_string_value(json_object_get(r, "date")),
		    (long long)json_integer_value(json_object_get(r, "total")),
		    (long long)json_integer_value(json_object_get(r, "answered")),
		    i18n_pick(lang, b->state));
	}
	json_decref(arr);
	return EXIT_OK_RUN;
}

static int
write_draft(struct cmd_env *env, struct db *db, const struct opts *o)
{
	struct policy_info info = {
		.company = conf_str(&env->conf, CONF_COMPANY_NAME),
		.representative = conf_str(&env->conf, CONF_COMPANY_REPRESENTATIVE),
		.title = conf_str(&env->conf, CONF_COMPANY_REPRESENTATIVE_TITLE),
		.date = o->now,
	};
	enum policy_format fmt = o->fmt;
	if (!o->fmt_set && o->out_path) {
		size_t n = strlen(o->out_path);
		if ((n > 5 && strcmp(o->out_path + n - 5, ".html") == 0) ||
		    (n > 4 && strcmp(o->out_path + n - 4, ".htm") == 0))
			fmt = POLICY_HTML;
	}
	FILE *out = stdout;
	if (o->out_path && !(out = fopen(o->out_path, "w"))) {
		fprintf(stderr, "mamori assess: cannot write %s: %s\n", o->out_path, strerror(errno));
		return EXIT_CANTCREAT;
	}
	int rc = policy_draft_write(out, &info, env->lang, fmt);
	if (out != stdout && fclose(out) != 0)
		rc = MAMORI_E_IO;
	if (rc) {
		fprintf(stderr, "mamori assess: cannot write the policy draft\n");
		return EXIT_IOERR;
	}
	if (store_assess_policy_drafted(db, o->tenant_id, o->now, o->out_path ? o->out_path : "") != MAMORI_OK) {
		fprintf(stderr, "mamori assess: cannot record the draft: %s\n", db_errmsg(db));
		return EXIT_CANTCREAT;
	}
	if (!*info.company || !*info.representative)
		fprintf(stderr, "%s\n", i18n_pick(env->lang, (struct i18n_text){
		    "note: company.name or company.representative is not set in the configuration; the draft has blanks to fill in.",
		    "注意: 設定の company.name または company.representative が未設定のため、下書きに空欄があります。" }));
	return EXIT_OK_RUN;
}

static int
parse_opts(struct cmd_env *env, int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "answer", required_argument, NULL, 'a' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "history", no_argument, NULL, 'H' },
		{ "security-action", no_argument, NULL, 'S' },
		{ "save", no_argument, NULL, 's' },
		{ "policy-draft", no_argument, NULL, 'P' },
		{ "policy-published", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "lang", required_argument, NULL, 'L' },
		{ "now", required_argument, NULL, 'T' },	/* tests: fixed clock */
		{ "tenant", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[256];
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:ho:", lopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db_path = optarg; break;
		case 'j': o->json = true; break;
		case 'i': o->interactive = true; break;
		case 'H': o->history = true; break;
		case 'S': o->sa_only = true; break;
		case 's': o->save = true; break;
		case 'P': o->draft = true; break;
		case 'N': o->tenant = optarg; break;
		case 'p':
			if (!*optarg)
				return cmd_usage_error("assess", "--policy-published needs where it is published");
			o->published = optarg;
			break;
		case 'o': o->out_path = optarg; break;
		case 'f':
			if (strcmp(optarg, "md") == 0 || strcmp(optarg, "markdown") == 0)
				o->fmt = POLICY_MARKDOWN;
			else if (strcmp(optarg, "html") == 0)
				o->fmt = POLICY_HTML;
			else
				return cmd_usage_error("assess", "--format takes md or html, not '%s'", optarg);
			o->fmt_set = true;
			break;
		case 'L':
			if (i18n_parse_lang(optarg, &env->lang) != MAMORI_OK)
				return cmd_usage_error("assess", "--lang takes ja or en, not '%s'", optarg);
			break;
		case 'a': {
			int no, ans;
			bool cleared;
			if (assess_parse_assignment(optarg, &no, &ans, &cleared, err, sizeof(err)))
				return cmd_usage_error("assess", "%s", err);
			add_change(o, no, ans, cleared);
			break;
		}
		case 'T': {
			char *end;
			errno = 0;
			long long t = strtoll(optarg, &end, 10);
			if (errno || *end || t <= 0)
				return cmd_usage_error("assess", "--now takes unix seconds");
			o->now = t;
			break;
		}
		case 'h':
			assess_usage(stdout);
			return -1;
		case ':':
		default:
			return cmd_option_error("assess", c, argc, argv, lopts);
		}
	}
	if (optind < argc)
		return cmd_usage_error("assess", "unexpected argument '%s'", argv[optind]);
	if (o->out_path && !o->draft)
		return cmd_usage_error("assess", "-o is for --policy-draft");
	if (o->fmt_set && !o->draft)
		return cmd_usage_error("assess", "--format is for --policy-draft");
	if (o->interactive && !isatty(STDIN_FILENO))
		return cmd_usage_error("assess", "--interactive needs a terminal; use --answer N=VALUE instead");
	return 0;
}

int
cmd_assess(struct cmd_env *env, int argc, char **argv)
{
	struct opts o;
	memset(&o, 0, sizeof(o));
	o.db_path = env->db_path;
	o.now = (int64_t)time(NULL);
	int rc = parse_opts(env, argc, argv, &o);
	if (rc)
		return rc < 0 ? EXIT_OK_RUN : rc;

	char err[512];
	struct db *db = NULL;
	const char *path = o.db_path ? o.db_path : db_default_path();
	if (db_open(path, o.db_path == NULL, &db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori assess: %s\n", err);
		return EXIT_CANTCREAT;
	}
	int exit_code = EXIT_OK_RUN;
	struct assess a;
	struct store_assess_policy pol;
	struct security_action sa;
	assess_init(&a);
	memset(&pol, 0, sizeof(pol));
	memset(&sa, 0, sizeof(sa));

	o.tenant_id = 1;
	if (o.tenant) {
		int trc = store_auth_tenant(db, o.tenant, 0, 0, &o.tenant_id);
		if (trc != MAMORI_OK) {
			fprintf(stderr, "mamori assess: %s\n", trc == MAMORI_E_NOTFOUND ?
			    "no such tenant" : db_errmsg(db));
			exit_code = trc == MAMORI_E_NOTFOUND ? EXIT_USAGE : EXIT_SOFTWARE;
			goto out;
		}
	}
	if (o.history) {
		exit_code = history(db, &o, env->lang);
		goto out;
	}
	if (o.published && store_assess_policy_published(db, o.tenant_id, o.now, o.published) != MAMORI_OK) {
		fprintf(stderr, "mamori assess: cannot record the publication: %s\n", db_errmsg(db));
		exit_code = EXIT_CANTCREAT;
		goto out;
	}
	if (o.draft) {
		exit_code = write_draft(env, db, &o);
		goto out;
	}

	int bad = 0;
	if (assess_json_load(db, o.tenant_id, env->lang, &a, &bad) != MAMORI_OK) {
		fprintf(stderr, "mamori assess: cannot read the database: %s\n", db_errmsg(db));
		exit_code = EXIT_SOFTWARE;
		goto out;
	}
	if (bad)
		fprintf(stderr, "mamori assess: %d stored scan(s) unreadable; their evidence is left out\n",
		    bad);
	assess_json_apply(&a, o.changes, o.nchanges, o.now);
	assess_finish(&a);
	if (o.interactive) {
		interactive(&o, &a, env->lang);
		assess_finish(&a);
	}

	char who[128];
	login_name(who, sizeof(who));
	json_t *doc = NULL;
	rc = assess_json_doc(db, o.tenant_id, &a, env->lang, o.now, o.nchanges || o.save, who,
	    o.changes, o.nchanges, &doc);
	if (rc != MAMORI_OK) {
		fprintf(stderr, "mamori assess: cannot %s: %s\n",
		    o.nchanges || o.save ? "save the answers" : "read the policy state", db_errmsg(db));
		exit_code = rc == MAMORI_E_DB ? EXIT_CANTCREAT : EXIT_SOFTWARE;
		goto out;
	}
	if (o.json) {
		if (json_dumpf(doc, stdout, JSON_INDENT(1)) != 0)
			exit_code = EXIT_IOERR;
		fputc('\n', stdout);
	} else {
		if (!o.sa_only) {
			assess_print(&a, env->lang, stdout);
			if (!a.nscans)
				printf("%s\n", i18n_pick(env->lang, (struct i18n_text){
				    "No stored scan yet: run 'mamori scan' so that items 1-4, 13 and others are filled in from evidence.",
				    "保存されたスキャン結果がありません。'mamori scan' を実行すると、1〜4・13 などの項目が自動で入力されます。" }));
		}
		if (store_assess_policy_get(db, o.tenant_id, &pol) != MAMORI_OK) {
			fprintf(stderr, "mamori assess: cannot read the policy state: %s\n", db_errmsg(db));
			exit_code = EXIT_SOFTWARE;
		}
		security_action_eval(&sa, &a, pol.drafted_at, pol.published_at, pol.published_where);
		security_action_print(&sa, env->lang, stdout);
	}
	json_decref(doc);
	if (fflush(stdout) != 0 && exit_code == EXIT_OK_RUN)
		exit_code = EXIT_IOERR;
out:
	security_action_release(&sa);
	store_assess_policy_release(&pol);
	assess_release(&a);
	db_close(db);
	return exit_code;
}
