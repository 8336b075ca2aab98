/*
 * fuzz_version_deb.c - dpkg version ordering on arbitrary bytes: never
 * reads out of bounds, and stays an order (antisymmetric, reflexive).
 * The input is split at its first NUL into two versions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/version_deb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not strndup(): with strict_string_checks ASan expects its source to be
 * NUL-terminated, and fuzz input is not. */
static char *
copy(const char *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *nul = memchr(p, '\0', size);
	size_t alen = nul ? (size_t)(nul - p) : size;
	const char *b = nul ? nul + 1 : p;
	size_t blen = nul ? size - alen - 1 : size;

	int ab = version_deb_cmp_n(p, alen, b, blen);
	int ba = version_deb_cmp_n(b, blen, p, alen);
	if ((ab > 0) != (ba < 0) || (ab == 0) != (ba == 0))
		abort();
	if (version_deb_cmp_n(p, alen, p, alen) != 0)
		abort();
	/* The NUL-terminated entry point agrees with the bounded one. */
	char *sa = copy(p, alen), *sb = copy(b, blen);
	if (sa && sb && strlen(sa) == alen && strlen(sb) == blen &&
	    version_deb_cmp(sa, sb) != ab)
		abort();
	free(sa);
	free(sb);
	return 0;
}
