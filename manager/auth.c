#include "manager/auth.h"

#include <sodium.h>
#include <string.h>

#include "common/err.h"

/* OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane. Higher memory
 * would cap the concurrent logins a 512 MB manager can hash. */
#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024 * 1024)

int
auth_init(void)
{
	return sodium_init() < 0 ? MAMORI_E_UNSUPPORTED : MAMORI_OK;
}

bool
auth_password_acceptable(const char *pw, size_t len)
{
	if (len < AUTH_PASSWORD_MIN || len > AUTH_PASSWORD_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7f)
			return false;
	return true;
}

int
auth_password_hash(const char *pw, size_t len, char out[STORE_AUTH_HASH_MAX + 1])
{
	char buf[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str_alg(buf, pw, len, PW_OPSLIMIT, PW_MEMLIMIT,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return MAMORI_E_NOMEM;
	size_t n = strlen(buf);
	if (n > STORE_AUTH_HASH_MAX)
		return MAMORI_E_LIMIT;
	memcpy(out, buf, n + 1);
	return MAMORI_OK;
}

int
auth_password_verify(const char *hash, const char *pw, size_t len)
{
	/* Only argon2id; a hash of another kind in the table is a refusal. */
	if (strncmp(hash, "$argon2id$", 10) != 0)
		return MAMORI_E_PERM;
	return crypto_pwhash_str_verify(hash, pw, len) == 0 ? MAMORI_OK : MAMORI_E_PERM;
}

int
auth_token_new(char out[AUTH_TOKEN_CHARS + 1])
{
	unsigned char raw[AUTH_TOKEN_BYTES];
	/* Never a leading '-' (1 draw in 64): a person pastes enrolment tokens
	 * into `mamori agent --enrol URL TOKEN`, where getopt takes "-xyz..."
	 * for options and the enrolment fails. Drawing again keeps the other
	 * 63 first characters uniform and costs 0.02 bits of 256. */
	do {
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2base64(out, AUTH_TOKEN_CHARS + 1, raw, sizeof(raw),
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	} while (out[0] == '-');
	sodium_memzero(raw, sizeof(raw));
	return MAMORI_OK;
}

static bool
token_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static bool
token_shaped(const char *t, size_t len)
{
	if (len != AUTH_TOKEN_CHARS)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!token_char((unsigned char)t[i]))
			return false;
	return true;
}

int
auth_token_hash(const char *token, uint8_t out[STORE_AUTH_SID_HASH])
{
	size_t len = strnlen(token, AUTH_TOKEN_CHARS + 1);
	if (!token_shaped(token, len))
		return MAMORI_E_PARSE;
	crypto_hash_sha256(out, (const unsigned char *)token, len);
	return MAMORI_OK;
}

bool
auth_csrf_ok(const char *expected, const char *given)
{
	if (!given || !expected)
		return false;
	size_t el = strnlen(expected, AUTH_TOKEN_CHARS + 1);
	size_t gl = strnlen(given, AUTH_TOKEN_CHARS + 1);
	if (el != AUTH_TOKEN_CHARS || gl != AUTH_TOKEN_CHARS)
		return false;
	return sodium_memcmp(expected, given, AUTH_TOKEN_CHARS) == 0;
}

int
auth_cookie_find(const char *header, size_t len, char out[AUTH_TOKEN_CHARS + 1])
{
	static const char name[] = AUTH_COOKIE_NAME;
	const size_t nlen = sizeof(name) - 1;
	int found = 0;
	size_t i = 0;

	out[0] = '\0';
	while (i < len) {
		/* One "name=value" pair up to ';' (RFC 6265 section 4.2.1). */
		while (i < len && (header[i] == ' ' || header[i] == '\t'))
			i++;
		size_t start = i;
		while (i < len && header[i] != ';')
			i++;
		size_t end = i;
		if (i < len)
			i++;
		while (end > start && (header[end - 1] == ' ' || header[end - 1] == '\t'))
			end--;
		if (end - start <= nlen || header[start + nlen] != '=' ||
		    memcmp(header + start, name, nlen) != 0)
			continue;
		const char *v = header + start + nlen + 1;
		size_t vlen = end - start - nlen - 1;
		if (found || !token_shaped(v, vlen))
			return MAMORI_E_PARSE;
		memcpy(out, v, vlen);
		out[vlen] = '\0';
		found = 1;
	}
	return found ? MAMORI_OK : MAMORI_E_NOTFOUND;
}

int
auth_cookie_format(char *buf, size_t sz, const char *token, int64_t max_age)
{
	int n;
	if (token && !token_shaped(token, strnlen(token, AUTH_TOKEN_CHARS + 1)))
		return MAMORI_E_INVAL;
	n = snprintf(buf, sz, "%s=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=%lld",
	    AUTH_COOKIE_NAME, token ? token : "", token ? (long long)max_age : 0LL);
	return n < 0 || (size_t)n >= sz ? MAMORI_E_LIMIT : MAMORI_OK;
}

enum auth_session_state
auth_session_check(int64_t now, int64_t created, int64_t last_seen,
    int64_t idle_s, int64_t absolute_s)
{
	/* A clock that went backwards past creation is treated as expiry too. */
	if (now < created || now - created >= absolute_s)
		return AUTH_SESSION_EXPIRED;
	if (now - last_seen >= idle_s)
		return AUTH_SESSION_IDLE;
	return AUTH_SESSION_OK;
}

static const char *const role_names[] = {
	[AUTH_ROLE_VIEWER] = "viewer",
	[AUTH_ROLE_OPERATOR] = "operator",
	[AUTH_ROLE_ADMIN] = "admin",
};

int
auth_role_parse(const char *s, enum auth_role *out)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum auth_role)i;
			return MAMORI_OK;
		}
	}
	return MAMORI_E_INVAL;
}

const char *
auth_role_name(enum auth_role r)
{
	return (unsigned)r < sizeof(role_names) / sizeof(role_names[0]) ? role_names[r] : "?";
}

bool
auth_role_allows(enum auth_role have, enum auth_role need)
{
	return have >= need;
}

bool
auth_method_changes_state(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    strcmp(method, "OPTIONS") != 0;
}
