/* scan_report.c - the readable report of a scan, for a terminal. */
#include "agent/scan.h"

#include <string.h>

#include "agent/os_eol.h"

#define T(en, ja) ((struct i18n_text){ (en), (ja) })

static const char *
tr(const struct scan_options *opt, struct i18n_text t)
{
	return i18n_pick(opt->lang, t);
}

static const struct i18n_text kajo_names[5] = {
	{ "Keep OS and software up to date", "OSやソフトウェアは常に最新の状態にしよう" },
	{ "Use anti-malware software", "ウイルス対策ソフトを導入しよう" },
	{ "Strong passwords", "パスワードを強化しよう" },
	{ "Review sharing settings", "共有設定を見直そう" },
	{ "Know the threats and attack methods", "脅威や攻撃の手口を知ろう" },
};

static void
bar(FILE *out, int score)
{
	int full = score / 10;
	for (int i = 0; i < 10; i++)
		fputs(i < full ? "#" : ".", out);
}

/* Writes text, replacing control characters: file contents and names come
 * from the scanned system and must not drive the terminal. */
static void
put_safe(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
}

static void
print_findings(const struct scan *s, const struct scan_options *opt, FILE *out)
{
	size_t n = s->run.findings.n;
	fprintf(out, "\n%s (%zu)\n", tr(opt, T("Findings", "検出事項")), n);
	if (n == 0) {
		fprintf(out, "  %s\n", tr(opt, T("Nothing to fix was found.",
		    "対処が必要な問題は見つかりませんでした。")));
		return;
	}
	for (int sev = SEV_CRITICAL; sev >= SEV_INFO; sev--) {
		for (size_t i = 0; i < n; i++) {
			const struct finding *f = vec_at(&s->run.findings, i);
			if ((int)f->severity != sev)
				continue;
			const char *detail = opt->lang == LANG_JA ? f->detail_ja : f->detail_en;
			fprintf(out, "\n[%s] %s  (%s, %s %d)\n",
			    tr(opt, severity_label(f->severity)),
			    tr(opt, f->def->title), f->def->id,
			    tr(opt, T("basic", "5か条")), f->def->kajo);
			if (*detail) {
				fprintf(out, "  %s ", tr(opt, T("Found:", "見つかったこと:")));
				put_safe(out, detail);
				fputc('\n', out);
			}
			fprintf(out, "  %s %s\n", tr(opt, T("Why:", "なぜ問題か:")),
			    tr(opt, f->def->why));
			fprintf(out, "  %s %s\n", tr(opt, T("Do now:", "今すぐやること:")),
			    tr(opt, f->def->action));
		}
	}
}

static void
print_changes(const struct scan *s, const struct scan_options *opt, FILE *out)
{
	if (!s->scan_id)
		return;
	if (!s->prev_scan_id) {
		fprintf(out, "\n%s\n", tr(opt, T("First scan of this computer: later scans will show what changed.",
		    "このコンピュータの初回の診断です。次回から変更点を表示します。")));
		return;
	}
	fprintf(out, "\n%s #%lld\n", tr(opt, T("Changes since scan", "前回の診断からの変更")),
	    (long long)s->prev_scan_id);
	static const struct { const char *key; struct i18n_text label; } kinds[] = {
		{ "packages_added", { "new software", "新しいソフトウェア" } },
		{ "packages_removed", { "removed software", "削除されたソフトウェア" } },
		{ "packages_changed", { "updated software", "更新されたソフトウェア" } },
		{ "listening_added", { "new listening port", "新しい待ち受けポート" } },
		{ "listening_removed", { "closed listening port", "閉じた待ち受けポート" } },
		{ "admins_added", { "new administrator", "新しい管理者アカウント" } },
		{ "admins_removed", { "administrator removed", "削除された管理者アカウント" } },
	};
	int shown = 0;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		json_t *arr = s->changes ? json_object_get(s->changes, kinds[k].key) : NULL;
		size_t i;
		json_t *it;
		json_array_foreach(arr, i, it) {
			if (i >= 20) {
				fprintf(out, "  ... %s: +%zu\n", tr(opt, kinds[k].label),
				    json_array_size(arr) - 20);
				break;
			}
			fprintf(out, "  %s: ", tr(opt, kinds[k].label));
			if (json_object_get(it, "port")) {
				fprintf(out, "%s %s:%lld", json_string_value(json_object_get(it, "proto")),
				    json_string_value(json_object_get(it, "address")),
				    (long long)json_integer_value(json_object_get(it, "port")));
				const char *p = json_string_value(json_object_get(it, "process"));
				if (p && *p) {
					fputs(" (", out);
					put_safe(out, p);
					fputs(")", out);
				}
			} else if (json_object_get(it, "user")) {
				put_safe(out, json_string_value(json_object_get(it, "user")));
			} else {
				put_safe(out, json_string_value(json_object_get(it, "name")));
				fputc(' ', out);
				const char *old = json_string_value(json_object_get(it, "previous_version"));
				if (old) {
					put_safe(out, old);
					fputs(" -> ", out);
				}
				put_safe(out, json_string_value(json_object_get(it, "version")));
			}
			fputc('\n', out);
			shown++;
		}
	}
	if (!shown)
		fprintf(out, "  %s\n", tr(opt, T("nothing changed", "変更はありません")));
}

void
scan_report_print(const struct scan *s, const struct scan_options *opt, FILE *out)
{
	const struct inventory *inv = &s->inv;
	struct os_eol_info eol;
	os_eol_lookup(&inv->os, s->ctx.now, &eol);

	fprintf(out, "mamori scan: ");
	put_safe(out, inv->sys.hostname ? inv->sys.hostname : "?");
	fputs("  ", out);
	put_safe(out, inv->os.pretty_name ? inv->os.pretty_name : tr(opt, T("unknown OS", "OS不明")));
	if (strcmp(opt->root, "/") != 0) {
		fputs("  [", out);
		put_safe(out, opt->root);
		fputs("]", out);
	}
	fputc('\n', out);
	fprintf(out, "%s: %zu  %s: %zu  %s: %zu  %s: %zu\n",
	    tr(opt, T("packages", "パッケージ")), inv->packages.n,
	    tr(opt, T("listening ports", "待ち受けポート")), inv->listening.n,
	    tr(opt, T("users", "ユーザー")), inv->users.n,
	    tr(opt, T("processes", "プロセス")), inv->processes.n);

	fprintf(out, "\n%s: %d/100\n", tr(opt, T("Overall score", "総合スコア")), s->score.overall);
	for (int k = 0; k < 5; k++) {
		fprintf(out, "  %d. ", k + 1);
		if (k < 4) {
			bar(out, s->score.kajo[k]);
			fprintf(out, " %3d  %s\n", s->score.kajo[k], tr(opt, kajo_names[k]));
		} else {
			fprintf(out, "%s  %s\n", tr(opt, T("(manual)  ", "（手動確認）")),
			    tr(opt, kajo_names[k]));
			fprintf(out, "     %s\n", tr(opt, T(
			    "A computer cannot check this: learn about current threats (IPA's "
			    "'10 major threats') and answer the 5-minute self-assessment (mamori assess).",
			    "コンピュータでは確認できません。IPAの「情報セキュリティ10大脅威」で最新の手口を知り、"
			    "「5分でできる！情報セキュリティ自社診断」（mamori assess）に答えましょう。")));
		}
	}
	print_findings(s, opt, out);
	print_changes(s, opt, out);
	if (s->ctx.warnings.n) {
		fprintf(out, "\n%s (%zu)\n", tr(opt, T("Could not check everything",
		    "確認できなかった項目")), s->ctx.warnings.n);
		for (size_t i = 0; i < s->ctx.warnings.n; i++) {
			const struct scan_warning *w = vec_at(&s->ctx.warnings, i);
			fprintf(out, "  %s: ", w->area);
			put_safe(out, w->message);
			fputc('\n', out);
		}
	}
	if (s->scan_id)
		fprintf(out, "\n%s #%lld (%lld ms)\n", tr(opt, T("Saved as scan", "保存した診断番号")),
		    (long long)s->scan_id, (long long)s->duration_ms);
}
