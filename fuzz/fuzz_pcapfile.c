/* fuzz_pcapfile.c - the pcap/pcapng record walker, on the whole input at
 * once and again fed in small pieces as the capture's read loop feeds it
 * (records cut by the end of a buffer, asked for again). */
#include <stdint.h>
#include <string.h>

#include "sensor/pcapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint8_t sink;

static void
walk(const uint8_t *data, size_t size, size_t step)
{
	struct pcapfile f;
	struct pcapfile_pkt pk;
	enum anomaly why;
	size_t base = 0, have = size < step ? size : step;
	int rc;
	pcapfile_init(&f);
	pcapfile_feed(&f, (struct span){ (const char *)data, have }, have == size);
	for (int guard = 0; guard < 100000; guard++) {
		rc = pcapfile_next(&f, &pk, &why);
		if (rc == PCAPFILE_END || rc < 0)
			return;
		if (rc == PCAPFILE_PACKET) {
			uint8_t x = 0;
			for (uint32_t i = 0; i < pk.cap_len; i++)
				x ^= pk.data[i];	/* every byte handed out is inside the input */
			sink = x;
		} else if (rc == PCAPFILE_MORE) {
			size_t used = pcapfile_used(&f);
			base += used;
			have = have - used + step;
			if (have < f.want)
				have = f.want;
			if (have > size - base)
				have = size - base;
			pcapfile_feed(&f, (struct span){ (const char *)data + base, have }, base + have == size);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	walk(data, size, size ? size : 1);
	walk(data, size, 7);
	walk(data, size, 100);
	return 0;
}
