/*
 * feed.h - vulnerability feeds: recognise the format from the bytes, then
 * stream the records to callbacks.
 *
 * Every parser pulls its input through a feed_reader in chunks and keeps
 * only the current record, so a 70 MB tracker file costs a few hundred KB.
 * Strings handed to the callbacks are NUL-terminated, valid until the
 * callback returns, and never NULL unless the field says "or NULL".
 * A syntax error or a truncated file is MAMORI_E_PARSE with a message in
 * sink->err; a record that is merely odd (no CVE id, unknown ecosystem)
 * is skipped and counted in sink->skipped.
 */
#ifndef MAMORI_VULN_FEED_H
#define MAMORI_VULN_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "common/span.h"
#include "common/feed_record.h"

enum feed_format {
	FEED_UNKNOWN,
	FEED_DEBIAN,	/* security-tracker.debian.org/tracker/data/json */
	FEED_OSV,	/* OSV record, or an array of them */
	FEED_KEV,	/* CISA known_exploited_vulnerabilities.json */
	FEED_EPSS,	/* FIRST epss_scores-current.csv */
	FEED_JVN,	/* JVN iPedia RSS (jvndb*.rdf) or VULDEF detail XML */
};

/* Where the records go. A callback returning non-zero stops the parse and
 * that value is returned. Unset callbacks drop their records. */
struct feed_sink {
	void *ctx;
	int (*pkg)(void *ctx, const struct feed_pkg *r);
	int (*cve)(void *ctx, const struct feed_cve *r);
	int (*kev)(void *ctx, const struct feed_kev *r);
	int (*epss)(void *ctx, const struct feed_epss *r);
	int (*jvn)(void *ctx, const struct feed_jvn *r);
	/* Filled in by the parsers. */
	int64_t feed_date;	/* unix seconds the feed states; 0 if none */
	uint64_t records;	/* entries read (tracker: package/CVE pairs) */
	uint64_t skipped;
	char err[256];
};

/* Input: read up to len bytes into buf; *got = 0 at the end. */
struct feed_reader {
	int (*read)(void *ctx, void *buf, size_t len, size_t *got);
	void *ctx;
};

/* Reader over a buffer (tests, fuzzers). */
struct feed_mem {
	struct span s;
	size_t off;
};
void feed_mem_reader(struct feed_mem *m, struct span s, struct feed_reader *out);

/* From the first bytes of a file (a few KB are enough). */
enum feed_format feed_detect(struct span head);
const char *feed_format_name(enum feed_format f);

int feed_parse(enum feed_format f, struct feed_reader *in, struct feed_sink *sink);
int feed_debian_parse(struct feed_reader *in, struct feed_sink *sink);
int feed_osv_parse(struct feed_reader *in, struct feed_sink *sink);
int feed_kev_parse(struct feed_reader *in, struct feed_sink *sink);
int feed_epss_parse(struct feed_reader *in, struct feed_sink *sink);
int feed_jvn_parse(struct feed_reader *in, struct feed_sink *sink);

/*
 * ISO 8601 dates as the feeds write them: 2025-08-25, 2025.08.25,
 * 2025-08-25T17:04:19.9796Z, 2016-01-26T13:36+09:00. 0 on success.
 */
int feed_parse_date(struct span s, int64_t *out);

/* Helpers shared by the parsers (feed.c). */
/* Copies s into dst (size dstsz) with a NUL: 0, or MAMORI_E_LIMIT when it
 * does not fit, MAMORI_E_PARSE when it holds a NUL byte (dst is then ""). */
int feed_copy(char *dst, size_t dstsz, const unsigned char *s, size_t len);
/* True for the "CVE-2024-12345" shape. */
int feed_is_cve(const char *s);
/* Keeps the later date in sink->feed_date. */
void feed_note_date(struct feed_sink *sink, struct span s);

#endif
