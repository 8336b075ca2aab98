/*
 * vuln_output.c - printing a vuln_scan.
 */
#include "agent/vuln_output.h"

#include <string.h>

#include "common/err.h"

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
num_or_null(double v)
{
	return v >= 0 ? json_real(v) : json_null();
}

static json_t *
string_array(const struct vec *v)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < v->n; i++)
		if (json_array_append_new(arr, json_string(*(const char **)vec_at(v, i))) != 0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

static json_t *
result_json(const struct match_result *r, struct arena *a, enum lang lang)
{
	struct vuln_scan_action act;
	if (vuln_scan_action(a, r, &act) != MAMORI_OK)
		return NULL;
	json_t *o = json_object();
	if (!o)
		return NULL;
	int bad = 0;
	bad |= json_object_set_new(o, "cve", json_string(r->cve));
	bad |= json_object_set_new(o, "source_package", json_string(r->source->name));
	bad |= json_object_set_new(o, "packages", string_array(&r->source->binaries));
	bad |= json_object_set_new(o, "installed_version", json_string(r->source->version));
	bad |= json_object_set_new(o, "fixed_version", str_or_null(r->fixed_version));
	bad |= json_object_set_new(o, "state", json_string(match_state_name(r->state)));
	bad |= json_object_set_new(o, "kev", json_boolean(r->kev));
	if (r->kev) {
		bad |= json_object_set_new(o, "kev_date_added", str_or_null(r->kev_date_added));
		bad |= json_object_set_new(o, "kev_due_date", str_or_null(r->kev_due_date));
		bad |= json_object_set_new(o, "kev_ransomware", json_boolean(r->kev_ransomware));
	}
	bad |= json_object_set_new(o, "epss", num_or_null(r->epss));
	bad |= json_object_set_new(o, "epss_percentile", num_or_null(r->epss_percentile));
	bad |= json_object_set_new(o, "severity", json_string(r->severity ? r->severity : "unknown"));
	bad |= json_object_set_new(o, "cvss", num_or_null(r->cvss));
	bad |= json_object_set_new(o, "urgency", str_or_null(r->urgency));
	bad |= json_object_set_new(o, "jvn", str_or_null(r->jvn_id));
	bad |= json_object_set_new(o, "jvn_title", str_or_null(r->jvn_title));
	bad |= json_object_set_new(o, "jvn_link", str_or_null(r->jvn_link));
	bad |= json_object_set_new(o, "description", str_or_null(r->description));
	bad |= json_object_set_new(o, "action", json_string(lang == LANG_JA ? act.ja : act.en));
	bad |= json_object_set_new(o, "action_en", json_string(act.en));
	bad |= json_object_set_new(o, "action_ja", json_string(act.ja));
	bad |= json_object_set_new(o, "command", json_string(act.command));
	bad |= json_object_set_new(o, "reboot", json_boolean(act.reboot));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
group_json(const struct vuln_scan *vs, const struct vuln_scan_group *g,
    struct arena *a, enum lang lang)
{
	const struct match_result *first = vec_at(&vs->results, g->first);
	struct match_result fix = *first;
	struct vuln_scan_action act;
	json_t *cves = json_array();
	if (!cves)
		return NULL;
	for (size_t i = g->first; i < vs->results.n; i++) {
		const struct match_result *r = vec_at(&vs->results, i);
		if (r->source == g->source && json_array_append_new(cves, json_string(r->cve))) {
			json_decref(cves);
			return NULL;
		}
	}
	/* The group's action upgrades to the highest fixed version. */
	fix.fixed_version = g->fixed_version;
	fix.state = g->nfixable ? MATCH_FIXABLE : g->nunfixed ? MATCH_UNFIXED : MATCH_MINOR;
	if (vuln_scan_action(a, &fix, &act) != MAMORI_OK) {
		json_decref(cves);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:s, s:o, s:b, s:i, s:i, s:i, s:o, s:s, s:s, s:s, s:s, s:b}",
	    "source_package", g->source->name,
	    "packages", string_array(&g->source->binaries),
	    "installed_version", g->source->version,
	    "fixed_version", str_or_null(g->fixed_version),
	    "kev", g->kev,
	    "fixable", (int)g->nfixable, "unfixed", (int)g->nunfixed, "minor", (int)g->nminor,
	    "cves", cves,
	    "action", lang == LANG_JA ? act.ja : act.en,
	    "action_en", act.en, "action_ja", act.ja,
	    "command", act.command, "reboot", act.reboot);
}

json_t *
vuln_output_json(const struct vuln_scan *vs, struct arena *a, enum lang lang,
    time_t now, const struct vuln_output_changes *ch)
{
	json_t *doc = json_object(), *arr, *groups, *warnings, *sources;
	if (!doc)
		return NULL;
	arr = json_array();
	groups = json_array();
	warnings = json_array();
	sources = json_array();
	int bad = !arr || !groups || !warnings || !sources;
	bad |= json_object_set_new(doc, "mamori_vuln_version", json_integer(1));
	bad |= json_object_set_new(doc, "generated_at", json_integer((json_int_t)now));
	bad |= json_object_set_new(doc, "distro", str_or_null(vs->distro));
	bad |= json_object_set_new(doc, "release", str_or_null(vs->release));
	bad |= json_object_set_new(doc, "have_data", json_boolean(vs->have_data));
	bad |= json_object_set_new(doc, "summary", json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:I}",
	    "vulnerabilities", (int)vs->results.n, "packages", (int)vs->groups.n,
	    "kev", (int)vs->nkev, "fixable", (int)vs->nfixable, "unfixed", (int)vs->nunfixed,
	    "minor", (int)vs->nminor, "match_ms", (json_int_t)vs->match_ms));
	for (size_t i = 0; !bad && i < vs->results.n; i++)
		bad |= json_array_append_new(arr, result_json(vec_at(&vs->results, i), a, lang));
	for (size_t i = 0; !bad && i < vs->groups.n; i++)
		bad |= json_array_append_new(groups, group_json(vs, vec_at(&vs->groups, i), a, lang));
	for (size_t i = 0; !bad && i < vs->warnings.n; i++) {
		const struct vuln_scan_warning *w = vec_at(&vs->warnings, i);
		bad |= json_array_append_new(warnings, json_pack("{s:s, s:s, s:s}",
		    "message", lang == LANG_JA ? w->ja : w->en, "en", w->en, "ja", w->ja));
	}
	for (size_t i = 0; !bad && i < vs->sources.n; i++) {
		const struct vuln_scan_source *s = vec_at(&vs->sources, i);
		bad |= json_array_append_new(sources, json_pack("{s:s, s:s, s:I, s:b}",
		    "kind", s->kind, "origin", s->origin, "date", (json_int_t)s->date,
		    "stale", s->stale));
	}
	bad |= json_object_set_new(doc, "vulnerabilities", arr);
	bad |= json_object_set_new(doc, "groups", groups);
	bad |= json_object_set_new(doc, "warnings", warnings);
	bad |= json_object_set_new(doc, "sources", sources);
	if (ch && !bad) {
		json_t *c = json_object();
		bad |= !c;
		if (c) {
			bad |= json_object_set_new(c, "first_scan", json_boolean(ch->first_scan));
			bad |= json_object_set(c, "new", ch->new_vulns ? ch->new_vulns : json_array());
			bad |= json_object_set(c, "fixed", ch->fixed_vulns ? ch->fixed_vulns : json_array());
			bad |= json_object_set_new(doc, "changes", c);
		}
	}
	if (bad) {
		json_decref(doc);
		return NULL;
	}
	return doc;
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
	if (ja)
		fprintf(out, "既知の脆弱性: %zu 件（%zu パッケージ）。悪用が確認済み %zu 件、修正版あり %zu 件、"
		    "修正版なし %zu 件、軽微 %zu 件。\n", vs->results.n, vs->groups.n, vs->nkev,
		    vs->nfixable, vs->nunfixed, vs->nminor);
	else
		fprintf(out, "Known vulnerabilities: %zu in %zu packages; %zu actively exploited, "
		    "%zu fixable, %zu without a fix, %zu minor.\n", vs->results.n, vs->groups.n,
		    vs->nkev, vs->nfixable, vs->nunfixed, vs->nminor);
	if (ch && !ch->first_scan) {
		size_t nnew = ch->new_vulns ? json_array_size(ch->new_vulns) : 0;
		size_t nfix = ch->fixed_vulns ? json_array_size(ch->fixed_vulns) : 0;
		fprintf(out, ja ? "前回の確認から: 新規 %zu 件、解消 %zu 件。\n" :
		    "Since the last check: %zu new, %zu fixed.\n", nnew, nfix);
	}
	for (size_t i = 0; i < vs->groups.n; i++) {
		const struct vuln_scan_group *g = vec_at(&vs->groups, i);
		const struct match_result *first = vec_at(&vs->results, g->first);
		struct match_result fix = *first;
		struct vuln_scan_action act;
		fix.fixed_version = g->fixed_version;
		fix.state = g->nfixable ? MATCH_FIXABLE : g->nunfixed ? MATCH_UNFIXED : MATCH_MINOR;
		if (vuln_scan_action(a, &fix, &act) != MAMORI_OK)
			return MAMORI_E_NOMEM;
		fprintf(out, "\n%s%s %s: %zu CVE", g->kev ? (ja ? "[悪用確認済み] " : "[EXPLOITED] ") : "",
		    g->source->name, g->source->version, g->ncves);
		size_t shown = 0;
		for (size_t j = g->first; j < vs->results.n && shown < 5; j++) {
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
	return MAMORI_OK;
}
