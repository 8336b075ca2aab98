/* fuzz_smb_stream.c - SMB framing across TCP segments: the input is cut
 * into segments by its own control bytes (length, a gap in the sequence
 * numbers, the other direction), fed through proto_smb_stream with the
 * global cap set low, and every span it returns is read with the SMB
 * parsers as the detectors read it. Gaps send it scanning for the next
 * frame start (the seeds psexec-gap-* have one inside a WRITE, one with an
 * SMB2 header planted after it); the scan's tail and window must stay in
 * their bounds, and at the end every buffer byte must have been given
 * back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sensor/proto_smb.h"
#include "sensor/proto_smb_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
each(void *ctx, struct span frames)
{
	struct smb_iter it;
	struct smb_msg m;
	struct smb_create c;
	char share[SMB_SHARE_MAX];
	(void)ctx;
	proto_smb_iter_init(&it, frames);
	while (proto_smb_next(&it, &m) == 0) {
		if (proto_smb2_create(&m, &c) == 0)
			proto_smb_executable_name(c.name);
		proto_smb2_tree_connect(&m, share, sizeof(share));
		proto_smb2_set_delete(&m);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smb_stream_pool pool;
	struct smb_stream st[2];
	uint32_t seq[2] = { 1000, 0xfffff000u };	/* the second wraps */
	int d = 0;
	memset(&pool, 0, sizeof(pool));
	memset(st, 0, sizeof(st));
	pool.cap = 2 * SMB_STREAM_FLOW_CAP;	/* both directions, not more */
	size_t off = 0;
	while (off < size) {
		uint8_t c = data[off++];
		size_t n = (size_t)(c & 0x1f) * 9 + 1;
		if (n > size - off)
			n = size - off;
		if (c & 0x80)
			d ^= 1;
		if (c & 0x40)
			seq[d] += 1 + (c & 0x20 ? 7u : 70000u);	/* a gap (or far: a new stream) */
		else if (c & 0x20)
			seq[d] -= (uint32_t)(n / 2);		/* an overlap or retransmission */
		proto_smb_stream_feed(&st[d], &pool, seq[d], (struct span){ (const char *)data + off, n },
		    each, NULL);
		if (st[d].tail_len >= SMB_STREAM_LOOK || st[d].hunt > SMB_STREAM_HUNT_WINDOW)
			abort();	/* the scan's state out of its bounds */
		seq[d] += (uint32_t)n;
		off += n;
	}
	proto_smb_stream_release(&st[0], &pool);
	proto_smb_stream_release(&st[1], &pool);
	if (pool.bytes != 0)
		abort();	/* buffer memory not given back */
	return 0;
}
