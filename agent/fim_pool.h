/*
 * fim_pool.h - a few reader threads that hash files for fim_walk.
 *
 * The walker stays the only one that lists directories and opens files
 * (openat + O_NOFOLLOW + fstat, unchanged); a worker only reads and hashes
 * the descriptor it is handed, then re-checks fstat like the serial path.
 * Several reads in flight keep the disk busy on a cold cache and both
 * cores hashing on a warm one. Finished entries come back to the walker's
 * thread, which alone calls the walk callback, so callers need no locks.
 * Memory is bounded: at most 2 x threads jobs exist (each one open
 * descriptor and one path), and each thread owns one FIM_HASH_BUF buffer.
 *
 * Threads rather than io_uring: no new dependency, works under seccomp
 * profiles and old kernels, and the per-file work (open by the walker,
 * read, hash) keeps its safety properties as is.
 */
#ifndef MAMORI_AGENT_FIM_POOL_H
#define MAMORI_AGENT_FIM_POOL_H

#include <sys/stat.h>

#include "agent/fim_walk.h"

#define FIM_POOL_MAX_THREADS 16
/* The thread count is the fim.threads setting (default 4: enough reads in
 * flight for an SSD or a virtual disk on a cold cache, and no more threads
 * than a small server has use for on a warm one). */

/* A file opened and fstat()ed by the walker, waiting to be hashed. */
struct fim_job {
	struct fim_entry e;	/* metadata filled; path unset */
	char *rel;		/* malloc()ed; freed by the pool */
	int fd;			/* closed by the worker */
	struct stat st;		/* the fstat the entry was filled from */
	int rc;			/* MAMORI_E_NOMEM from the hasher, else 0 */
	struct fim_job *next;
};

struct fim_pool;

/* Called on the walker's thread for each finished job; a non-zero return
 * is kept and returned by later fim_pool calls (jobs still finish). */
typedef int (*fim_pool_done_fn)(void *arg, struct fim_job *j);

/* threads 2..FIM_POOL_MAX_THREADS; MAMORI_E_NOMEM when threads cannot start. */
int fim_pool_start(struct fim_pool **out, unsigned threads, fim_pool_done_fn done, void *arg);
/* Hands j (from malloc) over; may first wait for and deliver finished
 * jobs. Returns the first non-zero value of done so far. */
int fim_pool_submit(struct fim_pool *p, struct fim_job *j);
/* Delivers the jobs finished so far without waiting. */
int fim_pool_poll(struct fim_pool *p);
/* Waits for every job, delivers them, stops the threads, frees p. */
int fim_pool_finish(struct fim_pool *p);

#endif
