/* fuzz_feed_jvn.c - feed_jvn_parse over arbitrary bytes (fuzz_feed.h). */
#include "fuzz/fuzz_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return feed_fuzz_run(data, size, feed_jvn_parse);
}
