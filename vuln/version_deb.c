/*
 * version_deb.c - dpkg's version ordering (lib/dpkg/version.c and
 * parsehelp.c of dpkg 1.21), on bounded spans instead of NUL-split copies.
 *
 * A version is [epoch:]upstream[-revision]: the epoch ends at the first
 * ':', the revision starts after the last '-'. Each part is compared with
 * dpkg's verrevcmp(): alternating non-digit runs (compared by order()) and
 * digit runs (compared numerically by length after leading zeros, so a
 * run of any length cannot overflow).
 */
#include "vuln/version_deb.h"

#include <stddef.h>
#include <string.h>

struct debver {
	const char *epoch;	/* digits without leading zeros; may be empty */
	size_t epoch_len;
	const char *upstream;
	size_t upstream_len;
	const char *revision;
	size_t revision_len;
};

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/*
 * dpkg's character weight: '~' before the end of a part, the end before
 * letters, letters before everything else. dpkg computes this on a plain
 * (signed) char, so bytes >= 0x80 land between the letters and ASCII
 * punctuation; we keep that to give the same answer on any input.
 */
static int
order(int c)
{
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return (int)(signed char)c + 256;
	return 0;
}

static int
at(const char *p, size_t len, size_t i)
{
	return i < len ? (unsigned char)p[i] : 0;
}

static int
verrevcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen || j < blen) {
		int first_diff = 0;

		while ((i < alen && !is_digit(at(a, alen, i))) ||
		    (j < blen && !is_digit(at(b, blen, j)))) {
			int ac = order(at(a, alen, i));
			int bc = order(at(b, blen, j));
			if (ac != bc)
				return ac - bc;
			i++;
			j++;
		}
		while (i < alen && a[i] == '0')
			i++;
		while (j < blen && b[j] == '0')
			j++;
		while (is_digit(at(a, alen, i)) && is_digit(at(b, blen, j))) {
			if (!first_diff)
				first_diff = at(a, alen, i) - at(b, blen, j);
			i++;
			j++;
		}
		if (is_digit(at(a, alen, i)))
			return 1;
		if (is_digit(at(b, blen, j)))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

/*
 * Splits like dpkg's parseversion(). dpkg refuses a non-numeric epoch; we
 * cannot refuse (the caller wants an order), so such a string keeps epoch
 * 0 and is compared whole as upstream text.
 */
static void
split(const char *s, size_t len, struct debver *v)
{
	memset(v, 0, sizeof(*v));
	while (len > 0 && is_space((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_space((unsigned char)s[len - 1]))
		len--;

	const char *colon = memchr(s, ':', len);
	if (colon && colon > s) {
		const char *p = s;
		while (p < colon && is_digit((unsigned char)*p))
			p++;
		if (p == colon) {
			const char *e = s;
			while (e < colon - 1 && *e == '0')
				e++;
			v->epoch = e;
			v->epoch_len = (size_t)(colon - e);
			if (v->epoch_len == 1 && *e == '0')
				v->epoch_len = 0;
			len -= (size_t)(colon + 1 - s);
			s = colon + 1;
		}
	}
	v->upstream = s;
	v->upstream_len = len;
	for (size_t i = len; i > 0; i--) {
		if (s[i - 1] == '-') {
			v->upstream_len = i - 1;
			v->revision = s + i;
			v->revision_len = len - i;
			break;
		}
	}
	if (!v->revision)
		v->revision = s + len;
}

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

int
version_deb_cmp(const char *a, const char *b)
{
	return version_deb_cmp_n(a ? a : "", a ? strlen(a) : 0,
	    b ? b : "", b ? strlen(b) : 0);
}

int
version_deb_cmp_n(const char *a, size_t alen, const char *b, size_t blen)
{
	struct debver va, vb;

	split(a, alen, &va);
	split(b, blen, &vb);
	/* Epochs are digit strings without leading zeros: longer is larger. */
	if (va.epoch_len != vb.epoch_len)
		return va.epoch_len > vb.epoch_len ? 1 : -1;
	if (va.epoch_len) {
		int r = memcmp(va.epoch, vb.epoch, va.epoch_len);
		if (r)
			return sign(r);
	}
	int r = verrevcmp(va.upstream, va.upstream_len, vb.upstream,
	    vb.upstream_len);
	if (r)
		return sign(r);
	return sign(verrevcmp(va.revision, va.revision_len, vb.revision,
	    vb.revision_len));
}
