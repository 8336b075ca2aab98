/*
 * version_rpm.c - rpmvercmp() and EVR comparison on bounded strings.
 *
 * Follows rpm's lib/rpmvercmp.c segment by segment; only ASCII letters and
 * digits make segments (rpm's risalpha/risdigit are ASCII-only too).
 */
#include "vuln/version_rpm.h"

#include <stdbool.h>
#include <string.h>

struct str {
	const char *p;
	size_t len;
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The byte at i, or NUL past the end (rpm works on C strings). */
static char
at(const struct str *s, size_t i)
{
	return i < s->len ? s->p[i] : '\0';
}

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

static int
vercmp(struct str a, struct str b)
{
	size_t i = 0, j = 0;

	/* A NUL inside a bounded string ends it, as in rpm. */
	a.len = strnlen(a.p, a.len);
	b.len = strnlen(b.p, b.len);
	if (a.len == b.len && memcmp(a.p, b.p, a.len) == 0)
		return 0;

	while (at(&a, i) || at(&b, j)) {
		while (at(&a, i) && !is_digit(at(&a, i)) && !is_alpha(at(&a, i)) &&
		    at(&a, i) != '~' && at(&a, i) != '^')
			i++;
		while (at(&b, j) && !is_digit(at(&b, j)) && !is_alpha(at(&b, j)) &&
		    at(&b, j) != '~' && at(&b, j) != '^')
			j++;

		/* '~' sorts before everything, even the end. */
		if (at(&a, i) == '~' || at(&b, j) == '~') {
			if (at(&a, i) != '~')
				return 1;
			if (at(&b, j) != '~')
				return -1;
			i++;
			j++;
			continue;
		}
		/* '^' sorts after the end but before any other segment. */
		if (at(&a, i) == '^' || at(&b, j) == '^') {
			if (!at(&a, i))
				return -1;
			if (!at(&b, j))
				return 1;
			if (at(&a, i) != '^')
				return 1;
			if (at(&b, j) != '^')
				return -1;
			i++;
			j++;
			continue;
		}
		if (!at(&a, i) || !at(&b, j))
			break;

		size_t ie = i, je = j;
		bool isnum = is_digit(at(&a, i));
		if (isnum) {
			while (is_digit(at(&a, ie)))
				ie++;
			while (is_digit(at(&b, je)))
				je++;
		} else {
			while (is_alpha(at(&a, ie)))
				ie++;
			while (is_alpha(at(&b, je)))
				je++;
		}
		/* Different kinds: the numeric segment is newer. */
		if (je == j)
			return isnum ? 1 : -1;
		if (isnum) {
			while (i < ie && a.p[i] == '0')
				i++;
			while (j < je && b.p[j] == '0')
				j++;
			if (ie - i != je - j)
				return ie - i > je - j ? 1 : -1;
		}
		size_t la = ie - i, lb = je - j;
		int rc = memcmp(a.p + i, b.p + j, la < lb ? la : lb);
		if (rc)
			return sign(rc);
		if (la != lb)
			return la > lb ? 1 : -1;
		i = ie;
		j = je;
	}
	if (!at(&a, i) && !at(&b, j))
		return 0;
	return !at(&a, i) ? -1 : 1;
}

int
version_rpm_vercmp_n(const char *a, size_t alen, const char *b, size_t blen)
{
	return vercmp((struct str){ a, alen }, (struct str){ b, blen });
}

int
version_rpm_vercmp(const char *a, const char *b)
{
	return version_rpm_vercmp_n(a, strlen(a), b, strlen(b));
}

struct evr {
	struct str e, v, r;
	bool has_r;
};

/* rpm's parseEVR: leading digits then ':' is the epoch; the last '-'
 * after it starts the release. */
static void
parse_evr(struct str s, struct evr *out)
{
	size_t i = 0;
	s.len = strnlen(s.p, s.len);
	while (i < s.len && is_digit(s.p[i]))
		i++;
	if (i < s.len && s.p[i] == ':') {
		out->e = i ? (struct str){ s.p, i } : (struct str){ "0", 1 };
		s.p += i + 1;
		s.len -= i + 1;
		i = 0;
	} else {
		out->e = (struct str){ "0", 1 };
	}
	size_t dash = s.len;
	/* rpm searches from the end of the epoch digits, not the start. */
	for (size_t k = s.len; k > i; k--) {
		if (s.p[k - 1] == '-') {
			dash = k - 1;
			break;
		}
	}
	out->v = (struct str){ s.p, dash };
	out->has_r = dash < s.len;
	out->r = out->has_r ? (struct str){ s.p + dash + 1, s.len - dash - 1 } :
	    (struct str){ "", 0 };
}

int
version_rpm_cmp_n(const char *a, size_t alen, const char *b, size_t blen)
{
	struct evr ea, eb;
	parse_evr((struct str){ a, alen }, &ea);
	parse_evr((struct str){ b, blen }, &eb);
	int rc = vercmp(ea.e, eb.e);
	if (!rc)
		rc = vercmp(ea.v, eb.v);
	/* rpmverCmp: a missing release sorts below any release. */
	if (!rc && ea.has_r != eb.has_r)
		rc = ea.has_r ? 1 : -1;
	else if (!rc && ea.has_r)
		rc = vercmp(ea.r, eb.r);
	return rc;
}

int
version_rpm_cmp(const char *a, const char *b)
{
	return version_rpm_cmp_n(a, strlen(a), b, strlen(b));
}
