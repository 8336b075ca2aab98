#include "manager/intake_batch.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "common/err.h"

static const char *const kinds[] = { "alert", "scan", "gap", "event", "eve" };

/* A JSON integer in [min, INT64_MAX]. */
static bool
int_at(json_t *o, const char *key, int64_t min, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < min)
		return false;
	*out = json_integer_value(v);
	return true;
}

static int
header(const char *line, size_t len, struct intake_batch *b, char *why, size_t whysz)
{
	json_error_t jerr;
	json_t *h = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr), *sp;
	int64_t v = 0;
	int rc = MAMORI_E_PARSE;

	b->spool_records = b->spool_bytes = -1;
	if (!json_is_object(h) || json_object_size(h) > 4) {
		snprintf(why, whysz, "header: not a JSON object of at most 4 fields");
		goto out;
	}
	if (!int_at(h, "v", 1, &v) || v != 1 || !int_at(h, "agent", 1, &b->agent_id) ||
	    !int_at(h, "floor", 1, &b->floor)) {
		snprintf(why, whysz, "header: v must be 1, agent and floor positive integers");
		goto out;
	}
	if ((sp = json_object_get(h, "spool"))) {
		if (!json_is_object(sp) || !int_at(sp, "records", 0, &b->spool_records) ||
		    !int_at(sp, "bytes", 0, &b->spool_bytes)) {
			snprintf(why, whysz, "header: spool needs records and bytes");
			goto out;
		}
	} else if (json_object_size(h) != 3) {
		snprintf(why, whysz, "header: unknown field");
		goto out;
	}
	rc = MAMORI_OK;
out:
	json_decref(h);
	return rc;
}

/*
 * Event lines are checked with yajl's callbacks instead of a jansson tree:
 * no allocation per value, which was a third of the manager's CPU time at
 * 30,000 events/s (perf, bench/intake.sh). The rules are jansson's strict
 * ones for what matters here: valid UTF-8, no NUL in strings, no trailing
 * bytes, integers within int64, and exactly the four top-level keys.
 */
enum ev_key { K_NONE, K_SEQ, K_TS, K_KIND, K_DATA, K_COUNT };

#define EV_DEPTH_MAX 64

struct ev_parse {
	int depth;
	enum ev_key key;	/* the top-level key whose value comes next */
	unsigned seen;		/* bit per ev_key */
	bool data_object, want_dropped, have_dropped;
	struct intake_event *e;
};

static int
scalar(struct ev_parse *p)
{
	/* A scalar where seq, ts, kind or data needs another type. */
	return p->depth != 1;
}

static int
ev_null(void *ctx)
{
	return scalar(ctx);
}

static int
ev_bool(void *ctx, int v)
{
	(void)v;
	return scalar(ctx);
}

static int
ev_double(void *ctx, double v)
{
	struct ev_parse *p = ctx;
	(void)v;
	if (p->depth == 2 && p->want_dropped)
		return 0;
	return scalar(p);
}

static int
ev_integer(void *ctx, long long v)
{
	struct ev_parse *p = ctx;
	if (p->depth == 2 && p->want_dropped) {
		p->e->dropped = v;
		p->have_dropped = v >= 0;
		return v >= 0;
	}
	if (p->depth != 1)
		return 1;
	if (p->key == K_SEQ)
		p->e->seq = v;
	else if (p->key == K_TS)
		p->e->ts = v;
	else
		return 0;
	return 1;
}

static int
ev_string(void *ctx, const unsigned char *s, size_t n)
{
	struct ev_parse *p = ctx;
	if (memchr(s, '\0', n))
		return 0;
	if (p->depth != 1)
		return 1;
	if (p->key != K_KIND)
		return 0;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i]) == n && memcmp(s, kinds[i], n) == 0)
			p->e->kind = kinds[i];
	return p->e->kind != NULL;
}

static int
ev_start_map(void *ctx)
{
	struct ev_parse *p = ctx;
	if (p->depth == 1) {
		if (p->key != K_DATA)
			return 0;
		p->data_object = true;
	}
	return ++p->depth <= EV_DEPTH_MAX;
}

static int
ev_map_key(void *ctx, const unsigned char *k, size_t n)
{
	static const char *const names[K_COUNT] = { "", "seq", "ts", "kind", "data" };
	struct ev_parse *p = ctx;
	if (memchr(k, '\0', n))
		return 0;
	if (p->depth == 2)
		p->want_dropped = p->key == K_DATA && n == 7 && memcmp(k, "dropped", 7) == 0;
	if (p->depth != 1)
		return 1;
	p->key = K_NONE;
	for (int i = K_SEQ; i < K_COUNT; i++)
		if (strlen(names[i]) == n && memcmp(k, names[i], n) == 0)
			p->key = (enum ev_key)i;
	if (p->key == K_NONE || (p->seen & (1u << p->key)))
		return 0;	/* unknown or duplicate */
	p->seen |= 1u << p->key;
	return 1;
}

static int
ev_end_map(void *ctx)
{
	struct ev_parse *p = ctx;
	p->depth--;
	return 1;
}

static int
ev_start_array(void *ctx)
{
	struct ev_parse *p = ctx;
	if (p->depth <= 1)
		return 0;	/* the line and its four values are never arrays */
	return ++p->depth <= EV_DEPTH_MAX;
}

static int
ev_end_array(void *ctx)
{
	struct ev_parse *p = ctx;
	p->depth--;
	return 1;
}

static const yajl_callbacks ev_callbacks = {
	.yajl_null = ev_null,
	.yajl_boolean = ev_bool,
	.yajl_integer = ev_integer,
	.yajl_double = ev_double,
	.yajl_string = ev_string,
	.yajl_start_map = ev_start_map,
	.yajl_map_key = ev_map_key,
	.yajl_end_map = ev_end_map,
	.yajl_start_array = ev_start_array,
	.yajl_end_array = ev_end_array,
};

static int
event(const char *line, size_t len, int64_t prev, struct intake_event *e, char *why,
    size_t whysz)
{
	struct ev_parse p = { .e = e };
	yajl_handle h;

	memset(e, 0, sizeof(*e));
	e->seq = -1;
	e->ts = -1;
	if (len == 0 || line[0] != '{') {
		snprintf(why, whysz, "not an object of seq, ts, kind and data");
		return MAMORI_E_PARSE;
	}
	if (!(h = yajl_alloc(&ev_callbacks, NULL, &p)))
		return MAMORI_E_NOMEM;
	bool parsed = yajl_parse(h, (const unsigned char *)line, len) == yajl_status_ok &&
	    yajl_complete_parse(h) == yajl_status_ok;
	yajl_free(h);
	if (!parsed || p.seen != ((1u << K_SEQ) | (1u << K_TS) | (1u << K_KIND) | (1u << K_DATA))) {
		snprintf(why, whysz, "not an object of seq, ts, kind and data");
		return MAMORI_E_PARSE;
	}
	if (e->seq < 1 || e->seq <= prev) {
		snprintf(why, whysz, "seq missing, not positive or not ascending");
		return MAMORI_E_PARSE;
	}
	if (e->ts < 0) {
		snprintf(why, whysz, "ts missing or negative");
		return MAMORI_E_PARSE;
	}
	if (!p.data_object) {
		snprintf(why, whysz, "data is not an object");
		return MAMORI_E_PARSE;
	}
	if (e->kind == kinds[2] && !p.have_dropped) {
		snprintf(why, whysz, "gap without a dropped count");
		return MAMORI_E_PARSE;
	}
	e->line = line;
	e->len = len;
	return MAMORI_OK;
}

int
intake_batch_decode(const char *buf, size_t len, struct intake_batch *out,
    char *why, size_t whysz)
{
	const char *p = buf, *end = buf + len;
	size_t lines = 0, lineno = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	for (const char *q = buf; q < end && (q = memchr(q, '\n', (size_t)(end - q))); q++)
		lines++;
	if (lines > INTAKE_BATCH_MAX_EVENTS + 1) {
		snprintf(why, whysz, "more than %d events", INTAKE_BATCH_MAX_EVENTS);
		return MAMORI_E_LIMIT;
	}
	if (!(out->ev = calloc(lines + 1, sizeof(*out->ev))))
		return MAMORI_E_NOMEM;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char sub[96];
		lineno++;
		if (lineno == 1)
			rc = header(p, n, out, sub, sizeof(sub));
		else
			rc = event(p, n, out->n ? out->ev[out->n - 1].seq : out->floor - 1,
			    &out->ev[out->n], sub, sizeof(sub));
		if (rc != MAMORI_OK) {
			snprintf(why, whysz, "line %zu: %s", lineno, sub);
			intake_batch_free(out);
			return rc;
		}
		if (lineno > 1)
			out->n++;
		p += n + (nl ? 1 : 0);
	}
	if (lineno == 0) {
		snprintf(why, whysz, "empty batch");
		intake_batch_free(out);
		return MAMORI_E_PARSE;
	}
	return MAMORI_OK;
}

void
intake_batch_free(struct intake_batch *b)
{
	free(b->ev);
	b->ev = NULL;
	b->n = 0;
}
