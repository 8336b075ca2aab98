/*
 * t_sigma_state.c - Sigma correlation windows saved and put back into a
 * new ruleset (a restart): the counts go on; the cap keeps the most
 * recently used; closed windows, edited or unknown rules and malformed
 * bytes are refused.
 */
#include <stdlib.h>

#include "tests/unit/sigma_test.h"


static const char rules[] =
    "title: SSH login failed\nname: ssh_fail\nid: r-fail\n"
    "detection:\n  sel:\n    event.action: ssh_login\n    event.outcome: failure\n"
    "  condition: sel\n"
    "---\n"
    "title: SSH login accepted\nname: ssh_ok\nid: r-ok\n"
    "detection:\n  sel:\n    event.action: ssh_login\n    event.outcome: success\n"
    "  condition: sel\n"
    "---\n"
    "title: Brute force\nid: c-brute\n"
    "correlation:\n  type: event_count\n  rules: [ssh_fail]\n"
    "  group-by: [source.ip]\n  timespan: 1m\n  condition: {gte: %d}\n"
    "---\n"
    "title: Spray\nid: c-spray\n"
    "correlation:\n  type: value_count\n  rules: [ssh_fail]\n"
    "  group-by: [source.ip]\n  timespan: 1m\n  condition: {field: user.name, gte: 4}\n"
    "---\n"
    "title: Break-in\nid: c-breakin\n"
    "correlation:\n  type: temporal_ordered\n  rules: [ssh_fail, ssh_ok]\n"
    "  group-by: [source.ip]\n  timespan: 1m\n";

static struct sigma_ruleset *
load(int need)
{
	char y[4096];
	struct sigma_report rep;
	struct sigma_ruleset *rs = NULL;
	snprintf(y, sizeof(y), rules, need);
	sigma_report_init(&rep);
	if (sigma_ruleset_load_buffer(&rs, span_from_cstr(y), "state.yml", &rep) != 0)
		rs = NULL;
	sigma_report_release(&rep);
	return rs;
}


#define MAX_SAVED 16
struct saved {
	size_t n;
	char id[MAX_SAVED][32];
	unsigned char data[MAX_SAVED][1024];
	size_t len[MAX_SAVED];
};

static int
keep(void *arg, const struct sigma_state *s)
{
	struct saved *sv = arg;
	if (sv->n == MAX_SAVED || s->len > sizeof(sv->data[0]))
		return MAMORI_E_LIMIT;
	snprintf(sv->id[sv->n], sizeof(sv->id[0]), "%s", s->rule_id);
	memcpy(sv->data[sv->n], s->data, s->len);
	sv->len[sv->n++] = s->len;
	return 0;
}

/* Loads every saved group, oldest first; how many were LOADED. */
static size_t
restore(struct sigma_ruleset *rs, const struct saved *sv, int64_t clock)
{
	size_t loaded = 0;
	for (size_t i = sv->n; i-- > 0;)
		loaded += sigma_state_load(rs, clock, sv->id[i], sv->data[i], sv->len[i]) ==
		    SIGMA_STATE_LOADED;
	return loaded;
}

int
main(void)
{
	struct sigma_ruleset *a = load(5), *b = load(5), *c = load(5);
	struct st_hits hs = { 0 };
	struct saved sv = { 0 };
	size_t dropped = 9;
	if (!ok(a && b && c, "rules load"))
		return done_testing();

	/* the first half: 3 failures, 3 users */
	st_login(a, &hs, 10000, "203.0.113.9", "u1", false);
	st_login(a, &hs, 11000, "203.0.113.9", "u2", false);
	st_login(a, &hs, 12000, "203.0.113.9", "u3", false);
	is_int(hs.n, 0, "3 failures: nothing yet");
	ok(sigma_state_save(a, 100, keep, &sv, &dropped) == 0 && sv.n == 3 && dropped == 0,
	    "3 open groups saved (count, values, chain), none dropped");

	/* a restart: the rest goes to a new ruleset with the saved groups */
	is_int(restore(b, &sv, 12000), 3, "all 3 put back");
	st_login(b, &hs, 13000, "203.0.113.9", "u4", false);
	ok(hs.n == 1 && strcmp(hs.ids[0], "c-spray") == 0 && hs.count[0] == 4,
	    "4th user after the restart: spray fires, counting the 3 before");
	st_login(b, &hs, 14000, "203.0.113.9", "u4", false);
	ok(hs.n == 2 && strcmp(hs.ids[1], "c-brute") == 0 && hs.count[1] == 5 && hs.first[1] == 10000,
	    "5th failure: brute force fires once, window from the first failure before the restart");
	st_login(b, &hs, 15000, "203.0.113.9", "u4", true);
	ok(hs.n == 3 && strcmp(hs.ids[2], "c-breakin") == 0, "a login then: the ordered chain fires");
	st_login(b, &hs, 16000, "203.0.113.9", "u5", false);
	is_int(hs.n, 3, "nothing fires twice");

	/* the same second half without the saved groups */
	hs.n = 0;
	st_login(c, &hs, 13000, "203.0.113.9", "u4", false);
	st_login(c, &hs, 14000, "203.0.113.9", "u4", false);
	is_int(hs.n, 0, "without them the second half alone fires nothing");

	/* a group already there is not loaded twice */
	is_int(sigma_state_load(b, 16000, sv.id[0], sv.data[0], sv.len[0]), SIGMA_STATE_BAD,
	    "a group that exists is refused");

	/* closed at the clock: a minute and more after its newest event */
	struct sigma_ruleset *d = load(5);
	is_int(restore(d, &sv, 12000 + 60000), 0, "closed windows are not put back");
	is_int(sigma_state_load(d, 72000, sv.id[0], sv.data[0], sv.len[0]), SIGMA_STATE_EXPIRED,
	    "reported as expired");
	sigma_ruleset_free(d);

	/* an edited rule, an unknown rule */
	struct sigma_ruleset *e = load(6);
	size_t brute = sv.n;
	for (size_t i = 0; i < sv.n; i++)
		if (strcmp(sv.id[i], "c-brute") == 0)
			brute = i;
	ok(brute < sv.n && sigma_state_load(e, 12000, "c-brute", sv.data[brute], sv.len[brute]) ==
	    SIGMA_STATE_CHANGED, "the brute-force rule now needs 6: its old group is refused");
	is_int(sigma_state_load(e, 12000, "c-gone", sv.data[brute], sv.len[brute]), SIGMA_STATE_CHANGED,
	    "an id no correlation has is refused");
	is_int(sigma_state_load(e, 12000, "c-spray", sv.data[brute], sv.len[brute]), SIGMA_STATE_CHANGED,
	    "another correlation's bytes are refused");

	/* malformed bytes */
	unsigned char bad[1024];
	memcpy(bad, sv.data[brute], sv.len[brute]);
	is_int(sigma_state_load(e, 12000, "c-brute", bad, 20), SIGMA_STATE_BAD, "truncated: refused");
	bad[0] = 9;
	is_int(sigma_state_load(e, 12000, "c-brute", bad, sv.len[brute]), SIGMA_STATE_BAD,
	    "unknown version: refused");
	struct sigma_ruleset *f = load(5);
	memcpy(bad, sv.data[brute], sv.len[brute]);
	bad[34] = 0xff;	/* nring */
	is_int(sigma_state_load(f, 12000, "c-brute", bad, sv.len[brute]), SIGMA_STATE_BAD,
	    "a ring count past the rule's ring: refused");
	is_int(sigma_state_load(f, 12000, "c-brute", sv.data[brute], sv.len[brute] + 1), SIGMA_STATE_BAD,
	    "trailing bytes: refused");
	memcpy(bad, sv.data[brute], sv.len[brute]);
	bad[25] = 0x80;	/* last_ts's top byte: near INT64_MIN, would overflow t - last */
	is_int(sigma_state_load(f, 12000, "c-brute", bad, sv.len[brute]), SIGMA_STATE_BAD,
	    "a time near the ends of int64: refused");
	sigma_ruleset_free(e);
	sigma_ruleset_free(f);

	/* the cap keeps the most recently used */
	struct saved one = { 0 };
	st_login(c, &hs, 20000, "198.51.100.1", "x", false);
	st_login(c, &hs, 21000, "198.51.100.2", "x", false);
	ok(sigma_state_save(c, 1, keep, &one, &dropped) == 0 && one.n == 1 && dropped >= 5,
	    "cap 1: one group saved, the others counted as dropped");
	struct sigma_ruleset *g = load(5);
	is_int(restore(g, &one, 21000), 1, "it loads");
	hs.n = 0;
	for (int i = 0; i < 4; i++)
		st_login(g, &hs, 22000 + i, "198.51.100.2", "x", false);
	ok(hs.n == 1 && strcmp(hs.ids[0], "c-brute") == 0, "it is the newest group (198.51.100.2's count)");
	sigma_ruleset_free(g);

	sigma_ruleset_free(a);
	sigma_ruleset_free(b);
	sigma_ruleset_free(c);
	return done_testing();
}
