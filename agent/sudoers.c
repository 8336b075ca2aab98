/* sudoers.c - sudoers(5) user specifications that grant ALL. */
#include "agent/sudoers.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define MAX_DEPTH 16		/* sudo allows 128; real setups use 2 */
#define MAX_ALIAS_DEPTH 32	/* alias loops are an error in sudo */
#define MAX_LINE (256 * 1024)	/* a continued logical line */

struct alias {
	char kind;		/* 'U' user, 'C' command */
	char *name;
	struct vec items;	/* char * */
	int all;		/* Cmnd_Alias: 0 unknown, 1 being resolved,
				 * 2 contains ALL, 3 does not */
	size_t seen;		/* User_Alias: spec number + 1 that expanded
				 * it already (each alias once per spec) */
};

struct spec {
	struct vec users;	/* char *, as written */
	struct vec cmnds;	/* char *, first word of each command */
	char *file;
	int line;
};

static const char *const tags[] = {
	"NOPASSWD", "PASSWD", "NOEXEC", "EXEC", "SETENV", "NOSETENV",
	"LOG_INPUT", "NOLOG_INPUT", "LOG_OUTPUT", "NOLOG_OUTPUT", "MAIL",
	"NOMAIL", "FOLLOW", "NOFOLLOW", "INTERCEPT", "NOINTERCEPT",
};

static const char *const options[] = {
	"ROLE", "TYPE", "CHROOT", "CWD", "NOTBEFORE", "NOTAFTER", "TIMEOUT",
	"APPARMOR_PROFILE", "PRIVS", "LIMITPRIVS",
};

void
sudoers_init(struct sudoers *s, struct arena *a)
{
	memset(s, 0, sizeof(*s));
	s->arena = a;
	vec_init(&s->aliases, sizeof(struct alias), 100000);
	vec_init(&s->specs, sizeof(struct spec), 100000);
	vec_init(&s->includes, sizeof(struct sudoers_include), 10000);
}

static bool
in_list(struct span w, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (span_eq(w, list[i]))
			return true;
	return false;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

static int
push_str(struct arena *a, struct vec *v, struct span s)
{
	char **slot = vec_push(a, v);
	if (!slot)
		return MAMORI_E_LIMIT;
	if (!(*slot = arena_spandup(a, s)))
		return MAMORI_E_NOMEM;
	return MAMORI_OK;
}

/*
 * Cuts a '#' comment. A '#' followed by a digit after a separator is a
 * uid ("#1000", "%#27"), not a comment, as in sudo's lexer.
 */
static struct span
strip_comment(struct span l)
{
	for (size_t i = 0; i < l.len; i++) {
		if (l.p[i] != '#')
			continue;
		bool digit = i + 1 < l.len && l.p[i + 1] >= '0' && l.p[i + 1] <= '9';
		char prev = i ? l.p[i - 1] : ' ';
		if (digit && (is_space(prev) || prev == ',' || prev == '%' ||
		    prev == '(' || prev == ':' || prev == '=' || prev == '!'))
			continue;
		l.len = i;
		break;
	}
	return l;
}

/* Next comma-separated item of *s, trimmed; false at the end. */
static bool
next_item(struct span *s, struct span *item)
{
	if (s->len == 0)
		return false;
	span_split(*s, ',', item, s);
	*item = span_trim(*item);
	return true;
}

static int
by_alias(const void *x, const void *y)
{
	const struct alias *a = x, *b = y;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Only after sudoers_grants() sorted the aliases. */
static struct alias *
find_alias(struct sudoers *s, char kind, const char *name)
{
	struct alias key = { .kind = kind, .name = (char *)(uintptr_t)name };
	if (s->aliases.n == 0)
		return NULL;
	return bsearch(&key, s->aliases.items, s->aliases.n, sizeof(struct alias),
	    by_alias);
}

/* "User_Alias A = x, y : B = z" */
static int
parse_alias(struct sudoers *s, char kind, struct span rest)
{
	struct span def;
	for (bool more = true; more;) {
		more = span_split(rest, ':', &def, &rest);
		struct span name, items;
		if (!span_split(def, '=', &name, &items)) {
			s->bad++;
			continue;
		}
		name = span_trim(name);
		if (name.len == 0) {
			s->bad++;
			continue;
		}
		struct alias *al = vec_push(s->arena, &s->aliases);
		if (!al)
			return MAMORI_E_LIMIT;
		al->kind = kind;
		vec_init(&al->items, sizeof(char *), 100000);
		if (!(al->name = arena_spandup(s->arena, name)))
			return MAMORI_E_NOMEM;
		struct span item;
		while (next_item(&items, &item)) {
			if (item.len == 0)
				continue;
			if (kind == 'C') {
				/* A command item: keep its first word (the path,
				 * "ALL", "!ALL" or another alias). */
				struct span w, t = item;
				if (!span_next_word(&t, &w))
					continue;
				item = w;
			}
			int rc = push_str(s->arena, &al->items, item);
			if (rc)
				return rc;
		}
	}
	return MAMORI_OK;
}

/* Removes "(runas)" groups by blanking them in a copy. */
static char *
drop_parens(struct arena *a, struct span s)
{
	char *c = arena_spandup(a, s);
	if (!c)
		return NULL;
	int depth = 0;
	for (size_t i = 0; i < s.len; i++) {
		if (c[i] == '(')
			depth++;
		if (depth > 0) {
			if (c[i] == ')')
				depth--;
			c[i] = ' ';
		}
	}
	return c;
}

/* Adds the first word of each command in a "cmnd, cmnd" list, skipping
 * option words like ROLE=x. */
static int
add_cmnds(struct sudoers *s, struct spec *sp, struct span list)
{
	struct span item;
	while (next_item(&list, &item)) {
		struct span w;
		while (span_next_word(&item, &w)) {
			struct span key, val;
			if (span_split(w, '=', &key, &val) &&
			    in_list(key, options, sizeof(options) / sizeof(options[0])))
				continue;
			int rc = push_str(s->arena, &sp->cmnds, w);
			if (rc)
				return rc;
			break;
		}
	}
	return MAMORI_OK;
}

/*
 * After the first '=': "[(runas)] [TAG:]... cmnds [: hosts = [(runas)]
 * cmnds]...". Pieces are separated by ':'; within a piece, an '=' whose
 * word is not an option (ROLE=...) ends a host list.
 */
static int
parse_cmnd_part(struct sudoers *s, struct spec *sp, struct span rest)
{
	char *flat = drop_parens(s->arena, rest);
	if (!flat)
		return MAMORI_E_NOMEM;
	struct span all = { flat, rest.len }, piece;
	for (bool more = true; more;) {
		more = span_split(all, ':', &piece, &all);
		struct span t = span_trim(piece);
		if (t.len == 0 || in_list(t, tags, sizeof(tags) / sizeof(tags[0])))
			continue;
		/* Find a host separator '='. */
		size_t start = 0;
		for (size_t i = 0; i < t.len; i++) {
			if (t.p[i] != '=')
				continue;
			size_t b = i;
			while (b > 0 && !is_space(t.p[b - 1]) && t.p[b - 1] != ',')
				b--;
			struct span key = { t.p + b, i - b };
			if (!in_list(key, options, sizeof(options) / sizeof(options[0])))
				start = i + 1;
		}
		struct span list = { t.p + start, t.len - start };
		int rc = add_cmnds(s, sp, list);
		if (rc)
			return rc;
	}
	return MAMORI_OK;
}

static int
parse_spec(struct sudoers *s, struct span l, const char *file, int line)
{
	struct span who, rest;
	if (!span_split(l, '=', &who, &rest)) {
		s->bad++;
		return MAMORI_OK;
	}
	struct spec *sp = vec_push(s->arena, &s->specs);
	if (!sp)
		return MAMORI_E_LIMIT;
	vec_init(&sp->users, sizeof(char *), 100000);
	vec_init(&sp->cmnds, sizeof(char *), 100000);
	sp->line = line;
	if (!(sp->file = arena_strdup(s->arena, file)))
		return MAMORI_E_NOMEM;
	/* The user list ends where whitespace (not a comma) separates it
	 * from the host list: "alice, bob  host1, host2". */
	struct span item;
	bool done = false;
	while (!done && next_item(&who, &item)) {
		struct span w, t = item;
		if (!span_next_word(&t, &w))
			continue;
		if (t.len && span_trim(t).len)
			done = true;
		int rc = push_str(s->arena, &sp->users, w);
		if (rc)
			return rc;
	}
	if (!done && sp->users.n) {
		/* "alice=..." without a host list is not valid sudoers. */
		s->bad++;
		s->specs.n--;
		return MAMORI_OK;
	}
	return parse_cmnd_part(s, sp, rest);
}

static int
add_include(struct sudoers *s, struct span arg, const char *file, bool dir)
{
	struct span path;
	arg = span_trim(arg);
	if (arg.len >= 2 && arg.p[0] == '"') {
		struct span inner = { arg.p + 1, arg.len - 1 }, tail;
		span_split(inner, '"', &path, &tail);
	} else {
		struct span t = arg;
		if (!span_next_word(&t, &path)) {
			s->bad++;
			return MAMORI_OK;
		}
	}
	if (path.len == 0) {
		s->bad++;
		return MAMORI_OK;
	}
	struct sudoers_include *inc = vec_push(s->arena, &s->includes);
	if (!inc)
		return MAMORI_E_LIMIT;
	inc->dir = dir;
	if (path.p[0] == '/') {
		inc->path = arena_spandup(s->arena, path);
	} else {
		/* sudo 1.9: relative to the including file's directory. */
		const char *slash = strrchr(file, '/');
		int dl = slash ? (int)(slash - file) : 0;
		inc->path = arena_printf(s->arena, "%.*s/%.*s", dl, file,
		    (int)path.len, path.p);
	}
	return inc->path ? MAMORI_OK : MAMORI_E_NOMEM;
}

static bool
directive(struct span l, const char *name, struct span *arg)
{
	size_t n = strlen(name);
	if (l.len <= n || memcmp(l.p, name, n) != 0 || !is_space(l.p[n]))
		return false;
	arg->p = l.p + n;
	arg->len = l.len - n;
	return true;
}

static int
parse_line(struct sudoers *s, struct span l, const char *file, int line)
{
	struct span arg, w, t;
	l = span_trim(l);
	if (directive(l, "#includedir", &arg) || directive(l, "@includedir", &arg))
		return add_include(s, arg, file, true);
	if (directive(l, "#include", &arg) || directive(l, "@include", &arg))
		return add_include(s, arg, file, false);
	l = span_trim(strip_comment(l));
	if (l.len == 0)
		return MAMORI_OK;
	t = l;
	span_next_word(&t, &w);
	if (span_starts_with(w, "Defaults"))
		return MAMORI_OK;
	if (span_eq(w, "User_Alias"))
		return parse_alias(s, 'U', t);
	if (span_eq(w, "Cmnd_Alias") || span_eq(w, "Cmd_Alias"))
		return parse_alias(s, 'C', t);
	if (span_eq(w, "Host_Alias") || span_eq(w, "Runas_Alias"))
		return MAMORI_OK;
	return parse_spec(s, l, file, line);
}

int
sudoers_parse(struct sudoers *s, struct span text, const char *file)
{
	struct cursor c;
	struct span raw;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int lineno = 0, first = 0, rc = MAMORI_OK;
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &raw)) {
		lineno++;
		if (len == 0)
			first = lineno;
		bool cont = raw.len > 0 && raw.p[raw.len - 1] == '\\';
		if (cont)
			raw.len--;
		if (len == 0 && !cont) {
			if ((rc = parse_line(s, raw, file, first)))
				goto out;
			continue;
		}
		/* A continued line: join the pieces with a space. */
		if (len + raw.len + 1 > MAX_LINE) {
			s->bad++;
			len = 0;
			continue;
		}
		if (len + raw.len + 1 > cap) {
			size_t ncap = (len + raw.len + 1) * 2;
			char *nb = arena_alloc(s->arena, ncap);
			if (!nb) {
				rc = MAMORI_E_NOMEM;
				goto out;
			}
			if (len)
				memcpy(nb, buf, len);
			buf = nb;
			cap = ncap;
		}
		memcpy(buf + len, raw.p, raw.len);
		len += raw.len;
		buf[len++] = ' ';
		if (!cont) {
			struct span joined = { buf, len };
			len = 0;
			if ((rc = parse_line(s, joined, file, first)))
				goto out;
		}
	}
	if (len) {
		struct span joined = { buf, len };
		rc = parse_line(s, joined, file, first);
	}
out:
	return rc;
}

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load(struct sudoers *s, struct scan_ctx *ctx, const char *path,
    int depth);

static int
load_dir(struct sudoers *s, struct scan_ctx *ctx, const char *path, int depth)
{
	struct vec names;
	int rc = MAMORI_OK;
	DIR *d = rootfs_opendir(ctx->root, path);
	if (!d)
		return MAMORI_OK;	/* a missing includedir is fine for sudo */
	vec_init(&names, sizeof(char *), 10000);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (strchr(e->d_name, '.') || (n && e->d_name[n - 1] == '~'))
			continue;
		char **slot = vec_push(s->arena, &names);
		if (!slot || !(*slot = arena_strdup(s->arena, e->d_name))) {
			rc = MAMORI_E_NOMEM;
			goto out;
		}
	}
	if (names.n)
		qsort(names.items, names.n, sizeof(char *), by_str);
	for (size_t i = 0; i < names.n; i++) {
		char *name = *(char **)vec_at(&names, i);
		char *full = arena_printf(s->arena, "%s/%s", path, name);
		if (!full) {
			rc = MAMORI_E_NOMEM;
			goto out;
		}
		if ((rc = load(s, ctx, full, depth + 1)))
			goto out;
	}
out:
	closedir(d);
	return rc;
}

static int
load(struct sudoers *s, struct scan_ctx *ctx, const char *path, int depth)
{
	struct span text;
	if (depth > MAX_DEPTH) {
		scan_warn(ctx, "users", "%s: sudoers includes nested too deeply", path);
		return MAMORI_OK;
	}
	int rc = rootfs_read(ctx->root, path, scan_max_file(ctx), ctx->arena, &text);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc) {
		if (rc != MAMORI_E_NOTFOUND || depth > 0)
			scan_warn(ctx, "users", "%s: %s", path, err_str(rc));
		return MAMORI_OK;
	}
	if (!span_is_text(text)) {
		scan_warn(ctx, "users", "%s: not a text file, skipped", path);
		return MAMORI_OK;
	}
	size_t first_inc = s->includes.n, bad = s->bad;
	/* Includes are applied where they appear in sudo; for "who has ALL"
	 * the order does not matter, so they are followed after the file. */
	if ((rc = sudoers_parse(s, text, path)))
		return rc;
	if (s->bad > bad)
		scan_warn(ctx, "users", "%s: %zu lines not understood", path,
		    s->bad - bad);
	size_t last_inc = s->includes.n;
	for (size_t i = first_inc; i < last_inc; i++) {
		struct sudoers_include inc =
		    *(struct sudoers_include *)vec_at(&s->includes, i);
		rc = inc.dir ? load_dir(s, ctx, inc.path, depth) :
		    load(s, ctx, inc.path, depth + 1);
		if (rc)
			return rc;
	}
	return MAMORI_OK;
}

int
sudoers_load(struct sudoers *s, struct scan_ctx *ctx, const char *path)
{
	return load(s, ctx, path, 0);
}

/* True when a command (or a Cmnd_Alias, recursively) is ALL. Each alias
 * is resolved once; a loop (an error for sudo) counts as not ALL. */
static bool
cmnd_all(struct sudoers *s, const char *c, int depth)
{
	if (strcmp(c, "ALL") == 0)
		return true;
	if (depth > MAX_ALIAS_DEPTH || c[0] == '!')
		return false;
	struct alias *al = find_alias(s, 'C', c);
	if (!al || al->all == 1)
		return false;
	if (al->all == 0) {
		al->all = 1;
		bool yes = false;
		for (size_t i = 0; !yes && i < al->items.n; i++)
			yes = cmnd_all(s, *(char **)vec_at(&al->items, i), depth + 1);
		al->all = yes ? 2 : 3;
	}
	return al->all == 2;
}

static int
add_user(struct sudoers *s, struct vec *out, const char *who,
    const struct spec *sp, size_t spec_no, int depth)
{
	if (who[0] == '!' || depth > MAX_ALIAS_DEPTH)
		return MAMORI_OK;
	struct alias *al = find_alias(s, 'U', who);
	if (al && strcmp(who, "ALL") != 0) {
		/* Expanded once per spec: aliases naming each other twice
		 * would otherwise grow exponentially. */
		if (al->seen == spec_no + 1)
			return MAMORI_OK;
		al->seen = spec_no + 1;
		for (size_t i = 0; i < al->items.n; i++) {
			int rc = add_user(s, out, *(char **)vec_at(&al->items, i), sp,
			    spec_no, depth + 1);
			if (rc)
				return rc;
		}
		return MAMORI_OK;
	}
	struct sudoers_grant *g = vec_push(s->arena, out);
	if (!g)
		return MAMORI_E_LIMIT;
	g->who = arena_strdup(s->arena, who);
	g->file = sp->file;
	g->line = sp->line;
	return g->who ? MAMORI_OK : MAMORI_E_NOMEM;
}

int
sudoers_grants(struct sudoers *s, struct vec *out)
{
	if (s->aliases.n)
		qsort(s->aliases.items, s->aliases.n, sizeof(struct alias), by_alias);
	for (size_t i = 0; i < s->specs.n; i++) {
		const struct spec *sp = vec_at(&s->specs, i);
		bool all = false;
		for (size_t j = 0; !all && j < sp->cmnds.n; j++)
			all = cmnd_all(s, *(char **)vec_at(&sp->cmnds, j), 0);
		if (!all)
			continue;
		for (size_t j = 0; j < sp->users.n; j++) {
			int rc = add_user(s, out, *(char **)vec_at(&sp->users, j), sp, i, 0);
			if (rc)
				return rc;
		}
	}
	return MAMORI_OK;
}
