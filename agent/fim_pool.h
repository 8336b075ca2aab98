/*
 * fim_pool.h - the integrity walk on several threads.
 *
 * On a cold cache a walk is a chain of small reads (directory blocks,
 * inodes, the first block of each small file), each one a disk round
 * trip; on one thread they queue up behind each other. Here every thread
 * both lists directories and examines entries (fim_visit: openat +
 * O_NOFOLLOW, fstat on the descriptor, read and hash, fstat again), so as
 * many reads are in flight as there are threads, and on a warm cache the
 * cores share the hashing.
 *
 * Found entries are handed back to the caller's thread, which alone calls
 * emit, so callers need no locks. The order of entries depends on thread
 * timing; what is found does not (callers that store or compare sort).
 *
 * Memory is bounded apart from the pending-directory stack, as in the
 * serial walk: at most 2 x threads + 4 directories are listed and open at
 * once (their names held until examined), FIM_POOL_FOUND entries wait
 * for the caller (plus at most 64 a thread, handed over in runs), and
 * each thread owns one FIM_HASH_BUF buffer.
 */
#ifndef MAMORI_AGENT_FIM_POOL_H
#define MAMORI_AGENT_FIM_POOL_H

#include <sys/types.h>

#include "agent/fim_visit.h"
#include "agent/fim_walk.h"

#define FIM_POOL_MAX_THREADS 64
#define FIM_POOL_FOUND 4096

/* Called on the caller's thread for each entry (e->path unset); a
 * non-zero return stops the walk and is returned. */
typedef int (*fim_pool_emit_fn)(void *arg, struct fim_entry *e, const char *rel);

/*
 * Walks the directory r->rootfd (inode root_ino) with threads threads
 * (2..FIM_POOL_MAX_THREADS). Returns 0, emit's value, MAMORI_E_NOMEM.
 * Every thread has finished and every descriptor is closed on return.
 */
int fim_pool_walk(const struct fim_visit_root *r, unsigned threads, ino_t root_ino,
    fim_pool_emit_fn emit, void *arg);

#endif
