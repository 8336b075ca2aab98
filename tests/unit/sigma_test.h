/* sigma_test.h - helpers shared by the t_sigma_*.c tests. */
#ifndef MAMORI_TESTS_SIGMA_TEST_H
#define MAMORI_TESTS_SIGMA_TEST_H

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "detection/sigma.h"
#include "tests/tap.h"

#define ST_MAX_HITS 64

struct st_hits {
	size_t n;
	const char *ids[ST_MAX_HITS];	/* rule ids (live as long as the set) */
	uint64_t count[ST_MAX_HITS];
	int64_t ts[ST_MAX_HITS], first[ST_MAX_HITS];
	char group[ST_MAX_HITS][128];	/* "field=value,..." */
};

static inline void
st_on_hit(void *ctx, const struct sigma_hit *h)
{
	struct st_hits *hs = ctx;
	if (hs->n == ST_MAX_HITS)
		return;
	hs->ids[hs->n] = h->rule->id;
	hs->count[hs->n] = h->count;
	hs->ts[hs->n] = h->ts_ms;
	hs->first[hs->n] = h->first_ts_ms;
	size_t off = 0;
	hs->group[hs->n][0] = '\0';
	for (size_t i = 0; i < h->ngroup && off < 120; i++) {
		int w = snprintf(hs->group[hs->n] + off, 128 - off, "%s%s=%.*s",
		    i ? "," : "", h->group_fields[i], (int)h->group_values[i].len,
		    h->group_values[i].p);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	hs->n++;
}

/* kv: NULL-terminated key, value, key, value... (keys are literals). */
static inline void
st_event(struct event *ev, int64_t ts, const char *raw, const char *const *kv)
{
	event_reset(ev);
	ev->ts_ms = ts;
	if (raw)
		ev->raw = span_from_cstr(raw);
	for (size_t i = 0; kv && kv[i]; i += 2)
		event_set_cstr(ev, kv[i], kv[i + 1]);
}

/* An SSH login event (failure or success) from ip for user, matched. */
static inline int
st_login(struct sigma_ruleset *rs, struct st_hits *hs, int64_t ts, const char *ip,
    const char *user, bool success)
{
	struct event ev;
	st_event(&ev, ts, NULL, (const char *const[]){ "event.action", "ssh_login", "event.outcome",
	    success ? "success" : "failure", "source.ip", ip, "user.name", user, NULL });
	return sigma_ruleset_match(rs, &ev, st_on_hit, hs);
}

static inline bool
st_has(const struct st_hits *hs, const char *id)
{
	for (size_t i = 0; i < hs->n; i++)
		if (strcmp(hs->ids[i], id) == 0)
			return true;
	return false;
}

static inline void
st_print_report(const struct sigma_report *r)
{
	for (size_t i = 0; i < r->items.n; i++) {
		const struct sigma_report_item *it = vec_at(&r->items, i);
		printf("#   report: %s:%zu [%s] %s\n", it->file, it->line,
		    it->title ? it->title : "-", it->reason);
	}
}

#endif
