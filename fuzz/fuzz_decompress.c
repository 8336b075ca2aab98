/*
 * fuzz_decompress.c - lz4/gzip/xz/zstd decoding of arbitrary bytes with a
 * small output cap: corrupt streams and bombs end in an error, never a
 * crash, a leak or output past the cap.
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/decompress.h"
#include "common/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out;
	size_t outlen;
	const size_t cap = 4u << 20;

	if (decompress_buffer(data, size, cap, &out, &outlen) == MAMORI_OK) {
		if (outlen > cap || out[outlen] != '\0')
			abort();
		free(out);
	} else if (out != NULL) {
		abort();
	}
	return 0;
}
