/*
 * vuln_output.c - printing a vuln_scan.
 */
#include "agent/vuln_output.h"

#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "common/err.h"

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

struct jw {
	yajl_gen g;
	FILE *out;
	bool bad;
};

/* yajl collects output in its own buffer (a print callback would be one
 * stdio call per token); it is handed to stdio after each entry. */
static void
jw_flush(struct jw *w)
{
	const unsigned char *buf;
	size_t len;
	if (yajl_gen_get_buf(w->g, &buf, &len) != yajl_gen_status_ok) {
		w->bad = true;
		return;
	}
	if (len && fwrite(buf, 1, len, w->out) != len)
		w->bad = true;
	yajl_gen_clear(w->g);
}

/* Strings from feeds may hold invalid UTF-8: such bytes become '?'. */
static void
jw_str(struct jw *w, const char *s)
{
	if (!s) {
		w->bad |= yajl_gen_null(w->g) != yajl_gen_status_ok;
		return;
	}
	size_t n = strlen(s);
	yajl_gen_status st = yajl_gen_string(w->g, (const unsigned char *)s, n);
	if (st == yajl_gen_invalid_string) {
		char *copy = malloc(n + 1);
		if (!copy) {
			w->bad = true;
			return;
		}
		for (size_t i = 0; i <= n; i++)
			copy[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
		st = yajl_gen_string(w->g, (const unsigned char *)copy, n);
		free(copy);
	}
	w->bad |= st != yajl_gen_status_ok;
}

static void
jw_key(struct jw *w, const char *k)
{
	w->bad |= yajl_gen_string(w->g, (const unsigned char *)k, strlen(k)) != yajl_gen_status_ok;
}

static void
kv_str(struct jw *w, const char *k, const char *v)
{
	jw_key(w, k);
	jw_str(w, v);
}

static void
kv_bool(struct jw *w, const char *k, bool v)
{
	jw_key(w, k);
	w->bad |= yajl_gen_bool(w->g, v) != yajl_gen_status_ok;
}

static void
kv_int(struct jw *w, const char *k, long long v)
{
	jw_key(w, k);
	w->bad |= yajl_gen_integer(w->g, v) != yajl_gen_status_ok;
}

/* A number, or null when unknown (< 0). */
static void
kv_num(struct jw *w, const char *k, double v)
{
	jw_key(w, k);
	w->bad |= (v >= 0 ? yajl_gen_double(w->g, v) : yajl_gen_null(w->g)) != yajl_gen_status_ok;
}

static void
jw_open(struct jw *w, bool array)
{
	w->bad |= (array ? yajl_gen_array_open(w->g) : yajl_gen_map_open(w->g)) !=
	    yajl_gen_status_ok;
}

static void
jw_close(struct jw *w, bool array)
{
	w->bad |= (array ? yajl_gen_array_close(w->g) : yajl_gen_map_close(w->g)) !=
	    yajl_gen_status_ok;
}

static void
kv_strings(struct jw *w, const char *k, const struct vec *v)
{
	jw_key(w, k);
	jw_open(w, true);
	for (size_t i = 0; i < v->n; i++)
		jw_str(w, *(const char **)vec_at(v, i));
	jw_close(w, true);
}

static void
kv_action(struct jw *w, const struct vuln_scan_action *act, enum lang lang)
{
	kv_str(w, "action", lang == LANG_JA ? act->ja : act->en);
	kv_str(w, "action_en", act->en);
	kv_str(w, "action_ja", act->ja);
	kv_str(w, "command", act->command);
	kv_bool(w, "reboot", act->reboot);
}

static int
result_json(struct jw *w, const struct match_result *r, struct arena *a, enum lang lang)
{
	struct vuln_scan_action act;
	if (vuln_scan_action(a, r, &act) != MAMORI_OK)
		return MAMORI_E_NOMEM;
	jw_open(w, false);
	kv_str(w, "cve", r->cve);
	kv_str(w, "source_package", r->source->name);
	kv_strings(w, "packages", &r->source->binaries);
	kv_str(w, "installed_version", r->source->version);
	kv_str(w, "fixed_version", r->fixed_version);
	kv_str(w, "state", match_state_name(r->state));
	/* "fixed upstream, not in your mirror" vs "upgrade available now";
	 * null when the host's package lists were not known. */
	jw_key(w, "fix_in_mirror");
	if (r->state != MATCH_FIXABLE || !r->source->available)
		w->bad |= yajl_gen_null(w->g) != yajl_gen_status_ok;
	else
		w->bad |= yajl_gen_bool(w->g, !match_fix_missing(r->source, r->fixed_version)) !=
		    yajl_gen_status_ok;
	kv_str(w, "available_version", r->source->available);
	kv_bool(w, "kev", r->kev);
	if (r->kev) {
		kv_str(w, "kev_date_added", r->kev_date_added);
		kv_str(w, "kev_due_date", r->kev_due_date);
		kv_bool(w, "kev_ransomware", r->kev_ransomware);
	}
	kv_num(w, "epss", r->epss);
	kv_num(w, "epss_percentile", r->epss_percentile);
	kv_str(w, "severity", r->severity ? r->severity : "unknown");
	kv_num(w, "cvss", r->cvss);
	kv_str(w, "urgency", r->urgency);
	kv_str(w, "jvn", r->jvn_id);
	kv_str(w, "jvn_title", r->jvn_title);
	kv_str(w, "jvn_link", r->jvn_link);
	kv_str(w, "description", r->description);
	kv_action(w, &act, lang);
	jw_close(w, false);
	return MAMORI_OK;
}

static int
group_json(struct jw *w, const struct vuln_scan *vs, const struct vuln_scan_group *g,
    struct arena *a, enum lang lang)
{
	struct vuln_scan_action act;
	if (vuln_scan_group_action(vs, g, a, &act) != MAMORI_OK)
		return MAMORI_E_NOMEM;
	jw_open(w, false);
	kv_str(w, "source_package", g->source->name);
	kv_strings(w, "packages", &g->source->binaries);
	kv_str(w, "installed_version", g->source->version);
	kv_str(w, "fixed_version", g->fixed_version);
	kv_bool(w, "kev", g->kev);
	kv_int(w, "fixable", (long long)g->nfixable);
	kv_int(w, "unfixed", (long long)g->nunfixed);
	kv_int(w, "minor", (long long)g->nminor);
	jw_key(w, "cves");
	jw_open(w, true);
	/* Its results are spread over the list: stop at the last one. */
	for (size_t i = g->first, n = 0; n < g->ncves && i < vs->results.n; i++) {
		const struct match_result *r = vec_at(&vs->results, i);
		if (r->source == g->source) {
			jw_str(w, r->cve);
			n++;
		}
	}
	jw_close(w, true);
	kv_action(w, &act, lang);
	jw_close(w, false);
	return MAMORI_OK;
}

static void
changes_json(struct jw *w, const char *k, const struct vec *v)
{
	jw_key(w, k);
	jw_open(w, true);
	for (size_t i = 0; i < v->n; i++) {
		const struct vuln_output_change *c = vec_at(v, i);
		jw_open(w, false);
		kv_str(w, "cve", c->cve);
		kv_str(w, "source_package", c->source_package);
		kv_str(w, "state", c->state);
		jw_close(w, false);
	}
	jw_close(w, true);
}

int
vuln_output_json(const struct vuln_scan *vs, struct arena *a, enum lang lang,
    time_t now, const struct vuln_output_changes *ch, FILE *out)
{
	struct jw w = { yajl_gen_alloc(NULL), out, false };
	int rc = MAMORI_OK;
	/* Each action's texts are written at once: one scratch block reused
	 * instead of ~1 KB of the scan's arena per result. */
	struct arena scratch;
	arena_init(&scratch, 0);
	if (!w.g)
		return MAMORI_E_NOMEM;
	/* validate_utf8 makes yajl refuse bad strings instead of writing them. */
	if (!yajl_gen_config(w.g, yajl_gen_validate_utf8, 1) ||
	    !yajl_gen_config(w.g, yajl_gen_beautify, 1) ||
	    !yajl_gen_config(w.g, yajl_gen_indent_string, " ")) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	jw_open(&w, false);
	kv_int(&w, "mamori_vuln_version", 1);
	kv_int(&w, "generated_at", (long long)now);
	kv_str(&w, "distro", vs->distro);
	kv_str(&w, "release", vs->release);
	kv_bool(&w, "have_data", vs->have_data);
	jw_key(&w, "summary");
	jw_open(&w, false);
	kv_int(&w, "vulnerabilities", (long long)vs->results.n);
	kv_int(&w, "packages", (long long)vs->groups.n);
	kv_int(&w, "kev", (long long)vs->nkev);
	kv_int(&w, "fixable", (long long)vs->nfixable);
	kv_int(&w, "unfixed", (long long)vs->nunfixed);
	kv_int(&w, "minor", (long long)vs->nminor);
	kv_int(&w, "fixable_not_in_mirror", (long long)vs->nnot_in_mirror);
	kv_int(&w, "match_ms", (long long)vs->match_ms);
	jw_close(&w, false);
	jw_key(&w, "vulnerabilities");
	jw_open(&w, true);
	for (size_t i = 0; !rc && i < vs->results.n; i++) {
		arena_reset(&scratch);
		rc = result_json(&w, vec_at(&vs->results, i), &scratch, lang);
		jw_flush(&w);
	}
	jw_close(&w, true);
	jw_key(&w, "groups");
	jw_open(&w, true);
	for (size_t i = 0; !rc && i < vs->groups.n; i++) {
		arena_reset(&scratch);
		rc = group_json(&w, vs, vec_at(&vs->groups, i), &scratch, lang);
		jw_flush(&w);
	}
	jw_close(&w, true);
	jw_key(&w, "warnings");
	jw_open(&w, true);
	for (size_t i = 0; i < vs->warnings.n; i++) {
		const struct vuln_scan_warning *x = vec_at(&vs->warnings, i);
		jw_open(&w, false);
		kv_str(&w, "message", lang == LANG_JA ? x->ja : x->en);
		kv_str(&w, "en", x->en);
		kv_str(&w, "ja", x->ja);
		jw_close(&w, false);
	}
	jw_close(&w, true);
	jw_key(&w, "sources");
	jw_open(&w, true);
	for (size_t i = 0; i < vs->sources.n; i++) {
		const struct vuln_scan_source *x = vec_at(&vs->sources, i);
		jw_open(&w, false);
		kv_str(&w, "kind", x->kind);
		kv_str(&w, "origin", x->origin);
		kv_int(&w, "date", (long long)x->date);
		kv_bool(&w, "stale", x->stale);
		jw_close(&w, false);
	}
	jw_close(&w, true);
	if (ch) {
		jw_key(&w, "changes");
		jw_open(&w, false);
		kv_bool(&w, "first_scan", ch->first_scan);
		changes_json(&w, "new", &ch->new_vulns);
		changes_json(&w, "fixed", &ch->fixed_vulns);
		jw_close(&w, false);
	}
	jw_close(&w, false);
	jw_flush(&w);
	if (!rc && w.bad)
		rc = ferror(out) ? MAMORI_E_IO : MAMORI_E_NOMEM;
	if (!rc && (fputc('\n', out) == EOF || ferror(out)))
		rc = MAMORI_E_IO;
out:
	arena_release(&scratch);
	yajl_gen_free(w.g);
	return rc;
}

static const char *
sarif_level(const struct match_result *r)
{
	if (r->kev)
		return "error";
	switch (match_severity_rank(r->severity)) {
	case 4:
	case 3:
		return "error";
	case 2:
		return "warning";
	default:
		return "note";
	}
}

json_t *
vuln_output_sarif(const struct vuln_scan *vs, struct arena *a, enum lang lang)
{
	json_t *rules = json_array(), *results = json_array();
	int bad = !rules || !results;
	for (size_t i = 0; !bad && i < vs->results.n; i++) {
		const struct match_result *r = vec_at(&vs->results, i);
		struct vuln_scan_action act;
		if (vuln_scan_action(a, r, &act) != MAMORI_OK) {
			bad = 1;
			break;
		}
		const char *text = arena_printf(a, "%s in %s %s (%s)%s. %s", r->cve,
		    r->source->name, r->source->version, match_state_name(r->state),
		    r->kev ? ", actively exploited (CISA KEV)" : "",
		    lang == LANG_JA ? act.ja : act.en);
		bad |= !text;
		if (bad)
			break;
		bad |= json_array_append_new(rules, json_pack("{s:s, s:{s:s}, s:s}",
		    "id", r->cve, "shortDescription", "text", r->description ? r->description : r->cve,
		    "helpUri", arena_printf(a, "https://security-tracker.debian.org/tracker/%s", r->cve)));
		bad |= json_array_append_new(results, json_pack(
		    "{s:s, s:s, s:{s:s}, s:[{s:{s:{s:s}}}], s:{s:s, s:s, s:o, s:b}}",
		    "ruleId", r->cve, "level", sarif_level(r), "message", "text", text,
		    "locations", "physicalLocation", "artifactLocation", "uri",
		    arena_printf(a, "pkg:%s/%s@%s", r->source->format == VERSION_RPM ? "rpm" :
		    r->source->format == VERSION_APK ? "apk" : "deb", r->source->name, r->source->version),
		    "properties", "state", match_state_name(r->state), "severity", r->severity,
		    "fixed_version", str_or_null(r->fixed_version), "kev", r->kev));
	}
	if (bad) {
		json_decref(rules);
		json_decref(results);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}}, s:o}]}",
	    "$schema", "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
	    "runs", "tool", "driver", "name", "mamori", "version", MAMORI_VERSION,
	    "informationUri", "https://github.com/mamori", "rules", rules, "results", results);
}

static const char *
purl_type(enum version_format f)
{
	return f == VERSION_RPM ? "rpm" : f == VERSION_APK ? "apk" : "deb";
}

json_t *
vuln_output_cyclonedx(const struct vuln_scan *vs, struct arena *a, time_t now)
{
	json_t *components = json_array(), *vulns = json_array();
	int bad = !components || !vulns;
	const char *ns = vs->distro ? vs->distro : "unknown";
	char ts[32];
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);

	for (size_t i = 0; !bad && i < vs->installed.n; i++) {
		const struct match_source *s = vec_at(&vs->installed, i);
		const char *ref = arena_printf(a, "pkg:%s/%s/%s@%s?arch=source", purl_type(s->format),
		    ns, s->name, s->version);
		bad |= !ref || json_array_append_new(components, json_pack(
		    "{s:s, s:s, s:s, s:s, s:s}", "type", "library", "bom-ref", ref, "name", s->name,
		    "version", s->version, "purl", ref));
	}
	for (size_t i = 0; !bad && i < vs->results.n; i++) {
		const struct match_result *r = vec_at(&vs->results, i);
		const struct match_source *s = r->source;
		const char *ref = arena_printf(a, "pkg:%s/%s/%s@%s?arch=source", purl_type(s->format),
		    ns, s->name, s->version);
		const char *state = "exploitable";
		json_t *ratings = json_array();
		if (ratings && r->cvss >= 0)
			json_array_append_new(ratings, json_pack("{s:f, s:s}", "score", r->cvss,
			    "severity", r->severity));
		else if (ratings)
			json_array_append_new(ratings, json_pack("{s:s}", "severity",
			    strcmp(r->severity, "unknown") == 0 ? "unknown" : r->severity));
		bad |= !ref || json_array_append_new(vulns, json_pack(
		    "{s:s, s:{s:s, s:s}, s:o, s:s, s:[{s:s}], s:{s:s}, s:[{s:s, s:s}]}",
		    "id", r->cve, "source", "name", "NVD", "url",
		    arena_printf(a, "https://nvd.nist.gov/vuln/detail/%s", r->cve),
		    "ratings", ratings ? ratings : json_array(),
		    "recommendation", r->fixed_version ? arena_printf(a, "Upgrade %s to %s",
		    s->name, r->fixed_version) : "No fix available yet",
		    "affects", "ref", ref, "analysis", "state", state,
		    "properties", "name", "mamori:state", "value", match_state_name(r->state)));
	}
	if (bad) {
		json_decref(components);
		json_decref(vulns);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:i, s:{s:s, s:{s:[{s:s, s:s}]}}, s:o, s:o}",
	    "bomFormat", "CycloneDX", "specVersion", "1.5", "version", 1,
	    "metadata", "timestamp", ts, "tools", "components", "type", "application",
	    "name", "mamori", "components", components, "vulnerabilities", vulns);
}

int
vuln_output_text(const struct vuln_scan *vs, struct arena *a, enum lang lang,
    const struct vuln_output_changes *ch, FILE *out)
{
	bool ja = lang == LANG_JA;
	for (size_t i = 0; i < vs->warnings.n; i++) {
		const struct vuln_scan_warning *w = vec_at(&vs->warnings, i);
		fprintf(out, "%s %s\n", ja ? "注意:" : "warning:", ja ? w->ja : w->en);
	}
	if (!vs->have_data)
		return MAMORI_OK;
	/* The actions are printed at once: one scratch block reused. */
	struct arena scratch;
	arena_init(&scratch, 0);
	(void)a;
	if (ja)
		fprintf(out, "既知の脆弱性: %zu 件（%zu パッケージ）。悪用が確認済み %zu 件、修正版あり %zu 件、"
		    "修正版なし %zu 件、軽微 %zu 件。\n", vs->results.n, vs->groups.n, vs->nkev,
		    vs->nfixable, vs->nunfixed, vs->nminor);
	else
		fprintf(out, "Known vulnerabilities: %zu in %zu packages; %zu actively exploited, "
		    "%zu fixable, %zu without a fix, %zu minor.\n", vs->results.n, vs->groups.n,
		    vs->nkev, vs->nfixable, vs->nunfixed, vs->nminor);
	if (vs->nnot_in_mirror)
		fprintf(out, ja ? "うち %zu 件は修正版がまだ取得元（ミラー）に届いていません。\n" :
		    "Of the fixable ones, %zu are not in your package mirror yet.\n", vs->nnot_in_mirror);
	if (ch && !ch->first_scan) {
		size_t nnew = ch->new_vulns.n, nfix = ch->fixed_vulns.n;
		fprintf(out, ja ? "前回の確認から: 新規 %zu 件、解消 %zu 件。\n" :
		    "Since the last check: %zu new, %zu fixed.\n", nnew, nfix);
	}
	for (size_t i = 0; i < vs->groups.n; i++) {
		const struct vuln_scan_group *g = vec_at(&vs->groups, i);
		const struct match_result *first = vec_at(&vs->results, g->first);
		struct vuln_scan_action act;
		arena_reset(&scratch);
		if (vuln_scan_group_action(vs, g, &scratch, &act) != MAMORI_OK) {
			arena_release(&scratch);
			return MAMORI_E_NOMEM;
		}
		fprintf(out, "\n%s%s %s: %zu CVE", g->kev ? (ja ? "[悪用確認済み] " : "[EXPLOITED] ") : "",
		    g->source->name, g->source->version, g->ncves);
		size_t shown = 0;
		for (size_t j = g->first; j < vs->results.n && shown < 5 && shown < g->ncves; j++) {
			const struct match_result *r = vec_at(&vs->results, j);
			if (r->source != g->source)
				continue;
			fprintf(out, "%s%s%s", shown ? ", " : " (", r->cve, r->kev ? "*" : "");
			shown++;
		}
		fprintf(out, "%s\n", g->ncves > 5 ? ", ...)" : ")");
		if (first->kev && first->kev_due_date)
			fprintf(out, ja ? "  CISA が悪用を確認（対応期限 %s%s）\n" :
			    "  Exploited in the wild per CISA KEV (due %s%s)\n", first->kev_due_date,
			    first->kev_ransomware ? (ja ? "、ランサムウェアで使用" : ", used by ransomware") : "");
		if (first->jvn_id)
			fprintf(out, "  JVN: %s %s\n", first->jvn_id, first->jvn_title ? first->jvn_title : "");
		fprintf(out, "  %s\n", ja ? act.ja : act.en);
	}
	arena_release(&scratch);
	return MAMORI_OK;
}
