/*
 * proto_x509.h - the few fields of an X.509 certificate (DER) the sensor
 * reports: SHA-1 of the whole DER, serial, subject and issuer names as text
 * ("C=US, O=Example, CN=www.example.com", the order in the certificate, as
 * Suricata prints them) and the validity dates. A bounded DER walk over span
 * cursors; nothing else of the certificate is trusted or checked.
 */
#ifndef MAMORI_SENSOR_PROTO_X509_H
#define MAMORI_SENSOR_PROTO_X509_H

#include <stdint.h>

#include "common/span.h"
#include "sensor/digest.h"

/* Longer names are cut (a name of more than 512 bytes is already odd). */
#define X509_NAME_MAX 512
/* Certificates larger than this are not parsed (real leaves are < 8 KiB). */
#define X509_DER_MAX 65536

struct x509_info {
	uint8_t sha1[20];
	char serial[3 * 20 + 1];	/* "0A:1B:..", up to 20 bytes as RFC 5280 allows */
	char subject[X509_NAME_MAX];
	char issuer[X509_NAME_MAX];
	char not_before[20];		/* "2022-01-31T23:59:59" */
	char not_after[20];
};

/* 0 or MAMORI_E_PARSE. The fingerprint comes from d (may be NULL). */
int proto_x509_parse(struct span der, struct x509_info *out, struct digest_set *d);

#endif
