/*
 * cmd_fim.c - mamori fim: integrity baselines (init, check) and the
 * real-time ransomware watch (watch).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/fim_baseline.h"
#include "agent/fim_watch.h"
#include "agent/ransom_detect.h"
#include "agent/ransom_respond.h"
#include "cmd/cmd.h"
#include "common/err.h"
#include "detection/alert.h"
#include "storage/db.h"
#include "storage/store_fim.h"

/* System binaries, configuration, startup and cron locations, web roots
 * and root's SSH keys: what intruders change to stay. */
static const char *const default_paths[] = {
	"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin",
	"/usr/local/sbin", "/etc", "/var/spool/cron", "/var/www",
	"/root/.ssh", "/usr/lib/systemd/system",
};

static void
fim_usage(FILE *out)
{
	fprintf(out,
	    "usage: mamori fim init [--json] [PATH...]\n"
	    "       mamori fim check [--json] [PATH...]\n"
	    "       mamori fim watch PATH... [--json] [--respond none|kill|isolate] [--backup DIR]...\n"
	    "                        [--backend auto|fanotify|inotify] [--duration SECONDS]\n"
	    "                        [--no-canaries] [--manager ADDRESS]\n"
	    "  init      record the baseline of each PATH (default: system binaries,\n"
	    "            /etc, cron, web roots, root's SSH keys) in the database\n"
	    "  check     compare each PATH with its baseline: added, removed, modified\n"
	    "            (exit 1 when something changed)\n"
	    "  watch     watch PATHs for ransomware in the foreground; alerts on stdout\n"
	    "            (one NDJSON line each with --json)\n");
}

/* Paths for people: bytes that are not printable are written as \xNN, so
 * a file name with a newline cannot forge a line of the report. */
static void
put_path(FILE *out, const char *p)
{
	for (const unsigned char *s = (const unsigned char *)p; *s; s++) {
		if (*s < 0x20 || *s == 0x7f || *s == '\\')
			fprintf(out, "\\x%02x", *s);
		else
			fputc(*s, out);
	}
}

/* JSON strings must be UTF-8: invalid bytes become \xNN text. */
static json_t *
json_path(const char *p)
{
	json_t *j = json_string(p);
	if (j)
		return j;
	size_t n = strlen(p);
	char *b = malloc(n * 4 + 1);
	if (!b)
		return json_null();
	size_t k = 0;
	for (const unsigned char *s = (const unsigned char *)p; *s; s++) {
		if (*s & 0x80)
			k += (size_t)snprintf(b + k, 5, "\\x%02x", *s);
		else
			b[k++] = (char)*s;
	}
	b[k] = '\0';
	j = json_string(b);
	free(b);
	return j ? j : json_null();
}

static int
open_db(struct cmd_env *env, const char *cmd, struct db **db)
{
	char err[512];
	const char *path = env->db_path ? env->db_path : db_default_path();
	if (db_open(path, env->db_path == NULL, db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori fim %s: %s\n", cmd, err);
		return EXIT_CANTCREAT;
	}
	return 0;
}

static int
parse_flags(int argc, char **argv, const char *cmd, bool *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': *json = true; break;
		case 'h': fim_usage(stdout); return -1;
		default: {
			char what[64];
			snprintf(what, sizeof(what), "fim %s", cmd);
			return cmd_option_error(what, c, argc, argv, opts);
		}
		}
	}
	return 0;
}

/* Absolute, without trailing slashes: the key of a baseline. */
static char *
root_key(const char *p)
{
	char *r = realpath(p, NULL);
	if (r)
		return r;
	r = strdup(p);
	for (size_t n = r ? strlen(r) : 0; n > 1 && r[n - 1] == '/'; n--)
		r[n - 1] = '\0';
	return r;
}

static void
record_of_row(struct fim_record *r, const struct store_fim_row *row)
{
	memset(r, 0, sizeof(*r));
	r->path = (char *)(uintptr_t)row->path;
	r->link = (char *)(uintptr_t)row->link;
	r->type = FIM_T_OTHER;
	for (int t = 0; t <= FIM_T_OTHER; t++)
		if (strcmp(row->type, fim_type_name((enum fim_type)t)) == 0)
			r->type = (enum fim_type)t;
	r->state = FIM_S_UNREADABLE;
	for (int s = 0; s <= FIM_S_CHANGING; s++)
		if (strcmp(row->state, fim_state_name((enum fim_state)s)) == 0)
			r->state = (enum fim_state)s;
	r->err = row->err;
	r->size = row->size;
	r->mode = row->mode;
	r->uid = row->uid;
	r->gid = row->gid;
	r->mtime_ns = row->mtime_ns;
	r->inode = row->inode;
	if (row->hash) {
		r->has_hash = true;
		memcpy(r->hash, row->hash, FIM_HASH_LEN);
	}
}

static int
load_cb(void *arg, const struct store_fim_row *row)
{
	struct fim_record r;
	record_of_row(&r, row);
	return fim_set_add_record(arg, &r);
}

static void
paths_or_default(int argc, char **argv, const char ***paths, size_t *n)
{
	if (optind < argc) {
		*paths = (const char **)(void *)(argv + optind);
		*n = (size_t)(argc - optind);
		return;
	}
	static const char *existing[sizeof(default_paths) / sizeof(default_paths[0])];
	size_t k = 0;
	for (size_t i = 0; i < sizeof(default_paths) / sizeof(default_paths[0]); i++) {
		struct stat st;
		/* Merged-/usr links (/bin -> usr/bin) are the same tree. */
		if (lstat(default_paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			existing[k++] = default_paths[i];
	}
	*paths = existing;
	*n = k;
}

static int
fim_init(struct cmd_env *env, int argc, char **argv)
{
	bool json = false;
	struct db *db = NULL;
	const char **paths;
	size_t np;
	int rc = parse_flags(argc, argv, "init", &json);
	if (rc)
		return rc < 0 ? EXIT_OK_RUN : rc;
	paths_or_default(argc, argv, &paths, &np);
	if ((rc = open_db(env, "init", &db)))
		return rc;
	json_t *doc = json_array();
	int exit_code = EXIT_OK_RUN;
	for (size_t i = 0; i < np; i++) {
		struct fim_set set;
		struct fim_walk_opts o = { .hash = true, .xdev = true,
		    .threads = (unsigned)conf_int(&env->conf, CONF_FIM_THREADS) };
		struct timespec t0, t1;
		char *key = root_key(paths[i]);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		fim_set_init(&set);
		rc = key ? fim_set_collect(&set, key, &o) : MAMORI_E_NOMEM;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc) {
			fprintf(stderr, "mamori fim init: %s: %s\n", paths[i], err_str(rc));
			exit_code = rc == MAMORI_E_NOTFOUND ? EXIT_NOINPUT : EXIT_IOERR;
			fim_set_free(&set);
			free(key);
			continue;
		}
		int64_t root_id;
		size_t unread = 0;
		uint64_t bytes = 0;
		/* Threads find entries in any order: store them in path order
		 * (the table's key order, so inserts append). */
		fim_set_sort(&set);
		rc = store_fim_begin(db, key, (int64_t)time(NULL), &root_id);
		for (size_t k = 0; !rc && k < set.n; k++) {
			const struct fim_record *r = &set.v[k];
			struct store_fim_row row = { r->path, fim_type_name(r->type),
				fim_state_name(r->state), r->err, r->size, r->mode,
				r->uid, r->gid, r->mtime_ns, r->inode,
				r->has_hash ? r->hash : NULL, r->link };
			if (r->state != FIM_S_OK)
				unread++;
			if (r->type == FIM_T_FILE)
				bytes += r->size;
			rc = store_fim_put(db, root_id, &row);
		}
		if (!rc)
			rc = store_fim_commit(db, root_id, (int64_t)set.n);
		else
			store_fim_abort(db);
		if (rc) {
			fprintf(stderr, "mamori fim init: %s: %s\n", key, db_errmsg(db));
			exit_code = EXIT_IOERR;
		} else {
			double secs = (double)(t1.tv_sec - t0.tv_sec) +
			    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
			if (json) {
				json_array_append_new(doc, json_pack("{s:o, s:I, s:I, s:I, s:f}",
				    "path", json_path(key), "entries", (json_int_t)set.n,
				    "not_verified", (json_int_t)unread, "bytes", (json_int_t)bytes,
				    "seconds", secs));
			} else {
				printf("baseline ");
				put_path(stdout, key);
				printf(": %zu entries, %" PRIu64 " bytes hashed in %.2f s",
				    set.n, bytes, secs);
				if (unread)
					printf(" (%zu could not be read and are not verified)", unread);
				printf("\n");
			}
		}
		fim_set_free(&set);
		free(key);
	}
	if (json) {
		json_dumpf(doc, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	}
	json_decref(doc);
	db_close(db);
	return exit_code;
}

struct check_out {
	bool json;
	json_t *changes;
	size_t counts[4];
};

static json_t *
rec_json(const struct fim_record *r)
{
	char hex[65] = "";
	if (r->has_hash)
		fim_hash_hex(r->hash, hex);
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}",
	    "type", fim_type_name(r->type), "state", fim_state_name(r->state),
	    "size", (json_int_t)r->size, "uid", (json_int_t)r->uid,
	    "gid", (json_int_t)r->gid, "mtime_ns", (json_int_t)r->mtime_ns,
	    "inode", (json_int_t)r->inode);
	if (!o)
		return json_null();
	char mode[8];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)r->mode);
	json_object_set_new(o, "mode", json_string(mode));
	json_object_set_new(o, "sha256", r->has_hash ? json_string(hex) : json_null());
	if (r->link)
		json_object_set_new(o, "link", json_path(r->link));
	if (r->err)
		json_object_set_new(o, "error", json_string(strerror(r->err)));
	return o;
}

static void
print_detail(const struct fim_change *c)
{
	const struct fim_record *o = c->old, *n = c->cur;
	if (c->fields & FIM_F_TYPE)
		printf(" type %s -> %s", fim_type_name(o->type), fim_type_name(n->type));
	if (c->fields & FIM_F_SIZE)
		printf(" size %" PRIu64 " -> %" PRIu64, o->size, n->size);
	if (c->fields & FIM_F_MODE)
		printf(" mode %04o -> %04o", (unsigned)o->mode, (unsigned)n->mode);
	if (c->fields & FIM_F_OWNER)
		printf(" owner %u:%u -> %u:%u", (unsigned)o->uid, (unsigned)o->gid,
		    (unsigned)n->uid, (unsigned)n->gid);
	if (c->fields & FIM_F_INODE)
		printf(" inode %" PRIu64 " -> %" PRIu64, o->inode, n->inode);
	if (c->fields & FIM_F_HASH) {
		char a[65], b[65];
		fim_hash_hex(o->hash, a);
		fim_hash_hex(n->hash, b);
		printf(" sha256 %.12s -> %.12s", a, b);
	}
	if (c->fields & FIM_F_LINK) {
		printf(" link ");
		put_path(stdout, o->link ? o->link : "");
		printf(" -> ");
		put_path(stdout, n->link ? n->link : "");
	}
	if (c->fields & FIM_F_MTIME)
		printf(" mtime changed");
}

static int
on_change(void *arg, const struct fim_change *c)
{
	struct check_out *co = arg;
	const struct fim_record *r = c->cur ? c->cur : c->old;
	char fields[96];
	co->counts[c->kind]++;
	fim_fields_str(c->fields, fields, sizeof(fields));
	if (co->json) {
		json_t *o = json_pack("{s:s, s:o}", "change", fim_change_kind_name(c->kind),
		    "path", json_path(r->path));
		if (c->kind == FIM_MODIFIED) {
			json_t *f = json_array();
			for (char *s = fields; *s;) {
				char *comma = strchr(s, ',');
				size_t l = comma ? (size_t)(comma - s) : strlen(s);
				json_array_append_new(f, json_stringn(s, l));
				s += l + (comma ? 1 : 0);
			}
			json_object_set_new(o, "fields", f);
		}
		if (c->old)
			json_object_set_new(o, "old", rec_json(c->old));
		if (c->cur)
			json_object_set_new(o, "new", rec_json(c->cur));
		json_array_append_new(co->changes, o);
		return 0;
	}
	printf("%-10s ", fim_change_kind_name(c->kind));
	put_path(stdout, r->path);
	if (c->kind == FIM_MODIFIED) {
		printf("  [%s]", fields);
		print_detail(c);
	} else if (c->kind == FIM_UNVERIFIED) {
		printf("  [%s%s%s]", fim_state_name(c->cur->state),
		    c->cur->err ? ": " : "", c->cur->err ? strerror(c->cur->err) : "");
	}
	printf("\n");
	return 0;
}

static int
fim_check(struct cmd_env *env, int argc, char **argv)
{
	bool json = false;
	struct db *db = NULL;
	const char **paths;
	size_t np;
	int rc = parse_flags(argc, argv, "check", &json);
	if (rc)
		return rc < 0 ? EXIT_OK_RUN : rc;
	paths_or_default(argc, argv, &paths, &np);
	if ((rc = open_db(env, "check", &db)))
		return rc;
	int exit_code = EXIT_OK_RUN;
	json_t *doc = json_array();
	for (size_t i = 0; i < np; i++) {
		struct fim_set old, cur;
		struct fim_walk_opts o = { .hash = true, .xdev = true,
		    .threads = (unsigned)conf_int(&env->conf, CONF_FIM_THREADS) };
		struct check_out co = { .json = json, .changes = json_array() };
		int64_t created = 0;
		char *key = root_key(paths[i]);
		fim_set_init(&old);
		fim_set_init(&cur);
		rc = key ? store_fim_load(db, key, &created, load_cb, &old) : MAMORI_E_NOMEM;
		if (rc == MAMORI_E_NOTFOUND) {
			fprintf(stderr, "mamori fim check: no baseline for %s: run 'mamori fim init %s' first\n",
			    key, key);
			exit_code = EXIT_NOINPUT;
			goto next;
		}
		if (rc) {
			fprintf(stderr, "mamori fim check: %s: %s\n", key ? key : paths[i], err_str(rc));
			exit_code = EXIT_IOERR;
			goto next;
		}
		rc = fim_set_collect(&cur, key, &o);
		if (rc && rc != MAMORI_E_NOTFOUND) {
			fprintf(stderr, "mamori fim check: %s: %s\n", key, err_str(rc));
			exit_code = EXIT_IOERR;
			goto next;
		}
		/* A root that is gone entirely: everything was removed. */
		if (!json) {
			printf("# ");
			put_path(stdout, key);
			printf(" (baseline of %" PRId64 ")\n", created);
		}
		fim_diff(&old, &cur, on_change, &co);
		size_t changed = co.counts[FIM_ADDED] + co.counts[FIM_REMOVED] +
		    co.counts[FIM_MODIFIED] + co.counts[FIM_UNVERIFIED];
		if (changed && exit_code == EXIT_OK_RUN)
			exit_code = EXIT_FINDINGS;
		if (json) {
			json_array_append_new(doc, json_pack("{s:o, s:I, s:{s:I, s:I, s:I, s:I, s:I}, s:O}",
			    "path", json_path(key), "baseline_time", (json_int_t)created,
			    "summary", "added", (json_int_t)co.counts[FIM_ADDED],
			    "removed", (json_int_t)co.counts[FIM_REMOVED],
			    "modified", (json_int_t)co.counts[FIM_MODIFIED],
			    "unverified", (json_int_t)co.counts[FIM_UNVERIFIED],
			    "entries", (json_int_t)cur.n, "changes", co.changes));
		} else {
			printf("# %zu added, %zu removed, %zu modified, %zu unverified, %zu entries\n",
			    co.counts[FIM_ADDED], co.counts[FIM_REMOVED],
			    co.counts[FIM_MODIFIED], co.counts[FIM_UNVERIFIED], cur.n);
		}
next:
		json_decref(co.changes);
		fim_set_free(&old);
		fim_set_free(&cur);
		free(key);
	}
	if (json) {
		json_dumpf(doc, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	}
	json_decref(doc);
	db_close(db);
	return exit_code;
}

/* --- watch ------------------------------------------------------------- */

static const struct alert_rule ransomware_rule = {
	"mamori.fim.ransomware", "Ransomware activity", ALERT_CRITICAL, IR_DETECT,
	{ "Ransomware is encrypting files on this computer",
	  "このコンピューターでランサムウェアがファイルを暗号化しています" },
	{ "A program is rewriting many files with encrypted content, renaming "
	  "them or leaving ransom notes. Every second more files are lost, and "
	  "shared folders and connected backups are next.",
	  "あるプログラムが多数のファイルを暗号化された内容に書き換えたり、"
	  "名前を変えたり、身代金要求の文書を置いたりしています。時間がたつほど"
	  "被害が広がり、共有フォルダーや接続中のバックアップも狙われます。" },
	{ "1) Keep the PC powered on (do not shut down: evidence and keys stay in "
	  "memory). 2) Unplug the network cable and turn off Wi-Fi now. 3) Do not "
	  "pay and do not contact the criminals. 4) Call the IPA consultation desk "
	  "(情報セキュリティ安心相談窓口, 03-5978-7509) or your IT vendor, and report "
	  "to the police. 5) Restore files only from an offline backup that was not "
	  "connected to this PC.",
	  "1) パソコンの電源は切らずにそのままにしてください(証拠や鍵がメモリに"
	  "残っています)。2) 今すぐ LAN ケーブルを抜き、Wi-Fi を切ってください。"
	  "3) 身代金は払わず、犯人に連絡しないでください。4) IPA 情報セキュリティ"
	  "安心相談窓口(03-5978-7509)または取引先の IT 業者に相談し、警察にも"
	  "届け出てください。5) ファイルは、このパソコンにつながっていなかった"
	  "オフラインのバックアップからだけ復旧してください。" },
};

struct watch_ctx {
	bool json;
	enum lang lang;
	enum ransom_action action;
	const char *manager;
	unsigned alerts;
	int stopped[16];	/* pids already killed: their queued events
				 * must not raise the alarm again */
	size_t nstopped;
};

static void
proc_text(int pid, const char *what, char *buf, size_t n)
{
	char p[64];
	buf[0] = '\0';
	if (pid <= 0)
		return;
	snprintf(p, sizeof(p), "/proc/%d/%s", pid, what);
	if (strcmp(what, "exe") == 0) {
		ssize_t k = readlink(p, buf, n - 1);
		buf[k > 0 ? k : 0] = '\0';
		return;
	}
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t k = read(fd, buf, n - 1);
	close(fd);
	if (k <= 0)
		return;
	for (ssize_t i = 0; i < k; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	while (k > 0 && buf[k - 1] == ' ')
		k--;
	buf[k] = '\0';
}

static void
on_verdict(void *arg, const struct ransom_verdict *v)
{
	struct watch_ctx *wc = arg;
	struct ransom_response resp = { 0 };
	char exe[1024], cmdline[2048], msg[2048];
	struct timespec now;
	/* The detector's clock is monotonic; the alert says when, in wall time. */
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t detected_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;

	for (size_t i = 0; i < wc->nstopped; i++)
		if (v->pid > 0 && wc->stopped[i] == v->pid)
			return;
	/* Freeze first, look second: every millisecond is more files. */
	if (wc->action != RESPOND_NONE && v->pid > 0)
		(void)ransom_respond_stop(v->pid, &resp);
	proc_text(v->pid, "exe", exe, sizeof(exe));
	proc_text(v->pid, "cmdline", cmdline, sizeof(cmdline));
	if (wc->action != RESPOND_NONE) {
		if (v->pid > 0)
			(void)ransom_respond_kill(v->pid, &resp);
		else
			snprintf(resp.steps[resp.nsteps++], sizeof(resp.steps[0]),
			    "writer unknown (inotify gives no process): nothing killed");
	}
	if (wc->action == RESPOND_ISOLATE)
		(void)ransom_respond_isolate(wc->manager, &resp);
	if (resp.stopped)
		wc->stopped[wc->nstopped++ % 16] = v->pid;
	wc->alerts++;

	json_t *reasons = json_array();
	char rtext[160] = "";
	static const char *const rn[] = { "high_entropy_writes", "new_extension_renames",
		"ransom_notes", "canary_touched", "backup_deletion" };
	for (int b = 0; b < 5; b++) {
		if (!(v->reasons & (1u << b)))
			continue;
		json_array_append_new(reasons, json_string(rn[b]));
		size_t l = strlen(rtext);
		snprintf(rtext + l, sizeof(rtext) - l, "%s%s", l ? ", " : "", rn[b]);
	}
	snprintf(msg, sizeof(msg), "pid %d (%.500s) %s: %u encrypted-looking writes, "
	    "%u renames%s%.31s, notes in %u directories, %u backups deleted%s, "
	    "%u file events%s%.500s",
	    v->pid, exe[0] ? exe : "unknown", rtext, v->writes, v->renames,
	    v->ext ? " to ." : "", v->ext ? v->ext : "", v->note_dirs, v->backup_deletes,
	    v->backup_command ? " by a snapshot-removal command" : "", v->files_total,
	    v->canary ? "; canary touched: " : "", v->canary ? v->canary : "");

	json_t *files = json_array(), *steps = json_array();
	for (size_t i = 0; i < v->nfiles; i++)
		json_array_append_new(files, json_path(v->files[i]));
	for (size_t i = 0; i < resp.nsteps; i++)
		json_array_append_new(steps, json_string(resp.steps[i]));
	json_t *extra = json_object();
	json_object_set_new(extra, "process.pid", json_integer(v->pid));
	json_object_set_new(extra, "process.executable", exe[0] ? json_path(exe) : json_null());
	json_object_set_new(extra, "process.command_line", cmdline[0] ? json_path(cmdline) : json_null());
	json_object_set_new(extra, "file.path", v->nfiles ? json_path(v->files[v->nfiles - 1]) : json_null());
	json_object_set_new(extra, "mamori.ransomware", json_pack("{s:o, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:I, s:I, s:b}",
	    "reasons", reasons, "writes", (json_int_t)v->writes,
	    "renames", (json_int_t)v->renames, "note_dirs", (json_int_t)v->note_dirs,
	    "files_total", (json_int_t)v->files_total, "files", files,
	    "extension", v->ext ? json_path(v->ext) : json_null(),
	    "canary", v->canary ? json_path(v->canary) : json_null(),
	    "detect_ms", (json_int_t)(v->ts_ms - v->first_ms),
	    "backup_deletes", (json_int_t)v->backup_deletes, "backup_command", v->backup_command));
	json_object_set_new(extra, "mamori.response", json_pack("{s:s, s:o, s:b, s:b}",
	    "action", ransom_action_name(wc->action), "steps", steps,
	    "stopped", resp.stopped, "isolated", resp.isolated));
	struct alert a = { .rule = &ransomware_rule, .severity = ALERT_CRITICAL,
		.ts_ms = detected_ms, .message = msg, .extra = extra };
	if (wc->json) {
		alert_write_ndjson(&a, stdout);
	} else {
		alert_print_text(&a, wc->lang, stdout);
		if (cmdline[0]) {
			printf("  %s ", wc->lang == LANG_JA ? "コマンド:" : "Command:");
			put_path(stdout, cmdline);
			printf("\n");
		}
		for (size_t i = 0; i < v->nfiles; i++) {
			printf("  %s ", wc->lang == LANG_JA ? "ファイル:" : "File:");
			put_path(stdout, v->files[i]);
			printf("\n");
		}
		for (size_t i = 0; i < resp.nsteps; i++)
			printf("  %s %s\n", wc->lang == LANG_JA ? "対応:" : "Done:", resp.steps[i]);
	}
	fflush(stdout);
	json_decref(extra);
}

static void
on_notice(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "mamori fim watch: %s\n", msg);
}

static int
fim_watch(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "respond", required_argument, NULL, 'r' },
		{ "backend", required_argument, NULL, 'b' },
		{ "duration", required_argument, NULL, 'd' },
		{ "no-canaries", no_argument, NULL, 'C' },
		{ "backup", required_argument, NULL, 'B' },
		{ "manager", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct watch_ctx wc = { .lang = env->lang,
		.manager = conf_str(&env->conf, CONF_RANSOM_MANAGER_ADDRESS) };
	struct fim_watch_opts o = { .backend = FIM_BACKEND_AUTO, .canaries = true,
		.on_verdict = on_verdict, .on_notice = on_notice, .arg = &wc };
	const char *respond = conf_str(&env->conf, CONF_RANSOM_RESPOND);
	/* Snapshot directories of snapper and Timeshift, watched when present;
	 * --backup adds backup targets (restic/borg repositories, rsync copies). */
	static const char *const default_backups[] = { "/.snapshots", "/timeshift",
		"/run/timeshift/backup/timeshift-btrfs/snapshots" };
	const char *backups[32];
	size_t nbackups = 0;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': wc.json = true; break;
		case 'r': respond = optarg; break;
		case 'm': wc.manager = optarg; break;
		case 'C': o.canaries = false; break;
		case 'B':
			if (nbackups == sizeof(backups) / sizeof(backups[0]))
				return cmd_usage_error("fim", "at most 32 --backup paths");
			backups[nbackups++] = optarg;
			break;
		case 'b':
			if (strcmp(optarg, "auto") == 0)
				o.backend = FIM_BACKEND_AUTO;
			else if (strcmp(optarg, "fanotify") == 0)
				o.backend = FIM_BACKEND_FANOTIFY;
			else if (strcmp(optarg, "inotify") == 0)
				o.backend = FIM_BACKEND_INOTIFY;
			else
				return cmd_usage_error("fim", "--backend takes auto, fanotify or inotify");
			break;
		case 'd': {
			char *end;
			errno = 0;
			unsigned long long s = strtoull(optarg, &end, 10);
			if (errno || *end || s == 0 || s > 86400ULL * 365)
				return cmd_usage_error("fim", "--duration takes seconds");
			o.duration_ms = (int64_t)s * 1000;
			break;
		}
		case 'h': fim_usage(stdout); return EXIT_OK_RUN;
		case ':':
		default: return cmd_option_error("fim watch", c, argc, argv, opts);
		}
	}
	if (ransom_action_parse(respond ? respond : "none", &wc.action) != MAMORI_OK)
		return cmd_usage_error("fim", "--respond takes none, kill or isolate, not '%s'", respond);
	if (wc.action == RESPOND_ISOLATE && wc.manager && *wc.manager) {
		char buf[2048];
		if (ransom_respond_ruleset(wc.manager, buf, sizeof(buf)) != MAMORI_OK)
			return cmd_usage_error("fim", "manager address '%s' is not an IP address[:port]", wc.manager);
	}
	if (optind >= argc)
		return cmd_usage_error("fim", "watch needs at least one PATH");
	o.paths = (const char *const *)(argv + optind);
	o.npaths = (size_t)(argc - optind);

	struct ransom_conf rc;
	struct ransom_detector det;
	struct fim_watch_stats st;
	ransom_conf_load(&rc, &env->conf);
	if (ransom_detect_init(&det, &rc) != MAMORI_OK)
		return EXIT_SOFTWARE;
	for (size_t i = 0; i < sizeof(default_backups) / sizeof(default_backups[0]); i++)
		if (access(default_backups[i], F_OK) == 0 && nbackups < 32)
			backups[nbackups++] = default_backups[i];
	for (size_t i = 0; i < nbackups; i++) {
		char *real = realpath(backups[i], NULL);
		int brc = ransom_detect_add_backup(&det, real ? real : backups[i]);
		free(real);
		if (brc != MAMORI_OK) {
			ransom_detect_release(&det);
			return EXIT_SOFTWARE;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	int r = fim_watch_run(&o, &det, &st);
	ransom_detect_release(&det);
	fprintf(stderr, "mamori fim watch: %s: %" PRIu64 " events, %" PRIu64
	    " overflows, %" PRIu64 " rescans, %u alerts\n", st.backend ? st.backend : "none",
	    st.events, st.overflows, st.rescans, wc.alerts);
	if (r) {
		fprintf(stderr, "mamori fim watch: %s\n", err_str(r));
		return r == MAMORI_E_NOTFOUND ? EXIT_NOINPUT : EXIT_IOERR;
	}
	return EXIT_OK_RUN;
}

int
cmd_fim(struct cmd_env *env, int argc, char **argv)
{
	if (argc < 2) {
		fim_usage(stderr);
		return EXIT_USAGE;
	}
	const char *sub = argv[1];
	optind = 0;
	if (strcmp(sub, "init") == 0)
		return fim_init(env, argc - 1, argv + 1);
	if (strcmp(sub, "check") == 0)
		return fim_check(env, argc - 1, argv + 1);
	if (strcmp(sub, "watch") == 0)
		return fim_watch(env, argc - 1, argv + 1);
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
		fim_usage(stdout);
		return EXIT_OK_RUN;
	}
	return cmd_usage_error("fim", "unknown subcommand '%s' (init, check, watch)", sub);
}
