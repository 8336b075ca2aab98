/*
 * store_manager.h - what the manager's API and dashboard read (hosts,
 * scans, findings, the score over time, vulnerabilities in fix-first order,
 * accounts), always scoped by tenant.
 *
 * Every function takes the tenant of the caller's session; a row of another
 * tenant is never returned (a scan id of another tenant is NOTFOUND, the
 * same answer as an id that does not exist). Rows are handed to a callback;
 * their strings live until the callback returns.
 */
#ifndef MAMORI_STORAGE_STORE_MANAGER_H
#define MAMORI_STORAGE_STORE_MANAGER_H

#include <stdbool.h>
#include <stdint.h>

struct db;

struct store_mgr_host {
	int64_t id;
	const char *hostname;
	int64_t first_seen, last_seen;
	int64_t last_scan_id;	/* 0: no stored report */
	int score;		/* -1: unknown */
	const char *summary_json;	/* {kajo, os, packages} of that scan, or "null" */
	const char *findings_json;	/* {"kajo": count} of that scan's findings */
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
	/* title, detail and action are "" when text_json holds them (stored once). */
	const char *severity, *title, *detail, *action;
	const char *evidence_json;	/* "null" unless asked for */
	const char *text_json;	/* {"en": {title, detail, action}, "ja": ...} or "null" */
};

/* Which findings: one host's or all (host_id 0), a page of them. */
struct store_mgr_findings_query {
	int64_t host_id;
	int64_t limit, offset;
	bool evidence;
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
    const struct store_mgr_findings_query *q, store_mgr_finding_fn fn, void *ctx);
/* One stored scan's overall score. */
struct store_mgr_point {
	int64_t scan_id, host_id;
	const char *hostname;
	int64_t started_at;
	int score;
};
typedef int (*store_mgr_point_fn)(void *ctx, const struct store_mgr_point *p);
/* The newest `limit` scored scans of the tenant, newest first. */
int store_manager_trend(struct db *db, int64_t tenant_id, int limit,
    store_mgr_point_fn fn, void *ctx);

/* One vulnerability of a host's newest vulnerability-checked scan. */
struct store_mgr_vuln {
	int64_t host_id, scan_id;
	const char *hostname;
	int64_t checked_at;
	const char *cve, *package, *state;	/* state: fixable, unfixed, minor */
	const char *description;	/* NULL when unknown */
	double cvss;			/* < 0 when unknown */
	const char *severity;		/* NULL when unknown */
	bool kev, kev_ransomware;
	const char *kev_due_date, *kev_required_action;
	double epss;			/* < 0 when unknown */
	const char *jvn_title_ja;	/* NULL when no JVN advisory */
};
typedef int (*store_mgr_vuln_fn)(void *ctx, const struct store_mgr_vuln *v);
/*
 * The first `limit` in fix-first order: known exploited (CISA KEV) first,
 * then those with an update available, then by exploit likelihood (EPSS)
 * and CVSS. A host never checked for vulnerabilities has no rows.
 * kev_rows is the kev count of store_manager_vuln_counts: when it covers
 * `limit`, only the known exploited rows are sorted.
 */
int store_manager_vulns(struct db *db, int64_t tenant_id, int limit, int64_t kev_rows,
    store_mgr_vuln_fn fn, void *ctx);
/* Counts over all of them, and the hosts with a vulnerability-checked scan. */
struct store_mgr_vuln_counts {
	int64_t hosts_checked, total, kev, fixable;
};
int store_manager_vuln_counts(struct db *db, int64_t tenant_id,
    struct store_mgr_vuln_counts *out);

struct store_mgr_user {
	int64_t id;
	const char *name, *role;
	int64_t created_at;
	int64_t last_seen;	/* newest session activity; 0 when none */
};
typedef int (*store_mgr_user_fn)(void *ctx, const struct store_mgr_user *u);
int store_manager_users(struct db *db, int64_t tenant_id, store_mgr_user_fn fn,
    void *ctx);

/* Hosts of all tenants, for /metrics. */
int store_manager_host_count(struct db *db, int64_t *n);

#endif
