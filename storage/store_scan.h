/*
 * store_scan.h - keeping scans: the inventory snapshot and findings of each
 * scan, and what changed since the host's previous scan.
 *
 * A scan is written in one transaction: store_scan_begin() ...
 * store_scan_add_*() ... store_scan_finish() commits, and anything that
 * fails in between leaves the database as it was (store_scan_abort()).
 */
#ifndef MAMORI_STORAGE_STORE_SCAN_H
#define MAMORI_STORAGE_STORE_SCAN_H

#include <stdint.h>

struct db;

struct store_scan {
	struct db *db;
	int64_t host_id;
	int64_t scan_id;
	int64_t prev_scan_id;	/* 0 when this is the host's first scan */
};

int store_scan_begin(struct db *db, const char *host_key, const char *hostname,
    int64_t started_at, const char *root, struct store_scan *out);
int store_scan_add_package(struct store_scan *s, const char *format,
    const char *name, const char *arch, const char *version);
int store_scan_add_listening(struct store_scan *s, const char *proto,
    const char *address, int port, const char *process);
int store_scan_add_admin(struct store_scan *s, const char *user, const char *via);
int store_scan_add_finding(struct store_scan *s, const char *check_id, int kajo,
    const char *severity, const char *title, const char *detail,
    const char *action, const char *evidence_json, const char *text_json);

enum store_change_kind {
	STORE_PKG_ADDED,
	STORE_PKG_REMOVED,
	STORE_PKG_CHANGED,
	STORE_LISTEN_ADDED,
	STORE_LISTEN_REMOVED,
	STORE_ADMIN_ADDED,
	STORE_ADMIN_REMOVED,
};

/* One difference; only the fields of its kind are set, the rest NULL/0. */
struct store_change {
	enum store_change_kind kind;
	const char *format, *name, *arch, *version, *old_version; /* packages */
	const char *proto, *address, *process;	/* listening */
	int port;
	const char *user, *via;			/* admins */
};

typedef int (*store_change_fn)(void *ctx, const struct store_change *c);

/* Calls fn for each difference to the previous scan (none on a first scan).
 * A non-zero return from fn stops and is returned. */
int store_scan_diff(struct store_scan *s, store_change_fn fn, void *ctx);

/* Attaches the finished report, commits, and drops scans beyond keep. */
int store_scan_finish(struct store_scan *s, const char *report_json, int score,
    int64_t duration_ms, int keep);
void store_scan_abort(struct store_scan *s);

/* The most recent stored report (any host); *json is from malloc(). */
int store_scan_last_report(struct db *db, int64_t *scan_id, char **json);

#endif
