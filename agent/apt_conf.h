/*
 * apt_conf.h - apt.conf(5) syntax: "APT::Periodic::X "1";", nested
 * "APT { Periodic { X "1"; }; };" scopes, C/C++ and # comments,
 * "#clear" and "#include" directives.
 *
 * The parser reports each assignment with its full "::"-joined key; keys
 * are compared case-insensitively, as apt does.
 */
#ifndef MAMORI_AGENT_APT_CONF_H
#define MAMORI_AGENT_APT_CONF_H

#include <stdbool.h>

#include "common/span.h"

enum apt_conf_event {
	APT_CONF_SET,		/* key = value */
	APT_CONF_CLEAR,		/* "#clear key": key and everything below it */
	APT_CONF_INCLUDE,	/* "#include path": value is the path */
};

/* key and value are NUL-terminated and valid only during the call. A
 * nonzero return stops the parse and is returned. */
typedef int (*apt_conf_fn)(void *arg, enum apt_conf_event ev,
    const char *key, const char *value, int line);

/*
 * Parses one file. Syntax errors (unbalanced braces or quotes, keys over
 * 1 KiB, scopes nested deeper than 32) stop at that point with
 * MAMORI_E_PARSE; what came before has been reported, as apt also acts on
 * the part of a file before an error.
 */
int apt_conf_parse(struct span data, apt_conf_fn fn, void *arg);

/* apt's rule for files in apt.conf.d: only [A-Za-z0-9_.-] and no
 * extension or ".conf". */
bool apt_conf_valid_part_name(const char *name);

#endif
