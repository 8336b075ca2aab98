/*
 * decode.h - the decode chain: link layer -> VLAN -> ARP/IPv4/IPv6 ->
 * TCP/UDP/ICMP. Each layer is a function over a bounded cursor positioned at
 * its header; it fills struct pkt and calls the next layer. Malformed input
 * sets pkt->anomaly and stops decoding; it is never an error to the caller.
 */
#ifndef MAMORI_SENSOR_DECODE_H
#define MAMORI_SENSOR_DECODE_H

#include "common/span.h"
#include "sensor/packet.h"

/* Link types we decode (the DLT_* values libpcap reports). */
#define LINKTYPE_NULL 0
#define LINKTYPE_ETHERNET 1
#define LINKTYPE_RAW 101
#define LINKTYPE_LINUX_SLL 113
#define LINKTYPE_IPV4 228
#define LINKTYPE_IPV6 229

/* Decodes a whole frame; pkt->data/cap_len/wire_len/ts_us must be set. */
void decode_packet(int linktype, struct pkt *p);

void decode_eth(struct cursor *c, struct pkt *p);
/* From the ethertype on (after Ethernet, VLAN tags or SLL). */
void decode_ethertype(struct cursor *c, struct pkt *p, uint16_t type);
void decode_vlan(struct cursor *c, struct pkt *p);
void decode_arp(struct cursor *c, struct pkt *p);
void decode_ipv4(struct cursor *c, struct pkt *p);
void decode_ipv6(struct cursor *c, struct pkt *p);
void decode_tcp(struct cursor *c, struct pkt *p);
void decode_udp(struct cursor *c, struct pkt *p);
void decode_icmp(struct cursor *c, struct pkt *p);
/* Records the first anomaly; later ones in the same packet are ignored. */
void decode_anomaly(struct pkt *p, enum anomaly a);

#endif
