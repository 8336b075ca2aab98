/*
 * inventory_dpkg.c - installed Debian packages, read from dpkg's database
 * files directly (no dpkg-query: offline roots have no usable dpkg).
 *
 * Mirrors what dpkg-query -W lists: /var/lib/dpkg/status, then the journal
 * files of /var/lib/dpkg/updates/ (left by an interrupted dpkg run) applied
 * on top in name order, with dpkg's slot rules (one entry per name and
 * architecture; a journal entry replaces a package's only installed
 * instance, which is how dpkg records cross-grades). Every entry whose
 * state is not "not-installed" is listed, config-files ones included.
 */
#include "agent/inventory.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/dpkg_status.h"
#include "common/err.h"

#define STATUS_FILE	"/var/lib/dpkg/status"
#define UPDATES_DIR	"/var/lib/dpkg/updates"
#define MAX_UPDATES	10000	/* journal files read at most */

struct rec {
	struct span name;	/* as first written; compared without case */
	struct dpkg_stanza st;	/* spans into the arena-held file text */
	int next;		/* next rec of the same name, -1 = none */
};

struct set {
	int first;		/* first rec, -1 = none */
	int installed;		/* recs not in state not-installed */
	uint32_t hash;
};

struct db {
	struct scan_ctx *ctx;
	struct vec recs;	/* struct rec */
	struct vec sets;	/* struct set */
	int *table;		/* set index + 1; 0 = free */
	size_t tcap;		/* power of two */
	bool update;		/* parsing a journal file, not status */
	int err;
};

static uint32_t
hash_name(struct span n)
{
	uint32_t h = 2166136261u;	/* FNV-1a, case-folded */
	for (size_t i = 0; i < n.len; i++) {
		unsigned char c = (unsigned char)n.p[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static bool
name_eq(struct span a, struct span b)
{
	return a.len == b.len && strncasecmp(a.p, b.p, a.len) == 0;
}

static int
grow_table(struct db *db)
{
	size_t ncap = db->tcap ? db->tcap * 2 : 2048;
	int *nt = arena_alloc(db->ctx->arena, ncap * sizeof(*nt));
	if (!nt)
		return MAMORI_E_NOMEM;
	for (size_t i = 0; i < db->sets.n; i++) {
		const struct set *s = vec_at(&db->sets, i);
		size_t j = s->hash & (ncap - 1);
		while (nt[j])
			j = (j + 1) & (ncap - 1);
		nt[j] = (int)i + 1;
	}
	db->table = nt;
	db->tcap = ncap;
	return MAMORI_OK;
}

static struct set *
find_set(struct db *db, struct span name)
{
	if ((db->sets.n + 1) * 2 > db->tcap && grow_table(db) != MAMORI_OK)
		return NULL;
	uint32_t h = hash_name(name);
	size_t j = h & (db->tcap - 1);
	while (db->table[j]) {
		struct set *s = vec_at(&db->sets, (size_t)db->table[j] - 1);
		const struct rec *r = vec_at(&db->recs, (size_t)s->first);
		if (s->hash == h && name_eq(r->name, name))
			return s;
		j = (j + 1) & (db->tcap - 1);
	}
	struct set *s = vec_push(db->ctx->arena, &db->sets);
	if (!s)
		return NULL;
	s->first = -1;
	s->hash = h;
	db->table[j] = (int)db->sets.n;
	return s;
}

static struct rec *
new_rec(struct db *db, struct set *s, struct span name)
{
	struct rec *r = vec_push(db->ctx->arena, &db->recs);
	if (!r)
		return NULL;
	r->name = name;
	r->next = -1;
	int idx = (int)db->recs.n - 1;
	if (s->first < 0) {
		s->first = idx;
	} else {
		struct rec *t = vec_at(&db->recs, (size_t)s->first);
		while (t->next >= 0)
			t = vec_at(&db->recs, (size_t)t->next);
		t->next = idx;
	}
	return r;
}

/* dpkg's pkg_hash_get_pkg(): the slot of this architecture. */
static struct rec *
slot_by_arch(struct db *db, struct set *s, const struct dpkg_stanza *st)
{
	for (int i = s->first; i >= 0;) {
		struct rec *r = vec_at(&db->recs, (size_t)i);
		if (r->st.arch.len == st->arch.len &&
		    memcmp(r->st.arch.p, st->arch.p, st->arch.len) == 0)
			return r;
		i = r->next;
	}
	return new_rec(db, s, st->package);
}

static struct rec *
installed_one(struct db *db, const struct set *s)
{
	for (int i = s->first; i >= 0;) {
		struct rec *r = vec_at(&db->recs, (size_t)i);
		if (r->st.state != DPKG_NOT_INSTALLED)
			return r;
		i = r->next;
	}
	return NULL;
}

static int
on_stanza(void *arg, const struct dpkg_stanza *st)
{
	struct db *db = arg;
	struct set *s = find_set(db, st->package);
	struct rec *r = NULL;
	if (!s)
		return db->err = MAMORI_E_NOMEM;
	if (db->update && s->installed == 1) {
		/* dpkg's parse_find_pkg_slot() for journal entries. */
		r = installed_one(db, s);
		if (r && r->st.multiarch_same && st->multiarch_same)
			r = NULL;
	}
	if (!r && !(r = s->first < 0 ? new_rec(db, s, st->package) :
	    slot_by_arch(db, s, st)))
		return db->err = MAMORI_E_NOMEM;
	if (r->st.package.len != 0 && r->st.state != DPKG_NOT_INSTALLED)
		s->installed--;
	r->st = *st;
	if (st->state != DPKG_NOT_INSTALLED)
		s->installed++;
	return MAMORI_OK;
}

static int
parse_file(struct db *db, const char *path, bool update)
{
	struct span text;
	int rc = rootfs_read(db->ctx->root, path, scan_max_file(db->ctx),
	    db->ctx->arena, &text);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc == MAMORI_E_LIMIT) {
		scan_warn(db->ctx, "packages", "%s: larger than "
		    "scan.max_file_bytes (%zu bytes); not read", path,
		    scan_max_file(db->ctx));
		return rc;
	}
	if (rc != MAMORI_OK) {
		if (rc != MAMORI_E_NOTFOUND || !update)
			scan_warn(db->ctx, "packages", "%s: %s", path, err_str(rc));
		return rc;
	}
	db->update = update;
	rc = dpkg_status_parse(db->ctx, text, path, on_stanza, db, NULL);
	return db->err ? db->err : rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* The journal: files named only by digits, applied in name order. */
static int
parse_updates(struct db *db)
{
	DIR *d = rootfs_opendir(db->ctx->root, UPDATES_DIR);
	if (!d) {
		if (errno != ENOENT)
			scan_warn(db->ctx, "packages", "%s: cannot read the "
			    "directory", UPDATES_DIR);
		return MAMORI_OK;
	}
	char **names = NULL;
	size_t n = 0, namelen = 0;
	struct dirent *e;
	int rc = MAMORI_OK;
	bool mixed = false;
	while ((e = readdir(d))) {
		if (!all_digits(e->d_name))
			continue;
		if (n >= MAX_UPDATES) {
			scan_warn(db->ctx, "packages", "%s: more than %d journal "
			    "files; the rest are ignored", UPDATES_DIR, MAX_UPDATES);
			break;
		}
		size_t l = strlen(e->d_name);
		if (n > 0 && l != namelen)
			mixed = true;
		namelen = l;
		if (!names && !(names = arena_alloc(db->ctx->arena,
		    MAX_UPDATES * sizeof(*names)))) {
			rc = MAMORI_E_NOMEM;
			goto out;
		}
		if (!(names[n++] = arena_strdup(db->ctx->arena, e->d_name))) {
			rc = MAMORI_E_NOMEM;
			goto out;
		}
	}
	if (mixed)
		scan_warn(db->ctx, "packages", "%s: journal file names of "
		    "different lengths (dpkg refuses this database)", UPDATES_DIR);
	if (n > 0)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		char *path = arena_printf(db->ctx->arena, "%s/%s", UPDATES_DIR,
		    names[i]);
		if (!path) {
			rc = MAMORI_E_NOMEM;
			goto out;
		}
		if ((rc = parse_file(db, path, true)) == MAMORI_E_NOMEM)
			goto out;
		rc = MAMORI_OK;
	}
out:
	closedir(d);
	return rc;
}

static int
by_name_arch(const void *a, const void *b)
{
	const struct inv_package *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return strcmp(x->arch ? x->arch : "", y->arch ? y->arch : "");
}

static char *
dup_or_null(struct arena *a, struct span s)
{
	return s.len ? arena_spandup(a, s) : NULL;
}

static int
emit(struct db *db, struct inventory *inv)
{
	struct arena *a = db->ctx->arena;
	size_t first = inv->packages.n;
	for (size_t i = 0; i < db->recs.n; i++) {
		const struct rec *r = vec_at(&db->recs, i);
		const struct dpkg_stanza *st = &r->st;
		if (st->state == DPKG_NOT_INSTALLED)
			continue;
		struct inv_package *p = vec_push(a, &inv->packages);
		if (!p)
			return MAMORI_E_NOMEM;
		p->format = "deb";
		p->name = dpkg_status_name(a, st->package);
		p->version = dpkg_status_version(a, st->version);
		p->arch = dup_or_null(a, st->arch);
		p->source = st->source.len ? arena_spandup(a, st->source) :
		    p->name;
		p->source_version = st->source_version.len ?
		    dpkg_status_version(a, st->source_version) : p->version;
		p->status = arena_strdup(a, dpkg_status_state_name(st->state));
		p->multiarch_same = st->multiarch_same;
		if (!p->name || !p->version || !p->source ||
		    !p->source_version || !p->status ||
		    (st->arch.len && !p->arch))
			return MAMORI_E_NOMEM;
	}
	qsort(vec_at(&inv->packages, first), inv->packages.n - first,
	    sizeof(struct inv_package), by_name_arch);
	return MAMORI_OK;
}

int
inventory_dpkg_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	struct db db;
	int rc;

	if (!rootfs_exists(ctx->root, STATUS_FILE)) {
		if (rootfs_exists(ctx->root, "/var/lib/dpkg"))
			scan_warn(ctx, "packages", "%s is missing: installed "
			    "Debian packages are unknown", STATUS_FILE);
		return MAMORI_OK;
	}
	memset(&db, 0, sizeof(db));
	db.ctx = ctx;
	vec_init(&db.recs, sizeof(struct rec), 1000000);
	vec_init(&db.sets, sizeof(struct set), 1000000);

	rc = parse_file(&db, STATUS_FILE, false);
	if (rc == MAMORI_E_NOMEM)
		goto out;
	if (rc != MAMORI_OK) {
		rc = MAMORI_OK;	/* unreadable: warned, section stays empty */
		goto out;
	}
	if ((rc = parse_updates(&db)) != MAMORI_OK)
		goto out;
	if ((rc = emit(&db, inv)) != MAMORI_OK)
		goto out;
	inv->have_packages = true;
out:
	if (rc == MAMORI_E_NOMEM)
		scan_warn(ctx, "packages", "out of scan memory while reading "
		    "the dpkg database");
	return rc;
}
