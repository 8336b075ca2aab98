/*
 * fuzz_procfs.c - the text files of /proc that the inventory reads:
 * [pid]/stat, [pid]/status, [pid]/cmdline, cpuinfo, meminfo, stat and
 * the mount table.
 */
#include <stdint.h>
#include <string.h>

#include "agent/procinfo.h"
#include "agent/procpid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span s = { (const char *)data, size };
	struct arena a;
	struct procpid_info info;
	bool nomem;
	arena_init(&a, 64 << 20);

	memset(&info, 0, sizeof(info));
	if (procpid_parse_stat(s, &info) == 0 &&
	    (info.name.p < s.p || info.name.p + info.name.len > s.p + s.len))
		__builtin_trap();
	memset(&info, 0, sizeof(info));
	procpid_parse_status(s, &info);
	char *c = procpid_cmdline(&a, s, &nomem);
	if (c && strlen(c) > PROCPID_CMDLINE_MAX + 3)
		__builtin_trap();

	struct procinfo_cpu cpu;
	struct procinfo_mem mem;
	procinfo_parse_cpuinfo(s, &cpu);
	procinfo_parse_meminfo(s, &mem);
	(void)procinfo_parse_btime(s);

	struct cursor cur;
	struct procinfo_mount m;
	size_t bad = 0;
	cursor_init(&cur, data, size);
	while (procinfo_next_mount(&a, &cur, &m, &bad) == 1)
		if (strlen(m.device) > size)
			__builtin_trap();
	arena_release(&a);
	return 0;
}
