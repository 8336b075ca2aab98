/* fuzz_nfs_exports.c - exports(5) text. */
#include <stdint.h>
#include <string.h>

#include "agent/nfs_exports.h"
#include "common/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf conf;
	struct arena arena;
	struct scan_ctx ctx;
	struct nfs_exports e;

	conf_init(&conf);
	arena_init(&arena, 64 * 1024 * 1024);
	memset(&ctx, 0, sizeof(ctx));
	ctx.conf = &conf;
	ctx.arena = &arena;
	vec_init(&ctx.warnings, sizeof(struct scan_warning), 10000);
	nfs_exports_init(&e);
	nfs_exports_parse(&ctx, &e, "exports", (struct span){ (const char *)data, size });
	for (size_t i = 0; i < e.exports.n; i++) {
		const struct nfs_export *x = vec_at(&e.exports, i);
		(void)strlen(x->path);
		for (size_t j = 0; j < x->clients.n; j++) {
			const struct nfs_client *cl = vec_at(&x->clients, j);
			(void)strlen(cl->host);
			(void)strlen(cl->options);
		}
	}
	arena_release(&arena);
	conf_release(&conf);
	return 0;
}
