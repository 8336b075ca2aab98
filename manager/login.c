#include "manager/login.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"

int
login_printable(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return 0;
	}
	return 1;
}

int
login_name_ok(const char *s, size_t len)
{
	return len <= STORE_AUTH_NAME_MAX && login_printable(s, len);
}

int
login_take_string(const struct json_t *v, const char *key, char *dst, size_t dstsz,
    size_t *outlen, char *why, size_t whysz)
{
	if (!json_is_string(v)) {
		snprintf(why, whysz, "'%s' must be a string", key);
		return MAMORI_E_PARSE;
	}
	size_t n = json_string_length(v);
	const char *s = json_string_value(v);
	/* jansson keeps \u0000 inside strings; a C string would cut there. */
	if (n >= dstsz || memchr(s, '\0', n)) {
		snprintf(why, whysz, "'%s' too long or has a NUL", key);
		return MAMORI_E_PARSE;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	*outlen = n;
	return MAMORI_OK;
}

int
login_parse(const char *buf, size_t len, struct login *out, char *why,
    size_t whysz)
{
	json_error_t jerr;
	json_t *root = NULL, *v;
	const char *key;
	size_t n, un = 0;
	int rc = MAMORI_E_PARSE, have_user = 0, have_pw = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->tenant, sizeof(out->tenant), "default");
	if (len > LOGIN_BODY_MAX) {
		snprintf(why, whysz, "body longer than %d bytes", LOGIN_BODY_MAX);
		return MAMORI_E_PARSE;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!root) {
		snprintf(why, whysz, "not JSON: %.80s (column %d)", jerr.text, jerr.column);
		goto out;
	}
	if (!json_is_object(root)) {
		snprintf(why, whysz, "not a JSON object");
		goto out;
	}
	json_object_foreach(root, key, v) {
		if (strcmp(key, "username") == 0) {
			if (login_take_string(v, key, out->username, sizeof(out->username), &un, why, whysz))
				goto out;
			have_user = 1;
		} else if (strcmp(key, "password") == 0) {
			if (login_take_string(v, key, out->password, sizeof(out->password),
			    &out->password_len, why, whysz))
				goto out;
			have_pw = 1;
		} else if (strcmp(key, "tenant") == 0) {
			if (login_take_string(v, key, out->tenant, sizeof(out->tenant), &n, why, whysz))
				goto out;
			if (!login_name_ok(out->tenant, n)) {
				snprintf(why, whysz, "bad tenant name");
				goto out;
			}
		} else {
			snprintf(why, whysz, "unknown field");
			goto out;
		}
	}
	if (!have_user || !have_pw) {
		snprintf(why, whysz, "username and password are required");
		goto out;
	}
	if (!login_name_ok(out->username, un)) {
		snprintf(why, whysz, "bad username");
		goto out;
	}
	if (out->password_len == 0) {
		snprintf(why, whysz, "empty password");
		goto out;
	}
	rc = MAMORI_OK;
out:
	if (root)
		json_decref(root);
	if (rc != MAMORI_OK)
		login_clear(out);
	return rc;
}

void
login_clear(struct login *l)
{
	sodium_memzero(l->password, sizeof(l->password));
	l->password_len = 0;
}
