/* t_decode_packet.c - the decode chain and app parsers on hand-built packets. */
#include <string.h>

#include "common/err.h"
#include "sensor/decode.h"
#include "sensor/proto_dns.h"
#include "sensor/proto_http.h"
#include "sensor/proto_tls.h"
#include "tests/tap.h"

static void
run(const uint8_t *b, size_t n, struct pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->data = b;
	p->cap_len = p->wire_len = (uint32_t)n;
	decode_packet(LINKTYPE_ETHERNET, p);
}

static const uint8_t eth_ip[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
	0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 192, 168, 1, 10, 8, 8, 8, 8,
	0x30, 0x39, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0,	/* Ethernet padding: not payload */
};

static void
test_ipv4_tcp(void)
{
	struct pkt p;
	char a[64];
	run(eth_ip, sizeof(eth_ip), &p);
	is_int(p.anomaly, ANOM_NONE, "clean IPv4/TCP SYN");
	is_int(p.ip_ver, 4, "IPv4");
	is_int(p.l4, L4_TCP, "TCP");
	is_int(p.sport, 12345, "source port");
	is_int(p.dport, 443, "dest port");
	is_int(p.tcp_flags, TCP_SYN, "SYN flag");
	is_int(p.payload.len, 0, "padding is not payload (cut to IP total length)");
	is_str(ip_addr_str(&p.src, a, sizeof(a)), "192.168.1.10", "source address");
	ok(ip_addr_is_private(&p.src) && !ip_addr_is_private(&p.dst), "private vs public");

	for (size_t n = 0; n < sizeof(eth_ip) - 6; n++) {
		run(eth_ip, n, &p);
		if (p.anomaly == ANOM_NONE) {
			ok(0, "truncation at %zu bytes flagged", n);
			return;
		}
	}
	ok(1, "every truncation of the headers is an anomaly");

	uint8_t b[sizeof(eth_ip)];
	memcpy(b, eth_ip, sizeof(b));
	b[14] = 0x44;	/* IHL 4 */
	run(b, sizeof(b), &p);
	is_int(p.anomaly, ANOM_IPV4_BAD_HLEN, "IHL < 5 is an anomaly");
	memcpy(b, eth_ip, sizeof(b));
	b[17] = 10;	/* total length < header */
	run(b, sizeof(b), &p);
	is_int(p.anomaly, ANOM_IPV4_BAD_TOTLEN, "total length < header length");
	memcpy(b, eth_ip, sizeof(b));
	b[46] = 0x40;	/* TCP data offset 4 */
	run(b, sizeof(b), &p);
	is_int(p.anomaly, ANOM_TCP_BAD_HLEN, "TCP data offset < 5");
	memcpy(b, eth_ip, sizeof(b));
	b[20] = 0x00; b[21] = 0x10;	/* fragment offset 16 */
	run(b, sizeof(b), &p);
	ok(p.frag && !p.frag_first && p.l4 == L4_NONE, "later fragment: counted, no L4");
	memcpy(b, eth_ip, sizeof(b));
	b[20] = 0x20;	/* MF, offset 0 */
	run(b, sizeof(b), &p);
	ok(p.frag && p.frag_first && p.frag_more && p.l4 == L4_NONE && p.frag_data.len == 20 &&
	    p.frag_offset == 0 && p.frag_id == 1 && p.l3_off == 14,
	    "first fragment: its data kept for reassembly, transport read after");
}

static void
test_vlan_ipv6(void)
{
	/* QinQ + IPv6 with hop-by-hop, then UDP (and then a fragment header) */
	uint8_t b[200] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0xa8,
		0x00, 0x0a, 0x81, 0x00, 0x00, 0x14, 0x86, 0xdd };
	size_t o = 22;
	uint8_t ip6[40] = { 0x60, 0, 0, 0, 0, 8 + 8 + 8 + 4, 0, 64 };
	ip6[8] = 0xfe; ip6[9] = 0x80; ip6[23] = 1;
	ip6[24] = 0x20; ip6[25] = 0x01; ip6[26] = 0x0d; ip6[27] = 0xb8; ip6[39] = 2;
	memcpy(b + o, ip6, 40);
	o += 40;
	uint8_t hbh[8] = { 17, 0, 1, 4, 0, 0, 0, 0 };
	memcpy(b + o, hbh, 8);
	o += 8;
	const uint8_t udp[12] = { 0x13, 0x88, 0x00, 0x35, 0, 12, 0, 0, 'a', 'b', 'c', 'd' };
	memcpy(b + o, udp, 12);
	o += 12;
	b[22 + 5] = 8 + 12;
	struct pkt p;
	run(b, o, &p);
	is_int(p.anomaly, ANOM_NONE, "QinQ IPv6 ext headers clean");
	is_int(p.nvlan, 2, "two VLAN tags");
	is_int(p.vlan[0], 10, "outer VLAN id");
	is_int(p.vlan[1], 20, "inner VLAN id");
	is_int(p.ip_ver, 6, "IPv6");
	is_int(p.l4, L4_UDP, "UDP after the extension headers");
	is_int(p.dport, 53, "UDP dest port");
	is_int(p.payload.len, 4, "UDP payload length");
	/* the same with a fragment header after hop-by-hop */
	const uint8_t frag[8] = { 17, 0, 0, 1, 0, 0, 0, 9 };	/* offset 0, M */
	hbh[0] = 44;
	memcpy(b + 62, hbh, 8);
	memcpy(b + 70, frag, 8);
	memcpy(b + 78, udp, 12);
	b[22 + 5] = 8 + 8 + 12;
	run(b, 90, &p);
	ok(p.frag && p.frag_first && p.frag_more && p.frag_id == 9 && p.ip_proto == 17 &&
	    p.frag_data.len == 12 && p.l4 == L4_NONE, "IPv6 fragment header: data kept for reassembly");

	/* an endless chain of hop-by-hop headers hits the depth cap */
	uint8_t deep[14 + 40 + 8 * 40] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x86, 0xdd,
		0x60, 0, 0, 0, 0x01, 0x40, 0, 64 };
	for (size_t i = 0; i < 40; i++)
		deep[54 + i * 8] = 0;	/* next header: hop-by-hop again */
	run(deep, sizeof(deep), &p);
	is_int(p.anomaly, ANOM_IPV6_TOO_DEEP, "extension header loop capped");
	/* three VLAN tags: too many */
	uint8_t v3[40] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x81, 0, 0, 1, 0x81, 0, 0, 2,
		0x81, 0, 0, 3, 0x08, 0x00 };
	run(v3, sizeof(v3), &p);
	is_int(p.anomaly, ANOM_VLAN_TOO_MANY, "third VLAN tag is an anomaly");
}

static void
test_arp_icmp(void)
{
	uint8_t arp[42] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 0x08, 0x06,
		0, 1, 0x08, 0, 6, 4, 0, 1, 1, 2, 3, 4, 5, 6, 192, 168, 0, 7, 0, 0, 0, 0, 0, 0,
		192, 168, 0, 1 };
	struct pkt p;
	char a[64];
	run(arp, sizeof(arp), &p);
	ok(p.is_arp && p.anomaly == ANOM_NONE, "ARP request decoded");
	is_str(ip_addr_str(&p.src, a, sizeof(a)), "192.168.0.7", "ARP sender IP");
	run(arp, 30, &p);
	is_int(p.anomaly, ANOM_ARP_TRUNC, "truncated ARP");
	uint8_t icmp[14 + 20 + 12] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
		0x45, 0, 0, 32, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		8, 0, 0, 0, 0, 1, 0, 1, 'p', 'i', 'n', 'g' };
	run(icmp, sizeof(icmp), &p);
	ok(p.l4 == L4_ICMP && p.icmp_type == 8 && p.payload.len == 8, "ICMP echo with payload");
}

static void
test_dns(void)
{
	/* response: www.example.com A, answer via compression pointer */
	const uint8_t m[] = { 0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
		0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 93, 184, 216, 34 };
	struct dns_msg d;
	ok(proto_dns_parse((struct span){ (const char *)m, sizeof(m) }, &d) == 0, "DNS response parses");
	is_str(d.qname, "www.example.com", "query name");
	ok(d.response && d.rcode == 0 && d.qtype == 1, "response, NOERROR, type A");
	is_int(d.nanswers, 1, "one answer");
	is_str(d.answers[0].rdata, "93.184.216.34", "A rdata");
	is_str(d.answers[0].rrname, "www.example.com", "compressed answer name");
	is_int(d.answers[0].ttl, 3600, "TTL");
	/* a pointer to itself must not loop */
	uint8_t loop[] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1 };
	is_int(proto_dns_parse((struct span){ (const char *)loop, sizeof(loop) }, &d), MAMORI_E_PARSE,
	    "self-pointing compression is malformed, not a hang");
	/* two pointers to each other */
	uint8_t loop2[] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0xc0, 16, 1, 'b', 0xc0, 12, 0, 1, 0, 1 };
	is_int(proto_dns_parse((struct span){ (const char *)loop2, sizeof(loop2) }, &d), MAMORI_E_PARSE,
	    "pointer ping-pong is malformed");
	is_int(proto_dns_parse((struct span){ (const char *)m, 20 }, &d), MAMORI_E_PARSE, "truncated name");
	/* a name over 255 bytes */
	uint8_t big[12 + 5 * 64 + 5] = { 0, 1, 0, 0, 0, 1 };
	size_t o = 12;
	for (int i = 0; i < 5; i++) {
		big[o++] = 63;
		memset(big + o, 'a', 63);
		o += 63;
	}
	big[o++] = 0;
	is_int(proto_dns_parse((struct span){ (const char *)big, o + 4 }, &d), MAMORI_E_PARSE,
	    "name longer than 255 bytes refused");
	/* odd bytes on both sides of 8-byte boundaries (the label is copied
	 * eight plain bytes at a time): space, controls, DEL, non-ASCII */
	const uint8_t odd[] = { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		22, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 0x01, 'i', 'j', 'k', 'l', 'm', 'n', 'o', ' ',
		'q', 'r', 0x7f, 0xc3, '!', 2, '~', '-', 0, 0, 1, 0, 1 };
	ok(proto_dns_parse((struct span){ (const char *)odd, sizeof(odd) }, &d) == 0, "odd label parses");
	is_str(d.qname, "abcdefgh\\x01ijklmno\\x20qr\\x7f\\xc3!.~-", "odd bytes escaped, plain runs kept");
	/* IPv4 answers: every octet width */
	const uint8_t a4[] = { 0, 2, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0, 1, 'x', 0, 0, 1, 0, 1,
		0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 0, 9, 10, 100,
		0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 255, 255, 255, 255 };
	ok(proto_dns_parse((struct span){ (const char *)a4, sizeof(a4) }, &d) == 0 && d.nanswers == 2,
	    "two A answers");
	is_str(d.answers[0].rdata, "0.9.10.100", "one-, two- and three-digit octets");
	is_str(d.answers[1].rdata, "255.255.255.255", "largest octets");
}

static void
test_http(void)
{
	struct http_req r;
	struct http_resp s;
	const char req[] = "GET /a?id=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: curl/8\r\n\r\nbody";
	ok(proto_http_parse_request((struct span){ req, sizeof(req) - 1 }, &r) == 0, "request parses");
	ok(span_eq(r.method, "GET") && span_eq(r.uri, "/a?id=1") && span_eq(r.version, "HTTP/1.1"),
	    "request line");
	ok(span_eq(r.host, "example.com:8080") && span_eq(r.user_agent, "curl/8"), "Host and User-Agent");
	const char bad[] = "GET /nothing";
	is_int(proto_http_parse_request((struct span){ bad, sizeof(bad) - 1 }, &r), MAMORI_E_PARSE,
	    "cut request line refused");
	const char resp[] = "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n";
	ok(proto_http_parse_response((struct span){ resp, sizeof(resp) - 1 }, &s) == 0 &&
	    span_eq(s.status, "404") && span_eq(s.content_type, "text/html"), "status line");
}

static void
test_tls(void)
{
	/* ClientHello: TLS 1.2, ciphers {GREASE 0x0a0a, 0xc02b, 0x002f}, no
	 * compression, extensions: GREASE, SNI example.com, groups {0x001d, 0x0017},
	 * point formats {0} */
	const uint8_t body[] = {
		0x03, 0x03,
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
		25, 26, 27, 28, 29, 30, 31, 32,
		0,
		0, 6, 0x0a, 0x0a, 0xc0, 0x2b, 0x00, 0x2f,
		1, 0,
		0, 40,
		0x1a, 0x1a, 0, 0,
		0, 0, 0, 16, 0, 14, 0, 0, 11, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
		0, 10, 0, 6, 0, 4, 0, 0x1d, 0, 0x17,
		0, 11, 0, 2, 1, 0,
	};
	uint8_t rec[5 + 4 + sizeof(body)] = { 22, 3, 1, 0, 4 + sizeof(body), 1, 0, 0, sizeof(body) };
	memcpy(rec + 9, body, sizeof(body));
	struct tls_hello h;
	ok(proto_tls_is_handshake((struct span){ (const char *)rec, sizeof(rec) }), "handshake record");
	ok(proto_tls_parse_hello((struct span){ (const char *)rec, sizeof(rec) }, &h, NULL) == 0, "ClientHello parses");
	is_str(h.sni, "example.com", "SNI");
	is_str(h.ja3, "771,49195-47,0-10-11,29-23,0", "JA3 string without GREASE");
	/* md5("771,49195-47,0-10-11,29-23,0") */
	is_int(strlen(h.ja3_md5), 32, "JA3 MD5 is 32 hex digits");
	is_int(proto_tls_parse_hello((struct span){ (const char *)rec, sizeof(rec) - 10 }, &h, NULL),
	    MAMORI_E_LIMIT, "hello cut by the segment: asks for more");
	uint8_t bad[sizeof(rec)];
	memcpy(bad, rec, sizeof(rec));
	bad[9 + 35 + 1] = 0xff;	/* cipher list length beyond the message */
	is_int(proto_tls_parse_hello((struct span){ (const char *)bad, sizeof(bad) }, &h, NULL),
	    MAMORI_E_PARSE, "bogus cipher list length refused");
}

int
main(void)
{
	test_ipv4_tcp();
	test_vlan_ipv6();
	test_arp_icmp();
	test_dns();
	test_http();
	test_tls();
	return done_testing();
}
