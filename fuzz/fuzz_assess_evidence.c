/* fuzz_assess_evidence.c - the self-assessment's reading of a stored scan
 * document (the database may be old, edited or damaged): evidence,
 * scoring, the JSON and text output and SECURITY ACTION readiness. */
#include <stdint.h>
#include <stdio.h>

#include "guide/assess.h"
#include "guide/security_action.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	struct assess a;
	struct security_action sa;
	if (!doc)
		return 0;
	assess_init(&a);
	/* Twice, as two hosts, to exercise the merging. */
	assess_add_scan(&a, doc, 1, "a", 1, LANG_JA);
	assess_add_scan(&a, doc, 2, "b", 2, LANG_EN);
	assess_finish(&a);
	json_t *out = assess_to_json(&a, LANG_JA, 3);
	json_decref(out);
	FILE *null = fopen("/dev/null", "w");
	if (null) {
		assess_print(&a, LANG_EN, null);
		security_action_eval(&sa, &a, 0, 0, NULL);
		security_action_print(&sa, LANG_JA, null);
		json_decref(security_action_json(&sa, LANG_EN));
		security_action_release(&sa);
		fclose(null);
	}
	assess_release(&a);
	json_decref(doc);
	return 0;
}
