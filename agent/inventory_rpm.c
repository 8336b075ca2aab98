/*
 * inventory_rpm.c - installed rpm packages (RHEL, Fedora, SUSE, Alma...).
 *
 * rpm >= 4.16 keeps its database in SQLite (rpmdb.sqlite), read through
 * storage/rpmdb.c; each row is a package header parsed by rpm_header.c.
 * The older Berkeley DB (Packages) and SUSE's ndb (Packages.db) formats
 * are only recognised and reported, not read.
 */
#include "agent/inventory.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/rpm_header.h"
#include "common/err.h"
#include "storage/rpmdb.h"

#define MAX_ROWS	200000
#define WARN_DETAILED	5

static const char *const db_dirs[] = {
	"/var/lib/rpm",
	"/usr/lib/sysimage/rpm",	/* Fedora >= 36, openSUSE */
};

struct walk {
	struct scan_ctx *ctx;
	struct inventory *inv;
	const char *file;
	size_t row;
	size_t bad;
};

static int
on_blob(void *arg, const void *blob, size_t len)
{
	struct walk *w = arg;
	struct arena *a = w->ctx->arena;
	struct rpm_header_pkg h;
	const char *why;

	w->row++;
	if (rpm_header_parse((struct span){ blob, len }, &h, &why) != MAMORI_OK) {
		if (w->bad++ < WARN_DETAILED)
			scan_warn(w->ctx, "packages", "%s: package header %zu "
			    "skipped: %s", w->file, w->row, why);
		return MAMORI_OK;
	}
	struct inv_package *p = vec_push(a, &w->inv->packages);
	if (!p)
		return MAMORI_E_NOMEM;
	p->format = "rpm";
	p->name = arena_spandup(a, h.name);
	p->version = rpm_header_evr(a, &h);
	p->arch = h.arch.len ? arena_spandup(a, h.arch) : NULL;
	p->status = arena_strdup(a, "installed");
	struct span sn, sv;
	if (h.sourcerpm.len && rpm_header_source(h.sourcerpm, &sn, &sv)) {
		p->source = arena_spandup(a, sn);
		/* The source rpm carries the binary's epoch (same spec). */
		p->source_version = h.has_epoch ?
		    arena_printf(a, "%u:%.*s", (unsigned)h.epoch, (int)sv.len, sv.p) :
		    arena_spandup(a, sv);
	} else {
		p->source = p->name;
		p->source_version = p->version;
	}
	if (!p->name || !p->version || !p->status || !p->source ||
	    !p->source_version || (h.arch.len && !p->arch))
		return MAMORI_E_NOMEM;
	return MAMORI_OK;
}

/*
 * The real path of a file inside the root, for SQLite (which needs a path
 * to find the -wal file beside it). Opened through the rootfs first so a
 * link cannot lead out of an offline root.
 */
static int
real_path(struct scan_ctx *ctx, const char *path, char *out, size_t outsz)
{
	char proc[64];
	int fd = rootfs_openat(ctx->root, path, O_RDONLY);
	if (fd < 0)
		return fd;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(proc, out, outsz - 1);
	close(fd);
	if (n <= 0 || (size_t)n >= outsz - 1)
		return MAMORI_E_IO;
	out[n] = '\0';
	if (!ctx->root->live) {
		size_t rl = strlen(ctx->root->path);
		while (rl > 1 && ctx->root->path[rl - 1] == '/')
			rl--;
		if (strncmp(out, ctx->root->path, rl) != 0 ||
		    (out[rl] != '/' && rl > 1))
			return MAMORI_E_PERM;
	}
	return MAMORI_OK;
}

static int
read_sqlite(struct scan_ctx *ctx, struct inventory *inv, const char *file)
{
	char path[4096], err[256] = "";
	struct walk w = { .ctx = ctx, .inv = inv, .file = file };
	size_t first = inv->packages.n;
	int rc;

	if ((rc = real_path(ctx, file, path, sizeof(path))) != MAMORI_OK) {
		scan_warn(ctx, "packages", "%s: cannot open: %s", file, err_str(rc));
		return MAMORI_OK;
	}
	/* An offline tree whose -wal is empty is read without locks or a new
	 * -shm file: nothing is written into the scanned tree. */
	char wal[160];
	struct stat st;
	snprintf(wal, sizeof(wal), "%s-wal", file);
	bool at_rest = !ctx->root->live &&
	    (rootfs_stat(ctx->root, wal, &st, true) != MAMORI_OK || st.st_size == 0);
	rc = rpmdb_each_blob(path, at_rest, MAX_ROWS, on_blob, &w, err,
	    sizeof(err));
	if (w.bad > WARN_DETAILED)
		scan_warn(ctx, "packages", "%s: %zu more corrupt package headers "
		    "skipped", file, w.bad - WARN_DETAILED);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc != MAMORI_OK) {
		scan_warn(ctx, "packages", "%s: cannot read the rpm database: %s",
		    file, err);
		if (inv->packages.n == first)
			return MAMORI_OK;	/* nothing usable */
	}
	inv->have_packages = true;
	return MAMORI_OK;
}

int
inventory_rpm_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	char file[128];

	for (size_t i = 0; i < sizeof(db_dirs) / sizeof(db_dirs[0]); i++) {
		snprintf(file, sizeof(file), "%s/rpmdb.sqlite", db_dirs[i]);
		if (rootfs_exists(ctx->root, file))
			return read_sqlite(ctx, inv, file);
		snprintf(file, sizeof(file), "%s/Packages", db_dirs[i]);
		if (rootfs_exists(ctx->root, file)) {
			scan_warn(ctx, "packages", "%s: unsupported rpm database "
			    "format (Berkeley DB); rpm packages are not listed",
			    file);
			return MAMORI_OK;
		}
		snprintf(file, sizeof(file), "%s/Packages.db", db_dirs[i]);
		if (rootfs_exists(ctx->root, file)) {
			scan_warn(ctx, "packages", "%s: unsupported rpm database "
			    "format (ndb); rpm packages are not listed", file);
			return MAMORI_OK;
		}
	}
	return MAMORI_OK;
}
