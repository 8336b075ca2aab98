/* fuzz_smb_conf.c - Samba's smb.conf text, then the effective-value
 * lookups the sharing checks make on every share. */
#include <stdint.h>
#include <string.h>

#include "agent/smb_conf.h"
#include "common/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "guestok", "readonly", "path",
	    "available", "printable", "validusers" };
	struct conf conf;
	struct arena arena;
	struct scan_ctx ctx;
	struct smb_conf c;

	conf_init(&conf);
	arena_init(&arena, 64 * 1024 * 1024);
	memset(&ctx, 0, sizeof(ctx));
	ctx.conf = &conf;
	ctx.arena = &arena;	/* ctx.root NULL: includes are not followed */
	vec_init(&ctx.warnings, sizeof(struct scan_warning), 10000);
	smb_conf_init(&c);
	if (smb_conf_parse(&ctx, &c, "smb.conf",
	    (struct span){ (const char *)data, size }) == 0) {
		smb_conf_get(&c, NULL, "maptoguest");
		for (size_t i = 0; i < c.shares.n; i++) {
			const struct smb_section *s = vec_at(&c.shares, i);
			for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
				bool bad;
				const struct smb_param *p;
				smb_conf_bool(&c, s, keys[k], false, &p, &bad);
				if (p && p->value)
					(void)strlen(p->value);
			}
		}
	}
	arena_release(&arena);
	conf_release(&conf);
	return 0;
}
