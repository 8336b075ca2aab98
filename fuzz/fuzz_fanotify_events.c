/* fuzz_fanotify_events.c - fanotify read() buffers (classic and FID
 * records) as fim_watch parses them, and the entropy/magic sampler. */
#include <stdint.h>
#include <string.h>

#include "agent/fim_watch.h"
#include "agent/ransom_detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct bounds {
	const uint8_t *p;
	size_t n;
};

static int
check(void *arg, const struct fim_fan_event *e)
{
	const struct bounds *b = arg;
	if (e->nnames > 2)
		__builtin_trap();
	for (size_t i = 0; i < e->nnames; i++) {
		const struct fim_fan_name *nm = &e->names[i];
		const uint8_t *h = nm->handle;
		if (h < b->p || h + nm->handle_len > b->p + b->n)
			__builtin_trap();
		if (nm->name) {
			const uint8_t *s = (const uint8_t *)nm->name;
			size_t left = (size_t)(b->p + b->n - s);
			if (s < b->p || s >= b->p + b->n || !memchr(s, 0, left))
				__builtin_trap();
			(void)ransom_note_name(nm->name);
		}
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The kernel hands us aligned buffers; so does the watcher. */
	static uint64_t buf[65536 / 8];
	struct bounds b = { (const uint8_t *)buf, size };
	struct ransom_sample s;
	if (size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	(void)fim_watch_parse(buf, size, check, &b);
	ransom_sample_analyze(data, size / 2, data + size / 2, size - size / 2, &s);
	if (s.entropy < 0 || s.entropy > 8.0001)
		__builtin_trap();
	return 0;
}
