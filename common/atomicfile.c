#include "common/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"

/* The rename is durable only once the directory entry is on disk. Some
 * file systems refuse fsync on a directory (EINVAL): the file itself is
 * already synced, so that is not a failure. */
static int
sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	if (n >= sizeof(dir))
		return MAMORI_E_LIMIT;
	if (slash && n == 0)
		n = 1;	/* "/file": the root */
	memcpy(dir, slash ? path : ".", slash ? n : 1);
	dir[slash ? n : 1] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return MAMORI_E_IO;
	int rc = fsync(fd) != 0 && errno != EINVAL ? MAMORI_E_IO : MAMORI_OK;
	close(fd);
	return rc;
}

int
atomicfile_write(const char *path, mode_t mode, atomicfile_fill_fn fill, const void *arg,
    char *err, size_t errsz)
{
	char tmp[4096];
	FILE *f = NULL;
	int fd = -1, rc = MAMORI_E_IO;
	int n = snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);

	err[0] = '\0';
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		snprintf(err, errsz, "%s: path too long", path);
		return MAMORI_E_INVAL;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		snprintf(err, errsz, "cannot create %s: %s", tmp, strerror(errno));
		return MAMORI_E_IO;
	}
	if (fchmod(fd, mode) != 0 || !(f = fdopen(fd, "wb"))) {
		snprintf(err, errsz, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;	/* f owns it now */
	if ((rc = fill(f, arg, err, errsz)) != MAMORI_OK) {
		if (!err[0])
			snprintf(err, errsz, "cannot write %s: %s", tmp, err_str(rc));
		goto out;
	}
	rc = MAMORI_E_IO;
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		snprintf(err, errsz, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	int closed = fclose(f);
	f = NULL;
	if (closed != 0) {
		snprintf(err, errsz, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, errsz, "cannot create %s: %s", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';	/* nothing left to remove */
	if (sync_dir(path) != MAMORI_OK) {
		snprintf(err, errsz, "cannot sync the directory of %s: %s", path, strerror(errno));
		goto out;
	}
	rc = MAMORI_OK;
out:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (rc && tmp[0])
		unlink(tmp);
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
