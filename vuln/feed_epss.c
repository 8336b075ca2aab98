/*
 * feed_epss.c - FIRST EPSS scores (epss_scores-current.csv):
 *   #model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z
 *   cve,epss,percentile
 *   CVE-1999-0001,0.01055,0.76877
 * Read line by line. The file ends with a newline, so a last line without
 * one means the download was cut: refused, like any malformed row.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "vuln/feed.h"

#define CHUNK 65536
#define LINE_MAX_LEN 4096

struct epss {
	struct feed_sink *sink;
	uint64_t lineno;
	bool header, percentile;
};

static int
bad(struct epss *e, const char *what)
{
	snprintf(e->sink->err, sizeof(e->sink->err), "line %llu: %s",
	    (unsigned long long)e->lineno, what);
	return MAMORI_E_PARSE;
}

static int
number(struct span s, double *out)
{
	char buf[64], *end;
	if (s.len == 0 || s.len >= sizeof(buf) || memchr(s.p, '\0', s.len))
		return MAMORI_E_PARSE;
	memcpy(buf, s.p, s.len);
	buf[s.len] = '\0';
	errno = 0;
	double v = strtod(buf, &end);
	if (errno || *end || !(v >= 0.0 && v <= 1.0) || buf[0] == '-' || buf[0] == '+' ||
	    buf[0] == ' ')
		return MAMORI_E_PARSE;
	*out = v;
	return MAMORI_OK;
}

static int
comment(struct epss *e, struct span line)
{
	struct span rest = { line.p + 1, line.len - 1 }, item;
	while (rest.len) {
		(void)span_split(rest, ',', &item, &rest);
		struct span k, v;
		if (span_split(item, ':', &k, &v) && span_eq(k, "score_date"))
			feed_note_date(e->sink, v);
	}
	return MAMORI_OK;
}

static int
line_in(struct epss *e, struct span line)
{
	e->lineno++;
	if (line.len && line.p[line.len - 1] == '\r')
		line.len--;
	if (line.len == 0)
		return MAMORI_OK;
	if (!e->header) {
		if (line.p[0] == '#')
			return comment(e, line);
		if (span_eq(line, "cve,epss,percentile"))
			e->percentile = true;
		else if (!span_eq(line, "cve,epss"))
			return bad(e, "expected the header \"cve,epss,percentile\"");
		e->header = true;
		return MAMORI_OK;
	}
	struct span cve, ep, pc = { "", 0 }, rest;
	char id[32];
	struct feed_epss r = { .cve = id, .percentile = -1.0 };
	(void)span_split(line, ',', &cve, &rest);
	if (e->percentile) {
		(void)span_split(rest, ',', &ep, &pc);
		if (span_find(pc, ',') != pc.len || number(pc, &r.percentile))
			return bad(e, "expected CVE,epss,percentile");
	} else
		ep = rest;
	if (number(ep, &r.epss) || feed_copy(id, sizeof(id), (const unsigned char *)cve.p,
	    cve.len) || !feed_is_cve(id))
		return bad(e, "expected CVE,epss,percentile");
	e->sink->records++;
	return e->sink->epss ? e->sink->epss(e->sink->ctx, &r) : MAMORI_OK;
}

int
feed_epss_parse(struct feed_reader *in, struct feed_sink *sink)
{
	struct epss e = { .sink = sink };
	char *buf = malloc(CHUNK + LINE_MAX_LEN);
	size_t have = 0, got;
	int rc;

	if (!buf)
		return MAMORI_E_NOMEM;
	for (;;) {
		if ((rc = in->read(in->ctx, buf + have, CHUNK, &got)) != MAMORI_OK) {
			if (!sink->err[0])
				snprintf(sink->err, sizeof(sink->err), "read error");
			goto out;
		}
		if (got == 0)
			break;
		have += got;
		size_t start = 0;
		for (;;) {
			char *nl = memchr(buf + start, '\n', have - start);
			if (!nl)
				break;
			struct span line = { buf + start, (size_t)(nl - (buf + start)) };
			if ((rc = line_in(&e, line)) != MAMORI_OK)
				goto out;
			start = (size_t)(nl - buf) + 1;
		}
		have -= start;
		if (have >= LINE_MAX_LEN) {
			e.lineno++;
			rc = bad(&e, "line too long");
			goto out;
		}
		memmove(buf, buf + start, have);
	}
	rc = MAMORI_OK;
	if (have) {
		e.lineno++;
		rc = bad(&e, "the file ends in the middle of a line (truncated?)");
	} else if (!e.header) {
		snprintf(sink->err, sizeof(sink->err), "no \"cve,epss,percentile\" header");
		rc = MAMORI_E_PARSE;
	}
out:
	free(buf);
	return rc;
}
