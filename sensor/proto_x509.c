/* proto_x509.c - DER walk of a certificate's tbsCertificate. */
#include "sensor/proto_x509.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"

#define TAG_INTEGER 0x02
#define TAG_OID 0x06
#define TAG_UTCTIME 0x17
#define TAG_GENTIME 0x18
#define TAG_SEQUENCE 0x30
#define TAG_SET 0x31
#define TAG_EXPLICIT0 0xa0

/* One TLV: low-tag-number form only, definite lengths of at most 4 bytes
 * (DER allows nothing else that a certificate would need). */
static int
der_next(struct cursor *c, uint8_t *tag, struct span *val)
{
	uint8_t t, l;
	if (cursor_u8(c, &t) != 0 || cursor_u8(c, &l) != 0 || (t & 0x1f) == 0x1f)
		return MAMORI_E_PARSE;
	size_t len = l;
	if (l & 0x80) {
		unsigned n = l & 0x7f;
		if (n == 0 || n > 4)
			return MAMORI_E_PARSE;
		len = 0;
		for (unsigned i = 0; i < n; i++) {
			uint8_t b;
			if (cursor_u8(c, &b) != 0)
				return MAMORI_E_PARSE;
			len = len << 8 | b;
		}
	}
	*tag = t;
	return cursor_bytes(c, len, val);
}

static int
der_expect(struct cursor *c, uint8_t want, struct span *val)
{
	uint8_t tag;
	if (der_next(c, &tag, val) != 0 || tag != want)
		return MAMORI_E_PARSE;
	return MAMORI_OK;
}

/* A small bounded text builder; cuts silently at the cap. */
struct tb {
	char *p;
	size_t len, cap;
};

static void
tb_bytes(struct tb *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n && b->len + 1 < b->cap; i++)
		b->p[b->len++] = s[i];
	b->p[b->len] = '\0';
}

static void
tb_str(struct tb *b, const char *s)
{
	tb_bytes(b, s, strlen(s));
}

static const struct {
	const char *der;	/* OID content bytes */
	size_t n;
	const char *name;
} oid_names[] = {
	{ "\x55\x04\x03", 3, "CN" }, { "\x55\x04\x06", 3, "C" }, { "\x55\x04\x07", 3, "L" },
	{ "\x55\x04\x08", 3, "ST" }, { "\x55\x04\x0a", 3, "O" }, { "\x55\x04\x0b", 3, "OU" },
	{ "\x55\x04\x05", 3, "serialNumber" }, { "\x55\x04\x09", 3, "street" },
	{ "\x55\x04\x11", 3, "postalCode" }, { "\x55\x04\x2a", 3, "GN" }, { "\x55\x04\x04", 3, "SN" },
	{ "\x55\x04\x0f", 3, "businessCategory" },
	{ "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", 9, "emailAddress" },
	{ "\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", 10, "DC" },
	{ "\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x01", 10, "UID" },
	{ "\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x03", 11, "jurisdictionC" },
	{ "\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x02", 11, "jurisdictionST" },
	{ "\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x01", 11, "jurisdictionL" },
};

/* Dotted form for attribute types we have no short name for. */
static void
oid_text(struct tb *b, struct span oid)
{
	for (size_t i = 0; i < sizeof(oid_names) / sizeof(oid_names[0]); i++)
		if (oid.len == oid_names[i].n && memcmp(oid.p, oid_names[i].der, oid.len) == 0) {
			tb_str(b, oid_names[i].name);
			return;
		}
	uint64_t v = 0;
	bool first = true;
	char num[24];
	for (size_t i = 0; i < oid.len; i++) {
		uint8_t byte = (uint8_t)oid.p[i];
		if (v >> 56)
			return;	/* absurd arc: leave it out */
		v = v << 7 | (byte & 0x7f);
		if (byte & 0x80)
			continue;
		if (first) {
			unsigned a = v < 80 ? (unsigned)(v / 40) : 2;
			snprintf(num, sizeof(num), "%u.%llu", a, (unsigned long long)(v - a * 40));
			first = false;
		} else {
			snprintf(num, sizeof(num), ".%llu", (unsigned long long)v);
		}
		tb_str(b, num);
		v = 0;
	}
}

/* A directory string value as UTF-8 text: BMPString (UCS-2) is converted,
 * the 8-bit string types are kept as they are (the EVE writer marks bytes
 * that are not UTF-8), control bytes become '?'. */
static void
value_text(struct tb *b, uint8_t tag, struct span v)
{
	if (tag == 0x1e) {	/* BMPString */
		for (size_t i = 0; i + 1 < v.len; i += 2) {
			unsigned u = (unsigned)(uint8_t)v.p[i] << 8 | (uint8_t)v.p[i + 1];
			char enc[3];
			size_t n;
			if (u < 0x20) {
				enc[0] = '?';
				n = 1;
			} else if (u < 0x80) {
				enc[0] = (char)u;
				n = 1;
			} else if (u < 0x800) {
				enc[0] = (char)(0xc0 | u >> 6);
				enc[1] = (char)(0x80 | (u & 0x3f));
				n = 2;
			} else {
				enc[0] = (char)(0xe0 | u >> 12);
				enc[1] = (char)(0x80 | (u >> 6 & 0x3f));
				enc[2] = (char)(0x80 | (u & 0x3f));
				n = 3;
			}
			tb_bytes(b, enc, n);
		}
		return;
	}
	for (size_t i = 0; i < v.len; i++) {
		char ch = (uint8_t)v.p[i] < 0x20 || v.p[i] == 0x7f ? '?' : v.p[i];
		tb_bytes(b, &ch, 1);
	}
}

/* Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY } */
static int
name_text(struct span name, char *out, size_t cap)
{
	struct tb b = { out, 0, cap };
	struct cursor c;
	out[0] = '\0';
	cursor_init(&c, name.p, name.len);
	while (!cursor_eof(&c)) {
		struct span rdn;
		if (der_expect(&c, TAG_SET, &rdn) != 0)
			return MAMORI_E_PARSE;
		struct cursor rc;
		cursor_init(&rc, rdn.p, rdn.len);
		bool first_in_set = true;
		while (!cursor_eof(&rc)) {
			struct span atv, oid, val;
			uint8_t vtag;
			struct cursor ac;
			if (der_expect(&rc, TAG_SEQUENCE, &atv) != 0)
				return MAMORI_E_PARSE;
			cursor_init(&ac, atv.p, atv.len);
			if (der_expect(&ac, TAG_OID, &oid) != 0 || der_next(&ac, &vtag, &val) != 0)
				return MAMORI_E_PARSE;
			if (b.len)
				tb_str(&b, first_in_set ? ", " : " + ");
			first_in_set = false;
			oid_text(&b, oid);
			tb_str(&b, "=");
			value_text(&b, vtag, val);
		}
	}
	return MAMORI_OK;
}

static bool
digits(struct span s, size_t off, size_t n, unsigned *v)
{
	*v = 0;
	for (size_t i = off; i < off + n; i++) {
		if (i >= s.len || s.p[i] < '0' || s.p[i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s.p[i] - '0');
	}
	return true;
}

static char *
put2(char *w, unsigned v)
{
	w[0] = (char)('0' + v / 10);
	w[1] = (char)('0' + v % 10);
	return w + 2;
}

/* UTCTime YYMMDDHHMMSSZ (years 50-99 are 19xx) or GeneralizedTime
 * YYYYMMDDHHMMSSZ, to "YYYY-MM-DDTHH:MM:SS". */
static int
time_text(struct cursor *c, char out[20])
{
	uint8_t tag;
	struct span t;
	unsigned y, mo, d, h, mi, se;
	if (der_next(c, &tag, &t) != 0)
		return MAMORI_E_PARSE;
	size_t o;
	if (tag == TAG_UTCTIME) {
		if (!digits(t, 0, 2, &y))
			return MAMORI_E_PARSE;
		y += y >= 50 ? 1900 : 2000;
		o = 2;
	} else if (tag == TAG_GENTIME) {
		if (!digits(t, 0, 4, &y))
			return MAMORI_E_PARSE;
		o = 4;
	} else {
		return MAMORI_E_PARSE;
	}
	if (!digits(t, o, 2, &mo) || !digits(t, o + 2, 2, &d) || !digits(t, o + 4, 2, &h) ||
	    !digits(t, o + 6, 2, &mi) || !digits(t, o + 8, 2, &se) || mo < 1 || mo > 12 || d < 1 ||
	    d > 31 || h > 23 || mi > 59 || se > 60)
		return MAMORI_E_PARSE;
	/* by hand: snprintf here was a visible share of TLS-heavy traffic */
	char *w = put2(put2(out, y / 100), y % 100);
	*w++ = '-';
	w = put2(w, mo);
	*w++ = '-';
	w = put2(w, d);
	*w++ = 'T';
	w = put2(w, h);
	*w++ = ':';
	w = put2(w, mi);
	*w++ = ':';
	w = put2(w, se);
	*w = '\0';
	return MAMORI_OK;
}

int
proto_x509_parse(struct span der, struct x509_info *out, struct digest_set *d)
{
	struct cursor c, tc, vc;
	struct span cert, tbs, v, serial, alg, issuer, validity, subject;
	uint8_t tag;
	memset(out, 0, sizeof(*out));
	if (der.len > X509_DER_MAX)
		return MAMORI_E_PARSE;
	cursor_init(&c, der.p, der.len);
	if (der_expect(&c, TAG_SEQUENCE, &cert) != 0)
		return MAMORI_E_PARSE;
	cursor_init(&c, cert.p, cert.len);
	if (der_expect(&c, TAG_SEQUENCE, &tbs) != 0)
		return MAMORI_E_PARSE;
	cursor_init(&tc, tbs.p, tbs.len);
	/* [0] EXPLICIT version is optional (v1 certificates leave it out) */
	struct cursor peek = tc;
	if (der_next(&peek, &tag, &v) != 0)
		return MAMORI_E_PARSE;
	if (tag == TAG_EXPLICIT0)
		tc = peek;
	if (der_expect(&tc, TAG_INTEGER, &serial) != 0 || der_expect(&tc, TAG_SEQUENCE, &alg) != 0 ||
	    der_expect(&tc, TAG_SEQUENCE, &issuer) != 0 ||
	    der_expect(&tc, TAG_SEQUENCE, &validity) != 0 ||
	    der_expect(&tc, TAG_SEQUENCE, &subject) != 0)
		return MAMORI_E_PARSE;
	cursor_init(&vc, validity.p, validity.len);
	if (time_text(&vc, out->not_before) != 0 || time_text(&vc, out->not_after) != 0)
		return MAMORI_E_PARSE;
	if (name_text(issuer, out->issuer, sizeof(out->issuer)) != 0 ||
	    name_text(subject, out->subject, sizeof(out->subject)) != 0)
		return MAMORI_E_PARSE;
	/* serial as Suricata prints it: uppercase hex pairs, ':'-separated,
	 * the sign byte DER adds before a high bit left out */
	size_t so = serial.len > 1 && serial.p[0] == 0 ? 1 : 0;
	size_t sn = serial.len - so > 20 ? 20 : serial.len - so;
	static const char hexd[] = "0123456789ABCDEF";
	for (size_t i = 0; i < sn; i++) {
		uint8_t b = (uint8_t)serial.p[so + i];
		char *w = out->serial + 3 * i;
		w[0] = hexd[b >> 4];
		w[1] = hexd[b & 15];
		w[2] = i + 1 < sn ? ':' : '\0';
	}
	/* the fingerprint covers the whole certificate TLV, as SSLBL's does */
	size_t whole = (size_t)(cert.p + cert.len - der.p);
	unsigned char md[EVP_MAX_MD_SIZE];
	if (digest_compute(d, DIGEST_SHA1, der.p, whole, md) != 20)
		return MAMORI_E_PARSE;
	memcpy(out->sha1, md, 20);
	return MAMORI_OK;
}
