/*
 * advisory.h - security advisories for the owner's "know the threats"
 * page, read offline from the feeds IPA and JVN publish:
 *
 *   RSS 1.0 (rdf:RDF): JVN iPedia jvndb*.rdf, MyJVN getVulnOverviewList,
 *                      jvn.jp/rss/jvn.rdf, IPA's security-alert RSS
 *   RSS 2.0 (rss) and Atom (feed): MyJVN getAlertList (注意警戒情報)
 *   VULDEF 3.2 XML: the JVN iPedia detail feed (jvndb_detail_YYYY.rdf)
 *   JSON: MyJVN's VULDEF documents in a STIX bundle (feed=oka)
 *
 * Each item becomes one advisory: id, Japanese title and summary, link,
 * date, CVSS severity, CVE ids and the products it names (CPE). Bytes come
 * from a file or an HTTP body, so everything is bounded: input size,
 * field sizes, products and CVEs per item. A document that is not one of
 * these, or broken XML or JSON, is MAMORI_E_PARSE with a message; items
 * are handed over only after the whole document parsed, so a broken feed
 * stores nothing.
 */
#ifndef MAMORI_VULN_ADVISORY_H
#define MAMORI_VULN_ADVISORY_H

#include <stddef.h>
#include <stdint.h>

#include "common/span.h"

#define ADVISORY_INPUT_MAX (32u << 20)	/* bytes of one feed */
#define ADVISORY_ITEMS_MAX 20000
#define ADVISORY_PRODUCTS_MAX 16
#define ADVISORY_CVES_MAX 16

struct advisory_product {
	char vendor[128], product[128];
	char cpe[256];
	char name[96];		/* product part of the CPE, lower case: matched to package names */
};

struct advisory {
	char id[96];		/* JVNDB-2025-000123, MYJVN-ALT-2025-0011, or the link */
	char source[16];	/* jvndb, jvn, ipa, myjvn */
	char title[1024];
	char summary[2048];
	char link[512];
	int64_t published;	/* unix seconds; 0 unknown */
	double cvss;		/* highest base score; -1 none */
	char severity[16];	/* critical, high, medium, low, none; "" unknown */
	char cves[ADVISORY_CVES_MAX][24];
	int ncves;
	struct advisory_product products[ADVISORY_PRODUCTS_MAX];
	int nproducts;
};

struct advisory_sink {
	void *ctx;
	int (*item)(void *ctx, const struct advisory *a);	/* non-zero stops */
	/* filled in */
	const char *format;	/* rss1, rss2, atom, vuldef, vuldef-json */
	uint64_t items, skipped;	/* skipped: no id/title, or marked unconfirmed / deleted */
	char err[256];
};

/* Parses a whole feed (XML or JSON, told by its first byte). */
int advisory_parse(struct span in, struct advisory_sink *sink);

/* "cpe:/a:wordpress:wordpress" or "cpe:2.3:a:veritas:netbackup:*:..." ->
 * "wordpress", "netbackup"; "" when it is not a CPE. */
void advisory_cpe_product(const char *cpe, char *out, size_t outsz);

#endif
