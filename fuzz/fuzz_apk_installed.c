/* fuzz_apk_installed.c - Alpine's /lib/apk/db/installed text. */
#include <stdint.h>
#include <string.h>

#include "agent/apk_installed.h"
#include "common/conf.h"

static int
take(void *arg, const struct apk_pkg *p)
{
	struct arena *a = arg;
	arena_spandup(a, p->name);
	arena_spandup(a, p->version);
	arena_spandup(a, p->origin);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf conf;
	struct arena arena;
	struct scan_ctx ctx;

	conf_init(&conf);
	arena_init(&arena, 64 * 1024 * 1024);
	memset(&ctx, 0, sizeof(ctx));
	ctx.conf = &conf;
	ctx.arena = &arena;
	vec_init(&ctx.warnings, sizeof(struct scan_warning), 10000);
	apk_installed_parse(&ctx, (struct span){ (const char *)data, size },
	    "installed", take, &arena, NULL);
	arena_release(&arena);
	conf_release(&conf);
	return 0;
}
