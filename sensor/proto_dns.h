/*
 * proto_dns.h - DNS messages (RFC 1035) as the sensor reports them: the
 * question, rcode and answers. Names are decoded with compression pointers
 * followed at most DNS_MAX_JUMPS times and never forwards-only-loops; a name
 * longer than 255 bytes is malformed.
 */
#ifndef MAMORI_SENSOR_PROTO_DNS_H
#define MAMORI_SENSOR_PROTO_DNS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"

#define DNS_NAME_MAX 1024	/* text form: 255 wire bytes, odd bytes as \\xNN */
#define DNS_MAX_ANSWERS 8
#define DNS_MAX_JUMPS 32
#define DNS_MAX_QUESTIONS 8

struct dns_answer {
	char rrname[DNS_NAME_MAX];
	uint16_t rrtype;
	uint32_t ttl;
	char rdata[DNS_NAME_MAX];	/* address, name or TXT text (cut) */
};

struct dns_msg {
	uint16_t id;
	bool response;
	uint8_t opcode;
	uint8_t rcode;
	uint16_t qdcount, ancount;
	bool has_query;
	char qname[DNS_NAME_MAX];
	uint16_t qtype;
	/* further questions (mDNS asks several at once) */
	size_t nextra;
	char extra_qname[DNS_MAX_QUESTIONS - 1][DNS_NAME_MAX];
	uint16_t extra_qtype[DNS_MAX_QUESTIONS - 1];
	size_t nanswers;
	struct dns_answer answers[DNS_MAX_ANSWERS];
};

/* Parses one DNS message (UDP payload, or TCP after the length prefix).
 * Returns 0 or MAMORI_E_PARSE. */
int proto_dns_parse(struct span msg, struct dns_msg *out);
/* "A", "AAAA", "TXT"... or NULL for unnamed types. */
const char *proto_dns_type_name(uint16_t type);
const char *proto_dns_rcode_name(uint8_t rcode);

#endif
