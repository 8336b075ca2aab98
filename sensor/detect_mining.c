/* detect_mining.c - a mining pool's protocol from an office machine, on any
 * port: one alert per connection. */
#include <stdio.h>

#include "sensor/proto_stratum.h"
#include "sensor/sensor.h"

void
detect_mining(struct sensor *s, struct flow *f, const struct pkt *p)
{
	struct span method;
	char msg[240], a[64], b[64];
	if ((f->det & DET_MINING_DONE) || !proto_stratum_request(p->payload, &method))
		return;
	f->det |= DET_MINING_DONE;
	snprintf(msg, sizeof(msg), "%s talks to the mining pool %s port %u (%.*s)",
	    ip_addr_str(&f->src, a, sizeof(a)), ip_addr_str(&f->dst, b, sizeof(b)), f->dport,
	    (int)method.len, method.p);
	sensor_alert_begin(s, f, p, detect_rule(R_MINING), msg);
	eve_span(&s->eve, "method", method);
	sensor_alert_end(s);
}
