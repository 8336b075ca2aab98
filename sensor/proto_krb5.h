/*
 * proto_krb5.h - the few facts of a Kerberos KDC message the sensor needs
 * (RFC 4120 DER): the message type, the encryption types a request offers,
 * and for a reply the service name and the encryption type of the ticket.
 * A reply over TCP is often longer than one segment; the ticket's header
 * comes first, so a message cut after it still gives its facts.
 */
#ifndef MAMORI_SENSOR_PROTO_KRB5_H
#define MAMORI_SENSOR_PROTO_KRB5_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"

#define KRB5_AS_REQ 10
#define KRB5_AS_REP 11
#define KRB5_TGS_REQ 12
#define KRB5_TGS_REP 13
#define KRB5_ETYPE_RC4 23
#define KRB5_ETYPE_RC4_EXP 24
#define KRB5_MAX_ETYPES 16

struct krb5_msg {
	int msg_type;			/* KRB5_* */
	int32_t etypes[KRB5_MAX_ETYPES];	/* request: offered, in order */
	uint8_t netypes;
	int32_t ticket_etype;		/* reply: ticket's enc-part etype; -1 none */
	char sname[128];		/* reply: "HTTP/host" ("" when absent) */
	char cname[64];			/* reply: client principal */
	char realm[64];
};

/* One message; tcp: preceded by the 4-byte record mark. 0 or
 * MAMORI_E_PARSE (not a KDC request or reply). */
int proto_krb5_parse(struct span in, bool tcp, struct krb5_msg *out);

#endif
