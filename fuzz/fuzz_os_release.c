/* fuzz_os_release.c - os-release(5) shell-style assignments. */
#include <stdint.h>
#include <string.h>

#include "agent/os_release.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct inv_os os;
	size_t bad;
	arena_init(&a, 64 << 20);
	memset(&os, 0, sizeof(os));
	os_release_parse(&a, (struct span){ (const char *)data, size }, &os, &bad);
	const char *all[] = { os.id, os.id_like, os.name, os.version_id, os.codename,
	    os.pretty_name };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i] && strlen(all[i]) > OS_RELEASE_MAX_VALUE)
			__builtin_trap();
	arena_release(&a);
	return 0;
}
