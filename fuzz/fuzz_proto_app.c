/* fuzz_proto_app.c - the application parsers behind the domain, mail and
 * mining detectors: Kerberos KDC messages (UDP and TCP framing), DCE/RPC
 * PDUs with Netlogon arguments, SMTP command lines, Stratum requests, SMB
 * segments (NetBIOS frames, SMB1, chained SMB2 CREATE / TREE_CONNECT /
 * SET_INFO) and RDP Connection Confirms. */
#include <stdint.h>

#include "sensor/proto_dcerpc.h"
#include "sensor/proto_ident.h"
#include "sensor/proto_krb5.h"
#include "sensor/proto_smb.h"
#include "sensor/proto_smtp.h"
#include "sensor/proto_stratum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span in = { (const char *)data, size }, a, b;
	struct krb5_msg k;
	struct dcerpc_pdu d;
	struct ip_addr ip;
	uint8_t cred[8];
	char comp[64];
	proto_krb5_parse(in, false, &k);
	proto_krb5_parse(in, true, &k);
	if (proto_dcerpc_parse(in, &d) == 0) {
		for (uint16_t op = 0; op < 32; op++) {
			d.opnum = op;
			d.ptype = DCERPC_REQUEST;
			proto_dcerpc_nrpc_cred(&d, cred, comp, sizeof(comp));
		}
	}
	struct span rest = in;
	while (proto_smtp_next(&rest, &a, &b))
		proto_smtp_addr_literal(b, &ip);
	proto_stratum_request(in, &a);
	struct smb_iter it;
	struct smb_msg m;
	struct smb_create c;
	char share[SMB_SHARE_MAX];
	proto_smb_iter_init(&it, in);
	while (proto_smb_next(&it, &m) == 0) {
		if (proto_smb2_create(&m, &c) == 0)
			proto_smb_executable_name(c.name);
		proto_smb2_tree_connect(&m, share, sizeof(share));
		proto_smb2_set_delete(&m);
	}
	uint32_t rdp;
	proto_ident_rdp_confirm(in, &rdp);
	return 0;
}
