/* api_report.c - GET /api/report: the tenant's monthly report (the same
 * document as `mamori report`) as an HTML or PDF download, and GET
 * /api/report/months: the months that have stored scans, for the
 * dashboard's month picker. Titles come from the stored findings, as the
 * manager has no check table.
 *
 * Reading a month's scan documents and rendering a PDF take a while (cairo,
 * pango and fontconfig start afresh for each PDF: ~0.1 s of CPU, seconds
 * under the sanitizers), so a report is made off the server's threads
 * (http_response.later) with a read handle of its own, PDFs one at a time
 * under api.pdf_lock; at most API_REPORT_JOBS are under way, more get 503
 * with Retry-After. */
#include "manager/api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "manager/report_month.h"
#include "storage/db.h"
#include "storage/store_assess.h"
#include "storage/store_auth.h"

/* Reports being made or waiting; one more is told to come back later. */
#define API_REPORT_JOBS 4
/* Reports reach back this many months before the first stored scan. */
#define REPORT_MONTHS_BEFORE 12
/* Months listed for the picker (ten years). */
#define REPORT_MONTHS_MAX 120

struct tenant_name {
	int64_t id;
	char name[128];
};

static int
find_tenant(void *ctx, int64_t id, const char *name)
{
	struct tenant_name *t = ctx;
	if (id != t->id)
		return 0;
	snprintf(t->name, sizeof(t->name), "%s", name);
	return 1;
}

/* Months as one number (year * 12 + month - 1), to compare and step. */
static int
month_index(int year, int month)
{
	return year * 12 + month - 1;
}

static void
month_text(int idx, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%04d-%02d", idx / 12, idx % 12 + 1);
}

static int
current_month(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return 0;
	return month_index(tm.tm_year + 1900, tm.tm_mon + 1);
}

/* The months with stored scans: the oldest and newest, and (when list is
 * set) each as {month, scans, hosts}. */
struct month_span {
	int first, last;	/* -1: none */
	json_t *list;
};

static int
got_month(void *ctx, const char *month, int scans, int hosts)
{
	struct month_span *m = ctx;
	int y, mo;
	if (!month || report_month_parse(month, &y, &mo) != MAMORI_OK)
		return 0;
	int idx = month_index(y, mo);
	if (m->last < 0)
		m->last = idx;
	m->first = idx;
	if (m->list && json_array_append_new(m->list, json_pack("{s:s, s:i, s:i}", "month", month,
	    "scans", scans, "hosts", hosts)) != 0)
		return MAMORI_E_NOMEM;
	return 0;
}

/* A month may be asked for from REPORT_MONTHS_BEFORE months before the first
 * stored scan (or this month, when earlier) up to this month (or the newest
 * stored scan, when a clock was behind). */
static void
month_bounds(const struct month_span *m, int64_t now, int *lo, int *hi)
{
	int cur = current_month(now);
	int first = m->first >= 0 && m->first < cur ? m->first : cur;
	*lo = first - REPORT_MONTHS_BEFORE;
	*hi = m->last > cur ? m->last : cur;
}

/* {"error", "message" in lang, "text": {en, ja}}: the dashboard shows the
 * reader's language, a script reads message. */
static void
error_text(struct http_response *r, int status, const char *code, enum lang lang, const char *en,
    const char *ja)
{
	api_reply(r, status, json_pack("{s:s, s:s, s:{s:s, s:s}}", "error", code, "message",
	    lang == LANG_JA ? ja : en, "text", "en", en, "ja", ja));
	r->status = status;
}

static bool
tenant_months(struct api *a, struct api_call *c, struct month_span *m, struct http_response *r)
{
	int rc = store_assess_scan_months(c->db, c->sess.tenant_id, REPORT_MONTHS_MAX, got_month, m);
	if (rc < 0) {
		log_error(a->log, "api: report months: %s (%s)", err_str(rc), db_errmsg(c->db));
		api_error(r, 500, "internal", "database error");
		return false;
	}
	return true;
}

void
api_report_months(struct api *a, struct api_call *c, struct http_response *r)
{
	struct month_span m = { .first = -1, .last = -1, .list = json_array() };
	char cur[16], lo_s[16], hi_s[16];
	int lo, hi;
	if (!m.list) {
		api_error(r, 500, "internal", "out of memory");
		return;
	}
	if (!tenant_months(a, c, &m, r)) {
		json_decref(m.list);
		return;
	}
	month_bounds(&m, c->now, &lo, &hi);
	month_text(current_month(c->now), cur, sizeof(cur));
	month_text(lo, lo_s, sizeof(lo_s));
	month_text(hi, hi_s, sizeof(hi_s));
	api_reply(r, 200, json_pack("{s:o, s:s, s:s, s:s}", "months", m.list, "current", cur,
	    "from", lo_s, "to", hi_s));
}

/* A report to build (and render) off the server's threads: reading a
 * month's scan documents is itself slow on a big tenant. */
struct report_job {
	struct api *a;
	struct report_month_opts o;
	char company[128];
	bool pdf;
};

static void
reply_pdf(struct report_job *j, const struct report_doc *doc, struct http_response *r)
{
	struct api *a = j->a;
	char err[1536] = "";
	char *buf = NULL;
	size_t len = 0;
	struct timespec t0, t1;

	pthread_mutex_lock(&a->pdf_lock);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = report_month_pdf_mem(doc, &buf, &len, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_mutex_unlock(&a->pdf_lock);
	long ms = (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	enum lang lang = j->o.lang;

	if (rc == MAMORI_E_UNSUPPORTED) {
		char en[768], ja[768];
		log_error(a->log, "api: report: %s", err);
		snprintf(en, sizeof(en), "PDF reports need mamori's PDF module mamori-pdf.so in %s "
		    "(meson install puts it there) with cairo, pango and a Japanese font (Debian: "
		    "apt-get install libpangocairo-1.0-0 fonts-noto-cjk). The HTML report works "
		    "without them.", report_month_pdf_module_dir());
		snprintf(ja, sizeof(ja), "PDF レポートには mamori の PDF モジュール mamori-pdf.so "
		    "（%s、meson install で入ります）と cairo・pango・日本語フォントが必要です"
		    "（Debian: apt-get install libpangocairo-1.0-0 fonts-noto-cjk）。HTML のレポートは"
		    "これらがなくても作れます。", report_month_pdf_module_dir());
		error_text(r, 503, "pdf_unavailable", lang, en, ja);
	} else if (rc != MAMORI_OK) {
		log_error(a->log, "api: report: PDF for %04d-%02d: %s", j->o.year, j->o.month, err);
		error_text(r, 500, "internal", lang, "The PDF could not be made; the manager's log "
		    "says why.", "PDF を作れませんでした。理由はマネージャーのログにあります。");
	} else {
		log_info(a->log, "api: report: PDF for %04d-%02d of tenant %lld: %zu bytes in %ld ms",
		    j->o.year, j->o.month, (long long)j->o.tenant_id, len, ms);
		http_set_body(r, 200, buf);
		r->len = len;
		r->content_type = "application/pdf";
		snprintf(r->disposition, sizeof(r->disposition),
		    "attachment; filename=\"mamori-report-%04d-%02d.pdf\"", j->o.year, j->o.month);
	}
}

static void
reply_html(struct api *a, const struct report_doc *doc, int year, int month,
    struct http_response *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = f ? report_month_html(doc, f) : MAMORI_E_NOMEM;
	if (f && fclose(f) != 0 && rc == MAMORI_OK)
		rc = MAMORI_E_NOMEM;
	if (rc != MAMORI_OK) {
		free(buf);
		log_error(a->log, "api: report: cannot write the HTML: %s", err_str(rc));
		api_error(r, 500, "internal", "cannot write the report");
		return;
	}
	http_set_body(r, 200, buf);
	r->len = len;
	r->content_type = "text/html; charset=utf-8";
	snprintf(r->disposition, sizeof(r->disposition),
	    "attachment; filename=\"mamori-report-%04d-%02d.html\"", year, month);
}

static void
report_later(void *arg, struct http_response *r)
{
	struct report_job *j = arg;
	struct api *a = j->a;
	struct report_doc doc;
	char err[256] = "";

	struct db *db = api_db_read_take(a);
	int rc = report_month_build(db, &j->o, &doc, err, sizeof(err));
	api_db_read_give(a, db);
	if (rc != MAMORI_OK) {
		log_error(a->log, "api: report: %s", err);
		api_error(r, 500, "internal", "cannot build the report");
	} else {
		if (j->pdf)
			reply_pdf(j, &doc, r);
		else
			reply_html(a, &doc, j->o.year, j->o.month, r);
		report_month_release(&doc);
	}
	free(j);
	atomic_fetch_sub(&a->report_jobs, 1);
}

/* Refuses a month far from the stored data (nothing to say, and a bound on
 * what a caller can make the server do); true when it may be reported. */
static bool
month_allowed(struct api *a, struct api_call *c, const struct report_month_opts *o,
    struct http_response *r)
{
	struct month_span m = { .first = -1, .last = -1 };
	char en[256], ja[256], lo_s[16], hi_s[16];
	int lo, hi;
	if (!tenant_months(a, c, &m, r))
		return false;
	month_bounds(&m, c->now, &lo, &hi);
	int idx = month_index(o->year, o->month);
	if (idx >= lo && idx <= hi)
		return true;
	month_text(lo, lo_s, sizeof(lo_s));
	month_text(hi, hi_s, sizeof(hi_s));
	snprintf(en, sizeof(en), "No report for %04d-%02d: reports cover %s to %s (up to %d months "
	    "before the first stored scan, up to this month).", o->year, o->month, lo_s, hi_s,
	    REPORT_MONTHS_BEFORE);
	snprintf(ja, sizeof(ja), "%04d年%02d月のレポートは作れません。対象は %s から %s まで"
	    "（最初の診断の %d か月前から今月まで）です。", o->year, o->month, lo_s, hi_s,
	    REPORT_MONTHS_BEFORE);
	error_text(r, 400, "bad_month", o->lang, en, ja);
	return false;
}

void
api_report(struct api *a, struct api_call *c, struct http_response *r)
{
	const char *month = http_query(c->req, "month");
	const char *format = http_query(c->req, "format");
	const char *lang = http_query(c->req, "lang");
	struct report_month_opts o = { .lang = LANG_JA, .generated_at = c->now,
		.tenant_id = c->sess.tenant_id };
	struct tenant_name t = { .id = c->sess.tenant_id };

	if (lang && i18n_parse_lang(lang, &o.lang) != MAMORI_OK) {
		api_error(r, 400, "bad_request", "lang is ja or en");
		return;
	}
	if (!month || report_month_parse(month, &o.year, &o.month) != MAMORI_OK) {
		error_text(r, 400, "bad_request", o.lang, "month is YYYY-MM, such as 2026-11.",
		    "month は 2026-11 のように 年-月 で指定してください。");
		return;
	}
	bool pdf = format && strcmp(format, "pdf") == 0;
	if (format && !pdf && strcmp(format, "html") != 0) {
		api_error(r, 400, "bad_request", "format is html or pdf");
		return;
	}
	if (!month_allowed(a, c, &o, r))
		return;
	/* The default tenant is the configured company; others carry their name,
	 * as in the reports `mamori up` writes. */
	int rc = store_auth_tenant_list(c->db, find_tenant, &t);
	if (rc < 0) {
		log_error(a->log, "api: report: %s (%s)", err_str(rc), db_errmsg(c->db));
		api_error(r, 500, "internal", "database error");
		return;
	}
	if (atomic_fetch_add(&a->report_jobs, 1) >= API_REPORT_JOBS) {
		atomic_fetch_sub(&a->report_jobs, 1);
		error_text(r, 503, "busy", o.lang, "Other reports are being made; try again "
		    "in a few seconds.", "ほかのレポートを作成中です。数秒後にもう一度お試しください。");
		r->retry_after = 5;
		return;
	}
	struct report_job *j = malloc(sizeof(*j));
	if (!j) {
		atomic_fetch_sub(&a->report_jobs, 1);
		api_error(r, 500, "internal", "out of memory");
		return;
	}
	*j = (struct report_job){ .a = a, .o = o, .pdf = pdf };
	snprintf(j->company, sizeof(j->company), "%s", t.id != 1 ? t.name : a->company ? a->company : "");
	j->o.company = j->company;
	r->later = report_later;
	r->later_arg = j;
}
