/* os_eol.c - not written yet. */
#include "agent/os_eol.h"

#include <string.h>

void
os_eol_lookup(const struct inv_os *os, time_t now, struct os_eol_info *out)
{
	(void)os;
	(void)now;
	memset(out, 0, sizeof(*out));
}

const char *
os_support_name(enum os_support s)
{
	static const char *const names[] = { "unknown", "supported", "extended", "ended" };
	return names[s];
}
