#include "common/log.h"

#include <stdarg.h>
#include <string.h>

#include "common/err.h"

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

void
log_msg(const struct log *l, enum log_level lv, const char *fmt, ...)
{
	static const char *const tag[] = { "error", "warning", "info", "debug" };
	char buf[2048];
	va_list ap;

	if (!l || !l->out || lv > l->level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(l->out, "%s: %s: ", l->prog, tag[lv]);
	for (const unsigned char *p = (const unsigned char *)buf; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(l->out, "\\x%02x", *p);
		else
			fputc(*p, l->out);
	}
	fputc('\n', l->out);
}
