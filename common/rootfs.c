#include "common/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/err.h"

static int
errno_to_err(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return MAMORI_E_NOTFOUND;
	case EACCES:
	case EPERM:
		return MAMORI_E_PERM;
	case ENOMEM:
		return MAMORI_E_NOMEM;
	case ELOOP:
	case EXDEV:
		return MAMORI_E_INVAL;
	}
	return MAMORI_E_IO;
}

/* Path relative to the root descriptor: "/etc/x" -> "etc/x", "/" -> "." */
static const char *
rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

static long
do_openat2(int dirfd, const char *path, int flags)
{
	struct open_how how;
	memset(&how, 0, sizeof(how));
	how.flags = (unsigned long long)flags | O_CLOEXEC;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	return syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

int
rootfs_open(struct rootfs *r, const char *path)
{
	struct stat st;
	int n = snprintf(r->path, sizeof(r->path), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(r->path))
		return MAMORI_E_INVAL;
	r->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->fd < 0)
		return errno_to_err(errno);
	if (fstat(r->fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
		close(r->fd);
		r->fd = -1;
		return MAMORI_E_NOTFOUND;
	}
	struct stat slash;
	r->live = stat("/", &slash) == 0 && slash.st_dev == st.st_dev &&
	    slash.st_ino == st.st_ino;
	long fd = do_openat2(r->fd, ".", O_PATH);
	r->in_root = fd >= 0;
	if (fd >= 0)
		close((int)fd);
	return MAMORI_OK;
}

void
rootfs_close(struct rootfs *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

int
rootfs_openat(const struct rootfs *r, const char *path, int flags)
{
	int fd;
	if (r->live)
		fd = openat(AT_FDCWD, path, flags | O_CLOEXEC);
	else if (r->in_root)
		fd = (int)do_openat2(r->fd, rel(path), flags);
	else
		fd = openat(r->fd, rel(path), flags | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno_to_err(errno);
	return fd;
}

static int
read_fd(int fd, size_t max, char **buf, size_t *len, void *(*grow)(void *, void *, size_t, size_t), void *ctx)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return errno_to_err(errno);
	if (!S_ISREG(st.st_mode))
		return MAMORI_E_INVAL;
	if ((size_t)st.st_size > max)
		return MAMORI_E_LIMIT;
	size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	if (cap > max + 1)
		cap = max + 1;
	char *p = grow(ctx, NULL, 0, cap);
	if (!p)
		return MAMORI_E_NOMEM;
	size_t n = 0;
	for (;;) {
		if (n + 1 >= cap) {
			/* Full at the size fstat() gave, which is usually the end:
			 * a one-byte read tells before the buffer is doubled. */
			char c;
			ssize_t k = read(fd, &c, 1);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				*buf = p;
				return errno_to_err(errno);
			}
			if (k == 0)
				break;
			if (cap > max) {
				*buf = p;
				return MAMORI_E_LIMIT;
			}
			size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *q = grow(ctx, p, n, ncap);
			if (!q)
				return MAMORI_E_NOMEM; /* grow() released p */
			p = q;
			cap = ncap;
			p[n++] = c;
			continue;
		}
		ssize_t k = read(fd, p + n, cap - 1 - n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			*buf = p;
			return errno_to_err(errno);
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return MAMORI_OK;
}

static void *
grow_arena(void *ctx, void *old, size_t used, size_t cap)
{
	char *p = arena_alloc(ctx, cap);
	if (p && old && used)
		memcpy(p, old, used);
	return p;
}

static void *
grow_malloc(void *ctx, void *old, size_t used, size_t cap)
{
	(void)ctx;
	(void)used;
	void *p = realloc(old, cap);
	if (!p)
		free(old);
	return p;
}

int
rootfs_read(const struct rootfs *r, const char *path, size_t max,
    struct arena *a, struct span *out)
{
	int fd = rootfs_openat(r, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	char *buf = NULL;
	size_t len = 0;
	int err = read_fd(fd, max, &buf, &len, grow_arena, a);
	close(fd);
	if (err)
		return err;
	out->p = buf;
	out->len = len;
	return MAMORI_OK;
}

int
rootfs_read_malloc(const struct rootfs *r, const char *path, size_t max,
    char **buf, size_t *len)
{
	int fd = rootfs_openat(r, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	*buf = NULL;
	int err = read_fd(fd, max, buf, len, grow_malloc, NULL);
	close(fd);
	if (err) {
		free(*buf);
		*buf = NULL;
	}
	return err;
}

int
rootfs_stat(const struct rootfs *r, const char *path, struct stat *st,
    bool follow)
{
	int rc;
	if (r->live) {
		rc = follow ? stat(path, st) : lstat(path, st);
	} else if (r->in_root) {
		int fd = (int)do_openat2(r->fd, rel(path),
		    O_PATH | (follow ? 0 : O_NOFOLLOW));
		if (fd < 0)
			return errno_to_err(errno);
		rc = fstatat(fd, "", st, AT_EMPTY_PATH);
		close(fd);
	} else {
		rc = fstatat(r->fd, rel(path), st, AT_SYMLINK_NOFOLLOW);
	}
	return rc == 0 ? MAMORI_OK : errno_to_err(errno);
}

bool
rootfs_exists(const struct rootfs *r, const char *path)
{
	struct stat st;
	return rootfs_stat(r, path, &st, true) == MAMORI_OK;
}

DIR *
rootfs_opendir(const struct rootfs *r, const char *path)
{
	int fd = rootfs_openat(r, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		errno = fd == MAMORI_E_NOTFOUND ? ENOENT : EACCES;
		return NULL;
	}
	DIR *d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

int
rootfs_readlink(const struct rootfs *r, const char *path, char *buf,
    size_t size)
{
	ssize_t n;
	if (size == 0)
		return MAMORI_E_INVAL;
	if (r->live) {
		n = readlink(path, buf, size - 1);
	} else if (r->in_root) {
		int fd = (int)do_openat2(r->fd, rel(path), O_PATH | O_NOFOLLOW);
		if (fd < 0)
			return errno_to_err(errno);
		n = readlinkat(fd, "", buf, size - 1);
		close(fd);
	} else {
		n = readlinkat(r->fd, rel(path), buf, size - 1);
	}
	if (n < 0)
		return errno_to_err(errno);
	buf[n] = '\0';
	return MAMORI_OK;
}
