/*
 * check_backup.c - backup readiness: a backup exists, it ran recently,
 * and its target is not left mounted and writable (ransomware encrypts
 * every filesystem it can write to, backups included; IPA's guide asks
 * for a copy that is disconnected from the PC).
 *
 * Tools are recognised by package (restic, borgbackup, rsnapshot,
 * duplicity, timeshift, deja-dup, backintime, ...) and by scheduled jobs
 * whose command runs a backup tool or rsync. The last success is read
 * where the tool leaves a trace we can date without running it: the
 * newest rsnapshot interval directory, Timeshift snapshot directories,
 * borg's per-repository manifest-timestamp and restic's snapshot cache.
 */
#include "agent/check.h"

#include <dirent.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/err.h"

enum { BK_MISSING, BK_STALE, BK_MOUNTED };

static const struct check_def defs[] = {
	[BK_MISSING] = { "backup.missing", 1, SEV_HIGH,
	    { "No backup of this computer was found",
	      "このコンピューターのバックアップが見つかりません" },
	    { "Without a backup, files encrypted by ransomware or lost to a broken "
	      "disk cannot be recovered, and paying the criminals is no guarantee.",
	      "バックアップがないと、ランサムウェアに暗号化されたファイルや故障した"
	      "ディスクのデータを取り戻せません。身代金を払っても戻る保証はありません。" },
	    { "Set up an automatic daily backup to a disk or service that is not "
	      "permanently connected, e.g. sudo apt install restic and a daily "
	      "systemd timer running restic backup to an external disk or cloud "
	      "repository; keep one copy offline.",
	      "自動で毎日バックアップする設定をしてください。例: sudo apt install "
	      "restic を実行し、外付けディスクやクラウドへ restic backup を毎日"
	      "実行するタイマーを設定します。1 つはネットワークから切り離した"
	      "場所に保管してください。" } },
	[BK_STALE] = { "backup.stale", 1, SEV_MEDIUM,
	    { "The last backup is old", "最後のバックアップが古くなっています" },
	    { "A backup that stopped running silently only restores the state of "
	      "its last run; everything since is lost in an incident.",
	      "いつの間にか止まったバックアップでは、最後に成功した時点までしか"
	      "戻せず、それ以降のデータは失われます。" },
	    { "Check why the job stopped (sudo journalctl -u <backup job>, or the "
	      "tool's log), run a backup now, and check it succeeds every day.",
	      "バックアップが止まった原因を確認し(sudo journalctl -u <ジョブ名> "
	      "やツールのログ)、今すぐ実行して、毎日成功しているか確認して"
	      "ください。" } },
	[BK_MOUNTED] = { "backup.target_mounted", 4, SEV_HIGH,
	    { "The backup disk stays connected and writable",
	      "バックアップ先が常時つながったまま書き込み可能です" },
	    { "Ransomware encrypts every drive it can write to: a backup disk that "
	      "is always mounted read-write is lost together with the originals.",
	      "ランサムウェアは書き込めるドライブをすべて暗号化します。常に"
	      "書き込み可能な状態でつながっているバックアップは、元のファイルと"
	      "一緒に失われます。" },
	    { "Mount the backup target only while the backup runs (e.g. a systemd "
	      "automount or mount/umount in the job), or back up to a repository "
	      "that keeps old versions the PC cannot delete (append-only restic/borg "
	      "server, cloud object lock), and keep one copy offline.",
	      "バックアップ先はバックアップ中だけ接続するようにしてください(ジョブの"
	      "中で mount/umount する等)。または、パソコンから古い世代を消せない"
	      "保存先(追記専用の restic/borg サーバー、クラウドのオブジェクト"
	      "ロック)を使い、1 つはオフラインで保管してください。" } },
};

static const char *const tool_packages[] = {
	"restic", "borgbackup", "borgmatic", "rsnapshot", "duplicity",
	"deja-dup", "timeshift", "backintime-common", "bacula-fd",
	"bareos-filedaemon", "urbackup-client", "duplicati", "kopia", "rdiff-backup",
	"amanda-client", "burp-client", "vorta",
};

static const char *const job_tools[] = {
	"restic", "borg", "borgmatic", "rsnapshot", "duplicity", "rsync",
	"rclone", "timeshift", "rdiff-backup", "kopia", "backintime", "tar",
};

/* The command names a tool as a word ("/usr/bin/restic backup", not
 * "prestic"); tar only counts when the job says it is a backup. */
static const char *
job_tool(const char *cmd)
{
	for (size_t i = 0; i < sizeof(job_tools) / sizeof(job_tools[0]); i++) {
		size_t n = strlen(job_tools[i]);
		for (const char *p = strstr(cmd, job_tools[i]); p; p = strstr(p + 1, job_tools[i])) {
			bool start = p == cmd || p[-1] == ' ' || p[-1] == '/' || p[-1] == ';' ||
			    p[-1] == '&' || p[-1] == '|' || p[-1] == '(';
			bool end = p[n] == '\0' || p[n] == ' ' || p[n] == ';';
			if (!start || !end)
				continue;
			if (strcmp(job_tools[i], "tar") == 0 && !strcasestr(cmd, "backup"))
				continue;
			return job_tools[i];
		}
	}
	return NULL;
}

struct last {
	const char *source;
	time_t when;
};

static void
newer(struct last *l, const char *source, time_t t)
{
	if (t > l->when) {
		l->when = t;
		l->source = source;
	}
}

/* Newest mtime of the entries of a directory. */
static time_t
newest_in(struct scan_ctx *ctx, const char *dir, const char *prefix)
{
	time_t best = 0;
	DIR *d = rootfs_opendir(ctx->root, dir);
	struct dirent *e;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || (prefix && strncmp(e->d_name, prefix, strlen(prefix))))
			continue;
		char *p = arena_printf(ctx->arena, "%s/%s", dir, e->d_name);
		struct stat st;
		if (p && rootfs_stat(ctx->root, p, &st, false) == 0 && st.st_mtime > best)
			best = st.st_mtime;
	}
	closedir(d);
	return best;
}

/* rsnapshot.conf: "snapshot_root<TAB>/path/" (tabs are the separator). */
static char *
rsnapshot_root(struct scan_ctx *ctx)
{
	struct span s, line;
	struct cursor c;
	if (rootfs_read(ctx->root, "/etc/rsnapshot.conf", scan_max_file(ctx), ctx->arena, &s))
		return NULL;
	cursor_init(&c, s.p, s.len);
	while (cursor_line(&c, &line)) {
		struct span k, v;
		if (!span_starts_with(line, "snapshot_root") || !span_split(line, '\t', &k, &v))
			continue;
		v = span_trim(v);
		while (v.len > 1 && v.p[v.len - 1] == '/')
			v.len--;
		if (v.len && v.p[0] == '/')
			return arena_spandup(ctx->arena, v);
	}
	return NULL;
}

static void
homes_newest(struct scan_ctx *ctx, const struct inventory *inv, const char *sub,
    const char *inner, const char *label, struct last *l)
{
	/* root's and every login user's home. */
	for (size_t i = 0; i <= inv->users.n; i++) {
		const char *home = i < inv->users.n ?
		    ((const struct inv_user *)vec_at(&inv->users, i))->home : "/root";
		if (!home || !*home || (i < inv->users.n && strcmp(home, "/root") == 0))
			continue;
		char *dir = arena_printf(ctx->arena, "%s/%s", home, sub);
		DIR *d = dir ? rootfs_opendir(ctx->root, dir) : NULL;
		struct dirent *e;
		if (!d)
			continue;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char *p = arena_printf(ctx->arena, "%s/%s/%s", dir, e->d_name, inner);
			struct stat st;
			if (!p || rootfs_stat(ctx->root, p, &st, false) != 0)
				continue;
			newer(l, label, S_ISDIR(st.st_mode) ? newest_in(ctx, p, NULL) : st.st_mtime);
		}
		closedir(d);
	}
}

static bool
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return false;	/* the root filesystem is not a backup target */
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/*
 * Where a backup job writes: restic's -r/--repo, borg's REPO::ARCHIVE,
 * duplicity's file:// URL, else the last word when it is a local path
 * (rsync, rclone, tar: SRC... DEST). Sources are not targets.
 */
static void
job_targets(struct scan_ctx *ctx, const char *cmd, struct vec *out)
{
	struct span s = span_from_cstr(cmd), w, last = { NULL, 0 };
	bool next_is_repo = false;
	char **slot;
	while (span_next_word(&s, &w)) {
		if (span_starts_with(w, "file://")) {
			w.p += 7;
			w.len -= 7;
		}
		if (span_starts_with(w, "--repo=")) {
			w.p += 7;
			w.len -= 7;
			next_is_repo = true;
		}
		if (span_eq(w, "-r") || span_eq(w, "--repo")) {
			next_is_repo = true;
			continue;
		}
		last = w;
		if (!w.len || w.p[0] != '/') {
			next_is_repo = false;
			continue;
		}
		size_t cut = w.len;
		for (size_t i = 0; i + 1 < w.len; i++)
			if (w.p[i] == ':' && w.p[i + 1] == ':')
				cut = i;
		if (next_is_repo || cut != w.len) {
			w.len = cut;
			if ((slot = vec_push(ctx->arena, out)))
				*slot = arena_spandup(ctx->arena, w);
			return;
		}
	}
	/* The destination is the last word; a remote one is not ours. */
	if (last.len && last.p[0] == '/' && (slot = vec_push(ctx->arena, out)))
		*slot = arena_spandup(ctx->arena, last);
}

static int
run(struct check_run *run, const struct inventory *inv)
{
	struct scan_ctx *ctx = run->ctx;
	json_t *tools = json_array();
	struct vec targets;
	struct last l = { NULL, 0 };
	size_t ntools = 0;

	vec_init(&targets, sizeof(char *), 1000);
	for (size_t i = 0; i < sizeof(tool_packages) / sizeof(tool_packages[0]); i++) {
		const struct inv_package *p = inventory_find_package(inv, tool_packages[i]);
		if (p && (!p->status || strcmp(p->status, "installed") == 0)) {
			json_array_append_new(tools, json_pack("{s:s, s:s}", "tool",
			    tool_packages[i], "via", "package"));
			ntools++;
		}
	}
	for (size_t i = 0; i < inv->jobs.n; i++) {
		const struct inv_job *j = vec_at(&inv->jobs, i);
		const char *t = j->command ? job_tool(j->command) : NULL;
		if (!t)
			continue;
		json_array_append_new(tools, json_pack("{s:s, s:s, s:s, s:s}", "tool", t,
		    "via", j->kind ? j->kind : "job", "source", j->source ? j->source : "",
		    "schedule", j->schedule ? j->schedule : ""));
		ntools++;
		job_targets(ctx, j->command, &targets);
	}

	if (ntools == 0) {
		if (!inv->have_packages && inv->jobs.n == 0) {
			check_skip(run, &defs[BK_MISSING], "no package database and no scheduled jobs were read");
			json_decref(tools);
		} else {
			check_add(run, &defs[BK_MISSING], tools,
			    "No backup software is installed and no scheduled job runs a "
			    "backup tool (restic, borg, rsnapshot, duplicity, Timeshift, "
			    "Déjà Dup, rsync).",
			    "バックアップソフトがインストールされておらず、バックアップを"
			    "実行する定期ジョブ(restic、borg、rsnapshot、duplicity、"
			    "Timeshift、Déjà Dup、rsync)もありません。");
		}
		check_skip(run, &defs[BK_STALE], "no backup tool found");
		check_skip(run, &defs[BK_MOUNTED], "no backup tool found");
		return MAMORI_OK;
	}

	/* When did a backup last succeed? */
	char *snap = rsnapshot_root(ctx);
	if (snap) {
		static const char *const iv[] = { "hourly.0", "daily.0", "weekly.0",
			"monthly.0", "alpha.0", "beta.0", "gamma.0", "delta.0" };
		char **slot = vec_push(ctx->arena, &targets);
		if (slot)
			*slot = snap;
		for (size_t i = 0; i < sizeof(iv) / sizeof(iv[0]); i++) {
			char *p = arena_printf(ctx->arena, "%s/%s", snap, iv[i]);
			struct stat st;
			if (p && rootfs_stat(ctx->root, p, &st, false) == 0)
				newer(&l, "rsnapshot", st.st_mtime);
		}
	}
	newer(&l, "timeshift", newest_in(ctx, "/timeshift/snapshots", "20"));
	newer(&l, "timeshift", newest_in(ctx, "/run/timeshift/backup/timeshift/snapshots", "20"));
	homes_newest(ctx, inv, ".config/borg/security", "manifest-timestamp", "borg", &l);
	homes_newest(ctx, inv, ".cache/restic", "snapshots", "restic", &l);

	int64_t max_days = 7;
	if (l.when) {
		int64_t age = (int64_t)ctx->now - (int64_t)l.when;
		if (age > max_days * 86400) {
			char en[300], ja[300];
			snprintf(en, sizeof(en), "The newest %s backup is %lld days old "
			    "(more than %lld days).", l.source, (long long)(age / 86400),
			    (long long)max_days);
			snprintf(ja, sizeof(ja), "最新の %s のバックアップは %lld 日前の"
			    "ものです(%lld 日を超えています)。", l.source,
			    (long long)(age / 86400), (long long)max_days);
			check_add(run, &defs[BK_STALE], json_pack("{s:s, s:I, s:I, s:o}",
			    "source", l.source, "last_success", (json_int_t)l.when,
			    "age_days", (json_int_t)(age / 86400), "tools", json_deep_copy(tools)),
			    en, ja);
		}
	} else {
		check_skip(run, &defs[BK_STALE], "the tools found leave no dated trace we can read");
	}

	/* Targets that stay mounted read-write. */
	struct span m, line;
	struct cursor c;
	bool any = false;
	if (rootfs_read(ctx->root, "/proc/self/mounts", scan_max_file(ctx), ctx->arena, &m) == 0) {
		cursor_init(&c, m.p, m.len);
		while (cursor_line(&c, &line)) {
			struct span dev, mp, fs, opts;
			if (!span_next_word(&line, &dev) || !span_next_word(&line, &mp) ||
			    !span_next_word(&line, &fs) || !span_next_word(&line, &opts))
				continue;
			if (!span_eq(opts, "rw") && !span_starts_with(opts, "rw,"))
				continue;
			char *mpt = arena_spandup(ctx->arena, mp);
			if (!mpt)
				return MAMORI_E_NOMEM;
			const char *why = NULL;
			for (size_t i = 0; i < targets.n && !why; i++) {
				const char *t = *(char **)vec_at(&targets, i);
				if (under(t, mpt))
					why = t;
			}
			if (!why && (strcasestr(mpt, "backup") || strstr(mpt, "バックアップ")) &&
			    !span_eq(fs, "tmpfs"))
				why = "mount point name";
			if (!why)
				continue;
			char *dv = arena_spandup(ctx->arena, dev), *fst = arena_spandup(ctx->arena, fs);
			char en[600], ja[600];
			snprintf(en, sizeof(en), "%s (%s) is mounted read-write at %s and "
			    "holds the backup (%s).", dv ? dv : "?", fst ? fst : "?", mpt, why);
			snprintf(ja, sizeof(ja), "%s (%s) が %s に書き込み可能な状態で"
			    "マウントされたままで、バックアップがそこにあります(%s)。",
			    dv ? dv : "?", fst ? fst : "?", mpt, why);
			check_add(run, &defs[BK_MOUNTED], json_pack("{s:s, s:s, s:s, s:s}",
			    "device", dv ? dv : "", "mountpoint", mpt, "fstype", fst ? fst : "",
			    "target", why), en, ja);
			any = true;
		}
	}
	(void)any;
	json_decref(tools);
	return MAMORI_OK;
}

const struct check_module check_backup_module = {
	"backup", defs, sizeof(defs) / sizeof(defs[0]), run,
};
