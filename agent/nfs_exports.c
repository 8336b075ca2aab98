/* nfs_exports.c - exports(5) parser (see nfs_exports.h). */
#include "agent/nfs_exports.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

void
nfs_exports_init(struct nfs_exports *e)
{
	vec_init(&e->exports, sizeof(struct nfs_export), 100000);
}

bool
nfs_exports_host_everyone(struct span host)
{
	if (host.len == 0 || span_eq(host, "*"))
		return true;
	bool star = false, only_wild = true;
	for (size_t i = 0; i < host.len; i++) {
		if (host.p[i] == '*')
			star = true;
		else if (host.p[i] != '?' && host.p[i] != '.')
			only_wild = false;
	}
	if (star && only_wild)
		return true;
	struct span addr, prefix;
	if (span_split(host, '/', &addr, &prefix)) {
		uint64_t bits;
		if (span_to_u64(prefix, 128, &bits) == 0)
			return bits == 0;
		/* A dotted netmask: all zeros matches everything. */
		bool zeros = prefix.len > 0;
		for (size_t i = 0; i < prefix.len; i++)
			if (prefix.p[i] != '0' && prefix.p[i] != '.')
				zeros = false;
		return zeros;
	}
	return false;
}

/*
 * Next token of a logical line: blanks separate, "..." quotes (the quotes
 * are dropped), '#' at a token's start ends the line. A client token stops
 * after its ')' so "a(rw)b(ro)" is still two clients, as in nfs-utils.
 */
static bool
next_token(struct span *s, struct span *tok)
{
	size_t i = 0;
	while (i < s->len && (s->p[i] == ' ' || s->p[i] == '\t'))
		i++;
	if (i == s->len || s->p[i] == '#') {
		s->p += s->len;
		s->len = 0;
		return false;
	}
	size_t j = i;
	bool quoted = false, paren = false;
	while (j < s->len) {
		char ch = s->p[j];
		if (ch == '"' && !paren)
			quoted = !quoted;
		else if (!quoted && ch == '(')
			paren = true;
		else if (!quoted && paren && ch == ')') {
			j++;
			break;
		} else if (!quoted && !paren && (ch == ' ' || ch == '\t'))
			break;
		j++;
	}
	tok->p = s->p + i;
	tok->len = j - i;
	s->p += j;
	s->len -= j;
	return true;
}

/* Drops quotes and decodes octal escapes ("\040" is a space). */
static char *
unescape(struct arena *a, struct span t)
{
	char *out = arena_alloc(a, t.len + 1);
	size_t n = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < t.len; i++) {
		char ch = t.p[i];
		if (ch == '"')
			continue;
		if (ch == '\\' && i + 3 < t.len) {
			unsigned v = 0;
			bool octal = true;
			for (size_t k = 1; k <= 3; k++) {
				char d = t.p[i + k];
				if (d < '0' || d > '7')
					octal = false;
				else
					v = v * 8 + (unsigned)(d - '0');
			}
			if (octal && v > 0 && v < 256) {
				out[n++] = (char)v;
				i += 3;
				continue;
			}
		}
		out[n++] = ch;
	}
	out[n] = '\0';
	return out;
}

struct opts {
	bool rw, no_root_squash, all_squash, insecure;
};

static void
apply_opts(struct opts *o, struct span list)
{
	struct span rest = list, one;
	while (rest.len > 0) {
		bool more = span_split(rest, ',', &one, &rest);
		one = span_trim(one);
		if (span_eq(one, "rw"))
			o->rw = true;
		else if (span_eq(one, "ro"))
			o->rw = false;
		else if (span_eq(one, "no_root_squash"))
			o->no_root_squash = true;
		else if (span_eq(one, "root_squash"))
			o->no_root_squash = false;
		else if (span_eq(one, "all_squash"))
			o->all_squash = true;
		else if (span_eq(one, "no_all_squash"))
			o->all_squash = false;
		else if (span_eq(one, "insecure"))
			o->insecure = true;
		else if (span_eq(one, "secure"))
			o->insecure = false;
		if (!more)
			break;
	}
}

static int
add_client(struct scan_ctx *ctx, struct nfs_export *ex, struct span host,
    struct span defaults, struct span own)
{
	struct nfs_client *cl = vec_push(ctx->arena, &ex->clients);
	if (!cl)
		return ex->clients.n >= ex->clients.max_items ? MAMORI_OK :
		    MAMORI_E_NOMEM;
	struct opts o = { false, false, false, false };
	apply_opts(&o, defaults);
	apply_opts(&o, own);
	cl->host = unescape(ctx->arena, host);
	if (defaults.len && own.len)
		cl->options = arena_printf(ctx->arena, "%.*s,%.*s",
		    (int)defaults.len, defaults.p, (int)own.len, own.p);
	else if (defaults.len)
		cl->options = arena_spandup(ctx->arena, defaults);
	else
		cl->options = arena_spandup(ctx->arena, own);
	if (!cl->host || !cl->options)
		return MAMORI_E_NOMEM;
	cl->everyone = nfs_exports_host_everyone(span_from_cstr(cl->host));
	cl->rw = o.rw;
	cl->all_squash = o.all_squash;
	/* all_squash maps root to the anonymous user as well. */
	cl->no_root_squash = o.no_root_squash && !o.all_squash;
	cl->insecure = o.insecure;
	return MAMORI_OK;
}

static int
parse_entry(struct scan_ctx *ctx, struct nfs_exports *e, const char *file,
    int line, struct span l)
{
	struct span tok;
	if (!next_token(&l, &tok))
		return MAMORI_OK;	/* blank or comment */
	struct nfs_export *ex = vec_push(ctx->arena, &e->exports);
	if (!ex)
		return e->exports.n >= e->exports.max_items ? MAMORI_OK :
		    MAMORI_E_NOMEM;
	ex->path = unescape(ctx->arena, tok);
	ex->file = file;
	ex->line = line;
	vec_init(&ex->clients, sizeof(struct nfs_client), 10000);
	if (!ex->path)
		return MAMORI_E_NOMEM;
	if (ex->path[0] != '/') {
		scan_warn(ctx, "sharing", "%s:%d: export path \"%s\" does not start "
		    "with /, ignored", file, line, ex->path);
		e->exports.n--;
		return MAMORI_OK;
	}
	struct span defaults = { "", 0 };
	bool any = false;
	while (next_token(&l, &tok)) {
		if (!any && tok.p[0] == '-') {
			defaults.p = tok.p + 1;
			defaults.len = tok.len - 1;
			continue;
		}
		struct span host, rest, own = { "", 0 };
		if (span_split(tok, '(', &host, &rest)) {
			if (rest.len == 0 || rest.p[rest.len - 1] != ')') {
				scan_warn(ctx, "sharing", "%s:%d: unterminated option "
				    "list in \"%.*s\"", file, line, (int)tok.len, tok.p);
				continue;
			}
			own.p = rest.p;
			own.len = rest.len - 1;
		}
		int rc = add_client(ctx, ex, host, defaults, own);
		if (rc)
			return rc;
		any = true;
	}
	/* No client at all: nfs-utils exports to the world ("*"). */
	if (!any)
		return add_client(ctx, ex, (struct span){ "", 0 }, defaults,
		    (struct span){ "", 0 });
	return MAMORI_OK;
}

int
nfs_exports_parse(struct scan_ctx *ctx, struct nfs_exports *e, const char *file,
    struct span text)
{
	struct cursor cur;
	struct span l;
	int lineno = 0;

	if (!span_is_text(text)) {
		scan_warn(ctx, "sharing", "%s: not a text file, ignored", file);
		return MAMORI_E_PARSE;
	}
	const char *fname = arena_strdup(ctx->arena, file);
	if (!fname)
		return MAMORI_E_NOMEM;
	cursor_init(&cur, text.p, text.len);
	while (cursor_line(&cur, &l)) {
		int start = ++lineno;
		/* Join "\"-continued lines into one (copy only when needed). */
		if (l.len > 0 && l.p[l.len - 1] == '\\') {
			size_t cap = l.len + cursor_left(&cur) + 2, n = 0;
			char *buf = arena_alloc(ctx->arena, cap);
			if (!buf)
				return MAMORI_E_NOMEM;
			for (;;) {
				bool cont = l.len > 0 && l.p[l.len - 1] == '\\';
				size_t take = cont ? l.len - 1 : l.len;
				if (n + take + 1 >= cap)
					break;
				memcpy(buf + n, l.p, take);
				n += take;
				buf[n++] = ' ';
				if (!cont || !cursor_line(&cur, &l))
					break;
				lineno++;
			}
			l.p = buf;
			l.len = n;
		}
		int rc = parse_entry(ctx, e, fname, start, l);
		if (rc)
			return rc;
	}
	return MAMORI_OK;
}

static int
load_one(struct scan_ctx *ctx, struct nfs_exports *e, const char *path,
    bool *found)
{
	struct span text;
	int rc = rootfs_read(ctx->root, path, scan_max_file(ctx), ctx->arena, &text);
	if (rc == MAMORI_E_NOTFOUND)
		return MAMORI_OK;
	*found = true;
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc) {
		scan_warn(ctx, "sharing", "cannot read %s: %s", path, err_str(rc));
		return MAMORI_OK;
	}
	rc = nfs_exports_parse(ctx, e, path, text);
	return rc == MAMORI_E_PARSE ? MAMORI_OK : rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
nfs_exports_load(struct scan_ctx *ctx, struct nfs_exports *e, bool *found)
{
	*found = false;
	int rc = load_one(ctx, e, "/etc/exports", found);
	if (rc)
		return rc;
	DIR *d = rootfs_opendir(ctx->root, "/etc/exports.d");
	if (!d)
		return MAMORI_OK;
	/* exportfs reads the *.exports files in sorted order. */
	struct vec names;
	struct dirent *de;
	vec_init(&names, sizeof(char *), 10000);
	while ((de = readdir(d))) {
		struct span n = span_from_cstr(de->d_name);
		if (de->d_name[0] == '.' || !span_ends_with(n, ".exports"))
			continue;
		char **slot = vec_push(ctx->arena, &names);
		if (!slot || !(*slot = arena_printf(ctx->arena,
		    "/etc/exports.d/%s", de->d_name)))
			break;
	}
	closedir(d);
	if (names.n)
		qsort(names.items, names.n, sizeof(char *), by_name);
	for (size_t i = 0; i < names.n && rc == 0; i++)
		rc = load_one(ctx, e, *(char **)vec_at(&names, i), found);
	return rc;
}
