/* passwd_file.c - /etc/passwd, /etc/group and /etc/shadow parsers. */
#include "agent/passwd_file.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define MAX_FIELDS 10

/* Splits a line at ':' into at most MAX_FIELDS fields; returns the count
 * (MAX_FIELDS + 1 when there are more). */
static size_t
fields(struct span line, struct span *f)
{
	size_t n = 0;
	struct span rest = line, head;
	for (;;) {
		bool more = span_split(rest, ':', &head, &rest);
		if (n == MAX_FIELDS)
			return MAX_FIELDS + 1;
		f[n++] = head;
		if (!more)
			return n;
	}
}

static bool
skip_line(struct span line)
{
	struct span t = span_trim(line);
	return t.len == 0 || t.p[0] == '#' || t.p[0] == '+' || t.p[0] == '-';
}

/* Names and ids must be sane: no NUL or control bytes in a name. */
static bool
good_name(struct span s)
{
	if (s.len == 0 || s.len > 256)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] < 0x21 || s.p[i] == 0x7f)
			return false;
	return true;
}

static bool
id_of(struct span s, uint32_t *out)
{
	uint64_t v;
	/* 4294967295 is (uid_t)-1, which no account may have. */
	if (span_to_u64(s, 4294967294u, &v) != 0)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool
passwd_file_hash_locked(const char *hash)
{
	return hash && (hash[0] == '!' || hash[0] == '*');
}

bool
passwd_file_login_shell(const char *shell)
{
	static const char *const no[] = {
		"nologin", "false", "sync", "halt", "shutdown",
	};
	if (!shell || !*shell)
		return true;
	const char *base = strrchr(shell, '/');
	base = base ? base + 1 : shell;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcmp(base, no[i]) == 0)
			return false;
	return true;
}

int
passwd_file_parse_passwd(struct arena *a, struct span text, struct vec *users,
    size_t *bad)
{
	struct cursor c;
	struct span line, f[MAX_FIELDS];
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		uint32_t uid, gid;
		if (skip_line(line))
			continue;
		if (fields(line, f) != 7 || !good_name(f[0]) || !id_of(f[2], &uid) ||
		    !id_of(f[3], &gid)) {
			(*bad)++;
			continue;
		}
		struct inv_user *u = vec_push(a, users);
		if (!u)
			return MAMORI_E_LIMIT;
		u->name = arena_spandup(a, f[0]);
		u->uid = uid;
		u->gid = gid;
		u->gecos = arena_spandup(a, f[4]);
		u->home = arena_spandup(a, f[5]);
		u->shell = arena_spandup(a, f[6]);
		if (!u->name || !u->gecos || !u->home || !u->shell)
			return MAMORI_E_NOMEM;
		u->login_shell = passwd_file_login_shell(u->shell);
		if (!span_eq(f[1], "x")) {
			u->shadow_known = true;
			u->hash_from_passwd = true;
			u->hash = arena_spandup(a, f[1]);
			if (!u->hash)
				return MAMORI_E_NOMEM;
			u->locked = passwd_file_hash_locked(u->hash);
		}
	}
	return MAMORI_OK;
}

int
passwd_file_parse_group(struct arena *a, struct span text, struct vec *groups,
    size_t *bad)
{
	struct cursor c;
	struct span line, f[MAX_FIELDS];
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		uint32_t gid;
		if (skip_line(line))
			continue;
		if (fields(line, f) != 4 || !good_name(f[0]) || !id_of(f[2], &gid)) {
			(*bad)++;
			continue;
		}
		struct inv_group *g = vec_push(a, groups);
		if (!g)
			return MAMORI_E_LIMIT;
		vec_init(&g->members, sizeof(char *), 100000);
		g->gid = gid;
		if (!(g->name = arena_spandup(a, f[0])))
			return MAMORI_E_NOMEM;
		struct span rest = f[3], m;
		for (bool more = true; more;) {
			more = span_split(rest, ',', &m, &rest);
			m = span_trim(m);
			if (m.len == 0)
				continue;
			char **slot = vec_push(a, &g->members);
			if (!slot)
				return MAMORI_E_LIMIT;
			if (!(*slot = arena_spandup(a, m)))
				return MAMORI_E_NOMEM;
		}
	}
	return MAMORI_OK;
}

/* Users sorted by name, then by position, so the first of duplicate
 * names is found first (getspnam() and getpwnam() take the first). */
static int
by_name(const void *x, const void *y)
{
	const struct inv_user *a = *(const struct inv_user *const *)x;
	const struct inv_user *b = *(const struct inv_user *const *)y;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	return a < b ? -1 : a > b;
}

int
passwd_file_index(struct arena *a, struct vec *users, struct passwd_index *idx)
{
	idx->n = 0;
	idx->sorted = NULL;
	if (users->n == 0)
		return MAMORI_OK;
	if (!(idx->sorted = arena_alloc(a, users->n * sizeof(*idx->sorted))))
		return MAMORI_E_NOMEM;
	for (size_t i = 0; i < users->n; i++)
		idx->sorted[i] = vec_at(users, i);
	idx->n = users->n;
	qsort(idx->sorted, idx->n, sizeof(*idx->sorted), by_name);
	return MAMORI_OK;
}

struct inv_user *
passwd_file_find(const struct passwd_index *idx, struct span name)
{
	struct inv_user **sorted = idx->sorted;
	size_t n = idx->n;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *m = sorted[mid]->name;
		size_t ml = strlen(m);
		int c = memcmp(m, name.p, ml < name.len ? ml : name.len);
		if (c == 0)
			c = ml < name.len ? -1 : ml > name.len;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && span_eq(name, sorted[lo]->name))
		return sorted[lo];
	return NULL;
}

int
passwd_file_parse_shadow(struct arena *a, struct span text, struct vec *users,
    size_t *bad)
{
	struct cursor c;
	struct span line, f[MAX_FIELDS];
	struct passwd_index idx;
	int rc = passwd_file_index(a, users, &idx);
	if (rc)
		return rc;
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		if (skip_line(line))
			continue;
		/* shadow(5) has nine fields; older tools wrote fewer trailing
		 * ones, and only the first two matter here. */
		size_t n = fields(line, f);
		if (n < 2 || n > 9 || !good_name(f[0])) {
			(*bad)++;
			continue;
		}
		struct inv_user *u = passwd_file_find(&idx, f[0]);
		/* The first shadow entry wins, as in getspnam(). */
		if (!u || u->hash_from_passwd || u->shadow_known)
			continue;
		if (!(u->hash = arena_spandup(a, f[1])))
			return MAMORI_E_NOMEM;
		u->shadow_known = true;
		u->locked = passwd_file_hash_locked(u->hash);
	}
	return MAMORI_OK;
}
