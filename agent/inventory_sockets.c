/*
 * inventory_sockets.c - listening TCP and UDP sockets and who owns them,
 * the same set `ss -tulpn` shows. ss -l filters on the states LISTEN and
 * CLOSE: for TCP that is LISTEN (a closed TCP socket is in no table the
 * kernel lists), for UDP every socket in CLOSE ("UNCONN"); a UDP socket
 * is in the table only once bound, explicitly or by its first send, and a
 * connect()ed one is ESTABLISHED and not shown. Like ss, only the network
 * namespace of <root>/proc/net is seen. Owners are found in one pass over
 * /proc/[pid]/fd by matching "socket:[inode]" links, as ss and lsof do; a
 * socket shared by several processes (a forking server) is attributed to
 * the lowest pid, normally the parent.
 */
#include "agent/inventory.h"

#include <dirent.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "agent/procnet.h"
#include "common/err.h"

static const char *const tables[] = { "tcp", "tcp6", "udp", "udp6" };

struct owner {
	uint64_t inode;
	size_t idx;		/* into inv->listening */
};

static int
by_inode(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

static int
by_socket(const void *a, const void *b)
{
	const struct inv_socket *x = a, *y = b;
	int c = strcmp(x->proto, y->proto);
	if (c)
		return c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	c = strcmp(x->address, y->address);
	if (c)
		return c;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* A decimal pid directory name. */
static int
pid_of(const char *name)
{
	uint64_t v;
	if (span_to_u64(span_from_cstr(name), 0x7fffffff, &v) || v == 0)
		return 0;
	return (int)v;
}

/* "socket:[12345]" -> 12345 */
static bool
socket_inode(const char *link, uint64_t *inode)
{
	struct span s = span_from_cstr(link);
	if (!span_starts_with(s, "socket:[") || !span_ends_with(s, "]"))
		return false;
	s.p += 8;
	s.len -= 9;
	return span_to_u64(s, UINT64_MAX, inode) == MAMORI_OK;
}

static char *
process_name(struct scan_ctx *ctx, const struct inventory *inv, int pid)
{
	for (size_t i = 0; i < inv->processes.n; i++) {
		const struct inv_process *p = vec_at(&inv->processes, i);
		if (p->pid == pid)
			return p->name;
	}
	/* Not in the process list (it started after that walk): ask /proc. */
	char path[64];
	struct span comm, name, rest;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (rootfs_read(ctx->root, path, 4096, ctx->arena, &comm) != MAMORI_OK)
		return NULL;
	span_split(comm, '\n', &name, &rest);
	return name.len ? arena_spandup(ctx->arena, name) : NULL;
}

/*
 * One pass over /proc/[pid]/fd/ for all sockets at once. Unreadable fd
 * directories (other users' processes when not root, processes that exit
 * during the walk) are skipped silently: ss shows no owner for them either.
 */
static int
find_owners(struct scan_ctx *ctx, struct inventory *inv)
{
	struct owner *idx;
	size_t n = 0;

	if (inv->listening.n == 0)
		return MAMORI_OK;
	idx = arena_alloc(ctx->arena, inv->listening.n * sizeof(*idx));
	if (!idx)
		return MAMORI_E_NOMEM;
	for (size_t i = 0; i < inv->listening.n; i++) {
		const struct inv_socket *s = vec_at(&inv->listening, i);
		if (s->inode != 0)	/* 0: a socket in teardown */
			idx[n++] = (struct owner){ s->inode, i };
	}
	if (n == 0)
		return MAMORI_OK;
	qsort(idx, n, sizeof(*idx), by_inode);

	DIR *proc = rootfs_opendir(ctx->root, "/proc");
	if (!proc)
		return MAMORI_OK;
	struct dirent *pe;
	while ((pe = readdir(proc))) {
		int pid = pid_of(pe->d_name);
		if (pid == 0)
			continue;
		char dir[64], path[64 + sizeof(pe->d_name)], link[128];
		snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
		DIR *fds = rootfs_opendir(ctx->root, dir);
		if (!fds)
			continue;
		struct dirent *fe;
		while ((fe = readdir(fds))) {
			if (fe->d_name[0] == '.')
				continue;
			/* Live fd links are DT_LNK; fixtures may say DT_UNKNOWN. */
			if (fe->d_type != DT_LNK && fe->d_type != DT_UNKNOWN)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, fe->d_name);
			uint64_t inode;
			if (rootfs_readlink(ctx->root, path, link, sizeof(link)) ||
			    !socket_inode(link, &inode))
				continue;
			struct owner key = { inode, 0 };
			struct owner *o = bsearch(&key, idx, n, sizeof(*idx), by_inode);
			if (!o)
				continue;
			/* Several sockets may share an inode only in theory;
			 * walk the run of equal keys. */
			while (o > idx && o[-1].inode == inode)
				o--;
			for (; o < idx + n && o->inode == inode; o++) {
				struct inv_socket *s = vec_at(&inv->listening, o->idx);
				if (s->pid == 0 || pid < s->pid)
					s->pid = pid;
			}
		}
		closedir(fds);
	}
	closedir(proc);

	for (size_t i = 0; i < inv->listening.n; i++) {
		struct inv_socket *s = vec_at(&inv->listening, i);
		if (s->pid)
			s->process = process_name(ctx, inv, s->pid);
	}
	return MAMORI_OK;
}

int
inventory_sockets_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	size_t found = 0;
	int rc;

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		char path[32];
		struct span text;
		size_t bad = 0;
		snprintf(path, sizeof(path), "/proc/net/%s", tables[t]);
		rc = rootfs_read(ctx->root, path, scan_max_file(ctx), ctx->arena, &text);
		if (rc == MAMORI_E_NOTFOUND)
			continue;	/* tcp6/udp6 without IPv6; offline roots */
		if (rc == MAMORI_E_NOMEM)
			return rc;
		if (rc) {
			scan_warn(ctx, "listening", "cannot read %s: %s", path, err_str(rc));
			continue;
		}
		found++;
		rc = procnet_parse(ctx->arena, text, tables[t], &inv->listening, &bad);
		if (rc)
			return rc;
		if (bad)
			scan_warn(ctx, "listening", "%s: %zu malformed line(s) skipped", path, bad);
	}
	if (found == 0) {
		scan_warn(ctx, "listening",
		    "no /proc/net socket tables below the root: listening sockets unknown");
		return MAMORI_OK;
	}
	inv->have_listening = true;
	rc = find_owners(ctx, inv);
	if (rc)
		return rc;
	if (inv->listening.n > 1)
		qsort(inv->listening.items, inv->listening.n, sizeof(struct inv_socket),
		    by_socket);
	return MAMORI_OK;
}
