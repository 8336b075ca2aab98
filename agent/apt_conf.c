/*
 * apt_conf.c - a tokenizer and scope tracker for apt.conf(5) files,
 * following apt-pkg's ReadConfigFile(): a statement is a tag, an optional
 * value and ';'; "tag {" opens a scope whose name prefixes the tags inside;
 * "#" starts a comment unless it begins "#clear" or "#include".
 */
#include "agent/apt_conf.h"

#include <string.h>

#include "common/err.h"

#define KEY_MAX 1024
#define DEPTH_MAX 32

struct parser {
	const char *p, *end;
	int line;
	char scope[KEY_MAX];
	size_t scope_len;
	size_t depth_len[DEPTH_MAX];
	int depth;
	char tag[KEY_MAX];
	size_t tag_len;
	char val[KEY_MAX];
	size_t val_len;
	int ntok;
	int stmt_line;
	apt_conf_fn fn;
	void *arg;
};

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static bool
starts(const struct parser *ps, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(ps->end - ps->p) >= n && memcmp(ps->p, lit, n) == 0;
}

static void
advance(struct parser *ps)
{
	if (*ps->p == '\n')
		ps->line++;
	ps->p++;
}

static void
skip_line(struct parser *ps)
{
	while (ps->p < ps->end && *ps->p != '\n')
		ps->p++;
}

static int
append(char *buf, size_t *len, const char *s, size_t n)
{
	if (*len + n + 1 > KEY_MAX)
		return MAMORI_E_PARSE;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
	return MAMORI_OK;
}

/* Adds one token of a statement: the first word is the tag, the rest is
 * the value (quoted strings lose their quotes). */
static int
token(struct parser *ps, const char *s, size_t n, bool quoted)
{
	if (ps->ntok == 0)
		ps->stmt_line = ps->line;
	if (ps->ntok == 0 && !quoted) {
		ps->ntok = 1;
		return append(ps->tag, &ps->tag_len, s, n);
	}
	if (ps->ntok == 0)
		ps->ntok = 1;	/* a list item: value without a tag */
	if (ps->val_len && append(ps->val, &ps->val_len, " ", 1))
		return MAMORI_E_PARSE;
	ps->ntok++;
	return append(ps->val, &ps->val_len, s, n);
}

static void
reset_stmt(struct parser *ps)
{
	ps->tag_len = ps->val_len = 0;
	ps->tag[0] = ps->val[0] = '\0';
	ps->ntok = 0;
}

static int
full_key(const struct parser *ps, char *out)
{
	size_t len = 0;

	out[0] = '\0';
	if (append(out, &len, ps->scope, ps->scope_len))
		return MAMORI_E_PARSE;
	if (ps->scope_len && append(out, &len, "::", 2))
		return MAMORI_E_PARSE;
	return append(out, &len, ps->tag, ps->tag_len);
}

static int
end_stmt(struct parser *ps)
{
	char key[KEY_MAX];
	int rc;

	if (ps->ntok == 0)
		return MAMORI_OK;
	if ((rc = full_key(ps, key)))
		return rc;
	rc = ps->fn(ps->arg, APT_CONF_SET, key, ps->val, ps->stmt_line);
	reset_stmt(ps);
	return rc;
}

static int
open_scope(struct parser *ps)
{
	char key[KEY_MAX];
	size_t len;

	if (ps->depth >= DEPTH_MAX)
		return MAMORI_E_PARSE;
	if (full_key(ps, key))
		return MAMORI_E_PARSE;
	len = strlen(key);
	ps->depth_len[ps->depth++] = ps->scope_len;
	memcpy(ps->scope, key, len + 1);
	ps->scope_len = len;
	reset_stmt(ps);
	return MAMORI_OK;
}

static int
close_scope(struct parser *ps)
{
	int rc;

	/* apt accepts a last statement without ';' before '}'. */
	if ((rc = end_stmt(ps)))
		return rc;
	if (ps->depth == 0)
		return MAMORI_E_PARSE;
	ps->scope_len = ps->depth_len[--ps->depth];
	ps->scope[ps->scope_len] = '\0';
	return MAMORI_OK;
}

/* "#clear a::b;" / "#include file;": the argument runs to ';' or EOL. */
static int
directive(struct parser *ps, enum apt_conf_event ev, size_t skip)
{
	char arg[KEY_MAX];
	size_t len = 0;
	int line = ps->line;

	ps->p += skip;
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
	const char *s = ps->p;
	while (ps->p < ps->end && *ps->p != ';' && *ps->p != '\n')
		ps->p++;
	struct span a = span_trim((struct span){ s, (size_t)(ps->p - s) });
	if (a.len >= 2 && a.p[0] == '"' && a.p[a.len - 1] == '"') {
		a.p++;
		a.len -= 2;
	}
	if (ps->p < ps->end && *ps->p == ';')
		ps->p++;
	arg[0] = '\0';
	if (append(arg, &len, a.p, a.len))
		return MAMORI_E_PARSE;
	return ps->fn(ps->arg, ev, ev == APT_CONF_CLEAR ? arg : "",
	    ev == APT_CONF_INCLUDE ? arg : "", line);
}

int
apt_conf_parse(struct span data, apt_conf_fn fn, void *arg)
{
	struct parser ps;
	int rc;

	memset(&ps, 0, sizeof(ps));
	ps.p = data.p;
	ps.end = data.p + data.len;
	ps.line = 1;
	ps.fn = fn;
	ps.arg = arg;
	while (ps.p < ps.end) {
		char c = *ps.p;

		if (is_ws(c)) {
			advance(&ps);
		} else if (starts(&ps, "//")) {
			skip_line(&ps);
		} else if (starts(&ps, "/*")) {
			ps.p += 2;
			while (ps.p < ps.end && !starts(&ps, "*/"))
				advance(&ps);
			if (ps.p >= ps.end)
				return MAMORI_E_PARSE;
			ps.p += 2;
		} else if (c == '#') {
			if (ps.ntok == 0 && starts(&ps, "#clear")) {
				if ((rc = directive(&ps, APT_CONF_CLEAR, 6)))
					return rc;
			} else if (ps.ntok == 0 && starts(&ps, "#include")) {
				if ((rc = directive(&ps, APT_CONF_INCLUDE, 8)))
					return rc;
			} else {
				skip_line(&ps);
			}
		} else if (c == '"') {
			const char *s = ++ps.p;
			while (ps.p < ps.end && *ps.p != '"')
				advance(&ps);
			if (ps.p >= ps.end)
				return MAMORI_E_PARSE;
			rc = token(&ps, s, (size_t)(ps.p - s), true);
			ps.p++;
			if (rc)
				return rc;
		} else if (c == ';') {
			ps.p++;
			if ((rc = end_stmt(&ps)))
				return rc;
		} else if (c == '{') {
			ps.p++;
			if ((rc = open_scope(&ps)))
				return rc;
		} else if (c == '}') {
			ps.p++;
			if ((rc = close_scope(&ps)))
				return rc;
		} else {
			const char *s = ps.p;
			while (ps.p < ps.end && !is_ws(*ps.p) && *ps.p != ';' &&
			    *ps.p != '{' && *ps.p != '}' && *ps.p != '"' &&
			    !starts(&ps, "//"))
				ps.p++;
			if ((rc = token(&ps, s, (size_t)(ps.p - s), false)))
				return rc;
		}
	}
	/* An unclosed scope or a statement without ';' at the end: apt
	 * refuses the file there. */
	if (ps.depth || ps.ntok)
		return MAMORI_E_PARSE;
	return MAMORI_OK;
}

bool
apt_conf_valid_part_name(const char *name)
{
	const char *dot = NULL;

	if (!*name)
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return false;
		if (c == '.')
			dot = p;
	}
	return !dot || strcmp(dot, ".conf") == 0;
}
