/*
 * proto_smtp.h - the client side of an SMTP session, one command line at a
 * time: the verb and its argument, and whether an EHLO/HELO argument is an
 * address literal ("[203.0.113.5]").
 */
#ifndef MAMORI_SENSOR_PROTO_SMTP_H
#define MAMORI_SENSOR_PROTO_SMTP_H

#include <stdbool.h>

#include "common/span.h"
#include "sensor/packet.h"

/* Next command line of a client payload: *verb upper- or lower-case as
 * sent, *arg the rest, trimmed. False at the end of payload. */
bool proto_smtp_next(struct span *payload, struct span *verb, struct span *arg);
/* "[1.2.3.4]" or "[IPv6:...]" -> the address; 0 or MAMORI_E_PARSE. */
int proto_smtp_addr_literal(struct span arg, struct ip_addr *out);

#endif
