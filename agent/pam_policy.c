/* pam_policy.c - password quality modules in pam.d files. */
#include "agent/pam_policy.h"

#include <string.h>

#include "common/err.h"

static const char *const modules[] = {
	"pam_pwquality.so", "pam_cracklib.so", "pam_passwdqc.so",
};

/* "minlen=N" with N a sane length; false otherwise. */
static bool
minlen_arg(struct span w, long *out)
{
	struct span key, val;
	uint64_t v;
	if (!span_split(w, '=', &key, &val) || !span_eq(key, "minlen") ||
	    span_to_u64(val, 100000, &v) != 0)
		return false;
	*out = (long)v;
	return true;
}

int
pam_policy_parse(struct arena *a, struct span text, struct pam_quality *q)
{
	struct cursor c;
	struct span line, w;
	int lineno = 0;
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		lineno++;
		struct span l = span_trim(line);
		size_t hash = span_find(l, '#');
		l.len = hash;
		if (!span_next_word(&l, &w))
			continue;
		if (w.len && w.p[0] == '-') {	/* "-password": skip if missing */
			w.p++;
			w.len--;
		}
		if (!span_eq_nocase(w, "password"))
			continue;
		/* The control: a word, or "[...]" that may contain spaces. */
		l = span_trim(l);
		if (l.len && l.p[0] == '[') {
			size_t end = span_find(l, ']');
			if (end == l.len)
				continue;
			l.p += end + 1;
			l.len -= end + 1;
		} else if (!span_next_word(&l, &w)) {
			continue;
		}
		if (!span_next_word(&l, &w))
			continue;
		/* The module: a path or a bare name. */
		struct span base = w;
		for (size_t i = 0; i < w.len; i++)
			if (w.p[i] == '/') {
				base.p = w.p + i + 1;
				base.len = w.len - i - 1;
			}
		bool quality = false;
		for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
			quality |= span_eq(base, modules[i]);
		if (!quality)
			continue;
		q->found = true;
		q->line = lineno;
		q->minlen = -1;
		if (!(q->module = arena_spandup(a, base)))
			return MAMORI_E_NOMEM;
		while (span_next_word(&l, &w))
			minlen_arg(w, &q->minlen);
		return MAMORI_OK;
	}
	return MAMORI_OK;
}

void
pam_policy_pwquality_minlen(struct span text, long *minlen, int *line)
{
	struct cursor c;
	struct span l, key, val;
	int lineno = 0;
	uint64_t v;
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &l)) {
		lineno++;
		l = span_trim(l);
		if (l.len == 0 || l.p[0] == '#' || !span_split(l, '=', &key, &val))
			continue;
		if (!span_eq(span_trim(key), "minlen") ||
		    span_to_u64(span_trim(val), 100000, &v) != 0)
			continue;
		*minlen = (long)v;
		*line = lineno;
	}
}
