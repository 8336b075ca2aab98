/* fuzz_defrag.c - fragment reassembly: the input is a list of fragments,
 * each a 6-byte descriptor (flags: IPv6, more-fragments, id bit; offset in
 * 8-byte units, 16 bits; length, 16 bits; time step) and its data; every
 * completed datagram is decoded again. Caps and timeouts are reached with
 * long inputs. */
#include <stdint.h>
#include <string.h>

#include "sensor/decode.h"
#include "sensor/defrag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t v4hdr[20] = { 0x45, 0, 0, 0, 0, 1, 0x20, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2 };
	struct defrag df;
	if (defrag_init(&df, NULL, NULL) != 0)
		return 0;
	int64_t now = 1700000000000000LL;
	size_t off = 0;
	while (off + 6 <= size) {
		const uint8_t *d = data + off;
		uint8_t flags = d[0];
		uint32_t fo = (uint32_t)(d[1] << 8 | d[2]) * 8 & 0xffff8;
		size_t len = (size_t)(d[3] << 8 | d[4]);
		now += (int64_t)d[5] * 1000000;
		off += 6;
		if (len > size - off)
			len = size - off;
		uint8_t frame[20 + 65535];
		memcpy(frame, v4hdr, 20);
		memcpy(frame + 20, data + off, len);
		off += len;
		struct pkt p;
		memset(&p, 0, sizeof(p));
		p.ts_us = now;
		p.data = frame;
		p.cap_len = p.wire_len = (uint32_t)(20 + len);
		p.ip_ver = (flags & 1) ? 6 : 4;
		p.ip_proto = 17;
		p.src.b[15] = 1;
		p.dst.b[15] = 2;
		p.frag = true;
		p.frag_more = (flags & 2) != 0;
		p.frag_offset = fo;
		p.frag_id = (flags >> 2) & 3;
		p.frag_data.p = (const char *)frame + 20;
		p.frag_data.len = len;
		enum anomaly a;
		size_t n = defrag_packet(&df, &p, &a);
		if (n) {
			struct pkt q;
			memset(&q, 0, sizeof(q));
			q.data = df.out;
			q.cap_len = q.wire_len = (uint32_t)n;
			decode_packet(LINKTYPE_RAW, &q);
		}
		defrag_expire(&df, now);
	}
	defrag_free(&df);
	return 0;
}
