/*
 * mamori.c - the one executable: global options, then a subcommand from
 * the table below (the git/busybox model).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "common/err.h"
#include "storage/db.h"

#define DEFAULT_CONFIG "/etc/mamori/mamori.yaml"

struct command {
	const char *name;
	int (*run)(struct cmd_env *env, int argc, char **argv);
	struct i18n_text help;
};

static int cmd_version(struct cmd_env *env, int argc, char **argv);
static int cmd_config(struct cmd_env *env, int argc, char **argv);

static const struct command commands[] = {
	{ "scan", cmd_scan, { "inventory this computer and check the five basics",
	    "このコンピュータの資産を調べ、情報セキュリティ5か条を点検する" } },
	{ "vuln", cmd_vuln, { "known vulnerabilities of installed software (update, scan, compare)",
	    "インストール済みソフトウェアの既知の脆弱性（update, scan, compare）" } },
	{ "logs", cmd_logs, { "analyse log files for break-ins and attacks",
	    "ログを分析して不正ログインや攻撃を見つける" } },
	{ "fim", cmd_fim, { "file integrity and ransomware watch (init, check, watch)",
	    "ファイルの改ざん・ランサムウェア監視（init, check, watch）" } },
	{ "sensor", cmd_sensor, { "watch network traffic (live or from a capture file)",
	    "ネットワーク通信を監視する（ライブまたはキャプチャファイル）" } },
	{ "assess", cmd_assess, { "the 5-minute self-assessment (25 questions)",
	    "5分でできる！情報セキュリティ自社診断（25問）" } },
	{ "report", cmd_report, { "the monthly report (PDF or HTML)",
	    "月次レポート（PDF または HTML）" } },
	{ "up", cmd_up, { "everything on this box: manager, dashboard, scans and network sensor",
	    "この1台ですべて：管理サーバ、ダッシュボード、定期スキャン、ネットワーク監視" } },
	{ "serve", cmd_serve, { "the manager: HTTPS JSON API (default 127.0.0.1:8443)",
	    "管理サーバ：HTTPS の JSON API（既定 127.0.0.1:8443）" } },
	{ "user", cmd_user, { "manager accounts (add NAME --role admin|operator|viewer)",
	    "管理サーバのアカウント（add NAME --role admin|operator|viewer）" } },
	{ "alerts", cmd_alerts, { "alerts kept in the database (import, list, set)",
	    "データベースに記録したアラート（import, list, set）" } },
	{ "token", cmd_token, { "one-time enrolment tokens for agents and sensors (create, list)",
	    "エージェント・センサー登録用のワンタイムトークン（create, list）" } },
	{ "agent", cmd_agent, { "enrol with a manager and send events (--enrol URL TOKEN; list, revoke)",
	    "マネージャーに登録してイベントを送る（--enrol URL TOKEN、list、revoke）" } },
	{ "incident", cmd_incident, { "incident response: IPA's three steps, reports and deadlines",
	    "インシデント対応：IPAの3ステップ、届出先と報告期限" } },
	{ "notify", cmd_notify, { "notifications: e-mail, Slack, Teams, LINE, Chatwork, webhook (channel, run)",
	    "通知：メール、Slack、Teams、LINE、Chatwork、Webhook（channel, run）" } },
	{ "risk", cmd_risk, { "risk analysis: the information asset ledger and CSV for Excel",
	    "リスク分析：情報資産管理台帳と Excel 用 CSV" } },
	{ "advisories", cmd_advisories, { "know the threats: IPA / JVN advisories (import, list, threats)",
	    "脅威を知る：IPA・JVN の脆弱性・注意喚起情報（import, list, threats）" } },
	{ "config", cmd_config, { "print the effective configuration",
	    "現在の設定を表示する" } },
	{ "version", cmd_version, { "print the version", "バージョンを表示する" } },
};

int
cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "mamori%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'mamori --help')\n");
	return EXIT_USAGE;
}

/*
 * The option's name as written; true for a known long option. glibc
 * leaves optopt 0 for an unknown or ambiguous long option, and sets
 * it to the option's val for a long option with a missing or unexpected
 * value; argv[optind - 1] is then the long option's word. For a short
 * option optopt is its letter, and argv[optind - 1] may be an earlier word
 * (optind stays on a cluster such as "-Zq" until its last letter).
 */
static bool
option_name(int argc, char **argv, const struct option *opts, char *out, size_t outsz)
{
	const char *prev = optind >= 1 && optind - 1 < argc ? argv[optind - 1] : "";
	if (strncmp(prev, "--", 2) == 0 && prev[2]) {
		size_t n = strcspn(prev + 2, "=");
		bool is_long = optopt == 0;
		for (const struct option *o = opts; !is_long && o && o->name; o++)
			is_long = o->val == optopt && n <= strlen(o->name) &&
			    strncmp(o->name, prev + 2, n) == 0;
		if (is_long) {
			snprintf(out, outsz, "--%.*s", (int)(n < 60 ? n : 60), prev + 2);
			return optopt != 0;
		}
	}
	if (optopt > 0x20 && optopt < 0x7f)
		snprintf(out, outsz, "-%c", optopt);
	else
		snprintf(out, outsz, "%.60s", prev);
	return false;
}

int
cmd_option_error(const char *cmd, int c, int argc, char **argv, const struct option *opts)
{
	char name[64];
	bool known = option_name(argc, argv, opts, name, sizeof(name));
	if (c == ':')
		return cmd_usage_error(cmd, "%s needs a value", name);
	if (known)	/* a long option without a value given one: --once=3 */
		return cmd_usage_error(cmd, "%s takes no value", name);
	return cmd_usage_error(cmd, "unknown option '%s'", name);
}

int
cmd_arg_error(const char *cmd, const char *arg)
{
	if (arg[0] == '-' && arg[1])
		return cmd_usage_error(cmd, "unknown option '%.*s'", (int)strcspn(arg, "="), arg);
	return cmd_usage_error(cmd, "unexpected argument '%s'", arg);
}

int
cmd_open_db(struct cmd_env *env, const char *what, struct db **db)
{
	char err[512];
	const char *path = env->db_path ? env->db_path : db_default_path();
	if (db_open(path, env->db_path == NULL, db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori %s: %s\n", what, err);
		return EXIT_CANTCREAT;
	}
	return EXIT_OK_RUN;
}

int
cmd_parse_id(const char *s, int64_t *id)
{
	size_t n = strspn(s, "0123456789");
	if (n == 0 || n > 18 || s[n] != '\0' || s[0] == '0')
		return MAMORI_E_INVAL;
	*id = strtoll(s, NULL, 10);
	return MAMORI_OK;
}

static void
usage(FILE *out, enum lang lang)
{
	fprintf(out, "%s\n\n", i18n_pick(lang, (struct i18n_text){
	    "mamori - a security watch for small businesses",
	    "mamori（お守り）- 中小企業のためのセキュリティ見守り" }));
	fprintf(out, "usage: mamori [--lang ja|en] [--db FILE] [--config FILE] [--log-level LEVEL] COMMAND [ARGS]\n\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, i18n_pick(lang, commands[i].help));
	fprintf(out, "\n%s\n", i18n_pick(lang, (struct i18n_text){
	    "mamori scan --help shows the options of scan.",
	    "各コマンドのオプションは mamori scan --help のように表示できます。" }));
}

static int
cmd_version(struct cmd_env *env, int argc, char **argv)
{
	(void)env;
	if (argc > 1)
		return cmd_arg_error("version", argv[1]);
	printf("mamori %s\n", MAMORI_VERSION);
	return EXIT_OK_RUN;
}

static int
cmd_config(struct cmd_env *env, int argc, char **argv)
{
	if (argc > 1)
		return cmd_arg_error("config", argv[1]);
	conf_dump(&env->conf, stdout);
	return EXIT_OK_RUN;
}

/*
 * --parent PID (given by agent/child.c to the watchers of up and agent):
 * SIGTERM when that process dies, even by SIGKILL, so that no watcher is
 * left behind writing into a pipe nobody reads (or advancing a log
 * position whose alerts nobody sends). An exit code.
 */
static int
die_with_parent(const char *pid)
{
	char *end;
	errno = 0;
	long v = strtol(pid, &end, 10);
	if (errno || *end || v <= 1)
		return cmd_usage_error(NULL, "--parent takes a process id, not '%s'", pid);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) {
		fprintf(stderr, "mamori: --parent: %s\n", strerror(errno));
		return EXIT_SOFTWARE;
	}
	if (getppid() != (pid_t)v) {	/* it died before the line above */
		fprintf(stderr, "mamori: the parent process %ld has gone; not starting\n", v);
		return EXIT_TEMPFAIL;
	}
	return EXIT_OK_RUN;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'L' },
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "parent", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_env env;
	const char *config = NULL, *level = NULL, *lang = NULL;
	char err[512];
	int c, rc;

	memset(&env, 0, sizeof(env));
	conf_init(&env.conf);
	env.lang = i18n_lang_from_env();
	/* '+': stop at the subcommand; its options are its own. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'L': lang = optarg; break;
		case 'd': env.db_path = optarg; break;
		case 'c': config = env.config_path = optarg; break;
		case 'l': level = optarg; break;
		case 'p':
			if ((rc = die_with_parent(optarg)) != EXIT_OK_RUN) {
				conf_release(&env.conf);
				return rc;
			}
			break;
		case 'h':
			usage(stdout, env.lang);
			return EXIT_OK_RUN;
		case 'V':
			printf("mamori %s\n", MAMORI_VERSION);
			return EXIT_OK_RUN;
		case ':':
		default:
			conf_release(&env.conf);
			return cmd_option_error(NULL, c, argc, argv, opts);
		}
	}
	if (lang && i18n_parse_lang(lang, &env.lang) != MAMORI_OK)
		return cmd_usage_error(NULL, "--lang takes ja or en, not '%s'", lang);

	rc = conf_load_file(&env.conf, config ? config : DEFAULT_CONFIG, err, sizeof(err));
	if (rc && !(rc == MAMORI_E_NOTFOUND && !config)) {
		fprintf(stderr, "mamori: configuration: %s\n", err);
		conf_release(&env.conf);
		return EXIT_CONFIG;
	}
	enum log_level lv = LOG_LEVEL_WARN;
	log_parse_level(level ? level : conf_str(&env.conf, CONF_LOG_LEVEL), &lv);
	if (level && log_parse_level(level, &lv) != MAMORI_OK) {
		conf_release(&env.conf);
		return cmd_usage_error(NULL, "--log-level is one of error, warn, info, debug");
	}
	log_init(&env.log, stderr, lv);
	if (!env.db_path && *conf_str(&env.conf, CONF_STORAGE_PATH))
		env.db_path = conf_str(&env.conf, CONF_STORAGE_PATH);

	if (optind >= argc) {
		usage(stderr, env.lang);
		conf_release(&env.conf);
		return EXIT_USAGE;
	}
	const char *name = argv[optind];
	rc = -1;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name) == 0) {
			/* The subcommand parses its own options from scratch;
			 * optind = 0 makes glibc's getopt start over. */
			int first = optind;
			optind = 0;
			rc = commands[i].run(&env, argc - first, argv + first);
			break;
		}
	}
	if (rc == -1)
		rc = cmd_usage_error(NULL, "unknown command '%s'", name);
	conf_release(&env.conf);
	return rc;
}
