/*
 * proto_tls.h - TLS ClientHello and ServerHello: SNI, versions, cipher, the
 * JA3 / JA3S fingerprints (string and MD5) as Salesforce defined them and
 * JA4 as FoxIO defines it, GREASE values left out; the leaf of a
 * Certificate message. Input is the start of one side of a TCP stream (one
 * or more TLS records) or one handshake message from proto_tls_stream.
 */
#ifndef MAMORI_SENSOR_PROTO_TLS_H
#define MAMORI_SENSOR_PROTO_TLS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"
#include "sensor/digest.h"

#define TLS_JA3_MAX 4096
/* "t13d1516h2_8daaf6152771_b186095e22b6" */
#define TLS_JA4_LEN 36
/* Ciphers, extensions and signature algorithms kept for JA4; a hello with
 * more of one kind gets no JA4 (real ones have well under 100). */
#define TLS_LIST_MAX 256

#define TLS_HS_CLIENT_HELLO 1
#define TLS_HS_SERVER_HELLO 2
#define TLS_HS_CERTIFICATE 11

struct tls_hello {
	bool client;			/* ClientHello, else ServerHello */
	uint16_t record_version;
	uint16_t legacy_version;	/* the hello's version field */
	uint16_t version;		/* negotiated/highest offered (supported_versions) */
	uint16_t cipher;		/* ServerHello's choice */
	char sni[256];
	char ja3[TLS_JA3_MAX];		/* JA3 (client) or JA3S (server) string */
	char ja3_md5[33];
	char ja4[TLS_JA4_LEN + 1];	/* client only; "" when not computed */
};

/* What JA4 is computed from, GREASE already removed. */
struct tls_ja4_in {
	uint16_t version;		/* highest of supported_versions, else the hello's */
	bool sni;
	struct span alpn;		/* first ALPN protocol, empty when none */
	uint16_t ciphers[TLS_LIST_MAX], exts[TLS_LIST_MAX], sigalgs[TLS_LIST_MAX];
	size_t nciphers, nexts, nsigalgs;
	bool over;			/* a list was longer than TLS_LIST_MAX */
};

/* True when s starts with a TLS handshake record header. */
bool proto_tls_is_handshake(struct span s);
/* 0, MAMORI_E_PARSE (not a hello or malformed) or MAMORI_E_LIMIT (the hello
 * continues beyond s: give it more bytes). */
int proto_tls_parse_hello(struct span s, struct tls_hello *out, struct digest_set *d);
/* The same for one whole handshake message (4-byte header included). The
 * digests (JA3, JA4) come from d (may be NULL). */
int proto_tls_parse_hello_msg(struct span msg, struct tls_hello *out, struct digest_set *d);
/* JA4 ("t" for TLS over TCP) into out; "" when in->over. */
void proto_tls_ja4(const struct tls_ja4_in *in, char out[TLS_JA4_LEN + 1], struct digest_set *d);
/* The first (leaf) certificate's DER in a TLS 1.0-1.2 Certificate message
 * (header included, may be only its start): 0, MAMORI_E_LIMIT when the
 * leaf is not complete yet, MAMORI_E_PARSE when malformed or empty. */
int proto_tls_leaf_cert(struct span msg, struct span *der);
/* "TLS 1.2", "TLSv1.3"-style names as Suricata prints them ("TLS 1.3"). */
const char *proto_tls_version_name(uint16_t v);

#endif
