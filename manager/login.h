/*
 * login.h - the body of POST /api/login: {"username", "password"} and an
 * optional "tenant" (a name; "default" when absent). Pre-authentication
 * input, so strict: an object of strings only, no unknown or duplicate
 * keys, bounded lengths, no control characters in names, no NUL anywhere.
 */
#ifndef MAMORI_MANAGER_LOGIN_H
#define MAMORI_MANAGER_LOGIN_H

#include <stddef.h>

#include "manager/auth.h"

#define LOGIN_BODY_MAX 8192

struct login {
	char username[STORE_AUTH_NAME_MAX + 1];
	char tenant[STORE_AUTH_NAME_MAX + 1];
	char password[AUTH_PASSWORD_MAX + 1];
	size_t password_len;
};

/* MAMORI_E_PARSE with a short reason in why (safe to log: no secrets). */
int login_parse(const char *buf, size_t len, struct login *out, char *why,
    size_t whysz);
/* At least one byte, none of them a control character. */
int login_printable(const char *s, size_t len);
/* Names of accounts and tenants: 1..64 bytes of UTF-8 without controls. */
int login_name_ok(const char *s, size_t len);
/* Copies a JSON string value (no NUL inside, shorter than dstsz) into dst;
 * MAMORI_E_PARSE with a reason naming key otherwise. Shared by the other
 * pre-authentication bodies (enrol.c). */
struct json_t;
int login_take_string(const struct json_t *v, const char *key, char *dst, size_t dstsz,
    size_t *outlen, char *why, size_t whysz);
/* Wipes the password. */
void login_clear(struct login *l);

#endif
