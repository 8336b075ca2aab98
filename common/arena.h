/*
 * arena.h - a region allocator with a hard ceiling.
 *
 * A scan allocates thousands of small strings (package names, paths,
 * addresses) that all live exactly as long as the scan. They come from one
 * arena and are released together with arena_release(), so collectors never
 * track ownership of individual strings. The ceiling bounds the memory a
 * hostile or huge input can make us use: reaching it is an ordinary
 * MAMORI_E_LIMIT / NULL, never an abort.
 */
#ifndef MAMORI_COMMON_ARENA_H
#define MAMORI_COMMON_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#include "common/span.h"

struct arena_block;
struct arena_map;

struct arena {
	struct arena_block *head;	/* newest block; from calloc() */
	struct arena_map *vecs;		/* large vectors' own mappings */
	size_t used;			/* bytes handed out, all blocks */
	size_t reserved;		/* bytes calloc()ed, all blocks */
	size_t max;			/* ceiling for reserved; 0 = 256 MiB */
};

void arena_init(struct arena *a, size_t max_bytes);
/* Frees every block; the arena can be used again afterwards. */
void arena_release(struct arena *a);
/* Empties the arena for reuse; a single block is kept (its used bytes
 * zeroed again), so a scratch arena emptied per item does not go back to
 * malloc each time. */
void arena_reset(struct arena *a);

/* Zeroed memory aligned for any type, or NULL at the ceiling. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* Copies a span into a NUL-terminated string. */
char *arena_spandup(struct arena *a, struct span s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Growable array in an arena: vec_push() returns a pointer to a new zeroed
 * element or NULL when growing would exceed max_items or the arena ceiling.
 * Growth copies into a fresh arena chunk (the old one is left for the
 * arena to reclaim at release: doubling keeps the waste under 2x); from
 * 128 KiB on, a vector has its own mapping and grows in place.
 */
struct vec {
	void *items;
	size_t n;
	size_t cap;
	size_t size;		/* element size */
	size_t max_items;	/* 0 = no cap beyond the arena's */
};

void vec_init(struct vec *v, size_t elem_size, size_t max_items);
void *vec_push(struct arena *a, struct vec *v);
static inline void *vec_at(const struct vec *v, size_t i)
{
	return (char *)v->items + i * v->size;
}

#endif
