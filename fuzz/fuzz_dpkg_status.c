/* fuzz_dpkg_status.c - dpkg status/updates text, through the parser and
 * the version formatting the collector applies to what it accepts. */
#include <stdint.h>
#include <string.h>

#include "agent/dpkg_status.h"
#include "common/conf.h"

struct sink {
	struct arena *a;
	size_t n;
};

static int
take(void *arg, const struct dpkg_stanza *st)
{
	struct sink *s = arg;
	dpkg_status_name(s->a, st->package);
	dpkg_status_version(s->a, st->version);
	dpkg_status_version(s->a, st->source_version);
	(void)dpkg_status_state_name(st->state);
	s->n++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf conf;
	struct arena arena;
	struct scan_ctx ctx;
	struct dpkg_parse_stats st;

	conf_init(&conf);
	arena_init(&arena, 64 * 1024 * 1024);
	memset(&ctx, 0, sizeof(ctx));
	ctx.conf = &conf;
	ctx.arena = &arena;
	vec_init(&ctx.warnings, sizeof(struct scan_warning), 10000);
	struct sink s = { &arena, 0 };
	dpkg_status_parse(&ctx, (struct span){ (const char *)data, size }, "status",
	    take, &s, &st);
	arena_release(&arena);
	conf_release(&conf);
	return 0;
}
