/* t_ioc.c - IOC sets from the real abuse.ch feeds and plain lists. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "detection/ioc.h"
#include "tests/tap.h"

static char *
slurp(const char *name, size_t *len)
{
	char path[1024];
	const char *d = getenv("MAMORI_TEST_DATA");
	snprintf(path, sizeof(path), "%s/ioc/%s", d ? d : "tests/data", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	*len = buf ? fread(buf, 1, 1 << 20, f) : 0;
	fclose(f);
	return buf;
}

static void
v4(const char *s, uint8_t out[16])
{
	memset(out, 0, 10);
	out[10] = out[11] = 0xff;
	inet_pton(AF_INET, s, out + 12);
}

static void
test_feeds(void)
{
	struct ioc_set s;
	struct ioc_load_stats st;
	size_t len;
	uint8_t a[16];
	ioc_set_init(&s, 0);
	char *buf = slurp("abusech_feodotracker_ipblocklist.csv", &len);
	ok(buf && ioc_set_load(&s, (struct span){ buf, len }, "feodo", &st) == 0, "Feodo CSV loads");
	is_str(st.format, "feodo", "Feodo format detected");
	is_int(st.added, 28, "28 C2 addresses");
	v4("213.199.41.33", a);
	const struct ioc_entry *e = ioc_match_ip(&s, a);
	ok(e && strcmp(e->label, "Pikabot") == 0, "213.199.41.33 is Pikabot C2");
	v4("213.199.41.34", a);
	ok(!ioc_match_ip(&s, a), "neighbour address not listed");
	free(buf);

	buf = slurp("abusech_sslbl_ja3_fingerprints.csv", &len);
	ok(buf && ioc_set_load(&s, (struct span){ buf, len }, "sslbl", &st) == 0, "SSLBL JA3 loads");
	is_str(st.format, "sslbl-ja3", "JA3 format detected");
	is_int(st.added, 97, "97 JA3 fingerprints");
	e = ioc_match_hash(&s, IOC_JA3, SPAN_LIT("51C64C77E60F3980EEA90869B68C58A8"));
	ok(e && strcmp(e->label, "Dridex") == 0, "Emotet's JA3 listed as Dridex (any case)");
	free(buf);

	buf = slurp("abusech_sslbl_sha1_fingerprints.csv", &len);
	ok(buf && ioc_set_load(&s, (struct span){ buf, len }, "sslbl", &st) == 0, "SSLBL SHA-1 loads");
	is_str(st.format, "sslbl-sha1", "SHA-1 format detected");
	/* a hash starting with a-f was once taken for the row's label */
	e = ioc_match_hash(&s, IOC_SHA1, SPAN_LIT("a0d78b3ddb27cd4f110a0292cab800beadaf9bd2"));
	ok(e && strcmp(e->label, "AsyncRAT C&C") == 0, "a listed certificate SHA-1 keeps its reason as label");
	free(buf);

	buf = slurp("abusech_urlhaus_tld_feed_sample.csv", &len);
	ok(buf && ioc_set_load(&s, (struct span){ buf, len }, "urlhaus", &st) == 0, "URLhaus loads");
	is_str(st.format, "urlhaus", "URLhaus format detected");
	is_int(st.added, 2, "2 URLs, not their hosts or IPs");
	ok(ioc_match_url(&s, SPAN_LIT("http://MARCONUENLIST.ch/verif.accounts.docs.net/")) != NULL,
	    "URL match, host case-insensitive");
	v4("62.241.37.242", a);
	ok(!ioc_match_ip(&s, a), "URLhaus hosting IP is not an IP indicator");
	free(buf);
	ioc_set_release(&s);
}

static void
test_plain(void)
{
	struct ioc_set s;
	struct ioc_load_stats st;
	uint8_t a[16];
	const char list[] = "# my list\nevil.example\n10.9.0.0/16\n2001:db8::/32 office test\n"
	    "203.0.113.5\nnot a thing\n\nEvil.Example\n";
	ioc_set_init(&s, 0);
	ok(ioc_set_load(&s, (struct span){ list, sizeof(list) - 1 }, "mine", &st) == 0, "plain list loads");
	is_str(st.format, "plain", "plain format");
	is_int(st.added, 4, "4 indicators");
	is_int(st.duplicates, 1, "case-folded duplicate domain counted");
	ok(ioc_match_domain(&s, SPAN_LIT("a.b.EVIL.example.")) != NULL, "subdomain matches");
	ok(!ioc_match_domain(&s, SPAN_LIT("notevil.example")) , "suffix without a dot boundary does not");
	v4("10.9.200.1", a);
	ok(ioc_match_ip(&s, a) != NULL, "CIDR /16 matches");
	v4("10.10.0.1", a);
	ok(!ioc_match_ip(&s, a), "outside the CIDR");
	inet_pton(AF_INET6, "2001:db8:1::5", a);
	ok(ioc_match_ip(&s, a) != NULL, "IPv6 /32 matches");
	ioc_set_release(&s);

	ioc_set_init(&s, 2);
	is_int(ioc_set_load(&s, (struct span){ list, sizeof(list) - 1 }, "mine", &st), MAMORI_E_LIMIT,
	    "entry cap reported");
	is_int(s.n, 2, "what fitted is kept");
	ioc_set_release(&s);
}

int
main(void)
{
	test_feeds();
	test_plain();
	return done_testing();
}
