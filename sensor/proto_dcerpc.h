/*
 * proto_dcerpc.h - DCE/RPC over TCP (connection-oriented PDUs, little-endian
 * data representation): which interface a bind asks for, a request's
 * operation number, and for Netlogon's authentication calls the client
 * credential, where Zerologon (CVE-2020-1472) puts eight zero bytes.
 */
#ifndef MAMORI_SENSOR_PROTO_DCERPC_H
#define MAMORI_SENSOR_PROTO_DCERPC_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"

#define DCERPC_REQUEST 0
#define DCERPC_BIND 11

/* Netlogon operations (MS-NRPC 3.5.4) */
#define NRPC_REQ_CHALLENGE 4
#define NRPC_AUTHENTICATE 2
#define NRPC_AUTHENTICATE2 15
#define NRPC_AUTHENTICATE3 26
#define NRPC_PASSWORD_SET 6
#define NRPC_PASSWORD_SET2 30

struct dcerpc_pdu {
	uint8_t ptype;			/* DCERPC_* */
	uint16_t opnum;			/* request */
	bool netlogon;			/* bind: first context is Netlogon */
	struct span stub;		/* request: the call's arguments */
};

/* True when payload starts like a DCE/RPC v5 connection-oriented PDU. */
bool proto_dcerpc_is_pdu(struct span payload);
/* 0 or MAMORI_E_PARSE. */
int proto_dcerpc_parse(struct span payload, struct dcerpc_pdu *out);
/* Netlogon Authenticate/Authenticate2/3 or PasswordSet/2 arguments: the
 * 8-byte client credential (of the authenticator for PasswordSet) and the
 * computer name (UTF-16 reduced to ASCII, '?' for others). 0 or
 * MAMORI_E_PARSE. */
int proto_dcerpc_nrpc_cred(const struct dcerpc_pdu *pdu, uint8_t cred[8], char *computer,
    size_t cap);

#endif
