/*
 * t_sigma_correlate.c - Sigma correlation rules: counting, distinct values,
 * temporal and ordered chains, windows in time, bounded state.
 */
#include "tests/unit/sigma_test.h"

#define E(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const char base_rules[] =
    "title: SSH login failed\nname: ssh_fail\nid: r-fail\n"
    "logsource: {product: linux, service: sshd}\n"
    "detection:\n  sel:\n    event.action: ssh_login\n    event.outcome: failure\n"
    "  condition: sel\n"
    "---\n"
    "title: SSH login accepted\nname: ssh_ok\nid: r-ok\n"
    "logsource: {product: linux, service: sshd}\n"
    "detection:\n  sel:\n    event.action: ssh_login\n    event.outcome: success\n"
    "  condition: sel\n";

static struct sigma_ruleset *
load(const char *corr, struct sigma_report *rep)
{
	char y[8192];
	struct sigma_ruleset *rs = NULL;
	snprintf(y, sizeof(y), "%s---\n%s", base_rules, corr);
	sigma_report_init(rep);
	if (sigma_ruleset_load_buffer(&rs, span_from_cstr(y), "corr.yml", rep) != 0)
		return NULL;
	if (rep->items.n)
		st_print_report(rep);
	return rs;
}


static void
test_event_count(void)
{
	struct sigma_report rep;
	struct sigma_ruleset *rs = load(
	    "title: SSH brute force\nid: c-brute\nname: brute\n"
	    "correlation:\n  type: event_count\n  rules: [ssh_fail]\n"
	    "  group-by: [source.ip]\n  timespan: 1m\n  condition: {gte: 5}\n", &rep);
	struct st_hits hs = { 0 };
	ok(rs && rep.correlations_loaded == 1 && rep.rules_loaded == 2, "loaded 2 rules + 1 correlation");
	if (!rs)
		return;
	for (int i = 0; i < 4; i++)
		st_login(rs, &hs, 1000 + i * 1000, "203.0.113.9", "root", false);
	st_login(rs, &hs, 2000, "198.51.100.1", "root", false);
	is_int(hs.n, 0, "4 failures: nothing yet, base rule suppressed (generate false)");
	st_login(rs, &hs, 30000, "203.0.113.9", "admin", false);
	ok(hs.n == 1 && strcmp(hs.ids[0], "c-brute") == 0, "5th failure in 1m fires");
	is_int(hs.count[0], 5, "count 5");
	is_int(hs.first[0], 1000, "window starts at the first failure");
	is_str(hs.group[0], "source.ip=203.0.113.9", "grouped by source.ip");
	for (int i = 0; i < 4; i++)
		st_login(rs, &hs, 31000 + i * 1000, "203.0.113.9", "root", false);
	is_int(hs.n, 1, "after firing the group starts over");
	st_login(rs, &hs, 35000, "203.0.113.9", "root", false);
	is_int(hs.n, 2, "5 more fire again");
	/* Slow attacker: one failure per 20 s never reaches 5 within a minute. */
	hs.n = 0;
	for (int i = 0; i < 20; i++)
		st_login(rs, &hs, 100000 + i * 20000, "192.0.2.77", "root", false);
	is_int(hs.n, 0, "failures spread beyond the timespan do not fire");
	/* A sliding window: 3 old + 5 in the last minute fires. */
	for (int i = 0; i < 5; i++)
		st_login(rs, &hs, 1000000 + i * 14000, "192.0.2.78", "root", false);
	is_int(hs.n, 1, "sliding: five within 56 s fire");
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

static void
test_generate(void)
{
	struct sigma_report rep;
	struct sigma_ruleset *rs = load(
	    "title: SSH brute force\nid: c-brute\n"
	    "correlation:\n  type: event_count\n  rules: ssh_fail\n  generate: true\n"
	    "  group-by: source.ip\n  timespan: 10s\n  condition:\n    gt: 1\n", &rep);
	struct st_hits hs = { 0 };
	if (!ok(rs != NULL, "generate: true loads"))
		return;
	st_login(rs, &hs, 1000, "203.0.113.9", "root", false);
	ok(hs.n == 1 && strcmp(hs.ids[0], "r-fail") == 0, "base rule hit kept");
	st_login(rs, &hs, 2000, "203.0.113.9", "root", false);
	ok(hs.n == 3 && strcmp(hs.ids[1], "r-fail") == 0 && strcmp(hs.ids[2], "c-brute") == 0,
	    "gt 1: second event fires, after its own base hit");
	is_int(hs.count[2], 2, "count 2");
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

static void
test_value_count(void)
{
	struct sigma_report rep;
	struct sigma_ruleset *rs = load(
	    "title: Password spraying\nid: c-spray\n"
	    "correlation:\n  type: value_count\n  rules: [ssh_fail]\n"
	    "  group-by: [source.ip]\n  timespan: 5m\n"
	    "  condition: {field: user.name, gte: 3}\n", &rep);
	struct st_hits hs = { 0 };
	if (!ok(rs != NULL, "value_count loads"))
		return;
	for (int i = 0; i < 10; i++)
		st_login(rs, &hs, 1000 + i, "203.0.113.5", "root", false);
	st_login(rs, &hs, 2000, "203.0.113.5", "ROOT2", false);
	is_int(hs.n, 0, "one user many times, then 2 users: no spray");
	st_login(rs, &hs, 3000, "203.0.113.6", "alice", false);
	st_login(rs, &hs, 3001, "203.0.113.6", "bob", false);
	is_int(hs.n, 0, "other source counts separately");
	st_login(rs, &hs, 4000, "203.0.113.5", "carol", false);
	ok(hs.n == 1 && strcmp(hs.ids[0], "c-spray") == 0 && hs.count[0] == 3,
	    "third distinct user from one source fires (count 3)");
	/* Values older than the timespan slide out. */
	hs.n = 0;
	st_login(rs, &hs, 1000000, "203.0.113.7", "u1", false);
	st_login(rs, &hs, 1000000 + 200000, "203.0.113.7", "u2", false);
	st_login(rs, &hs, 1000000 + 400000, "203.0.113.7", "u3", false);
	is_int(hs.n, 0, "distinct users spread over 6m40s do not fire");
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

static void
test_ordered_chain(void)
{
	struct sigma_report rep;
	struct sigma_ruleset *rs = load(
	    "title: Many failures\nname: many_fail\nid: c-many\n"
	    "correlation:\n  type: event_count\n  rules: [ssh_fail]\n  group-by: [source.ip]\n"
	    "  timespan: 5m\n  condition: {gte: 3}\n"
	    "---\n"
	    "title: Break-in after brute force\nid: c-breakin\n"
	    "correlation:\n  type: temporal_ordered\n  rules: [many_fail, ssh_ok]\n"
	    "  group-by: [source.ip]\n  timespan: 10m\n", &rep);
	struct st_hits hs = { 0 };
	if (!ok(rs != NULL && rep.correlations_loaded == 2, "chained correlations load"))
		return;
	/* success first: no break-in */
	st_login(rs, &hs, 1000, "203.0.113.1", "root", true);
	is_int(hs.n, 0, "success alone: ssh_ok is silenced (generate false)");
	for (int i = 0; i < 3; i++)
		st_login(rs, &hs, 2000 + i * 1000, "203.0.113.1", "root", false);
	ok(hs.n == 1 && strcmp(hs.ids[0], "c-many") == 0,
	    "3 failures: many_fail fires (a referenced correlation still alerts)");
	st_login(rs, &hs, 60000, "198.51.100.4", "root", true);
	is_int(hs.n, 1, "success from another source is not a break-in");
	st_login(rs, &hs, 120000, "203.0.113.1", "root", true);
	ok(hs.n == 2 && strcmp(hs.ids[1], "c-breakin") == 0, "success after the failures fires");
	is_str(hs.group[1], "source.ip=203.0.113.1", "break-in grouped by source");
	is_int(hs.first[1], 4000, "chain starts when the failures fired");
	is_int(hs.count[1], 2, "two steps");
	/* Too late: success 11 minutes after. */
	hs.n = 0;
	for (int i = 0; i < 3; i++)
		st_login(rs, &hs, 1000000 + i, "203.0.113.2", "root", false);
	st_login(rs, &hs, 1000000 + 11 * 60000, "203.0.113.2", "root", true);
	ok(hs.n == 1 && strcmp(hs.ids[0], "c-many") == 0, "success after the timespan does not fire");
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

static void
test_temporal_aliases(void)
{
	static const char y[] =
	    "title: VPN login\nname: vpn\nid: r-vpn\n"
	    "detection:\n  sel:\n    event.dataset: vpn\n  condition: sel\n"
	    "---\n"
	    "title: Admin console login\nname: admin\nid: r-admin\n"
	    "detection:\n  sel:\n    event.dataset: admin\n  condition: sel\n"
	    "---\n"
	    "title: VPN then admin console\nid: c-both\n"
	    "correlation:\n  type: temporal\n  rules: [vpn, admin]\n  group-by: [who]\n"
	    "  timespan: 30s\n  aliases:\n    who:\n      vpn: user.name\n      admin: admin.user\n";
	struct sigma_ruleset *rs;
	struct sigma_report rep;
	struct st_hits hs = { 0 };
	struct event ev;
	sigma_report_init(&rep);
	if (!ok(sigma_ruleset_load_buffer(&rs, SPAN_LIT(y), "t", &rep) == 0 &&
	    rep.correlations_loaded == 1, "temporal with aliases loads")) {
		st_print_report(&rep);
		return;
	}
	st_event(&ev, 10000, NULL, E("event.dataset", "admin", "admin.user", "taro"));
	sigma_ruleset_match(rs, &ev, st_on_hit, &hs);
	st_event(&ev, 15000, NULL, E("event.dataset", "vpn", "user.name", "hanako"));
	sigma_ruleset_match(rs, &ev, st_on_hit, &hs);
	is_int(hs.n, 0, "different users: nothing");
	st_event(&ev, 20000, NULL, E("event.dataset", "vpn", "user.name", "taro"));
	sigma_ruleset_match(rs, &ev, st_on_hit, &hs);
	ok(hs.n == 1 && strcmp(hs.ids[0], "c-both") == 0, "same user via aliases, any order, fires");
	is_str(hs.group[0], "user.name=taro", "alias value in the group, named by the ECS field");
	st_event(&ev, 100000, NULL, E("event.dataset", "admin", "admin.user", "hanako"));
	sigma_ruleset_match(rs, &ev, st_on_hit, &hs);
	is_int(hs.n, 1, "85 s apart: outside the 30 s timespan");
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

static void
test_window_close(void)
{
	struct sigma_report rep;
	struct sigma_ruleset *rs = load(
	    "title: Exactly two failures\nid: c-eq\n"
	    "correlation:\n  type: event_count\n  rules: [ssh_fail]\n  group-by: [source.ip]\n"
	    "  timespan: 1m\n  condition: {eq: 2}\n", &rep);
	struct st_hits hs = { 0 };
	if (!ok(rs != NULL, "eq condition loads"))
		return;
	st_login(rs, &hs, 1000, "192.0.2.1", "a", false);
	st_login(rs, &hs, 2000, "192.0.2.1", "a", false);
	st_login(rs, &hs, 3000, "192.0.2.2", "a", false);
	is_int(hs.n, 0, "eq is decided when the window closes");
	st_login(rs, &hs, 70000, "192.0.2.1", "a", false);
	ok(hs.n == 1 && hs.count[0] == 2 && strcmp(hs.group[0], "source.ip=192.0.2.1") == 0,
	    "next event after the window closes it: 2 == 2 fires");
	is_int(sigma_ruleset_flush(rs, st_on_hit, &hs), 0, "flush: remaining windows have 1 event");
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

static void
test_bounds(void)
{
	struct sigma_report rep;
	struct sigma_ruleset *rs;
	struct sigma_stats st;
	char ip[32];
	sigma_report_init(&rep);
	sigma_ruleset_new(&rs);
	sigma_ruleset_set_max_groups(rs, 10);
	char y[4096];
	snprintf(y, sizeof(y), "%s---\ntitle: b\nid: c-b\ncorrelation:\n  type: event_count\n"
	    "  rules: [ssh_fail]\n  group-by: [source.ip]\n  timespan: 1h\n"
	    "  condition: {gte: 2}\n", base_rules);
	sigma_ruleset_add_buffer(rs, span_from_cstr(y), "b", &rep);
	ok(sigma_ruleset_compile(rs, &rep) == 0, "compiles with a 10-group cap");
	struct st_hits hs = { 0 };
	for (int i = 0; i < 100; i++) {
		snprintf(ip, sizeof(ip), "10.0.%d.%d", i / 250, i % 250);
		struct event ev;
		st_event(&ev, 1000 + i, NULL, E("event.action", "ssh_login", "event.outcome",
		    "failure", "source.ip", ip));
		sigma_ruleset_match(rs, &ev, st_on_hit, &hs);
	}
	sigma_ruleset_stats(rs, &st);
	is_int(st.corr_groups, 10, "groups held at the cap");
	is_int(st.corr_evicted, 90, "evictions counted");
	is_int(st.events, 100, "events counted");
	/* Time moves on: idle groups expire. */
	struct event ev;
	st_event(&ev, 10000000, NULL, E("event.action", "ssh_login", "event.outcome",
	    "failure", "source.ip", "10.9.9.9"));
	sigma_ruleset_match(rs, &ev, st_on_hit, &hs);
	sigma_ruleset_stats(rs, &st);
	is_int(st.corr_expired, 10, "idle groups expired after the timespan");
	is_int(st.corr_groups, 1, "only the new group is left");
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

static void
test_bad_refs(void)
{
	struct sigma_report rep;
	struct sigma_ruleset *rs = load(
	    "title: Dangling\nid: c-x\ncorrelation:\n  type: event_count\n  rules: [nosuch]\n"
	    "  timespan: 1m\n  condition: {gte: 2}\n"
	    "---\n"
	    "title: Loop A\nname: la\ncorrelation:\n  type: event_count\n  rules: [lb]\n"
	    "  timespan: 1m\n  condition: {gte: 2}\n"
	    "---\n"
	    "title: Loop B\nname: lb\ncorrelation:\n  type: event_count\n  rules: [la]\n"
	    "  timespan: 1m\n  condition: {gte: 2}\n"
	    "---\n"
	    "title: No timespan\ncorrelation:\n  type: event_count\n  rules: [ssh_fail]\n"
	    "  condition: {gte: 2}\n"
	    "---\n"
	    "title: Sum\ncorrelation:\n  type: value_sum\n  rules: [ssh_fail]\n  timespan: 1m\n", &rep);
	ok(rs != NULL, "a set with broken correlations still loads");
	is_int(rep.correlations_loaded, 0, "no broken correlation is loaded");
	is_int(rep.rules_skipped, 5, "five skipped");
	bool dangling = false, loop = false, unsup = false;
	for (size_t i = 0; i < rep.items.n; i++) {
		const struct sigma_report_item *it = vec_at(&rep.items, i);
		dangling |= strstr(it->reason, "'nosuch' not found") != NULL;
		loop |= strstr(it->reason, "loop") != NULL;
		unsup |= strstr(it->reason, "value_sum") != NULL;
	}
	ok(dangling && loop && unsup, "reasons: missing rule, loop, unsupported type");
	struct st_hits hs = { 0 };
	st_login(rs, &hs, 1, "1.1.1.1", "x", false);
	is_int(hs.n, 1, "base rule of a dead correlation is not suppressed");
	sigma_report_release(&rep);
	sigma_ruleset_free(rs);
}

int
main(void)
{
	test_event_count();
	test_generate();
	test_value_count();
	test_ordered_chain();
	test_temporal_aliases();
	test_window_close();
	test_bounds();
	test_bad_refs();
	return done_testing();
}
