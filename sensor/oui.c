/* oui.c - binary search over the bundled OUI table. */
#include "sensor/oui.h"

const char *
oui_vendor(const uint8_t mac[6])
{
	if (mac[0] & 0x02)
		return NULL;	/* locally administered: no registered vendor */
	uint32_t key = (uint32_t)mac[0] << 16 | (uint32_t)mac[1] << 8 | mac[2];
	size_t lo = 0, hi = oui_table_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (oui_table[mid].prefix < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < oui_table_len && oui_table[lo].prefix == key)
		return oui_names[oui_table[lo].name];
	return NULL;
}
