/* fuzz_proto_tls.c - TLS ClientHello/ServerHello parsing and JA3. */
#include <stdint.h>

#include "sensor/proto_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_hello h;
	proto_tls_parse_hello((struct span){ (const char *)data, size }, &h, NULL);
	return 0;
}
