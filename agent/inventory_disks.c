/*
 * inventory_disks.c - mounted filesystems on real storage, from
 * /proc/self/mounts: their size and free space (statvfs, live only),
 * whether they sit on dm-crypt (LUKS) and whether the disk is removable.
 * Pseudo filesystems (proc, tmpfs, cgroup, overlay of containers, ...)
 * are left out: only sources that are block devices (/dev/...) or
 * pool-backed filesystems (zfs) count.
 */
#include "agent/inventory.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include "agent/procinfo.h"
#include "common/err.h"

/* Filesystems whose source is not a /dev node but are real disks. */
static const char *const pool_fs[] = { "zfs", "bcachefs" };

static bool
real_fs(const struct procinfo_mount *m)
{
	for (size_t i = 0; i < sizeof(pool_fs) / sizeof(pool_fs[0]); i++)
		if (strcmp(m->fstype, pool_fs[i]) == 0)
			return true;
	return strncmp(m->device, "/dev/", 5) == 0 &&
	    strcmp(m->fstype, "devtmpfs") != 0 && strcmp(m->fstype, "devpts") != 0 &&
	    strcmp(m->fstype, "tmpfs") != 0;
}

/* First line of a sysfs attribute, in a caller buffer. */
static bool
sys_attr(struct scan_ctx *ctx, const char *path, char *buf, size_t size)
{
	struct span s, line, rest;
	if (rootfs_read(ctx->root, path, 4096, ctx->arena, &s) != MAMORI_OK)
		return false;
	span_split(s, '\n', &line, &rest);
	snprintf(buf, size, "%.*s", (int)line.len, line.p);
	return true;
}

/*
 * dm-crypt: the device-mapper uuid of the device or of any device below it
 * (LVM on LUKS) starts with "CRYPT-". sysdir is "/sys/dev/block/M:m" or
 * "/sys/class/block/NAME"; depth bounds the walk down the slaves.
 */
static bool
on_crypt(struct scan_ctx *ctx, const char *sysdir, int depth)
{
	char path[512], val[128];
	int n = snprintf(path, sizeof(path), "%s/dm/uuid", sysdir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return false;
	if (sys_attr(ctx, path, val, sizeof(val)) && strncmp(val, "CRYPT-", 6) == 0)
		return true;
	if (depth >= 8)
		return false;
	n = snprintf(path, sizeof(path), "%s/slaves", sysdir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return false;
	DIR *d = rootfs_opendir(ctx->root, path);
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[512];
		snprintf(sub, sizeof(sub), "/sys/class/block/%s", e->d_name);
		found = on_crypt(ctx, sub, depth + 1);
	}
	closedir(d);
	return found;
}

static void
block_flags(struct scan_ctx *ctx, struct inv_disk *d)
{
	char sysdir[300], path[400], val[32];
	struct stat st;

	if (ctx->root->live) {
		if (rootfs_stat(ctx->root, d->device, &st, true) != MAMORI_OK ||
		    !S_ISBLK(st.st_mode))
			return;
		snprintf(sysdir, sizeof(sysdir), "/sys/dev/block/%u:%u",
		    major(st.st_rdev), minor(st.st_rdev));
	} else {
		/* Offline: only "/dev/NAME" can be mapped to sysfs by name. */
		const char *name = d->device + 5;
		if (strchr(name, '/') || !*name)
			return;
		snprintf(sysdir, sizeof(sysdir), "/sys/class/block/%s", name);
	}
	d->encrypted = on_crypt(ctx, sysdir, 0);
	/* "removable" is an attribute of the whole disk: for a partition it
	 * is one directory up. */
	snprintf(path, sizeof(path), "%s/removable", sysdir);
	if (!sys_attr(ctx, path, val, sizeof(val))) {
		snprintf(path, sizeof(path), "%s/../removable", sysdir);
		if (!sys_attr(ctx, path, val, sizeof(val)))
			return;
	}
	d->removable = strcmp(val, "1") == 0;
}

int
inventory_disks_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	struct span text;
	int rc = rootfs_read(ctx->root, "/proc/self/mounts", scan_max_file(ctx),
	    ctx->arena, &text);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc) {
		/* An offline root has no mount table of its own. */
		if (ctx->root->live || rc != MAMORI_E_NOTFOUND)
			scan_warn(ctx, "disks", "cannot read /proc/self/mounts: %s", err_str(rc));
		return MAMORI_OK;
	}
	struct cursor c;
	struct procinfo_mount m;
	size_t bad = 0;
	cursor_init(&c, text.p, text.len);
	while ((rc = procinfo_next_mount(ctx->arena, &c, &m, &bad)) == 1) {
		if (!real_fs(&m))
			continue;
		bool dup = false;
		for (size_t i = 0; i < inv->disks.n && !dup; i++) {
			const struct inv_disk *o = vec_at(&inv->disks, i);
			dup = strcmp(o->device, m.device) == 0 &&
			    strcmp(o->mountpoint, m.mountpoint) == 0;
		}
		if (dup)
			continue;
		struct inv_disk *d = vec_push(ctx->arena, &inv->disks);
		if (!d)
			return MAMORI_E_LIMIT;
		d->device = m.device;
		d->mountpoint = m.mountpoint;
		d->fstype = m.fstype;
		if (ctx->root->live) {
			struct statvfs sv;
			if (statvfs(m.mountpoint, &sv) == 0) {
				d->size_bytes = (uint64_t)sv.f_blocks * sv.f_frsize;
				/* what df shows as "Avail": for unprivileged users */
				d->free_bytes = (uint64_t)sv.f_bavail * sv.f_frsize;
			}
		}
		if (strncmp(d->device, "/dev/", 5) == 0)
			block_flags(ctx, d);
	}
	if (rc < 0)
		return rc;
	if (bad)
		scan_warn(ctx, "disks", "/proc/self/mounts: %zu malformed line(s) skipped", bad);
	return MAMORI_OK;
}
