/*
 * store_fim.h - integrity baselines in the database.
 *
 * A baseline belongs to a root path; "fim init" replaces the root's
 * entries in one transaction (store_fim_begin ... store_fim_put ...
 * store_fim_commit), so an interrupted init leaves the previous baseline.
 */
#ifndef MAMORI_STORAGE_STORE_FIM_H
#define MAMORI_STORAGE_STORE_FIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

struct store_fim_row {
	const char *path;
	const char *type;	/* "file", "dir", ... */
	const char *state;	/* "ok", "unreadable", ... */
	int err;
	uint64_t size;
	uint32_t mode, uid, gid;
	int64_t mtime_ns;
	uint64_t inode;
	const unsigned char *hash;	/* 32 bytes or NULL */
	const char *link;		/* NULL unless a symlink */
};

/* Starts replacing root's baseline; *root_id is used by store_fim_put. */
int store_fim_begin(struct db *db, const char *root, int64_t now, int64_t *root_id);
int store_fim_put(struct db *db, int64_t root_id, const struct store_fim_row *r);
int store_fim_commit(struct db *db, int64_t root_id, int64_t entries);
void store_fim_abort(struct db *db);

typedef int (*store_fim_fn)(void *arg, const struct store_fim_row *r);
/* Calls fn for every entry of root's baseline. MAMORI_E_NOTFOUND when
 * there is none; *created_at gets its time. */
int store_fim_load(struct db *db, const char *root, int64_t *created_at,
    store_fim_fn fn, void *arg);

#endif
