#include "agent/fim_baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

void
fim_set_init(struct fim_set *s)
{
	memset(s, 0, sizeof(*s));
}

void
fim_set_free(struct fim_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].path);
		free(s->v[i].link);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int
fim_set_add_record(struct fim_set *s, const struct fim_record *r)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct fim_record *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return MAMORI_E_NOMEM;
		s->v = v;
		s->cap = cap;
	}
	struct fim_record *d = &s->v[s->n];
	*d = *r;
	d->path = strdup(r->path);
	d->link = r->link ? strdup(r->link) : NULL;
	if (!d->path || (r->link && !d->link)) {
		free(d->path);
		free(d->link);
		return MAMORI_E_NOMEM;
	}
	s->n++;
	s->sorted = false;
	return MAMORI_OK;
}

int
fim_set_add(struct fim_set *s, const struct fim_entry *e)
{
	struct fim_record r = {
		.path = (char *)(uintptr_t)e->path, .link = (char *)(uintptr_t)e->link,
		.type = e->type, .state = e->state, .err = e->err,
		.size = e->size, .mode = e->mode, .uid = e->uid, .gid = e->gid,
		.mtime_ns = e->mtime_ns, .inode = e->inode, .has_hash = e->has_hash,
	};
	memcpy(r.hash, e->hash, FIM_HASH_LEN);
	return fim_set_add_record(s, &r);
}

static int
cmp_rec(const void *a, const void *b)
{
	return strcmp(((const struct fim_record *)a)->path,
	    ((const struct fim_record *)b)->path);
}

void
fim_set_sort(struct fim_set *s)
{
	if (!s->sorted && s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_rec);
	s->sorted = true;
}

static int
collect_cb(void *arg, const struct fim_entry *e)
{
	return fim_set_add(arg, e);
}

int
fim_set_collect(struct fim_set *s, const char *root, const struct fim_walk_opts *opt)
{
	return fim_walk(root, opt, collect_cb, s);
}

unsigned
fim_compare(const struct fim_record *o, const struct fim_record *c)
{
	unsigned f = 0;
	if (o->type != c->type)
		return FIM_F_TYPE;
	if (o->uid != c->uid || o->gid != c->gid)
		f |= FIM_F_OWNER;
	if (o->inode != c->inode)
		f |= FIM_F_INODE;
	switch (c->type) {
	case FIM_T_FILE:
		if (o->size != c->size)
			f |= FIM_F_SIZE;
		if (o->mode != c->mode)
			f |= FIM_F_MODE;
		if (o->mtime_ns != c->mtime_ns)
			f |= FIM_F_MTIME;
		if (o->has_hash && c->has_hash &&
		    memcmp(o->hash, c->hash, FIM_HASH_LEN) != 0)
			f |= FIM_F_HASH;
		break;
	case FIM_T_DIR:
		/* A directory's size and mtime change with every file added
		 * below it; those files are reported themselves. */
		if (o->mode != c->mode)
			f |= FIM_F_MODE;
		break;
	case FIM_T_SYMLINK:
		/* Link permission bits are meaningless on Linux. */
		if ((o->link || c->link) &&
		    (!o->link || !c->link || strcmp(o->link, c->link) != 0))
			f |= FIM_F_LINK;
		break;
	default:
		if (o->mode != c->mode)
			f |= FIM_F_MODE;
		if (o->mtime_ns != c->mtime_ns)
			f |= FIM_F_MTIME;
		break;
	}
	return f;
}

int
fim_diff(struct fim_set *old, struct fim_set *cur, fim_change_fn fn, void *arg)
{
	size_t i = 0, j = 0;
	int rc;

	fim_set_sort(old);
	fim_set_sort(cur);
	while (i < old->n || j < cur->n) {
		struct fim_change ch = { 0 };
		int c = i >= old->n ? 1 : j >= cur->n ? -1 :
		    strcmp(old->v[i].path, cur->v[j].path);
		if (c < 0) {
			ch.kind = FIM_REMOVED;
			ch.old = &old->v[i++];
		} else if (c > 0) {
			ch.kind = FIM_ADDED;
			ch.cur = &cur->v[j++];
		} else {
			ch.old = &old->v[i++];
			ch.cur = &cur->v[j++];
			ch.fields = fim_compare(ch.old, ch.cur);
			if (ch.fields)
				ch.kind = FIM_MODIFIED;
			else if (ch.cur->state != FIM_S_OK ||
			    ch.old->state != FIM_S_OK ||
			    ch.old->has_hash != ch.cur->has_hash)
				/* Metadata matches but the content could not
				 * be verified: not "unchanged". */
				ch.kind = FIM_UNVERIFIED;
			else
				continue;
		}
		if ((rc = fn(arg, &ch)) != 0)
			return rc;
	}
	return MAMORI_OK;
}

const char *
fim_change_kind_name(enum fim_change_kind k)
{
	static const char *const n[] = { "added", "removed", "modified", "unverified" };
	return (unsigned)k <= FIM_UNVERIFIED ? n[k] : "modified";
}

void
fim_fields_str(unsigned fields, char *buf, size_t n)
{
	static const char *const names[] = { "type", "size", "mode", "owner",
		"mtime", "inode", "hash", "link" };
	size_t off = 0;
	if (n)
		buf[0] = '\0';
	for (unsigned b = 0; b < 8; b++) {
		if (!(fields & (1u << b)))
			continue;
		int k = snprintf(buf + off, n > off ? n - off : 0, "%s%s",
		    off ? "," : "", names[b]);
		if (k < 0 || (size_t)k >= n - off)
			break;
		off += (size_t)k;
	}
}
