/*
 * geoip.c - country lookups through libmaxminddb (see geoip.h).
 */
#include "common/geoip.h"

#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/err.h"

struct geoip {
	MMDB_s db;
};

int
geoip_open(struct geoip **out, const char *path, char *err, size_t errsz)
{
	struct geoip *g = calloc(1, sizeof(*g));
	if (!g) {
		snprintf(err, errsz, "out of memory");
		return MAMORI_E_NOMEM;
	}
	int rc = MMDB_open(path, MMDB_MODE_MMAP, &g->db);
	if (rc != MMDB_SUCCESS) {
		snprintf(err, errsz, "%s: %s", path, MMDB_strerror(rc));
		free(g);
		return rc == MMDB_FILE_OPEN_ERROR ? MAMORI_E_NOTFOUND : MAMORI_E_INVAL;
	}
	*out = g;
	return MAMORI_OK;
}

void
geoip_close(struct geoip *g)
{
	if (!g)
		return;
	MMDB_close(&g->db);
	free(g);
}

int
geoip_country(struct geoip *g, const char *ip, char cc[3])
{
	int gai = 0, mrc = 0;
	MMDB_entry_data_s v;
	/* callers pass addresses only (detect_country checks), so no DNS lookup happens */
	MMDB_lookup_result_s r = MMDB_lookup_string(&g->db, ip, &gai, &mrc);
	if (gai || mrc != MMDB_SUCCESS || !r.found_entry ||
	    MMDB_get_value(&r.entry, &v, "country", "iso_code", NULL) != MMDB_SUCCESS ||
	    !v.has_data || v.type != MMDB_DATA_TYPE_UTF8_STRING || v.data_size != 2)
		return MAMORI_E_NOTFOUND;
	cc[0] = v.utf8_string[0];
	cc[1] = v.utf8_string[1];
	cc[2] = '\0';
	return MAMORI_OK;
}
