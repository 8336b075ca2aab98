/*
 * store_assess.h - the self-assessment's answers and history, the state of
 * the basic security policy, and the stored scans the assessment and the
 * monthly report read their evidence from, each of one tenant.
 */
#ifndef MAMORI_STORAGE_STORE_ASSESS_H
#define MAMORI_STORAGE_STORE_ASSESS_H

#include <stdbool.h>
#include <stdint.h>

struct db;

#define STORE_ASSESS_ITEMS 25

/* The owner's current answers: the newest row per item. */
struct store_assess_manual {
	bool have[STORE_ASSESS_ITEMS];	/* a manual answer is in force */
	int answer[STORE_ASSESS_ITEMS];	/* 4, 2, 0 or -1 when have */
	int64_t at[STORE_ASSESS_ITEMS];	/* when it was given */
};
int store_assess_manual_load(struct db *db, int64_t tenant_id, struct store_assess_manual *out);

/* One answer to record; cleared = back to the evidence (answer ignored). */
struct store_assess_change {
	int item_no;			/* 1..25 */
	int answer;
	bool cleared;
};

/* One snapshot of the whole assessment. */
struct store_assess_snapshot {
	int64_t id;
	int64_t created_at;
	int64_t scan_id;		/* 0 = no scan evidence */
	int total;
	int answered;
	const char *band;
	const char *doc_json;
};

/*
 * Records the changes (may be none) and the snapshot in one transaction;
 * snap->id is set. by names who answered (login name), may be "".
 */
int store_assess_save(struct db *db, int64_t tenant_id, const char *by,
    const struct store_assess_change *changes, int nchanges,
    struct store_assess_snapshot *snap);

typedef int (*store_assess_snapshot_fn)(void *ctx,
    const struct store_assess_snapshot *s);
/* Every snapshot, oldest first (doc_json NULL: use _before for it). */
int store_assess_history(struct db *db, int64_t tenant_id, store_assess_snapshot_fn fn, void *ctx);
/* The newest snapshot created before t, with doc_json; NOTFOUND if none. */
int store_assess_before(struct db *db, int64_t tenant_id, int64_t t, store_assess_snapshot_fn fn,
    void *ctx);

/* No row yet is not an error: zeros and NULLs. MAMORI_E_NOMEM when a copy fails. */
struct store_assess_policy {
	int64_t drafted_at;		/* 0 = never */
	char *draft_path;		/* malloc'd or NULL */
	int64_t published_at;		/* 0 = not published */
	char *published_where;		/* malloc'd or NULL */
};
int store_assess_policy_get(struct db *db, int64_t tenant_id, struct store_assess_policy *out);
void store_assess_policy_release(struct store_assess_policy *p);
int store_assess_policy_drafted(struct db *db, int64_t tenant_id, int64_t at, const char *path);
int store_assess_policy_published(struct db *db, int64_t tenant_id, int64_t at, const char *where);

/* A stored scan as the assessment and the report read it. */
struct store_assess_scan {
	int64_t scan_id;
	int64_t host_id;
	const char *hostname;
	int64_t started_at;
	int score;			/* -1 when not stored */
	const char *report_json;	/* the scan's --json document */
};
typedef int (*store_assess_scan_fn)(void *ctx, const struct store_assess_scan *s);

/* The newest scan of each host started before t (t <= 0: any time), by host. */
int store_assess_latest_scans(struct db *db, int64_t tenant_id, int64_t before, store_assess_scan_fn fn,
    void *ctx);
/* Each check's stored text ({"en": {title, ...}, "ja": ...}) among the
 * tenant's findings of scans started before t, one row per check. */
typedef int (*store_assess_text_fn)(void *ctx, const char *check_id, const char *text_json);
int store_assess_finding_texts(struct db *db, int64_t tenant_id, int64_t before,
    store_assess_text_fn fn, void *ctx);
/* Every scan started in [from, to), oldest first. */
int store_assess_scans_between(struct db *db, int64_t tenant_id, int64_t from, int64_t to,
    store_assess_scan_fn fn, void *ctx);
/* The calendar months (UTC, "YYYY-MM") holding a stored scan report, newest
 * first, at most limit, with the number of scans and computers in each. */
typedef int (*store_assess_month_fn)(void *ctx, const char *month, int scans, int hosts);
int store_assess_scan_months(struct db *db, int64_t tenant_id, int limit, store_assess_month_fn fn,
    void *ctx);

#endif
