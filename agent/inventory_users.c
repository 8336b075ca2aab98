/*
 * inventory_users.c - accounts, groups and who is an administrator.
 *
 * Admins are uid 0, members of the sudo/wheel/admin groups (by the group's
 * member list or as their primary group), and users or %groups that
 * sudoers grants the command ALL.
 */
#include <string.h>

#include "agent/inventory.h"
#include "agent/passwd_file.h"
#include "agent/sudoers.h"
#include "common/err.h"

static const char *const admin_groups[] = { "sudo", "wheel", "admin" };

/* Reads one of the three files; false (with a warning) when unusable. */
static int
read_text(struct scan_ctx *ctx, const char *path, bool quiet_missing,
    struct span *text)
{
	int rc = rootfs_read(ctx->root, path, scan_max_file(ctx), ctx->arena, text);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc) {
		if (!(quiet_missing && rc == MAMORI_E_NOTFOUND))
			scan_warn(ctx, "users", "%s: %s", path, err_str(rc));
		return MAMORI_E_NOTFOUND;
	}
	if (!span_is_text(*text)) {
		scan_warn(ctx, "users", "%s: not a text file, skipped", path);
		return MAMORI_E_PARSE;
	}
	return MAMORI_OK;
}

static int
add_via(struct arena *a, struct inv_user *u, const char *via)
{
	u->admin = true;
	if (!u->admin_via) {
		u->admin_via = arena_strdup(a, via);
		return u->admin_via ? MAMORI_OK : MAMORI_E_NOMEM;
	}
	/* Already listed? admin_via is a short comma list. */
	size_t n = strlen(via);
	for (const char *p = u->admin_via; (p = strstr(p, via)); p += n)
		if ((p == u->admin_via || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return MAMORI_OK;
	u->admin_via = arena_printf(a, "%s,%s", u->admin_via, via);
	return u->admin_via ? MAMORI_OK : MAMORI_E_NOMEM;
}


/* Marks the members of a group (list and primary gid) with via. */
static int
mark_group(struct scan_ctx *ctx, struct inventory *inv,
    const struct passwd_index *idx, const struct inv_group *g, const char *via)
{
	int rc;
	for (size_t i = 0; i < inv->users.n; i++) {
		struct inv_user *u = vec_at(&inv->users, i);
		if (u->gid == g->gid && (rc = add_via(ctx->arena, u, via)))
			return rc;
	}
	for (size_t m = 0; m < g->members.n; m++) {
		struct inv_user *u = passwd_file_find(idx,
		    span_from_cstr(*(char **)vec_at(&g->members, m)));
		if (u && (rc = add_via(ctx->arena, u, via)))
			return rc;
	}
	return MAMORI_OK;
}

static int
apply_grant(struct scan_ctx *ctx, struct inventory *inv,
    const struct passwd_index *idx, const char *who)
{
	int rc = MAMORI_OK;
	uint64_t id;
	if (strcmp(who, "ALL") == 0) {
		for (size_t i = 0; !rc && i < inv->users.n; i++)
			rc = add_via(ctx->arena, vec_at(&inv->users, i), "sudoers");
		return rc;
	}
	if (who[0] == '%') {
		bool by_gid = who[1] == '#';
		if (by_gid && span_to_u64(span_from_cstr(who + 2), UINT32_MAX, &id))
			return MAMORI_OK;
		for (size_t i = 0; !rc && i < inv->groups.n; i++) {
			const struct inv_group *g = vec_at(&inv->groups, i);
			if (by_gid ? g->gid == id : strcmp(g->name, who + 1) == 0)
				rc = mark_group(ctx, inv, idx, g, "sudoers");
		}
		return rc;
	}
	if (who[0] == '#') {
		if (span_to_u64(span_from_cstr(who + 1), UINT32_MAX, &id))
			return MAMORI_OK;
		for (size_t i = 0; !rc && i < inv->users.n; i++) {
			struct inv_user *u = vec_at(&inv->users, i);
			if (u->uid == id)
				rc = add_via(ctx->arena, u, "sudoers");
		}
		return rc;
	}
	struct inv_user *u = passwd_file_find(idx, span_from_cstr(who));
	return u ? add_via(ctx->arena, u, "sudoers") : MAMORI_OK;
}

static int
sudo_admins(struct scan_ctx *ctx, struct inventory *inv,
    const struct passwd_index *idx)
{
	struct sudoers s;
	struct vec grants;
	int rc;
	sudoers_init(&s, ctx->arena);
	vec_init(&grants, sizeof(struct sudoers_grant), 100000);
	if ((rc = sudoers_load(&s, ctx, "/etc/sudoers")))
		return rc;
	if ((rc = sudoers_grants(&s, &grants)))
		return rc;
	for (size_t i = 0; i < grants.n; i++) {
		const struct sudoers_grant *g = vec_at(&grants, i);
		if ((rc = apply_grant(ctx, inv, idx, g->who)))
			return rc;
	}
	return MAMORI_OK;
}

int
inventory_users_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	struct span text;
	size_t bad;
	int rc;

	if ((rc = read_text(ctx, "/etc/passwd", false, &text)) == MAMORI_E_NOMEM)
		return rc;
	if (rc == MAMORI_OK) {
		bad = 0;
		if ((rc = passwd_file_parse_passwd(ctx->arena, text, &inv->users, &bad)))
			return rc;
		if (bad)
			scan_warn(ctx, "users", "/etc/passwd: %zu malformed lines skipped", bad);
	}
	if ((rc = read_text(ctx, "/etc/group", false, &text)) == MAMORI_E_NOMEM)
		return rc;
	if (rc == MAMORI_OK) {
		bad = 0;
		if ((rc = passwd_file_parse_group(ctx->arena, text, &inv->groups, &bad)))
			return rc;
		if (bad)
			scan_warn(ctx, "users", "/etc/group: %zu malformed lines skipped", bad);
	}
	/* shadow is root-only on a live system: not being able to read it
	 * is expected there, and the password checks say they were skipped. */
	rc = rootfs_read(ctx->root, "/etc/shadow", scan_max_file(ctx), ctx->arena, &text);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc == MAMORI_OK && !span_is_text(text)) {
		scan_warn(ctx, "users", "/etc/shadow: not a text file, skipped");
	} else if (rc == MAMORI_OK) {
		bad = 0;
		if ((rc = passwd_file_parse_shadow(ctx->arena, text, &inv->users, &bad)))
			return rc;
		if (bad)
			scan_warn(ctx, "users", "/etc/shadow: %zu malformed lines skipped", bad);
		inv->have_shadow = true;
	} else if (rc != MAMORI_E_NOTFOUND) {
		scan_warn(ctx, "users", "/etc/shadow: %s", err_str(rc));
	}

	struct passwd_index idx;
	if ((rc = passwd_file_index(ctx->arena, &inv->users, &idx)))
		return rc;
	for (size_t i = 0; i < inv->users.n; i++) {
		struct inv_user *u = vec_at(&inv->users, i);
		if (u->uid == 0 && (rc = add_via(ctx->arena, u, "uid0")))
			return rc;
	}
	for (size_t i = 0; i < inv->groups.n; i++) {
		const struct inv_group *g = vec_at(&inv->groups, i);
		for (size_t j = 0; j < sizeof(admin_groups) / sizeof(admin_groups[0]); j++)
			if (strcmp(g->name, admin_groups[j]) == 0 &&
			    (rc = mark_group(ctx, inv, &idx, g, admin_groups[j])))
				return rc;
	}
	if ((rc = sudo_admins(ctx, inv, &idx)) == MAMORI_E_NOMEM || rc == MAMORI_E_LIMIT)
		return rc;
	return MAMORI_OK;
}
