/* fuzz_proto_tls_stream.c - the TLS handshake buffer fed in segments: the
 * first two input bytes choose the segment size and the reorder step, the
 * rest is the server's byte stream; every complete or partial message is
 * handed to the hello, certificate and DER parsers. */
#include <stdint.h>

#include "common/err.h"
#include "sensor/proto_tls.h"
#include "sensor/proto_tls_stream.h"
#include "sensor/proto_x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_stream_pool pool = { .cap = 64 * 1024 };
	struct tls_stream st = { .buf = NULL };
	if (size < 2)
		return 0;
	size_t seg = (size_t)data[0] * 8 + 1;
	uint8_t step = data[1];
	data += 2;
	size -= 2;
	uint32_t seq = 0xfffff000u;
	for (size_t off = 0; off < size; off += seg) {
		size_t n = size - off < seg ? size - off : seg;
		/* now and then resend the previous segment or jump ahead */
		uint32_t s = seq + (uint32_t)off;
		if (step && off / seg % step == 1)
			s -= (uint32_t)(n / 2);
		if (proto_tls_stream_feed(&st, &pool, s, (struct span){ (const char *)data + off, n }) != 0)
			break;
	}
	uint32_t at = 0;
	for (int i = 0; i < 16; i++) {
		uint8_t type;
		struct span m, der;
		int rc = proto_tls_stream_msg(&st, at, &type, &m);
		if (rc == MAMORI_E_NOTFOUND)
			break;
		struct tls_hello h;
		struct x509_info x;
		if (rc == 0)
			proto_tls_parse_hello_msg(m, &h);
		if (proto_tls_leaf_cert(m, &der) == 0)
			proto_x509_parse(der, &x);
		if (rc != 0)
			break;
		at += (uint32_t)m.len;
	}
	proto_tls_stream_release(&st, &pool);
	return 0;
}
