/* eve_intake.c - the sensor's EVE alert, asset and stats events into the database
 * (see eve_intake.h). */
#include "manager/eve_intake.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "detection/alert.h"
#include "storage/db.h"
#include "storage/store_alert.h"
#include "storage/store_asset.h"
#include "storage/store_sensor.h"

static const struct alert_rule new_device = {
	"mamori.net.new_device", "A new device joined the office network", ALERT_LOW, IR_DETECT,
	{ "A device the network sensor had never seen before appeared on the office network.",
	  "ネットワーク監視で今まで見たことのない機器が、社内ネットワークに現れました。" },
	{ "Usually it is a new PC, phone or printer. An unknown device can also be a visitor's or an intruder's machine, or a gadget someone plugged in without asking.",
	  "多くは新しいパソコン・スマートフォン・プリンタです。見覚えのない機器の場合、来訪者や侵入者の機器、無断で接続された機器の可能性もあります。" },
	{ "Check the device's name, maker and address on the assets page and confirm whose it is. If nobody knows it, disconnect it from the network (or block it on the Wi-Fi router) and call your IT support.",
	  "「機器」ページで機器の名前・メーカー・アドレスを確認し、誰の機器か確かめてください。誰も知らない機器なら、ネットワークから外す（Wi-Fiルータで接続を拒否する）うえでIT担当者に連絡してください。" },
};

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Stores an alert object (taking the reference) as its JSON line. */
static int
record(struct db *db, const struct eve_intake *in, json_t *alert, int64_t now_ms)
{
	char *text = alert ? json_dumps(alert, JSON_COMPACT) : NULL;
	json_decref(alert);
	if (!text)
		return MAMORI_E_NOMEM;
	struct store_alert_in ai = { .tenant_id = in->tenant_id, .source = in->source,
	    .host_name = in->sensor_host, .now_ms = now_ms };
	int64_t id;
	bool is_new;
	int rc = store_alert_record_json(db, &ai, text, strlen(text), &id, &is_new);
	free(text);
	return rc;
}

/* An EVE alert (sensor/eve.c) as the alert line store_alert_record_json() takes. */
static int
eve_alert(struct db *db, const struct eve_intake *in, json_t *ev, int64_t now_ms)
{
	json_t *al = json_object_get(ev, "alert");
	json_t *m = json_object_get(al, "mamori");
	if (!json_is_object(m))
		return MAMORI_E_PARSE;
	json_t *out = json_pack("{s:s, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}",
	    "event.kind", "alert", "rule.id", json_object_get(m, "rule_id"),
	    "rule.name", json_object_get(al, "signature"),
	    "severity", json_object_get(m, "severity"),
	    "source.ip", json_object_get(ev, "src_ip"),
	    "destination.ip", json_object_get(ev, "dest_ip"),
	    "message", json_object_get(m, "message"),
	    "mamori.text", json_object_get(m, "text"),
	    "mamori.ir_step", json_object_get(m, "ir_step"));
	return record(db, in, out, now_ms);
}

/* The device's address is the alert's source (IPv4, else IPv6: a device is
 * an asset only once it sent from an address), so two devices are two
 * alerts, never one counted twice. */
static int
new_device_alert(struct db *db, const struct eve_intake *in, const struct store_asset *a,
    int64_t now_ms)
{
	char msg[400];
	snprintf(msg, sizeof(msg), "new device %s%s%s%s%s%s%s", a->mac, *a->vendor ? " (" : "",
	    a->vendor, *a->vendor ? ")" : "", *a->ip ? " at " : "", a->ip,
	    *a->hostname ? " named " : "");
	size_t n = strlen(msg);
	if (*a->hostname && n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, "%.80s", a->hostname);
	json_t *extra = json_pack("{s:s}", "source.mac", a->mac);
	struct alert al = { .rule = &new_device, .severity = new_device.severity, .ts_ms = now_ms,
	    .source_ip = *a->ip ? a->ip : *a->ipv6 ? a->ipv6 : NULL, .host_name = in->sensor_host, .message = msg,
	    .extra = extra };
	json_t *o = extra ? alert_to_json(&al) : NULL;
	json_decref(extra);
	return record(db, in, o, now_ms);
}

static int
eve_asset(struct db *db, const struct eve_intake *in, json_t *ev, int64_t now_ms,
    enum eve_intake_kind *kind)
{
	json_t *o = json_object_get(ev, "asset");
	struct store_asset a = { .mac = str(o, "mac"), .vendor = str(o, "vendor"),
	    .ip = str(o, "ip"), .ipv6 = str(o, "ipv6"), .hostname = str(o, "hostname"),
	    .hostname_source = str(o, "hostname_source"),
	    .dhcp_vendor_class = str(o, "dhcp_vendor_class"), .sensor = in->sensor_host };
	if (strlen(a.mac) != 17)
		return MAMORI_E_PARSE;
	bool is_new;
	int64_t since;
	/* The device and its alert together, or neither: in a transaction of
	 * our own, or in the caller's (the intake's batch), which its caller
	 * rolls back when this fails. */
	bool own = !db_in_transaction(db);
	int rc = own ? db_begin(db) : MAMORI_OK;
	if (rc != MAMORI_OK)
		return rc;
	rc = store_asset_upsert(db, in->tenant_id, &a, now_ms, &is_new, &since);
	bool alert = rc == MAMORI_OK && is_new && now_ms - since >= in->learn_ms;
	if (alert)
		rc = new_device_alert(db, in, &a, now_ms);
	if (rc == MAMORI_OK && own)
		rc = db_commit(db);
	if (rc != MAMORI_OK) {
		if (own)
			db_rollback(db);
		return rc;
	}
	*kind = alert ? EVE_INTAKE_NEW_DEVICE : EVE_INTAKE_ASSET;
	return MAMORI_OK;
}

/* A "stats" event: kept as the sensor's newest statistics. */
static int
eve_stats(struct db *db, const struct eve_intake *in, json_t *ev, int64_t now_ms)
{
	json_t *st = json_object_get(ev, "stats");
	if (!json_is_object(st))
		return MAMORI_E_PARSE;
	char *text = json_dumps(st, JSON_COMPACT);
	if (!text)
		return MAMORI_E_NOMEM;
	int rc = store_sensor_stats_put(db, in->tenant_id, in->sensor_host, now_ms, text, strlen(text));
	free(text);
	return rc;
}

int
eve_intake_line(struct db *db, const struct eve_intake *in, const char *line, size_t len,
    int64_t now_ms, enum eve_intake_kind *kind)
{
	*kind = EVE_INTAKE_SKIPPED;
	json_t *ev = json_loadb(line, len, 0, NULL);
	if (!json_is_object(ev)) {
		json_decref(ev);
		return MAMORI_E_PARSE;
	}
	const char *type = str(ev, "event_type");
	int rc = MAMORI_OK;
	if (strcmp(type, "alert") == 0) {
		rc = eve_alert(db, in, ev, now_ms);
		if (rc == MAMORI_OK)
			*kind = EVE_INTAKE_ALERT;
	} else if (strcmp(type, "asset") == 0) {
		rc = eve_asset(db, in, ev, now_ms, kind);
	} else if (strcmp(type, "stats") == 0) {
		rc = eve_stats(db, in, ev, now_ms);
		if (rc == MAMORI_OK)
			*kind = EVE_INTAKE_STATS;
	}
	json_decref(ev);
	return rc;
}
