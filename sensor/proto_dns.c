/* proto_dns.c - DNS message parser over a bounded cursor. */
#include "sensor/proto_dns.h"

#include <arpa/inet.h>
#include <string.h>

#include "common/err.h"
#include "sensor/packet.h"

/* Escapes like tshark/Suricata would not: we keep printable ASCII as is and
 * write other bytes as \xNN so that names stay one line of text. */
static bool
dns_plain(uint8_t ch)
{
	return ch > 0x20 && ch < 0x7f;
}

/* True when all 8 bytes at b are plain: a byte below 0x21 borrows into
 * its high bit when 0x21 is taken from it, one at 0x7f or above has its
 * high bit set once 1 is added. A borrow or carry crossing into the next
 * byte only happens where a byte already failed, so the answer is exact. */
static inline bool
dns_plain8(const uint8_t *b)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t x;
	memcpy(&x, b, 8);
	return (((x - ones * 0x21) & ~x) | (x + ones) | x) & highs ? false : true;
}

static int
append_label(char *out, size_t *olen, const uint8_t *lab, size_t n)
{
	static const char hexd[] = "0123456789abcdef";
	/* room checked once, not per byte: at worst 4 bytes out per byte in,
	 * and only near the cap is the exact length counted */
	if (*olen + 4 * n >= DNS_NAME_MAX) {
		size_t need = 0;
		for (size_t i = 0; i < n; i++)
			need += dns_plain(lab[i]) ? 1 : 4;
		if (*olen + need >= DNS_NAME_MAX)
			return MAMORI_E_PARSE;
	}
	size_t k = *olen;
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = lab[i];
		if (i + 8 <= n && dns_plain8(lab + i)) {
			memcpy(out + k, lab + i, 8);
			k += 8;
			i += 7;
		} else if (dns_plain(ch)) {
			out[k++] = (char)ch;
		} else {
			out[k] = '\\';
			out[k + 1] = 'x';
			out[k + 2] = hexd[ch >> 4];
			out[k + 3] = hexd[ch & 15];
			k += 4;
		}
	}
	*olen = k;
	return MAMORI_OK;
}

/* Reads a possibly compressed name at *off; *off moves past the name as it
 * appears in place (a pointer counts two bytes). */
static int
read_name(const uint8_t *m, size_t len, size_t *off, char *out)
{
	size_t pos = *off, olen = 0, wire = 0;
	int jumps = 0;
	bool jumped = false;
	out[0] = '\0';
	for (;;) {
		if (pos >= len)
			return MAMORI_E_PARSE;
		uint8_t l = m[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 1 >= len || ++jumps > DNS_MAX_JUMPS)
				return MAMORI_E_PARSE;
			size_t to = (size_t)(l & 0x3f) << 8 | m[pos + 1];
			if (!jumped)
				*off = pos + 2;
			jumped = true;
			if (to >= len)
				return MAMORI_E_PARSE;
			pos = to;
			continue;
		}
		if (l & 0xc0)
			return MAMORI_E_PARSE;	/* 0x40/0x80: obsolete label types */
		pos++;
		if (l == 0)
			break;
		if (pos + l > len)
			return MAMORI_E_PARSE;
		wire += (size_t)l + 1;
		if (wire > 255)
			return MAMORI_E_PARSE;
		if (olen > 0) {
			if (olen + 1 >= DNS_NAME_MAX)
				return MAMORI_E_PARSE;
			out[olen++] = '.';
		}
		if (append_label(out, &olen, m + pos, l) != 0)
			return MAMORI_E_PARSE;
		pos += l;
	}
	out[olen] = '\0';
	if (!jumped)
		*off = pos;
	return MAMORI_OK;
}

static uint16_t
get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void
rdata_text(const uint8_t *m, size_t len, size_t rd, uint16_t rdlen, uint16_t type,
    char *out)
{
	out[0] = '\0';
	const uint8_t *d = m + rd;
	switch (type) {
	case 1:
		if (rdlen == 4)
			ip_addr_format_v4(d, out);
		break;
	case 28:
		if (rdlen == 16)
			inet_ntop(AF_INET6, d, out, DNS_NAME_MAX);
		break;
	case 2: case 5: case 12: {
		size_t o = rd;
		if (read_name(m, len, &o, out) != 0)
			out[0] = '\0';
		break;
	}
	case 15: {
		size_t o = rd + 2;
		if (rdlen < 3 || read_name(m, len, &o, out) != 0)
			out[0] = '\0';
		break;
	}
	case 16: {
		/* first character-string only; enough to see what is carried */
		if (rdlen >= 1) {
			size_t n = d[0], olen = 0;
			if (n > (size_t)rdlen - 1)
				n = (size_t)rdlen - 1;
			if (n > 120)
				n = 120;
			if (append_label(out, &olen, d + 1, n) == 0)
				out[olen] = '\0';
			else
				out[0] = '\0';
		}
		break;
	}
	default:
		break;
	}
}

int
proto_dns_parse(struct span span, struct dns_msg *out)
{
	const uint8_t *m = (const uint8_t *)span.p;
	size_t len = span.len;
	/* the header fields only: the names are written as they are read
	 * (clearing the 1 KiB question name per message cost more) */
	memset(out, 0, offsetof(struct dns_msg, qname));
	out->qname[0] = '\0';
	out->qtype = 0;
	out->nextra = 0;
	out->nanswers = 0;
	if (len < 12)
		return MAMORI_E_PARSE;
	out->id = get16(m);
	uint16_t flags = get16(m + 2);
	out->response = (flags & 0x8000) != 0;
	out->opcode = (flags >> 11) & 0x0f;
	out->rcode = flags & 0x0f;
	out->qdcount = get16(m + 4);
	out->ancount = get16(m + 6);
	size_t off = 12;
	/* Only the first question matters in practice; read past the rest. */
	for (unsigned i = 0; i < out->qdcount && i < 16; i++) {
		/* straight into its place: a copy of the 1 KiB buffer per
		 * question cost more than the name */
		char skip[DNS_NAME_MAX];
		bool keep = i == 0 || out->nextra < DNS_MAX_QUESTIONS - 1;
		char *name = i == 0 ? out->qname : keep ? out->extra_qname[out->nextra] : skip;
		if (read_name(m, len, &off, name) != 0 || off + 4 > len)
			return MAMORI_E_PARSE;
		if (i == 0) {
			out->qtype = get16(m + off);
			out->has_query = true;
		} else if (keep) {
			out->extra_qtype[out->nextra++] = get16(m + off);
		}
		off += 4;
	}
	if (out->qdcount > 16)
		return MAMORI_OK;	/* not a real query; header info only */
	for (unsigned i = 0; i < out->ancount && out->nanswers < DNS_MAX_ANSWERS; i++) {
		struct dns_answer *a = &out->answers[out->nanswers];
		if (read_name(m, len, &off, a->rrname) != 0 || off + 10 > len)
			return MAMORI_E_PARSE;
		a->rrtype = get16(m + off);
		a->ttl = (uint32_t)get16(m + off + 4) << 16 | get16(m + off + 6);
		uint16_t rdlen = get16(m + off + 8);
		off += 10;
		if (off + rdlen > len)
			return MAMORI_E_PARSE;
		rdata_text(m, len, off, rdlen, a->rrtype, a->rdata);
		off += rdlen;
		out->nanswers++;
	}
	return MAMORI_OK;
}

const char *
proto_dns_type_name(uint16_t t)
{
	switch (t) {
	case 1: return "A";
	case 2: return "NS";
	case 5: return "CNAME";
	case 6: return "SOA";
	case 10: return "NULL";
	case 12: return "PTR";
	case 15: return "MX";
	case 16: return "TXT";
	case 28: return "AAAA";
	case 33: return "SRV";
	case 35: return "NAPTR";
	case 41: return "OPT";
	case 43: return "DS";
	case 46: return "RRSIG";
	case 47: return "NSEC";
	case 48: return "DNSKEY";
	case 64: return "SVCB";
	case 65: return "HTTPS";
	case 255: return "ANY";
	default: return NULL;
	}
}

const char *
proto_dns_rcode_name(uint8_t r)
{
	static const char *const n[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
	    "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE" };
	return r < sizeof(n) / sizeof(n[0]) ? n[r] : "UNKNOWN";
}
