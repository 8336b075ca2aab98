/*
 * sigma_int.h - internals shared by the sigma_*.c files; not an API.
 */
#ifndef MAMORI_DETECTION_SIGMA_INT_H
#define MAMORI_DETECTION_SIGMA_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "detection/sigma.h"
#include "detection/strmatch.h"

/* ---- YAML tree (sigma_parse.c) ---- */

enum ynode_kind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ynode_kind kind;
	size_t line;		/* 1-based */
	bool plain;		/* scalar written without quotes */
	struct span str;	/* scalar text (NUL-terminated in the arena) */
	struct ynode **items;	/* seq: n items; map: key, value, key, ... */
	size_t n;		/* seq items or map pairs */
};

struct sigma_yaml_err {
	size_t line;
	char msg[160];
};

/*
 * Parses every document of text into docs (struct ynode *). Bounded by
 * SIGMA_MAX_YAML_DEPTH / SIGMA_MAX_YAML_NODES per document. On a syntax
 * error the documents before it are kept and MAMORI_E_PARSE is returned
 * with err filled in.
 */
int sigma_yaml_parse(struct arena *a, struct span text, struct vec *docs,
    struct sigma_yaml_err *err);
/* Map lookup by key (exact); NULL when absent or not a map. */
const struct ynode *sigma_yaml_get(const struct ynode *map, const char *key);
/* A plain null / ~ / empty scalar. */
bool sigma_yaml_is_null(const struct ynode *n);

/* ---- compiled rules ---- */

#define SIGMA_SLOT_KEYS	3	/* mapped ECS key, verbatim, winlog.event_data.X */
#define SIGMA_KEY_RAW	0	/* key id 0 is ev->raw (keyword searches) */
#define SIGMA_NONE	UINT32_MAX

enum sigma_op {
	OP_EQ, OP_CONTAINS, OP_STARTS, OP_ENDS, OP_GLOB,	/* lit */
	OP_RE, OP_CIDR, OP_LT, OP_LTE, OP_GT, OP_GTE,
	OP_EXISTS,		/* field present (num != 0) or absent */
	OP_NULL,		/* field absent or empty */
	OP_REF_EQ, OP_REF_CONTAINS, OP_REF_STARTS, OP_REF_ENDS,
};

struct sigma_atom {
	uint8_t op;
	bool cased;
	uint8_t cidr_family;	/* 4 or 6 */
	uint8_t cidr_bits;
	uint32_t slot;			/* field slot; SIGMA_KEY_RAW slot 0 */
	uint32_t ref_slot;		/* fieldref */
	struct span lit;		/* EQ..ENDS: literal; GLOB: pattern */
	struct span need;		/* lowercased literal for the automaton
					 * (GLOB: longest literal run), may be empty */
	uint32_t needle[SIGMA_SLOT_KEYS]; /* global needle per slot key */
	double num;
	uint8_t addr[16];
	pcre2_code *re;
};

enum sigma_node_kind { N_FALSE, N_TRUE, N_ATOM, N_AND, N_OR, N_NOT, N_NOF };

struct sigma_node {
	uint8_t kind;
	uint32_t k;			/* N_NOF: at least k children */
	size_t n;
	struct sigma_node **kids;
	struct sigma_atom *atom;
};

/* A Sigma field name resolved to event keys, tried in order. */
struct sigma_slot {
	const char *name;
	uint32_t key[SIGMA_SLOT_KEYS];
	uint32_t nkeys;
};

/* An event key ("user.name") some rule needs. */
struct sigma_key {
	const char *name;
	uint64_t hash;
	struct vec lits;		/* struct span: needles, interned */
	uint32_t needle_base;		/* global id of lits[0] */
	struct strmatch_ac *ac;		/* NULL: no needles or table too big */
};

enum sigma_corr_type { CORR_EVENT_COUNT, CORR_VALUE_COUNT, CORR_TEMPORAL,
    CORR_TEMPORAL_ORDERED };

#define SIGMA_CMP_MAX 6
#define SIGMA_CORR_MAX_BYTES	(64u * 1024 * 1024)	/* all groups */
#define SIGMA_CORR_RING		256	/* event_count sliding window */
#define SIGMA_CORR_VALUES	1024	/* value_count distinct values */
#define SIGMA_CORR_DEPTH	16	/* correlation of correlation ... */
struct sigma_cmp {
	uint8_t op;			/* OP_LT .. OP_GTE, or OP_EQ / OP_REF_EQ as neq */
	uint64_t v;
};

struct sigma_corr {
	enum sigma_corr_type type;
	int64_t timespan_ms;
	bool generate;
	struct sigma_cmp cmp[SIGMA_CMP_MAX];
	size_t ncmp;
	bool monotonic;			/* only gt/gte: decide at once */
	uint64_t need;			/* monotonic: smallest count that fires */
	const char **refs;		/* rule names / ids as written */
	size_t nrefs;
	uint32_t *ref_rule;		/* resolved rule index per ref */
	const char **group;		/* group-by names (Sigma) */
	size_t ngroup;
	const char **group_ecs;		/* the names put in hits */
	uint32_t *group_slot;		/* nrefs * ngroup: slot per (ref, field) */
	const char **group_name;	/* nrefs * ngroup: field name per ref */
	const char *value_field;	/* value_count */
	uint32_t *value_slot;		/* per ref */
	const char **alias;		/* triples: alias, rule name, field */
	size_t nalias;
};

struct sigma_dep {
	uint32_t corr_rule;		/* the correlation's rule index */
	uint32_t pos;			/* position of this rule in its refs */
};

struct sigma_rule {
	struct sigma_rule_info info;
	struct sigma_node *root;	/* NULL for correlations */
	struct sigma_corr *corr;
	bool suppressed;		/* referenced, and generate is false */
	bool always;			/* no trigger needles: always evaluated */
	bool dead;			/* skipped at compile */
	bool dormant;			/* can never lead to an alert: not evaluated */
	struct vec deps;		/* struct sigma_dep */
	uint32_t stamp;			/* match generation it was queued in */
};

struct sigma_nstamp {
	uint32_t any, start, end, exact;
};

#define SIGMA_UNSET INT64_MIN
#define SIGMA_KEY_VALUE_MAX 256	/* group-by values are cut to this many bytes */
#define SIGMA_GROUP_MAX 16	/* group-by fields in a key */

struct vslot {
	uint64_t h;
	int64_t ts;
};

/* One correlation group: (correlation, group-by values) and its window. */
struct corr_group {
	struct corr_group *hnext;
	struct corr_group *prev, *next;	/* LRU: head = most recent */
	uint32_t rule;
	bool busy;
	uint64_t hash;
	size_t bytes;
	int64_t first_ts, last_ts;
	uint64_t count;			/* tumbling count */
	uint32_t nring, ring_head;
	uint32_t nvals, cap;
	int64_t *ts;			/* ring, or one per ref (temporal) */
	struct vslot *vals;
	size_t keylen;
	unsigned char key[];		/* per group-by value: 2-byte LE length, bytes */
};

struct sigma_ruleset {
	struct arena arena;		/* rules, atoms, strings */
	bool compiled;
	struct vec rules;		/* struct sigma_rule */
	struct vec slots;		/* struct sigma_slot */
	struct vec keys;		/* struct sigma_key */
	struct vec atoms;		/* struct sigma_atom * (for needle ids) */
	/* prefilter */
	uint32_t nneedles;
	uint32_t *needle_len;
	uint32_t *wake_off;		/* nneedles + 1 */
	uint32_t *wake;			/* rule ids */
	uint32_t *always;		/* rule ids */
	size_t nalways;
	/* scratch, per event */
	uint32_t gen;
	struct sigma_nstamp *nst;
	uint32_t *key_gen;
	struct span *key_val;
	uint32_t *cand;			/* candidate rules */
	size_t ncand;
	uint32_t *ktab;			/* key hash -> key id (open addressing) */
	size_t kmask;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	/* correlation */
	size_t max_groups;
	bool builtin_wins;		/* see sigma_ruleset_set_builtin_wins */
	size_t ngroups;
	bool in_expire;
	size_t corr_bytes;		/* bytes held by groups */
	struct corr_group **buckets;
	size_t nbuckets;
	struct corr_group *lru_head, *lru_tail;
	int64_t now_ms;
	struct sigma_stats stats;
	sigma_hit_fn cb;
	void *cb_ctx;
	int hits;
};

/* sigma_compile.c, sigma_fields.c, sigma_load.c */
void sigma_atoms_free_re(struct vec *atoms);
int sigma_rule_compile_doc(struct sigma_ruleset *rs, const struct ynode *doc,
    const char *file, struct sigma_report *report);
uint64_t sigma_hash(const char *s, size_t n);
uint32_t sigma_slot_get(struct sigma_ruleset *rs, const char *name);
void sigma_report_add(struct sigma_report *r, const char *file,
    const char *title, const char *id, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
int sigma_node_trigger(const struct sigma_node *n, struct vec *set,
    struct arena *tmp);

/* sigma_match.c */
bool sigma_slot_value(const struct sigma_ruleset *rs, uint32_t slot,
    const struct event *ev, struct span *out, uint32_t *which);
void sigma_emit(struct sigma_ruleset *rs, const struct sigma_hit *hit);

/* sigma_correlate.c */
int sigma_corr_compile(struct sigma_ruleset *rs, struct sigma_report *report);
void sigma_corr_feed(struct sigma_ruleset *rs, uint32_t rule,
    const struct event *ev, const struct sigma_hit *from);
void sigma_corr_flush(struct sigma_ruleset *rs);
/* The group of (rule, key), or NULL. */
struct corr_group *sigma_corr_group_find(struct sigma_ruleset *rs, uint32_t rule,
    const unsigned char *key, size_t keylen);
/* The group of (rule, key), made (reset, most recently used) when new;
 * NULL when no memory is left under the caps. */
struct corr_group *sigma_corr_group_get(struct sigma_ruleset *rs, uint32_t rule,
    const unsigned char *key, size_t keylen, int64_t ts);
/* Timestamps (ring or per ref) and value slots a group of co holds. */
void sigma_corr_group_size(const struct sigma_corr *co, size_t *nts, size_t *nv);
void sigma_corr_free(struct sigma_ruleset *rs);

#endif
