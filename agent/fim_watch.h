/*
 * fim_watch.h - the real-time watch: kernel file events into the
 * ransomware detector.
 *
 * fanotify (needs CAP_SYS_ADMIN) watches whole filesystems and names the
 * writing process: one group reports FAN_CLOSE_WRITE with a descriptor of
 * the written file (sampled for entropy through that descriptor), a second
 * one with FAN_REPORT_DFID_NAME reports FAN_RENAME / FAN_CREATE /
 * FAN_DELETE by directory handle and name. Without the capability the
 * watch falls back to inotify on every directory below the paths (no
 * writer pid). Lost events (FAN_Q_OVERFLOW / IN_Q_OVERFLOW) are counted
 * and followed by a rescan of recently modified files.
 */
#ifndef MAMORI_AGENT_FIM_WATCH_H
#define MAMORI_AGENT_FIM_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/ransom_detect.h"

enum fim_backend { FIM_BACKEND_AUTO, FIM_BACKEND_FANOTIFY, FIM_BACKEND_INOTIFY };

struct fim_watch;

/* Called on every verdict, as soon as it is reached. */
typedef void (*fim_verdict_fn)(void *arg, const struct ransom_verdict *v);
/* Notices for people: backend chosen, overflow, canaries planted. */
typedef void (*fim_notice_fn)(void *arg, const char *msg);

struct fim_watch_opts {
	const char *const *paths;
	size_t npaths;
	enum fim_backend backend;
	bool canaries;			/* plant canary files in each path */
	int64_t duration_ms;		/* 0 = until SIGINT/SIGTERM */
	fim_verdict_fn on_verdict;
	fim_notice_fn on_notice;
	void *arg;
};

struct fim_watch_stats {
	uint64_t events;
	uint64_t overflows;
	uint64_t rescans;
	const char *backend;		/* "fanotify" / "inotify" */
};

/* Runs until a signal or the duration; 0 or a negative error. */
int fim_watch_run(const struct fim_watch_opts *opt, struct ransom_detector *det,
    struct fim_watch_stats *stats);

/* One fanotify event record, as parsed (bounds-checked) from the buffer. */
struct fim_fan_event {
	uint64_t mask;
	int fd;				/* FAN_NOFD for FID groups */
	int pid;
	/* FID info records (DFID_NAME, OLD_/NEW_DFID_NAME): */
	struct fim_fan_name {
		uint8_t type;		/* FAN_EVENT_INFO_TYPE_* */
		uint64_t fsid;
		const unsigned char *handle;	/* struct file_handle bytes */
		size_t handle_len;
		const char *name;	/* NUL-terminated inside the buffer */
	} names[2];
	size_t nnames;
};

typedef int (*fim_fan_fn)(void *arg, const struct fim_fan_event *e);
/*
 * Walks a buffer read from a fanotify descriptor. Malformed records
 * (short, wrong version, lengths past the end, names without NUL) stop
 * the walk with MAMORI_E_PARSE after the good records before them.
 */
int fim_watch_parse(const void *buf, size_t len, fim_fan_fn fn, void *arg);

#endif
