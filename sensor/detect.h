/*
 * detect.h - the sensor's detectors and their rules. Each detector sees
 * what the pipeline already decoded (a packet with its flow, a DNS message,
 * an HTTP request, a TLS hello) and raises alerts through sensor_alert().
 * State is in fixed-size tables: a flood of sources reuses slots instead of
 * growing memory.
 */
#ifndef MAMORI_SENSOR_DETECT_H
#define MAMORI_SENSOR_DETECT_H

#include <stdint.h>

#include "detection/alert.h"
#include "sensor/flow.h"
#include "sensor/packet.h"
#include "sensor/proto_dns.h"
#include "sensor/proto_http.h"
#include "sensor/proto_tls.h"

struct detect_rule {
	uint32_t sid;			/* EVE alert.signature_id */
	const char *category;		/* EVE alert.category */
	struct alert_rule r;		/* id, name, severity, bilingual text */
};

enum detect_rule_id {
	R_IOC_IP, R_IOC_DOMAIN, R_IOC_URL, R_IOC_JA3,
	R_PORT_SCAN, R_HOST_SCAN, R_EXPOSED_SERVICE,
	R_DNS_TUNNEL, R_LOG4SHELL, R_SQLI,
	R_CLEARTEXT_TELNET, R_CLEARTEXT_FTP,
	R_ICMP_TUNNEL, R_BEACON, R_OUTBOUND_SMB_RDP, R_LARGE_UPLOAD, R_CLEARTEXT_HTTP_BASIC,
	R_IOC_CERT,
	R__COUNT
};

const struct detect_rule *detect_rule(enum detect_rule_id id);

#define SCAN_SLOTS 1024
#define SCAN_BITS 4096
#define DNST_SLOTS 1024

struct scan_slot {
	struct ip_addr src;
	int64_t window_start_us;
	uint32_t pairs, hosts;
	bool used, port_alerted, host_alerted;
	uint8_t pair_bits[SCAN_BITS / 8];	/* (dst, port) seen, hashed */
	uint8_t host_bits[SCAN_BITS / 8];	/* dst seen, hashed */
};

struct dnst_slot {
	struct ip_addr src;
	char base[64];			/* registered domain the names end in */
	int64_t window_start_us;
	uint32_t suspicious, total;
	bool used, alerted;
};

#define BEACON_SLOTS 4096
#define BEACON_TIMES 16
#define UPLOAD_SLOTS 1024

/* Connections from one office host to one internet address and port: the
 * last start times, to see a steady interval. */
struct beacon_slot {
	struct ip_addr src, dst;
	uint16_t dport;
	bool used, alerted;
	uint8_t n;			/* times kept (ring) */
	uint8_t head;
	int64_t start_us[BEACON_TIMES];
};

/* Bytes one office host sent to the internet in the current hour. */
struct upload_slot {
	struct ip_addr src;
	int64_t window_start_us;
	uint64_t bytes;
	bool used, alerted;
};

/* Thresholds (from the sensor.* config keys); 0 means the default. */
struct detect_conf {
	uint32_t port_scan_ports, host_scan_hosts, dns_tunnel_queries;
	uint64_t icmp_tunnel_bytes;
	uint32_t beacon_min_connections, beacon_min_interval_s, beacon_max_jitter_pct;
	uint64_t outbound_bytes_per_hour;
};

struct detect_state {
	struct detect_conf conf;	/* defaults filled in by detect_init */
	struct scan_slot *scan;		/* SCAN_SLOTS, malloc */
	struct dnst_slot *dnst;		/* DNST_SLOTS, malloc */
	struct beacon_slot *beacon;	/* BEACON_SLOTS, malloc */
	struct upload_slot *upload;	/* UPLOAD_SLOTS, malloc */
};

struct sensor;

int detect_init(struct detect_state *d, const struct detect_conf *conf);
void detect_free(struct detect_state *d);

/* detect_scan.c: a connection attempt that failed (RST or no answer). */
void detect_scan_failed(struct sensor *s, const struct flow *f, int64_t ts_us);
/* detect_exposed.c: every TCP packet of a flow (cheap checks first). */
void detect_exposed_packet(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server);
/* detect_icmp.c: every ICMP echo packet with its flow. */
void detect_icmp_echo(struct sensor *s, struct flow *f, const struct pkt *p);
/* detect_outbound.c: a new flow (SMB/RDP to the internet, beaconing) and
 * every packet's bytes (large uploads). */
void detect_outbound_flow(struct sensor *s, struct flow *f, const struct pkt *p);
/* A TCP service answered (SYN-ACK or data back to the client). */
void detect_outbound_answered(struct sensor *s, struct flow *f, const struct pkt *p);
void detect_outbound_bytes(struct sensor *s, const struct flow *f, const struct pkt *p,
    bool to_server);
/* detect_dns.c */
void detect_dns_query(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct dns_msg *m);
/* detect_http.c */
void detect_http_request(struct sensor *s, struct flow *f, const struct pkt *p,
    const struct http_req *r);
/* detect_ioc.c */
void detect_ioc_flow(struct sensor *s, struct flow *f, const struct pkt *p);
void detect_ioc_domain(struct sensor *s, const struct flow *f, const struct pkt *p,
    struct span name, const char *where);
void detect_ioc_ja3(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct tls_hello *h);
void detect_ioc_url(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct http_req *r);

/* Helpers shared by detectors (detect_util in detect_rules.c). */
/* Shannon entropy of s in bits per byte. */
double detect_entropy(struct span s);
/* "a.b.example.co.jp" -> "example.co.jp" (a heuristic, not the PSL). */
struct span detect_base_domain(struct span name);

#endif
