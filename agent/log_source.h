/*
 * log_source.h - one live stream of log lines (a followed file, the
 * journal, a syslog listener) as the inputs hand it to the detections:
 * its name for the alerts and its own decoder state (sshd's multi-line
 * memory belongs to one stream).
 */
#ifndef MAMORI_AGENT_LOG_SOURCE_H
#define MAMORI_AGENT_LOG_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"
#include "detection/decoder.h"

#define LOG_MAX_LINE (64 * 1024)	/* longer lines are cut here and counted */

struct log_source {
	const char *name;	/* path, "journal", "syslog udp 127.0.0.1:514" */
	uint64_t lineno;	/* lines handed out from this source */
	struct decode_ctx dc;
};

/* One line (without "\n"); cut: it was longer than LOG_MAX_LINE. */
typedef void (*log_line_fn)(void *arg, struct log_source *src, struct span line, bool cut);
/* Something a person should know (rotation seen, input lost...), English. */
typedef void (*log_notice_fn)(void *arg, const char *msg);

#endif
