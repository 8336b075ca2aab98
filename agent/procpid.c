/* procpid.c - parsers for /proc/[pid]/{stat,status,cmdline}. */
#include "agent/procpid.h"

#include <string.h>

#include "common/err.h"

static int
to_int(struct span s, int *out)
{
	uint64_t v;
	if (span_to_u64(s, 0x7fffffff, &v))
		return MAMORI_E_PARSE;
	*out = (int)v;
	return MAMORI_OK;
}

int
procpid_parse_stat(struct span text, struct procpid_info *out)
{
	size_t open = span_find(text, '(');
	size_t close = text.len;
	while (close > 0 && text.p[close - 1] != ')')
		close--;
	if (open >= text.len || close == 0 || close - 1 <= open)
		return MAMORI_E_PARSE;
	close--;	/* index of the last ')' */
	struct span pid = span_trim((struct span){ text.p, open });
	struct span rest = { text.p + close + 1, text.len - close - 1 };
	struct span state, ppid;
	if (to_int(pid, &out->pid) || !span_next_word(&rest, &state) ||
	    !span_next_word(&rest, &ppid))
		return MAMORI_E_PARSE;
	/* ppid of the kernel's swapper children is 0 */
	uint64_t v;
	if (span_to_u64(ppid, 0x7fffffff, &v))
		return MAMORI_E_PARSE;
	out->ppid = (int)v;
	out->name = (struct span){ text.p + open + 1, close - open - 1 };
	return MAMORI_OK;
}

int
procpid_parse_status(struct span text, struct procpid_info *out)
{
	struct cursor c;
	struct span line, key, val, w;
	int found = 0;

	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		if (!span_split(line, ':', &key, &val))
			continue;
		if (span_eq(key, "Name")) {
			/* "Name:\tcomm": only the tab after the colon is syntax. */
			if (val.len && val.p[0] == '\t') {
				val.p++;
				val.len--;
			}
			out->name = val;
			found++;
		} else if (span_eq(key, "Pid")) {
			if (to_int(span_trim(val), &out->pid) == MAMORI_OK)
				found++;
		} else if (span_eq(key, "PPid")) {
			if (to_int(span_trim(val), &out->ppid) == MAMORI_OK)
				found++;
		} else if (span_eq(key, "Uid")) {
			uint64_t v;
			/* real, effective, saved, fs */
			if (span_next_word(&val, &w) &&
			    span_to_u64(w, UINT32_MAX, &v) == MAMORI_OK) {
				out->uid = (uid_t)v;
				out->have_uid = true;
				found++;
			}
		}
	}
	return found ? MAMORI_OK : MAMORI_E_PARSE;
}

char *
procpid_cmdline(struct arena *a, struct span raw, bool *nomem)
{
	*nomem = false;
	/* Trailing NULs end the last argument (and pad some rewritten ones). */
	while (raw.len > 0 && raw.p[raw.len - 1] == '\0')
		raw.len--;
	if (raw.len == 0)
		return NULL;
	bool cut = raw.len > PROCPID_CMDLINE_MAX;
	size_t n = cut ? PROCPID_CMDLINE_MAX : raw.len;
	char *s = arena_alloc(a, n + (cut ? 3 : 0) + 1);
	if (!s) {
		*nomem = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)raw.p[i];
		if (ch == '\0')
			ch = ' ';
		else if (ch < 0x20 || ch == 0x7f)
			ch = '?';
		s[i] = (char)ch;
	}
	if (cut)
		memcpy(s + n, "...", 3);
	s[n + (cut ? 3 : 0)] = '\0';
	return s;
}
