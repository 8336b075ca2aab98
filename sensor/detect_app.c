/* detect_app.c - hands TCP and UDP payloads to the application detectors
 * (Kerberos, DCE/RPC, SMTP, mining pools; SMB and RDP once the flow is
 * known as such) by cheap tests of the ports and the first bytes, so most
 * packets cost a few compares. */
#include "sensor/sensor.h"

#include "sensor/proto_dcerpc.h"

/* Client payloads per flow the content tests look at: these protocols
 * show themselves in their first requests. */
#define APP_MAX_SEGS 32

void
detect_app_tcp(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server)
{
	if (p->sport == 88 || p->dport == 88) {
		if (!to_server)
			detect_ad_krb5(s, f, p);
		return;
	}
	if (f->app == APP_SMB) {
		detect_lan_smb(s, f, p, to_server);	/* file activity lasts the whole session */
		return;
	}
	if (f->app == APP_RDP) {
		detect_lan_rdp(s, f, p, to_server);
		return;
	}
	if (proto_dcerpc_is_pdu(p->payload)) {
		detect_ad_dcerpc(s, f, p, to_server);
		return;
	}
	if (!to_server || f->det_segs >= APP_MAX_SEGS)
		return;
	f->det_segs++;
	if (f->dport == 25 || f->dport == 587 || f->dport == 2525)
		detect_mail_smtp(s, f, p);
	else if (p->payload.p[0] == '{' || p->payload.p[0] == ' ')
		detect_mining(s, f, p);
}

void
detect_app_udp(struct sensor *s, struct flow *f, const struct pkt *p)
{
	if (p->sport == 88)
		detect_ad_krb5(s, f, p);
}
