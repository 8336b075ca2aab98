/* fuzz_proto_dns.c - DNS message parsing (names, compression, answers). */
#include <stdint.h>

#include "sensor/proto_dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_msg m;
	proto_dns_parse((struct span){ (const char *)data, size }, &m);
	return 0;
}
