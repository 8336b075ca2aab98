/*
 * store_logpos.h - read positions of live log inputs (files and the
 * journal), kept across restarts.
 *
 * An input is named by a key ("file:" + path, "journal:" + directory).
 * store_logpos_put replaces the row; callers batch puts in a transaction
 * (db_begin/db_commit) when they save several inputs at once.
 */
#ifndef MAMORI_STORAGE_STORE_LOGPOS_H
#define MAMORI_STORAGE_STORE_LOGPOS_H

#include <stdint.h>

struct db;

#define STORE_LOGPOS_HASH 32
#define STORE_LOGPOS_CURSOR 1024

struct store_logpos {
	uint64_t dev, inode, offset;
	uint32_t head_len;			/* bytes hashed into head_hash */
	unsigned char head_hash[STORE_LOGPOS_HASH];
	char cursor[STORE_LOGPOS_CURSOR];	/* "" for files */
};

/* MAMORI_E_NOTFOUND when the input has no saved position. */
int store_logpos_get(struct db *db, const char *input, struct store_logpos *out);
int store_logpos_put(struct db *db, const char *input, const struct store_logpos *p,
    int64_t now);

#endif
