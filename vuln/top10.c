#include "vuln/top10.h"

#define T(en, ja) { en, ja }

static const struct top10_threat threats[] = {
	{ 1, T("Damage from ransomware attacks", "ランサム攻撃による被害"),
	  T("Attackers lock or steal the company's data and demand money; first place for the tenth year.",
	    "データを暗号化したり盗んだりして金銭を要求する攻撃です。10年連続で1位です。"),
	  T("Update VPN devices and remote desktop, use multi-factor log-in, keep backups offline.",
	    "VPN機器やリモートデスクトップを最新にし、多要素認証を使い、バックアップを切り離して保管します。") },
	{ 2, T("Attacks on the supply chain and contractors", "サプライチェーンや委託先を狙った攻撃"),
	  T("A weaker partner or contractor is attacked to reach its customers - small companies are often that way in.",
	    "守りの弱い取引先や委託先を踏み台にして、その先の企業を狙う攻撃です。中小企業が入口にされがちです。"),
	  T("Keep your own basics in order and agree on security with the companies you work with.",
	    "自社の基本対策を固め、取引先・委託先とセキュリティの取り決めをします。") },
	{ 3, T("Attacks exploiting system vulnerabilities", "システムの脆弱性を突いた攻撃"),
	  T("Known and not-yet-fixed (zero-day) holes in software and devices are attacked soon after they become known.",
	    "ソフトウェアや機器の弱点（修正前のゼロデイを含む）が、公表後すぐに狙われます。"),
	  T("Apply updates promptly; read the advisories that concern your software (marked on this page).",
	    "更新を早めに適用し、このページで印の付いた自社に関係する脆弱性情報を確認します。") },
	{ 4, T("Information leaks by insiders", "内部不正による情報漏えい等"),
	  T("Staff or former staff take out or misuse information.",
	    "従業員や元従業員が情報を持ち出したり悪用したりします。"),
	  T("Give access only to those who need it, remove accounts when people leave, keep logs.",
	    "必要な人だけに権限を与え、退職者のアカウントを削除し、記録を残します。") },
	{ 5, T("Targeted attacks aimed at confidential information", "機密情報等を狙った標的型攻撃"),
	  T("Carefully written mails or hacked websites plant malware to steal specific information.",
	    "巧妙なメールや改ざんされたWebサイトでウイルスを仕込み、特定の情報を盗みます。"),
	  T("Be careful with attachments and links, keep antivirus current, report strange mails.",
	    "添付ファイルやリンクに注意し、ウイルス対策を最新にし、不審なメールは報告します。") },
	{ 6, T("Attacks on remote-work environments", "リモートワーク等の環境や仕組みを狙った攻撃"),
	  T("VPNs, remote desktop and home PCs used for work are attacked.",
	    "VPN、リモートデスクトップ、在宅で使う端末が狙われます。"),
	  T("Update remote-access devices, use multi-factor log-in, set rules for home PCs.",
	    "リモート接続の機器を更新し、多要素認証を使い、自宅端末のルールを決めます。") },
	{ 7, T("Cyber attacks arising from geopolitical risk", "地政学的リスクに起因するサイバー攻撃"),
	  T("New in 2025: attacks linked to international tensions, also hitting companies that are not the main target.",
	    "2025年に新たに入りました。国際情勢に関連した攻撃で、直接の標的でない企業も巻き込まれます。"),
	  T("The same basics protect you: updates, backups, watching for alerts.",
	    "基本対策（更新、バックアップ、警告の監視）が同じように有効です。") },
	{ 8, T("Distributed denial-of-service (DDoS) attacks", "分散型サービス妨害攻撃（DDoS攻撃）"),
	  T("Floods of traffic stop websites and online services.",
	    "大量の通信を送りつけ、Webサイトやサービスを止めます。"),
	  T("Ask your provider or hosting company what protection they offer.",
	    "回線事業者やサーバー事業者に対策サービスを確認します。") },
	{ 9, T("Business e-mail compromise", "ビジネスメール詐欺"),
	  T("Fake mails from a 'boss' or 'partner' ask for money to be sent to a new account.",
	    "経営者や取引先になりすましたメールで、偽の口座に送金させます。"),
	  T("Confirm any change of bank account by phone before paying.",
	    "振込先の変更は、支払う前に電話など別の方法で確認します。") },
	{ 10, T("Information leaks through carelessness", "不注意による情報漏えい等"),
	  T("Mis-sent mail, lost devices and wrong sharing settings expose information.",
	    "メールの誤送信、端末の紛失、共有設定の誤りで情報が漏れます。"),
	  T("Check addresses before sending, encrypt laptops, review sharing settings.",
	    "送信前に宛先を確認し、ノートPCを暗号化し、共有設定を見直します。") },
};

const struct top10_threat *
top10_threats(size_t *n)
{
	*n = sizeof(threats) / sizeof(threats[0]);
	return threats;
}
