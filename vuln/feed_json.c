/* feed_json.c - yajl driver for the JSON feeds (see feed_json.h). */
#include "vuln/feed_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "common/err.h"

#define CHUNK 65536

static int
stop(struct feed_json *j, int rc)
{
	if (rc) {
		j->rc = rc;
		return 0;
	}
	return 1;
}

static int
on_value(struct feed_json *j, enum feed_json_type t, const unsigned char *s, size_t len)
{
	return stop(j, j->value ? j->value(j, t, s, len) : 0);
}

static int
cb_null(void *ctx)
{
	return on_value(ctx, FJ_NULL, (const unsigned char *)"", 0);
}

static int
cb_bool(void *ctx, int b)
{
	return on_value(ctx, FJ_BOOL, (const unsigned char *)(b ? "true" : "false"),
	    b ? 4 : 5);
}

static int
cb_number(void *ctx, const char *s, size_t len)
{
	return on_value(ctx, FJ_NUMBER, (const unsigned char *)s, len);
}

static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	return on_value(ctx, FJ_STRING, s, len);
}

static int
open_level(struct feed_json *j, bool array)
{
	j->depth++;
	if (j->depth < FEED_JSON_LEVELS) {
		j->arr[j->depth] = array;
		j->key[j->depth][0] = '\0';
		j->key_long[j->depth] = false;
	}
	return stop(j, j->open ? j->open(j, array) : 0);
}

static int
close_level(struct feed_json *j, bool array)
{
	int rc = j->close ? j->close(j, array) : 0;
	j->depth--;
	return stop(j, rc);
}

static int cb_start_map(void *ctx) { return open_level(ctx, false); }
static int cb_end_map(void *ctx) { return close_level(ctx, false); }
static int cb_start_array(void *ctx) { return open_level(ctx, true); }
static int cb_end_array(void *ctx) { return close_level(ctx, true); }

static int
cb_key(void *ctx, const unsigned char *s, size_t len)
{
	struct feed_json *j = ctx;
	if (j->depth >= 1 && j->depth < FEED_JSON_LEVELS)
		j->key_long[j->depth] = feed_copy(j->key[j->depth], FEED_JSON_KEY,
		    s, len) != MAMORI_OK;
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_bool,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_key,
	.yajl_end_map = cb_end_map,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end_array,
};

static void
json_error(struct feed_json *j, yajl_handle h, const unsigned char *buf,
    size_t len, size_t base)
{
	unsigned char *e = yajl_get_error(h, 0, buf, len);
	size_t at = base + (buf ? yajl_get_bytes_consumed(h) : 0);
	char msg[160];
	snprintf(msg, sizeof(msg), "%s", e ? (const char *)e : "invalid JSON");
	/* yajl ends its message with a newline. */
	msg[strcspn(msg, "\n")] = '\0';
	snprintf(j->sink->err, sizeof(j->sink->err), "JSON error near byte %zu: %s",
	    at, msg);
	if (e)
		yajl_free_error(h, e);
}

int
feed_json_run(struct feed_json *j, struct feed_reader *in)
{
	unsigned char *buf = malloc(CHUNK);
	yajl_handle h = NULL;
	size_t base = 0, got;
	int rc = MAMORI_OK;

	j->depth = 0;
	j->rc = MAMORI_OK;
	if (!buf || !(h = yajl_alloc(&callbacks, NULL, j))) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	for (;;) {
		if ((rc = in->read(in->ctx, buf, CHUNK, &got)) != MAMORI_OK) {
			if (!j->sink->err[0])
				snprintf(j->sink->err, sizeof(j->sink->err), "read error");
			goto out;
		}
		if (got == 0)
			break;
		yajl_status st = yajl_parse(h, buf, got);
		if (st == yajl_status_client_canceled) {
			rc = j->rc;
			goto out;
		}
		if (st != yajl_status_ok) {
			json_error(j, h, buf, got, base);
			rc = MAMORI_E_PARSE;
			goto out;
		}
		base += got;
	}
	yajl_status st = yajl_complete_parse(h);
	if (st == yajl_status_client_canceled) {
		rc = j->rc;
	} else if (st != yajl_status_ok) {
		/* Mostly a file cut short: say so plainly. */
		snprintf(j->sink->err, sizeof(j->sink->err),
		    "JSON ends early after %zu bytes (truncated file?)", base);
		rc = MAMORI_E_PARSE;
	} else if (base == 0) {
		snprintf(j->sink->err, sizeof(j->sink->err), "empty file");
		rc = MAMORI_E_PARSE;
	}
out:
	if (h)
		yajl_free(h);
	free(buf);
	return rc;
}
