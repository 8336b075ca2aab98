/*
 * fuzz_match_range.c - the OSV range evaluator on arbitrary encodings.
 * The input is split at its first newline: the installed version, then
 * the encoded ranges (bounded copies, NUL-terminated). A fix reported for
 * an affected version must be above it, and never for an unaffected one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/match_range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char v[MATCH_RANGE_VERSION_MAX], r[MATCH_RANGE_MAX + 1], fix[256];
	const char *p = (const char *)data, *nl = memchr(p, '\n', size);
	size_t vn = nl ? (size_t)(nl - p) : size;
	if (vn >= sizeof(v) || memchr(p, '\0', size))
		return 0;
	memcpy(v, p, vn);
	v[vn] = '\0';
	size_t rn = nl ? size - vn - 1 : 0;
	if (rn >= sizeof(r))
		rn = sizeof(r) - 1;
	if (rn)
		memcpy(r, nl + 1, rn);
	r[rn] = '\0';
	for (int f = VERSION_DEB; f <= VERSION_APK; f++) {
		bool affected = true;
		if (match_range_eval((enum version_format)f, v, r, &affected, fix, sizeof(fix)) != 0)
			continue;
		if (!affected && fix[0])
			abort();
		if (affected && fix[0] && strcmp(v, "0") != 0 &&
		    version_cmp((enum version_format)f, fix, v) <= 0 &&
		    strcmp(fix, "0") != 0)
			abort();
	}
	return 0;
}
