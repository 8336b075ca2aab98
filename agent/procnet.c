/*
 * procnet.c - parses /proc/net/{tcp,udp}[6] (net/ipv4/tcp_ipv4.c
 * get_tcp4_sock(), net/ipv6/tcp_ipv6.c get_tcp6_sock(), udp equivalents).
 *
 * The kernel prints each 32-bit word of an address with "%08X" of the
 * word as it lies in memory, so on a little-endian machine 127.0.0.1 is
 * "0100007F". Reading the hex as a number and storing it back in native
 * order recovers the bytes on any machine.
 */
#include "agent/procnet.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "common/err.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly s.len (1..16) hex digits. */
static int
hex_u64(struct span s, uint64_t *out)
{
	uint64_t v = 0;
	if (s.len == 0 || s.len > 16)
		return MAMORI_E_PARSE;
	for (size_t i = 0; i < s.len; i++) {
		int d = hexval(s.p[i]);
		if (d < 0)
			return MAMORI_E_PARSE;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return MAMORI_OK;
}

int
procnet_addr(struct span hex, char *buf, size_t size, bool *any,
    bool *loopback)
{
	unsigned char b[16];
	uint64_t w;
	size_t words;

	if (hex.len == 8)
		words = 1;
	else if (hex.len == 32)
		words = 4;
	else
		return MAMORI_E_PARSE;
	for (size_t i = 0; i < words; i++) {
		if (hex_u64((struct span){ hex.p + i * 8, 8 }, &w))
			return MAMORI_E_PARSE;
		uint32_t word = (uint32_t)w;
		memcpy(b + i * 4, &word, 4);
	}
	static const unsigned char mapped[12] =
	    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const unsigned char zero[16];
	const unsigned char *v4 = NULL;
	if (words == 1)
		v4 = b;
	else if (memcmp(b, mapped, 12) == 0)
		v4 = b + 12;	/* ::ffff:a.b.c.d, an IPv4 peer of a v6 socket */
	if (v4) {
		*any = memcmp(v4, zero, 4) == 0;
		*loopback = v4[0] == 127;
	} else {
		static const unsigned char one[16] =
		    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
		*any = memcmp(b, zero, 16) == 0;
		*loopback = memcmp(b, one, 16) == 0;
	}
	if (!inet_ntop(words == 1 ? AF_INET : AF_INET6, b, buf, (socklen_t)size))
		return MAMORI_E_PARSE;
	return MAMORI_OK;
}

/* "ADDR:PORT" */
static int
endpoint(struct span s, size_t addr_len, char *buf, size_t size, int *port,
    bool *any, bool *loopback)
{
	struct span a, p;
	uint64_t v;
	if (!span_split(s, ':', &a, &p) || a.len != addr_len || p.len != 4)
		return MAMORI_E_PARSE;
	if (hex_u64(p, &v))
		return MAMORI_E_PARSE;
	*port = (int)v;
	return procnet_addr(a, buf, size, any, loopback);
}

int
procnet_parse(struct arena *a, struct span text, const char *proto,
    struct vec *out, size_t *bad)
{
	static const struct {
		const char *name;	/* the static string stored in sockets */
		size_t addr_len;
		unsigned state;
	} kinds[] = {
		{ "tcp", 8, PROCNET_TCP_LISTEN },
		{ "tcp6", 32, PROCNET_TCP_LISTEN },
		{ "udp", 8, PROCNET_TCP_CLOSE },
		{ "udp6", 32, PROCNET_TCP_CLOSE },
	};
	size_t k, nbad = 0;
	struct cursor c;
	struct span line;
	int rc = MAMORI_OK;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(proto, kinds[k].name) == 0)
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0]))
		return MAMORI_E_INVAL;

	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		struct span w[10], rest = line;
		size_t n = 0;
		while (n < 10 && span_next_word(&rest, &w[n]))
			n++;
		if (n == 0)
			continue;
		if (span_eq(w[0], "sl"))	/* the header */
			continue;
		uint64_t st, uid, inode;
		char addr[INET6_ADDRSTRLEN];
		int port;
		bool any, lo;
		if (n < 10 || !span_ends_with(w[0], ":") ||
		    w[3].len != 2 || hex_u64(w[3], &st) ||
		    span_to_u64(w[7], UINT32_MAX, &uid) ||
		    span_to_u64(w[9], UINT64_MAX, &inode) ||
		    endpoint(w[1], kinds[k].addr_len, addr, sizeof(addr), &port,
		    &any, &lo)) {
			nbad++;
			continue;
		}
		if (st != kinds[k].state)
			continue;
		struct inv_socket *s = vec_push(a, out);
		if (!s) {
			rc = MAMORI_E_LIMIT;
			break;
		}
		s->proto = kinds[k].name;
		s->address = arena_strdup(a, addr);
		if (!s->address) {
			out->n--;
			rc = MAMORI_E_NOMEM;
			break;
		}
		s->port = port;
		s->inode = inode;
		s->uid = (uid_t)uid;
		s->any_address = any;
		s->loopback = lo;
	}
	if (bad)
		*bad = nbad;
	return rc;
}
