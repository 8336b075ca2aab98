/*
 * fim_visit.h - what the integrity walk does with one entry, shared by the
 * serial walk (fim_walk.c) and the parallel one (fim_pool.c).
 *
 * A directory is opened relative to the walk's root with openat2
 * (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) and checked against the dev/ino
 * its parent's listing saw; a file is opened with openat + O_NOFOLLOW on
 * its directory's descriptor and what is reported is the fstat() of that
 * descriptor, re-checked after hashing. Everything here is safe to run on
 * several threads at once, each with its own struct fim_visit.
 */
#ifndef MAMORI_AGENT_FIM_VISIT_H
#define MAMORI_AGENT_FIM_VISIT_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "agent/fim_walk.h"

/* What every thread of one walk shares, read-only once the walk starts. */
struct fim_visit_root {
	const struct fim_walk_opts *opt;
	int rootfd;
	dev_t dev;		/* the root's filesystem (xdev) */
	bool no_openat2;	/* probed once: old kernel or seccomp filter */
};

/* One thread's state: its hash buffer and symlink target. */
struct fim_visit {
	const struct fim_visit_root *root;
	struct fim_hasher hasher;
	char link[PATH_MAX + 1];
};

/* A directory listed but not yet opened. */
struct fim_visit_pending {
	char *rel;		/* relative to the root; "" is the root */
	dev_t dev;
	ino_t ino;
};

/* Pending directories on the heap: depth and breadth are bounded by
 * memory, not by the C stack or by open descriptors. */
struct fim_visit_stack {
	struct fim_visit_pending *v;
	size_t n, cap;
};

/* Copies rel. */
int fim_visit_push(struct fim_visit_stack *s, const char *rel, dev_t dev, ino_t ino);
/* false when empty; the caller frees pd->rel. */
bool fim_visit_pop(struct fim_visit_stack *s, struct fim_visit_pending *pd);
void fim_visit_stack_free(struct fim_visit_stack *s);

/* Probes openat2 on rootfd and fills r. */
void fim_visit_root_init(struct fim_visit_root *r, const struct fim_walk_opts *opt,
    int rootfd, dev_t dev);
int fim_visit_init(struct fim_visit *v, const struct fim_visit_root *r);
void fim_visit_release(struct fim_visit *v);

/*
 * Examines name in the directory dfd (listed with dtype and inode ino,
 * DT_UNKNOWN and 0 when not known) and fills *e (its strings live in v).
 * A directory to walk into sets *descend and its lstat in *st and is not
 * reported now: it is reported when it is opened (fim_visit_dir). Returns
 * 0 or MAMORI_E_NOMEM.
 */
int fim_visit_child(struct fim_visit *v, int dfd, const char *name,
    unsigned char dtype, uint64_t ino, struct fim_entry *e, bool *descend,
    struct stat *st);
/*
 * Opens the pending directory rel (listed with dev/ino) and fills *e,
 * which is always reported. Returns the descriptor to list, or -1 when
 * e says why it cannot be (unreadable, vanished, replaced).
 */
int fim_visit_dir(const struct fim_visit_root *r, const char *rel, dev_t dev,
    ino_t ino, struct fim_entry *e);
/* "." and ".." are not entries. */
bool fim_visit_skip(const char *name);
/* parent + "/" + name into *buf (grown; "" parent gives name). */
int fim_visit_join(char **buf, size_t *cap, const char *parent, size_t plen,
    const char *name);

#endif
