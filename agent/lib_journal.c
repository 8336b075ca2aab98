/*
 * lib_journal.c - libsystemd's journal functions by dlsym (see
 * lib_journal.h).
 */
#include "agent/lib_journal.h"

#include "common/dynlib.h"

#ifndef MAMORI_SONAME_SYSTEMD
#define MAMORI_SONAME_SYSTEMD "libsystemd.so.0"
#endif

#define SYM(field, name) DYNLIB_SYM(struct lib_journal, field, name)
static const struct dynlib_sym syms[] = {
	SYM(open, sd_journal_open),
	SYM(open_directory, sd_journal_open_directory),
	SYM(close, sd_journal_close),
	SYM(get_data, sd_journal_get_data),
	SYM(get_realtime_usec, sd_journal_get_realtime_usec),
	SYM(process, sd_journal_process),
	SYM(next, sd_journal_next),
	SYM(previous, sd_journal_previous),
	SYM(get_cursor, sd_journal_get_cursor),
	SYM(seek_cursor, sd_journal_seek_cursor),
	SYM(test_cursor, sd_journal_test_cursor),
	SYM(seek_head, sd_journal_seek_head),
	SYM(seek_tail, sd_journal_seek_tail),
	SYM(get_fd, sd_journal_get_fd),
};

int
lib_journal_open(struct lib_journal *j, char *err, size_t errsz)
{
	return dynlib_load(MAMORI_SONAME_SYSTEMD, "the systemd journal",
	    "libsystemd (Debian: apt-get install libsystemd0)", syms,
	    sizeof(syms) / sizeof(syms[0]), j, err, errsz);
}
