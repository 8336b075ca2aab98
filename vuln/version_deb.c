/* version_deb.c - not written yet. */
#include "vuln/version_deb.h"

#include <string.h>

int
version_deb_cmp(const char *a, const char *b)
{
	return strcmp(a, b);
}
