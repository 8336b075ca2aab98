/*
 * fim_walk.h - walking a tree for the integrity baseline, safely.
 *
 * Every directory is opened relative to the walk's root with openat2
 * (RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH) and every file with openat +
 * O_NOFOLLOW on its directory's descriptor; what is reported is the
 * fstat() of that descriptor, so a file swapped between listing and
 * reading is never attributed the wrong metadata. Symbolic links are
 * recorded, never followed. Pending directories live on an explicit heap
 * stack, so depth is bounded by memory, not by the C stack or by open
 * descriptors (one directory is open at a time).
 *
 * A file that cannot be read, vanishes or changes while it is hashed is
 * reported with that state - never as an ordinary (unchanged-looking)
 * entry.
 */
#ifndef MAMORI_AGENT_FIM_WALK_H
#define MAMORI_AGENT_FIM_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/fim_hash.h"

enum fim_type {
	FIM_T_FILE, FIM_T_DIR, FIM_T_SYMLINK, FIM_T_FIFO, FIM_T_SOCK,
	FIM_T_CHR, FIM_T_BLK, FIM_T_OTHER
};

enum fim_state {
	FIM_S_OK,		/* metadata and (for files) content hash known */
	FIM_S_UNREADABLE,	/* metadata known, content (or listing) not */
	FIM_S_VANISHED,		/* listed, gone before it could be opened */
	FIM_S_CHANGING,		/* changed while it was read: hash unreliable */
};

struct fim_entry {
	const char *path;	/* as reported: root + "/" + relative */
	enum fim_type type;
	enum fim_state state;
	int err;		/* errno behind UNREADABLE/VANISHED, else 0 */
	uint64_t size;
	uint32_t mode;		/* permission bits incl. setuid/setgid/sticky */
	uint32_t uid, gid;
	int64_t mtime_ns;
	uint64_t inode;
	bool has_hash;		/* files (content) and symlinks (target) */
	unsigned char hash[FIM_HASH_LEN];
	const char *link;	/* symlink target, else NULL */
	bool mountpoint;	/* another filesystem: not descended into */
};

struct fim_walk_opts {
	bool hash;		/* hash regular files */
	bool xdev;		/* stay on the root's filesystem */
	uint64_t max_entries;	/* 0 = no cap */
	unsigned threads;	/* reader threads hashing in parallel (fim_pool.h);
				 * 0 or 1: hash on the walking thread. Entries
				 * then arrive in no particular order. */
};

/* Called for every entry; the strings live until the callback returns.
 * A non-zero return stops the walk and is returned. */
typedef int (*fim_walk_fn)(void *arg, const struct fim_entry *e);

/*
 * Walks root (a directory or a single file). Returns 0, the callback's
 * value, MAMORI_E_NOTFOUND when root does not exist, MAMORI_E_LIMIT at
 * max_entries, MAMORI_E_NOMEM.
 */
int fim_walk(const char *root, const struct fim_walk_opts *opt,
    fim_walk_fn fn, void *arg);

const char *fim_type_name(enum fim_type t);
const char *fim_state_name(enum fim_state s);
enum fim_type fim_type_of_mode(uint32_t st_mode);

#endif
