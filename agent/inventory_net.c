/*
 * inventory_net.c - network interfaces with MAC, state and addresses.
 * Live: getifaddrs(3), the same source as `ip addr`. Offline roots have no
 * running interfaces; when the tree holds a /sys/class/net (a fixture or a
 * copied sysfs) the names, MACs and flags come from there, else the list
 * stays empty without a warning.
 */
#include "agent/inventory.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "common/err.h"

static struct inv_interface *
find_or_add(struct scan_ctx *ctx, struct inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->interfaces.n; i++) {
		struct inv_interface *n = vec_at(&inv->interfaces, i);
		if (strcmp(n->name, name) == 0)
			return n;
	}
	struct inv_interface *n = vec_push(ctx->arena, &inv->interfaces);
	if (!n)
		return NULL;
	vec_init(&n->addrs, sizeof(char *), 4096);
	n->name = arena_strdup(ctx->arena, name);
	if (!n->name) {
		inv->interfaces.n--;
		return NULL;
	}
	return n;
}

static char *
mac_text(struct arena *a, const unsigned char *b, size_t len)
{
	char buf[3 * 32];
	size_t o = 0;
	bool zero = true;
	if (len == 0 || len > 32)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%02x", i ? ":" : "", b[i]);
		zero = zero && b[i] == 0;
	}
	/* lo has an all-zero address: no MAC to show. */
	return zero ? NULL : arena_strdup(a, buf);
}

/* Prefix length of a netmask (contiguous ones, as the kernel keeps). */
static int
prefix_len(const unsigned char *m, size_t len)
{
	int bits = 0;
	for (size_t i = 0; i < len; i++)
		for (int b = 7; b >= 0; b--)
			bits += (m[i] >> b) & 1;
	return bits;
}

static int
collect_live(struct scan_ctx *ctx, struct inventory *inv)
{
	struct ifaddrs *ifa, *i;
	int rc = MAMORI_OK;

	if (getifaddrs(&ifa) != 0) {
		scan_warn(ctx, "interfaces", "getifaddrs() failed: interfaces unknown");
		return MAMORI_OK;
	}
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_name)
			continue;
		struct inv_interface *n = find_or_add(ctx, inv, i->ifa_name);
		if (!n) {
			rc = MAMORI_E_NOMEM;
			break;
		}
		n->up = (i->ifa_flags & IFF_UP) != 0;
		n->loopback = (i->ifa_flags & IFF_LOOPBACK) != 0;
		if (!i->ifa_addr)
			continue;
		int fam = i->ifa_addr->sa_family;
		char addr[INET6_ADDRSTRLEN];
		int plen = -1;
		if (fam == AF_PACKET) {
			const struct sockaddr_ll *ll = (const void *)i->ifa_addr;
			if (!n->mac)
				n->mac = mac_text(ctx->arena, ll->sll_addr, ll->sll_halen);
			continue;
		} else if (fam == AF_INET) {
			const struct sockaddr_in *in = (const void *)i->ifa_addr;
			inet_ntop(AF_INET, &in->sin_addr, addr, sizeof(addr));
			if (i->ifa_netmask) {
				const struct sockaddr_in *m = (const void *)i->ifa_netmask;
				plen = prefix_len((const void *)&m->sin_addr, 4);
			}
		} else if (fam == AF_INET6) {
			const struct sockaddr_in6 *in = (const void *)i->ifa_addr;
			inet_ntop(AF_INET6, &in->sin6_addr, addr, sizeof(addr));
			if (i->ifa_netmask) {
				const struct sockaddr_in6 *m = (const void *)i->ifa_netmask;
				plen = prefix_len((const void *)&m->sin6_addr, 16);
			}
		} else {
			continue;
		}
		char **slot = vec_push(ctx->arena, &n->addrs);
		if (!slot) {
			rc = MAMORI_E_NOMEM;
			break;
		}
		*slot = plen >= 0 ? arena_printf(ctx->arena, "%s/%d", addr, plen) :
		    arena_strdup(ctx->arena, addr);
		if (!*slot) {
			rc = MAMORI_E_NOMEM;
			break;
		}
	}
	freeifaddrs(ifa);
	return rc;
}

static bool
attr(struct scan_ctx *ctx, const char *name, const char *file, struct span *val)
{
	char path[512];
	struct span s, rest;
	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", name, file);
	if (rootfs_read(ctx->root, path, 4096, ctx->arena, &s) != MAMORI_OK)
		return false;
	span_split(s, '\n', val, &rest);
	*val = span_trim(*val);
	return true;
}

static int
collect_sysfs(struct scan_ctx *ctx, struct inventory *inv)
{
	DIR *d = rootfs_opendir(ctx->root, "/sys/class/net");
	if (!d)
		return MAMORI_OK;
	struct dirent *e;
	int rc = MAMORI_OK;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		struct inv_interface *n = find_or_add(ctx, inv, e->d_name);
		if (!n) {
			rc = MAMORI_E_NOMEM;
			break;
		}
		struct span v;
		uint64_t flags = 0;
		if (attr(ctx, e->d_name, "flags", &v) && span_starts_with(v, "0x")) {
			/* "0x1003": hex interface flags */
			for (size_t k = 2; k < v.len && k < 18; k++) {
				char ch = v.p[k];
				int x = ch >= '0' && ch <= '9' ? ch - '0' :
				    ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
				    ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
				if (x < 0)
					break;
				flags = flags << 4 | (uint64_t)x;
			}
			n->up = (flags & IFF_UP) != 0;
			n->loopback = (flags & IFF_LOOPBACK) != 0;
		} else if (attr(ctx, e->d_name, "operstate", &v)) {
			n->up = span_eq(v, "up") || span_eq(v, "unknown");
		}
		if (strcmp(e->d_name, "lo") == 0)
			n->loopback = true;
		if (attr(ctx, e->d_name, "address", &v) && v.len == 17 && span_is_text(v) &&
		    !span_eq(v, "00:00:00:00:00:00")) {
			n->mac = arena_spandup(ctx->arena, v);
			if (!n->mac) {
				rc = MAMORI_E_NOMEM;
				break;
			}
		}
	}
	closedir(d);
	return rc;
}

int
inventory_net_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	return ctx->root->live ? collect_live(ctx, inv) : collect_sysfs(ctx, inv);
}
