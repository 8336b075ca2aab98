/*
 * inventory_services.c - services enabled to start at boot.
 *
 * systemd: "systemctl enable" makes a link in /etc/systemd/system/
 * <target>.wants/ (or .requires/); each is one enabled unit for that
 * target. The links that packages ship in /usr/lib/systemd/system/TARGET.wants
 * are static parts of the OS (getty, journald sockets...), not choices of
 * this machine's owner, so they are left out: the list answers "what did
 * someone turn on here". A unit masked in /etc/systemd/system (a link to
 * /dev/null) is left out too. Without systemd units, SysV links
 * /etc/rc[2-5].d/S* are used (target "runlevelN", each service once).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/inventory.h"
#include "common/err.h"

#define MAX_DIR 10000

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
list_dir(struct scan_ctx *ctx, const char *dir, struct vec *out)
{
	vec_init(out, sizeof(char *), MAX_DIR);
	DIR *d = rootfs_opendir(ctx->root, dir);
	if (!d)
		return MAMORI_E_NOTFOUND;
	struct dirent *e;
	int rc = MAMORI_OK;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char **slot = vec_push(ctx->arena, out);
		if (!slot) {
			scan_warn(ctx, "services", "%s: more than %d entries", dir, MAX_DIR);
			break;
		}
		if (!(*slot = arena_strdup(ctx->arena, e->d_name))) {
			rc = MAMORI_E_NOMEM;
			break;
		}
	}
	closedir(d);
	if (out->n)
		qsort(out->items, out->n, sizeof(char *), by_str);
	return rc;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

static bool
masked(struct scan_ctx *ctx, const char *unit)
{
	char target[256];
	char *p = arena_printf(ctx->arena, "/etc/systemd/system/%s", unit);
	return p && rootfs_readlink(ctx->root, p, target, sizeof(target)) >= 0 &&
	    strcmp(target, "/dev/null") == 0;
}

static bool
have_service(const struct inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->services.n; i++) {
		const struct inv_service *s = vec_at(&inv->services, i);
		if (strcmp(s->name, name) == 0)
			return true;
	}
	return false;
}

static int
add(struct scan_ctx *ctx, struct inventory *inv, const char *name,
    const char *target, const char *path)
{
	struct inv_service *s = vec_push(ctx->arena, &inv->services);
	if (!s)
		return MAMORI_E_LIMIT;
	s->name = arena_strdup(ctx->arena, name);
	s->target = arena_strdup(ctx->arena, target);
	s->path = arena_strdup(ctx->arena, path);
	return s->name && s->target && s->path ? MAMORI_OK : MAMORI_E_NOMEM;
}

static int
systemd_units(struct scan_ctx *ctx, struct inventory *inv)
{
	const char *base = "/etc/systemd/system";
	struct vec dirs;
	int rc = list_dir(ctx, base, &dirs);
	if (rc)
		return rc == MAMORI_E_NOTFOUND ? MAMORI_OK : rc;
	for (size_t i = 0; i < dirs.n; i++) {
		const char *dname = *(char **)vec_at(&dirs, i);
		size_t cut;
		if (ends_with(dname, ".wants"))
			cut = 6;
		else if (ends_with(dname, ".requires"))
			cut = 9;
		else
			continue;
		struct vec units;
		char *dir = arena_printf(ctx->arena, "%s/%s", base, dname);
		char *target = arena_printf(ctx->arena, "%.*s",
		    (int)(strlen(dname) - cut), dname);
		if (!dir || !target)
			return MAMORI_E_NOMEM;
		if ((rc = list_dir(ctx, dir, &units)) == MAMORI_E_NOMEM)
			return rc;
		for (size_t j = 0; j < units.n; j++) {
			const char *unit = *(char **)vec_at(&units, j);
			char *path = arena_printf(ctx->arena, "%s/%s", dir, unit);
			if (!path)
				return MAMORI_E_NOMEM;
			if (masked(ctx, unit))
				continue;
			if ((rc = add(ctx, inv, unit, target, path)))
				return rc;
		}
	}
	return MAMORI_OK;
}

static int
sysv_links(struct scan_ctx *ctx, struct inventory *inv)
{
	for (char level = '2'; level <= '5'; level++) {
		struct vec names;
		char dir[16], target[16];
		snprintf(dir, sizeof(dir), "/etc/rc%c.d", level);
		snprintf(target, sizeof(target), "runlevel%c", level);
		int rc = list_dir(ctx, dir, &names);
		if (rc == MAMORI_E_NOMEM)
			return rc;
		for (size_t i = 0; i < names.n; i++) {
			const char *n = *(char **)vec_at(&names, i);
			/* S<two digits><name>: start links. */
			if (n[0] != 'S' || strlen(n) < 4 || n[1] < '0' || n[1] > '9' ||
			    n[2] < '0' || n[2] > '9' || have_service(inv, n + 3))
				continue;
			char *path = arena_printf(ctx->arena, "%s/%s", dir, n);
			if (!path)
				return MAMORI_E_NOMEM;
			if ((rc = add(ctx, inv, n + 3, target, path)))
				return rc;
		}
	}
	return MAMORI_OK;
}

int
inventory_services_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	int rc = systemd_units(ctx, inv);
	if (rc)
		return rc;
	if (inv->services.n == 0)
		return sysv_links(ctx, inv);
	return MAMORI_OK;
}
