/* fuzz_assess_api.c - the bodies of /api/assess and /api/policy-draft (any
 * logged-in operator sends them): answers checked whole, the policy's
 * company, representative and date (strptime), and the draft written from
 * what was accepted. */
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"
#include "guide/assess.h"
#include "manager/assess_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *body = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	struct store_assess_change ch[ASSESS_JSON_MAX_CHANGES];
	struct policy_info info;
	char err[160];
	int n = 0;
	if (!body)
		return 0;
	if (assess_json_parse_answers(body, ch, &n, err, sizeof(err)) == MAMORI_OK) {
		struct assess a;
		assess_init(&a);
		assess_json_apply(&a, ch, n, 1);
		assess_finish(&a);
		json_decref(assess_to_json(&a, LANG_JA, 1));
		assess_release(&a);
	}
	if (assess_json_policy_info(body, 1, &info, err, sizeof(err)) == MAMORI_OK) {
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			policy_draft_write(null, &info, LANG_JA, POLICY_HTML);
			policy_draft_write(null, &info, LANG_EN, POLICY_MARKDOWN);
			fclose(null);
		}
	}
	json_decref(body);
	return 0;
}
