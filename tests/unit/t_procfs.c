/* t_procfs.c - /proc/[pid] files, cpuinfo, meminfo, stat and mounts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/procinfo.h"
#include "agent/procpid.h"
#include "common/err.h"
#include "tests/tap.h"

static struct span
load(struct arena *a, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/proc/%s", getenv("MAMORI_TEST_DATA"), name);
	FILE *f = fopen(path, "rb");
	struct span s = { "", 0 };
	if (!f) {
		ok(false, "open %s", path);
		return s;
	}
	char *buf = arena_alloc(a, 65536);
	s.p = buf;
	s.len = fread(buf, 1, 65535, f);
	fclose(f);
	return s;
}

static void
test_stat_status(struct arena *a)
{
	struct procpid_info i;
	memset(&i, 0, sizeof(i));
	ok(procpid_parse_stat(SPAN_LIT("4242 (we ird) (x)) S 17 4242 4242 0 -1 4194560"),
	    &i) == 0, "stat with ') ' in comm");
	is_int(i.pid, 4242, "pid");
	is_int(i.ppid, 17, "ppid after the last ')'");
	ok(span_eq(i.name, "we ird) (x)"), "comm up to the last ')'");
	ok(procpid_parse_stat(SPAN_LIT("2 (kthreadd) S 0 0 0"), &i) == 0 && i.ppid == 0,
	    "ppid 0");
	is_int(procpid_parse_stat(SPAN_LIT("12 (x S 1"), &i), MAMORI_E_PARSE, "no ')'");
	is_int(procpid_parse_stat(SPAN_LIT("12 ()"), &i), MAMORI_E_PARSE, "no fields after");
	is_int(procpid_parse_stat(SPAN_LIT(")("), &i), MAMORI_E_PARSE, "reversed parens");
	is_int(procpid_parse_stat(SPAN_LIT(""), &i), MAMORI_E_PARSE, "empty");

	memset(&i, 0, sizeof(i));
	ok(procpid_parse_status(SPAN_LIT("Name:\tsshd: root@pts/0\nUmask:\t0022\n"
	    "Pid:\t812\nPPid:\t1\nUid:\t1000\t0\t0\t0\n"), &i) == 0, "status");
	ok(span_eq(i.name, "sshd: root@pts/0"), "Name with a colon");
	ok(i.have_uid && i.uid == 1000, "real uid, not effective");
	is_int(i.ppid, 1, "PPid");
	memset(&i, 0, sizeof(i));
	is_int(procpid_parse_status(SPAN_LIT("garbage\n\x01\x02"), &i), MAMORI_E_PARSE,
	    "no fields");
	ok(procpid_parse_status(SPAN_LIT("Uid:\tx\nPid:\t3\n"), &i) == 0 && !i.have_uid,
	    "bad uid ignored");

	bool nomem;
	is_str(procpid_cmdline(a, (struct span){ "/usr/bin/python3\0-m\0http.server\0", 33 },
	    &nomem), "/usr/bin/python3 -m http.server", "cmdline joined");
	ok(procpid_cmdline(a, (struct span){ "\0\0", 2 }, &nomem) == NULL, "empty cmdline");
	is_str(procpid_cmdline(a, SPAN_LIT("a\nb\x1b"), &nomem), "a?b?", "controls hidden");
	char *big = arena_alloc(a, 10000);
	memset(big, 'A', 10000);
	char *c = procpid_cmdline(a, (struct span){ big, 10000 }, &nomem);
	is_int(c ? (long long)strlen(c) : -1, PROCPID_CMDLINE_MAX + 3, "cmdline capped");
	ok(c && strcmp(c + PROCPID_CMDLINE_MAX, "...") == 0, "cut marked");
}

static void
test_cpu_mem(struct arena *a)
{
	struct procinfo_cpu cpu;
	procinfo_parse_cpuinfo(load(a, "cpuinfo-x86"), &cpu);
	ok(span_eq(cpu.model, "Intel(R) Xeon(R) Processor"), "x86 model name");
	is_int(cpu.count, 2, "x86 processors");
	procinfo_parse_cpuinfo(load(a, "cpuinfo-arm"), &cpu);
	ok(span_eq(cpu.model, "ARMv7 Processor rev 4 (v7l)"), "old arm Processor");
	is_int(cpu.count, 1, "old arm: one");
	procinfo_parse_cpuinfo(load(a, "cpuinfo-arm64"), &cpu);
	ok(span_eq(cpu.model, "BCM2835"), "arm64 falls back to Hardware");
	is_int(cpu.count, 2, "arm64 processors");

	struct procinfo_mem m;
	procinfo_parse_meminfo(load(a, "meminfo"), &m);
	ok(m.have_total && m.total_kb == 24684084, "MemTotal");
	is_int(m.available_kb, 24334192, "MemAvailable");
	is_int(m.swap_total_kb, 0, "SwapTotal");
	procinfo_parse_meminfo(SPAN_LIT("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 10 kB\n"
	    "Cached: 1 kB\n"), &m);
	is_int(m.available_kb, 111, "old kernel: available estimated");
	procinfo_parse_meminfo(SPAN_LIT("MemTotal: 99999999999999999999 kB\n"), &m);
	ok(!m.have_total, "overflowing MemTotal refused");

	is_int(procinfo_parse_btime(load(a, "stat")), 1795631665, "btime");
	is_int(procinfo_parse_btime(SPAN_LIT("cpu 1 2\nbtime x\n")), 0, "bad btime");
}

static void
test_mounts(struct arena *a)
{
	struct cursor c;
	struct procinfo_mount m;
	struct span t = load(a, "mounts");
	size_t bad = 0, n = 0;
	int rc;
	const char *want_dev[16], *want_mp[16];
	cursor_init(&c, t.p, t.len);
	while ((rc = procinfo_next_mount(a, &c, &m, &bad)) == 1 && n < 16) {
		want_dev[n] = m.device;
		want_mp[n] = m.mountpoint;
		n++;
	}
	is_int(rc, 0, "mount table ends cleanly");
	is_int(n, 12, "all entries returned");
	is_int(bad, 1, "short line counted");
	if (n == 12) {
		is_str(want_mp[6], "/media/user/USB STICK", "\\040 is a space");
		is_str(want_dev[7], "tank/data", "zfs dataset");
		is_str(want_mp[11], "/mnt/back\\slash\ttab", "\\134 and \\011");
	}
}

int
main(void)
{
	struct arena a;
	arena_init(&a, 16 << 20);
	test_stat_status(&a);
	test_cpu_mem(&a);
	test_mounts(&a);
	arena_release(&a);
	return done_testing();
}
