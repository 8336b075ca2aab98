/* t_auth.c - the manager's session rules: tokens, cookie, CSRF, timeouts,
 * roles, passwords; the login body parser; the session and login-limit
 * store; tenant scoping; the route table against the OpenAPI document. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "manager/api.h"
#include "manager/auth.h"
#include "manager/login.h"
#include "storage/db.h"
#include "storage/store_auth.h"
#include "storage/store_manager.h"
#include "storage/store_scan.h"
#include "tests/tap.h"

static int
count_scan(void *ctx, const struct store_mgr_scan *s)
{
	(void)s;
	(*(int *)ctx)++;
	return 0;
}

static void
test_tokens(void)
{
	char a[AUTH_TOKEN_CHARS + 1], b[AUTH_TOKEN_CHARS + 1];
	uint8_t ha[32], hb[32];
	auth_token_new(a);
	auth_token_new(b);
	is_int((int)strlen(a), 43, "token is 43 base64url characters (256 bits)");
	ok(strcmp(a, b) != 0, "two tokens differ");
	ok(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43,
	    "token alphabet is base64url");
	is_int(auth_token_hash(a, ha), 0, "token hashes");
	auth_token_hash(b, hb);
	ok(memcmp(ha, hb, 32) != 0, "different tokens, different hashes");
	/* 1 in 64 plain base64url tokens starts with '-': in 4096 draws that
	 * is about 64, and the chance of none is below 1e-27. */
	int dash = 0;
	for (int i = 0; i < 4096; i++) {
		auth_token_new(b);
		dash += b[0] == '-';
	}
	is_int(dash, 0, "no token of 4096 starts with '-' (getopt would take it for an option)");
	auth_token_new(b);
	is_int(auth_token_hash("short", ha), MAMORI_E_PARSE, "a short token is refused");
	is_int(auth_token_hash("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", ha), MAMORI_E_PARSE,
	    "a padded token is refused");
}

static void
test_cookie(void)
{
	char tok[AUTH_TOKEN_CHARS + 1], out[AUTH_TOKEN_CHARS + 1], buf[256], hdr[512];
	auth_token_new(tok);
	is_int(auth_cookie_format(buf, sizeof(buf), tok, 3600), 0, "cookie formats");
	ok(strncmp(buf, "__Host-mamori_session=", 22) == 0, "cookie name has the __Host- prefix");
	ok(strstr(buf, "; Secure") && strstr(buf, "; HttpOnly") && strstr(buf, "; SameSite=Strict") &&
	    strstr(buf, "; Path=/") && strstr(buf, "Max-Age=3600") && !strstr(buf, "Domain"),
	    "cookie flags: %s", buf);
	is_int(auth_cookie_format(buf, sizeof(buf), NULL, 0), 0, "clearing cookie formats");
	ok(strstr(buf, "Max-Age=0") != NULL, "clearing cookie expires at once");
	is_int(auth_cookie_format(buf, sizeof(buf), "bad;token", 1), MAMORI_E_INVAL,
	    "a non-token value is never put in a cookie");

	snprintf(hdr, sizeof(hdr), "theme=dark; __Host-mamori_session=%s; lang=ja", tok);
	is_int(auth_cookie_find(hdr, strlen(hdr), out), 0, "cookie found among others");
	is_str(out, tok, "the right value");
	snprintf(hdr, sizeof(hdr), "__Host-mamori_session=%s", tok);
	is_int(auth_cookie_find(hdr, strlen(hdr), out), 0, "cookie alone");
	snprintf(hdr, sizeof(hdr), "__Host-mamori_session=%s; __Host-mamori_session=%s", tok, tok);
	is_int(auth_cookie_find(hdr, strlen(hdr), out), MAMORI_E_PARSE, "a duplicate cookie is refused");
	snprintf(hdr, sizeof(hdr), "x__Host-mamori_session=%s; mamori_session=%s", tok, tok);
	is_int(auth_cookie_find(hdr, strlen(hdr), out), MAMORI_E_NOTFOUND, "look-alike names are not ours");
	is_int(auth_cookie_find("__Host-mamori_session=abc", 25, out), MAMORI_E_PARSE,
	    "a malformed value is refused");
	is_int(auth_cookie_find("", 0, out), MAMORI_E_NOTFOUND, "empty header");
	is_int(auth_cookie_find(";;; ;", 5, out), MAMORI_E_NOTFOUND, "separators only");
}

static void
test_csrf_and_rules(void)
{
	char a[AUTH_TOKEN_CHARS + 1], b[AUTH_TOKEN_CHARS + 1];
	auth_token_new(a);
	auth_token_new(b);
	ok(auth_csrf_ok(a, a), "matching CSRF token accepted");
	ok(!auth_csrf_ok(a, b), "other CSRF token refused");
	ok(!auth_csrf_ok(a, NULL), "missing CSRF token refused");
	ok(!auth_csrf_ok(a, ""), "empty CSRF token refused");
	char pre[AUTH_TOKEN_CHARS + 2];
	snprintf(pre, sizeof(pre), "%sx", a);
	ok(!auth_csrf_ok(a, pre), "a longer token with the right prefix refused");

	ok(auth_method_changes_state("POST") && auth_method_changes_state("DELETE") &&
	    auth_method_changes_state("PUT") && auth_method_changes_state("PATCH") &&
	    auth_method_changes_state("BREW"), "POST/PUT/PATCH/DELETE/unknown need CSRF");
	ok(!auth_method_changes_state("GET") && !auth_method_changes_state("HEAD"),
	    "GET and HEAD do not");

	is_int(auth_session_check(1000, 1000, 1000, 60, 600), AUTH_SESSION_OK, "fresh session ok");
	is_int(auth_session_check(1059, 1000, 1000, 60, 600), AUTH_SESSION_OK, "just inside idle");
	is_int(auth_session_check(1060, 1000, 1000, 60, 600), AUTH_SESSION_IDLE, "idle timeout");
	is_int(auth_session_check(1590, 1000, 1580, 60, 600), AUTH_SESSION_OK, "active session ok");
	is_int(auth_session_check(1600, 1000, 1599, 60, 600), AUTH_SESSION_EXPIRED,
	    "absolute timeout even when active");
	is_int(auth_session_check(999, 1000, 1000, 60, 600), AUTH_SESSION_EXPIRED,
	    "clock before creation: expired");

	enum auth_role r;
	is_int(auth_role_parse("operator", &r), 0, "operator parses");
	ok(auth_role_allows(AUTH_ROLE_ADMIN, AUTH_ROLE_OPERATOR), "admin may do operator work");
	ok(!auth_role_allows(AUTH_ROLE_VIEWER, AUTH_ROLE_OPERATOR), "viewer may not");
	is_int(auth_role_parse("root", &r), MAMORI_E_INVAL, "unknown role refused");
}

static void
test_passwords(void)
{
	char h[STORE_AUTH_HASH_MAX + 1];
	const char *pw = "correct horse battery";
	is_int(auth_password_hash(pw, strlen(pw), h), 0, "password hashes");
	ok(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0, "argon2id m=19 MiB t=2 p=1: %s", h);
	is_int(auth_password_verify(h, pw, strlen(pw)), 0, "right password verifies");
	is_int(auth_password_verify(h, "correct horse battery!", 22), MAMORI_E_PERM, "wrong password refused");
	is_int(auth_password_verify("$2y$10$abc", pw, strlen(pw)), MAMORI_E_PERM, "non-argon2id hash refused");
	ok(!auth_password_acceptable("short", 5), "short password unacceptable");
	ok(!auth_password_acceptable("long enough\npassword", 20), "control characters unacceptable");
	ok(auth_password_acceptable("パスワードは長い", strlen("パスワードは長い")), "UTF-8 acceptable");
}

static void
test_login_parse(void)
{
	struct login l;
	char why[128];
	const char *good = "{\"username\":\"alice\",\"password\":\"p\\u00e4ss word\"}";
	is_int(login_parse(good, strlen(good), &l, why, sizeof(why)), 0, "login body parses");
	is_str(l.username, "alice", "username");
	is_str(l.tenant, "default", "tenant defaults");
	is_int((int)l.password_len, 10, "password length in bytes (UTF-8)");
	const char *bad[] = {
		"", "[]", "{}", "null", "{\"username\":\"a\"}", "{\"password\":\"a\"}",
		"{\"username\":1,\"password\":\"a\"}", "{\"username\":\"a\",\"password\":\"\"}",
		"{\"username\":\"\",\"password\":\"a\"}", "{\"username\":\"a\\n\",\"password\":\"a\"}",
		"{\"username\":\"a\",\"password\":\"a\\u0000b\"}",
		"{\"username\":\"a\",\"password\":\"a\",\"x\":1}",
		"{\"username\":\"a\",\"username\":\"b\",\"password\":\"a\"}",
		"{\"username\":\"a\",\"password\":\"a\"", "{\"username\":\"\xff\",\"password\":\"a\"}",
	};
	int refused = 0;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused += login_parse(bad[i], strlen(bad[i]), &l, why, sizeof(why)) == MAMORI_E_PARSE;
	is_int(refused, (int)(sizeof(bad) / sizeof(bad[0])), "every malformed body refused");
	char big[70];
	memset(big, 'u', 65);
	big[65] = 0;
	char body[256];
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"x\"}", big);
	is_int(login_parse(body, strlen(body), &l, why, sizeof(why)), MAMORI_E_PARSE, "65-byte name refused");
}

static void
test_store(void)
{
	char path[] = "/tmp/mamori-t-auth-XXXXXX";
	int fd = mkstemp(path);
	char err[256];
	struct db *db = NULL;
	close(fd);
	unlink(path);
	if (db_open(path, false, &db, err, sizeof(err)) != 0) {
		ok(false, "open: %s", err);
		return;
	}
	int64_t t1 = 0, t2 = 0, n = -1, att = 0;
	is_int(store_auth_tenant(db, "default", 0, 1, &t1), 0, "default tenant exists");
	is_int((int)t1, 1, "it is tenant 1");
	is_int(store_auth_tenant(db, "acme", 0, 1, &t2), MAMORI_E_NOTFOUND, "acme not yet");
	is_int(store_auth_tenant(db, "acme", 1, 1, &t2), 0, "acme created");
	is_int(store_auth_user_add(db, t1, "alice", "viewer", "$argon2id$x", 1), 0, "user added");
	is_int(store_auth_user_add(db, t1, "alice", "admin", "$argon2id$y", 1), MAMORI_E_INVAL, "duplicate refused");
	is_int(store_auth_user_add(db, t2, "alice", "admin", "$argon2id$y", 1), 0,
	    "same name in another tenant is another account");
	store_auth_user_count(db, &n);
	is_int((int)n, 2, "two accounts");
	struct store_user u;
	is_int(store_auth_user_get(db, t2, "alice", &u), 0, "user found by tenant and name");
	is_str(u.role, "admin", "the tenant-2 alice");

	/* Login limit: 3 per account, 5 per address. */
	int lim = 0, checked = 0;
	for (int i = 0; i < 6; i++) {
		store_auth_attempt_begin(db, t1, "alice", "10.0.0.1", 100 + i, 0, 3, 5, &lim, &att);
		checked += !lim;
	}
	is_int(checked, 3, "account limit: 3 attempts recorded, the rest limited");
	store_auth_attempt_begin(db, t1, "bob", "10.0.0.1", 110, 0, 3, 5, &lim, &att);
	is_int(lim, 0, "another account from that address still allowed");
	store_auth_attempt_begin(db, t1, "carol", "10.0.0.1", 111, 0, 3, 5, &lim, &att);
	is_int(lim, 0, "fifth failure from the address allowed");
	store_auth_attempt_begin(db, t1, "dave", "10.0.0.1", 112, 0, 3, 5, &lim, &att);
	is_int(lim, 1, "address limit reached");
	store_auth_attempt_begin(db, t1, "alice", "10.0.0.2", 113, 104, 3, 5, &lim, &att);
	is_int(lim, 0, "failures before the window do not count");
	store_auth_attempt_begin(db, t1, "erin", "10.0.0.3", 114, 0, 3, 5, &lim, &att);
	is_int(store_auth_attempt_ok(db, att, t1, "erin"), 0, "success recorded");

	uint8_t h[32] = { 1 }, h2[32] = { 2 };
	struct store_session s;
	is_int(store_auth_session_add(db, h, u.id, "csrf-token", 200, "10.0.0.1"), 0, "session added");
	is_int(store_auth_session_get(db, h, &s), 0, "session found by hash");
	ok(s.tenant_id == t2 && strcmp(s.csrf, "csrf-token") == 0 && strcmp(s.user, "alice") == 0,
	    "session carries tenant, user and CSRF token");
	is_int(store_auth_session_get(db, h2, &s), MAMORI_E_NOTFOUND, "unknown hash not found");
	store_auth_session_prune(db, 150, 100);
	is_int(store_auth_session_get(db, h, &s), 0, "fresh session survives pruning");
	store_auth_session_prune(db, 201, 100);
	is_int(store_auth_session_get(db, h, &s), MAMORI_E_NOTFOUND, "idle session pruned");

	/* Tenant scoping: a scan of tenant 1 is invisible to tenant 2. */
	struct store_scan sc;
	store_scan_begin(db, "host-key", "pc-01", 1000, "/", &sc);
	store_scan_finish(&sc, "{\"x\":1}", 80, 5, 50);
	int c1 = 0, c2 = 0;
	store_manager_latest_scans(db, t1, count_scan, &c1);
	store_manager_latest_scans(db, t2, count_scan, &c2);
	ok(c1 == 1 && c2 == 0, "latest scans: tenant 1 sees 1, tenant 2 sees 0");
	is_int(store_manager_scan(db, t1, sc.scan_id, count_scan, &c1), 0, "tenant 1 reads its scan");
	is_int(store_manager_scan(db, t2, sc.scan_id, count_scan, &c2), MAMORI_E_NOTFOUND,
	    "tenant 2 cannot read tenant 1's scan");
	db_close(db);
	unlink(path);
	char side[sizeof(path) + 8];
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static void
test_routes_match_openapi(void)
{
	size_t n, described = 0;
	const struct api_route *r = api_routes(&n);
	json_t *doc = json_loads(api_openapi_text(), 0, NULL);
	json_t *paths = json_object_get(doc, "paths");
	ok(json_is_object(paths), "OpenAPI document parses and has paths");
	int missing = 0, public_routes = 0;
	for (size_t i = 0; i < n; i++) {
		char m[16];
		size_t k;
		for (k = 0; r[i].method[k] && k < sizeof(m) - 1; k++)
			m[k] = (char)(r[i].method[k] - 'A' + 'a');
		m[k] = 0;
		if (!json_object_get(json_object_get(paths, r[i].path), m)) {
			diag(r[i].path);
			missing++;
		}
		public_routes += r[i].access == API_PUBLIC;
	}
	is_int(missing, 0, "every route is in the OpenAPI document");
	const char *key;
	json_t *ops;
	json_object_foreach(paths, key, ops)
		described += json_object_size(ops);
	is_int((int)described, (int)n, "and the document has no route the table lacks");
	is_int(public_routes, 3, "exactly three public routes (health, login, token-gated enrol)");
	json_decref(doc);
}

int
main(void)
{
	if (auth_init() != 0) {
		ok(false, "libsodium init");
		return done_testing();
	}
	test_tokens();
	test_cookie();
	test_csrf_and_rules();
	test_passwords();
	test_login_parse();
	test_store();
	test_routes_match_openapi();
	return done_testing();
}
