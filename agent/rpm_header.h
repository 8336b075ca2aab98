/*
 * rpm_header.h - the rpm header blob stored per package in the rpmdb.
 *
 * Layout (rpm's header.c, headerImport): il and dl as big-endian u32, then
 * il index entries of four big-endian u32 (tag, type, offset, count), then
 * dl bytes of data that the offsets point into. Only the tags naming the
 * package are read; everything is bounds-checked against the blob.
 */
#ifndef MAMORI_AGENT_RPM_HEADER_H
#define MAMORI_AGENT_RPM_HEADER_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/span.h"

enum {
	RPMTAG_NAME = 1000,
	RPMTAG_VERSION = 1001,
	RPMTAG_RELEASE = 1002,
	RPMTAG_EPOCH = 1003,
	RPMTAG_ARCH = 1022,
	RPMTAG_SOURCERPM = 1044,
};

/* What a header says about its package; spans point into the blob. */
struct rpm_header_pkg {
	struct span name, version, release, arch, sourcerpm;
	uint32_t epoch;
	bool has_epoch;
};

/* Parses a blob. MAMORI_E_PARSE with *why set when it is corrupt or lacks
 * a name, version or release. */
int rpm_header_parse(struct span blob, struct rpm_header_pkg *out,
    const char **why);

/* "[epoch:]version-release" in the arena. */
char *rpm_header_evr(struct arena *a, const struct rpm_header_pkg *h);

/*
 * Source package name and version from SOURCERPM
 * ("openssl-3.0.7-27.el9.src.rpm" -> "openssl", "3.0.7-27.el9"). False
 * when the file name does not have that shape.
 */
bool rpm_header_source(struct span sourcerpm, struct span *name,
    struct span *version);

#endif
