/* ww_walk.c - world-writable files in system directories (see ww_walk.h). */
#include "agent/ww_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "common/err.h"

/* Real directories before the merged-/usr links to them, so findings name
 * /usr/bin/x rather than /bin/x. */
static const char *const default_tops[] = {
	"/etc",
	"/usr/bin",
	"/usr/sbin",
	"/usr/local/bin",
	"/usr/local/sbin",
	"/usr/local/etc",
	"/usr/lib/systemd",
	"/usr/libexec",
	"/lib/systemd",
	"/bin",
	"/sbin",
	"/boot",
	"/var/spool/cron",
	NULL,
};

const char *const *
ww_walk_default_tops(void)
{
	return default_tops;
}

/* Kernel filesystems that can be mounted inside a walked tree. */
static bool
pseudo_fs(int fd)
{
	struct statfs sf;
	if (fstatfs(fd, &sf) != 0)
		return true;
	switch ((unsigned long)sf.f_type) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case DEVPTS_SUPER_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case DEBUGFS_MAGIC:
	case SECURITYFS_MAGIC:
	case TRACEFS_MAGIC:
	case BPF_FS_MAGIC:
	case EFIVARFS_MAGIC:
	case PSTOREFS_MAGIC:
	case NSFS_MAGIC:
	case BINFMTFS_MAGIC:
		return true;
	}
	return false;
}

struct frame {
	DIR *d;
	size_t pathlen;		/* length of this directory's path in buf */
	dev_t dev;
};

struct walk {
	struct scan_ctx *ctx;
	struct ww_result *out;
	size_t max;
	char *path;		/* current directory, from malloc() */
	size_t pathcap;
	struct frame *stack;	/* from malloc(), grows */
	size_t depth, stackcap;
	int warned;
	bool emfile_warned;
};

static int
set_path(struct walk *w, size_t at, const char *name)
{
	size_t n = strlen(name);
	size_t need = at + 1 + n + 1;
	if (need > w->pathcap) {
		size_t cap = w->pathcap ? w->pathcap : 256;
		while (cap < need)
			cap *= 2;
		char *p = realloc(w->path, cap);
		if (!p)
			return MAMORI_E_NOMEM;
		w->path = p;
		w->pathcap = cap;
	}
	w->path[at] = '/';
	memcpy(w->path + at + 1, name, n + 1);
	return MAMORI_OK;
}

static void
warn_dir(struct walk *w, const char *what, int e)
{
	/* A broken tree can fail thousands of times: say so a few times. */
	if (w->warned++ < 10)
		scan_warn(w->ctx, "sharing", "%s %s: %s", what, w->path,
		    strerror(e));
}

static int
push(struct walk *w, int fd, size_t pathlen, dev_t dev)
{
	if (w->depth == w->stackcap) {
		size_t cap = w->stackcap ? w->stackcap * 2 : 32;
		struct frame *s = realloc(w->stack, cap * sizeof(*s));
		if (!s) {
			close(fd);
			return MAMORI_E_NOMEM;
		}
		w->stack = s;
		w->stackcap = cap;
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		warn_dir(w, "cannot read", errno);
		close(fd);
		return MAMORI_OK;
	}
	w->stack[w->depth].d = d;
	w->stack[w->depth].pathlen = pathlen;
	w->stack[w->depth].dev = dev;
	w->depth++;
	w->out->dirs++;
	return MAMORI_OK;
}

static int
record(struct walk *w, const struct stat *st, bool dir)
{
	w->out->nhits++;
	if (w->out->hits.n >= WW_MAX_HITS)
		return MAMORI_OK;
	struct ww_hit *h = vec_push(w->ctx->arena, &w->out->hits);
	if (!h || !(h->path = arena_strdup(w->ctx->arena, w->path)))
		return MAMORI_E_NOMEM;
	h->mode = st->st_mode;
	h->uid = st->st_uid;
	h->dir = dir;
	return MAMORI_OK;
}

/* Opens a subdirectory seen by fstatat and checks it is still that one. */
static int
enter(struct walk *w, int dirfd, const char *name, const struct stat *st,
    size_t pathlen, dev_t parent_dev)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE) {
			if (!w->emfile_warned)
				scan_warn(w->ctx, "sharing", "directories nested too "
				    "deep to keep open at %s: subtree skipped", w->path);
			w->emfile_warned = true;
		} else if (errno != ENOENT) {
			warn_dir(w, "cannot open", errno);
		}
		return MAMORI_OK;
	}
	struct stat now;
	if (fstat(fd, &now) != 0 || now.st_dev != st->st_dev ||
	    now.st_ino != st->st_ino || (st->st_dev != parent_dev && pseudo_fs(fd))) {
		close(fd);	/* replaced meanwhile, or /proc-like: skip */
		return MAMORI_OK;
	}
	return push(w, fd, pathlen, st->st_dev);
}

static int
walk_tree(struct walk *w)
{
	int rc = MAMORI_OK;

	while (w->depth > 0 && rc == MAMORI_OK) {
		struct frame *f = &w->stack[w->depth - 1];
		struct dirent *de;
		errno = 0;
		if (!(de = readdir(f->d))) {
			closedir(f->d);
			w->depth--;
			continue;
		}
		const char *name = de->d_name;
		if (name[0] == '.' && (name[1] == '\0' ||
		    (name[1] == '.' && name[2] == '\0')))
			continue;
		if (w->out->visited >= w->max) {
			w->out->capped = true;
			break;
		}
		w->out->visited++;
		/* Links, devices, sockets and FIFOs are not what we look for;
		 * d_type spares an fstatat for them. */
		if (de->d_type != DT_UNKNOWN && de->d_type != DT_REG &&
		    de->d_type != DT_DIR)
			continue;
		struct stat st;
		int dfd = dirfd(f->d);
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;	/* vanished meanwhile */
		bool isdir = S_ISDIR(st.st_mode);
		if (!isdir && !S_ISREG(st.st_mode))
			continue;
		size_t pathlen = f->pathlen;
		dev_t pdev = f->dev;
		if ((rc = set_path(w, pathlen, name)) != 0)
			break;
		if ((st.st_mode & S_IWOTH) && !(isdir && (st.st_mode & S_ISVTX)))
			rc = record(w, &st, isdir);
		if (rc == MAMORI_OK && isdir)
			rc = enter(w, dfd, name, &st, pathlen + 1 + strlen(name), pdev);
		/* f may have moved with the stack; the path is cut back when
		 * the next entry of its directory is appended. */
	}
	while (w->depth > 0)
		closedir(w->stack[--w->depth].d);
	return rc;
}

int
ww_walk(struct scan_ctx *ctx, const char *const *tops, size_t max_entries,
    struct ww_result *out)
{
	struct walk w;
	struct { dev_t dev; ino_t ino; } seen[64];
	size_t nseen = 0;
	int rc = MAMORI_OK;
	int64_t t0 = scan_monotonic_ms();

	memset(out, 0, sizeof(*out));
	vec_init(&out->hits, sizeof(struct ww_hit), WW_MAX_HITS);
	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.out = out;
	w.max = max_entries;
	for (size_t t = 0; tops[t] && rc == MAMORI_OK && !out->capped; t++) {
		int fd = rootfs_openat(ctx->root, tops[t], O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			continue;	/* not on this system */
		struct stat st;
		bool dup = fstat(fd, &st) != 0 || pseudo_fs(fd);
		for (size_t i = 0; i < nseen && !dup; i++)
			dup = seen[i].dev == st.st_dev && seen[i].ino == st.st_ino;
		/* Inside an earlier top ("/etc/cron.d" in "/etc"). */
		for (size_t i = 0; i < t && !dup; i++) {
			size_t n = strlen(tops[i]);
			dup = strncmp(tops[t], tops[i], n) == 0 && tops[t][n] == '/';
		}
		if (dup) {
			close(fd);
			continue;
		}
		if (nseen < sizeof(seen) / sizeof(seen[0])) {
			seen[nseen].dev = st.st_dev;
			seen[nseen].ino = st.st_ino;
			nseen++;
		}
		/* set_path() writes "/" + name at the offset: seed it with the
		 * top without its leading slash. */
		if ((rc = set_path(&w, 0, tops[t][0] == '/' ? tops[t] + 1 : tops[t])))
			break;
		if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
			rc = record(&w, &st, true);
		if (rc == MAMORI_OK)
			rc = push(&w, fd, strlen(w.path), st.st_dev);
		else
			close(fd);
		if (rc == MAMORI_OK)
			rc = walk_tree(&w);
	}
	free(w.path);
	free(w.stack);
	out->ms = scan_monotonic_ms() - t0;
	if (out->capped)
		scan_warn(ctx, "sharing", "world-writable search stopped after %zu "
		    "entries (scan.max_walk_entries); the rest was not checked",
		    out->visited);
	if (w.warned > 10)
		scan_warn(ctx, "sharing", "%d more unreadable directories",
		    w.warned - 10);
	return rc;
}
