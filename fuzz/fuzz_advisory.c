/* fuzz_advisory.c - advisory_parse (IPA / JVN feeds: RSS 1.0, RSS 2.0,
 * Atom, VULDEF XML, MyJVN JSON) over arbitrary bytes. Every item handed
 * over must have an id and a title, and strings must be terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/advisory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check(void *ctx, const struct advisory *a)
{
	(void)ctx;
	if (!a->id[0] || !a->title[0] || strlen(a->summary) >= sizeof(a->summary) ||
	    a->nproducts > ADVISORY_PRODUCTS_MAX || a->ncves > ADVISORY_CVES_MAX)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct advisory_sink sink = { .item = check };
	(void)advisory_parse((struct span){ (const char *)data, size }, &sink);
	return 0;
}
