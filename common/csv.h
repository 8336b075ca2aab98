/*
 * csv.h - CSV that Excel opens as it is: UTF-8 with a byte-order mark (so
 * Japanese Excel does not read it as Shift_JIS), CRLF line ends, fields
 * quoted per RFC 4180 when they hold a comma, quote or line break.
 *
 * A text cell that starts with = + - @ (or a tab or carriage return) is
 * what spreadsheets run as a formula; such a cell gets a leading
 * apostrophe so it is shown as text (CSV injection). Numbers written with
 * csv_int stay numbers.
 */
#ifndef MAMORI_COMMON_CSV_H
#define MAMORI_COMMON_CSV_H

#include <stdint.h>
#include <stdio.h>

struct csv {
	FILE *out;
	int col;		/* cells written on the current row */
};

/* Writes the byte-order mark. */
void csv_begin(struct csv *c, FILE *out);
void csv_text(struct csv *c, const char *s);
void csv_int(struct csv *c, int64_t v);
void csv_end_row(struct csv *c);
/* 0, or MAMORI_E_IO when a write failed. */
int csv_finish(struct csv *c);

#endif
