/*
 * clamav_cvd.c - reading a ClamAV database header with a bounded cursor.
 *
 * sigtool writes the header with strftime("%d %b %Y %H-%M %z") (a '-'
 * between hours and minutes, so ':' only separates fields) and pads it to
 * 512 bytes with spaces. Old databases lack the seconds field.
 */
#include "agent/clamav_cvd.h"

#include <string.h>

#include "common/err.h"

#define NFIELDS 9

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
num(struct span s, uint64_t max, uint64_t *v)
{
	return span_to_u64(span_trim(s), max, v);
}

/* "25 Nov 2024 08-35 +0000" -> unix seconds, or 0. */
static int64_t
parse_time_text(struct span s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct span day, mon, year, hm, tz, rest = s;
	uint64_t d, y, h, mi, tzv;
	unsigned m = 0;

	if (!span_next_word(&rest, &day) || !span_next_word(&rest, &mon) ||
	    !span_next_word(&rest, &year) || !span_next_word(&rest, &hm))
		return 0;
	if (span_to_u64(day, 31, &d) || d == 0 || span_to_u64(year, 9999, &y) ||
	    y < 1970 || mon.len != 3)
		return 0;
	for (unsigned i = 0; i < 12; i++)
		if (memcmp(months + 3 * i, mon.p, 3) == 0)
			m = i + 1;
	struct span hh, mm;
	if (!m || !span_split(hm, '-', &hh, &mm) || span_to_u64(hh, 23, &h) ||
	    span_to_u64(mm, 59, &mi))
		return 0;
	int64_t t = days_from_civil((int64_t)y, m, (unsigned)d) * 86400 +
	    (int64_t)(h * 3600 + mi * 60);
	if (span_next_word(&rest, &tz) && tz.len == 5 &&
	    (tz.p[0] == '+' || tz.p[0] == '-') &&
	    span_to_u64((struct span){ tz.p + 1, 4 }, 9999, &tzv) == 0) {
		int64_t off = (int64_t)(tzv / 100 * 3600 + tzv % 100 * 60);
		t += tz.p[0] == '+' ? -off : off;
	}
	return t;
}

int
clamav_cvd_parse(struct span head, struct clamav_cvd *out)
{
	struct span f[NFIELDS], rest;
	size_t n = 0;
	uint64_t v;

	memset(out, 0, sizeof(*out));
	if (head.len > CLAMAV_CVD_HEADER)
		head.len = CLAMAV_CVD_HEADER;
	/* The header is text; a NUL ends it early in truncated files. */
	head.len = span_find(head, '\0');
	if (!span_starts_with(head, "ClamAV-VDB:"))
		return MAMORI_E_PARSE;
	rest = head;
	while (n < NFIELDS) {
		struct span h, t;
		bool more = span_split(rest, ':', &h, &t);
		f[n++] = h;
		if (!more)
			break;
		rest = t;
	}
	if (n < 3 || num(f[2], UINT32_MAX, &out->version))
		return MAMORI_E_PARSE;
	if (n > 3 && num(f[3], UINT32_MAX, &v) == 0)
		out->signatures = v;
	if (n > 4 && num(f[4], UINT32_MAX, &v) == 0)
		out->flevel = v;
	if (n > 7) {
		struct span b = span_trim(f[7]);
		size_t bl = b.len < sizeof(out->builder) - 1 ? b.len :
		    sizeof(out->builder) - 1;
		if (span_is_text((struct span){ b.p, bl })) {
			memcpy(out->builder, b.p, bl);
			out->builder[bl] = '\0';
		}
	}
	/* Seconds up to year 9999; the text time is the fallback. */
	if (n > 8 && num(f[8], UINT64_C(253402300799), &v) == 0)
		out->build_time = (int64_t)v;
	else
		out->build_time = parse_time_text(f[1]);
	return MAMORI_OK;
}
