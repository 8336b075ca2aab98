/*
 * flow.h - a bidirectional flow: both directions of one 5-tuple (plus VLAN),
 * with per-direction counters and the application metadata state the
 * protocol parsers keep between packets.
 */
#ifndef MAMORI_SENSOR_FLOW_H
#define MAMORI_SENSOR_FLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sensor/packet.h"

struct sensor_tls_flow;
struct smb_stream_flow;

struct flow_key {
	struct ip_addr a, b;	/* a <= b (address, then port) */
	uint16_t pa, pb;
	uint16_t vlan;
	uint8_t proto;
	uint8_t pad;
};

enum flow_app { APP_NONE = 0, APP_DNS, APP_HTTP, APP_TLS, APP_SMB, APP_RDP, APP_SSH, APP_FTP, APP_TELNET };

/* Bits of flow.done: per-flow parsing that needs to happen only once. */
#define FLOW_DONE_HTTP_REQ 0x01
#define FLOW_DONE_HTTP_RESP 0x02
#define FLOW_DONE_TLS_CH 0x04
#define FLOW_DONE_TLS_SH 0x08
#define FLOW_DONE_IOC_IP 0x10
#define FLOW_DONE_EXPOSED 0x20
#define FLOW_DONE_SCAN 0x40
#define FLOW_DONE_ICMP 0x80

/* Bits of flow.det (detect_app.c and the detectors it calls). */
#define DET_NETLOGON 0x01	/* DCE/RPC bound to Netlogon */
#define DET_SMTP_FAKE_HELO 0x02	/* EHLO named another address */
#define DET_SMTP_DONE 0x04
#define DET_MINING_DONE 0x08
#define DET_ZL_RESET 0x10	/* password reset reported */
#define DET_SMB1_DONE 0x20	/* SMBv1 seen (detect_lan) */
#define DET_RDP_DONE 0x40	/* RDP Connection Confirm seen */

#define FLOW_CLOSED_FIN_C 0x01
#define FLOW_CLOSED_FIN_S 0x02
#define FLOW_CLOSED_RST 0x04

/* No flow: the end of a hash chain or of the least-recently-seen list. */
#define FLOW_NONE UINT32_MAX

struct flow {
	/* The first 64 bytes are what a lookup and the least-recently-seen
	 * list touch (the key, and the links of this flow's neighbours): one
	 * cache line per flow instead of three. Links are pool indexes. */
	_Alignas(64) struct flow_key key;
	uint32_t hash;			/* flow_key_hash(&key) */
	uint32_t hnext;			/* hash chain; free list */
	uint32_t lprev, lnext;		/* least-recently-seen list */
	int64_t last_us;
	uint64_t id;			/* EVE flow_id */
	struct ip_addr src, dst;	/* initiator (first packet's source) */
	uint16_t sport, dport;
	uint8_t proto;
	uint8_t closed;			/* FLOW_CLOSED_* */
	uint8_t done;			/* FLOW_DONE_* */
	uint8_t app;			/* enum flow_app */
	uint8_t tcp_flags_ts, tcp_flags_tc;
	uint8_t det;			/* DET_* of the application detectors */
	uint8_t det_segs;		/* client payloads they looked at */
	bool syn_seen, synack_seen;
	bool data_ts;			/* the client's first payload byte (after its SYN) seen */
	uint32_t isn_ts;		/* the client's SYN sequence number, when syn_seen */
	uint64_t pkts_ts, pkts_tc;	/* to server (from initiator), to client */
	uint64_t bytes_ts, bytes_tc;
	uint64_t odd_bytes;		/* ICMP echo payload that is not a ping pattern */
	int64_t first_us;
	struct sensor_tls_flow *tls;	/* handshake buffers while read, else NULL */
	struct smb_stream_flow *smb;	/* SMB framing across segments (detect_lan), else NULL */
};

/* The packet's key into k; returns flow_key_hash(k). */
uint32_t flow_key_make(const struct pkt *p, struct flow_key *k, bool *swapped);
uint32_t flow_key_hash(const struct flow_key *k);
/* Keys compared as five words (a memcmp call per lookup, or byte loads,
 * cost more). */
static inline bool
flow_key_eq(const struct flow_key *x, const struct flow_key *y)
{
	uint64_t a[5], b[5];
	memcpy(a, x, sizeof(a));
	memcpy(b, y, sizeof(b));
	return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) | (a[4] ^ b[4])) == 0;
}
/* True when the packet goes from the flow's initiator to the responder. */
bool flow_pkt_to_server(const struct flow *f, const struct pkt *p);

#endif
