/* proto_ident.c - SSH, SMB and RDP handshakes. */
#include "sensor/proto_ident.h"

#include <string.h>

#include "common/err.h"
#include "sensor/flow.h"

uint8_t
proto_ident_tcp(struct span s)
{
	const uint8_t *b = (const uint8_t *)s.p;
	if (s.len >= 8 && memcmp(b, "SSH-", 4) == 0 && (b[4] == '1' || b[4] == '2'))
		return APP_SSH;
	/* NetBIOS session message (type 0), 17-bit length, then the SMB id */
	if (s.len >= 8 && b[0] == 0 && (b[1] & 0xfe) == 0 && (b[5] == 'S' && b[6] == 'M' &&
	    b[7] == 'B') && (b[4] == 0xff || b[4] == 0xfe || b[4] == 0xfd)) {
		size_t len = (size_t)b[1] << 16 | (size_t)b[2] << 8 | b[3];
		if (len >= 4)
			return APP_SMB;
	}
	/* TPKT v3, length >= 11, X.224 length indicator, then CR (0xe0) or
	 * CC (0xd0) */
	if (s.len >= 11 && b[0] == 3 && b[1] == 0) {
		size_t tlen = (size_t)b[2] << 8 | b[3];
		uint8_t code = b[5] & 0xf0;
		if (tlen >= 11 && b[4] + 5u <= tlen && (code == 0xe0 || code == 0xd0))
			return APP_RDP;
	}
	return 0;
}

int
proto_ident_rdp_confirm(struct span s, uint32_t *protocol)
{
	const uint8_t *b = (const uint8_t *)s.p;
	if (proto_ident_tcp(s) != APP_RDP || (b[5] & 0xf0) != 0xd0)
		return MAMORI_E_PARSE;
	size_t tlen = (size_t)b[2] << 8 | b[3];
	*protocol = RDP_NEG_NONE;
	/* RDP_NEG_RSP (2) or RDP_NEG_FAILURE (3) after the 7-byte X.224 CC */
	if (tlen >= 19 && s.len >= 19 && b[4] >= 14 && b[13] == 8 && b[14] == 0) {
		uint32_t v = (uint32_t)b[15] | (uint32_t)b[16] << 8 | (uint32_t)b[17] << 16 |
		    (uint32_t)b[18] << 24;
		if (b[11] == 2)
			*protocol = v;
		else if (b[11] == 3)
			*protocol = RDP_NEG_FAILED;
	}
	return MAMORI_OK;
}

int
proto_ident_ssh_banner(struct span s, struct span *proto, struct span *software)
{
	size_t end = 0;
	while (end < s.len && end < 255 && s.p[end] != '\r' && s.p[end] != '\n')
		end++;
	if (end < 8 || memcmp(s.p, "SSH-", 4) != 0)
		return MAMORI_E_PARSE;
	struct span line = { s.p + 4, end - 4 };
	size_t dash = span_find(line, '-');
	if (dash == 0 || dash >= line.len)
		return MAMORI_E_PARSE;
	*proto = (struct span){ line.p, dash };
	struct span rest = { line.p + dash + 1, line.len - dash - 1 };
	size_t sp = span_find(rest, ' ');
	*software = (struct span){ rest.p, sp < rest.len ? sp : rest.len };
	return MAMORI_OK;
}
