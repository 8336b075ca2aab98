/*
 * fuzz_evtx.c - EVTX files. An input starting with "ElfFile" is a whole
 * file; anything else is taken as chunks and gets a file header in front
 * (so the corpus can hold real chunks under 64 KiB). Every field of every
 * event is read back so ASan sees a span that points nowhere.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detection/evtx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
touch(void *ctx, const struct event *ev)
{
	unsigned *sum = ctx;
	struct span v;
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct event_field *f = &ev->fields[i];
		*sum += (unsigned char)f->key[strlen(f->key) / 2];
		for (size_t j = 0; j < f->value.len; j++)
			*sum += (unsigned char)f->value.p[j];
	}
	for (size_t j = 0; j < ev->raw.len; j++)
		*sum += (unsigned char)ev->raw.p[j];
	if (evtx_event_data_get(ev, "TargetUserName", &v) && v.len)
		*sum += (unsigned char)v.p[v.len - 1];
	if (ev->nfields > EVENT_MAX_FIELDS || !ev->decoder)
		__builtin_trap();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct evtx_stats st;
	unsigned sum = 0;
	unsigned char *buf = NULL;
	const void *in = data;
	size_t len = size;

	if (size < 7 || memcmp(data, "ElfFile", 7) != 0) {
		len = EVTX_FILE_HEADER + size;
		buf = calloc(1, len ? len : 1);
		if (!buf)
			return 0;
		memcpy(buf, "ElfFile", 8);
		if (size)
			memcpy(buf + EVTX_FILE_HEADER, data, size);
		in = buf;
	}
	arena_init(&a, 16 << 20);
	evtx_read(in, len, &a, touch, &sum, &st);
	if (st.records > st.chunks * (EVTX_CHUNK / 28))
		__builtin_trap();
	arena_release(&a);
	free(buf);
	return 0;
}
