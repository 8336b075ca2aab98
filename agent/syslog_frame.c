#include "agent/syslog_frame.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

int
syslog_frame_init(struct syslog_frame *f, size_t max_msg)
{
	memset(f, 0, sizeof(*f));
	if (max_msg == 0)
		return MAMORI_E_INVAL;
	if (!(f->buf = malloc(max_msg)))
		return MAMORI_E_NOMEM;
	f->max_msg = max_msg;
	return MAMORI_OK;
}

void
syslog_frame_release(struct syslog_frame *f)
{
	free(f->buf);
	f->buf = NULL;
}

bool
syslog_frame_message(struct span in, struct span *msg)
{
	while (in.len && (in.p[in.len - 1] == '\n' || in.p[in.len - 1] == '\r' || in.p[in.len - 1] == '\0'))
		in.len--;
	if (in.len == 0)
		return false;
	if (in.p[0] == '<') {
		size_t i = 1;
		unsigned pri = 0;
		while (i < in.len && i <= 3 && in.p[i] >= '0' && in.p[i] <= '9')
			pri = pri * 10 + (unsigned)(in.p[i++] - '0');
		if (i == 1 || i >= in.len || in.p[i] != '>' || pri > 191)
			return false;
	}
	*msg = in;
	return true;
}

static void
deliver(struct syslog_frame *f, syslog_msg_fn fn, void *arg)
{
	struct span m = { f->buf, f->len };
	f->len = 0;
	while (m.len && m.p[m.len - 1] == '\r')
		m.len--;
	if (m.len == 0)
		return;
	f->st.messages++;
	fn(arg, m);
}

void
syslog_frame_feed(struct syslog_frame *f, const char *p, size_t n, syslog_msg_fn fn, void *arg)
{
	size_t i = 0;
	f->st.bytes += n;
	while (i < n) {
		char c = p[i];
		switch (f->state) {
		case SF_START:
			if (c >= '1' && c <= '9') {
				f->state = SF_LEN;
				f->want = (size_t)(c - '0');
				f->digits = 1;
			} else if (c == '\n' || c == '\r' || c == '\0' || c == ' ') {
				/* keep-alives and stray separators between frames */
			} else {
				f->state = SF_LF;
				f->len = 0;
				continue;	/* c is the message's first byte */
			}
			i++;
			break;
		case SF_LEN:
			if (c >= '0' && c <= '9' && f->digits < SYSLOG_FRAME_LEN_DIGITS) {
				f->want = f->want * 10 + (size_t)(c - '0');
				f->digits++;
				i++;
			} else if (c == ' ') {
				i++;
				f->st.octet_counted++;
				f->len = 0;
				if (f->want > f->max_msg) {
					f->st.oversize++;
					f->state = SF_SKIP_OCTETS;
				} else {
					f->state = SF_OCTETS;
				}
			} else {
				f->st.malformed++;
				f->state = c == '\n' ? SF_START : SF_SKIP_LF;
				i++;
			}
			break;
		case SF_OCTETS: {
			size_t take = n - i < f->want ? n - i : f->want;
			memcpy(f->buf + f->len, p + i, take);
			f->len += take;
			f->want -= take;
			i += take;
			if (f->want == 0) {
				deliver(f, fn, arg);
				f->state = SF_START;
			}
			break;
		}
		case SF_SKIP_OCTETS: {
			size_t take = n - i < f->want ? n - i : f->want;
			f->want -= take;
			i += take;
			if (f->want == 0)
				f->state = SF_START;
			break;
		}
		case SF_LF: {
			const char *e = p + i;
			size_t k = 0;
			while (i + k < n && e[k] != '\n' && e[k] != '\0')
				k++;
			if (f->len + k > f->max_msg) {
				f->st.oversize++;
				f->len = 0;
				f->state = SF_SKIP_LF;
				break;	/* the rest up to LF is skipped from i */
			}
			memcpy(f->buf + f->len, e, k);
			f->len += k;
			i += k;
			if (i < n) {
				i++;	/* the LF or NUL */
				deliver(f, fn, arg);
				f->state = SF_START;
			}
			break;
		}
		case SF_SKIP_LF: {
			const char *nl = memchr(p + i, '\n', n - i);
			const char *nul = memchr(p + i, '\0', n - i);
			if (nul && (!nl || nul < nl))
				nl = nul;
			if (!nl) {
				i = n;
			} else {
				i = (size_t)(nl - p) + 1;
				f->state = SF_START;
			}
			break;
		}
		}
	}
}

void
syslog_frame_end(struct syslog_frame *f, syslog_msg_fn fn, void *arg)
{
	if (f->state == SF_LF)
		deliver(f, fn, arg);
	else if (f->state == SF_LEN || f->state == SF_OCTETS)
		f->st.malformed++;
	f->state = SF_START;
	f->len = 0;
}
