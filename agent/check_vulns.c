/*
 * check_vulns.c - basic #1 (keep software updated): installed packages with
 * known vulnerabilities, from the data imported by `mamori vuln update`.
 *
 * The database is mamori's own (storage.path, else the default path), not
 * a file of the scanned root. Missing or stale data is a scan warning, and
 * the checks are marked skipped, never failed.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/check.h"
#include "common/err.h"
#include "storage/db.h"
#include "agent/vuln_mirror.h"
#include "agent/vuln_scan.h"

enum { DEF_EXPLOITED, DEF_VULNERABLE, DEF_UNFIXED };

static const struct check_def defs[] = {
	[DEF_EXPLOITED] = {
		"updates.exploited", 1, SEV_CRITICAL,
		{ "Installed software has vulnerabilities that attackers are exploiting now",
		  "攻撃者が現在悪用している脆弱性のあるソフトウェアがインストールされています" },
		{ "These holes are on the US CISA list of vulnerabilities used in real attacks "
		  "(often by ransomware groups); unpatched ones are how most break-ins start.",
		  "米国 CISA が実際の攻撃で使われていると公表している脆弱性です（ランサムウェアに使われる"
		  "ことも多い）。修正していない脆弱性は侵入の主な入口です。" },
		{ "Update these packages today with the command shown for each, and restart the "
		  "computer if the kernel is among them.",
		  "本日中に、各項目に示したコマンドでパッケージを更新してください。カーネルが含まれる場合は"
		  "コンピュータを再起動してください。" },
	},
	[DEF_VULNERABLE] = {
		"updates.vulnerable_packages", 1, SEV_HIGH,
		{ "Installed packages have known vulnerabilities with a fix available",
		  "修正版が公開されている既知の脆弱性を持つパッケージがあります" },
		{ "The distribution has published fixed versions; until they are installed, anyone "
		  "who knows the published flaw can use it against this computer.",
		  "ディストリビューションが修正版を公開しています。更新するまでは、公開された欠陥を知って"
		  "いる人なら誰でもこのコンピュータへの攻撃に使えます。" },
		{ "Run the upgrade command shown for each package (as root), or simply "
		  "'apt-get update && apt-get upgrade', and turn on automatic security updates.",
		  "各パッケージに示した更新コマンドを管理者権限で実行するか、'apt-get update && "
		  "apt-get upgrade' を実行してください。自動セキュリティ更新も有効にしてください。" },
	},
	[DEF_UNFIXED] = {
		"updates.unfixed_vulnerabilities", 1, SEV_LOW,
		{ "Some installed packages have known vulnerabilities without a fix yet",
		  "まだ修正版のない既知の脆弱性を持つパッケージがあります" },
		{ "No update exists yet, so the only protection is limiting who can reach these "
		  "programs or removing the ones you do not need.",
		  "まだ更新がないため、これらのプログラムを使える人を制限するか、不要なものを削除する"
		  "ことが唯一の対策です。" },
		{ "Remove the listed packages you do not use; keep the rest reachable only from "
		  "trusted users, and import fresh data with 'mamori vuln update' every week.",
		  "使っていないパッケージは削除してください。残すものは信頼できる利用者だけが使えるように"
		  "し、毎週 'mamori vuln update' で最新のデータを取り込んでください。" },
	},
};

static json_t *
group_evidence(const struct vuln_scan *vs, const struct vuln_scan_group *g,
    const struct vuln_scan_action *act, bool kev_only)
{
	json_t *cves = json_array(), *bins = json_array();
	for (size_t i = g->first; cves && i < vs->results.n; i++) {
		const struct match_result *r = vec_at(&vs->results, i);
		if (r->source != g->source || (kev_only && !r->kev))
			continue;
		json_array_append_new(cves, json_pack("{s:s, s:s, s:s, s:b, s:o}", "cve", r->cve,
		    "state", match_state_name(r->state), "severity", r->severity, "kev", r->kev,
		    "kev_due_date", r->kev_due_date ? json_string(r->kev_due_date) : json_null()));
	}
	for (size_t i = 0; bins && i < g->source->binaries.n; i++)
		json_array_append_new(bins, json_string(*(const char **)vec_at(&g->source->binaries, i)));
	return json_pack("{s:s, s:o, s:s, s:o, s:o, s:s, s:b}",
	    "source_package", g->source->name, "packages", bins ? bins : json_array(),
	    "installed_version", g->source->version,
	    "fixed_version", g->fixed_version ? json_string(g->fixed_version) : json_null(),
	    "cves", cves ? cves : json_array(), "command", act->command, "reboot", act->reboot);
}

/* "CVE-1, CVE-2, CVE-3 and 4 more" from a group's results. */
static char *
cve_list(struct arena *a, const struct vuln_scan *vs, const struct vuln_scan_group *g,
    bool kev_only, size_t *count)
{
	char buf[256];
	size_t len = 0, shown = 0;
	*count = 0;
	buf[0] = '\0';
	for (size_t i = g->first; i < vs->results.n; i++) {
		const struct match_result *r = vec_at(&vs->results, i);
		if (r->source != g->source || (kev_only && !r->kev))
			continue;
		(*count)++;
		if (shown < 3 && len < sizeof(buf)) {
			int n = snprintf(buf + len, sizeof(buf) - len, "%s%s", shown ? ", " : "", r->cve);
			if (n > 0)
				len += (size_t)n;
			shown++;
		}
	}
	return arena_strdup(a, buf);
}

static int
add_group(struct check_run *run, const struct vuln_scan *vs,
    const struct vuln_scan_group *g, const struct check_def *def, bool kev_only)
{
	struct arena *a = run->ctx->arena;
	const struct match_result *first = vec_at(&vs->results, g->first);
	struct vuln_scan_action act;
	size_t n;

	int rc = vuln_scan_group_action(vs, g, a, &act);
	if (rc)
		return rc;
	char *list = cve_list(a, vs, g, kev_only, &n);
	if (!list)
		return MAMORI_E_NOMEM;
	char more_en[48] = "", more_ja[48] = "";
	if (n > 3) {
		snprintf(more_en, sizeof(more_en), " and %zu more", n - 3);
		snprintf(more_ja, sizeof(more_ja), " ほか %zu 件", n - 3);
	}
	char *en = arena_printf(a, "%s %s: %s%s%s. %s", g->source->name, g->source->version, list,
	    more_en, kev_only && first->kev_due_date ?
	    arena_printf(a, " (CISA due date %s%s)", first->kev_due_date,
	    first->kev_ransomware ? ", used by ransomware" : "") : "", act.en);
	char *ja = arena_printf(a, "%s %s: %s%s%s。%s", g->source->name, g->source->version, list,
	    more_ja, kev_only && first->kev_due_date ?
	    arena_printf(a, "（CISA 対応期限 %s%s）", first->kev_due_date,
	    first->kev_ransomware ? "、ランサムウェアで使用" : "") : "", act.ja);
	if (!en || !ja)
		return MAMORI_E_NOMEM;
	struct finding *f = check_add(run, def, group_evidence(vs, g, &act, kev_only), en, ja);
	if (!f)
		return MAMORI_E_NOMEM;
	if (def == &defs[DEF_VULNERABLE]) {
		/* A package whose holes are all medium or below is less urgent. */
		int worst = 0;
		for (size_t i = g->first; i < vs->results.n; i++) {
			const struct match_result *r = vec_at(&vs->results, i);
			if (r->source == g->source && r->state == MATCH_FIXABLE &&
			    match_severity_rank(r->severity) > worst)
				worst = match_severity_rank(r->severity);
		}
		f->severity = worst >= 4 ? SEV_CRITICAL : worst == 3 || worst == 0 ? SEV_HIGH :
		    SEV_MEDIUM;
	}
	return MAMORI_OK;
}

static void
skip_all(struct check_run *run, const char *why)
{
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		check_skip(run, &defs[i], "%s", why);
}

static int
run_vulns(struct check_run *run, const struct inventory *inv)
{
	struct scan_ctx *ctx = run->ctx;
	const char *path = ctx->db_path;
	struct db *db = NULL;
	struct vuln_scan vs;
	char err[512];
	int rc;

	if (!path || !*path)
		path = db_default_path();
	if (!inv->have_packages) {
		skip_all(run, "no package database was found");
		return MAMORI_OK;
	}
	/* Never create a database just to find it empty. */
	if (access(path, F_OK) != 0) {
		scan_warn(ctx, "vulnerabilities", "no vulnerability database at %s: run 'mamori vuln update'",
		    path);
		skip_all(run, "no vulnerability data imported (mamori vuln update)");
		return MAMORI_OK;
	}
	if (db_open(path, false, &db, err, sizeof(err)) != MAMORI_OK) {
		scan_warn(ctx, "vulnerabilities", "%s", err);
		skip_all(run, "the vulnerability database cannot be opened");
		return MAMORI_OK;
	}
	rc = vuln_scan_run(&vs, db, inv, ctx->now, ctx->arena);
	if (!rc)
		rc = vuln_mirror_check(&vs, ctx);
	if (rc == MAMORI_E_NOMEM)
		goto out;
	if (rc) {
		scan_warn(ctx, "vulnerabilities", "matching stopped: %s", db_errmsg(db));
		skip_all(run, "the vulnerability database could not be read");
		rc = MAMORI_OK;
		goto out;
	}
	for (size_t i = 0; i < vs.warnings.n; i++) {
		const struct vuln_scan_warning *w = vec_at(&vs.warnings, i);
		scan_warn(ctx, "vulnerabilities", "%s", w->en);
	}
	if (!vs.have_data) {
		skip_all(run, "no vulnerability data for this release");
		goto out;
	}
	bool any_unfixed = false;
	json_t *unfixed = json_array();
	size_t nunfixed_pkgs = 0;
	for (size_t i = 0; !rc && i < vs.groups.n; i++) {
		const struct vuln_scan_group *g = vec_at(&vs.groups, i);
		if (g->kev)
			rc = add_group(run, &vs, g, &defs[DEF_EXPLOITED], true);
		if (!rc && g->nfixable)
			rc = add_group(run, &vs, g, &defs[DEF_VULNERABLE], false);
		else if (!rc && g->nunfixed && !g->kev) {
			any_unfixed = true;
			nunfixed_pkgs++;
			if (unfixed)
				json_array_append_new(unfixed, json_pack("{s:s, s:s, s:i}",
				    "source_package", g->source->name, "installed_version",
				    g->source->version, "unfixed", (int)g->nunfixed));
		}
	}
	if (!rc && any_unfixed) {
		char en[256], ja[256];
		snprintf(en, sizeof(en), "%zu packages have vulnerabilities without a fix yet "
		    "(see 'mamori vuln scan' for the list).", nunfixed_pkgs);
		snprintf(ja, sizeof(ja), "%zu 個のパッケージに修正版のない脆弱性があります"
		    "（一覧は 'mamori vuln scan' で確認できます）。", nunfixed_pkgs);
		if (!check_add(run, &defs[DEF_UNFIXED], unfixed, en, ja))
			rc = MAMORI_E_NOMEM;
		unfixed = NULL;
	}
	json_decref(unfixed);
out:
	db_close(db);
	return rc;
}

const struct check_module check_vulns_module = {
	"updates", defs, sizeof(defs) / sizeof(defs[0]), run_vulns,
};
