#include "agent/fim_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "agent/fim_pool.h"
#include "common/err.h"

struct pending {
	char *rel;		/* relative to the root; "" is the root */
	dev_t dev;
	ino_t ino;
};

struct walker {
	const struct fim_walk_opts *opt;
	fim_walk_fn fn;
	void *arg;
	struct fim_hasher hasher;
	struct fim_pool *pool;	/* NULL: hash here */
	int rootfd;
	const char *root;	/* display prefix, no trailing slash ("/" kept) */
	dev_t dev;
	uint64_t count;
	bool no_openat2;
	struct pending *stack;
	size_t nstack, capstack;
	char *disp;		/* display path buffer */
	size_t dispcap;
	char link[PATH_MAX + 1];
};

const char *
fim_type_name(enum fim_type t)
{
	static const char *const n[] = { "file", "dir", "symlink", "fifo",
		"socket", "chardev", "blockdev", "other" };
	return (unsigned)t <= FIM_T_OTHER ? n[t] : "other";
}

const char *
fim_state_name(enum fim_state s)
{
	static const char *const n[] = { "ok", "unreadable", "vanished", "changing" };
	return (unsigned)s <= FIM_S_CHANGING ? n[s] : "unreadable";
}

enum fim_type
fim_type_of_mode(uint32_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return FIM_T_FILE;
	case S_IFDIR: return FIM_T_DIR;
	case S_IFLNK: return FIM_T_SYMLINK;
	case S_IFIFO: return FIM_T_FIFO;
	case S_IFSOCK: return FIM_T_SOCK;
	case S_IFCHR: return FIM_T_CHR;
	case S_IFBLK: return FIM_T_BLK;
	default: return FIM_T_OTHER;
	}
}

static enum fim_type
type_of_dtype(unsigned char d)
{
	switch (d) {
	case DT_REG: return FIM_T_FILE;
	case DT_DIR: return FIM_T_DIR;
	case DT_LNK: return FIM_T_SYMLINK;
	case DT_FIFO: return FIM_T_FIFO;
	case DT_SOCK: return FIM_T_SOCK;
	case DT_CHR: return FIM_T_CHR;
	case DT_BLK: return FIM_T_BLK;
	default: return FIM_T_OTHER;
	}
}

static void
fill_stat(struct fim_entry *e, const struct stat *st)
{
	e->type = fim_type_of_mode(st->st_mode);
	e->size = e->type == FIM_T_DIR ? 0 : (uint64_t)st->st_size;
	e->mode = st->st_mode & 07777;
	e->uid = st->st_uid;
	e->gid = st->st_gid;
	e->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	e->inode = st->st_ino;
}

/* Builds root + "/" + rel into w->disp. */
static const char *
display(struct walker *w, const char *rel)
{
	size_t rl = strlen(w->root), nl = strlen(rel);
	size_t need = rl + 1 + nl + 1;
	if (need > w->dispcap) {
		size_t cap = need * 2;
		char *p = realloc(w->disp, cap);
		if (!p)
			return NULL;
		w->disp = p;
		w->dispcap = cap;
	}
	memcpy(w->disp, w->root, rl);
	size_t off = rl;
	if (nl) {
		if (!(rl == 1 && w->root[0] == '/'))
			w->disp[off++] = '/';
		memcpy(w->disp + off, rel, nl);
		off += nl;
	}
	w->disp[off] = '\0';
	return w->disp;
}

static int
emit(struct walker *w, struct fim_entry *e, const char *rel)
{
	if (w->opt->max_entries && w->count >= w->opt->max_entries)
		return MAMORI_E_LIMIT;
	w->count++;
	e->path = display(w, rel);
	if (!e->path)
		return MAMORI_E_NOMEM;
	return w->fn(w->arg, e);
}

static int
push(struct walker *w, const char *rel, const struct stat *st)
{
	if (w->nstack == w->capstack) {
		size_t cap = w->capstack ? w->capstack * 2 : 64;
		struct pending *p = realloc(w->stack, cap * sizeof(*p));
		if (!p)
			return MAMORI_E_NOMEM;
		w->stack = p;
		w->capstack = cap;
	}
	char *r = strdup(rel);
	if (!r)
		return MAMORI_E_NOMEM;
	w->stack[w->nstack++] = (struct pending){ r, st->st_dev, st->st_ino };
	return MAMORI_OK;
}

static bool
same_content_stat(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_ino == b->st_ino &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static int
open_file(int dfd, const char *name)
{
	int fl = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	int fd = openat(dfd, name, fl | O_NOATIME);
	if (fd < 0 && errno == EPERM)	/* O_NOATIME needs ownership */
		fd = openat(dfd, name, fl);
	return fd;
}

static int
do_file(struct walker *w, int dfd, const char *name, const char *rel,
    struct fim_entry *e, const struct stat *lst)
{
	struct stat st, st2;
	int fd = open_file(dfd, name);
	if (fd < 0) {
		e->err = errno;
		e->state = errno == ENOENT ? FIM_S_VANISHED :
		    errno == ELOOP ? FIM_S_CHANGING : FIM_S_UNREADABLE;
		return emit(w, e, rel);
	}
	if (fstat(fd, &st) != 0) {
		e->err = errno;
		e->state = FIM_S_UNREADABLE;
		close(fd);
		return emit(w, e, rel);
	}
	fill_stat(e, &st);
	if (e->type != FIM_T_FILE || st.st_ino != lst->st_ino) {
		/* Replaced between listing and open: report what is there
		 * now, but never as a settled entry. */
		e->state = FIM_S_CHANGING;
		close(fd);
		return emit(w, e, rel);
	}
	if (w->opt->hash && w->pool) {
		struct fim_job *j = calloc(1, sizeof(*j));
		char *r = strdup(rel);
		if (!j || !r) {
			free(j);
			free(r);
			close(fd);
			return MAMORI_E_NOMEM;
		}
		*j = (struct fim_job){ .e = *e, .rel = r, .fd = fd, .st = st };
		return fim_pool_submit(w->pool, j);
	}
	if (w->opt->hash) {
		uint64_t n = 0;
		int rc = fim_hash_fd(&w->hasher, fd, e->hash, &n);
		if (rc == MAMORI_E_NOMEM) {
			close(fd);
			return rc;
		}
		if (rc) {
			e->err = errno;
			e->state = FIM_S_UNREADABLE;
		} else if (fstat(fd, &st2) != 0 || !same_content_stat(&st, &st2) ||
		    n != (uint64_t)st.st_size) {
			e->state = FIM_S_CHANGING;
		} else {
			e->has_hash = true;
		}
	}
	close(fd);
	return emit(w, e, rel);
}

static int
child(struct walker *w, int dfd, const char *name, unsigned char dtype,
    const char *rel)
{
	struct fim_entry e = { 0 };
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		e.err = errno;
		e.type = type_of_dtype(dtype);
		e.state = errno == ENOENT ? FIM_S_VANISHED : FIM_S_UNREADABLE;
		return emit(w, &e, rel);
	}
	fill_stat(&e, &st);
	switch (e.type) {
	case FIM_T_FILE:
		return do_file(w, dfd, name, rel, &e, &st);
	case FIM_T_SYMLINK: {
		ssize_t n = readlinkat(dfd, name, w->link, sizeof(w->link) - 1);
		if (n < 0) {
			e.err = errno;
			e.state = errno == ENOENT ? FIM_S_VANISHED : FIM_S_UNREADABLE;
		} else {
			w->link[n] = '\0';
			e.link = w->link;
			if (fim_hash_buf(&w->hasher, w->link, (size_t)n, e.hash))
				return MAMORI_E_NOMEM;
			e.has_hash = true;
		}
		return emit(w, &e, rel);
	}
	case FIM_T_DIR:
		if (w->opt->xdev && st.st_dev != w->dev) {
			e.mountpoint = true;
			return emit(w, &e, rel);
		}
		return push(w, rel, &st);
	default:
		return emit(w, &e, rel);
	}
}

static int
open_dir(struct walker *w, const char *rel)
{
	const char *p = *rel ? rel : ".";
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	if (!w->no_openat2) {
		struct open_how how = { .flags = (uint64_t)flags,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			    RESOLVE_NO_MAGICLINKS };
		long fd = syscall(SYS_openat2, w->rootfd, p, &how, sizeof(how));
		if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
			return (int)fd;
		w->no_openat2 = true;	/* old kernel or seccomp filter */
	}
	/* Intermediate links are then caught by the dev/ino comparison. */
	return openat(w->rootfd, p, flags);
}

static int
walk_dir(struct walker *w, struct pending *pd)
{
	struct fim_entry e = { .type = FIM_T_DIR };
	struct stat st;
	int rc = MAMORI_OK;
	int fd = open_dir(w, pd->rel);

	if (fd < 0) {
		e.err = errno;
		e.state = errno == ENOENT ? FIM_S_VANISHED :
		    errno == ELOOP || errno == ENOTDIR || errno == EXDEV ?
		    FIM_S_CHANGING : FIM_S_UNREADABLE;
		/* Keep what the listing knew so a check can still compare. */
		struct stat lst;
		if (e.state == FIM_S_UNREADABLE &&
		    fstatat(w->rootfd, *pd->rel ? pd->rel : ".", &lst,
		    AT_SYMLINK_NOFOLLOW) == 0)
			fill_stat(&e, &lst);
		return emit(w, &e, pd->rel);
	}
	if (fstat(fd, &st) != 0) {
		e.err = errno;
		e.state = FIM_S_UNREADABLE;
		close(fd);
		return emit(w, &e, pd->rel);
	}
	fill_stat(&e, &st);
	if (st.st_dev != pd->dev || st.st_ino != pd->ino) {
		e.state = FIM_S_CHANGING;
		close(fd);
		return emit(w, &e, pd->rel);
	}
	if ((rc = emit(w, &e, pd->rel)) != 0) {
		close(fd);
		return rc;
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return MAMORI_OK;
	}
	size_t rl = strlen(pd->rel);
	char *crel = NULL;
	size_t ccap = 0;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0')))
			continue;
		size_t nl = strlen(n), need = rl + 1 + nl + 1;
		if (need > ccap) {
			char *p = realloc(crel, need * 2);
			if (!p) {
				rc = MAMORI_E_NOMEM;
				break;
			}
			crel = p;
			ccap = need * 2;
		}
		size_t off = 0;
		if (rl) {
			memcpy(crel, pd->rel, rl);
			crel[rl] = '/';
			off = rl + 1;
		}
		memcpy(crel + off, n, nl + 1);
		if ((rc = child(w, dirfd(d), n, de->d_type, crel)) != 0)
			break;
		errno = 0;
	}
	free(crel);
	closedir(d);
	return rc;
}

/* A file hashed by the pool, back on the walking thread. */
static int
pool_done(void *arg, struct fim_job *j)
{
	return emit(arg, &j->e, j->rel);
}

int
fim_walk(const char *root, const struct fim_walk_opts *opt, fim_walk_fn fn,
    void *arg)
{
	struct walker w = { .opt = opt, .fn = fn, .arg = arg, .rootfd = -1 };
	struct stat st;
	char *rootcopy = NULL;
	int rc;

	if ((rc = fim_hasher_init(&w.hasher)) != 0)
		return rc;
	rootcopy = strdup(root);
	if (!rootcopy) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	for (size_t n = strlen(rootcopy); n > 1 && rootcopy[n - 1] == '/'; n--)
		rootcopy[n - 1] = '\0';
	w.root = rootcopy;

	/* The root itself is the caller's choice and is followed; nothing
	 * below it is. */
	w.rootfd = open(rootcopy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.rootfd < 0 && errno == ENOTDIR) {
		/* A single file: walk it as a child of its directory. */
		char *slash = strrchr(rootcopy, '/');
		const char *dir = ".", *name = rootcopy;
		char *dcopy = NULL;
		if (slash) {
			dcopy = strndup(rootcopy, slash == rootcopy ? 1 : (size_t)(slash - rootcopy));
			if (!dcopy) {
				rc = MAMORI_E_NOMEM;
				goto out;
			}
			dir = dcopy;
			name = slash + 1;
		}
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		free(dcopy);
		if (dfd < 0) {
			rc = errno == ENOENT ? MAMORI_E_NOTFOUND : MAMORI_E_IO;
			goto out;
		}
		rc = child(&w, dfd, name, DT_UNKNOWN, "");
		close(dfd);
		goto out;
	}
	if (w.rootfd < 0) {
		rc = errno == ENOENT ? MAMORI_E_NOTFOUND :
		    errno == EACCES ? MAMORI_E_PERM : MAMORI_E_IO;
		goto out;
	}
	if (fstat(w.rootfd, &st) != 0) {
		rc = MAMORI_E_IO;
		goto out;
	}
	w.dev = st.st_dev;
	if ((rc = push(&w, "", &st)) != 0)
		goto out;
	if (opt->hash && opt->threads > 1 &&
	    (rc = fim_pool_start(&w.pool, opt->threads, pool_done, &w)) != 0)
		goto out;
	while (w.nstack > 0) {
		struct pending pd = w.stack[--w.nstack];
		rc = walk_dir(&w, &pd);
		free(pd.rel);
		if (!rc && w.pool)
			rc = fim_pool_poll(w.pool);
		if (rc)
			break;
	}
out:
	if (w.pool) {
		/* Every job finishes (descriptors closed) even after an error. */
		int prc = fim_pool_finish(w.pool);
		if (!rc)
			rc = prc;
	}
	while (w.nstack > 0)
		free(w.stack[--w.nstack].rel);
	free(w.stack);
	free(w.disp);
	free(rootcopy);
	if (w.rootfd >= 0)
		close(w.rootfd);
	fim_hasher_release(&w.hasher);
	return rc;
}
