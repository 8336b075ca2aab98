/*
 * store_manager.h - what the manager's API reads, always scoped by tenant.
 *
 * Every function takes the tenant of the caller's session; a row of another
 * tenant is never returned (a scan id of another tenant is NOTFOUND, the
 * same answer as an id that does not exist). Rows are handed to a callback;
 * their strings live until the callback returns.
 */
#ifndef MAMORI_STORAGE_STORE_MANAGER_H
#define MAMORI_STORAGE_STORE_MANAGER_H

#include <stdint.h>

struct db;

struct store_mgr_host {
	int64_t id;
	const char *hostname;
	int64_t first_seen, last_seen;
	int64_t last_scan_id;	/* 0: no stored report */
	int score;		/* -1: unknown */
};

struct store_mgr_scan {
	int64_t scan_id, host_id;
	const char *hostname;
	int64_t started_at;
	int64_t duration_ms;
	int score;		/* -1: unknown */
	const char *report_json;
};

struct store_mgr_finding {
	int64_t scan_id, host_id;
	const char *hostname;
	const char *check_id;
	int kajo;
	const char *severity, *title, *detail, *action, *evidence_json;
};

typedef int (*store_mgr_host_fn)(void *ctx, const struct store_mgr_host *h);
typedef int (*store_mgr_scan_fn)(void *ctx, const struct store_mgr_scan *s);
typedef int (*store_mgr_finding_fn)(void *ctx, const struct store_mgr_finding *f);

int store_manager_hosts(struct db *db, int64_t tenant_id, store_mgr_host_fn fn,
    void *ctx);
/* The newest stored `mamori scan` report of each host of the tenant. */
int store_manager_latest_scans(struct db *db, int64_t tenant_id,
    store_mgr_scan_fn fn, void *ctx);
/* One scan by id; MAMORI_E_NOTFOUND when missing or of another tenant. */
int store_manager_scan(struct db *db, int64_t tenant_id, int64_t scan_id,
    store_mgr_scan_fn fn, void *ctx);
/* The findings of each host's newest scan, most severe first. */
int store_manager_findings(struct db *db, int64_t tenant_id,
    store_mgr_finding_fn fn, void *ctx);
/* Hosts of all tenants, for /metrics. */
int store_manager_host_count(struct db *db, int64_t *n);

#endif
