/*
 * evtx.h - Windows XML event log files (.evtx) to normalized events.
 *
 * A file is a 4096-byte header ("ElfFile\0") and 64 KiB chunks
 * ("ElfChnk\0", a 512-byte header, then event records "**\0\0", size,
 * record id, FILETIME written, a Binary XML payload, the size again).
 * Every chunk found by its signature is read; header offsets are used
 * only when the chunk header's CRC32 holds, and the CRC32 of the records
 * is checked too. A chunk that fails either check is counted in
 * bad_chunks, and its records that are intact (framing and BinXML) are
 * still delivered: a corrupt or truncated file yields what survives plus
 * counted anomalies, never a crash.
 *
 * Each record becomes a struct event with decoder "windows":
 *	@timestamp (ev->ts_ms)	System/TimeCreated/@SystemTime (else the
 *				record header's time)
 *	winlog.event_id, event.code, winlog.channel, winlog.provider_name,
 *	winlog.computer_name and host.name, winlog.record_id (header)
 *	winlog.event_data.<Name> for every EventData/Data (unnamed ones are
 *				param1, param2... as Winlogbeat names them)
 *	winlog.user_data.<Name>	for the leaf elements of UserData
 *	and the ECS fields decode_windows_event() (decoder.h) derives from
 *	them, exactly as for Winlogbeat JSON and XML: user.name, source.ip,
 *	event.category/action/outcome, winlog.logon.type, service.name...
 * The ECS fields come first so EVENT_MAX_FIELDS never drops them.
 * ev->raw is a one-line "Name=value ..." rendering of the event (for
 * keyword rules and for people). Keys of winlog.event_data.* / user_data.*
 * and all values live in scratch memory until the callback returns.
 *
 * Memory: one working area (about 1.1 MiB, less for files under 128 KiB)
 * from the scratch arena per evtx_read() call, reused for every record;
 * nothing is allocated per record.
 */
#ifndef MAMORI_DETECTION_EVTX_H
#define MAMORI_DETECTION_EVTX_H

#include <stdbool.h>
#include <stddef.h>

#include "common/arena.h"
#include "common/span.h"
#include "detection/binxml.h"
#include "detection/event.h"

#define EVTX_FILE_HEADER	4096
#define EVTX_CHUNK		65536
#define EVTX_CHUNK_HEADER	512
#define EVTX_RECORD_TEXT	(1024 * 1024)	/* rendered text of one record (at most) */
#define EVTX_MAX_DATA		128		/* EventData/UserData fields kept per record */

struct evtx_stats {
	size_t chunks;		/* chunk slots in the file, partial ones included */
	size_t empty_chunks;	/* unused (zeroed) slots */
	size_t bad_chunks;	/* wrong signature, header CRC or records CRC */
	size_t records;		/* delivered to the callback */
	size_t bad_records;	/* framing or BinXML malformed: skipped */
	size_t dropped_fields;	/* fields past EVENT_MAX_FIELDS / EVTX_MAX_DATA */
	bool bad_header;	/* file header CRC wrong (chunks still read) */
	bool truncated;		/* the file ends inside a chunk or its header */
	struct binxml_stats bx;
};

/* Called per record; a non-zero return stops evtx_read(), which returns it. */
typedef int (*evtx_record_fn)(void *ctx, const struct event *ev);

/* True when s starts with the file signature "ElfFile\0". */
bool evtx_is_evtx(struct span s);

/*
 * Reads an EVTX file held in memory. Returns 0 (anomalies are in *st),
 * MAMORI_E_PARSE when buf is not an EVTX file, MAMORI_E_NOMEM when the
 * scratch arena cannot give the working area, or the callback's non-zero
 * return. st may be NULL.
 */
int evtx_read(const void *buf, size_t len, struct arena *scratch, evtx_record_fn cb, void *ctx,
    struct evtx_stats *st);

/*
 * EventData / UserData lookup by name on an event evtx_read() produced
 * (ev is a const struct event *): the decode_win_get of decoder.h.
 */
bool evtx_event_data_get(const void *ev, const char *name, struct span *out);

#endif
