/* fuzz_risky_ports.c - the Redis, Memcached, MongoDB and Elasticsearch
 * configuration readers of the exposed-service check. */
#include <stdint.h>

#include "agent/risky_ports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span s = { (const char *)data, size };
	bool pm;
	risky_ports_redis_auth(s, &pm);
	risky_ports_memcached_auth(s);
	risky_ports_mongodb_auth(s);
	risky_ports_elastic_auth(s);
	return 0;
}
