#include "manager/enrol.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "manager/login.h"

/* Host and agent names: printable, no spaces at the ends (length is
 * bounded by the buffers). */
static int
name_ok(const char *s, size_t n)
{
	return login_printable(s, n) && s[0] != ' ' && s[n - 1] != ' ';
}

int
enrol_parse(const char *buf, size_t len, struct enrol_request *out, char *why,
    size_t whysz)
{
	json_error_t jerr;
	json_t *root = NULL, *v;
	const char *key;
	size_t tn = 0, hn = 0, nn = 0;
	int rc = MAMORI_E_PARSE;

	memset(out, 0, sizeof(*out));
	if (len > ENROL_BODY_MAX) {
		snprintf(why, whysz, "body longer than %d bytes", ENROL_BODY_MAX);
		return MAMORI_E_PARSE;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!root || !json_is_object(root)) {
		snprintf(why, whysz, "not a JSON object");
		goto out;
	}
	json_object_foreach(root, key, v) {
		if (strcmp(key, "token") == 0)
			rc = login_take_string(v, key, out->token, sizeof(out->token), &tn, why, whysz);
		else if (strcmp(key, "hostname") == 0)
			rc = login_take_string(v, key, out->hostname, sizeof(out->hostname), &hn,
			    why, whysz);
		else if (strcmp(key, "name") == 0)
			rc = login_take_string(v, key, out->name, sizeof(out->name), &nn, why, whysz);
		else {
			snprintf(why, whysz, "unknown field");
			rc = MAMORI_E_PARSE;
		}
		if (rc != MAMORI_OK)
			goto out;
	}
	rc = MAMORI_E_PARSE;
	if (tn != AUTH_TOKEN_CHARS) {
		snprintf(why, whysz, "token missing or not a token");
		goto out;
	}
	if (!name_ok(out->hostname, hn)) {
		snprintf(why, whysz, "hostname missing or with control characters");
		goto out;
	}
	if (nn == 0)
		memcpy(out->name, out->hostname, hn + 1);
	else if (!name_ok(out->name, nn)) {
		snprintf(why, whysz, "bad name");
		goto out;
	}
	rc = MAMORI_OK;
out:
	json_decref(root);
	if (rc != MAMORI_OK)
		sodium_memzero(out->token, sizeof(out->token));
	return rc;
}
