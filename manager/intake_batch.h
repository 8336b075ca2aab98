/*
 * intake_batch.h - the decoded body of POST /api/intake: NDJSON, one
 * header line and then one line per event, in ascending seq order.
 *
 *   {"v":1,"agent":7,"floor":101,"spool":{"records":250,"bytes":81234}}
 *   {"seq":101,"ts":1764900000,"kind":"alert","data":{...}}
 *
 * "floor" is the lowest seq the agent still holds (seqs below it were
 * acknowledged or dropped, see store_intake.h); "spool" is optional. Kinds
 * are alert, scan, gap (data.dropped counts events the agent had to drop),
 * event and eve (a network sensor's EVE alert or asset line). The body arrives zstd-compressed; the caller decompresses it
 * with a cap first. This runs on agent input after authentication only,
 * but an agent may be compromised: strict, bounded, fuzzed.
 */
#ifndef MAMORI_MANAGER_INTAKE_BATCH_H
#define MAMORI_MANAGER_INTAKE_BATCH_H

#include <stddef.h>
#include <stdint.h>

#define INTAKE_BATCH_MAX_EVENTS 20000

struct intake_event {
	int64_t seq, ts;
	const char *kind;	/* static string */
	const char *line;	/* into the decoded buffer, not NUL terminated */
	size_t len;
	int64_t dropped;	/* gap events */
};

struct intake_batch {
	int64_t agent_id, floor;
	int64_t spool_records, spool_bytes;	/* -1 when not sent */
	struct intake_event *ev;	/* malloc() */
	size_t n;
};

/* MAMORI_E_PARSE (why says where) or MAMORI_E_LIMIT (too many events). */
int intake_batch_decode(const char *buf, size_t len, struct intake_batch *out,
    char *why, size_t whysz);
void intake_batch_free(struct intake_batch *b);

#endif
