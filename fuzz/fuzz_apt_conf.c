/*
 * fuzz_apt_conf.c - apt.conf syntax on arbitrary bytes: keys and values
 * reported are NUL-terminated and bounded, nesting and long keys end in
 * a parse error rather than an overflow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/apt_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check(void *arg, enum apt_conf_event ev, const char *key, const char *value,
    int line)
{
	(void)arg;
	(void)ev;
	if (strlen(key) >= 1024 || strlen(value) >= 1024 || line < 1)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	apt_conf_parse((struct span){ (const char *)data, size }, check, NULL);
	return 0;
}
