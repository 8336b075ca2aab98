#include "manager/web.h"

#include <stdlib.h>
#include <string.h>

/* From the build: tools/embed.py over web/'s bundle, in this order. */
extern const char *const web_files[];

static const struct {
	const char *path, *type;
} files[] = {
	{ "/", "text/html; charset=utf-8" },			/* index.html */
	{ "/app.js", "text/javascript; charset=utf-8" },
	{ "/app.css", "text/css; charset=utf-8" },
	{ "/favicon.svg", "image/svg+xml" },
};

bool
web_serve(const struct http_request *req, struct http_response *resp)
{
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
		return false;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (strcmp(req->path, files[i].path) != 0)
			continue;
		http_set_body(resp, 200, strdup(web_files[i]));
		resp->content_type = files[i].type;
		resp->csp = WEB_CSP;
		return true;
	}
	return false;
}
