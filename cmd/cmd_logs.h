/*
 * cmd_logs.h - the detection pipeline of "mamori logs", shared by the
 * offline reader (cmd_logs.c) and the live inputs (cmd_logs_live.c):
 * decode, built-in detections, Sigma rules, alerts to stdout.
 */
#ifndef MAMORI_CMD_CMD_LOGS_H
#define MAMORI_CMD_CMD_LOGS_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/log_source.h"
#include "cmd/cmd.h"
#include "common/span.h"
#include "detection/decoder.h"
#include "detection/detect_builtin.h"
#include "detection/detect_country.h"
#include "detection/detect_hours.h"
#include "detection/sigma.h"
#include "detection/sigma_shipped.h"

struct db;
struct geoip;

struct cmd_logs_run {
	bool json;
	enum lang lang;
	const char *path;	/* current input, for the alerts */
	uint64_t lineno;
	uint64_t lines, decoded, undecoded, cut, alerts, sigma_alerts, write_errors;
	uint64_t sigma_covered;	/* Sigma hits dropped: a built-in caught the same attack */
	struct detect_builtin *det;
	struct detect_hours *hours;	/* admin logins outside business hours */
	struct detect_country *country;	/* logins from a new country; NULL without logs.geoip_db */
	struct geoip *geoip;
	struct sigma_ruleset *sigma;
	struct db *db;		/* live inputs (cmd_logs_use_db): countries seen, alerts */
	bool no_store;		/* alerts only to stdout, not into db */
	bool live;		/* Sigma windows are saved, not closed, at the end */
	uint64_t stored, store_errors;
	bool in_tx;		/* alerts of this batch are in an open transaction */
	uint64_t tx_stored;	/* alerts stored in it */
};

/* Built-in detections (set up from conf's logs.* settings) and the Sigma
 * rules: the built-in set (logs.sigma_shipped), logs.sigma_rules and
 * rules_dir (NULL: none); an exit code. */
int cmd_logs_setup(struct cmd_logs_run *r, const struct conf *conf, const char *rules_dir);
/* One line through the pipeline; r->path and r->lineno name it in alerts. */
void cmd_logs_line(struct cmd_logs_run *r, struct decode_ctx *dc, struct span line, bool cut);
/* Live inputs: alerts are stored in db (unless no_store), and the countries
 * each account logged in from are kept there across restarts. An exit code. */
int cmd_logs_use_db(struct cmd_logs_run *r, struct db *db, bool no_store);
/* Commits the alerts stored since the last call. */
void cmd_logs_commit(struct cmd_logs_run *r);
/* Flushes output and, offline, the correlations (a live run saved them
 * open for the next); prints the summary; returns rc or EXIT_IOERR. */
int cmd_logs_finish(struct cmd_logs_run *r, int rc);
void cmd_logs_release(struct cmd_logs_run *r);
/* mamori logs follow|listen (cmd_logs_live.c). */
int cmd_logs_live(struct cmd_env *env, int argc, char **argv);

#endif
