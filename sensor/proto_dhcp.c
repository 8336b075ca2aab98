/* proto_dhcp.c - DHCPv4 header and the options asset discovery uses. */
#include "sensor/proto_dhcp.h"

#include <string.h>

#include "common/err.h"

#define DHCP_COOKIE 0x63825363u

static void
copy_text(struct span v, char *out, size_t cap)
{
	size_t n = v.len < cap - 1 ? v.len : cap - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v.p[i];
		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	/* names are often NUL-terminated inside the option */
	while (n > 0 && out[n - 1] == '?' && v.p[n - 1] == '\0')
		n--;
	out[n] = '\0';
}

int
proto_dhcp_parse(struct span s, struct dhcp_msg *out)
{
	struct cursor c;
	uint8_t htype, hlen, hops;
	uint16_t secs, flags;
	uint32_t cookie;
	struct span ci, yi, si, gi, ch;
	memset(out, 0, sizeof(*out));
	cursor_init(&c, s.p, s.len);
	if (cursor_u8(&c, &out->op) != 0 || cursor_u8(&c, &htype) != 0 || cursor_u8(&c, &hlen) != 0 ||
	    cursor_u8(&c, &hops) != 0 || cursor_u32be(&c, &out->xid) != 0 ||
	    cursor_u16be(&c, &secs) != 0 || cursor_u16be(&c, &flags) != 0 ||
	    cursor_bytes(&c, 4, &ci) != 0 || cursor_bytes(&c, 4, &yi) != 0 ||
	    cursor_bytes(&c, 4, &si) != 0 || cursor_bytes(&c, 4, &gi) != 0 ||
	    cursor_bytes(&c, 16, &ch) != 0 || cursor_skip(&c, 192) != 0 ||
	    cursor_u32be(&c, &cookie) != 0)
		return MAMORI_E_PARSE;
	if ((out->op != 1 && out->op != 2) || htype != 1 || hlen != 6 || cookie != DHCP_COOKIE)
		return MAMORI_E_PARSE;
	memcpy(out->chaddr, ch.p, 6);
	memcpy(out->ciaddr, ci.p, 4);
	memcpy(out->yiaddr, yi.p, 4);
	while (!cursor_eof(&c)) {
		uint8_t code, len;
		struct span v;
		if (cursor_u8(&c, &code) != 0)
			return MAMORI_E_PARSE;
		if (code == 0)
			continue;
		if (code == 255)
			break;
		if (cursor_u8(&c, &len) != 0 || cursor_bytes(&c, len, &v) != 0)
			return MAMORI_E_PARSE;
		switch (code) {
		case 53:
			if (len >= 1)
				out->type = (uint8_t)v.p[0];
			break;
		case 50:
			if (len == 4) {
				memcpy(out->requested, v.p, 4);
				out->has_requested = true;
			}
			break;
		case 12:
			copy_text(v, out->hostname, sizeof(out->hostname));
			break;
		case 60:
			copy_text(v, out->vendor_class, sizeof(out->vendor_class));
			break;
		default:
			break;
		}
	}
	return MAMORI_OK;
}

const char *
proto_dhcp_type_name(uint8_t type)
{
	static const char *const n[] = { "unknown", "discover", "offer", "request", "decline",
		"ack", "nak", "release", "inform" };
	return type < sizeof(n) / sizeof(n[0]) ? n[type] : "unknown";
}
