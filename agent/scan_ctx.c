#include "agent/scan_ctx.h"

#include <stdarg.h>
#include <time.h>

void
scan_warn(struct scan_ctx *ctx, const char *area, const char *fmt, ...)
{
	struct scan_warning *w = vec_push(ctx->arena, &ctx->warnings);
	if (!w)
		return;
	va_list ap;
	va_start(ap, fmt);
	w->area = area;
	w->message = arena_vprintf(ctx->arena, fmt, ap);
	va_end(ap);
	if (ctx->log && w->message)
		log_debug(ctx->log, "%s: %s", area, w->message);
}

int64_t
scan_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t
scan_max_file(const struct scan_ctx *ctx)
{
	return (size_t)conf_int(ctx->conf, CONF_SCAN_MAX_FILE_BYTES);
}
