/*
 * db_pool.h - read-only database handles for the manager's GET routes.
 *
 * In WAL mode readers run beside the one writer and beside each other, so
 * a dashboard page's parallel requests need not wait for one another (one
 * handle under one lock serialised them). A handle's cached statements
 * belong to it: db_pool_get() lends one to a single thread until
 * db_pool_put(). Writes keep their own handle and lock.
 */
#ifndef MAMORI_STORAGE_DB_POOL_H
#define MAMORI_STORAGE_DB_POOL_H

#include <stddef.h>

struct db;
struct db_pool;

#define DB_POOL_MAX 64

/* size handles (1..DB_POOL_MAX) on path, which must exist and be migrated
 * to this binary's schema (the writer opens it first). */
int db_pool_open(const char *path, int size, struct db_pool **out, char *err, size_t errsz);
void db_pool_close(struct db_pool *p);
/* Waits until a handle is free. */
struct db *db_pool_get(struct db_pool *p);
void db_pool_put(struct db_pool *p, struct db *db);

#endif
