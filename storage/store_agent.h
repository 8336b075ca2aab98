/*
 * store_agent.h - enrolment tokens and enrolled agents (and sensors).
 *
 * Tokens and agent secrets are generated and hashed by the manager
 * (manager/auth.c); this module keeps only their SHA-256. A token is good
 * for one enrolment, before it expires, in its own tenant.
 */
#ifndef MAMORI_STORAGE_STORE_AGENT_H
#define MAMORI_STORAGE_STORE_AGENT_H

#include <stdbool.h>
#include <stdint.h>

struct db;

#define STORE_AGENT_HASH 32	/* SHA-256 */
#define STORE_AGENT_NAME_MAX 128

struct store_agent {
	int64_t id, tenant_id;
	char kind[8];		/* agent, sensor */
	char name[STORE_AGENT_NAME_MAX + 1];
	char hostname[STORE_AGENT_NAME_MAX + 1];
	uint8_t secret_hash[STORE_AGENT_HASH];
	int64_t enrolled_at, last_seen, revoked_at;	/* 0: never / not revoked */
	int64_t acked_seq;
	int64_t spool_records, spool_bytes, gaps;
};

struct store_agent_token {
	int64_t id, tenant_id;
	const char *kind;
	int64_t created_at, expires_at, used_at, agent_id;	/* 0: unused */
};

typedef int (*store_agent_fn)(void *ctx, const struct store_agent *a);
typedef int (*store_agent_token_fn)(void *ctx, const struct store_agent_token *t);

/* kind is "agent" or "sensor". */
int store_agent_token_add(struct db *db, int64_t tenant_id,
    const uint8_t hash[STORE_AGENT_HASH], const char *kind, int64_t now,
    int64_t expires_at, int64_t *id);
int store_agent_tokens(struct db *db, int64_t tenant_id, store_agent_token_fn fn,
    void *ctx);

enum store_enrol_refusal {
	STORE_ENROL_OK,
	STORE_ENROL_UNKNOWN,
	STORE_ENROL_USED,
	STORE_ENROL_EXPIRED,
};

/*
 * One IMMEDIATE transaction: the token must exist, be unused and not
 * expired; then the agent is added in the token's tenant with the token's
 * kind, and the token is marked used by it. A refusal is MAMORI_E_PERM with
 * *why saying which; nothing is written then.
 */
int store_agent_enrol(struct db *db, const uint8_t token_hash[STORE_AGENT_HASH],
    const char *name, const char *hostname, const uint8_t secret_hash[STORE_AGENT_HASH],
    const char *ip, int64_t now, struct store_agent *out, enum store_enrol_refusal *why);

/* MAMORI_E_NOTFOUND when there is no such agent. */
int store_agent_get(struct db *db, int64_t id, struct store_agent *out);
/* The agents of a tenant (all tenants when tenant_id is 0), by id. */
int store_agent_list(struct db *db, int64_t tenant_id, store_agent_fn fn, void *ctx);
/* Revokes; tenant_id 0 matches any tenant. MAMORI_E_NOTFOUND when no
 * such agent (in that tenant); revoking twice keeps the first time. */
int store_agent_revoke(struct db *db, int64_t tenant_id, int64_t id, int64_t now);

/* For /metrics: agents (all tenants), revoked ones, and the spool depth
 * they last reported. */
struct store_agent_totals {
	int64_t agents, revoked, spool_records, spool_bytes, gaps;
};
int store_agent_totals(struct db *db, struct store_agent_totals *out);

#endif
