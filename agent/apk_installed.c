/*
 * apk_installed.c - parser of /lib/apk/db/installed (apk-tools 2.x).
 *
 * One memchr pass, no allocation. apk itself (database.c,
 * apk_db_index_read) treats a line that is not "X:value" as the end of
 * the usable database; we are more forgiving and skip only the stanza.
 */
#include "agent/apk_installed.h"

#include <string.h>

#include "common/err.h"

#define WARN_DETAILED	5
#define MAX_VALUE	1024

static bool
name_ok(struct span n)
{
	if (n.len == 0 || n.len > MAX_VALUE)
		return false;
	for (size_t i = 0; i < n.len; i++) {
		char c = n.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("+-_.", c)))
			return false;
	}
	return true;
}

/* Versions, architectures, origins: graphic ASCII, bounded. */
static bool
word_ok(struct span s, bool empty_ok)
{
	if (s.len == 0)
		return empty_ok;
	if (s.len > MAX_VALUE)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] <= 0x20 || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

static const char *
verify(const struct apk_pkg *p, bool dup)
{
	if (dup)
		return "duplicate P:, V:, A: or o: line";
	if (p->name.len == 0)
		return "no P: (name) line";
	if (!name_ok(p->name))
		return "invalid package name";
	if (p->version.len == 0)
		return "no V: (version) line";
	if (!word_ok(p->version, false))
		return "invalid version";
	if (!word_ok(p->arch, true) || !word_ok(p->origin, true))
		return "invalid A: or o: value";
	return NULL;
}

int
apk_installed_parse(struct scan_ctx *ctx, struct span text, const char *file,
    apk_pkg_fn fn, void *arg, struct apk_parse_stats *stats)
{
	struct apk_parse_stats local;
	struct apk_parse_stats *st = stats ? stats : &local;
	struct cursor c;
	struct span line;
	size_t lno = 0;
	int rc = MAMORI_OK;

	memset(st, 0, sizeof(*st));
	cursor_init(&c, text.p, text.len);
	for (;;) {
		struct apk_pkg p;
		const char *err = NULL;
		bool any = false, dup = false;

		memset(&p, 0, sizeof(p));
		while (cursor_line(&c, &line)) {
			lno++;
			if (line.len == 0) {
				if (any)
					break;
				continue;
			}
			if (!any) {
				any = true;
				p.line = lno;
			}
			if (err)
				continue;
			if (line.len < 2 || line.p[1] != ':') {
				err = "line is not \"X:value\"";
				continue;
			}
			struct span v = { line.p + 2, line.len - 2 }, *dst;
			switch (line.p[0]) {
			case 'P': dst = &p.name; break;
			case 'V': dst = &p.version; break;
			case 'A': dst = &p.arch; break;
			case 'o': dst = &p.origin; break;
			default: continue;
			}
			if (dst->p)
				dup = true;
			*dst = v;
		}
		if (!any)
			break;
		const char *why = err ? err : verify(&p, dup);
		if (why) {
			if (st->bad++ < WARN_DETAILED)
				scan_warn(ctx, "packages", "%s:%zu: corrupt package "
				    "stanza skipped: %s", file, p.line, why);
			continue;
		}
		st->packages++;
		if ((rc = fn(arg, &p)) != 0)
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
