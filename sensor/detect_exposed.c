/* detect_exposed.c - remote-access and file-sharing services answered to
 * a peer on the internet, and cleartext logins (Telnet, FTP). */
#include <string.h>

#include "sensor/sensor.h"

static bool
risky_port(uint16_t p)
{
	return p == 3389 || p == 445 || p == 139 || p == 23 || p == 5900 || p == 5901;
}

void
detect_exposed_packet(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server)
{
	char msg[200], a[64], b[64];
	if (f->done & FLOW_DONE_EXPOSED)
		return;
	/* The service answered: a SYN-ACK or any payload back to the client. */
	bool answered = !to_server && (f->synack_seen || p->payload.len > 0);
	if (answered && risky_port(f->dport) && !ip_addr_is_private(&f->src) &&
	    ip_addr_is_private(&f->dst)) {
		f->done |= FLOW_DONE_EXPOSED;
		snprintf(msg, sizeof(msg), "%s on the internet reached %s port %u",
		    ip_addr_str(&f->src, a, sizeof(a)), ip_addr_str(&f->dst, b, sizeof(b)), f->dport);
		sensor_alert(s, f, p, detect_rule(R_EXPOSED_SERVICE), msg);
		return;
	}
	if (answered) {
		detect_outbound_answered(s, f, p);
		if (f->done & FLOW_DONE_EXPOSED)
			return;
	}
	if (!to_server || p->payload.len < 5)
		return;
	if (f->dport == 21 && (span_starts_with(p->payload, "PASS ") ||
	    span_starts_with(p->payload, "USER "))) {
		f->done |= FLOW_DONE_EXPOSED;
		snprintf(msg, sizeof(msg), "FTP login from %s to %s",
		    ip_addr_str(&f->src, a, sizeof(a)), ip_addr_str(&f->dst, b, sizeof(b)));
		sensor_alert(s, f, p, detect_rule(R_CLEARTEXT_FTP), msg);
	} else if (f->dport == 23 && f->pkts_tc > 0 && f->bytes_ts > 16) {
		/* past option negotiation: the user is typing a login */
		f->done |= FLOW_DONE_EXPOSED;
		snprintf(msg, sizeof(msg), "Telnet session from %s to %s",
		    ip_addr_str(&f->src, a, sizeof(a)), ip_addr_str(&f->dst, b, sizeof(b)));
		sensor_alert(s, f, p, detect_rule(R_CLEARTEXT_TELNET), msg);
	}
}
