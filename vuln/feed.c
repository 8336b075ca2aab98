/* feed.c - format detection and the small helpers of the feed parsers. */
#include "vuln/feed.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/err.h"

static int
mem_read(void *ctx, void *buf, size_t len, size_t *got)
{
	struct feed_mem *m = ctx;
	size_t left = m->s.len - m->off;
	if (len > left)
		len = left;
	if (len)
		memcpy(buf, m->s.p + m->off, len);
	m->off += len;
	*got = len;
	return MAMORI_OK;
}

void
feed_mem_reader(struct feed_mem *m, struct span s, struct feed_reader *out)
{
	m->s = s;
	m->off = 0;
	out->read = mem_read;
	out->ctx = m;
}

static size_t
skip_ws(struct span s, size_t i)
{
	while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t' || s.p[i] == '\r' ||
	    s.p[i] == '\n'))
		i++;
	return i;
}

/* Skips a JSON string starting at its quote; returns the index after it. */
static size_t
skip_string(struct span s, size_t i)
{
	for (i++; i < s.len; i++) {
		if (s.p[i] == '\\')
			i++;
		else if (s.p[i] == '"')
			return i + 1;
	}
	return s.len;
}

/* The tracker is the only JSON feed whose second key is a CVE id:
 * {"pkg": {"CVE-...": ... */
static int
looks_like_tracker(struct span s, size_t i)
{
	i = skip_ws(s, i + 1);
	if (i >= s.len || s.p[i] != '"')
		return 0;
	i = skip_ws(s, skip_string(s, i));
	if (i >= s.len || s.p[i] != ':')
		return 0;
	i = skip_ws(s, i + 1);
	if (i >= s.len || s.p[i] != '{')
		return 0;
	i = skip_ws(s, i + 1);
	if (i >= s.len || s.p[i] != '"')
		return 0;
	struct span key = { s.p + i + 1, s.len - i - 1 };
	return span_starts_with(key, "CVE-") || span_starts_with(key, "TEMP-");
}

enum feed_format
feed_detect(struct span head)
{
	size_t i = 0;
	if (head.len >= 3 && memcmp(head.p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	i = skip_ws(head, i);
	if (i >= head.len)
		return FEED_UNKNOWN;
	struct span rest = { head.p + i, head.len - i };
	switch (head.p[i]) {
	case '#':
		return span_starts_with(rest, "#model_version:") ? FEED_EPSS : FEED_UNKNOWN;
	case 'c':
		return span_starts_with(rest, "cve,epss") ? FEED_EPSS : FEED_UNKNOWN;
	case '<':
		if (span_contains(rest, "VULDEF-Document") ||
		    span_contains(rest, "jvn.jp/rss/mod_sec") ||
		    span_contains(rest, "jvndb.jvn.jp"))
			return FEED_JVN;
		return FEED_UNKNOWN;
	case '[':
		return span_contains(rest, "\"id\"") ? FEED_OSV : FEED_UNKNOWN;
	case '{':
		if (span_contains(rest, "\"catalogVersion\"") || span_contains(rest, "\"cveID\""))
			return FEED_KEV;
		if (looks_like_tracker(head, i))
			return FEED_DEBIAN;
		if (span_contains(rest, "\"id\"") && (span_contains(rest, "\"affected\"") ||
		    span_contains(rest, "\"modified\"") || span_contains(rest, "\"aliases\"")))
			return FEED_OSV;
		return FEED_UNKNOWN;
	default:
		return FEED_UNKNOWN;
	}
}

const char *
feed_format_name(enum feed_format f)
{
	switch (f) {
	case FEED_DEBIAN: return "debian-tracker";
	case FEED_OSV: return "osv";
	case FEED_KEV: return "kev";
	case FEED_EPSS: return "epss";
	case FEED_JVN: return "jvn";
	default: return "unknown";
	}
}

int
feed_parse(enum feed_format f, struct feed_reader *in, struct feed_sink *sink)
{
	switch (f) {
	case FEED_DEBIAN: return feed_debian_parse(in, sink);
	case FEED_OSV: return feed_osv_parse(in, sink);
	case FEED_KEV: return feed_kev_parse(in, sink);
	case FEED_EPSS: return feed_epss_parse(in, sink);
	case FEED_JVN: return feed_jvn_parse(in, sink);
	default:
		snprintf(sink->err, sizeof(sink->err), "unknown feed format");
		return MAMORI_E_UNSUPPORTED;
	}
}

static int
digits(struct cursor *c, size_t n, int *out)
{
	int v = 0;
	for (size_t k = 0; k < n; k++) {
		if (cursor_eof(c) || c->p[c->off] < '0' || c->p[c->off] > '9')
			return MAMORI_E_PARSE;
		v = v * 10 + (c->p[c->off++] - '0');
	}
	*out = v;
	return MAMORI_OK;
}

static int
expect(struct cursor *c, const char *set)
{
	if (cursor_eof(c) || !strchr(set, c->p[c->off]) || c->p[c->off] == '\0')
		return MAMORI_E_PARSE;
	c->off++;
	return MAMORI_OK;
}

int
feed_parse_date(struct span s, int64_t *out)
{
	struct cursor c;
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, sec = 0, offh = 0, offm = 0, sign = 0;

	s = span_trim(s);
	cursor_init(&c, s.p, s.len);
	if (digits(&c, 4, &y) || expect(&c, "-.") || digits(&c, 2, &mo) ||
	    expect(&c, "-.") || digits(&c, 2, &d))
		return MAMORI_E_PARSE;
	if (!cursor_eof(&c)) {
		if (expect(&c, "T ") || digits(&c, 2, &h) || expect(&c, ":") ||
		    digits(&c, 2, &mi))
			return MAMORI_E_PARSE;
		if (!cursor_eof(&c) && c.p[c.off] == ':') {
			c.off++;
			if (digits(&c, 2, &sec))
				return MAMORI_E_PARSE;
			if (!cursor_eof(&c) && c.p[c.off] == '.')
				for (c.off++; !cursor_eof(&c) && c.p[c.off] >= '0' &&
				    c.p[c.off] <= '9'; c.off++)
					;
		}
		if (!cursor_eof(&c)) {
			char z = (char)c.p[c.off++];
			if (z == '+' || z == '-') {
				sign = z == '+' ? 1 : -1;
				if (digits(&c, 2, &offh))
					return MAMORI_E_PARSE;
				if (!cursor_eof(&c) && c.p[c.off] == ':')
					c.off++;
				if (digits(&c, 2, &offm))
					return MAMORI_E_PARSE;
			} else if (z != 'Z')
				return MAMORI_E_PARSE;
		}
		if (!cursor_eof(&c))
			return MAMORI_E_PARSE;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 ||
	    y < 1970)
		return MAMORI_E_PARSE;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return MAMORI_E_PARSE;
	*out = (int64_t)t - (int64_t)sign * (offh * 3600 + offm * 60);
	return MAMORI_OK;
}

void
feed_note_date(struct feed_sink *sink, struct span s)
{
	int64_t t;
	if (feed_parse_date(s, &t) == MAMORI_OK && t > sink->feed_date)
		sink->feed_date = t;
}

int
feed_copy(char *dst, size_t dstsz, const unsigned char *s, size_t len)
{
	dst[0] = '\0';
	if (len >= dstsz)
		return MAMORI_E_LIMIT;
	if (memchr(s, '\0', len))
		return MAMORI_E_PARSE;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return MAMORI_OK;
}

int
feed_is_cve(const char *s)
{
	if (strncmp(s, "CVE-", 4) != 0)
		return 0;
	s += 4;
	int n = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		n++;
	if (n != 4 || *s++ != '-')
		return 0;
	n = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		n++;
	return n >= 4 && n <= 12 && *s == '\0';
}
