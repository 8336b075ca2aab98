/*
 * fuzz_clamav_cvd.c - the ClamAV database header on arbitrary bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/clamav_cvd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct clamav_cvd c;

	if (clamav_cvd_parse((struct span){ (const char *)data, size }, &c) == 0 &&
	    strlen(c.builder) >= sizeof(c.builder))
		abort();
	return 0;
}
