/* t_eve.c - the EVE writer's numbers and addresses, against printf. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sensor/eve.h"
#include "tests/tap.h"

static int bad_u, bad_i;

/* The writer's text for v against printf's; the first few misses shown. */
static void
check(uint64_t v, bool is_signed)
{
	char got[32], want[32];
	if (is_signed) {
		*eve_put_i64(got, (int64_t)v) = '\0';
		snprintf(want, sizeof(want), "%" PRId64, (int64_t)v);
	} else {
		*eve_put_u64(got, v) = '\0';
		snprintf(want, sizeof(want), "%" PRIu64, v);
	}
	int *bad = is_signed ? &bad_i : &bad_u;
	if (strcmp(got, want) != 0 && (*bad)++ < 5) {
		char m[80];
		snprintf(m, sizeof(m), "%s written as %s", want, got);
		diag(m);
	}
}

static void check_u(uint64_t v) { check(v, false); }
static void check_i(int64_t v) { check((uint64_t)v, true); }

int
main(void)
{
	/* every digit-count boundary and every power of two, with neighbours */
	uint64_t p = 1;
	for (int k = 0; k < 20; k++, p *= 10)
		for (int d = -1; d <= 1; d++)
			check_u(p + (uint64_t)(int64_t)d);
	for (int k = 0; k < 64; k++)
		for (int d = -1; d <= 1; d++)
			check_u((1ULL << k) + (uint64_t)(int64_t)d);
	check_u(0);
	check_u(UINT64_MAX);
	for (uint64_t v = 0; v < 100000; v++)
		check_u(v);
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 100000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		check_u(x >> (x & 63));
		check_i((int64_t)x);
	}
	is_int(bad_u, 0, "unsigned numbers as printf writes them");
	check_i(0), check_i(-1), check_i(INT64_MIN), check_i(INT64_MAX);
	is_int(bad_i, 0, "signed numbers as printf writes them");

	struct ip_addr a;
	char buf[64];
	const uint8_t v4[4] = { 192, 0, 2, 255 };
	ip_addr_set_v4(&a, v4);
	*eve_put_ip(buf, &a) = '\0';
	is_str(buf, "\"192.0.2.255\"", "IPv4 quoted");
	memset(&a, 0, sizeof(a));
	a.b[0] = 0x20, a.b[1] = 0x01, a.b[2] = 0x0d, a.b[3] = 0xb8, a.b[15] = 1;
	*eve_put_ip(buf, &a) = '\0';
	is_str(buf, "\"2001:db8::1\"", "IPv6 quoted, compressed");
	return done_testing();
}
