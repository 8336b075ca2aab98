/* t_hash.c - the short-key hash of the detectors' tables. */
#include <string.h>

#include "common/hash.h"
#include "tests/tap.h"

static uint32_t
folded(const char *s)
{
	return hash_final(hash_more_fold(0, s, strlen(s)));
}

int
main(void)
{
	/* every length around the 8-byte words, so the tail path is covered */
	const char *names[] = { "a", "Ab", "www.Example.COM", "abcdefg", "ABCDEFGH", "abcdefghi",
		"MAIL.Corp.Example.CO.JP" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char lower[64];
		size_t n = strlen(names[i]);
		for (size_t k = 0; k <= n; k++)
			lower[k] = (char)(names[i][k] >= 'A' && names[i][k] <= 'Z' ? names[i][k] + 32 : names[i][k]);
		ok(folded(names[i]) == folded(lower), "case folded alike: %s", names[i]);
	}
	ok(folded("example.com") != folded("example.co"), "a shorter name differs");
	ok(folded("example.com") != folded("example.con"), "one letter differs");
	ok(hash_bytes("example.com", 11, 0) != hash_bytes("EXAMPLE.COM", 11, 0), "without folding, case counts");
	ok(hash_bytes("\0\0\0\0", 4, 0) != hash_bytes("\0\0\0\0\0", 5, 0), "length counts (zero tails)");
	ok(hash_bytes("abc", 3, 1) != hash_bytes("abc", 3, 2), "seeds give different tables");
	/* slot numbers use the low bits: addresses differing in one octet spread */
	unsigned used = 0;
	unsigned char seen[64] = { 0 };
	for (unsigned i = 0; i < 64; i++) {
		unsigned char a[16] = { [10] = 0xff, [11] = 0xff, [12] = 10, [13] = 0, [14] = 0, [15] = (unsigned char)i };
		unsigned slot = hash_bytes(a, 16, 0) % 64;
		used += !seen[slot];
		seen[slot] = 1;
	}
	ok(used >= 32, "64 neighbouring addresses take %u of 64 slots", used);
	return done_testing();
}
