#include "common/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"

/* A line is written with one write(): lines of processes sharing stderr
 * (the agent and its children, `mamori up`) never interleave. PIPE_BUF on
 * Linux, so a write to a pipe of up to this many bytes is atomic. */
#define LOG_LINE_MAX 4096
#define LOG_MSG_MAX 2048

void
log_init(struct log *l, FILE *out, enum log_level level)
{
	l->level = level;
	l->out = out;
	l->prog = "mamori";
}

int
log_parse_level(const char *s, enum log_level *out)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return MAMORI_OK;
		}
	}
	return MAMORI_E_INVAL;
}

/* Appends msg to line[*len], control characters escaped; stops before an
 * escape that would not fit (room for "...\n" is kept by the caller). */
static bool
put_escaped(char *line, size_t *len, size_t cap, const char *msg)
{
	static const char hex[] = "0123456789abcdef";
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		bool ctl = *p < 0x20 || *p == 0x7f;
		if (*len + (ctl ? 4 : 1) > cap)
			return false;
		if (ctl) {
			line[(*len)++] = '\\';
			line[(*len)++] = 'x';
			line[(*len)++] = hex[*p >> 4];
			line[(*len)++] = hex[*p & 0xf];
		} else {
			line[(*len)++] = (char)*p;
		}
	}
	return true;
}

static void
write_line(FILE *out, const char *line, size_t len)
{
	int fd = fileno(out);
	if (fd < 0) {	/* a memory stream: no descriptor to write to */
		(void)fwrite(line, 1, len, out);
		return;
	}
	(void)fflush(out);	/* whatever the stream holds goes first */
	while (len > 0) {
		ssize_t n = write(fd, line, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* nowhere left to report a failed log write */
		line += n;
		len -= (size_t)n;
	}
}

void
log_msg(const struct log *l, enum log_level lv, const char *fmt, ...)
{
	static const char *const tag[] = { "error", "warning", "info", "debug" };
	static const char cut[] = "...\n";
	char msg[LOG_MSG_MAX], line[LOG_LINE_MAX];
	size_t len = 0;
	va_list ap;

	if (!l || !l->out || lv > l->level)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	int h = snprintf(line, sizeof(line), "%s: %s: ", l->prog, tag[lv]);
	if (h < 0 || (size_t)h >= sizeof(line) - sizeof(cut))
		return;
	len = (size_t)h;
	bool whole = put_escaped(line, &len, sizeof(line) - sizeof(cut), msg) &&
	    (size_t)n < sizeof(msg);
	if (whole) {
		line[len++] = '\n';
	} else {
		memcpy(line + len, cut, sizeof(cut) - 1);
		len += sizeof(cut) - 1;
	}
	write_line(l->out, line, len);
}
