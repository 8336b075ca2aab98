/* strmatch.c - Aho-Corasick multi-needle scan and case-folded helpers. */
#include "detection/strmatch.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define NONE UINT32_MAX
#define OUT_FLAG 0x80000000u

struct strmatch_ac {
	uint8_t cls[256];	/* byte -> class; 0 = in no needle */
	uint32_t ncls;
	uint32_t nstates;
	uint32_t *delta;	/* nstates * ncls, complete DFA; entries are row
				 * offsets (state * ncls), OUT_FLAG when the state
				 * ends a needle, so the scan loop does one load
				 * and no multiply per byte */
	uint32_t *report;	/* first state with outputs on the suffix chain */
	uint32_t *dict;		/* next such state after this one */
	uint32_t *out_head;	/* per state: first needle ending here */
	uint32_t *out_next;	/* per needle: next needle ending at the same state */
};

int
strmatch_ac_build(struct strmatch_ac **out, const struct span *needles, size_t n)
{
	struct strmatch_ac *ac;
	uint32_t *fail = NULL, *queue = NULL;
	size_t total = 1;
	int rc = MAMORI_E_NOMEM;

	*out = NULL;
	if (n == 0 || n >= NONE)
		return MAMORI_E_INVAL;
	for (size_t i = 0; i < n; i++) {
		if (needles[i].len == 0)
			return MAMORI_E_INVAL;
		if (needles[i].len > NONE / 2 || total > NONE / 2)
			return MAMORI_E_LIMIT;
		total += needles[i].len;
	}
	if ((ac = calloc(1, sizeof(*ac))) == NULL)
		return MAMORI_E_NOMEM;
	ac->ncls = 1;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < needles[i].len; j++) {
			unsigned char c = strmatch_lower((unsigned char)needles[i].p[j]);
			if (ac->cls[c] == 0 && ac->ncls < 256)
				ac->cls[c] = (uint8_t)ac->ncls++;
		}
	}
	/* Folded bytes: at most 230 distinct, so classes fit in a byte. */
	for (unsigned c = 'A'; c <= 'Z'; c++)
		ac->cls[c] = ac->cls[c + 32];
	if (total > STRMATCH_MAX_TABLE / sizeof(uint32_t) / ac->ncls ||
	    total * ac->ncls >= OUT_FLAG) {
		rc = MAMORI_E_LIMIT;
		goto out;
	}
	ac->delta = malloc(total * ac->ncls * sizeof(uint32_t));
	ac->report = malloc(total * sizeof(uint32_t));
	ac->dict = malloc(total * sizeof(uint32_t));
	ac->out_head = malloc(total * sizeof(uint32_t));
	ac->out_next = malloc(n * sizeof(uint32_t));
	fail = malloc(total * sizeof(uint32_t));
	queue = malloc(total * sizeof(uint32_t));
	if (!ac->delta || !ac->report || !ac->dict || !ac->out_head ||
	    !ac->out_next || !fail || !queue)
		goto out;
	memset(ac->delta, 0xff, total * ac->ncls * sizeof(uint32_t));
	ac->out_head[0] = NONE;
	ac->nstates = 1;
	/* The trie. */
	for (size_t i = 0; i < n; i++) {
		uint32_t s = 0;
		for (size_t j = 0; j < needles[i].len; j++) {
			uint32_t c = ac->cls[(unsigned char)needles[i].p[j]];
			uint32_t *t = &ac->delta[(size_t)s * ac->ncls + c];
			if (*t == NONE) {
				*t = ac->nstates;
				ac->out_head[ac->nstates] = NONE;
				ac->nstates++;
			}
			s = *t;
		}
		ac->out_next[i] = ac->out_head[s];
		ac->out_head[s] = (uint32_t)i;
	}
	/* Breadth first: failure links, completed transitions, output chains. */
	size_t qh = 0, qt = 0;
	fail[0] = 0;
	ac->report[0] = NONE;
	ac->dict[0] = NONE;
	for (uint32_t c = 0; c < ac->ncls; c++) {
		uint32_t t = ac->delta[c];
		if (t == NONE) {
			ac->delta[c] = 0;
		} else {
			fail[t] = 0;
			queue[qt++] = t;
		}
	}
	while (qh < qt) {
		uint32_t s = queue[qh++];
		uint32_t f = fail[s];
		ac->dict[s] = ac->report[f];
		ac->report[s] = ac->out_head[s] != NONE ? s : ac->dict[s];
		for (uint32_t c = 0; c < ac->ncls; c++) {
			uint32_t *t = &ac->delta[(size_t)s * ac->ncls + c];
			uint32_t ft = ac->delta[(size_t)f * ac->ncls + c];
			if (*t == NONE) {
				*t = ft;
			} else {
				fail[*t] = ft;
				queue[qt++] = *t;
			}
		}
	}
	for (size_t i = 0; i < (size_t)ac->nstates * ac->ncls; i++) {
		uint32_t t = ac->delta[i];
		ac->delta[i] = t * ac->ncls | (ac->report[t] != NONE ? OUT_FLAG : 0);
	}
	*out = ac;
	ac = NULL;
	rc = 0;
out:
	free(fail);
	free(queue);
	strmatch_ac_free(ac);
	return rc;
}

void
strmatch_ac_scan(const struct strmatch_ac *ac, struct span text, strmatch_fn fn,
    void *ctx)
{
	const unsigned char *p = (const unsigned char *)text.p;
	const uint32_t *delta = ac->delta;
	const uint8_t *cls = ac->cls;
	uint32_t row = 0;

	for (size_t i = 0; i < text.len; i++) {
		row = delta[row + cls[p[i]]];
		if (__builtin_expect((row & OUT_FLAG) != 0, 0)) {
			row &= ~OUT_FLAG;
			uint32_t s = row / ac->ncls;
			for (uint32_t r = ac->report[s]; r != NONE; r = ac->dict[r])
				for (uint32_t k = ac->out_head[r]; k != NONE;
				    k = ac->out_next[k])
					fn(ctx, k, i + 1);
		}
	}
}

size_t
strmatch_ac_states(const struct strmatch_ac *ac)
{
	return ac->nstates;
}

void
strmatch_ac_free(struct strmatch_ac *ac)
{
	if (ac == NULL)
		return;
	free(ac->delta);
	free(ac->report);
	free(ac->dict);
	free(ac->out_head);
	free(ac->out_next);
	free(ac);
}

static inline bool
byte_eq(unsigned char a, unsigned char b, bool cased)
{
	return cased ? a == b : strmatch_lower(a) == strmatch_lower(b);
}

bool
strmatch_eq(struct span a, struct span b, bool cased)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (!byte_eq((unsigned char)a.p[i], (unsigned char)b.p[i], cased))
			return false;
	return true;
}

size_t
strmatch_find(struct span hay, struct span needle, bool cased)
{
	if (needle.len == 0)
		return 0;
	if (needle.len > hay.len)
		return SIZE_MAX;
	unsigned char f = strmatch_lower((unsigned char)needle.p[0]);
	for (size_t i = 0; i + needle.len <= hay.len; i++) {
		unsigned char c = (unsigned char)hay.p[i];
		if (cased ? c != (unsigned char)needle.p[0] : strmatch_lower(c) != f)
			continue;
		size_t j = 1;
		while (j < needle.len && byte_eq((unsigned char)hay.p[i + j],
		    (unsigned char)needle.p[j], cased))
			j++;
		if (j == needle.len)
			return i;
	}
	return SIZE_MAX;
}

bool
strmatch_glob(struct span pat, struct span text, bool cased)
{
	size_t p = 0, t = 0;
	size_t star_p = SIZE_MAX, star_t = 0;

	while (t < text.len) {
		if (p < pat.len && pat.p[p] == '*') {
			star_p = ++p;
			star_t = t;
			continue;
		}
		if (p < pat.len && pat.p[p] == '?') {
			p++;
			t++;
			continue;
		}
		if (p < pat.len) {
			size_t q = p;
			if (pat.p[q] == '\\' && q + 1 < pat.len)
				q++;
			if (byte_eq((unsigned char)pat.p[q], (unsigned char)text.p[t],
			    cased)) {
				p = q + 1;
				t++;
				continue;
			}
		}
		if (star_p == SIZE_MAX)
			return false;
		p = star_p;
		t = ++star_t;
	}
	while (p < pat.len && pat.p[p] == '*')
		p++;
	return p == pat.len;
}
