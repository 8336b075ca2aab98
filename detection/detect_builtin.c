/*
 * detect_builtin.c - the default detections (see detect_builtin.h).
 *
 * Thresholds follow fail2ban's Debian defaults where they exist (5
 * failures in 10 minutes for SSH) and are lower for doors that should
 * never see guessing (VPN 4, mail 3: a mail client with a wrong saved
 * password retries far fewer times than that per 10 minutes). A success
 * from an address with 5 or more failures in the last hour is a break-in
 * until proven otherwise.
 */
#include "detection/detect_builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "detection/decode_util.h"
#include "detection/window.h"

#define MIN_MS (60 * 1000LL)
#define BF_SPAN (10 * MIN_MS)
#define BREAKIN_SPAN (60 * MIN_MS)	/* the longest: DETECT_STATE_SPAN_MS */
#define BREAKIN_FAILS 5
#define SPRAY_USERS 5
#define SQLI_HITS 3
#define SUPPRESS (10 * MIN_MS)

enum rule_ix {
	R_BF_SSH, R_BF_VPN, R_BF_RDP, R_BF_SMB, R_BF_MAIL, R_BF_WEB, R_BF_WINDOWS, R_BF_OTHER,
	R_SPRAY, R_BREAKIN, R_USER_NEW, R_ADMIN_GROUP, R_LOCKOUT, R_LOG_CLEARED, R_SERVICE,
	R_SQLI, R_LOG4SHELL, R_TRAVERSAL, R_VPN_EXPLOIT, R_FW_THREAT, R_COUNT
};
_Static_assert(R_COUNT <= 32, "detect_builtin.matched is 32 bits");

#define BF_ACTION_EN "Block the address on the firewall or router now (for example: sudo ufw deny from ADDRESS), " \
	"and check that every account on this service has a long, unique password or a key."
#define BF_ACTION_JA "ファイアウォールやルーターで、この送信元アドレスを今すぐ遮断してください（例: sudo ufw deny from アドレス）。" \
	"あわせて、このサービスの全アカウントが長く使い回しのないパスワード（または鍵認証）になっているか確認してください。"

static const struct alert_rule rules[R_COUNT] = {
	[R_BF_SSH] = { "mamori.bruteforce.ssh", "SSH brute force", ALERT_HIGH, IR_DETECT,
		{ "Someone is guessing SSH passwords", "SSH のパスワードを何度も試されています" },
		{ "One address failed to log in over SSH many times in a few minutes. This is how servers are taken over when a password is weak.",
		  "同じアドレスから短時間に何度も SSH ログインに失敗しています。弱いパスワードのサーバーはこうして乗っ取られます。" },
		{ "Block the address now (sudo ufw deny from ADDRESS). Turn off password login for SSH (PasswordAuthentication no in /etc/ssh/sshd_config) and use keys.",
		  "この送信元アドレスを今すぐ遮断してください（sudo ufw deny from アドレス）。SSH のパスワードログインを止め（/etc/ssh/sshd_config で PasswordAuthentication no）、鍵認証を使ってください。" } },
	[R_BF_VPN] = { "mamori.bruteforce.vpn", "VPN brute force", ALERT_HIGH, IR_DETECT,
		{ "Someone is guessing VPN passwords", "VPN のパスワードを何度も試されています" },
		{ "One address failed to log in to the VPN many times. The VPN is the front door of the office network; ransomware gangs break in this way.",
		  "同じアドレスから VPN へのログインに何度も失敗しています。VPN は社内ネットワークの玄関で、ランサムウェアの多くはここから侵入します。" },
		{ "Block the address on the VPN device, turn on multi-factor authentication for the VPN, and make sure the device firmware is up to date.",
		  "VPN 機器でこの送信元アドレスを遮断し、VPN に多要素認証を設定してください。機器のファームウェアが最新かも確認してください。" } },
	[R_BF_RDP] = { "mamori.bruteforce.rdp", "Remote Desktop brute force", ALERT_HIGH, IR_DETECT,
		{ "Someone is guessing Remote Desktop passwords", "リモートデスクトップのパスワードを何度も試されています" },
		{ "Many failed Remote Desktop logons came from one address. Remote Desktop open to the internet is a main entry point of ransomware.",
		  "同じアドレスからリモートデスクトップへのログオン失敗が続いています。インターネットに公開されたリモートデスクトップはランサムウェアの主な侵入口です。" },
		{ "Close Remote Desktop (port 3389) to the internet on the router now; allow it only through the VPN. Set an account lockout policy.",
		  "ルーターでリモートデスクトップ（ポート 3389）のインターネットへの公開を今すぐ止め、VPN 経由だけで使えるようにしてください。アカウントロックアウトのポリシーも設定してください。" } },
	[R_BF_SMB] = { "mamori.bruteforce.smb", "File sharing (SMB) brute force", ALERT_HIGH, IR_DETECT,
		{ "Someone is guessing passwords for file sharing", "ファイル共有のパスワードを何度も試されています" },
		{ "Many failed network logons (file sharing / Windows network) came from one address. An infected PC on the network can do this too.",
		  "同じアドレスからファイル共有（Windows ネットワーク）へのログオン失敗が続いています。社内の感染した PC が原因のこともあります。" },
		{ "Find the computer with this address. If it is outside, block it; if it is inside, disconnect it from the network and check it for malware.",
		  "このアドレスのコンピューターを特定してください。社外なら遮断し、社内の PC ならネットワークから外してウイルス検査をしてください。" } },
	[R_BF_MAIL] = { "mamori.bruteforce.mail", "Mail login brute force", ALERT_MEDIUM, IR_DETECT,
		{ "Someone is guessing mail account passwords", "メールアカウントのパスワードを何度も試されています" },
		{ "Logins to the mail server (SMTP/IMAP/POP) failed repeatedly from one address. A guessed mail password is used to send spam and phishing in your name.",
		  "同じアドレスからメールサーバー（SMTP/IMAP/POP）へのログイン失敗が続いています。破られたメールアカウントは、御社の名前での迷惑メールや詐欺メール送信に使われます。" },
		{ BF_ACTION_EN, BF_ACTION_JA } },
	[R_BF_WEB] = { "mamori.bruteforce.web", "Web login brute force", ALERT_MEDIUM, IR_DETECT,
		{ "Someone is guessing passwords on a web login page", "Web のログイン画面でパスワードを何度も試されています" },
		{ "One address sent many login attempts (or got many '401 Unauthorized' answers) from the web server. Web admin pages such as WordPress are a common target.",
		  "同じアドレスから Web サーバーへのログイン試行（または 401 エラー）が続いています。WordPress などの管理画面はよく狙われます。" },
		{ "Block the address, protect the admin page (allow only office addresses or add a second factor), and check the admin passwords.",
		  "この送信元アドレスを遮断し、管理画面を社内のアドレスだけに限定するか二要素認証を設定してください。管理者のパスワードも確認してください。" } },
	[R_BF_WINDOWS] = { "mamori.bruteforce.windows", "Windows logon brute force", ALERT_HIGH, IR_DETECT,
		{ "Someone is guessing Windows account passwords", "Windows アカウントのパスワードを何度も試されています" },
		{ "Many failed Windows logons (Kerberos/NTLM) came from one address. Attackers inside a network do this to find a working account.",
		  "同じアドレスから Windows へのログオン失敗（Kerberos/NTLM）が続いています。社内に入り込んだ攻撃者が使えるアカウントを探すときの動きです。" },
		{ "Find the computer with this address and disconnect it from the network if you do not know why it does this. Check the accounts it tried.",
		  "このアドレスのコンピューターを特定し、理由が分からなければネットワークから外してください。試されたアカウントも確認してください。" } },
	[R_BF_OTHER] = { "mamori.bruteforce.other", "Login brute force", ALERT_MEDIUM, IR_DETECT,
		{ "Someone is guessing passwords", "パスワードを何度も試されています" },
		{ "Logins failed many times from one address in a few minutes.",
		  "同じアドレスから短時間に何度もログインに失敗しています。" },
		{ BF_ACTION_EN, BF_ACTION_JA } },
	[R_SPRAY] = { "mamori.auth.spray", "Password spraying", ALERT_HIGH, IR_DETECT,
		{ "One address is trying many different accounts", "同じアドレスが多数のアカウントを試しています" },
		{ "Failed logins for many different user names came from one address. Attackers try a few common passwords against every account so that no account gets locked.",
		  "同じアドレスから、多くの異なるユーザー名でログインに失敗しています。ロックされないよう、よくあるパスワードを全アカウントに少しずつ試す攻撃（パスワードスプレー）です。" },
		{ "Block the address now. Make sure no account uses a common password such as the company name plus a year, and turn on multi-factor authentication.",
		  "この送信元アドレスを今すぐ遮断してください。会社名＋年のような推測しやすいパスワードのアカウントがないか確認し、多要素認証を設定してください。" } },
	[R_BREAKIN] = { "mamori.auth.success_after_failures", "Login success after many failures", ALERT_CRITICAL, IR_DETECT,
		{ "A login SUCCEEDED after many failed attempts: possible break-in", "多数の失敗の後にログインが成功しました：侵入の可能性があります" },
		{ "The same address failed many times and then logged in. Either someone finally typed the right password, or an attacker guessed it and is now inside.",
		  "同じアドレスが何度も失敗した後にログインに成功しました。本人がやっと正しいパスワードを入力したか、攻撃者がパスワードを当てて侵入したかのどちらかです。" },
		{ "Ask the account owner right now whether this was them. If not: disconnect the computer from the network (do not turn it off), change the password from another computer, and contact your IT vendor or IPA (情報セキュリティ安心相談窓口). Keep the logs.",
		  "今すぐアカウントの本人に、本人のログインか確認してください。本人でなければ、そのコンピューターをネットワークから外し（電源は切らない）、別の端末からパスワードを変更し、IT 担当業者か IPA の情報セキュリティ安心相談窓口に連絡してください。ログは消さずに残してください。" } },
	[R_USER_NEW] = { "mamori.iam.user_created", "New user account", ALERT_MEDIUM, IR_DETECT,
		{ "A new user account was created", "新しいユーザーアカウントが作成されました" },
		{ "Attackers who get in often create their own account so they can come back. If nobody in the company did this, it is a sign of a break-in.",
		  "侵入した攻撃者は、再び入るために自分用のアカウントを作ることがよくあります。社内の誰も作っていなければ、侵入のしるしです。" },
		{ "Check with the administrator whether this account was created on purpose. If not, disable it and look at what else happened on this computer around that time.",
		  "管理者に、意図して作ったアカウントか確認してください。心当たりがなければアカウントを無効にし、同じ時刻ごろにこのコンピューターで何が起きたか確認してください。" } },
	[R_ADMIN_GROUP] = { "mamori.iam.admin_group_add", "User added to an administrators group", ALERT_HIGH, IR_DETECT,
		{ "An account was given administrator rights", "アカウントに管理者権限が与えられました" },
		{ "A user was added to an administrators group. With these rights someone can turn off protection, read everything and spread ransomware.",
		  "ユーザーが管理者グループに追加されました。この権限があれば、保護機能を止め、すべてのデータを読み、ランサムウェアを広げることができます。" },
		{ "Confirm with the administrator that this change was planned. If not, remove the account from the group now and change the administrator passwords.",
		  "管理者に、予定された変更か確認してください。心当たりがなければ今すぐグループから外し、管理者のパスワードを変更してください。" } },
	[R_LOCKOUT] = { "mamori.iam.lockout", "Account locked out", ALERT_MEDIUM, IR_DETECT,
		{ "An account was locked after too many wrong passwords", "パスワードの誤りが多すぎてアカウントがロックされました" },
		{ "Windows locked the account because of repeated wrong passwords. This is often an attack, sometimes an old saved password on a phone or PC.",
		  "パスワードの誤りが続いたため Windows がアカウントをロックしました。攻撃のことも、スマートフォンや PC に古いパスワードが保存されているだけのこともあります。" },
		{ "Ask the account owner whether they mistyped their password. If not, find the computer named in the alert and check it.",
		  "アカウントの本人にパスワードを間違えたか確認してください。心当たりがなければ、通知に書かれたコンピューターを確認してください。" } },
	[R_LOG_CLEARED] = { "mamori.log.cleared", "Audit log cleared", ALERT_HIGH, IR_DETECT,
		{ "The security log was erased", "セキュリティのログが消去されました" },
		{ "Someone cleared the Windows event log. Attackers do this to hide what they did; administrators almost never need to.",
		  "誰かが Windows のイベントログを消去しました。攻撃者が痕跡を消すためによく行う操作で、通常の管理ではほとんど必要ありません。" },
		{ "Ask who did this. If nobody knows, treat the computer as compromised: disconnect it from the network (do not turn it off) and contact your IT vendor.",
		  "誰が行ったか確認してください。誰も心当たりがなければ、侵入されたものとして扱い、ネットワークから外して（電源は切らない）IT 担当業者に連絡してください。" } },
	[R_SERVICE] = { "mamori.windows.service_installed", "Service installed", ALERT_MEDIUM, IR_DETECT,
		{ "A new Windows service was installed", "新しい Windows サービスがインストールされました" },
		{ "Programs that run as a service start with the computer and full rights. Attack tools (PsExec, remote admin tools, ransomware) install themselves this way.",
		  "サービスとして動くプログラムは、コンピューター起動時に強い権限で動きます。攻撃ツール（PsExec、遠隔操作ツール、ランサムウェア）はこの方法で入り込みます。" },
		{ "Check the service name and program path in the alert. If it is not software you installed or updated, stop the service and contact your IT vendor.",
		  "通知にあるサービス名とプログラムの場所を確認してください。自社で入れたソフトや更新でなければ、サービスを停止して IT 担当業者に連絡してください。" } },
	[R_SQLI] = { "mamori.web.sqli", "SQL injection probing", ALERT_MEDIUM, IR_DETECT,
		{ "Someone is probing the website for SQL injection", "Web サイトに SQL インジェクションの攻撃が来ています" },
		{ "Requests carried database commands in the address. If the site has this weakness, the attacker can read or change the whole database (customer data).",
		  "データベースへの命令を含むリクエストが届いています。サイトにこの弱点があれば、顧客情報を含むデータベース全体を読まれたり書き換えられたりします。" },
		{ "Block the address, make sure the website software and plugins are up to date, and ask the site's developer to check this page. A WAF helps.",
		  "この送信元アドレスを遮断し、Web サイトのソフトやプラグインが最新か確認してください。該当ページの確認を制作会社に依頼してください。WAF の導入も有効です。" } },
	[R_LOG4SHELL] = { "mamori.web.log4shell", "Log4Shell exploit attempt (CVE-2021-44228)", ALERT_HIGH, IR_DETECT,
		{ "Someone tried the Log4Shell attack (CVE-2021-44228)", "Log4Shell 攻撃（CVE-2021-44228）が試みられました" },
		{ "A request carried a ${jndi:...} string. A Java server that still uses an old Log4j runs the attacker's program when it logs this text.",
		  "${jndi:...} という文字列を含むリクエストが届きました。古い Log4j を使う Java のサーバーは、これを記録しただけで攻撃者のプログラムを実行してしまいます。" },
		{ "Make sure no Java software on your servers and appliances uses Log4j older than 2.17.1 (ask the vendors). Block the address.",
		  "サーバーや機器の Java ソフトが 2.17.1 より古い Log4j を使っていないか確認してください（製品の販売元に問い合わせてください）。送信元アドレスを遮断してください。" } },
	[R_TRAVERSAL] = { "mamori.web.path_traversal", "Path traversal attempt", ALERT_MEDIUM, IR_DETECT,
		{ "Someone tried to read files outside the website", "Web サイトの外のファイルを読み出そうとする攻撃です" },
		{ "A request used '../' or asked for system files such as /etc/passwd. On a vulnerable server this reveals passwords and settings.",
		  "「../」や /etc/passwd などのシステムファイルを指定したリクエストです。弱点のあるサーバーでは、パスワードや設定が読み出されます。" },
		{ "Block the address and update the web server and its applications. If the answer status was 200, ask your vendor to check whether files leaked.",
		  "送信元アドレスを遮断し、Web サーバーとアプリを更新してください。応答が 200 なら、ファイルが漏れていないか業者に確認を依頼してください。" } },
	[R_VPN_EXPLOIT] = { "mamori.web.vpn_exploit", "VPN appliance exploit attempt", ALERT_CRITICAL, IR_DETECT,
		{ "Someone attacked a known hole of a VPN device", "VPN 機器の既知の弱点を狙った攻撃です" },
		{ "The request matches an exploit of a VPN appliance (for example Pulse Secure CVE-2019-11510 or FortiGate CVE-2018-13379) that leaks passwords or gives remote control. These holes were used in many ransomware cases in Japan.",
		  "VPN 機器の弱点（例: Pulse Secure の CVE-2019-11510、FortiGate の CVE-2018-13379）を狙うリクエストです。パスワードの流出や遠隔操作につながり、国内の多くのランサムウェア被害で使われました。" },
		{ "Update the VPN device firmware today. If it was not updated before this request, change all VPN passwords and ask your vendor to check the device for intrusion.",
		  "今日中に VPN 機器のファームウェアを更新してください。この時点で未更新だった場合は、VPN の全パスワードを変更し、侵入の有無を業者に調べてもらってください。" } },
	[R_FW_THREAT] = { "mamori.firewall.threat", "Firewall reported an attack", ALERT_MEDIUM, IR_DETECT,
		{ "The firewall detected an attack", "ファイアウォールが攻撃を検知しました" },
		{ "The firewall's intrusion prevention recognized an attack from this address.",
		  "ファイアウォールの侵入防止機能が、このアドレスからの攻撃を検知しました。" },
		{ "Check in the firewall whether it was blocked. If the action was only 'alert', block the address and update the targeted server.",
		  "ファイアウォールで遮断されたか確認してください。「alert（通知のみ）」だった場合は送信元アドレスを遮断し、狙われたサーバーを更新してください。" } },
};

struct detect_builtin {
	struct window bf;	/* service + address: login failures */
	struct window ip;	/* address: failures for the break-in and spraying rules */
	struct window aux;	/* rule + address: suppression, web counters */
	int64_t last_ms;
	uint32_t matched;	/* rules (bits) the last event matched, alerted or held back */
	struct detect_stats st;
	char msg[768];
	char ip_s[64], user_s[128], host_s[128];
	char buf[4096];		/* decoded URL / header */
	char buf2[4096];
};

const struct alert_rule *
detect_builtin_rules(size_t *n)
{
	*n = R_COUNT;
	return rules;
}

bool
detect_builtin_matched(const struct detect_builtin *d, const char *prefix)
{
	for (size_t i = 0; i < R_COUNT; i++)
		if ((d->matched & (1u << i)) && strncmp(rules[i].id, prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

const struct alert_rule *
detect_builtin_rule(const char *id)
{
	for (size_t i = 0; i < R_COUNT; i++)
		if (strcmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}

int
detect_builtin_new(struct detect_builtin **out, size_t max_keys)
{
	struct detect_builtin *d = calloc(1, sizeof(*d));
	if (!d)
		return MAMORI_E_NOMEM;
	if (!max_keys)
		max_keys = 32768;
	if (window_init(&d->bf, max_keys) || window_init(&d->ip, max_keys) ||
	    window_init(&d->aux, max_keys)) {
		detect_builtin_free(d);
		return MAMORI_E_NOMEM;
	}
	*out = d;
	return MAMORI_OK;
}

void
detect_builtin_free(struct detect_builtin *d)
{
	if (!d)
		return;
	window_release(&d->bf);
	window_release(&d->ip);
	window_release(&d->aux);
	free(d);
}

void
detect_builtin_stats(const struct detect_builtin *d, struct detect_stats *st)
{
	*st = d->st;
	st->evictions = d->bf.evictions + d->ip.evictions + d->aux.evictions;
	st->table_bytes = window_bytes(&d->bf) + window_bytes(&d->ip) + window_bytes(&d->aux);
}

#define STATE_SPAN DETECT_STATE_SPAN_MS

int64_t
detect_builtin_clock(const struct detect_builtin *d)
{
	return d->last_ms;
}

static struct window *
table(struct detect_builtin *d, unsigned t)
{
	return t == 0 ? &d->bf : t == 1 ? &d->ip : t == 2 ? &d->aux : NULL;
}

struct open_entry {
	int64_t active;
	const struct window_entry *e;
	unsigned table;
};

static int
newest_first(const void *a, const void *b)
{
	int64_t x = ((const struct open_entry *)a)->active, y = ((const struct open_entry *)b)->active;
	return x < y ? 1 : x > y ? -1 : 0;
}

int
detect_builtin_state_each(const struct detect_builtin *d, size_t max,
    int (*fn)(void *arg, const struct detect_state *s), void *arg)
{
	const struct window *w[3] = { &d->bf, &d->ip, &d->aux };
	size_t n = 0, cap = w[0]->used + w[1]->used + w[2]->used;
	struct open_entry *v = calloc(cap ? cap : 1, sizeof(*v));
	struct detect_state *s = malloc(sizeof(*s));
	int rc = MAMORI_OK;
	if (!v || !s) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	for (unsigned t = 0; t < 3; t++)
		for (size_t i = 0; i < w[t]->nbuckets * WINDOW_WAYS && n < cap; i++) {
			const struct window_entry *e = &w[t]->e[i];
			int64_t a = window_active_ms(e);
			if (e->key && a > d->last_ms - STATE_SPAN)
				v[n++] = (struct open_entry){ a, e, t };
		}
	if (n > max) {
		qsort(v, n, sizeof(*v), newest_first);
		n = max;
	}
	for (size_t i = 0; i < n && rc == MAMORI_OK; i++) {
		s->table = v[i].table;
		s->key = v[i].e->key;
		s->active_ms = v[i].active;
		s->len = window_encode(v[i].e, s->data);
		rc = fn(arg, s);
	}
out:
	free(v);
	free(s);
	return rc;
}

bool
detect_builtin_state_load(struct detect_builtin *d, int64_t clock_ms, const struct detect_state *s)
{
	struct window *w = table(d, s->table);
	struct window_entry e = { .key = s->key };
	if (!w || !s->key || window_decode(s->data, s->len, &e) != MAMORI_OK ||
	    window_active_ms(&e) <= clock_ms - STATE_SPAN)
		return false;
	struct window_entry *slot = window_get(w, s->key);
	*slot = e;
	if (clock_ms > d->last_ms)
		d->last_ms = clock_ms;
	return true;
}

static const char *
cstr(char *dst, size_t n, struct span s)
{
	if (!s.p)
		return NULL;
	size_t k = s.len < n - 1 ? s.len : n - 1;
	memcpy(dst, s.p, k);
	dst[k] = '\0';
	return dst;
}

static struct span
field(const struct event *ev, const char *key)
{
	struct span v = { NULL, 0 };
	event_get(ev, key, &v);
	return v;
}

/* Once per rule and key per SUPPRESS: true when this one may fire. */
static bool
fresh(struct detect_builtin *d, enum rule_ix r, struct span key, int64_t now)
{
	struct window_entry *e = window_get(&d->aux, window_hash(1000 + (uint64_t)r, key));
	d->matched |= 1u << r;
	if (e->fired_ms && now - e->fired_ms < SUPPRESS && now >= e->fired_ms)
		return false;
	e->fired_ms = now ? now : 1;
	e->last_ms = now;
	return true;
}

struct ctx {
	struct detect_builtin *d;
	const struct event *ev;
	detect_alert_fn fn;
	void *arg;
	int64_t now;
	size_t n;
};

static void
raise_alert(struct ctx *c, enum rule_ix r, enum alert_severity sev)
{
	struct detect_builtin *d = c->d;
	d->matched |= 1u << r;
	struct alert a = {
		.rule = &rules[r], .severity = sev, .ts_ms = c->now,
		.source_ip = NULL, .user_name = NULL, .host_name = NULL, .message = d->msg,
	};
	struct span ip = field(c->ev, "source.ip");
	if (!ip.p)
		ip = field(c->ev, "source.address");
	a.source_ip = cstr(d->ip_s, sizeof(d->ip_s), ip);
	a.user_name = cstr(d->user_s, sizeof(d->user_s), field(c->ev, "user.name"));
	a.host_name = cstr(d->host_s, sizeof(d->host_s), field(c->ev, "host.name"));
	d->st.alerts++;
	c->n++;
	c->fn(c->arg, &a);
}

static enum rule_ix
bf_rule(struct span svc, size_t *threshold)
{
	*threshold = 5;
	if (span_eq(svc, "ssh"))
		return R_BF_SSH;
	if (span_eq(svc, "vpn")) {
		*threshold = 4;
		return R_BF_VPN;
	}
	if (span_eq(svc, "rdp"))
		return R_BF_RDP;
	if (span_eq(svc, "smb"))
		return R_BF_SMB;
	if (span_eq(svc, "mail")) {
		*threshold = 3;
		return R_BF_MAIL;
	}
	if (span_eq(svc, "web"))
		return R_BF_WEB;
	if (span_eq(svc, "windows") || span_eq(svc, "kerberos") || span_eq(svc, "ntlm"))
		return R_BF_WINDOWS;
	return R_BF_OTHER;
}

static void
auth_failure(struct ctx *c, struct span ip, struct span svc, struct span user, bool counts)
{
	struct detect_builtin *d = c->d;
	size_t threshold;
	enum rule_ix r = bf_rule(svc, &threshold);
	uint64_t k = window_hash(window_hash(7, svc), ip);
	if (counts) {
		struct window_entry *e = window_get(&d->bf, k);
		size_t n = window_hit(e, c->now, BF_SPAN);
		if (n >= threshold && fresh(d, r, ip, c->now)) {
			snprintf(d->msg, sizeof(d->msg),
			    "%zu failed %.*s logins from %.*s within 10 minutes (last user: %.*s)",
			    n, (int)svc.len, svc.p, (int)ip.len, ip.p,
			    user.p ? (int)(user.len > 64 ? 64 : user.len) : 1, user.p ? user.p : "-");
			raise_alert(c, r, rules[r].severity);
		}
	}
	struct window_entry *e = window_get(&d->ip, window_hash(3, ip));
	if (counts)
		(void)window_hit(e, c->now, BREAKIN_SPAN);
	if (user.len) {
		size_t users = window_add_user(e, (uint32_t)window_hash(5, user));
		if (users >= SPRAY_USERS && fresh(d, R_SPRAY, ip, c->now)) {
			snprintf(d->msg, sizeof(d->msg),
			    "failed logins for %zu%s different accounts from %.*s (%.*s)", users,
			    users >= WINDOW_USERS ? " or more" : "", (int)ip.len, ip.p,
			    (int)svc.len, svc.p);
			raise_alert(c, R_SPRAY, rules[R_SPRAY].severity);
		}
	}
}

static void
auth_success(struct ctx *c, struct span ip, struct span svc, struct span user)
{
	struct detect_builtin *d = c->d;
	struct window_entry *e = window_peek(&d->ip, window_hash(3, ip));
	if (!e)
		return;
	size_t fails = window_count(e, c->now, BREAKIN_SPAN);
	if (fails < BREAKIN_FAILS)
		return;
	snprintf(d->msg, sizeof(d->msg),
	    "%.*s logged in over %.*s as %.*s after %zu%s failed attempts from the same address in the last hour",
	    (int)ip.len, ip.p, (int)svc.len, svc.p,
	    user.p ? (int)(user.len > 64 ? 64 : user.len) : 1, user.p ? user.p : "?",
	    fails, fails >= WINDOW_SLOTS ? " or more" : "");
	raise_alert(c, R_BREAKIN, ALERT_CRITICAL);
	window_clear(e);
}

/* Percent-decodes (and '+' to space) into dst, lower-cased; returns length. */
static size_t
url_decode(struct span s, char *dst, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < s.len && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '%' && i + 2 < s.len) {
			int hi = s.p[i + 1], lo = s.p[i + 2];
			int h = hi >= '0' && hi <= '9' ? hi - '0' : (hi | 32) >= 'a' && (hi | 32) <= 'f' ? (hi | 32) - 'a' + 10 : -1;
			int l = lo >= '0' && lo <= '9' ? lo - '0' : (lo | 32) >= 'a' && (lo | 32) <= 'f' ? (lo | 32) - 'a' + 10 : -1;
			if (h >= 0 && l >= 0) {
				c = (unsigned char)(h * 16 + l);
				i += 2;
			}
		} else if (c == '+') {
			c = ' ';
		}
		if (c >= 'A' && c <= 'Z')
			c += 32;
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return o;
}

/*
 * Log4Shell with its obfuscations: ${jndi:..}, ${${lower:j}ndi:..},
 * ${${::-j}${::-n}di:..}, ${${env:X:-j}ndi..}. Innermost lookups are
 * replaced by their default / last part until "${jndi:" shows or nothing
 * changes. s is lower case, NUL-terminated, modified in place.
 */
static bool
jndi(char *s, size_t len)
{
	if (!memchr(s, '$', len))
		return false;
	for (int round = 0; round < 64; round++) {
		if (strstr(s, "${jndi:"))
			return true;
		/* innermost "${...}" without "${" inside */
		char *open = NULL;
		for (char *p = strstr(s, "${"); p; p = strstr(p + 2, "${")) {
			char *close = strchr(p + 2, '}');
			char *next = strstr(p + 2, "${");
			if (close && (!next || next > close)) {
				open = p;
				break;
			}
		}
		if (!open)
			return false;
		char *close = strchr(open + 2, '}');
		char *body = open + 2;
		/* value: after the last ":-" (a default), else after the first ':'
		 * (${lower:j}); a lookup without ':' stays as its name */
		char *val = body, *dflt = NULL, *colon = NULL;
		for (char *p = body; p < close; p++) {
			if (*p == ':' && !colon)
				colon = p;
			if (p + 1 < close && p[0] == ':' && p[1] == '-')
				dflt = p;
		}
		if (dflt)
			val = dflt + 2;
		else if (colon)
			val = colon + 1;
		size_t vlen = (size_t)(close - val);
		memmove(open, val, vlen);
		memmove(open + vlen, close + 1, strlen(close + 1) + 1);
	}
	return false;
}

static const char *const sqli_pat[] = {
	"union select", "union all select", "information_schema", ",null,null", "benchmark(",
	"load_file(", "substr(", "substring(", "select char(", "selectchar(", "||chr(",
	"distinct(", "pg_sleep(", "sleep(", "upper(", "hex(", "md5(", "waitfor delay",
	"xp_cmdshell", "' or '1'='1", "' or 1=1", "\" or 1=1", "or 1=1--", "@@version",
	"extractvalue(", "updatexml(", "concat(0x", "order by 1--", "/**/", "group_concat(",
};

static const char *const traversal_pat[] = {
	"../", "..\\", "/etc/passwd", "/etc/shadow", "win.ini", "/proc/self/environ", "boot.ini",
};

/* Known exploit URLs of VPN and remote-access appliances. */
static const struct { const char *pat, *pat2, *what; } vpn_pat[] = {
	{ "/dana-na/", "/dana/html5acc/guacamole/", "Pulse Secure CVE-2019-11510" },
	{ "/remote/fgt_lang", "../", "FortiGate CVE-2018-13379" },
	{ "/vpns/", "../", "Citrix ADC CVE-2019-19781" },
	{ "/api/v1/totp/user-backup-code/", "../", "Ivanti Connect Secure CVE-2023-46805" },
	{ "/api/v1/license/keys-status/", "", "Ivanti Connect Secure CVE-2024-21887" },
	{ "/tmui/login.jsp/..;", "", "F5 BIG-IP CVE-2020-5902" },
	{ "/dana-ws/namedusers", "", "Pulse Secure CVE-2020-8243" },
	{ "/remote/logincheck", "../", "FortiGate path traversal" },
};

static void
web(struct ctx *c, struct span ip)
{
	struct detect_builtin *d = c->d;
	struct span url = field(c->ev, "url.original"), status = field(c->ev, "http.response.status_code");
	struct span hdrs[2] = { field(c->ev, "user_agent.original"), field(c->ev, "http.request.referrer") };

	/* Log4Shell anywhere in the request */
	struct span parts[3] = { url, hdrs[0], hdrs[1] };
	for (int i = 0; i < 3; i++) {
		if (!parts[i].len)
			continue;
		size_t n = url_decode(parts[i], d->buf, sizeof(d->buf));
		if (jndi(d->buf, n)) {
			if (fresh(d, R_LOG4SHELL, ip, c->now)) {
				snprintf(d->msg, sizeof(d->msg), "Log4Shell string from %.*s in the %s: %.200s",
				    (int)ip.len, ip.p, i == 0 ? "URL" : i == 1 ? "User-Agent" : "Referer",
				    url_decode(parts[i], d->buf2, sizeof(d->buf2)) ? d->buf2 : "");
				raise_alert(c, R_LOG4SHELL, ALERT_HIGH);
			}
			return;
		}
	}
	if (!url.len)
		return;
	/* twice: "%252e%252e" is a common bypass */
	size_t n = url_decode(url, d->buf2, sizeof(d->buf2));
	n = url_decode((struct span){ d->buf2, n }, d->buf, sizeof(d->buf));
	struct span u = { d->buf, n };
	bool ok200 = status.len && status.p[0] == '2';

	for (size_t i = 0; i < sizeof(vpn_pat) / sizeof(vpn_pat[0]); i++) {
		if (!decode_has(u, vpn_pat[i].pat) || (vpn_pat[i].pat2[0] && !decode_has(u, vpn_pat[i].pat2)))
			continue;
		if (fresh(d, R_VPN_EXPLOIT, ip, c->now)) {
			snprintf(d->msg, sizeof(d->msg), "%s exploit request from %.*s (answer %.*s): %.200s",
			    vpn_pat[i].what, (int)ip.len, ip.p, (int)status.len, status.p, d->buf);
			raise_alert(c, R_VPN_EXPLOIT, ok200 ? ALERT_CRITICAL : ALERT_HIGH);
		}
		return;
	}
	for (size_t i = 0; i < sizeof(traversal_pat) / sizeof(traversal_pat[0]); i++) {
		if (!decode_has(u, traversal_pat[i]))
			continue;
		if (fresh(d, R_TRAVERSAL, ip, c->now)) {
			snprintf(d->msg, sizeof(d->msg), "path traversal from %.*s (answer %.*s): %.200s",
			    (int)ip.len, ip.p, (int)status.len, status.p, d->buf);
			raise_alert(c, R_TRAVERSAL, ok200 ? ALERT_HIGH : ALERT_MEDIUM);
		}
		return;
	}
	for (size_t i = 0; i < sizeof(sqli_pat) / sizeof(sqli_pat[0]); i++) {
		if (!decode_has(u, sqli_pat[i]))
			continue;
		struct window_entry *e = window_get(&d->aux, window_hash(2000, ip));
		size_t hits = window_hit(e, c->now, BF_SPAN);
		if (hits >= SQLI_HITS && fresh(d, R_SQLI, ip, c->now)) {
			snprintf(d->msg, sizeof(d->msg),
			    "%zu SQL injection requests from %.*s within 10 minutes, e.g. %.200s",
			    hits, (int)ip.len, ip.p, d->buf);
			raise_alert(c, R_SQLI, rules[R_SQLI].severity);
		}
		return;
	}
}

static bool
admin_group(struct span name, struct span sid)
{
	static const char *const names[] = { "administrators", "domain admins", "enterprise admins",
		"schema admins", "sudo", "wheel", "admin", "root", "remote desktop users",
		"administratoren", "administrateurs" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (span_eq_nocase(name, names[i]))
			return true;
	/* builtin Administrators, Domain/Enterprise/Schema Admins, RDP users */
	return span_eq(sid, "S-1-5-32-544") || span_eq(sid, "S-1-5-32-555") ||
	    span_ends_with(sid, "-512") || span_ends_with(sid, "-518") || span_ends_with(sid, "-519");
}

static void
iam(struct ctx *c, struct span action)
{
	struct detect_builtin *d = c->d;
	struct span user = field(c->ev, "user.name"), host = field(c->ev, "host.name");
	struct span by = field(c->ev, "user.changes.by");
	struct span key = user;
	if (span_eq(action, "added-user-account") || span_eq(action, "user-created")) {
		if (!fresh(d, R_USER_NEW, key, c->now))
			return;
		snprintf(d->msg, sizeof(d->msg), "account '%.*s' created on %.*s%s%.*s",
		    (int)(user.len > 64 ? 64 : user.len), user.p ? user.p : "",
		    (int)host.len, host.p ? host.p : "", by.len ? " by " : "", (int)by.len, by.p ? by.p : "");
		raise_alert(c, R_USER_NEW, rules[R_USER_NEW].severity);
	} else if (span_eq(action, "added-member-to-group") || span_eq(action, "group-member-added")) {
		struct span g = field(c->ev, "group.name"), gid = field(c->ev, "group.id");
		if (!admin_group(g, gid))
			return;
		snprintf(d->msg, sizeof(d->msg), "'%.*s' added to group '%.*s' on %.*s%s%.*s",
		    (int)(user.len > 100 ? 100 : user.len), user.p ? user.p : "", (int)g.len, g.p ? g.p : "",
		    (int)host.len, host.p ? host.p : "", by.len ? " by " : "", (int)by.len, by.p ? by.p : "");
		raise_alert(c, R_ADMIN_GROUP, rules[R_ADMIN_GROUP].severity);
	} else if (span_eq(action, "locked-out-user-account")) {
		struct span from = field(c->ev, "source.domain");
		if (!fresh(d, R_LOCKOUT, key, c->now))
			return;
		snprintf(d->msg, sizeof(d->msg), "account '%.*s' locked out%s%.*s",
		    (int)(user.len > 64 ? 64 : user.len), user.p ? user.p : "",
		    from.len ? ", wrong passwords came from computer " : "", (int)from.len, from.p ? from.p : "");
		raise_alert(c, R_LOCKOUT, rules[R_LOCKOUT].severity);
	}
}

static bool
suspicious_image(struct span p)
{
	static const char *const pat[] = { "cmd.exe", "cmd /c", "powershell", "%comspec%", "\\temp\\",
		"\\appdata\\", "\\users\\public\\", "admin$", "rundll32", "mshta", "regsvr32",
		"psexesvc", "\\\\127.0.0.1\\" };
	for (size_t i = 0; i < sizeof(pat) / sizeof(pat[0]); i++)
		if (decode_find_nocase(p, pat[i]) < p.len)
			return true;
	return false;
}

size_t
detect_builtin_event(struct detect_builtin *d, const struct event *ev, detect_alert_fn fn, void *arg)
{
	struct ctx c = { d, ev, fn, arg, ev->ts_ms ? ev->ts_ms : d->last_ms, 0 };
	struct span cat = field(ev, "event.category"), outcome = field(ev, "event.outcome");
	struct span action = field(ev, "event.action"), svc = field(ev, "service.type");
	struct span ip = field(ev, "source.ip"), user = field(ev, "user.name");

	d->st.events++;
	d->matched = 0;
	if (ev->ts_ms)
		d->last_ms = ev->ts_ms;
	if (!ip.p)
		ip = field(ev, "source.address");
	if (!cat.p)
		return 0;
	if (span_eq(cat, "authentication") && ip.len) {
		if (span_eq(outcome, "failure"))
			/* pam_unix failures under sshd duplicate "Failed password" */
			auth_failure(&c, ip, svc, user, !span_eq(action, "ssh-pam-failure"));
		else if (span_eq(outcome, "success"))
			auth_success(&c, ip, svc, user);
	} else if (span_eq(cat, "web") && ip.len) {
		if (span_eq(action, "http-auth-failed") || span_eq(action, "http-login-attempt"))
			auth_failure(&c, ip, svc, user, true);
		web(&c, ip);
	} else if (span_eq(cat, "iam")) {
		iam(&c, action);
	} else if (span_eq(cat, "host") && span_eq(action, "audit-log-cleared")) {
		struct span host = field(ev, "host.name"), ch = field(ev, "winlog.channel");
		snprintf(d->msg, sizeof(d->msg), "%s log cleared on %.*s by %.*s",
		    ch.len && !span_eq(ch, "Security") ? "event" : "Security",
		    (int)host.len, host.p ? host.p : "?", (int)(user.len > 64 ? 64 : user.len), user.p ? user.p : "?");
		raise_alert(&c, R_LOG_CLEARED, rules[R_LOG_CLEARED].severity);
	} else if (span_eq(cat, "configuration") && span_eq(action, "service-installed")) {
		struct span name = field(ev, "service.name"), img = field(ev, "process.executable");
		struct span host = field(ev, "host.name");
		snprintf(d->msg, sizeof(d->msg), "service '%.*s' installed on %.*s: %.300s",
		    (int)(name.len > 100 ? 100 : name.len), name.p ? name.p : "",
		    (int)host.len, host.p ? host.p : "?", cstr(d->buf, sizeof(d->buf), img) ? d->buf : "");
		raise_alert(&c, R_SERVICE, suspicious_image(img) ? ALERT_HIGH : ALERT_MEDIUM);
	} else if (span_eq(cat, "intrusion_detection") && ip.len) {
		struct span sev = field(ev, "threat.severity"), name = field(ev, "threat.name");
		enum alert_severity s = span_eq_nocase(sev, "critical") || span_eq_nocase(sev, "high") ?
		    ALERT_HIGH : span_eq_nocase(sev, "medium") ? ALERT_MEDIUM : ALERT_LOW;
		if (s < ALERT_MEDIUM)
			return c.n;
		struct window_entry *e = window_get(&d->aux, window_hash(window_hash(3000, ip), name));
		if (e->fired_ms && c.now - e->fired_ms < SUPPRESS && c.now >= e->fired_ms)
			return c.n;
		e->fired_ms = c.now ? c.now : 1;
		snprintf(d->msg, sizeof(d->msg), "%.*s from %.*s (%.*s, action %.*s)",
		    (int)(name.len > 200 ? 200 : name.len), name.p ? name.p : "threat",
		    (int)ip.len, ip.p, (int)sev.len, sev.p ? sev.p : "", (int)action.len, action.p ? action.p : "");
		raise_alert(&c, R_FW_THREAT, s);
	}
	return c.n;
}
