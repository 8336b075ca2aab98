/*
 * auth.h - the manager's account and session rules, free of I/O so that
 * they are unit-tested on their own: argon2id password hashes (libsodium),
 * 256-bit session ids and CSRF tokens, the session cookie, timeouts, roles.
 *
 * A session id travels only in the cookie; the database keeps its SHA-256
 * (auth_token_hash), so reading the database does not give live sessions.
 */
#ifndef MAMORI_MANAGER_AUTH_H
#define MAMORI_MANAGER_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/store_auth.h"

/* __Host-: the browser refuses it without Secure and Path=/, or with a Domain. */
#define AUTH_COOKIE_NAME "__Host-mamori_session"
#define AUTH_TOKEN_BYTES 32	/* 256 bits */
#define AUTH_TOKEN_CHARS 43	/* base64url without padding */
#define AUTH_PASSWORD_MIN 12
#define AUTH_PASSWORD_MAX 1024
#define AUTH_COOKIE_MAX 160

enum auth_role { AUTH_ROLE_VIEWER, AUTH_ROLE_OPERATOR, AUTH_ROLE_ADMIN };

enum auth_session_state {
	AUTH_SESSION_OK,
	AUTH_SESSION_IDLE,	/* unused longer than the idle timeout */
	AUTH_SESSION_EXPIRED,	/* older than the absolute timeout */
};

/* Once per process, before any other call (libsodium's init). */
int auth_init(void);

/* argon2id, m = 19 MiB, t = 2, p = 1 (OWASP's floor): about 31 ms per hash on this 2-core box. */
int auth_password_hash(const char *pw, size_t len, char out[STORE_AUTH_HASH_MAX + 1]);
/* MAMORI_OK on a match, MAMORI_E_PERM on a mismatch or a malformed hash. */
int auth_password_verify(const char *hash, const char *pw, size_t len);
/* Length AUTH_PASSWORD_MIN..MAX bytes, no NUL or other control bytes. */
bool auth_password_acceptable(const char *pw, size_t len);

/* A fresh random token: AUTH_TOKEN_BYTES bytes as base64url, never starting
 * with '-' (it is typed as a command-line argument). */
int auth_token_new(char out[AUTH_TOKEN_CHARS + 1]);
/* SHA-256 of a token; MAMORI_E_PARSE when it is not shaped like one. */
int auth_token_hash(const char *token, uint8_t out[STORE_AUTH_SID_HASH]);
/* Constant-time comparison of a CSRF token with what the client sent (may be NULL). */
bool auth_csrf_ok(const char *expected, const char *given);

/*
 * Finds our session cookie in a Cookie request header ("a=b; c=d").
 * MAMORI_E_NOTFOUND when absent, MAMORI_E_PARSE when present but not a token
 * or present twice (a planted duplicate must not pick the session).
 */
int auth_cookie_find(const char *header, size_t len, char out[AUTH_TOKEN_CHARS + 1]);
/* The Set-Cookie value starting a session (max_age seconds) or ending it (token NULL). */
int auth_cookie_format(char *buf, size_t sz, const char *token, int64_t max_age);

enum auth_session_state auth_session_check(int64_t now, int64_t created,
    int64_t last_seen, int64_t idle_s, int64_t absolute_s);

int auth_role_parse(const char *s, enum auth_role *out);
const char *auth_role_name(enum auth_role r);
bool auth_role_allows(enum auth_role have, enum auth_role need);
/* Anything but GET, HEAD and OPTIONS changes state and needs the CSRF token. */
bool auth_method_changes_state(const char *method);

#endif
