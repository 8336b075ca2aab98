/*
 * eve.h - Suricata EVE-compatible NDJSON output: one JSON object per line
 * with "timestamp", "flow_id", "event_type", the 5-tuple and "proto", plus
 * the object named after the event type. Strings from packets are escaped
 * by jansson (invalid UTF-8 made readable first).
 */
#ifndef MAMORI_SENSOR_EVE_H
#define MAMORI_SENSOR_EVE_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "common/span.h"
#include "sensor/flow.h"

struct eve {
	FILE *out;
	uint64_t written;
	uint64_t errors;
};

/* "2022-02-03T10:11:12.123456+0000" */
void eve_timestamp(int64_t ts_us, char *buf, size_t n);
/* A new event object with the envelope filled from the flow (may be NULL)
 * or, when flow is NULL and p is given, from the packet. */
json_t *eve_new(int64_t ts_us, const char *type, const struct flow *f, const struct pkt *p);
/* A JSON string from packet bytes: invalid UTF-8 and controls as \xNN text. */
json_t *eve_str(struct span s);
/* Writes and frees ev. */
int eve_write(struct eve *e, json_t *ev);

#endif
