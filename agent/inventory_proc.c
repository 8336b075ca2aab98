/*
 * inventory_proc.c - running processes from <root>/proc/[pid]: name,
 * parent, real uid (and its user name from the users collector), the
 * executable and a capped command line. Processes come and go during the
 * walk; one that vanishes between readdir() and reading its files is
 * skipped silently, as ps does.
 */
#include "agent/inventory.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/procpid.h"
#include "common/err.h"

struct uid_name {
	uid_t uid;
	size_t order;		/* passwd order, to keep the first of a uid */
	char *name;
};

static int
by_uid(const void *a, const void *b)
{
	const struct uid_name *x = a, *y = b;
	if (x->uid != y->uid)
		return x->uid < y->uid ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

static int
by_uid_only(const void *a, const void *b)
{
	const struct uid_name *x = a, *y = b;
	return (x->uid > y->uid) - (x->uid < y->uid);
}

/*
 * Reads a small /proc file into buf (at most size - 1 bytes, the rest is
 * cut). rootfs_read() would take a fresh arena chunk per file; with three
 * files per process that is megabytes on a busy machine, so these are
 * read into the caller's stack buffer instead.
 */
static int
read_small(const struct rootfs *root, const char *path, char *buf, size_t size,
    struct span *out)
{
	int fd = rootfs_openat(root, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	size_t n = 0;
	while (n + 1 < size) {
		ssize_t k = read(fd, buf + n, size - 1 - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			close(fd);
			return MAMORI_E_IO;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	buf[n] = '\0';
	*out = (struct span){ buf, n };
	return MAMORI_OK;
}

static int
by_pid(const void *a, const void *b)
{
	const struct inv_process *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Sorted uid -> name table; the first passwd entry of a uid wins, as
 * getpwuid() does. */
static struct uid_name *
uid_table(struct arena *a, const struct inventory *inv, size_t *n)
{
	*n = 0;
	if (inv->users.n == 0)
		return NULL;
	struct uid_name *t = arena_alloc(a, inv->users.n * sizeof(*t));
	if (!t)
		return NULL;
	size_t m = 0;
	for (size_t i = 0; i < inv->users.n; i++) {
		const struct inv_user *u = vec_at(&inv->users, i);
		if (u->name)
			t[m++] = (struct uid_name){ u->uid, i, u->name };
	}
	qsort(t, m, sizeof(*t), by_uid);
	for (size_t i = 0; i < m; i++)
		if (*n == 0 || t[*n - 1].uid != t[i].uid)
			t[(*n)++] = t[i];
	return t;
}

static int
pid_of(const char *name)
{
	uint64_t v;
	if (span_to_u64(span_from_cstr(name), 0x7fffffff, &v) || v == 0)
		return 0;
	return (int)v;
}

/* Reads one process; MAMORI_E_NOTFOUND when it is gone (or no process). */
static int
read_process(struct scan_ctx *ctx, int pid, struct inv_process *p,
    const struct uid_name *uids, size_t nuids)
{
	char path[64], link[4096], buf[PROCPID_CMDLINE_MAX + 2];
	struct span text;
	struct procpid_info info;
	int rc;

	memset(&info, 0, sizeof(info));
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	rc = read_small(ctx->root, path, buf, sizeof(buf), &text);
	if (rc || procpid_parse_status(text, &info)) {
		/* No status: stat still gives name and parent. */
		memset(&info, 0, sizeof(info));
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		rc = read_small(ctx->root, path, buf, sizeof(buf), &text);
		if (rc || procpid_parse_stat(text, &info))
			return MAMORI_E_NOTFOUND;
	}
	p->pid = pid;
	p->ppid = info.ppid;
	p->uid = info.have_uid ? info.uid : (uid_t)-1;

	/* comm holds the name unescaped (status escapes '\n' and '\\'). */
	if (info.name.len) {
		p->name = arena_spandup(ctx->arena, info.name);
		if (!p->name)
			return MAMORI_E_NOMEM;
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	struct span comm, rest;
	if (read_small(ctx->root, path, buf, 256, &comm) == MAMORI_OK) {
		span_split(comm, '\n', &comm, &rest);
		if (comm.len) {
			p->name = arena_spandup(ctx->arena, comm);
			if (!p->name)
				return MAMORI_E_NOMEM;
		}
	}

	/* One byte over the cap tells procpid_cmdline() to mark the cut. */
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	if (read_small(ctx->root, path, buf, PROCPID_CMDLINE_MAX + 2, &text) == MAMORI_OK) {
		bool nomem;
		p->cmdline = procpid_cmdline(ctx->arena, text, &nomem);
		if (nomem)
			return MAMORI_E_NOMEM;
	}

	/* Kernel threads and other users' processes (when not root) have no
	 * readable exe link: NULL. */
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	if (rootfs_readlink(ctx->root, path, link, sizeof(link)) == MAMORI_OK &&
	    link[0]) {
		p->exe = arena_strdup(ctx->arena, link);
		if (!p->exe)
			return MAMORI_E_NOMEM;
	}

	if (info.have_uid && nuids) {
		struct uid_name key = { info.uid, 0, NULL };
		const struct uid_name *u = bsearch(&key, uids, nuids, sizeof(*uids),
		    by_uid_only);
		if (u)
			p->user = u->name;
	}
	return MAMORI_OK;
}

int
inventory_proc_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	size_t nuids;
	struct uid_name *uids = uid_table(ctx->arena, inv, &nuids);
	int rc = MAMORI_OK;

	DIR *d = rootfs_opendir(ctx->root, "/proc");
	if (!d) {
		scan_warn(ctx, "processes", "no /proc below the root: processes unknown");
		return MAMORI_OK;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		int pid = pid_of(e->d_name);
		if (pid == 0)
			continue;
		struct inv_process *p = vec_push(ctx->arena, &inv->processes);
		if (!p) {
			rc = MAMORI_E_LIMIT;
			break;
		}
		rc = read_process(ctx, pid, p, uids, nuids);
		if (rc == MAMORI_E_NOTFOUND) {
			inv->processes.n--;	/* gone: forget the slot */
			memset(p, 0, sizeof(*p));
			rc = MAMORI_OK;
			continue;
		}
		if (rc)
			break;
	}
	closedir(d);
	if (rc)
		return rc;
	if (inv->processes.n == 0) {
		scan_warn(ctx, "processes", "/proc below the root lists no processes");
		return MAMORI_OK;
	}
	inv->have_processes = true;
	qsort(inv->processes.items, inv->processes.n, sizeof(struct inv_process), by_pid);
	return MAMORI_OK;
}
