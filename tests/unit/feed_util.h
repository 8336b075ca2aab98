/* feed_util.h - helpers for the t_feed_* tests: load a sample, run a
 * parser over it (whole, chunked, or cut short) and keep what it emitted
 * as "field|field|..." lines. */
#ifndef MAMORI_TESTS_FEED_UTIL_H
#define MAMORI_TESTS_FEED_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "vuln/feed.h"

struct got {
	char **rows;
	size_t n;
	size_t chunk;	/* reader hands out at most this many bytes; 0: all */
};

static void
got_add(struct got *g, const char *line)
{
	g->rows = realloc(g->rows, (g->n + 1) * sizeof(*g->rows));
	g->rows[g->n++] = strdup(line);
}

static int
got_pkg(void *ctx, const struct feed_pkg *r)
{
	char b[1024];
	/* Encoded ranges, when a record has them, follow as "|R:..." */
	snprintf(b, sizeof(b), "%s|%s|%s|%s|%s|%s|%s|%s|%d%s%.500s", r->kind, r->distro, r->release,
	    r->package, r->cve, r->status, r->fixed_version ? r->fixed_version : "-",
	    r->urgency ? r->urgency : "-", r->minor, r->ranges ? "|R:" : "",
	    r->ranges ? r->ranges : "");
	got_add(ctx, b);
	return 0;
}

static int
got_cve(void *ctx, const struct feed_cve *r)
{
	char b[256];
	snprintf(b, sizeof(b), "cve|%s|%.40s", r->cve, r->description ? r->description : "-");
	got_add(ctx, b);
	return 0;
}

static int
got_kev(void *ctx, const struct feed_kev *r)
{
	char b[1024];
	snprintf(b, sizeof(b), "%s|%s|%s|%s|%s|%d", r->cve, r->vendor, r->product,
	    r->date_added, r->due_date, r->ransomware);
	got_add(ctx, b);
	return 0;
}

static int
got_epss(void *ctx, const struct feed_epss *r)
{
	char b[256];
	snprintf(b, sizeof(b), "%s|%.5f|%.5f", r->cve, r->epss, r->percentile);
	got_add(ctx, b);
	return 0;
}

static int
got_jvn(void *ctx, const struct feed_jvn *r)
{
	char b[2048];
	snprintf(b, sizeof(b), "%s|%s|%s|%s|%s", r->jvn_id, r->cve, r->title_ja, r->link,
	    r->published ? r->published : "-");
	got_add(ctx, b);
	return 0;
}

static int
got_has(const struct got *g, const char *line)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->rows[i], line) == 0)
			return 1;
	return 0;
}

static void
got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->rows[i]);
	free(g->rows);
	g->rows = NULL;
	g->n = 0;
}

static struct span
load(const char *name)
{
	char path[1024];
	const char *dir = getenv("MAMORI_TEST_DATA");
	snprintf(path, sizeof(path), "%s/vuln/%s", dir ? dir : "tests/data", name);
	FILE *f = fopen(path, "rb");
	struct span s = { NULL, 0 };
	if (!f) {
		printf("# cannot open %s\n", path);
		return s;
	}
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (cap - n < 65536)
			buf = realloc(buf, cap = cap * 2 + 65536);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	s.p = buf;
	s.len = n;
	return s;
}

static void
unload(struct span s)
{
	free((void *)(uintptr_t)s.p);
}

struct chunked {
	struct feed_mem m;
	size_t chunk;
};

static int
chunk_read(void *ctx, void *buf, size_t len, size_t *got)
{
	struct chunked *c = ctx;
	size_t left = c->m.s.len - c->m.off;
	if (c->chunk && len > c->chunk)
		len = c->chunk;
	if (len > left)
		len = left;
	memcpy(buf, c->m.s.p + c->m.off, len);
	c->m.off += len;
	*got = len;
	return 0;
}

/* Runs parse over s handing out chunk bytes at a time (0: all at once). */
static int
run(int (*parse)(struct feed_reader *, struct feed_sink *), struct span s, size_t chunk,
    struct got *g, struct feed_sink *sink)
{
	struct chunked c = { .m = { .s = s }, .chunk = chunk };
	struct feed_reader in = { chunk_read, &c };
	memset(sink, 0, sizeof(*sink));
	sink->ctx = g;
	sink->pkg = got_pkg;
	sink->cve = got_cve;
	sink->kev = got_kev;
	sink->epss = got_epss;
	sink->jvn = got_jvn;
	return parse(&in, sink);
}

#endif
