/* fuzz_rpm_header.c - one rpm header blob as stored in rpmdb.sqlite. */
#include <stdint.h>

#include "agent/rpm_header.h"
#include "common/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena arena;
	struct rpm_header_pkg h;
	struct span n, v;
	const char *why;

	arena_init(&arena, 16 * 1024 * 1024);
	if (rpm_header_parse((struct span){ (const char *)data, size }, &h, &why) ==
	    MAMORI_OK) {
		rpm_header_evr(&arena, &h);
		if (h.sourcerpm.len)
			rpm_header_source(h.sourcerpm, &n, &v);
	}
	arena_release(&arena);
	return 0;
}
