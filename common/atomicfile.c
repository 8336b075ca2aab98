#include "common/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"

/* A new temporary file beside name: "<name>.tmp" and six random
 * characters, created exclusively (mkostemp has no directory-relative
 * form). tmp must hold the name; -1 with errno on failure. */
static int
create_tmp(int dirfd, const char *name, char *tmp, size_t tmpsz)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	int n = snprintf(tmp, tmpsz, "%s.tmpXXXXXX", name);
	if (n < 0 || (size_t)n >= tmpsz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned char r[6];
		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return -1;
		for (size_t i = 0; i < sizeof(r); i++)
			tmp[(size_t)n - sizeof(r) + i] = chars[r[i] % (sizeof(chars) - 1)];
		int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

/* The work of both entry points; shown names the target in messages (the
 * whole path where the caller gave one). */
static int
write_at(int dirfd, const char *name, const char *shown, mode_t mode,
    atomicfile_fill_fn fill, const void *arg, char *err, size_t errsz)
{
	char tmp[4096];
	FILE *f = NULL;
	int fd = -1, rc = MAMORI_E_IO;

	err[0] = '\0';
	tmp[0] = '\0';
	if (!name[0] || strchr(name, '/') || strlen(name) + sizeof(".tmpXXXXXX") > sizeof(tmp)) {
		snprintf(err, errsz, "%s: not a file name, or too long", shown);
		return MAMORI_E_INVAL;
	}
	if ((fd = create_tmp(dirfd, name, tmp, sizeof(tmp))) < 0) {
		snprintf(err, errsz, "cannot create a temporary file beside %s: %s", shown,
		    strerror(errno));
		tmp[0] = '\0';
		return MAMORI_E_IO;
	}
	if (fchmod(fd, mode) != 0 || !(f = fdopen(fd, "wb"))) {
		snprintf(err, errsz, "cannot write %s: %s", shown, strerror(errno));
		goto out;
	}
	fd = -1;	/* f owns it now */
	if ((rc = fill(f, arg, err, errsz)) != MAMORI_OK) {
		if (!err[0])
			snprintf(err, errsz, "cannot write %s: %s", shown, err_str(rc));
		goto out;
	}
	rc = MAMORI_E_IO;
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		snprintf(err, errsz, "cannot write %s: %s", shown, strerror(errno));
		goto out;
	}
	int closed = fclose(f);
	f = NULL;
	if (closed != 0) {
		snprintf(err, errsz, "cannot write %s: %s", shown, strerror(errno));
		goto out;
	}
	if (renameat(dirfd, tmp, dirfd, name) != 0) {
		snprintf(err, errsz, "cannot create %s: %s", shown, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';	/* nothing left to remove */
	/* The rename is durable only once the directory entry is on disk.
	 * Some file systems refuse fsync on a directory (EINVAL): the file
	 * itself is already synced, so that is not a failure. */
	if (fsync(dirfd) != 0 && errno != EINVAL) {
		snprintf(err, errsz, "cannot sync the directory of %s: %s", shown, strerror(errno));
		goto out;
	}
	rc = MAMORI_OK;
out:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (rc && tmp[0])
		unlinkat(dirfd, tmp, 0);
	return rc;
}

int
atomicfile_write_at(int dirfd, const char *name, mode_t mode, atomicfile_fill_fn fill,
    const void *arg, char *err, size_t errsz)
{
	return write_at(dirfd, name, name, mode, fill, arg, err, errsz);
}

int
atomicfile_write(const char *path, mode_t mode, atomicfile_fill_fn fill, const void *arg,
    char *err, size_t errsz)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	err[0] = '\0';
	if (n >= sizeof(dir)) {
		snprintf(err, errsz, "%.200s...: path too long", path);
		return MAMORI_E_INVAL;
	}
	if (slash && n == 0)
		n = 1;	/* "/file": the root */
	memcpy(dir, slash ? path : ".", slash ? n : 1);
	dir[slash ? n : 1] = '\0';
	/* Read-only is enough to fsync a directory. */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		snprintf(err, errsz, "cannot create %s: %s", path, strerror(errno));
		return MAMORI_E_IO;
	}
	int rc = write_at(dfd, slash ? slash + 1 : path, path, mode, fill, arg, err, errsz);
	close(dfd);
	return rc;
}

struct mem {
	const void *data;
	size_t len;
};

static int
fill_mem(FILE *f, const void *arg, char *err, size_t errsz)
{
	const struct mem *m = arg;
	/* Unbuffered: one write(), and keys or secrets leave no copy in a
	 * stdio buffer that is freed without being cleared. */
	if (setvbuf(f, NULL, _IONBF, 0) != 0)
		return MAMORI_E_IO;
	return m->len && fwrite(m->data, 1, m->len, f) != m->len ? MAMORI_E_IO : MAMORI_OK;
}

int
atomicfile_write_mem(const char *path, mode_t mode, const void *data, size_t len,
    char *err, size_t errsz)
{
	struct mem m = { data, len };
	return atomicfile_write(path, mode, fill_mem, &m, err, errsz);
}

int
atomicfile_write_mem_at(int dirfd, const char *name, mode_t mode, const void *data,
    size_t len, char *err, size_t errsz)
{
	struct mem m = { data, len };
	return atomicfile_write_at(dirfd, name, mode, fill_mem, &m, err, errsz);
}
