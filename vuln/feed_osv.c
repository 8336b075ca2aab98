/*
 * feed_osv.c - OSV records (ossf/osv-schema): one record, or an array of
 * them. Fields used: id, aliases, modified, withdrawn,
 * affected[].package{ecosystem,name}, affected[].ranges[].events
 * {introduced,fixed,last_affected}, affected[].ecosystem_specific.urgency.
 *
 * Keys may come in any order, so the affected list of the current record
 * is buffered (bounded) and emitted when the record closes: one feed_pkg
 * per affected package and CVE alias. Ecosystems map to (distro, release):
 * "Debian:12" -> debian/bookworm, "Ubuntu:22.04:LTS" -> ubuntu/22.04,
 * "Alpine:v3.19" -> alpine/v3.19, language ecosystems -> (name, "").
 * A package with one range and one fix is described by its fixed version.
 * With several ranges, fixes or an explicit versions[] list, the events
 * are also kept encoded (vuln/match_range.h) so the fix that applies to
 * the installed branch is found; GIT ranges (commit ids) are left out.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "vuln/feed.h"
#include "vuln/feed_json.h"
#include "vuln/match_range.h"

#define MAX_AFFECTED 256
#define MAX_CVES 32

struct affected {
	char ecosystem[64], name[256], fixed[256], urgency[64];
	bool introduced, last_affected, bad;
	/* Encoded events of the finished ranges, and of the current one. */
	char ranges[MATCH_RANGE_MAX], cur[MATCH_RANGE_MAX];
	char versions[MATCH_RANGE_MAX];
	size_t nranges, nfixed, cur_events, nversions;
	bool cur_git;
};

struct osv {
	struct feed_sink *sink;
	int base;		/* depth of a record object: 1, or 2 in an array */
	char id[128];
	char cves[MAX_CVES][32];
	int ncves;
	bool withdrawn, bad_id;
	struct affected *aff;	/* MAX_AFFECTED */
	int naff;
	bool aff_over;
};

static const struct {
	const char *num, *codename;
} debian_releases[] = {
	{ "7", "wheezy" }, { "8", "jessie" }, { "9", "stretch" }, { "10", "buster" },
	{ "11", "bullseye" }, { "12", "bookworm" }, { "13", "trixie" },
	{ "14", "forky" }, { "15", "duke" },
};

/* Level names relative to the record: r+1 is a record field, ... */
static const char *
key_at(const struct feed_json *j, struct osv *o, int rel)
{
	return feed_json_key(j, o->base + rel);
}

static bool
keyis(const struct feed_json *j, struct osv *o, int rel, const char *want)
{
	const char *k = key_at(j, o, rel);
	return k && strcmp(k, want) == 0;
}

static struct affected *
cur_aff(struct osv *o)
{
	return o->naff > 0 && !o->aff_over ? &o->aff[o->naff - 1] : NULL;
}

static int
o_open(struct feed_json *j, bool array)
{
	struct osv *o = j->ctx;
	if (j->depth == 1) {
		o->base = array ? 2 : 1;
		if (array)
			return MAMORI_OK;
	}
	if (j->depth == o->base) {
		if (array || (o->base == 2 && !j->arr[1])) {
			snprintf(o->sink->err, sizeof(o->sink->err),
			    "not an OSV record list: an entry is not an object");
			return MAMORI_E_PARSE;
		}
		o->id[0] = '\0';
		o->ncves = o->naff = 0;
		o->withdrawn = o->bad_id = o->aff_over = false;
		return MAMORI_OK;
	}
	/* ranges[] entry */
	struct affected *af = cur_aff(o);
	if (af && j->depth == o->base + 4 && !array && keyis(j, o, 0, "affected") &&
	    keyis(j, o, 2, "ranges") && j->arr[o->base + 3]) {
		af->cur[0] = '\0';
		af->cur_events = 0;
		af->cur_git = false;
		return MAMORI_OK;
	}
	/* affected[] entry */
	if (j->depth == o->base + 2 && !array && keyis(j, o, 0, "affected") &&
	    j->arr[o->base + 1]) {
		if (o->naff == MAX_AFFECTED) {
			o->aff_over = true;
			return MAMORI_OK;
		}
		memset(&o->aff[o->naff], 0, sizeof(o->aff[0]));
		o->naff++;
	}
	return MAMORI_OK;
}

static void
lower(char *dst, size_t dstsz, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < dstsz; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

/* Maps an OSV ecosystem; false for ones that cannot be keyed (bare
 * "Debian": every release at once, see osv.dev#4230). */
static bool
map_ecosystem(const char *eco, char *distro, size_t dsz, char *rel, size_t rsz)
{
	const char *colon = strchr(eco, ':');
	if (!colon) {
		if (strcmp(eco, "Debian") == 0 || strcmp(eco, "Ubuntu") == 0 ||
		    strcmp(eco, "Alpine") == 0)
			return false;
		snprintf(distro, dsz, "%s", eco);
		rel[0] = '\0';
		return true;
	}
	char fam[64];
	size_t n = (size_t)(colon - eco);
	if (n == 0 || n >= sizeof(fam))
		return false;
	memcpy(fam, eco, n);
	fam[n] = '\0';
	lower(distro, dsz, fam);
	const char *r = colon + 1;
	if (strcmp(distro, "debian") == 0) {
		for (size_t i = 0; i < sizeof(debian_releases) / sizeof(debian_releases[0]); i++)
			if (strcmp(r, debian_releases[i].num) == 0) {
				snprintf(rel, rsz, "%s", debian_releases[i].codename);
				return true;
			}
	} else if (strcmp(distro, "ubuntu") == 0) {
		/* "Ubuntu:22.04:LTS", "Ubuntu:Pro:18.04:LTS": the number. */
		while (*r && !isdigit((unsigned char)*r)) {
			const char *c = strchr(r, ':');
			if (!c)
				return false;
			r = c + 1;
		}
		size_t m = strcspn(r, ":");
		if (m == 0 || m >= rsz)
			return false;
		memcpy(rel, r, m);
		rel[m] = '\0';
		return true;
	}
	if (!*r)
		return false;
	snprintf(rel, rsz, "%s", r);
	return true;
}

/* Appends " tok" (or "tok" to an empty buffer); false when it does not fit. */
static bool
append(char *buf, size_t cap, char kind, const char *s, size_t len)
{
	size_t n = strlen(buf), need = (n ? 1 : 0) + 1 + len;
	if (n + need + 1 > cap)
		return false;
	if (n)
		buf[n++] = ' ';
	buf[n++] = kind;
	memcpy(buf + n, s, len);
	buf[n + len] = '\0';
	return true;
}

/* A version goes into the encoding only if it is one token. */
static bool
token_ok(const unsigned char *s, size_t len)
{
	if (len == 0 || len >= MATCH_RANGE_VERSION_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] == '|' || s[i] == 0x7f)
			return false;
	return true;
}

static int
emit(struct osv *o)
{
	struct feed_sink *s = o->sink;
	s->records++;
	if (o->withdrawn || o->bad_id || !o->id[0]) {
		s->skipped++;
		return MAMORI_OK;
	}
	if (o->aff_over)
		s->skipped++;
	/* The CVE ids this record is about; the record id itself when none. */
	const char *ids[MAX_CVES + 1];
	int nids = 0;
	if (feed_is_cve(o->id))
		ids[nids++] = o->id;
	for (int i = 0; i < o->ncves; i++)
		if (!feed_is_cve(o->id) || strcmp(o->cves[i], o->id) != 0)
			ids[nids++] = o->cves[i];
	if (nids == 0)
		ids[nids++] = o->id;
	for (int a = 0; a < o->naff; a++) {
		struct affected *af = &o->aff[a];
		char distro[64], rel[64], kind[80], eco[64];
		if (af->bad || !af->name[0] || !af->ecosystem[0] ||
		    !map_ecosystem(af->ecosystem, distro, sizeof(distro), rel, sizeof(rel))) {
			s->skipped++;
			continue;
		}
		lower(eco, sizeof(eco), af->ecosystem);
		snprintf(kind, sizeof(kind), "osv-%s", eco);
		struct feed_pkg r = {
			.kind = kind, .distro = distro, .release = rel, .package = af->name,
			.fixed_version = af->fixed[0] ? af->fixed : NULL,
			.urgency = af->urgency[0] ? af->urgency : NULL,
			.minor = strncmp(af->urgency, "unimportant", 11) == 0,
		};
		/* One range with at most one fix says it all (versions[] only
		 * enumerates it), unless versions[] lists some outside it. */
		bool listed = af->nversions > 0 && (af->nfixed > 0 || af->nranges == 0);
		if (af->nranges > 1 || af->nfixed > 1 || listed) {
			if (af->nversions && (!af->ranges[0] || append(af->ranges,
			    sizeof(af->ranges), '|', "", 0)))
				(void)append(af->ranges, sizeof(af->ranges), af->versions[0],
				    af->versions + 1, strlen(af->versions + 1));
			r.ranges = af->ranges;
		}
		if (af->fixed[0])
			r.status = "resolved";
		else if (af->introduced || af->last_affected)
			r.status = "open";
		else
			r.status = "undetermined";
		for (int i = 0; i < nids; i++) {
			r.cve = ids[i];
			int rc = s->pkg ? s->pkg(s->ctx, &r) : MAMORI_OK;
			if (rc)
				return rc;
		}
	}
	return MAMORI_OK;
}

static int
o_close(struct feed_json *j, bool array)
{
	struct osv *o = j->ctx;
	if (j->depth == o->base && !array)
		return emit(o);
	struct affected *af = cur_aff(o);
	if (af && j->depth == o->base + 4 && !array && keyis(j, o, 0, "affected") &&
	    keyis(j, o, 2, "ranges") && j->arr[o->base + 3] && !af->cur_git && af->cur_events) {
		if ((af->ranges[0] && !append(af->ranges, sizeof(af->ranges), '|', "", 0)) ||
		    !append(af->ranges, sizeof(af->ranges), af->cur[0], af->cur + 1,
		    strlen(af->cur + 1)))
			af->bad = true;	/* too many ranges to keep: counted as skipped */
		af->nranges++;
	}
	return MAMORI_OK;
}


static void
copy_field(bool *bad, char *dst, size_t dstsz, const unsigned char *s, size_t len)
{
	if (feed_copy(dst, dstsz, s, len) != MAMORI_OK)
		*bad = true;
}

static int
o_value(struct feed_json *j, enum feed_json_type type, const unsigned char *s, size_t len)
{
	struct osv *o = j->ctx;
	int d = j->depth - o->base;	/* 0: a record field */

	if (j->depth == 0 || (j->depth == 1 && o->base == 2)) {
		snprintf(o->sink->err, sizeof(o->sink->err), "not an OSV record");
		return MAMORI_E_PARSE;
	}
	if (d == 0) {
		const char *k = key_at(j, o, 0);
		if (!k)
			return MAMORI_OK;
		if (strcmp(k, "id") == 0 && type == FJ_STRING)
			copy_field(&o->bad_id, o->id, sizeof(o->id), s, len);
		else if (strcmp(k, "modified") == 0 && type == FJ_STRING)
			feed_note_date(o->sink, (struct span){ (const char *)s, len });
		else if (strcmp(k, "withdrawn") == 0 && type == FJ_STRING)
			o->withdrawn = true;
		return MAMORI_OK;
	}
	/* Debian's DSA/DLA and DEBIAN-CVE records name the CVE in "upstream". */
	if (d == 1 && (keyis(j, o, 0, "aliases") || keyis(j, o, 0, "upstream")) &&
	    j->arr[o->base + 1] && type == FJ_STRING) {
		for (int i = 0; i < o->ncves; i++)
			if (strlen(o->cves[i]) == len && memcmp(o->cves[i], s, len) == 0)
				return MAMORI_OK;
		if (o->ncves < MAX_CVES &&
		    feed_copy(o->cves[o->ncves], sizeof(o->cves[0]), s, len) == MAMORI_OK &&
		    feed_is_cve(o->cves[o->ncves]))
			o->ncves++;
		return MAMORI_OK;
	}
	struct affected *af = cur_aff(o);
	if (!af || !keyis(j, o, 0, "affected") || type != FJ_STRING)
		return MAMORI_OK;
	if (d == 3 && keyis(j, o, 2, "package")) {
		if (keyis(j, o, 3, "ecosystem"))
			copy_field(&af->bad, af->ecosystem, sizeof(af->ecosystem), s, len);
		else if (keyis(j, o, 3, "name"))
			copy_field(&af->bad, af->name, sizeof(af->name), s, len);
	} else if (d == 3 && keyis(j, o, 2, "ecosystem_specific") && keyis(j, o, 3, "urgency")) {
		copy_field(&af->bad, af->urgency, sizeof(af->urgency), s, len);
	} else if (d == 4 && keyis(j, o, 2, "ranges") && keyis(j, o, 4, "type")) {
		af->cur_git = len == 3 && memcmp(s, "GIT", 3) == 0;
	} else if (d == 3 && keyis(j, o, 2, "versions") && j->arr[o->base + 3]) {
		/* Kept only while they fit: the ranges normally cover them. */
		if (token_ok(s, len) && append(af->versions, sizeof(af->versions), 'v',
		    (const char *)s, len))
			af->nversions++;
	} else if (d == 6 && keyis(j, o, 2, "ranges") && keyis(j, o, 4, "events")) {
		const char *k = key_at(j, o, 6);
		if (!k)
			return MAMORI_OK;
		char kind = strcmp(k, "fixed") == 0 ? 'f' : strcmp(k, "introduced") == 0 ? 'i' :
		    strcmp(k, "last_affected") == 0 ? 'l' : 0;
		if (!kind)
			return MAMORI_OK;	/* "limit": a bound for git bisection */
		if (kind == 'f' && !af->cur_git) {
			copy_field(&af->bad, af->fixed, sizeof(af->fixed), s, len);
			af->nfixed++;
		}
		af->introduced |= kind == 'i';
		af->last_affected |= kind == 'l';
		if (token_ok(s, len) && append(af->cur, sizeof(af->cur), kind, (const char *)s, len))
			af->cur_events++;
		else
			af->cur_git = true;	/* unusable range: not kept */
	}
	return MAMORI_OK;
}

int
feed_osv_parse(struct feed_reader *in, struct feed_sink *sink)
{
	struct osv o = { .sink = sink, .base = 1 };
	if (!(o.aff = calloc(MAX_AFFECTED, sizeof(*o.aff))))
		return MAMORI_E_NOMEM;
	struct feed_json j = {
		.open = o_open, .close = o_close, .value = o_value,
		.ctx = &o, .sink = sink,
	};
	int rc = feed_json_run(&j, in);
	free(o.aff);
	return rc;
}
