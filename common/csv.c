#include "common/csv.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "common/err.h"

void
csv_begin(struct csv *c, FILE *out)
{
	c->out = out;
	c->col = 0;
	fputs("\xef\xbb\xbf", out);
}

static void
sep(struct csv *c)
{
	if (c->col++ > 0)
		fputc(',', c->out);
}

void
csv_text(struct csv *c, const char *s)
{
	if (!s)
		s = "";
	sep(c);
	bool formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', c->out);
	if (formula)
		fputc('\'', c->out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', c->out);
		fputc(*s, c->out);
	}
	if (quote)
		fputc('"', c->out);
}

void
csv_int(struct csv *c, int64_t v)
{
	sep(c);
	fprintf(c->out, "%" PRId64, v);
}

void
csv_end_row(struct csv *c)
{
	fputs("\r\n", c->out);
	c->col = 0;
}

int
csv_finish(struct csv *c)
{
	return fflush(c->out) == 0 && !ferror(c->out) ? MAMORI_OK : MAMORI_E_IO;
}
