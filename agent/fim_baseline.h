/*
 * fim_baseline.h - a set of walked entries and the comparison of two sets:
 * added, removed, modified (with which attributes changed) and
 * unverified (an entry that could not be read or changed while read now:
 * never reported as unchanged).
 */
#ifndef MAMORI_AGENT_FIM_BASELINE_H
#define MAMORI_AGENT_FIM_BASELINE_H

#include <stddef.h>

#include "agent/fim_walk.h"

/* An owned copy of a struct fim_entry. */
struct fim_record {
	char *path;
	char *link;
	enum fim_type type;
	enum fim_state state;
	int err;
	uint64_t size;
	uint32_t mode, uid, gid;
	int64_t mtime_ns;
	uint64_t inode;
	bool has_hash;
	unsigned char hash[FIM_HASH_LEN];
};

struct fim_set {
	struct fim_record *v;
	size_t n, cap;
	bool sorted;
};

void fim_set_init(struct fim_set *s);
void fim_set_free(struct fim_set *s);
/* Copies e (path, link) into the set. */
int fim_set_add(struct fim_set *s, const struct fim_entry *e);
int fim_set_add_record(struct fim_set *s, const struct fim_record *r);
/* Byte order of paths (what a merge needs; locale-independent). */
void fim_set_sort(struct fim_set *s);
/* Walks root and adds every entry. */
int fim_set_collect(struct fim_set *s, const char *root,
    const struct fim_walk_opts *opt);

enum fim_change_kind { FIM_ADDED, FIM_REMOVED, FIM_MODIFIED, FIM_UNVERIFIED };

enum fim_field {
	FIM_F_TYPE = 1 << 0, FIM_F_SIZE = 1 << 1, FIM_F_MODE = 1 << 2,
	FIM_F_OWNER = 1 << 3, FIM_F_MTIME = 1 << 4, FIM_F_INODE = 1 << 5,
	FIM_F_HASH = 1 << 6, FIM_F_LINK = 1 << 7,
};

struct fim_change {
	enum fim_change_kind kind;
	const struct fim_record *old;	/* NULL when added */
	const struct fim_record *cur;	/* NULL when removed */
	unsigned fields;		/* FIM_F_* for MODIFIED */
};

typedef int (*fim_change_fn)(void *arg, const struct fim_change *c);

/* What differs between two records of the same path (0 = nothing). */
unsigned fim_compare(const struct fim_record *old, const struct fim_record *cur);
/* Sorts both sets and reports every difference in path order. */
int fim_diff(struct fim_set *old, struct fim_set *cur, fim_change_fn fn, void *arg);

const char *fim_change_kind_name(enum fim_change_kind k);
/* "size,hash,mtime" into buf. */
void fim_fields_str(unsigned fields, char *buf, size_t n);

#endif
