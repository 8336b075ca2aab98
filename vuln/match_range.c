/*
 * match_range.c - evaluating encoded OSV ranges (see match_range.h).
 */
#include "vuln/match_range.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"

struct range_state {
	enum version_format f;
	const char *v;
	/* The deciding event so far: the highest one at or below v. */
	char last[MATCH_RANGE_VERSION_MAX];
	char last_kind;			/* 0: none yet */
	/* The lowest fixed event above v. */
	char next_fix[MATCH_RANGE_VERSION_MAX];
	bool have_fix;
};

/* "0" is OSV's "from the beginning": below every version. */
static int
cmp(enum version_format f, const char *a, const char *b)
{
	bool az = strcmp(a, "0") == 0, bz = strcmp(b, "0") == 0;
	if (az || bz)
		return az == bz ? 0 : az ? -1 : 1;
	return version_cmp(f, a, b);
}

static void
event(struct range_state *r, char kind, const char *ver)
{
	/* last_affected X means "X is affected": it decides only above X. */
	int c = cmp(r->f, ver, r->v);
	bool at_or_below = kind == 'l' ? c < 0 : c <= 0;
	if (kind == 'f' && c > 0 && (!r->have_fix || cmp(r->f, ver, r->next_fix) < 0)) {
		snprintf(r->next_fix, sizeof(r->next_fix), "%s", ver);
		r->have_fix = true;
	}
	if (!at_or_below)
		return;
	/* Later-or-equal events win; at equal versions a fix beats an
	 * introduction (OSV sorts "fixed" after "introduced" of one version). */
	if (r->last_kind) {
		int d = cmp(r->f, ver, r->last);
		if (d < 0 || (d == 0 && kind == 'i'))
			return;
	}
	snprintf(r->last, sizeof(r->last), "%s", ver);
	r->last_kind = kind;
}

/* Folds one finished range into the answer. */
static void
finish(struct range_state *r, bool *affected, bool *unfixed, char *fixed, size_t fixedsz,
    enum version_format f)
{
	if (r->last_kind == 'i') {
		*affected = true;
		if (!r->have_fix)
			*unfixed = true;
		else if (!*fixed || cmp(f, r->next_fix, fixed) > 0)
			snprintf(fixed, fixedsz, "%s", r->next_fix);
	}
	r->last_kind = 0;
	r->have_fix = false;
}

int
match_range_eval(enum version_format f, const char *installed, const char *ranges,
    bool *affected, char *fixed, size_t fixedsz)
{
	struct range_state r = { .f = f, .v = installed };
	bool listed = false, unfixed = false;
	char all_fix[MATCH_RANGE_VERSION_MAX] = "";
	bool any_fix = false;
	const char *p = ranges;

	*affected = false;
	if (fixedsz)
		fixed[0] = '\0';
	if (!fixedsz)
		return MAMORI_E_INVAL;
	while (*p) {
		size_t n = strcspn(p, " ");
		if (n == 1 && *p == '|') {
			finish(&r, affected, &unfixed, fixed, fixedsz, f);
		} else if (n >= 2 && n - 1 < MATCH_RANGE_VERSION_MAX && strchr("iflv", *p)) {
			char ver[MATCH_RANGE_VERSION_MAX];
			memcpy(ver, p + 1, n - 1);
			ver[n - 1] = '\0';
			if (*p == 'v') {
				listed |= cmp(f, ver, installed) == 0;
			} else {
				event(&r, *p, ver);
				/* For a listed version: the lowest fix above it anywhere. */
				if (*p == 'f' && cmp(f, ver, installed) > 0 &&
				    (!any_fix || cmp(f, ver, all_fix) < 0)) {
					snprintf(all_fix, sizeof(all_fix), "%s", ver);
					any_fix = true;
				}
			}
		} else {
			return MAMORI_E_PARSE;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	finish(&r, affected, &unfixed, fixed, fixedsz, f);
	if (listed && !*affected) {
		*affected = true;
		if (any_fix)
			snprintf(fixed, fixedsz, "%s", all_fix);
		else
			unfixed = true;
	}
	if (unfixed)
		fixed[0] = '\0';
	return MAMORI_OK;
}
