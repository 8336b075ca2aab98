/*
 * check_updates.c - 5か条 item 1: keep the OS and software up to date.
 *
 * Everything is judged from files on disk: the dpkg database (through the
 * inventory), apt's downloaded indexes in /var/lib/apt/lists, apt.conf
 * and the OS release. Nothing here touches the network or runs apt.
 */
#include "agent/check.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/apt_conf.h"
#include "agent/apt_lists.h"
#include "agent/os_eol.h"
#include "common/err.h"
#include "vuln/version_deb.h"

enum {
	SECURITY_PENDING,
	AUTO_DISABLED,
	LISTS_STALE,
	REBOOT_REQUIRED,
	OS_EOL,
};

static const struct check_def defs[] = {
	[SECURITY_PENDING] = { "updates.security_pending", 1, SEV_HIGH,
	    { "Security updates are waiting to be installed",
	      "セキュリティ更新が適用されていません" },
	    { "The fixes for these packages are already published; the holes "
	      "they close are public knowledge and attackers use them.",
	      "これらのパッケージの修正はすでに公開されています。"
	      "修正された弱点は広く知られており、攻撃に使われます。" },
	    { "Install the updates now: sudo apt update && sudo apt upgrade "
	      "(then restart the services, or the computer if the kernel was "
	      "updated).",
	      "今すぐ更新を適用してください: sudo apt update && sudo apt upgrade"
	      " を実行し、その後サービス(カーネルが更新された場合はコンピューター)"
	      "を再起動してください。" } },
	[AUTO_DISABLED] = { "updates.auto_disabled", 1, SEV_MEDIUM,
	    { "Automatic security updates are off",
	      "セキュリティ更新の自動適用が無効です" },
	    { "Without automatic updates, security fixes wait until someone "
	      "remembers to install them, often for weeks.",
	      "自動更新がないと、誰かが手作業で適用するまで修正が入らず、"
	      "何週間も弱点が残りがちです。" },
	    { "Turn them on: sudo apt install unattended-upgrades && sudo "
	      "dpkg-reconfigure -plow unattended-upgrades (answer Yes).",
	      "自動更新を有効にしてください: sudo apt install unattended-upgrades"
	      " && sudo dpkg-reconfigure -plow unattended-upgrades を実行し、"
	      "「はい」を選んでください。" } },
	[LISTS_STALE] = { "updates.lists_stale", 1, SEV_LOW,
	    { "The list of available updates is out of date",
	      "更新情報の一覧が古くなっています" },
	    { "This computer has not asked for new updates for a long time, so "
	      "it does not know about recent security fixes.",
	      "このコンピューターは長い間更新情報を取得しておらず、"
	      "最近のセキュリティ修正を把握していません。" },
	    { "Refresh it and install what is new: sudo apt update && sudo apt "
	      "upgrade. If it fails, check the network and /etc/apt/sources.list.",
	      "更新情報を取得して適用してください: sudo apt update && sudo apt "
	      "upgrade。失敗する場合はネットワークと /etc/apt/sources.list を"
	      "確認してください。" } },
	[REBOOT_REQUIRED] = { "updates.reboot_required", 1, SEV_MEDIUM,
	    { "A restart is needed to finish installing updates",
	      "更新を完了するには再起動が必要です" },
	    { "Updates to the kernel or core libraries only protect the "
	      "computer after a restart; until then the old, vulnerable code "
	      "keeps running.",
	      "カーネルや基本ライブラリの更新は、再起動するまで効果がありません。"
	      "それまでは古い弱いままのプログラムが動き続けます。" },
	    { "Restart the computer at a convenient time: sudo reboot.",
	      "業務に支障のない時間にコンピューターを再起動してください: "
	      "sudo reboot" } },
	[OS_EOL] = { "updates.os_eol", 1, SEV_CRITICAL,
	    { "The operating system is at or near the end of its support",
	      "OS のサポート期限が切れている、または終了間近です" },
	    { "When support ends, newly found holes are no longer fixed, so the "
	      "computer stays vulnerable whatever else you do.",
	      "サポートが終了すると新しく見つかった弱点が修正されなくなり、"
	      "他の対策をしても危険な状態が続きます。" },
	    { "Plan the upgrade to the next release now (for Debian: "
	      "https://www.debian.org/releases/stable/releasenotes) or replace "
	      "the computer.",
	      "次のバージョンへのアップグレードを今すぐ計画してください"
	      "(Debian の場合: https://www.debian.org/releases/stable/releasenotes)。"
	      "難しい場合はコンピューターの入れ替えを検討してください。" } },
};

/*
 * Packages whose pending security fix raises the finding to critical:
 * network-facing daemons (remote attackers reach them directly), the TLS
 * library and the kernel (everything depends on them), sudo (root for any
 * local foothold) and the browsers/mail client of desktops (they open
 * untrusted content all day). A trailing '*' matches a prefix.
 */
static const char *const high_risk[] = {
	"openssh-server", "openssh-sftp-server", "openssl", "libssl*",
	"linux-image-*", "sudo", "apache2*", "nginx*", "samba*", "bind9*",
	"exim4*", "postfix*", "dovecot-*", "openvpn", "squid*", "cups-daemon",
	"firefox-esr", "chromium*", "thunderbird", NULL,
};

static bool
is_high_risk(const char *name)
{
	for (size_t i = 0; high_risk[i]; i++) {
		size_t n = strlen(high_risk[i]);
		if (high_risk[i][n - 1] == '*') {
			if (strncmp(name, high_risk[i], n - 1) == 0)
				return true;
		} else if (strcmp(name, high_risk[i]) == 0) {
			return true;
		}
	}
	return false;
}

static bool
installed(const struct inv_package *p)
{
	return !p->status || strcmp(p->status, "installed") == 0;
}

static bool
have_deb(const struct inventory *inv)
{
	if (!inv->have_packages)
		return false;
	for (size_t i = 0; i < inv->packages.n; i++) {
		const struct inv_package *p = vec_at(&inv->packages, i);
		if (p->format && strcmp(p->format, "deb") == 0)
			return true;
	}
	return false;
}

/* ---- updates.security_pending ---- */

/* Open-addressed table of installed (name, arch) -> best offer. */
struct slot {
	const struct inv_package *pkg;
	char *available;	/* newest newer version seen, arena */
	const char *suite;
};

struct pending {
	struct slot *slots;
	size_t mask;
	struct scan_ctx *ctx;
	const char *suite;	/* of the list being read */
	int rc;
};

static uint64_t
hash_name_arch(const char *n, size_t nlen, const char *a, size_t alen)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */
	for (size_t i = 0; i < nlen; i++)
		h = (h ^ (unsigned char)n[i]) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (size_t i = 0; i < alen; i++)
		h = (h ^ (unsigned char)a[i]) * 1099511628211ull;
	return h;
}

static struct slot *
lookup(struct pending *pd, struct span name, struct span arch)
{
	size_t i = (size_t)hash_name_arch(name.p, name.len, arch.p, arch.len) &
	    pd->mask;
	for (;;) {
		struct slot *s = &pd->slots[i];
		if (!s->pkg)
			return s;
		if (span_eq(name, s->pkg->name) &&
		    span_eq(arch, s->pkg->arch ? s->pkg->arch : ""))
			return s;
		i = (i + 1) & pd->mask;
	}
}

static int
offer(void *arg, const struct apt_stanza *st)
{
	struct pending *pd = arg;
	struct slot *s = lookup(pd, st->package, st->arch);
	const char *have;

	if (!s->pkg)
		return 0;
	have = s->available ? s->available : s->pkg->version;
	if (version_deb_cmp_n(st->version.p, st->version.len, have,
	    strlen(have)) <= 0)
		return 0;
	if (!(s->available = arena_spandup(pd->ctx->arena, st->version)))
		return MAMORI_E_NOMEM;
	s->suite = pd->suite;
	return 0;
}

static int
by_risk_then_name(const void *a, const void *b)
{
	const struct slot *x = *(const struct slot *const *)a;
	const struct slot *y = *(const struct slot *const *)b;
	/* The packages that make this critical are named first, so the
	 * short list in the report shows them. */
	int rx = is_high_risk(x->pkg->name), ry = is_high_risk(y->pkg->name);
	if (rx != ry)
		return ry - rx;
	int r = strcmp(x->pkg->name, y->pkg->name);
	return r ? r : strcmp(x->pkg->arch ? x->pkg->arch : "",
	    y->pkg->arch ? y->pkg->arch : "");
}

static int
report_pending(struct check_run *run, struct pending *pd, size_t nslots,
    json_t *lists)
{
	struct scan_ctx *ctx = run->ctx;
	struct slot **hits;
	size_t n = 0, nrisk = 0;
	int rc = MAMORI_OK;

	for (size_t i = 0; i < nslots; i++)
		if (pd->slots[i].available)
			n++;
	if (n == 0) {
		json_decref(lists);
		return MAMORI_OK;
	}
	hits = arena_alloc(ctx->arena, n * sizeof(*hits));
	if (!hits) {
		json_decref(lists);
		return MAMORI_E_NOMEM;
	}
	n = 0;
	for (size_t i = 0; i < nslots; i++)
		if (pd->slots[i].available)
			hits[n++] = &pd->slots[i];
	qsort(hits, n, sizeof(*hits), by_risk_then_name);

	json_t *ev = json_object(), *arr = json_array();
	char *list = arena_strdup(ctx->arena, "");
	for (size_t i = 0; i < n && list; i++) {
		const struct slot *s = hits[i];
		bool risk = is_high_risk(s->pkg->name);
		nrisk += risk;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}",
		    "package", s->pkg->name, "arch", s->pkg->arch ? s->pkg->arch : "",
		    "installed", s->pkg->version, "available", s->available,
		    "suite", s->suite ? s->suite : "", "high_risk", risk));
		if (i < 15)
			list = arena_printf(ctx->arena, "%s%s%s %s -> %s", list,
			    i ? ", " : "", s->pkg->name, s->pkg->version,
			    s->available);
	}
	if (!list) {
		json_decref(ev);
		json_decref(arr);
		json_decref(lists);
		return MAMORI_E_NOMEM;
	}
	json_object_set_new(ev, "packages", arr);
	json_object_set_new(ev, "count", json_integer((json_int_t)n));
	json_object_set_new(ev, "high_risk_count", json_integer((json_int_t)nrisk));
	json_object_set_new(ev, "lists", lists);
	const char *more_en = n > 15 ? arena_printf(ctx->arena,
	    " and %zu more", n - 15) : "";
	const char *more_ja = n > 15 ? arena_printf(ctx->arena,
	    " ほか %zu 件", n - 15) : "";
	char *en = arena_printf(ctx->arena,
	    "%zu installed package%s %s a newer version in the security "
	    "suite (%zu of them network-facing, kernel, TLS or sudo): %s%s.",
	    n, n == 1 ? "" : "s", n == 1 ? "has" : "have", nrisk, list,
	    more_en ? more_en : "");
	char *ja = arena_printf(ctx->arena,
	    "インストール済みの %zu 個のパッケージに、セキュリティ更新の新しい"
	    "バージョンがあります(うち %zu 個はネットワーク公開・カーネル・"
	    "TLS・sudo に関わるもの): %s%s。", n, nrisk, list,
	    more_ja ? more_ja : "");
	struct finding *f = check_add(run, &defs[SECURITY_PENDING], ev, en, ja);
	if (!f)
		rc = MAMORI_E_NOMEM;
	else if (nrisk)
		f->severity = SEV_CRITICAL;
	return rc;
}

static int
security_pending(struct check_run *run, const struct inventory *inv,
    const struct vec *files)
{
	const struct check_def *def = &defs[SECURITY_PENDING];
	struct scan_ctx *ctx = run->ctx;
	struct pending pd;
	size_t npkg = 0, nslots = 16, nlists = 0;
	int64_t t0 = scan_monotonic_ms();

	for (size_t i = 0; i < files->n; i++) {
		const struct apt_list_file *f = vec_at(files, i);
		nlists += f->kind == APT_LIST_PACKAGES && f->security;
	}
	if (nlists == 0) {
		check_skip(run, def, "no security suite's package list in %s "
		    "(no -security line in the apt sources, or apt update "
		    "never ran)", APT_LISTS_DIR);
		return MAMORI_OK;
	}
	npkg = inv->packages.n;
	while (nslots < npkg * 2)
		nslots *= 2;
	memset(&pd, 0, sizeof(pd));
	pd.ctx = ctx;
	pd.mask = nslots - 1;
	pd.slots = arena_alloc(ctx->arena, nslots * sizeof(*pd.slots));
	if (!pd.slots)
		return MAMORI_E_NOMEM;
	for (size_t i = 0; i < inv->packages.n; i++) {
		const struct inv_package *p = vec_at(&inv->packages, i);
		if (!p->format || strcmp(p->format, "deb") != 0 ||
		    !installed(p) || !p->name || !p->version)
			continue;
		struct span arch = span_from_cstr(p->arch ? p->arch : "");
		struct slot *s = lookup(&pd, span_from_cstr(p->name), arch);
		if (!s->pkg)
			s->pkg = p;
	}

	json_t *lists = json_array();
	size_t nread = 0;
	for (size_t i = 0; i < files->n; i++) {
		const struct apt_list_file *f = vec_at(files, i);
		char *buf;
		size_t len;
		int rc;

		if (f->kind != APT_LIST_PACKAGES || !f->security)
			continue;
		rc = apt_lists_read(ctx, f, &buf, &len);
		if (rc == MAMORI_E_NOMEM) {
			json_decref(lists);
			return rc;
		}
		if (rc) {
			scan_warn(ctx, "updates", "cannot read %s: %s", f->path,
			    err_str(rc));
			continue;
		}
		pd.suite = f->release.codename ? f->release.codename :
		    f->release.suite;
		rc = apt_lists_parse_packages((struct span){ buf, len }, offer,
		    &pd);
		free(buf);
		if (rc) {
			json_decref(lists);
			return rc;
		}
		nread++;
		json_array_append_new(lists, json_string(f->path));
	}
	if (nread == 0) {
		json_decref(lists);
		check_skip(run, def, "the security package lists in %s could "
		    "not be read", APT_LISTS_DIR);
		return MAMORI_OK;
	}
	log_debug(ctx->log, "updates: %zu security lists read in %lld ms",
	    nread, (long long)(scan_monotonic_ms() - t0));
	return report_pending(run, &pd, nslots, lists);
}

/* ---- updates.auto_disabled ---- */

struct periodic {
	char *uu;		/* APT::Periodic::Unattended-Upgrade */
	char *uu_where;		/* file:line */
	char *enable;		/* APT::Periodic::Enable */
	const char *file;
	struct arena *arena;
};

static bool
prefix_nocase(const char *key, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncasecmp(key, prefix, n) == 0 &&
	    (key[n] == '\0' || (key[n] == ':' && key[n + 1] == ':'));
}

static int
periodic_cb(void *arg, enum apt_conf_event ev, const char *key,
    const char *value, int line)
{
	struct periodic *pp = arg;

	if (ev == APT_CONF_CLEAR) {
		if (prefix_nocase("APT::Periodic::Unattended-Upgrade", key))
			pp->uu = pp->uu_where = NULL;
		if (prefix_nocase("APT::Periodic::Enable", key))
			pp->enable = NULL;
		return 0;
	}
	if (ev != APT_CONF_SET)
		return 0;
	if (strcasecmp(key, "APT::Periodic::Unattended-Upgrade") == 0) {
		pp->uu = arena_strdup(pp->arena, value);
		pp->uu_where = arena_printf(pp->arena, "%s:%d", pp->file, line);
		if (!pp->uu || !pp->uu_where)
			return MAMORI_E_NOMEM;
	} else if (strcasecmp(key, "APT::Periodic::Enable") == 0) {
		if (!(pp->enable = arena_strdup(pp->arena, value)))
			return MAMORI_E_NOMEM;
	}
	return 0;
}

/* apt.systemd.daily: "always" or a non-zero interval (days, or with an
 * s/m/h/d unit) runs it; "0", empty and junk do not. */
static bool
interval_on(const char *v)
{
	if (!v)
		return false;
	if (strcmp(v, "always") == 0)
		return true;
	bool nonzero = false;
	const char *p = v;
	for (; *p >= '0' && *p <= '9'; p++)
		nonzero |= *p != '0';
	return p != v && nonzero;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
read_conf_file(struct scan_ctx *ctx, const char *path, struct periodic *pp)
{
	struct span data;
	int rc = rootfs_read(ctx->root, path, 1u << 20, ctx->arena, &data);

	if (rc == MAMORI_E_NOTFOUND)
		return MAMORI_OK;
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc) {
		scan_warn(ctx, "updates", "cannot read %s: %s", path, err_str(rc));
		return MAMORI_OK;
	}
	pp->file = path;
	rc = apt_conf_parse(data, periodic_cb, pp);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc)
		scan_warn(ctx, "updates", "%s: apt.conf syntax error; apt "
		    "ignores the rest of the file", path);
	return MAMORI_OK;
}

static int
auto_disabled(struct check_run *run, const struct inventory *inv)
{
	const struct check_def *def = &defs[AUTO_DISABLED];
	struct scan_ctx *ctx = run->ctx;
	struct periodic pp = { .arena = ctx->arena };
	const char *dir = "/etc/apt/apt.conf.d";
	int rc;

	const struct inv_package *uu = inventory_find_package(inv,
	    "unattended-upgrades");
	if (!uu) {
		json_t *ev = json_pack("{s:b}", "installed", 0);
		return check_add(run, def, ev,
		    "The unattended-upgrades package is not installed, so "
		    "security updates are only installed by hand.",
		    "unattended-upgrades パッケージがインストールされていないため、"
		    "セキュリティ更新は手作業でしか適用されません。") ?
		    MAMORI_OK : MAMORI_E_NOMEM;
	}

	/* apt reads the parts directory in name order, then apt.conf. */
	DIR *d = rootfs_opendir(ctx->root, dir);
	if (d) {
		struct vec names;
		struct dirent *e;
		vec_init(&names, sizeof(char *), 10000);
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.' ||
			    !apt_conf_valid_part_name(e->d_name))
				continue;
			char **slot = vec_push(ctx->arena, &names);
			if (!slot || !(*slot = arena_printf(ctx->arena, "%s/%s",
			    dir, e->d_name))) {
				closedir(d);
				return MAMORI_E_NOMEM;
			}
		}
		closedir(d);
		if (names.n)
			qsort(names.items, names.n, sizeof(char *), cmp_str);
		for (size_t i = 0; i < names.n; i++)
			if ((rc = read_conf_file(ctx, *(char **)vec_at(&names, i),
			    &pp)))
				return rc;
	}
	if ((rc = read_conf_file(ctx, "/etc/apt/apt.conf", &pp)))
		return rc;

	/* apt.systemd.daily exits early on Enable "0" (a numeric test). */
	bool periodic_off = pp.enable && pp.enable[0] &&
	    strspn(pp.enable, "0") == strlen(pp.enable);
	if (interval_on(pp.uu) && !periodic_off)
		return MAMORI_OK;

	json_t *ev = json_pack("{s:b, s:s?, s:s?, s:s?}", "installed", 1,
	    "unattended_upgrade", pp.uu, "set_at", pp.uu_where,
	    "periodic_enable", pp.enable);
	const char *en, *ja;
	if (periodic_off) {
		en = "unattended-upgrades is installed but APT::Periodic::Enable "
		    "is \"0\", which stops all automatic apt jobs.";
		ja = "unattended-upgrades はインストールされていますが、"
		    "APT::Periodic::Enable が \"0\" のため自動処理がすべて止まっています。";
	} else if (pp.uu) {
		en = arena_printf(ctx->arena, "unattended-upgrades is installed "
		    "but APT::Periodic::Unattended-Upgrade is \"%s\" (%s).",
		    pp.uu, pp.uu_where);
		ja = arena_printf(ctx->arena, "unattended-upgrades はインストール"
		    "されていますが、APT::Periodic::Unattended-Upgrade が \"%s\" "
		    "です(%s)。", pp.uu, pp.uu_where);
	} else {
		en = "unattended-upgrades is installed but not switched on: "
		    "APT::Periodic::Unattended-Upgrade is not set in "
		    "/etc/apt/apt.conf.d (normally in 20auto-upgrades).";
		ja = "unattended-upgrades はインストールされていますが有効に"
		    "なっていません: /etc/apt/apt.conf.d に APT::Periodic::"
		    "Unattended-Upgrade の設定がありません(通常は 20auto-upgrades)。";
	}
	if (!en || !ja) {
		json_decref(ev);
		return MAMORI_E_NOMEM;
	}
	return check_add(run, def, ev, en, ja) ? MAMORI_OK : MAMORI_E_NOMEM;
}

/* ---- updates.lists_stale ---- */

static int
lists_stale(struct check_run *run, const struct vec *files)
{
	const struct check_def *def = &defs[LISTS_STALE];
	struct scan_ctx *ctx = run->ctx;
	const struct apt_list_file *newest = NULL;
	int64_t max_days = conf_int(ctx->conf, CONF_SCAN_APT_LISTS_MAX_AGE_DAYS);

	for (size_t i = 0; i < files->n; i++) {
		const struct apt_list_file *f = vec_at(files, i);
		if (f->kind == APT_LIST_RELEASE && f->mtime > 0 &&
		    (!newest || f->mtime > newest->mtime))
			newest = f;
	}
	if (!newest) {
		check_skip(run, def, "no InRelease or Release file in %s",
		    APT_LISTS_DIR);
		return MAMORI_OK;
	}
	int64_t age = (int64_t)ctx->now - (int64_t)newest->mtime;
	if (age <= max_days * 86400)
		return MAMORI_OK;
	int64_t days = age / 86400;
	json_t *ev = json_pack("{s:s, s:I, s:I, s:I}", "newest", newest->path,
	    "mtime", (json_int_t)newest->mtime, "age_days", (json_int_t)days,
	    "max_age_days", (json_int_t)max_days);
	char *en = arena_printf(ctx->arena, "apt last fetched package lists "
	    "%lld days ago (newest: %s; the limit is %lld days).",
	    (long long)days, newest->path, (long long)max_days);
	char *ja = arena_printf(ctx->arena, "apt が最後に更新情報を取得したのは "
	    "%lld 日前です(最新: %s、基準は %lld 日)。", (long long)days,
	    newest->path, (long long)max_days);
	if (!en || !ja) {
		json_decref(ev);
		return MAMORI_E_NOMEM;
	}
	return check_add(run, def, ev, en, ja) ? MAMORI_OK : MAMORI_E_NOMEM;
}

/* ---- updates.reboot_required ---- */

/* The "Debian 6.1.119-1" of uname -v (Debian kernels), else NULL. */
static char *
running_kernel_version(struct scan_ctx *ctx, const struct inventory *inv)
{
	const char *v = inv->sys.kernel_version, *p;

	if (v && (p = strstr(v, "Debian ")) != NULL) {
		p += strlen("Debian ");
		size_t n = strcspn(p, " ()");
		if (n)
			return arena_spandup(ctx->arena, (struct span){ p, n });
	}
	if (!inv->sys.kernel_release)
		return NULL;
	char *name = arena_printf(ctx->arena, "linux-image-%s",
	    inv->sys.kernel_release);
	const struct inv_package *p2 = name ?
	    inventory_find_package(inv, name) : NULL;
	return p2 ? p2->version : NULL;
}

static bool
kernel_image(const struct inv_package *p)
{
	/* Real images are linux-image-<release>; skip -dbg symbols and the
	 * metapackages (linux-image-amd64 follows the newest anyway). */
	return strncmp(p->name, "linux-image-", 12) == 0 &&
	    p->name[12] >= '0' && p->name[12] <= '9' &&
	    !span_ends_with(span_from_cstr(p->name), "-dbg");
}

static int
reboot_required(struct check_run *run, const struct inventory *inv)
{
	const struct check_def *def = &defs[REBOOT_REQUIRED];
	struct scan_ctx *ctx = run->ctx;
	const char *flag = NULL;
	static const char *const flags[] = { "/run/reboot-required",
	    "/var/run/reboot-required" };

	for (size_t i = 0; i < 2 && !flag; i++)
		if (rootfs_exists(ctx->root, flags[i]))
			flag = flags[i];

	const struct inv_package *newest = NULL;
	char *running = NULL;
	if (inv->sys.kernel_release && (running = running_kernel_version(ctx,
	    inv)) != NULL) {
		for (size_t i = 0; i < inv->packages.n; i++) {
			const struct inv_package *p = vec_at(&inv->packages, i);
			if (!p->name || !p->version || !installed(p) ||
			    !kernel_image(p))
				continue;
			if (!newest || version_deb_cmp(p->version,
			    newest->version) > 0)
				newest = p;
		}
		if (newest && version_deb_cmp(newest->version, running) <= 0)
			newest = NULL;
	}
	if (!flag && !newest)
		return MAMORI_OK;

	json_t *ev = json_object(), *pkgs = json_array();
	if (flag) {
		struct span data;
		char *pkgfile = arena_printf(ctx->arena, "%s.pkgs", flag);
		if (pkgfile && rootfs_read(ctx->root, pkgfile, 1u << 20,
		    ctx->arena, &data) == 0) {
			struct cursor c;
			struct span line;
			cursor_init(&c, data.p, data.len);
			while (cursor_line(&c, &line) && json_array_size(pkgs) < 200) {
				line = span_trim(line);
				if (line.len && span_is_text(line)) {
					char *s = arena_spandup(ctx->arena, line);
					if (s)
						json_array_append_new(pkgs,
						    json_string(s));
				}
			}
		}
		json_object_set_new(ev, "flag_file", json_string(flag));
	}
	json_object_set_new(ev, "packages", pkgs);
	if (newest) {
		json_object_set_new(ev, "running_kernel",
		    json_string(inv->sys.kernel_release));
		json_object_set_new(ev, "running_version", json_string(running));
		json_object_set_new(ev, "newest_kernel_package",
		    json_string(newest->name));
		json_object_set_new(ev, "newest_kernel_version",
		    json_string(newest->version));
	}
	char *en, *ja;
	if (newest) {
		en = arena_printf(ctx->arena, "The running kernel %s (%s) is "
		    "older than the installed %s %s%s%s.", inv->sys.kernel_release,
		    running, newest->name, newest->version,
		    flag ? "; also " : "", flag ? flag : "");
		ja = arena_printf(ctx->arena, "動作中のカーネル %s (%s) は、"
		    "インストール済みの %s %s より古いものです%s%s。",
		    inv->sys.kernel_release, running, newest->name,
		    newest->version, flag ? "。また次のファイルがあります: " : "",
		    flag ? flag : "");
	} else {
		en = arena_printf(ctx->arena, "%s exists: installed updates wait "
		    "for a restart.", flag);
		ja = arena_printf(ctx->arena, "%s があります: 適用した更新が"
		    "再起動を待っています。", flag);
	}
	if (!en || !ja) {
		json_decref(ev);
		return MAMORI_E_NOMEM;
	}
	return check_add(run, def, ev, en, ja) ? MAMORI_OK : MAMORI_E_NOMEM;
}

/* ---- updates.os_eol ---- */

static int
os_eol(struct check_run *run, const struct inventory *inv)
{
	const struct check_def *def = &defs[OS_EOL];
	struct scan_ctx *ctx = run->ctx;
	struct os_eol_info info;

	os_eol_lookup(&inv->os, ctx->now, &info);
	if (info.support == OS_SUPPORT_UNKNOWN) {
		check_skip(run, def, "release not in the support table (ID=%s "
		    "VERSION_ID=%s)", inv->os.id ? inv->os.id : "?",
		    inv->os.version_id ? inv->os.version_id : "?");
		return MAMORI_OK;
	}
	if (info.support == OS_SUPPORT_FULL)
		return MAMORI_OK;

	json_t *ev = json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "release",
	    info.release, "support", os_support_name(info.support),
	    "regular_end", info.regular_end, "extended_end", info.extended_end,
	    "successor", info.successor);
	char *en, *ja;
	const char *succ = info.successor ? info.successor : "a supported release";
	const char *succ_ja = info.successor ? info.successor : "サポート中のバージョン";
	if (info.support == OS_SUPPORT_EXTENDED) {
		en = arena_printf(ctx->arena, "%s left regular security support "
		    "on %s; only extended support (LTS/ESM) remains until %s. "
		    "Upgrade to %s before then.", info.release, info.regular_end,
		    info.extended_end, succ);
		ja = arena_printf(ctx->arena, "%s の通常のセキュリティサポートは "
		    "%s に終了し、%s までの延長サポート(LTS/ESM)のみが残っています。"
		    "それまでに %s へアップグレードしてください。", info.release,
		    info.regular_end, info.extended_end, succ_ja);
	} else {
		const char *last = info.extended_end ? info.extended_end :
		    info.regular_end;
		en = arena_printf(ctx->arena, "%s has had no security updates "
		    "since %s. Upgrade to %s.", info.release, last, succ);
		ja = arena_printf(ctx->arena, "%s は %s 以降セキュリティ更新が"
		    "提供されていません。%s へアップグレードしてください。",
		    info.release, last, succ_ja);
	}
	if (!en || !ja) {
		json_decref(ev);
		return MAMORI_E_NOMEM;
	}
	struct finding *f = check_add(run, def, ev, en, ja);
	if (!f)
		return MAMORI_E_NOMEM;
	if (info.support == OS_SUPPORT_EXTENDED)
		f->severity = SEV_LOW;
	return MAMORI_OK;
}

static int
run_updates(struct check_run *run, const struct inventory *inv)
{
	struct scan_ctx *ctx = run->ctx;
	struct vec files;
	int rc;

	if ((rc = os_eol(run, inv)))
		return rc;
	if ((rc = reboot_required(run, inv)))
		return rc;
	if (!have_deb(inv)) {
		const char *why = inv->have_packages ? "not a Debian-based "
		    "system (no dpkg packages)" : "no package database was read";
		check_skip(run, &defs[SECURITY_PENDING], "%s", why);
		check_skip(run, &defs[AUTO_DISABLED], "%s", why);
		check_skip(run, &defs[LISTS_STALE], "%s", why);
		return MAMORI_OK;
	}
	if ((rc = auto_disabled(run, inv)))
		return rc;

	vec_init(&files, sizeof(struct apt_list_file), 100000);
	rc = apt_lists_scan(ctx, &files);
	if (rc == MAMORI_E_NOTFOUND || rc == MAMORI_E_IO) {
		check_skip(run, &defs[SECURITY_PENDING], "%s is missing or "
		    "unreadable", APT_LISTS_DIR);
		check_skip(run, &defs[LISTS_STALE], "%s is missing or "
		    "unreadable", APT_LISTS_DIR);
		return MAMORI_OK;
	}
	if (rc)
		return rc;
	if ((rc = lists_stale(run, &files)))
		return rc;
	return security_pending(run, inv, &files);
}

const struct check_module check_updates_module = {
	"updates", defs, sizeof(defs) / sizeof(defs[0]), run_updates,
};
