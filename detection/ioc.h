/*
 * ioc.h - sets of indicators of compromise: IP addresses and CIDR ranges,
 * domains (a listed domain also matches its subdomains), URLs, JA3 MD5 and
 * certificate SHA-1 fingerprints. Pure: loading takes bytes, lookups take
 * values; no I/O. Each entry keeps a short label from its feed (malware
 * family or listing reason) for the alert text.
 *
 * Formats are recognised from content, line by line: abuse.ch Feodo Tracker
 * IP blocklist CSV, SSLBL JA3 and SHA1 CSV, URLhaus CSV, ThreatFox CSV, and
 * plain lists (one IP, CIDR, domain, URL or hash per line, '#' comments).
 */
#ifndef MAMORI_DETECTION_IOC_H
#define MAMORI_DETECTION_IOC_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/span.h"

enum ioc_kind { IOC_IP = 1, IOC_DOMAIN, IOC_URL, IOC_JA3, IOC_SHA1, IOC_SHA256 };

struct ioc_entry {
	uint8_t kind;		/* enum ioc_kind */
	uint8_t plen;		/* IP prefix length over the 16-byte (v4-mapped) form */
	uint16_t klen;
	const char *label;	/* feed's family/reason, "" when none; arena */
	const char *source;	/* feed name given to ioc_set_load; arena */
	const uint8_t *key;	/* klen bytes; arena */
	uint32_t hash;
};

/* One table per kind, so a lookup of a name never walks the (large)
 * address table and the other way round. */
struct ioc_table {
	struct ioc_entry **slots;	/* open addressing, malloc */
	size_t nslots;
};

/* Bits of the address prefilter: most flows match no indicator, and one
 * bit in 256 KiB answers that without touching the table. */
#define IOC_IP_FILTER_BITS (1u << 21)

struct ioc_set {
	struct arena arena;
	struct ioc_table tab[IOC_SHA256 + 1];
	uint64_t *ip_filter;		/* IOC_IP_FILTER_BITS, malloc; NULL until an address */
	size_t n;
	size_t max_entries;
	size_t hint;			/* lines of the text being loaded: first table size */
	uint8_t plens[129];		/* IP prefix lengths present (count, capped) */
	uint8_t plen_order[129];	/* those present, longest first */
	uint8_t nplen;
	size_t by_kind[IOC_SHA256 + 1];
};

struct ioc_load_stats {
	const char *format;	/* "feodo", "sslbl-ja3", "sslbl-sha1", "urlhaus", "threatfox", "plain", "csv" */
	size_t added, duplicates, skipped;
};

/* max_entries bounds memory (0 = 2,000,000). */
void ioc_set_init(struct ioc_set *s, size_t max_entries);
void ioc_set_release(struct ioc_set *s);
/* Adds every indicator found in text. Returns 0, or MAMORI_E_LIMIT when
 * the set is full (what fitted is kept) or MAMORI_E_NOMEM. */
int ioc_set_load(struct ioc_set *s, struct span text, const char *source,
    struct ioc_load_stats *st);
/* Adds one value of a known kind (text form); 0, MAMORI_E_PARSE when it is
 * not such a value. */
int ioc_set_add(struct ioc_set *s, enum ioc_kind kind, struct span value,
    const char *label, const char *source);

/* addr is 16 bytes, IPv4 as ::ffff:a.b.c.d. Longest prefix wins. */
const struct ioc_entry *ioc_match_ip(const struct ioc_set *s, const uint8_t addr[16]);
/* Exact name or any parent domain ("a.b.evil.com" matches "evil.com");
 * case-insensitive, a trailing dot ignored. */
const struct ioc_entry *ioc_match_domain(const struct ioc_set *s, struct span name);
const struct ioc_entry *ioc_match_url(const struct ioc_set *s, struct span url);
/* Hex digest, any case. */
const struct ioc_entry *ioc_match_hash(const struct ioc_set *s, enum ioc_kind kind, struct span hex);

#endif
