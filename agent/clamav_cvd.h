/*
 * clamav_cvd.h - the 512-byte header of a ClamAV database file (.cvd,
 * .cld, .cud): "ClamAV-VDB:<time>:<version>:<signatures>:<flevel>:<md5>:
 * <dsig>:<builder>:<build time in seconds>", space-padded.
 */
#ifndef MAMORI_AGENT_CLAMAV_CVD_H
#define MAMORI_AGENT_CLAMAV_CVD_H

#include <stdint.h>

#include "common/span.h"

#define CLAMAV_CVD_HEADER 512

struct clamav_cvd {
	uint64_t version;	/* database version, 0 if unreadable */
	uint64_t signatures;
	uint64_t flevel;	/* functionality level needed */
	int64_t build_time;	/* unix seconds; 0 = unknown */
	char builder[32];	/* who built it ("raynman"), may be empty */
};

/*
 * Parses a header (the first up to 512 bytes of the file). The build time
 * comes from the seconds field, or else from the "%d %b %Y %H-%M %z" text.
 * MAMORI_E_PARSE when the magic or the version is missing.
 */
int clamav_cvd_parse(struct span head, struct clamav_cvd *out);

#endif
