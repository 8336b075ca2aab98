/*
 * hash.h - a fast hash of short keys (addresses, MACs, DNS names) for the
 * in-memory tables of the detectors. Not for anything an attacker could
 * aim collisions at with profit beyond a slot taken over, and never stored:
 * the value may change between versions.
 *
 * Eight bytes per multiply: the byte-at-a-time FNV loops these replaced
 * were each a visible share of the sensor's time (a dependent multiply per
 * byte, ~50 of them for an address pair).
 */
#ifndef MAMORI_COMMON_HASH_H
#define MAMORI_COMMON_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* One step: a 64-bit word folded into the state. */
static inline uint64_t
hash_step(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

/* The last avalanche, so that the low bits (used as slot numbers) depend
 * on every input bit. */
static inline uint32_t
hash_final(uint64_t h)
{
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return (uint32_t)(h ^ (h >> 32));
}

/* The tail of fewer than 8 bytes as one word, zero-filled. */
static inline uint64_t
hash_tail(const uint8_t *b, size_t n)
{
	uint64_t w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)b[i] << (8 * i);
	return w;
}

/* Continues state h over n bytes at p. */
static inline uint64_t
hash_more(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	h = hash_step(h, n);
	for (; n >= 8; b += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = hash_step(h, w);
	}
	return n ? hash_step(h, hash_tail(b, n)) : h;
}

/* The same with ASCII letters folded to lower case. Folding sets bit 0x20
 * of every byte, so the few non-letters differing only in that bit ('@'
 * and '`', '_' and DEL, ...) hash alike: a collision the hashed sets
 * already allow for. */
static inline uint64_t
hash_more_fold(uint64_t h, const void *p, size_t n)
{
	const uint64_t fold = 0x2020202020202020ULL;
	const uint8_t *b = p;
	h = hash_step(h, n);
	for (; n >= 8; b += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = hash_step(h, w | fold);
	}
	return n ? hash_step(h, hash_tail(b, n) | (fold >> (8 * (8 - n)))) : h;
}

/* n bytes at p, seeded (different tables, different seeds). */
static inline uint32_t
hash_bytes(const void *p, size_t n, uint64_t seed)
{
	return hash_final(hash_more(0x9e3779b97f4a7c15ULL ^ seed, p, n));
}

#endif
