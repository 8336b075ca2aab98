/*
 * security_action.c - ★/★★ readiness from the assessment and the scans.
 * Basics 1-4 come from the checks of the latest scans (the evidence of
 * items 1-4); basic 5 (knowing the threats) has no technical check, so it
 * is the owner's answer to item 5.
 */
#include "guide/security_action.h"

#include <string.h>


#define T(en, ja) { en, ja }

static const struct i18n_text basic_title[5] = {
	T("Keep OS and software up to date", "OS やソフトウェアは常に最新の状態にする"),
	T("Install anti-malware software", "ウイルス対策ソフトを導入する"),
	T("Strengthen passwords", "パスワードを強化する"),
	T("Review sharing settings", "共有設定を見直す"),
	T("Know the threats and attack methods", "脅威や攻撃の手口を知る"),
};

const char *
security_action_status_name(enum sa_status s)
{
	switch (s) {
	case SA_MET: return "met";
	case SA_PARTLY: return "partly";
	case SA_MISSING: return "missing";
	case SA_UNKNOWN: return "unknown";
	}
	return "unknown";
}

static struct i18n_text
status_label(enum sa_status s)
{
	switch (s) {
	case SA_MET: return (struct i18n_text)T("done", "対応済み");
	case SA_PARTLY: return (struct i18n_text)T("partly done", "一部対応");
	case SA_MISSING: return (struct i18n_text)T("not done", "未対応");
	case SA_UNKNOWN: break;
	}
	return (struct i18n_text)T("not known yet", "未確認");
}

static enum sa_status
status_of(int answer)
{
	switch (answer) {
	case ASSESS_DONE: return SA_MET;
	case ASSESS_PARTLY: return SA_PARTLY;
	case ASSESS_NOT_DONE: return SA_MISSING;
	}
	return SA_UNKNOWN;
}

/* The failing checks of one item, once per check id, with their hosts. */
static json_t *
missing_of(const struct assess_item *it)
{
	json_t *out = json_array();
	const json_t *findings = json_object_get(it->evidence, "findings");
	size_t i;
	const json_t *f;
	json_array_foreach(findings, i, f) {
		const char *id = json_string_value(json_object_get(f, "id"));
		const char *host = json_string_value(json_object_get(f, "host"));
		if (!id)
			continue;
		json_t *row = NULL;
		size_t k;
		json_t *r;
		json_array_foreach(out, k, r)
			if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0)
				row = r;
		if (!row) {
			/* Titles come in the language the scan ran in. */
			const char *title = json_string_value(json_object_get(f, "title"));
			const char *action = json_string_value(json_object_get(f, "action"));
			row = json_pack("{s:s, s:s, s:s, s:[]}", "id", id,
			    "title", title && *title ? title : id, "action", action ? action : "",
			    "hosts");
			if (!row)
				continue;
			json_array_append_new(out, row);
		}
		json_array_append_new(json_object_get(row, "hosts"), json_string(host ? host : ""));
	}
	return out;
}

void
security_action_eval(struct security_action *sa, const struct assess *a,
    int64_t drafted_at, int64_t published_at, const char *published_where)
{
	memset(sa, 0, sizeof(*sa));
	sa->star1 = true;
	for (int k = 0; k < 5; k++) {
		const struct assess_item *it = &a->item[k];
		struct sa_basic *b = &sa->basic[k];
		if (k < 4 && it->evidence_answer != ASSESS_NONE) {
			b->status = status_of(it->evidence_answer);
			b->from_scan = true;
		} else {
			b->status = it->source == ASSESS_SRC_MANUAL ? status_of(it->answer) : SA_UNKNOWN;
		}
		b->missing = missing_of(it);
		sa->star1 = sa->star1 && b->status == SA_MET;
	}
	sa->assessment_done = a->unanswered == 0;
	sa->policy_drafted = drafted_at > 0;
	sa->policy_drafted_at = drafted_at;
	sa->policy_published = published_at > 0;
	sa->policy_published_at = published_at;
	sa->policy_where = published_where;
	sa->star2 = sa->assessment_done && sa->policy_drafted && sa->policy_published;
}

void
security_action_release(struct security_action *sa)
{
	for (int k = 0; k < 5; k++)
		json_decref(sa->basic[k].missing);
	memset(sa, 0, sizeof(*sa));
}

static const struct i18n_text note_declare = T(
    "SECURITY ACTION is a self-declaration: the company declares its own commitment on IPA's site. mamori only shows how ready you are.",
    "SECURITY ACTION は、企業が自ら取り組みを宣言する制度です（IPA の自己宣言サイトで宣言します）。mamori は準備の状況を示すだけです。");

json_t *
security_action_json(const struct security_action *sa, enum lang lang)
{
	json_t *basics = json_array();
	for (int k = 0; k < 5; k++) {
		const struct sa_basic *b = &sa->basic[k];
		json_array_append_new(basics, json_pack("{s:i, s:s, s:s, s:s, s:s, s:O}",
		    "no", k + 1, "title", i18n_pick(lang, basic_title[k]),
		    "status", security_action_status_name(b->status),
		    "status_label", i18n_pick(lang, status_label(b->status)),
		    "source", b->from_scan ? "scan" : "owner",
		    "missing", b->missing ? b->missing : json_null()));
	}
	char d1[16] = "", d2[16] = "";
	if (sa->policy_drafted)
		assess_date(sa->policy_drafted_at, d1, sizeof(d1));
	if (sa->policy_published)
		assess_date(sa->policy_published_at, d2, sizeof(d2));
	json_t *todo = json_array();
	if (!sa->assessment_done)
		json_array_append_new(todo, json_string(i18n_pick(lang, (struct i18n_text)T(
		    "Answer all 25 items of the self-assessment (mamori assess --interactive).",
		    "自社診断の 25 項目すべてに回答してください（mamori assess --interactive）。"))));
	if (!sa->policy_drafted)
		json_array_append_new(todo, json_string(i18n_pick(lang, (struct i18n_text)T(
		    "Write the basic security policy (mamori assess --policy-draft -o policy.md), then edit and sign it.",
		    "情報セキュリティ基本方針を作成し（mamori assess --policy-draft -o policy.md）、内容を確認して署名してください。"))));
	if (!sa->policy_published)
		json_array_append_new(todo, json_string(i18n_pick(lang, (struct i18n_text)T(
		    "Publish the policy to staff and customers (web site, notice board) and record it: mamori assess --policy-published WHERE.",
		    "基本方針を従業員と取引先・顧客に公開し（ホームページ・掲示など）、mamori assess --policy-published 公開場所 で記録してください。"))));
	return json_pack("{s:{s:b, s:o}, s:{s:b, s:b, s:b, s:s?, s:b, s:s?, s:s?, s:o}, s:s}",
	    "star1", "ready", sa->star1, "basics", basics,
	    "star2", "ready", sa->star2, "assessment_done", sa->assessment_done,
	    "policy_drafted", sa->policy_drafted, "policy_drafted_at", *d1 ? d1 : NULL,
	    "policy_published", sa->policy_published,
	    "policy_published_at", *d2 ? d2 : NULL,
	    "policy_published_where", sa->policy_published ? sa->policy_where : NULL,
	    "missing", todo,
	    "note", i18n_pick(lang, note_declare));
}

static const char *
mark(bool b)
{
	return b ? "[x]" : "[ ]";
}

void
security_action_print(const struct security_action *sa, enum lang lang, FILE *out)
{
	fprintf(out, "\nSECURITY ACTION\n");
	fprintf(out, "%s %s\n", sa->star1 ? "★ " : "☆ ", i18n_pick(lang, sa->star1 ?
	    (struct i18n_text)T("One star: ready to declare (the five basics are in place)",
	    "一つ星: 宣言の準備ができています（5か条に対応済み）") :
	    (struct i18n_text)T("One star: the five basics still need work",
	    "一つ星: 5か条にまだ対応が必要な項目があります")));
	for (int k = 0; k < 5; k++) {
		const struct sa_basic *b = &sa->basic[k];
		fprintf(out, "  %s %d. %s: %s\n", mark(b->status == SA_MET), k + 1,
		    i18n_pick(lang, basic_title[k]), i18n_pick(lang, status_label(b->status)));
		size_t i;
		const json_t *m;
		json_array_foreach(b->missing, i, m)
			fprintf(out, "        - %s (%s)\n",
			    json_string_value(json_object_get(m, "title")),
			    json_string_value(json_object_get(m, "id")));
	}
	fprintf(out, "%s %s\n", sa->star2 ? "★★" : "☆☆", i18n_pick(lang, sa->star2 ?
	    (struct i18n_text)T("Two stars: ready to declare", "二つ星: 宣言の準備ができています") :
	    (struct i18n_text)T("Two stars: not ready yet", "二つ星: まだ準備が必要です")));
	fprintf(out, "  %s %s\n", mark(sa->assessment_done), i18n_pick(lang, (struct i18n_text)T(
	    "self-assessment: all 25 items answered", "自社診断: 25 項目すべてに回答")));
	fprintf(out, "  %s %s\n", mark(sa->policy_drafted), i18n_pick(lang, (struct i18n_text)T(
	    "basic security policy written", "情報セキュリティ基本方針を策定")));
	fprintf(out, "  %s %s%s%s\n", mark(sa->policy_published), i18n_pick(lang, (struct i18n_text)T(
	    "basic security policy published", "情報セキュリティ基本方針を公開")),
	    sa->policy_published && sa->policy_where ? ": " : "",
	    sa->policy_published && sa->policy_where ? sa->policy_where : "");
	fprintf(out, "%s\n", i18n_pick(lang, note_declare));
}
