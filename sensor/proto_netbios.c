/* proto_netbios.c - first-level decoding of NetBIOS names. */
#include "sensor/proto_netbios.h"

#include "common/err.h"

int
proto_netbios_name(const char *enc, char out[16], uint8_t *suffix)
{
	uint8_t raw[16];
	for (int i = 0; i < 32; i++) {
		char c = enc[i];
		if (c < 'A' || c > 'P')
			return MAMORI_E_PARSE;
	}
	if (enc[32] != '\0' && enc[32] != '.')
		return MAMORI_E_PARSE;
	for (int i = 0; i < 16; i++)
		raw[i] = (uint8_t)((enc[2 * i] - 'A') << 4 | (enc[2 * i + 1] - 'A'));
	*suffix = raw[15];
	int n = 15;
	while (n > 0 && raw[n - 1] == ' ')
		n--;
	for (int i = 0; i < n; i++)
		out[i] = raw[i] >= 0x20 && raw[i] < 0x7f ? (char)raw[i] : '?';
	out[n] = '\0';
	return n > 0 ? MAMORI_OK : MAMORI_E_PARSE;
}
