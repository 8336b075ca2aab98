/*
 * store_logwin.h - the open correlation windows of a live log watch, kept
 * across restarts (migration 0023; Sigma correlations: 0024). A watch is named by a scope string.
 * A checkpoint replaces the scope's rows: store_logwin_reset, then one
 * store_logwin_put per window, inside the caller's transaction (the one
 * that also saves the read positions, so both come from the same moment).
 */
#ifndef MAMORI_STORAGE_STORE_LOGWIN_H
#define MAMORI_STORAGE_STORE_LOGWIN_H

#include <stddef.h>
#include <stdint.h>

struct db;

struct store_logwin {
	unsigned table;
	uint64_t key;
	int64_t active_ms;
	const void *data;
	size_t len;
};

/* A Sigma correlation group (detection/sigma_state.c's bytes), migration 0024. */
struct store_sigwin {
	const char *rule;
	int64_t last_ms;
	const void *data;
	size_t len;
};

/* Forgets the scope's windows (built-in and Sigma) and records the clock
 * they are saved at. */
int store_logwin_reset(struct db *db, const char *scope, int64_t clock_ms, int64_t now);
int store_logwin_put(struct db *db, const char *scope, const struct store_logwin *w);
/* The saved clock, or MAMORI_E_NOTFOUND when the scope has none. */
int store_logwin_clock(struct db *db, const char *scope, int64_t *clock_ms);
/* At most max windows of the scope active after since_ms, newest first. */
int store_logwin_each(struct db *db, const char *scope, int64_t since_ms, size_t max,
    int (*fn)(void *arg, const struct store_logwin *w), void *arg);

/* The n-th (0 = most recently used) Sigma group of the scope. */
int store_logwin_sigma_put(struct db *db, const char *scope, int64_t n, const struct store_sigwin *w);
/* The scope's Sigma groups with n < max, least recently used first. */
int store_logwin_sigma_each(struct db *db, const char *scope, size_t max,
    int (*fn)(void *arg, const struct store_sigwin *w), void *arg);

#endif
