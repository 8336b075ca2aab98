/*
 * fim_visit.c - one entry of the integrity walk (see fim_visit.h).
 */
#include "agent/fim_visit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/err.h"

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

static bool
same_content_stat(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_ino == b->st_ino &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static long
open_beneath(int rootfd, const char *p, int flags)
{
	struct open_how how = { .flags = (uint64_t)flags,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	return syscall(SYS_openat2, rootfd, p, &how, sizeof(how));
}

void
fim_visit_root_init(struct fim_visit_root *r, const struct fim_walk_opts *opt,
    int rootfd, dev_t dev)
{
	*r = (struct fim_visit_root){ .opt = opt, .rootfd = rootfd, .dev = dev };
	long fd = open_beneath(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		close((int)fd);
	else if (errno == ENOSYS || errno == EPERM)
		r->no_openat2 = true;
}

int
fim_visit_init(struct fim_visit *v, const struct fim_visit_root *r)
{
	v->root = r;
	return fim_hasher_init(&v->hasher);
}

void
fim_visit_release(struct fim_visit *v)
{
	fim_hasher_release(&v->hasher);
}

bool
fim_visit_skip(const char *n)
{
	return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

int
fim_visit_join(char **buf, size_t *cap, const char *parent, size_t pl,
    const char *name)
{
	size_t nl = strlen(name), need = pl + 1 + nl + 1;
	if (need > *cap) {
		char *p = realloc(*buf, need * 2);
		if (!p)
			return MAMORI_E_NOMEM;
		*buf = p;
		*cap = need * 2;
	}
	size_t off = 0;
	if (pl) {
		memcpy(*buf, parent, pl);
		(*buf)[pl] = '/';
		off = pl + 1;
	}
	memcpy(*buf + off, name, nl + 1);
	return MAMORI_OK;
}

int
fim_visit_push(struct fim_visit_stack *s, const char *rel, dev_t dev, ino_t ino)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct fim_visit_pending *p = realloc(s->v, cap * sizeof(*p));
		if (!p)
			return MAMORI_E_NOMEM;
		s->v = p;
		s->cap = cap;
	}
	char *r = strdup(rel);
	if (!r)
		return MAMORI_E_NOMEM;
	s->v[s->n++] = (struct fim_visit_pending){ r, dev, ino };
	return MAMORI_OK;
}

bool
fim_visit_pop(struct fim_visit_stack *s, struct fim_visit_pending *pd)
{
	if (s->n == 0)
		return false;
	*pd = s->v[--s->n];
	return true;
}

void
fim_visit_stack_free(struct fim_visit_stack *s)
{
	while (s->n > 0)
		free(s->v[--s->n].rel);
	free(s->v);
	*s = (struct fim_visit_stack){ 0 };
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

/* Hashes the open regular file fd (fstat()ed as st), re-checks, closes. */
static int
hash_open(struct fim_visit *v, int fd, const struct stat *st, struct fim_entry *e)
{
	struct stat st2;
	uint64_t n = 0;
	int rc = MAMORI_OK;

	if (!v->root->opt->hash)
		goto out;
	int hrc = fim_hash_fd(&v->hasher, fd, (uint64_t)st->st_size, e->hash, &n);
	if (hrc == MAMORI_E_NOMEM) {
		rc = hrc;
	} else if (hrc) {
		e->err = errno;
		e->state = FIM_S_UNREADABLE;
	} else if (fstat(fd, &st2) != 0 || !same_content_stat(st, &st2) ||
	    n != (uint64_t)st->st_size) {
		e->state = FIM_S_CHANGING;
	} else {
		e->has_hash = true;
	}
out:
	close(fd);
	return rc;
}

static int
visit_file(struct fim_visit *v, int dfd, const char *name, struct fim_entry *e,
    const struct stat *lst)
{
	struct stat st;
	int fd = open_file(dfd, name);
	if (fd < 0) {
		e->err = errno;
		e->state = errno == ENOENT ? FIM_S_VANISHED :
		    errno == ELOOP ? FIM_S_CHANGING : FIM_S_UNREADABLE;
		return MAMORI_OK;
	}
	if (fstat(fd, &st) != 0) {
		e->err = errno;
		e->state = FIM_S_UNREADABLE;
		close(fd);
		return MAMORI_OK;
	}
	fill_stat(e, &st);
	if (e->type != FIM_T_FILE || st.st_ino != lst->st_ino) {
		/* Replaced between listing and open: report what is there
		 * now, but never as a settled entry. */
		e->state = FIM_S_CHANGING;
		close(fd);
		return MAMORI_OK;
	}
	return hash_open(v, fd, &st, e);
}

int
fim_visit_child(struct fim_visit *v, int dfd, const char *name,
    unsigned char dtype, uint64_t ino, struct fim_entry *e, bool *descend,
    struct stat *st)
{
	*e = (struct fim_entry){ 0 };
	*descend = false;
	if (dtype == DT_REG && ino) {
		/* Listed as a regular file: open it at once (O_NOFOLLOW) and
		 * take it when the descriptor is that very regular file; this
		 * spares an lstat per file. Anything else (gone, replaced, a
		 * d_ino that is not st_ino as on overlayfs) goes the careful
		 * way below. */
		int fd = open_file(dfd, name);
		if (fd >= 0) {
			if (fstat(fd, st) == 0 && S_ISREG(st->st_mode) &&
			    (uint64_t)st->st_ino == ino) {
				fill_stat(e, st);
				return hash_open(v, fd, st, e);
			}
			close(fd);
		}
	}
	if (fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW) != 0) {
		e->err = errno;
		e->type = type_of_dtype(dtype);
		e->state = errno == ENOENT ? FIM_S_VANISHED : FIM_S_UNREADABLE;
		return MAMORI_OK;
	}
	fill_stat(e, st);
	switch (e->type) {
	case FIM_T_FILE:
		return visit_file(v, dfd, name, e, st);
	case FIM_T_SYMLINK: {
		ssize_t n = readlinkat(dfd, name, v->link, sizeof(v->link) - 1);
		if (n < 0) {
			e->err = errno;
			e->state = errno == ENOENT ? FIM_S_VANISHED : FIM_S_UNREADABLE;
			return MAMORI_OK;
		}
		v->link[n] = '\0';
		e->link = v->link;
		if (fim_hash_buf(&v->hasher, v->link, (size_t)n, e->hash))
			return MAMORI_E_NOMEM;
		e->has_hash = true;
		return MAMORI_OK;
	}
	case FIM_T_DIR:
		if (v->root->opt->xdev && st->st_dev != v->root->dev)
			e->mountpoint = true;
		else
			*descend = true;
		return MAMORI_OK;
	default:
		return MAMORI_OK;
	}
}

static int
open_dir(const struct fim_visit_root *r, const char *rel)
{
	const char *p = *rel ? rel : ".";
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	if (!r->no_openat2)
		return (int)open_beneath(r->rootfd, p, flags);
	/* Intermediate links are then caught by the dev/ino comparison. */
	return openat(r->rootfd, p, flags);
}

int
fim_visit_dir(const struct fim_visit_root *r, const char *rel, dev_t dev,
    ino_t ino, struct fim_entry *e)
{
	struct stat st;
	int fd = open_dir(r, rel);

	*e = (struct fim_entry){ .type = FIM_T_DIR };
	if (fd < 0) {
		e->err = errno;
		e->state = errno == ENOENT ? FIM_S_VANISHED :
		    errno == ELOOP || errno == ENOTDIR || errno == EXDEV ?
		    FIM_S_CHANGING : FIM_S_UNREADABLE;
		/* Keep what the listing knew so a check can still compare. */
		struct stat lst;
		if (e->state == FIM_S_UNREADABLE &&
		    fstatat(r->rootfd, *rel ? rel : ".", &lst, AT_SYMLINK_NOFOLLOW) == 0)
			fill_stat(e, &lst);
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		e->err = errno;
		e->state = FIM_S_UNREADABLE;
		close(fd);
		return -1;
	}
	fill_stat(e, &st);
	if (st.st_dev != dev || st.st_ino != ino) {
		e->state = FIM_S_CHANGING;
		close(fd);
		return -1;
	}
	return fd;
}
