/*
 * log.h - diagnostics for people running mamori (not findings, not
 * events: those are data and have their own JSON streams).
 *
 * A struct log is set up once by the command and passed down; there is no
 * process-wide logger. Control characters in messages are escaped, so a
 * hostile file name cannot forge log lines. Each line is one write() of at
 * most 4 KiB (a longer message is cut and ends in "..."), so lines of
 * processes sharing stderr do not interleave.
 */
#ifndef MAMORI_COMMON_LOG_H
#define MAMORI_COMMON_LOG_H

#include <stdio.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

struct log {
	enum log_level level;	/* messages above it are dropped */
	FILE *out;		/* usually stderr */
	const char *prog;	/* prefix, e.g. "mamori" */
};

void log_init(struct log *l, FILE *out, enum log_level level);
int log_parse_level(const char *s, enum log_level *out);
void log_msg(const struct log *l, enum log_level lv, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(l, ...) log_msg((l), LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(l, ...) log_msg((l), LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(l, ...) log_msg((l), LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(l, ...) log_msg((l), LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
