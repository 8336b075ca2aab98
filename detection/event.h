/*
 * event.h - a normalized event: what a log decoder (or a file or network
 * watcher) saw, as Elastic Common Schema fields.
 *
 * Fields are (key, value) pairs with ECS dotted names ("source.ip",
 * "user.name", "event.outcome", "event.action", "winlog.event_id"...).
 * Values are borrowed: they point into the line being decoded or into the
 * caller's scratch arena and live as long as the event is being matched.
 * Nothing here allocates except event_setf() through the arena it is given.
 */
#ifndef MAMORI_DETECTION_EVENT_H
#define MAMORI_DETECTION_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/span.h"

#define EVENT_MAX_FIELDS 48

struct event_field {
	const char *key;	/* ECS name: static, or as long-lived as the event */
	uint32_t tag;		/* event_key_tag(key): most lookups compare only this */
	struct span value;
};

struct event {
	int64_t ts_ms;			/* @timestamp, unix ms; 0 = unknown */
	struct span raw;		/* the original line / record */
	const char *decoder;		/* "sshd", "nginx", "windows" (static) */
	struct event_field fields[EVENT_MAX_FIELDS];
	size_t nfields;
	size_t dropped_fields;		/* set beyond EVENT_MAX_FIELDS: counted */
};

void event_reset(struct event *ev);
/*
 * A cheap fingerprint of a field name (length, first, middle and last
 * byte; never 0). Lookups compare it before the name. Inline, so for the
 * literal names decoders and detections use it is a compile-time constant.
 */
static inline uint32_t
event_key_tag(const char *key)
{
	size_t n = __builtin_strlen(key);
	if (!n)
		return 1;
	return ((uint32_t)n | (uint32_t)(unsigned char)key[0] << 8 |
	    (uint32_t)(unsigned char)key[n / 2] << 16 | (uint32_t)(unsigned char)key[n - 1] << 24) | 1;
}
void event_set_tagged(struct event *ev, const char *key, uint32_t tag, struct span value);
static inline void
event_set(struct event *ev, const char *key, struct span value)
{
	event_set_tagged(ev, key, event_key_tag(key), value);
}
static inline void
event_set_cstr(struct event *ev, const char *key, const char *value)
{
	event_set_tagged(ev, key, event_key_tag(key),
	    (struct span){ value, value ? __builtin_strlen(value) : 0 });
}
/* The field's value, or false when absent. */
bool event_get_tagged(const struct event *ev, const char *key, uint32_t tag, struct span *out);
static inline bool
event_get(const struct event *ev, const char *key, struct span *out)
{
	return event_get_tagged(ev, key, event_key_tag(key), out);
}
bool event_has(const struct event *ev, const char *key, const char *value);

#endif
