/* proto_krb5.c - Kerberos KDC requests and replies, read far enough for the
 * encryption types and the ticket's service (DER, tolerant of a message cut
 * at the end of a TCP segment: a value is what is there of it). */
#include "sensor/proto_krb5.h"

#include <string.h>

#include "common/err.h"

/* Next TLV; the value is cut to the bytes present. Single-byte tags only
 * (all of Kerberos' are); lengths of up to 4 bytes. */
static int
der_next(struct cursor *c, uint8_t *tag, struct span *val)
{
	uint8_t t, l;
	if (cursor_u8(c, &t) != 0 || (t & 0x1f) == 0x1f || cursor_u8(c, &l) != 0)
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
	size_t have = cursor_left(c) < len ? cursor_left(c) : len;
	*tag = t;
	val->p = (const char *)c->p + c->off;
	val->len = have;
	c->off += have;
	return 0;
}

/* The one TLV inside an explicit tag's value, expecting tag want. */
static int
der_inner(struct span outer, uint8_t want, struct span *val)
{
	struct cursor c;
	uint8_t t;
	cursor_init(&c, outer.p, outer.len);
	if (der_next(&c, &t, val) != 0 || t != want)
		return MAMORI_E_PARSE;
	return 0;
}

static int
der_int(struct span v, int32_t *out)
{
	if (v.len == 0 || v.len > 4)
		return MAMORI_E_PARSE;
	int32_t x = (v.p[0] & 0x80) ? -1 : 0;
	for (size_t i = 0; i < v.len; i++)
		x = (int32_t)((uint32_t)x << 8 | (uint8_t)v.p[i]);
	*out = x;
	return 0;
}

static int
explicit_int(struct span v, int32_t *out)
{
	struct span i;
	return der_inner(v, 0x02, &i) == 0 ? der_int(i, out) : MAMORI_E_PARSE;
}

static void
copy_str(char *dst, size_t cap, size_t *at, struct span s, char sep)
{
	if (*at && *at + 1 < cap)
		dst[(*at)++] = sep;
	for (size_t i = 0; i < s.len && *at + 1 < cap; i++) {
		unsigned char ch = (unsigned char)s.p[i];
		dst[(*at)++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	dst[*at] = '\0';
}

/* PrincipalName -> "a/b" */
static void
principal(struct span v, char *dst, size_t cap)
{
	struct span seq, names, s;
	struct cursor c, n;
	uint8_t t;
	size_t at = 0;
	dst[0] = '\0';
	if (der_inner(v, 0x30, &seq) != 0)
		return;
	cursor_init(&c, seq.p, seq.len);
	while (der_next(&c, &t, &s) == 0) {
		if (t != 0xa1 || der_inner(s, 0x30, &names) != 0)
			continue;
		cursor_init(&n, names.p, names.len);
		while (der_next(&n, &t, &s) == 0)
			if (t == 0x1b)
				copy_str(dst, cap, &at, s, '/');
	}
}

static void
realm(struct span v, char *dst, size_t cap)
{
	struct span s;
	size_t at = 0;
	dst[0] = '\0';
	if (der_inner(v, 0x1b, &s) == 0)
		copy_str(dst, cap, &at, s, 0);
}

static void
req_body(struct span v, struct krb5_msg *m)
{
	struct span seq, s, list;
	struct cursor c, l;
	uint8_t t;
	if (der_inner(v, 0x30, &seq) != 0)
		return;
	cursor_init(&c, seq.p, seq.len);
	while (der_next(&c, &t, &s) == 0) {
		if (t == 0xa2)
			realm(s, m->realm, sizeof(m->realm));
		else if (t == 0xa3)
			principal(s, m->sname, sizeof(m->sname));
		else if (t == 0xa1)
			principal(s, m->cname, sizeof(m->cname));
		if (t != 0xa8 || der_inner(s, 0x30, &list) != 0)
			continue;
		cursor_init(&l, list.p, list.len);
		int32_t e;
		while (m->netypes < KRB5_MAX_ETYPES && der_next(&l, &t, &s) == 0)
			if (t == 0x02 && der_int(s, &e) == 0)
				m->etypes[m->netypes++] = e;
	}
}

/* Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno[0], realm[1], sname[2], enc-part[3] } */
static void
ticket(struct span v, struct krb5_msg *m)
{
	struct span app, seq, s, ed, e;
	struct cursor c, d;
	uint8_t t;
	if (der_inner(v, 0x61, &app) != 0 || der_inner(app, 0x30, &seq) != 0)
		return;
	cursor_init(&c, seq.p, seq.len);
	while (der_next(&c, &t, &s) == 0) {
		if (t == 0xa2)
			principal(s, m->sname, sizeof(m->sname));
		if (t != 0xa3 || der_inner(s, 0x30, &ed) != 0)
			continue;
		cursor_init(&d, ed.p, ed.len);
		if (der_next(&d, &t, &e) == 0 && t == 0xa0)
			explicit_int(e, &m->ticket_etype);
	}
}

int
proto_krb5_parse(struct span in, bool tcp, struct krb5_msg *out)
{
	struct cursor c;
	struct span app, seq, s;
	uint8_t t;
	memset(out, 0, sizeof(*out));
	out->ticket_etype = -1;
	cursor_init(&c, in.p, in.len);
	if (tcp) {
		uint32_t mark;
		if (cursor_u32be(&c, &mark) != 0 || (mark & 0x80000000u) || mark < 16)
			return MAMORI_E_PARSE;
	}
	if (der_next(&c, &t, &app) != 0 || t < 0x6a || t > 0x6d)
		return MAMORI_E_PARSE;
	bool req = t == 0x6a || t == 0x6c;
	int type = t - 0x60;
	if (der_inner(app, 0x30, &seq) != 0)
		return MAMORI_E_PARSE;
	cursor_init(&c, seq.p, seq.len);
	int32_t mt = 0;
	while (der_next(&c, &t, &s) == 0) {
		if (t == (req ? 0xa2 : 0xa1) && explicit_int(s, &mt) != 0)
			return MAMORI_E_PARSE;
		if (req && t == 0xa4)
			req_body(s, out);
		else if (!req && t == 0xa3)
			realm(s, out->realm, sizeof(out->realm));
		else if (!req && t == 0xa4)
			principal(s, out->cname, sizeof(out->cname));
		else if (!req && t == 0xa5)
			ticket(s, out);
	}
	if (mt != type)
		return MAMORI_E_PARSE;
	out->msg_type = type;
	return 0;
}
