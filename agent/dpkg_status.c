/*
 * dpkg_status.c - parser of dpkg's database text format.
 *
 * One pass over the bytes with memchr (cursor_line); nothing is allocated:
 * the stanza handed to the callback points into the text. The checks follow
 * dpkg 1.21 (parse_stanza, pkg_parse_verify, f_status, parseversion): what
 * dpkg treats as a parse error makes the stanza corrupt, what dpkg only
 * warns about is accepted.
 */
#include "agent/dpkg_status.h"

#include <inttypes.h>
#include <string.h>

#include "common/err.h"

/* Corrupt stanzas described one by one; the rest are only counted. */
#define WARN_DETAILED	5
/* Longer values of the fields we keep are refused as corrupt. */
#define MAX_VALUE	1024

static const char *const wants[] = {
	"unknown", "install", "hold", "deinstall", "purge", NULL
};
static const char *const eflags[] = { "ok", "reinstreq", NULL };
static const char *const states[] = {
	"not-installed", "config-files", "half-installed", "unpacked",
	"half-configured", "triggers-awaited", "triggers-pending",
	"installed", NULL
};
static const char *const multiarchs[] = {
	"no", "same", "allowed", "foreign", NULL
};

enum field {
	F_PACKAGE, F_STATUS, F_VERSION, F_ARCH, F_SOURCE, F_MULTIARCH,
	F_CONFIG_VERSION, F_COUNT, F_OTHER = F_COUNT
};

static const char *const field_names[F_COUNT] = {
	"Package", "Status", "Version", "Architecture", "Source", "Multi-Arch",
	"Config-Version",
};

struct stanza_state {
	struct span value[F_COUNT];
	bool seen[F_COUNT];
	bool continued[F_COUNT];	/* value has continuation lines */
	const char *error;		/* first reason it is corrupt */
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static bool
is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Graphic ASCII only: real versions and architectures are ASCII, and it
 * keeps binary garbage out of the JSON. */
static bool
is_graph_ascii(struct span s)
{
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] <= 0x20 || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

/*
 * dpkg's parse_nv: the word must start with one of the names (compared
 * without case) followed by blanks or the end. Returns the index or -1 and
 * advances *s past the word and its blanks.
 */
static int
parse_nv(struct span *s, const char *const *names, bool last)
{
	for (int i = 0; names[i]; i++) {
		size_t n = strlen(names[i]);
		if (s->len < n || strncasecmp(s->p, names[i], n) != 0)
			continue;
		size_t j = n;
		if (j < s->len && !is_space(s->p[j]))
			continue;	/* "installedx": junk after the word */
		while (j < s->len && is_space(s->p[j]))
			j++;
		if (last && j < s->len)
			return -1;
		s->p += j;
		s->len -= j;
		return i;
	}
	return -1;
}

static const char *
check_name(struct span n)
{
	if (n.len == 0)
		return "empty Package";
	if (!is_alnum(n.p[0]))
		return "Package does not start with a letter or digit";
	for (size_t i = 1; i < n.len; i++)
		if (!is_alnum(n.p[i]) && !strchr("-+._", n.p[i]))
			return "invalid character in Package";
	return NULL;
}

/* The errors (not the warnings) of dpkg's parseversion(). */
static const char *
check_version(struct span v)
{
	if (v.len == 0)
		return "empty Version";
	if (!is_graph_ascii(v))
		return "Version has spaces or non-ASCII bytes";
	struct span up = v;
	const char *colon = memchr(v.p, ':', v.len);
	if (colon) {
		size_t elen = (size_t)(colon - v.p);
		uint64_t epoch;
		if (elen == 0)
			return "empty epoch in Version";
		if (span_to_u64((struct span){ v.p, elen }, INT32_MAX, &epoch) != 0)
			return "bad epoch in Version";
		up.p = colon + 1;
		up.len = v.len - elen - 1;
		if (up.len == 0)
			return "nothing after the epoch in Version";
	}
	size_t h = up.len;
	while (h > 0 && up.p[h - 1] != '-')
		h--;
	if (h > 0) {
		if (h == up.len)
			return "empty revision in Version";
		if (h == 1)
			return "empty upstream version in Version";
	}
	return NULL;
}

static enum field
field_of(struct span name)
{
	for (int i = 0; i < F_COUNT; i++)
		if (span_eq_nocase(name, field_names[i]))
			return (enum field)i;
	return F_OTHER;
}

/* Checks a finished stanza and fills *out; returns the reason it is
 * corrupt or NULL. */
static const char *
verify(struct stanza_state *s, struct dpkg_stanza *out)
{
	for (int i = 0; i < F_COUNT; i++) {
		if (!s->seen[i])
			continue;
		if (s->continued[i])
			return "field continues over several lines";
		if (s->value[i].len > MAX_VALUE)
			return "field value is absurdly long";
	}
	if (!s->seen[F_PACKAGE])
		return "no Package field";
	const char *e = check_name(s->value[F_PACKAGE]);
	if (e)
		return e;
	out->package = s->value[F_PACKAGE];

	out->state = DPKG_NOT_INSTALLED;
	if (s->seen[F_STATUS]) {
		struct span st = s->value[F_STATUS];
		if (parse_nv(&st, wants, false) < 0)
			return "bad first (want) word in Status";
		if (parse_nv(&st, eflags, false) < 0)
			return "bad second (error) word in Status";
		int state = parse_nv(&st, states, true);
		if (state < 0)
			return "bad third (state) word in Status";
		out->state = (enum dpkg_state)state;
	}

	out->version = s->seen[F_VERSION] ? s->value[F_VERSION] : (struct span){ "", 0 };
	if (s->seen[F_VERSION] || (out->state != DPKG_NOT_INSTALLED &&
	    out->state != DPKG_HALF_INSTALLED)) {
		if (!s->seen[F_VERSION])
			return "no Version field";
		if ((e = check_version(out->version)))
			return e;
	}

	out->arch = s->seen[F_ARCH] ? s->value[F_ARCH] : (struct span){ "", 0 };
	if (!is_graph_ascii(out->arch))
		return "Architecture has spaces or non-ASCII bytes";

	out->multiarch_same = false;
	if (s->seen[F_MULTIARCH]) {
		struct span m = s->value[F_MULTIARCH];
		int v = parse_nv(&m, multiarchs, true);
		if (v < 0)
			return "bad Multi-Arch value";
		out->multiarch_same = v == 1;
	}
	if (out->multiarch_same && out->arch.len == 0)
		return "Multi-Arch: same without Architecture";
	if (out->multiarch_same && span_eq(out->arch, "all"))
		return "Multi-Arch: same with Architecture: all";

	if (s->seen[F_CONFIG_VERSION] && (out->state == DPKG_INSTALLED ||
	    out->state == DPKG_NOT_INSTALLED ||
	    out->state == DPKG_TRIGGERS_PENDING))
		return "Config-Version with an unfitting Status";

	/* Source: "name" or "name (version)". */
	out->source = (struct span){ "", 0 };
	out->source_version = (struct span){ "", 0 };
	if (s->seen[F_SOURCE]) {
		struct span src = s->value[F_SOURCE], w;
		if (span_next_word(&src, &w)) {
			out->source = w;
			src = span_trim(src);
			if (src.len > 0) {
				if (src.len < 3 || src.p[0] != '(' ||
				    src.p[src.len - 1] != ')')
					return "bad version in Source";
				out->source_version = span_trim(
				    (struct span){ src.p + 1, src.len - 2 });
			}
		}
		if (!is_graph_ascii(out->source) ||
		    !is_graph_ascii(out->source_version))
			return "Source has non-ASCII bytes";
	}
	return NULL;
}

static void
report(struct scan_ctx *ctx, struct dpkg_parse_stats *st, const char *file,
    size_t line, const char *why)
{
	if (st->bad++ < WARN_DETAILED)
		scan_warn(ctx, "packages", "%s:%zu: corrupt package stanza "
		    "skipped: %s", file, line, why);
}

/* Field name and value of a line that is not a continuation. */
static const char *
split_field(struct span line, struct span *name, struct span *value)
{
	size_t i = 0;
	while (i < line.len && !is_space(line.p[i]) && line.p[i] != ':')
		i++;
	if (i == 0)
		return "empty field name";
	if (line.p[0] == '-')
		return "field name starts with a hyphen";
	*name = (struct span){ line.p, i };
	while (i < line.len && is_space(line.p[i]))
		i++;
	if (i >= line.len || line.p[i] != ':')
		return "field name without a colon";
	*value = span_trim((struct span){ line.p + i + 1, line.len - i - 1 });
	return NULL;
}

int
dpkg_status_parse(struct scan_ctx *ctx, struct span text, const char *file,
    dpkg_stanza_fn fn, void *arg, struct dpkg_parse_stats *stats)
{
	struct dpkg_parse_stats local;
	struct dpkg_parse_stats *st = stats ? stats : &local;
	struct cursor c;
	struct span line;
	size_t lno = 0;
	int rc = MAMORI_OK;

	memset(st, 0, sizeof(*st));
	cursor_init(&c, text.p, text.len);
	for (;;) {
		struct stanza_state s;
		enum field cur = F_OTHER;
		bool any = false;
		size_t first = 0;

		memset(&s, 0, sizeof(s));
		while (cursor_line(&c, &line)) {
			lno++;
			/* An empty (or blank) line ends a stanza. */
			if (span_trim(line).len == 0) {
				if (any)
					break;
				continue;
			}
			if (!any) {
				any = true;
				first = lno;
			}
			if (s.error)
				continue;	/* skip to the stanza's end */
			if (is_blank(line.p[0])) {
				if (!any || lno == first)
					s.error = "continuation line without a field";
				else if (cur != F_OTHER)
					s.continued[cur] = true;
				continue;
			}
			struct span name, value;
			if ((s.error = split_field(line, &name, &value)))
				continue;
			cur = field_of(name);
			if (cur == F_OTHER)
				continue;
			if (s.seen[cur]) {
				s.error = "duplicate field";
				continue;
			}
			s.seen[cur] = true;
			s.value[cur] = value;
		}
		if (!any)
			break;

		struct dpkg_stanza out;
		memset(&out, 0, sizeof(out));
		const char *why = s.error ? s.error : verify(&s, &out);
		if (why) {
			report(ctx, st, file, first, why);
			continue;
		}
		out.line = first;
		st->stanzas++;
		if ((rc = fn(arg, &out)) != 0)
			break;
	}
	if (st->bad > WARN_DETAILED)
		scan_warn(ctx, "packages", "%s: %zu more corrupt package "
		    "stanzas skipped", file, st->bad - WARN_DETAILED);
	if (rc == MAMORI_OK && text.len > 0 && text.p[text.len - 1] != '\n')
		scan_warn(ctx, "packages", "%s: ends without a newline "
		    "(truncated?); its last package may be incomplete", file);
	return rc;
}

char *
dpkg_status_version(struct arena *a, struct span v)
{
	const char *colon = memchr(v.p, ':', v.len);
	if (colon) {
		struct span rest = { colon + 1, v.len - (size_t)(colon - v.p) - 1 };
		uint64_t epoch;
		if (span_to_u64((struct span){ v.p, (size_t)(colon - v.p) },
		    UINT32_MAX, &epoch) == 0) {
			/* dpkg shows the epoch when it is not 0 or when the
			 * rest has a colon (it would be ambiguous). */
			if (epoch == 0 && !memchr(rest.p, ':', rest.len))
				return arena_spandup(a, rest);
			return arena_printf(a, "%" PRIu64 ":%.*s", epoch,
			    (int)rest.len, rest.p);
		}
	}
	return arena_spandup(a, v);
}

const char *
dpkg_status_state_name(enum dpkg_state s)
{
	if ((size_t)s < sizeof(states) / sizeof(states[0]) - 1)
		return states[s];
	return "unknown";
}

char *
dpkg_status_name(struct arena *a, struct span n)
{
	char *s = arena_spandup(a, n);
	for (size_t i = 0; s && s[i]; i++)
		s[i] = lower(s[i]);
	return s;
}
