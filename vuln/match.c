/*
 * match.c - installed source packages against advisory rows.
 */
#include "vuln/match.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "vuln/match_range.h"

const char *
match_state_name(enum match_state s)
{
	switch (s) {
	case MATCH_FIXABLE: return "fixable";
	case MATCH_UNFIXED: return "unfixed";
	case MATCH_MINOR: return "minor";
	}
	return "unfixed";
}

static bool
is_installed(const struct match_pkg *p)
{
	if (!p->status || !*p->status)
		return true;
	return strcmp(p->status, "config-files") != 0 &&
	    strcmp(p->status, "not-installed") != 0;
}

struct keyed {
	const struct match_pkg *p;
	const char *source;
	const char *version;
};

static int
by_source(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int rc = strcmp(x->source, y->source);
	if (!rc)
		rc = strcmp(x->version, y->version);
	if (!rc)
		rc = strcmp(x->p->name, y->p->name);
	return rc;
}

int
match_group(struct arena *a, const struct match_pkg *pkgs, size_t npkgs,
    struct vec *out)
{
	struct keyed *k;
	size_t n = 0;

	vec_init(out, sizeof(struct match_source), 0);
	if (npkgs == 0)
		return MAMORI_OK;
	if (npkgs > SIZE_MAX / sizeof(*k) || !(k = arena_alloc(a, npkgs * sizeof(*k))))
		return MAMORI_E_NOMEM;
	for (size_t i = 0; i < npkgs; i++) {
		const struct match_pkg *p = &pkgs[i];
		if (!p->name || !p->version || !is_installed(p))
			continue;
		k[n].p = p;
		k[n].source = p->source && *p->source ? p->source : p->name;
		k[n].version = p->source_version && *p->source_version ?
		    p->source_version : p->version;
		/* Debian signs kernels in a separate source whose version is
		 * "6.1.123+1" for linux "6.1.123-1"; the tracker only knows
		 * "linux", and the image's own version is linux's. */
		if (strncmp(k[n].source, "linux-signed-", 13) == 0) {
			k[n].source = "linux";
			k[n].version = p->version;
		}
		n++;
	}
	qsort(k, n, sizeof(*k), by_source);
	struct match_source *cur = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!cur || strcmp(cur->name, k[i].source) != 0 ||
		    strcmp(cur->version, k[i].version) != 0) {
			if (!(cur = vec_push(a, out)))
				return MAMORI_E_NOMEM;
			cur->name = k[i].source;
			cur->version = k[i].version;
			if (version_format_parse(k[i].p->format ? k[i].p->format : "deb",
			    &cur->format) != MAMORI_OK)
				cur->format = VERSION_DEB;
			vec_init(&cur->binaries, sizeof(const char *), 0);
		}
		const char **b = vec_push(a, &cur->binaries);
		if (!b)
			return MAMORI_E_NOMEM;
		*b = k[i].p->name;
	}
	return MAMORI_OK;
}

static bool
urgency_minor(const char *u)
{
	return u && strncmp(u, "unimportant", 11) == 0;
}

bool
match_eval(const struct match_source *src, const struct match_advisory *adv,
    struct match_verdict *out)
{
	const char *st = adv->status ? adv->status : "";
	bool has_fix = adv->fixed_version && *adv->fixed_version;

	if (strcmp(st, "not-affected") == 0)
		return false;
	out->fixed_version = has_fix ? adv->fixed_version : NULL;
	bool affected;
	if (adv->ranges && *adv->ranges && match_range_eval(src->format, src->version,
	    adv->ranges, &affected, out->buf, sizeof(out->buf)) == MAMORI_OK) {
		if (!affected)
			return false;
		out->fixed_version = out->buf[0] ? out->buf : NULL;
		out->state = out->fixed_version ? MATCH_FIXABLE : MATCH_UNFIXED;
	} else if (has_fix) {
		/* "0" (never affected) sorts below any installed version. */
		if (version_cmp(src->format, src->version, adv->fixed_version) >= 0)
			return false;
		out->state = MATCH_FIXABLE;
	} else {
		/* Resolved without a version: nothing left to fix here. */
		if (strcmp(st, "resolved") == 0)
			return false;
		out->state = MATCH_UNFIXED;
	}
	if (adv->minor || urgency_minor(adv->urgency))
		out->state = MATCH_MINOR;
	return true;
}

bool
match_fix_missing(const struct match_source *src, const char *fixed_version)
{
	return src->available && fixed_version && *fixed_version &&
	    version_cmp(src->format, src->available, fixed_version) < 0;
}

const char *
match_severity(const char *severity, double cvss, const char *urgency)
{
	static const char *const names[] = { "critical", "high", "medium", "low" };
	if (severity) {
		for (size_t i = 0; i < 4; i++)
			if (strcasecmp(severity, names[i]) == 0)
				return names[i];
	}
	if (cvss >= 9.0)
		return "critical";
	if (cvss >= 7.0)
		return "high";
	if (cvss >= 4.0)
		return "medium";
	if (cvss > 0.0)
		return "low";
	if (urgency) {
		/* Tracker urgencies, with or without the "**" mark. */
		if (strncmp(urgency, "high", 4) == 0)
			return "high";
		if (strncmp(urgency, "medium", 6) == 0)
			return "medium";
		if (strncmp(urgency, "low", 3) == 0 || urgency_minor(urgency))
			return "low";
	}
	return "unknown";
}

int
match_severity_rank(const char *severity)
{
	static const char *const names[] = { "unknown", "low", "medium", "high", "critical" };
	for (int i = 4; i > 0; i--)
		if (severity && strcmp(severity, names[i]) == 0)
			return i;
	return 0;
}

static int
fix_first(const void *a, const void *b)
{
	const struct match_result *x = a, *y = b;
	if (x->kev != y->kev)
		return x->kev ? -1 : 1;
	if (x->epss != y->epss)
		return x->epss > y->epss ? -1 : 1;
	if (x->severity_rank != y->severity_rank)
		return x->severity_rank > y->severity_rank ? -1 : 1;
	if (x->cvss != y->cvss)
		return x->cvss > y->cvss ? -1 : 1;
	if (x->state != y->state)
		return x->state < y->state ? -1 : 1;
	int rc = strcmp(y->cve, x->cve);
	if (rc)
		return rc;
	rc = strcmp(x->source->name, y->source->name);
	if (rc)
		return rc;
	return strcmp(x->source->version, y->source->version);
}

static int
fix_first_ptr(const void *a, const void *b)
{
	return fix_first(*(const struct match_result *const *)a,
	    *(const struct match_result *const *)b);
}

/*
 * Results are large structs: glibc's merge sort would copy them at every
 * level, so pointers are sorted and the array permuted once, in place
 * (cycle by cycle, one result held aside): a second array of thousands of
 * results cost more in page faults than the sort itself. Falls back to
 * sorting in place when the pointer array cannot be had.
 */
void
match_sort(struct match_result *r, size_t n)
{
	/* Ranked once here, not in every comparison. */
	for (size_t i = 0; i < n; i++)
		r[i].severity_rank = match_severity_rank(r[i].severity);
	if (n < 2)
		return;
	struct match_result **p = malloc(n * sizeof(*p));
	if (!p) {
		qsort(r, n, sizeof(*r), fix_first);
		return;
	}
	for (size_t i = 0; i < n; i++)
		p[i] = &r[i];
	qsort(p, n, sizeof(*p), fix_first_ptr);
	/* Slot i takes *p[i]; a placed slot's pointer is set to itself. */
	for (size_t i = 0; i < n; i++) {
		if (p[i] == &r[i])
			continue;
		struct match_result held = r[i];
		size_t j = i;
		for (;;) {
			size_t k = (size_t)(p[j] - r);
			p[j] = &r[j];
			if (k == i) {
				r[j] = held;
				break;
			}
			r[j] = r[k];
			j = k;
		}
	}
	free(p);
}
