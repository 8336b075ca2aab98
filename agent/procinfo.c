/* procinfo.c - parsers for /proc/{cpuinfo,meminfo,stat} and mount tables. */
#include "agent/procinfo.h"

#include <string.h>

#include "common/err.h"

/* "key<tabs/spaces>: value" -> key, value (both trimmed) */
static bool
colon_pair(struct span line, struct span *key, struct span *val)
{
	if (!span_split(line, ':', key, val))
		return false;
	*key = span_trim(*key);
	*val = span_trim(*val);
	return key->len > 0;
}

void
procinfo_parse_cpuinfo(struct span text, struct procinfo_cpu *out)
{
	struct cursor c;
	struct span line, key, val;
	/* Preference: the first "model name", else the fallbacks. */
	struct span model = { NULL, 0 }, fallback = { NULL, 0 };

	memset(out, 0, sizeof(*out));
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		if (!colon_pair(line, &key, &val))
			continue;
		if (span_eq(key, "processor")) {
			out->count++;
		} else if (span_starts_with(key, "processor ")) {
			/* s390: "processor 0: version = ..., identification = ..." */
			out->count++;
		} else if (span_eq(key, "model name") && !model.len) {
			model = val;
		} else if ((span_eq(key, "Processor") || span_eq(key, "cpu") ||
		    span_eq(key, "Hardware") || span_eq(key, "cpu model") ||
		    span_eq(key, "uarch")) && !fallback.len) {
			fallback = val;
		}
	}
	out->model = model.len ? model : fallback;
	/* Old ARM kernels print one "Processor" line and no "processor". */
	if (out->count == 0 && out->model.len)
		out->count = 1;
}

static bool
kb_value(struct span val, uint64_t *out)
{
	struct span num;
	if (!span_next_word(&val, &num))
		return false;
	return span_to_u64(num, UINT64_MAX / 1024, out) == MAMORI_OK;
}

void
procinfo_parse_meminfo(struct span text, struct procinfo_mem *out)
{
	struct cursor c;
	struct span line, key, val;
	uint64_t v, free_kb = 0, buffers = 0, cached = 0;
	bool have_avail = false;

	memset(out, 0, sizeof(*out));
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		if (!colon_pair(line, &key, &val) || !kb_value(val, &v))
			continue;
		if (span_eq(key, "MemTotal")) {
			out->total_kb = v;
			out->have_total = true;
		} else if (span_eq(key, "MemAvailable")) {
			out->available_kb = v;
			have_avail = true;
		} else if (span_eq(key, "SwapTotal")) {
			out->swap_total_kb = v;
		} else if (span_eq(key, "MemFree")) {
			free_kb = v;
		} else if (span_eq(key, "Buffers")) {
			buffers = v;
		} else if (span_eq(key, "Cached")) {
			cached = v;
		}
	}
	if (!have_avail)
		out->available_kb = free_kb + buffers + cached;
}

int64_t
procinfo_parse_btime(struct span text)
{
	struct cursor c;
	struct span line, w, num;
	uint64_t v;

	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		if (!span_next_word(&line, &w) || !span_eq(w, "btime"))
			continue;
		if (span_next_word(&line, &num) &&
		    span_to_u64(num, INT64_MAX, &v) == MAMORI_OK)
			return (int64_t)v;
		return 0;
	}
	return 0;
}

static int
octal(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

/* Undoes the kernel's mangle(): " \t\n\\" as \040 \011 \012 \134. */
static char *
unescape(struct arena *a, struct span s)
{
	char *out = arena_alloc(a, s.len + 1);
	size_t n = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] == '\\' && i + 3 < s.len &&
		    octal(s.p[i + 1]) >= 0 && octal(s.p[i + 2]) >= 0 &&
		    octal(s.p[i + 3]) >= 0) {
			int v = octal(s.p[i + 1]) * 64 + octal(s.p[i + 2]) * 8 +
			    octal(s.p[i + 3]);
			if (v > 0 && v < 256) {
				out[n++] = (char)v;
				i += 3;
				continue;
			}
		}
		out[n++] = s.p[i];
	}
	out[n] = '\0';
	return out;
}

int
procinfo_next_mount(struct arena *a, struct cursor *c,
    struct procinfo_mount *out, size_t *bad)
{
	struct span line;
	while (cursor_line(c, &line)) {
		struct span w[4], rest = line;
		size_t n = 0;
		while (n < 4 && span_next_word(&rest, &w[n]))
			n++;
		if (n == 0 || w[0].p[0] == '#')
			continue;
		if (n < 3) {
			(*bad)++;
			continue;
		}
		out->device = unescape(a, w[0]);
		out->mountpoint = unescape(a, w[1]);
		out->fstype = unescape(a, w[2]);
		out->options = n > 3 ? unescape(a, w[3]) : arena_strdup(a, "defaults");
		if (!out->device || !out->mountpoint || !out->fstype || !out->options)
			return MAMORI_E_NOMEM;
		return 1;
	}
	return 0;
}
