/*
 * sigma_parse.c - YAML text to a small tree, with hard bounds.
 *
 * libyaml's event parser feeds an explicit stack, so nesting depth and node
 * count are capped before anything is allocated for them. Anchors and
 * aliases are refused: Sigma rules do not use them and they are how YAML
 * "billion laughs" inputs blow up.
 */
#include "detection/sigma_int.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "common/err.h"

struct pstack {
	struct ynode *node;
	struct vec items;	/* struct ynode * */
};

static void
set_err(struct sigma_yaml_err *err, size_t line, const char *msg)
{
	err->line = line;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

static int
attach(struct arena *a, struct pstack *st, size_t depth, struct ynode *n,
    struct ynode **root)
{
	if (depth == 0) {
		*root = n;
		return 0;
	}
	struct ynode **slot = vec_push(a, &st[depth - 1].items);
	if (slot == NULL)
		return MAMORI_E_NOMEM;
	*slot = n;
	return 0;
}

static int
close_node(struct arena *a, struct pstack *top)
{
	struct ynode *n = top->node;
	size_t cnt = top->items.n;
	if (cnt) {
		n->items = arena_alloc(a, cnt * sizeof(*n->items));
		if (n->items == NULL)
			return MAMORI_E_NOMEM;
		memcpy(n->items, top->items.items, cnt * sizeof(*n->items));
	}
	if (n->kind == Y_MAP) {
		if (cnt % 2)
			return MAMORI_E_PARSE;
		n->n = cnt / 2;
	} else {
		n->n = cnt;
	}
	return 0;
}

int
sigma_yaml_parse(struct arena *a, struct span text, struct vec *docs,
    struct sigma_yaml_err *err)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct pstack st[SIGMA_MAX_YAML_DEPTH];
	size_t depth = 0, nodes = 0;
	struct ynode *root = NULL;
	int rc = 0;
	bool done = false;

	err->line = 0;
	err->msg[0] = '\0';
	if (!yaml_parser_initialize(&parser))
		return MAMORI_E_NOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text.p,
	    text.len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			char m[160];
			snprintf(m, sizeof(m), "YAML: %s%s%s",
			    parser.problem ? parser.problem : "syntax error",
			    parser.context ? " " : "",
			    parser.context ? parser.context : "");
			set_err(err, parser.problem_mark.line + 1, m);
			rc = MAMORI_E_PARSE;
			break;
		}
		size_t line = ev.start_mark.line + 1;
		struct ynode *n = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			root = NULL;
			nodes = 0;
			depth = 0;
			break;
		case YAML_DOCUMENT_END_EVENT: {
			struct ynode **d;
			if (root == NULL)
				break;
			if ((d = vec_push(a, docs)) == NULL) {
				rc = MAMORI_E_NOMEM;
				goto stop;
			}
			*d = root;
			break;
		}
		case YAML_ALIAS_EVENT:
			set_err(err, line, "YAML aliases are not supported");
			rc = MAMORI_E_PARSE;
			goto stop;
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++nodes > SIGMA_MAX_YAML_NODES) {
				set_err(err, line, "YAML document has too many nodes");
				rc = MAMORI_E_PARSE;
				goto stop;
			}
			if ((n = arena_alloc(a, sizeof(*n))) == NULL) {
				rc = MAMORI_E_NOMEM;
				goto stop;
			}
			n->line = line;
			if (ev.type == YAML_SCALAR_EVENT) {
				n->kind = Y_SCALAR;
				n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
				n->str.len = ev.data.scalar.length;
				n->str.p = arena_spandup(a, (struct span){
				    (const char *)ev.data.scalar.value,
				    ev.data.scalar.length });
				if (n->str.p == NULL) {
					rc = MAMORI_E_NOMEM;
					goto stop;
				}
				if ((rc = attach(a, st, depth, n, &root)) != 0)
					goto stop;
				break;
			}
			n->kind = ev.type == YAML_MAPPING_START_EVENT ? Y_MAP : Y_SEQ;
			if ((rc = attach(a, st, depth, n, &root)) != 0)
				goto stop;
			if (depth == SIGMA_MAX_YAML_DEPTH) {
				set_err(err, line, "YAML nesting too deep");
				rc = MAMORI_E_PARSE;
				goto stop;
			}
			st[depth].node = n;
			vec_init(&st[depth].items, sizeof(struct ynode *), 0);
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth == 0) {
				rc = MAMORI_E_PARSE;
				goto stop;
			}
			depth--;
			if ((rc = close_node(a, &st[depth])) != 0) {
				if (rc == MAMORI_E_PARSE)
					set_err(err, line, "YAML mapping is odd");
				goto stop;
			}
			break;
		default:
			break;
		}
stop:
		yaml_event_delete(&ev);
		if (rc != 0)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}

const struct ynode *
sigma_yaml_get(const struct ynode *map, const char *key)
{
	if (map == NULL || map->kind != Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = map->items[2 * i];
		if (k->kind == Y_SCALAR && span_eq(k->str, key))
			return map->items[2 * i + 1];
	}
	return NULL;
}

bool
sigma_yaml_is_null(const struct ynode *n)
{
	return n->kind == Y_SCALAR && n->plain && (n->str.len == 0 ||
	    span_eq(n->str, "null") || span_eq(n->str, "Null") ||
	    span_eq(n->str, "NULL") || span_eq(n->str, "~"));
}
