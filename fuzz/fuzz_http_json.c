/* fuzz_http_json.c - the pre-authentication input of the manager: the
 * POST /api/login body and the Cookie header. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "manager/auth.h"
#include "manager/login.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct login l;
	char why[128], tok[AUTH_TOKEN_CHARS + 1];
	uint8_t h[STORE_AUTH_SID_HASH];

	if (login_parse((const char *)data, size, &l, why, sizeof(why)) == 0) {
		if (strlen(l.username) == 0 || l.password_len == 0)
			__builtin_trap();
		login_clear(&l);
	}
	if (auth_cookie_find((const char *)data, size, tok) == 0 && auth_token_hash(tok, h) != 0)
		__builtin_trap();	/* a found cookie is always token-shaped */
	return 0;
}
