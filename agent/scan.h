/*
 * scan.h - one scan of a computer: inventory, the five basics checks,
 * score, storage and the difference to the previous scan.
 */
#ifndef MAMORI_AGENT_SCAN_H
#define MAMORI_AGENT_SCAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "agent/check.h"
#include "agent/inventory.h"
#include "agent/scan_ctx.h"
#include "common/i18n.h"

struct db;

struct scan_options {
	const char *root;	/* "/" unless --root */
	enum lang lang;
	time_t now;		/* 0 = time(NULL) */
	const char *db_path;	/* the run's database (vulnerability data) */
};

struct scan {
	struct arena arena;
	struct rootfs root;
	struct scan_ctx ctx;
	struct inventory inv;
	struct check_run run;
	struct check_score score;
	time_t started;
	int64_t started_ms;	/* monotonic */
	int64_t duration_ms;
	int64_t scan_id;	/* 0 when not stored */
	int64_t prev_scan_id;
	json_t *changes;	/* object, or NULL when not stored / first scan */
};

/*
 * Collects and checks. Returns MAMORI_E_NOTFOUND/E_IO when the root cannot
 * be opened (err says so); other problems are scan warnings.
 */
int scan_run(struct scan *s, const struct scan_options *opt,
    const struct conf *conf, const struct log *log, char *err, size_t errsz);
/* Stores the scan in one transaction and fills s->changes. */
int scan_store(struct scan *s, struct db *db, const struct scan_options *opt,
    char *err, size_t errsz);
void scan_release(struct scan *s);

/* The --json document (new reference). */
json_t *scan_to_json(const struct scan *s, const struct scan_options *opt);
/* The readable report for a terminal, in opt->lang. */
void scan_report_print(const struct scan *s, const struct scan_options *opt,
    FILE *out);

/* Worst severity among the findings; -1 when there are none. */
int scan_worst_severity(const struct scan *s);

#endif
