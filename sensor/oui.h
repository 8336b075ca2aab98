/*
 * oui.h - the vendor of a MAC address from its first three bytes (IEEE
 * OUI), from a bundled table of office-device vendors (tools/gen_oui.py).
 * Locally administered addresses (randomised phone MACs) have no vendor.
 */
#ifndef MAMORI_SENSOR_OUI_H
#define MAMORI_SENSOR_OUI_H

#include <stddef.h>
#include <stdint.h>

struct oui_entry {
	uint32_t prefix;	/* 24 bits */
	uint16_t name;		/* index into oui_names */
};

extern const char *const oui_names[];
extern const struct oui_entry oui_table[];	/* sorted by prefix */
extern const size_t oui_table_len;

/* Vendor name or NULL. */
const char *oui_vendor(const uint8_t mac[6]);

#endif
