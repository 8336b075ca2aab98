/* sshd_config.c - sshd_config(5) with Include and Match. */
#include "agent/sshd_config.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define MAX_DEPTH 16		/* sshd's READCONF_MAX_DEPTH */
#define MAX_GLOB 1024		/* paths one Include pattern may yield */
#define MAX_ARGS 256

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool
keyword_ok(struct span k)
{
	for (size_t i = 0; i < k.len; i++) {
		char c = k.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9')))
			return false;
	}
	return k.len > 0 && k.len <= 64;
}

/*
 * The keyword: up to whitespace or '=', then whitespace, at most one
 * '=', whitespace (sshd's strdelim()). rest gets the arguments.
 */
static bool
split_keyword(struct span l, struct span *key, struct span *rest)
{
	size_t i = 0;
	while (i < l.len && is_space(l.p[i]))
		i++;
	size_t k = i;
	while (i < l.len && !is_space(l.p[i]) && l.p[i] != '=')
		i++;
	key->p = l.p + k;
	key->len = i - k;
	while (i < l.len && is_space(l.p[i]))
		i++;
	if (i < l.len && l.p[i] == '=')
		i++;
	while (i < l.len && is_space(l.p[i]))
		i++;
	rest->p = l.p + i;
	rest->len = l.len - i;
	return key->len > 0 && key->p[0] != '#';
}

/*
 * Splits arguments like OpenSSH's argv_split(): words separated by
 * whitespace, '...' or "..." quoting, backslash escapes of quotes,
 * spaces and backslashes, and a '#' at the start of a word ends the
 * line. Writes the words, NUL-separated, into buf (at least rest.len + 1
 * bytes). Returns the count, or -1 for an unterminated quote.
 */
static int
split_args(struct span rest, char *buf, char **argv, int max)
{
	size_t i = 0, o = 0;
	int n = 0;
	for (;;) {
		while (i < rest.len && is_space(rest.p[i]))
			i++;
		if (i >= rest.len || rest.p[i] == '#' || rest.p[i] == '\n')
			break;
		if (n == max)
			return -1;
		argv[n++] = buf + o;
		char quote = 0;
		while (i < rest.len) {
			char c = rest.p[i];
			if (!quote && is_space(c))
				break;
			if (c == '\\' && i + 1 < rest.len &&
			    (rest.p[i + 1] == '\'' || rest.p[i + 1] == '"' ||
			    rest.p[i + 1] == '\\' || (!quote && is_space(rest.p[i + 1])))) {
				buf[o++] = rest.p[i + 1];
				i += 2;
				continue;
			}
			if (quote && c == quote) {
				quote = 0;
				i++;
				continue;
			}
			if (!quote && (c == '"' || c == '\'')) {
				quote = c;
				i++;
				continue;
			}
			buf[o++] = c;
			i++;
		}
		if (quote)
			return -1;
		buf[o++] = '\0';
	}
	return n;
}

static void
lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
has_magic(struct span s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] == '*' || s.p[i] == '?' || s.p[i] == '[')
			return true;
	return false;
}

int
sshd_config_glob(struct scan_ctx *ctx, const char *pattern, struct vec *out)
{
	/* Breadth-first over the components: cur holds the directories
	 * matched so far ("" is the root). */
	struct vec cur, next;
	struct span rest = span_from_cstr(pattern), comp;
	int rc = MAMORI_OK;
	vec_init(&cur, sizeof(char *), MAX_GLOB);
	char **slot = vec_push(ctx->arena, &cur);
	if (!slot || !(*slot = arena_strdup(ctx->arena, "")))
		return MAMORI_E_NOMEM;
	while (rest.len) {
		span_split(rest, '/', &comp, &rest);
		if (comp.len == 0 || span_eq(comp, "."))
			continue;
		vec_init(&next, sizeof(char *), MAX_GLOB);
		char *pat = arena_spandup(ctx->arena, comp);
		if (!pat)
			return MAMORI_E_NOMEM;
		for (size_t i = 0; i < cur.n; i++) {
			const char *dir = *(char **)vec_at(&cur, i);
			if (!has_magic(comp)) {
				char *p = arena_printf(ctx->arena, "%s/%s", dir, pat);
				slot = vec_push(ctx->arena, &next);
				if (!p || !slot)
					return p ? MAMORI_E_LIMIT : MAMORI_E_NOMEM;
				*slot = p;
				continue;
			}
			DIR *d = rootfs_opendir(ctx->root, *dir ? dir : "/");
			if (!d)
				continue;
			struct dirent *e;
			while ((e = readdir(d))) {
				if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
					continue;
				/* glob(3) does not match a leading '.' with a
				 * wildcard: FNM_PERIOD. */
				if (fnmatch(pat, e->d_name, FNM_PERIOD) != 0)
					continue;
				char *p = arena_printf(ctx->arena, "%s/%s", dir, e->d_name);
				slot = vec_push(ctx->arena, &next);
				if (!p || !slot) {
					rc = p ? MAMORI_E_LIMIT : MAMORI_E_NOMEM;
					break;
				}
				*slot = p;
			}
			closedir(d);
			if (rc == MAMORI_E_NOMEM)
				return rc;
			if (rc) {
				scan_warn(ctx, "sshd", "Include %s: more than %d matches",
				    pattern, MAX_GLOB);
				rc = MAMORI_OK;
				break;
			}
		}
		cur = next;
	}
	if (cur.n)
		qsort(cur.items, cur.n, sizeof(char *), by_str);
	for (size_t i = 0; i < cur.n; i++) {
		char *p = *(char **)vec_at(&cur, i);
		if (!*p || !rootfs_exists(ctx->root, p))
			continue;
		if (!(slot = vec_push(ctx->arena, out)))
			return MAMORI_E_LIMIT;
		*slot = p;
	}
	return MAMORI_OK;
}

static int
include(struct scan_ctx *ctx, char **argv, int argc, const char *file, int line,
    int depth, bool in_match, struct vec *settings)
{
	int rc;
	if (depth + 1 > MAX_DEPTH) {
		scan_warn(ctx, "sshd", "%s:%d: Include nested more than %d deep",
		    file, line, MAX_DEPTH);
		return MAMORI_OK;
	}
	if (!ctx->root)
		return MAMORI_OK;
	for (int i = 0; i < argc; i++) {
		struct vec paths;
		vec_init(&paths, sizeof(char *), MAX_GLOB);
		const char *pat = argv[i][0] == '/' ? argv[i] :
		    arena_printf(ctx->arena, "/etc/ssh/%s", argv[i]);
		if (!pat)
			return MAMORI_E_NOMEM;
		if ((rc = sshd_config_glob(ctx, pat, &paths)))
			return rc;
		for (size_t j = 0; j < paths.n; j++) {
			rc = sshd_config_load(ctx, *(char **)vec_at(&paths, j), depth + 1,
			    in_match, settings);
			if (rc == MAMORI_E_NOMEM || rc == MAMORI_E_LIMIT)
				return rc;
		}
	}
	return MAMORI_OK;
}

int
sshd_config_parse(struct scan_ctx *ctx, struct span text, const char *file,
    int depth, bool in_match, struct vec *settings)
{
	struct cursor c;
	struct span line, key, rest;
	char *argv[MAX_ARGS];
	int lineno = 0, bad = 0, rc = MAMORI_OK;
	bool match = in_match;
	char *fname = arena_strdup(ctx->arena, file);
	if (!fname)
		return MAMORI_E_NOMEM;
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		lineno++;
		if (!split_keyword(line, &key, &rest))
			continue;
		if (!keyword_ok(key)) {
			bad++;
			continue;
		}
		char *buf = arena_alloc(ctx->arena, rest.len + 1);
		if (!buf)
			return MAMORI_E_NOMEM;
		int argc = split_args(rest, buf, argv, MAX_ARGS);
		if (argc <= 0) {
			/* sshd refuses a keyword without arguments and an
			 * unterminated quote. */
			bad++;
			continue;
		}
		char *k = arena_spandup(ctx->arena, key);
		if (!k)
			return MAMORI_E_NOMEM;
		lower(k);
		lower(argv[0]);
		bool is_match = strcmp(k, "match") == 0;
		if (is_match)
			match = !(argc == 1 && strcmp(argv[0], "all") == 0) || in_match;
		/* The value: the words joined by single spaces. */
		char *v = argv[0];
		for (int i = 1; i < argc && v; i++)
			v = arena_printf(ctx->arena, "%s %s", v, argv[i]);
		struct inv_ssh_setting *s = vec_push(ctx->arena, settings);
		if (!v || !s)
			return v ? MAMORI_E_LIMIT : MAMORI_E_NOMEM;
		s->key = k;
		s->value = v;
		s->file = fname;
		s->line = lineno;
		s->in_match = is_match || match;
		if (strcmp(k, "include") == 0) {
			rc = include(ctx, argv, argc, fname, lineno, depth, match, settings);
			if (rc)
				return rc;
		}
	}
	if (bad)
		scan_warn(ctx, "sshd", "%s: %d lines not understood", file, bad);
	return MAMORI_OK;
}

int
sshd_config_load(struct scan_ctx *ctx, const char *path, int depth,
    bool in_match, struct vec *settings)
{
	struct span text;
	int rc = rootfs_read(ctx->root, path, scan_max_file(ctx), ctx->arena, &text);
	if (rc == MAMORI_E_NOMEM || rc == MAMORI_E_NOTFOUND)
		return rc;
	if (rc) {
		scan_warn(ctx, "sshd", "%s: %s", path, err_str(rc));
		return rc;
	}
	if (!span_is_text(text)) {
		scan_warn(ctx, "sshd", "%s: not a text file, skipped", path);
		return MAMORI_E_PARSE;
	}
	return sshd_config_parse(ctx, text, path, depth, in_match, settings);
}
