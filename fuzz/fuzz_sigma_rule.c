/*
 * fuzz_sigma_rule.c - the Sigma rule loader and compiler: YAML parse,
 * modifiers, conditions, correlations, the prefilter build; then one event
 * through whatever compiled, so half-built trees are exercised too.
 */
#include <stdint.h>
#include <string.h>

#include "detection/sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
on_hit(void *ctx, const struct sigma_hit *h)
{
	(void)ctx;
	(void)h;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigma_ruleset *rs = NULL;
	struct sigma_report rep;
	struct event ev;

	sigma_report_init(&rep);
	if (sigma_ruleset_load_buffer(&rs, (struct span){ (const char *)data, size },
	    "fuzz", &rep) == 0) {
		event_reset(&ev);
		ev.ts_ms = 1000;
		ev.raw = SPAN_LIT("Failed password for root from 10.0.0.1 port 22");
		event_set_cstr(&ev, "user.name", "root");
		event_set_cstr(&ev, "source.ip", "10.0.0.1");
		event_set_cstr(&ev, "event.outcome", "failure");
		event_set_cstr(&ev, "winlog.event_id", "4625");
		for (int i = 0; i < 3; i++) {
			ev.ts_ms += 1000;
			sigma_ruleset_match(rs, &ev, on_hit, NULL);
		}
		sigma_ruleset_flush(rs, on_hit, NULL);
		sigma_ruleset_free(rs);
	}
	sigma_report_release(&rep);
	return 0;
}
