#include "common/linebuf.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

int
linebuf_init(struct linebuf *lb, size_t cap, size_t max_line)
{
	memset(lb, 0, sizeof(*lb));
	if (max_line == 0 || cap <= max_line)
		return MAMORI_E_INVAL;
	if (!(lb->buf = malloc(cap)))
		return MAMORI_E_NOMEM;
	lb->cap = cap;
	lb->max_line = max_line;
	return MAMORI_OK;
}

void
linebuf_release(struct linebuf *lb)
{
	free(lb->buf);
	lb->buf = NULL;
}

void
linebuf_reset(struct linebuf *lb)
{
	lb->start = lb->end = 0;
	lb->skip = false;
}

char *
linebuf_space(struct linebuf *lb, size_t *room)
{
	if (lb->start > 0) {
		memmove(lb->buf, lb->buf + lb->start, lb->end - lb->start);
		lb->end -= lb->start;
		lb->start = 0;
	}
	*room = lb->cap - lb->end;
	return lb->buf + lb->end;
}

void
linebuf_added(struct linebuf *lb, size_t n)
{
	lb->end += n;
}

bool
linebuf_next(struct linebuf *lb, struct span *line, bool *cut)
{
	*cut = false;
	for (;;) {
		size_t avail = lb->end - lb->start;
		char *p = lb->buf + lb->start;
		char *nl = avail ? memchr(p, '\n', avail) : NULL;
		if (lb->skip) {
			if (!nl) {
				lb->start = lb->end;
				return false;
			}
			lb->start = (size_t)(nl - lb->buf) + 1;
			lb->skip = false;
			continue;
		}
		if (nl && (size_t)(nl - p) <= lb->max_line) {
			*line = (struct span){ p, (size_t)(nl - p) };
			lb->start = (size_t)(nl - lb->buf) + 1;
			return true;
		}
		if (avail >= lb->max_line) {
			*line = (struct span){ p, lb->max_line };
			*cut = true;
			lb->start += lb->max_line;
			lb->skip = true;
			return true;
		}
		return false;
	}
}

bool
linebuf_rest(struct linebuf *lb, struct span *line)
{
	if (lb->skip || lb->end == lb->start) {
		linebuf_reset(lb);
		return false;
	}
	*line = (struct span){ lb->buf + lb->start, lb->end - lb->start };
	lb->start = lb->end;
	lb->skip = false;
	return true;
}

size_t
linebuf_pending(const struct linebuf *lb)
{
	return lb->skip ? 0 : lb->end - lb->start;
}
