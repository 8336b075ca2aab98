/* ioc.c - IOC sets: one open-addressing table of (kind, key) entries. */
#include "detection/ioc.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/hash.h"

#define KEY_MAX 2048	/* longest URL/domain kept */

void
ioc_set_init(struct ioc_set *s, size_t max_entries)
{
	memset(s, 0, sizeof(*s));
	arena_init(&s->arena, 0);
	s->max_entries = max_entries ? max_entries : 2000000;
}

void
ioc_set_release(struct ioc_set *s)
{
	for (size_t k = 0; k <= IOC_SHA256; k++)
		free(s->tab[k].slots);
	free(s->ip_filter);
	arena_release(&s->arena);
	memset(s->tab, 0, sizeof(s->tab));
	s->ip_filter = NULL;
	s->n = 0;
}

/* Eight bytes at a time (a byte-wise FNV over the 16-byte addresses was
 * most of an address lookup). */
static uint32_t
hash_key(uint8_t kind, uint8_t plen, const uint8_t *k, size_t n)
{
	return hash_bytes(k, n, kind | (uint64_t)plen << 8);
}

static bool
filter_has(const struct ioc_set *s, uint32_t h)
{
	uint32_t b = (h >> 7) & (IOC_IP_FILTER_BITS - 1);
	return s->ip_filter && (s->ip_filter[b >> 6] >> (b & 63)) & 1;
}

static const struct ioc_entry *
lookup_h(const struct ioc_set *s, uint8_t kind, uint8_t plen, const uint8_t *k, size_t n,
    uint32_t h)
{
	const struct ioc_table *t = &s->tab[kind];
	if (!t->nslots)
		return NULL;
	for (size_t i = h & (t->nslots - 1);; i = (i + 1) & (t->nslots - 1)) {
		const struct ioc_entry *e = t->slots[i];
		if (!e)
			return NULL;
		if (e->hash == h && e->plen == plen && e->klen == n && memcmp(e->key, k, n) == 0)
			return e;
	}
}

static const struct ioc_entry *
lookup(const struct ioc_set *s, uint8_t kind, uint8_t plen, const uint8_t *k, size_t n)
{
	return lookup_h(s, kind, plen, k, n, hash_key(kind, plen, k, n));
}

/* Doubles the table, or sizes it for the whole text being loaded (hint)
 * so a large feed is placed once instead of rehashed ~17 times. */
static int
grow(struct ioc_set *s, struct ioc_table *t, size_t n)
{
	size_t nn = t->nslots ? t->nslots * 2 : 1024;
	while (nn < (n + s->hint) * 2 && nn < ((size_t)1 << 30))
		nn *= 2;
	struct ioc_entry **ns = calloc(nn, sizeof(*ns));
	if (!ns)
		return MAMORI_E_NOMEM;
	for (size_t i = 0; i < t->nslots; i++) {
		struct ioc_entry *e = t->slots[i];
		if (!e)
			continue;
		size_t j = e->hash & (nn - 1);
		while (ns[j])
			j = (j + 1) & (nn - 1);
		ns[j] = e;
	}
	free(t->slots);
	t->slots = ns;
	t->nslots = nn;
	s->hint = 0;
	return MAMORI_OK;
}

/* 1 added, 0 duplicate, <0 error. */
static int
insert(struct ioc_set *s, uint8_t kind, uint8_t plen, const uint8_t *k, size_t n,
    const char *label, const char *source)
{
	if (n > KEY_MAX)
		return MAMORI_E_PARSE;
	uint32_t h = hash_key(kind, plen, k, n);
	if (lookup_h(s, kind, plen, k, n, h))
		return 0;
	if (s->n >= s->max_entries)
		return MAMORI_E_LIMIT;
	struct ioc_table *t = &s->tab[kind];
	if ((s->by_kind[kind] + 1) * 2 > t->nslots && grow(s, t, s->by_kind[kind] + 1) != 0)
		return MAMORI_E_NOMEM;
	if (kind == IOC_IP && !s->ip_filter &&
	    !(s->ip_filter = calloc(IOC_IP_FILTER_BITS / 64, sizeof(uint64_t))))
		return MAMORI_E_NOMEM;
	struct ioc_entry *e = arena_alloc(&s->arena, sizeof(*e) + n + 1);
	if (!e)
		return MAMORI_E_NOMEM;
	uint8_t *key = (uint8_t *)(e + 1);
	memcpy(key, k, n);
	e->kind = kind;
	e->plen = plen;
	e->klen = (uint16_t)n;
	e->key = key;
	e->label = label ? label : "";
	e->source = source ? source : "";
	e->hash = h;
	size_t i = h & (t->nslots - 1);
	while (t->slots[i])
		i = (i + 1) & (t->nslots - 1);
	t->slots[i] = e;
	s->n++;
	s->by_kind[kind]++;
	if (kind == IOC_IP) {
		uint32_t b = (h >> 7) & (IOC_IP_FILTER_BITS - 1);
		s->ip_filter[b >> 6] |= 1ULL << (b & 63);
		if (s->plens[plen] == 0) {	/* a new length: the list in order again */
			s->nplen = 0;
			for (int l = 128; l >= 0; l--)
				if (s->plens[l] || l == plen)
					s->plen_order[s->nplen++] = (uint8_t)l;
		}
		if (s->plens[plen] < 255)
			s->plens[plen]++;
	}
	return 1;
}

static void
mask(uint8_t a[16], unsigned plen)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8 : 0;
		if (bits >= 8)
			continue;
		a[i] &= (uint8_t)(0xff00 >> bits);
	}
}

/* Dotted quad as inet_pton takes it (no leading zeros), without its
 * copy and library call: feeds are mostly lists of these. */
static bool
parse_v4(const char *p, size_t n, uint8_t out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		if (part && (i >= n || p[i++] != '.'))
			return false;
		while (i < n && p[i] >= '0' && p[i] <= '9' && digits < 4) {
			if (digits && v == 0)
				return false;
			v = v * 10 + (unsigned)(p[i++] - '0');
			digits++;
		}
		if (!digits || v > 255)
			return false;
		out[part] = (uint8_t)v;
	}
	return i == n;
}

/* "1.2.3.4", "1.2.3.0/24", "1.2.3.4:443", "2001:db8::/32", "[::1]:80". */
static bool
parse_ip(struct span v, uint8_t out[16], uint8_t *plen)
{
	char buf[64];
	if (v.len == 0 || v.len >= sizeof(buf))
		return false;
	if (v.len <= 15 && parse_v4(v.p, v.len, out + 12)) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		*plen = 128;
		return true;
	}
	memcpy(buf, v.p, v.len);
	buf[v.len] = '\0';
	char *addr = buf;
	char *slash = strchr(buf, '/');
	long bits = -1;
	if (slash) {
		*slash = '\0';
		char *end;
		bits = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || bits < 0)
			return false;
	}
	if (addr[0] == '[') {
		char *rb = strchr(addr, ']');
		if (!rb)
			return false;
		*rb = '\0';
		addr++;
	}
	uint8_t v4[4];
	char *colon = strchr(addr, ':');
	if (colon && !strchr(colon + 1, ':'))
		*colon = '\0';	/* ip:port */
	if (inet_pton(AF_INET, addr, v4) == 1) {
		if (bits > 32)
			return false;
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, v4, 4);
		*plen = (uint8_t)(bits < 0 ? 128 : 96 + bits);
	} else if (inet_pton(AF_INET6, addr, out) == 1) {
		if (bits > 128)
			return false;
		*plen = (uint8_t)(bits < 0 ? 128 : bits);
	} else {
		return false;
	}
	mask(out, *plen);
	return true;
}

static bool
is_hex(struct span v, size_t n)
{
	if (v.len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = v.p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

static size_t
lower_copy(struct span v, uint8_t *out, size_t cap)
{
	size_t n = v.len < cap ? v.len : cap;
	for (size_t i = 0; i < n; i++) {
		char c = v.p[i];
		out[i] = (uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	return n;
}

static bool
is_domain(struct span v)
{
	bool dot = false, alpha = false;
	if (v.len < 3 || v.len > 253 || v.p[0] == '.' || v.p[0] == '-')
		return false;
	for (size_t i = 0; i < v.len; i++) {
		char c = v.p[i];
		if (c == '.')
			dot = true;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			alpha = true;
		else if (!((c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return dot && alpha;
}

static struct span
strip_dot(struct span v)
{
	if (v.len && v.p[v.len - 1] == '.')
		v.len--;
	return v;
}

int
ioc_set_add(struct ioc_set *s, enum ioc_kind kind, struct span v, const char *label,
    const char *source)
{
	uint8_t key[KEY_MAX];
	uint8_t ip[16], plen;
	v = span_trim(v);
	switch (kind) {
	case IOC_IP:
		if (!parse_ip(v, ip, &plen))
			return MAMORI_E_PARSE;
		return insert(s, IOC_IP, plen, ip, 16, label, source);
	case IOC_DOMAIN:
		v = strip_dot(v);
		if (!is_domain(v))
			return MAMORI_E_PARSE;
		return insert(s, IOC_DOMAIN, 0, key, lower_copy(v, key, sizeof(key)), label, source);
	case IOC_URL:
		if (v.len > KEY_MAX || !(span_starts_with(v, "http://") || span_starts_with(v, "https://")))
			return MAMORI_E_PARSE;
		/* scheme and host are case-insensitive, the path is not: keep it */
		memcpy(key, v.p, v.len);
		{
			size_t hs = span_starts_with(v, "https://") ? 8 : 7, i = 0;
			for (i = 0; i < v.len && (i < hs || key[i] != '/'); i++)
				if (key[i] >= 'A' && key[i] <= 'Z')
					key[i] = (uint8_t)(key[i] + 32);
		}
		return insert(s, IOC_URL, 0, key, v.len, label, source);
	case IOC_JA3:
		if (!is_hex(v, 32))
			return MAMORI_E_PARSE;
		return insert(s, kind, 0, key, lower_copy(v, key, sizeof(key)), label, source);
	case IOC_SHA1:
		if (!is_hex(v, 40))
			return MAMORI_E_PARSE;
		return insert(s, kind, 0, key, lower_copy(v, key, sizeof(key)), label, source);
	case IOC_SHA256:
		if (!is_hex(v, 64))
			return MAMORI_E_PARSE;
		return insert(s, kind, 0, key, lower_copy(v, key, sizeof(key)), label, source);
	}
	return MAMORI_E_PARSE;
}

/* Splits one CSV line into up to n fields, quotes removed (no embedded
 * commas inside quotes in these feeds except ThreatFox tags: handled). */
static size_t
csv_fields(struct span line, struct span *f, size_t n)
{
	size_t k = 0, i = 0;
	while (i <= line.len && k < n) {
		size_t start = i;
		bool q = i < line.len && line.p[i] == '"';
		if (q) {
			start = ++i;
			while (i < line.len && line.p[i] != '"')
				i++;
			f[k++] = span_trim((struct span){ line.p + start, i - start });
			while (i < line.len && line.p[i] != ',')
				i++;
		} else {
			while (i < line.len && line.p[i] != ',')
				i++;
			f[k++] = span_trim((struct span){ line.p + start, i - start });
		}
		i++;
	}
	return k;
}

static bool
is_label(struct span f)
{
	static const char *const not_labels[] = { "online", "offline", "unknown", "ip:port",
		"domain", "url", "md5_hash", "sha1_hash", "sha256_hash", "none", NULL };
	if (f.len < 3 || f.len > 64)
		return false;
	if (!((f.p[0] >= 'A' && f.p[0] <= 'Z') || (f.p[0] >= 'a' && f.p[0] <= 'z')))
		return false;
	/* a hash that happens to start with a-f is the indicator, not its label */
	if (is_hex(f, 32) || is_hex(f, 40) || is_hex(f, 64))
		return false;
	for (size_t i = 0; i < f.len; i++)
		if (f.p[i] == '.' || f.p[i] == '/' || f.p[i] == ':')
			return false;
	for (int i = 0; not_labels[i]; i++)
		if (span_eq_nocase(f, not_labels[i]))
			return false;
	return true;
}

static int
count(int rc, struct ioc_load_stats *st)
{
	if (rc == 1)
		st->added++;
	else if (rc == 0)
		st->duplicates++;
	else if (rc == MAMORI_E_PARSE)
		st->skipped++;
	return rc < 0 && rc != MAMORI_E_PARSE ? rc : 0;
}

/* Classifies one value of a plain list or CSV field. */
static int
add_guess(struct ioc_set *s, struct span v, bool domains, const char *label, const char *src,
    struct ioc_load_stats *st)
{
	uint8_t ip[16], plen;
	if (span_starts_with(v, "http://") || span_starts_with(v, "https://"))
		return count(ioc_set_add(s, IOC_URL, v, label, src), st);
	if (is_hex(v, 32))
		return count(ioc_set_add(s, IOC_JA3, v, label, src), st);
	if (is_hex(v, 40))
		return count(ioc_set_add(s, IOC_SHA1, v, label, src), st);
	if (is_hex(v, 64))
		return count(ioc_set_add(s, IOC_SHA256, v, label, src), st);
	if (parse_ip(v, ip, &plen))
		return count(insert(s, IOC_IP, plen, ip, 16, label, src), st);
	if (domains && is_domain(strip_dot(v)))
		return count(ioc_set_add(s, IOC_DOMAIN, v, label, src), st);
	st->skipped++;
	return 0;
}

static const char *
detect_format(struct span text)
{
	struct span head = { text.p, text.len < 4096 ? text.len : 4096 };
	if (span_contains(head, "Feodo"))
		return "feodo";
	if (span_contains(head, "ja3_md5") || span_contains(head, "JA3 Fingerprint"))
		return "sslbl-ja3";
	if (span_contains(head, "SHA1 Fingerprints") || span_contains(head, "Listingdate,SHA1"))
		return "sslbl-sha1";
	if (span_contains(head, "URLhaus"))
		return "urlhaus";
	if (span_contains(head, "ThreatFox") || span_contains(head, "ioc_value"))
		return "threatfox";
	return NULL;
}

int
ioc_set_load(struct ioc_set *s, struct span text, const char *source, struct ioc_load_stats *st)
{
	struct ioc_load_stats dummy;
	struct cursor c;
	struct span line;
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	const char *fmt = detect_format(text);
	const char *src = arena_strdup(&s->arena, source ? source : "");
	s->hint = 0;
	for (const char *q = text.p, *end = text.p + text.len; q && q < end; s->hint++)
		if ((q = memchr(q, '\n', (size_t)(end - q))))
			q++;
	bool any_csv = false;
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		line = span_trim(line);
		if (line.len == 0 || line.p[0] == '#' || line.p[0] == ';')
			continue;
		if (span_find(line, ',') == line.len) {
			/* plain list: first word, rest may be a comment/label */
			struct span w, rest = line;
			span_next_word(&rest, &w);
			int rc = add_guess(s, w, true, "", src, st);
			if (rc < 0) {
				s->hint = 0;
				return rc;
			}
			continue;
		}
		any_csv = true;
		struct span f[16];
		size_t nf = csv_fields(line, f, 16);
		const char *label = "";
		bool has_url = false, domain_row = false;
		for (size_t i = 0; i < nf; i++) {
			if (!*label && is_label(f[i]))
				label = arena_spandup(&s->arena, f[i]);
			if (span_starts_with(f[i], "http://") || span_starts_with(f[i], "https://"))
				has_url = true;
			if (span_eq(f[i], "domain"))
				domain_row = true;
		}
		if (!label)
			return MAMORI_E_NOMEM;
		for (size_t i = 0; i < nf; i++) {
			struct span v = f[i];
			bool url = span_starts_with(v, "http://") || span_starts_with(v, "https://");
			/* A URLhaus row names the compromised site's host and IP too:
			 * only the URL itself is the indicator. */
			if (has_url && !url)
				continue;
			uint8_t ip[16], plen;
			if (!url && !is_hex(v, 32) && !is_hex(v, 40) && !is_hex(v, 64) &&
			    !parse_ip(v, ip, &plen) && !(domain_row && is_domain(strip_dot(v))))
				continue;
			int rc = add_guess(s, v, domain_row, label, src, st);
			if (rc < 0) {
				s->hint = 0;
				return rc;
			}
		}
	}
	st->format = fmt ? fmt : any_csv ? "csv" : "plain";
	s->hint = 0;
	return MAMORI_OK;
}

const struct ioc_entry *
ioc_match_ip(const struct ioc_set *s, const uint8_t addr[16])
{
	if (!s->by_kind[IOC_IP])
		return NULL;
	for (size_t i = 0; i < s->nplen; i++) {
		uint8_t plen = s->plen_order[i];
		uint8_t a[16];
		memcpy(a, addr, 16);
		mask(a, (unsigned)plen);
		uint32_t h = hash_key(IOC_IP, plen, a, 16);
		if (!filter_has(s, h))
			continue;
		const struct ioc_entry *e = lookup_h(s, IOC_IP, plen, a, 16, h);
		if (e)
			return e;
	}
	return NULL;
}

const struct ioc_entry *
ioc_match_domain(const struct ioc_set *s, struct span name)
{
	uint8_t key[256];
	if (!s->by_kind[IOC_DOMAIN])
		return NULL;
	name = strip_dot(name);
	if (name.len == 0 || name.len > sizeof(key))
		return NULL;
	size_t n = lower_copy(name, key, sizeof(key));
	for (size_t off = 0; off < n;) {
		const struct ioc_entry *e = lookup(s, IOC_DOMAIN, 0, key + off, n - off);
		if (e)
			return e;
		const uint8_t *dot = memchr(key + off, '.', n - off);
		if (!dot)
			break;
		off = (size_t)(dot - key) + 1;
	}
	return NULL;
}

const struct ioc_entry *
ioc_match_url(const struct ioc_set *s, struct span url)
{
	uint8_t key[KEY_MAX];
	if (!s->by_kind[IOC_URL] || url.len > KEY_MAX)
		return NULL;
	memcpy(key, url.p, url.len);
	size_t hs = span_starts_with(url, "https://") ? 8 : 7;
	for (size_t i = 0; i < url.len && (i < hs || key[i] != '/'); i++)
		if (key[i] >= 'A' && key[i] <= 'Z')
			key[i] = (uint8_t)(key[i] + 32);
	return lookup(s, IOC_URL, 0, key, url.len);
}

const struct ioc_entry *
ioc_match_hash(const struct ioc_set *s, enum ioc_kind kind, struct span hex)
{
	uint8_t key[64];
	if (!s->by_kind[kind] || hex.len > sizeof(key))
		return NULL;
	return lookup(s, (uint8_t)kind, 0, key, lower_copy(hex, key, sizeof(key)));
}
