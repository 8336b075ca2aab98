/* t_ww_walk.c - the world-writable search: what it finds, what it must not
 * follow, a tree deeper than any recursion would like, the entry cap, and
 * how long this machine's real system directories take. */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/ww_walk.h"
#include "common/err.h"
#include "tests/tap.h"

static struct arena arena;
static struct conf conf;

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
mk(const char *dir, const char *rel, mode_t mode, bool isdir)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	if (isdir) {
		mkdir(p, 0755);
	} else {
		int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0)
			close(fd);
	}
	chmod(p, mode);
}

static bool
has_hit(const struct ww_result *r, const char *path)
{
	for (size_t i = 0; i < r->hits.n; i++) {
		const struct ww_hit *h = vec_at(&r->hits, i);
		if (strcmp(h->path, path) == 0)
			return true;
	}
	return false;
}

int
main(void)
{
	struct rootfs root;
	struct scan_ctx ctx;
	struct ww_result r;
	char dir[] = "/tmp/t_ww_walk.XXXXXX";

	arena_init(&arena, 64u << 20);
	conf_init(&conf);
	if (!mkdtemp(dir))
		return 1;
	mk(dir, "etc", 0755, true);
	mk(dir, "etc/cron.d", 0755, true);
	mk(dir, "etc/cron.d/evil", 0666, false);
	mk(dir, "etc/ok.conf", 0644, false);
	mk(dir, "etc/open", 0777, true);
	mk(dir, "etc/tmp", 01777, true);
	mk(dir, "etc/tmp/inside", 0646, false);
	mk(dir, "usr", 0755, true);
	mk(dir, "usr/bin", 0755, true);
	mk(dir, "usr/bin/tool", 0757, false);
	mk(dir, "outside", 0755, true);
	mk(dir, "outside/secret", 0666, false);
	char p[4096];
	snprintf(p, sizeof(p), "%s/usr/bin/link", dir);
	ok(symlink("../../outside", p) == 0, "symlink out of the tree made");
	snprintf(p, sizeof(p), "%s/bin", dir);
	ok(symlink("usr/bin", p) == 0, "symlinked /bin made");
	snprintf(p, sizeof(p), "%s/etc/fifo", dir);
	mkfifo(p, 0666);
	/* 400 levels: deeper than a recursive walker with a small stack
	 * budget would go, and each level keeps its descriptor open. */
	size_t n = snprintf(p, sizeof(p), "%s/etc", dir);
	for (int i = 0; i < 400 && n + 3 < sizeof(p); i++) {
		memcpy(p + n, "/d", 3);
		n += 2;
		mkdir(p, 0755);
	}
	memcpy(p + n, "/deepfile", 10);
	int fd = open(p, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0) {
		fchmod(fd, 0666);
		close(fd);
	}

	if (rootfs_open(&root, dir) != 0)
		return 1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.root = &root;
	ctx.conf = &conf;
	ctx.arena = &arena;
	vec_init(&ctx.warnings, sizeof(struct scan_warning), 10000);

	const char *const tops[] = { "/etc", "/usr/bin", "/bin", "/etc/cron.d",
	    "/missing", NULL };
	is_int(ww_walk(&ctx, tops, 100000, &r), 0, "walk runs");
	ok(has_hit(&r, "/etc/cron.d/evil"), "world-writable file found");
	ok(has_hit(&r, "/etc/open"), "world-writable directory found");
	ok(!has_hit(&r, "/etc/tmp"), "sticky world-writable directory is fine");
	ok(has_hit(&r, "/etc/tmp/inside"), "but its world-writable files are not");
	ok(has_hit(&r, "/usr/bin/tool"), "o+w executable found");
	ok(!has_hit(&r, "/etc/ok.conf"), "0644 file is fine");
	ok(!has_hit(&r, "/usr/bin/link/secret") && !has_hit(&r, "/outside/secret"),
	    "symbolic links are not followed");
	ok(!has_hit(&r, "/etc/fifo"), "FIFOs are ignored");
	ok(!has_hit(&r, "/bin/tool"), "/bin -> usr/bin walked once");
	size_t deep = 0;
	for (size_t i = 0; i < r.hits.n; i++)
		if (strstr(((struct ww_hit *)vec_at(&r.hits, i))->path, "/deepfile"))
			deep++;
	is_int(deep, 1, "file 400 directories deep found once");
	is_int(r.nhits, 5, "five hits in all (cron.d not walked twice)");
	ok(!r.capped, "not capped");
	ok(r.dirs > 400, "%zu directories walked", r.dirs);

	is_int(ww_walk(&ctx, tops, 50, &r), 0, "capped walk runs");
	ok(r.capped && r.visited == 50, "cap reached after 50 entries");
	bool warned = false;
	for (size_t i = 0; i < ctx.warnings.n; i++)
		if (strstr(((struct scan_warning *)vec_at(&ctx.warnings, i))->message,
		    "max_walk_entries"))
			warned = true;
	ok(warned, "cap reported as a scan warning");

	nftw(dir, rm_one, 64, FTW_DEPTH | FTW_PHYS);
	rootfs_close(&root);

	/* This machine's real system directories: fast enough? */
	if (rootfs_open(&root, "/") == 0) {
		ctx.root = &root;
		int64_t best = -1;
		for (int i = 0; i < 3; i++) {
			is_int(ww_walk(&ctx, ww_walk_default_tops(), 200000, &r), 0,
			    "live walk %d", i + 1);
			if (best < 0 || r.ms < best)
				best = r.ms;
		}
		printf("# live: %zu entries in %zu dirs, %zu world-writable, best %lld ms\n",
		    r.visited, r.dirs, r.nhits, (long long)best);
		/* Generous bound for sanitizer builds; ~10x the plain figure. */
		ok(best < 1000, "live walk of system directories took %lld ms", (long long)best);
		rootfs_close(&root);
	}
	arena_release(&arena);
	conf_release(&conf);
	return done_testing();
}
