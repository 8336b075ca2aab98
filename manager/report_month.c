/*
 * report_month.c - the monthly report's content and its HTML rendering.
 * Content is read from stored scans only (their --json documents), so a
 * report can be made again for any month still in the database.
 */
#include "manager/report_month.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guide/assess.h"
#include "common/err.h"
#include "common/severity.h"
#include "detection/incident.h"
#include "storage/db.h"
#include "storage/store_alert.h"
#include "storage/store_asset.h"
#include "storage/store_assess.h"
#include "storage/store_incident.h"
#include "storage/store_vuln_query.h"

#define T(en, ja) { en, ja }
#define MAX_CHANGES 40		/* rows of new software etc. before "N more" */
#define TOP_ALERTS 5		/* the month's worst alerts listed */
#define TOP_INCIDENTS 10
#define TOP_CVES 5		/* opened / closed CVEs per computer */
#define MAX_VULN_HOSTS 20
#define TOP_DEVICES 10

/* ---- building blocks ---------------------------------------------------- */

struct builder {
	struct report_doc *doc;
	enum lang lang;
	bool oom;
	const struct report_month_opts *o;
	json_t *texts;		/* check id -> [title, action] from stored findings */
	int section;		/* the last numbered heading */
};

__attribute__((format(printf, 1, 0)))
static char *
vfmt(const char *f, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, f, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, f, ap);
	return s;
}

__attribute__((format(printf, 1, 2)))
static char *
fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = vfmt(f, ap);
	va_end(ap);
	return s;
}

/* A macro, not a function, so that printf formats stay literals. */
#define L(b, en, ja) ((b)->lang == LANG_JA ? (ja) : (en))
/* A section heading, numbered in the order the sections are added. */
#define H2(b, en, ja) addf((b), RB_H2, "%d. %s", ++(b)->section, L((b), (en), (ja)))

static struct rblock *
add(struct builder *b, enum rblock_kind kind, char *text)
{
	struct report_doc *d = b->doc;
	struct rblock *nb = realloc(d->blocks, (d->nblocks + 1) * sizeof(*nb));
	if (!nb) {
		b->oom = true;
		free(text);
		return NULL;
	}
	d->blocks = nb;
	struct rblock *r = &d->blocks[d->nblocks++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->text = text;
	if (!text && kind != RB_TABLE && kind != RB_LIST && kind != RB_TREND)
		b->oom = true;
	return r;
}

__attribute__((format(printf, 3, 4)))
static struct rblock *
addf(struct builder *b, enum rblock_kind kind, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = vfmt(f, ap);
	va_end(ap);
	return add(b, kind, s);
}

static void
cell(struct builder *b, struct rblock *r, const char *text)
{
	if (!r)
		return;
	char **nc = realloc(r->cells, (r->ncells + 1) * sizeof(*nc));
	char *s = strdup(text ? text : "");
	if (!nc || !s) {
		free(s);
		if (nc)
			r->cells = nc;
		b->oom = true;
		return;
	}
	r->cells = nc;
	r->cells[r->ncells++] = s;
}

static void
point(struct builder *b, struct rblock *r, const char *label, int value)
{
	struct rpoint *np = realloc(r->points, (r->npoints + 1) * sizeof(*np));
	char *s = strdup(label);
	if (!np || !s) {
		free(s);
		if (np)
			r->points = np;
		b->oom = true;
		return;
	}
	r->points = np;
	r->points[r->npoints].label = s;
	r->points[r->npoints++].value = value;
}

void
report_month_release(struct report_doc *doc)
{
	for (size_t i = 0; i < doc->nblocks; i++) {
		struct rblock *r = &doc->blocks[i];
		free(r->text);
		for (size_t k = 0; k < r->ncells; k++)
			free(r->cells[k]);
		free(r->cells);
		for (size_t k = 0; k < r->npoints; k++)
			free(r->points[k].label);
		free(r->points);
	}
	free(doc->blocks);
	free(doc->title);
	memset(doc, 0, sizeof(*doc));
}

int
report_month_parse(const char *s, int *year, int *month)
{
	char *end;
	errno = 0;
	if (strlen(s) != 7 || s[4] != '-')
		return MAMORI_E_INVAL;
	unsigned long y = strtoul(s, &end, 10);
	if (errno || end != s + 4 || y < 1970 || y > 9999)
		return MAMORI_E_INVAL;
	if (s[5] < '0' || s[5] > '9' || s[6] < '0' || s[6] > '9')
		return MAMORI_E_INVAL;
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	if (m < 1 || m > 12)
		return MAMORI_E_INVAL;
	*year = (int)y;
	*month = m;
	return MAMORI_OK;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil): no timegm, no TZ dependence. */
static int64_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* ---- reading the month -------------------------------------------------- */

struct month_ctx {
	json_t *hosts;		/* host id -> state object */
	json_t *days;		/* "MM-DD" -> [sum, count] */
	json_t *texts;		/* check id -> [title, action], newest scan's */
	int nscans;
	int bad;
};

static const char *
jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int
sev_rank(const char *s)
{
	enum severity v;
	return severity_parse(s, &v) == MAMORI_OK ? (int)v : -1;
}

/* The failing checks of one report: id -> worst severity. */
static json_t *
failing(const json_t *report)
{
	json_t *out = json_object();
	const json_t *checks = json_object_get(report, "checks");
	const json_t *findings = json_object_get(report, "findings");
	size_t i;
	const json_t *c;
	json_array_foreach(checks, i, c) {
		if (strcmp(jstr(c, "status"), "fail") == 0 && *jstr(c, "id"))
			json_object_set_new(out, jstr(c, "id"), json_string("info"));
	}
	json_array_foreach(findings, i, c) {
		const char *id = jstr(c, "id");
		const char *cur = json_string_value(json_object_get(out, id));
		if (!*id)
			continue;
		if (!cur || sev_rank(jstr(c, "severity")) > sev_rank(cur))
			json_object_set_new(out, id, json_string(jstr(c, "severity")));
	}
	return out;
}

/* The findings' own title and action (in the scan's language), so the
 * report needs no check table: the manager builds it too. */
static void
keep_texts(json_t *texts, const json_t *report)
{
	size_t i;
	const json_t *c;
	json_array_foreach(json_object_get(report, "findings"), i, c) {
		const char *id = jstr(c, "id");
		if (*id && *jstr(c, "title"))
			json_object_set_new(texts, id, json_pack("[s, s]", jstr(c, "title"),
			    jstr(c, "action")));
	}
}

static json_t *
host_state(struct month_ctx *m, const struct store_assess_scan *s)
{
	char key[32];
	snprintf(key, sizeof(key), "%lld", (long long)s->host_id);
	json_t *h = json_object_get(m->hosts, key);
	if (!h) {
		h = json_pack("{s:s, s:i, s:o, s:o, s:o, s:n, s:i, s:[], s:[], s:[]}",
		    "name", s->hostname, "base_score", -1,
		    "start", json_object(), "month", json_object(), "end", json_object(),
		    "kajo", "score", -1, "pkgs", "admins", "ports");
		if (!h || json_object_set_new(m->hosts, key, h) != 0)
			return NULL;
	}
	return h;
}

static int
read_baseline(void *vctx, const struct store_assess_scan *s)
{
	struct month_ctx *m = vctx;
	json_t *doc = json_loads(s->report_json, 0, NULL);
	json_t *h = host_state(m, s);
	if (!doc || !h) {
		m->bad++;
		json_decref(doc);
		return 0;
	}
	json_object_set_new(h, "base_score", json_integer(s->score));
	json_object_set_new(h, "start", failing(doc));
	json_decref(doc);
	return 0;
}

static void
collect_changes(json_t *h, const json_t *changes)
{
	size_t i;
	const json_t *c;
	json_array_foreach(json_object_get(changes, "packages_added"), i, c) {
		char *s = fmt("%s %s", jstr(c, "name"), jstr(c, "version"));
		if (s)
			json_array_append_new(json_object_get(h, "pkgs"), json_string(s));
		free(s);
	}
	json_array_foreach(json_object_get(changes, "admins_added"), i, c) {
		char *s = fmt("%s (%s)", jstr(c, "user"), jstr(c, "via"));
		if (s)
			json_array_append_new(json_object_get(h, "admins"), json_string(s));
		free(s);
	}
	json_array_foreach(json_object_get(changes, "listening_added"), i, c) {
		const char *p = jstr(c, "process");
		char *s = fmt("%s %s:%lld%s%s", jstr(c, "proto"), jstr(c, "address"),
		    (long long)json_integer_value(json_object_get(c, "port")),
		    *p ? " " : "", p);
		if (s)
			json_array_append_new(json_object_get(h, "ports"), json_string(s));
		free(s);
	}
}

static int
read_scan(void *vctx, const struct store_assess_scan *s)
{
	struct month_ctx *m = vctx;
	json_t *doc = json_loads(s->report_json, 0, NULL);
	json_t *h = host_state(m, s);
	if (!json_is_object(doc) || !h) {
		/* An unreadable stored report is left out and counted. */
		m->bad++;
		json_decref(doc);
		return 0;
	}
	m->nscans++;
	json_object_set_new(h, "seen", json_true());
	json_t *fails = failing(doc);
	keep_texts(m->texts, doc);
	json_object_update(json_object_get(h, "month"), fails);
	json_object_set_new(h, "end", fails);
	json_object_set_new(h, "score", json_integer(s->score));
	json_object_set(h, "kajo", json_object_get(json_object_get(doc, "score"), "kajo"));
	collect_changes(h, json_object_get(doc, "changes"));

	char day[16];
	assess_date(s->started_at, day, sizeof(day));
	json_t *d = json_object_get(m->days, day + 5);
	if (!d) {
		d = json_pack("[i, i]", 0, 0);
		json_object_set_new(m->days, day + 5, d);
	}
	if (d && s->score >= 0) {
		json_array_set_new(d, 0, json_integer(json_integer_value(json_array_get(d, 0)) + s->score));
		json_array_set_new(d, 1, json_integer(json_integer_value(json_array_get(d, 1)) + 1));
	}
	json_decref(doc);
	return 0;
}

/* The findings' stored text in the report's language (both are kept):
 * it overrides the scan document's, which is in the scan's language. */
struct text_ctx {
	json_t *texts;
	const char *lang;
};

static int
read_text(void *vctx, const char *id, const char *text_json)
{
	struct text_ctx *x = vctx;
	json_t *doc = json_loads(text_json, 0, NULL);
	const json_t *t = json_object_get(doc, x->lang);
	const char *title = json_string_value(json_object_get(t, "title"));
	if (title && *title)
		json_object_set_new(x->texts, id, json_pack("[s, s]", title, jstr(t, "action")));
	json_decref(doc);
	return 0;
}

/* ---- sections ----------------------------------------------------------- */

static const struct i18n_text weather_names[4] = {
	T("Sunny: well protected", "晴れ: 良好です"),
	T("Cloudy: some gaps to close", "くもり: いくつか対策が必要です"),
	T("Rain: important measures are missing", "雨: 重要な対策が不足しています"),
	T("Storm: act now", "嵐: すぐに対策が必要です"),
};

static int
weather_of(int score)
{
	return score >= 80 ? 0 : score >= 60 ? 1 : score >= 40 ? 2 : 3;
}

/* The caller's check table first, else the stored findings' text. */
static const char *
check_text(const struct builder *b, const char *id, bool action)
{
	const char *s = b->o->check_text ? b->o->check_text(id, b->lang, action) : NULL;
	if (!s)
		s = json_string_value(json_array_get(json_object_get(b->texts, id), action ? 1 : 0));
	return s ? s : action ? "" : id;
}

static const char *
check_title(const struct builder *b, const char *id)
{
	return check_text(b, id, false);
}

static const char *
sev_label(const struct builder *b, const char *sev)
{
	enum severity v;
	if (severity_parse(sev, &v) != MAMORI_OK)
		return sev;
	return i18n_pick(b->lang, severity_label(v));
}

static void
summary_section(struct builder *b, struct month_ctx *m, const char *month_label)
{
	int n = 0, sum = 0, nb = 0, bsum = 0;
	const char *key;
	json_t *h;
	json_object_foreach(m->hosts, key, h) {
		int sc = (int)json_integer_value(json_object_get(h, "score"));
		int bs = (int)json_integer_value(json_object_get(h, "base_score"));
		if (!json_is_true(json_object_get(h, "seen")))
			continue;	/* only a baseline, no scan this month */
		if (sc >= 0) {
			n++;
			sum += sc;
		}
		if (bs >= 0) {
			nb++;
			bsum += bs;
		}
	}
	int score = n ? (sum + n / 2) / n : 0;
	H2(b, "Summary", "今月のまとめ");
	struct rblock *r = add(b, RB_SCORE, strdup(i18n_pick(b->lang, weather_names[weather_of(score)])));
	if (r) {
		r->score = score;
		r->weather = weather_of(score);
	}
	if (nb) {
		int base = (bsum + nb / 2) / nb;
		addf(b, RB_P, L(b, "%s: %d computer(s), %d scan(s). Score at the end of the previous month %d, now %d (%+d).",
		    "%s: 対象コンピューター %d 台、スキャン %d 回。先月末のスコア %d 点 → 今月末 %d 点（%+d 点）。"),
		    month_label, n, m->nscans, base, score, score - base);
	} else {
		addf(b, RB_P, L(b, "%s: %d computer(s), %d scan(s). Score at the end of the month: %d (no earlier scan to compare with).",
		    "%s: 対象コンピューター %d 台、スキャン %d 回。今月末のスコアは %d 点です（比較できる前月のスキャンはありません）。"),
		    month_label, n, m->nscans, score);
	}
	struct rblock *t = add(b, RB_TREND, NULL);
	const char *day;
	json_t *d;
	json_object_foreach(m->days, day, d) {
		json_int_t cnt = json_integer_value(json_array_get(d, 1));
		if (t && cnt > 0)
			point(b, t, day, (int)((json_integer_value(json_array_get(d, 0)) + cnt / 2) / cnt));
	}
	if (m->bad)
		addf(b, RB_NOTE, L(b, "%d stored scan(s) could not be read and are left out.",
		    "読み取れない保存済みスキャンが %d 件あり、集計から除いています。"), m->bad);
}

static void
finding_rows(struct builder *b, struct rblock *t, const char *host, const char *state,
    json_t *set)
{
	const char *id;
	json_t *sev;
	json_object_foreach(set, id, sev) {
		cell(b, t, state);
		cell(b, t, host);
		cell(b, t, check_title(b, id));
		cell(b, t, sev_label(b, json_string_value(sev)));
	}
}

static void
findings_section(struct builder *b, struct month_ctx *m, json_t *open_all)
{
	int nopen = 0, nclosed = 0, nstill = 0;
	H2(b, "Problems found and fixed", "検出した問題と対応状況");
	struct rblock *t = add(b, RB_TABLE, NULL);
	if (t) {
		t->ncols = 4;
		cell(b, t, L(b, "Status", "状態"));
		cell(b, t, L(b, "Computer", "コンピューター"));
		cell(b, t, L(b, "Problem", "問題"));
		cell(b, t, L(b, "Severity", "重要度"));
	}
	const char *key;
	json_t *h;
	json_object_foreach(m->hosts, key, h) {
		const char *name = jstr(h, "name");
		json_t *start = json_object_get(h, "start");
		json_t *month = json_object_get(h, "month");
		json_t *end = json_object_get(h, "end");
		if (!json_is_true(json_object_get(h, "seen")))
			continue;	/* only a baseline, no scan this month */
		json_t *opened = json_object(), *closed = json_object(), *still = json_object();
		const char *id;
		json_t *sev;
		json_object_foreach(month, id, sev) {
			bool at_end = json_object_get(end, id) != NULL;
			bool at_start = json_object_get(start, id) != NULL;
			if (!at_start)
				json_object_set(opened, id, at_end ? json_object_get(end, id) : sev);
			if (!at_end)
				json_object_set(closed, id, sev);
		}
		json_object_foreach(start, id, sev)
			if (!json_object_get(end, id) && !json_object_get(closed, id))
				json_object_set(closed, id, sev);
		json_object_foreach(end, id, sev) {
			if (json_object_get(start, id))
				json_object_set(still, id, sev);
			char *k = fmt("%s\t%s", id, name);
			if (k)
				json_object_set(open_all, k, sev);
			free(k);
		}
		nopen += (int)json_object_size(opened);
		nclosed += (int)json_object_size(closed);
		nstill += (int)json_object_size(still);
		finding_rows(b, t, name, L(b, "new", "新規"), opened);
		finding_rows(b, t, name, L(b, "fixed", "解決"), closed);
		finding_rows(b, t, name, L(b, "still open", "継続"), still);
		json_decref(opened);
		json_decref(closed);
		json_decref(still);
	}
	addf(b, RB_P, L(b, "New problems: %d. Fixed: %d. Still open from before: %d.",
	    "新たに見つかった問題 %d 件、解決した問題 %d 件、前月から続いている問題 %d 件です。"),
	    nopen, nclosed, nstill);
}

static void
basics_section(struct builder *b, struct month_ctx *m)
{
	H2(b, "The five basics (score per computer, 0-100)",
	    "情報セキュリティ5か条（コンピューターごとの点数、0〜100）");
	struct rblock *t = add(b, RB_TABLE, NULL);
	if (!t)
		return;
	t->ncols = 7;
	cell(b, t, L(b, "Computer", "コンピューター"));
	cell(b, t, L(b, "Overall", "総合"));
	cell(b, t, L(b, "1 Updates", "1 更新"));
	cell(b, t, L(b, "2 Anti-malware", "2 ウイルス対策"));
	cell(b, t, L(b, "3 Passwords", "3 パスワード"));
	cell(b, t, L(b, "4 Sharing", "4 共有設定"));
	cell(b, t, L(b, "5 Threats", "5 脅威を知る"));
	const char *key;
	json_t *h;
	json_object_foreach(m->hosts, key, h) {
		const json_t *kajo = json_object_get(h, "kajo");
		if (!json_is_true(json_object_get(h, "seen")))
			continue;
		char buf[16];
		cell(b, t, jstr(h, "name"));
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(json_object_get(h, "score")));
		cell(b, t, buf);
		for (int k = 1; k <= 4; k++) {
			char kk[2] = { (char)('0' + k), 0 };
			const json_t *v = json_object_get(kajo, kk);
			if (json_is_integer(v))
				snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
			else
				snprintf(buf, sizeof(buf), "-");
			cell(b, t, buf);
		}
		cell(b, t, L(b, "owner", "自己評価"));
	}
}

struct assess_ctx {
	bool found;
	int64_t at;
	int total, answered;
	char band[32];
};

static int
got_assessment(void *vctx, const struct store_assess_snapshot *s)
{
	struct assess_ctx *a = vctx;
	a->found = true;
	a->at = s->created_at;
	a->total = s->total;
	a->answered = s->answered;
	snprintf(a->band, sizeof(a->band), "%s", s->band);
	return 0;
}

static bool
assessment_section(struct builder *b, struct db *db, int64_t tenant_id, int64_t to)
{
	struct assess_ctx a = { 0 };
	char date[16];
	H2(b, "Self-assessment (5-minute check)", "情報セキュリティ自社診断");
	int rc = store_assess_before(db, tenant_id, to, got_assessment, &a);
	if (rc != MAMORI_OK && rc != MAMORI_E_NOTFOUND)
		b->oom = true;
	if (!a.found) {
		addf(b, RB_P, "%s", L(b, "Not done yet. Answer the 25 items with 'mamori assess --interactive'; items 1-4 are filled in from the scans.",
		    "まだ実施していません。'mamori assess --interactive' で 25 項目に回答してください（1〜4 などはスキャン結果から自動で入力されます）。"));
		return false;
	}
	const struct assess_band *band = assess_band_of(a.total);
	assess_date(a.at, date, sizeof(date));
	addf(b, RB_P, L(b, "Last answered on %s: %d / 100 points, %d of 25 items answered. %s %s",
	    "最新の回答（%s）: %d / 100 点、25 項目中 %d 項目に回答済み。%s %s"),
	    date, a.total, a.answered, i18n_pick(b->lang, band->state), i18n_pick(b->lang, band->next));
	return a.answered == ASSESS_NITEMS;
}

static int
cmp_open(const void *x, const void *y)
{
	const json_t *a = *(json_t *const *)x, *c = *(json_t *const *)y;
	int ra = (int)json_integer_value(json_array_get(a, 1));
	int rc = (int)json_integer_value(json_array_get(c, 1));
	if (ra != rc)
		return rc - ra;
	return strcmp(json_string_value(json_array_get(a, 0)), json_string_value(json_array_get(c, 0)));
}

static void
actions_section(struct builder *b, json_t *open_all, bool assessed)
{
	H2(b, "Top actions for next month", "来月の優先対応（上位 3 件）");
	/* One row per check (the worst severity over its computers). */
	json_t *by_check = json_object();
	const char *key;
	json_t *sev;
	json_object_foreach(open_all, key, sev) {
		char id[128];
		snprintf(id, sizeof(id), "%.*s", (int)strcspn(key, "\t"), key);
		int r = sev_rank(json_string_value(sev));
		json_t *cur = json_object_get(by_check, id);
		if (!cur || r > json_integer_value(json_array_get(cur, 1)))
			json_object_set_new(by_check, id, json_pack("[s, i]", id, r));
	}
	size_t n = json_object_size(by_check), i = 0;
	json_t **rows = n ? calloc(n, sizeof(*rows)) : NULL;
	json_t *v;
	json_object_foreach(by_check, key, v)
		if (rows)
			rows[i++] = v;
	if (rows)
		qsort(rows, n, sizeof(*rows), cmp_open);
	struct rblock *l = add(b, RB_LIST, NULL);
	if (l)
		l->ncols = 1;
	int shown = 0;
	for (i = 0; rows && i < n && shown < 3; i++, shown++) {
		const char *id = json_string_value(json_array_get(rows[i], 0));
		char *s = fmt("%s: %s", check_title(b, id), check_text(b, id, true));
		cell(b, l, s);
		free(s);
	}
	if (shown < 3 && !assessed) {
		cell(b, l, L(b, "Complete the self-assessment: mamori assess --interactive.",
		    "自社診断を完了してください: mamori assess --interactive"));
		shown++;
	}
	if (shown == 0)
		cell(b, l, L(b, "No open problem: keep scanning regularly and keep the assessment current.",
		    "未解決の問題はありません。定期的なスキャンと自社診断の見直しを続けましょう。"));
	free(rows);
	json_decref(by_check);
}

static void
change_rows(struct builder *b, struct rblock *t, const char *what, const char *host,
    const json_t *arr, int *rows)
{
	size_t i;
	const json_t *v;
	json_array_foreach(arr, i, v) {
		if (*rows == MAX_CHANGES) {
			(*rows)++;
			return;
		}
		if (*rows > MAX_CHANGES)
			return;
		cell(b, t, what);
		cell(b, t, host);
		cell(b, t, json_string_value(v));
		(*rows)++;
	}
}

static void
changes_section(struct builder *b, struct month_ctx *m)
{
	H2(b, "Changes: new software, administrators and open ports",
	    "変化: 新しいソフトウェア・管理者・待ち受けポート");
	struct rblock *t = add(b, RB_TABLE, NULL);
	if (!t)
		return;
	t->ncols = 3;
	cell(b, t, L(b, "Kind", "種類"));
	cell(b, t, L(b, "Computer", "コンピューター"));
	cell(b, t, L(b, "Details", "内容"));
	int rows = 0;
	size_t total = 0;
	const char *key;
	json_t *h;
	json_object_foreach(m->hosts, key, h) {
		const char *name = jstr(h, "name");
		change_rows(b, t, L(b, "new administrator", "新しい管理者"), name, json_object_get(h, "admins"), &rows);
		change_rows(b, t, L(b, "new open port", "新しい待ち受けポート"), name, json_object_get(h, "ports"), &rows);
		change_rows(b, t, L(b, "new software", "新しいソフトウェア"), name, json_object_get(h, "pkgs"), &rows);
		total += json_array_size(json_object_get(h, "admins")) +
		    json_array_size(json_object_get(h, "ports")) + json_array_size(json_object_get(h, "pkgs"));
	}
	if (total == 0)
		addf(b, RB_P, "%s", L(b, "No new software, administrator or open port this month.",
		    "今月は新しいソフトウェア・管理者・待ち受けポートはありませんでした。"));
	else if (total > MAX_CHANGES)
		addf(b, RB_P, L(b, "%zu changes in all; the first %d are listed (mamori scan shows each scan's changes).",
		    "変化は全部で %zu 件あり、最初の %d 件を載せています（各スキャンの変化は mamori scan で確認できます）。"),
		    total, MAX_CHANGES);
}

/* ---- what was detected and done, vulnerabilities, new devices ---------- */

static const char *
level_label(const struct builder *b, int sev)
{
	return i18n_pick(b->lang, severity_label((enum severity)(sev < 0 ? 0 : sev > 4 ? 4 : sev)));
}

static const char *
state_label(const struct builder *b, const char *state)
{
	if (strcmp(state, "resolved") == 0)
		return L(b, "resolved", "対応済み");
	if (strcmp(state, "acknowledged") == 0)
		return L(b, "being handled", "対応中");
	return L(b, "not handled yet", "未対応");
}

/* A table with its header row, in the report's language. */
static struct rblock *
table(struct builder *b, int ncols, const struct i18n_text *heads)
{
	struct rblock *t = add(b, RB_TABLE, NULL);
	if (!t)
		return NULL;
	t->ncols = ncols;
	for (int c = 0; c < ncols; c++)
		cell(b, t, i18n_pick(b->lang, heads[c]));
	return t;
}

struct alerts_ctx {
	struct builder *b;
	struct rblock *t;
};

static int
alert_row(void *vctx, const struct store_alert_row *r)
{
	struct alerts_ctx *a = vctx;
	struct builder *b = a->b;
	char day[16];
	/* The engine's own ja/en text, kept in the stored alert. */
	json_t *body = json_loads(r->body, 0, NULL);
	const json_t *t = json_object_get(json_object_get(body, "mamori.text"),
	    b->lang == LANG_JA ? "ja" : "en");
	const char *what = json_string_value(json_object_get(t, "what"));
	if (!what || !*what)
		what = *r->message ? r->message : r->rule_id;
	assess_date(r->first_ts / 1000, day, sizeof(day));
	cell(b, a->t, level_label(b, r->severity));
	cell(b, a->t, what);
	cell(b, a->t, *r->host_name ? r->host_name : "-");
	cell(b, a->t, day);
	cell(b, a->t, state_label(b, r->state));
	json_decref(body);
	return 0;
}

static int
incident_row(void *vctx, const struct store_incident_row *r)
{
	struct alerts_ctx *a = vctx;
	struct builder *b = a->b;
	char opened[16], closed[16] = "-";
	a->t->score++;		/* incidents seen, past the rows shown */
	if (a->t->score > TOP_INCIDENTS)
		return 0;
	assess_date(r->opened_at, opened, sizeof(opened));
	if (r->closed_at > 0)
		assess_date(r->closed_at, closed, sizeof(closed));
	enum incident_kind k;
	cell(b, a->t, r->title);
	cell(b, a->t, incident_kind_parse(r->kind, &k) == MAMORI_OK ?
	    i18n_pick(b->lang, incident_kind_def(k)->name) : r->kind);
	cell(b, a->t, opened);
	cell(b, a->t, closed);
	cell(b, a->t, strcmp(r->state, "closed") == 0 ? L(b, "closed", "終了") :
	    L(b, "open: being handled", "対応中"));
	return 0;
}

static void
detected_section(struct builder *b, struct db *db, int64_t tenant, int64_t from, int64_t to)
{
	struct store_alert_month_counts c;
	H2(b, "What was detected and what was done", "検知したこと・対応したこと");
	static const struct i18n_text heads[] = { T("Severity", "重要度"),
		T("What happened", "内容"), T("Computer", "コンピューター"),
		T("First seen", "最初の検知"), T("Status", "対応状況") };
	struct rblock *t = table(b, 5, heads);
	if (!t)
		return;
	struct alerts_ctx a = { b, t };
	if (store_alert_month(db, tenant, from * 1000, to * 1000, &c, TOP_ALERTS, alert_row, &a)) {
		b->oom = true;
		return;
	}
	if (c.total == 0) {
		addf(b, RB_P, "%s", L(b, "There were no alerts this month.", "今月は警告はありませんでした。"));
	} else {
		addf(b, RB_P, L(b, "%lld alert(s) this month (critical %lld, high %lld, medium %lld, low %lld, info %lld); %lld resolved.%s",
		    "今月の警告は %lld 件（緊急 %lld、高 %lld、中 %lld、低 %lld、情報 %lld）、うち %lld 件は対応済みです。%s"),
		    (long long)c.total, (long long)c.by_severity[4], (long long)c.by_severity[3],
		    (long long)c.by_severity[2], (long long)c.by_severity[1], (long long)c.by_severity[0],
		    (long long)c.resolved, c.total > TOP_ALERTS ? L(b, " The most serious are listed.",
		    "重要度の高いものから載せています。") : "");
	}
	static const struct i18n_text iheads[] = { T("Incident", "インシデント"),
		T("Kind", "種類"), T("Opened", "開始"), T("Closed", "終了"), T("Status", "状態") };
	struct rblock *it = table(b, 5, iheads);
	if (!it)
		return;
	a.t = it;
	if (store_incident_month(db, tenant, from, to, 500, incident_row, &a)) {
		b->oom = true;
		return;
	}
	int n = it->score;
	it->score = 0;
	if (n == 0)
		addf(b, RB_P, "%s", L(b, "No incident was opened or closed this month.",
		    "今月開始・終了したインシデントはありませんでした。"));
	else
		addf(b, RB_P, L(b, "%d incident(s) opened or closed this month%s.",
		    "今月開始・終了したインシデントは %d 件です%s。"), n,
		    n > TOP_INCIDENTS ? L(b, " (the first ones are listed)", "（最初のものを載せています）") : "");
}

struct vuln_ctx {
	struct db *db;
	json_t *hosts;		/* [[name, scan, prev], ...] */
	json_t *rows[2];	/* opened, closed: [[kev, cve, package], ...] */
};

static int
vuln_host(void *vctx, const char *hostname, int64_t scan_id, int64_t prev_scan_id)
{
	struct vuln_ctx *v = vctx;
	json_array_append_new(v->hosts, json_pack("[s, I, I]", hostname, (json_int_t)scan_id,
	    (json_int_t)prev_scan_id));
	return 0;
}

static int
vuln_change(void *vctx, enum store_vuln_change kind, const char *cve, const char *package,
    const char *state)
{
	struct vuln_ctx *v = vctx;
	struct store_vuln_cve info;
	(void)state;
	bool kev = store_vuln_cve_info(v->db, cve, &info) == MAMORI_OK && info.kev;
	json_array_append_new(v->rows[kind == STORE_VULN_NEW ? 0 : 1],
	    json_pack("[b, s, s]", kev, cve, package));
	return 0;
}

/* KEV-marked first, then by CVE id. */
static int
cmp_vuln(const void *x, const void *y)
{
	const json_t *a = *(json_t *const *)x, *c = *(json_t *const *)y;
	int ka = json_is_true(json_array_get(a, 0)), kc = json_is_true(json_array_get(c, 0));
	if (ka != kc)
		return kc - ka;
	return strcmp(json_string_value(json_array_get(a, 1)), json_string_value(json_array_get(c, 1)));
}

/* Sorts one computer's changes into the table, at most TOP_CVES shown;
 * returns how many there were and adds the KEV-marked ones to *kev. */
static size_t
vuln_rows(struct builder *b, struct rblock *t, const char *host, const char *what,
    json_t *rows, int *kev)
{
	size_t n = json_array_size(rows);
	json_t **v = n ? calloc(n, sizeof(*v)) : NULL;
	if (n && !v) {
		b->oom = true;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		v[i] = json_array_get(rows, i);
		*kev += json_is_true(json_array_get(v[i], 0));
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_vuln);
	for (size_t i = 0; i < n && i < TOP_CVES; i++) {
		cell(b, t, host);
		cell(b, t, what);
		cell(b, t, json_string_value(json_array_get(v[i], 1)));
		cell(b, t, json_string_value(json_array_get(v[i], 2)));
		cell(b, t, json_is_true(json_array_get(v[i], 0)) ?
		    L(b, "yes: exploited in the wild", "あり（悪用が確認済み）") : "-");
	}
	if (n > TOP_CVES) {
		char *s = fmt(L(b, "... %zu more", "ほか %zu 件"), n - TOP_CVES);
		for (int c = 0; c < 5; c++)
			cell(b, t, c == 2 ? s : "");
		free(s);
	}
	free(v);
	return n;
}

static void
vulns_section(struct builder *b, struct db *db, int64_t tenant, int64_t from, int64_t to)
{
	struct vuln_ctx v = { db, json_array(), { NULL, NULL } };
	size_t nopened = 0, nclosed = 0, first = 0;
	int kev_opened = 0, kev_closed = 0;
	H2(b, "Vulnerabilities opened and closed", "脆弱性（新たに見つかったもの・解消したもの）");
	static const struct i18n_text heads[] = { T("Computer", "コンピューター"),
		T("Change", "変化"), T("CVE", "CVE"), T("Package", "パッケージ"),
		T("Known exploited (KEV)", "悪用の確認（KEV）") };
	struct rblock *t = table(b, 5, heads);
	if (!t || !v.hosts || store_vuln_month_scans(db, tenant, from, to, MAX_VULN_HOSTS, vuln_host, &v)) {
		b->oom = true;
		goto out;
	}
	size_t i;
	json_t *h;
	json_array_foreach(v.hosts, i, h) {
		const char *name = json_string_value(json_array_get(h, 0));
		json_int_t prev = json_integer_value(json_array_get(h, 2));
		if (prev == 0) {
			first++;	/* nothing earlier to compare with */
			continue;
		}
		v.rows[0] = json_array();
		v.rows[1] = json_array();
		if (!v.rows[0] || !v.rows[1] || store_vuln_scan_diff(db,
		    json_integer_value(json_array_get(h, 1)), prev, vuln_change, &v)) {
			b->oom = true;
		} else {
			nopened += vuln_rows(b, t, name, L(b, "new", "新規"), v.rows[0], &kev_opened);
			nclosed += vuln_rows(b, t, name, L(b, "closed", "解消"), v.rows[1], &kev_closed);
		}
		json_decref(v.rows[0]);
		json_decref(v.rows[1]);
	}
	if (json_array_size(v.hosts) == 0) {
		addf(b, RB_P, "%s", L(b, "No vulnerability scan (mamori vuln scan) is stored for this month.",
		    "今月の脆弱性スキャン（mamori vuln scan）の記録はありません。"));
		goto out;
	}
	addf(b, RB_P, L(b, "Compared with each computer's last scan of the previous month: %zu vulnerability(ies) new (%d known to be exploited), %zu closed (%d known to be exploited).",
	    "前月最後のスキャンと比べて、新たに見つかった脆弱性 %zu 件（うち悪用が確認されているもの %d 件）、解消した脆弱性 %zu 件（同 %d 件）です。"),
	    nopened, kev_opened, nclosed, kev_closed);
	if (first)
		addf(b, RB_P, L(b, "%zu computer(s) were first checked this month: there is no earlier scan to compare with.",
		    "%zu 台のコンピューターは今月初めて確認したため、比較できる前月のスキャンはありません。"), first);
out:
	json_decref(v.hosts);
}

static int
device_row(void *vctx, const struct store_asset *a)
{
	struct alerts_ctx *d = vctx;
	char day[16];
	assess_date(a->first_seen / 1000, day, sizeof(day));
	cell(d->b, d->t, *a->vendor ? a->vendor : "-");
	cell(d->b, d->t, *a->hostname ? a->hostname : "-");
	cell(d->b, d->t, *a->ip ? a->ip : *a->ipv6 ? a->ipv6 : "-");
	cell(d->b, d->t, a->mac);
	cell(d->b, d->t, day);
	return 0;
}

static void
devices_section(struct builder *b, struct db *db, int64_t tenant, int64_t from, int64_t to)
{
	int64_t total = 0;
	H2(b, "New devices on the network", "新しい機器");
	static const struct i18n_text heads[] = { T("Maker", "メーカー"), T("Name", "名前"),
		T("IP address", "IP アドレス"), T("MAC address", "MAC アドレス"),
		T("First seen", "初めて確認") };
	struct rblock *t = table(b, 5, heads);
	if (!t)
		return;
	struct alerts_ctx d = { b, t };
	if (store_asset_new_between(db, tenant, from * 1000, to * 1000, TOP_DEVICES, &total,
	    device_row, &d)) {
		b->oom = true;
		return;
	}
	if (total == 0)
		addf(b, RB_P, "%s", L(b, "The network sensor saw no new device this month.",
		    "今月ネットワークセンサーが新しく見つけた機器はありませんでした。"));
	else
		addf(b, RB_P, L(b, "%lld new device(s) this month%s. Check that each one belongs to the office.",
		    "今月新しく見つかった機器は %lld 台です%s。社内の機器かどうか確認してください。"),
		    (long long)total, total > TOP_DEVICES ? L(b, " (the first ones are listed)",
		    "（最初のものを載せています）") : "");
}

int
report_month_build(struct db *db, const struct report_month_opts *o,
    struct report_doc *doc, char *err, size_t errsz)
{
	struct month_ctx m = { json_object(), json_object(), json_object(), 0, 0 };
	struct builder b = { doc, o->lang, false, o, m.texts, 0 };
	static const char *const months_en[] = { "January", "February", "March",
		"April", "May", "June", "July", "August", "September", "October",
		"November", "December" };
	int rc = MAMORI_OK;
	char label[64], date[16];
	int64_t tenant = o->tenant_id > 0 ? o->tenant_id : 1;
	memset(doc, 0, sizeof(*doc));
	doc->lang = o->lang;
	int64_t from = days_from_civil(o->year, o->month, 1) * 86400;
	int64_t to = days_from_civil(o->month == 12 ? o->year + 1 : o->year,
	    o->month == 12 ? 1 : o->month + 1, 1) * 86400;
	if (o->lang == LANG_JA)
		snprintf(label, sizeof(label), "%d年%d月", o->year, o->month);
	else
		snprintf(label, sizeof(label), "%s %d", months_en[o->month - 1], o->year);
	doc->title = fmt("%s %s", L(&b, "Monthly security report", "月次セキュリティレポート"), label);

	if (!m.hosts || !m.days || !m.texts || !doc->title) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	if (store_assess_scans_between(db, tenant, from, to, read_scan, &m) != MAMORI_OK ||
	    store_assess_latest_scans(db, tenant, from, read_baseline, &m) != MAMORI_OK ||
	    store_assess_finding_texts(db, tenant, to, read_text,
	    &(struct text_ctx){ m.texts, o->lang == LANG_JA ? "ja" : "en" }) != MAMORI_OK) {
		snprintf(err, errsz, "cannot read the stored scans: %s", db_errmsg(db));
		rc = MAMORI_E_DB;
		goto out;
	}
	add(&b, RB_TITLE, strdup(doc->title));
	assess_date(o->generated_at, date, sizeof(date));
	if (o->company && *o->company)
		addf(&b, RB_SUBTITLE, L(&b, "%s - made on %s by mamori", "%s ・ 作成日 %s（mamori）"), o->company, date);
	else
		addf(&b, RB_SUBTITLE, L(&b, "Made on %s by mamori", "作成日 %s（mamori）"), date);
	if (m.nscans == 0) {
		doc->no_data = true;
		addf(&b, RB_NOTE, L(&b, "No scan is stored for %s, so there is no score, trend or findings for this month. Run 'mamori scan' regularly (for example daily from cron) so that next month's report has data.",
		    "%sに保存されたスキャン結果がないため、今月のスコア・推移・検出結果はありません。来月のレポートのために、'mamori scan' を定期的に（例えば cron で毎日）実行してください。"),
		    label);
		detected_section(&b, db, tenant, from, to);
		vulns_section(&b, db, tenant, from, to);
		devices_section(&b, db, tenant, from, to);
		bool assessed = assessment_section(&b, db, tenant, to);
		json_t *none = json_object();
		actions_section(&b, none, assessed);
		json_decref(none);
	} else {
		json_t *open_all = json_object();
		summary_section(&b, &m, label);
		findings_section(&b, &m, open_all);
		detected_section(&b, db, tenant, from, to);
		vulns_section(&b, db, tenant, from, to);
		devices_section(&b, db, tenant, from, to);
		basics_section(&b, &m);
		bool assessed = assessment_section(&b, db, tenant, to);
		actions_section(&b, open_all, assessed);
		changes_section(&b, &m);
		json_decref(open_all);
	}
	addf(&b, RB_P, "%s", L(&b, "This report is made from the scans stored by mamori. Dates are in UTC.",
	    "このレポートは mamori が保存したスキャン結果から作成しました。日付は UTC です。"));
	if (b.oom) {
		snprintf(err, errsz, "out of memory or unreadable database while building the report");
		rc = MAMORI_E_NOMEM;
	}
out:
	json_decref(m.hosts);
	json_decref(m.days);
	json_decref(m.texts);
	if (rc)
		report_month_release(doc);
	return rc;
}

/* ---- HTML --------------------------------------------------------------- */

static void
esc(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}

static void
html_trend(FILE *out, const struct rblock *r)
{
	if (r->npoints == 0)
		return;
	/* Inline SVG: one bar per day with a scan, 0-100 high. */
	int w = 24, gap = 6, hgt = 120;
	int width = (int)r->npoints * (w + gap) + gap;
	fprintf(out, "<svg class=\"trend\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
	    width, hgt + 34, width, hgt + 34);
	for (size_t i = 0; i < r->npoints; i++) {
		int v = r->points[i].value < 0 ? 0 : r->points[i].value > 100 ? 100 : r->points[i].value;
		int x = gap + (int)i * (w + gap), bh = v * hgt / 100;
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"w%d\"/>"
		    "<text x=\"%d\" y=\"%d\">%d</text><text x=\"%d\" y=\"%d\">", x, 14 + hgt - bh, w, bh,
		    weather_of(v), x + w / 2, 12 + hgt - bh, v, x + w / 2, hgt + 30);
		esc(out, r->points[i].label);
		fputs("</text>\n", out);
	}
	fputs("</svg>\n", out);
}

int
report_month_html(const struct report_doc *doc, FILE *out)
{
	static const char *const icons[] = { "&#9728;", "&#9729;", "&#9730;", "&#9889;" };
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	    doc->lang == LANG_JA ? "ja" : "en");
	esc(out, doc->title);
	fputs("</title>\n<style>\n"
	    "body{font-family:\"Noto Sans CJK JP\",\"Hiragino Sans\",\"Yu Gothic\",sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.6}\n"
	    "h1{border-bottom:3px solid #2a6;padding-bottom:.2em}h2{margin-top:1.6em;border-left:6px solid #2a6;padding-left:.4em}\n"
	    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#eef5ee}\n"
	    ".note{background:#fff4e0;border:1px solid #e0a040;padding:.8em}.sub{color:#555}\n"
	    ".score{font-size:2.4em;font-weight:bold}.weather{font-size:1.4em;margin-left:.5em}\n"
	    ".trend text{font-size:10px;text-anchor:middle}.w0{fill:#3a6}.w1{fill:#9b3}.w2{fill:#e93}.w3{fill:#d43}\n"
	    "@media print{body{margin:0}}\n"
	    "</style>\n</head>\n<body>\n", out);
	for (size_t i = 0; i < doc->nblocks; i++) {
		const struct rblock *r = &doc->blocks[i];
		switch (r->kind) {
		case RB_TITLE: fputs("<h1>", out); esc(out, r->text); fputs("</h1>\n", out); break;
		case RB_SUBTITLE: fputs("<p class=\"sub\">", out); esc(out, r->text); fputs("</p>\n", out); break;
		case RB_H2: fputs("<h2>", out); esc(out, r->text); fputs("</h2>\n", out); break;
		case RB_P: fputs("<p>", out); esc(out, r->text); fputs("</p>\n", out); break;
		case RB_NOTE: fputs("<p class=\"note\">", out); esc(out, r->text); fputs("</p>\n", out); break;
		case RB_SCORE:
			fprintf(out, "<p><span class=\"score\">%d</span> / 100 <span class=\"weather\">%s ",
			    r->score, icons[r->weather & 3]);
			esc(out, r->text);
			fputs("</span></p>\n", out);
			break;
		case RB_TREND: html_trend(out, r); break;
		case RB_LIST:
			fputs("<ol>\n", out);
			for (size_t k = 0; k < r->ncells; k++) {
				fputs("<li>", out);
				esc(out, r->cells[k]);
				fputs("</li>\n", out);
			}
			fputs("</ol>\n", out);
			break;
		case RB_TABLE:
			if (r->ncols <= 0 || r->ncells <= (size_t)r->ncols)
				break;	/* header only: nothing to show */
			fputs("<table>\n", out);
			for (size_t k = 0; k + (size_t)r->ncols <= r->ncells; k += (size_t)r->ncols) {
				fputs("<tr>", out);
				for (int c = 0; c < r->ncols; c++) {
					fputs(k == 0 ? "<th>" : "<td>", out);
					esc(out, r->cells[k + (size_t)c]);
					fputs(k == 0 ? "</th>" : "</td>", out);
				}
				fputs("</tr>\n", out);
			}
			fputs("</table>\n", out);
			break;
		}
	}
	fputs("</body>\n</html>\n", out);
	return fflush(out) == 0 && !ferror(out) ? MAMORI_OK : MAMORI_E_IO;
}
