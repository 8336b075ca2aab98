/*
 * cmd_notify.c - mamori notify: notification channels and the dispatcher.
 *
 *   notify run [--once] [--now UNIX_SECONDS]     send what is due (every
 *                                                notify.interval_seconds, or once)
 *   notify channel add NAME --kind K --target T [options]
 *   notify channel list [--json]
 *   notify channel remove NAME
 *   notify channel test NAME                     send a test message now
 *
 * Secrets (tokens, SMTP password, HMAC key) are read from standard input
 * with --secret-stdin, never from the command line where ps shows them.
 * --now is the injectable clock of the tests (quiet hours, digests).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "common/err.h"
#include "manager/notify.h"
#include "manager/notify_channel.h"
#include "storage/db.h"
#include "storage/store_auth.h"

static void
notify_usage(FILE *out)
{
	fprintf(out, "usage: mamori [--db FILE] notify run [--once] [--now UNIX_SECONDS]\n"
	    "       mamori [--db FILE] notify channel add NAME --kind smtp|slack|teams|line|chatwork|webhook\n"
	    "              --target URL|ADDRESS|ID [--server URL] [--from ADDRESS] [--user NAME]\n"
	    "              [--secret-stdin] [--lang ja|en] [--min-severity info..critical]\n"
	    "              [--quiet HH:MM-HH:MM] [--quiet-critical] [--digest HH:MM]\n"
	    "              [--utc-offset +HH:MM] [--tenant NAME] [--now UNIX_SECONDS]\n"
	    "       mamori [--db FILE] notify channel list [--json] [--tenant NAME]\n"
	    "       mamori [--db FILE] notify channel remove|test NAME [--tenant NAME]\n");
}

static int64_t
now_ms(int64_t fixed_s)
{
	struct timespec ts;
	if (fixed_s >= 0)
		return fixed_s * 1000;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
parse_now(const char *s, int64_t *out)
{
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (!end || *end || v < 0 || v > 253402300799LL)
		return MAMORI_E_INVAL;
	*out = v;
	return MAMORI_OK;
}

void
cmd_notify_config(struct cmd_env *env, struct notify_config *cfg, char *url, size_t urlsz)
{
	const char *pub = conf_str(&env->conf, CONF_MANAGER_PUBLIC_URL);
	if (*pub)
		snprintf(url, urlsz, "%s", pub);
	else
		snprintf(url, urlsz, "https://%s", conf_str(&env->conf, CONF_MANAGER_LISTEN));
	*cfg = (struct notify_config){
		.public_url = url,
		.send = {
			.ca_file = conf_str(&env->conf, CONF_NOTIFY_CA_FILE),
			.insecure = conf_bool(&env->conf, CONF_NOTIFY_TLS_INSECURE),
			.timeout_s = (long)conf_int(&env->conf, CONF_NOTIFY_TIMEOUT_SECONDS),
		},
		.log = &env->log,
	};
}

static int
open_db(struct cmd_env *env, const char *cmd, struct db **db)
{
	char err[512];
	const char *path = env->db_path ? env->db_path : db_default_path();
	if (db_open(path, env->db_path == NULL, db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori notify %s: %s\n", cmd, err);
		return EXIT_CANTCREAT;
	}
	return EXIT_OK_RUN;
}

static int
tenant_id(struct db *db, const char *cmd, const char *name, int64_t *id)
{
	int rc = store_auth_tenant(db, name, 0, 0, id);
	if (rc == MAMORI_OK)
		return EXIT_OK_RUN;
	fprintf(stderr, "mamori notify %s: no tenant '%s'\n", cmd, name);
	return EXIT_DATAERR;
}

static int
print_stats(const struct notify_stats *st, int64_t at)
{
	printf("notify: %d messages sent (%d alerts), %d waiting (quiet hours or digest), "
	    "%d to retry, %d given up, %d skipped (resolved)\n", st->sent, st->alerts, st->held,
	    st->retry, st->gave_up, st->skipped);
	(void)at;
	return fflush(stdout) == 0 ? EXIT_OK_RUN : EXIT_IOERR;
}

static int
notify_run(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "now", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool once = false;
	int64_t fixed = -1;
	int c, rc;
	struct db *db = NULL;
	struct notify_config cfg;
	struct notify_stats st;
	char url[512];

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': once = true; break;
		case 'n':
			if (parse_now(optarg, &fixed) != MAMORI_OK)
				return cmd_usage_error("notify run", "--now takes unix seconds");
			break;
		case 'h': notify_usage(stdout); return EXIT_OK_RUN;
		case ':':
		default: return cmd_option_error("notify run", c, argc, argv, opts);
		}
	}
	if (optind != argc)
		return cmd_usage_error("notify run", "no arguments expected");
	if (fixed >= 0 && !once)
		return cmd_usage_error("notify run", "--now needs --once");
	if ((rc = open_db(env, "run", &db)) != EXIT_OK_RUN)
		return rc;
	cmd_notify_config(env, &cfg, url, sizeof(url));
	int64_t interval = conf_int(&env->conf, CONF_NOTIFY_INTERVAL_SECONDS);
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (!once)
		sigprocmask(SIG_BLOCK, &stop, NULL);
	for (;;) {
		int64_t at = now_ms(fixed);
		int r = notify_run_once(db, &cfg, at, &st);
		if (r != MAMORI_OK) {
			fprintf(stderr, "mamori notify run: %s (%s)\n", err_str(r), db_errmsg(db));
			rc = EXIT_SOFTWARE;
			break;
		}
		if ((rc = print_stats(&st, at)) != EXIT_OK_RUN || once)
			break;
		struct timespec wait = { .tv_sec = interval > 0 ? interval : 60 };
		if (sigtimedwait(&stop, NULL, &wait) > 0)
			break;
	}
	db_close(db);
	return rc;
}

/* The secret on standard input: one line, the newline dropped. */
static int
read_secret(char *out, size_t outsz)
{
	if (!fgets(out, (int)outsz, stdin))
		return MAMORI_E_IO;
	size_t n = strcspn(out, "\r\n");
	if (out[n] == '\0' && n == outsz - 1)
		return MAMORI_E_LIMIT;
	out[n] = '\0';
	return n ? MAMORI_OK : MAMORI_E_INVAL;
}

static int
channel_add(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "target", required_argument, NULL, 't' },
		{ "server", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "user", required_argument, NULL, 'u' },
		{ "secret-stdin", no_argument, NULL, 'S' },
		{ "lang", required_argument, NULL, 'l' },
		{ "min-severity", required_argument, NULL, 'm' },
		{ "quiet", required_argument, NULL, 'q' },
		{ "quiet-critical", no_argument, NULL, 'Q' },
		{ "digest", required_argument, NULL, 'd' },
		{ "utc-offset", required_argument, NULL, 'z' },
		{ "tenant", required_argument, NULL, 'T' },
		{ "now", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct { int opt; const char *key; } keys[] = {
		{ 'k', "kind" }, { 't', "target" }, { 's', "server" }, { 'f', "from" }, { 'u', "user" },
		{ 'l', "lang" }, { 'm', "min_severity" }, { 'q', "quiet" }, { 'd', "digest" },
		{ 'z', "utc_offset" },
	};
	struct store_notify_channel *ch = malloc(sizeof(*ch));
	const char *tenant = "default";
	bool secret_stdin = false;
	int64_t fixed = -1;
	char err[512];
	struct db *db = NULL;
	int c, rc = EXIT_USAGE;

	if (!ch)
		return EXIT_SOFTWARE;
	notify_channel_defaults(ch);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		const char *key = NULL;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (keys[i].opt == c)
				key = keys[i].key;
		if (key) {
			if (notify_channel_set(ch, key, optarg, err, sizeof(err)) != MAMORI_OK) {
				rc = cmd_usage_error("notify channel add", "%s", err);
				goto out;
			}
			continue;
		}
		switch (c) {
		case 'S': secret_stdin = true; break;
		case 'Q': ch->quiet_critical = true; break;
		case 'T': tenant = optarg; break;
		case 'n':
			if (parse_now(optarg, &fixed) != MAMORI_OK) {
				rc = cmd_usage_error("notify channel add", "--now takes unix seconds");
				goto out;
			}
			break;
		case 'h': notify_usage(stdout); rc = EXIT_OK_RUN; goto out;
		case ':':
		default: rc = cmd_option_error("notify channel add", c, argc, argv, opts); goto out;
		}
	}
	if (argc - optind != 1) {
		rc = cmd_usage_error("notify channel add", "give one channel name");
		goto out;
	}
	if (notify_channel_set(ch, "name", argv[optind], err, sizeof(err)) != MAMORI_OK) {
		rc = cmd_usage_error("notify channel add", "%s", err);
		goto out;
	}
	if (secret_stdin && read_secret(ch->secret, sizeof(ch->secret)) != MAMORI_OK) {
		fprintf(stderr, "mamori notify channel add: no secret on standard input (one line, at most %d bytes)\n",
		    STORE_NOTIFY_FIELD_MAX);
		rc = EXIT_DATAERR;
		goto out;
	}
	if (notify_channel_check(ch, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori notify channel add: %s\n", err);
		rc = EXIT_DATAERR;
		goto out;
	}
	if ((rc = open_db(env, "channel add", &db)) != EXIT_OK_RUN ||
	    (rc = tenant_id(db, "channel add", tenant, &ch->tenant_id)) != EXIT_OK_RUN)
		goto out;
	int r = store_notify_channel_add(db, ch, now_ms(fixed));
	if (r == MAMORI_E_INVAL) {
		fprintf(stderr, "mamori notify channel add: tenant '%s' has a channel '%s' already\n",
		    tenant, ch->name);
		rc = EXIT_DATAERR;
	} else if (r != MAMORI_OK) {
		fprintf(stderr, "mamori notify channel add: %s (%s)\n", err_str(r), db_errmsg(db));
		rc = EXIT_CANTCREAT;
	} else {
		printf("channel %lld %s (%s) added\n", (long long)ch->id, ch->name, ch->kind);
		rc = EXIT_OK_RUN;
	}
out:
	explicit_bzero(ch, sizeof(*ch));
	free(ch);
	db_close(db);
	return rc;
}

static const char *
field(json_t *v, const char *key)
{
	const char *s = json_string_value(json_object_get(v, key));
	return s && *s ? s : "-";
}

static long long
delivered(json_t *v, const char *state)
{
	return (long long)json_integer_value(json_object_get(json_object_get(v, "deliveries"), state));
}

static int
print_channels(struct db *db, int64_t tenant_id, bool json)
{
	json_t *arr = NULL, *v;
	size_t i;
	int rc = notify_channel_list_json(db, tenant_id, &arr);
	json_array_foreach(arr, i, v) {
		if (json && json_dumpf(v, stdout, JSON_COMPACT) == 0)
			putchar('\n');
		else if (!json)
			printf("%4lld  %-16s %-8s %-2s  >=%-8s quiet %-11s digest %-5s  sent %lld, pending %lld, failed %lld  %s\n",
			    (long long)json_integer_value(json_object_get(v, "id")), field(v, "name"),
			    field(v, "kind"), field(v, "lang"), field(v, "min_severity"), field(v, "quiet"),
			    field(v, "digest"), delivered(v, "sent"), delivered(v, "pending"),
			    delivered(v, "failed"), field(v, "target"));
	}
	json_decref(arr);
	if (rc == MAMORI_OK && (fflush(stdout) != 0 || ferror(stdout)))
		rc = MAMORI_E_IO;
	return rc;
}

/* list, remove and test: [--json] [--tenant NAME] [NAME] */
static int
channel_named(struct cmd_env *env, const char *sub, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "tenant", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char cmd[32], err[512], url[512];
	const char *tenant = "default";
	bool list = strcmp(sub, "list") == 0;
	bool json = false;
	struct store_notify_channel *ch = NULL;
	struct db *db = NULL;
	int64_t tid = 0;
	int c, rc;

	snprintf(cmd, sizeof(cmd), "channel %s", sub);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'T': tenant = optarg; break;
		case 'h': notify_usage(stdout); return EXIT_OK_RUN;
		case ':':
		default: return cmd_option_error("notify", c, argc, argv, opts);
		}
	}
	if (argc - optind != (list ? 0 : 1))
		return cmd_usage_error("notify", list ? "channel list takes no name" : "give one channel name");
	if ((rc = open_db(env, cmd, &db)) != EXIT_OK_RUN ||
	    (rc = tenant_id(db, cmd, tenant, &tid)) != EXIT_OK_RUN)
		goto out;
	if (list) {
		int r = print_channels(db, tid, json);
		if (r != MAMORI_OK)
			fprintf(stderr, "mamori notify channel list: %s\n", err_str(r));
		rc = r == MAMORI_OK ? EXIT_OK_RUN : r == MAMORI_E_IO ? EXIT_IOERR : EXIT_SOFTWARE;
		goto out;
	}
	if (!(ch = malloc(sizeof(*ch)))) {
		rc = EXIT_SOFTWARE;
		goto out;
	}
	int r = store_notify_channel_get(db, tid, 0, argv[optind], ch);
	if (r == MAMORI_E_NOTFOUND) {
		fprintf(stderr, "mamori notify %s: no channel '%s'\n", cmd, argv[optind]);
		rc = EXIT_DATAERR;
		goto out;
	}
	if (r == MAMORI_OK && strcmp(sub, "remove") == 0) {
		r = store_notify_channel_remove(db, tid, ch->id);
		if (r == MAMORI_OK)
			printf("channel %s removed\n", ch->name);
	} else if (r == MAMORI_OK) {
		struct notify_config cfg;
		cmd_notify_config(env, &cfg, url, sizeof(url));
		if (notify_test(&cfg, ch, now_ms(-1), err, sizeof(err)) != MAMORI_OK) {
			fprintf(stderr, "mamori notify channel test: %s %s: %s\n", ch->kind, ch->name, err);
			rc = EXIT_IOERR;
			goto out;
		}
		printf("test message sent on %s (%s)\n", ch->name, ch->kind);
	}
	if (r != MAMORI_OK)
		fprintf(stderr, "mamori notify %s: %s (%s)\n", cmd, err_str(r), db_errmsg(db));
	rc = r == MAMORI_OK ? EXIT_OK_RUN : EXIT_SOFTWARE;
out:
	if (ch)
		explicit_bzero(ch, sizeof(*ch));
	free(ch);
	db_close(db);
	return rc;
}

int
cmd_notify(struct cmd_env *env, int argc, char **argv)
{
	if (argc < 2) {
		notify_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		notify_usage(stdout);
		return EXIT_OK_RUN;
	}
	if (strcmp(argv[1], "run") == 0)
		return notify_run(env, argc - 1, argv + 1);
	if (strcmp(argv[1], "channel") != 0)
		return cmd_usage_error("notify", "unknown subcommand '%s' (run, channel)", argv[1]);
	if (argc < 3)
		return cmd_usage_error("notify", "channel add|list|remove|test");
	if (strcmp(argv[2], "add") == 0)
		return channel_add(env, argc - 2, argv + 2);
	if (strcmp(argv[2], "list") == 0 || strcmp(argv[2], "remove") == 0 ||
	    strcmp(argv[2], "test") == 0)
		return channel_named(env, argv[2], argc - 2, argv + 2);
	return cmd_usage_error("notify", "unknown channel subcommand '%s' (add, list, remove, test)",
	    argv[2]);
}
