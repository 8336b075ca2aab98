/* proto_http.c - HTTP/1.x request/status line and a few headers. */
#include "sensor/proto_http.h"

#include <string.h>

#include "common/err.h"

#define M(lit) { lit, sizeof(lit) - 1 }
static const struct {
	const char *name;
	size_t len;
} methods[] = { M("GET"), M("POST"), M("HEAD"), M("PUT"), M("DELETE"), M("OPTIONS"),
	M("PATCH"), M("CONNECT"), M("TRACE"), M("PROPFIND"), M("M-SEARCH"), M("NOTIFY"),
	M("SUBSCRIBE") };
#undef M

/* Asked of most TCP payloads (every one that is not TLS or a known
 * handshake): a payload not starting with a capital letter is answered
 * before the table is walked. */
bool
proto_http_is_request(struct span s)
{
	if (s.len < 4 || s.p[0] < 'C' || s.p[0] > 'T')
		return false;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		size_t n = methods[i].len;
		if (s.len > n && s.p[n] == ' ' && memcmp(s.p, methods[i].name, n) == 0)
			return true;
	}
	return false;
}

static void
header(struct span line, const char *name, struct span *out)
{
	size_t n = strlen(name);
	if (line.len > n && line.p[n] == ':') {
		struct span h = { line.p, n };
		if (span_eq_nocase(h, name)) {
			struct span v = { line.p + n + 1, line.len - n - 1 };
			*out = span_trim(v);
		}
	}
}

int
proto_http_parse_request(struct span s, struct http_req *out)
{
	struct cursor c;
	struct span line, rest;
	memset(out, 0, sizeof(*out));
	if (!proto_http_is_request(s))
		return MAMORI_E_PARSE;
	cursor_init(&c, s.p, s.len);
	if (!cursor_line(&c, &line))
		return MAMORI_E_PARSE;
	span_split(line, ' ', &out->method, &rest);
	/* the URI runs to the last space: "GET /a b HTTP/1.1" keeps "/a b" */
	size_t last = rest.len;
	while (last > 0 && rest.p[last - 1] != ' ')
		last--;
	if (last == 0)
		return MAMORI_E_PARSE;	/* HTTP/0.9 or a cut line */
	out->uri = (struct span){ rest.p, last - 1 };
	out->version = (struct span){ rest.p + last, rest.len - last };
	if (!span_starts_with(out->version, "HTTP/"))
		return MAMORI_E_PARSE;
	while (cursor_line(&c, &line) && line.len > 0) {
		header(line, "host", &out->host);
		header(line, "user-agent", &out->user_agent);
		header(line, "content-type", &out->content_type);
		header(line, "authorization", &out->authorization);
	}
	out->head = (struct span){ s.p, c.off };
	return MAMORI_OK;
}

int
proto_http_parse_response(struct span s, struct http_resp *out)
{
	struct cursor c;
	struct span line, rest;
	memset(out, 0, sizeof(*out));
	if (!span_starts_with(s, "HTTP/1."))
		return MAMORI_E_PARSE;
	cursor_init(&c, s.p, s.len);
	if (!cursor_line(&c, &line))
		return MAMORI_E_PARSE;
	span_split(line, ' ', &out->version, &rest);
	span_split(rest, ' ', &out->status, &out->reason);
	if (out->status.len != 3)
		return MAMORI_E_PARSE;
	for (size_t i = 0; i < 3; i++)
		if (out->status.p[i] < '0' || out->status.p[i] > '9')
			return MAMORI_E_PARSE;
	while (cursor_line(&c, &line) && line.len > 0)
		header(line, "content-type", &out->content_type);
	return MAMORI_OK;
}
