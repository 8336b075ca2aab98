/* api_notify.c - notification channels of the tenant (admin only): list,
 * add, remove, and a test message sent at once. Secrets go in, never out. */
#include "manager/api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "manager/notify.h"
#include "manager/notify_channel.h"
#include "storage/db.h"
#include "storage/store_notify.h"

static void
db_failed(struct api *a, const struct api_call *c, struct http_response *r, const char *what,
    int rc)
{
	log_error(a->log, "api: %s: %s (%s)", what, err_str(rc), db_errmsg(c->db));
	http_error(r, 500, "internal", "database error");
}

void
api_notify_channels(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *arr = NULL;
	int rc = notify_channel_list_json(c->db, c->sess.tenant_id, &arr);
	if (rc != MAMORI_OK) {
		db_failed(a, c, r, "notify channels", rc);
		return;
	}
	api_reply(r, 200, arr);
}

/* The request's settings onto ch; err says which one is wrong. */
static int
settings_of(json_t *in, struct store_notify_channel *ch, char *err, size_t errsz)
{
	const char *key;
	json_t *v;
	if (!json_is_object(in)) {
		snprintf(err, errsz, "expected a JSON object of channel settings");
		return MAMORI_E_INVAL;
	}
	json_object_foreach(in, key, v) {
		const char *text = json_string_value(v);
		if (strcmp(key, "quiet_critical") == 0 && json_is_boolean(v))
			text = json_is_true(v) ? "yes" : "no";
		if (!text) {
			snprintf(err, errsz, "%.60s must be a string", key);
			return MAMORI_E_INVAL;
		}
		int rc = notify_channel_set(ch, key, text, err, errsz);
		if (rc != MAMORI_OK)
			return rc;
	}
	return notify_channel_check(ch, err, errsz);
}

void
api_notify_channel_add(struct api *a, struct api_call *c, struct http_response *r)
{
	char err[256];
	struct store_notify_channel *ch = malloc(sizeof(*ch));
	json_t *in = json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, NULL);
	if (!ch) {
		http_error(r, 500, "internal", "out of memory");
		goto out;
	}
	notify_channel_defaults(ch);
	ch->tenant_id = c->sess.tenant_id;
	if (settings_of(in, ch, err, sizeof(err)) != MAMORI_OK) {
		http_error(r, 400, "bad_request", err);
		goto out;
	}
	int rc = store_notify_channel_add(c->db, ch, c->now * 1000);
	if (rc == MAMORI_E_INVAL) {
		http_error(r, 409, "conflict", "a channel of that name exists");
		goto out;
	}
	if (rc != MAMORI_OK) {
		db_failed(a, c, r, "notify channel add", rc);
		goto out;
	}
	log_info(a->log, "api: notification channel %s (%s) added by %s", ch->name, ch->kind,
	    c->sess.user);
	struct store_notify_counts none = { 0 };
	json_t *v = notify_channel_json(ch, &none);
	if (v)
		api_reply(r, 201, v);
	else
		http_error(r, 500, "internal", "out of memory");
out:
	json_decref(in);
	if (ch)
		explicit_bzero(ch, sizeof(*ch));
	free(ch);
}

void
api_notify_channel_remove(struct api *a, struct api_call *c, struct http_response *r)
{
	int rc = store_notify_channel_remove(c->db, c->sess.tenant_id, c->id);
	if (rc == MAMORI_E_NOTFOUND) {
		http_error(r, 404, "not_found", "no such channel");
		return;
	}
	if (rc != MAMORI_OK) {
		db_failed(a, c, r, "notify channel remove", rc);
		return;
	}
	log_info(a->log, "api: notification channel %lld removed by %s", (long long)c->id,
	    c->sess.user);
	api_reply(r, 200, json_pack("{s:I}", "removed", (json_int_t)c->id));
}

void
api_notify_test(struct api *a, struct api_call *c, struct http_response *r)
{
	char err[256];
	struct store_notify_channel *ch = malloc(sizeof(*ch));
	if (!ch) {
		http_error(r, 500, "internal", "out of memory");
		return;
	}
	pthread_mutex_lock(&a->lock);
	const struct notify_config *cfg = a->notify;
	int rc = store_notify_channel_get(a->db, c->sess.tenant_id, c->id, NULL, ch);
	if (rc != MAMORI_OK && rc != MAMORI_E_NOTFOUND)
		log_error(a->log, "api: notify test: %s (%s)", err_str(rc), db_errmsg(a->db));
	pthread_mutex_unlock(&a->lock);
	if (rc == MAMORI_E_NOTFOUND)
		http_error(r, 404, "not_found", "no such channel");
	else if (rc != MAMORI_OK)
		http_error(r, 500, "internal", "database error");
	else if (!cfg)
		http_error(r, 503, "unavailable", "notifications are not set up in this server");
	else if (notify_test(cfg, ch, c->now * 1000, err, sizeof(err)) != MAMORI_OK)
		http_error(r, 502, "delivery_failed", err);
	else
		api_reply(r, 200, json_pack("{s:b}", "sent", 1));
	explicit_bzero(ch, sizeof(*ch));
	free(ch);
}
