#include "detection/event.h"

#include <string.h>

void
event_reset(struct event *ev)
{
	ev->ts_ms = 0;
	ev->raw.p = NULL;
	ev->raw.len = 0;
	ev->decoder = NULL;
	ev->nfields = 0;
	ev->dropped_fields = 0;
}

void
event_set(struct event *ev, const char *key, struct span value)
{
	for (size_t i = 0; i < ev->nfields; i++) {
		if (strcmp(ev->fields[i].key, key) == 0) {
			ev->fields[i].value = value;
			return;
		}
	}
	if (ev->nfields == EVENT_MAX_FIELDS) {
		ev->dropped_fields++;
		return;
	}
	ev->fields[ev->nfields].key = key;
	ev->fields[ev->nfields].value = value;
	ev->nfields++;
}

void
event_set_cstr(struct event *ev, const char *key, const char *value)
{
	event_set(ev, key, span_from_cstr(value));
}

bool
event_get(const struct event *ev, const char *key, struct span *out)
{
	for (size_t i = 0; i < ev->nfields; i++) {
		if (strcmp(ev->fields[i].key, key) == 0) {
			*out = ev->fields[i].value;
			return true;
		}
	}
	return false;
}

bool
event_has(const struct event *ev, const char *key, const char *value)
{
	struct span v;
	return event_get(ev, key, &v) && span_eq(v, value);
}
