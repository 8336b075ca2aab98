/*
 * sigma_shipped.c - the rules of rules/sigma, embedded at build time
 * (meson.build: sigma_shipped_c).
 */
#include "detection/sigma_shipped.h"

#include <string.h>

#include "common/err.h"

/* Generated: one YAML text per file, and the files' names. */
extern const char *const sigma_shipped_yaml[];
extern const char *const sigma_shipped_yaml_names[];

int
sigma_shipped_add(struct sigma_ruleset *rs, struct sigma_report *report)
{
	for (size_t i = 0; sigma_shipped_yaml[i]; i++) {
		const char *y = sigma_shipped_yaml[i];
		int rc = sigma_ruleset_add_buffer(rs, (struct span){ y, strlen(y) },
		    sigma_shipped_yaml_names[i], report);
		if (rc != MAMORI_OK)
			return rc;
	}
	return MAMORI_OK;
}
