/*
 * cmd.h - what the mamori command line hands to each subcommand.
 */
#ifndef MAMORI_CMD_CMD_H
#define MAMORI_CMD_CMD_H

#include <stddef.h>

#include "common/conf.h"
#include "common/i18n.h"
#include "common/log.h"

struct cmd_env {
	struct conf conf;
	struct log log;
	enum lang lang;
	const char *db_path;	/* --db, else storage.path, else the default */
};

/* One-line usage error on stderr; returns EXIT_USAGE. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int cmd_scan(struct cmd_env *env, int argc, char **argv);
int cmd_vuln(struct cmd_env *env, int argc, char **argv);
int cmd_logs(struct cmd_env *env, int argc, char **argv);
int cmd_fim(struct cmd_env *env, int argc, char **argv);
int cmd_sensor(struct cmd_env *env, int argc, char **argv);
int cmd_assess(struct cmd_env *env, int argc, char **argv);
int cmd_report(struct cmd_env *env, int argc, char **argv);
int cmd_serve(struct cmd_env *env, int argc, char **argv);
int cmd_user(struct cmd_env *env, int argc, char **argv);
int cmd_alerts(struct cmd_env *env, int argc, char **argv);
int cmd_token(struct cmd_env *env, int argc, char **argv);
int cmd_agent(struct cmd_env *env, int argc, char **argv);
int cmd_incident(struct cmd_env *env, int argc, char **argv);
int cmd_notify(struct cmd_env *env, int argc, char **argv);
/* The notifier's settings from the configuration; url holds the public URL. */
struct notify_config;
void cmd_notify_config(struct cmd_env *env, struct notify_config *cfg, char *url, size_t urlsz);
/* mamori vuln update (cmd_vuln_update.c), called by cmd_vuln. */
int cmd_vuln_update(struct cmd_env *env, int argc, char **argv);

#endif
