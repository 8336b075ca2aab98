#include "common/span.h"

#include <string.h>

#include "common/err.h"

struct span
span_from_cstr(const char *s)
{
	struct span r = { s, s ? strlen(s) : 0 };
	return r;
}

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

bool
span_eq_nocase(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	if (s.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s.p[i]) != lower((unsigned char)lit[i]))
			return false;
	return true;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

struct span
span_trim(struct span s)
{
	while (s.len > 0 && is_space(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && is_space(s.p[s.len - 1]))
		s.len--;
	return s;
}

size_t
span_find(struct span s, char c)
{
	const char *q = s.len ? memchr(s.p, c, s.len) : NULL;
	return q ? (size_t)(q - s.p) : s.len;
}

bool
span_split(struct span s, char c, struct span *head, struct span *tail)
{
	size_t i = span_find(s, c);
	head->p = s.p;
	head->len = i;
	if (i == s.len) {
		tail->p = s.p + s.len;
		tail->len = 0;
		return false;
	}
	tail->p = s.p + i + 1;
	tail->len = s.len - i - 1;
	return true;
}

bool
span_next_word(struct span *s, struct span *word)
{
	size_t i = 0;
	while (i < s->len && is_space(s->p[i]))
		i++;
	if (i == s->len) {
		s->p += s->len;
		s->len = 0;
		return false;
	}
	size_t j = i;
	while (j < s->len && !is_space(s->p[j]))
		j++;
	word->p = s->p + i;
	word->len = j - i;
	s->p += j;
	s->len -= j;
	return true;
}

int
span_to_u64(struct span s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (s.len == 0)
		return MAMORI_E_PARSE;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';
		if (d > 9)
			return MAMORI_E_PARSE;
		if (v > (max - d) / 10)
			return MAMORI_E_LIMIT;
		v = v * 10 + d;
	}
	*out = v;
	return MAMORI_OK;
}

bool
span_contains(struct span s, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return true;
	if (n > s.len)
		return false;
	for (size_t i = 0; i + n <= s.len; i++)
		if (s.p[i] == needle[0] && memcmp(s.p + i, needle, n) == 0)
			return true;
	return false;
}

bool
span_is_text(struct span s)
{
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
			return false;
		if (c == 0x7f)
			return false;
	}
	return true;
}

void
cursor_init(struct cursor *c, const void *data, size_t len)
{
	c->p = data;
	c->len = data ? len : 0;
	c->off = 0;
}

bool
cursor_line(struct cursor *c, struct span *line)
{
	if (c->off >= c->len)
		return false;
	const char *start = (const char *)c->p + c->off;
	size_t left = c->len - c->off;
	const char *nl = memchr(start, '\n', left);
	size_t n = nl ? (size_t)(nl - start) : left;
	c->off += nl ? n + 1 : n;
	if (n > 0 && start[n - 1] == '\r')
		n--;
	line->p = start;
	line->len = n;
	return true;
}

