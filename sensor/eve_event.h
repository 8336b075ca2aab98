/*
 * eve_event.h - the EVE events of the sensor's metadata: flow, dns, http,
 * tls and anomaly, in the field names and shapes Suricata uses so existing
 * EVE tooling reads them.
 */
#ifndef MAMORI_SENSOR_EVE_EVENT_H
#define MAMORI_SENSOR_EVE_EVENT_H

#include "sensor/eve.h"
#include "sensor/flow.h"
#include "sensor/flow_table.h"
#include "sensor/proto_dhcp.h"
#include "sensor/proto_dns.h"
#include "sensor/proto_http.h"
#include "sensor/proto_tls.h"
#include "sensor/proto_x509.h"

void eve_event_flow(struct eve *e, const struct flow *f, enum flow_end_reason why);
void eve_event_dns(struct eve *e, const struct flow *f, const struct pkt *p,
    const struct dns_msg *m);
void eve_event_http_request(struct eve *e, const struct flow *f, const struct pkt *p,
    const struct http_req *r);
void eve_event_http_response(struct eve *e, const struct flow *f, const struct pkt *p,
    const struct http_resp *r);
void eve_event_tls(struct eve *e, const struct flow *f, const struct pkt *p,
    const struct tls_hello *h);
/* The server's leaf certificate, as Suricata's tls event names it. */
void eve_event_tls_cert(struct eve *e, const struct flow *f, const struct pkt *p,
    uint16_t version, const struct x509_info *x);
void eve_event_dhcp(struct eve *e, const struct flow *f, const struct pkt *p,
    const struct dhcp_msg *m);
/* One side's SSH banner. */
void eve_event_ssh(struct eve *e, const struct flow *f, const struct pkt *p, bool client,
    struct span proto, struct span software);
void eve_event_anomaly(struct eve *e, const struct flow *f, const struct pkt *p,
    const char *name);
/* "dns", "tls", ... for enum flow_app, NULL for none. */
const char *eve_event_app_name(uint8_t app);

#endif
