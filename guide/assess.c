/*
 * assess.c - the 25 items of the self-assessment, scoring, IPA's bands and
 * the evidence mapping from stored scans. The wording is ours; the meaning
 * of each item follows IPA's 5分でできる情報セキュリティ自社診断.
 */
#include "guide/assess.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/err.h"

#define T(en, ja) { en, ja }

static const struct assess_item_def items[ASSESS_NITEMS] = {
	{ 1, ASSESS_PART_BASIC, T("Updates", "更新"),
	  T("Are the operating system and software of every computer, smartphone and network device kept up to date, with updates applied soon after they appear?",
	    "パソコン・スマートフォン・ネットワーク機器の OS やソフトウェアは、更新が出たら早めに適用して最新の状態を保っていますか？") },
	{ 2, ASSESS_PART_BASIC, T("Anti-malware", "ウイルス対策"),
	  T("Is anti-malware software installed on the computers and smartphones, with its signatures updated automatically?",
	    "パソコンやスマートフォンにウイルス対策ソフトを入れ、定義ファイルが自動で更新されるようにしていますか？") },
	{ 3, ASSESS_PART_BASIC, T("Passwords", "パスワード"),
	  T("Do staff use long, hard-to-guess passwords that are not reused between services?",
	    "推測されにくい長いパスワードを使い、サービスごとに使い分けていますか？") },
	{ 4, ASSESS_PART_BASIC, T("Access to important data", "重要情報へのアクセス"),
	  T("Is access to important information limited to the people who need it, with shared folders and devices set up accordingly?",
	    "重要な情報を見たり変更したりできる人を必要な人だけに絞り、共有フォルダーや機器の共有設定もそれに合わせていますか？") },
	{ 5, ASSESS_PART_BASIC, T("Knowing the threats", "脅威を知る"),
	  T("Does the company keep up with new threats and attack methods and pass them on to staff?",
	    "新しい脅威や攻撃の手口を調べて知り、社内で共有する仕組みがありますか？") },
	{ 6, ASSESS_PART_STAFF, T("Mail attachments and links", "メールの添付・リンク"),
	  T("Do staff take care not to be infected through e-mail attachments or links in messages?",
	    "電子メールの添付ファイルや本文中のリンクからウイルスに感染しないよう、従業員が注意していますか？") },
	{ 7, ASSESS_PART_STAFF, T("Mis-addressed mail and fax", "メール・FAX の誤送信"),
	  T("Do staff check recipients before sending e-mail or faxes so that nothing goes to the wrong person?",
	    "メールや FAX を送る前に宛先を確かめ、誤送信を防いでいますか？") },
	{ 8, ASSESS_PART_STAFF, T("Sending sensitive data", "重要情報の送り方"),
	  T("When important information is sent by e-mail, is it kept out of the message body and sent as a protected attachment (for example with a password)?",
	    "重要な情報をメールで送るときは本文に書かず、パスワードなどで保護した添付ファイルにしていますか？") },
	{ 9, ASSESS_PART_STAFF, T("Wi-Fi encryption", "無線 LAN の暗号化"),
	  T("Does the office Wi-Fi use proper encryption (WPA2 or WPA3)?",
	    "社内の無線 LAN に適切な暗号化方式（WPA2 や WPA3）を設定していますか？") },
	{ 10, ASSESS_PART_STAFF, T("Web and social media", "インターネットと SNS"),
	  T("Do staff avoid infection through web browsing and trouble from what they post on social media?",
	    "インターネット閲覧によるウイルス感染や、SNS への書き込みによるトラブルを避けるよう注意していますか？") },
	{ 11, ASSESS_PART_STAFF, T("Backups", "バックアップ"),
	  T("Are important data backed up regularly, in case of malware, hardware failure or mistakes?",
	    "ウイルス感染・故障・操作ミスで重要なデータが失われても困らないよう、定期的にバックアップを取っていますか？") },
	{ 12, ASSESS_PART_STAFF, T("Papers and media", "書類と記録媒体"),
	  T("Are important papers and storage media kept in locked cabinets rather than left on desks?",
	    "重要な書類や USB メモリなどの記録媒体を机の上に置いたままにせず、鍵のかかる書庫などにしまっていますか？") },
	{ 13, ASSESS_PART_STAFF, T("Devices taken out", "持ち出し機器"),
	  T("When computers or media leave the office, are they protected against theft and loss (for example with disk encryption)?",
	    "パソコンや記録媒体を社外に持ち出すとき、盗難・紛失に備えた対策（ディスクの暗号化など）をしていますか？") },
	{ 14, ASSESS_PART_STAFF, T("Screen lock", "画面ロック"),
	  T("When staff leave their desks, are screens locked so that others cannot look at or use them?",
	    "席を離れるときに画面をロックし、のぞき見や勝手な操作を防いでいますか？") },
	{ 15, ASSESS_PART_STAFF, T("Office entry", "事務所への立ち入り"),
	  T("Are people who have no business there kept out of the office?",
	    "関係のない人が事務所に入らないようにしていますか？") },
	{ 16, ASSESS_PART_STAFF, T("Locking up at day's end", "退社時の施錠保管"),
	  T("At the end of the day, are laptops and other equipment locked away?",
	    "退社するときに、ノートパソコンや備品を鍵のかかる場所にしまっていますか？") },
	{ 17, ASSESS_PART_STAFF, T("Locking the office", "事務所の施錠"),
	  T("Is there a routine that makes sure the office is locked when nobody is there?",
	    "誰もいなくなるときに事務所の鍵をかけ忘れないよう、確認の手順がありますか？") },
	{ 18, ASSESS_PART_STAFF, T("Disposal", "廃棄"),
	  T("When papers, media or devices are thrown away, is the information destroyed so it cannot be recovered?",
	    "書類・記録媒体・機器を捨てるとき、中の情報を復元できない状態にしていますか？") },
	{ 19, ASSESS_PART_ORG, T("Confidentiality", "守秘義務"),
	  T("Do staff understand their duty of confidentiality, and does the company make sure they keep it?",
	    "従業員に守秘義務を理解してもらい、その約束を守らせていますか？") },
	{ 20, ASSESS_PART_ORG, T("Training", "教育と注意喚起"),
	  T("Does the company give staff security training and reminders?",
	    "従業員に情報セキュリティの教育や注意喚起を行っていますか？") },
	{ 21, ASSESS_PART_ORG, T("Personal devices", "私物機器の業務利用"),
	  T("Are there clear rules for using personal computers and smartphones for work?",
	    "私物のパソコンやスマートフォンを仕事に使う場合のルールを決めていますか？") },
	{ 22, ASSESS_PART_ORG, T("Contracts", "取引先との契約"),
	  T("Do contracts with business partners include confidentiality clauses?",
	    "取引先との契約に、秘密を守る条項を入れていますか？") },
	{ 23, ASSESS_PART_ORG, T("Cloud and outside services", "外部サービスの選定"),
	  T("Before using cloud or other outside services, does the company check how safe and reliable they are?",
	    "クラウドなどの外部サービスを使う前に、その安全性や信頼性を確かめて選んでいますか？") },
	{ 24, ASSESS_PART_ORG, T("Incident readiness", "事故への備え"),
	  T("Are the people in charge and the steps to follow prepared in case of a security incident?",
	    "情報セキュリティ事故が起きたときの連絡体制と対応手順を用意していますか？") },
	{ 25, ASSESS_PART_ORG, T("Written rules", "ルールの文書化"),
	  T("Have the measures of items 1 to 24 been written down as company rules and shown to staff?",
	    "1〜24 の対策を社内のルールとして文書にし、従業員に示していますか？") },
};

static const struct assess_band bands[] = {
	{ "entry", 100, 100,
	  T("Entry-level measures are in place.",
	    "入門レベルの対策はできています。"),
	  T("Keep them up and go further: follow the full steps of IPA's guideline for small businesses (risk analysis, written security rules).",
	    "この状態を保ちながら、IPA の「中小企業の情報セキュリティ対策ガイドライン」に沿って、リスク分析や情報セキュリティ関連規程の作成など、より本格的な対策に進みましょう。") },
	{ "incomplete", 70, 99,
	  T("Some measures are not yet in place.",
	    "一部の対策がまだできていません。"),
	  T("Aim for 100: go through the items answered \"partly\", \"not done\" or \"don't know\" and close them one by one.",
	    "100 点を目指しましょう。「一部実施している」「実施していない」「わからない」の項目を一つずつ見直して対策してください。") },
	{ "insufficient", 50, 69,
	  T("Measures are insufficient.",
	    "対策が不足しています。"),
	  T("Start with the items that scored lowest, beginning with the five basics (items 1-5).",
	    "点数の低い項目から、まずは基本的対策（1〜5）を優先して改善しましょう。") },
	{ "urgent", -25, 49,
	  T("An incident could happen at any time.",
	    "いつ事故が起きてもおかしくない状態です。"),
	  T("Act now: fix the five basics (items 1-5) this week, then work through the other items.",
	    "すぐに改善が必要です。今週中に基本的対策（1〜5）を実施し、続けて他の項目にも取り組みましょう。") },
};

const struct assess_item_def *
assess_items(void)
{
	return items;
}

struct i18n_text
assess_part_title(enum assess_part p)
{
	switch (p) {
	case ASSESS_PART_BASIC:
		return (struct i18n_text)T("Part 1: basic measures", "Part 1 基本的対策");
	case ASSESS_PART_STAFF:
		return (struct i18n_text)T("Part 2: measures for staff", "Part 2 従業員としての対策");
	case ASSESS_PART_ORG:
		return (struct i18n_text)T("Part 3: measures as an organisation", "Part 3 組織としての対策");
	}
	return (struct i18n_text)T("", "");
}

struct i18n_text
assess_answer_label(int answer)
{
	switch (answer) {
	case ASSESS_DONE: return (struct i18n_text)T("Done", "実施している");
	case ASSESS_PARTLY: return (struct i18n_text)T("Partly done", "一部実施している");
	case ASSESS_NOT_DONE: return (struct i18n_text)T("Not done", "実施していない");
	case ASSESS_UNKNOWN: return (struct i18n_text)T("Don't know", "わからない");
	}
	return (struct i18n_text)T("Not answered", "未回答");
}

int
assess_parse_answer(const char *s, int *out)
{
	static const struct {
		const char *word;
		int value;
	} words[] = {
		{ "4", 4 }, { "2", 2 }, { "0", 0 }, { "-1", -1 },
		{ "yes", 4 }, { "done", 4 }, { "y", 4 },
		{ "partly", 2 }, { "partial", 2 }, { "p", 2 },
		{ "no", 0 }, { "n", 0 }, { "not-done", 0 },
		{ "unknown", -1 }, { "dk", -1 }, { "?", -1 },
		{ "実施している", 4 }, { "一部実施している", 2 },
		{ "実施していない", 0 }, { "わからない", -1 },
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcasecmp(s, words[i].word) == 0) {
			*out = words[i].value;
			return MAMORI_OK;
		}
	}
	return MAMORI_E_INVAL;
}

int
assess_parse_assignment(const char *s, int *no, int *answer, bool *cleared,
    char *err, size_t errsz)
{
	const char *eq = strchr(s, '=');
	char *end;
	*cleared = false;
	*answer = ASSESS_NONE;
	if (!eq || eq == s) {
		snprintf(err, errsz, "--answer takes N=VALUE (for example 5=4), not '%s'", s);
		return MAMORI_E_INVAL;
	}
	errno = 0;
	unsigned long n = strtoul(s, &end, 10);
	if (errno || end != eq || *s == '-' || *s == '+' || n < 1 || n > ASSESS_NITEMS) {
		snprintf(err, errsz, "--answer: the item number must be 1 to 25 in '%s'", s);
		return MAMORI_E_INVAL;
	}
	*no = (int)n;
	if (strcmp(eq + 1, "clear") == 0 || strcmp(eq + 1, "auto") == 0) {
		*cleared = true;
		return MAMORI_OK;
	}
	if (assess_parse_answer(eq + 1, answer) != MAMORI_OK) {
		snprintf(err, errsz,
		    "--answer: '%s' is not an answer; use 4 (done), 2 (partly), 0 (not done), "
		    "-1 (don't know) or clear", eq + 1);
		return MAMORI_E_INVAL;
	}
	return MAMORI_OK;
}

void
assess_init(struct assess *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 0; i < ASSESS_NITEMS; i++) {
		a->item[i].answer = ASSESS_NONE;
		a->item[i].evidence_answer = ASSESS_NONE;
	}
}

void
assess_release(struct assess *a)
{
	for (int i = 0; i < ASSESS_NITEMS; i++)
		json_decref(a->item[i].evidence);
	memset(a, 0, sizeof(*a));
}

void
assess_date(int64_t t, char *buf, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (!gmtime_r(&tt, &tm) || strftime(buf, n, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, n, "?");
}

/* ---- evidence ---------------------------------------------------------- */

/* Which checks speak for which item. Item 1 leaves out checks about holes
 * nobody can fix yet: they say nothing about keeping up to date. */
static const struct {
	int no;
	const char *prefix;
} check_map[] = {
	{ 1, "updates.security_pending" }, { 1, "updates.auto_disabled" },
	{ 1, "updates.os_eol" }, { 1, "updates.lists_stale" },
	{ 1, "updates.reboot_required" }, { 1, "updates.exploited" },
	{ 1, "updates.vulnerable_packages" },
	{ 2, "antimalware." }, { 3, "passwords." }, { 4, "sharing." },
	{ 11, "backup." }, { 13, "encryption." }, { 14, "screen_lock." },
	{ 14, "screenlock." },
};

static int
item_of_check(const char *id)
{
	for (size_t i = 0; i < sizeof(check_map) / sizeof(check_map[0]); i++) {
		size_t n = strlen(check_map[i].prefix);
		bool prefix = check_map[i].prefix[n - 1] == '.';
		if (prefix ? strncmp(id, check_map[i].prefix, n) == 0 :
		    strcmp(id, check_map[i].prefix) == 0)
			return check_map[i].no;
	}
	return 0;
}

/* Per host and item while one scan is read. */
struct host_item {
	int failed_high, failed_low, passed;
	json_t *failed;		/* [{id, severity}] */
	json_t *passed_ids;
	json_t *extra;		/* disks or processes */
	const char *extra_key;
	int override;		/* a direct answer (disks, lockers), or NONE */
};

static const char *
jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void
note_check(struct host_item *hi, const json_t *check, const json_t *findings)
{
	const char *id = jstr(check, "id");
	const char *status = jstr(check, "status");
	if (strcmp(status, "pass") == 0) {
		hi->passed++;
		json_array_append_new(hi->passed_ids, json_string(id));
		return;
	}
	if (strcmp(status, "fail") != 0)
		return;
	/* The worst severity among this check's findings. */
	const char *worst = "", *title = id, *action = "";
	int rank = -1;
	static const char *const sev[] = { "info", "low", "medium", "high", "critical" };
	size_t i;
	const json_t *f;
	json_array_foreach(findings, i, f) {
		if (strcmp(jstr(f, "id"), id) != 0)
			continue;
		/* The scan's own words for the check: the check table is the
		 * agent's, and this module must not need it. */
		if (*jstr(f, "title")) {
			title = jstr(f, "title");
			action = jstr(f, "action");
		}
		for (int r = 0; r < 5; r++)
			if (strcmp(jstr(f, "severity"), sev[r]) == 0 && r > rank) {
				rank = r;
				worst = sev[r];
			}
	}
	if (rank >= 3)
		hi->failed_high++;
	else
		hi->failed_low++;
	json_array_append_new(hi->failed, json_pack("{s:s, s:s, s:s, s:s}", "id", id,
	    "severity", *worst ? worst : "unknown", "title", title, "action", action));
}

static bool
pseudo_disk(const json_t *d)
{
	static const char *const skip[] = { "tmpfs", "devtmpfs", "proc", "sysfs",
		"overlay", "squashfs", "iso9660", "efivarfs", "ramfs", "nfs", "nfs4",
		"cifs", "fuse.sshfs", "vfat" };
	const char *fs = jstr(d, "fstype");
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strcmp(fs, skip[i]) == 0)
			return true;
	return json_is_true(json_object_get(d, "removable"));
}

static void
disks_evidence(struct host_item *hi, const json_t *disks)
{
	size_t i;
	const json_t *d;
	int n = 0, enc = 0;
	if (!json_is_array(disks))
		return;
	hi->extra = json_array();
	hi->extra_key = "disks";
	json_array_foreach(disks, i, d) {
		if (!json_is_object(d) || pseudo_disk(d))
			continue;
		bool e = json_is_true(json_object_get(d, "encrypted"));
		n++;
		enc += e;
		json_array_append_new(hi->extra, json_pack("{s:s, s:s, s:b}",
		    "device", jstr(d, "device"), "mountpoint", jstr(d, "mountpoint"),
		    "encrypted", e));
	}
	if (n > 0)
		hi->override = enc == n ? ASSESS_DONE : enc == 0 ? ASSESS_NOT_DONE : ASSESS_PARTLY;
}

/* Programs that lock an idle screen on their own; seeing one running is
 * evidence for item 14. Desktops with a built-in lock (GNOME, KDE) keep
 * the setting in the user's dconf/kconfig and are left to the owner. */
static void
locker_evidence(struct host_item *hi, const json_t *procs)
{
	static const char *const lockers[] = { "xscreensaver", "light-locker",
		"xss-lock", "xautolock", "swayidle", "hypridle", "xidlehook",
		"gnome-screensaver", "mate-screensaver", "cinnamon-screensaver",
		"xfce4-screensaver" };
	size_t i;
	const json_t *p;
	if (!json_is_array(procs))
		return;
	json_array_foreach(procs, i, p) {
		const char *name = jstr(p, "name");
		for (size_t k = 0; k < sizeof(lockers) / sizeof(lockers[0]); k++) {
			if (strcmp(name, lockers[k]) != 0)
				continue;
			if (!hi->extra) {
				hi->extra = json_array();
				hi->extra_key = "screen_lockers";
			}
			json_array_append_new(hi->extra, json_pack("{s:s, s:I}", "name", name,
			    "pid", json_integer_value(json_object_get(p, "pid"))));
			hi->override = ASSESS_DONE;
		}
	}
}

static int
host_answer(const struct host_item *hi)
{
	if (hi->override != ASSESS_NONE && hi->failed_high + hi->failed_low == 0)
		return hi->override;
	if (hi->failed_high)
		return ASSESS_NOT_DONE;
	if (hi->failed_low)
		return ASSESS_PARTLY;
	if (hi->passed)
		return ASSESS_DONE;
	return ASSESS_NONE;
}

static json_t *
new_evidence(void)
{
	return json_pack("{s:n, s:[], s:[], s:[]}", "suggested", "findings",
	    "passed", "hosts");
}

static void
merge_host(struct assess *a, int idx, const struct host_item *hi, int64_t scan_id,
    const char *hostname, int64_t started_at)
{
	struct assess_item *it = &a->item[idx];
	int ans = host_answer(hi);
	char date[16];
	if (ans == ASSESS_NONE)
		return;
	if (!it->evidence && !(it->evidence = new_evidence()))
		return;
	it->nhosts++;
	if (ans == ASSESS_DONE)
		it->hosts_done++;
	else if (ans == ASSESS_NOT_DONE)
		it->hosts_not_done++;
	assess_date(started_at, date, sizeof(date));
	json_t *host = json_pack("{s:s, s:I, s:s, s:i}", "host", hostname,
	    "scan_id", (json_int_t)scan_id, "scanned", date, "suggested", ans);
	if (host && hi->extra)
		json_object_set(host, hi->extra_key, hi->extra);
	json_array_append_new(json_object_get(it->evidence, "hosts"), host);
	size_t i;
	json_t *v;
	json_array_foreach(hi->failed, i, v) {
		json_t *f = json_deep_copy(v);
		json_object_set_new(f, "host", json_string(hostname));
		json_object_set_new(f, "scan_id", json_integer(scan_id));
		json_array_append_new(json_object_get(it->evidence, "findings"), f);
	}
	json_t *passed = json_object_get(it->evidence, "passed");
	json_array_foreach(hi->passed_ids, i, v) {
		bool seen = false;
		size_t k;
		json_t *w;
		json_array_foreach(passed, k, w)
			seen = seen || json_equal(v, w);
		if (!seen)
			json_array_append(passed, v);
	}
	/* One host done and another not is "partly" for the company. */
	int suggested = it->hosts_done == it->nhosts ? ASSESS_DONE :
	    it->hosts_not_done == it->nhosts ? ASSESS_NOT_DONE : ASSESS_PARTLY;
	it->evidence_answer = suggested;
	json_object_set_new(it->evidence, "suggested", json_integer(suggested));
}

int
assess_add_scan(struct assess *a, const json_t *report, int64_t scan_id,
    const char *hostname, int64_t started_at, enum lang lang)
{
	struct host_item hi[ASSESS_NITEMS];
	const json_t *checks = json_object_get(report, "checks");
	const json_t *findings = json_object_get(report, "findings");
	size_t i;
	const json_t *c;
	(void)lang;
	if (!json_is_object(report))
		return MAMORI_E_PARSE;
	memset(hi, 0, sizeof(hi));
	for (int k = 0; k < ASSESS_NITEMS; k++) {
		hi[k].failed = json_array();
		hi[k].passed_ids = json_array();
		hi[k].override = ASSESS_NONE;
	}
	if (!json_is_array(findings))
		findings = NULL;
	json_array_foreach(checks, i, c) {
		int no = item_of_check(jstr(c, "id"));
		if (no)
			note_check(&hi[no - 1], c, findings);
		/* Checks that ran against imported vulnerability data mean mamori
		 * follows the published advisories for this host (basic 5). */
		if (strcmp(jstr(c, "id"), "updates.vulnerable_packages") == 0 &&
		    strcmp(jstr(c, "status"), "skipped") != 0)
			a->vuln_data = true;
	}
	disks_evidence(&hi[12], json_object_get(report, "disks"));
	locker_evidence(&hi[13], json_object_get(report, "processes"));
	for (int k = 0; k < ASSESS_NITEMS; k++) {
		merge_host(a, k, &hi[k], scan_id, hostname, started_at);
		json_decref(hi[k].failed);
		json_decref(hi[k].passed_ids);
		json_decref(hi[k].extra);
	}
	a->nscans++;
	if (started_at >= a->scanned_at) {
		a->scanned_at = started_at;
		a->scan_id = scan_id;
	}
	return MAMORI_OK;
}

int
assess_add_contacts(struct assess *a, const char *const *roles, size_t n)
{
	struct assess_item *it = &a->item[23];
	bool lead = false, outside = false;
	if (!n)
		return MAMORI_OK;	/* a paper list may exist: no evidence either way */
	if (!it->evidence && !(it->evidence = new_evidence()))
		return MAMORI_E_NOMEM;
	json_t *list = json_array();
	if (!list)
		return MAMORI_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(roles[i], "lead") == 0)
			lead = true;
		else if (strcmp(roles[i], "other") != 0)
			outside = true;
		json_array_append_new(list, json_string(roles[i]));
	}
	json_object_set_new(it->evidence, "contacts", list);
	/* IPA asks for the people in charge and whom to call: someone inside
	 * and someone outside (provider, vendor, insurer, ISP) is "done". */
	it->evidence_answer = lead && outside ? ASSESS_DONE : ASSESS_PARTLY;
	json_object_set_new(it->evidence, "suggested", json_integer(it->evidence_answer));
	return MAMORI_OK;
}

void
assess_set_manual(struct assess *a, int no, int answer, int64_t at)
{
	if (no < 1 || no > ASSESS_NITEMS)
		return;
	a->item[no - 1].source = ASSESS_SRC_MANUAL;
	a->item[no - 1].answer = answer;
	a->item[no - 1].answered_at = at;
}

void
assess_finish(struct assess *a)
{
	a->total = a->answered = a->unanswered = a->unknown = 0;
	memset(a->part_total, 0, sizeof(a->part_total));
	for (int i = 0; i < ASSESS_NITEMS; i++) {
		struct assess_item *it = &a->item[i];
		if (it->source != ASSESS_SRC_MANUAL) {
			it->answer = it->evidence_answer;
			it->source = it->answer == ASSESS_NONE ? ASSESS_SRC_NONE : ASSESS_SRC_EVIDENCE;
		}
		if (it->answer == ASSESS_NONE) {
			a->unanswered++;
			continue;
		}
		a->answered++;
		a->unknown += it->answer == ASSESS_UNKNOWN;
		a->total += it->answer;
		a->part_total[items[i].part - 1] += it->answer;
	}
}

const struct assess_band *
assess_band_of(int total)
{
	for (size_t i = 0; i < sizeof(bands) / sizeof(bands[0]); i++)
		if (total >= bands[i].min && total <= bands[i].max)
			return &bands[i];
	return &bands[sizeof(bands) / sizeof(bands[0]) - 1];
}

/* ---- output ------------------------------------------------------------ */

static const char *
source_name(enum assess_source s)
{
	return s == ASSESS_SRC_MANUAL ? "manual" : s == ASSESS_SRC_EVIDENCE ? "evidence" : NULL;
}

static json_t *
answer_json(int answer)
{
	return answer == ASSESS_NONE ? json_null() : json_integer(answer);
}

static json_t *
band_json(const struct assess *a, enum lang lang)
{
	const struct assess_band *b = assess_band_of(a->total);
	char range[16];
	if (b->min == b->max)
		snprintf(range, sizeof(range), "%d", b->min);
	else if (b->min <= -25)
		snprintf(range, sizeof(range), "<=%d", b->max);
	else
		snprintf(range, sizeof(range), "%d-%d", b->min, b->max);
	return json_pack("{s:s, s:s, s:s, s:s, s:b}", "id", b->id, "range", range,
	    "state", i18n_pick(lang, b->state), "next_step", i18n_pick(lang, b->next),
	    /* With items unanswered the total can only rise: the band is a
	     * floor, not the result. */
	    "provisional", a->unanswered > 0);
}

json_t *
assess_to_json(const struct assess *a, enum lang lang, int64_t now)
{
	char date[16];
	json_t *doc = json_object();
	json_t *arr = json_array();
	if (!doc || !arr) {
		json_decref(doc);
		json_decref(arr);
		return NULL;
	}
	for (int i = 0; i < ASSESS_NITEMS; i++) {
		const struct assess_item *it = &a->item[i];
		const char *src = source_name(it->source);
		json_t *o = json_pack("{s:i, s:i, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o}",
		    "no", items[i].no, "part", (int)items[i].part,
		    "part_title", i18n_pick(lang, assess_part_title(items[i].part)),
		    "topic", i18n_pick(lang, items[i].topic),
		    "question", i18n_pick(lang, items[i].question),
		    "answer", answer_json(it->answer),
		    "answer_label", i18n_pick(lang, assess_answer_label(it->answer)),
		    "source", src ? json_string(src) : json_null(),
		    "evidence", it->evidence ? json_incref(it->evidence) : json_null(),
		    "evidence_answer", answer_json(it->evidence_answer));
		if (o && it->source == ASSESS_SRC_MANUAL) {
			assess_date(it->answered_at, date, sizeof(date));
			json_object_set_new(o, "answered_at", json_string(date));
		}
		json_array_append_new(arr, o ? o : json_null());
	}
	json_object_set_new(doc, "items", arr);
	json_object_set_new(doc, "total", json_integer(a->total));
	json_object_set_new(doc, "max", json_integer(ASSESS_NITEMS * ASSESS_DONE));
	json_object_set_new(doc, "band", band_json(a, lang));
	json_object_set_new(doc, "answered", json_integer(a->answered));
	json_object_set_new(doc, "unanswered", json_integer(a->unanswered));
	json_object_set_new(doc, "unknown", json_integer(a->unknown));
	json_object_set_new(doc, "parts", json_pack("[{s:i,s:i,s:i},{s:i,s:i,s:i},{s:i,s:i,s:i}]",
	    "part", 1, "total", a->part_total[0], "max", 20,
	    "part", 2, "total", a->part_total[1], "max", 52,
	    "part", 3, "total", a->part_total[2], "max", 28));
	if (a->nscans) {
		assess_date(a->scanned_at, date, sizeof(date));
		json_object_set_new(doc, "evidence_scan", json_pack("{s:I, s:s, s:i}",
		    "scan_id", (json_int_t)a->scan_id, "scanned", date, "hosts", a->nscans));
	} else {
		json_object_set_new(doc, "evidence_scan", json_null());
	}
	assess_date(now, date, sizeof(date));
	json_object_set_new(doc, "date", json_string(date));
	json_object_set_new(doc, "lang", json_string(i18n_code(lang)));
	return doc;
}

static void
print_evidence(const struct assess_item *it, enum lang lang, FILE *out)
{
	const json_t *f;
	size_t i;
	if (!it->evidence)
		return;
	const json_t *failed = json_object_get(it->evidence, "findings");
	const json_t *contacts = json_object_get(it->evidence, "contacts");
	if (json_array_size(contacts)) {
		fprintf(out, "      %s", i18n_pick(lang, (struct i18n_text)T(
		    "evidence: incident contacts entered:", "根拠: 登録済みの緊急連絡先:")));
		json_array_foreach(contacts, i, f)
			fprintf(out, "%s %s", i ? "," : "", json_string_value(f));
		fputc('\n', out);
	} else if (json_array_size(failed)) {
		fprintf(out, "      %s", i18n_pick(lang, (struct i18n_text)T("evidence: findings",
		    "根拠: 検出項目")));
		json_array_foreach(failed, i, f)
			fprintf(out, "%s %s@%s", i ? "," : "", jstr(f, "id"), jstr(f, "host"));
		fputc('\n', out);
	} else {
		const json_t *hosts = json_object_get(it->evidence, "hosts");
		fprintf(out, "      %s %zu\n", i18n_pick(lang, (struct i18n_text)T(
		    "evidence: no problem found on hosts scanned:",
		    "根拠: 問題なし、確認した端末数:")), json_array_size(hosts));
	}
}

void
assess_print(const struct assess *a, enum lang lang, FILE *out)
{
	int part = 0;
	fprintf(out, "%s\n", i18n_pick(lang, (struct i18n_text)T(
	    "5-minute information security self-assessment",
	    "5分でできる情報セキュリティ自社診断")));
	for (int i = 0; i < ASSESS_NITEMS; i++) {
		const struct assess_item *it = &a->item[i];
		if ((int)items[i].part != part) {
			part = items[i].part;
			fprintf(out, "\n%s\n", i18n_pick(lang, assess_part_title(items[i].part)));
		}
		const char *src = it->source == ASSESS_SRC_MANUAL ?
		    i18n_pick(lang, (struct i18n_text)T("owner", "回答")) :
		    it->source == ASSESS_SRC_EVIDENCE ?
		    i18n_pick(lang, (struct i18n_text)T("from evidence", "調査結果から")) : "";
		fprintf(out, "%3d. %s\n     -> %s", items[i].no,
		    i18n_pick(lang, items[i].question),
		    i18n_pick(lang, assess_answer_label(it->answer)));
		if (it->answer != ASSESS_NONE)
			fprintf(out, " (%d, %s)", it->answer, src);
		fputc('\n', out);
		print_evidence(it, lang, out);
	}
	const struct assess_band *b = assess_band_of(a->total);
	fprintf(out, "\n%s: %d / 100  (%s %d, %s %d, %s %d)\n",
	    i18n_pick(lang, (struct i18n_text)T("Total", "合計点")), a->total,
	    i18n_pick(lang, (struct i18n_text)T("answered", "回答済み")), a->answered,
	    i18n_pick(lang, (struct i18n_text)T("unanswered", "未回答")), a->unanswered,
	    i18n_pick(lang, (struct i18n_text)T("don't know", "わからない")), a->unknown);
	fprintf(out, "%s\n%s: %s\n", i18n_pick(lang, b->state),
	    i18n_pick(lang, (struct i18n_text)T("Next step", "次の一歩")), i18n_pick(lang, b->next));
	if (a->unanswered)
		fprintf(out, "%s\n", i18n_pick(lang, (struct i18n_text)T(
		    "Some items are not answered yet: answer them with --answer N=VALUE or --interactive.",
		    "未回答の項目があります。--answer 番号=点数 または --interactive で回答してください。")));
	if (a->unknown)
		fprintf(out, "%s\n", i18n_pick(lang, (struct i18n_text)T(
		    "Find out the items answered \"don't know\" and answer them again.",
		    "「わからない」と回答した項目は、実態を確認して回答し直してください。")));
}
