/*
 * packet.h - one decoded packet: what each layer decoder found, as offsets
 * and small values. Decoders fill it through a bounded cursor; nothing here
 * points outside the captured bytes, and nothing is allocated.
 */
#ifndef MAMORI_SENSOR_PACKET_H
#define MAMORI_SENSOR_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/span.h"

/* Cap on nested layers (VLAN tags, IPv6 extension headers, tunnels):
 * a crafted packet cannot make the decoder loop. */
#define DECODE_MAX_DEPTH 16
#define DECODE_MAX_VLAN 2

/* Malformed input: each one is counted and reported as an EVE anomaly. */
enum anomaly {
	ANOM_NONE = 0,
	ANOM_ETH_TRUNC,
	ANOM_VLAN_TRUNC,
	ANOM_VLAN_TOO_MANY,
	ANOM_ARP_TRUNC,
	ANOM_IPV4_TRUNC,
	ANOM_IPV4_BAD_VERSION,
	ANOM_IPV4_BAD_HLEN,
	ANOM_IPV4_BAD_TOTLEN,
	ANOM_IPV4_FRAG_OVERLAP,
	ANOM_IPV6_TRUNC,
	ANOM_IPV6_BAD_VERSION,
	ANOM_IPV6_BAD_PLEN,
	ANOM_IPV6_EXTHDR_TRUNC,
	ANOM_IPV6_TOO_DEEP,
	ANOM_TCP_TRUNC,
	ANOM_TCP_BAD_HLEN,
	ANOM_TCP_BAD_OPTLEN,
	ANOM_UDP_TRUNC,
	ANOM_UDP_BAD_LEN,
	ANOM_ICMP_TRUNC,
	ANOM_DNS_MALFORMED,
	ANOM_TLS_MALFORMED,
	ANOM_TLS_BAD_CERT,
	ANOM_HTTP_MALFORMED,
	ANOM_UNKNOWN_LINKTYPE,
	ANOM_DEFRAG_V4_OVERLAP,
	ANOM_DEFRAG_V6_OVERLAP,
	ANOM_DEFRAG_V4_TOO_LARGE,
	ANOM_DEFRAG_V6_TOO_LARGE,
	ANOM_DEFRAG_TOO_MANY,
	ANOM_DEFRAG_TIMEOUT,
	ANOM_CAPTURE_TRUNCATED,
	ANOM_CAPTURE_BAD_LENGTH,
	ANOM_CAPTURE_BAD_BLOCK,
	ANOM__COUNT
};

/* Suricata-style "decoder.ipv4.trunc_pkt" names. */
const char *anomaly_name(enum anomaly a);

enum pkt_l4 { L4_NONE = 0, L4_TCP, L4_UDP, L4_ICMP, L4_ICMP6, L4_OTHER };

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

/* An IPv4 address is kept IPv4-mapped in 16 bytes so that one key fits both. */
struct ip_addr {
	uint8_t b[16];
};

struct pkt {
	int64_t ts_us;			/* capture time, unix microseconds */
	uint32_t wire_len;		/* original length on the wire */
	uint32_t cap_len;
	const uint8_t *data;		/* the frame; cap_len bytes */

	const uint8_t *src_mac;		/* Ethernet source (6 bytes) or NULL */
	uint8_t nvlan;
	uint16_t vlan[DECODE_MAX_VLAN];
	uint16_t ethertype;
	bool is_arp;
	uint8_t ip_ver;			/* 0, 4 or 6 */
	uint8_t ip_proto;		/* transport protocol number */
	uint8_t ttl;
	bool frag;			/* IPv4/IPv6 fragment (not the first, or more follow) */
	bool frag_first;		/* offset 0, more fragments follow */
	bool frag_more;			/* more fragments follow */
	bool frag_cut;			/* captured shorter than sent: not reassembled */
	uint16_t l3_off;		/* IP header's offset in data */
	uint32_t frag_offset;		/* in bytes */
	uint32_t frag_id;		/* IPv4 id or IPv6 fragment identification */
	struct span frag_data;		/* the fragment's part of the payload */
	uint16_t ip_id;
	uint32_t ip_len;		/* IP datagram length claimed (bounded by capture) */
	struct ip_addr src, dst;
	enum pkt_l4 l4;
	uint16_t sport, dport;
	uint8_t tcp_flags;
	uint32_t tcp_seq, tcp_ack;
	uint8_t icmp_type, icmp_code;
	struct span payload;		/* L4 payload actually captured */
	enum anomaly anomaly;		/* first problem found, ANOM_NONE if clean */
	uint8_t depth;			/* layers decoded */
};

/* memset in pieces of 64 bytes: GCC compiles them to vector stores, but
 * one memset of the whole struct to "rep stos", whose start-up cost was
 * over 2% of the sensor's time (once per packet). */
static inline void
pkt_clear(struct pkt *p)
{
	char *b = (char *)p;
	size_t i = 0;
	for (; i + 64 <= sizeof(*p); i += 64)
		memset(b + i, 0, 64);
	memset(b + i, 0, sizeof(*p) - i);
}

/* ::ffff:0:0/96. Inline: asked several times per packet. */
static inline bool
ip_addr_is_v4(const struct ip_addr *a)
{
	static const uint8_t tail[4] = { 0, 0, 0xff, 0xff };
	uint64_t w0;
	uint32_t w1, t;
	memcpy(&w0, a->b, 8);
	memcpy(&w1, a->b + 8, 4);
	memcpy(&t, tail, 4);
	return w0 == 0 && w1 == t;
}
void ip_addr_set_v4(struct ip_addr *a, const uint8_t v4[4]);
/* Text form into buf (INET6_ADDRSTRLEN at least). */
const char *ip_addr_str(const struct ip_addr *a, char *buf, size_t n);
/* The same, NUL-terminated, returning its length (0 when buf is too small).
 * IPv4 is written here rather than by inet_ntop, whose printf-based IPv4
 * path showed in the sensor's profile (addresses in every event). */
size_t ip_addr_format(const struct ip_addr *a, char *buf, size_t n);
/* Dotted quad into buf (16 bytes at least), NUL-terminated; its length. */
size_t ip_addr_format_v4(const uint8_t v4[4], char *buf);
/* RFC 1918, loopback, link-local, CGNAT, ULA: "inside the office".
 * Inline: the detectors ask it of both ends of most packets. */
static inline bool
ip_addr_is_private(const struct ip_addr *a)
{
	const uint8_t *b = a->b;
	if (ip_addr_is_v4(a)) {
		const uint8_t *v = b + 12;
		return v[0] == 10 || v[0] == 127 || (v[0] == 172 && (v[1] & 0xf0) == 16) ||
		    (v[0] == 192 && v[1] == 168) || (v[0] == 169 && v[1] == 254) ||
		    (v[0] == 100 && (v[1] & 0xc0) == 64) || v[0] == 0;
	}
	static const uint8_t lo6[16] = { [15] = 1 };
	return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
	    memcmp(b, lo6, 16) == 0;
}

#endif
