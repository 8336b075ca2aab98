#include "manager/agent_cred.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

int
agent_cred_new(char token[AUTH_TOKEN_CHARS + 1], uint8_t hash[STORE_AGENT_HASH])
{
	if (auth_token_new(token) != MAMORI_OK)
		return MAMORI_E_INVAL;
	return auth_token_hash(token, hash);
}

int
agent_cred_token_issue(struct db *db, int64_t tenant_id, const char *kind,
    int64_t ttl_s, int64_t now, char token[AUTH_TOKEN_CHARS + 1], int64_t *id,
    int64_t *expires_at)
{
	uint8_t h[STORE_AGENT_HASH];
	int rc;
	/* auth_token_new never starts a token with '-' (an option to getopt). */
	if ((rc = agent_cred_new(token, h)) != MAMORI_OK)
		return rc;
	*expires_at = now + ttl_s;
	return store_agent_token_add(db, tenant_id, h, kind, now, *expires_at, id);
}

int
agent_cred_check(struct db *db, const char *agent_hdr, const char *auth_hdr,
    struct store_agent *out)
{
	uint8_t h[STORE_AGENT_HASH];
	char *end = NULL;

	if (!agent_hdr || !auth_hdr || strncmp(auth_hdr, "Bearer ", 7) != 0)
		return MAMORI_E_PERM;
	size_t n = strspn(agent_hdr, "0123456789");
	if (n == 0 || n > 18 || agent_hdr[n] != '\0' || agent_hdr[0] == '0')
		return MAMORI_E_PERM;
	errno = 0;
	long long id = strtoll(agent_hdr, &end, 10);
	if (errno || id <= 0 || auth_token_hash(auth_hdr + 7, h) != MAMORI_OK)
		return MAMORI_E_PERM;
	int rc = store_agent_get(db, id, out);
	if (rc == MAMORI_E_NOTFOUND)
		return MAMORI_E_PERM;
	if (rc != MAMORI_OK)
		return rc;
	if (sodium_memcmp(h, out->secret_hash, STORE_AGENT_HASH) != 0)
		return MAMORI_E_PERM;
	return out->revoked_at ? MAMORI_E_INVAL : MAMORI_OK;
}
