/*
 * detect_country.c - logins from a new country (see detect_country.h).
 */
#include "detection/detect_country.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "detection/decode_util.h"
#include "detection/window.h"

#define PROBE 16

static const struct alert_rule rule = {
	"mamori.auth.new_country", "Login from a new country", ALERT_HIGH, IR_DETECT,
	{ "An account logged in from a country it never used before",
	  "これまでと違う国からアカウントにログインがありました" },
	{ "The login came from an internet address in another country than this account's earlier logins. "
	  "Unless the person is travelling or uses a foreign VPN service, someone else may have the password.",
	  "このアカウントの以前のログインとは別の国のアドレスからログインがありました。本人が海外出張中か海外の VPN "
	  "サービスを使っているのでなければ、他人がパスワードを知っている可能性があります。" },
	{ "Ask the account owner whether they logged in from that country. If not: change the password from another "
	  "computer now, block the address, turn on multi-factor authentication, and ask your IT vendor to check what "
	  "was done with the account.",
	  "アカウントの本人に、その国からログインしたか確認してください。心当たりがなければ、別の端末から今すぐパスワードを"
	  "変更し、送信元アドレスを遮断し、多要素認証を設定してください。このアカウントで何が行われたか IT 担当業者に"
	  "確認を依頼してください。" },
};

struct detect_country {
	uint64_t *keys;		/* hash of (account, country) or (account, "*"); 0 = free */
	size_t cap;
	uint64_t evictions;
	detect_country_lookup_fn lookup;
	void *lookup_arg;
	detect_country_seen_fn on_seen;
	void *seen_arg;
	char msg[384];
};

int
detect_country_new(struct detect_country **out, size_t max_pairs, detect_country_lookup_fn lookup,
    void *lookup_arg)
{
	struct detect_country *d = calloc(1, sizeof(*d));
	if (!d)
		return MAMORI_E_NOMEM;
	d->cap = max_pairs ? max_pairs : 65536;
	d->keys = calloc(d->cap, sizeof(*d->keys));
	if (!d->keys) {
		free(d);
		return MAMORI_E_NOMEM;
	}
	d->lookup = lookup;
	d->lookup_arg = lookup_arg;
	*out = d;
	return MAMORI_OK;
}

void
detect_country_free(struct detect_country *d)
{
	if (!d)
		return;
	free(d->keys);
	free(d);
}

uint64_t
detect_country_evictions(const struct detect_country *d)
{
	return d->evictions;
}

void
detect_country_on_seen(struct detect_country *d, detect_country_seen_fn fn, void *arg)
{
	d->on_seen = fn;
	d->seen_arg = arg;
}

const struct alert_rule *
detect_country_rule(void)
{
	return &rule;
}

/* Adds key; false when it was there already. */
static bool
insert(struct detect_country *d, uint64_t key)
{
	size_t at = (size_t)(key % d->cap);
	for (size_t i = 0; i < PROBE && i < d->cap; i++) {
		size_t s = (at + i) % d->cap;
		if (d->keys[s] == key)
			return false;
		if (!d->keys[s]) {
			d->keys[s] = key;
			return true;
		}
	}
	d->keys[at] = key;
	d->evictions++;
	return true;
}

void
detect_country_load(struct detect_country *d, const char *user, const char *cc)
{
	struct span u = { user, strlen(user) };
	uint64_t ukey = window_hash(17, u);
	(void)insert(d, window_hash_cstr(ukey, "*") | 1);
	(void)insert(d, window_hash_cstr(ukey, cc) | 1);
}

size_t
detect_country_event(struct detect_country *d, const struct event *ev, detect_alert_fn fn, void *arg)
{
	struct span user, ip;
	char ips[64], cc[3] = "", u[65];
	if (!d || !event_has(ev, "event.category", "authentication") || !event_has(ev, "event.outcome", "success") ||
	    event_has(ev, "event.action", "logged-out") || !event_get(ev, "user.name", &user) || !user.len ||
	    !(event_get(ev, "source.ip", &ip) || event_get(ev, "source.address", &ip)) ||
	    !decode_is_ip(ip) || ip.len >= sizeof(ips))
		return 0;
	memcpy(ips, ip.p, ip.len);
	ips[ip.len] = '\0';
	if (d->lookup(d->lookup_arg, ips, cc) != 0 || !cc[0])
		return 0;
	uint64_t ukey = window_hash(17, user);
	bool first = insert(d, window_hash_cstr(ukey, "*") | 1);
	if (!insert(d, window_hash_cstr(ukey, cc) | 1))
		return 0;
	if (d->on_seen && user.len <= DETECT_COUNTRY_USER_MAX) {
		char full[DETECT_COUNTRY_USER_MAX + 1];
		memcpy(full, user.p, user.len);
		full[user.len] = '\0';
		d->on_seen(d->seen_arg, full, cc, ev->ts_ms);
	}
	if (first)
		return 0;
	snprintf(u, sizeof(u), "%.*s", (int)(user.len > 64 ? 64 : user.len), user.p);
	snprintf(d->msg, sizeof(d->msg), "'%s' logged in from %s, country %s, for the first time", u, ips, cc);
	struct span host = { NULL, 0 };
	char hn[128] = "";
	if (event_get(ev, "host.name", &host))
		snprintf(hn, sizeof(hn), "%.*s", (int)(host.len > 100 ? 100 : host.len), host.p);
	struct alert a = {
		.rule = &rule, .severity = rule.severity, .ts_ms = ev->ts_ms, .source_ip = ips,
		.user_name = u, .host_name = hn[0] ? hn : NULL, .message = d->msg,
	};
	fn(arg, &a);
	return 1;
}
