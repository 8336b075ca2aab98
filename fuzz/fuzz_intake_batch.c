/* fuzz_intake_batch.c - an agent's decompressed batch (POST /api/intake),
 * authenticated but possibly from a compromised agent. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "manager/intake_batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct intake_batch b;
	char why[160];
	if (intake_batch_decode((const char *)data, size, &b, why, sizeof(why)) == 0) {
		int64_t prev = b.floor - 1;
		for (size_t i = 0; i < b.n; i++) {
			/* Ascending seqs at or above the floor, lines inside the input. */
			if (b.ev[i].seq <= prev || !b.ev[i].kind ||
			    b.ev[i].line < (const char *)data ||
			    b.ev[i].line + b.ev[i].len > (const char *)data + size)
				__builtin_trap();
			prev = b.ev[i].seq;
		}
		intake_batch_free(&b);
	}
	return 0;
}
