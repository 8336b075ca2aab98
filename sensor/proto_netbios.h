/*
 * proto_netbios.h - NetBIOS names (RFC 1002 "first-level encoding": each
 * of 16 bytes as two letters A-P) from the question name of a NetBIOS
 * name service packet, which proto_dns parses like any DNS message.
 */
#ifndef MAMORI_SENSOR_PROTO_NETBIOS_H
#define MAMORI_SENSOR_PROTO_NETBIOS_H

#include <stdint.h>

/* NBNS opcodes of a host announcing its own name. */
#define NBNS_OP_REGISTRATION 5
#define NBNS_OP_REFRESH 8
#define NBNS_OP_REFRESH_ALT 9

/* "FEEFFDFECACA...AA" (optionally followed by ".scope") -> "WORKSTATION"
 * (15 bytes, trailing spaces cut) and the 16th byte as suffix. 0 or
 * MAMORI_E_PARSE. */
int proto_netbios_name(const char *encoded, char out[16], uint8_t *suffix);

#endif
