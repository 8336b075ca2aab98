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
/* Adds or replaces a field. key must be a static string, or live as long
 * as the event (evtx.c builds "winlog.event_data.<Name>" keys in scratch). */
void event_set(struct event *ev, const char *key, struct span value);
void event_set_cstr(struct event *ev, const char *key, const char *value);
/* The field's value, or false when absent. */
bool event_get(const struct event *ev, const char *key, struct span *out);
bool event_has(const struct event *ev, const char *key, const char *value);

#endif
