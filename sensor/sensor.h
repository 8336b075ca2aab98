/*
 * sensor.h - the packet pipeline of mamori sensor: decode -> flow table ->
 * application metadata (DNS, HTTP, TLS) -> detectors -> EVE output. Fed one
 * frame at a time by capture.c (or a fuzzer); owns no I/O except the EVE
 * stream it writes to.
 */
#ifndef MAMORI_SENSOR_SENSOR_H
#define MAMORI_SENSOR_SENSOR_H

#include <stdint.h>
#include <stdio.h>

#include "detection/alert.h"
#include "detection/ioc.h"
#include "sensor/asset.h"
#include "sensor/defrag.h"
#include "sensor/detect.h"
#include "sensor/digest.h"
#include "sensor/eve.h"
#include "sensor/flow_table.h"
#include "sensor/packet.h"
#include "sensor/proto_smb_stream.h"
#include "sensor/sensor_tls.h"

/* At most this many anomaly events are written per run; the rest are only
 * counted (a garbage capture must not flood the output). */
#define SENSOR_MAX_ANOMALY_EVENTS 1000

struct sensor_stats {
	uint64_t pkts, bytes, invalid;
	uint64_t eth, arp, vlan, ipv4, ipv6, tcp, udp, icmpv4, icmpv6, frag;
	uint64_t anomalies[ANOM__COUNT];
	uint64_t dns, http, tls, tls_certs, dhcp, ssh, smb, rdp, alerts;
	uint64_t kernel_packets, kernel_drops, kernel_ifdrops;	/* live capture */
};

struct sensor_conf {
	size_t max_flows;		/* hard cap; 0 = 65536 */
	int64_t flow_timeout_s;		/* idle timeout; 0 = 120 */
	struct detect_conf detect;	/* thresholds; 0 = default */
};

struct sensor {
	int linktype;
	struct flow_table flows;
	const struct ioc_set *iocs;	/* borrowed, may be NULL */
	struct eve eve;
	struct detect_state det;
	struct asset_table assets;
	struct tls_stream_pool tls_pool;	/* handshake buffers of all flows */
	struct smb_stream_pool smb_pool;	/* SMB frames cut by segments, all flows */
	struct digest_set digests;		/* JA3, JA4, certificate SHA-1 */
	struct defrag defrag;			/* IP fragments in flight */
	struct sensor_stats st;
	int64_t now_us, first_us;
	int64_t next_expire_us;
	uint64_t anomaly_events;
	const struct detect_rule *cur_rule;	/* between sensor_alert_begin and _end */
	uint8_t alert_depth;			/* EVE depth of its "mamori" object */
};

int sensor_init(struct sensor *s, const struct sensor_conf *conf, int linktype, FILE *eve_out,
    const struct ioc_set *iocs);
void sensor_free(struct sensor *s);
/* One captured frame. */
void sensor_packet(struct sensor *s, int64_t ts_us, const uint8_t *data, uint32_t cap_len,
    uint32_t wire_len);
/* End of input: every flow ends, a final stats event. */
void sensor_finish(struct sensor *s);
void sensor_write_stats(struct sensor *s);
/* A decoded packet (not a fragment) through flows, protocols, detectors. */
void sensor_flow_packet(struct sensor *s, struct pkt *p);
/* sensor_defrag.c: a fragment into reassembly; a completed datagram goes on
 * through sensor_flow_packet. */
void sensor_defrag_packet(struct sensor *s, const struct pkt *frag);
void sensor_defrag_dropped(void *ud, const struct defrag_dgram *d, enum anomaly why, int64_t now_us);
/* Counts anomaly a and writes its event (up to SENSOR_MAX_ANOMALY_EVENTS). */
void sensor_anomaly(struct sensor *s, const struct pkt *p, enum anomaly a, const struct flow *f);

/* Writes an alert event for rule r about flow f (or packet p). */
void sensor_alert(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct detect_rule *r, const char *message);
/* The same in two steps: between them the detector adds its own members
 * (eve_str(&s->eve, ...)) to the alert's "mamori" object. */
void sensor_alert_begin(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct detect_rule *r, const char *message);
void sensor_alert_end(struct sensor *s);

#endif
