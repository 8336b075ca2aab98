/*
 * cmd.h - what the mamori command line hands to each subcommand.
 */
#ifndef MAMORI_CMD_CMD_H
#define MAMORI_CMD_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/conf.h"
#include "common/i18n.h"
#include "common/log.h"

struct cmd_env {
	struct conf conf;
	struct log log;
	enum lang lang;
	const char *db_path;	/* --db, else storage.path, else the default */
	const char *config_path;	/* --config, NULL when not given */
};

/* One-line usage error on stderr; returns EXIT_USAGE. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The usage error for what getopt_long() (opterr = 0) just refused: c is
 * ':' (a missing value) or anything else (an unknown option). Names the
 * option as written: "-Z" of a cluster "-Zq", "--bogus" of "--bogus=..."
 * (the value is left out: it may be a password). Returns EXIT_USAGE.
 */
struct option;
int cmd_option_error(const char *cmd, int c, int argc, char **argv, const struct option *opts);
/* The same for a word a hand-written parser did not expect: "unknown
 * option '--x'" (without =value) when it starts with '-', else "unexpected
 * argument 'word'". Returns EXIT_USAGE. */
int cmd_arg_error(const char *cmd, const char *arg);

/* Opens the --db database for a subcommand (creating the default one's
 * directory); on failure prints "mamori WHAT: reason" and returns
 * EXIT_CANTCREAT, else EXIT_OK_RUN. */
struct db;
int cmd_open_db(struct cmd_env *env, const char *what, struct db **db);
/* A positive decimal id without sign or leading zero: 0, else MAMORI_E_INVAL. */
int cmd_parse_id(const char *s, int64_t *id);

int cmd_scan(struct cmd_env *env, int argc, char **argv);
int cmd_vuln(struct cmd_env *env, int argc, char **argv);
int cmd_logs(struct cmd_env *env, int argc, char **argv);
int cmd_fim(struct cmd_env *env, int argc, char **argv);
int cmd_sensor(struct cmd_env *env, int argc, char **argv);
int cmd_assess(struct cmd_env *env, int argc, char **argv);
int cmd_report(struct cmd_env *env, int argc, char **argv);
int cmd_serve(struct cmd_env *env, int argc, char **argv);
int cmd_up(struct cmd_env *env, int argc, char **argv);

/*
 * The manager as cmd_serve and cmd_up run it (cmd_serve.c): the database,
 * the certificate, the API and the HTTPS server, started with SIGINT and
 * SIGTERM blocked in every thread so the caller waits for them.
 * cmd_serve_start returns EXIT_OK_RUN or the exit code to end with (the
 * reason is on stderr); cmd_serve_stop releases whatever was started.
 */
struct api;
struct db;
struct notify_thread;
struct notify_config;
struct http_server;
struct serve {
	struct db *db;
	struct db *idb;		/* agent intake: its own handle, synchronous=FULL */
	struct http_server *srv;
	struct notify_thread *notifier;	/* NULL when notify.interval_seconds is 0 */
	struct notify_config *notify;	/* the channels' settings, for the API's test messages */
	char notify_url[512];		/* the public URL in messages */
	struct api *api;
	bool api_ready;
	char *cert, *key;
	char url[128];		/* https://host:port/ to open */
	char setup[256];	/* on the very first start: the one-time setup link */
};
int cmd_serve_start(struct cmd_env *env, const char *listen, const char *db_path,
    const char *who, struct serve *s);
void cmd_serve_stop(struct serve *s);
int cmd_user(struct cmd_env *env, int argc, char **argv);
int cmd_alerts(struct cmd_env *env, int argc, char **argv);
int cmd_token(struct cmd_env *env, int argc, char **argv);
int cmd_agent(struct cmd_env *env, int argc, char **argv);
int cmd_incident(struct cmd_env *env, int argc, char **argv);
int cmd_notify(struct cmd_env *env, int argc, char **argv);
/* The notifier's settings from the configuration; url holds the public URL. */
struct notify_config;
void cmd_notify_config(struct cmd_env *env, struct notify_config *cfg, char *url, size_t urlsz);
int cmd_risk(struct cmd_env *env, int argc, char **argv);
int cmd_advisories(struct cmd_env *env, int argc, char **argv);
/* mamori vuln update (cmd_vuln_update.c), called by cmd_vuln. */
int cmd_vuln_update(struct cmd_env *env, int argc, char **argv);

#endif
