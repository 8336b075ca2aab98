/* fuzz_crontab.c - crontab(5) entries (system and user forms) and
 * systemd .timer units. */
#include <stdint.h>
#include <string.h>

#include "agent/crontab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct vec jobs;
	struct span text = { (const char *)data, size };
	size_t bad = 0;
	char *sched, *unit;
	arena_init(&a, 64 * 1024 * 1024);
	vec_init(&jobs, sizeof(struct inv_job), 100000);
	crontab_parse(&a, text, "/etc/crontab", true, NULL, &jobs, &bad);
	crontab_parse(&a, text, "/var/spool/cron/crontabs/u", false, "u", &jobs, &bad);
	crontab_parse_timer(&a, text, &sched, &unit);
	arena_release(&a);
	return 0;
}
