/*
 * inventory_jobs.c - scheduled jobs: cron, anacron and systemd timers.
 *
 * Sources: /etc/crontab and /etc/cron.d/NAME (with a user field), per-user
 * crontabs in /var/spool/cron/crontabs/<user> (Debian) and
 * /var/spool/cron/<user> (RHEL), the scripts of /etc/cron.{hourly,daily,
 * weekly,monthly}/ (run by run-parts as root), /etc/anacrontab, and
 * systemd .timer units enabled in /etc/systemd/system/TARGET.wants/.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agent/crontab.h"
#include "agent/inventory.h"
#include "common/err.h"

#define MAX_DIR 10000		/* entries read from one directory */

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of a directory's entries that pass keep (or all). */
static int
list_dir(struct scan_ctx *ctx, const char *dir, bool (*keep)(const char *),
    struct vec *out)
{
	vec_init(out, sizeof(char *), MAX_DIR);
	DIR *d = rootfs_opendir(ctx->root, dir);
	if (!d)
		return MAMORI_E_NOTFOUND;
	struct dirent *e;
	int rc = MAMORI_OK;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || (keep && !keep(e->d_name)))
			continue;
		char **slot = vec_push(ctx->arena, out);
		if (!slot) {
			scan_warn(ctx, "jobs", "%s: more than %d entries", dir, MAX_DIR);
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

static int
cron_file(struct scan_ctx *ctx, struct inventory *inv, const char *path,
    bool system, const char *user)
{
	struct span text;
	size_t bad = 0;
	int rc = rootfs_read(ctx->root, path, scan_max_file(ctx), ctx->arena, &text);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc) {
		if (rc != MAMORI_E_NOTFOUND)
			scan_warn(ctx, "jobs", "%s: %s", path, err_str(rc));
		return MAMORI_OK;
	}
	if (!span_is_text(text)) {
		scan_warn(ctx, "jobs", "%s: not a text file, skipped", path);
		return MAMORI_OK;
	}
	if ((rc = crontab_parse(ctx->arena, text, path, system, user, &inv->jobs, &bad)))
		return rc;
	if (bad)
		scan_warn(ctx, "jobs", "%s: %zu lines are not cron entries", path, bad);
	return MAMORI_OK;
}

static bool
name_ok(const char *name)
{
	return crontab_name_ok(name);
}

static int
cron_dir(struct scan_ctx *ctx, struct inventory *inv, const char *dir,
    bool system, bool user_named)
{
	struct vec names;
	int rc = list_dir(ctx, dir, system ? name_ok : NULL, &names);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	for (size_t i = 0; i < names.n; i++) {
		const char *name = *(char **)vec_at(&names, i);
		char *path = arena_printf(ctx->arena, "%s/%s", dir, name);
		struct stat st;
		if (!path)
			return MAMORI_E_NOMEM;
		if (rootfs_stat(ctx->root, path, &st, true) != 0 || !S_ISREG(st.st_mode))
			continue;
		if ((rc = cron_file(ctx, inv, path, system, user_named ? name : NULL)))
			return rc;
	}
	return MAMORI_OK;
}

/* /etc/cron.daily/logrotate is a job "@daily" run as root. */
static int
period_dirs(struct scan_ctx *ctx, struct inventory *inv)
{
	static const char *const periods[] = { "hourly", "daily", "weekly", "monthly" };
	for (size_t p = 0; p < sizeof(periods) / sizeof(periods[0]); p++) {
		struct vec names;
		char *dir = arena_printf(ctx->arena, "/etc/cron.%s", periods[p]);
		if (!dir)
			return MAMORI_E_NOMEM;
		int rc = list_dir(ctx, dir, name_ok, &names);
		if (rc == MAMORI_E_NOMEM)
			return rc;
		for (size_t i = 0; i < names.n; i++) {
			struct inv_job *j = vec_push(ctx->arena, &inv->jobs);
			if (!j)
				return MAMORI_E_LIMIT;
			j->kind = arena_strdup(ctx->arena, "cron");
			j->source = dir;
			j->schedule = arena_printf(ctx->arena, "@%s", periods[p]);
			j->user = arena_strdup(ctx->arena, "root");
			j->command = arena_printf(ctx->arena, "%s/%s", dir,
			    *(char **)vec_at(&names, i));
			if (!j->kind || !j->schedule || !j->user || !j->command)
				return MAMORI_E_NOMEM;
		}
	}
	return MAMORI_OK;
}

/* anacrontab(5): "period delay job-id command", plus NAME=value lines. */
static int
anacrontab(struct scan_ctx *ctx, struct inventory *inv)
{
	const char *path = "/etc/anacrontab";
	struct span text, line;
	struct cursor c;
	int rc = rootfs_read(ctx->root, path, scan_max_file(ctx), ctx->arena, &text);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	if (rc || !span_is_text(text))
		return MAMORI_OK;
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		struct span l = span_trim(line), period, delay, id;
		if (l.len == 0 || l.p[0] == '#' || span_find(l, '=') < span_find(l, ' '))
			continue;
		if (!span_next_word(&l, &period) || !span_next_word(&l, &delay) ||
		    !span_next_word(&l, &id) || span_trim(l).len == 0)
			continue;
		struct inv_job *j = vec_push(ctx->arena, &inv->jobs);
		if (!j)
			return MAMORI_E_LIMIT;
		j->kind = arena_strdup(ctx->arena, "anacron");
		j->source = (char *)(uintptr_t)path;
		j->schedule = arena_spandup(ctx->arena, period);
		j->user = arena_strdup(ctx->arena, "root");
		j->command = arena_spandup(ctx->arena, span_trim(l));
		if (!j->kind || !j->schedule || !j->user || !j->command)
			return MAMORI_E_NOMEM;
	}
	return MAMORI_OK;
}

static bool
is_timer(const char *name)
{
	size_t n = strlen(name);
	return n > 6 && strcmp(name + n - 6, ".timer") == 0;
}

static bool
is_wants(const char *name)
{
	size_t n = strlen(name);
	return n > 6 && strcmp(name + n - 6, ".wants") == 0;
}

/* The unit file of an enabled timer: where its link points, else the
 * usual unit directories. */
static int
timer_unit(struct scan_ctx *ctx, const char *link, const char *name,
    struct span *text, char **where)
{
	static const char *const dirs[] = { "/etc/systemd/system",
	    "/usr/lib/systemd/system", "/lib/systemd/system" };
	int rc = rootfs_read(ctx->root, link, scan_max_file(ctx), ctx->arena, text);
	if (rc == MAMORI_OK) {
		*where = (char *)(uintptr_t)link;
		return rc;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char *p = arena_printf(ctx->arena, "%s/%s", dirs[i], name);
		if (!p)
			return MAMORI_E_NOMEM;
		rc = rootfs_read(ctx->root, p, scan_max_file(ctx), ctx->arena, text);
		if (rc == MAMORI_OK || rc == MAMORI_E_NOMEM) {
			*where = p;
			return rc;
		}
	}
	return rc;
}

static int
timers(struct scan_ctx *ctx, struct inventory *inv)
{
	const char *base = "/etc/systemd/system";
	struct vec wants;
	int rc = list_dir(ctx, base, is_wants, &wants);
	if (rc == MAMORI_E_NOMEM)
		return rc;
	for (size_t w = 0; w < wants.n; w++) {
		struct vec names;
		char *dir = arena_printf(ctx->arena, "%s/%s", base,
		    *(char **)vec_at(&wants, w));
		if (!dir)
			return MAMORI_E_NOMEM;
		if ((rc = list_dir(ctx, dir, is_timer, &names)) == MAMORI_E_NOMEM)
			return rc;
		for (size_t i = 0; i < names.n; i++) {
			const char *name = *(char **)vec_at(&names, i);
			char *link = arena_printf(ctx->arena, "%s/%s", dir, name);
			char *sched = NULL, *unit = NULL, *where = NULL;
			struct span text;
			if (!link)
				return MAMORI_E_NOMEM;
			rc = timer_unit(ctx, link, name, &text, &where);
			if (rc == MAMORI_E_NOMEM)
				return rc;
			if (rc == MAMORI_OK && span_is_text(text) &&
			    (rc = crontab_parse_timer(ctx->arena, text, &sched, &unit)))
				return rc;
			struct inv_job *j = vec_push(ctx->arena, &inv->jobs);
			if (!j)
				return MAMORI_E_LIMIT;
			if (!(j->kind = arena_strdup(ctx->arena, "systemd-timer")))
				return MAMORI_E_NOMEM;
			j->source = where ? where : link;
			j->schedule = sched;
			j->user = NULL;
			if (unit) {
				j->command = unit;
			} else {
				/* Unit= defaults to the .service of the same name. */
				j->command = arena_printf(ctx->arena, "%.*s.service",
				    (int)(strlen(name) - 6), name);
				if (!j->command)
					return MAMORI_E_NOMEM;
			}
		}
	}
	return MAMORI_OK;
}

int
inventory_jobs_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	int rc;
	if ((rc = cron_file(ctx, inv, "/etc/crontab", true, NULL)) ||
	    (rc = cron_dir(ctx, inv, "/etc/cron.d", true, false)) ||
	    (rc = cron_dir(ctx, inv, "/var/spool/cron/crontabs", false, true)) ||
	    (rc = period_dirs(ctx, inv)) ||
	    (rc = anacrontab(ctx, inv)) ||
	    (rc = timers(ctx, inv)))
		return rc;
	/* RHEL keeps user crontabs directly in /var/spool/cron. */
	struct vec names;
	if ((rc = list_dir(ctx, "/var/spool/cron", NULL, &names)) == MAMORI_E_NOMEM)
		return rc;
	for (size_t i = 0; i < names.n; i++) {
		const char *name = *(char **)vec_at(&names, i);
		char *path = arena_printf(ctx->arena, "/var/spool/cron/%s", name);
		struct stat st;
		if (!path)
			return MAMORI_E_NOMEM;
		if (rootfs_stat(ctx->root, path, &st, false) != 0 || !S_ISREG(st.st_mode))
			continue;
		if ((rc = cron_file(ctx, inv, path, false, name)))
			return rc;
	}
	return MAMORI_OK;
}
