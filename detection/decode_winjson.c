/*
 * decode_winjson.c - Windows events as one JSON object per line, as
 * Winlogbeat ({"winlog":{"event_id":4625,"event_data":{...},
 * "computer_name":..}, "@timestamp":..}) and NXLog's to_json()
 * ({"EventID":4625,"TargetUserName":..,"EventTime":"2022-..",
 * "Hostname":..}) forward them.
 *
 * A bounded scanner walks the object without building it: every
 * "key": value pair at any depth is visible to the lookup, values are
 * spans into the line (string escapes are left as written: user and host
 * names rarely hold any). No allocation per line.
 */
#include <string.h>

#include "detection/decode_util.h"
#include "detection/decoder.h"

/* Index of the byte after the string starting at s.p[i] == '"'. */
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

/* Finds "key": value anywhere; value is the string contents or the bare
 * token (number, true, null). Objects and arrays are not values here. */
static bool
json_find(struct span s, const char *key, struct span *out)
{
	size_t klen = strlen(key);
	size_t i = 0;
	while (i < s.len) {
		if (s.p[i] != '"') {
			i++;
			continue;
		}
		size_t end = skip_string(s, i);
		bool match = end - i - 2 == klen && memcmp(s.p + i + 1, key, klen) == 0;
		size_t j = end;
		while (j < s.len && (s.p[j] == ' ' || s.p[j] == '\t'))
			j++;
		if (j < s.len && s.p[j] == ':') {
			j++;
			while (j < s.len && (s.p[j] == ' ' || s.p[j] == '\t'))
				j++;
			if (match && j < s.len) {
				if (s.p[j] == '"') {
					size_t ve = skip_string(s, j);
					if (ve > s.len || ve < j + 2)
						return false;
					*out = (struct span){ s.p + j + 1, ve - j - 2 };
					return true;
				}
				if (s.p[j] == '{' || s.p[j] == '[')
					return false;
				size_t ve = j;
				while (ve < s.len && s.p[ve] != ',' && s.p[ve] != '}' && s.p[ve] != ']' &&
				    s.p[ve] != ' ')
					ve++;
				*out = (struct span){ s.p + j, ve - j };
				return true;
			}
			i = j;
			continue;
		}
		i = end;
	}
	return false;
}

static bool
lookup(const void *arg, const char *name, struct span *out)
{
	return json_find(*(const struct span *)arg, name, out);
}

bool
decode_winjson(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span s = span_trim(in->msg), v;
	uint64_t id;
	(void)dc;
	if (!s.len || s.p[0] != '{')
		return false;
	if (!(json_find(s, "event_id", &v) || json_find(s, "EventID", &v) || json_find(s, "EventId", &v)))
		return false;
	if (span_to_u64(v, 65535, &id) != 0)
		return false;
	ev->decoder = "windows";
	event_set(ev, "winlog.event_id", v);
	if (json_find(s, "computer_name", &v) || json_find(s, "Hostname", &v) || json_find(s, "Computer", &v))
		event_set(ev, "host.name", v);
	if (json_find(s, "channel", &v) || json_find(s, "Channel", &v))
		event_set(ev, "winlog.channel", v);
	int64_t ms;
	if ((json_find(s, "@timestamp", &v) || json_find(s, "EventTime", &v) ||
	    json_find(s, "TimeCreated", &v) || json_find(s, "SystemTime", &v)) && decode_iso8601(v, &ms))
		ev->ts_ms = ms;
	return decode_windows_event((unsigned)id, lookup, &s, ev);
}
