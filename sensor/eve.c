/* eve.c - the EVE envelope and a small streaming JSON writer. */
#include "sensor/eve.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

/* Room every member write may take besides its string value: key, quotes,
 * separators, a number. Checked once per write, so the loops need no test. */
#define MEMBER_ROOM 256

int
eve_init(struct eve *e, FILE *out)
{
	memset(e, 0, sizeof(*e));
	e->out = out;
	e->buf = malloc(EVE_BUF_BYTES);
	return e->buf ? MAMORI_OK : MAMORI_E_NOMEM;
}

void
eve_free(struct eve *e)
{
	free(e->buf);
	e->buf = NULL;
}

int
eve_flush(struct eve *e)
{
	if (e->len == 0 || !e->out)
		return MAMORI_OK;
	size_t n = fwrite(e->buf, 1, e->len, e->out);
	bool bad = n != e->len || fflush(e->out) != 0;
	e->len = 0;
	if (bad) {
		e->errors++;
		return MAMORI_E_IO;
	}
	return MAMORI_OK;
}

/* Makes room for n more bytes (n is always far below the buffer size). */
static inline char *
room(struct eve *e, size_t n)
{
	if (e->len + n > EVE_BUF_BYTES)
		eve_flush(e);
	return e->buf + e->len;
}

static inline void
put(struct eve *e, const char *s, size_t n)
{
	memcpy(room(e, n), s, n);
	e->len += n;
}

static inline void
putc_(struct eve *e, char c)
{
	*room(e, 1) = c;
	e->len++;
}

/* Decimal digits of v: from its bit length (log10(2) ~ 1233/4096), one
 * comparison to settle the guess. Counting by repeated division was a
 * chain of 16 dependent divisions for every 16-digit flow_id. */
static inline size_t
digits10(uint64_t v)
{
	static const uint64_t pow10[20] = { 1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL,
		1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
		100000000000ULL, 1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
		1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
		1000000000000000000ULL, 10000000000000000000ULL };
	unsigned bits = 64 - (unsigned)__builtin_clzll(v | 1);
	unsigned n = (bits * 1233) >> 12;	/* floor(log10(2^bits)) */
	return n + (n < 20 && v >= pow10[n]);
}

/* Digits counted first, then written in place from the end, two per
 * division: most numbers are ports, counters and address octets. (Digits
 * written to a scratch array and copied out stalled on the copy.) */
static size_t
fmt_u64(char *out, uint64_t v)
{
	static const char pairs[201] =
	    "0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
	    "5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
	size_t n = v ? digits10(v) : 1;
	size_t i = n;
	while (v >= 100) {
		unsigned d = (unsigned)(v % 100);
		v /= 100;
		out[--i] = pairs[2 * d + 1];
		out[--i] = pairs[2 * d];
	}
	if (v >= 10) {
		out[--i] = pairs[2 * v + 1];
		out[--i] = pairs[2 * v];
	} else {
		out[--i] = (char)('0' + v);
	}
	return n;
}

static void
member(struct eve *e, const char *key, size_t kl)
{
	char *w = room(e, MEMBER_ROOM);
	size_t k = 0;
	if (e->comma)
		w[k++] = ',';
	if (key) {
		if (kl > MEMBER_ROOM - 64)
			kl = MEMBER_ROOM - 64;
		w[k++] = '"';
		memcpy(w + k, key, kl);
		k += kl;
		w[k++] = '"';
		w[k++] = ':';
	}
	e->len += k;
	e->comma = true;
}

static void
open_(struct eve *e, const char *key, size_t klen, bool array)
{
	if (e->depth >= EVE_DEPTH_MAX)
		return;
	member(e, key, klen);
	putc_(e, array ? '[' : '{');
	if (array)
		e->arrays |= (uint16_t)(1u << e->depth);
	else
		e->arrays &= (uint16_t)~(1u << e->depth);
	e->depth++;
	e->comma = false;
}

void
eve_obj_k(struct eve *e, const char *key, size_t klen)
{
	open_(e, key, klen, false);
}

void
eve_arr_k(struct eve *e, const char *key, size_t klen)
{
	open_(e, key, klen, true);
}

void
eve_close(struct eve *e)
{
	if (e->depth <= 1)
		return;	/* the event object itself is closed by eve_end */
	e->depth--;
	putc_(e, (e->arrays >> e->depth) & 1 ? ']' : '}');
	e->comma = true;
}

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* overlong 3/4-byte forms, surrogates, beyond U+10FFFF */
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

/* True when none of the 8 bytes at s needs escaping (controls, '"', '\\',
 * DEL, non-ASCII): they are copied as they are. The tests are exact: a
 * byte < 0x20 or one equal to c is found by the borrow of its
 * subtraction, which no other byte of the word sets. */
static inline bool
plain8(const unsigned char *s)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t x;
	memcpy(&x, s, 8);
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\'), d = x ^ (ones * 0x7f);
	uint64_t bad = (x - ones * 0x20) | (q - ones) | (b - ones) | (d - ones);
	return ((bad & ~x) | x) & highs ? false : true;
}

void
eve_span_k(struct eve *e, const char *key, size_t klen, struct span v)
{
	static const char hexd[] = "0123456789abcdef";
	if (v.len > EVE_STR_MAX)
		v.len = EVE_STR_MAX;
	member(e, key, klen);
	/* worst case 6 bytes out per byte in ("\u001f") */
	char *w = room(e, v.len * 6 + 2);
	size_t k = 0;
	const unsigned char *s = (const unsigned char *)v.p;
	w[k++] = '"';
	for (size_t i = 0; i < v.len;) {
		if (i + 8 <= v.len && plain8(s + i)) {
			memcpy(w + k, s + i, 8);
			k += 8;
			i += 8;
			continue;
		}
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			w[k++] = (char)c;
			i++;
		} else if (c == '"' || c == '\\') {
			w[k++] = '\\';
			w[k++] = (char)c;
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(w + k, "\\u00", 4);
			w[k + 4] = hexd[c >> 4];
			w[k + 5] = hexd[c & 15];
			k += 6;
			i++;
		} else {
			size_t n = utf8_seq(s + i, v.len - i);
			if (n) {
				memcpy(w + k, s + i, n);
				k += n;
				i += n;
			} else {
				/* not UTF-8: the visible text \xNN */
				memcpy(w + k, "\\\\x", 3);
				w[k + 3] = hexd[c >> 4];
				w[k + 4] = hexd[c & 15];
				k += 5;
				i++;
			}
		}
	}
	w[k++] = '"';
	e->len += k;
}

void
eve_int_k(struct eve *e, const char *key, size_t klen, int64_t v)
{
	member(e, key, klen);
	char *w = room(e, 24);
	size_t k = 0;
	uint64_t u = (uint64_t)v;
	if (v < 0) {
		w[k++] = '-';
		u = 0 - u;
	}
	k += fmt_u64(w + k, u);
	e->len += k;
}

void
eve_bool_k(struct eve *e, const char *key, size_t klen, bool v)
{
	member(e, key, klen);
	if (v)
		put(e, "true", 4);
	else
		put(e, "false", 5);
}

void
eve_ip_k(struct eve *e, const char *key, size_t klen, const struct ip_addr *a)
{
	char b[64];
	size_t n = ip_addr_format(a, b, sizeof(b));
	member(e, key, klen);
	char *w = room(e, n + 2);
	w[0] = '"';
	memcpy(w + 1, b, n);
	w[n + 1] = '"';
	e->len += n + 2;
}

void
eve_hex_k(struct eve *e, const char *key, size_t klen, const uint8_t *b, size_t n, char sep)
{
	static const char hexd[] = "0123456789abcdef";
	if (n > EVE_STR_MAX / 3)
		n = EVE_STR_MAX / 3;
	member(e, key, klen);
	char *w = room(e, n * 3 + 2);
	size_t k = 0;
	w[k++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (i && sep)
			w[k++] = sep;
		w[k++] = hexd[b[i] >> 4];
		w[k++] = hexd[b[i] & 15];
	}
	w[k++] = '"';
	e->len += k;
}

static void
two(char *w, unsigned v)
{
	w[0] = (char)('0' + v / 10 % 10);
	w[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DDTHH:MM:SS.uuuuuu+0000" (31 bytes) without gmtime/strftime:
 * days to civil date as in Howard Hinnant's date algorithms. Years are
 * clamped to 0000..9999 (a capture's clock can say anything). */
static size_t
fmt_time(int64_t ts_us, char *w)
{
	int64_t sec = ts_us / 1000000, us = ts_us % 1000000;
	if (us < 0) {
		us += 1000000;
		sec--;
	}
	int64_t days = sec / 86400, rem = sec % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	unsigned d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	unsigned m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	if (m <= 2)
		y++;
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	two(w, (unsigned)(y / 100));
	two(w + 2, (unsigned)(y % 100));
	w[4] = '-';
	two(w + 5, m);
	w[7] = '-';
	two(w + 8, d);
	w[10] = 'T';
	two(w + 11, (unsigned)(rem / 3600));
	w[13] = ':';
	two(w + 14, (unsigned)(rem / 60 % 60));
	w[16] = ':';
	two(w + 17, (unsigned)(rem % 60));
	w[19] = '.';
	for (int i = 25; i >= 20; i--) {
		w[i] = (char)('0' + us % 10);
		us /= 10;
	}
	memcpy(w + 26, "+0000", 5);
	return 31;
}

/* fmt_time with the date and time of day kept from the previous call:
 * most timestamps of a run fall in the second before. */
static void
fmt_time_e(struct eve *e, int64_t ts_us, char *w)
{
	int64_t sec = ts_us / 1000000, us = ts_us % 1000000;
	if (us < 0) {
		us += 1000000;
		sec--;
	}
	if (sec != e->tsec || !e->tprefix[0]) {
		fmt_time(ts_us, w);
		memcpy(e->tprefix, w, 19);
		e->tsec = sec;
		return;
	}
	memcpy(w, e->tprefix, 19);
	w[19] = '.';
	for (int i = 25; i >= 20; i--) {
		w[i] = (char)('0' + us % 10);
		us /= 10;
	}
	memcpy(w + 26, "+0000", 5);
}

void
eve_timestamp(int64_t ts_us, char *buf, size_t n)
{
	char w[32];
	size_t k = fmt_time(ts_us, w);
	if (n == 0)
		return;
	if (k > n - 1)
		k = n - 1;
	memcpy(buf, w, k);
	buf[k] = '\0';
}

void
eve_time_k(struct eve *e, const char *key, size_t klen, int64_t ts_us)
{
	member(e, key, klen);
	char *w = room(e, 34);
	w[0] = '"';
	fmt_time_e(e, ts_us, w + 1);
	w[32] = '"';
	e->len += 33;
}

static const char *
proto_name(uint8_t proto, char *buf)
{
	switch (proto) {
	case 6: return "TCP";
	case 17: return "UDP";
	case 1: return "ICMP";
	case 58: return "IPv6-ICMP";
	default:
		buf[fmt_u64(buf, proto)] = '\0';
		return buf;
	}
}

char *
eve_reserve(struct eve *e, size_t n)
{
	return room(e, n);
}

char *
eve_put_u64(char *w, uint64_t v)
{
	return w + fmt_u64(w, v);
}

char *
eve_put_i64(char *w, int64_t v)
{
	uint64_t u = (uint64_t)v;
	if (v < 0) {
		*w++ = '-';
		u = 0 - u;
	}
	return w + fmt_u64(w, u);
}

char *
eve_put_ip(char *w, const struct ip_addr *a)
{
	*w = '"';
	w += 1 + ip_addr_format(a, w + 1, 64);
	*w++ = '"';
	return w;
}

char *
eve_put_time(struct eve *e, char *w, int64_t ts_us)
{
	*w = '"';
	fmt_time_e(e, ts_us, w + 1);
	w[32] = '"';
	return w + 33;
}

void
eve_commit_end(struct eve *e, char *w)
{
	w = EVE_PUT_LIT(w, "}\n");
	e->len = (size_t)(w - e->buf);
	e->depth = 0;
	e->comma = false;
	e->written++;
}

/* The 5-tuple members; ports only where the protocol has them. */
static char *
put_tuple(char *w, const struct ip_addr *src, uint16_t sport, const struct ip_addr *dst,
    uint16_t dport, bool ports, uint8_t proto)
{
	char pn[8];
	w = EVE_PUT_LIT(w, ",\"src_ip\":");
	w = eve_put_ip(w, src);
	if (ports) {
		w = EVE_PUT_LIT(w, ",\"src_port\":");
		w = eve_put_u64(w, sport);
	}
	w = EVE_PUT_LIT(w, ",\"dest_ip\":");
	w = eve_put_ip(w, dst);
	if (ports) {
		w = EVE_PUT_LIT(w, ",\"dest_port\":");
		w = eve_put_u64(w, dport);
	}
	w = EVE_PUT_LIT(w, ",\"proto\":\"");
	const char *pname = proto_name(proto, pn);
	size_t n = strlen(pname);
	memcpy(w, pname, n);
	w += n;
	*w++ = '"';
	return w;
}

static char *
put_vlan(char *w, const struct flow *f)
{
	if (f && f->key.vlan) {
		w = EVE_PUT_LIT(w, ",\"vlan\":[");
		w = eve_put_u64(w, f->key.vlan);
		*w++ = ']';
	}
	return w;
}

/* Room for the envelope: timestamp 46, flow_id 30, event_type 16 + the
 * type, two addresses of up to 46 characters with keys and ports, proto,
 * vlan: well under 512 with the type capped at 64. */
#define ENVELOPE_ROOM 512

/* The envelope up to the 5-tuple, written directly: it is in every event,
 * and member-by-member writing of it was a visible share of the run. The
 * type is a literal of ours (no escaping needed). */
static char *
begin(struct eve *e, int64_t ts_us, const char *type, size_t tlen, const struct flow *f)
{
	char *w = room(e, ENVELOPE_ROOM);
	if (tlen > 64)
		tlen = 64;
	w = EVE_PUT_LIT(w, "{\"timestamp\":");
	w = eve_put_time(e, w, ts_us);
	if (f) {
		w = EVE_PUT_LIT(w, ",\"flow_id\":");
		w = eve_put_i64(w, (int64_t)f->id);
	}
	w = EVE_PUT_LIT(w, ",\"event_type\":\"");
	memcpy(w, type, tlen);
	w += tlen;
	*w++ = '"';
	e->depth = 1;
	e->arrays = 0;
	e->comma = true;
	return w;
}

void
eve_begin_k(struct eve *e, int64_t ts_us, const char *type, size_t tlen, const struct flow *f,
    const struct pkt *p)
{
	char *w = begin(e, ts_us, type, tlen, f);
	if (f) {
		w = put_tuple(w, &f->src, f->sport, &f->dst, f->dport, true, f->proto);
		w = put_vlan(w, f);
	} else if (p && p->ip_ver) {
		w = put_tuple(w, &p->src, p->sport, &p->dst, p->dport,
		    p->l4 == L4_TCP || p->l4 == L4_UDP, p->ip_proto);
	}
	e->len = (size_t)(w - e->buf);
}

void
eve_begin_packet_k(struct eve *e, int64_t ts_us, const char *type, size_t tlen,
    const struct flow *f, const struct pkt *p)
{
	char *w = begin(e, ts_us, type, tlen, f);
	if (p->ip_ver)
		w = put_tuple(w, &p->src, p->sport, &p->dst, p->dport,
		    p->l4 == L4_TCP || p->l4 == L4_UDP, p->ip_proto);
	w = put_vlan(w, f);
	e->len = (size_t)(w - e->buf);
}

void
eve_end(struct eve *e)
{
	while (e->depth > 1)
		eve_close(e);
	put(e, "}\n", 2);
	e->depth = 0;
	e->comma = false;
	e->written++;
}
