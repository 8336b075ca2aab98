/*
 * sigma_load.c - rule sets: reading buffers, files and folders, the
 * per-rule report, and the prefilter built at compile time (one
 * Aho-Corasick automaton per event key, trigger needles per rule).
 */
#include "detection/sigma_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"

/* ---- report ---- */

void
sigma_report_init(struct sigma_report *r)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->arena, 64u * 1024 * 1024);
	vec_init(&r->items, sizeof(struct sigma_report_item), 100000);
}

void
sigma_report_release(struct sigma_report *r)
{
	arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

void
sigma_report_add(struct sigma_report *r, const char *file, const char *title,
    const char *id, size_t line, const char *fmt, ...)
{
	struct sigma_report_item *it;
	va_list ap;

	if (r == NULL || (it = vec_push(&r->arena, &r->items)) == NULL)
		return;
	it->file = arena_strdup(&r->arena, file ? file : "(buffer)");
	it->title = title ? arena_strdup(&r->arena, title) : NULL;
	it->id = id ? arena_strdup(&r->arena, id) : NULL;
	it->line = line;
	va_start(ap, fmt);
	it->reason = arena_vprintf(&r->arena, fmt, ap);
	va_end(ap);
	if (it->file == NULL)
		it->file = "(buffer)";
	if (it->reason == NULL)
		it->reason = "(no memory)";
}

/* ---- ruleset ---- */

int
sigma_ruleset_new(struct sigma_ruleset **out)
{
	struct sigma_ruleset *rs = calloc(1, sizeof(*rs));
	*out = NULL;
	if (rs == NULL)
		return MAMORI_E_NOMEM;
	arena_init(&rs->arena, 1024u * 1024 * 1024);
	vec_init(&rs->rules, sizeof(struct sigma_rule), 0);
	vec_init(&rs->slots, sizeof(struct sigma_slot), 0);
	vec_init(&rs->keys, sizeof(struct sigma_key), 0);
	vec_init(&rs->atoms, sizeof(struct sigma_atom *), 0);
	rs->max_groups = SIGMA_MAX_CORR_GROUPS;
	/* Key 0 / slot 0: the raw line. */
	struct sigma_key *k = vec_push(&rs->arena, &rs->keys);
	struct sigma_slot *s = vec_push(&rs->arena, &rs->slots);
	if (k == NULL || s == NULL) {
		sigma_ruleset_free(rs);
		return MAMORI_E_NOMEM;
	}
	k->name = "";
	vec_init(&k->lits, sizeof(struct span), 0);
	s->name = "";
	s->nkeys = 1;
	s->key[0] = SIGMA_KEY_RAW;
	*out = rs;
	return 0;
}

void
sigma_ruleset_set_max_groups(struct sigma_ruleset *rs, size_t max_groups)
{
	if (!rs->compiled)
		rs->max_groups = max_groups ? max_groups : SIGMA_MAX_CORR_GROUPS;
}

void
sigma_ruleset_set_builtin_wins(struct sigma_ruleset *rs, bool on)
{
	if (!rs->compiled)
		rs->builtin_wins = on;
}

int
sigma_ruleset_add_buffer(struct sigma_ruleset *rs, struct span yaml,
    const char *name, struct sigma_report *report)
{
	struct arena tmp;
	struct vec docs;
	struct sigma_yaml_err err;
	int rc;

	if (rs->compiled)
		return MAMORI_E_INVAL;
	if (name == NULL)
		name = "(buffer)";
	if (report)
		report->files++;
	if (yaml.len > SIGMA_MAX_FILE_BYTES) {
		sigma_report_add(report, name, NULL, NULL, 0,
		    "file larger than %u bytes", (unsigned)SIGMA_MAX_FILE_BYTES);
		if (report)
			report->rules_skipped++;
		return 0;
	}
	arena_init(&tmp, 256u * 1024 * 1024);
	vec_init(&docs, sizeof(struct ynode *), 10000);
	rc = sigma_yaml_parse(&tmp, yaml, &docs, &err);
	if (rc == MAMORI_E_NOMEM)
		goto out;
	if (rc != 0) {
		/* Name the rule even though its YAML is broken. */
		char *title = NULL;
		struct cursor cur;
		struct span line;
		cursor_init(&cur, yaml.p, yaml.len);
		while (title == NULL && cursor_line(&cur, &line))
			if (span_starts_with(line, "title:"))
				title = arena_spandup(&tmp, span_trim((struct span){
				    line.p + 6, line.len - 6 }));
		sigma_report_add(report, name, title, NULL, err.line, "%s", err.msg);
		if (report)
			report->rules_skipped++;
	}
	rc = 0;
	for (size_t i = 0; i < docs.n && rc == 0; i++)
		rc = sigma_rule_compile_doc(rs, *(struct ynode **)vec_at(&docs, i),
		    name, report);
out:
	arena_release(&tmp);
	return rc;
}

static int
read_file(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	int rc = 0;
	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return errno == ENOENT ? MAMORI_E_NOTFOUND : MAMORI_E_IO;
	if (fstat(fd, &st) != 0) {
		rc = MAMORI_E_IO;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = MAMORI_E_INVAL;
		goto out;
	}
	if ((size_t)st.st_size > SIGMA_MAX_FILE_BYTES) {
		rc = MAMORI_E_LIMIT;
		goto out;
	}
	if ((*buf = malloc((size_t)st.st_size + 1)) == NULL) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	while (*len < (size_t)st.st_size) {
		ssize_t n = read(fd, *buf + *len, (size_t)st.st_size - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	(*buf)[*len] = '\0';
out:
	close(fd);
	if (rc != 0) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

int
sigma_ruleset_add_file(struct sigma_ruleset *rs, const char *path,
    struct sigma_report *report)
{
	char *buf;
	size_t len;
	int rc = read_file(path, &buf, &len);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc != 0) {
		sigma_report_add(report, path, NULL, NULL, 0, "cannot read: %s",
		    rc == MAMORI_E_LIMIT ? "file too large" : err_str(rc));
		if (report)
			report->rules_skipped++;
		return rc == MAMORI_E_NOTFOUND ? rc : 0;
	}
	rc = sigma_ruleset_add_buffer(rs, (struct span){ buf, len }, path, report);
	free(buf);
	return rc;
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
collect(struct arena *a, const char *dir, int depth, struct vec *paths)
{
	DIR *d;
	struct dirent *de;
	if (depth > 16)
		return 0;
	if ((d = opendir(dir)) == NULL)
		return depth == 0 ? (errno == ENOENT ? MAMORI_E_NOTFOUND : MAMORI_E_IO) : 0;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *p;
		if (de->d_name[0] == '.')
			continue;
		if ((p = arena_printf(a, "%s/%s", dir, de->d_name)) == NULL)
			goto nomem;
		if (stat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (collect(a, p, depth + 1, paths) == MAMORI_E_NOMEM)
				goto nomem;
			continue;
		}
		size_t n = strlen(de->d_name);
		if (!S_ISREG(st.st_mode) || !((n > 4 && strcmp(de->d_name + n - 4, ".yml") == 0) ||
		    (n > 5 && strcmp(de->d_name + n - 5, ".yaml") == 0)))
			continue;
		char **slot = vec_push(a, paths);
		if (slot == NULL)
			goto nomem;
		*slot = p;
	}
	closedir(d);
	return 0;
nomem:
	closedir(d);
	return MAMORI_E_NOMEM;
}

int
sigma_ruleset_add_dir(struct sigma_ruleset *rs, const char *dir,
    struct sigma_report *report)
{
	struct arena tmp;
	struct vec paths;
	int rc;
	arena_init(&tmp, 64u * 1024 * 1024);
	vec_init(&paths, sizeof(char *), 200000);
	if ((rc = collect(&tmp, dir, 0, &paths)) != 0)
		goto out;
	if (paths.n)
		qsort(paths.items, paths.n, sizeof(char *), path_cmp);
	for (size_t i = 0; i < paths.n; i++) {
		rc = sigma_ruleset_add_file(rs, *(char **)vec_at(&paths, i), report);
		if (rc == MAMORI_E_NOMEM)
			goto out;
		rc = 0;
	}
out:
	arena_release(&tmp);
	return rc;
}

/* ---- prefilter ---- */

/*
 * Needles whose hit is necessary for the node to be true, or "any" (the
 * node can be true without any needle: the rule is always evaluated).
 * Returns 1 for "any", 0 with set filled, or a negative error.
 */
int
sigma_node_trigger(const struct sigma_node *n, struct vec *set, struct arena *tmp)
{
	switch (n->kind) {
	case N_FALSE:
		return 0;
	case N_TRUE:
	case N_NOT:
		return 1;
	case N_ATOM: {
		const struct sigma_atom *a = n->atom;
		if (a->op > OP_GLOB || a->need.len == 0)
			return 1;
		for (size_t j = 0; j < SIGMA_SLOT_KEYS; j++) {
			if (a->needle[j] == SIGMA_NONE)
				continue;
			uint32_t *p = vec_push(tmp, set);
			if (p == NULL)
				return MAMORI_E_NOMEM;
			*p = a->needle[j];
		}
		return 0;
	}
	case N_AND: {
		struct vec best;
		bool have = false;
		for (size_t i = 0; i < n->n; i++) {
			struct vec s;
			vec_init(&s, sizeof(uint32_t), 0);
			int rc = sigma_node_trigger(n->kids[i], &s, tmp);
			if (rc < 0)
				return rc;
			if (rc == 1)
				continue;
			if (!have || s.n < best.n) {
				best = s;
				have = true;
			}
		}
		if (!have)
			return 1;
		for (size_t i = 0; i < best.n; i++) {
			uint32_t *p = vec_push(tmp, set);
			if (p == NULL)
				return MAMORI_E_NOMEM;
			*p = *(uint32_t *)vec_at(&best, i);
		}
		return 0;
	}
	case N_OR:
	case N_NOF:
		for (size_t i = 0; i < n->n; i++) {
			int rc = sigma_node_trigger(n->kids[i], set, tmp);
			if (rc != 0)
				return rc;
		}
		return 0;
	}
	return 1;
}

static int
intern_needles(struct sigma_ruleset *rs)
{
	/* Hash (key, lowercased literal) -> local index in key->lits. */
	size_t want = 16;
	int rc = 0;
	while (want < rs->atoms.n * SIGMA_SLOT_KEYS * 2 + 16)
		want <<= 1;
	struct { uint32_t key, local; uint64_t h; } *tab = calloc(want, sizeof(*tab));
	if (tab == NULL)
		return MAMORI_E_NOMEM;
	for (size_t i = 0; i < want; i++)
		tab[i].key = SIGMA_NONE;
	for (size_t i = 0; i < rs->atoms.n; i++) {
		struct sigma_atom *a = *(struct sigma_atom **)vec_at(&rs->atoms, i);
		if (a->op > OP_GLOB || a->need.len == 0)
			continue;
		const struct sigma_slot *s = vec_at(&rs->slots, a->slot);
		for (uint32_t j = 0; j < s->nkeys; j++) {
			uint32_t kid = s->key[j];
			struct sigma_key *k = vec_at(&rs->keys, kid);
			uint64_t h = sigma_hash(a->need.p, a->need.len) ^ ((uint64_t)kid * 0x9e3779b97f4a7c15ull);
			size_t pos = h & (want - 1);
			for (;;) {
				if (tab[pos].key == SIGMA_NONE) {
					struct span *sp = vec_push(&rs->arena, &k->lits);
					if (sp == NULL) {
						rc = MAMORI_E_NOMEM;
						goto out;
					}
					*sp = a->need;
					tab[pos].key = kid;
					tab[pos].h = h;
					tab[pos].local = (uint32_t)(k->lits.n - 1);
					break;
				}
				if (tab[pos].key == kid && tab[pos].h == h) {
					const struct span *o = vec_at(&k->lits, tab[pos].local);
					if (o->len == a->need.len && memcmp(o->p, a->need.p, o->len) == 0)
						break;
				}
				pos = (pos + 1) & (want - 1);
			}
			a->needle[j] = tab[pos].local;	/* local for now */
		}
	}
out:
	free(tab);
	return rc;
}

int
sigma_ruleset_compile(struct sigma_ruleset *rs, struct sigma_report *report)
{
	struct arena tmp;
	int rc;

	if (rs->compiled)
		return MAMORI_E_INVAL;
	arena_init(&tmp, 512u * 1024 * 1024);
	if ((rc = sigma_corr_compile(rs, report)) != 0)
		goto out;
	if ((rc = intern_needles(rs)) != 0)
		goto out;
	/* One automaton per event key; global needle ids. */
	uint32_t base = 0;
	for (size_t i = 0; i < rs->keys.n; i++) {
		struct sigma_key *k = vec_at(&rs->keys, i);
		k->needle_base = base;
		if (k->lits.n == 0)
			continue;
		rc = strmatch_ac_build(&k->ac, k->lits.items, k->lits.n);
		if (rc == MAMORI_E_NOMEM)
			goto out;
		rc = 0;		/* too big: those atoms are evaluated directly */
		base += (uint32_t)k->lits.n;
	}
	rs->nneedles = base;
	for (size_t i = 0; i < rs->atoms.n; i++) {
		struct sigma_atom *a = *(struct sigma_atom **)vec_at(&rs->atoms, i);
		if (a->op > OP_GLOB || a->need.len == 0)
			continue;
		const struct sigma_slot *s = vec_at(&rs->slots, a->slot);
		for (uint32_t j = 0; j < s->nkeys; j++) {
			const struct sigma_key *k = vec_at(&rs->keys, s->key[j]);
			a->needle[j] = k->ac ? k->needle_base + a->needle[j] : SIGMA_NONE;
		}
	}
	rs->needle_len = calloc(base + 1, sizeof(uint32_t));
	rs->nst = calloc(base + 1, sizeof(*rs->nst));
	rs->wake_off = calloc(base + 2, sizeof(uint32_t));
	rs->key_gen = calloc(rs->keys.n, sizeof(uint32_t));
	rs->key_val = calloc(rs->keys.n, sizeof(struct span));
	rs->cand = calloc(rs->rules.n + 1, sizeof(uint32_t));
	rs->always = calloc(rs->rules.n + 1, sizeof(uint32_t));
	rs->md = pcre2_match_data_create(1, NULL);
	rs->mctx = pcre2_match_context_create(NULL);
	if (!rs->needle_len || !rs->nst || !rs->wake_off || !rs->key_gen ||
	    !rs->key_val || !rs->cand || !rs->always || !rs->md || !rs->mctx) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	size_t kt = 16;
	while (kt < rs->keys.n * 4)
		kt <<= 1;
	if ((rs->ktab = malloc(kt * sizeof(uint32_t))) == NULL) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	memset(rs->ktab, 0xff, kt * sizeof(uint32_t));
	rs->kmask = kt - 1;
	for (size_t i = 1; i < rs->keys.n; i++) {
		const struct sigma_key *k = vec_at(&rs->keys, i);
		size_t pos = k->hash & rs->kmask;
		while (rs->ktab[pos] != SIGMA_NONE)
			pos = (pos + 1) & rs->kmask;
		rs->ktab[pos] = (uint32_t)i;
	}
	/* Bounded backtracking: a hostile line cannot stall the pipeline. */
	pcre2_set_match_limit(rs->mctx, 100000);
	pcre2_set_depth_limit(rs->mctx, 1000);
	for (size_t i = 0; i < rs->keys.n; i++) {
		const struct sigma_key *k = vec_at(&rs->keys, i);
		if (k->ac == NULL)
			continue;
		for (size_t j = 0; j < k->lits.n; j++)
			rs->needle_len[k->needle_base + j] =
			    (uint32_t)((const struct span *)vec_at(&k->lits, j))->len;
	}
	/* Triggers: rule r is woken by any needle of its set. */
	struct vec *sets = arena_alloc(&tmp, (rs->rules.n + 1) * sizeof(*sets));
	if (sets == NULL) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < rs->rules.n; i++) {
		struct sigma_rule *r = vec_at(&rs->rules, i);
		vec_init(&sets[i], sizeof(uint32_t), 0);
		if (r->root == NULL || r->dead)
			continue;
		rc = sigma_node_trigger(r->root, &sets[i], &tmp);
		if (rc < 0)
			goto out;
		r->always = rc == 1;
		rc = 0;
		if (r->always) {
			rs->always[rs->nalways++] = (uint32_t)i;
			continue;
		}
		for (size_t j = 0; j < sets[i].n; j++)
			rs->wake_off[*(uint32_t *)vec_at(&sets[i], j) + 1]++;
	}
	for (uint32_t n = 0; n < base; n++)
		rs->wake_off[n + 1] += rs->wake_off[n];
	rs->wake = calloc(rs->wake_off[base] + 1, sizeof(uint32_t));
	uint32_t *fill = calloc(base + 1, sizeof(uint32_t));
	if (rs->wake == NULL || fill == NULL) {
		free(fill);
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < rs->rules.n; i++) {
		const struct sigma_rule *r = vec_at(&rs->rules, i);
		if (r->root == NULL || r->dead || r->always)
			continue;
		for (size_t j = 0; j < sets[i].n; j++) {
			uint32_t nd = *(uint32_t *)vec_at(&sets[i], j);
			rs->wake[rs->wake_off[nd] + fill[nd]++] = (uint32_t)i;
		}
	}
	free(fill);
	rs->compiled = true;
out:
	arena_release(&tmp);
	return rc;
}

static int
load_finish(struct sigma_ruleset **out, struct sigma_ruleset *rs, int rc,
    struct sigma_report *report)
{
	if (rc == 0)
		rc = sigma_ruleset_compile(rs, report);
	if (rc != 0) {
		sigma_ruleset_free(rs);
		return rc;
	}
	*out = rs;
	return 0;
}

int
sigma_ruleset_load_dir(struct sigma_ruleset **out, const char *dir,
    struct sigma_report *report)
{
	struct sigma_ruleset *rs;
	int rc = sigma_ruleset_new(&rs);
	*out = NULL;
	if (rc != 0)
		return rc;
	return load_finish(out, rs, sigma_ruleset_add_dir(rs, dir, report), report);
}

int
sigma_ruleset_load_file(struct sigma_ruleset **out, const char *path,
    struct sigma_report *report)
{
	struct sigma_ruleset *rs;
	int rc = sigma_ruleset_new(&rs);
	*out = NULL;
	if (rc != 0)
		return rc;
	return load_finish(out, rs, sigma_ruleset_add_file(rs, path, report), report);
}

int
sigma_ruleset_load_buffer(struct sigma_ruleset **out, struct span yaml,
    const char *name, struct sigma_report *report)
{
	struct sigma_ruleset *rs;
	int rc = sigma_ruleset_new(&rs);
	*out = NULL;
	if (rc != 0)
		return rc;
	return load_finish(out, rs, sigma_ruleset_add_buffer(rs, yaml, name, report),
	    report);
}

size_t
sigma_ruleset_count(const struct sigma_ruleset *rs)
{
	return rs->rules.n;
}

const struct sigma_rule_info *
sigma_ruleset_rule(const struct sigma_ruleset *rs, size_t i)
{
	if (i >= rs->rules.n)
		return NULL;
	return &((const struct sigma_rule *)vec_at(&rs->rules, i))->info;
}

void
sigma_ruleset_free(struct sigma_ruleset *rs)
{
	if (rs == NULL)
		return;
	sigma_corr_free(rs);
	sigma_atoms_free_re(&rs->atoms);
	for (size_t i = 0; i < rs->keys.n; i++)
		strmatch_ac_free(((struct sigma_key *)vec_at(&rs->keys, i))->ac);
	free(rs->needle_len);
	free(rs->nst);
	free(rs->wake_off);
	free(rs->wake);
	free(rs->always);
	free(rs->key_gen);
	free(rs->key_val);
	free(rs->ktab);
	free(rs->cand);
	pcre2_match_data_free(rs->md);
	pcre2_match_context_free(rs->mctx);
	arena_release(&rs->arena);
	free(rs);
}
