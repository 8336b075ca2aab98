/*
 * enrol.h - the body of POST /api/enrol, sent by `mamori agent --enrol`:
 * {"token", "hostname"} and an optional "name" (defaults to the hostname).
 * Pre-authentication input, parsed as strictly as the login body: strings
 * only, no unknown or duplicate keys, bounded, no control characters.
 */
#ifndef MAMORI_MANAGER_ENROL_H
#define MAMORI_MANAGER_ENROL_H

#include <stddef.h>

#include "manager/auth.h"
#include "storage/store_agent.h"

#define ENROL_BODY_MAX 4096

struct enrol_request {
	char token[AUTH_TOKEN_CHARS + 1];
	char hostname[STORE_AGENT_NAME_MAX + 1];
	char name[STORE_AGENT_NAME_MAX + 1];
};

/* MAMORI_E_PARSE with a short reason in why (safe to log: no token). */
int enrol_parse(const char *buf, size_t len, struct enrol_request *out, char *why,
    size_t whysz);

#endif
