/*
 * check_sharing.c - 5か条 item 4: review sharing settings (共有設定を見直す).
 *
 * Samba shares open to guests, NFS exports to everyone or keeping root,
 * world-writable files in system directories and risky services listening
 * on the network. The parsers live in smb_conf.c, nfs_exports.c, ww_walk.c
 * and risky_ports.c; this file decides what is a finding and says it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "agent/check.h"
#include "agent/nfs_exports.h"
#include "agent/risky_ports.h"
#include "agent/smb_conf.h"
#include "agent/ww_walk.h"
#include "common/err.h"

enum {
	D_SMB_GUEST,
	D_SMB_GUEST_WRITABLE,
	D_NFS_EVERYONE,
	D_NFS_NO_ROOT_SQUASH,
	D_WORLD_WRITABLE,
	D_EXPOSED_SERVICE,
};

static const struct check_def defs[] = {
	[D_SMB_GUEST] = { "sharing.smb_guest", 4, SEV_HIGH,
	    { "A shared folder can be opened without a password",
	      "パスワードなしで開ける共有フォルダーがあります" },
	    { "Anyone on the network - a visitor's laptop or an infected PC - "
	      "can read every file in a guest share.",
	      "ゲスト共有のファイルは、来客のパソコンやウイルスに感染したパソコンなど、"
	      "ネットワーク上の誰からでも読めてしまいます。" },
	    { "In /etc/samba/smb.conf set \"guest ok = no\" for the share, give "
	      "it \"valid users = @staff\" (your staff group), then run "
	      "\"sudo systemctl restart smbd\".",
	      "/etc/samba/smb.conf のその共有に「guest ok = no」と「valid users = "
	      "@staff」(社員のグループ) を設定し、「sudo systemctl restart smbd」を"
	      "実行してください。" } },
	[D_SMB_GUEST_WRITABLE] = { "sharing.smb_guest_writable", 4, SEV_CRITICAL,
	    { "A shared folder can be changed without a password",
	      "パスワードなしで書き換えられる共有フォルダーがあります" },
	    { "Anyone on the network can change or delete the files, and "
	      "ransomware on any one PC can encrypt them all.",
	      "ネットワーク上の誰でもファイルを変更・削除でき、1台のパソコンに入った"
	      "ランサムウェアが共有のファイルをすべて暗号化できてしまいます。" },
	    { "In /etc/samba/smb.conf set \"guest ok = no\" and \"valid users = "
	      "@staff\" for the share (and \"read only = yes\" where nobody needs "
	      "to write), run \"sudo chmod o-w\" on the folder, then "
	      "\"sudo systemctl restart smbd\".",
	      "/etc/samba/smb.conf のその共有に「guest ok = no」と「valid users = "
	      "@staff」を設定し (書き込み不要なら「read only = yes」も)、フォルダーに"
	      "「sudo chmod o-w」を実行してから「sudo systemctl restart smbd」を"
	      "実行してください。" } },
	[D_NFS_EVERYONE] = { "sharing.nfs_everyone", 4, SEV_HIGH,
	    { "A folder is shared over NFS with every computer",
	      "NFS ですべてのコンピューターにフォルダーを共有しています" },
	    { "NFS has no password: any machine that can reach this one can "
	      "mount the folder and read (or change) its files.",
	      "NFS にはパスワードがないため、このコンピューターに接続できるどの機器からも"
	      "フォルダーをマウントしてファイルを読んだり変更したりできます。" },
	    { "In /etc/exports replace \"*\" with the addresses that need the "
	      "folder (for example 192.168.1.0/24(ro,root_squash)), then run "
	      "\"sudo exportfs -ra\".",
	      "/etc/exports の「*」を、必要な機器のアドレス (例: "
	      "192.168.1.0/24(ro,root_squash)) に書き換え、「sudo exportfs -ra」を"
	      "実行してください。" } },
	[D_NFS_NO_ROOT_SQUASH] = { "sharing.nfs_no_root_squash", 4, SEV_HIGH,
	    { "An NFS share gives other computers' administrators full control",
	      "NFS 共有が他のコンピューターの管理者に全権限を与えています" },
	    { "With no_root_squash, whoever is administrator on a client can "
	      "plant programs that run as administrator on this machine.",
	      "no_root_squash があると、接続元の機器で管理者になった人が、このコンピューター"
	      "の管理者として動くプログラムを置けてしまいます。" },
	    { "In /etc/exports remove \"no_root_squash\" from the export's "
	      "options (root_squash is the default), then run "
	      "\"sudo exportfs -ra\".",
	      "/etc/exports のその共有のオプションから「no_root_squash」を削除し "
	      "(root_squash が既定です)、「sudo exportfs -ra」を実行してください。" } },
	[D_WORLD_WRITABLE] = { "sharing.world_writable", 4, SEV_MEDIUM,
	    { "System files can be changed by every user",
	      "システムのファイルを全ユーザーが変更できます" },
	    { "Any account or compromised program on this computer can change "
	      "these programs or settings and take over the whole system.",
	      "このコンピューターのどのアカウントや乗っ取られたプログラムでも、これらの"
	      "プログラムや設定を書き換えて、システム全体を乗っ取れてしまいます。" },
	    { "Remove write permission for others on each file listed: "
	      "\"sudo chmod o-w FILE\" (for a shared directory use "
	      "\"sudo chmod +t DIR\").",
	      "表示された各ファイルについて「sudo chmod o-w ファイル名」で他ユーザーの"
	      "書き込み権限を外してください (共用ディレクトリなら「sudo chmod +t "
	      "ディレクトリ名」)。" } },
	[D_EXPOSED_SERVICE] = { "sharing.exposed_service", 4, SEV_HIGH,
	    { "A risky service is reachable from the network",
	      "危険なサービスがネットワークから接続できる状態です" },
	    { "Services like file sharing, remote screens and databases are a "
	      "favourite way in for attackers and ransomware when other "
	      "computers can reach them.",
	      "ファイル共有、遠隔画面、データベースなどのサービスは、他の機器から接続できると"
	      "攻撃者やランサムウェアの格好の侵入口になります。" },
	    { "If the service is not needed, stop it (\"sudo systemctl disable "
	      "--now NAME\"); otherwise make it listen on 127.0.0.1 only in its "
	      "settings, or allow only your office addresses in the firewall "
	      "(\"sudo ufw allow from 192.168.1.0/24 to any port PORT\").",
	      "不要なら停止してください (「sudo systemctl disable --now サービス名」)。"
	      "必要な場合は設定で 127.0.0.1 だけで待ち受けるようにするか、ファイアウォールで"
	      "社内のアドレスだけを許可してください (「sudo ufw allow from "
	      "192.168.1.0/24 to any port ポート番号」)。" } },
};

/* json_string() refuses invalid UTF-8; names in files may be anything. */
static json_t *
jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	char *copy = malloc(n + 1);
	if (!copy)
		return json_null();
	for (size_t i = 0; i <= n; i++)
		copy[i] = (unsigned char)s[i] >= 0x80 ? '?' : s[i];
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

static int
added(struct finding *f)
{
	return f ? MAMORI_OK : MAMORI_E_NOMEM;
}

/* ---- Samba ---------------------------------------------------------- */

static bool
path_world_writable(struct scan_ctx *ctx, const char *path)
{
	struct stat st;
	return path && path[0] == '/' &&
	    rootfs_stat(ctx->root, path, &st, true) == 0 &&
	    S_ISDIR(st.st_mode) && (st.st_mode & S_IWOTH);
}

static const char *
pval(const struct smb_param *p, const char *def)
{
	return p ? p->value : def;
}

static int
check_samba(struct check_run *run)
{
	struct scan_ctx *ctx = run->ctx;
	struct smb_conf c;
	const char *file = "/etc/samba/smb.conf";

	smb_conf_init(&c);
	int rc = smb_conf_load(ctx, &c, file);
	if (rc == MAMORI_E_NOTFOUND) {
		check_skip(run, &defs[D_SMB_GUEST], "Samba is not configured (no %s)", file);
		check_skip(run, &defs[D_SMB_GUEST_WRITABLE], "Samba is not configured");
		return MAMORI_OK;
	}
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc) {
		if (rc != MAMORI_E_PARSE)
			scan_warn(ctx, "sharing", "cannot read %s: %s", file, err_str(rc));
		check_skip(run, &defs[D_SMB_GUEST], "%s is unreadable", file);
		check_skip(run, &defs[D_SMB_GUEST_WRITABLE], "%s is unreadable", file);
		return MAMORI_OK;
	}

	/*
	 * Can a guest get in at all? "guest ok" shares take anonymous (null
	 * session) clients unless "restrict anonymous = 2"; "map to guest =
	 * bad user" also turns every mistyped user name into the guest; the
	 * old "security = share" was guest access for everything.
	 */
	const struct smb_param *sec = smb_conf_get(&c, NULL, "security");
	const struct smb_param *map = smb_conf_get(&c, NULL, "maptoguest");
	const struct smb_param *ra = smb_conf_get(&c, NULL, "restrictanonymous");
	bool share_mode = sec && strcasecmp(sec->value, "share") == 0;
	bool mapped = map && strcasecmp(map->value, "never") != 0;
	bool anon_ok = !ra || strcmp(ra->value, "2") != 0;
	bool guests = share_mode || mapped || anon_ok;

	for (size_t i = 0; i < c.shares.n; i++) {
		const struct smb_section *s = vec_at(&c.shares, i);
		bool bad = false, b;
		const struct smb_param *where, *gw;

		if (!smb_conf_bool(&c, s, "available", true, NULL, &b))
			continue;
		/* Printer queues only accept print jobs: nothing to read or
		 * overwrite, so guest printing is not a file-sharing finding. */
		if (smb_conf_bool(&c, s, "printable", false, NULL, &b) ||
		    strcasecmp(s->name, "printers") == 0)
			continue;
		const struct smb_param *path = smb_conf_get(&c, s, "path");
		/* smbd disables a share without a path; [homes] gets the
		 * user's home, which a guest does not have. */
		if (!path || !path->value[0])
			continue;
		bool guest_ok = smb_conf_bool(&c, s, "guestok", false, &gw, &bad);
		if (bad)
			scan_warn(ctx, "sharing", "%s:%d: \"%s\" is not yes/no (smbd "
			    "refuses to start)", gw->file, gw->line, gw->value);
		guest_ok = guest_ok || (share_mode && !smb_conf_get(&c, s, "validusers"));
		bool ro = smb_conf_bool(&c, s, "readonly", true, &where, &bad);
		const struct smb_param *vu = smb_conf_get(&c, s, "validusers");
		bool wwpath = path_world_writable(ctx, path->value);
		const struct check_def *def = NULL;
		enum severity sev = SEV_HIGH;
		const char *why = NULL;

		if (guest_ok && guests) {
			def = ro ? &defs[D_SMB_GUEST] : &defs[D_SMB_GUEST_WRITABLE];
			sev = def->severity;
			why = ro ? "guest_read" : "guest_write";
		} else if (!ro && (!vu || !vu->value[0]) && wwpath) {
			/*
			 * Not guests, but every account Samba knows may write,
			 * and the folder's own permissions (o+w) stop nobody:
			 * "writable by everyone" in an office where all staff
			 * share one login. Serious, yet a password is still
			 * needed, so high rather than critical.
			 */
			def = &defs[D_SMB_GUEST_WRITABLE];
			sev = SEV_HIGH;
			why = "any_user_world_writable_path";
		}
		if (!def)
			continue;
		const struct smb_param *at = gw && guest_ok ? gw : (where ? where : path);
		json_t *ev = json_pack("{s:o, s:o, s:o, s:i, s:b, s:b, s:o, s:o, s:o, s:b, s:s}",
		    "share", jstr(s->name), "path", jstr(path->value),
		    "file", jstr(at->file), "line", at->line,
		    "guest_ok", guest_ok, "writable", !ro,
		    "map_to_guest", jstr(pval(map, "Never")),
		    "security", jstr(pval(sec, "user")),
		    "valid_users", jstr(vu ? vu->value : NULL),
		    "path_world_writable", wwpath, "reason", why);
		char en[1024], ja[1024];
		if (strcmp(why, "guest_read") == 0) {
			snprintf(en, sizeof(en), "Share [%s] (%s, %s:%d) lets guests "
			    "in without a password and read its files.", s->name,
			    path->value, at->file, at->line);
			snprintf(ja, sizeof(ja), "共有 [%s] (%s、%s の %d 行目) は"
			    "パスワードなしのゲストがファイルを読めます。", s->name,
			    path->value, at->file, at->line);
		} else if (strcmp(why, "guest_write") == 0) {
			snprintf(en, sizeof(en), "Share [%s] (%s, %s:%d) lets guests "
			    "in without a password and is writable: they can change "
			    "and delete files.", s->name, path->value, at->file, at->line);
			snprintf(ja, sizeof(ja), "共有 [%s] (%s、%s の %d 行目) は"
			    "パスワードなしのゲストが入れて書き込みもできるため、ファイルの"
			    "変更や削除ができてしまいます。", s->name, path->value,
			    at->file, at->line);
		} else {
			snprintf(en, sizeof(en), "Share [%s] (%s, %s:%d) is writable "
			    "for every Samba user (no \"valid users\") and the folder "
			    "itself is writable by everyone (chmod o+w).", s->name,
			    path->value, at->file, at->line);
			snprintf(ja, sizeof(ja), "共有 [%s] (%s、%s の %d 行目) は"
			    "「valid users」の指定がなくすべての Samba ユーザーが書き込め、"
			    "フォルダー自体も全員が書き込める権限 (o+w) です。", s->name,
			    path->value, at->file, at->line);
		}
		struct finding *f = check_add(run, def, ev, en, ja);
		if ((rc = added(f)))
			return rc;
		f->severity = sev;
	}
	return MAMORI_OK;
}

/* ---- NFS ------------------------------------------------------------ */

static int
check_nfs(struct check_run *run)
{
	struct scan_ctx *ctx = run->ctx;
	struct nfs_exports e;
	bool found;

	nfs_exports_init(&e);
	int rc = nfs_exports_load(ctx, &e, &found);
	if (rc)
		return rc;
	if (!found) {
		check_skip(run, &defs[D_NFS_EVERYONE], "no NFS exports (/etc/exports)");
		check_skip(run, &defs[D_NFS_NO_ROOT_SQUASH], "no NFS exports (/etc/exports)");
		return MAMORI_OK;
	}
	for (size_t i = 0; i < e.exports.n; i++) {
		const struct nfs_export *ex = vec_at(&e.exports, i);
		json_t *every = json_array(), *nrs = json_array();
		bool every_rw = false;
		for (size_t j = 0; j < ex->clients.n; j++) {
			const struct nfs_client *cl = vec_at(&ex->clients, j);
			json_t *o = json_pack("{s:o, s:o, s:b}",
			    "host", jstr(cl->host),
			    "options", jstr(cl->options), "rw", cl->rw);
			if (cl->everyone) {
				json_array_append(every, o);
				every_rw = every_rw || cl->rw;
			}
			if (cl->no_root_squash)
				json_array_append(nrs, o);
			json_decref(o);
		}
		if (json_array_size(every)) {
			char en[1024], ja[1024], hen[300], hja[300];
			const char *h = json_string_value(json_object_get(
			    json_array_get(every, 0), "host"));
			if (h && *h) {
				snprintf(hen, sizeof(hen), "client \"%s\"", h);
				snprintf(hja, sizeof(hja), "接続先「%s」", h);
			} else {
				snprintf(hen, sizeof(hen), "no client named, which "
				    "means everyone");
				snprintf(hja, sizeof(hja), "接続先の指定がないため全員");
			}
			snprintf(en, sizeof(en), "%s is exported to every computer "
			    "(%s), %s (%s:%d).", ex->path, hen,
			    every_rw ? "read-write" : "read-only", ex->file, ex->line);
			snprintf(ja, sizeof(ja), "%s がすべてのコンピューターに%sで公開されて"
			    "います (%s、%s の %d 行目)。", ex->path,
			    every_rw ? "読み書き可能" : "読み取り専用", hja, ex->file,
			    ex->line);
			json_t *ev = json_pack("{s:o, s:o, s:i, s:O}", "path",
			    jstr(ex->path), "file", jstr(ex->file), "line", ex->line,
			    "clients", every);
			if ((rc = added(check_add(run, &defs[D_NFS_EVERYONE], ev, en, ja))))
				goto next;
		}
		if (json_array_size(nrs)) {
			char en[1024], ja[1024];
			const char *host = json_string_value(json_object_get(
			    json_array_get(nrs, 0), "host"));
			snprintf(en, sizeof(en), "%s is exported to %s with "
			    "no_root_squash (%s:%d).", ex->path, host, ex->file, ex->line);
			snprintf(ja, sizeof(ja), "%s が %s に no_root_squash 付きで公開"
			    "されています (%s の %d 行目)。", ex->path, host, ex->file,
			    ex->line);
			json_t *ev = json_pack("{s:o, s:o, s:i, s:O}", "path",
			    jstr(ex->path), "file", jstr(ex->file), "line", ex->line,
			    "clients", nrs);
			rc = added(check_add(run, &defs[D_NFS_NO_ROOT_SQUASH], ev, en, ja));
		}
next:
		json_decref(every);
		json_decref(nrs);
		if (rc)
			return rc;
	}
	return MAMORI_OK;
}

/* ---- world-writable files ------------------------------------------- */

static int
check_world_writable(struct check_run *run)
{
	struct scan_ctx *ctx = run->ctx;
	struct ww_result r;
	size_t max = (size_t)conf_int(ctx->conf, CONF_SCAN_MAX_WALK_ENTRIES);

	int rc = ww_walk(ctx, ww_walk_default_tops(), max, &r);
	if (rc)
		return rc;
	log_debug(ctx->log, "world-writable search: %zu entries, %zu dirs, %lld ms%s",
	    r.visited, r.dirs, (long long)r.ms, r.capped ? " (capped)" : "");
	if (r.nhits == 0)
		return MAMORI_OK;
	json_t *files = json_array();
	char list[600];
	size_t off = 0;
	list[0] = '\0';
	for (size_t i = 0; i < r.hits.n; i++) {
		const struct ww_hit *h = vec_at(&r.hits, i);
		char mode[8];
		snprintf(mode, sizeof(mode), "%04o", (unsigned)(h->mode & 07777));
		json_array_append_new(files, json_pack("{s:o, s:s, s:s, s:i}",
		    "path", jstr(h->path), "mode", mode,
		    "type", h->dir ? "directory" : "file", "uid", (int)h->uid));
		if (i < 5 && off < sizeof(list)) {
			int n = snprintf(list + off, sizeof(list) - off, "%s%s (%s)",
			    i ? ", " : "", h->path, mode);
			if (n > 0)
				off += (size_t)n;
		}
	}
	if (off >= sizeof(list))
		list[sizeof(list) - 1] = '\0';
	json_t *ev = json_pack("{s:o, s:i, s:i, s:b}", "items", files,
	    "count", (json_int_t)r.nhits, "entries_checked", (json_int_t)r.visited,
	    "search_capped", r.capped);
	char en[1024], ja[1024];
	snprintf(en, sizeof(en), "%zu world-writable item%s in system "
	    "directories: %s%s.%s", r.nhits, r.nhits == 1 ? "" : "s", list,
	    r.nhits > 5 ? ", ..." : "", r.capped ?
	    " The search stopped early (scan.max_walk_entries)." : "");
	snprintf(ja, sizeof(ja), "システムディレクトリに全員が書き込めるものが %zu 件"
	    "あります: %s%s。%s", r.nhits, list, r.nhits > 5 ? " など" : "",
	    r.capped ? "検索は上限 (scan.max_walk_entries) で途中終了しました。" : "");
	return added(check_add(run, &defs[D_WORLD_WRITABLE], ev, en, ja));
}

/* ---- risky services --------------------------------------------------- */

static enum severity
lower(enum severity s)
{
	return s > SEV_LOW ? s - 1 : s;
}

/* Reads the first existing file of a list; path in *used. */
static bool
read_first(struct scan_ctx *ctx, const char *const *paths, struct span *text,
    const char **used)
{
	for (size_t i = 0; paths[i]; i++) {
		if (rootfs_read(ctx->root, paths[i], scan_max_file(ctx), ctx->arena,
		    text) == 0 && span_is_text(*text)) {
			*used = paths[i];
			return true;
		}
	}
	return false;
}

struct authinfo {
	enum risky_authstate state;
	const char *config;	/* file read, NULL if none */
	bool protected_mode;	/* Redis */
};

static void
service_auth(struct scan_ctx *ctx, const struct inventory *inv,
    const struct risky_service *svc, const struct vec *socks,
    struct authinfo *ai)
{
	static const char *const redis[] = { "/etc/redis/redis.conf",
	    "/etc/redis.conf", "/etc/redis/redis-server.conf", NULL };
	static const char *const memcached[] = { "/etc/memcached.conf",
	    "/etc/sysconfig/memcached", NULL };
	static const char *const mongo[] = { "/etc/mongod.conf",
	    "/etc/mongodb.conf", NULL };
	static const char *const elastic[] = {
	    "/etc/elasticsearch/elasticsearch.yml",
	    "/etc/opensearch/opensearch.yml", NULL };
	struct span text;

	ai->state = RISKY_AUTH_UNKNOWN;
	ai->config = NULL;
	ai->protected_mode = false;
	if (strcmp(svc->key, "redis") == 0) {
		if (read_first(ctx, redis, &text, &ai->config))
			ai->state = risky_ports_redis_auth(text, &ai->protected_mode);
	} else if (strcmp(svc->key, "memcached") == 0) {
		/* Debian passes the file's lines as arguments; the process's
		 * command line is the truth when we can see it. */
		ai->state = RISKY_AUTH_OFF;
		if (read_first(ctx, memcached, &text, &ai->config))
			ai->state = risky_ports_memcached_auth(text);
		for (size_t i = 0; i < socks->n; i++) {
			const struct inv_socket *s = *(struct inv_socket **)vec_at(socks, i);
			for (size_t j = 0; s->pid && j < inv->processes.n; j++) {
				const struct inv_process *p = vec_at(&inv->processes, j);
				if (p->pid == s->pid && p->cmdline &&
				    risky_ports_memcached_auth(span_from_cstr(p->cmdline)) ==
				    RISKY_AUTH_ON)
					ai->state = RISKY_AUTH_ON;
			}
		}
	} else if (strcmp(svc->key, "mongodb") == 0) {
		ai->state = RISKY_AUTH_OFF;	/* mongod's default */
		if (read_first(ctx, mongo, &text, &ai->config))
			ai->state = risky_ports_mongodb_auth(text);
	} else if (strcmp(svc->key, "elasticsearch") == 0) {
		if (read_first(ctx, elastic, &text, &ai->config))
			ai->state = risky_ports_elastic_auth(text);
	}
}

static const char *
auth_name(enum risky_authstate s)
{
	return s == RISKY_AUTH_ON ? "required" : s == RISKY_AUTH_OFF ? "none" :
	    "unknown";
}

static int
report_service(struct check_run *run, const struct inventory *inv,
    const struct risky_service *svc, const struct vec *socks)
{
	struct scan_ctx *ctx = run->ctx;
	bool any = false;
	json_t *ports = json_array();
	char plist[256];
	size_t off = 0;
	const char *proc = NULL;

	plist[0] = '\0';
	for (size_t i = 0; i < socks->n; i++) {
		const struct inv_socket *s = *(struct inv_socket **)vec_at(socks, i);
		any = any || s->any_address;
		if (!proc && s->process)
			proc = s->process;
		json_array_append_new(ports, json_pack("{s:s, s:o, s:i, s:i, s:o}",
		    "proto", s->proto ? s->proto : "tcp", "address", jstr(s->address),
		    "port", s->port, "pid", s->pid, "process", jstr(s->process)));
		if (off < sizeof(plist)) {
			int n = snprintf(plist + off, sizeof(plist) - off, "%s%s:%d/%s",
			    i ? ", " : "", s->address ? s->address : "?", s->port,
			    s->proto ? s->proto : "tcp");
			if (n > 0)
				off += (size_t)n;
		}
	}
	if (off >= sizeof(plist))
		plist[sizeof(plist) - 1] = '\0';

	/*
	 * Severity: the table's, critical when the configuration lets
	 * anyone in (a Redis in protected mode refuses remote clients, so it
	 * stays high). A service bound only to a specific LAN address is
	 * reachable from that network but not from every interface: still
	 * reported, one step lower.
	 */
	struct authinfo ai = { RISKY_AUTH_UNKNOWN, NULL, false };
	enum severity sev = svc->severity;
	if (svc->auth == RISKY_AUTH_CONFIG) {
		service_auth(ctx, inv, svc, socks, &ai);
		if (ai.state == RISKY_AUTH_OFF &&
		    !(strcmp(svc->key, "redis") == 0 && ai.protected_mode))
			sev = SEV_CRITICAL;
	}
	if (!any)
		sev = lower(sev);

	char en[1024], ja[1024], authen[256] = "", authja[256] = "";
	if (svc->auth == RISKY_AUTH_CONFIG) {
		const char *cf = ai.config ? ai.config : "its default settings";
		if (ai.state == RISKY_AUTH_OFF && sev >= SEV_HIGH && ai.protected_mode &&
		    strcmp(svc->key, "redis") == 0) {
			snprintf(authen, sizeof(authen), " It has no password; only "
			    "Redis' protected mode (%s) keeps remote clients out.", cf);
			snprintf(authja, sizeof(authja), "パスワードがなく、Redis の "
			    "protected mode (%s) だけが外部からの接続を拒否しています。",
			    ai.config ? ai.config : "既定の設定");
		} else if (ai.state == RISKY_AUTH_OFF) {
			snprintf(authen, sizeof(authen), " No password is required "
			    "(%s): anyone who connects can read and change its data.", cf);
			snprintf(authja, sizeof(authja), "パスワードが不要な設定 (%s) の"
			    "ため、接続した誰でもデータを読み書きできます。",
			    ai.config ? ai.config : "既定の設定");
		} else if (ai.state == RISKY_AUTH_UNKNOWN) {
			snprintf(authen, sizeof(authen), " Whether it asks for a "
			    "password could not be determined.");
			snprintf(authja, sizeof(authja), "パスワードが必要かどうかは"
			    "確認できませんでした。");
		}
	}
	snprintf(en, sizeof(en), "%s is listening %s (%s%s%s).%s", svc->what.en,
	    any ? "on all network interfaces" : "on a network address",
	    plist, proc ? ", process " : "", proc ? proc : "", authen);
	snprintf(ja, sizeof(ja), "%sが%sで接続を待ち受けています (%s%s%s)。%s",
	    svc->what.ja, any ? "すべてのネットワーク" : "ネットワーク上のアドレス",
	    plist, proc ? "、プロセス " : "", proc ? proc : "", authja);
	json_t *ev = json_pack("{s:s, s:s, s:o, s:s, s:s, s:o}",
	    "service", svc->key, "name", svc->name, "listening", ports,
	    "scope", any ? "all_interfaces" : "specific_address",
	    "authentication", svc->auth == RISKY_AUTH_CONFIG ?
	    auth_name(ai.state) : "n/a", "config", jstr(ai.config));
	struct finding *f = check_add(run, &defs[D_EXPOSED_SERVICE], ev, en, ja);
	if (!f)
		return MAMORI_E_NOMEM;
	f->severity = sev;
	return MAMORI_OK;
}

static int
check_services(struct check_run *run, const struct inventory *inv)
{
	struct scan_ctx *ctx = run->ctx;
	size_t nsvc;
	const struct risky_service *table = risky_ports_table(&nsvc);

	if (!inv->have_listening && inv->listening.n == 0) {
		check_skip(run, &defs[D_EXPOSED_SERVICE],
		    "listening sockets are unknown (no /proc/net)");
		return MAMORI_OK;
	}
	/* Group the sockets by service: one finding per service. */
	for (size_t k = 0; k < nsvc; k++) {
		struct vec socks;
		vec_init(&socks, sizeof(struct inv_socket *), 10000);
		for (size_t i = 0; i < inv->listening.n; i++) {
			const struct inv_socket *s = vec_at(&inv->listening, i);
			if (s->loopback || !s->address)
				continue;
			if (risky_ports_match(s->proto, s->port, s->process) != &table[k])
				continue;
			const struct inv_socket **slot = vec_push(ctx->arena, &socks);
			if (!slot)
				break;
			*slot = s;
		}
		if (socks.n == 0)
			continue;
		int rc = report_service(run, inv, &table[k], &socks);
		if (rc)
			return rc;
	}
	return MAMORI_OK;
}

static int
run_sharing(struct check_run *run, const struct inventory *inv)
{
	int rc;
	if ((rc = check_samba(run)) != 0)
		return rc;
	if ((rc = check_nfs(run)) != 0)
		return rc;
	if ((rc = check_world_writable(run)) != 0)
		return rc;
	return check_services(run, inv);
}

const struct check_module check_sharing_module = {
	"sharing", defs, sizeof(defs) / sizeof(defs[0]), run_sharing,
};
