/* t_store_alert.c - alerts in the database: parsing of alert lines, the
 * de-duplication window, state moves, the timeline and tenant scoping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "storage/db.h"
#include "storage/store_alert.h"
#include "tests/tap.h"

#define LINE(ts, rule, ip, sev) \
	"{\"@timestamp\":\"" ts "\",\"event.kind\":\"alert\",\"severity\":\"" sev "\"," \
	"\"rule.id\":\"" rule "\",\"source.ip\":\"" ip "\",\"message\":\"m\"}"

struct got {
	int n;
	int64_t first_id, count, first_ts, last_ts;
	int severity;
	char state[16], host[64];
	char kinds[128];
};

static int
on_row(void *ctx, const struct store_alert_row *r)
{
	struct got *g = ctx;
	if (g->n++ == 0) {
		g->first_id = r->id;
		g->count = r->count;
		g->first_ts = r->first_ts;
		g->last_ts = r->last_ts;
		g->severity = r->severity;
		snprintf(g->state, sizeof(g->state), "%s", r->state);
		snprintf(g->host, sizeof(g->host), "%s", r->host_name);
	}
	return 0;
}

static int
on_step(void *ctx, const struct store_alert_step *s)
{
	struct got *g = ctx;
	size_t n = strlen(g->kinds);
	snprintf(g->kinds + n, sizeof(g->kinds) - n, "%s%s", n ? "," : "", s->kind);
	return 0;
}

static int
record(struct db *db, int64_t tenant, const char *line, int64_t *id, bool *is_new)
{
	struct store_alert_in in = { .tenant_id = tenant, .source = "logs", .host_name = "pc1",
		.now_ms = 1700000000000LL, .dedup_ms = 3600 * 1000 };
	return store_alert_record_json(db, &in, line, strlen(line), id, is_new);
}

static struct got
list(struct db *db, int64_t tenant, bool open_only)
{
	struct got g = { 0 };
	struct store_alert_filter f = { .open_only = open_only };
	store_alert_list(db, tenant, &f, on_row, &g);
	return g;
}

int
main(void)
{
	char path[] = "/tmp/mamori-t-alert-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	char err[256];
	struct db *db;
	int64_t id = 0, id2 = 0;
	bool is_new = false;

	if (db_open(path, false, &db, err, sizeof(err)) != MAMORI_OK) {
		printf("Bail out! %s\n", err);
		return 1;
	}

	is_int(record(db, 1, LINE("2026-01-02T03:04:05.678Z", "r.a", "1.2.3.4", "high"), &id, &is_new),
	    0, "an alert line is recorded");
	ok(is_new, "it opens a new alert");
	struct got g = list(db, 1, true);
	is_int(g.n, 1, "one open alert");
	is_int(g.first_ts, 1767323045678LL, "@timestamp with milliseconds is parsed (UTC)");
	is_str(g.host, "pc1", "the caller's host name is used when the line has none");
	is_int(g.severity, 3, "severity word high is 3");

	is_int(record(db, 1, LINE("2026-01-02T03:34:05+09:00", "r.a", "1.2.3.4", "critical"), &id2, &is_new),
	    0, "the same alert half an hour later (given in +09:00)");
	ok(!is_new && id2 == id, "is counted on the open alert");
	g = list(db, 1, true);
	is_int(g.count, 2, "count 2");
	is_int(g.severity, 4, "the alert takes the worse severity of its repeats");
	is_int(g.last_ts, 1767323045678LL, "a repeat with an earlier time keeps the latest last_ts");

	is_int(record(db, 1, LINE("2026-01-02T05:04:05Z", "r.a", "1.2.3.4", "high"), &id2, &is_new),
	    0, "again two hours later");
	ok(is_new && id2 != id, "outside the window it is a new alert");
	is_int(record(db, 1, LINE("2026-01-02T05:05:05Z", "r.a", "5.6.7.8", "high"), &id2, &is_new),
	    0, "another source address");
	ok(is_new, "is another alert");

	is_int(store_alert_set_state(db, 1, id, "acknowledged", "alice", "looking", 1), 0, "acknowledge");
	is_int(store_alert_set_state(db, 1, id, "acknowledged", "alice", "", 2), MAMORI_E_INVAL,
	    "acknowledging twice is refused");
	is_int(store_alert_set_state(db, 1, id, "resolved", "alice", "", 3), 0, "resolve");
	is_int(store_alert_set_state(db, 1, id, "acknowledged", "alice", "", 4), MAMORI_E_INVAL,
	    "a resolved alert cannot be acknowledged");
	is_int(store_alert_add_step(db, 1, id, "notified", "mail", "owner@example.jp", 5), 0,
	    "a notifier adds a step");
	is_int(store_alert_add_step(db, 1, id, "raised", "x", "", 5), MAMORI_E_INVAL,
	    "only notified and note steps can be added");
	is_int(store_alert_set_state(db, 1, id, "new", "alice", "came back", 6), 0, "reopen");
	struct got one = { 0 };
	is_int(store_alert_get(db, 1, id, on_row, on_step, &one), 0, "get with timeline");
	is_str(one.kinds, "raised,acknowledged,resolved,notified,reopened", "the timeline in order");
	is_str(one.state, "new", "reopened is new");

	is_int(store_alert_set_state(db, 1, id, "resolved", "alice", "", 7), 0, "resolve again");
	is_int(record(db, 1, LINE("2026-01-02T08:00:00Z", "r.a", "1.2.3.4", "high"), &id2, &is_new),
	    0, "the same alert later, with its own alert resolved and the next outside the window");
	ok(is_new && id2 != id, "opens a new alert instead of counting on a resolved one");

	int64_t counts[5];
	is_int(store_alert_open_counts(db, 1, counts), 0, "open counts");
	is_int(counts[3], 3, "three open high alerts");

	/* Tenant scoping. */
	is_int(record(db, 2, LINE("2026-01-02T03:04:05Z", "r.a", "1.2.3.4", "high"), &id2, &is_new),
	    MAMORI_E_DB, "a tenant that does not exist is refused by the foreign key");
	g = list(db, 2, false);
	is_int(g.n, 0, "an unknown tenant lists nothing");
	is_int(store_alert_get(db, 2, id, on_row, NULL, &g), MAMORI_E_NOTFOUND,
	    "another tenant's id is not found");
	is_int(store_alert_set_state(db, 2, id, "resolved", "mallory", "", 8), MAMORI_E_NOTFOUND,
	    "another tenant cannot change it");

	/* Bad lines. */
	is_int(record(db, 1, "not json", &id2, &is_new), MAMORI_E_PARSE, "not JSON");
	is_int(record(db, 1, "{\"event.kind\":\"flow\",\"rule.id\":\"x\",\"severity\":\"low\"}", &id2, &is_new),
	    MAMORI_E_PARSE, "not an alert");
	is_int(record(db, 1, "{\"event.kind\":\"alert\",\"severity\":\"low\"}", &id2, &is_new),
	    MAMORI_E_PARSE, "an alert without a rule id");
	is_int(record(db, 1, "{\"event.kind\":\"alert\",\"rule.id\":\"x\",\"severity\":\"huge\"}", &id2, &is_new),
	    MAMORI_E_PARSE, "an unknown severity");
	is_int(record(db, 1, "{\"event.kind\":\"alert\",\"rule.id\":\"x\",\"rule.id\":\"y\",\"severity\":\"low\"}",
	    &id2, &is_new), MAMORI_E_PARSE, "duplicate keys");
	is_int(record(db, 1, LINE("2026-13-02T03:04:05Z", "r.t", "", "low"), &id2, &is_new), 0,
	    "a bad @timestamp is not fatal");
	struct got bad = { 0 };
	store_alert_get(db, 1, id2, on_row, NULL, &bad);
	is_int(bad.first_ts, 1700000000000LL, "it takes the time of arrival");
	char *big = malloc(STORE_ALERT_BODY_MAX + 2);
	memset(big, ' ', STORE_ALERT_BODY_MAX + 1);
	big[STORE_ALERT_BODY_MAX + 1] = '\0';
	is_int(record(db, 1, big, &id2, &is_new), MAMORI_E_LIMIT, "a line over the cap is refused");
	free(big);

	db_close(db);
	unlink(path);
	return done_testing();
}
