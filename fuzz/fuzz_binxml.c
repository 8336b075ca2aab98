/*
 * fuzz_binxml.c - the Binary XML walker alone. The first 4 bytes (little
 * endian) are where the fragment starts in the rest, which is the chunk
 * (template definitions and names are found by offset in it); the corpus
 * holds real chunk prefixes with the offset of their first record's
 * payload.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detection/binxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
touch(unsigned *sum, struct span s)
{
	for (size_t i = 0; i < s.len; i++)
		*sum += (unsigned char)s.p[i];
}

static void
on_open(void *ctx, struct span name)
{
	touch(ctx, name);
}

static void
on_attr(void *ctx, struct span name, const struct binxml_value *v)
{
	touch(ctx, name);
	touch(ctx, v->text);
	touch(ctx, v->raw);
}

static void
on_text(void *ctx, const struct binxml_value *v)
{
	touch(ctx, v->text);
	touch(ctx, v->raw);
}

static const struct binxml_sink sink = { on_open, on_attr, on_text, NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct binxml_chunk ch;	/* ~60 KiB of caches */
	static char mem[256 * 1024];
	struct binxml_buf out = { mem, 0, sizeof(mem) };
	struct binxml_stats st = { 0, 0, 0 };
	unsigned sum = 0;
	if (size < 4)
		return 0;
	uint32_t off = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
	    (uint32_t)data[3] << 24;
	binxml_chunk_init(&ch, data + 4, size - 4);
	if (off > size - 4)
		off = (uint32_t)((size - 4) / 2);
	binxml_parse(&ch, off, size - 4 - off, &out, &sink, &sum, &st);
	if (out.len > out.cap)
		__builtin_trap();
	/* The same bytes once more: now through the caches the first walk filled. */
	out.len = 0;
	binxml_parse(&ch, off, size - 4 - off, &out, &sink, &sum, &st);
	return 0;
}
