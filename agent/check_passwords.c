/*
 * check_passwords.c - 5か条 item 3: strong passwords.
 *
 * Local accounts (empty, obsolete hash schemes, a password from the list
 * of the most common ones), the PAM password-quality rule, and the SSH
 * server's password settings. Password hashes never leave this file: the
 * evidence names accounts and schemes only, and a common-password match
 * says that one matched, never which.
 */
#include <crypt.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/check.h"
#include "agent/pam_policy.h"
#include "common/err.h"

#define MAX_NAMES 10		/* accounts named in a detail line */
#define MIN_PASSWORD_LEN 8

enum {
	C_EMPTY, C_WEAK_HASH, C_COMMON, C_POLICY, C_SSH_ROOT, C_SSH_EMPTY,
	C_SSH_PASSWORD,
};

static const struct check_def defs[] = {
	[C_EMPTY] = { "passwords.empty", 3, SEV_CRITICAL,
	    { "Accounts that can log in without a password",
	      "パスワードなしでログインできるアカウントがあります" },
	    { "Anyone who can reach this computer can sign in to these accounts without knowing anything.",
	      "このコンピューターに接続できる人なら誰でも、何も知らなくてもこれらのアカウントにログインできてしまいます。" },
	    { "Set a password now with `sudo passwd ACCOUNT`, or lock an unused account with `sudo passwd -l ACCOUNT`.",
	      "`sudo passwd アカウント名` ですぐにパスワードを設定するか、使っていないアカウントは `sudo passwd -l アカウント名` でロックしてください。" } },
	[C_WEAK_HASH] = { "passwords.weak_hash", 3, SEV_HIGH,
	    { "Passwords stored with an outdated method",
	      "古い方式で保存されているパスワードがあります" },
	    { "These old methods (DES, MD5) can be cracked in minutes if the password file is ever copied, revealing the passwords.",
	      "DES や MD5 などの古い方式は、パスワードファイルが盗まれた場合に数分で解読され、パスワードが知られてしまいます。" },
	    { "Have each listed account set its password again with `passwd` (Debian and Red Hat then store it with yescrypt or SHA-512). Check that /etc/login.defs says `ENCRYPT_METHOD YESCRYPT` or `SHA512`.",
	      "表示されたアカウントで `passwd` を実行してパスワードを設定し直してください(新しい方式 yescrypt や SHA-512 で保存し直されます)。/etc/login.defs が `ENCRYPT_METHOD YESCRYPT` または `SHA512` になっていることも確認してください。" } },
	[C_COMMON] = { "passwords.common", 3, SEV_CRITICAL,
	    { "Accounts use one of the most common passwords",
	      "よく使われるパスワードを使っているアカウントがあります" },
	    { "Attackers try these passwords first, automatically and around the clock; an account using one will be taken over.",
	      "攻撃者はこうしたパスワードを最初に、自動で休みなく試します。使っているアカウントは乗っ取られてしまいます。" },
	    { "Change the password of each listed account now with `sudo passwd ACCOUNT`: use a long passphrase (12 characters or more) used nowhere else.",
	      "表示された各アカウントのパスワードを `sudo passwd アカウント名` ですぐに変更してください。他で使っていない、長い(12文字以上の)パスフレーズにしてください。" } },
	[C_POLICY] = { "passwords.policy_missing", 3, SEV_MEDIUM,
	    { "No rule stops short or simple passwords",
	      "短いパスワードや単純なパスワードを防ぐ設定がありません" },
	    { "Without a password quality rule, anyone can set a password like \"1234\" that is guessed in seconds.",
	      "パスワードの品質ルールがないと、「1234」のような数秒で推測されるパスワードを誰でも設定できてしまいます。" },
	    { "Install the quality check with `sudo apt install libpam-pwquality` (Red Hat: `sudo dnf install libpwquality`), then set `minlen = 12` in /etc/security/pwquality.conf.",
	      "`sudo apt install libpam-pwquality`(Red Hat 系は `sudo dnf install libpwquality`)で品質チェックを導入し、/etc/security/pwquality.conf に `minlen = 12` を設定してください。" } },
	[C_SSH_ROOT] = { "passwords.ssh_root_login", 3, SEV_HIGH,
	    { "The administrator account (root) can log in over SSH with a password",
	      "管理者アカウント(root)が SSH でパスワードログインできます" },
	    { "root exists on every Linux machine, so attackers only have to guess its password; this is the most attacked login on the internet.",
	      "root はどの Linux にも必ずあるため、攻撃者はパスワードを当てるだけで済みます。インターネット上で最も狙われるログインです。" },
	    { "In the SSH server settings file named below, set `PermitRootLogin prohibit-password` (or `no`), then run `sudo systemctl reload ssh` (Red Hat: `sshd`). Administrators should log in as themselves and use sudo.",
	      "下に示す SSH サーバーの設定ファイルで `PermitRootLogin prohibit-password`(または `no`)に変更し、`sudo systemctl reload ssh`(Red Hat 系は `sshd`)を実行してください。管理作業は各自のアカウントでログインして sudo で行ってください。" } },
	[C_SSH_EMPTY] = { "passwords.ssh_empty_passwords", 3, SEV_CRITICAL,
	    { "SSH lets accounts without a password log in",
	      "SSH でパスワードが空のアカウントのログインが許可されています" },
	    { "Any account without a password can be entered from the network by anyone.",
	      "パスワードが設定されていないアカウントに、ネットワーク経由で誰でも入れてしまいます。" },
	    { "In the SSH server settings file named below, set `PermitEmptyPasswords no`, then run `sudo systemctl reload ssh` (Red Hat: `sshd`).",
	      "下に示す SSH サーバーの設定ファイルで `PermitEmptyPasswords no` に変更し、`sudo systemctl reload ssh`(Red Hat 系は `sshd`)を実行してください。" } },
	[C_SSH_PASSWORD] = { "passwords.ssh_password_auth", 3, SEV_MEDIUM,
	    { "SSH accepts passwords",
	      "SSH でパスワードによるログインが有効です" },
	    { "Attackers on the internet try passwords against SSH all day; a key file cannot be guessed.",
	      "インターネット上の攻撃者は一日中 SSH にパスワードを試しています。鍵ファイルによるログインなら推測されません。" },
	    { "Give each person an SSH key (`ssh-keygen`, then `ssh-copy-id` to this machine), check they can log in with it, then set `PasswordAuthentication no` and `KbdInteractiveAuthentication no` in the SSH server settings and run `sudo systemctl reload ssh` (Red Hat: `sshd`).",
	      "各利用者に SSH 鍵を用意し(`ssh-keygen` の後 `ssh-copy-id` でこのコンピューターに登録)、鍵でログインできることを確認してから、SSH サーバーの設定で `PasswordAuthentication no` と `KbdInteractiveAuthentication no` を設定し、`sudo systemctl reload ssh`(Red Hat 系は `sshd`)を実行してください。" } },
};

/* Most used first (public breach lists, plus ones common in Japan and
 * distribution defaults). The account's own name is tried second. */
static const char *const common[] = {
	"123456", "password", "12345678", "123456789", "qwerty", "12345",
	"1234567", "111111", "1234567890", "123123", "abc123", "000000",
	"password1", "1234", "admin", "root", "iloveyou", "qwerty123",
	"1q2w3e4r", "letmein", "welcome", "changeme", "P@ssw0rd", "passw0rd",
	"Password", "toor", "test", "guest", "user", "monkey", "dragon",
	"admin123", "raspberry", "ubuntu", "debian", "sakura", "doraemon",
	"naruto", "pokemon", "asdfghjk",
};
#define NCOMMON (sizeof(common) / sizeof(common[0]))

/* "alice, bob, ... and 3 more" / "alice、bob … ほか 3 件" */
static void
names(char *en, char *ja, size_t size, const struct inv_user *const *u, size_t n)
{
	size_t le = 0, lj = 0;
	en[0] = ja[0] = '\0';
	for (size_t i = 0; i < n && i < MAX_NAMES; i++) {
		int a = snprintf(en + le, size - le, "%s%s", i ? ", " : "", u[i]->name);
		int b = snprintf(ja + lj, size - lj, "%s%s", i ? "、" : "", u[i]->name);
		if (a < 0 || b < 0 || (size_t)a >= size - le || (size_t)b >= size - lj)
			return;
		le += (size_t)a;
		lj += (size_t)b;
	}
	if (n > MAX_NAMES) {
		snprintf(en + le, size - le, " and %zu more", n - MAX_NAMES);
		snprintf(ja + lj, size - lj, " ほか %zu 件", n - MAX_NAMES);
	}
}

/* The shadow data a password check needs: from shadow, or from passwd
 * fields that are not "x". */
static bool
have_hashes(const struct inventory *inv)
{
	if (inv->have_shadow)
		return true;
	for (size_t i = 0; i < inv->users.n; i++) {
		const struct inv_user *u = vec_at(&inv->users, i);
		if (u->hash_from_passwd && u->hash && strcmp(u->hash, "*") != 0 &&
		    strcmp(u->hash, "!") != 0)
			return true;
	}
	return false;
}

static const char *
hash_source(const struct inv_user *u)
{
	return u->hash_from_passwd ? "/etc/passwd" : "/etc/shadow";
}

static int
check_empty(struct check_run *run, const struct inventory *inv)
{
	const struct inv_user **hit;
	size_t n = 0;
	char en[1024], ja[1024];
	if (!have_hashes(inv)) {
		check_skip(run, &defs[C_EMPTY], "/etc/shadow is not readable (run as root)");
		return MAMORI_OK;
	}
	if (!(hit = arena_alloc(run->ctx->arena, (inv->users.n + 1) * sizeof(*hit))))
		return MAMORI_E_NOMEM;
	json_t *ev = json_array();
	for (size_t i = 0; i < inv->users.n; i++) {
		const struct inv_user *u = vec_at(&inv->users, i);
		if (!u->shadow_known || !u->hash || u->hash[0] || !u->login_shell)
			continue;
		hit[n++] = u;
		json_array_append_new(ev, json_pack("{s:s, s:I, s:s, s:s?, s:b}",
		    "user", u->name, "uid", (json_int_t)u->uid, "file", hash_source(u),
		    "shell", u->shell, "admin", u->admin));
	}
	if (n == 0) {
		json_decref(ev);
		return MAMORI_OK;
	}
	names(en, ja, sizeof(en), hit, n);
	char *de = arena_printf(run->ctx->arena,
	    "%zu account(s) have an empty password field and a login shell: %s.", n, en);
	char *dj = arena_printf(run->ctx->arena,
	    "パスワード欄が空でログインシェルを持つアカウントが %zu 件あります: %s。", n, ja);
	if (!de || !dj) {
		json_decref(ev);
		return MAMORI_E_NOMEM;
	}
	return check_add(run, &defs[C_EMPTY], ev, de, dj) ? MAMORI_OK : MAMORI_E_NOMEM;
}

/* The hash scheme when it is obsolete, NULL when it is fine. */
static const char *
weak_scheme(const char *h)
{
	static const struct { const char *prefix, *name; } old[] = {
		{ "$1$", "md5" }, { "$md5", "sun-md5" }, { "$sha1$", "sha1" },
		{ "$3$", "nthash" }, { "$2$", "bcrypt-2" },
	};
	if (h[0] == '$') {
		for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++)
			if (strncmp(h, old[i].prefix, strlen(old[i].prefix)) == 0)
				return old[i].name;
		return NULL;
	}
	size_t n = strlen(h);
	if (h[0] == '_' && n == 20)
		return "bsdi-des";
	if (n == 13 && strspn(h, "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz") == 13)
		return "des";
	/* bigcrypt: DES in 11-character blocks after the first 13. */
	if (n > 13 && (n - 13) % 11 == 0 && strspn(h, "./0123456789"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == n)
		return "bigcrypt";
	return NULL;
}

static int
check_weak_hash(struct check_run *run, const struct inventory *inv)
{
	const struct inv_user **hit;
	size_t n = 0;
	char en[1024], ja[1024];
	if (!have_hashes(inv)) {
		check_skip(run, &defs[C_WEAK_HASH], "/etc/shadow is not readable (run as root)");
		return MAMORI_OK;
	}
	if (!(hit = arena_alloc(run->ctx->arena, (inv->users.n + 1) * sizeof(*hit))))
		return MAMORI_E_NOMEM;
	json_t *ev = json_array();
	char *schemes = NULL;
	for (size_t i = 0; i < inv->users.n; i++) {
		const struct inv_user *u = vec_at(&inv->users, i);
		const char *s;
		if (!u->shadow_known || !u->hash || !u->hash[0] || u->locked ||
		    !(s = weak_scheme(u->hash)))
			continue;
		if (!schemes || !strstr(schemes, s))
			schemes = schemes ? arena_printf(run->ctx->arena, "%s, %s", schemes, s) :
			    arena_strdup(run->ctx->arena, s);
		if (!schemes) {
			json_decref(ev);
			return MAMORI_E_NOMEM;
		}
		hit[n++] = u;
		json_array_append_new(ev, json_pack("{s:s, s:I, s:s, s:s, s:b}",
		    "user", u->name, "uid", (json_int_t)u->uid, "scheme", s,
		    "file", hash_source(u), "admin", u->admin));
	}
	if (n == 0) {
		json_decref(ev);
		return MAMORI_OK;
	}
	names(en, ja, sizeof(en), hit, n);
	char *de = arena_printf(run->ctx->arena,
	    "%zu account(s) have passwords stored with %s: %s.", n, schemes, en);
	char *dj = arena_printf(run->ctx->arena,
	    "%zu 件のアカウントのパスワードが %s 方式で保存されています: %s。", n, schemes, ja);
	if (!de || !dj) {
		json_decref(ev);
		return MAMORI_E_NOMEM;
	}
	return check_add(run, &defs[C_WEAK_HASH], ev, de, dj) ? MAMORI_OK : MAMORI_E_NOMEM;
}

/* Risk order for the time budget: uid 0, admins, other login accounts,
 * then the rest. */
static int
risk(const struct inv_user *u)
{
	if (u->uid == 0)
		return 0;
	if (u->admin)
		return 1;
	return u->login_shell ? 2 : 3;
}

static int
by_risk(const void *a, const void *b)
{
	const struct inv_user *x = *(const struct inv_user *const *)a;
	const struct inv_user *y = *(const struct inv_user *const *)b;
	int rx = risk(x), ry = risk(y);
	if (rx != ry)
		return rx - ry;
	return x < y ? -1 : x > y;	/* file order */
}

/* A hash crypt(3) can verify: a $id$ scheme or (bsdi-)DES. */
static bool
crackable(const struct inv_user *u)
{
	if (!u->shadow_known || !u->hash || !u->hash[0] || u->locked)
		return false;
	return u->hash[0] == '$' || weak_scheme(u->hash) != NULL;
}

static int
check_common(struct check_run *run, const struct inventory *inv)
{
	struct scan_ctx *ctx = run->ctx;
	int64_t budget = conf_int(ctx->conf, CONF_SCAN_PASSWORD_CHECK_MS);
	const struct inv_user **users, **hit;
	size_t nusers = 0, n = 0, tried = 0;
	char en[1024], ja[1024];
	int rc = MAMORI_OK;

	if (!have_hashes(inv)) {
		check_skip(run, &defs[C_COMMON], "/etc/shadow is not readable (run as root)");
		return MAMORI_OK;
	}
	if (budget == 0) {
		check_skip(run, &defs[C_COMMON], "turned off (scan.password_check_ms is 0)");
		return MAMORI_OK;
	}
	users = arena_alloc(ctx->arena, (inv->users.n + 1) * sizeof(*users));
	hit = arena_alloc(ctx->arena, (inv->users.n + 1) * sizeof(*hit));
	bool *found = arena_alloc(ctx->arena, inv->users.n + 1);
	struct crypt_data *cd = arena_alloc(ctx->arena, sizeof(*cd));
	if (!users || !hit || !found || !cd)
		return MAMORI_E_NOMEM;
	for (size_t i = 0; i < inv->users.n; i++) {
		const struct inv_user *u = vec_at(&inv->users, i);
		if (crackable(u))
			users[nusers++] = u;
	}
	if (nusers)
		qsort(users, nusers, sizeof(*users), by_risk);

	/* Password-major: the likeliest passwords for every account before
	 * the rarer ones, so a budget that runs out (yescrypt costs ~14 ms a
	 * guess here) has tried what matters most. Index 1 is the account's
	 * own name. */
	size_t total = nusers * (NCOMMON + 1);
	int64_t start = scan_monotonic_ms();
	bool out_of_time = false;
	for (size_t p = 0; p < NCOMMON + 1 && !out_of_time; p++) {
		for (size_t i = 0; i < nusers; i++) {
			if (found[i])
				continue;
			if (scan_monotonic_ms() - start >= budget) {
				out_of_time = true;
				break;
			}
			const char *guess = p == 1 ? users[i]->name :
			    common[p == 0 ? 0 : p - 1];
			const char *h = crypt_rn(guess, users[i]->hash, cd, sizeof(*cd));
			tried++;
			if (h && strcmp(h, users[i]->hash) == 0) {
				found[i] = true;
				hit[n++] = users[i];
			}
		}
	}
	int64_t took = scan_monotonic_ms() - start;
	explicit_bzero(cd, sizeof(*cd));
	if (out_of_time)
		scan_warn(ctx, "passwords", "common-password check stopped at its %lld ms "
		    "budget (scan.password_check_ms): tried %zu of %zu guesses for %zu "
		    "account(s)", (long long)budget, tried, total, nusers);
	if (n == 0)
		return MAMORI_OK;

	json_t *ev = json_object();
	json_t *acc = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(acc, json_pack("{s:s, s:I, s:b}", "user", hit[i]->name,
		    "uid", (json_int_t)hit[i]->uid, "admin", hit[i]->admin));
	json_object_set_new(ev, "accounts", acc);
	json_object_set_new(ev, "list_size", json_integer((json_int_t)(NCOMMON + 1)));
	json_object_set_new(ev, "guesses_tried", json_integer((json_int_t)tried));
	json_object_set_new(ev, "guesses_total", json_integer((json_int_t)total));
	json_object_set_new(ev, "complete", json_boolean(!out_of_time));
	json_object_set_new(ev, "elapsed_ms", json_integer(took));
	names(en, ja, sizeof(en), hit, n);
	char *de = arena_printf(ctx->arena,
	    "Password matches one of the %zu most common passwords (the list "
	    "includes the account's own name): %s.%s", NCOMMON + 1, en,
	    out_of_time ? " The check ran out of time, so other accounts may be affected too." : "");
	char *dj = arena_printf(ctx->arena,
	    "%s のパスワードが、最もよく使われるパスワード %zu 個(アカウント名そのものを含む)の"
	    "いずれかと一致しました。%s", ja, NCOMMON + 1,
	    out_of_time ? "時間内にすべてを確認できなかったため、他のアカウントも該当する可能性があります。" : "");
	if (!de || !dj) {
		json_decref(ev);
		return MAMORI_E_NOMEM;
	}
	if (!check_add(run, &defs[C_COMMON], ev, de, dj))
		rc = MAMORI_E_NOMEM;
	return rc;
}

/* Reads a small text file of the scanned system; false when missing or
 * unusable (a warning for the unusable). */
static bool
read_conf(struct scan_ctx *ctx, const char *path, struct span *text)
{
	int rc = rootfs_read(ctx->root, path, scan_max_file(ctx), ctx->arena, text);
	if (rc) {
		if (rc != MAMORI_E_NOTFOUND)
			scan_warn(ctx, "passwords", "%s: %s", path, err_str(rc));
		return false;
	}
	if (!span_is_text(*text)) {
		scan_warn(ctx, "passwords", "%s: not a text file, skipped", path);
		return false;
	}
	return true;
}

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* minlen from pwquality.conf, then pwquality.conf.d/NAME.conf in name
 * order (libpwquality reads them in that order; the last one wins). */
static int
pwquality_minlen(struct scan_ctx *ctx, long *minlen, const char **file, int *line)
{
	struct span text;
	const char *conf = "/etc/security/pwquality.conf", *dir = "/etc/security/pwquality.conf.d";
	if (read_conf(ctx, conf, &text)) {
		int l = 0;
		pam_policy_pwquality_minlen(text, minlen, &l);
		if (l) {
			*file = conf;
			*line = l;
		}
	}
	DIR *d = rootfs_opendir(ctx->root, dir);
	if (!d)
		return MAMORI_OK;
	struct vec names;
	vec_init(&names, sizeof(char *), 1000);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n < 6 || strcmp(e->d_name + n - 5, ".conf") != 0)
			continue;
		char **slot = vec_push(ctx->arena, &names);
		if (!slot || !(*slot = arena_printf(ctx->arena, "%s/%s", dir, e->d_name)))
			break;
	}
	closedir(d);
	if (names.n)
		qsort(names.items, names.n, sizeof(char *), by_str);
	for (size_t i = 0; i < names.n; i++) {
		const char *path = *(char **)vec_at(&names, i);
		int l = 0;
		if (!read_conf(ctx, path, &text))
			continue;
		pam_policy_pwquality_minlen(text, minlen, &l);
		if (l) {
			*file = path;
			*line = l;
		}
	}
	return MAMORI_OK;
}

static int
check_policy(struct check_run *run, const struct inventory *inv)
{
	static const char *const files[] = { "/etc/pam.d/common-password",
	    "/etc/pam.d/system-auth", "/etc/pam.d/password-auth" };
	struct scan_ctx *ctx = run->ctx;
	struct span text;
	const char *seen[3];
	size_t nseen = 0;
	struct pam_quality q = { false, NULL, 0, -1 };
	const char *qfile = NULL;
	int rc;
	(void)inv;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (!read_conf(ctx, files[i], &text))
			continue;
		seen[nseen++] = files[i];
		struct pam_quality here = { false, NULL, 0, -1 };
		if ((rc = pam_policy_parse(ctx->arena, text, &here)))
			return rc;
		if (here.found && !q.found) {
			q = here;
			qfile = files[i];
		}
	}
	if (nseen == 0) {
		check_skip(run, &defs[C_POLICY], "no PAM password configuration "
		    "(/etc/pam.d/common-password or system-auth)");
		return MAMORI_OK;
	}
	json_t *ev = json_object();
	json_t *checked = json_array();
	for (size_t i = 0; i < nseen; i++)
		json_array_append_new(checked, json_string(seen[i]));
	json_object_set_new(ev, "pam_files", checked);
	if (!q.found) {
		json_object_set_new(ev, "quality_module", json_null());
		char *de = arena_printf(ctx->arena, "%s has no pam_pwquality or "
		    "pam_cracklib line for passwords.", seen[0]);
		char *dj = arena_printf(ctx->arena, "%s に pam_pwquality も "
		    "pam_cracklib も設定されていません。", seen[0]);
		if (!de || !dj) {
			json_decref(ev);
			return MAMORI_E_NOMEM;
		}
		return check_add(run, &defs[C_POLICY], ev, de, dj) ? MAMORI_OK : MAMORI_E_NOMEM;
	}
	/* The module's own minlen= wins over pwquality.conf. Defaults:
	 * pam_pwquality 8, pam_cracklib 9; passwdqc's defaults are strict. */
	long minlen = strcmp(q.module, "pam_cracklib.so") == 0 ? 9 : 8;
	const char *mfile = NULL;
	int mline = 0;
	if (strcmp(q.module, "pam_pwquality.so") == 0 &&
	    (rc = pwquality_minlen(ctx, &minlen, &mfile, &mline)))
		return rc;
	if (q.minlen >= 0) {
		minlen = q.minlen;
		mfile = qfile;
		mline = q.line;
	}
	if (strcmp(q.module, "pam_passwdqc.so") == 0 || minlen >= MIN_PASSWORD_LEN) {
		json_decref(ev);
		return MAMORI_OK;
	}
	json_object_set_new(ev, "quality_module", json_pack("{s:s, s:s, s:i}",
	    "module", q.module, "file", qfile, "line", q.line));
	json_object_set_new(ev, "minlen", json_integer(minlen));
	json_object_set_new(ev, "minlen_set_at", mfile ?
	    json_pack("{s:s, s:i}", "file", mfile, "line", mline) : json_null());
	char *de = arena_printf(ctx->arena, "%s checks passwords, but allows them "
	    "as short as %ld characters (%s%s%.0d).", q.module, minlen,
	    mfile ? mfile : "default", mfile ? ":" : "", mfile ? mline : 0);
	char *dj = arena_printf(ctx->arena, "%s でパスワードを確認していますが、"
	    "%ld 文字の短いパスワードが許可されています(%s%s%.0d)。", q.module,
	    minlen, mfile ? mfile : "既定値", mfile ? ":" : "", mfile ? mline : 0);
	if (!de || !dj) {
		json_decref(ev);
		return MAMORI_E_NOMEM;
	}
	return check_add(run, &defs[C_POLICY], ev, de, dj) ? MAMORI_OK : MAMORI_E_NOMEM;
}

/* The first unconditional setting among a keyword and its aliases, as
 * sshd takes it; *conditional gets the first one inside a Match block
 * that is set to yes (it applies to some connections only). */
static const struct inv_ssh_setting *
sshd_effective(const struct inventory *inv, const char *key, const char *alias,
    const struct inv_ssh_setting **cond_yes)
{
	const struct inv_ssh_setting *eff = NULL;
	if (cond_yes)
		*cond_yes = NULL;
	for (size_t i = 0; i < inv->sshd.settings.n; i++) {
		const struct inv_ssh_setting *s = vec_at(&inv->sshd.settings, i);
		if (strcmp(s->key, key) != 0 && !(alias && strcmp(s->key, alias) == 0))
			continue;
		if (!s->in_match && !eff)
			eff = s;
		if (s->in_match && cond_yes && !*cond_yes && strcmp(s->value, "yes") == 0)
			*cond_yes = s;
	}
	return eff;
}

static json_t *
setting_json(const struct inv_ssh_setting *s, const char *key, const char *dflt)
{
	if (!s)
		return json_pack("{s:s, s:s, s:n, s:n, s:b}", "key", key, "value", dflt,
		    "file", "line", "default", true);
	return json_pack("{s:s, s:s, s:s, s:i, s:b, s:b}", "key", s->key, "value",
	    s->value, "file", s->file, "line", s->line, "default", false,
	    "in_match", s->in_match);
}

static bool
sshd_skip(struct check_run *run, const struct inventory *inv, int which)
{
	if (inv->sshd.installed)
		return false;
	check_skip(run, &defs[which], "no SSH server installed");
	return true;
}

/* A yes/no setting that is a finding when "yes" (unconditionally, or
 * inside a Match block at a lower severity). */
static int
ssh_yes_check(struct check_run *run, const struct inventory *inv, int which,
    const char *key, const char *name, const char *dflt)
{
	const struct inv_ssh_setting *cond, *eff = sshd_effective(inv, key, NULL, &cond);
	bool yes = eff && strcmp(eff->value, "yes") == 0;
	if (!yes && !cond)
		return MAMORI_OK;
	const struct inv_ssh_setting *at = yes ? eff : cond;
	json_t *ev = setting_json(at, key, dflt);
	char *de = arena_printf(run->ctx->arena, "%s %s is set at %s:%d%s.", name,
	    at->value, at->file, at->line, yes ? "" : " inside a Match block (for some connections)");
	char *dj = arena_printf(run->ctx->arena, "%s:%d で %s %s が設定されています%s。",
	    at->file, at->line, name, at->value, yes ? "" : "(Match ブロック内: 一部の接続のみ)");
	if (!de || !dj) {
		json_decref(ev);
		return MAMORI_E_NOMEM;
	}
	struct finding *f = check_add(run, &defs[which], ev, de, dj);
	if (!f)
		return MAMORI_E_NOMEM;
	if (!yes && f->severity > SEV_MEDIUM)
		f->severity = f->severity - 1;
	return MAMORI_OK;
}

static int
check_ssh_password(struct check_run *run, const struct inventory *inv)
{
	struct scan_ctx *ctx = run->ctx;
	const struct inv_ssh_setting *pw = sshd_effective(inv, "passwordauthentication",
	    NULL, NULL);
	/* ChallengeResponseAuthentication is the old name of the keyword. */
	const struct inv_ssh_setting *kbd = sshd_effective(inv,
	    "kbdinteractiveauthentication", "challengeresponseauthentication", NULL);
	const struct inv_ssh_setting *pam = sshd_effective(inv, "usepam", NULL, NULL);
	bool pw_on = !pw || strcmp(pw->value, "yes") == 0;
	/* Keyboard-interactive asks for the password through PAM. */
	bool kbd_on = (!kbd || strcmp(kbd->value, "yes") == 0) &&
	    pam && strcmp(pam->value, "yes") == 0;
	if (!pw_on && !kbd_on)
		return MAMORI_OK;
	json_t *ev = json_pack("{s:o, s:o, s:o}",
	    "password_authentication", setting_json(pw, "passwordauthentication", "yes"),
	    "kbd_interactive_authentication", setting_json(kbd,
	    "kbdinteractiveauthentication", "yes"),
	    "use_pam", setting_json(pam, "usepam", "no"));
	char where_en[600], where_ja[600];
	if (pw)
		snprintf(where_en, sizeof(where_en), "PasswordAuthentication %s at %s:%d",
		    pw->value, pw->file, pw->line);
	else
		snprintf(where_en, sizeof(where_en), "PasswordAuthentication is not set "
		    "(the default is yes)");
	if (pw)
		snprintf(where_ja, sizeof(where_ja), "%s:%d で PasswordAuthentication %s",
		    pw->file, pw->line, pw->value);
	else
		snprintf(where_ja, sizeof(where_ja), "PasswordAuthentication が未設定"
		    "(既定値は yes)");
	char *de = arena_printf(ctx->arena, "%s; KbdInteractiveAuthentication %s%s.",
	    where_en, kbd ? kbd->value : "is not set (default yes)",
	    kbd_on ? " with UsePAM yes, which also asks for passwords" : "");
	char *dj = arena_printf(ctx->arena, "%s です。KbdInteractiveAuthentication は %s%s。",
	    where_ja, kbd ? kbd->value : "未設定(既定値 yes)",
	    kbd_on ? "で UsePAM yes のため、こちらでもパスワードが使えます" : "です");
	if (!de || !dj) {
		json_decref(ev);
		return MAMORI_E_NOMEM;
	}
	return check_add(run, &defs[C_SSH_PASSWORD], ev, de, dj) ? MAMORI_OK : MAMORI_E_NOMEM;
}

static int
run_passwords(struct check_run *run, const struct inventory *inv)
{
	int rc;
	if ((rc = check_empty(run, inv)) || (rc = check_weak_hash(run, inv)) ||
	    (rc = check_common(run, inv)) || (rc = check_policy(run, inv)))
		return rc;
	if (!sshd_skip(run, inv, C_SSH_ROOT) &&
	    (rc = ssh_yes_check(run, inv, C_SSH_ROOT, "permitrootlogin",
	    "PermitRootLogin", "prohibit-password")))
		return rc;
	if (!sshd_skip(run, inv, C_SSH_EMPTY) &&
	    (rc = ssh_yes_check(run, inv, C_SSH_EMPTY, "permitemptypasswords",
	    "PermitEmptyPasswords", "no")))
		return rc;
	if (!sshd_skip(run, inv, C_SSH_PASSWORD) && (rc = check_ssh_password(run, inv)))
		return rc;
	return MAMORI_OK;
}

const struct check_module check_passwords_module = {
	"passwords", defs, sizeof(defs) / sizeof(defs[0]), run_passwords,
};
