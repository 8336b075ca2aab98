/*
 * rootfs.h - reading files below a root directory.
 *
 * Every inventory collector and check reads through a struct rootfs, so the
 * same code scans this machine ("/"), a mounted disk, a container's root
 * filesystem or a debootstrap tree. Paths are given as absolute paths of the
 * scanned system ("/etc/passwd"). Symbolic links are resolved inside the
 * root (openat2 RESOLVE_IN_ROOT), so an absolute link in an offline tree
 * never escapes to the scanning machine's own files.
 */
#ifndef MAMORI_COMMON_ROOTFS_H
#define MAMORI_COMMON_ROOTFS_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "common/arena.h"
#include "common/span.h"

struct rootfs {
	int fd;			/* O_PATH|O_DIRECTORY descriptor of the root */
	char path[4096];	/* the root as given, for messages */
	bool live;		/* root is "/": /proc and sockets are this machine's */
	bool in_root;		/* openat2(RESOLVE_IN_ROOT) is available */
};

/* Opens a root directory. MAMORI_E_NOTFOUND / MAMORI_E_IO when it is not a
 * readable directory. */
int rootfs_open(struct rootfs *r, const char *path);
void rootfs_close(struct rootfs *r);

/* Opens a file below the root; returns a descriptor or a negative error. */
int rootfs_openat(const struct rootfs *r, const char *path, int flags);

/*
 * Reads a whole regular file into the arena, NUL-terminated (the NUL is not
 * counted in out->len). A file larger than max is MAMORI_E_LIMIT; a missing
 * file MAMORI_E_NOTFOUND; a non-regular file MAMORI_E_INVAL (so a FIFO or a
 * device given as a configuration file cannot block the scan).
 * Files in /proc and /sys report size 0, so they are read until EOF.
 */
int rootfs_read(const struct rootfs *r, const char *path, size_t max,
    struct arena *a, struct span *out);

/* Like rootfs_read but into memory from malloc(); *buf must be free()d. */
int rootfs_read_malloc(const struct rootfs *r, const char *path, size_t max,
    char **buf, size_t *len);

/* lstat() (follow=false) or stat() of a path below the root. */
int rootfs_stat(const struct rootfs *r, const char *path, struct stat *st,
    bool follow);

/* Opens a directory below the root for readdir(); NULL with errno set. */
DIR *rootfs_opendir(const struct rootfs *r, const char *path);

/* Reads a symbolic link's target (NUL-terminated, truncated to size-1). */
int rootfs_readlink(const struct rootfs *r, const char *path, char *buf,
    size_t size);

/* True when the path exists below the root (links followed). */
bool rootfs_exists(const struct rootfs *r, const char *path);

#endif
