#include "detection/decode_util.h"

#include <string.h>

/*
 * Decoders look for a handful of short markers in lines of ~100 bytes.
 * glibc's memmem pays a setup per call that cost more than the search
 * (13% of "mamori logs"); memchr to each candidate first byte and one
 * memcmp is several times faster there. Long lines keep memmem, whose
 * time is linear whatever the bytes: up to DIRECT_MAX this loop costs at
 * most DIRECT_MAX x needle length however hostile the line.
 */
#define DIRECT_MAX 1024

size_t
decode_find_n(struct span s, const char *needle, size_t n)
{
	if (n == 0)
		return 0;
	if (n > s.len)
		return s.len;
	if (s.len > DIRECT_MAX) {
		const char *p = memmem(s.p, s.len, needle, n);
		return p ? (size_t)(p - s.p) : s.len;
	}
	const char *p = s.p, *last = s.p + (s.len - n);	/* last possible start */
	while (p <= last) {
		p = memchr(p, needle[0], (size_t)(last - p) + 1);
		if (!p)
			break;
		if (memcmp(p + 1, needle + 1, n - 1) == 0)
			return (size_t)(p - s.p);
		p++;
	}
	return s.len;
}

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

size_t
decode_find_nocase(struct span s, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return 0;
	if (n > s.len)
		return s.len;
	unsigned char c0 = (unsigned char)needle[0];
	for (size_t i = 0; i + n <= s.len; i++) {
		if (lower((unsigned char)s.p[i]) != c0)
			continue;
		size_t k = 1;
		while (k < n && lower((unsigned char)s.p[i + k]) == (unsigned char)needle[k])
			k++;
		if (k == n)
			return i;
	}
	return s.len;
}

bool
decode_after(struct span s, const char *needle, struct span *rest)
{
	size_t n = strlen(needle), off = decode_find_n(s, needle, n);
	if (off >= s.len)
		return false;
	off += n;
	rest->p = s.p + off;
	rest->len = s.len - off;
	return true;
}

struct span
decode_until(struct span s, char c)
{
	return (struct span){ s.p, span_find(s, c) };
}

bool
decode_skip(struct span *s, const char *prefix)
{
	size_t n = strlen(prefix);
	if (s->len < n || memcmp(s->p, prefix, n) != 0)
		return false;
	s->p += n;
	s->len -= n;
	return true;
}

struct span
decode_word(struct span s)
{
	size_t i = 0;
	while (i < s.len && s.p[i] != ' ' && s.p[i] != '\t')
		i++;
	return (struct span){ s.p, i };
}

struct span
decode_sub(struct span s, size_t off, size_t len)
{
	if (off > s.len)
		off = s.len;
	if (len > s.len - off)
		len = s.len - off;
	return (struct span){ s.p + off, len };
}

bool
decode_kv(struct span s, const char *key, struct span *val)
{
	size_t klen = strlen(key);
	size_t from = 0;
	while (from < s.len) {
		struct span rest = { s.p + from, s.len - from };
		size_t off = decode_find(rest, key);
		if (off >= rest.len)
			return false;
		size_t at = from + off;
		size_t after = at + klen;
		from = at + 1;
		if (at > 0) {
			char b = s.p[at - 1];
			if (b != ' ' && b != ',' && b != ';' && b != '\t' && b != '[')
				continue;
		}
		if (after >= s.len || s.p[after] != '=')
			continue;
		after++;
		if (after < s.len && (s.p[after] == '"' || s.p[after] == '\'')) {
			char q = s.p[after++];
			size_t end = after;
			while (end < s.len && s.p[end] != q)
				end++;
			*val = (struct span){ s.p + after, end - after };
			return true;
		}
		size_t end = after;
		while (end < s.len && s.p[end] != ' ' && s.p[end] != '\t' &&
		    s.p[end] != ',' && s.p[end] != ';')
			end++;
		*val = (struct span){ s.p + after, end - after };
		return true;
	}
	return false;
}

bool
decode_is_ipv4(struct span s)
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = 0, nd = 0;
		while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9' && nd < 4) {
			v = v * 10 + (unsigned)(s.p[i] - '0');
			i++;
			nd++;
		}
		/* fail2ban writes "192.030.0.6": leading zeros are accepted */
		if (nd == 0 || nd > 3 || v > 255)
			return false;
		if (part < 3) {
			if (i >= s.len || s.p[i] != '.')
				return false;
			i++;
		}
	}
	return i == s.len;
}

static bool
hexdigit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool
decode_is_ipv6(struct span s)
{
	if (s.len < 2 || s.len > 45)
		return false;
	size_t groups = 0, i = 0;
	bool dbl = false;
	if (s.p[0] == ':') {
		if (s.p[1] != ':')
			return false;
		dbl = true;
		i = 2;
	}
	while (i < s.len) {
		size_t st = i;
		while (i < s.len && hexdigit(s.p[i]) && i - st < 5)
			i++;
		if (i < s.len && s.p[i] == '.') {	/* trailing IPv4 */
			if (!decode_is_ipv4((struct span){ s.p + st, s.len - st }))
				return false;
			groups += 2;
			i = s.len;
			break;
		}
		if (i - st == 0 || i - st > 4)
			return false;
		groups++;
		if (i == s.len)
			break;
		if (s.p[i] != ':')
			return false;
		i++;
		if (i < s.len && s.p[i] == ':') {
			if (dbl)
				return false;
			dbl = true;
			i++;
			if (i == s.len)
				break;
		} else if (i == s.len)
			return false;
	}
	return dbl ? groups < 8 : groups == 8;
}

bool
decode_is_ip(struct span s)
{
	return decode_is_ipv4(s) || decode_is_ipv6(s);
}

struct span
decode_ip_clean(struct span s)
{
	if (s.len >= 2 && s.p[0] == '[' && s.p[s.len - 1] == ']') {
		s.p++;
		s.len -= 2;
	}
	if (s.len > 7 && (memcmp(s.p, "::ffff:", 7) == 0 || memcmp(s.p, "::FFFF:", 7) == 0)) {
		struct span v4 = { s.p + 7, s.len - 7 };
		if (decode_is_ipv4(v4))
			return v4;
	}
	return s;
}

bool
decode_is_host(struct span s)
{
	if (s.len == 0 || s.len > 253)
		return false;
	if (decode_is_ip(s))
		return true;
	bool alpha = false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			alpha = true;
		else if (!((c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
			return false;
	}
	return alpha;
}

int64_t
decode_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's algorithm: exact for every Gregorian date. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
decode_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
decode_month(struct span s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	if (s.len < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (memcmp(s.p, names + 3 * i, 3) == 0)
			return i + 1;
	return 0;
}

int
decode_digits(struct span s, size_t off, size_t n)
{
	if (off > s.len || n > s.len - off)
		return -1;
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s.p[off + i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	return v;
}

size_t
decode_iso8601(struct span s, int64_t *ms)
{
	int y = decode_digits(s, 0, 4), mo = decode_digits(s, 5, 2), d = decode_digits(s, 8, 2);
	int h = decode_digits(s, 11, 2), mi = decode_digits(s, 14, 2), se = decode_digits(s, 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || se < 0 || se > 60 || s.p[4] != '-' || s.p[7] != '-' ||
	    (s.p[10] != 'T' && s.p[10] != ' ') || s.p[13] != ':' || s.p[16] != ':')
		return 0;
	size_t i = 19;
	int frac = 0;
	if (i < s.len && (s.p[i] == '.' || s.p[i] == ',')) {
		i++;
		int nd = 0;
		while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9') {
			if (nd < 3)
				frac = frac * 10 + (s.p[i] - '0');
			nd++;
			i++;
		}
		for (; nd < 3; nd++)
			frac *= 10;
	}
	int64_t off = 0;
	if (i < s.len && s.p[i] == 'Z') {
		i++;
	} else if (i < s.len && (s.p[i] == '+' || s.p[i] == '-')) {
		int oh = decode_digits(s, i + 1, 2), om = -1;
		size_t k = i + 3;
		if (k < s.len && s.p[k] == ':')
			k++;
		om = decode_digits(s, k, 2);
		if (oh >= 0 && om >= 0 && oh < 24 && om < 60) {
			off = (oh * 60 + om) * 60;
			if (s.p[i] == '-')
				off = -off;
			i = k + 2;
		}
	}
	int64_t days = decode_days_from_civil(y, (unsigned)mo, (unsigned)d);
	*ms = ((days * 86400 + h * 3600 + mi * 60 + se) - off) * 1000 + frac;
	return i;
}
