/* fuzz_proto_x509.c - the DER certificate parser (subject, issuer, dates). */
#include <stdint.h>

#include "sensor/proto_x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct x509_info x;
	proto_x509_parse((struct span){ (const char *)data, size }, &x, NULL);
	return 0;
}
