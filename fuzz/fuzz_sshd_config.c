/*
 * fuzz_sshd_config.c - sshd_config(5) parsing. Include lines are parsed
 * but not followed (no root): the fuzzer tests the bytes, not the disk.
 */
#include <stdint.h>
#include <string.h>

#include "agent/sshd_config.h"
#include "common/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct conf conf;
	struct scan_ctx ctx;
	struct vec settings;
	struct span text = { (const char *)data, size };
	arena_init(&a, 64 * 1024 * 1024);
	conf_init(&conf);
	memset(&ctx, 0, sizeof(ctx));
	ctx.conf = &conf;
	ctx.arena = &a;
	vec_init(&ctx.warnings, sizeof(struct scan_warning), 10000);
	vec_init(&settings, sizeof(struct inv_ssh_setting), 10000);
	sshd_config_parse(&ctx, text, "/etc/ssh/sshd_config", 0, false, &settings);
	conf_release(&conf);
	arena_release(&a);
	return 0;
}
