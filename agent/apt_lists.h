/*
 * apt_lists.h - apt's downloaded indexes in /var/lib/apt/lists.
 *
 * apt stores one Packages index per (source, suite, component, arch),
 * named after its URL with '/' turned into '_' and often compressed
 * (lz4 on Debian 12, gz with Acquire::GzipIndexes), and one InRelease or
 * Release file per suite saying what the suite is (Label, Suite, Codename).
 * We read them to learn which newer versions the configured security
 * suites offer, without the network and without running apt.
 */
#ifndef MAMORI_AGENT_APT_LISTS_H
#define MAMORI_AGENT_APT_LISTS_H

#include <stdbool.h>
#include <time.h>

#include "agent/scan_ctx.h"
#include "common/arena.h"
#include "common/span.h"

/* One stanza of a Packages index: spans into the parsed buffer. */
struct apt_stanza {
	struct span package;
	struct span version;
	struct span arch;
	struct span source;	/* Source: without the "(version)"; may be empty */
};

/* Called for each stanza with a Package and a Version; a nonzero return
 * stops the walk and is returned. */
typedef int (*apt_stanza_fn)(void *arg, const struct apt_stanza *st);

/* Walks a whole (decompressed) Packages index. Malformed lines are
 * skipped; returns 0 or the callback's value. */
int apt_lists_parse_packages(struct span data, apt_stanza_fn fn, void *arg);

/* The fields of an InRelease/Release file we care about (arena copies;
 * NULL when absent). A PGP clear-signed wrapper is skipped. */
struct apt_release {
	char *origin;
	char *label;
	char *suite;
	char *codename;
};

int apt_lists_parse_release(struct span data, struct arena *a,
    struct apt_release *out);
/* Debian-Security label, or a suite/codename ending in "-security". */
bool apt_release_is_security(const struct apt_release *r);

enum apt_list_kind { APT_LIST_PACKAGES, APT_LIST_RELEASE };

struct apt_list_file {
	enum apt_list_kind kind;
	char *name;		/* file name inside /var/lib/apt/lists */
	char *path;		/* /var/lib/apt/lists/<name> */
	char *dist;		/* name up to the suite: "..._dists_bookworm-security" */
	time_t mtime;
	bool security;		/* Packages: its suite is a security suite */
	struct apt_release release;	/* RELEASE: parsed fields */
};

#define APT_LISTS_DIR "/var/lib/apt/lists"

/*
 * Lists the Packages indexes and (In)Release files of APT_LISTS_DIR into
 * files (struct apt_list_file), reading each release file and marking the
 * Packages indexes of security suites. MAMORI_E_NOTFOUND when the
 * directory is missing; other problems are scan warnings.
 */
int apt_lists_scan(struct scan_ctx *ctx, struct vec *files);

/* Reads and decompresses one list into memory from malloc(). */
int apt_lists_read(struct scan_ctx *ctx, const struct apt_list_file *f,
    char **buf, size_t *len);

#endif
