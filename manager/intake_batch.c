#include "manager/intake_batch.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

static const char *const kinds[] = { "alert", "scan", "gap", "event" };

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

static int
event(const char *line, size_t len, int64_t prev, struct intake_event *e, char *why,
    size_t whysz)
{
	json_error_t jerr;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr), *data;
	const char *kind;
	int rc = MAMORI_E_PARSE;

	memset(e, 0, sizeof(*e));
	if (!json_is_object(o) || json_object_size(o) != 4) {
		snprintf(why, whysz, "not an object of seq, ts, kind and data");
		goto out;
	}
	if (!int_at(o, "seq", 1, &e->seq) || e->seq <= prev) {
		snprintf(why, whysz, "seq missing, not positive or not ascending");
		goto out;
	}
	if (!int_at(o, "ts", 0, &e->ts)) {
		snprintf(why, whysz, "ts missing or negative");
		goto out;
	}
	kind = json_string_value(json_object_get(o, "kind"));
	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			e->kind = kinds[i];
	if (!e->kind) {
		snprintf(why, whysz, "kind is not alert, scan, gap or event");
		goto out;
	}
	data = json_object_get(o, "data");
	if (!json_is_object(data)) {
		snprintf(why, whysz, "data is not an object");
		goto out;
	}
	if (e->kind == kinds[2] && !int_at(data, "dropped", 0, &e->dropped)) {
		snprintf(why, whysz, "gap without a dropped count");
		goto out;
	}
	e->line = line;
	e->len = len;
	rc = MAMORI_OK;
out:
	json_decref(o);
	return rc;
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
