/* detect_http.c - exploit patterns in HTTP requests: Log4Shell (also the
 * ${lower:j}/${::-j} obfuscations and a bare "jndi:ldap://"), SQL injection
 * in the URI. Matching runs on a percent-decoded, lower-cased copy. */
#include <string.h>
#include <strings.h>

#include "sensor/sensor.h"

#define NORM_MAX 8192

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Two rounds of %XX decoding (double encoding is common), lower case,
 * '+' and SQL comments as spaces, runs of spaces collapsed. */
static size_t
normalize(struct span in, char *out, size_t cap)
{
	char tmp[NORM_MAX];
	size_t n = in.len < cap - 1 ? in.len : cap - 1;
	memcpy(out, in.p, n);
	for (int round = 0; round < 2; round++) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			int h1, h2;
			if (out[i] == '%' && i + 2 < n && (h1 = hexval(out[i + 1])) >= 0 &&
			    (h2 = hexval(out[i + 2])) >= 0) {
				tmp[k++] = (char)(h1 << 4 | h2);
				i += 2;
			} else {
				tmp[k++] = out[i];
			}
		}
		memcpy(out, tmp, k);
		n = k;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = out[i];
		if (c == '/' && i + 1 < n && out[i + 1] == '*') {
			size_t j = i + 2;
			while (j + 1 < n && !(out[j] == '*' && out[j + 1] == '/'))
				j++;
			i = j + 1;
			c = ' ';
		}
		if (c == '+' || c == '\t' || c == '\r' || c == '\n')
			c = ' ';
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c == ' ' && k > 0 && out[k - 1] == ' ')
			continue;
		out[k++] = c;
	}
	out[k] = '\0';
	return k;
}

static bool
has(const char *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static bool
log4shell(const char *s, size_t n)
{
	if (has(s, n, "jndi:ldap") || has(s, n, "jndi:rmi") || has(s, n, "jndi:dns") ||
	    has(s, n, "jndi:ldaps") || has(s, n, "jndi:iiop") || has(s, n, "jndi:corba") ||
	    has(s, n, "jndi:nis") || has(s, n, "jndi:nds") || has(s, n, "jndi:http") ||
	    has(s, n, "${jndi:"))
		return true;
	/* obfuscated: ${${lower:j}ndi:...}, ${${::-j}${::-n}di:...}, ${env:...} */
	if (has(s, n, "${") && (has(s, n, "${::-") || has(s, n, "${lower:") ||
	    has(s, n, "${upper:") || has(s, n, "${env:") || has(s, n, "${date:") ||
	    has(s, n, "${sys:")))
		return true;
	return false;
}

static const char *
sqli(const char *s, size_t n)
{
	static const char *const pats[] = { "union select", "union all select",
		"information_schema", "' or '1'='1", "' or 1=1", "\" or 1=1", " or 1=1--",
		"' and 1=1", "' and '1'='1", "sleep(", "benchmark(", "waitfor delay",
		"xp_cmdshell", "load_file(", "into outfile", "';--", "' --", "'#", "' #",
		"extractvalue(", "updatexml(", NULL };
	for (int i = 0; pats[i]; i++)
		if (has(s, n, pats[i]))
			return pats[i];
	return NULL;
}

void
detect_http_request(struct sensor *s, struct flow *f, const struct pkt *p,
    const struct http_req *r)
{
	char norm[NORM_MAX], msg[300], a[64];
	if (r->authorization.len > 6 && strncasecmp(r->authorization.p, "basic ", 6) == 0 &&
	    !(f->done & FLOW_DONE_EXPOSED)) {
		f->done |= FLOW_DONE_EXPOSED;
		char b[64];
		snprintf(msg, sizeof(msg), "%s sent a password in clear to %s (HTTP Basic, host %.*s)",
		    ip_addr_str(&f->src, a, sizeof(a)), ip_addr_str(&f->dst, b, sizeof(b)),
		    (int)(r->host.len > 100 ? 100 : r->host.len), r->host.p ? r->host.p : "");
		sensor_alert(s, f, p, detect_rule(R_CLEARTEXT_HTTP_BASIC), msg);
	}
	size_t n = normalize(r->head, norm, sizeof(norm));
	if (log4shell(norm, n)) {
		snprintf(msg, sizeof(msg), "JNDI lookup string in a request from %s to %.*s",
		    ip_addr_str(&f->src, a, sizeof(a)), (int)(r->host.len > 100 ? 100 : r->host.len),
		    r->host.p ? r->host.p : "");
		sensor_alert(s, f, p, detect_rule(R_LOG4SHELL), msg);
		return;
	}
	n = normalize(r->uri, norm, sizeof(norm));
	const char *pat = sqli(norm, n);
	if (pat) {
		snprintf(msg, sizeof(msg), "SQL injection (\"%s\") in a request from %s",
		    pat, ip_addr_str(&f->src, a, sizeof(a)));
		sensor_alert_begin(s, f, p, detect_rule(R_SQLI), msg);
		eve_span(&s->eve, "url", r->uri);
		sensor_alert_end(s);
	}
}
