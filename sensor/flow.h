/*
 * flow.h - a bidirectional flow: both directions of one 5-tuple (plus VLAN),
 * with per-direction counters and the application metadata state the
 * protocol parsers keep between packets.
 */
#ifndef MAMORI_SENSOR_FLOW_H
#define MAMORI_SENSOR_FLOW_H

#include <stdbool.h>
#include <stdint.h>

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

struct flow {
	struct flow_key key;
	uint64_t id;			/* EVE flow_id */
	uint32_t hash;			/* flow_key_hash(&key) */
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
	int64_t first_us, last_us;
	struct sensor_tls_flow *tls;	/* handshake buffers while read, else NULL */
	struct smb_stream_flow *smb;	/* SMB framing across segments (detect_lan), else NULL */
	/* table links: hash chain and least-recently-seen list */
	struct flow *hnext;
	struct flow *lprev, *lnext;
};

void flow_key_make(const struct pkt *p, struct flow_key *k, bool *swapped);
uint32_t flow_key_hash(const struct flow_key *k);
/* True when the packet goes from the flow's initiator to the responder. */
bool flow_pkt_to_server(const struct flow *f, const struct pkt *p);

#endif
