/*
 * log_follow.h - log files followed like "tail -F", across rotation, with
 * the read position kept in the database.
 *
 * Rotation by rename (logrotate's default): the old file is read to its
 * end (and for a grace period after, for writers that reopen late), then
 * the new file from its start. copytruncate: a file that became shorter
 * than the position, or whose first bytes changed, is read again from its
 * start. Across restarts a file is recognised by device, inode and a hash
 * of its first bytes; a file rotated while mamori was stopped is looked
 * up by inode in its directory and read from the saved position first.
 * A partial last line is not handed out until its newline arrives (or the
 * file is rotated away), and the saved position is always at a line
 * start, so a stop and start neither repeats nor skips a line.
 *
 * Wake-ups come from inotify on the files' directories when available;
 * the caller also polls on a timer (the fallback, and for filesystems
 * without inotify such as NFS).
 */
#ifndef MAMORI_AGENT_LOG_FOLLOW_H
#define MAMORI_AGENT_LOG_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/log_source.h"

struct db;
struct log_follow;

struct log_follow_stats {
	uint64_t lines, bytes, cut;
	uint64_t rotations;		/* renamed away and replaced */
	uint64_t truncations;		/* shortened or rewritten in place */
	uint64_t resumed;		/* files resumed at a saved position */
	uint64_t rotated_while_stopped;	/* old file found and finished */
	uint64_t lost_while_stopped;	/* old file not found: its rest is lost */
	uint64_t read_errors;
	bool inotify;			/* false: polling only */
};

struct log_follow_opts {
	const char *const *paths;
	size_t npaths;
	struct db *db;			/* positions; NULL = start fresh, save nothing */
	bool from_end;			/* a file without saved position starts at its end */
	bool no_inotify;		/* polling only */
	log_line_fn on_line;
	log_notice_fn on_notice;
	void *arg;
};

int log_follow_new(const struct log_follow_opts *o, int year, int month, struct log_follow **out);
void log_follow_free(struct log_follow *lf);
/* At the end: reads what is left of files rotated away (their position is not kept). */
void log_follow_finish(struct log_follow *lf);
/* The inotify descriptor to poll for input, or -1 (polling only). */
int log_follow_fd(const struct log_follow *lf);
/*
 * Reads what is new in every file (drains the inotify descriptor first),
 * at most LOG_FOLLOW_ROUND bytes per file; true when a file has more.
 */
#define LOG_FOLLOW_ROUND (8 * 1024 * 1024)
bool log_follow_poll(struct log_follow *lf);
/* Saves the positions that changed, in one transaction. */
int log_follow_save(struct log_follow *lf, int64_t now);
void log_follow_stats(const struct log_follow *lf, struct log_follow_stats *st);

#endif
