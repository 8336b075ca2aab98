/* fuzz_feed_epss.c - feed_epss_parse over arbitrary bytes (fuzz_feed.h). */
#include "fuzz/fuzz_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return feed_fuzz_run(data, size, feed_epss_parse);
}
