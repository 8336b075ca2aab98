/*
 * sensor_tls.h - the TLS part of the pipeline: ClientHello and ServerHello
 * (also when they span segments) and the server's leaf certificate in TLS
 * 1.0-1.2 (in TLS 1.3 it is encrypted), through a per-flow handshake
 * buffer (proto_tls_stream) that exists only while the handshake is read.
 */
#ifndef MAMORI_SENSOR_SENSOR_TLS_H
#define MAMORI_SENSOR_SENSOR_TLS_H

#include <stdbool.h>

#include "sensor/proto_tls_stream.h"

struct sensor;
struct flow;
struct pkt;

/* Hung off struct flow while either direction buffers. */
struct sensor_tls_flow {
	struct tls_stream dir[2];	/* [0] to server, [1] to client */
	uint16_t version;		/* the ServerHello's */
};

/* True when this TCP payload is the sensor_tls's to read: a handshake
 * record, or the next segment of a direction that buffers. */
bool sensor_tls_wants(const struct flow *f, bool to_server, const struct pkt *p);
void sensor_tls_segment(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server);
/* Frees the flow's buffers (flow end). */
void sensor_tls_flow_end(struct sensor *s, struct flow *f);

#endif
