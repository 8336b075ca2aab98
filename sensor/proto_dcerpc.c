/* proto_dcerpc.c - DCE/RPC connection-oriented PDUs and the NDR of the
 * Netlogon calls Zerologon abuses (MS-RPCE 2.2.2, MS-NRPC 3.5.4.4). */
#include "sensor/proto_dcerpc.h"

#include <string.h>

#include "common/err.h"

/* 12345678-1234-abcd-ef00-01234567cffb as it is on the wire */
static const uint8_t netlogon_uuid[16] = { 0x78, 0x56, 0x34, 0x12, 0x34, 0x12, 0xcd, 0xab,
	0xef, 0x00, 0x01, 0x23, 0x45, 0x67, 0xcf, 0xfb };

#define PFC_OBJECT_UUID 0x80

bool
proto_dcerpc_is_pdu(struct span s)
{
	const uint8_t *b = (const uint8_t *)s.p;
	return s.len >= 16 && b[0] == 5 && b[1] == 0 && b[2] <= 19 && (b[4] & 0xf0) == 0x10;
}

int
proto_dcerpc_parse(struct span s, struct dcerpc_pdu *out)
{
	struct cursor c;
	uint8_t ver, minor, ptype, flags;
	uint16_t frag_len, auth_len;
	uint32_t drep, call;
	memset(out, 0, sizeof(*out));
	if (!proto_dcerpc_is_pdu(s))
		return MAMORI_E_PARSE;
	cursor_init(&c, s.p, s.len);
	if (cursor_u8(&c, &ver) || cursor_u8(&c, &minor) || cursor_u8(&c, &ptype) ||
	    cursor_u8(&c, &flags) || cursor_u32le(&c, &drep) || cursor_u16le(&c, &frag_len) ||
	    cursor_u16le(&c, &auth_len) || cursor_u32le(&c, &call))
		return MAMORI_E_PARSE;
	if (frag_len < 16 || frag_len > s.len)
		return MAMORI_E_PARSE;	/* only whole PDUs in one segment */
	c.len = frag_len;
	out->ptype = ptype;
	if (ptype == DCERPC_BIND) {
		uint8_t nctx;
		struct span uuid;
		if (cursor_skip(&c, 8) || cursor_u8(&c, &nctx) || cursor_skip(&c, 3) || nctx == 0 ||
		    cursor_skip(&c, 4) || cursor_bytes(&c, 16, &uuid))
			return MAMORI_E_PARSE;
		out->netlogon = memcmp(uuid.p, netlogon_uuid, 16) == 0;
		return 0;
	}
	if (ptype != DCERPC_REQUEST)
		return 0;
	if (cursor_skip(&c, 6) || cursor_u16le(&c, &out->opnum))
		return MAMORI_E_PARSE;
	if ((flags & PFC_OBJECT_UUID) && cursor_skip(&c, 16))
		return MAMORI_E_PARSE;
	size_t trailer = auth_len ? (size_t)auth_len + 8 : 0;
	if (trailer > cursor_left(&c))
		return MAMORI_E_PARSE;
	out->stub.p = (const char *)c.p + c.off;
	out->stub.len = cursor_left(&c) - trailer;
	return 0;
}

/* NDR alignment is relative to the start of the stub. */
static int
align(struct cursor *c, size_t n)
{
	size_t pad = (n - c->off % n) % n;
	return cursor_skip(c, pad);
}

/* A conformant varying UTF-16 string (max, offset, actual, chars). */
static int
ndr_wstring(struct cursor *c, char *dst, size_t cap)
{
	uint32_t max, off, actual;
	if (align(c, 4) || cursor_u32le(c, &max) || cursor_u32le(c, &off) ||
	    cursor_u32le(c, &actual) || off != 0 || actual > max || actual > 4096)
		return MAMORI_E_PARSE;
	size_t at = 0;
	for (uint32_t i = 0; i < actual; i++) {
		uint16_t ch;
		if (cursor_u16le(c, &ch))
			return MAMORI_E_PARSE;
		if (dst && at + 1 < cap && ch != 0)
			dst[at++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	if (dst && cap)
		dst[at] = '\0';
	return 0;
}

int
proto_dcerpc_nrpc_cred(const struct dcerpc_pdu *pdu, uint8_t cred[8], char *computer,
    size_t cap)
{
	struct cursor c;
	uint32_t ref;
	uint16_t chan;
	struct span cr;
	uint16_t op = pdu->opnum;
	bool pwset = op == NRPC_PASSWORD_SET || op == NRPC_PASSWORD_SET2;
	if (pdu->ptype != DCERPC_REQUEST || !(pwset || op == NRPC_AUTHENTICATE ||
	    op == NRPC_AUTHENTICATE2 || op == NRPC_AUTHENTICATE3))
		return MAMORI_E_PARSE;
	cursor_init(&c, pdu->stub.p, pdu->stub.len);
	/* PrimaryName: a unique pointer to a string */
	if (cursor_u32le(&c, &ref))
		return MAMORI_E_PARSE;
	if (ref != 0 && ndr_wstring(&c, NULL, 0))
		return MAMORI_E_PARSE;
	/* AccountName, SecureChannelType, ComputerName */
	if (ndr_wstring(&c, NULL, 0) || align(&c, 2) || cursor_u16le(&c, &chan) ||
	    ndr_wstring(&c, computer, cap))
		return MAMORI_E_PARSE;
	/* an authenticator (credential + timestamp) is 4-aligned; a bare
	 * credential is bytes */
	if (pwset && align(&c, 4))
		return MAMORI_E_PARSE;
	if (cursor_bytes(&c, 8, &cr))
		return MAMORI_E_PARSE;
	memcpy(cred, cr.p, 8);
	return 0;
}
