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

/* One vulnerability that appeared or went away since the previous scan. */
struct vuln_output_change {
	const char *cve, *source_package, *state;
};

/* What changed since the previous scan (may be NULL). */
struct vuln_output_changes {
	struct vec new_vulns;		/* struct vuln_output_change */
	struct vec fixed_vulns;
	bool first_scan;
};

/* mamori's own document, streamed to out (a result list of thousands is
 * never built as a tree): 0, MAMORI_E_NOMEM or MAMORI_E_IO. */
int vuln_output_json(const struct vuln_scan *vs, struct arena *a,
    enum lang lang, time_t now, const struct vuln_output_changes *ch, FILE *out);
json_t *vuln_output_sarif(const struct vuln_scan *vs, struct arena *a,
    enum lang lang);
json_t *vuln_output_cyclonedx(const struct vuln_scan *vs, struct arena *a,
    time_t now);
/* The fix list for a terminal, grouped by package, in lang. */
int vuln_output_text(const struct vuln_scan *vs, struct arena *a, enum lang lang,
    const struct vuln_output_changes *ch, FILE *out);

#endif
