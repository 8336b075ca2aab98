/* packet.c - address helpers and anomaly names for struct pkt. */
#include "sensor/packet.h"

#include <arpa/inet.h>
#include <string.h>

static const char *const anomaly_names[ANOM__COUNT] = {
	[ANOM_NONE] = "none",
	[ANOM_ETH_TRUNC] = "decoder.ethernet.pkt_too_small",
	[ANOM_VLAN_TRUNC] = "decoder.vlan.header_too_small",
	[ANOM_VLAN_TOO_MANY] = "decoder.vlan.too_many_layers",
	[ANOM_ARP_TRUNC] = "decoder.arp.pkt_too_small",
	[ANOM_IPV4_TRUNC] = "decoder.ipv4.trunc_pkt",
	[ANOM_IPV4_BAD_VERSION] = "decoder.ipv4.wrong_ip_version",
	[ANOM_IPV4_BAD_HLEN] = "decoder.ipv4.hlen_too_small",
	[ANOM_IPV4_BAD_TOTLEN] = "decoder.ipv4.iplen_smaller_than_hlen",
	[ANOM_IPV4_FRAG_OVERLAP] = "decoder.ipv4.frag_overlap",
	[ANOM_IPV6_TRUNC] = "decoder.ipv6.trunc_pkt",
	[ANOM_IPV6_BAD_VERSION] = "decoder.ipv6.wrong_ip_version",
	[ANOM_IPV6_BAD_PLEN] = "decoder.ipv6.trunc_plen",
	[ANOM_IPV6_EXTHDR_TRUNC] = "decoder.ipv6.trunc_exthdr",
	[ANOM_IPV6_TOO_DEEP] = "decoder.ipv6.exthdr_too_many",
	[ANOM_TCP_TRUNC] = "decoder.tcp.pkt_too_small",
	[ANOM_TCP_BAD_HLEN] = "decoder.tcp.hlen_too_small",
	[ANOM_TCP_BAD_OPTLEN] = "decoder.tcp.invalid_optlen",
	[ANOM_UDP_TRUNC] = "decoder.udp.pkt_too_small",
	[ANOM_UDP_BAD_LEN] = "decoder.udp.len_invalid",
	[ANOM_ICMP_TRUNC] = "decoder.icmp.pkt_too_small",
	[ANOM_DNS_MALFORMED] = "applayer.dns.malformed",
	[ANOM_TLS_MALFORMED] = "applayer.tls.malformed",
	[ANOM_TLS_BAD_CERT] = "applayer.tls.invalid_certificate",
	[ANOM_HTTP_MALFORMED] = "applayer.http.malformed",
	[ANOM_UNKNOWN_LINKTYPE] = "decoder.link.unsupported_linktype",
	[ANOM_DEFRAG_V4_OVERLAP] = "defrag.ipv4.frag_overlap",
	[ANOM_DEFRAG_V6_OVERLAP] = "defrag.ipv6.frag_overlap",
	[ANOM_DEFRAG_V4_TOO_LARGE] = "defrag.ipv4.frag_too_large",
	[ANOM_DEFRAG_V6_TOO_LARGE] = "defrag.ipv6.frag_too_large",
	[ANOM_DEFRAG_TOO_MANY] = "defrag.max_frag_hit",
	[ANOM_DEFRAG_TIMEOUT] = "defrag.timeout",
	[ANOM_CAPTURE_TRUNCATED] = "capture.file_truncated",
	[ANOM_CAPTURE_BAD_LENGTH] = "capture.bogus_length",
	[ANOM_CAPTURE_BAD_BLOCK] = "capture.bad_block",
};

const char *
anomaly_name(enum anomaly a)
{
	return (unsigned)a < ANOM__COUNT && anomaly_names[a] ? anomaly_names[a] : "unknown";
}

void
ip_addr_set_v4(struct ip_addr *a, const uint8_t v4[4])
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	memcpy(a->b, v4mapped, sizeof(v4mapped));
	memcpy(a->b + 12, v4, 4);
}

size_t
ip_addr_format_v4(const uint8_t v4[4], char *buf)
{
	size_t k = 0;
	for (int i = 0; i < 4; i++) {
		unsigned o = v4[i];
		if (i)
			buf[k++] = '.';
		if (o >= 100) {
			buf[k++] = (char)('0' + o / 100);
			o %= 100;
			buf[k++] = (char)('0' + o / 10);
		} else if (o >= 10) {
			buf[k++] = (char)('0' + o / 10);
		}
		buf[k++] = (char)('0' + o % 10);
	}
	buf[k] = '\0';
	return k;
}

size_t
ip_addr_format(const struct ip_addr *a, char *buf, size_t n)
{
	if (ip_addr_is_v4(a))
		return n >= 16 ? ip_addr_format_v4(a->b + 12, buf) : 0;
	if (!inet_ntop(AF_INET6, a->b, buf, (socklen_t)n))
		return 0;
	return strlen(buf);
}

const char *
ip_addr_str(const struct ip_addr *a, char *buf, size_t n)
{
	return ip_addr_format(a, buf, n) ? buf : "?";
}

