/* t_span.c - the bounded cursor and span helpers. */
#include <stdbool.h>
#include <string.h>

#include "common/err.h"
#include "common/span.h"
#include "common/arena.h"
#include "tests/tap.h"

static void
test_lines(void)
{
	const char text[] = "one\r\ntwo\n\nlast";
	struct cursor c;
	struct span l;
	cursor_init(&c, text, sizeof(text) - 1);
	ok(cursor_line(&c, &l) && span_eq(l, "one"), "CRLF line without CR");
	ok(cursor_line(&c, &l) && span_eq(l, "two"), "LF line");
	ok(cursor_line(&c, &l) && l.len == 0, "empty line");
	ok(cursor_line(&c, &l) && span_eq(l, "last"), "last line without newline");
	ok(!cursor_line(&c, &l), "end of input");
}

static void
test_binary(void)
{
	const unsigned char b[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct cursor c;
	uint16_t v16;
	uint32_t v32;
	cursor_init(&c, b, sizeof(b));
	ok(cursor_u16be(&c, &v16) == 0 && v16 == 0x1234, "u16be");
	ok(cursor_u16le(&c, &v16) == 0 && v16 == 0x7856, "u16le");
	is_int(cursor_u32be(&c, &v32), MAMORI_E_PARSE, "u32 past the end fails");
	is_int(c.off, 4, "a failed read does not move");
	struct span s;
	is_int(cursor_bytes(&c, 2, &s), MAMORI_E_PARSE, "bytes past the end fail");
	ok(cursor_bytes(&c, 1, &s) == 0 && (unsigned char)s.p[0] == 0x9a, "last byte");
}

static void
test_numbers(void)
{
	uint64_t v;
	ok(span_to_u64(SPAN_LIT("1234"), 100000, &v) == 0 && v == 1234, "decimal");
	is_int(span_to_u64(SPAN_LIT("12a"), 100000, &v), MAMORI_E_PARSE, "junk refused");
	is_int(span_to_u64(SPAN_LIT(""), 100000, &v), MAMORI_E_PARSE, "empty refused");
	is_int(span_to_u64(SPAN_LIT("100001"), 100000, &v), MAMORI_E_LIMIT, "over max refused");
	is_int(span_to_u64(SPAN_LIT("99999999999999999999999"), UINT64_MAX, &v), MAMORI_E_LIMIT,
	    "overflow refused");
	ok(span_to_u64(SPAN_LIT("18446744073709551615"), UINT64_MAX, &v) == 0 && v == UINT64_MAX,
	    "u64 max");
}

static void
test_words(void)
{
	struct span s = SPAN_LIT("  PermitRootLogin   yes # x"), w;
	ok(span_next_word(&s, &w) && span_eq(w, "PermitRootLogin"), "first word");
	ok(span_eq_nocase(w, "permitrootlogin"), "case-insensitive compare");
	ok(span_next_word(&s, &w) && span_eq(w, "yes"), "second word");
	struct span h, t;
	ok(span_split(SPAN_LIT("key=value=x"), '=', &h, &t) && span_eq(h, "key") &&
	    span_eq(t, "value=x"), "split at first");
	ok(!span_split(SPAN_LIT("novalue"), '=', &h, &t) && span_eq(h, "novalue") && t.len == 0,
	    "split without separator");
	ok(span_eq(span_trim(SPAN_LIT(" \t x y \r\n")), "x y"), "trim");
	ok(span_is_text(SPAN_LIT("日本語 text\n")), "UTF-8 is text");
	ok(!span_is_text((struct span){ "a\0b", 3 }), "NUL is not text");
	ok(span_contains(SPAN_LIT("no_root_squash,rw"), "root_squash"), "contains");
}

static void
test_arena(void)
{
	struct arena a;
	arena_init(&a, 128 * 1024);
	char *s = arena_printf(&a, "%s-%d", "x", 42);
	is_str(s, "x-42", "printf into arena");
	ok(arena_alloc(&a, 1024 * 1024) == NULL, "allocation over the ceiling fails");
	struct vec v;
	vec_init(&v, sizeof(int), 3);
	int pushed = 0;
	while (vec_push(&a, &v))
		pushed++;
	is_int(pushed, 3, "vec stops at max_items");
	arena_release(&a);
}

/* Large vectors live in their own mapping: they grow in place (pointers
 * taken before stay valid), keep their contents, stay zeroed, and still
 * stop at the arena's ceiling. */
static void
test_vec_mapped(void)
{
	struct arena a;
	struct vec v;
	arena_init(&a, 8 * 1024 * 1024);
	vec_init(&v, 64, 0);
	long *first = NULL, *at_64k = NULL;
	size_t n = 0;
	bool same = true, zero = true;
	while (n < 200000) {
		long *e = vec_push(&a, &v);
		if (!e)
			break;
		zero &= e[1] == 0 && e[7] == 0;
		e[0] = (long)n;
		if (n == 0)
			first = e;
		if (n == 4096)
			at_64k = e;
		n++;
	}
	for (size_t i = 0; i < v.n; i++)
		same &= ((long *)vec_at(&v, i))[0] == (long)i;
	ok(n > 60000 && n < 131072, "a mapped vector stops at the ceiling (%zu items)", n);
	ok(same && zero, "contents kept across growth, new items zeroed");
	ok(at_64k == vec_at(&v, 4096), "grown in place once mapped");
	ok(first != NULL && first[0] == 0, "the small first copy stays readable");
	ok(arena_alloc(&a, 64 * 1024) == NULL || a.reserved <= a.max, "ceiling kept");
	arena_release(&a);
	ok(a.reserved == 0 && a.vecs == NULL, "released");
	arena_init(&a, 0);
	vec_init(&v, 1, 0);
	for (size_t i = 0; i < 300000; i++)
		if (!vec_push(&a, &v))
			break;
	ok(v.n == 300000, "byte vector past the mapping threshold");
	arena_release(&a);

	arena_init(&a, 0);
	char *p1 = arena_alloc(&a, 100);
	memset(p1, 'x', 100);
	arena_reset(&a);
	char *p2 = arena_alloc(&a, 100);
	bool zeroed = true;
	for (int i = 0; i < 100; i++)
		zeroed &= p2[i] == 0;
	ok(p1 == p2 && zeroed && a.used == 112, "reset reuses its block, zeroed again");
	arena_release(&a);
}

/* Little-endian 64-bit: byte order, the cursor moves 8, short input refused. */
static void
test_u64le(void)
{
	const unsigned char b[] = { 1, 2, 3, 4, 5, 6, 7, 0x88, 9 };
	struct cursor c = { b, sizeof(b), 0 };
	uint64_t v = 0;
	ok(cursor_u64le(&c, &v) == MAMORI_OK && v == 0x8807060504030201ULL && c.off == 8,
	    "u64le reads 8 bytes least significant first");
	ok(cursor_u64le(&c, &v) == MAMORI_E_PARSE && c.off == 8, "u64le refuses 1 byte left");
}

int
main(void)
{
	test_lines();
	test_binary();
	test_u64le();
	test_numbers();
	test_words();
	test_arena();
	test_vec_mapped();
	return done_testing();
}
