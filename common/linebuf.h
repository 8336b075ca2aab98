/*
 * linebuf.h - lines out of a byte stream that arrives in pieces (a file
 * read in blocks, a followed file, a syslog TCP connection), in a buffer
 * of fixed size.
 *
 * A line longer than max_line is handed out cut at max_line bytes (cut is
 * set) and the rest of it, up to the next newline, is discarded, so one
 * endless line never grows memory or stalls the stream.
 */
#ifndef MAMORI_COMMON_LINEBUF_H
#define MAMORI_COMMON_LINEBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "common/span.h"

struct linebuf {
	char *buf;		/* cap bytes, from malloc() */
	size_t cap, max_line;
	size_t start, end;	/* unconsumed bytes are buf[start, end) */
	bool skip;		/* discarding the rest of a cut line */
};

/* cap must be larger than max_line. */
int linebuf_init(struct linebuf *lb, size_t cap, size_t max_line);
void linebuf_release(struct linebuf *lb);
/* Forgets buffered bytes (the stream starts again). */
void linebuf_reset(struct linebuf *lb);
/* Where to append new bytes (after compacting); *room bytes fit. */
char *linebuf_space(struct linebuf *lb, size_t *room);
void linebuf_added(struct linebuf *lb, size_t n);
/*
 * Next whole line without its "\n", valid until the next call that
 * changes lb. False when no whole line is buffered (append more).
 */
bool linebuf_next(struct linebuf *lb, struct span *line, bool *cut);
/* At the end of the stream: the last line without "\n", if any. */
bool linebuf_rest(struct linebuf *lb, struct span *line);
/* Bytes buffered but not yet handed out as lines. */
size_t linebuf_pending(const struct linebuf *lb);

#endif
