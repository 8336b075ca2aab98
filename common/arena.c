#include "common/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_MIN (64 * 1024)
#define ARENA_DEFAULT_MAX ((size_t)256 * 1024 * 1024)
#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t size;	/* usable bytes in data[] */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void
arena_init(struct arena *a, size_t max_bytes)
{
	a->head = NULL;
	a->used = 0;
	a->reserved = 0;
	a->max = max_bytes ? max_bytes : ARENA_DEFAULT_MAX;
}

void
arena_release(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
	a->reserved = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK_MIN ? n : ARENA_BLOCK_MIN;
		if (a->reserved + size > a->max)
			return NULL;
		/* calloc: a large block comes zeroed from the kernel without being
		 * touched, so capacity a vector never fills costs no page faults. */
		b = calloc(1, sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
		a->reserved += size;
	}
	/* Zero already: the bump pointer only moves forward in calloc'ed blocks. */
	void *p = b->data + b->used;
	b->used += n;
	a->used += n;
	return p;
}

char *
arena_spandup(struct arena *a, struct span s)
{
	char *p = arena_alloc(a, s.len + 1);
	if (!p)
		return NULL;
	if (s.len)
		memcpy(p, s.p, s.len);
	p[s.len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_spandup(a, span_from_cstr(s)) : NULL;
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
vec_init(struct vec *v, size_t elem_size, size_t max_items)
{
	v->items = NULL;
	v->n = 0;
	v->cap = 0;
	v->size = elem_size;
	v->max_items = max_items;
}

void *
vec_push(struct arena *a, struct vec *v)
{
	if (v->max_items && v->n >= v->max_items)
		return NULL;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		if (v->max_items && cap > v->max_items)
			cap = v->max_items;
		if (cap > SIZE_MAX / v->size)
			return NULL;
		void *items = arena_alloc(a, cap * v->size);
		if (!items)
			return NULL;
		if (v->n)
			memcpy(items, v->items, v->n * v->size);
		v->items = items;
		v->cap = cap;
	}
	void *p = (char *)v->items + v->n * v->size;
	memset(p, 0, v->size);
	v->n++;
	return p;
}
