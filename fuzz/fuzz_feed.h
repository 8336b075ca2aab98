/*
 * fuzz_feed.h - the harness the feed fuzz targets share: a chunked reader
 * over the fuzz input and a sink that touches every string it is handed.
 */
#ifndef MAMORI_FUZZ_FUZZ_FEED_H
#define MAMORI_FUZZ_FUZZ_FEED_H

#include <stdint.h>
#include <string.h>

#include "vuln/feed.h"

struct fz {
	const uint8_t *p;
	size_t len, off, step;
};

static int
fz_read(void *ctx, void *buf, size_t len, size_t *got)
{
	struct fz *f = ctx;
	size_t n = f->len - f->off;
	/* 1..64 bytes per read, chosen by the data, then whatever is asked. */
	size_t want = f->step ? f->step : len;
	if (want > len)
		want = len;
	if (n > want)
		n = want;
	memcpy(buf, f->p + f->off, n);
	f->off += n;
	*got = n;
	return 0;
}

static int
check(const char *s)
{
	/* Every string handed out must be a readable C string. */
	return s ? (int)strlen(s) & 0 : 0;
}

static int
on_pkg(void *ctx, const struct feed_pkg *r)
{
	(void)ctx;
	return check(r->kind) | check(r->distro) | check(r->release) | check(r->package) |
	    check(r->cve) | check(r->status) | check(r->fixed_version) | check(r->urgency);
}

static int
on_cve(void *ctx, const struct feed_cve *r)
{
	(void)ctx;
	return check(r->cve) | check(r->description);
}

static int
on_kev(void *ctx, const struct feed_kev *r)
{
	(void)ctx;
	return check(r->cve) | check(r->vendor) | check(r->product) | check(r->name) |
	    check(r->date_added) | check(r->due_date) | check(r->required_action);
}

static int
on_epss(void *ctx, const struct feed_epss *r)
{
	(void)ctx;
	return check(r->cve) | (r->epss < 0 || r->epss > 1);
}

static int
on_jvn(void *ctx, const struct feed_jvn *r)
{
	(void)ctx;
	return check(r->jvn_id) | check(r->cve) | check(r->title_ja) | check(r->link) |
	    check(r->published);
}

/*
 * Runs one feed parser over arbitrary bytes, fed in uneven chunks (1..64
 * bytes per read, chosen by the first byte) so state that spans chunk
 * edges is exercised.
 */
static inline int
feed_fuzz_run(const uint8_t *data, size_t size,
    int (*parse)(struct feed_reader *, struct feed_sink *))
{
	struct fz f = { data, size, 0, size ? (size_t)(data[0] % 65) : 0 };
	struct feed_reader in = { fz_read, &f };
	struct feed_sink sink = {
		.pkg = on_pkg, .cve = on_cve, .kev = on_kev, .epss = on_epss, .jvn = on_jvn,
	};
	struct span s = { (const char *)data, size };
	(void)feed_detect(s);
	(void)parse(&in, &sink);
	return 0;
}

#endif
