/*
 * decode_winxml.c - Windows events rendered as XML, one <Event> per line
 * (wevtutil qe /f:xml, CrowdSec's wineventlog acquisition, NXLog's xm_xml).
 * Reads <EventID>, <TimeCreated SystemTime=..>, <Computer>, <Channel> and
 * every <Data Name="X">value</Data>; entities are left as written.
 */
#include <stdio.h>
#include <string.h>

#include "detection/decode_util.h"
#include "detection/decoder.h"

/* Text of <tag ...>text</tag>. */
static bool
element(struct span s, const char *open, const char *close, struct span *out)
{
	struct span rest;
	if (!decode_after(s, open, &rest))
		return false;
	size_t gt = span_find(rest, '>');
	if (gt >= rest.len)
		return false;
	rest = (struct span){ rest.p + gt + 1, rest.len - gt - 1 };
	size_t end = decode_find(rest, close);
	if (end >= rest.len)
		return false;
	*out = (struct span){ rest.p, end };
	return true;
}

static bool
lookup(const void *arg, const char *name, struct span *out)
{
	struct span s = *(const struct span *)arg;
	char pat[80];
	int n = snprintf(pat, sizeof(pat), "<Data Name=\"%s\"", name);
	if (n < 0 || (size_t)n >= sizeof(pat))
		return false;
	size_t at = decode_find(s, pat);
	if (at >= s.len)
		return false;
	struct span rest = { s.p + at + (size_t)n, s.len - at - (size_t)n };
	if (span_starts_with(rest, "/>")) {
		*out = (struct span){ rest.p, 0 };
		return true;
	}
	if (!rest.len || rest.p[0] != '>')
		return false;
	rest.p++;
	rest.len--;
	size_t end = decode_find(rest, "</Data>");
	if (end >= rest.len)
		return false;
	*out = (struct span){ rest.p, end };
	return true;
}

bool
decode_winxml(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span s = span_trim(in->msg), v;
	uint64_t id;
	(void)dc;
	if (!span_starts_with(s, "<Event") || !element(s, "<EventID", "</EventID>", &v))
		return false;
	if (span_to_u64(span_trim(v), 65535, &id) != 0)
		return false;
	ev->decoder = "windows";
	event_set(ev, "winlog.event_id", span_trim(v));
	if (element(s, "<Computer", "</Computer>", &v))
		event_set(ev, "host.name", v);
	if (element(s, "<Channel", "</Channel>", &v))
		event_set(ev, "winlog.channel", v);
	struct span t;
	int64_t ms;
	if (decode_after(s, "SystemTime=\"", &t) && decode_iso8601(t, &ms))
		ev->ts_ms = ms;
	return decode_windows_event((unsigned)id, lookup, &s, ev);
}
