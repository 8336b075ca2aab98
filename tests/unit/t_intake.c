/* t_intake.c - the agent channel without the network: the batch decoder,
 * the enrolment body, one-time expiring tokens, per-agent credentials and
 * revocation, exactly-once storage of batches (retries, floor, contiguous
 * acknowledgement), and a sensor's eve events applied once, in the batch's
 * transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "manager/agent_cred.h"
#include "manager/enrol.h"
#include "manager/eve_intake.h"
#include "manager/intake_batch.h"
#include "storage/db.h"
#include "storage/store_agent.h"
#include "storage/store_alert.h"
#include "storage/store_asset.h"
#include "storage/store_intake.h"
#include "tests/tap.h"

#define HDR "{\"v\":1,\"agent\":7,\"floor\":1}\n"
#define EV(seq, kind, data) "{\"seq\":" #seq ",\"ts\":100,\"kind\":\"" kind "\",\"data\":" data "}\n"

static int
decode(const char *text, struct intake_batch *b)
{
	char why[160];
	int rc = intake_batch_decode(text, strlen(text), b, why, sizeof(why));
	if (rc != MAMORI_OK)
		diag(why);
	return rc;
}

static void
test_decoder(void)
{
	struct intake_batch b;
	is_int(decode(HDR EV(1, "alert", "{\"a\":1}") EV(2, "event", "{}") EV(5, "gap", "{\"dropped\":2}"), &b),
	    MAMORI_OK, "a batch of three decodes");
	ok(b.agent_id == 7 && b.floor == 1 && b.n == 3, "header and count");
	ok(b.ev[2].seq == 5 && b.ev[2].dropped == 2 && strcmp(b.ev[2].kind, "gap") == 0, "gap count");
	ok(b.ev[0].len == strlen(EV(1, "alert", "{\"a\":1}")) - 1, "each event keeps its line");
	intake_batch_free(&b);
	is_int(decode(HDR EV(1, "eve", "{\"event_type\":\"asset\"}"), &b), MAMORI_OK, "a sensor's eve event decodes");
	ok(b.n == 1 && strcmp(b.ev[0].kind, "eve") == 0, "with its kind");
	is_int(b.spool_records, -1, "spool depth absent");
	intake_batch_free(&b);
	is_int(decode("{\"v\":1,\"agent\":7,\"floor\":3,\"spool\":{\"records\":9,\"bytes\":99}}\n" EV(3, "event", "{}"), &b),
	    MAMORI_OK, "a header with the spool depth");
	ok(b.spool_records == 9 && b.spool_bytes == 99, "spool depth read");
	intake_batch_free(&b);
	is_int(decode(HDR, &b), MAMORI_OK, "a header alone is an empty batch");
	intake_batch_free(&b);

	static const char *const bad[] = {
		"",
		"[]\n",
		"{\"v\":2,\"agent\":7,\"floor\":1}\n",
		"{\"v\":1,\"agent\":0,\"floor\":1}\n",
		"{\"v\":1,\"agent\":7,\"floor\":1,\"x\":1}\n",
		"{\"v\":1,\"agent\":7,\"floor\":1,\"v\":1}\n",
		HDR EV(2, "event", "{}") EV(2, "event", "{}"),
		HDR EV(3, "event", "{}") EV(2, "event", "{}"),
		"{\"v\":1,\"agent\":7,\"floor\":5}\n" EV(4, "event", "{}"),
		HDR EV(1, "shell", "{}"),
		HDR EV(1, "event", "[]"),
		HDR EV(1, "gap", "{}"),
		HDR "{\"seq\":1,\"ts\":-1,\"kind\":\"event\",\"data\":{}}\n",
		HDR "{\"seq\":1,\"ts\":1,\"kind\":\"event\",\"data\":{},\"extra\":1}\n",
		HDR "{\"seq\":1,\"ts\":1,\"kind\":\"event\",\"data\":{\"s\":\"\\u0000\"}}\n",
		HDR "not json\n",
	};
	int refused = 0;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char why[160];
		if (intake_batch_decode(bad[i], strlen(bad[i]), &b, why, sizeof(why)) != MAMORI_OK)
			refused++;
		else
			diag(bad[i]);
		intake_batch_free(&b);
	}
	is_int(refused, (int)(sizeof(bad) / sizeof(bad[0])), "malformed batches are refused");

	size_t n = (INTAKE_BATCH_MAX_EVENTS + 2) * 2;
	char *many = malloc(n + sizeof(HDR));
	memcpy(many, HDR, sizeof(HDR) - 1);
	memset(many + sizeof(HDR) - 1, '\n', n);
	char why[160];
	is_int(intake_batch_decode(many, sizeof(HDR) - 1 + n, &b, why, sizeof(why)), MAMORI_E_LIMIT,
	    "more lines than the event limit: 413, before any parsing");
	free(many);
}

static void
test_enrol_parse(void)
{
	struct enrol_request e;
	char why[128], body[256];
	const char *tok = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	snprintf(body, sizeof(body), "{\"token\":\"%s\",\"hostname\":\"pc-01\"}", tok);
	is_int(enrol_parse(body, strlen(body), &e, why, sizeof(why)), MAMORI_OK, "enrol body parses");
	is_str(e.name, "pc-01", "the name defaults to the hostname");
	snprintf(body, sizeof(body), "{\"token\":\"%s\",\"hostname\":\"pc\\n01\"}", tok);
	is_int(enrol_parse(body, strlen(body), &e, why, sizeof(why)), MAMORI_E_PARSE, "a control character is refused");
	snprintf(body, sizeof(body), "{\"token\":\"short\",\"hostname\":\"pc\"}");
	is_int(enrol_parse(body, strlen(body), &e, why, sizeof(why)), MAMORI_E_PARSE, "a short token is refused");
	snprintf(body, sizeof(body), "{\"token\":\"%s\",\"hostname\":\"pc\",\"admin\":true}", tok);
	is_int(enrol_parse(body, strlen(body), &e, why, sizeof(why)), MAMORI_E_PARSE, "unknown fields are refused");
}

/* A fresh database at path (a mkstemp template) with the intake's durability. */
static struct db *
open_db(char *path)
{
	char err[256];
	struct db *db = NULL;
	int fd = mkstemp(path);
	close(fd);
	if (!ok(db_open(path, false, &db, err, sizeof(err)) == MAMORI_OK, "database opens")) {
		diag(err);
		return NULL;
	}
	store_intake_durable(db);
	return db;
}

static void
remove_db(struct db *db, const char *path)
{
	char side[256];
	db_close(db);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static int64_t
enrol(struct db *db, const char *token, const char *host, int64_t now, enum store_enrol_refusal *why,
    char secret[AUTH_TOKEN_CHARS + 1])
{
	uint8_t th[STORE_AGENT_HASH], sh[STORE_AGENT_HASH];
	struct store_agent a;
	auth_token_hash(token, th);
	agent_cred_new(secret, sh);
	if (store_agent_enrol(db, th, host, host, sh, "127.0.0.1", now, &a, why) != MAMORI_OK)
		return 0;
	return a.id;
}

static struct store_intake_event
ev(int64_t seq)
{
	static char line[64];
	snprintf(line, sizeof(line), "{\"seq\":%lld}", (long long)seq);
	return (struct store_intake_event){ .seq = seq, .ts = 1, .kind = "event", .body = line,
		.body_len = strlen(line) };
}

static void
test_store(void)
{
	char path[] = "/tmp/mamori-t-intake-XXXXXX", tok[AUTH_TOKEN_CHARS + 1];
	char sec1[AUTH_TOKEN_CHARS + 1], sec2[AUTH_TOKEN_CHARS + 1], hdr[64], auth[80];
	enum store_enrol_refusal why;
	int64_t id, exp, now = 1000000;
	struct db *db = open_db(path);
	if (!db)
		return;

	is_int(agent_cred_token_issue(db, 1, "agent", 600, now, tok, &id, &exp), MAMORI_OK, "token issued");
	int64_t a1 = enrol(db, tok, "pc-01", now + 10, &why, sec1);
	ok(a1 > 0, "the token enrols an agent");
	is_int(enrol(db, tok, "pc-02", now + 11, &why, sec2), 0, "the same token again: refused");
	is_int(why, STORE_ENROL_USED, "because it was used");
	agent_cred_token_issue(db, 1, "sensor", 600, now, tok, &id, &exp);
	is_int(enrol(db, tok, "pc-02", now + 601, &why, sec2), 0, "an expired token: refused");
	is_int(why, STORE_ENROL_EXPIRED, "because it expired");
	char unknown[AUTH_TOKEN_CHARS + 1];
	auth_token_new(unknown);
	is_int(enrol(db, unknown, "pc-02", now, &why, sec2), 0, "an unknown token: refused");
	is_int(why, STORE_ENROL_UNKNOWN, "because it is unknown");
	int dash = 0;
	for (int i = 0; i < 256; i++) {
		agent_cred_token_issue(db, 1, "agent", 600, now, tok, &id, &exp);
		dash += tok[0] == '-';
	}
	is_int(dash, 0, "no token of 256 starts with '-' (it would be an option after --enrol URL)");
	int64_t t2 = 0;
	store_auth_tenant(db, "acme", 1, now, &t2);
	agent_cred_token_issue(db, t2, "agent", 600, now, tok, &id, &exp);
	int64_t a2 = enrol(db, tok, "acme-pc", now, &why, sec2);
	struct store_agent ag;
	ok(a2 > 0 && store_agent_get(db, a2, &ag) == MAMORI_OK && ag.tenant_id == t2,
	    "a token enrols into its own tenant");

	/* Credentials: the right secret for the right id only. */
	snprintf(hdr, sizeof(hdr), "%lld", (long long)a1);
	snprintf(auth, sizeof(auth), "Bearer %s", sec1);
	is_int(agent_cred_check(db, hdr, auth, &ag), MAMORI_OK, "agent 1 with its secret");
	snprintf(hdr, sizeof(hdr), "%lld", (long long)a2);
	is_int(agent_cred_check(db, hdr, auth, &ag), MAMORI_E_PERM, "agent 1's secret under agent 2's id: refused");
	is_int(agent_cred_check(db, "99", auth, &ag), MAMORI_E_PERM, "an unknown id: refused");
	is_int(agent_cred_check(db, hdr, NULL, &ag), MAMORI_E_PERM, "no secret: refused");
	is_int(agent_cred_check(db, "01", auth, &ag), MAMORI_E_PERM, "a malformed id: refused");

	/* Exactly once. */
	struct store_intake_result r;
	struct store_intake_event e[6] = { ev(1), ev(2), ev(3) };
	store_agent_get(db, a1, &ag);
	is_int(store_intake_batch(db, &ag, 1, 0, 0, e, 3, now, 5, &r), MAMORI_OK, "batch 1-3 stored");
	ok(r.acked == 3 && r.stored == 3 && r.duplicates == 0, "acked 3, stored 3");
	is_int(store_intake_batch(db, &ag, 1, 0, 0, e, 3, now, 5, &r), MAMORI_OK, "the same batch again");
	ok(r.acked == 3 && r.stored == 0 && r.duplicates == 3, "stored once: 3 duplicates, acked 3");
	e[0] = ev(5);
	e[1] = ev(6);
	store_agent_get(db, a1, &ag);
	is_int(store_intake_batch(db, &ag, 5, 0, 0, e, 2, now, 5, &r), MAMORI_OK, "a batch with floor 5 (4 dropped)");
	is_int(r.acked, 6, "acknowledgement moves past the seq the agent dropped");
	e[0] = ev(8);
	store_agent_get(db, a1, &ag);
	store_intake_batch(db, &ag, 7, 0, 0, e, 1, now, 5, &r);
	is_int(r.acked, 6, "a hole (7 missing, floor 7): acked stays at 6");
	e[0] = ev(7);
	e[1] = ev(8);
	e[2] = ev(9);
	store_agent_get(db, a1, &ag);
	store_intake_batch(db, &ag, 7, 0, 0, e, 3, now, 5, &r);
	ok(r.acked == 9 && r.stored == 2 && r.duplicates == 1, "filling the hole acks through 9 (8 was a duplicate)");
	int64_t n = 0, max = 0;
	store_intake_count(db, a1, &n, &max);
	ok(n == 8 && max == 9, "8 events stored, seqs 1-3 and 5-9, each once");

	is_int(store_agent_revoke(db, t2, a1, now), MAMORI_E_NOTFOUND, "another tenant cannot revoke it");
	is_int(store_agent_revoke(db, 1, a1, now), MAMORI_OK, "revoked");
	snprintf(hdr, sizeof(hdr), "%lld", (long long)a1);
	is_int(agent_cred_check(db, hdr, auth, &ag), MAMORI_E_INVAL, "a revoked agent's credential: 403");
	e[0] = ev(10);
	is_int(store_intake_batch(db, &ag, 10, 0, 0, e, 1, now, 5, &r), MAMORI_E_PERM,
	    "a batch already past the check is refused in the transaction");
	remove_db(db, path);
}

/* The sensor's eve events through the intake, as api_intake wires them. */
struct applied {
	struct eve_intake in;
	int calls, fail;
};

static int
apply_eve(void *arg, struct db *db, const struct store_intake_event *e)
{
	struct applied *a = arg;
	enum eve_intake_kind kind;
	a->calls++;
	int rc = eve_intake_line(db, &a->in, e->data, e->data_len, e->ts * 1000, &kind);
	return a->fail && a->calls == a->fail ? MAMORI_E_IO : rc;
}

static int
count_dev(void *arg, const struct store_asset *d)
{
	(void)d;
	(*(int *)arg)++;
	return 0;
}

static int
count_alert(void *arg, const struct store_alert_row *r)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static int
tenant_counts(struct db *db, int64_t tenant, int *alerts)
{
	int devs = 0;
	struct store_alert_filter f = { 0 };
	*alerts = 0;
	store_asset_list(db, tenant, 100, count_dev, &devs);
	store_alert_list(db, tenant, &f, count_alert, alerts);
	return devs;
}

static void
test_eve(void)
{
	char path[] = "/tmp/mamori-t-intake-eve-XXXXXX", tok[AUTH_TOKEN_CHARS + 1];
	char sec[AUTH_TOKEN_CHARS + 1];
	static const char asset[] = "{\"event_type\":\"asset\",\"asset\":{\"mac\":\"3c:2a:f4:12:34:56\","
	    "\"ip\":\"10.78.0.2\",\"hostname\":\"shop-printer\"}}";
	static const char alert[] = "{\"event_type\":\"alert\",\"src_ip\":\"10.78.0.2\",\"dest_ip\":\"10.78.0.1\","
	    "\"alert\":{\"signature\":\"Port scan\",\"mamori\":{\"rule_id\":\"mamori.net.port_scan\","
	    "\"severity\":\"medium\",\"message\":\"10.78.0.2 probed 80 ports\","
	    "\"text\":{\"en\":{\"what\":\"a scan\",\"why\":\"y\",\"action\":\"a\"},"
	    "\"ja\":{\"what\":\"スキャン\",\"why\":\"y\",\"action\":\"a\"}}}}}";
	enum store_enrol_refusal why;
	struct store_agent ag;
	struct store_intake_result r;
	int64_t id, exp, t2 = 0, now = 2000000;
	int nalerts;
	struct db *db = open_db(path);
	if (!db)
		return;
	store_auth_tenant(db, "shop", 1, now, &t2);
	agent_cred_token_issue(db, t2, "sensor", 600, now, tok, &id, &exp);
	int64_t a = enrol(db, tok, "sensor-box", now, &why, sec);
	ok(a > 0 && store_agent_get(db, a, &ag) == MAMORI_OK && strcmp(ag.kind, "sensor") == 0,
	    "a sensor token enrols a sensor");
	struct applied ap = { .in = { .tenant_id = t2, .source = "sensor", .sensor_host = "sensor-box" },
		.fail = 2 };
	struct store_intake_event e[2] = {
		{ .seq = 1, .ts = 100, .kind = "eve", .body = "{}", .body_len = 2, .apply = apply_eve,
		  .apply_arg = &ap, .data = asset, .data_len = strlen(asset) },
		{ .seq = 2, .ts = 101, .kind = "eve", .body = "{}", .body_len = 2, .apply = apply_eve,
		  .apply_arg = &ap, .data = alert, .data_len = strlen(alert) },
	};
	ok(store_intake_batch(db, &ag, 1, 0, 0, e, 2, now, 5, &r) != MAMORI_OK,
	    "a failure applying the second event fails the batch");
	int64_t n = -1, max = -1;
	store_intake_count(db, a, &n, &max);
	ok(n == 0 && tenant_counts(db, t2, &nalerts) == 0 && nalerts == 0,
	    "and nothing of it is kept: no event, no device, no alert");
	ap.fail = 0;
	ap.calls = 0;
	is_int(store_intake_batch(db, &ag, 1, 0, 0, e, 2, now, 5, &r), MAMORI_OK, "the batch again");
	ok(r.acked == 2 && r.stored == 2 && r.applied == 2 && ap.calls == 2, "both events stored and applied");
	ok(tenant_counts(db, t2, &nalerts) == 1 && nalerts == 2,
	    "the device and two alerts (new device, port scan) in the sensor's tenant");
	int other = tenant_counts(db, 1, &nalerts);
	ok(other == 0 && nalerts == 0, "nothing in the default tenant");
	store_agent_get(db, a, &ag);
	is_int(store_intake_batch(db, &ag, 1, 0, 0, e, 2, now, 5, &r), MAMORI_OK, "a retry of the batch");
	ok(r.duplicates == 2 && r.applied == 0 && ap.calls == 2, "is two duplicates, applied nowhere");
	struct store_alert_filter f = { 0 };
	int after = 0;
	store_alert_list(db, t2, &f, count_alert, &after);
	is_int(after, 2, "still two alerts");
	static const char junk[] = "{\"event_type\":\"asset\",\"asset\":{\"mac\":\"x\"}}";
	struct store_intake_event bad = { .seq = 3, .ts = 102, .kind = "eve", .body = "{}", .body_len = 2,
		.apply = apply_eve, .apply_arg = &ap, .data = junk, .data_len = strlen(junk) };
	is_int(store_intake_batch(db, &ag, 3, 0, 0, &bad, 1, now, 5, &r), MAMORI_OK,
	    "a malformed asset line does not block the queue");
	ok(r.acked == 3 && r.stored == 1 && r.not_applied == 1, "it is kept as an event only");
	remove_db(db, path);
}

int
main(void)
{
	if (auth_init() != 0) {
		ok(false, "libsodium init");
		return done_testing();
	}
	test_decoder();
	test_enrol_parse();
	test_store();
	test_eve();
	return done_testing();
}
