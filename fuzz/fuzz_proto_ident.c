/* fuzz_proto_ident.c - the small LAN protocol parsers: SSH/SMB/RDP
 * handshake recognition and the SSH banner, DHCP, NetBIOS names (from a
 * NUL-terminated copy, as proto_dns hands them over). */
#include <stdint.h>
#include <string.h>

#include "sensor/proto_dhcp.h"
#include "sensor/proto_ident.h"
#include "sensor/proto_netbios.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span in = { (const char *)data, size };
	struct span a, b;
	struct dhcp_msg m;
	char name[16], enc[64];
	uint8_t suffix;
	proto_ident_tcp(in);
	proto_ident_ssh_banner(in, &a, &b);
	proto_dhcp_parse(in, &m);
	size_t n = size < sizeof(enc) - 1 ? size : sizeof(enc) - 1;
	memcpy(enc, data, n);
	enc[n] = '\0';
	proto_netbios_name(enc, name, &suffix);
	return 0;
}
