/*
 * proto_tls.h - TLS ClientHello and ServerHello: SNI, versions, cipher and
 * the JA3 / JA3S fingerprints (string and MD5) as Salesforce defined them,
 * GREASE values left out. Input is the start of one side of a TCP stream
 * (one or more TLS records); a hello cut by the capture is "incomplete".
 */
#ifndef MAMORI_SENSOR_PROTO_TLS_H
#define MAMORI_SENSOR_PROTO_TLS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"

#define TLS_JA3_MAX 4096

struct tls_hello {
	bool client;			/* ClientHello, else ServerHello */
	uint16_t record_version;
	uint16_t legacy_version;	/* the hello's version field */
	uint16_t version;		/* negotiated/highest offered (supported_versions) */
	uint16_t cipher;		/* ServerHello's choice */
	char sni[256];
	char ja3[TLS_JA3_MAX];		/* JA3 (client) or JA3S (server) string */
	char ja3_md5[33];
};

/* True when s starts with a TLS handshake record header. */
bool proto_tls_is_handshake(struct span s);
/* 0, MAMORI_E_PARSE (not a hello or malformed) or MAMORI_E_LIMIT (the hello
 * continues beyond s: give it more bytes). */
int proto_tls_parse_hello(struct span s, struct tls_hello *out);
/* "TLS 1.2", "TLSv1.3"-style names as Suricata prints them ("TLS 1.3"). */
const char *proto_tls_version_name(uint16_t v);

#endif
