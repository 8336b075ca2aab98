/* api_dash.c - the reads behind the owner's dashboard: the score over
 * time, vulnerabilities in fix-first order, the tenant's accounts, the
 * devices the network sensor saw and the sensors' own status.
 * Scoped by the tenant of the caller's session like api_read.c. */
#include "manager/api.h"

#include <jansson.h>
#include <string.h>

#include "common/err.h"
#include "storage/db.h"
#include "storage/store_asset.h"
#include "storage/store_sensor.h"
#include "storage/store_manager.h"

#define TREND_POINTS 90		/* about three months of daily scans */
#define VULN_ITEMS 500		/* the page shows the first ones; counts cover all */
#define DEVICE_ITEMS 5000	/* an office LAN has far fewer */

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
num_or_null(double v)
{
	return v >= 0 ? json_real(v) : json_null();
}

static int
add_point(void *ctx, const struct store_mgr_point *p)
{
	json_t *v = json_pack("{s:I, s:I, s:s, s:I, s:i}", "scan_id", (json_int_t)p->scan_id,
	    "host_id", (json_int_t)p->host_id, "hostname", p->hostname,
	    "started_at", (json_int_t)p->started_at, "score", p->score);
	return v && json_array_append_new(ctx, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

void
api_trend(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *arr = json_array();
	int rc = arr ? store_manager_trend(c->db, c->sess.tenant_id, TREND_POINTS, add_point,
	    arr) : MAMORI_E_NOMEM;
	api_reply_read(a, c, r, arr, rc);
}

static int
add_vuln(void *ctx, const struct store_mgr_vuln *v)
{
	json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o, s:o}",
	    "host_id", (json_int_t)v->host_id, "hostname", v->hostname,
	    "checked_at", (json_int_t)v->checked_at, "cve", v->cve, "package", v->package,
	    "state", v->state, "description", str_or_null(v->description),
	    "cvss", num_or_null(v->cvss), "severity", str_or_null(v->severity),
	    "kev", (int)v->kev, "kev_ransomware", (int)v->kev_ransomware,
	    "kev_due_date", str_or_null(v->kev_due_date),
	    "kev_required_action", str_or_null(v->kev_required_action),
	    "epss", num_or_null(v->epss), "jvn_title_ja", str_or_null(v->jvn_title_ja));
	return o && json_array_append_new(ctx, o) == 0 ? 0 : MAMORI_E_NOMEM;
}

void
api_vulns(struct api *a, struct api_call *c, struct http_response *r)
{
	struct store_mgr_vuln_counts n;
	/* The overview wants only the first few (known exploited come first). */
	int64_t limit = api_query_int(c->req, "limit", VULN_ITEMS, VULN_ITEMS);
	if (limit < 1) {
		http_error(r, 400, "bad_request", "limit is 1..500");
		return;
	}
	json_t *items = json_array();
	int rc = items ? store_manager_vuln_counts(c->db, c->sess.tenant_id, &n) : MAMORI_E_NOMEM;
	if (rc == MAMORI_OK)
		rc = store_manager_vulns(c->db, c->sess.tenant_id, (int)limit, n.kev, add_vuln,
		    items);
	json_t *doc = rc == MAMORI_OK ? json_pack("{s:I, s:I, s:I, s:I, s:O}",
	    "hosts_checked", (json_int_t)n.hosts_checked, "total", (json_int_t)n.total,
	    "kev", (json_int_t)n.kev, "fixable", (json_int_t)n.fixable, "items", items) : NULL;
	json_decref(items);
	api_reply_read(a, c, r, doc, rc);
}

static int
add_user(void *ctx, const struct store_mgr_user *u)
{
	json_t *v = json_pack("{s:I, s:s, s:s, s:I, s:o}", "id", (json_int_t)u->id,
	    "username", u->name, "role", u->role, "created_at", (json_int_t)u->created_at,
	    "last_seen", u->last_seen ? json_integer(u->last_seen) : json_null());
	return v && json_array_append_new(ctx, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

void
api_users(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *arr = json_array();
	int rc = arr ? store_manager_users(c->db, c->sess.tenant_id, add_user, arr) :
	    MAMORI_E_NOMEM;
	api_reply_read(a, c, r, arr, rc);
}

static int
add_device(void *ctx, const struct store_asset *d)
{
	json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}",
	    "id", (json_int_t)d->id, "mac", d->mac, "vendor", d->vendor, "ip", d->ip,
	    "ipv6", d->ipv6, "hostname", d->hostname, "hostname_source", d->hostname_source,
	    "dhcp_vendor_class", d->dhcp_vendor_class, "sensor", d->sensor,
	    "first_seen", (json_int_t)d->first_seen, "last_seen", (json_int_t)d->last_seen);
	return v && json_array_append_new(ctx, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

void
api_devices(struct api *a, struct api_call *c, struct http_response *r)
{
	int64_t limit = api_query_int(c->req, "limit", DEVICE_ITEMS, DEVICE_ITEMS);
	if (limit < 1) {
		http_error(r, 400, "bad_request", "limit is 1..5000");
		return;
	}
	json_t *arr = json_array();
	int rc = arr ? store_asset_list(c->db, c->sess.tenant_id, (int)limit, add_device, arr) :
	    MAMORI_E_NOMEM;
	api_reply_read(a, c, r, arr, rc);
}

/* A number at a path of the stats object, or 0. */
static json_int_t
stat_at(json_t *st, const char *a, const char *b)
{
	return json_integer_value(json_object_get(json_object_get(st, a), b));
}

/* The anomalies the sensor counted (decoder.event: one counter per kind). */
static json_int_t
anomalies(json_t *st)
{
	json_int_t n = 0;
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(json_object_get(st, "decoder"), "event"), k, v)
		n += json_integer_value(v);
	return n;
}

static int
add_sensor(void *ctx, const struct store_sensor_stats *s)
{
	json_t *st = json_loads(s->stats_json, 0, NULL);
	if (!json_is_object(st)) {
		json_decref(st);
		return 0;	/* stored by an older build: nothing to show */
	}
	json_t *v = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
	    "sensor", s->sensor, "updated_at", (json_int_t)s->updated_at,
	    "uptime_s", json_integer_value(json_object_get(st, "uptime")),
	    "packets", stat_at(st, "decoder", "pkts"), "bytes", stat_at(st, "decoder", "bytes"),
	    "kernel_drops", stat_at(st, "capture", "kernel_drops"),
	    "kernel_ifdrops", stat_at(st, "capture", "kernel_ifdrops"),
	    "invalid", stat_at(st, "decoder", "invalid"), "anomalies", anomalies(st),
	    "flows", stat_at(st, "flow", "total"), "flows_active", stat_at(st, "flow", "active"),
	    "flows_evicted", stat_at(st, "flow", "evicted"), "stats", st);
	return v && json_array_append_new(ctx, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

void
api_sensors(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *arr = json_array();
	int rc = arr ? store_sensor_stats_list(c->db, c->sess.tenant_id, add_sensor, arr) :
	    MAMORI_E_NOMEM;
	api_reply_read(a, c, r, arr, rc);
}
