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
#include "detection/window.h"
#include "sensor/flow.h"
#include "sensor/packet.h"
#include "sensor/proto_dns.h"
#include "sensor/proto_http.h"
#include "sensor/proto_smb.h"
#include "sensor/proto_tls.h"
#include "sensor/proto_x509.h"

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
	R_SMTP_SPAM, R_HTTP_IP_C2, R_TLS_IP_C2, R_TOR, R_MINING, R_KERBEROAST, R_ZEROLOGON,
	R_ZEROLOGON_RESET, R_SMB1, R_RDP_LAN, R_SHARE_EXEC, R_REMOTE_EXEC,
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
	uint32_t smtp_servers_per_hour, c2_ip_connections, tor_relays;
	uint32_t kerberoast_services, zerologon_attempts;
	/* switches of detect_lan (sensor.smb1, sensor.rdp_lan, sensor.share_executables,
	 * sensor.remote_exec) */
	bool smb1_off, rdp_lan_off, share_exec_off, remote_exec_off;
};

/* The share of an SMB2 tree (detect_lan): the tree connect request's
 * share under its message id, then under the tree id the answer gave. */
#define SMB_TREE_SLOTS 256
struct smb_tree_slot {
	uint64_t key;			/* 0 = free */
	char share[SMB_SHARE_MAX];
};

/* A program written to an administrative share (detect_rexec), per client
 * and server pair (direct-mapped: a collision forgets the older write). */
#define REXEC_SLOTS 64
#define REXEC_NAME_MAX 96
struct rexec_slot {
	uint64_t key;			/* 0 = free */
	int64_t written_ms;
	char share[SMB_SHARE_MAX];
	char name[REXEC_NAME_MAX];	/* the file's own name, without the folders */
};

/* Names looked up and addresses answered by DNS lately: a hashed,
 * direct-mapped set (a collision forgets the older entry, which can only
 * make a later "never looked up" check alert, never hide one). */
#define DNS_SEEN_SLOTS 16384
/* Per-source counters of the application detectors (detection/window). */
#define DETECT_WINDOW_ENTRIES 4096

struct detect_state {
	struct detect_conf conf;	/* defaults filled in by detect_init */
	struct scan_slot *scan;		/* SCAN_SLOTS, malloc */
	struct dnst_slot *dnst;		/* DNST_SLOTS, malloc */
	struct beacon_slot *beacon;	/* BEACON_SLOTS, malloc */
	struct upload_slot *upload;	/* UPLOAD_SLOTS, malloc */
	uint32_t *dns_seen;		/* DNS_SEEN_SLOTS hashes, 0 = free */
	struct smb_tree_slot *smb_tree;	/* SMB_TREE_SLOTS, malloc */
	struct rexec_slot *rexec;	/* REXEC_SLOTS, malloc */
	struct window win;		/* keyed by rule + addresses */
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
void detect_ioc_cert(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct x509_info *x);
void detect_ioc_url(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct http_req *r);

/* detect_app.c: every TCP/UDP payload, handed to the detectors below by
 * cheap tests of port and first bytes. */
void detect_app_tcp(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server);
void detect_app_udp(struct sensor *s, struct flow *f, const struct pkt *p);
/* detect_ad.c: Kerberoasting (RC4 service tickets) and Zerologon. */
void detect_ad_krb5(struct sensor *s, struct flow *f, const struct pkt *p);
void detect_ad_dcerpc(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server);
/* detect_mail.c: spam sent by an office PC to outside mail servers. */
void detect_mail_smtp(struct sensor *s, struct flow *f, const struct pkt *p);
/* detect_mining.c: mining pool protocols. */
void detect_mining(struct sensor *s, struct flow *f, const struct pkt *p);
/* detect_lan.c: SMBv1, program files on shares (every SMB payload) and
 * the remote desktop notice (RDP payloads of the server). */
void detect_lan_smb(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server);
void detect_lan_rdp(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server);
/* Frees the flow's SMB framing state (flow end). */
void detect_lan_flow_end(struct sensor *s, struct flow *f);
/* detect_rexec.c: PsExec-style remote execution: a program written to an
 * administrative share (ADMIN$, C$ ...) and then, from the same client to
 * the same server within an hour, the service control pipe (svcctl) or
 * PsExec's pipes opened. share may be NULL (tree unknown). */
void detect_rexec_written(struct sensor *s, const struct flow *f, const struct pkt *p,
    const char *share, const char *name);
void detect_rexec_pipe(struct sensor *s, const struct flow *f, const struct pkt *p,
    const char *share, const char *name);
/* detect_c2.c: command servers reached by bare address (HTTP, TLS without
 * a name) and Tor; DNS answers remembered to tell "never looked up". */
void detect_c2_dns(struct sensor *s, const struct dns_msg *m);
void detect_c2_tls(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct tls_hello *h);
void detect_c2_http(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct http_req *r);

/* Helpers shared by detectors (detect_util in detect_rules.c). */
/* Shannon entropy of s in bits per byte. */
double detect_entropy(struct span s);
/* From an office (private) address to an internet unicast address. */
bool detect_outward(const struct flow *f);
/* The window entry of rule + addresses (b may be NULL). */
struct window_entry *detect_window(struct sensor *s, enum detect_rule_id r,
    const struct ip_addr *a, const struct ip_addr *b);
/* Records a hit and the peer on e; the distinct peers of this episode (0
 * for a NULL e). */
size_t detect_window_distinct(struct window_entry *e, int64_t now_ms, int64_t span_ms,
    const struct ip_addr *peer);
/* True once per span: the entry has not fired within span_ms (then marks
 * it fired at now_ms). */
bool detect_window_fire(struct window_entry *e, int64_t now_ms, int64_t span_ms);
/* "a.b.example.co.jp" -> "example.co.jp" (a heuristic, not the PSL). */
struct span detect_base_domain(struct span name);

#endif
