/*
 * flow_table.h - all live flows, with a hard cap. Flows come from one
 * preallocated pool: at the cap the least recently seen flow is evicted
 * (counted and reported like an expiry), so memory never grows with
 * traffic. Expiry walks the least-recently-seen list from its old end.
 */
#ifndef MAMORI_SENSOR_FLOW_TABLE_H
#define MAMORI_SENSOR_FLOW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "sensor/flow.h"

/* Buckets at start: the array doubles as live flows fill half of it. */
#define FLOW_TABLE_MIN_BUCKETS 1024
/* Links are 32-bit pool indexes (FLOW_NONE is none). */
#define FLOW_TABLE_MAX_CAP (1u << 30)

enum flow_end_reason { FLOW_END_TIMEOUT, FLOW_END_EVICTED, FLOW_END_SHUTDOWN };

/* Called for each flow leaving the table, before its slot is reused. */
typedef void (*flow_end_fn)(void *ud, struct flow *f, enum flow_end_reason why);

struct flow_table {
	struct flow *pool;
	uint32_t *buckets;		/* pool indexes, FLOW_NONE: empty */
	size_t nbuckets;		/* power of two, grows with the live flows */
	size_t max_buckets;		/* the power of two >= cap */
	size_t cap, used;
	uint32_t free_list;		/* through hnext: slots used before */
	size_t fresh;			/* pool[fresh..cap) never used: not touched
					 * yet, so an idle table costs no page faults */
	uint32_t oldest, newest;	/* LRU by last packet */
	int64_t timeout_us, closed_timeout_us;
	flow_end_fn on_end;
	void *ud;
	uint64_t next_id;
	uint64_t total, evicted, timed_out;
};

int flow_table_init(struct flow_table *t, size_t max_flows, flow_end_fn on_end, void *ud);
void flow_table_free(struct flow_table *t);
/* The packet's flow, created when new; *to_server says its direction.
 * Never NULL unless the table has no capacity at all. */
struct flow *flow_table_get(struct flow_table *t, const struct pkt *p, bool *to_server, bool *created);
/* Ends flows idle past their timeout at time now_us. */
void flow_table_expire(struct flow_table *t, int64_t now_us);
/* Ends every flow (end of capture). */
void flow_table_flush(struct flow_table *t);

#endif
