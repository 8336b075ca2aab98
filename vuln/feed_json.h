/*
 * feed_json.h - the streaming JSON walk the JSON feed parsers share: yajl
 * fed in 64 KB chunks, with the key of every open object level kept, so a
 * parser sees "a value at depth d under key k" and never the whole file.
 */
#ifndef MAMORI_VULN_FEED_JSON_H
#define MAMORI_VULN_FEED_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "vuln/feed.h"

#define FEED_JSON_LEVELS 12
#define FEED_JSON_KEY 256

enum feed_json_type { FJ_STRING, FJ_NUMBER, FJ_BOOL, FJ_NULL };

struct feed_json {
	int depth;		/* open containers; the top-level value is at 0 */
	/* Per level (1..LEVELS-1): the current key of that object, "" when
	 * too long, and whether the container is an array. */
	char key[FEED_JSON_LEVELS][FEED_JSON_KEY];
	bool key_long[FEED_JSON_LEVELS];
	bool arr[FEED_JSON_LEVELS];
	/* Set by the parser; a non-zero return stops the walk. open() runs
	 * after depth grows, close() before it shrinks. */
	int (*open)(struct feed_json *j, bool array);
	int (*close)(struct feed_json *j, bool array);
	int (*value)(struct feed_json *j, enum feed_json_type t,
	    const unsigned char *s, size_t len);
	void *ctx;
	struct feed_sink *sink;
	int rc;
};

/* The key the current value sits under at depth d, or NULL (array). */
static inline const char *
feed_json_key(const struct feed_json *j, int d)
{
	if (d < 1 || d >= FEED_JSON_LEVELS || j->arr[d])
		return NULL;
	return j->key[d];
}

int feed_json_run(struct feed_json *j, struct feed_reader *in);

#endif
