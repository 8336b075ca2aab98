/* t_assess.c - the self-assessment: items, answers, bands, evidence from
 * scan documents, SECURITY ACTION readiness, the policy draft, storage of
 * answers and the monthly report's month parsing. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guide/assess.h"
#include "guide/policy_draft.h"
#include "manager/report_month.h"
#include "guide/security_action.h"
#include "common/err.h"
#include "storage/db.h"
#include "storage/store_assess.h"
#include "storage/store_auth.h"
#include "manager/assess_json.h"
#include "tests/tap.h"

static json_t *
report(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j)
		printf("# bad test JSON: %s\n", e.text);
	return j;
}

static const char weak_host[] =
    "{\"checks\":["
    "{\"id\":\"updates.security_pending\",\"kajo\":1,\"status\":\"fail\"},"
    "{\"id\":\"updates.lists_stale\",\"kajo\":1,\"status\":\"pass\"},"
    "{\"id\":\"updates.unfixed_vulnerabilities\",\"kajo\":1,\"status\":\"fail\"},"
    "{\"id\":\"antimalware.missing\",\"kajo\":2,\"status\":\"pass\"},"
    "{\"id\":\"passwords.policy_missing\",\"kajo\":3,\"status\":\"fail\"},"
    "{\"id\":\"passwords.empty\",\"kajo\":3,\"status\":\"pass\"},"
    "{\"id\":\"sharing.smb_guest\",\"kajo\":4,\"status\":\"skipped\"},"
    "{\"id\":\"updates.vulnerable_packages\",\"kajo\":1,\"status\":\"skipped\"}],"
    "\"findings\":["
    "{\"id\":\"updates.security_pending\",\"severity\":\"critical\"},"
    "{\"id\":\"updates.unfixed_vulnerabilities\",\"severity\":\"low\"},"
    "{\"id\":\"passwords.policy_missing\",\"severity\":\"medium\"}],"
    "\"disks\":["
    "{\"device\":\"/dev/mapper/root\",\"mountpoint\":\"/\",\"fstype\":\"ext4\",\"encrypted\":true,\"removable\":false},"
    "{\"device\":\"/dev/sdb1\",\"mountpoint\":\"/data\",\"fstype\":\"xfs\",\"encrypted\":false,\"removable\":false},"
    "{\"device\":\"tmpfs\",\"mountpoint\":\"/run\",\"fstype\":\"tmpfs\",\"encrypted\":false,\"removable\":false},"
    "{\"device\":\"/dev/sdc1\",\"mountpoint\":\"/media/usb\",\"fstype\":\"ext4\",\"encrypted\":false,\"removable\":true}],"
    "\"processes\":[{\"pid\":42,\"name\":\"xss-lock\"},{\"pid\":43,\"name\":\"bash\"}]}";

/* A second host: anti-malware missing (high), everything else passing. */
static const char other_host[] =
    "{\"checks\":["
    "{\"id\":\"updates.security_pending\",\"kajo\":1,\"status\":\"pass\"},"
    "{\"id\":\"antimalware.missing\",\"kajo\":2,\"status\":\"fail\"},"
    "{\"id\":\"passwords.empty\",\"kajo\":3,\"status\":\"pass\"},"
    "{\"id\":\"sharing.smb_guest\",\"kajo\":4,\"status\":\"pass\"},"
    "{\"id\":\"updates.vulnerable_packages\",\"kajo\":1,\"status\":\"pass\"}],"
    "\"findings\":[{\"id\":\"antimalware.missing\",\"severity\":\"high\"}],"
    "\"disks\":[{\"device\":\"/dev/nvme0n1p2\",\"mountpoint\":\"/\",\"fstype\":\"ext4\",\"encrypted\":false,\"removable\":false}],"
    "\"processes\":[]}";

static void
test_items(void)
{
	const struct assess_item_def *it = assess_items();
	int parts[4] = { 0 };
	bool numbered = true, texts = true;
	for (int i = 0; i < ASSESS_NITEMS; i++) {
		numbered = numbered && it[i].no == i + 1;
		parts[it[i].part]++;
		texts = texts && strlen(it[i].question.en) > 20 && strlen(it[i].question.ja) > 20 &&
		    *it[i].topic.en && *it[i].topic.ja;
	}
	ok(numbered, "items are numbered 1-25 in order");
	ok(parts[1] == 5 && parts[2] == 13 && parts[3] == 7, "parts hold 5, 13 and 7 items");
	ok(it[4].part == ASSESS_PART_BASIC && it[5].part == ASSESS_PART_STAFF &&
	    it[17].part == ASSESS_PART_STAFF && it[18].part == ASSESS_PART_ORG,
	    "part boundaries at 5/6 and 18/19");
	ok(texts, "every item has English and Japanese text");
}

static void
test_answers(void)
{
	int v, no;
	bool cleared;
	char err[256];
	ok(assess_parse_answer("4", &v) == 0 && v == 4, "4 parses");
	ok(assess_parse_answer("-1", &v) == 0 && v == -1, "-1 parses");
	ok(assess_parse_answer("partly", &v) == 0 && v == 2, "partly is 2");
	ok(assess_parse_answer("わからない", &v) == 0 && v == -1, "わからない is -1");
	ok(assess_parse_answer("実施していない", &v) == 0 && v == 0, "実施していない is 0");
	ok(assess_parse_answer("3", &v) != 0, "3 is not an answer");
	ok(assess_parse_answer("", &v) != 0, "empty is not an answer");
	ok(assess_parse_assignment("5=4", &no, &v, &cleared, err, sizeof(err)) == 0 &&
	    no == 5 && v == 4 && !cleared, "5=4");
	ok(assess_parse_assignment("25=-1", &no, &v, &cleared, err, sizeof(err)) == 0 &&
	    no == 25 && v == -1, "25=-1");
	ok(assess_parse_assignment("3=clear", &no, &v, &cleared, err, sizeof(err)) == 0 &&
	    no == 3 && cleared, "3=clear");
	ok(assess_parse_assignment("0=4", &no, &v, &cleared, err, sizeof(err)) != 0, "item 0 refused");
	ok(assess_parse_assignment("26=4", &no, &v, &cleared, err, sizeof(err)) != 0, "item 26 refused");
	ok(assess_parse_assignment("-5=4", &no, &v, &cleared, err, sizeof(err)) != 0, "item -5 refused");
	ok(assess_parse_assignment("5x=4", &no, &v, &cleared, err, sizeof(err)) != 0, "5x refused");
	ok(assess_parse_assignment("5=3", &no, &v, &cleared, err, sizeof(err)) != 0 &&
	    strstr(err, "not an answer"), "5=3 refused with a message: %s", err);
	ok(assess_parse_assignment("5", &no, &v, &cleared, err, sizeof(err)) != 0, "no '=' refused");
	ok(assess_parse_assignment("=4", &no, &v, &cleared, err, sizeof(err)) != 0, "no number refused");
	ok(assess_parse_assignment("99999999999999999999=4", &no, &v, &cleared, err, sizeof(err)) != 0,
	    "huge number refused");
}

static void
test_bands(void)
{
	is_str(assess_band_of(100)->id, "entry", "100 is entry level");
	is_str(assess_band_of(99)->id, "incomplete", "99 is incomplete");
	is_str(assess_band_of(70)->id, "incomplete", "70 is incomplete");
	is_str(assess_band_of(69)->id, "insufficient", "69 is insufficient");
	is_str(assess_band_of(50)->id, "insufficient", "50 is insufficient");
	is_str(assess_band_of(49)->id, "urgent", "49 is urgent");
	is_str(assess_band_of(-25)->id, "urgent", "-25 is urgent");
	ok(strstr(assess_band_of(60)->next.ja, "点数の低い項目") != NULL, "50-69 says start with the lowest items");
}

static void
test_evidence(void)
{
	struct assess a;
	json_t *r1 = report(weak_host), *r2 = report(other_host);
	assess_init(&a);
	is_int(assess_add_scan(&a, r1, 7, "pc1", 1795564800, LANG_EN), 0, "scan 1 read");
	assess_finish(&a);
	is_int(a.item[0].answer, 0, "item 1: a critical update pending is 'not done'");
	is_int(a.item[0].source, ASSESS_SRC_EVIDENCE, "item 1 comes from evidence");
	json_t *f = json_object_get(a.item[0].evidence, "findings");
	ok(json_array_size(f) == 1 && strcmp(json_string_value(json_object_get(json_array_get(f, 0), "id")),
	    "updates.security_pending") == 0, "item 1 evidence names updates.security_pending only "
	    "(unfixed vulnerabilities say nothing about keeping up to date)");
	is_int(a.item[1].answer, 4, "item 2: anti-malware check passed is 'done'");
	is_int(a.item[2].answer, 2, "item 3: only a medium password finding is 'partly'");
	is_int(a.item[3].answer, ASSESS_NONE, "item 4: only skipped checks give no evidence");
	is_int(a.item[12].answer, 2, "item 13: one of two fixed disks encrypted is 'partly'");
	is_int((int)json_array_size(json_object_get(json_array_get(json_object_get(a.item[12].evidence,
	    "hosts"), 0), "disks")), 2, "item 13 evidence lists the two fixed disks, not tmpfs or USB");
	is_int(a.item[13].answer, 4, "item 14: a running xss-lock is evidence of screen locking");
	is_int(a.item[4].answer, ASSESS_NONE, "item 5 is never pre-filled");
	ok(!a.vuln_data, "no vulnerability data used yet");

	is_int(assess_add_scan(&a, r2, 9, "pc2", 1795564900, LANG_EN), 0, "scan 2 read");
	assess_finish(&a);
	is_int(a.item[1].answer, 2, "item 2: done on one host, missing on the other is 'partly'");
	is_int(a.item[0].answer, 2, "item 1: pc1 not done, pc2 done is 'partly'");
	is_int(a.item[3].answer, 4, "item 4: pc2's sharing pass is the evidence");
	is_int(a.item[12].answer, 2, "item 13: mixed hosts stay 'partly'");
	is_int(a.scan_id, 9, "newest scan is the evidence scan");
	ok(a.vuln_data, "pc2 used vulnerability data");

	/* The owner overrides; totals follow. */
	assess_set_manual(&a, 2, ASSESS_DONE, 1795564801);
	assess_set_manual(&a, 5, ASSESS_UNKNOWN, 1795564801);
	assess_finish(&a);
	is_int(a.item[1].answer, 4, "manual answer wins over the evidence");
	is_int(a.item[1].source, ASSESS_SRC_MANUAL, "source is manual");
	is_int(a.item[1].evidence_answer, 2, "the evidence answer is kept beside it");
	/* 1:2 2:4 3:2 4:4 5:-1 13:2 14:4 */
	is_int(a.total, 17, "total sums the answers");
	is_int(a.answered, 7, "seven answered");
	is_int(a.unanswered, 18, "eighteen unanswered");
	is_int(a.unknown, 1, "one don't know");
	is_int(a.part_total[0], 11, "part 1 total");

	json_t *doc = assess_to_json(&a, LANG_JA, 1795564800);
	json_t *items = json_object_get(doc, "items");
	is_int((int)json_array_size(items), 25, "JSON has 25 items");
	json_t *i5 = json_array_get(items, 4), *i6 = json_array_get(items, 5);
	ok(json_integer_value(json_object_get(i5, "answer")) == -1 &&
	    strcmp(json_string_value(json_object_get(i5, "source")), "manual") == 0, "item 5 is -1, manual");
	ok(json_is_null(json_object_get(i6, "answer")) && json_is_null(json_object_get(i6, "source")),
	    "item 6 unanswered: answer and source null");
	ok(json_is_null(json_object_get(i6, "evidence")), "item 6 has no evidence");
	is_str(json_string_value(json_object_get(json_object_get(doc, "band"), "id")), "urgent", "band urgent");
	ok(json_is_true(json_object_get(json_object_get(doc, "band"), "provisional")), "band is provisional");
	ok(strstr(json_string_value(json_object_get(json_array_get(items, 0), "question")), "ソフトウェア") != NULL,
	    "questions in Japanese with LANG_JA");

	/* SECURITY ACTION */
	struct security_action sa;
	security_action_eval(&sa, &a, 0, 0, NULL);
	ok(!sa.star1, "★ not ready with failing basics");
	is_int(sa.basic[0].status, SA_PARTLY, "basic 1 partly (from scans)");
	ok(sa.basic[0].from_scan, "basic 1 judged from the scans");
	is_int(sa.basic[4].status, SA_UNKNOWN, "basic 5 unknown with a don't-know answer");
	is_int((int)json_array_size(sa.basic[1].missing), 1, "basic 2 lists the missing check once");
	ok(!sa.star2 && !sa.assessment_done, "★★ not ready with items unanswered");
	json_t *sj = security_action_json(&sa, LANG_JA);
	ok(json_array_size(json_object_get(json_object_get(sj, "star2"), "missing")) == 3,
	    "★★ lists three things to do");
	const char *note = json_string_value(json_object_get(sj, "note"));
	ok(note && strstr(note, "宣言"), "the note speaks of a declaration (宣言)");
	json_decref(sj);
	security_action_release(&sa);

	json_decref(doc);
	json_decref(r1);
	json_decref(r2);
	assess_release(&a);

	/* Everything done by the owner: ★ and ★★. */
	assess_init(&a);
	for (int i = 1; i <= ASSESS_NITEMS; i++)
		assess_set_manual(&a, i, ASSESS_DONE, 1);
	assess_finish(&a);
	is_int(a.total, 100, "all done is 100");
	security_action_eval(&sa, &a, 10, 20, "https://example.jp/policy");
	ok(sa.star1 && sa.star2, "★ and ★★ ready when all is done and the policy is published");
	security_action_release(&sa);
	security_action_eval(&sa, &a, 10, 0, NULL);
	ok(!sa.star2, "★★ needs the policy published, not just drafted");
	security_action_release(&sa);
	assess_release(&a);

	/* Garbage in the stored document: never a crash, no evidence. */
	assess_init(&a);
	json_t *junk = report("{\"checks\":[1,\"x\",{\"id\":5}],\"findings\":{},\"disks\":\"no\",\"processes\":[null]}");
	is_int(assess_add_scan(&a, junk, 1, "pc", 1, LANG_EN), 0, "odd shapes are skipped");
	assess_finish(&a);
	is_int(a.answered, 0, "no answers from junk");
	json_t *arr = json_array();
	ok(assess_add_scan(&a, arr, 1, "pc", 1, LANG_EN) != 0, "a non-object document is refused");
	json_decref(arr);
	json_decref(junk);
	assess_release(&a);
}

static char *
draft(enum lang lang, enum policy_format fmt, const char *company)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct policy_info info = { company, "山田 太郎", "", 1795564800 };
	policy_draft_write(f, &info, lang, fmt);
	fclose(f);
	return buf;
}

static void
test_policy(void)
{
	char *md = draft(LANG_JA, POLICY_MARKDOWN, "株式会社サンプル");
	ok(strstr(md, "# 情報セキュリティ基本方針") != NULL, "Markdown title");
	static const char *const heads[] = { "経営者の責任", "社内体制の整備", "従業員の取組",
		"法令及び契約上の要求事項の遵守", "違反及び事故への対応", "継続的改善" };
	bool all = true;
	for (size_t i = 0; i < 6; i++)
		all = all && strstr(md, heads[i]);
	ok(all, "the six headings are there");
	ok(strstr(md, "制定日: 2026年11月25日") != NULL, "dated");
	ok(strstr(md, "代表取締役 山田 太郎") != NULL, "signed by the representative");
	ok(strstr(md, "株式会社サンプルは") != NULL, "company name in the text");
	free(md);
	char *html = draft(LANG_EN, POLICY_HTML, "<script>A&B</script>");
	ok(strstr(html, "<script>") == NULL && strstr(html, "&lt;script&gt;A&amp;B") != NULL,
	    "HTML escapes the company name");
	ok(strstr(html, "Continuous improvement") != NULL, "English headings");
	free(html);
	md = draft(LANG_EN, POLICY_MARKDOWN, "");
	ok(strstr(md, "our company") != NULL && strstr(md, "＿＿") != NULL,
	    "no company name: neutral wording and a blank to fill in");
	free(md);
	md = draft(LANG_EN, POLICY_MARKDOWN, "A*B_[x]\n# evil");
	ok(strstr(md, "A\\*B\\_\\[x\\] \\# evil") != NULL, "Markdown markup in the name is escaped");
	free(md);
}

static int
count_row(void *ctx, const struct store_assess_snapshot *s)
{
	(void)s;
	(*(int *)ctx)++;
	return 0;
}

static void
test_storage(void)
{
	char path[] = "/tmp/mamori-t-assess-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	char err[256];
	struct db *db;
	is_int(db_open(path, false, &db, err, sizeof(err)), 0, "database opens with 0004");
	struct store_assess_manual man;
	is_int(store_assess_manual_load(db, 1, &man), 0, "no answers yet");
	ok(!man.have[0] && !man.have[24], "nothing in force");
	struct store_assess_change ch[] = { { 5, 4, false }, { 9, 2, false } };
	struct store_assess_snapshot snap = { .created_at = 100, .total = 6, .answered = 2,
		.band = "urgent", .doc_json = "{}" };
	is_int(store_assess_save(db, 1, "alice", ch, 2, &snap), 0, "first answers saved");
	ok(snap.id > 0, "snapshot id set");
	struct store_assess_change ch2[] = { { 5, 0, false }, { 9, 0, true } };
	struct store_assess_snapshot snap2 = { .created_at = 200, .total = 0, .answered = 1,
		.band = "urgent", .doc_json = "{}" };
	is_int(store_assess_save(db, 1, "bob", ch2, 2, &snap2), 0, "second answers saved");
	is_int(store_assess_manual_load(db, 1, &man), 0, "answers load");
	ok(man.have[4] && man.answer[4] == 0 && man.at[4] == 200, "latest answer to item 5 wins");
	ok(!man.have[8], "a cleared item goes back to the evidence");
	int n = 0;
	store_assess_history(db, 1, count_row, &n);
	is_int(n, 2, "history has both snapshots");
	n = 0;
	is_int(store_assess_before(db, 1, 150, count_row, &n), 0, "a snapshot before t=150");
	is_int(store_assess_before(db, 1, 100, count_row, &n), MAMORI_E_NOTFOUND, "none before t=100");
	struct store_assess_snapshot bad = { .created_at = 300, .total = 500, .answered = 1,
		.band = "x", .doc_json = "{}" };
	ok(store_assess_save(db, 1, "", NULL, 0, &bad) != 0, "an impossible total is refused by the schema");
	n = 0;
	store_assess_history(db, 1, count_row, &n);
	is_int(n, 2, "the refused save left nothing behind");

	struct store_assess_policy pol;
	store_assess_policy_get(db, 1, &pol);
	ok(pol.drafted_at == 0 && pol.published_at == 0, "no policy yet");
	store_assess_policy_release(&pol);
	is_int(store_assess_policy_drafted(db, 1, 10, "policy.md"), 0, "draft recorded");
	is_int(store_assess_policy_published(db, 1, 20, "https://example.jp/p"), 0, "publication recorded");
	store_assess_policy_get(db, 1, &pol);
	ok(pol.drafted_at == 10 && pol.published_at == 20 && pol.published_where &&
	    strcmp(pol.published_where, "https://example.jp/p") == 0 && strcmp(pol.draft_path, "policy.md") == 0,
	    "policy state reads back");
	store_assess_policy_release(&pol);

	/* A second company in the same database sees none of it. */
	int64_t t2 = 0;
	is_int(store_auth_tenant(db, "acme", 1, 300, &t2), 0, "a second tenant");
	is_int(store_assess_manual_load(db, t2, &man), 0, "its answers load");
	ok(!man.have[4], "the other tenant's answers are not in force");
	n = 0;
	store_assess_history(db, t2, count_row, &n);
	is_int(n, 0, "no history for the other tenant");
	store_assess_policy_get(db, t2, &pol);
	ok(pol.drafted_at == 0 && pol.published_at == 0, "no policy state for the other tenant");
	store_assess_policy_release(&pol);
	is_int(store_assess_save(db, t2, "carol", ch, 1, &snap), 0, "the other tenant answers");
	is_int(store_assess_manual_load(db, 1, &man), 0, "tenant 1 reloads");
	ok(man.have[4] && man.answer[4] == 0, "tenant 1 keeps its own answer to item 5");
	db_close(db);
	unlink(path);
	char side[64];
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static void
test_month(void)
{
	int y, m;
	ok(report_month_parse("2026-11", &y, &m) == 0 && y == 2026 && m == 11, "2026-11");
	ok(report_month_parse("2026-13", &y, &m) != 0, "month 13 refused");
	ok(report_month_parse("2026-00", &y, &m) != 0, "month 0 refused");
	ok(report_month_parse("2026-1", &y, &m) != 0, "one-digit month refused");
	ok(report_month_parse("26-11x", &y, &m) != 0, "garbage refused");
	ok(report_month_parse("+026-11", &y, &m) != 0, "sign refused");
}

static void
test_contacts(void)
{
	struct assess a;
	assess_init(&a);
	is_int(assess_add_contacts(&a, NULL, 0), 0, "no contacts: fine");
	assess_finish(&a);
	is_int(a.item[23].answer, ASSESS_NONE, "item 24 without contacts stays unanswered");
	assess_release(&a);

	const char *const some[] = { "other" };
	assess_init(&a);
	assess_add_contacts(&a, some, 1);
	assess_finish(&a);
	is_int(a.item[23].answer, ASSESS_PARTLY, "item 24: only 'other' entered is partly");
	is_int(a.item[23].source, ASSESS_SRC_EVIDENCE, "item 24 comes from evidence");
	assess_release(&a);

	const char *const full[] = { "lead", "vendor" };
	assess_init(&a);
	assess_add_contacts(&a, full, 2);
	assess_set_manual(&a, 24, ASSESS_NOT_DONE, 5);
	assess_finish(&a);
	is_int(a.item[23].answer, ASSESS_NOT_DONE, "the owner's answer wins over the contacts");
	is_int(a.item[23].evidence_answer, ASSESS_DONE, "lead + outside contact suggests done");
	json_t *doc = assess_to_json(&a, LANG_JA, 10);
	json_t *it = json_array_get(json_object_get(doc, "items"), 23);
	ok(json_array_size(json_object_get(json_object_get(it, "evidence"), "contacts")) == 2,
	    "the evidence lists the contacts");
	json_decref(doc);
	assess_release(&a);
}

static void
test_api_parse(void)
{
	struct store_assess_change ch[ASSESS_JSON_MAX_CHANGES];
	int n = 0;
	char err[128];
	json_t *b = json_loads("{\"answers\":{\"1\":4,\"25\":-1,\"7\":null}}", 0, NULL);
	is_int(assess_json_parse_answers(b, ch, &n, err, sizeof(err)), 0, "answers parse");
	is_int(n, 3, "three changes");
	ok(ch[0].item_no == 1 && ch[0].answer == 4 && ch[1].item_no == 25 && ch[1].answer == -1 &&
	    ch[2].item_no == 7 && ch[2].cleared, "numbers, answers and a clear");
	json_decref(b);
	static const char *const bad[] = { "{}", "{\"answers\":{}}", "{\"answers\":{\"26\":4}}",
		"{\"answers\":{\"0\":4}}", "{\"answers\":{\"3\":3}}", "{\"answers\":{\"3\":\"4\"}}",
		"{\"answers\":{\"3x\":4}}", "{\"answers\":[4]}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = json_loads(bad[i], 0, NULL);
		err[0] = 0;
		ok(assess_json_parse_answers(b, ch, &n, err, sizeof(err)) == MAMORI_E_INVAL && err[0],
		    "refused with a message: %s", bad[i]);
		json_decref(b);
	}
	struct policy_info info;
	b = json_loads("{\"company\":\"Acme\",\"representative\":\"山田\",\"date\":\"2026-04-01\"}", 0, NULL);
	is_int(assess_json_policy_info(b, 5, &info, err, sizeof(err)), 0, "policy info parses");
	ok(strcmp(info.company, "Acme") == 0 && info.date == 1775044800, "company and date (noon UTC)");
	json_decref(b);
	static const char *const badp[] = { "{\"date\":\"2026-02-30\"}", "{\"date\":\"yesterday\"}",
		"{\"company\":5}", "[]" };
	for (size_t i = 0; i < sizeof(badp) / sizeof(badp[0]); i++) {
		b = json_loads(badp[i], 0, NULL);
		ok(assess_json_policy_info(b, 5, &info, err, sizeof(err)) == MAMORI_E_INVAL,
		    "policy info refused: %s", badp[i]);
		json_decref(b);
	}
}

int
main(void)
{
	test_items();
	test_answers();
	test_bands();
	test_evidence();
	test_policy();
	test_storage();
	test_month();
	test_contacts();
	test_api_parse();
	return done_testing();
}
