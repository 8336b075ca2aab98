/*
 * report_month.h - the monthly report: the month's stored scans turned
 * into a document (score and trend with a weather-style summary, findings
 * opened and closed, the five basics per computer, self-assessment status,
 * next month's top actions, new software, administrators and ports), then
 * rendered as self-contained HTML (here) or PDF (report_pdf.c).
 *
 * Months are calendar months in UTC, like every date mamori prints.
 */
#ifndef MAMORI_MANAGER_REPORT_MONTH_H
#define MAMORI_MANAGER_REPORT_MONTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/i18n.h"

struct db;

enum rblock_kind {
	RB_TITLE,		/* text */
	RB_SUBTITLE,		/* text */
	RB_H2,			/* text */
	RB_P,			/* text */
	RB_NOTE,		/* text, emphasised (no data, warnings) */
	RB_SCORE,		/* score (0-100), weather label in text */
	RB_TREND,		/* npoints (label, value 0-100) */
	RB_TABLE,		/* ncols, cells: header row then rows */
	RB_LIST,		/* items in cells, ncols = 1 */
};

struct rpoint {
	char *label;
	int value;
};

struct rblock {
	enum rblock_kind kind;
	char *text;
	int score;
	int weather;		/* 0 sunny .. 3 stormy */
	int ncols;
	size_t ncells;
	char **cells;
	size_t npoints;
	struct rpoint *points;
};

struct report_doc {
	enum lang lang;
	char *title;		/* for <title> and PDF metadata */
	struct rblock *blocks;
	size_t nblocks;
	bool no_data;		/* no scan stored in the month */
};

struct report_month_opts {
	int year, month;	/* 1..12 */
	enum lang lang;
	const char *company;	/* "" = not set */
	int64_t generated_at;
	int64_t tenant_id;	/* 0 = the default tenant (1) */
	/* A check's title (action false) or action in lang, or NULL; NULL
	 * here or returned: the text stored with the scan's findings. */
	const char *(*check_text)(const char *id, enum lang lang, bool action);
};

/* "2026-11" -> year, month; MAMORI_E_INVAL otherwise. */
int report_month_parse(const char *s, int *year, int *month);
/* Reads the database and builds the document. err gets a message. */
int report_month_build(struct db *db, const struct report_month_opts *o,
    struct report_doc *doc, char *err, size_t errsz);
void report_month_release(struct report_doc *doc);

/* Self-contained HTML: no scripts, no external resources, all escaped. */
int report_month_html(const struct report_doc *doc, FILE *out);
/* PDF with cairo and pango: loads the module mamori-pdf.so
 * (report_pdf_load.c), which renders to a stream with
 * report_month_pdf_render_file(); path is replaced atomically. */
int report_month_pdf(const struct report_doc *doc, const char *path, char *err,
    size_t errsz);
int report_month_pdf_render_file(const struct report_doc *doc, FILE *f, char *err,
    size_t errsz);
/* The PDF in memory (*buf malloc'd, *len bytes), for the manager's
 * downloads. Both: MAMORI_E_UNSUPPORTED when the module (or this entry of
 * it) cannot be loaded, err then naming what was tried; neither is
 * thread-safe: fontconfig's caches are reset after each PDF. */
int report_month_pdf_mem(const struct report_doc *doc, char **buf, size_t *len, char *err,
    size_t errsz);
int report_month_pdf_render_mem(const struct report_doc *doc, char **buf, size_t *len,
    char *err, size_t errsz);
/* Where the module is looked for after the executable's directory. */
const char *report_month_pdf_module_dir(void);

#endif
