/*
 * proto_http.h - HTTP/1.x metadata from the first segment of each side:
 * request line, Host, User-Agent (client) or status (server). No body, no
 * stream reassembly: headers beyond the first segment are not seen.
 */
#ifndef MAMORI_SENSOR_PROTO_HTTP_H
#define MAMORI_SENSOR_PROTO_HTTP_H

#include <stdbool.h>

#include "common/span.h"

struct http_req {
	struct span method, uri, version, host, user_agent;
	struct span content_type, authorization;
	struct span head;	/* request line + headers as captured */
};

struct http_resp {
	struct span version, status, reason, content_type;
};

/* True when the bytes start like an HTTP/1.x request (method + space). */
bool proto_http_is_request(struct span s);
/* 0 or MAMORI_E_PARSE; spans point into s. */
int proto_http_parse_request(struct span s, struct http_req *out);
int proto_http_parse_response(struct span s, struct http_resp *out);

#endif
