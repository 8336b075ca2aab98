/*
 * proto_dhcp.h - DHCPv4 (RFC 2131/2132) as asset discovery wants it: the
 * client's MAC, the message type, the address asked for or assigned, and
 * the host name (option 12) and vendor class (option 60) it announces.
 */
#ifndef MAMORI_SENSOR_PROTO_DHCP_H
#define MAMORI_SENSOR_PROTO_DHCP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"

struct dhcp_msg {
	uint8_t op;			/* 1 request, 2 reply */
	uint8_t type;			/* option 53: 1 discover .. 8 inform, 0 none */
	uint32_t xid;
	uint8_t chaddr[6];
	uint8_t ciaddr[4], yiaddr[4], requested[4];
	bool has_requested;
	char hostname[64];		/* printable ASCII, others as '?' */
	char vendor_class[128];
};

/* 0 or MAMORI_E_PARSE (not Ethernet DHCP, bad options). */
int proto_dhcp_parse(struct span udp_payload, struct dhcp_msg *out);
/* "discover", "offer", "request", ... or "unknown". */
const char *proto_dhcp_type_name(uint8_t type);

#endif
