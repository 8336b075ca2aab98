/* t_eve_intake.c - the sensor's EVE lines into the database: an alert
 * event becomes a stored alert, an asset event a network device; a device
 * new to the tenant is an alert after the learning period and not within
 * it; a known device is updated (empty fields keep what is known) and not
 * raised again; other lines are skipped; nothing is left in a transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "manager/eve_intake.h"
#include "storage/db.h"
#include "storage/store_alert.h"
#include "storage/store_asset.h"
#include "storage/store_sensor.h"
#include "tests/tap.h"

#define H (3600 * 1000LL)
#define T0 1700000000000LL

static const char asset1[] = "{\"timestamp\":\"2023-11-14T22:13:20.000000+0000\",\"event_type\":\"asset\","
    "\"asset\":{\"mac\":\"3C:2A:F4:12:34:56\",\"vendor\":\"Brother Industries, LTD.\",\"ip\":\"192.168.1.50\","
    "\"hostname\":\"shop-printer\",\"hostname_source\":\"dhcp\",\"new\":true}}";
static const char asset1_v6[] = "{\"event_type\":\"asset\",\"asset\":{\"mac\":\"3c:2a:f4:12:34:56\","
    "\"ipv6\":\"fe80::1\",\"new\":true}}";
static const char asset2[] = "{\"event_type\":\"asset\",\"asset\":{\"mac\":\"00:07:40:ab:cd:ef\","
    "\"ip\":\"192.168.1.51\",\"new\":true}}";
static const char asset3[] = "{\"event_type\":\"asset\",\"asset\":{\"mac\":\"00:07:40:ab:cd:00\","
    "\"ip\":\"192.168.1.52\",\"new\":true}}";
static const char alert1[] = "{\"event_type\":\"alert\",\"src_ip\":\"10.0.0.2\",\"dest_ip\":\"10.0.0.6\","
    "\"alert\":{\"signature\":\"Kerberoast\",\"mamori\":{\"rule_id\":\"mamori.net.kerberoast\","
    "\"severity\":\"medium\",\"message\":\"m\",\"text\":{\"en\":{\"what\":\"w\",\"why\":\"y\",\"action\":\"a\"},"
    "\"ja\":{\"what\":\"w\",\"why\":\"y\",\"action\":\"a\"}}}}}";

struct dev {
	int n;
	char hostname[64], ip[64], ipv6[64], mac[32];
};

static int
on_dev(void *arg, const struct store_asset *a)
{
	struct dev *d = arg;
	if (strcmp(a->mac, "3c:2a:f4:12:34:56") == 0) {
		snprintf(d->hostname, sizeof(d->hostname), "%s", a->hostname);
		snprintf(d->ip, sizeof(d->ip), "%s", a->ip);
		snprintf(d->ipv6, sizeof(d->ipv6), "%s", a->ipv6);
		snprintf(d->mac, sizeof(d->mac), "%s", a->mac);
	}
	d->n++;
	return 0;
}

struct cnt {
	int n, new_device;
};

static int
on_alert(void *arg, const struct store_alert_row *r)
{
	struct cnt *c = arg;
	c->n++;
	if (strcmp(r->rule_id, "mamori.net.new_device") == 0)
		c->new_device++;
	return 0;
}

static struct cnt
alerts(struct db *db)
{
	struct cnt c = { 0 };
	struct store_alert_filter f = { 0 };
	store_alert_list(db, 1, &f, on_alert, &c);
	return c;
}

static int
feed(struct db *db, const char *line, int64_t now, int64_t learn, enum eve_intake_kind *k)
{
	struct eve_intake in = { .tenant_id = 1, .source = "sensor", .sensor_host = "box",
		.learn_ms = learn };
	return eve_intake_line(db, &in, line, strlen(line), now, k);
}

struct stats_seen {
	int n;
	char sensor[32], json[128];
	int64_t updated_at;
};

static int
on_stats(void *arg, const struct store_sensor_stats *st)
{
	struct stats_seen *ss = arg;
	ss->n++;
	snprintf(ss->sensor, sizeof(ss->sensor), "%s", st->sensor);
	snprintf(ss->json, sizeof(ss->json), "%s", st->stats_json);
	ss->updated_at = st->updated_at;
	return 0;
}

int
main(void)
{
	char path[] = "/tmp/mamori-t-eve-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	char err[256];
	struct db *db;
	enum eve_intake_kind k;
	if (db_open(path, false, &db, err, sizeof(err)) != MAMORI_OK) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	is_int(feed(db, asset1, T0, 24 * H, &k), MAMORI_OK, "first device stored");
	is_int(k, EVE_INTAKE_ASSET, "within the learning period: baseline, no alert");
	is_int(alerts(db).new_device, 0, "no new-device alert");
	is_int(feed(db, asset2, T0 + 25 * H, 24 * H, &k), MAMORI_OK, "second device after 25 h");
	is_int(k, EVE_INTAKE_NEW_DEVICE, "after the learning period: a new device");
	is_int(alerts(db).new_device, 1, "one new-device alert stored");
	is_int(feed(db, asset2, T0 + 26 * H, 24 * H, &k), MAMORI_OK, "the same device again");
	is_int(k, EVE_INTAKE_ASSET, "a known device is not new");
	is_int(feed(db, asset1_v6, T0 + 27 * H, 24 * H, &k), MAMORI_OK, "an update with only an IPv6 address");
	struct dev d = { 0 };
	is_int(store_asset_list(db, 1, 100, on_dev, &d), MAMORI_OK, "list");
	is_int(d.n, 2, "two devices");
	is_str(d.mac, "3c:2a:f4:12:34:56", "MAC stored lower-case");
	is_str(d.hostname, "shop-printer", "the name is kept");
	is_str(d.ip, "192.168.1.50", "the IPv4 address is kept");
	is_str(d.ipv6, "fe80::1", "the IPv6 address is added");
	is_int(feed(db, asset3, T0 + 28 * H, 0, &k), MAMORI_OK, "learning period 0");
	is_int(k, EVE_INTAKE_NEW_DEVICE, "learning period 0: every new device is raised");
	is_int(feed(db, alert1, T0, 0, &k), MAMORI_OK, "an EVE alert");
	is_int(k, EVE_INTAKE_ALERT, "becomes a stored alert");
	is_int(alerts(db).n, 3, "three alerts in all");
	is_int(feed(db, "{\"event_type\":\"flow\"}", T0, 0, &k), MAMORI_OK, "a flow event");
	is_int(k, EVE_INTAKE_SKIPPED, "is skipped");
	is_int(feed(db, "{\"event_type\":\"stats\",\"stats\":{\"decoder\":{\"pkts\":20}}}", T0 + 2000, 0, &k),
	    MAMORI_OK, "a stats event");
	is_int(k, EVE_INTAKE_STATS, "is kept as the sensor's statistics");
	is_int(feed(db, "{\"event_type\":\"stats\",\"stats\":{\"decoder\":{\"pkts\":10}}}", T0 + 1000, 0, &k),
	    MAMORI_OK, "an older stats event replayed late");
	struct stats_seen ss = { 0 };
	is_int(store_sensor_stats_list(db, 1, on_stats, &ss), MAMORI_OK, "sensors listed");
	ok(ss.n == 1 && strcmp(ss.sensor, "box") == 0 && ss.updated_at == T0 + 2000 &&
	    strcmp(ss.json, "{\"decoder\":{\"pkts\":20}}") == 0,
	    "one row for the sensor host: the newer statistics stay (%d, %s)", ss.n, ss.json);
	is_int(feed(db, "{\"event_type\":\"stats\",\"stats\":3}", T0, 0, &k), MAMORI_E_PARSE,
	    "stats that are not an object: a parse error");
	is_int(feed(db, "not json", T0, 0, &k), MAMORI_E_PARSE, "garbage is a parse error");
	is_int(feed(db, "{\"event_type\":\"asset\",\"asset\":{\"mac\":\"x\"}}", T0, 0, &k), MAMORI_E_PARSE,
	    "an asset without a MAC is a parse error");
	is_int(db_begin(db), MAMORI_OK, "no transaction was left open");
	db_rollback(db);
	db_close(db);
	unlink(path);
	return done_testing();
}
