/*
 * vuln_output.h - a vuln_scan as JSON (mamori's own document), SARIF
 * 2.1.0, CycloneDX 1.5 (with its vulnerabilities section) or text.
 */
#ifndef MAMORI_AGENT_VULN_OUTPUT_H
#define MAMORI_AGENT_VULN_OUTPUT_H

#include <jansson.h>
#include <stdio.h>
#include <time.h>

#include "common/i18n.h"
#include "agent/vuln_scan.h"

/* What changed since the previous scan (may be NULL). */
struct vuln_output_changes {
	json_t *new_vulns;		/* array of {cve, source_package, state} */
	json_t *fixed_vulns;
	bool first_scan;
};

/* New references; NULL when memory ran out. */
json_t *vuln_output_json(const struct vuln_scan *vs, struct arena *a,
    enum lang lang, time_t now, const struct vuln_output_changes *ch);
json_t *vuln_output_sarif(const struct vuln_scan *vs, struct arena *a,
    enum lang lang);
json_t *vuln_output_cyclonedx(const struct vuln_scan *vs, struct arena *a,
    time_t now);
/* The fix list for a terminal, grouped by package, in lang. */
int vuln_output_text(const struct vuln_scan *vs, struct arena *a, enum lang lang,
    const struct vuln_output_changes *ch, FILE *out);

#endif
