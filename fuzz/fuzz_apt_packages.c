/*
 * fuzz_apt_packages.c - apt Packages index and InRelease parsing of
 * arbitrary bytes: every span handed to the callback lies inside the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "agent/apt_lists.h"
#include "common/arena.h"
#include "common/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct bounds {
	const char *lo, *hi;
	size_t n;
};

static void
inside(const struct bounds *b, struct span s)
{
	if (s.len && (s.p < b->lo || s.p + s.len > b->hi))
		abort();
}

static int
check(void *arg, const struct apt_stanza *st)
{
	struct bounds *b = arg;
	inside(b, st->package);
	inside(b, st->version);
	inside(b, st->arch);
	inside(b, st->source);
	if (!st->package.len || !st->version.len)
		abort();
	b->n++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span s = { (const char *)data, size };
	struct bounds b = { s.p, s.p + size, 0 };
	struct arena a;
	struct apt_release r;

	apt_lists_parse_packages(s, check, &b);
	arena_init(&a, 16u << 20);
	if (apt_lists_parse_release(s, &a, &r) == MAMORI_OK)
		(void)apt_release_is_security(&r);
	arena_release(&a);
	return 0;
}
