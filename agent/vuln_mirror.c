/*
 * vuln_mirror.c - the highest version apt's lists offer per binary.
 */
#include "agent/vuln_mirror.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lz4frame.h>

#include "agent/apt_lists.h"
#include "common/decompress.h"
#include "common/err.h"
#include "common/rootfs.h"

/* Stanzas are parsed from a window, so a 45 MB list costs 2 MiB. */
#define WINDOW (2u << 20)
#define CHUNK (256u << 10)

/* One wanted binary package and the source it belongs to. */
struct want {
	const char *name;
	struct match_source *src;
};

struct offer_ctx {
	struct want *w;
	size_t n;
	struct arena *arena;
	bool nomem;
};

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct want *)a)->name, ((const struct want *)b)->name);
}

static struct want *
find(struct offer_ctx *c, struct span name)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *m = c->w[mid].name;
		size_t ml = strlen(m);
		int d = memcmp(m, name.p, ml < name.len ? ml : name.len);
		if (!d)
			d = ml < name.len ? -1 : ml > name.len ? 1 : 0;
		if (!d) {
			/* The same binary can belong to two installed sources
			 * only in odd states; the first one is enough. */
			while (mid > 0 && strcmp(c->w[mid - 1].name, m) == 0)
				mid--;
			return &c->w[mid];
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
offer(void *arg, const struct apt_stanza *st)
{
	struct offer_ctx *c = arg;
	struct want *w = find(c, st->package);
	if (!w || st->version.len == 0 || st->version.len >= 256)
		return 0;
	char v[256];
	memcpy(v, st->version.p, st->version.len);
	v[st->version.len] = '\0';
	struct match_source *s = w->src;
	if (s->available && version_cmp(s->format, v, s->available) <= 0)
		return 0;
	if (!(s->available = arena_strdup(c->arena, v))) {
		c->nomem = true;
		return MAMORI_E_NOMEM;
	}
	return 0;
}

struct stream {
	char *win;
	size_t len;
	struct offer_ctx *c;
};

/* Parses the complete stanzas in the window and keeps the rest. */
static int
drain(struct stream *st, bool eof)
{
	size_t cut = st->len;
	if (!eof) {
		while (cut >= 2 && !(st->win[cut - 1] == '\n' && st->win[cut - 2] == '\n'))
			cut--;
		if (cut < 2) {
			/* One stanza larger than the window: not a real list. */
			return st->len == WINDOW ? MAMORI_E_LIMIT : MAMORI_OK;
		}
	}
	int rc = apt_lists_parse_packages((struct span){ st->win, cut }, offer, st->c);
	if (rc)
		return rc;
	memmove(st->win, st->win + cut, st->len - cut);
	st->len -= cut;
	return MAMORI_OK;
}

/* Output of the decompressor (or the file itself) into the window. */
static int
feed(struct stream *st, const char *p, size_t n)
{
	while (n) {
		size_t room = WINDOW - st->len, k = n < room ? n : room;
		memcpy(st->win + st->len, p, k);
		st->len += k;
		p += k;
		n -= k;
		if (st->len == WINDOW) {
			int rc = drain(st, false);
			if (rc)
				return rc;
		}
	}
	return MAMORI_OK;
}

/*
 * Reads one uncompressed or lz4 (Debian 12's default) list in chunks;
 * MAMORI_E_UNSUPPORTED for other compressions (read whole instead).
 */
static int
stream_list(struct scan_ctx *ctx, const char *path, struct offer_ctx *c)
{
	static const unsigned char lz4_magic[4] = { 0x04, 0x22, 0x4d, 0x18 };
	struct stream st = { .c = c };
	LZ4F_dctx *dctx = NULL;
	char *raw = NULL, *out = NULL;
	bool first = true, lz4 = false;
	int rc = MAMORI_OK;
	int fd = rootfs_openat(ctx->root, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return MAMORI_E_IO;
	if (!(st.win = malloc(WINDOW)) || !(raw = malloc(CHUNK)) || !(out = malloc(CHUNK))) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, raw, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = MAMORI_E_IO;
			goto out;
		}
		if (first) {
			first = false;
			lz4 = n >= 4 && memcmp(raw, lz4_magic, 4) == 0;
			if (!lz4 && decompress_detect(raw, (size_t)n) != DECOMPRESS_NONE) {
				rc = MAMORI_E_UNSUPPORTED;
				goto out;
			}
			if (lz4 && LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION))) {
				rc = MAMORI_E_NOMEM;
				goto out;
			}
		}
		if (n == 0)
			break;
		if (!lz4) {
			if ((rc = feed(&st, raw, (size_t)n)))
				goto out;
			continue;
		}
		for (size_t off = 0; off < (size_t)n;) {
			size_t in = (size_t)n - off, got = CHUNK;
			size_t hint = LZ4F_decompress(dctx, out, &got, raw + off, &in, NULL);
			if (LZ4F_isError(hint)) {
				rc = MAMORI_E_PARSE;
				goto out;
			}
			off += in;
			if ((rc = feed(&st, out, got)))
				goto out;
		}
	}
	rc = drain(&st, true);
out:
	if (dctx)
		LZ4F_freeDecompressionContext(dctx);
	close(fd);
	free(st.win);
	free(raw);
	free(out);
	return rc;
}

int
vuln_mirror_check(struct vuln_scan *vs, struct scan_ctx *ctx)
{
	struct offer_ctx c = { .arena = vs->arena };
	struct vec files;
	size_t nbin = 0;
	int rc;

	vs->nnot_in_mirror = 0;
	if (vs->nfixable == 0)
		return MAMORI_OK;
	/* Only deb sources with something to fix are looked up. */
	for (size_t i = 0; i < vs->groups.n; i++) {
		const struct vuln_scan_group *g = vec_at(&vs->groups, i);
		if (g->nfixable && g->source->format == VERSION_DEB)
			nbin += g->source->binaries.n;
	}
	if (nbin == 0)
		return MAMORI_OK;
	vec_init(&files, sizeof(struct apt_list_file), 100000);
	rc = apt_lists_scan(ctx, &files);
	if (rc == MAMORI_E_NOTFOUND || rc == MAMORI_E_IO)
		return MAMORI_OK;	/* no lists: the mirror state stays unknown */
	if (rc)
		return rc;
	if (!(c.w = arena_alloc(vs->arena, nbin * sizeof(*c.w))))
		return MAMORI_E_NOMEM;
	for (size_t i = 0; i < vs->groups.n; i++) {
		const struct vuln_scan_group *g = vec_at(&vs->groups, i);
		if (!g->nfixable || g->source->format != VERSION_DEB)
			continue;
		/* The group's source lives in vs->installed, writable there. */
		struct match_source *src = vec_at(&vs->installed,
		    (size_t)(g->source - (const struct match_source *)vs->installed.items));
		for (size_t j = 0; j < src->binaries.n; j++)
			c.w[c.n++] = (struct want){ *(const char **)vec_at(&src->binaries, j), src };
	}
	qsort(c.w, c.n, sizeof(*c.w), by_name);
	for (size_t i = 0; i < files.n; i++) {
		const struct apt_list_file *f = vec_at(&files, i);
		char *buf;
		size_t len;
		if (f->kind != APT_LIST_PACKAGES)
			continue;
		rc = stream_list(ctx, f->path, &c);
		if (rc == MAMORI_E_UNSUPPORTED) {
			/* gz/xz/zst lists (other apt settings): read whole. */
			if ((rc = apt_lists_read(ctx, f, &buf, &len)) == MAMORI_OK) {
				rc = apt_lists_parse_packages((struct span){ buf, len }, offer, &c);
				free(buf);
			}
		}
		if (rc == MAMORI_E_NOMEM || c.nomem)
			return MAMORI_E_NOMEM;
		if (rc)
			scan_warn(ctx, "vuln", "cannot read %s: %s", f->path, err_str(rc));
	}
	for (size_t i = 0; i < vs->results.n; i++) {
		const struct match_result *r = vec_at(&vs->results, i);
		vs->nnot_in_mirror += r->state == MATCH_FIXABLE &&
		    match_fix_missing(r->source, r->fixed_version);
	}
	return MAMORI_OK;
}
