/*
 * fuzz_sigma_state.c - saved Sigma correlation groups read back from the
 * database (sigma_state_load) into a rule set with every correlation type
 * and both window kinds (sliding ring, tumbling count, distinct values,
 * temporal, ordered, decided-at-close), then used and flushed. The first
 * byte picks the correlation the bytes are loaded as; the rest are the
 * group's bytes.
 */
#include <stdint.h>
#include <string.h>

#include "detection/sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules[] =
    "title: a\nname: a\ndetection:\n  s:\n    event.outcome: failure\n  condition: s\n"
    "---\ntitle: b\nname: b\ndetection:\n  s:\n    event.outcome: success\n  condition: s\n"
    "---\ntitle: c\nid: c\ncorrelation:\n  type: event_count\n  rules: [a]\n"
    "  group-by: [source.ip]\n  timespan: 10m\n  condition: {gte: 3}\n"
    "---\ntitle: c2\nid: c2\ncorrelation:\n  type: event_count\n  rules: [a]\n"
    "  group-by: [source.ip, user.name]\n  timespan: 10m\n  condition: {gte: 300}\n"
    "---\ntitle: d\nid: d\ncorrelation:\n  type: value_count\n  rules: [a]\n"
    "  group-by: [source.ip]\n  timespan: 10m\n  condition: {field: user.name, gte: 3}\n"
    "---\ntitle: d2\nid: d2\ncorrelation:\n  type: value_count\n  rules: [a]\n"
    "  group-by: [source.ip]\n  timespan: 10m\n  condition: {field: user.name, lt: 2}\n"
    "---\ntitle: e\nid: e\ncorrelation:\n  type: temporal_ordered\n  rules: [c, b]\n"
    "  group-by: [source.ip]\n  timespan: 10m\n"
    "---\ntitle: f\nid: f\ncorrelation:\n  type: temporal\n  rules: [a, b]\n"
    "  group-by: [user.name]\n  timespan: 10m\n  condition: {lt: 2}\n";

static const char *const ids[] = { "c", "c2", "d", "d2", "e", "f" };

static void
on_hit(void *ctx, const struct sigma_hit *h)
{
	size_t *n = ctx;
	for (size_t i = 0; i < h->ngroup; i++)
		*n += h->group_values[i].len;
	(*n)++;
}

static int
count(void *arg, const struct sigma_state *s)
{
	size_t *n = arg;
	*n += s->len;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ips[] = { "203.0.113.9", "", "198.51.100.1" };
	struct sigma_ruleset *rs = NULL;
	struct sigma_report rep;
	size_t hits = 0, dropped;
	if (size < 1)
		return 0;
	sigma_report_init(&rep);
	if (sigma_ruleset_load_buffer(&rs, (struct span){ rules, sizeof(rules) - 1 }, "state",
	    &rep) != 0) {
		sigma_report_release(&rep);
		return 0;
	}
	sigma_state_load(rs, 1740823201000, ids[data[0] % 6], data + 1, size - 1);
	for (int i = 0; i < 8; i++) {
		struct event ev;
		event_reset(&ev);
		ev.ts_ms = 1740823201000 + i * 1000;
		event_set_cstr(&ev, "event.outcome", i == 5 ? "success" : "failure");
		event_set_cstr(&ev, "source.ip", ips[i % 3]);
		event_set_cstr(&ev, "user.name", i & 1 ? "root" : "admin");
		sigma_ruleset_match(rs, &ev, on_hit, &hits);
	}
	sigma_state_save(rs, 16, count, &hits, &dropped);
	sigma_ruleset_flush(rs, on_hit, &hits);
	sigma_ruleset_free(rs);
	sigma_report_release(&rep);
	return 0;
}
