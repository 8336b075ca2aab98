/*
 * atomicfile.h - replace a file whole or not at all.
 *
 * The new contents go to a temporary file beside the target (same
 * directory, so rename() is atomic), which is flushed, fsync()ed and then
 * renamed over the target; the directory is fsync()ed so the rename itself
 * survives a power cut. On any failure the temporary file is removed and the
 * target is left as it was: a reader sees the old file or the new one,
 * never half of one.
 */
#ifndef MAMORI_COMMON_ATOMICFILE_H
#define MAMORI_COMMON_ATOMICFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Writes the contents to f; 0 or a negative MAMORI_E_* (may set err). */
typedef int (*atomicfile_fill_fn)(FILE *f, const void *arg, char *err, size_t errsz);

/* path is created or replaced with mode (not masked by the umask). err gets
 * a message naming the file on failure. */
int atomicfile_write(const char *path, mode_t mode, atomicfile_fill_fn fill, const void *arg,
    char *err, size_t errsz);
/* The same with len bytes of data as the contents. */
int atomicfile_write_mem(const char *path, mode_t mode, const void *data, size_t len,
    char *err, size_t errsz);
/* The same for name (no '/') in the open directory dirfd, for a caller
 * that holds its directory open (the agent's spool); dirfd is fsync()ed. */
int atomicfile_write_at(int dirfd, const char *name, mode_t mode, atomicfile_fill_fn fill,
    const void *arg, char *err, size_t errsz);
int atomicfile_write_mem_at(int dirfd, const char *name, mode_t mode, const void *data,
    size_t len, char *err, size_t errsz);

#endif
