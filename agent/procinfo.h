/*
 * procinfo.h - machine-wide /proc files: cpuinfo, meminfo, stat (btime)
 * and the mount table (/proc/self/mounts, fstab(5) syntax).
 */
#ifndef MAMORI_AGENT_PROCINFO_H
#define MAMORI_AGENT_PROCINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/span.h"

struct procinfo_cpu {
	struct span model;	/* into the text; len 0 if unknown */
	int count;		/* "processor" entries */
};

/* /proc/cpuinfo of x86 ("model name"), arm ("model name"/"Processor"/
 * "Hardware"), ppc ("cpu"), s390 ("processor N: ..."). */
void procinfo_parse_cpuinfo(struct span text, struct procinfo_cpu *out);

struct procinfo_mem {
	uint64_t total_kb, available_kb, swap_total_kb;
	bool have_total;
};

/* /proc/meminfo: "MemTotal:  16384 kB". MemAvailable falls back to
 * MemFree + Buffers + Cached on kernels before 3.14. */
void procinfo_parse_meminfo(struct span text, struct procinfo_mem *out);

/* /proc/stat "btime SECONDS"; 0 when absent. */
int64_t procinfo_parse_btime(struct span text);

struct procinfo_mount {
	char *device, *mountpoint, *fstype, *options;	/* unescaped, in arena */
};

/*
 * Next entry of a mount table (/proc/self/mounts, /etc/fstab): skips
 * blank, comment and malformed lines (counted in *bad). Octal escapes
 * (\040 for a space) are undone. Returns 1 with an entry, 0 at the end,
 * or MAMORI_E_NOMEM.
 */
int procinfo_next_mount(struct arena *a, struct cursor *c,
    struct procinfo_mount *out, size_t *bad);

#endif
