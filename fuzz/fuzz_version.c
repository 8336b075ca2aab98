/*
 * fuzz_version.c - the dpkg, rpm and apk comparators on arbitrary bytes.
 * The input is split at its first newline into two versions (bounded, not
 * NUL-terminated). Besides memory errors, a comparator that is not
 * antisymmetric or not reflexive is a bug: abort so the fuzzer keeps it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/version_apk.h"
#include "vuln/version_deb.h"
#include "vuln/version_rpm.h"

typedef int (*cmp_n_fn)(const char *, size_t, const char *, size_t);

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

static void
check(cmp_n_fn cmp, const char *a, size_t alen, const char *b, size_t blen)
{
	int ab = sign(cmp(a, alen, b, blen));
	int ba = sign(cmp(b, blen, a, alen));
	if (ab != -ba)
		abort();
	if (cmp(a, alen, a, alen) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *nl = memchr(p, '\n', size);
	size_t alen = nl ? (size_t)(nl - p) : size;
	const char *b = nl ? nl + 1 : "";
	size_t blen = nl ? size - alen - 1 : 0;

	/* Copies without a terminator, so reading past the length shows. */
	char *x = malloc(alen ? alen : 1), *y = malloc(blen ? blen : 1);
	if (!x || !y)
		goto out;
	memcpy(x, p, alen);
	memcpy(y, b, blen);
	check(version_deb_cmp_n, x, alen, y, blen);
	check(version_rpm_cmp_n, x, alen, y, blen);
	check(version_rpm_vercmp_n, x, alen, y, blen);
	check(version_apk_cmp_n, x, alen, y, blen);
	(void)version_apk_valid(x, alen);
out:
	free(x);
	free(y);
	return 0;
}
