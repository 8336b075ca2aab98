/*
 * os_release.c - parses os-release(5) the way systemd's parse_env_file()
 * does: values may be unquoted, "double quoted" (backslash escapes only
 * \" \\ \$ \`, backslash-newline joins lines) or 'single quoted'
 * (literal), and quoted pieces concatenate like in the shell.
 */
#include "agent/os_release.h"

#include <string.h>

#include "common/err.h"

struct valbuf {
	char b[OS_RELEASE_MAX_VALUE + 1];
	size_t n;
};

static void
put(struct valbuf *v, char c)
{
	if (v->n < OS_RELEASE_MAX_VALUE)
		v->b[v->n++] = c;
}

static bool
key_char(char c, bool first)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')
		return true;
	return !first && c >= '0' && c <= '9';
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

void
os_release_each(struct span text,
    void (*fn)(void *arg, struct span key, const char *value, size_t len),
    void *arg, size_t *bad)
{
	struct valbuf storage, *v = &storage;
	size_t i = 0, nbad = 0;
	const char *p = text.p;
	size_t len = text.len;

	while (i < len) {
		/* Start of a line: skip leading blanks and empty lines. */
		while (i < len && (blank(p[i]) || p[i] == '\n'))
			i++;
		if (i >= len)
			break;
		if (p[i] == '#' || p[i] == ';') {
			while (i < len && p[i] != '\n')
				i++;
			continue;
		}
		size_t ks = i;
		while (i < len && key_char(p[i], i == ks))
			i++;
		struct span key = { p + ks, i - ks };
		while (i < len && blank(p[i]))
			i++;
		if (key.len == 0 || i >= len || p[i] != '=') {
			nbad++;
			while (i < len && p[i] != '\n')
				i++;
			continue;
		}
		i++;
		while (i < len && blank(p[i]))
			i++;
		/* The value, up to an unquoted newline. */
		v->n = 0;
		size_t keep = 0;	/* length without trailing unquoted blanks */
		bool done = false, broken = false;
		while (i < len && !done) {
			char c = p[i++];
			switch (c) {
			case '\n':
				done = true;
				break;
			case '\\':
				if (i < len) {
					if (p[i] != '\n')
						put(v, p[i]);
					i++;
				}
				keep = v->n;
				break;
			case '"':
				for (;;) {
					if (i >= len) {
						broken = true;
						break;
					}
					c = p[i++];
					if (c == '"')
						break;
					if (c == '\\' && i < len) {
						char e = p[i++];
						if (e == '\n')
							continue;
						if (!strchr("\"\\`$", e))
							put(v, '\\');
						put(v, e);
						continue;
					}
					put(v, c);
				}
				keep = v->n;
				break;
			case '\'':
				for (;;) {
					if (i >= len) {
						broken = true;
						break;
					}
					c = p[i++];
					if (c == '\'')
						break;
					put(v, c);
				}
				keep = v->n;
				break;
			default:
				put(v, c);
				if (!blank(c))
					keep = v->n;
				break;
			}
		}
		if (broken) {
			/* An unterminated quote: shell would refuse the file;
			 * we refuse the assignment only. */
			nbad++;
			continue;
		}
		v->n = keep;
		v->b[v->n] = '\0';
		fn(arg, key, v->b, v->n);
	}
	if (bad)
		*bad = nbad;
}

struct fill {
	struct arena *a;
	struct inv_os *os;
	char *version;		/* VERSION, for the codename of old releases */
	char *ubuntu_codename;
	bool nomem;
};

static void
assign(void *arg, struct span key, const char *value, size_t len)
{
	struct fill *f = arg;
	char **slot = NULL;
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{ "ID", offsetof(struct inv_os, id) },
		{ "ID_LIKE", offsetof(struct inv_os, id_like) },
		{ "NAME", offsetof(struct inv_os, name) },
		{ "VERSION_ID", offsetof(struct inv_os, version_id) },
		{ "VERSION_CODENAME", offsetof(struct inv_os, codename) },
		{ "PRETTY_NAME", offsetof(struct inv_os, pretty_name) },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (span_eq(key, fields[i].key))
			slot = (char **)((char *)f->os + fields[i].off);
	if (span_eq(key, "VERSION"))
		slot = &f->version;
	else if (span_eq(key, "UBUNTU_CODENAME"))
		slot = &f->ubuntu_codename;
	if (!slot)
		return;
	/* Values are text: a NUL inside ends them. */
	char *s = arena_spandup(f->a, (struct span){ value, strnlen(value, len) });
	if (!s)
		f->nomem = true;
	else
		*slot = s;
}

int
os_release_parse(struct arena *a, struct span text, struct inv_os *os,
    size_t *bad)
{
	struct fill f = { .a = a, .os = os };
	os_release_each(text, assign, &f, bad);
	if (f.nomem)
		return MAMORI_E_NOMEM;
	/* Empty values mean "not set" (os-release(5)). */
	char **all[] = { &os->id, &os->id_like, &os->name, &os->version_id,
	    &os->codename, &os->pretty_name };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (*all[i] && **all[i] == '\0')
			*all[i] = NULL;
	if (!os->codename && f.ubuntu_codename && *f.ubuntu_codename)
		os->codename = f.ubuntu_codename;
	/* Debian 8 and older have no VERSION_CODENAME: VERSION="8 (jessie)". */
	if (!os->codename && f.version) {
		struct span v = span_from_cstr(f.version), head, tail;
		if (span_split(v, '(', &head, &tail)) {
			size_t close = span_find(tail, ')');
			struct span c = span_trim((struct span){ tail.p, close });
			if (c.len > 0 && close < tail.len) {
				/* "7 (wheezy)" -> "wheezy"; lower case like the field */
				char *s = arena_spandup(a, c);
				if (!s)
					return MAMORI_E_NOMEM;
				for (char *q = s; *q; q++)
					if (*q >= 'A' && *q <= 'Z')
						*q = (char)(*q + 32);
				os->codename = s;
			}
		}
	}
	return MAMORI_OK;
}
