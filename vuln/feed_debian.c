/*
 * feed_debian.c - the Debian security tracker JSON
 * (https://security-tracker.debian.org/tracker/data/json):
 *   {src: {CVE: {description, scope, debianbug,
 *              releases: {codename: {status, repositories, fixed_version,
 *                                    urgency, nodsa, nodsa_reason}}}}}
 * One feed_pkg per (source, CVE, release), streamed: the real file is
 * ~70 MB and only the current release entry is held.
 */
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "vuln/feed.h"
#include "vuln/feed_json.h"

#define DESC_MAX 4096

struct tracker {
	struct feed_sink *sink;
	char status[32], fixed[256], urgency[64];
	bool bad;		/* a field of this release entry was unusable */
	bool nodsa;
	char desc[DESC_MAX];
};

/* Level 1: source package, 2: CVE, 3: CVE fields, 4: releases,
 * 5: release fields. */
static bool
in_release(const struct feed_json *j)
{
	const char *k = feed_json_key(j, 3);
	return j->depth == 5 && k && strcmp(k, "releases") == 0 && !j->arr[1] &&
	    !j->arr[2] && !j->arr[4];
}

static int
t_open(struct feed_json *j, bool array)
{
	struct tracker *t = j->ctx;
	if (j->depth == 1 && array) {
		snprintf(t->sink->err, sizeof(t->sink->err),
		    "not a Debian tracker file: the top level is an array");
		return MAMORI_E_PARSE;
	}
	if (in_release(j) && !array) {
		t->status[0] = t->fixed[0] = t->urgency[0] = '\0';
		t->bad = t->nodsa = false;
	}
	return MAMORI_OK;
}

static bool
plain(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

static int
emit(struct feed_json *j, struct tracker *t)
{
	const char *src = j->key[1], *cve = j->key[2], *rel = j->key[4];
	if (t->bad || j->key_long[1] || j->key_long[2] || j->key_long[4] ||
	    !plain(src) || !plain(cve) || !plain(rel) || !t->status[0]) {
		t->sink->skipped++;
		return MAMORI_OK;
	}
	struct feed_pkg r = {
		.kind = "debian-tracker",
		.distro = "debian",
		.release = rel,
		.package = src,
		.cve = cve,
		.status = t->status,
		.fixed_version = t->fixed[0] ? t->fixed : NULL,
		.urgency = t->urgency[0] ? t->urgency : NULL,
	};
	/* "0" is how the tracker says this release never had the bug. */
	if (strcmp(t->status, "resolved") == 0 && strcmp(t->fixed, "0") == 0)
		r.status = "not-affected";
	/* "unimportant" may carry the tracker's "**" mark too. */
	r.minor = t->nodsa || strncmp(t->urgency, "unimportant", 11) == 0;
	return t->sink->pkg ? t->sink->pkg(t->sink->ctx, &r) : MAMORI_OK;
}

static int
t_close(struct feed_json *j, bool array)
{
	struct tracker *t = j->ctx;
	if (in_release(j) && !array)
		return emit(j, t);
	if (j->depth == 3 && !array && !j->arr[1] && !j->arr[2])
		t->sink->records++;	/* one source package / CVE entry */
	return MAMORI_OK;
}

static void
field(struct tracker *t, char *dst, size_t dstsz, const unsigned char *s, size_t len)
{
	if (feed_copy(dst, dstsz, s, len) != MAMORI_OK)
		t->bad = true;
}

static int
t_value(struct feed_json *j, enum feed_json_type type, const unsigned char *s, size_t len)
{
	struct tracker *t = j->ctx;
	const char *k = feed_json_key(j, j->depth);

	if (j->depth == 0 || (j->depth == 1 && !j->arr[1])) {
		/* {"pkg": 1} or a bare scalar is not the tracker. */
		snprintf(t->sink->err, sizeof(t->sink->err),
		    "not a Debian tracker file: a package entry is not an object");
		return MAMORI_E_PARSE;
	}
	if (!k)
		return MAMORI_OK;
	if (in_release(j)) {
		if (strcmp(k, "status") == 0 && type == FJ_STRING)
			field(t, t->status, sizeof(t->status), s, len);
		else if (strcmp(k, "fixed_version") == 0 && type == FJ_STRING)
			field(t, t->fixed, sizeof(t->fixed), s, len);
		else if (strcmp(k, "urgency") == 0 && type == FJ_STRING)
			field(t, t->urgency, sizeof(t->urgency), s, len);
		else if (strcmp(k, "nodsa") == 0)
			t->nodsa |= (type == FJ_STRING && len > 0) || (type == FJ_BOOL && len == 4);
		else if (strcmp(k, "nodsa_reason") == 0 && type == FJ_STRING)
			t->nodsa |= (len == 7 && memcmp(s, "ignored", 7) == 0) ||
			    (len == 9 && memcmp(s, "postponed", 9) == 0);
		return MAMORI_OK;
	}
	if (j->depth == 3 && strcmp(k, "description") == 0 && type == FJ_STRING &&
	    !j->key_long[2] && t->sink->cve) {
		/* Long descriptions are cut at a UTF-8 boundary. */
		size_t n = len < DESC_MAX - 1 ? len : DESC_MAX - 1;
		while (n < len && n > 0 && (s[n] & 0xc0) == 0x80)
			n--;
		if (feed_copy(t->desc, sizeof(t->desc), s, n) != MAMORI_OK)
			return MAMORI_OK;
		struct feed_cve c = { .cve = j->key[2], .description = t->desc };
		return t->sink->cve(t->sink->ctx, &c);
	}
	return MAMORI_OK;
}

int
feed_debian_parse(struct feed_reader *in, struct feed_sink *sink)
{
	struct tracker t = { .sink = sink };
	struct feed_json j = {
		.open = t_open, .close = t_close, .value = t_value,
		.ctx = &t, .sink = sink,
	};
	return feed_json_run(&j, in);
}
