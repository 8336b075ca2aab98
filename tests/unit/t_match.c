/*
 * t_match.c - grouping installed packages by source, the states of an
 * advisory, fix-first order, and the whole path through the database
 * (store_vuln_query + vuln_scan) on a small hand-checked data set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "storage/db.h"
#include "storage/store_vuln_query.h"
#include "tests/tap.h"
#include "vuln/match.h"
#include "agent/vuln_scan.h"

static struct inv_package *
add_pkg(struct arena *a, struct vec *v, const char *fmt, const char *name,
    const char *version, const char *source, const char *source_version,
    const char *status)
{
	struct inv_package *p = vec_push(a, v);
	p->format = fmt;
	p->name = arena_strdup(a, name);
	p->version = arena_strdup(a, version);
	p->source = arena_strdup(a, source ? source : name);
	p->source_version = arena_strdup(a, source_version ? source_version : version);
	p->status = arena_strdup(a, status ? status : "installed");
	return p;
}

static const struct match_source *
find_source(const struct vec *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct match_source *s = vec_at(v, i);
		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

static void
test_group(void)
{
	struct arena a;
	struct vec pkgs, groups;
	arena_init(&a, 0);
	vec_init(&pkgs, sizeof(struct inv_package), 0);
	add_pkg(&a, &pkgs, "deb", "libssl3", "3.0.11-1~deb12u1", "openssl", NULL, NULL);
	add_pkg(&a, &pkgs, "deb", "openssl", "3.0.11-1~deb12u1", NULL, NULL, NULL);
	add_pkg(&a, &pkgs, "deb", "bash", "5.2.15-2+b2", "bash", "5.2.15-2", NULL);
	add_pkg(&a, &pkgs, "deb", "oldpkg", "1.0-1", NULL, NULL, "config-files");
	add_pkg(&a, &pkgs, "deb", "linux-image-6.1.0-29-amd64", "6.1.123-1",
	    "linux-signed-amd64", "6.1.123+1", NULL);
	add_pkg(&a, &pkgs, "deb", "linux-libc-dev", "6.1.123-1", "linux", NULL, NULL);

	struct match_pkg mp[8];
	for (size_t i = 0; i < pkgs.n; i++) {
		const struct inv_package *p = vec_at(&pkgs, i);
		mp[i] = (struct match_pkg){ p->format, p->name, p->version, p->source,
		    p->source_version, p->status };
	}
	is_int(match_group(&a, mp, pkgs.n, &groups), MAMORI_OK, "group");
	is_int(groups.n, 3, "bash, linux, openssl; config-files left out");
	const struct match_source *s = find_source(&groups, "openssl");
	ok(s && s->binaries.n == 2, "openssl has two binaries");
	s = find_source(&groups, "bash");
	ok(s && strcmp(s->version, "5.2.15-2") == 0, "binNMU: the source version is used");
	s = find_source(&groups, "linux");
	ok(s && s->binaries.n == 2 && strcmp(s->version, "6.1.123-1") == 0,
	    "linux-signed-amd64 image joins linux at the image's version");
	ok(!find_source(&groups, "oldpkg"), "removed package not matched");
	arena_release(&a);
}

static bool
eval(const char *installed, const char *status, const char *fixed, const char *urgency,
    bool minor, enum match_state *st)
{
	struct match_source src = { "pkg", installed, VERSION_DEB, { 0 }, NULL };
	struct match_advisory adv = { "CVE-2024-0001", status, fixed, urgency, minor, NULL };
	struct match_verdict v;
	bool hit = match_eval(&src, &adv, &v);
	*st = v.state;
	return hit;
}

/* An OSV record with ranges: "" when not affected, "-" when affected
 * without a fix, else the fix that applies. */
static const char *
eval_ranges(const char *installed, const char *ranges, struct match_verdict *v)
{
	struct match_source src = { "pkg", installed, VERSION_DEB, { 0 }, NULL };
	struct match_advisory adv = { "CVE-2024-0002", "resolved", "9.9-1", NULL, false, ranges };
	if (!match_eval(&src, &adv, v))
		return "";
	return v->fixed_version ? v->fixed_version : "-";
}

static void
test_ranges(void)
{
	struct match_verdict v;
	/* Two branches, each fixed separately (an upstream LTS and current). */
	const char *two = "i0 f1.2.3-1 | i2.0-1 f2.0.5-1";
	is_str(eval_ranges("1.2.0-1", two, &v), "1.2.3-1", "ranges: old branch gets its own fix");
	is_str(eval_ranges("1.2.3-1", two, &v), "", "ranges: old branch at the fix: not listed");
	is_str(eval_ranges("1.9-1", two, &v), "", "ranges: between the branches: not affected");
	is_str(eval_ranges("2.0.1-1", two, &v), "2.0.5-1", "ranges: new branch gets the new fix");
	ok(v.state == MATCH_FIXABLE, "ranges: fixable state");
	is_str(eval_ranges("2.0.5-1", two, &v), "", "ranges: new branch fixed");
	/* Events written out of order are ordered by version. */
	is_str(eval_ranges("2.0.1-1", "f2.0.5-1 i2.0-1 | f1.2.3-1 i0", &v), "2.0.5-1",
	    "ranges: event order does not matter");
	/* last_affected: that version is still affected, no fix known. */
	is_str(eval_ranges("3.1-1", "i3.0-1 l3.1-1", &v), "-", "last_affected: its version affected");
	ok(v.state == MATCH_UNFIXED, "last_affected: unfixed");
	is_str(eval_ranges("3.2-1", "i3.0-1 l3.1-1", &v), "", "last_affected: above it not affected");
	/* An open branch next to a fixed one. */
	is_str(eval_ranges("4.0-1", "i0 f1.0-1 | i4.0-1", &v), "-", "open range: unfixed");
	/* Explicit versions[] outside every range. */
	is_str(eval_ranges("1.5-1", "i2.0-1 f2.1-1 | v1.5-1", &v), "2.1-1",
	    "versions[]: listed version affected, lowest fix above it");
	is_str(eval_ranges("1.6-1", "i2.0-1 f2.1-1 | v1.5-1", &v), "", "versions[]: others not");
	/* Same version introduced and fixed: the fix wins. */
	is_str(eval_ranges("1.0-1", "i1.0-1 f1.0-1", &v), "", "introduced = fixed: not affected");
	/* A malformed encoding falls back to fixed_version (9.9-1). */
	is_str(eval_ranges("1.0-1", "x1 | |", &v), "9.9-1", "bad encoding: fixed_version used");
}

static void
test_states(void)
{
	enum match_state st;
	ok(eval("3.0.11-1~deb12u1", "resolved", "3.0.11-1~deb12u2", "high", false, &st) &&
	    st == MATCH_FIXABLE, "security upload newer than installed: fixable");
	ok(!eval("3.0.11-1~deb12u2", "resolved", "3.0.11-1~deb12u2", "high", false, &st),
	    "installed = fixed: not listed");
	ok(!eval("3.0.15-1~deb12u1", "resolved", "3.0.11-1~deb12u2", "high", false, &st),
	    "installed newer than fixed: not listed");
	ok(!eval("2.36-9+deb12u14", "resolved", "2.36-9+deb12u3", NULL, false, &st),
	    "deb12u14 > deb12u3 numerically: not listed");
	ok(eval("2.36-9+deb12u3", "resolved", "2.36-9+deb12u14", NULL, false, &st) &&
	    st == MATCH_FIXABLE, "deb12u3 < deb12u14: fixable");
	ok(!eval("6.12.90-2~bpo12+1", "resolved", "6.12.90-1", NULL, false, &st),
	    "a backport newer than the fix: not listed");
	ok(!eval("1.0-1", "resolved", "0", NULL, false, &st), "fixed_version 0: never affected");
	ok(!eval("1.0-1", "not-affected", NULL, NULL, false, &st), "not-affected: dropped");
	ok(!eval("1.0-1", "resolved", NULL, NULL, false, &st), "resolved without version: dropped");
	ok(eval("1.0-1", "open", NULL, "low", false, &st) && st == MATCH_UNFIXED,
	    "open without fix: unfixed");
	ok(eval("1.0-1", "undetermined", NULL, NULL, false, &st) && st == MATCH_UNFIXED,
	    "undetermined: unfixed (possibly affected)");
	ok(eval("1.0-1", "open", NULL, "unimportant", false, &st) && st == MATCH_MINOR,
	    "unimportant: minor");
	ok(eval("1.0-1", "open", NULL, "low", true, &st) && st == MATCH_MINOR,
	    "no-DSA / ignored flag: minor");
	ok(eval("1.0-1", "resolved", "1.0-2", "unimportant", false, &st) && st == MATCH_MINOR,
	    "unimportant with a fix is still minor");
	ok(eval("1.0-1", "open", "", NULL, false, &st) && st == MATCH_UNFIXED,
	    "empty fixed version counts as none");

	struct match_source rpm = { "openssl", "1:3.0.7-16.el9_2", VERSION_RPM, { 0 }, NULL };
	struct match_advisory adv = { "CVE-2023-1", "resolved", "1:3.0.7-24.el9", NULL, false, NULL };
	struct match_verdict v;
	ok(match_eval(&rpm, &adv, &v) && v.state == MATCH_FIXABLE, "rpm EVR ordering used for rpm");
	struct match_source apk = { "musl", "1.2.4-r2", VERSION_APK, { 0 }, NULL };
	struct match_advisory adv2 = { "CVE-2023-2", "resolved", "1.2.4_git20230717-r0", NULL, false,
	    NULL };
	ok(match_eval(&apk, &adv2, &v) && v.state == MATCH_FIXABLE, "apk: _git is after the release");
}

static void
test_order(void)
{
	struct match_source s = { "x", "1", VERSION_DEB, { 0 }, NULL };
	struct match_result r[5];
	memset(r, 0, sizeof(r));
	const char *ids[] = { "CVE-2020-1", "CVE-2021-2", "CVE-2022-3", "CVE-2023-4", "CVE-2024-5" };
	for (int i = 0; i < 5; i++) {
		r[i].source = &s;
		r[i].cve = ids[i];
		r[i].epss = r[i].cvss = -1;
		r[i].severity = "unknown";
	}
	r[0].severity = "critical";			/* no EPSS, critical */
	r[1].epss = 0.5;
	r[1].severity = "low";
	r[2].kev = true;				/* KEV beats everything */
	r[2].severity = "low";
	r[3].epss = 0.9;
	r[3].severity = "medium";
	r[4].severity = "high";
	match_sort(r, 5);
	is_str(r[0].cve, "CVE-2022-3", "KEV first");
	is_str(r[1].cve, "CVE-2023-4", "then highest EPSS");
	is_str(r[2].cve, "CVE-2021-2", "then lower EPSS");
	is_str(r[3].cve, "CVE-2020-1", "then severity: critical");
	is_str(r[4].cve, "CVE-2024-5", "then high");
	is_str(match_severity(NULL, 9.8, "low"), "critical", "CVSS beats urgency");
	is_str(match_severity(NULL, -1, "high**"), "high", "urgency with ** mark");
	is_str(match_severity("HIGH", -1, NULL), "high", "stated severity");
	is_str(match_severity(NULL, -1, "not yet assigned"), "unknown", "unassigned");
}

struct diff_counts {
	int nnew, nfixed;
	bool saw_new, saw_fixed;
};

static int
count_change(void *ctx, enum store_vuln_change kind, const char *cve,
    const char *package, const char *state)
{
	struct diff_counts *c = ctx;
	(void)state;
	if (kind == STORE_VULN_NEW) {
		c->nnew++;
		c->saw_new |= strcmp(cve, "CVE-NEW") == 0 && strcmp(package, "curl") == 0;
	} else {
		c->nfixed++;
		c->saw_fixed |= strcmp(cve, "CVE-OLD") == 0;
	}
	return 0;
}

/* The whole path on a small, hand-checked data set in a real database. */
static void
test_db(void)
{
	char path[] = "/tmp/t_match_XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	struct db *db;
	char err[256];
	if (!ok(db_open(path, false, &db, err, sizeof(err)) == MAMORI_OK, "open %s", path))
		return;
	time_t now = 1795564800;
	ok(db_begin(db) == MAMORI_OK, "begin");
	store_vuln_put_source(db, "debian-tracker", "test", now - 86400, now - 3600, 6);
	store_vuln_put_source(db, "kev", "test", now - 30 * 86400, now - 30 * 86400, 1);
	const struct { const char *pkg, *cve, *status, *fixed, *urg; bool minor; } rows[] = {
		{ "openssl", "CVE-2024-0001", "resolved", "3.0.15-1~deb12u1", "medium", false },
		{ "openssl", "CVE-2023-0002", "resolved", "3.0.9-1", "high", false },	/* old fix */
		{ "openssl", "CVE-2024-0003", "open", NULL, "unimportant", false },
		{ "bash", "CVE-2022-0004", "resolved", "5.2.15-2", "low", false },	/* binNMU ok */
		{ "linux", "CVE-2024-0005", "resolved", "6.1.124-1", "high", false },
		{ "curl", "CVE-2024-0006", "open", NULL, "low", true },
		{ "sudo", "CVE-2024-0007", "not-affected", NULL, NULL, false },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct store_vuln_pkg p = { rows[i].pkg, rows[i].cve, rows[i].status,
		    rows[i].fixed, rows[i].urg, rows[i].minor, NULL };
		is_int(store_vuln_put_pkg(db, "debian-tracker", "debian", "bookworm", &p), MAMORI_OK,
		    "put %s %s", rows[i].pkg, rows[i].cve);
	}
	store_vuln_put_kev(db, "CVE-2024-0005", "Linux Kernel flaw", "2025-01-01", "2025-01-22",
	    true, "Apply updates");
	store_vuln_put_epss(db, "CVE-2024-0001", 0.42, 0.97);
	store_vuln_put_cve(db, "CVE-2024-0001", "test flaw", 7.5, NULL);
	store_vuln_put_jvn(db, "JVNDB-2024-000123", "CVE-2024-0001", "OpenSSL の脆弱性",
	    "https://jvndb.jvn.jp/ja/contents/2024/JVNDB-2024-000123.html", "2024-10-01");
	ok(db_commit(db) == MAMORI_OK, "commit");

	struct arena a;
	struct inventory inv;
	arena_init(&a, 0);
	inventory_init(&inv);
	inv.os.id = arena_strdup(&a, "debian");
	inv.os.version_id = arena_strdup(&a, "12");
	inv.os.codename = arena_strdup(&a, "bookworm");
	add_pkg(&a, &inv.packages, "deb", "libssl3", "3.0.11-1~deb12u2", "openssl", NULL, NULL);
	add_pkg(&a, &inv.packages, "deb", "openssl", "3.0.11-1~deb12u2", NULL, NULL, NULL);
	add_pkg(&a, &inv.packages, "deb", "bash", "5.2.15-2+b2", "bash", "5.2.15-2", NULL);
	add_pkg(&a, &inv.packages, "deb", "linux-image-6.1.0-29-amd64", "6.1.123-1",
	    "linux-signed-amd64", "6.1.123+1", NULL);
	add_pkg(&a, &inv.packages, "deb", "curl", "7.88.1-10+deb12u8", NULL, NULL, NULL);
	add_pkg(&a, &inv.packages, "deb", "sudo", "1.9.13p3-1+deb12u1", NULL, NULL, NULL);

	struct vuln_scan vs;
	is_int(vuln_scan_run(&vs, db, &inv, now, &a), MAMORI_OK, "vuln_scan_run");
	ok(vs.have_data && strcmp(vs.release, "bookworm") == 0, "bookworm data used");
	is_int(vs.results.n, 4, "four findings: openssl x2, linux, curl");
	const struct match_result *r = vec_at(&vs.results, 0);
	ok(r && strcmp(r->cve, "CVE-2024-0005") == 0 && r->kev && r->kev_ransomware,
	    "KEV kernel CVE leads");
	struct vuln_scan_action act;
	ok(vuln_scan_action(&a, r, &act) == MAMORI_OK && act.reboot &&
	    strcmp(act.command, "apt-get install --only-upgrade linux-image-6.1.0-29-amd64") == 0,
	    "kernel action: upgrade + reboot");
	r = vec_at(&vs.results, 1);
	ok(strcmp(r->cve, "CVE-2024-0001") == 0 && r->state == MATCH_FIXABLE &&
	    r->epss > 0.4 && strcmp(r->severity, "high") == 0 && r->jvn_id &&
	    strcmp(r->jvn_id, "JVNDB-2024-000123") == 0, "openssl fixable with EPSS, CVSS, JVN");
	ok(vuln_scan_action(&a, r, &act) == MAMORI_OK &&
	    strcmp(act.command, "apt-get install --only-upgrade libssl3 openssl") == 0 &&
	    strstr(act.ja, "3.0.15-1~deb12u1 以降") != NULL, "exact apt-get line, Japanese action");
	size_t minor = 0, unfixed = 0;
	for (size_t i = 0; i < vs.results.n; i++) {
		const struct match_result *x = vec_at(&vs.results, i);
		minor += x->state == MATCH_MINOR;
		unfixed += x->state == MATCH_UNFIXED;
		ok(strcmp(x->cve, "CVE-2023-0002") && strcmp(x->cve, "CVE-2022-0004") &&
		    strcmp(x->cve, "CVE-2024-0007"), "%s is not a fixed or not-affected one", x->cve);
	}
	is_int(minor, 2, "unimportant and no-DSA are minor");
	is_int(unfixed, 0, "nothing plainly unfixed");
	is_int(vs.groups.n, 3, "grouped into linux, openssl, curl");
	bool stale = false;
	for (size_t i = 0; i < vs.warnings.n; i++)
		stale |= strstr(((struct vuln_scan_warning *)vec_at(&vs.warnings, i))->en, "kev") != NULL;
	ok(stale, "30-day-old KEV data is a warning");

	/* Recording and the difference to the previous check. */
	int64_t id1, prev1, id2, prev2;
	ok(store_vuln_scan_begin(db, "host", "h", now, "/", &id1, &prev1) == MAMORI_OK && prev1 == 0,
	    "first recorded check");
	store_vuln_scan_add(db, id1, "CVE-OLD", "openssl", "fixable");
	store_vuln_scan_add(db, id1, "CVE-2024-0001", "openssl", "fixable");
	ok(store_vuln_scan_finish(db, id1, 1, 10) == MAMORI_OK, "finish 1");
	ok(store_vuln_scan_begin(db, "host", "h", now + 1, "/", &id2, &prev2) == MAMORI_OK &&
	    prev2 == id1, "second check finds the first");
	store_vuln_scan_add(db, id2, "CVE-2024-0001", "openssl", "fixable");
	store_vuln_scan_add(db, id2, "CVE-NEW", "curl", "unfixed");
	struct diff_counts counts = { 0, 0, false, false };
	ok(store_vuln_scan_diff(db, id2, prev2, count_change, &counts) == MAMORI_OK, "diff");
	ok(counts.nnew == 1 && counts.saw_new, "CVE-NEW is new");
	ok(counts.nfixed == 1 && counts.saw_fixed, "CVE-OLD is fixed");
	ok(store_vuln_scan_finish(db, id2, 1, 10) == MAMORI_OK, "finish 2");
	db_close(db);
	unlink(path);
	arena_release(&a);
}

int
main(void)
{
	test_group();
	test_states();
	test_ranges();
	test_order();
	test_db();
	return done_testing();
}
