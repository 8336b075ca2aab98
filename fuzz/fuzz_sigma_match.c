/*
 * fuzz_sigma_match.c - hostile event values against a fixed rule set that
 * uses every matcher (automaton, glob, regex, cidr, numbers, base64,
 * windash, fieldref) and every correlation type. The input is split at
 * newlines into field values and raw lines; the first two bytes of each
 * line pick the field and step the clock.
 */
#include <stdint.h>
#include <string.h>

#include "detection/sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules[] =
    "title: a\nname: a\ndetection:\n"
    "  s1:\n    CommandLine|windash|contains|all: [' -enc ', 'hidden']\n"
    "  s2:\n    url.original|re|i: '\\$\\{(\\$\\{[^}]{0,30}\\}|[jndi:]){4,}'\n"
    "  s3:\n    source.ip|cidr: ['10.0.0.0/8', 'fe80::/10']\n"
    "  s4:\n    user.name: ['adm?n*', '*root', 'x\\*y']\n"
    "  s5:\n    http.response.status_code|gte: 500\n"
    "  s6:\n    CommandLine|base64offset|contains: 'http://'\n"
    "  s7:\n    user.name|fieldref: user.target.name\n"
    "  k:\n    - 'Failed password'\n    - 'Invalid user'\n"
    "  condition: 1 of s* or k\n"
    "---\ntitle: b\nname: b\ndetection:\n  s:\n    event.outcome: success\n  condition: s\n"
    "---\ntitle: c\nname: c\ncorrelation:\n  type: event_count\n  rules: [a]\n"
    "  group-by: [source.ip]\n  timespan: 10s\n  condition: {gte: 3}\n"
    "---\ntitle: d\ncorrelation:\n  type: value_count\n  rules: [a]\n"
    "  group-by: [source.ip]\n  timespan: 1m\n  condition: {field: user.name, gte: 3}\n"
    "---\ntitle: e\ncorrelation:\n  type: temporal_ordered\n  rules: [c, b]\n"
    "  group-by: [source.ip]\n  timespan: 1m\n"
    "---\ntitle: f\ncorrelation:\n  type: temporal\n  rules: [a, b]\n"
    "  group-by: [user.name]\n  timespan: 1m\n  condition: {lt: 2}\n";

static const char *const keys[] = { "process.command_line", "url.original",
    "source.ip", "user.name", "http.response.status_code", "user.target.name",
    "event.outcome", "winlog.event_data.CommandLine" };

static void
on_hit(void *ctx, const struct sigma_hit *h)
{
	size_t *n = ctx;
	for (size_t i = 0; i < h->ngroup; i++)
		*n += h->group_values[i].len;
	(*n)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigma_ruleset *rs = NULL;
	struct sigma_report rep;
	struct event ev;
	struct cursor c;
	struct span line;
	size_t hits = 0;
	int64_t ts = 1000;

	sigma_report_init(&rep);
	if (sigma_ruleset_new(&rs) != 0)
		goto out;
	sigma_ruleset_set_max_groups(rs, 8);
	sigma_ruleset_add_buffer(rs, SPAN_LIT(rules), "fuzz", &rep);
	if (sigma_ruleset_compile(rs, &rep) != 0)
		goto out;
	event_reset(&ev);
	cursor_init(&c, data, size);
	while (cursor_line(&c, &line)) {
		if (line.len < 2)
			continue;
		unsigned char k = (unsigned char)line.p[0], t = (unsigned char)line.p[1];
		struct span v = { line.p + 2, line.len - 2 };
		ts += (int64_t)(t % 16) * 1000;
		if (k == '!') {
			ev.ts_ms = ts;
			ev.raw = v;
			sigma_ruleset_match(rs, &ev, on_hit, &hits);
			event_reset(&ev);
			continue;
		}
		event_set(&ev, keys[k % (sizeof(keys) / sizeof(keys[0]))], v);
	}
	ev.ts_ms = ts;
	sigma_ruleset_match(rs, &ev, on_hit, &hits);
	sigma_ruleset_flush(rs, on_hit, &hits);
out:
	sigma_ruleset_free(rs);
	sigma_report_release(&rep);
	return 0;
}
