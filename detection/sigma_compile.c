/*
 * sigma_compile.c - one Sigma YAML document to a rule: metadata, the
 * mamori text block, search identifiers and modifiers to atoms, the
 * condition to a tree, correlation settings.
 */
#include "detection/sigma_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

/* ---- compile context ---- */

struct cctx {
	struct sigma_ruleset *rs;
	struct sigma_report *report;
	const char *file;
	const char *title;
	const char *id;
	struct vec atoms;		/* struct sigma_atom *, this rule */
	const struct ynode *det;	/* detection map */
	struct sigma_node **ids;	/* compiled search identifiers */
	size_t nids;
	int depth;
	bool failed;
};

__attribute__((format(printf, 3, 4)))
static void
fail(struct cctx *c, size_t line, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	if (c->failed)
		return;
	c->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sigma_report_add(c->report, c->file, c->title, c->id, line, "%s", msg);
}

static struct sigma_node *
node_new(struct cctx *c, uint8_t kind, size_t n)
{
	struct sigma_node *nd = arena_alloc(&c->rs->arena, sizeof(*nd));
	if (nd == NULL)
		return NULL;
	nd->kind = kind;
	nd->n = n;
	if (n && (nd->kids = arena_alloc(&c->rs->arena, n * sizeof(*nd->kids))) == NULL)
		return NULL;
	return nd;
}

static struct sigma_atom *
atom_new(struct cctx *c, uint8_t op, uint32_t slot)
{
	struct sigma_atom *a = arena_alloc(&c->rs->arena, sizeof(*a));
	struct sigma_atom **p;
	if (a == NULL || (p = vec_push(&c->rs->arena, &c->atoms)) == NULL)
		return NULL;
	*p = a;
	a->op = op;
	a->slot = slot;
	a->ref_slot = SIGMA_NONE;
	for (size_t i = 0; i < SIGMA_SLOT_KEYS; i++)
		a->needle[i] = SIGMA_NONE;
	return a;
}

static struct sigma_node *
atom_node(struct cctx *c, struct sigma_atom *a)
{
	struct sigma_node *n;
	if (a == NULL || (n = node_new(c, N_ATOM, 0)) == NULL)
		return NULL;
	n->atom = a;
	return n;
}

/* ---- values and modifiers ---- */

enum wild { W_NONE, W_CONTAINS, W_STARTS, W_ENDS };
enum xform { X_WINDASH, X_B64, X_B64OFF, X_U16LE, X_U16BE, X_U16 };

struct mods {
	enum wild wild;
	int op;			/* -1: string match */
	bool all, cased, fieldref, re_i, re_m, re_s, exists;
	enum xform xf[6];
	size_t nxf;
};

/* A value while transforms run: sigma = still has Sigma wildcards. */
struct val {
	struct span s;
	bool sigma;
};

static int
parse_mods(struct cctx *c, struct span spec, struct mods *m, size_t line)
{
	struct span head, rest = spec;
	memset(m, 0, sizeof(*m));
	m->op = -1;
	while (rest.len) {
		bool more = span_split(rest, '|', &head, &rest);
		(void)more;
		if (span_eq(head, "contains"))
			m->wild = W_CONTAINS;
		else if (span_eq(head, "startswith"))
			m->wild = W_STARTS;
		else if (span_eq(head, "endswith"))
			m->wild = W_ENDS;
		else if (span_eq(head, "all"))
			m->all = true;
		else if (span_eq(head, "cased"))
			m->cased = true;
		else if (span_eq(head, "re"))
			m->op = OP_RE;
		else if (span_eq(head, "i") || span_eq(head, "ignorecase"))
			m->re_i = true;
		else if (span_eq(head, "m") || span_eq(head, "multiline"))
			m->re_m = true;
		else if (span_eq(head, "s") || span_eq(head, "dotall"))
			m->re_s = true;
		else if (span_eq(head, "cidr"))
			m->op = OP_CIDR;
		else if (span_eq(head, "gt"))
			m->op = OP_GT;
		else if (span_eq(head, "gte"))
			m->op = OP_GTE;
		else if (span_eq(head, "lt"))
			m->op = OP_LT;
		else if (span_eq(head, "lte"))
			m->op = OP_LTE;
		else if (span_eq(head, "exists"))
			m->exists = true;
		else if (span_eq(head, "fieldref"))
			m->fieldref = true;
		else if (m->nxf < 6 && span_eq(head, "windash"))
			m->xf[m->nxf++] = X_WINDASH;
		else if (m->nxf < 6 && span_eq(head, "base64"))
			m->xf[m->nxf++] = X_B64;
		else if (m->nxf < 6 && span_eq(head, "base64offset"))
			m->xf[m->nxf++] = X_B64OFF;
		else if (m->nxf < 6 && (span_eq(head, "utf16le") || span_eq(head, "wide")))
			m->xf[m->nxf++] = X_U16LE;
		else if (m->nxf < 6 && span_eq(head, "utf16be"))
			m->xf[m->nxf++] = X_U16BE;
		else if (m->nxf < 6 && span_eq(head, "utf16"))
			m->xf[m->nxf++] = X_U16;
		else {
			fail(c, line, "unsupported modifier '%.*s'", (int)head.len, head.p);
			return MAMORI_E_UNSUPPORTED;
		}
	}
	if ((m->re_i || m->re_m || m->re_s) && m->op != OP_RE) {
		fail(c, line, "regular expression flags without |re");
		return MAMORI_E_UNSUPPORTED;
	}
	if (m->op >= 0 && (m->wild != W_NONE || m->nxf) && m->op != OP_RE) {
		fail(c, line, "modifier combination not supported");
		return MAMORI_E_UNSUPPORTED;
	}
	if (m->op == OP_RE && (m->wild != W_NONE || m->nxf)) {
		fail(c, line, "modifier combination with |re not supported");
		return MAMORI_E_UNSUPPORTED;
	}
	for (size_t i = 0; i < m->nxf; i++) {
		bool u16 = m->xf[i] == X_U16LE || m->xf[i] == X_U16BE || m->xf[i] == X_U16;
		if (u16 && (i + 1 == m->nxf || (m->xf[i + 1] != X_B64 &&
		    m->xf[i + 1] != X_B64OFF))) {
			fail(c, line, "utf16/wide only before base64 or base64offset");
			return MAMORI_E_UNSUPPORTED;
		}
	}
	return 0;
}

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *
b64(struct arena *a, const unsigned char *in, size_t n, size_t *outlen)
{
	size_t ol = (n + 2) / 3 * 4;
	char *o = arena_alloc(a, ol + 1);
	if (o == NULL)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		o[j++] = b64chars[(v >> 18) & 63];
		o[j++] = b64chars[(v >> 12) & 63];
		o[j++] = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
		o[j++] = i + 2 < n ? b64chars[v & 63] : '=';
	}
	*outlen = j;
	return o;
}

static bool
is_word(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch >= 0x80;
}

/* Applies one transform to every value; the list may grow. */
static int
xform(struct cctx *c, enum xform x, struct vec *in, struct vec *out)
{
	struct arena *a = &c->rs->arena;
	for (size_t i = 0; i < in->n; i++) {
		struct val *v = vec_at(in, i), *o;
		const unsigned char *p = (const unsigned char *)v->s.p;
		size_t n = v->s.len;
		if (x == X_WINDASH) {
			/* pySigma: each of five dashes put at every "-" or "/"
			 * that starts a word. */
			static const char *dashes[] = { "-", "/", "\xe2\x80\x93",
			    "\xe2\x80\x94", "\xe2\x80\x95" };
			for (size_t d = 0; d < 5; d++) {
				char *buf = arena_alloc(a, n * 3 + 1);
				size_t j = 0;
				if (buf == NULL || (o = vec_push(a, out)) == NULL)
					return MAMORI_E_NOMEM;
				for (size_t k = 0; k < n; k++) {
					bool at = (p[k] == '-' || p[k] == '/') &&
					    (k == 0 || !is_word(p[k - 1])) &&
					    k + 1 < n && is_word(p[k + 1]);
					if (at) {
						size_t dl = strlen(dashes[d]);
						memcpy(buf + j, dashes[d], dl);
						j += dl;
					} else {
						buf[j++] = (char)p[k];
					}
				}
				o->s = (struct span){ buf, j };
				o->sigma = v->sigma;
			}
			continue;
		}
		if (x == X_U16LE || x == X_U16BE || x == X_U16) {
			/* ASCII/Latin-1 bytes widened; enough for command
			 * lines in rules. */
			size_t bom = x == X_U16 ? 2 : 0;
			char *buf = arena_alloc(a, bom + 2 * n + 1);
			if (buf == NULL || (o = vec_push(a, out)) == NULL)
				return MAMORI_E_NOMEM;
			if (bom) {
				buf[0] = (char)0xff;
				buf[1] = (char)0xfe;
			}
			for (size_t k = 0; k < n; k++) {
				bool be = x == X_U16BE;
				buf[bom + 2 * k + (be ? 1 : 0)] = (char)p[k];
				buf[bom + 2 * k + (be ? 0 : 1)] = 0;
			}
			o->s = (struct span){ buf, bom + 2 * n };
			o->sigma = false;
			continue;
		}
		if (x == X_B64) {
			size_t ol;
			char *e = b64(a, p, n, &ol);
			if (e == NULL || (o = vec_push(a, out)) == NULL)
				return MAMORI_E_NOMEM;
			/* Padding would stop a contains match mid-stream. */
			while (ol && e[ol - 1] == '=')
				ol--;
			o->s = (struct span){ e, ol };
			o->sigma = false;
			continue;
		}
		/* X_B64OFF, as pySigma: the value at offsets 0, 1, 2 of a
		 * base64 stream, with the bytes that depend on neighbours cut. */
		static const size_t start[3] = { 0, 2, 3 };
		static const size_t endcut[3] = { 0, 3, 2 };
		for (size_t s = 0; s < 3; s++) {
			unsigned char *tmp = arena_alloc(a, n + 3);
			size_t ol;
			if (tmp == NULL)
				return MAMORI_E_NOMEM;
			memset(tmp, ' ', s);
			memcpy(tmp + s, p, n);
			char *e = b64(a, tmp, n + s, &ol);
			if (e == NULL)
				return MAMORI_E_NOMEM;
			size_t cut = endcut[(n + s) % 3];
			if (ol < start[s] + cut)
				continue;
			if ((o = vec_push(a, out)) == NULL)
				return MAMORI_E_NOMEM;
			o->s = (struct span){ e + start[s], ol - start[s] - cut };
			o->sigma = false;
		}
	}
	return 0;
}

/*
 * Builds the glob pattern (canonical escapes: '\' before a literal *, ?
 * or \) for a value with its wildcard modifier.
 */
static struct span
make_glob(struct arena *a, const struct val *v, enum wild w)
{
	char *buf = arena_alloc(a, v->s.len * 2 + 3);
	size_t j = 0;
	if (buf == NULL)
		return (struct span){ NULL, 0 };
	if (w == W_CONTAINS || w == W_ENDS)
		buf[j++] = '*';
	for (size_t i = 0; i < v->s.len; i++) {
		char ch = v->s.p[i];
		if (!v->sigma) {
			if (ch == '*' || ch == '?' || ch == '\\')
				buf[j++] = '\\';
			buf[j++] = ch;
			continue;
		}
		if (ch == '\\' && i + 1 < v->s.len && (v->s.p[i + 1] == '*' ||
		    v->s.p[i + 1] == '?' || v->s.p[i + 1] == '\\')) {
			buf[j++] = '\\';
			buf[j++] = v->s.p[++i];
		} else if (ch == '\\') {
			buf[j++] = '\\';
			buf[j++] = '\\';
		} else {
			buf[j++] = ch;
		}
	}
	if (w == W_CONTAINS || w == W_STARTS)
		buf[j++] = '*';
	buf[j] = '\0';
	return (struct span){ buf, j };
}

/* Fills atom op/lit/need from a canonical glob. */
static int
classify_glob(struct arena *a, struct sigma_atom *at, struct span g)
{
	size_t lead = 0, trail = 0, inner_wild = 0;
	char *lit = arena_alloc(a, g.len + 1);
	char *best = NULL;
	size_t lj = 0, best_len = 0;
	char *run = arena_alloc(a, g.len + 1);
	size_t rl = 0;

	if (lit == NULL || run == NULL)
		return MAMORI_E_NOMEM;
	while (lead < g.len && g.p[lead] == '*')
		lead++;
	size_t end = g.len;
	/* Trailing stars that are not escaped. */
	while (end > lead && g.p[end - 1] == '*') {
		size_t bs = 0;
		for (size_t k = end - 1; k > 0 && g.p[k - 1] == '\\'; k--)
			bs++;
		if (bs % 2)
			break;
		end--;
		trail++;
	}
	for (size_t i = lead; i < end; i++) {
		char ch = g.p[i];
		if (ch == '\\' && i + 1 < end) {
			ch = g.p[++i];
		} else if (ch == '*' || ch == '?') {
			inner_wild++;
			if (rl > best_len) {
				best = run;
				best_len = rl;
				run = arena_alloc(a, g.len + 1);
				if (run == NULL)
					return MAMORI_E_NOMEM;
			}
			rl = 0;
			continue;
		}
		lit[lj++] = ch;
		run[rl++] = (char)strmatch_lower((unsigned char)ch);
	}
	if (rl > best_len) {
		best = run;
		best_len = rl;
	}
	lit[lj] = '\0';
	if (inner_wild == 0) {
		at->lit = (struct span){ lit, lj };
		if (lead && trail)
			at->op = OP_CONTAINS;
		else if (lead)
			at->op = OP_ENDS;
		else if (trail)
			at->op = OP_STARTS;
		else
			at->op = OP_EQ;
		at->need = (struct span){ best ? best : "", best_len };
		if (lj == 0 && at->op != OP_EQ) {
			/* "*" alone: any value at all. */
			at->op = OP_GLOB;
			at->lit = g;
		}
		return 0;
	}
	at->op = OP_GLOB;
	at->lit = g;
	at->need = (struct span){ best ? best : "", best_len };
	return 0;
}

static int
parse_cidr(struct sigma_atom *at, const char *s)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long bits;
	if (n == 0 || n >= sizeof(buf))
		return MAMORI_E_PARSE;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, at->addr) == 1)
		at->cidr_family = 4;
	else if (inet_pton(AF_INET6, buf, at->addr) == 1)
		at->cidr_family = 6;
	else
		return MAMORI_E_PARSE;
	bits = at->cidr_family == 4 ? 32 : 128;
	if (slash) {
		char *end;
		errno = 0;
		unsigned long b = strtoul(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || b > bits)
			return MAMORI_E_PARSE;
		bits = b;
	}
	at->cidr_bits = (uint8_t)bits;
	return 0;
}

static struct sigma_node *
combine(struct cctx *c, struct vec *kids, bool all)
{
	if (kids->n == 1)
		return *(struct sigma_node **)vec_at(kids, 0);
	struct sigma_node *n = node_new(c, all ? N_AND : N_OR, kids->n);
	if (n == NULL)
		return NULL;
	if (kids->n)
		memcpy(n->kids, kids->items, kids->n * sizeof(*n->kids));
	return n;
}

/* One field (name|mods) with its value(s). */
static struct sigma_node *
compile_field(struct cctx *c, struct span key, const struct ynode *val,
    bool keyword)
{
	struct arena *a = &c->rs->arena;
	struct span fname, modspec = { "", 0 };
	struct mods m;
	struct vec kids;
	char *name;
	uint32_t slot;

	if (!span_split(key, '|', &fname, &modspec))
		fname = key;
	if (parse_mods(c, modspec, &m, val->line) != 0)
		return NULL;
	if (keyword && m.wild == W_NONE && m.op < 0)
		m.wild = W_CONTAINS;
	if ((name = arena_spandup(a, fname)) == NULL)
		return NULL;
	if ((slot = sigma_slot_get(c->rs, name)) == SIGMA_NONE)
		return NULL;
	vec_init(&kids, sizeof(struct sigma_node *), 0);

	const struct ynode *const *items = (const struct ynode *const *)&val;
	size_t nitems = 1;
	if (val->kind == Y_SEQ) {
		items = (const struct ynode *const *)val->items;
		nitems = val->n;
	}
	if (val->kind == Y_MAP) {
		fail(c, val->line, "field '%s': a map as value is not supported", name);
		return NULL;
	}
	if (m.exists) {
		if (val->kind != Y_SCALAR || !(span_eq(val->str, "true") ||
		    span_eq(val->str, "false"))) {
			fail(c, val->line, "field '%s': |exists needs true or false", name);
			return NULL;
		}
		struct sigma_atom *at = atom_new(c, OP_EXISTS, slot);
		if (at == NULL)
			return NULL;
		at->num = span_eq(val->str, "true") ? 1 : 0;
		return atom_node(c, at);
	}
	for (size_t i = 0; i < nitems; i++) {
		const struct ynode *it = items[i];
		struct sigma_node **kp;
		if (it->kind != Y_SCALAR) {
			fail(c, it->line, "field '%s': nested value list", name);
			return NULL;
		}
		if (sigma_yaml_is_null(it)) {
			struct sigma_atom *at = atom_new(c, OP_NULL, slot);
			if ((kp = vec_push(a, &kids)) == NULL || (*kp = atom_node(c, at)) == NULL)
				return NULL;
			continue;
		}
		const char *s = it->str.p;
		if (m.op == OP_GT || m.op == OP_GTE || m.op == OP_LT || m.op == OP_LTE) {
			char *end;
			errno = 0;
			double d = strtod(s, &end);
			if (errno || end == s || *end || !isfinite(d)) {
				fail(c, it->line, "field '%s': '%s' is not a number", name, s);
				return NULL;
			}
			struct sigma_atom *at = atom_new(c, (uint8_t)m.op, slot);
			if (at == NULL)
				return NULL;
			at->num = d;
			if ((kp = vec_push(a, &kids)) == NULL || (*kp = atom_node(c, at)) == NULL)
				return NULL;
			continue;
		}
		if (m.op == OP_CIDR) {
			struct sigma_atom *at = atom_new(c, OP_CIDR, slot);
			if (at == NULL)
				return NULL;
			if (parse_cidr(at, s) != 0) {
				fail(c, it->line, "field '%s': bad CIDR '%s'", name, s);
				return NULL;
			}
			if ((kp = vec_push(a, &kids)) == NULL || (*kp = atom_node(c, at)) == NULL)
				return NULL;
			continue;
		}
		if (m.op == OP_RE) {
			int errc;
			PCRE2_SIZE erroff;
			uint32_t fl = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
			if (m.re_i)
				fl |= PCRE2_CASELESS;
			if (m.re_m)
				fl |= PCRE2_MULTILINE;
			if (m.re_s)
				fl |= PCRE2_DOTALL;
			struct sigma_atom *at = atom_new(c, OP_RE, slot);
			if (at == NULL)
				return NULL;
			at->re = pcre2_compile((PCRE2_SPTR)s, it->str.len, fl, &errc,
			    &erroff, NULL);
			if (at->re == NULL) {
				PCRE2_UCHAR msg[120];
				pcre2_get_error_message(errc, msg, sizeof(msg));
				fail(c, it->line, "field '%s': bad regular expression at %zu: %s",
				    name, (size_t)erroff, (const char *)msg);
				return NULL;
			}
			(void)pcre2_jit_compile(at->re, PCRE2_JIT_COMPLETE);
			if ((kp = vec_push(a, &kids)) == NULL || (*kp = atom_node(c, at)) == NULL)
				return NULL;
			continue;
		}
		if (m.fieldref) {
			static const uint8_t refop[] = { OP_REF_EQ, OP_REF_CONTAINS,
			    OP_REF_STARTS, OP_REF_ENDS };
			struct sigma_atom *at = atom_new(c, refop[m.wild], slot);
			if (at == NULL)
				return NULL;
			at->cased = m.cased;
			if ((at->ref_slot = sigma_slot_get(c->rs, s)) == SIGMA_NONE)
				return NULL;
			if ((kp = vec_push(a, &kids)) == NULL || (*kp = atom_node(c, at)) == NULL)
				return NULL;
			continue;
		}
		/* Strings: transforms, then one atom per variant (OR). */
		struct vec cur, next;
		vec_init(&cur, sizeof(struct val), 0);
		struct val *v0 = vec_push(a, &cur);
		if (v0 == NULL)
			return NULL;
		v0->s = it->str;
		v0->sigma = true;
		bool b64used = false;
		for (size_t x = 0; x < m.nxf; x++) {
			vec_init(&next, sizeof(struct val), 0);
			if (xform(c, m.xf[x], &cur, &next) != 0)
				return NULL;
			cur = next;
			if (m.xf[x] == X_B64 || m.xf[x] == X_B64OFF)
				b64used = true;
		}
		struct vec vk;
		vec_init(&vk, sizeof(struct sigma_node *), 0);
		for (size_t k = 0; k < cur.n; k++) {
			struct val *v = vec_at(&cur, k);
			struct span g = make_glob(a, v, m.wild);
			struct sigma_atom *at = atom_new(c, OP_EQ, slot);
			if (g.p == NULL || at == NULL)
				return NULL;
			at->cased = m.cased || b64used;
			if (classify_glob(a, at, g) != 0)
				return NULL;
			if ((kp = vec_push(a, &vk)) == NULL || (*kp = atom_node(c, at)) == NULL)
				return NULL;
		}
		if (vk.n == 0)
			continue;
		if ((kp = vec_push(a, &kids)) == NULL || (*kp = combine(c, &vk, false)) == NULL)
			return NULL;
	}
	if (kids.n == 0) {
		/* An empty list matches nothing. */
		return node_new(c, N_FALSE, 0);
	}
	return combine(c, &kids, m.all);
}

static struct sigma_node *
compile_map(struct cctx *c, const struct ynode *map)
{
	struct vec kids;
	vec_init(&kids, sizeof(struct sigma_node *), 0);
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = map->items[2 * i], *v = map->items[2 * i + 1];
		struct sigma_node **kp;
		if (k->kind != Y_SCALAR) {
			fail(c, k->line, "field name is not a string");
			return NULL;
		}
		bool kw = k->str.len == 0 || k->str.p[0] == '|';
		if ((kp = vec_push(&c->rs->arena, &kids)) == NULL ||
		    (*kp = compile_field(c, k->str, v, kw)) == NULL)
			return NULL;
	}
	if (kids.n == 0)
		return node_new(c, N_TRUE, 0);
	return combine(c, &kids, true);
}

/* A search identifier: map (AND), list of maps (OR), or keywords (OR). */
static struct sigma_node *
compile_search(struct cctx *c, const struct ynode *n)
{
	if (n->kind == Y_MAP)
		return compile_map(c, n);
	if (n->kind == Y_SCALAR)
		return compile_field(c, SPAN_LIT(""), n, true);
	struct vec kids;
	vec_init(&kids, sizeof(struct sigma_node *), 0);
	bool scalars = true;
	for (size_t i = 0; i < n->n; i++)
		if (n->items[i]->kind != Y_SCALAR)
			scalars = false;
	if (scalars)
		return compile_field(c, SPAN_LIT(""), n, true);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *it = n->items[i];
		struct sigma_node **kp = vec_push(&c->rs->arena, &kids);
		if (kp == NULL)
			return NULL;
		if (it->kind == Y_MAP)
			*kp = compile_map(c, it);
		else if (it->kind == Y_SCALAR)
			*kp = compile_field(c, SPAN_LIT(""), it, true);
		else {
			fail(c, it->line, "nested list in a search identifier");
			return NULL;
		}
		if (*kp == NULL)
			return NULL;
	}
	if (kids.n == 0)
		return node_new(c, N_FALSE, 0);
	return combine(c, &kids, false);
}

/* ---- condition ---- */

struct lexer {
	struct span s;
	size_t pos;
	struct span tok;
	size_t line;
};

static bool
ident_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '*' || ch == '-' ||
	    ch == '.';
}

/* Next token: identifier/word, "(", ")", "|", or empty at end. */
static void
lex(struct lexer *l)
{
	while (l->pos < l->s.len && (l->s.p[l->pos] == ' ' || l->s.p[l->pos] == '\t' ||
	    l->s.p[l->pos] == '\n' || l->s.p[l->pos] == '\r'))
		l->pos++;
	size_t st = l->pos;
	if (l->pos < l->s.len && !ident_char(l->s.p[l->pos]))
		l->pos++;
	else
		while (l->pos < l->s.len && ident_char(l->s.p[l->pos]))
			l->pos++;
	l->tok = (struct span){ l->s.p + st, l->pos - st };
}

static bool
tok_is(const struct lexer *l, const char *w)
{
	return span_eq_nocase(l->tok, w);
}

static bool
pat_match(struct span pat, const char *name)
{
	return strmatch_glob(pat, span_from_cstr(name), true);
}

static struct sigma_node *cond_or(struct cctx *c, struct lexer *l);

static struct sigma_node *
cond_quant(struct cctx *c, struct lexer *l, bool all, uint32_t k)
{
	lex(l);
	if (!tok_is(l, "of")) {
		fail(c, l->line, "condition: expected 'of'");
		return NULL;
	}
	lex(l);
	if (l->tok.len == 0 || l->tok.p[0] == '(' || l->tok.p[0] == ')' ||
	    l->tok.p[0] == '|') {
		fail(c, l->line, "condition: expected a name after 'of'");
		return NULL;
	}
	bool them = tok_is(l, "them");
	struct vec kids;
	vec_init(&kids, sizeof(struct sigma_node *), 0);
	for (size_t i = 0, id = 0; i < c->det->n; i++) {
		const struct ynode *key = c->det->items[2 * i];
		if (span_eq(key->str, "condition") || span_eq(key->str, "timeframe"))
			continue;
		bool hit = them ? key->str.p[0] != '_' : pat_match(l->tok, key->str.p);
		if (hit) {
			struct sigma_node **kp = vec_push(&c->rs->arena, &kids);
			if (kp == NULL)
				return NULL;
			*kp = c->ids[id];
		}
		id++;
	}
	if (kids.n == 0) {
		fail(c, l->line, "condition: '%.*s' matches no search identifier",
		    (int)l->tok.len, l->tok.p);
		return NULL;
	}
	lex(l);
	if (all)
		return combine(c, &kids, true);
	if (k == 1)
		return combine(c, &kids, false);
	struct sigma_node *n = node_new(c, N_NOF, kids.n);
	if (n == NULL)
		return NULL;
	memcpy(n->kids, kids.items, kids.n * sizeof(*n->kids));
	n->k = k;
	return n;
}

static struct sigma_node *
cond_primary(struct cctx *c, struct lexer *l)
{
	if (++c->depth > 64) {
		fail(c, l->line, "condition nested too deeply");
		return NULL;
	}
	struct sigma_node *r = NULL;
	if (tok_is(l, "not")) {
		lex(l);
		struct sigma_node *k = cond_primary(c, l);
		if (k && (r = node_new(c, N_NOT, 1)) != NULL)
			r->kids[0] = k;
	} else if (span_eq(l->tok, "(")) {
		lex(l);
		r = cond_or(c, l);
		if (r && !span_eq(l->tok, ")")) {
			fail(c, l->line, "condition: missing ')'");
			r = NULL;
		} else if (r) {
			lex(l);
		}
	} else if (tok_is(l, "all") || tok_is(l, "any")) {
		r = cond_quant(c, l, tok_is(l, "all"), 1);
	} else if (l->tok.len && l->tok.p[0] >= '0' && l->tok.p[0] <= '9') {
		uint64_t k;
		if (span_to_u64(l->tok, 1000000, &k) != 0 || k == 0) {
			fail(c, l->line, "condition: bad count '%.*s'", (int)l->tok.len,
			    l->tok.p);
			return NULL;
		}
		r = cond_quant(c, l, false, (uint32_t)k);
	} else if (l->tok.len && ident_char(l->tok.p[0]) &&
	    !tok_is(l, "and") && !tok_is(l, "or")) {
		for (size_t i = 0, id = 0; i < c->det->n; i++) {
			const struct ynode *key = c->det->items[2 * i];
			if (span_eq(key->str, "condition") || span_eq(key->str, "timeframe"))
				continue;
			if (key->str.len == l->tok.len &&
			    memcmp(key->str.p, l->tok.p, l->tok.len) == 0) {
				r = c->ids[id];
				break;
			}
			id++;
		}
		if (r == NULL)
			fail(c, l->line, "condition: unknown search identifier '%.*s'",
			    (int)l->tok.len, l->tok.p);
		else
			lex(l);
	} else if (span_eq(l->tok, "|")) {
		fail(c, l->line, "aggregation in condition ('| count()...') is obsolete "
		    "Sigma; use a correlation rule");
	} else {
		fail(c, l->line, "condition: unexpected '%.*s'", (int)l->tok.len,
		    l->tok.p);
	}
	c->depth--;
	return r;
}

static struct sigma_node *
cond_bin(struct cctx *c, struct lexer *l, bool is_or)
{
	struct vec kids;
	vec_init(&kids, sizeof(struct sigma_node *), 0);
	for (;;) {
		struct sigma_node *k = is_or ? cond_bin(c, l, false) : cond_primary(c, l);
		struct sigma_node **kp;
		if (k == NULL || (kp = vec_push(&c->rs->arena, &kids)) == NULL)
			return NULL;
		*kp = k;
		if (!tok_is(l, is_or ? "or" : "and"))
			break;
		lex(l);
	}
	return combine(c, &kids, !is_or);
}

static struct sigma_node *
cond_or(struct cctx *c, struct lexer *l)
{
	return cond_bin(c, l, true);
}

static struct sigma_node *
compile_condition(struct cctx *c, const struct ynode *cond)
{
	struct lexer l = { cond->str, 0, { NULL, 0 }, cond->line };
	lex(&l);
	struct sigma_node *r = cond_or(c, &l);
	if (r && l.tok.len) {
		if (span_eq(l.tok, "|"))
			fail(c, cond->line, "aggregation in condition ('| count()...') "
			    "is obsolete Sigma; use a correlation rule");
		else
			fail(c, cond->line, "condition: unexpected '%.*s'",
			    (int)l.tok.len, l.tok.p);
		return NULL;
	}
	return r;
}

/* ---- rule documents ---- */

static const char *
scalar_dup(struct sigma_ruleset *rs, const struct ynode *n)
{
	if (n == NULL || n->kind != Y_SCALAR)
		return NULL;
	return arena_spandup(&rs->arena, n->str);
}

static int
parse_text(struct sigma_ruleset *rs, const struct ynode *n, struct i18n_text *t)
{
	const char *en = scalar_dup(rs, sigma_yaml_get(n, "en"));
	const char *ja = scalar_dup(rs, sigma_yaml_get(n, "ja"));
	if (en == NULL && ja == NULL)
		return MAMORI_E_PARSE;
	t->en = en ? en : ja;
	t->ja = ja ? ja : en;
	return 0;
}

static enum alert_severity
severity_of(const char *s, enum alert_severity dflt)
{
	static const char *names[] = { "informational", "low", "medium", "high",
	    "critical" };
	if (s == NULL)
		return dflt;
	if (strcmp(s, "info") == 0)
		return ALERT_INFO;
	for (size_t i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum alert_severity)i;
	return dflt;
}

static int
parse_info(struct cctx *c, const struct ynode *doc, struct sigma_rule *r)
{
	struct sigma_ruleset *rs = c->rs;
	struct sigma_rule_info *in = &r->info;
	const struct ynode *ls = sigma_yaml_get(doc, "logsource");
	const struct ynode *tags = sigma_yaml_get(doc, "tags");
	const struct ynode *mm = sigma_yaml_get(doc, "mamori");

	in->title = c->title;
	in->id = c->id ? c->id : c->title;
	in->name = scalar_dup(rs, sigma_yaml_get(doc, "name"));
	in->description = scalar_dup(rs, sigma_yaml_get(doc, "description"));
	in->level = scalar_dup(rs, sigma_yaml_get(doc, "level"));
	in->status = scalar_dup(rs, sigma_yaml_get(doc, "status"));
	in->file = arena_strdup(&rs->arena, c->file);
	in->logsource_product = scalar_dup(rs, sigma_yaml_get(ls, "product"));
	in->logsource_service = scalar_dup(rs, sigma_yaml_get(ls, "service"));
	in->logsource_category = scalar_dup(rs, sigma_yaml_get(ls, "category"));
	if (tags && tags->kind == Y_SEQ && tags->n) {
		const char **t = arena_alloc(&rs->arena, tags->n * sizeof(*t));
		if (t == NULL)
			return MAMORI_E_NOMEM;
		for (size_t i = 0; i < tags->n; i++)
			if ((t[in->ntags] = scalar_dup(rs, tags->items[i])) != NULL)
				in->ntags++;
		in->tags = t;
	}
	struct alert_rule *ar = &in->alert;
	ar->id = in->id;
	ar->name = in->title;
	ar->severity = severity_of(in->level, ALERT_MEDIUM);
	ar->ir_step = IR_DETECT;
	ar->what = (struct i18n_text){ in->title, in->title };
	ar->why = (struct i18n_text){ in->description ? in->description : in->title,
	    in->description ? in->description : in->title };
	/* a rule without the mamori block still tells the reader what to do */
	ar->action = (struct i18n_text){
		"Ask your IT vendor to look at this event; the rule's title says what it looks for.",
		"この記録の確認を IT 担当業者に依頼してください。ルールの題名が検知の内容を示しています。" };
	if (mm == NULL)
		return 0;
	if (mm->kind != Y_MAP) {
		fail(c, mm->line, "the mamori block is not a map");
		return MAMORI_E_PARSE;
	}
	ar->severity = severity_of(scalar_dup(rs, sigma_yaml_get(mm, "severity")),
	    ar->severity);
	in->builtin = scalar_dup(rs, sigma_yaml_get(mm, "builtin"));
	const char *step = scalar_dup(rs, sigma_yaml_get(mm, "ir_step"));
	if (step && strcmp(step, "report") == 0)
		ar->ir_step = IR_REPORT;
	else if (step && strcmp(step, "recover") == 0)
		ar->ir_step = IR_RECOVER;
	const struct ynode *w;
	if ((w = sigma_yaml_get(mm, "what")) && parse_text(rs, w, &ar->what) != 0)
		fail(c, w->line, "mamori.what needs en/ja text");
	if ((w = sigma_yaml_get(mm, "why")) && parse_text(rs, w, &ar->why) != 0)
		fail(c, w->line, "mamori.why needs en/ja text");
	if ((w = sigma_yaml_get(mm, "action")) && parse_text(rs, w, &ar->action) != 0)
		fail(c, w->line, "mamori.action needs en/ja text");
	return c->failed ? MAMORI_E_PARSE : 0;
}

static int
parse_timespan(struct span s, int64_t *ms)
{
	uint64_t n;
	int64_t unit;
	if (s.len < 2)
		return MAMORI_E_PARSE;
	switch (s.p[s.len - 1]) {
	case 's': unit = 1000; break;
	case 'm': unit = 60 * 1000; break;
	case 'h': unit = 3600 * 1000; break;
	case 'd': unit = 86400 * 1000; break;
	case 'w': unit = 7 * 86400 * 1000; break;
	default: return MAMORI_E_PARSE;
	}
	if (span_to_u64((struct span){ s.p, s.len - 1 }, 366ull * 86400, &n) != 0 ||
	    n == 0)
		return MAMORI_E_PARSE;
	*ms = (int64_t)n * unit;
	return 0;
}

static const char **
name_list(struct cctx *c, const struct ynode *n, size_t *count)
{
	*count = 0;
	if (n == NULL)
		return NULL;
	size_t cnt = n->kind == Y_SEQ ? n->n : 1;
	const char **out = arena_alloc(&c->rs->arena, (cnt ? cnt : 1) * sizeof(*out));
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < cnt; i++) {
		const struct ynode *it = n->kind == Y_SEQ ? n->items[i] : n;
		if (it->kind != Y_SCALAR || it->str.len == 0) {
			fail(c, it->line, "correlation: expected a list of names");
			return NULL;
		}
		if ((out[i] = scalar_dup(c->rs, it)) == NULL)
			return NULL;
	}
	*count = cnt;
	return out;
}

static int
parse_correlation(struct cctx *c, const struct ynode *doc, const struct ynode *cn,
    struct sigma_rule *r)
{
	struct sigma_corr *co = arena_alloc(&c->rs->arena, sizeof(*co));
	const struct ynode *t, *cond;
	if (co == NULL)
		return MAMORI_E_NOMEM;
	if (cn->kind != Y_MAP) {
		fail(c, cn->line, "correlation is not a map");
		return MAMORI_E_PARSE;
	}
	t = sigma_yaml_get(cn, "type");
	if (t == NULL || t->kind != Y_SCALAR) {
		fail(c, cn->line, "correlation: type missing");
		return MAMORI_E_PARSE;
	}
	if (span_eq(t->str, "event_count"))
		co->type = CORR_EVENT_COUNT;
	else if (span_eq(t->str, "value_count"))
		co->type = CORR_VALUE_COUNT;
	else if (span_eq(t->str, "temporal"))
		co->type = CORR_TEMPORAL;
	else if (span_eq(t->str, "temporal_ordered"))
		co->type = CORR_TEMPORAL_ORDERED;
	else {
		fail(c, t->line, "correlation type '%s' not supported", t->str.p);
		return MAMORI_E_UNSUPPORTED;
	}
	co->refs = name_list(c, sigma_yaml_get(cn, "rules"), &co->nrefs);
	if (c->failed)
		return MAMORI_E_PARSE;
	if (co->nrefs == 0 || co->nrefs > 64) {
		fail(c, cn->line, "correlation: 'rules' needs 1 to 64 rules");
		return MAMORI_E_PARSE;
	}
	co->group = name_list(c, sigma_yaml_get(cn, "group-by"), &co->ngroup);
	if (c->failed)
		return MAMORI_E_PARSE;
	if (co->ngroup > 16) {
		fail(c, cn->line, "correlation: too many group-by fields");
		return MAMORI_E_PARSE;
	}
	const struct ynode *ts = sigma_yaml_get(cn, "timespan");
	if (ts == NULL)
		ts = sigma_yaml_get(cn, "timeframe");
	if (ts == NULL || ts->kind != Y_SCALAR ||
	    parse_timespan(ts->str, &co->timespan_ms) != 0) {
		fail(c, ts ? ts->line : cn->line, "correlation: bad or missing timespan");
		return MAMORI_E_PARSE;
	}
	const struct ynode *gen = sigma_yaml_get(cn, "generate");
	if (gen == NULL)
		gen = sigma_yaml_get(doc, "generate");
	co->generate = gen && gen->kind == Y_SCALAR && span_eq(gen->str, "true");
	const struct ynode *al = sigma_yaml_get(cn, "aliases");
	if (al && al->kind == Y_MAP) {
		size_t cnt = 0;
		for (size_t i = 0; i < al->n; i++)
			if (al->items[2 * i + 1]->kind == Y_MAP)
				cnt += al->items[2 * i + 1]->n;
		if (cnt > 1024) {
			fail(c, al->line, "correlation: too many aliases");
			return MAMORI_E_PARSE;
		}
		co->alias = arena_alloc(&c->rs->arena, (cnt * 3 + 1) * sizeof(*co->alias));
		if (co->alias == NULL)
			return MAMORI_E_NOMEM;
		for (size_t i = 0; i < al->n; i++) {
			const struct ynode *m = al->items[2 * i + 1];
			if (m->kind != Y_MAP)
				continue;
			for (size_t j = 0; j < m->n; j++) {
				const char **tr = &co->alias[3 * co->nalias];
				tr[0] = scalar_dup(c->rs, al->items[2 * i]);
				tr[1] = scalar_dup(c->rs, m->items[2 * j]);
				tr[2] = scalar_dup(c->rs, m->items[2 * j + 1]);
				if (tr[0] && tr[1] && tr[2])
					co->nalias++;
			}
		}
	}
	const struct ynode *vf = sigma_yaml_get(cn, "field");
	cond = sigma_yaml_get(cn, "condition");
	co->monotonic = true;
	if (cond && cond->kind == Y_MAP) {
		for (size_t i = 0; i < cond->n; i++) {
			const struct ynode *k = cond->items[2 * i], *v = cond->items[2 * i + 1];
			uint8_t op;
			uint64_t num;
			if (span_eq(k->str, "field")) {
				vf = v;
				continue;
			}
			if (span_eq(k->str, "gt"))
				op = OP_GT;
			else if (span_eq(k->str, "gte"))
				op = OP_GTE;
			else if (span_eq(k->str, "lt"))
				op = OP_LT;
			else if (span_eq(k->str, "lte"))
				op = OP_LTE;
			else if (span_eq(k->str, "eq"))
				op = OP_EQ;
			else if (span_eq(k->str, "neq"))
				op = OP_REF_EQ;
			else {
				fail(c, k->line, "correlation condition '%s' not supported",
				    k->str.p);
				return MAMORI_E_UNSUPPORTED;
			}
			if (v->kind != Y_SCALAR || span_to_u64(v->str, 1u << 30, &num) != 0) {
				fail(c, v->line, "correlation condition needs a count");
				return MAMORI_E_PARSE;
			}
			if (co->ncmp == SIGMA_CMP_MAX) {
				fail(c, k->line, "correlation condition too long");
				return MAMORI_E_PARSE;
			}
			co->cmp[co->ncmp].op = op;
			co->cmp[co->ncmp].v = num;
			co->ncmp++;
			if (op != OP_GT && op != OP_GTE)
				co->monotonic = false;
			uint64_t need = op == OP_GT ? num + 1 : num;
			if (need > co->need)
				co->need = need;
		}
	} else if (cond) {
		fail(c, cond->line, "correlation condition is not a map");
		return MAMORI_E_PARSE;
	}
	if (co->ncmp == 0) {
		if (co->type == CORR_EVENT_COUNT || co->type == CORR_VALUE_COUNT) {
			fail(c, cn->line, "correlation: condition missing");
			return MAMORI_E_PARSE;
		}
		co->need = co->nrefs;
		co->cmp[0].op = OP_GTE;
		co->cmp[0].v = co->nrefs;
		co->ncmp = 1;
	}
	if (co->need == 0)
		co->need = 1;
	if (co->type == CORR_VALUE_COUNT) {
		if (vf == NULL || vf->kind != Y_SCALAR || vf->str.len == 0) {
			fail(c, cn->line, "value_count: condition.field missing");
			return MAMORI_E_PARSE;
		}
		co->value_field = scalar_dup(c->rs, vf);
		if (co->need > 1024) {
			fail(c, cn->line, "value_count above 1024 distinct values not supported");
			return MAMORI_E_UNSUPPORTED;
		}
	}
	r->corr = co;
	return 0;
}

void
sigma_atoms_free_re(struct vec *atoms)
{
	for (size_t i = 0; i < atoms->n; i++) {
		struct sigma_atom *a = *(struct sigma_atom **)vec_at(atoms, i);
		pcre2_code_free(a->re);
		a->re = NULL;
	}
}

int
sigma_rule_compile_doc(struct sigma_ruleset *rs, const struct ynode *doc,
    const char *file, struct sigma_report *report)
{
	struct cctx c = { .rs = rs, .report = report, .file = file };
	struct sigma_rule r;
	const struct ynode *det, *corr, *cond;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	vec_init(&c.atoms, sizeof(struct sigma_atom *), 0);
	if (doc->kind != Y_MAP) {
		fail(&c, doc->line, "document is not a map");
		goto skip;
	}
	c.title = scalar_dup(rs, sigma_yaml_get(doc, "title"));
	c.id = scalar_dup(rs, sigma_yaml_get(doc, "id"));
	if (sigma_yaml_get(doc, "action")) {
		fail(&c, doc->line, "rule collections ('action: global/repeat/reset') "
		    "are not supported");
		goto skip;
	}
	if (sigma_yaml_get(doc, "filter")) {
		fail(&c, doc->line, "Sigma filter documents are not supported");
		goto skip;
	}
	if (c.title == NULL || c.title[0] == '\0') {
		fail(&c, doc->line, "rule has no title");
		goto skip;
	}
	if ((rc = parse_info(&c, doc, &r)) != 0) {
		if (rc == MAMORI_E_NOMEM)
			goto out;
		goto skip;
	}
	corr = sigma_yaml_get(doc, "correlation");
	det = sigma_yaml_get(doc, "detection");
	if (corr) {
		if ((rc = parse_correlation(&c, doc, corr, &r)) != 0) {
			if (rc == MAMORI_E_NOMEM)
				goto out;
			goto skip;
		}
		r.info.correlation = true;
		goto add;
	}
	if (det == NULL || det->kind != Y_MAP) {
		fail(&c, doc->line, "rule has no detection");
		goto skip;
	}
	c.det = det;
	cond = sigma_yaml_get(det, "condition");
	if (sigma_yaml_get(det, "timeframe")) {
		fail(&c, det->line, "'timeframe' (obsolete aggregation) is not supported; "
		    "use a correlation rule");
		goto skip;
	}
	if (cond == NULL) {
		fail(&c, det->line, "detection has no condition");
		goto skip;
	}
	c.ids = arena_alloc(&rs->arena, (det->n ? det->n : 1) * sizeof(*c.ids));
	if (c.ids == NULL) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < det->n; i++) {
		const struct ynode *k = det->items[2 * i];
		if (k->kind != Y_SCALAR) {
			fail(&c, k->line, "search identifier is not a name");
			goto skip;
		}
		if (span_eq(k->str, "condition"))
			continue;
		if ((c.ids[c.nids++] = compile_search(&c, det->items[2 * i + 1])) == NULL) {
			if (!c.failed) {
				rc = MAMORI_E_NOMEM;
				goto out;
			}
			goto skip;
		}
	}
	if (cond->kind == Y_SCALAR) {
		r.root = compile_condition(&c, cond);
	} else if (cond->kind == Y_SEQ && cond->n) {
		/* A list of conditions: any of them. */
		struct sigma_node *o = node_new(&c, N_OR, cond->n);
		for (size_t i = 0; o && i < cond->n; i++) {
			if (cond->items[i]->kind != Y_SCALAR ||
			    (o->kids[i] = compile_condition(&c, cond->items[i])) == NULL) {
				fail(&c, cond->items[i]->line, "bad condition");
				o = NULL;
			}
		}
		r.root = o;
	} else {
		fail(&c, cond->line, "condition is not a string");
	}
	if (r.root == NULL) {
		if (!c.failed) {
			rc = MAMORI_E_NOMEM;
			goto out;
		}
		goto skip;
	}
add:
	vec_init(&r.deps, sizeof(struct sigma_dep), 0);
	struct sigma_rule *slot = vec_push(&rs->arena, &rs->rules);
	if (slot == NULL) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	*slot = r;
	for (size_t i = 0; i < c.atoms.n; i++) {
		struct sigma_atom **p = vec_push(&rs->arena, &rs->atoms);
		if (p == NULL) {
			rc = MAMORI_E_NOMEM;
			goto out;
		}
		*p = *(struct sigma_atom **)vec_at(&c.atoms, i);
	}
	c.atoms.n = 0;
	if (report) {
		if (r.info.correlation)
			report->correlations_loaded++;
		else
			report->rules_loaded++;
	}
	return 0;
skip:
	if (report)
		report->rules_skipped++;
	rc = 0;
out:
	sigma_atoms_free_re(&c.atoms);
	return rc;
}

