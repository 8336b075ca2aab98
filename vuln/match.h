/*
 * match.h - deciding which advisories apply to installed packages. Pure:
 * no I/O, no database; the caller fetches advisory rows and enrichment.
 *
 * Distribution advisories are per *source* package, so installed binaries
 * are first grouped by (source, source version); each group is compared
 * with the fixed version by the package format's own ordering.
 */
#ifndef MAMORI_VULN_MATCH_H
#define MAMORI_VULN_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "common/arena.h"
#include "vuln/version.h"

enum match_state {
	MATCH_FIXABLE,		/* a fixed version newer than the installed one exists */
	MATCH_UNFIXED,		/* affected, no fix yet */
	MATCH_MINOR,		/* the distribution calls it unimportant / no-DSA / ignored */
};

const char *match_state_name(enum match_state s);

/* Installed binaries built from one source package at one version. */
struct match_source {
	const char *name;		/* source name as advisories use it */
	const char *version;		/* installed source version */
	enum version_format format;
	struct vec binaries;		/* const char *: binary package names */
	/* The highest version of its binaries the host's package lists
	 * (apt's mirror indexes) offer; NULL when unknown. */
	const char *available;
};

/* A fix exists but the package lists do not offer it yet (the mirror or
 * the configured suites are behind): "fixed upstream, not in your
 * mirror". False when the lists are unknown. */
bool match_fix_missing(const struct match_source *src, const char *fixed_version);

/* An installed binary package, as the inventory describes it. */
struct match_pkg {
	const char *format;		/* "deb", "rpm", "apk" */
	const char *name;
	const char *version;
	const char *source;		/* NULL or "" = name */
	const char *source_version;	/* NULL or "" = version */
	const char *status;		/* dpkg status word; NULL = installed */
};

/*
 * Groups installed packages (status "installed" or
 * half-way states; "config-files" and "not-installed" are skipped) into
 * struct match_source, sorted by source name. Kernel images built by
 * linux-signed-* count as source "linux" at their binary version, which is
 * the version of the linux source they were signed from.
 */
int match_group(struct arena *a, const struct match_pkg *pkgs, size_t n,
    struct vec *out);

/* One advisory row for a source package. */
struct match_advisory {
	const char *cve;
	const char *status;		/* resolved, open, undetermined, not-affected */
	const char *fixed_version;	/* NULL or "" when none */
	const char *urgency;		/* NULL when none */
	bool minor;			/* unimportant / no-DSA / ignored */
	const char *ranges;		/* NULL, or OSV ranges (match_range.h) */
};

/* What match_eval decided for an advisory that applies. */
struct match_verdict {
	enum match_state state;
	const char *fixed_version;	/* NULL when no fix; may point into buf */
	char buf[256];
};

/* True when the advisory applies to src (then *out is set); false when it
 * does not (not affected, or the installed version has the fix). With
 * ranges, the fix is the one of the range the installed version is in. */
bool match_eval(const struct match_source *src, const struct match_advisory *adv,
    struct match_verdict *out);

/* One finding; the enrichment fields are filled by the caller. */
struct match_result {
	const struct match_source *source;
	const char *cve;
	const char *fixed_version;	/* NULL when no fix */
	const char *urgency;
	enum match_state state;
	bool kev;
	bool kev_ransomware;
	const char *kev_date_added, *kev_due_date, *kev_name;
	double epss;			/* < 0 unknown */
	double epss_percentile;		/* < 0 unknown */
	double cvss;			/* < 0 unknown */
	const char *severity;		/* match_severity() */
	int severity_rank;		/* set by match_sort() from severity */
	const char *description;
	const char *jvn_id, *jvn_title, *jvn_link;
};

/* "critical", "high", "medium", "low" or "unknown": the stated severity,
 * else from the CVSS score, else from the distribution urgency. */
const char *match_severity(const char *severity, double cvss, const char *urgency);
/* 4 (critical) .. 0 (unknown). */
int match_severity_rank(const char *severity);

/* Fix-first order: KEV, then EPSS (high first), then severity, then CVSS,
 * then CVE id (newest first) and source name, so the order is total. */
void match_sort(struct match_result *r, size_t n);

#endif
