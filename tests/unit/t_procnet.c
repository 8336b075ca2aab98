/* t_procnet.c - /proc/net/{tcp,udp}[6] parsing: listening filter, address
 * byte order, IPv4-mapped IPv6, malformed lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/procnet.h"
#include "common/err.h"
#include "tests/tap.h"

static struct span
load(struct arena *a, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/proc/%s", getenv("MAMORI_TEST_DATA"), name);
	FILE *f = fopen(path, "rb");
	struct span s = { "", 0 };
	if (!f) {
		ok(false, "open %s", path);
		return s;
	}
	char *buf = arena_alloc(a, 65536);
	s.p = buf;
	s.len = fread(buf, 1, 65535, f);
	fclose(f);
	return s;
}

static const struct inv_socket *
sock(const struct vec *v, size_t i)
{
	return i < v->n ? vec_at(v, i) : NULL;
}

static void
test_tcp(struct arena *a)
{
	struct vec v;
	size_t bad = 99;
	vec_init(&v, sizeof(struct inv_socket), 0);
	is_int(procnet_parse(a, load(a, "tcp"), "tcp", &v, &bad), 0, "tcp parses");
	is_int(bad, 0, "no malformed lines in a real table");
	is_int(v.n, 3, "only the three LISTEN lines (not ESTABLISHED, TIME_WAIT)");
	const struct inv_socket *s = sock(&v, 0);
	if (!s)
		return;
	is_str(s->proto, "tcp", "proto");
	is_str(s->address, "0.0.0.0", "any address");
	is_int(s->port, 2024, "port 0x07E8");
	is_int(s->inode, 239, "inode");
	ok(s->any_address && !s->loopback, "0.0.0.0 is all interfaces");
	s = sock(&v, 1);
	is_str(s->address, "127.0.0.1", "0100007F is 127.0.0.1 (host byte order)");
	is_int(s->port, 3306, "port");
	is_int(s->uid, 106, "uid");
	ok(!s->any_address && s->loopback, "127.0.0.1 is loopback");
	s = sock(&v, 2);
	is_str(s->address, "10.0.2.15", "0F02000A is 10.0.2.15");
	ok(!s->any_address && !s->loopback, "a unicast address is neither");
}

static void
test_tcp6(struct arena *a)
{
	struct vec v;
	size_t bad = 99;
	vec_init(&v, sizeof(struct inv_socket), 0);
	is_int(procnet_parse(a, load(a, "tcp6"), "tcp6", &v, &bad), 0, "tcp6 parses");
	is_int(bad, 0, "tcp6 all lines well-formed");
	is_int(v.n, 5, "five listeners in tcp6");
	if (v.n != 5)
		return;
	const struct inv_socket *s = sock(&v, 0);
	is_str(s->proto, "tcp6", "proto tcp6");
	is_str(s->address, "::1", "::1 from per-word byte order");
	is_int(s->port, 18081, "port");
	ok(s->loopback && !s->any_address, "::1 is loopback");
	s = sock(&v, 1);
	is_str(s->address, "::ffff:127.0.0.1", "IPv4-mapped loopback");
	ok(s->loopback, "mapped 127.0.0.1 is loopback");
	s = sock(&v, 2);
	is_str(s->address, "::", "IPv6 any");
	ok(s->any_address && !s->loopback, ":: is all interfaces");
	s = sock(&v, 3);
	is_str(s->address, "fe80::a801:2cff:b4b0:a9fe", "link-local address");
	s = sock(&v, 4);
	is_str(s->address, "2001:db8::1", "global address");
	is_int(s->port, 443, "port 443");
}

static void
test_udp(struct arena *a)
{
	struct vec v;
	size_t bad = 99;
	vec_init(&v, sizeof(struct inv_socket), 0);
	is_int(procnet_parse(a, load(a, "udp"), "udp", &v, &bad), 0, "udp parses");
	is_int(v.n, 3, "UNCONN (07) udp sockets only, not a connected one");
	if (v.n == 3) {
		is_str(((struct inv_socket *)vec_at(&v, 0))->address, "127.0.0.1", "udp addr");
		is_int(((struct inv_socket *)vec_at(&v, 1))->port, 68, "dhcp port");
		is_str(((struct inv_socket *)vec_at(&v, 2))->address, "127.0.0.53",
		    "systemd-resolved stub");
	}
	is_int(procnet_parse(a, load(a, "udp6"), "udp6", &v, &bad), 0, "udp6 parses");
	is_int(v.n, 4, "udp6 appended to the same vector");
	is_str(((struct inv_socket *)vec_at(&v, 3))->proto, "udp6", "udp6 proto");
	is_int(procnet_parse(a, load(a, "udp"), "raw", &v, &bad), MAMORI_E_INVAL,
	    "unknown table refused");
	/* A UDP table given as TCP: state 07 is not LISTEN. */
	vec_init(&v, sizeof(struct inv_socket), 0);
	procnet_parse(a, load(a, "udp"), "tcp", &v, &bad);
	is_int(v.n, 0, "state filter depends on the protocol");
}

static void
test_bad(struct arena *a)
{
	struct vec v;
	size_t bad = 0;
	vec_init(&v, sizeof(struct inv_socket), 0);
	is_int(procnet_parse(a, load(a, "tcp-bad"), "tcp", &v, &bad), 0,
	    "malformed table is not an error");
	/* The last line has a NUL in a field that is not used: still good. */
	is_int(v.n, 3, "the three good lines survive");
	is_int(bad, 8, "every broken line counted");
	if (v.n == 3) {
		is_int(((struct inv_socket *)vec_at(&v, 1))->port, 26, "good line after bad ones");
		is_int(((struct inv_socket *)vec_at(&v, 2))->inode, 78, "binary junk line");
	}
	/* Addresses of the wrong width for the table. */
	vec_init(&v, sizeof(struct inv_socket), 0);
	procnet_parse(a, load(a, "tcp"), "tcp6", &v, &bad);
	is_int(v.n, 0, "IPv4 lines refused in a v6 table");
	is_int(bad, 5, "and counted");
	vec_init(&v, sizeof(struct inv_socket), 0);
	ok(procnet_parse(a, (struct span){ NULL, 0 }, "tcp", &v, &bad) == 0 && v.n == 0,
	    "empty input");

	char buf[64];
	bool any, lo;
	is_int(procnet_addr(SPAN_LIT("0100007"), buf, sizeof(buf), &any, &lo),
	    MAMORI_E_PARSE, "7 hex digits refused");
	is_int(procnet_addr(SPAN_LIT("0100007F"), buf, 4, &any, &lo), MAMORI_E_PARSE,
	    "too small output buffer refused");
}

int
main(void)
{
	struct arena a;
	arena_init(&a, 16 << 20);
	test_tcp(&a);
	test_tcp6(&a);
	test_udp(&a);
	test_bad(&a);
	arena_release(&a);
	return done_testing();
}
