/*
 * log_journal.h - the systemd journal as a live log input (libsystemd's
 * sd_journal), with its cursor kept in the database like a file position.
 *
 * Each entry becomes one syslog-shaped line, "<RFC 3339 UTC time> <host>
 * <identifier>[<pid>]: <message>", so the same decoders read it as they
 * read /var/log/auth.log. Newlines inside a message become spaces; a
 * message longer than LOG_MAX_LINE is cut and counted.
 */
#ifndef MAMORI_AGENT_LOG_JOURNAL_H
#define MAMORI_AGENT_LOG_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/log_source.h"

struct db;
struct log_journal;

struct log_journal_opts {
	const char *dir;		/* journal files of DIR; NULL = this system's journal */
	struct db *db;			/* cursor; NULL = start fresh, save nothing */
	bool from_end;			/* no saved cursor: only new entries */
	log_line_fn on_line;
	log_notice_fn on_notice;
	void *arg;
};

struct log_journal_stats {
	uint64_t entries, cut, no_message;
	bool resumed;			/* started after a saved cursor */
};

/* 0, or an error with the reason in err (no journal, libsystemd missing). */
int log_journal_new(const struct log_journal_opts *o, int year, int month, struct log_journal **out,
    char *err, size_t errsz);
void log_journal_free(struct log_journal *j);
/* Descriptor to poll (POLLIN), or -1. */
int log_journal_fd(struct log_journal *j);
/* Reads the entries after the last one read, at most LOG_JOURNAL_ROUND;
 * true when there may be more. */
#define LOG_JOURNAL_ROUND 50000
bool log_journal_poll(struct log_journal *j);
int log_journal_save(struct log_journal *j, int64_t now);
void log_journal_stats(const struct log_journal *j, struct log_journal_stats *st);

#endif
