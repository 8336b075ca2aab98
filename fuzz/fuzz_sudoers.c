/* fuzz_sudoers.c - sudoers(5) parsing and alias expansion. */
#include <stdint.h>
#include <string.h>

#include "agent/sudoers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct sudoers s;
	struct vec grants;
	struct span text = { (const char *)data, size };
	arena_init(&a, 64 * 1024 * 1024);
	sudoers_init(&s, &a);
	vec_init(&grants, sizeof(struct sudoers_grant), 100000);
	if (sudoers_parse(&s, text, "/etc/sudoers") == 0)
		sudoers_grants(&s, &grants);
	arena_release(&a);
	return 0;
}
