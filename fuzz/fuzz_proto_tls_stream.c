/* fuzz_proto_tls_stream.c - the TLS handshake buffer fed in segments: the
 * first two input bytes choose the segment size and the reorder step (its
 * low 6 bits: resend part of a segment every step-th; bit 6: the second
 * segment held before the buffer starts; bit 7: pairs of segments swapped),
 * the rest is the server's byte stream; every complete or partial message
 * is handed to the hello, certificate and DER parsers. */
#include <stdbool.h>
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
	bool swap = step & 0x80;
	if ((step & 0x40) && size > seg)
		proto_tls_stream_hold_early(&st, &pool, seq + (uint32_t)seg,
		    (struct span){ (const char *)data + seg, size - seg < seg ? size - seg : seg });
	step &= 0x3f;
	for (size_t i = 0; i * seg < size; i++) {
		/* with swap: segments 1, 0, 3, 2, ... */
		size_t k = swap ? (i % 2 ? i - 1 : (i + 1) * seg < size ? i + 1 : i) : i;
		size_t off = k * seg;
		size_t n = size - off < seg ? size - off : seg;
		/* now and then resend part of a segment */
		uint32_t s = seq + (uint32_t)off;
		if (step && i % step == 1)
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
			proto_tls_parse_hello_msg(m, &h, NULL);
		if (proto_tls_leaf_cert(m, &der) == 0)
			proto_x509_parse(der, &x, NULL);
		if (rc != 0)
			break;
		at += (uint32_t)m.len;
	}
	proto_tls_stream_release(&st, &pool);
	return 0;
}
