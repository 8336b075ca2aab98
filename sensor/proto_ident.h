/*
 * proto_ident.h - SSH, SMB and RDP recognised by the first bytes of a TCP
 * payload, on any port: the SSH version banner, the NetBIOS session header
 * followed by an SMB1/SMB2/SMB3 protocol id, and an RDP (X.224 over TPKT)
 * connection request or confirm.
 */
#ifndef MAMORI_SENSOR_PROTO_IDENT_H
#define MAMORI_SENSOR_PROTO_IDENT_H

#include <stdint.h>

#include "common/span.h"

/* enum flow_app value (APP_SSH, APP_SMB, APP_RDP) or 0. */
uint8_t proto_ident_tcp(struct span payload);
/* The protocol an RDP server chose in its X.224 Connection Confirm
 * (MS-RDPBCGR 2.2.1.2): RDP_PROTO_* bits, RDP_NEG_NONE when the confirm
 * has no negotiation (standard RDP security), RDP_NEG_FAILED when the
 * server refused the client's choice. 0, or MAMORI_E_PARSE when the
 * payload is not a Connection Confirm. */
#define RDP_PROTO_RDP 0u
#define RDP_PROTO_SSL 1u
#define RDP_PROTO_HYBRID 2u		/* CredSSP: Network Level Authentication */
#define RDP_PROTO_HYBRID_EX 8u
#define RDP_NEG_NONE 0xffffffffu
#define RDP_NEG_FAILED 0xfffffffeu
int proto_ident_rdp_confirm(struct span payload, uint32_t *protocol);
/* "SSH-2.0-OpenSSH_9.2p1 Debian" -> proto "2.0", software "OpenSSH_9.2p1";
 * 0 or MAMORI_E_PARSE. */
int proto_ident_ssh_banner(struct span payload, struct span *proto, struct span *software);

#endif
