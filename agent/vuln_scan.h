/*
 * vuln_scan.h - the vulnerabilities of one inventory: picks the advisory
 * set for the installed distribution release, matches every installed
 * source package, adds KEV/EPSS/CVSS/JVN and sorts fix-first. Shared by
 * `mamori vuln scan` and the updates.* checks of `mamori scan`.
 */
#ifndef MAMORI_AGENT_VULN_SCAN_H
#define MAMORI_AGENT_VULN_SCAN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "agent/inventory.h"
#include "common/arena.h"
#include "common/i18n.h"
#include "vuln/match.h"

struct db;

/* Older data than this is reported as stale (never refused). */
#define VULN_SCAN_STALE_DAYS 7

struct vuln_scan_warning {
	char *en;
	char *ja;
};

struct vuln_scan_source {
	char *kind, *origin;
	int64_t date;			/* feed date, else import time */
	bool stale;
};

/* One line of the fix list: a source package and everything it closes. */
struct vuln_scan_group {
	const struct match_source *source;
	size_t first;			/* index of its first result (fix-first) */
	size_t ncves, nfixable, nunfixed, nminor;
	bool kev;
	const char *fixed_version;	/* highest fixed version needed */
};

struct vuln_scan {
	struct arena *arena;
	const char *distro, *release;	/* the advisory set used; NULL if none */
	bool have_data;			/* advisories exist for this release */
	struct vec sources;		/* struct vuln_scan_source */
	struct vec installed;		/* struct match_source */
	struct vec results;		/* struct match_result, fix-first */
	struct vec groups;		/* struct vuln_scan_group, fix-first */
	struct vec warnings;		/* struct vuln_scan_warning */
	size_t nkev, nfixable, nunfixed, nminor;
	size_t nnot_in_mirror;		/* fixable, but the lists lack the fix
					 * (vuln_mirror_check) */
	int64_t match_ms;		/* time spent matching (monotonic) */
};

/*
 * Fills vs. Data problems (no import yet, stale, unknown release) are
 * warnings in vs->warnings, never errors; errors are MAMORI_E_NOMEM and
 * MAMORI_E_DB.
 */
int vuln_scan_run(struct vuln_scan *vs, struct db *db,
    const struct inventory *inv, time_t now, struct arena *arena);

/* The action for a result, in both languages, and the exact command
 * ("" when there is none). Strings live in the arena. */
/* Fills each result's description (JSON and SARIF print it; text does not),
 * reading the CVEs in order so each stored page is read once. */
int vuln_scan_describe(struct vuln_scan *vs, struct db *db);

struct vuln_scan_action {
	const char *en, *ja;
	const char *command;
	bool reboot;
};
int vuln_scan_action(struct arena *a, const struct match_result *r,
    struct vuln_scan_action *out);
/* A group's action: one upgrade to the highest fixed version it needs. */
int vuln_scan_group_action(const struct vuln_scan *vs, const struct vuln_scan_group *g,
    struct arena *a, struct vuln_scan_action *out);

#endif
