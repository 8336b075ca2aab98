/* proto_stratum.c - mining pool requests recognised by their JSON-RPC
 * method: a flat scan of the first line, no JSON tree. */
#include "sensor/proto_stratum.h"

#include <string.h>

static const char *const methods[] = {
	"mining.subscribe", "mining.authorize", "mining.submit", "mining.extranonce.subscribe",
	"eth_submitLogin", "eth_getWork", "eth_submitWork", "eth_submitHashrate",
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The string value after the key "key" (quotes included in key). */
static bool
string_value(struct span s, const char *key, struct span *val)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl <= s.len; i++) {
		if (memcmp(s.p + i, key, kl) != 0)
			continue;
		size_t j = i + kl;
		while (j < s.len && is_space(s.p[j]))
			j++;
		if (j >= s.len || s.p[j] != ':')
			continue;
		j++;
		while (j < s.len && is_space(s.p[j]))
			j++;
		if (j >= s.len || s.p[j] != '"')
			continue;
		size_t start = ++j;
		while (j < s.len && s.p[j] != '"' && j - start < 64)
			j++;
		if (j >= s.len || s.p[j] != '"')
			return false;
		*val = (struct span){ s.p + start, j - start };
		return true;
	}
	return false;
}

bool
proto_stratum_request(struct span s, struct span *method)
{
	size_t i = 0;
	while (i < s.len && is_space(s.p[i]))
		i++;
	if (i >= s.len || s.p[i] != '{')
		return false;
	struct span line = { s.p + i, span_find((struct span){ s.p + i, s.len - i }, '\n') };
	if (line.len > 4096)
		line.len = 4096;
	if (!string_value(line, "\"method\"", method))
		return false;
	for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++)
		if (span_eq(*method, methods[k]))
			return true;
	/* Monero pools: login with a wallet, a password and usually the miner's
	 * agent string */
	struct span v;
	return span_eq(*method, "login") && span_contains(line, "\"pass\"") &&
	    (string_value(line, "\"agent\"", &v) || span_contains(line, "\"algo\""));
}
