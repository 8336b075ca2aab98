/*
 * feed_record.h - the records a vulnerability feed yields, as plain data.
 *
 * vuln/ parses feeds into these and storage/ writes them; both are peers
 * above common/, so the shared shape lives here and neither includes the
 * other. Strings are borrowed: valid only during the callback that gets
 * the record.
 */
#ifndef MAMORI_COMMON_FEED_RECORD_H
#define MAMORI_COMMON_FEED_RECORD_H

/* One (distro, release, package, CVE) state. */
struct feed_pkg {
	const char *kind;	/* source kind it belongs to: debian-tracker, osv-debian:12 */
	const char *distro;	/* debian, ubuntu, alpine, or the OSV ecosystem (PyPI, npm) */
	const char *release;	/* bookworm, 22.04, v3.19; "" for language ecosystems */
	const char *package;	/* source package for distros */
	const char *cve;
	const char *status;	/* resolved, open, undetermined, not-affected */
	const char *fixed_version; /* or NULL; "0" with not-affected */
	const char *urgency;	/* or NULL */
	int minor;		/* unimportant, no-DSA, postponed or ignored */
	/* or NULL: OSV events when one fixed version cannot describe the
	 * record (several ranges, an explicit version list); see feed_osv.c */
	const char *ranges;
};

struct feed_cve {
	const char *cve;
	const char *description;	/* or NULL */
};

struct feed_kev {
	const char *cve, *vendor, *product, *name, *date_added, *due_date;
	const char *required_action;
	int ransomware;		/* knownRansomwareCampaignUse == "Known" */
};

struct feed_epss {
	const char *cve;
	double epss, percentile;	/* percentile < 0 when the feed has none */
};

struct feed_jvn {
	const char *jvn_id, *cve, *title_ja, *link;
	const char *published;	/* or NULL */
};

#endif
