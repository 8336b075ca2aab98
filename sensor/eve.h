/*
 * eve.h - Suricata EVE-compatible NDJSON output: one JSON object per line
 * with "timestamp", "flow_id", "event_type", the 5-tuple and "proto", plus
 * the object named after the event type.
 *
 * Events are streamed into one buffer, not built as trees: at a few hundred
 * thousand events per second a tree per event (and stdio per token) was most
 * of the sensor's time. Keys are literals from our code and are written as
 * they are; every value that can come from a packet goes through the string
 * writers, which escape JSON specials and controls and turn bytes that are
 * not valid UTF-8 into the visible text \xNN.
 */
#ifndef MAMORI_SENSOR_EVE_H
#define MAMORI_SENSOR_EVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/span.h"
#include "sensor/flow.h"

#define EVE_BUF_BYTES (1024 * 1024)
/* Longest string value written; longer packet strings are cut (a URI or
 * header of 16 KiB is already an anomaly worth only its start). */
#define EVE_STR_MAX 16384
#define EVE_DEPTH_MAX 8

struct eve {
	FILE *out;
	char *buf;			/* EVE_BUF_BYTES */
	size_t len;
	bool comma;			/* the next member needs a ',' first */
	uint8_t depth;
	uint16_t arrays;			/* bit d: level d is an array */
	uint64_t written;		/* complete events */
	uint64_t errors;		/* failed writes */
	int64_t tsec;			/* second of tprefix (events come in time order) */
	char tprefix[20];		/* its "YYYY-MM-DDTHH:MM:SS" */
};

int eve_init(struct eve *e, FILE *out);
void eve_free(struct eve *e);
/* Writes out what is buffered; 0 or MAMORI_E_IO. */
int eve_flush(struct eve *e);

/* "2022-02-03T10:11:12.123456+0000" */
void eve_timestamp(int64_t ts_us, char *buf, size_t n);

/* Starts an event: timestamp, flow_id and 5-tuple from the flow (may be
 * NULL) or, when flow is NULL and p is given, from the packet. The type is
 * a literal of ours. */
void eve_begin_k(struct eve *e, int64_t ts_us, const char *type, size_t tlen,
    const struct flow *f, const struct pkt *p);
/* The same with the packet's own 5-tuple (DNS: query and answer differ)
 * and the flow's id. */
void eve_begin_packet_k(struct eve *e, int64_t ts_us, const char *type, size_t tlen,
    const struct flow *f, const struct pkt *p);
static inline void eve_begin(struct eve *e, int64_t ts_us, const char *type,
    const struct flow *f, const struct pkt *p)
{
	eve_begin_k(e, ts_us, type, strlen(type), f, p);
}
static inline void eve_begin_packet(struct eve *e, int64_t ts_us, const char *type,
    const struct flow *f, const struct pkt *p)
{
	eve_begin_packet_k(e, ts_us, type, strlen(type), f, p);
}

/* Direct writing, for the events written most (flow): the caller takes
 * room for the rest of the event once (eve_reserve; n far below
 * EVE_BUF_BYTES), writes literal parts and numbers through the eve_put_*
 * helpers (each returns the new end) and ends the line with
 * eve_commit_end. Only for values that need no escaping. */
char *eve_reserve(struct eve *e, size_t n);
#define EVE_PUT_LIT(w, lit) ((char *)memcpy((w), (lit), sizeof(lit) - 1) + sizeof(lit) - 1)
char *eve_put_u64(char *w, uint64_t v);
char *eve_put_i64(char *w, int64_t v);
/* A quoted address (up to 48 bytes). */
char *eve_put_ip(char *w, const struct ip_addr *a);
/* A quoted timestamp (33 bytes). */
char *eve_put_time(struct eve *e, char *w, int64_t ts_us);
/* "}\n" after w: the event is complete. */
void eve_commit_end(struct eve *e, char *w);
/* Closes whatever is open and ends the line. */
void eve_end(struct eve *e);

/* Members of the innermost open object (key) or array (key NULL). Keys
 * are literals at nearly every call: the inline wrappers let the compiler
 * fold their length instead of a strlen per member (~25 per flow event). */
void eve_obj_k(struct eve *e, const char *key, size_t klen);
void eve_arr_k(struct eve *e, const char *key, size_t klen);
void eve_span_k(struct eve *e, const char *key, size_t klen, struct span v);
void eve_int_k(struct eve *e, const char *key, size_t klen, int64_t v);
void eve_bool_k(struct eve *e, const char *key, size_t klen, bool v);
void eve_time_k(struct eve *e, const char *key, size_t klen, int64_t ts_us);
void eve_ip_k(struct eve *e, const char *key, size_t klen, const struct ip_addr *a);
void eve_hex_k(struct eve *e, const char *key, size_t klen, const uint8_t *b, size_t n, char sep);
#define EVE_KLEN(key) ((key) ? strlen(key) : 0)

static inline void eve_obj(struct eve *e, const char *key) { eve_obj_k(e, key, EVE_KLEN(key)); }
static inline void eve_arr(struct eve *e, const char *key) { eve_arr_k(e, key, EVE_KLEN(key)); }
void eve_close(struct eve *e);
static inline void eve_span(struct eve *e, const char *key, struct span v)
{
	eve_span_k(e, key, EVE_KLEN(key), v);
}
static inline void eve_str(struct eve *e, const char *key, const char *v)
{
	eve_span_k(e, key, EVE_KLEN(key), span_from_cstr(v ? v : ""));
}
static inline void eve_int(struct eve *e, const char *key, int64_t v)
{
	eve_int_k(e, key, EVE_KLEN(key), v);
}
static inline void eve_bool(struct eve *e, const char *key, bool v)
{
	eve_bool_k(e, key, EVE_KLEN(key), v);
}
/* A timestamp value in the envelope's format. */
static inline void eve_time(struct eve *e, const char *key, int64_t ts_us)
{
	eve_time_k(e, key, EVE_KLEN(key), ts_us);
}
static inline void eve_ip(struct eve *e, const char *key, const struct ip_addr *a)
{
	eve_ip_k(e, key, EVE_KLEN(key), a);
}
/* Bytes as lowercase hex, "aa:bb:.." when sep is ':' (MACs, hashes). */
static inline void eve_hex(struct eve *e, const char *key, const uint8_t *b, size_t n, char sep)
{
	eve_hex_k(e, key, EVE_KLEN(key), b, n, sep);
}

#endif
