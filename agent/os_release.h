/*
 * os_release.h - the os-release(5) file: shell-style KEY=value
 * assignments with double/single quotes and backslash escapes.
 */
#ifndef MAMORI_AGENT_OS_RELEASE_H
#define MAMORI_AGENT_OS_RELEASE_H

#include <stddef.h>

#include "agent/inventory.h"
#include "common/arena.h"
#include "common/span.h"

/* Longest value kept; longer values are cut (os-release values are short). */
#define OS_RELEASE_MAX_VALUE 1024

/*
 * Calls fn for every assignment of text, with the key and the unquoted,
 * unescaped value (NUL-terminated, in a scratch buffer valid during the
 * call). Lines that are not assignments are counted in *bad (may be NULL).
 */
void os_release_each(struct span text,
    void (*fn)(void *arg, struct span key, const char *value, size_t len),
    void *arg, size_t *bad);

/*
 * Fills the os-release fields of os from text (strings in the arena; a
 * later assignment of a key wins, as in the shell). Returns 0 or
 * MAMORI_E_NOMEM.
 */
int os_release_parse(struct arena *a, struct span text, struct inv_os *os,
    size_t *bad);

#endif
