/* asset.c - the device table and its "asset" events. */
#include "sensor/asset.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/hash.h"
#include "sensor/oui.h"

int
asset_table_init(struct asset_table *t)
{
	memset(t, 0, sizeof(*t));
	t->slots = calloc(ASSET_CAP, sizeof(*t->slots));
	return t->slots ? MAMORI_OK : MAMORI_E_NOMEM;
}

void
asset_table_free(struct asset_table *t)
{
	free(t->slots);
	t->slots = NULL;
}

static struct asset *
find(struct asset_table *t, const uint8_t mac[6], int64_t ts_us, bool *created)
{
	*created = false;
	if (t->last && memcmp(t->last->mac, mac, 6) == 0)
		return t->last;
	uint32_t h = hash_bytes(mac, 6, 0);
	for (size_t k = 0; k < ASSET_CAP; k++) {
		struct asset *a = &t->slots[(h + k) % ASSET_CAP];
		if (a->used && memcmp(a->mac, mac, 6) == 0)
			return t->last = a;
		if (!a->used) {
			/* keep a tenth free so probes stay short */
			if (t->n >= ASSET_CAP - ASSET_CAP / 10) {
				t->dropped++;
				return NULL;
			}
			a->used = true;
			memcpy(a->mac, mac, 6);
			a->first_us = ts_us;
			t->n++;
			*created = true;
			return t->last = a;
		}
	}
	return NULL;
}

static void
event(struct eve *e, const struct asset *a, int64_t ts_us, bool is_new)
{
	eve_begin(e, ts_us, "asset", NULL, NULL);
	eve_obj(e, "asset");
	eve_hex(e, "mac", a->mac, 6, ':');
	const char *v = oui_vendor(a->mac);
	if (v)
		eve_str(e, "vendor", v);
	if (a->has4)
		eve_ip(e, "ip", &a->ip4);
	if (a->has6)
		eve_ip(e, "ipv6", &a->ip6);
	if (a->name[0]) {
		eve_str(e, "hostname", a->name);
		eve_str(e, "hostname_source", a->name_source);
	}
	if (a->vendor_class[0])
		eve_str(e, "dhcp_vendor_class", a->vendor_class);
	eve_time(e, "first_seen", a->first_us);
	eve_time(e, "last_seen", a->last_us > a->first_us ? a->last_us : a->first_us);
	eve_bool(e, "new", is_new);
	eve_end(e);
}

static bool
unicast(const uint8_t *mac)
{
	static const uint8_t zero[6] = { 0 };
	return !(mac[0] & 1) && memcmp(mac, zero, 6) != 0;
}

void
asset_learn_packet(struct asset_table *t, struct eve *e, const struct pkt *p)
{
	if (!p->src_mac || !unicast(p->src_mac))
		return;
	bool arp = p->is_arp && ip_addr_is_v4(&p->src) && p->src.b[12] != 0;
	if (!arp && !(p->ip_ver && ip_addr_is_private(&p->src)))
		return;
	bool created;
	struct asset *a = find(t, p->src_mac, p->ts_us, &created);
	if (!a)
		return;
	a->last_us = p->ts_us;
	bool v4 = ip_addr_is_v4(&p->src), fresh = false;
	if (v4 && p->src.b[12] != 0) {
		fresh = !a->has4;
		a->ip4 = p->src;
		a->has4 = true;
	} else if (!v4) {
		fresh = !a->has6;
		a->ip6 = p->src;
		a->has6 = true;
	}
	if (created || fresh)
		event(e, a, p->ts_us, created);
}

/* Copies text into the device's field; false when it was already so. */
static bool
set_text(char *field, size_t cap, const char *text)
{
	if (strcmp(field, text) == 0)
		return false;
	size_t n = strlen(text);
	if (n >= cap)
		n = cap - 1;
	memcpy(field, text, n);
	field[n] = '\0';
	return true;
}

void
asset_learn_name(struct asset_table *t, struct eve *e, const uint8_t mac[6], int64_t ts_us,
    const char *name, const char *source)
{
	bool created;
	if (!unicast(mac) || !name[0])
		return;
	struct asset *a = find(t, mac, ts_us, &created);
	if (!a || !set_text(a->name, sizeof(a->name), name))
		return;
	a->name_source = source;
	a->last_us = ts_us;
	event(e, a, ts_us, created);
}

void
asset_learn_vendor_class(struct asset_table *t, struct eve *e, const uint8_t mac[6], int64_t ts_us,
    const char *vendor_class)
{
	bool created;
	if (!unicast(mac) || !vendor_class[0])
		return;
	struct asset *a = find(t, mac, ts_us, &created);
	if (!a || !set_text(a->vendor_class, sizeof(a->vendor_class), vendor_class))
		return;
	a->last_us = ts_us;
	event(e, a, ts_us, created);
}
