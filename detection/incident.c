/*
 * incident.c - the incident playbooks, the reporting helper and the PPC
 * countdowns. Wording is ours, following IPA's 中小企業のためのセキュリティ
 * インシデント対応の手引き and the PPC's rules (research/ipa.md section 4).
 */
#include "detection/incident.h"

#include <string.h>

#include "common/err.h"

#define T(en, ja) { en, ja }
#define DAY 86400

static const struct incident_kind_def kinds[INC_NKINDS] = {
	{ "ransomware", T("Ransomware", "ランサムウェア"),
	  T("Disconnect the affected computers from the network but leave them switched on, and do not pay.",
	    "被害を受けたパソコンやサーバーをネットワークから切り離します。電源は切らず、身代金は支払わないでください。") },
	{ "malware", T("Virus / malware infection", "ウイルス（マルウェア）感染"),
	  T("Stop using the computer and disconnect it from the network; keep it switched on.",
	    "そのパソコンの使用をやめ、ネットワークから切り離します。電源は切らないでください。") },
	{ "leak", T("Information leak", "情報漏えい"),
	  T("Find out what data leaked, about how many people and how; stop it spreading.",
	    "どの情報が、何人分、どのように漏れたかを確かめ、これ以上広がらないようにします。") },
	{ "outage", T("System outage", "システム停止"),
	  T("Find out what stopped and since when, and keep the business going by other means.",
	    "何が・いつから止まっているかを確かめ、別の手段で業務を続けます。") },
	{ "defacement", T("Website defacement", "Webサイトの改ざん"),
	  T("Take the website offline or show a maintenance page, and keep copies of the altered pages and logs.",
	    "Webサイトを停止するかメンテナンス画面に切り替え、改ざんされたページとログを保存します。") },
	{ "other", T("Other incident", "その他のインシデント"),
	  T("Report it to the person in charge of security and write down what you know.",
	    "情報セキュリティ責任者に報告し、分かっていることを記録します。") },
};

/* IPA's nine sub-steps for every incident, then each kind's own items. */
static const struct incident_check_def checks[] = {
	{ "detect.report", IR_DETECT, -1,
	  T("Report the signs to the person in charge of security; if someone outside told you, note their name and contact.",
	    "兆候を情報セキュリティ責任者に報告します。社外からの連絡なら、相手の名前と連絡先を控えます。") },
	{ "detect.team", IR_DETECT, -1,
	  T("The owner decides who leads the response and who helps.",
	    "経営者が対応の責任者と担当者を決め、対応体制を立ち上げます。") },
	{ "detect.contain", IR_DETECT, -1,
	  T("Stop the damage spreading: disconnect the network, isolate data and devices, stop services - but keep evidence (do not switch machines off carelessly).",
	    "被害の拡大を防ぎます（ネットワークの切断、データや機器の隔離、サービスの停止）。ただし証拠を残すため、むやみに電源を切らないでください。") },
	{ "report.first", IR_REPORT, -1,
	  T("First report: tell everyone affected; if that is impossible or the impact is wide, publish it, and open an inquiry desk if consumers are affected.",
	    "第一報：影響を受けた関係者に知らせます。全員に知らせられない、または影響が広い場合は公表し、消費者に影響があれば問い合わせ窓口を設けます。") },
	{ "report.final", IR_REPORT, -1,
	  T("Further and final reports: tell those affected how it went and what you will do; file the reports to the authorities listed below.",
	    "第二報以降・最終報：経過と再発防止策を関係者に報告し、必要なら補償します。下に示す届出先に届け出ます。") },
	{ "recover.investigate", IR_RECOVER, -1,
	  T("Investigate: sort out the facts by 5W1H and repair (patch, change settings, replace, restore data); ask your IT vendor if needed.",
	    "調査・対応：事実を5W1H（いつ・どこで・誰が・何を・なぜ・どうしたか）で整理し、修正（更新、設定変更、交換、データ復元）を行います。必要ならITベンダーに支援を依頼します。") },
	{ "recover.evidence", IR_RECOVER, -1,
	  T("Preserve evidence (logs, disk and memory copies) in case of a dispute or an insurance claim.",
	    "証拠保全：訴訟や保険請求に備えて、ログやディスク・メモリの複製などの証拠を保全します。") },
	{ "recover.restore", IR_RECOVER, -1,
	  T("Restore the systems once the fix is confirmed, and report the result to the owner.",
	    "復旧：修正を確認してからシステムやサービスを再開し、結果を経営者に報告します。") },
	{ "recover.prevent", IR_RECOVER, -1,
	  T("Prevent a recurrence: find the root cause and improve technology, rules, training and organisation.",
	    "再発防止：根本原因を分析し、技術的対策・ルール・教育・体制を見直します。") },

	{ "ransomware.keep_power", IR_DETECT, INC_RANSOMWARE,
	  T("Pull the network cable or turn Wi-Fi off on the affected PCs and servers, but leave them switched on.",
	    "感染したパソコンやサーバーのLANケーブルを抜くかWi-Fiを切ります。電源は入れたままにします。") },
	{ "ransomware.note", IR_DETECT, INC_RANSOMWARE,
	  T("Photograph the ransom message; do not pay and do not contact the attackers on your own.",
	    "脅迫メッセージの画面を写真に撮ります。身代金は支払わず、自分たちだけで犯人に連絡しないでください。") },
	{ "ransomware.backup", IR_DETECT, INC_RANSOMWARE,
	  T("Disconnect backup disks and check that the backups are unharmed.",
	    "バックアップ用のディスクを切り離し、バックアップが無事か確かめます。") },
	{ "ransomware.police", IR_REPORT, INC_RANSOMWARE,
	  T("Report it to the police (prefectural cybercrime desk) and to IPA.",
	    "警察（都道府県警察のサイバー犯罪相談窓口）とIPAに届け出ます。") },
	{ "ransomware.stolen", IR_REPORT, INC_RANSOMWARE,
	  T("Ask whether data may also have been stolen (double extortion): if personal data is involved, see the PPC report below.",
	    "データが盗まれた可能性（二重恐喝）を確認します。個人情報が含まれる場合は、下の個人情報保護委員会への報告を確認します。") },
	{ "ransomware.rebuild", IR_RECOVER, INC_RANSOMWARE,
	  T("Reinstall affected machines and restore data from a clean backup.",
	    "感染した機器を初期化・再インストールし、安全なバックアップからデータを戻します。") },
	{ "ransomware.entry", IR_RECOVER, INC_RANSOMWARE,
	  T("Close the way in: most attacks enter through VPN devices or remote desktop - update them, change their passwords and turn on multi-factor authentication.",
	    "侵入口をふさぎます。多くはVPN機器やリモートデスクトップから侵入されます。更新し、パスワードを変更し、多要素認証を有効にします。") },

	{ "malware.isolate", IR_DETECT, INC_MALWARE,
	  T("Stop using the infected computer and disconnect it from the network.",
	    "感染したパソコンの使用をやめ、ネットワークから切り離します。") },
	{ "malware.scan_others", IR_DETECT, INC_MALWARE,
	  T("Update the antivirus signatures and scan the other computers.",
	    "ウイルス対策ソフトの定義ファイルを更新し、ほかのパソコンも検査します。") },
	{ "malware.ipa", IR_REPORT, INC_MALWARE,
	  T("Report the infection to IPA (届出).", "IPAの届出窓口にウイルス感染を届け出ます。") },
	{ "malware.clean", IR_RECOVER, INC_MALWARE,
	  T("Remove the malware; if that fails, reinstall the computer. Reconnect it only when it is clean.",
	    "ウイルスを駆除します。駆除できなければ初期化・再インストールします。安全を確認してからネットワークに戻します。") },

	{ "leak.scope", IR_DETECT, INC_LEAK,
	  T("Find out what data leaked, about how many people, and how (mis-sent mail, lost device, break-in).",
	    "漏れた情報の種類、人数、経路（誤送信、紛失、不正アクセス）を確かめます。") },
	{ "leak.stop", IR_DETECT, INC_LEAK,
	  T("Stop it: ask the recipient to delete a mis-sent mail, lock or wipe a lost device, block the access used.",
	    "拡大を止めます：誤送信先に削除を依頼する、紛失した端末をロック・消去する、使われたアクセスを止める。") },
	{ "leak.ppc", IR_REPORT, INC_LEAK,
	  T("Decide whether the PPC must be told (the four cases below) and file the preliminary report within about 3-5 days.",
	    "個人情報保護委員会への報告が必要か（下の4つの場合）を判断し、速報を3〜5日程度で提出します。") },
	{ "leak.notify", IR_REPORT, INC_LEAK,
	  T("Notify the people whose data leaked, publish where needed and open an inquiry desk.",
	    "本人に通知し、必要に応じて公表し、問い合わせ窓口を設けます。") },
	{ "leak.fix", IR_RECOVER, INC_LEAK,
	  T("Fix the cause (check addresses before sending, encrypt laptops and USB drives, close the hole used) and watch for misuse of the leaked data.",
	    "原因を直します（送信前の宛先確認、ノートPCやUSBメモリの暗号化、侵入に使われた穴をふさぐ等）。漏れた情報が悪用されていないか注意します。") },

	{ "outage.scope", IR_DETECT, INC_OUTAGE,
	  T("Find out what stopped, since when and what the business impact is; switch to a manual or backup procedure.",
	    "何が・いつから止まり、業務にどう影響しているかを確かめ、手作業や代替手段に切り替えます。") },
	{ "outage.inform", IR_REPORT, INC_OUTAGE,
	  T("Tell customers and partners who are affected, and when you expect to be back.",
	    "影響を受ける顧客や取引先に状況と復旧の見込みを伝えます。") },
	{ "outage.restore", IR_RECOVER, INC_OUTAGE,
	  T("Repair or replace, restore from backup, and confirm it works before restarting the service.",
	    "修理・交換やバックアップからの復元を行い、動作を確認してから再開します。") },

	{ "defacement.offline", IR_DETECT, INC_DEFACEMENT,
	  T("Take the site offline or show a maintenance page; save copies of the altered pages and the server logs.",
	    "サイトを停止するかメンテナンス画面に切り替え、改ざんされたページとサーバーのログを保存します。") },
	{ "defacement.jpcert", IR_REPORT, INC_DEFACEMENT,
	  T("Report it to JPCERT/CC and IPA; if visitors may have received malware, tell them.",
	    "JPCERT/CCとIPAに届け出ます。閲覧者にウイルスが配られた可能性があれば知らせます。") },
	{ "defacement.fix", IR_RECOVER, INC_DEFACEMENT,
	  T("Fix the cause (update the CMS and plugins, change passwords), restore from backup, then publish what happened.",
	    "原因を修正し（CMSやプラグインの更新、パスワード変更）、バックアップから復元して、経緯を公表します。") },
};

static const struct incident_authority_def authorities[INC_NAUTH] = {
	{ "ipa", T("IPA (report of virus or unauthorised access)", "IPA（コンピュータウイルス・不正アクセスの届出）"),
	  T("https://www.ipa.go.jp/security/ciadr/ - report form",
	    "https://www.ipa.go.jp/security/ciadr/ （届出窓口）") },
	{ "police", T("Police (cybercrime desk of your prefecture)", "警察（都道府県警察のサイバー犯罪相談窓口）"),
	  T("Your prefectural police's cybercrime consultation desk, or #9110",
	    "都道府県警察のサイバー犯罪相談窓口、または #9110") },
	{ "jpcert", T("JPCERT/CC (incident report)", "JPCERT/CC（インシデント報告）"),
	  T("https://www.jpcert.or.jp/form/ - incident report form",
	    "https://www.jpcert.or.jp/form/ （インシデント報告フォーム）") },
	{ "ppc", T("Personal Information Protection Commission (PPC)", "個人情報保護委員会"),
	  T("https://www.ppc.go.jp/personalinfo/legal/leakAction/ - report form",
	    "https://www.ppc.go.jp/personalinfo/legal/leakAction/ （漏えい等報告フォーム）") },
	{ "ministry", T("The ministry supervising your sector", "所管省庁"),
	  T("Only when a law for your sector requires it", "業法等で求められる場合") },
	{ "ipa_desk", T("IPA advice desk for companies", "IPA 企業組織向けサイバーセキュリティ相談窓口"),
	  T("https://www.ipa.go.jp/security/support/soudan.html - advice on first steps and IR vendors",
	    "https://www.ipa.go.jp/security/support/soudan.html （初動対応の助言や対応事業者の紹介）") },
};

static const struct {
	unsigned bit;
	const char *id;
	struct i18n_text text;
} ppc_cases[] = {
	{ PPC_SENSITIVE, "sensitive",
	  T("Sensitive personal data (health, criminal record, beliefs ...) is involved, even for one person",
	    "要配慮個人情報（病歴、犯罪歴、信条など）が含まれる（1人分でも）") },
	{ PPC_FINANCIAL, "financial",
	  T("It may cause financial damage (card numbers, bank log-ins ...), even for one person",
	    "財産的被害が生じるおそれがある（クレジットカード番号、ネットバンキングのID・パスワードなど。1人分でも）") },
	{ PPC_WRONGFUL, "wrongful",
	  T("It may have been done for a wrongful purpose (unauthorised access, theft by staff ...), even for one person",
	    "不正の目的によるおそれがある（不正アクセス、従業員による持ち出しなど。1人分でも）") },
	{ PPC_OVER_1000, "over1000",
	  T("More than 1,000 people are involved", "1,000人を超える本人の個人データ") },
};

const struct incident_kind_def *
incident_kind_def(enum incident_kind k)
{
	return k >= 0 && k < INC_NKINDS ? &kinds[k] : &kinds[INC_OTHER];
}

int
incident_kind_parse(const char *s, enum incident_kind *out)
{
	for (int k = 0; s && k < INC_NKINDS; k++)
		if (strcmp(s, kinds[k].id) == 0) {
			*out = (enum incident_kind)k;
			return MAMORI_OK;
		}
	return MAMORI_E_INVAL;
}

const char *
incident_step_id(enum alert_ir_step s)
{
	return s == IR_REPORT ? "report" : s == IR_RECOVER ? "recover" : "detect";
}

struct i18n_text
incident_step_title(enum alert_ir_step s)
{
	if (s == IR_REPORT)
		return (struct i18n_text)T("2. Report and publish", "2. 報告・公表");
	if (s == IR_RECOVER)
		return (struct i18n_text)T("3. Recover and prevent recurrence", "3. 復旧・再発防止");
	return (struct i18n_text)T("1. Detect and first response", "1. 検知・初動対応");
}

int
incident_step_parse(const char *s, enum alert_ir_step *out)
{
	static const enum alert_ir_step all[] = { IR_DETECT, IR_REPORT, IR_RECOVER };
	for (size_t i = 0; s && i < 3; i++)
		if (strcmp(s, incident_step_id(all[i])) == 0) {
			*out = all[i];
			return MAMORI_OK;
		}
	return MAMORI_E_INVAL;
}

const struct incident_check_def *
incident_checks(size_t *n)
{
	*n = sizeof(checks) / sizeof(checks[0]);
	return checks;
}

bool
incident_check_applies(const struct incident_check_def *c, enum incident_kind k)
{
	return c->kind < 0 || c->kind == (int)k;
}

const struct incident_check_def *
incident_check_find(const char *id, enum incident_kind k)
{
	for (size_t i = 0; id && i < sizeof(checks) / sizeof(checks[0]); i++)
		if (strcmp(checks[i].id, id) == 0)
			return incident_check_applies(&checks[i], k) ? &checks[i] : NULL;
	return NULL;
}

const struct incident_authority_def *
incident_authority_def(enum incident_authority a)
{
	return &authorities[a >= 0 && a < INC_NAUTH ? a : INC_TO_IPA_DESK];
}

bool
incident_report_id_ok(const char *id)
{
	if (!id)
		return false;
	if (strcmp(id, "ppc_prelim") == 0 || strcmp(id, "ppc_final") == 0)
		return true;
	for (int a = 0; a < INC_NAUTH; a++)
		if (a != INC_TO_PPC && strcmp(id, authorities[a].id) == 0)
			return true;
	return false;
}

bool
incident_ppc_required(unsigned ppc_cases_set, bool encrypted)
{
	return (ppc_cases_set & PPC_ALL) != 0 && !encrypted;
}

static struct incident_advice
advice(enum incident_need need, const char *en, const char *ja)
{
	return (struct incident_advice){ need, { en, ja } };
}

struct incident_advice
incident_advise(enum incident_authority a, enum incident_kind k, unsigned cases, bool encrypted)
{
	bool code = k == INC_RANSOMWARE || k == INC_MALWARE || k == INC_DEFACEMENT;
	switch (a) {
	case INC_TO_IPA:
		if (code || (cases & PPC_WRONGFUL))
			return advice(INC_NEED_SHOULD, "IPA takes reports of viruses and unauthorised access.",
			    "ウイルス感染や不正アクセスはIPAに届け出ます。");
		return advice(INC_NEED_NO, "Only for viruses and unauthorised access.",
		    "ウイルス感染・不正アクセスの場合に届け出ます。");
	case INC_TO_POLICE:
		if (k == INC_RANSOMWARE || k == INC_DEFACEMENT || (cases & PPC_WRONGFUL))
			return advice(INC_NEED_SHOULD, "A crime (extortion, unauthorised access) is likely: report it to the police.",
			    "恐喝や不正アクセスなどの犯罪の可能性があるため、警察に相談・届出をします。");
		return advice(INC_NEED_MAY, "If you suspect a crime, consult the police.",
		    "犯罪の可能性がある場合は警察に相談します。");
	case INC_TO_JPCERT:
		if (code)
			return advice(INC_NEED_SHOULD, "JPCERT/CC coordinates attacks such as malware and defacement.",
			    "JPCERT/CCはウイルスや改ざんなどの攻撃への対応を調整します。");
		return advice(INC_NEED_MAY, "Useful when the attack came from or affects other networks.",
		    "攻撃元や影響がほかの組織に及ぶ場合に報告します。");
	case INC_TO_PPC:
		if (incident_ppc_required(cases, encrypted))
			return advice(INC_NEED_MUST, "Personal data is involved in one of the four cases: the law requires a report.",
			    "個人データが4つの場合のいずれかに当たるため、法律により報告が義務です。");
		if (cases && encrypted)
			return advice(INC_NEED_NO, "The data was protected by strong encryption: no report is needed.",
			    "高度な暗号化で保護されていたため、報告は不要です。");
		if (k == INC_LEAK || k == INC_RANSOMWARE)
			return advice(INC_NEED_MAY, "Check the four cases below: if one applies, a report is required.",
			    "下の4つの場合に当たるか確認してください。当たれば報告が義務です。");
		return advice(INC_NEED_NO, "Only when personal data leaked.", "個人データが漏えいした場合のみ。");
	case INC_TO_MINISTRY:
		return advice(INC_NEED_MAY, "Only if a law for your sector requires it.",
		    "業法等で求められる場合に報告します。");
	case INC_TO_IPA_DESK:
	default:
		return advice(INC_NEED_MAY, "Free advice on the first steps and on incident response vendors.",
		    "初動対応の助言や対応事業者の紹介を無料で受けられます。");
	}
}

int
incident_ppc_parse(const char *s, unsigned *out)
{
	unsigned bits = 0;
	if (!s)
		return MAMORI_E_INVAL;
	if (strcmp(s, "none") == 0 || *s == '\0') {
		*out = 0;
		return MAMORI_OK;
	}
	while (*s) {
		size_t n = strcspn(s, ",");
		bool found = false;
		for (size_t i = 0; i < sizeof(ppc_cases) / sizeof(ppc_cases[0]); i++)
			if (strlen(ppc_cases[i].id) == n && strncmp(s, ppc_cases[i].id, n) == 0) {
				bits |= ppc_cases[i].bit;
				found = true;
			}
		if (!found)
			return MAMORI_E_INVAL;
		s += n;
		if (*s == ',')
			s++;
	}
	*out = bits;
	return MAMORI_OK;
}

const char *
incident_ppc_case_id(unsigned bit)
{
	for (size_t i = 0; i < sizeof(ppc_cases) / sizeof(ppc_cases[0]); i++)
		if (ppc_cases[i].bit == bit)
			return ppc_cases[i].id;
	return "";
}

struct i18n_text
incident_ppc_case_text(unsigned bit)
{
	for (size_t i = 0; i < sizeof(ppc_cases) / sizeof(ppc_cases[0]); i++)
		if (ppc_cases[i].bit == bit)
			return ppc_cases[i].text;
	return (struct i18n_text)T("", "");
}

/* The end (last second) of Japanese calendar day `day` counted from the day
 * containing t as day 1. */
static int64_t
end_of_day(int64_t t, int day)
{
	int64_t local = t + INC_JST_OFFSET;
	int64_t start = local - (local % DAY + DAY) % DAY;	/* floor for negative too */
	return start + (int64_t)day * DAY - 1 - INC_JST_OFFSET;
}

static void
countdown(struct incident_deadline *d, bool done, int64_t now)
{
	d->remaining = d->due - now;
	d->status = done ? "done" : d->remaining < 0 ? "overdue" :
	    d->remaining < DAY ? "due_soon" : "open";
}

size_t
incident_deadlines(int64_t discovered, unsigned cases, bool encrypted, bool prelim_done,
    bool final_done, int64_t now, struct incident_deadline out[INC_DEADLINES_MAX])
{
	if (!incident_ppc_required(cases, encrypted))
		return 0;
	out[0] = (struct incident_deadline){
		.id = "ppc_prelim",
		.label = T("PPC preliminary report (速報), within about 3-5 days",
		    "個人情報保護委員会への速報（発覚から3〜5日程度）"),
		.target = end_of_day(discovered, 3),
		.due = end_of_day(discovered, 5),
	};
	countdown(&out[0], prelim_done, now);
	bool wrongful = (cases & PPC_WRONGFUL) != 0;
	out[1] = (struct incident_deadline){
		.id = "ppc_final",
		.label = wrongful ?
		    (struct i18n_text)T("PPC final report (確報), within 60 days (wrongful purpose)",
			"個人情報保護委員会への確報（不正の目的のおそれ：60日以内）") :
		    (struct i18n_text)T("PPC final report (確報), within 30 days",
			"個人情報保護委員会への確報（30日以内）"),
		.due = end_of_day(discovered, wrongful ? 60 : 30),
	};
	out[1].target = out[1].due;
	countdown(&out[1], final_done, now);
	return 2;
}
