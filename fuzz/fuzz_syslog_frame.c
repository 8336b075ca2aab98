/* fuzz_syslog_frame.c - syslog TCP framing (RFC 6587 octet counting and
 * LF framing) and the datagram check. The same bytes are fed whole and in
 * pieces whose sizes come from the input: the messages must be the same
 * (framing does not depend on how TCP cuts the stream) and none longer
 * than the limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/syslog_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	uint64_t hash, n;
	size_t max;
};

static void
on_msg(void *arg, struct span m)
{
	struct seen *s = arg;
	struct span out;
	if (m.len == 0 || m.len > s->max)
		abort();
	(void)syslog_frame_message(m, &out);
	for (size_t i = 0; i < m.len; i++)
		s->hash = (s->hash ^ (uint8_t)m.p[i]) * 1099511628211ULL;
	s->hash = (s->hash ^ 0x100) * 1099511628211ULL;	/* message boundary */
	s->n++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct syslog_frame a, b;
	struct span dgram;
	if (size < 2)
		return 0;
	size_t max = 1 + (size_t)data[0] * 4;	/* 1..1021: small limits reach the oversize paths */
	uint8_t step = data[1];
	data += 2;
	size -= 2;
	struct seen sa = { 14695981039346656037ULL, 0, max }, sb = sa;
	if (syslog_frame_init(&a, max) != 0 || syslog_frame_init(&b, max) != 0)
		abort();
	syslog_frame_feed(&a, (const char *)data, size, on_msg, &sa);
	syslog_frame_end(&a, on_msg, &sa);
	for (size_t i = 0; i < size;) {
		size_t n = 1 + (step + i) % 7;
		if (n > size - i)
			n = size - i;
		syslog_frame_feed(&b, (const char *)data + i, n, on_msg, &sb);
		i += n;
	}
	syslog_frame_end(&b, on_msg, &sb);
	if (sa.hash != sb.hash || sa.n != sb.n || a.st.oversize != b.st.oversize ||
	    a.st.malformed != b.st.malformed)
		abort();
	(void)syslog_frame_message((struct span){ (const char *)data, size }, &dgram);
	syslog_frame_release(&a);
	syslog_frame_release(&b);
	return 0;
}
