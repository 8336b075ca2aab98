/*
 * version.h - version ordering by package format ("deb", "rpm", "apk"),
 * so callers holding an inv_package compare without knowing the rules.
 */
#ifndef MAMORI_VULN_VERSION_H
#define MAMORI_VULN_VERSION_H

#include <string.h>

#include "common/err.h"
#include "vuln/version_apk.h"
#include "vuln/version_deb.h"
#include "vuln/version_rpm.h"

enum version_format { VERSION_DEB, VERSION_RPM, VERSION_APK };

typedef int (*version_cmp_fn)(const char *a, const char *b);

/* "deb", "rpm" or "apk"; MAMORI_E_INVAL otherwise. */
static inline int
version_format_parse(const char *name, enum version_format *out)
{
	if (strcmp(name, "deb") == 0)
		*out = VERSION_DEB;
	else if (strcmp(name, "rpm") == 0)
		*out = VERSION_RPM;
	else if (strcmp(name, "apk") == 0)
		*out = VERSION_APK;
	else
		return MAMORI_E_INVAL;
	return MAMORI_OK;
}

static inline version_cmp_fn
version_cmp_for(enum version_format f)
{
	switch (f) {
	case VERSION_RPM:
		return version_rpm_cmp;
	case VERSION_APK:
		return version_apk_cmp;
	case VERSION_DEB:
	default:
		return version_deb_cmp;
	}
}

/* <0, 0, >0 by the rules of format f. */
static inline int
version_cmp(enum version_format f, const char *a, const char *b)
{
	return version_cmp_for(f)(a, b);
}

#endif
