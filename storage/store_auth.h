/*
 * store_auth.h - the manager's accounts, sessions and login attempts.
 *
 * Everything is keyed by tenant. Password hashing and token generation are
 * not done here (manager/auth.c); this module only keeps what it is given:
 * argon2id strings, SHA-256 digests of session ids, CSRF tokens.
 */
#ifndef MAMORI_STORAGE_STORE_AUTH_H
#define MAMORI_STORAGE_STORE_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct db;

#define STORE_AUTH_NAME_MAX 64
#define STORE_AUTH_HASH_MAX 160
#define STORE_AUTH_CSRF_MAX 80
#define STORE_AUTH_SID_HASH 32	/* SHA-256 */

struct store_user {
	int64_t id;
	int64_t tenant_id;
	char name[STORE_AUTH_NAME_MAX + 1];
	char role[16];
	char pw_hash[STORE_AUTH_HASH_MAX + 1];
};

struct store_session {
	int64_t user_id;
	int64_t tenant_id;
	char user[STORE_AUTH_NAME_MAX + 1];
	char role[16];
	char csrf[STORE_AUTH_CSRF_MAX + 1];
	int64_t created_at;
	int64_t last_seen;
};

/* The tenant's id by name, creating it when create is set. */
int store_auth_tenant(struct db *db, const char *name, int create, int64_t now,
    int64_t *id);
typedef int (*store_auth_tenant_fn)(void *ctx, int64_t id, const char *name);
/* Every tenant, by id (the default tenant, 1, first); fn's non-zero stops. */
int store_auth_tenant_list(struct db *db, store_auth_tenant_fn fn, void *ctx);
/* Number of accounts in all tenants. */
int store_auth_user_count(struct db *db, int64_t *n);
/* MAMORI_E_INVAL when the name is taken in that tenant. */
int store_auth_user_add(struct db *db, int64_t tenant_id, const char *name,
    const char *role, const char *pw_hash, int64_t now);
int store_auth_user_get(struct db *db, int64_t tenant_id, const char *name,
    struct store_user *out);

/*
 * Login limiting, atomic: one IMMEDIATE transaction counts the failures of
 * the account and of the source address since `since`, and, when both are
 * under their limits, records this attempt as a failure (*attempt_id).
 * *limited is 1 when a limit is reached (nothing recorded then).
 */
int store_auth_attempt_begin(struct db *db, int64_t tenant_id, const char *name,
    const char *ip, int64_t now, int64_t since, int max_account, int max_ip,
    int *limited, int64_t *attempt_id);
/* A successful login: marks the attempt ok and forgets the account's failures. */
int store_auth_attempt_ok(struct db *db, int64_t attempt_id, int64_t tenant_id,
    const char *name);
/* Drops attempts older than `before`. */
int store_auth_attempt_prune(struct db *db, int64_t before);

int store_auth_session_add(struct db *db, const uint8_t sid_hash[STORE_AUTH_SID_HASH],
    int64_t user_id, const char *csrf, int64_t now, const char *ip);
int store_auth_session_get(struct db *db, const uint8_t sid_hash[STORE_AUTH_SID_HASH],
    struct store_session *out);
int store_auth_session_touch(struct db *db, const uint8_t sid_hash[STORE_AUTH_SID_HASH],
    int64_t now);
int store_auth_session_delete(struct db *db, const uint8_t sid_hash[STORE_AUTH_SID_HASH]);
/* Drops sessions idle since before idle_before or created before abs_before. */
int store_auth_session_prune(struct db *db, int64_t idle_before, int64_t abs_before);
int store_auth_session_count(struct db *db, int64_t *n);

#endif
