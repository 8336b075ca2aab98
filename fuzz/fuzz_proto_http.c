/* fuzz_proto_http.c - HTTP/1.x request and response heads. */
#include <stdint.h>

#include "sensor/proto_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_req r;
	struct http_resp s;
	struct span in = { (const char *)data, size };
	proto_http_parse_request(in, &r);
	proto_http_parse_response(in, &s);
	return 0;
}
