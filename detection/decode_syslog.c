#include "detection/decode_syslog.h"

#include <string.h>

#include "detection/decode_util.h"

static void
skip_spaces(struct span *s)
{
	while (s->len && (*s->p == ' ' || *s->p == '\t')) {
		s->p++;
		s->len--;
	}
}

static struct span
take_word(struct span *s)
{
	struct span w = decode_word(*s);
	s->p += w.len;
	s->len -= w.len;
	skip_spaces(s);
	return w;
}

/* "Mmm dd hh:mm:ss" or "Mmm d hh:mm:ss"; returns bytes consumed. */
static size_t
bsd_date(struct span s, int year, int ref_month, int64_t *ms)
{
	int mon = decode_month(s);
	if (!mon || s.len < 15 || s.p[3] != ' ')
		return 0;
	size_t i = 4;
	if (s.p[i] == ' ')
		i++;
	int d = 0, nd = 0;
	while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9' && nd < 2) {
		d = d * 10 + (s.p[i] - '0');
		i++;
		nd++;
	}
	if (nd == 0 || d < 1 || d > 31 || i >= s.len || s.p[i] != ' ')
		return 0;
	i++;
	int h = decode_digits(s, i, 2), mi = decode_digits(s, i + 3, 2), se = decode_digits(s, i + 6, 2);
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60 ||
	    s.p[i + 2] != ':' || s.p[i + 5] != ':')
		return 0;
	i += 8;
	int frac = 0;
	if (i < s.len && s.p[i] == '.') {	/* "Mmm dd hh:mm:ss.mmm" */
		i++;
		int k = 0;
		while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9') {
			if (k++ < 3)
				frac = frac * 10 + (s.p[i] - '0');
			i++;
		}
		for (; k < 3; k++)
			frac *= 10;
	}
	int y = year;
	if (ref_month && mon > ref_month)
		y--;
	/* Some senders add the year: "Mmm dd yyyy hh:mm:ss" is rare; skip it. */
	*ms = ((decode_days_from_civil(y, (unsigned)mon, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + se) * 1000) + frac;
	return i;
}

/* TAI64N label "@4000000..." (24 hex digits): seconds + 2^62. */
static size_t
tai64n(struct span s, int64_t *ms)
{
	if (s.len < 25 || s.p[0] != '@')
		return 0;
	uint64_t v = 0;
	for (size_t i = 1; i <= 16; i++) {
		char c = s.p[i];
		int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (x < 0)
			return 0;
		v = (v << 4) | (uint64_t)x;
	}
	/* Labels before 1970 or after the year 9999 are not timestamps (and
	 * would overflow the milliseconds). */
	if (v < (UINT64_C(1) << 62) + 10 || v - (UINT64_C(1) << 62) > UINT64_C(253402300799))
		return 0;
	/* TAI is 10 s ahead of UTC at 1970 and more now; close enough. */
	*ms = (int64_t)(v - (UINT64_C(1) << 62) - 10) * 1000;
	return 25;
}

/* "prog[pid]:" / "prog:" / "[prog]:" / "[prog]" */
static bool
tag(struct span *s, struct syslog_hdr *h)
{
	struct span w = decode_word(*s);
	if (w.len == 0)
		return false;
	size_t n = w.len;
	if (w.p[0] == '[' && n >= 3) {
		size_t close = span_find(w, ']');
		if (close < n && (close + 1 == n || (close + 2 == n && w.p[n - 1] == ':'))) {
			h->program = (struct span){ w.p + 1, close - 1 };
			goto done;
		}
		return false;
	}
	if (w.p[n - 1] == ':')
		n--;
	else if (!(n >= 3 && w.p[n - 1] == ']'))
		return false;
	if (n && w.p[n - 1] == ']') {
		size_t open = span_find((struct span){ w.p, n }, '[');
		if (open >= n)
			return false;
		h->program = (struct span){ w.p, open };
		h->pid = (struct span){ w.p + open + 1, n - open - 2 };
	} else {
		h->program = (struct span){ w.p, n };
	}
	if (h->program.len == 0 && h->pid.len == 0)
		return false;
done:
	s->p += w.len;
	s->len -= w.len;
	skip_spaces(s);
	return true;
}

static bool
rfc5424(struct span s, struct syslog_hdr *h)
{
	/* "1 TIMESTAMP HOST APP PROCID MSGID SD MSG" after "<pri>" */
	if (!decode_skip(&s, "1 "))
		return false;
	struct span ts = take_word(&s);
	if (!(ts.len == 1 && ts.p[0] == '-') && !decode_iso8601(ts, &h->ts_ms))
		return false;
	h->host = take_word(&s);
	h->program = take_word(&s);
	h->pid = take_word(&s);
	(void)take_word(&s);	/* msgid */
	if (span_eq(h->program, "-"))
		h->program.len = 0;
	if (span_eq(h->pid, "-"))
		h->pid.len = 0;
	if (s.len && s.p[0] == '-') {
		s.p++;
		s.len--;
	} else {
		/* structured data: [id k="v" ...][...], quotes may hold ']' */
		while (s.len && s.p[0] == '[') {
			size_t i = 1;
			bool q = false;
			while (i < s.len && (q || s.p[i] != ']')) {
				if (s.p[i] == '\\' && i + 1 < s.len)
					i++;
				else if (s.p[i] == '"')
					q = !q;
				i++;
			}
			if (i >= s.len) {
				s.p += s.len;
				s.len = 0;
				break;
			}
			s.p += i + 1;
			s.len -= i + 1;
		}
	}
	skip_spaces(&s);
	if (s.len >= 3 && (unsigned char)s.p[0] == 0xef && (unsigned char)s.p[1] == 0xbb &&
	    (unsigned char)s.p[2] == 0xbf) {	/* BOM before an UTF-8 MSG */
		s.p += 3;
		s.len -= 3;
	}
	h->msg = s;
	return true;
}

bool
decode_syslog(struct span line, int year, int ref_month, struct syslog_hdr *h)
{
	struct span s = line;
	memset(h, 0, sizeof(*h));
	h->pri = -1;
	if (s.len > 2 && s.p[0] == '<') {
		size_t i = 1;
		int pri = 0;
		while (i < s.len && i < 5 && s.p[i] >= '0' && s.p[i] <= '9')
			pri = pri * 10 + (s.p[i++] - '0');
		if (i > 1 && i < s.len && s.p[i] == '>' && pri <= 191) {
			h->pri = pri;
			s.p += i + 1;
			s.len -= i + 1;
			if (s.len && s.p[0] == '1' && rfc5424(s, h))
				return true;
		}
	}
	size_t n = bsd_date(s, year, ref_month, &h->ts_ms);
	if (!n)
		n = decode_iso8601(s, &h->ts_ms);
	if (!n)
		n = tai64n(s, &h->ts_ms);
	if (!n)
		return false;
	s.p += n;
	s.len -= n;
	skip_spaces(&s);
	/* Host, unless the next word is already the tag ("Nov 23 sshd[1]:"). */
	if (!tag(&s, h)) {
		h->host = take_word(&s);
		struct span save = s;
		if (!tag(&s, h))
			s = save;
	}
	/* Solaris: "[ID 800047 auth.info] " */
	if (s.len > 4 && memcmp(s.p, "[ID ", 4) == 0) {
		size_t close = span_find(s, ']');
		if (close < s.len) {
			s.p += close + 1;
			s.len -= close + 1;
			skip_spaces(&s);
		}
	}
	h->msg = s;
	return true;
}
