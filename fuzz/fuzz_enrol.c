/* fuzz_enrol.c - the pre-authentication body of POST /api/enrol. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "manager/enrol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct enrol_request e;
	char why[128];
	if (enrol_parse((const char *)data, size, &e, why, sizeof(why)) == 0) {
		if (strlen(e.token) != AUTH_TOKEN_CHARS || !e.hostname[0] || !e.name[0])
			__builtin_trap();
	}
	return 0;
}
