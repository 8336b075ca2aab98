/*
 * vuln_scan.c - from an inventory and the database to a sorted list.
 */
#include "agent/vuln_scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/scan_ctx.h"
#include "common/err.h"
#include "storage/store_vuln_query.h"

struct key {
	const char *distro, *release;
};

/* Debian codenames for os-release files that lack VERSION_CODENAME. */
static const char *
debian_codename(const char *major)
{
	static const struct { const char *v, *name; } names[] = {
		{ "9", "stretch" }, { "10", "buster" }, { "11", "bullseye" },
		{ "12", "bookworm" }, { "13", "trixie" }, { "14", "forky" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(major, names[i].v) == 0)
			return names[i].name;
	return NULL;
}

/* "3.19.1" -> "3.19" */
static char *
major_minor(struct arena *a, const char *v)
{
	const char *dot = strchr(v, '.');
	if (!dot)
		return arena_strdup(a, v);
	const char *dot2 = strchr(dot + 1, '.');
	size_t n = dot2 ? (size_t)(dot2 - v) : strlen(v);
	return arena_printf(a, "%.*s", (int)n, v);
}

/* "12.8" -> "12" */
static char *
major(struct arena *a, const char *v)
{
	size_t n = strcspn(v, ".");
	return arena_printf(a, "%.*s", (int)n, v);
}

/*
 * The keys vuln_pkg may use for this system, best first: the tracker's
 * (distro, codename) and OSV's release-qualified ecosystem.
 */
static size_t
release_keys(struct arena *a, const struct inv_os *os, struct key *k, size_t max)
{
	size_t n = 0;
	const char *id = os->id ? os->id : "";
	const char *vid = os->version_id ? os->version_id : "";

	if (strcmp(id, "debian") == 0) {
		const char *maj = *vid ? major(a, vid) :
		    os->debian_version ? major(a, os->debian_version) : NULL;
		const char *code = os->codename && *os->codename ? os->codename :
		    maj ? debian_codename(maj) : NULL;
		if (code && n < max)
			k[n++] = (struct key){ "debian", code };
		if (maj && *maj && n < max)
			k[n++] = (struct key){ arena_printf(a, "Debian:%s", maj), "" };
	} else if (strcmp(id, "ubuntu") == 0) {
		if (os->codename && *os->codename && n < max)
			k[n++] = (struct key){ "ubuntu", os->codename };
		if (*vid && n < max)
			k[n++] = (struct key){ "ubuntu", vid };
		if (*vid && n < max)
			k[n++] = (struct key){ arena_printf(a, "Ubuntu:%s", vid), "" };
	} else if (strcmp(id, "alpine") == 0 && *vid) {
		char *mm = major_minor(a, vid);
		if (mm && n < max)
			k[n++] = (struct key){ "alpine", arena_printf(a, "v%s", mm) };
		if (mm && n < max)
			k[n++] = (struct key){ arena_printf(a, "Alpine:v%s", mm), "" };
	} else if (*id && *vid && n < max) {
		k[n++] = (struct key){ id, vid };
	}
	/* arena_printf may have failed: drop such keys. */
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (k[i].distro && k[i].release)
			k[m++] = k[i];
	return m;
}

static int
warn(struct vuln_scan *vs, const char *en, const char *ja)
{
	struct vuln_scan_warning *w = vec_push(vs->arena, &vs->warnings);
	if (!w)
		return MAMORI_E_NOMEM;
	w->en = arena_strdup(vs->arena, en);
	w->ja = arena_strdup(vs->arena, ja);
	return w->en && w->ja ? MAMORI_OK : MAMORI_E_NOMEM;
}

struct source_ctx {
	struct vuln_scan *vs;
	time_t now;
	size_t nstale;
};

static int
add_source(void *ctx, const struct store_vuln_source *s)
{
	struct source_ctx *c = ctx;
	struct vuln_scan_source *out = vec_push(c->vs->arena, &c->vs->sources);
	if (!out)
		return MAMORI_E_NOMEM;
	out->kind = arena_strdup(c->vs->arena, s->kind);
	out->origin = arena_strdup(c->vs->arena, s->origin);
	out->date = s->feed_date > 0 ? s->feed_date : s->imported_at;
	out->stale = c->now - out->date > (int64_t)VULN_SCAN_STALE_DAYS * 86400;
	if (out->stale)
		c->nstale++;
	return out->kind && out->origin ? MAMORI_OK : MAMORI_E_NOMEM;
}

static int
check_sources(struct vuln_scan *vs, struct db *db, time_t now)
{
	struct source_ctx c = { vs, now, 0 };
	int rc = store_vuln_sources(db, add_source, &c);
	if (rc)
		return rc;
	if (vs->sources.n == 0)
		return warn(vs,
		    "No vulnerability data has been imported yet: run 'mamori vuln update' with the "
		    "Debian security tracker, KEV and EPSS files.",
		    "脆弱性データがまだ取り込まれていません。'mamori vuln update' で Debian セキュリティ"
		    "トラッカー、KEV、EPSS のファイルを取り込んでください。");
	for (size_t i = 0; i < vs->sources.n; i++) {
		const struct vuln_scan_source *s = vec_at(&vs->sources, i);
		if (!s->stale)
			continue;
		char en[512], ja[512];
		long days = (long)((now - s->date) / 86400);
		snprintf(en, sizeof(en),
		    "The %s data is %ld days old (older than %d days): vulnerabilities published since "
		    "then are missing. Run 'mamori vuln update'.", s->kind, days, VULN_SCAN_STALE_DAYS);
		snprintf(ja, sizeof(ja),
		    "%s のデータは %ld 日前のものです（%d 日より古い）。その後に公表された脆弱性は含まれて"
		    "いません。'mamori vuln update' を実行してください。", s->kind, days,
		    VULN_SCAN_STALE_DAYS);
		if ((rc = warn(vs, en, ja)))
			return rc;
	}
	return MAMORI_OK;
}

struct row_ctx {
	struct vuln_scan *vs;
	const struct match_source *src;
	size_t first;			/* first result of this source */
	bool dedupe;			/* a second key: skip CVEs already seen */
};

/* Copies a borrowed row string; *ok turns false when the arena is full. */
static const char *
keep(struct arena *a, const char *s, bool *ok)
{
	if (!s)
		return NULL;
	char *d = arena_strdup(a, s);
	*ok &= d != NULL;
	return d;
}

static bool
eval_row(const struct row_ctx *c, const struct store_vuln_pkg *row, struct match_verdict *v)
{
	struct match_advisory adv = {
		.cve = row->cve,
		.status = row->status,
		.fixed_version = row->fixed_version,
		.urgency = row->urgency,
		.minor = row->minor,
		.ranges = row->ranges,
	};
	if (!match_eval(c->src, &adv, v))
		return false;
	/* A CVE seen under an earlier (better) key stays as it was. */
	for (size_t i = c->first; c->dedupe && i < c->vs->results.n; i++) {
		const struct match_result *r = vec_at(&c->vs->results, i);
		if (strcmp(r->cve, row->cve) == 0)
			return false;
	}
	return true;
}

static int
on_row(void *ctx, const struct store_vuln_pkg *row)
{
	struct row_ctx *c = ctx;
	struct arena *a = c->vs->arena;
	struct match_verdict v;
	if (!eval_row(c, row, &v))
		return 0;
	struct match_result *r = vec_push(a, &c->vs->results);
	if (!r)
		return MAMORI_E_NOMEM;
	bool ok = true;
	r->source = c->src;
	r->cve = keep(a, row->cve, &ok);
	r->fixed_version = keep(a, v.fixed_version, &ok);
	r->urgency = keep(a, row->urgency, &ok);
	r->state = v.state;
	/* Unknown until enrich() finds out. */
	r->epss = r->epss_percentile = r->cvss = -1;
	return ok ? 0 : MAMORI_E_NOMEM;
}

static int
by_cve(const void *a, const void *b)
{
	const struct match_result *x = *(const struct match_result *const *)a;
	const struct match_result *y = *(const struct match_result *const *)b;
	return strcmp(x->cve, y->cve);
}

/* The results in CVE order (pointers into vs->results), or NULL. */
static struct match_result **
cve_order(struct vuln_scan *vs)
{
	size_t n = vs->results.n;
	struct match_result **order = arena_alloc(vs->arena, n * sizeof(*order));
	if (!order)
		return NULL;
	for (size_t i = 0; i < n; i++)
		order[i] = vec_at(&vs->results, i);
	qsort(order, n, sizeof(*order), by_cve);
	return order;
}

/* KEV, EPSS, scores and JVN, looked up once per CVE found and in CVE order
 * (neighbouring keys share pages); not at all when none was imported. */
static int
enrich(struct vuln_scan *vs, struct db *db)
{
	size_t n = vs->results.n;
	bool any;
	int rc = store_vuln_cve_any(db, &any);
	if (rc || n == 0)
		return rc;
	struct store_vuln_cve info;
	store_vuln_cve_none(&info);
	if (!any) {
		for (size_t i = 0; i < n; i++) {
			struct match_result *r = vec_at(&vs->results, i);
			r->severity = match_severity(NULL, -1, r->urgency);
		}
		return MAMORI_OK;
	}
	struct match_result **order = cve_order(vs);
	if (!order)
		return MAMORI_E_NOMEM;
	struct arena *a = vs->arena;
	const struct match_result *first = NULL;
	for (size_t i = 0; i < n; i++) {
		struct match_result *r = order[i];
		bool ok = true;
		if (first && strcmp(first->cve, r->cve) == 0) {
			r->kev = first->kev;
			r->kev_ransomware = first->kev_ransomware;
			r->kev_date_added = first->kev_date_added;
			r->kev_due_date = first->kev_due_date;
			r->kev_name = first->kev_name;
			r->epss = first->epss;
			r->epss_percentile = first->epss_percentile;
			r->cvss = first->cvss;
			r->jvn_id = first->jvn_id;
			r->jvn_title = first->jvn_title;
			r->jvn_link = first->jvn_link;
		} else {
			if ((rc = store_vuln_cve_info(db, r->cve, &info)))
				return rc;
			first = r;
			r->kev = info.kev;
			r->kev_ransomware = info.kev_ransomware;
			r->kev_date_added = keep(a, info.kev_date_added, &ok);
			r->kev_due_date = keep(a, info.kev_due_date, &ok);
			r->kev_name = keep(a, info.kev_name, &ok);
			r->epss = info.epss;
			r->epss_percentile = info.epss_percentile;
			r->cvss = info.cvss;
			r->jvn_id = keep(a, info.jvn_id, &ok);
			r->jvn_title = keep(a, info.jvn_title, &ok);
			r->jvn_link = keep(a, info.jvn_link, &ok);
		}
		/* info still holds this CVE's row: the severity names are static. */
		r->severity = match_severity(info.severity, info.cvss, r->urgency);
		if (!ok)
			return MAMORI_E_NOMEM;
	}
	return MAMORI_OK;
}

static int
make_groups(struct vuln_scan *vs)
{
	vec_init(&vs->groups, sizeof(struct vuln_scan_group), 0);
	for (size_t i = 0; i < vs->results.n; i++) {
		const struct match_result *r = vec_at(&vs->results, i);
		struct vuln_scan_group *g = NULL;
		/* Sources are few per host; a scan over the groups is cheap. */
		for (size_t j = 0; j < vs->groups.n && !g; j++) {
			struct vuln_scan_group *x = vec_at(&vs->groups, j);
			if (x->source == r->source)
				g = x;
		}
		if (!g) {
			if (!(g = vec_push(vs->arena, &vs->groups)))
				return MAMORI_E_NOMEM;
			g->source = r->source;
			g->first = i;
		}
		g->ncves++;
		g->kev |= r->kev;
		if (r->state == MATCH_FIXABLE)
			g->nfixable++;
		else if (r->state == MATCH_UNFIXED)
			g->nunfixed++;
		else
			g->nminor++;
		if (r->fixed_version && (!g->fixed_version ||
		    version_cmp(r->source->format, r->fixed_version, g->fixed_version) > 0))
			g->fixed_version = r->fixed_version;
		vs->nkev += r->kev;
		vs->nfixable += r->state == MATCH_FIXABLE;
		vs->nunfixed += r->state == MATCH_UNFIXED;
		vs->nminor += r->state == MATCH_MINOR;
	}
	return MAMORI_OK;
}

static int run(struct vuln_scan *vs, struct db *db, const struct inventory *inv,
    time_t now, struct arena *arena);

int
vuln_scan_run(struct vuln_scan *vs, struct db *db,
    const struct inventory *inv, time_t now, struct arena *arena)
{
	if (store_vuln_read_begin(db, true) != MAMORI_OK)
		return MAMORI_E_DB;
	int rc = run(vs, db, inv, now, arena);
	store_vuln_read_end(db);
	return rc;
}

static int
run(struct vuln_scan *vs, struct db *db, const struct inventory *inv, time_t now,
    struct arena *arena)
{
	struct key keys[4];
	size_t nkeys;
	int rc;

	memset(vs, 0, sizeof(*vs));
	vs->arena = arena;
	vec_init(&vs->sources, sizeof(struct vuln_scan_source), 0);
	vec_init(&vs->results, sizeof(struct match_result), 0);
	vec_init(&vs->groups, sizeof(struct vuln_scan_group), 0);
	vec_init(&vs->warnings, sizeof(struct vuln_scan_warning), 0);
	vec_init(&vs->installed, sizeof(struct match_source), 0);

	if (!store_vuln_ready(db))
		return warn(vs, "The database has no vulnerability tables: run 'mamori vuln update'.",
		    "データベースに脆弱性データの表がありません。'mamori vuln update' を実行してください。");
	if ((rc = check_sources(vs, db, now)))
		return rc;

	int64_t t0 = scan_monotonic_ms();
	nkeys = release_keys(arena, &inv->os, keys, 4);
	/* Keep the keys that have data; the first one names the set. */
	size_t m = 0;
	for (size_t i = 0; i < nkeys; i++) {
		int64_t count;
		if ((rc = store_vuln_has_release(db, keys[i].distro, keys[i].release, &count)))
			return rc;
		if (count > 0)
			keys[m++] = keys[i];
	}
	nkeys = m;
	if (nkeys == 0) {
		char en[512], ja[512];
		snprintf(en, sizeof(en),
		    "No advisories for %s %s are in the database, so installed packages were not checked "
		    "for vulnerabilities.", inv->os.id ? inv->os.id : "this system",
		    inv->os.codename ? inv->os.codename : inv->os.version_id ? inv->os.version_id : "");
		snprintf(ja, sizeof(ja),
		    "データベースに %s %s の脆弱性情報がないため、インストール済みパッケージの脆弱性は"
		    "確認できませんでした。", inv->os.id ? inv->os.id : "このシステム",
		    inv->os.codename ? inv->os.codename : inv->os.version_id ? inv->os.version_id : "");
		return vs->sources.n ? warn(vs, en, ja) : MAMORI_OK;
	}
	vs->have_data = true;
	vs->distro = keys[0].distro;
	vs->release = keys[0].release;

	struct match_pkg *pkgs = inv->packages.n ?
	    arena_alloc(arena, inv->packages.n * sizeof(*pkgs)) : NULL;
	if (inv->packages.n && !pkgs)
		return MAMORI_E_NOMEM;
	for (size_t i = 0; i < inv->packages.n; i++) {
		const struct inv_package *p = vec_at(&inv->packages, i);
		pkgs[i] = (struct match_pkg){ p->format, p->name, p->version, p->source,
		    p->source_version, p->status };
	}
	if ((rc = match_group(arena, pkgs, inv->packages.n, &vs->installed)))
		return rc;
	for (size_t i = 0; i < vs->installed.n; i++) {
		struct row_ctx c = { vs, vec_at(&vs->installed, i), vs->results.n, false };
		for (size_t k = 0; k < nkeys; k++) {
			c.dedupe = k > 0;
			rc = store_vuln_pkg_rows(db, keys[k].distro, keys[k].release,
			    c.src->name, on_row, &c);
			if (rc)
				return rc;
		}
	}
	if ((rc = enrich(vs, db)))
		return rc;
	match_sort(vs->results.items, vs->results.n);
	if ((rc = make_groups(vs)))
		return rc;
	vs->match_ms = scan_monotonic_ms() - t0;
	return MAMORI_OK;
}

int
vuln_scan_describe(struct vuln_scan *vs, struct db *db)
{
	size_t n = vs->results.n;
	if (n == 0)
		return MAMORI_OK;
	struct match_result **order = cve_order(vs);
	if (!order)
		return MAMORI_E_NOMEM;
	int rc = store_vuln_read_begin(db, false);
	for (size_t i = 0; i < n && rc == MAMORI_OK; i++) {
		if (i > 0 && strcmp(order[i]->cve, order[i - 1]->cve) == 0)
			order[i]->description = order[i - 1]->description;
		else
			rc = store_vuln_cve_text(db, order[i]->cve, vs->arena, &order[i]->description);
	}
	store_vuln_read_end(db);
	return rc;
}

/* Binaries joined with spaces, for a command line. */
static char *
binaries(struct arena *a, const struct match_source *s)
{
	size_t len = 1;
	for (size_t i = 0; i < s->binaries.n; i++)
		len += strlen(*(const char **)vec_at(&s->binaries, i)) + 1;
	char *out = arena_alloc(a, len), *p = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < s->binaries.n; i++) {
		const char *b = *(const char **)vec_at(&s->binaries, i);
		size_t n = strlen(b);
		if (i)
			*p++ = ' ';
		memcpy(p, b, n);
		p += n;
	}
	*p = '\0';
	return out;
}

static bool
needs_restart(const char *src)
{
	static const char *const names[] = {
		"glibc", "openssl", "systemd", "openssh", "dbus", "gnutls28", "libgcrypt20",
		"zlib", "musl", "openssl3",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(src, names[i]) == 0)
			return true;
	return false;
}

int
vuln_scan_action(struct arena *a, const struct match_result *r,
    struct vuln_scan_action *out)
{
	const struct match_source *s = r->source;
	char *bins = binaries(a, s);
	if (!bins)
		return MAMORI_E_NOMEM;
	memset(out, 0, sizeof(*out));
	out->command = "";
	out->reboot = strcmp(s->name, "linux") == 0 || strcmp(s->name, "kernel") == 0 ||
	    strncmp(s->name, "linux-", 6) == 0;

	const char *upgrade = s->format == VERSION_RPM ? "dnf upgrade" :
	    s->format == VERSION_APK ? "apk upgrade" : "apt-get install --only-upgrade";
	const char *remove = s->format == VERSION_RPM ? "dnf remove" :
	    s->format == VERSION_APK ? "apk del" : "apt-get remove";

	if (r->fixed_version) {
		out->command = arena_printf(a, "%s %s", upgrade, bins);
		const char *after_en = out->reboot ?
		    " Then restart the computer: the fixed kernel is only used after a reboot." :
		    needs_restart(s->name) ?
		    " Then restart the services that use it (or simply restart the computer)." : "";
		const char *after_ja = out->reboot ?
		    " その後、コンピュータを再起動してください（修正済みのカーネルは再起動後に使われます）。" :
		    needs_restart(s->name) ?
		    " その後、これを使うサービスを再起動してください（コンピュータの再起動でも構いません）。" : "";
		if (r->state == MATCH_FIXABLE && match_fix_missing(s, r->fixed_version)) {
			/* apt-get would find nothing newer: say why, and what helps. */
			out->en = arena_printf(a,
			    "Fixed in %s, but your package sources only offer %s: the fix has not reached "
			    "your mirror yet. Run 'apt-get update' as root; if it still does not appear, "
			    "check that the security suite (for example 'bookworm-security') is in the apt "
			    "sources, or change to an up-to-date mirror. Then run: %s.%s",
			    r->fixed_version, s->available, out->command, after_en);
			out->ja = arena_printf(a,
			    "%s で修正済みですが、このコンピュータのパッケージ取得元にはまだ %s までしかありません"
			    "（ミラーに修正版が届いていません）。管理者権限で 'apt-get update' を実行し、それでも"
			    "出てこない場合は apt の取得元にセキュリティ用のスイート（例: 'bookworm-security'）"
			    "があるか確認するか、最新のミラーに切り替えてください。その後、次を実行します: %s%s",
			    r->fixed_version, s->available, out->command, after_ja);
		} else if (r->state == MATCH_MINOR) {
			out->en = arena_printf(a,
			    "Low priority: the distribution rates this as minor. It is fixed in %s; "
			    "to update now, run as root: %s.%s", r->fixed_version, out->command, after_en);
			out->ja = arena_printf(a,
			    "優先度は低めです（ディストリビューションが軽微と判断）。%s で修正済みです。"
			    "今すぐ更新する場合は管理者権限で次を実行してください: %s%s",
			    r->fixed_version, out->command, after_ja);
		} else {
			out->en = arena_printf(a, "Update to %s or later: run as root: %s.%s",
			    r->fixed_version, out->command, after_en);
			out->ja = arena_printf(a,
			    "%s 以降に更新してください。管理者権限で次を実行します: %s%s",
			    r->fixed_version, out->command, after_ja);
		}
	} else if (r->state == MATCH_MINOR) {
		out->en = "No action needed now: the distribution rates this as minor and plans no "
		    "separate security update; it will be fixed by a regular update.";
		out->ja = "今すぐの対応は不要です。ディストリビューションは軽微と判断しており、個別の"
		    "セキュリティ更新は予定されていません。通常の更新で修正されます。";
	} else {
		out->en = arena_printf(a,
		    "No fixed version yet. If you do not need %s, remove it (%s %s); otherwise "
		    "allow only trusted users and networks to reach it, and run 'mamori vuln update' "
		    "regularly to see when a fix arrives.", s->name, remove, bins);
		out->ja = arena_printf(a,
		    "まだ修正版がありません。%s が不要であれば削除してください（%s %s）。必要な場合は、"
		    "信頼できる利用者とネットワークからだけ使えるように制限し、'mamori vuln update' を"
		    "定期的に実行して修正版の公開を確認してください。", s->name, remove, bins);
	}
	return out->en && out->ja && out->command ? MAMORI_OK : MAMORI_E_NOMEM;
}

int
vuln_scan_group_action(const struct vuln_scan *vs, const struct vuln_scan_group *g,
    struct arena *a, struct vuln_scan_action *out)
{
	struct match_result fix = *(const struct match_result *)vec_at(&vs->results, g->first);
	fix.fixed_version = g->fixed_version;
	fix.state = g->nfixable ? MATCH_FIXABLE : g->nunfixed ? MATCH_UNFIXED : MATCH_MINOR;
	return vuln_scan_action(a, &fix, out);
}
