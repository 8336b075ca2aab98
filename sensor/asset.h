/*
 * asset.h - passive asset discovery: every device seen sending on the LAN
 * (by Ethernet source address, with a private or link-local source IP or
 * an ARP announcement), its vendor from the OUI table, its addresses and
 * the names it gives itself (DHCP host name and vendor class, mDNS/LLMNR
 * answers about its own address, NetBIOS registrations). A device is an
 * "asset" event when it first appears ("new": true) and again when a name
 * or its first address of a family is learnt. Fixed capacity: devices
 * beyond it are counted, not tracked.
 */
#ifndef MAMORI_SENSOR_ASSET_H
#define MAMORI_SENSOR_ASSET_H

#include <stdbool.h>
#include <stdint.h>

#include "sensor/eve.h"
#include "sensor/packet.h"

#define ASSET_CAP 8192

struct asset {
	uint8_t mac[6];
	bool used, has4, has6;
	struct ip_addr ip4, ip6;
	char name[64];
	const char *name_source;	/* "dhcp", "mdns", "llmnr", "netbios" */
	char vendor_class[128];
	int64_t first_us, last_us;
};

struct asset_table {
	struct asset *slots;		/* ASSET_CAP, open addressing */
	size_t n;
	uint64_t dropped;
	struct asset *last;		/* the previous packet's device */
};

int asset_table_init(struct asset_table *t);
void asset_table_free(struct asset_table *t);
/* What a decoded packet shows: a device and its address. */
void asset_learn_packet(struct asset_table *t, struct eve *e, const struct pkt *p);
/* A name the device with this MAC gave itself. */
void asset_learn_name(struct asset_table *t, struct eve *e, const uint8_t mac[6], int64_t ts_us,
    const char *name, const char *source);
void asset_learn_vendor_class(struct asset_table *t, struct eve *e, const uint8_t mac[6],
    int64_t ts_us, const char *vendor_class);

#endif
