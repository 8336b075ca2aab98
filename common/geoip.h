/*
 * geoip.h - the country of an IP address from a MaxMind database (.mmdb,
 * GeoLite2/GeoIP2 Country or City, or any MMDB with country.iso_code),
 * through libmaxminddb. The file is mapped read-only once.
 */
#ifndef MAMORI_COMMON_GEOIP_H
#define MAMORI_COMMON_GEOIP_H

#include <stddef.h>

struct geoip;

/* On failure err says why (missing file, not an MMDB). */
int geoip_open(struct geoip **out, const char *path, char *err, size_t errsz);
void geoip_close(struct geoip *g);
/* Two-letter ISO code into cc[3]; MAMORI_E_NOTFOUND when the address is
 * not in the database (private ranges) or not an address. */
int geoip_country(struct geoip *g, const char *ip, char cc[3]);

#endif
