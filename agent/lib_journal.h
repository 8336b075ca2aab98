/*
 * lib_journal.h - libsystemd's journal reader (with libgcrypt and more),
 * opened on first use (common/dynlib.h): only `mamori logs --journal`
 * reads the journal.
 */
#ifndef MAMORI_AGENT_LIB_JOURNAL_H
#define MAMORI_AGENT_LIB_JOURNAL_H

#include <stddef.h>

#include <systemd/sd-journal.h>

struct lib_journal {
	__typeof__(sd_journal_open) *open;
	__typeof__(sd_journal_open_directory) *open_directory;
	__typeof__(sd_journal_close) *close;
	__typeof__(sd_journal_get_data) *get_data;
	__typeof__(sd_journal_get_realtime_usec) *get_realtime_usec;
	__typeof__(sd_journal_process) *process;
	__typeof__(sd_journal_next) *next;
	__typeof__(sd_journal_previous) *previous;
	__typeof__(sd_journal_get_cursor) *get_cursor;
	__typeof__(sd_journal_seek_cursor) *seek_cursor;
	__typeof__(sd_journal_test_cursor) *test_cursor;
	__typeof__(sd_journal_seek_head) *seek_head;
	__typeof__(sd_journal_seek_tail) *seek_tail;
	__typeof__(sd_journal_get_fd) *get_fd;
};

/* Fills j; MAMORI_E_UNSUPPORTED with the reason in err when libsystemd is
 * missing. */
int lib_journal_open(struct lib_journal *j, char *err, size_t errsz);

#endif
