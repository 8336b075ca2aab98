/* proto_smtp.c - SMTP client command lines (RFC 5321 4.1.1). */
#include "sensor/proto_smtp.h"

#include <arpa/inet.h>
#include <string.h>

#include "common/err.h"

bool
proto_smtp_next(struct span *payload, struct span *verb, struct span *arg)
{
	struct cursor c;
	struct span line;
	cursor_init(&c, payload->p, payload->len);
	if (!cursor_line(&c, &line))
		return false;
	payload->p += c.off;
	payload->len -= c.off;
	line = span_trim(line);
	size_t i = 0;
	while (i < line.len && line.p[i] != ' ' && line.p[i] != ':')
		i++;
	*verb = (struct span){ line.p, i };
	*arg = span_trim((struct span){ line.p + i, line.len - i });
	return true;
}

int
proto_smtp_addr_literal(struct span arg, struct ip_addr *out)
{
	char buf[64];
	struct span a = arg;
	size_t sp = span_find(a, ' ');
	a.len = sp;	/* "EHLO [1.2.3.4] extra" */
	if (a.len < 3 || a.p[0] != '[' || a.p[a.len - 1] != ']' || a.len - 2 >= sizeof(buf))
		return MAMORI_E_PARSE;
	memcpy(buf, a.p + 1, a.len - 2);
	buf[a.len - 2] = '\0';
	uint8_t v4[4];
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, v4) == 1) {
		ip_addr_set_v4(out, v4);
		return 0;
	}
	if (strncasecmp(buf, "IPv6:", 5) == 0 && inet_pton(AF_INET6, buf + 5, out->b) == 1)
		return 0;
	return MAMORI_E_PARSE;
}
