/*
 * agent_cred.h - the agent channel's credentials: one-time enrolment
 * tokens and per-agent secrets. Both are 256-bit random tokens (auth.h);
 * the database keeps their SHA-256 only.
 *
 * The agent sends its secret on every batch (X-Mamori-Agent: ID,
 * Authorization: Bearer SECRET) over TLS 1.3 to a manager whose
 * certificate it pinned at enrolment. A secret rather than a client
 * certificate: libmicrohttpd's GnuTLS client-certificate handling would
 * need our own CA and CSR signing for the same guarantee (a per-agent
 * credential that can be revoked); that is left for a later step.
 */
#ifndef MAMORI_MANAGER_AGENT_CRED_H
#define MAMORI_MANAGER_AGENT_CRED_H

#include <stdint.h>

#include "manager/auth.h"
#include "storage/store_agent.h"

#define AGENT_CRED_TTL_DEFAULT 86400	/* a token lives a day unless told */
#define AGENT_CRED_TTL_MIN 60
#define AGENT_CRED_TTL_MAX (30 * 86400)

struct db;

/* A fresh secret and its SHA-256. */
int agent_cred_new(char token[AUTH_TOKEN_CHARS + 1], uint8_t hash[STORE_AGENT_HASH]);
/* Makes and stores an enrolment token; token gets the text shown once. */
int agent_cred_token_issue(struct db *db, int64_t tenant_id, const char *kind,
    int64_t ttl_s, int64_t now, char token[AUTH_TOKEN_CHARS + 1], int64_t *id,
    int64_t *expires_at);
/*
 * Checks an agent's request headers against the stored agent: MAMORI_OK
 * and *out filled, MAMORI_E_PERM (credential missing, malformed, unknown
 * agent or wrong secret: 401) or MAMORI_E_INVAL (revoked: 403).
 */
int agent_cred_check(struct db *db, const char *agent_hdr, const char *auth_hdr,
    struct store_agent *out);

#endif
