/*
 * agent_run.h - `mamori agent`: the enrolled agent's loop.
 *
 * Events come from a local NDJSON source (one JSON object per line, e.g.
 * the alerts other mamori commands print), from a periodic scan and from
 * the host's watches (agent/watch.h: the ransomware and file watch and the
 * log watch as child processes, the same as `mamori up` runs), whose
 * alert lines are spooled as alert events, and from the network sensor
 * (`mamori sensor -i IFACE --eve -`, also a child), whose alert and asset
 * lines are spooled as eve events. Every
 * event is appended to the disk spool first and synced; batches are then
 * read from the spool, zstd-compressed and posted to the manager, and only
 * what the manager acknowledges (after its durable commit) is deleted.
 * While the manager is unreachable the spool grows up to its cap and the
 * agent retries with backoff; when it returns the spool drains in order.
 */
#ifndef MAMORI_AGENT_AGENT_RUN_H
#define MAMORI_AGENT_AGENT_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/conf.h"
#include "common/i18n.h"
#include "common/log.h"

struct agent_run_opts {
	const char *dir;		/* state directory */
	const char *events;		/* NULL, "-" (stdin) or a file (followed) */
	const char *events_kind;	/* alert (default) or event */
	bool once;			/* drain and stop; E_IO when the manager is down */
	bool scan_now;			/* one scan at start even if the interval is 0 */
	int64_t scan_interval;		/* seconds; 0: no periodic scan */
	size_t batch_events;
	uint64_t spool_cap;
	const char *db_path;		/* vulnerability data for scans */
	/* The host's watches (agent/watch.h), not with once: auto, off or paths. */
	const char *watch_folders;	/* the ransomware and file watch */
	const char *watch_logs;		/* the log watch */
	/* The network sensor: auto, off or IFACE; NULL or "": by the
	 * credential's kind (a sensor's: auto; an agent's: off). */
	const char *sensor;
	const char *config_path;	/* given to the watches as --config, or NULL */
	const char *watch_db;		/* the log watch's read positions */
	enum lang lang;
	const struct conf *conf;
	const struct log *log;
};

/*
 * Runs until SIGINT/SIGTERM (or, with once, until everything is sent).
 * MAMORI_E_PERM: the manager refused this agent (revoked, unknown) or its
 * certificate changed; MAMORI_E_IO with once: the manager was unreachable
 * (events stay in the spool). err says what happened.
 */
int agent_run(const struct agent_run_opts *o, char *err, size_t errsz);

#endif
