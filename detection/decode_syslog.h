/*
 * decode_syslog.h - the syslog header in front of most log lines:
 * RFC 3164 ("Feb 12 14:10:21 host prog[pid]: msg", with or without
 * "<pri>", host or tag), RFC 5424 ("<38>1 2019-07-08T17:40:16Z host app
 * procid msgid [sd] msg"), RFC 3339 dates in place of the BSD date (rsyslog
 * high precision), and daemontools' TAI64N "@4000..." stamps.
 *
 * BSD dates carry no year: the caller supplies one (mamori logs uses the
 * file's modification year or --year). When ref_month is set, dates in a
 * later month than ref_month are taken as the year before (a December
 * line read in January).
 */
#ifndef MAMORI_DETECTION_DECODE_SYSLOG_H
#define MAMORI_DETECTION_DECODE_SYSLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"

struct syslog_hdr {
	int64_t ts_ms;		/* 0 when the line has no date */
	int pri;		/* -1 when absent */
	struct span host;	/* may be empty */
	struct span program;	/* tag without "[pid]" and ":"; may be empty */
	struct span pid;	/* may be empty */
	struct span msg;	/* the rest of the line */
};

/*
 * Parses the header. Returns false when the line does not start with a
 * syslog date (then h is unspecified).
 */
bool decode_syslog(struct span line, int year, int ref_month, struct syslog_hdr *h);

#endif
