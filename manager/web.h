/*
 * web.h - the owner's dashboard: the files bundled from web/ at build time
 * (tools/web.sh, esbuild) and embedded in the binary, served at / with a
 * strict Content-Security-Policy: scripts, styles and connections only from
 * this server, nothing inline, no framing.
 *
 * The files hold no data, so they are served without a session (the login
 * page is one of them); every read of data goes through the API.
 */
#ifndef MAMORI_MANAGER_WEB_H
#define MAMORI_MANAGER_WEB_H

#include <stdbool.h>

#include "manager/http.h"

/* The policy of the dashboard's pages (the API's answers have 'none'). */
#define WEB_CSP "default-src 'self'; script-src 'self'; style-src 'self'; " \
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " \
    "form-action 'self'; frame-ancestors 'none'"

/* Answers GET/HEAD of a dashboard file; false when the path is not one. */
bool web_serve(const struct http_request *req, struct http_response *resp);

#endif
