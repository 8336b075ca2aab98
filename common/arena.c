#include "common/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_BLOCK_MIN (64 * 1024)
/* A vector this big moves to its own mapping (vec_push). */
#define ARENA_VEC_MAP_MIN ((size_t)128 * 1024)
/* Address space reserved for one such vector at most. */
#define ARENA_VEC_MAP_MAX ((size_t)1024 * 1024 * 1024)
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
	a->vecs = NULL;
	a->used = 0;
	a->reserved = 0;
	a->max = max_bytes ? max_bytes : ARENA_DEFAULT_MAX;
}

/*
 * A large vector's own mapping: address space for everything the ceiling
 * still allows, reserved untouched, so the vector grows in place (no copy,
 * no abandoned copies, pointers into it stay valid) and only the pages it
 * fills are ever faulted in; calloc'ed doublings memset and copied each
 * size again (a 3,000-package vulnerability scan spent a third of its CPU
 * there).
 */
struct arena_map {
	struct arena_map *next;
	void *base;
	size_t len;		/* mapped bytes */
};

static void
unmap_all(struct arena *a)
{
	struct arena_map *m = a->vecs;
	while (m) {
		struct arena_map *next = m->next;
		munmap(m->base, m->len);
		free(m);
		m = next;
	}
	a->vecs = NULL;
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
	unmap_all(a);
	a->head = NULL;
	a->used = 0;
	a->reserved = 0;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *keep = a->head;
	if (!keep || keep->next || a->vecs) {
		arena_release(a);
		return;
	}
	/* Handed out zeroed again: only the bytes used since are cleared. */
	memset(keep->data, 0, keep->used);
	a->used = 0;
	keep->used = 0;
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

static struct arena_map *
vec_map(const struct arena *a, const void *items)
{
	for (struct arena_map *m = a->vecs; m; m = m->next)
		if (m->base == items)
			return m;
	return NULL;
}

/* Room for cap items: in place in the vector's mapping, else a new one
 * (the old one stays until release, like any abandoned copy). */
static void *
vec_grow_mapped(struct arena *a, struct vec *v, size_t cap)
{
	size_t old = v->cap * v->size, want = cap * v->size;
	struct arena_map *m = vec_map(a, v->items);
	if (m && want <= m->len) {
		if (a->reserved + (want - old) > a->max)
			return NULL;
		a->reserved += want - old;
		a->used += want - old;
		return v->items;
	}
	if (a->reserved + want > a->max)
		return NULL;
	size_t len = a->max - a->reserved;
	if (len > ARENA_VEC_MAP_MAX)
		len = want > ARENA_VEC_MAP_MAX ? want : ARENA_VEC_MAP_MAX;
	len = (len + 4095) & ~(size_t)4095;
	struct arena_map *n = malloc(sizeof(*n));
	void *base = n ? mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) : MAP_FAILED;
	if (base == MAP_FAILED) {
		free(n);
		return NULL;
	}
	*n = (struct arena_map){ a->vecs, base, len };
	a->vecs = n;
	if (v->n)
		memcpy(base, v->items, v->n * v->size);
	a->reserved += want;
	a->used += want;
	return base;
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
		void *items;
		if (cap * v->size >= ARENA_VEC_MAP_MIN) {
			if (!(items = vec_grow_mapped(a, v, cap)))
				return NULL;
		} else {
			if (!(items = arena_alloc(a, cap * v->size)))
				return NULL;
			if (v->n)
				memcpy(items, v->items, v->n * v->size);
		}
		v->items = items;
		v->cap = cap;
	}
	void *p = (char *)v->items + v->n * v->size;
	memset(p, 0, v->size);
	v->n++;
	return p;
}
