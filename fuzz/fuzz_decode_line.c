/*
 * fuzz_decode_line.c - the whole log chain: every line of the input (and
 * the input as one line) through decoder_decode() and the built-in
 * detections, with a decode context that persists across lines as in
 * mamori logs (sshd's per-process memory, correlation windows).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detection/decoder.h"
#include "detection/detect_builtin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
sink(void *arg, const struct alert *a)
{
	size_t *n = arg;
	/* touch every string the alert hands out */
	*n += strlen(a->rule->id) + (a->source_ip ? strlen(a->source_ip) : 0) +
	    (a->user_name ? strlen(a->user_name) : 0) + (a->message ? strlen(a->message) : 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct decode_ctx dc;
	struct detect_builtin *d;
	struct event ev;
	struct cursor c;
	struct span line;
	size_t n = 0;

	/* a copy of exactly size bytes, so reads past the end are caught */
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (detect_builtin_new(&d, 256) != 0) {
		free(buf);
		return 0;
	}
	decoder_ctx_init(&dc, 2025, 6);
	cursor_init(&c, buf, size);
	while (cursor_line(&c, &line))
		if (decoder_decode(&dc, line, &ev))
			detect_builtin_event(d, &ev, sink, &n);
	if (decoder_decode(&dc, (struct span){ buf, size }, &ev))
		detect_builtin_event(d, &ev, sink, &n);
	detect_builtin_free(d);
	free(buf);
	return 0;
}
