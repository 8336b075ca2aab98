/* fuzz_procnet.c - /proc/net/{tcp,udp}[6] tables, each table kind. */
#include <stdint.h>
#include <string.h>

#include "agent/procnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const protos[] = { "tcp", "tcp6", "udp", "udp6" };
	struct arena a;
	struct vec v;
	size_t bad;
	arena_init(&a, 64 << 20);
	vec_init(&v, sizeof(struct inv_socket), 100000);
	for (size_t i = 0; i < 4; i++)
		procnet_parse(&a, (struct span){ (const char *)data, size }, protos[i], &v, &bad);
	for (size_t i = 0; i < v.n; i++) {
		const struct inv_socket *s = vec_at(&v, i);
		if (!s->address || s->port < 0 || s->port > 65535)
			__builtin_trap();
	}
	/* And the address decoder alone, on the first 8 or 32 bytes. */
	char buf[64];
	bool any, lo;
	if (size >= 32)
		procnet_addr((struct span){ (const char *)data, 32 }, buf, sizeof(buf), &any, &lo);
	if (size >= 8)
		procnet_addr((struct span){ (const char *)data, 8 }, buf, sizeof(buf), &any, &lo);
	arena_release(&a);
	return 0;
}
