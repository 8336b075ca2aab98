/* fuzz_window_state.c - saved correlation windows read back from the
 * database (window_decode via detect_builtin_state_load), then used. */
#include <stdint.h>
#include <string.h>

#include "detection/decoder.h"
#include "detection/detect_builtin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
ignore(void *arg, const struct alert *a)
{
	(void)arg;
	(void)a;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct detect_builtin *d;
	struct detect_state s = { 0 };
	if (size < 1 || detect_builtin_new(&d, 64) != 0)
		return 0;
	/* first byte: the table; the rest: the window's bytes */
	s.table = data[0] % 4;
	s.key = 0x1234567 + data[0];
	s.len = size - 1 < sizeof(s.data) ? size - 1 : sizeof(s.data);
	memcpy(s.data, data + 1, s.len);
	detect_builtin_state_load(d, 1740823201000, &s);
	static const char line[] = "Mar  1 10:00:01 srv sshd[10]: Failed password for root from 203.0.113.9 port 1 ssh2";
	static struct decode_ctx dc;
	struct event ev;
	decoder_ctx_init(&dc, 2025, 0);
	if (decoder_decode(&dc, (struct span){ line, sizeof(line) - 1 }, &ev))
		detect_builtin_event(d, &ev, ignore, NULL);
	detect_builtin_free(d);
	return 0;
}
