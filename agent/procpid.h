/*
 * procpid.h - the per-process files of /proc/[pid]: stat, status and
 * cmdline (proc(5)).
 */
#ifndef MAMORI_AGENT_PROCPID_H
#define MAMORI_AGENT_PROCPID_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/arena.h"
#include "common/span.h"

/* Longest command line kept; longer ones end in "...". */
#define PROCPID_CMDLINE_MAX 4096

struct procpid_info {
	int pid;
	int ppid;
	bool have_uid;
	uid_t uid;		/* real uid */
	struct span name;	/* into the parsed text */
};

/*
 * /proc/[pid]/stat: "PID (COMM) STATE PPID ...". COMM may hold spaces and
 * parentheses, so it runs to the LAST ')'. Returns 0 or MAMORI_E_PARSE.
 */
int procpid_parse_stat(struct span text, struct procpid_info *out);

/*
 * /proc/[pid]/status: Name, Pid, PPid and the real uid of "Uid:". Fields
 * not present are left as they are. Returns 0, or MAMORI_E_PARSE when no
 * field was found at all.
 */
int procpid_parse_status(struct span text, struct procpid_info *out);

/*
 * /proc/[pid]/cmdline: NUL-separated arguments joined with spaces, cut at
 * PROCPID_CMDLINE_MAX bytes, control bytes shown as '?'. NULL (no error)
 * when empty, as for kernel threads; *nomem set on allocation failure.
 */
char *procpid_cmdline(struct arena *a, struct span raw, bool *nomem);

#endif
