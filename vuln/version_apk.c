/*
 * version_apk.c - apk-tools' version comparison, token by token.
 *
 * A version is read as a sequence of typed tokens; the token types are
 * ordered, and a type that may not follow the previous one makes the rest
 * invalid. Comparison walks both sides while type and value agree; the
 * first difference decides, and when one side ends first it is the older
 * one unless the other continues with a pre-release suffix.
 */
#include "vuln/version_apk.h"

#include <stdint.h>
#include <string.h>

enum tok {
	T_INVALID = -1,
	T_DIGIT_OR_ZERO,
	T_DIGIT,
	T_LETTER,
	T_SUFFIX,
	T_SUFFIX_NO,
	T_REVISION_NO,
	T_END,
};

struct blob {
	const char *p;
	size_t len;
};

/* apk keeps numbers below 18 digits; longer runs are invalid there too. */
#define MAX_DIGITS 18

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static void
next_token(int *type, struct blob *b)
{
	int n = T_INVALID;

	if (b->len == 0 || b->p[0] == '\0') {
		n = T_END;
	} else if ((*type == T_DIGIT || *type == T_DIGIT_OR_ZERO) && is_lower(b->p[0])) {
		n = T_LETTER;
	} else if (*type == T_LETTER && is_digit(b->p[0])) {
		n = T_DIGIT;
	} else if (*type == T_SUFFIX && is_digit(b->p[0])) {
		n = T_SUFFIX_NO;
	} else {
		switch (b->p[0]) {
		case '.':
			n = T_DIGIT_OR_ZERO;
			break;
		case '_':
			n = T_SUFFIX;
			break;
		case '-':
			if (b->len > 1 && b->p[1] == 'r') {
				n = T_REVISION_NO;
				b->p++;
				b->len--;
			}
			break;
		}
		b->p++;
		b->len--;
	}
	/* Going back in the grammar is only allowed for repeats. */
	if (n < *type) {
		if (!((n == T_DIGIT_OR_ZERO && *type == T_DIGIT) ||
		    (n == T_SUFFIX && *type == T_SUFFIX_NO) ||
		    (n == T_DIGIT && *type == T_LETTER)))
			n = T_INVALID;
	}
	*type = n;
}

static int
prefix(const struct blob *b, const char *word, size_t *wlen)
{
	*wlen = strlen(word);
	return *wlen <= b->len && memcmp(b->p, word, *wlen) == 0;
}

static int64_t
get_token(int *type, struct blob *b)
{
	static const char *const pre[] = { "alpha", "beta", "pre", "rc" };
	static const char *const post[] = { "cvs", "svn", "git", "hg", "p" };
	size_t i = 0;
	int nt = T_INVALID;
	int64_t v = 0;

	if (b->len == 0) {
		*type = T_END;
		return 0;
	}
	switch (*type) {
	case T_DIGIT_OR_ZERO:
		/* A component with leading zeros sorts by their count,
		 * below any plain number ("1.05" < "1.5"). */
		if (b->p[0] == '0') {
			while (i < b->len && b->p[i] == '0')
				i++;
			nt = T_DIGIT;
			v = -(int64_t)i;
			break;
		}
		/* FALLTHROUGH */
	case T_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		while (i < b->len && is_digit(b->p[i])) {
			if (i >= MAX_DIGITS)
				goto invalid;
			v = v * 10 + (b->p[i++] - '0');
		}
		if (i >= MAX_DIGITS)
			goto invalid;
		break;
	case T_LETTER:
		v = (unsigned char)b->p[i++];
		break;
	case T_SUFFIX: {
		size_t n;
		for (size_t k = 0; k < sizeof(pre) / sizeof(pre[0]); k++) {
			if (prefix(b, pre[k], &n)) {
				i = n;
				v = (int64_t)k - (int64_t)(sizeof(pre) / sizeof(pre[0]));
				goto done;
			}
		}
		for (size_t k = 0; k < sizeof(post) / sizeof(post[0]); k++) {
			if (prefix(b, post[k], &n)) {
				i = n;
				v = (int64_t)k;
				goto done;
			}
		}
		goto invalid;
	}
	default:
		goto invalid;
	}
done:
	b->p += i;
	b->len -= i;
	if (b->len == 0)
		*type = T_END;
	else if (nt != T_INVALID)
		*type = nt;
	else
		next_token(type, b);
	return v;
invalid:
	*type = T_INVALID;
	return -1;
}

bool
version_apk_valid(const char *v, size_t len)
{
	struct blob b = { v, strnlen(v, len) };
	int t = T_DIGIT;
	while (t != T_END && t != T_INVALID)
		(void)get_token(&t, &b);
	return t == T_END;
}

int
version_apk_cmp_n(const char *a, size_t alen, const char *b, size_t blen)
{
	struct blob x = { a, strnlen(a, alen) }, y = { b, strnlen(b, blen) };
	int xt = T_DIGIT, yt = T_DIGIT, tt;
	int64_t xv = 0, yv = 0;

	while (xt == yt && xt != T_END && xt != T_INVALID && xv == yv) {
		xv = get_token(&xt, &x);
		yv = get_token(&yt, &y);
	}
	if (xv != yv)
		return xv < yv ? -1 : 1;
	if (xt == yt)
		return 0;
	/* Equal so far: the longer one is newer unless it goes on with a
	 * pre-release suffix. */
	tt = xt;
	if (xt == T_SUFFIX && get_token(&tt, &x) < 0)
		return -1;
	tt = yt;
	if (yt == T_SUFFIX && get_token(&tt, &y) < 0)
		return 1;
	if (xt > yt)
		return -1;
	if (yt > xt)
		return 1;
	return 0;
}

int
version_apk_cmp(const char *a, const char *b)
{
	return version_apk_cmp_n(a, strlen(a), b, strlen(b));
}
